"""JSON Lines: one record per line, `{"id", "text" or "html", "url", "published", "source", "title"}`.

A record with both `text` and `html` keeps the text in `raw` and the page in `html` (the clean stage then
works from the page, for its metadata and embedded posts).

A bad line never stops the reading: it becomes an Article whose `errors` name the file and the line,
and the next lines are read as usual, in input order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import Errors, FlashpointError
from ..model import Article
from .documents import read_text

_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


def read_records(
    lines: Iterable[bytes], *, name: str, stem: str, published: str | None, max_bytes: int
) -> Iterator[Article]:
    """One Article per non-blank line; `published` (already checked) overrides the records' dates."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fallback_id = f"{stem}:{number}"
        try:
            yield _read_line(
                line,
                name=name,
                number=number,
                fallback_id=fallback_id,
                published=published,
                max_bytes=max_bytes,
            )
        except FlashpointError as error:
            yield Article(id=fallback_id, origin=name, errors=[error.to_dict()])


def _read_line(
    line: bytes, *, name: str, number: int, fallback_id: str, published: str | None, max_bytes: int
) -> Article:
    where = f"{name} line {number}"
    if len(line) > max_bytes:
        raise FlashpointError(Errors.E108, input=where, size=len(line), limit=max_bytes)
    record = _parse(line, name=name, number=number)
    record_id = _field(record, "id") or fallback_id
    try:
        return _to_article(record, record_id=record_id, name=name, number=number, published=published)
    except FlashpointError as error:
        return Article(id=record_id, origin=name, errors=[error.to_dict()])


def _parse(line: bytes, *, name: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
    except UnicodeDecodeError as error:
        raise FlashpointError(Errors.E104, input=f"{name} line {number}", detail=error.reason) from error
    except json.JSONDecodeError as error:
        raise FlashpointError(Errors.E105, input=name, line=number, detail=error.msg) from error
    if not isinstance(record, dict):
        kind = _JSON_KINDS.get(type(record), "null")
        raise FlashpointError(Errors.E106, input=name, line=number, kind=kind)
    return record


def _to_article(
    record: dict[str, Any], *, record_id: str, name: str, number: int, published: str | None
) -> Article:
    text, html = _string(record, "text"), _string(record, "html")
    body = text if text is not None and (text.strip() or html is None) else html
    if body is None:
        raise FlashpointError(Errors.E107, input=name, line=number)
    use_text = body is text
    article = read_text(
        body,
        id=record_id,
        published=published or record.get("published"),
        published_basis="argument" if published else "record",
        url=_field(record, "url"),
        title=_field(record, "title"),
        source=_field(record, "source"),
        origin=f"{name} line {number}",
        html=not use_text,
    )
    article.origin = name
    if html is not None:
        article.html = html
    return article


def _string(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) else None


def _field(record: dict[str, Any], key: str) -> str | None:
    """A record's string (or number, for ids) field, stripped; None when absent or empty."""
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None
