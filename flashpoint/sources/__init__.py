"""Readers: files, stdin, JSON Lines, HTML or plain text in; `Article` objects out.

- `read_path(path)` / `read_paths(paths)` yield Articles and never stop a batch for one bad input: a
  file or line that cannot be read becomes an Article whose `errors` say why (`strict=True` raises
  file-level problems instead).
- `read_text(text)` / `read_bytes(data, name=...)` make one Article from a document in memory and raise
  `FlashpointError` when it cannot be read.
"""

from __future__ import annotations

from .detect import decode, looks_like_html, parse_date
from .documents import DEFAULT_MAX_BYTES, read_bytes, read_text
from .files import read_path, read_paths

__all__ = [
    "DEFAULT_MAX_BYTES",
    "decode",
    "looks_like_html",
    "parse_date",
    "read_bytes",
    "read_path",
    "read_paths",
    "read_text",
]
