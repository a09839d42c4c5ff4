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
from urllib.parse import unquote

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
    "hide_password",
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


# The password of `scheme://user:password@host`: everything from the user's ':' to the last '@', so that a
# password holding '@', '/' or '?' is hidden whole (a query holding '@' hides a little more than needed).
_USER_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@?#]*):(.*)@")
# libpq's `?password=` (and `sslpassword=`) parameters
_PASSWORD_PARAMETER = re.compile(r"([?&](?:ssl)?password=)([^&#]*)", re.IGNORECASE)


def display_url(url: str) -> str:
    """The URL with any password (after the user name, or a `password=` parameter) as `***`, for messages."""
    shown = _USER_PASSWORD.sub(r"\1:***@", url, count=1)
    return _PASSWORD_PARAMETER.sub(r"\1***", shown)


def hide_password(text: str, url: str) -> str:
    """`text` (a driver's error message, say) with `url` shown as `display_url` and its password, as written
    or percent-decoded, as `***`."""
    text = text.replace(url, display_url(url))
    for secret in sorted(_passwords(url), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _passwords(url: str) -> set[str]:
    found = [match[2] for match in [_USER_PASSWORD.match(url)] if match]
    found += [match[2] for match in _PASSWORD_PARAMETER.finditer(url)]
    # as written, percent-decoded, and each piece between '@'s (libpq ends the password at the first '@')
    variants = {variant for secret in found for variant in (secret, unquote(secret))}
    return {piece for variant in variants for piece in (variant, *variant.split("@")) if piece}
