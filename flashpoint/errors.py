"""The one catalogue of flashpoint's errors: stable codes, messages that name the input and what to do.

Raise with `FlashpointError(Errors.E101, input=path)`; the message template is filled from the keywords.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Errors(StrEnum):
    # reading inputs (1xx)
    E101 = "{input}: file not found. Check the path."
    E102 = "{input}: the input is empty (no text after reading). Nothing to code."
    E103 = "{input}: looks like binary data ({kind}), not text or HTML. Pass a .txt, .html or .jsonl file."
    E104 = "{input}: could not decode the bytes as text ({detail}). Re-save it as UTF-8."
    E105 = "{input}: line {line} is not valid JSON ({detail}). Fix or remove that line; the others are read."
    E106 = "{input}: line {line} is a JSON {kind}, not an object. Each line must be one JSON object."
    E107 = "{input}: line {line} has neither a 'text' nor an 'html' string field. Add one of them."
    E108 = "{input}: the input is {size} bytes, over the limit of {limit}. Split it or raise the limit."
    E109 = "{input}: the HTML page has no extractable story text. Check that it is an article page."
    E110 = "{input}: '{value}' is not a date. Use YYYY-MM-DD."
    E111 = "{input}: cannot read it ({detail})."
    E112 = "{input}: the text is in '{language}', not English; it is skipped, not coded as English."
    # models and pipeline (2xx)
    E201 = "The spaCy model '{model}' is not installed. Install it with: pip install {package}"
    E202 = "Unknown pipeline stage '{name}'. Known stages: {known}."
    E203 = "{input}: stage '{stage}' failed: {detail}"
    E204 = "The event model file {path} is missing or unreadable. Rebuild it with: python -m flashpoint.events.train"


class FlashpointError(Exception):
    """An error with a stable code (E101...) and a message naming the input and the problem."""

    def __init__(self, error: Errors, **values: Any) -> None:
        self.code = error.name
        self.values = values
        self.message = error.value.format(**values)
        super().__init__(f"[{self.code}] {self.message}")

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
