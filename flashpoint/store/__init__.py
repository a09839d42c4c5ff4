"""The store: coded articles in SQLite (embedded, the default) or PostgreSQL (shared), behind one interface.

    from flashpoint.store import EventQuery, open_store

    with open_store("sqlite:///flashpoint.db") as store:        # or postgresql://user@host/db
        store.add_article(article)
        page = store.events(EventQuery(dyad=("IRN", "PAK"), since="2024-01-01"))
        points = store.series("IRN", "PAK", interval="week")

The tables, the migrations and the URL forms are described in docs/store.md.
"""

from __future__ import annotations

import os
import re

from ..errors import Errors, FlashpointError
from .base import AddResult, DedupRow, DyadCount, EventQuery, Store, StoredCluster, StoredEvent
from .records import input_hash

__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "AddResult",
    "DedupRow",
    "DyadCount",
    "EventQuery",
    "Store",
    "StoredCluster",
    "StoredEvent",
    "display_url",
    "input_hash",
    "open_store",
    "resolve_url",
]

DEFAULT_URL = "sqlite:///flashpoint.db"
ENV_VAR = "FLASHPOINT_DB"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def resolve_url(url: str | os.PathLike[str] | None = None) -> str:
    """The store address to use: `url`, else $FLASHPOINT_DB, else `sqlite:///flashpoint.db`."""
    return os.fspath(url) if url else os.environ.get(ENV_VAR) or DEFAULT_URL


def open_store(url: str | os.PathLike[str] | None = None, *, timeout: float = 30.0) -> Store:
    """Open (creating and migrating as needed) the store at `url` (see `resolve_url`).

    `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB` (or `postgres://`) opens PostgreSQL; `sqlite:///PATH`,
    a plain file path (str or Path), or `sqlite://` / `:memory:` (in memory) open SQLite. `timeout` is how
    long, in seconds, a call waits for the database: for another SQLite writer to finish (then E411), or for
    a lost PostgreSQL connection to come back (then E413). Raises E401 for another scheme, E402/E403 when
    the database cannot be opened.
    """
    url = resolve_url(url)
    if url.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(url, display_url=display_url(url), retry_seconds=timeout)
    from .sqlite import MEMORY, SQLiteStore

    if url in ("sqlite://", MEMORY):
        return SQLiteStore(MEMORY, url="sqlite://", timeout=timeout)
    if url.startswith("sqlite:///"):
        return SQLiteStore(url[len("sqlite:///"):], url=url, timeout=timeout)
    if _SCHEME.match(url):
        raise FlashpointError(Errors.E401, url=display_url(url))
    return SQLiteStore(url, timeout=timeout)


def display_url(url: str) -> str:
    """The URL with any password replaced by `***`, for messages."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*):[^@/]*@", r"\1:***@", url)
