"""WARC web archives (warcio) to Articles: one per HTML page the crawler received whole.

A record is kept when it is a `response` with HTTP status 200 and an HTML content type; every other
record is skipped and counted by reason in a `WarcReport` ("request", "HTTP 404", "not HTML (image/png)").
A kept record becomes an Article with `url` = WARC-Target-URI, `fetched` = WARC-Date (when the page was
archived; never taken as its publication date) and id = the canonical URL (the WARC-Record-ID when there is
no http(s) URL). A truncated or corrupt record ends the reading with one error Article (E113) naming the
file and the byte offset; the records before it are kept.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import Errors, FlashpointError
from ..model import Article
from .detect import decode
from .documents import DEFAULT_MAX_BYTES, read_text, stem
from .feeds import HTML_TYPES, url_id

WARC_MAGIC = b"WARC/"
GZIP_MAGIC = b"\x1f\x8b"


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def tell(self) -> int: ...


@dataclass
class WarcReport:
    """What reading one WARC file did: records seen, kept as articles, and skipped by reason."""

    name: str
    records: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        reasons = ", ".join(f"{count} {reason}" for reason, count in sorted(self.skipped.items()))
        kept = f"{self.name}: {self.records} WARC records, {self.kept} kept"
        return f"{kept}; skipped {reasons}" if reasons else kept


def is_warc(name: str, head: bytes) -> bool:
    """Whether a file is a WARC: by its suffix (.warc, .warc.gz) or by the WARC/1.x magic, gzipped or not."""
    if name.lower().endswith((".warc", ".warc.gz")) or head.startswith(WARC_MAGIC):
        return True
    if not head.startswith(GZIP_MAGIC):
        return False
    try:
        return zlib.decompressobj(wbits=31).decompress(head, len(WARC_MAGIC)).startswith(WARC_MAGIC)
    except zlib.error:
        return False


def read_warc(
    stream: Readable, *, name: str, report: WarcReport | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article]:
    """The Articles of a WARC stream (plain or gzipped), counting what is kept and skipped in `report`."""
    from warcio.archiveiterator import ArchiveIterator

    report = report if report is not None else WarcReport(name)
    iterator = ArchiveIterator(stream)
    offset = iterator.offset
    try:
        for record in iterator:
            if record.length is None or not record.rec_type:
                raise EOFError("its headers are incomplete")
            report.records += 1
            article = _article(record, name=name, offset=offset, report=report, max_bytes=max_bytes)
            iterator.read_to_end()
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise EOFError("the record ends before its Content-Length")
            offset = iterator.offset  # where the next record starts
            if article is not None:
                report.kept += 1
                yield article
        if offset < iterator.fh.tell():
            raise EOFError("an incomplete record at the end")
    except Exception as error:  # noqa: BLE001 - warcio raises many kinds (even AttributeError) on damaged input
        yield _broken(name, offset, detail=str(error) or type(error).__name__)
    finally:
        iterator.close()


def _article(record: Any, *, name: str, offset: int, report: WarcReport, max_bytes: int) -> Article | None:
    """The record's Article (an error Article when its page cannot be read), or None when it is skipped."""
    reason = _skip_reason(record)
    if reason is not None:
        report.skipped[reason] += 1
        return None
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    article_id = url_id(url) if url else str(headers.get_header("WARC-Record-ID") or "").strip("<>")
    where = f"{name} offset {offset}"
    try:
        data = record.content_stream().read(max_bytes + 1)
        if len(data) > max_bytes:
            raise FlashpointError(Errors.E108, input=where, size=record.length, limit=max_bytes)
        article = read_text(decode(data, name=where), id=article_id, url=url, origin=where, html=True)
    except FlashpointError as error:
        article = Article(id=article_id, url=url, origin=where, errors=[error.to_dict()])
    article.fetched = headers.get_header("WARC-Date")
    return article


def _skip_reason(record: Any) -> str | None:
    if record.rec_type != "response":
        return str(record.rec_type)
    if record.http_headers is None:
        return "response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if status != "200":
        return f"HTTP {status}"
    kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return None if kind in HTML_TYPES else f"not HTML ({kind or 'no content type'})"


def _broken(name: str, offset: int, *, detail: str) -> Article:
    error = FlashpointError(Errors.E113, input=name, offset=offset, detail=detail)
    return Article(id=f"{stem(name)}@{offset}", origin=f"{name} offset {offset}", errors=[error.to_dict()])
