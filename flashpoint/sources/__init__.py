"""Readers: files, folders, globs, stdin, JSON Lines, HTML or plain text, WARC archives in; `Article`s out.

- `read_path(path)` / `read_paths(paths)` yield Articles and never stop a batch for one bad input: a
  file or line that cannot be read becomes an Article whose `errors` say why (`strict=True` raises
  file-level problems instead).
- `read_text(text)` / `read_bytes(data, name=...)` make one Article from a document in memory and raise
  `FlashpointError` when it cannot be read.
- Feeds and fetching (`feeds.py`, `fetch.py`) serve `flashpoint.watch`; see docs/sources.md.
"""

from __future__ import annotations

from .detect import decode, looks_like_html, parse_date
from .documents import DEFAULT_MAX_BYTES, read_bytes, read_text
from .files import expand_path, read_path, read_paths
from .warc import WarcReport, read_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "WarcReport",
    "decode",
    "expand_path",
    "looks_like_html",
    "parse_date",
    "read_bytes",
    "read_path",
    "read_paths",
    "read_text",
    "read_warc",
]
