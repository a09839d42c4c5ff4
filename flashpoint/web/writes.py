"""POST /api/articles: records like the JSONL reader's, coded with the default pipeline and stored.

Each record goes through the JSONL reader (`flashpoint.sources.jsonl`), so a bad record gets the same error
codes as a bad JSONL line (E107 no text, E110 bad date...) and is stored with its errors, as ingestion does.
A record without an id gets one from its content ("api-" and 16 hex digits), so posting it again is a no-op.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

from ..errors import Errors, FlashpointError
from ..ingest import IngestReport, ingest_each
from ..model import Article
from ..sources.jsonl import read_records
from ..store import Store

SOURCE_NAME = "POST /api/articles"
MAX_RECORD_BYTES = 2 * 1024 * 1024  # one record (an article page); a longer one is stored with error E108
MAX_BODY_BYTES = 16 * 1024 * 1024
# one article at a time through the pipeline: spaCy models are not made to be shared between threads
_CODING = threading.Lock()


def body_limit(max_batch: int) -> int:
    return min(max_batch * MAX_RECORD_BYTES, MAX_BODY_BYTES)


def parse_body(body: bytes, *, max_batch: int) -> list[dict[str, Any]]:
    """The records of a request body: one JSON object, or a list of 1 to `max_batch` objects."""
    limit = body_limit(max_batch)
    if len(body) > limit:
        raise FlashpointError(Errors.E462, size=len(body), limit=limit)
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FlashpointError(Errors.E460, detail=str(error)) from error
    except RecursionError as error:
        raise FlashpointError(Errors.E460, detail="nested too deeply") from error
    records = [data] if isinstance(data, dict) else data
    if not isinstance(records, list) or not 1 <= len(records) <= max_batch:
        kind = f"a list of {len(records)}" if isinstance(records, list) else type(data).__name__
        raise FlashpointError(Errors.E461, limit=max_batch, kind=kind)
    if not all(isinstance(record, dict) for record in records):
        raise FlashpointError(Errors.E461, limit=max_batch, kind="a list with something other than objects")
    for number, record in enumerate(records, 1):
        if problem := _unstorable(record):
            raise FlashpointError(Errors.E467, number=number, problem=problem)
    return records


def _unstorable(value: Any) -> str | None:
    """What no store keeps in a string of `value` (keys too): a NUL character (PostgreSQL refuses it) or an
    unpaired surrogate (not UTF-8); None when there is neither."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
        elif isinstance(item, str) and "\x00" in item:
            return "a NUL character (\\u0000)"
        elif isinstance(item, str) and not _is_utf8(item):
            return "an unpaired surrogate (\\ud800-\\udfff)"
    return None


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def to_articles(records: list[dict[str, Any]]) -> list[Article]:
    lines = [json.dumps(_with_id(record), ensure_ascii=False).encode("utf-8") for record in records]
    return list(read_records(lines, name=SOURCE_NAME, stem="api", published=None, max_bytes=MAX_RECORD_BYTES))


def _with_id(record: dict[str, Any]) -> dict[str, Any]:
    """The record with an id: its own (a string or number, as the JSONL reader takes), else one from its text
    or html, else from the whole record (so that two different records never share an id)."""
    given = record.get("id")
    if not isinstance(given, bool) and isinstance(given, str | int | float) and str(given).strip():
        return record
    body = next((record[key] for key in ("text", "html") if isinstance(record.get(key), str)), None)
    content = json.dumps(record if body is None else body, ensure_ascii=False, sort_keys=True, default=str)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    return record | {"id": f"api-{digest}"}


def ingest_records(store: Store, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Code and store the records; the report and, per record, whether it was stored and its errors."""
    report = IngestReport()
    articles = to_articles(records)
    results = []
    with _CODING:
        stored_before = {article.id: store.find_article(article) for article in articles}
        for article in ingest_each(articles, store, report=report):
            results.append(_result(article, stored_before.get(article.id)))
    return {
        "read": report.read,
        "stored": report.stored,
        "duplicates": report.duplicates,
        "errored": report.errored,
        "events": report.events,
        "copies": report.copies,
        "articles": results,
    }


def _result(article: Article, duplicate_of: str | None) -> dict[str, Any]:
    status = "duplicate" if duplicate_of else "stored" if article.ok else "error"
    return {
        "id": article.id,
        "status": status,
        "duplicate_of": duplicate_of,
        "events": len(article.events),
        "errors": list(article.errors),
    }
