"""One document in memory (text or bytes) to one `Article`.

These calls raise `FlashpointError` for a bad document: the caller holds a single input and decides.
The file readers in `files.py` catch those errors and keep them on the article instead.
"""

from __future__ import annotations

from pathlib import PurePath

from ..errors import Errors, FlashpointError
from ..model import Article
from .detect import decode, looks_like_html, parse_date

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def read_text(
    text: str,
    *,
    id: str = "text",
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    origin: str | None = None,
    html: bool | None = None,
    published_basis: str = "argument",
) -> Article:
    """An Article from decoded text: HTML goes to `article.html` (and `raw`), anything else to `raw`.

    `html=None` sniffs the text; `published` must be YYYY-MM-DD (or an ISO timestamp, cut to its date)
    and is recorded with `published_basis` ("argument" by default, "record" for JSONL fields).
    Raises E102 for empty or whitespace-only text and E110 for a bad date.
    """
    name = origin or id
    if not text.strip():
        raise FlashpointError(Errors.E102, input=name)
    day = parse_date(published, name=name)
    is_html = looks_like_html(text) if html is None else html
    return Article(
        id=id,
        raw=text,
        html=text if is_html else None,
        title=title,
        url=url,
        published=day,
        published_basis=published_basis if day else None,
        source=source,
        origin=origin,
    )


def read_bytes(
    data: bytes,
    *,
    name: str,
    id: str | None = None,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """An Article from the bytes of one text or HTML document called `name` (a path or a label).

    The id defaults to the stem of `name`; a `.html`/`.htm` name, or content that looks like HTML, gives
    an HTML article. Raises E108 (too big), E103 (binary), E104 (undecodable), E102 (empty), E110 (date).
    """
    if len(data) > max_bytes:
        raise FlashpointError(Errors.E108, input=name, size=len(data), limit=max_bytes)
    text = decode(data, name=name)
    is_html = True if PurePath(name).suffix.lower() in HTML_SUFFIXES else None
    return read_text(
        text,
        id=id if id is not None else stem(name),
        published=published,
        url=url,
        title=title,
        source=source,
        origin=name,
        html=is_html,
    )


def stem(name: str) -> str:
    """The id a file gives its articles: its name without folders and extension ("stdin" for "-")."""
    return "stdin" if name == "-" else PurePath(name).stem or name
