"""Files (and stdin) to Articles: `.jsonl` to one Article per line, HTML or plain text to one Article,
a WARC archive (`.warc`, `.warc.gz`, or sniffed) to one Article per HTML page (`flashpoint.sources.warc`).

A folder is read recursively, its files with known suffixes in sorted order (hidden files and folders are
left out); a path that does not exist but holds `*`, `?` or `[` is a glob pattern (`**` spans folders),
its matching files read in sorted order. E114 when a folder or a pattern gives no file.

By default a problem with a whole file (missing, empty, binary, undecodable, too big) does not raise:
`read_path` yields one Article carrying the error, so that a batch over many paths never stops. Pass
`strict=True` to have those problems raised as `FlashpointError` instead (the one-file CLI case). Bad
lines of a JSONL file are always kept as error Articles, in order, and reading goes on.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path, PurePath
from typing import BinaryIO

from ..errors import Errors, FlashpointError
from ..model import Article
from .detect import SNIFF_BYTES, binary_kind, looks_like_jsonl, parse_date
from .documents import DEFAULT_MAX_BYTES, HTML_SUFFIXES, read_bytes, stem
from .jsonl import read_records
from .warc import WarcReport, is_warc, read_warc

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"}) | HTML_SUFFIXES
WARC_SUFFIXES = (".warc", ".warc.gz")
GLOB_CHARACTERS = frozenset("*?[")
STDIN = "-"
_CHUNK = 1 << 16


def read_paths(
    paths: Iterable[str | Path],
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    strict: bool = False,
    warc_reports: list[WarcReport] | None = None,
) -> Iterator[Article]:
    """The Articles of many paths, in order (see `read_path`)."""
    for path in paths:
        yield from read_path(
            path, published=published, max_bytes=max_bytes, strict=strict, warc_reports=warc_reports
        )


def read_path(
    path: str | Path,
    *,
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    strict: bool = False,
    warc_reports: list[WarcReport] | None = None,
) -> Iterator[Article]:
    """The Articles of one path ("-" reads bytes from stdin; a folder or a glob pattern, its files), in order.

    `published` (YYYY-MM-DD) overrides every date in the input; a bad value raises E110 at once, since
    it is the caller's mistake, not the file's. `max_bytes` caps a text/HTML document or a JSONL line.
    File-level errors are yielded as an Article with `errors` set, or raised when `strict` is true. Each WARC
    file read appends its `WarcReport` (records kept and skipped, by reason) to `warc_reports` when given.
    """
    name = str(path)
    day = parse_date(published, name=f"{name} (published argument)")
    reports = warc_reports if warc_reports is not None else []
    return _read_all_of(name, published=day, max_bytes=max_bytes, strict=strict, reports=reports)


def _read_all_of(
    name: str, *, published: str | None, max_bytes: int, strict: bool, reports: list[WarcReport]
) -> Iterator[Article]:
    try:
        names = expand_path(name)
    except FlashpointError as error:
        if strict:
            raise
        yield _failed(name, error)
        return
    for each in names:
        yield from _read(each, published=published, max_bytes=max_bytes, strict=strict, reports=reports)


def expand_path(name: str) -> list[str]:
    """The files a path stands for: itself, a folder's known files, or a glob pattern's matches (E114: none)."""
    path = Path(name)
    if name != STDIN and path.is_dir():
        found = sorted(str(each) for each in path.rglob("*") if _known_file(each, path))
        where = "in the folder"
    elif name != STDIN and not path.exists() and GLOB_CHARACTERS & set(name):
        found = sorted(each for each in glob.glob(name, recursive=True) if Path(each).is_file())
        where = "match the pattern"
    else:
        return [name]
    if not found:
        raise FlashpointError(Errors.E114, input=name, where=where)
    return found


def _known_file(path: Path, folder: Path) -> bool:
    hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
    lower = path.name.lower()
    known = path.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES or lower.endswith(WARC_SUFFIXES)
    return known and not hidden and path.is_file()


def _read(
    name: str, *, published: str | None, max_bytes: int, strict: bool, reports: list[WarcReport]
) -> Iterator[Article]:
    try:
        yield from _dispatch(name, published=published, max_bytes=max_bytes, reports=reports)
    except FlashpointError as error:
        if strict:
            raise
        yield _failed(name, error)
    except OSError as problem:
        unreadable = FlashpointError(Errors.E111, input=name, detail=problem.strerror or repr(problem))
        if strict:
            raise unreadable from problem
        yield _failed(name, unreadable)


def _failed(name: str, error: FlashpointError) -> Article:
    """The Article that stands for an input that could not be read at all."""
    return Article(id=stem(name), origin=name, errors=[error.to_dict()])


def _dispatch(name: str, *, published: str | None, max_bytes: int, reports: list[WarcReport]) -> Iterator[Article]:
    with _open(name) as stream:
        head = stream.read(SNIFF_BYTES)
        if is_warc(name, head):
            reports.append(report := WarcReport(name))
            for article in read_warc(_Joined(head, stream), name=name, report=report, max_bytes=max_bytes):
                if published and article.ok:
                    article.published, article.published_basis = published, "argument"
                yield article
            return
        suffix = PurePath(name).suffix.lower()
        kind = binary_kind(head)
        if kind is not None:
            raise FlashpointError(Errors.E103, input=name, kind=kind)
        if suffix in JSONL_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_jsonl(head)):
            lines = _lines(head, stream)
            yield from read_records(
                lines, name=name, stem=stem(name), published=published, max_bytes=max_bytes
            )
            return
        data = _read_all(head, stream, name=name, max_bytes=max_bytes)
    yield read_bytes(data, name=name, published=published, max_bytes=max_bytes)


def _open(name: str) -> AbstractContextManager[BinaryIO]:
    """The file opened for bytes; stdin's buffer is handed out without being closed afterwards."""
    if name == STDIN:
        return nullcontext(sys.stdin.buffer)
    try:
        return Path(name).open("rb")
    except FileNotFoundError as error:
        raise FlashpointError(Errors.E101, input=name) from error


def _read_all(head: bytes, stream: BinaryIO, *, name: str, max_bytes: int) -> bytes:
    """`head` and the rest of the stream, raising E108 past `max_bytes` (stdin has no size to stat)."""
    data = head + stream.read(max(max_bytes - len(head), 0) + 1)
    if len(data) > max_bytes:
        size = len(data) + sum(len(chunk) for chunk in iter(lambda: stream.read(_CHUNK), b""))
        raise FlashpointError(Errors.E108, input=name, size=size, limit=max_bytes)
    return data


def _lines(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """The lines of `head` followed by the rest of `stream`, read in chunks (JSONL may be large)."""
    pending = head
    while True:
        *lines, pending = pending.split(b"\n")
        yield from lines
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        pending += chunk
    if pending:
        yield pending


class _Joined:
    """`head` then the rest of `stream`, as one readable, tellable stream (for warcio, which sniffs itself)."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head, self._stream, self._position = head, stream, 0

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            data, self._head = self._head + self._stream.read(), b""
        elif self._head:
            data, self._head = self._head[:size], self._head[size:]
        else:
            data = self._stream.read(size)
        self._position += len(data)
        return data

    def tell(self) -> int:
        return self._position
