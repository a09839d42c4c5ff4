"""Reading the package's data files (flashpoint/data/): '#' lines are comments, TSV has a header line."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

DATA: Traversable = files("flashpoint") / "data"


def content_lines(text: str) -> list[str]:
    """The non-empty lines of a data text that are not '#' comments."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def data_lines(name: str) -> list[str]:
    """The non-empty, non-comment lines of `data/<name>`."""
    return content_lines(DATA.joinpath(name).read_text("utf-8"))


def read_tsv(name: str, *, strict: bool = True) -> list[dict[str, str]]:
    """`data/<name>` as one dict per row; strict files must have every column on every row."""
    header, *rows = (line.split("\t") for line in data_lines(name))
    if strict:
        for number, row in enumerate(rows, start=2):
            if len(row) != len(header):
                raise ValueError(f"data/{name}: row {number} has {len(row)} columns, not {len(header)}")
    padded = (row + [""] * (len(header) - len(row)) for row in rows)
    return [{key: value.strip() for key, value in zip(header, row, strict=False)} for row in padded]
