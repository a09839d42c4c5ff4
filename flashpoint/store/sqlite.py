"""The embedded store: one SQLite file, no server (the standard library's sqlite3).

WAL mode lets a dashboard read while ingestion writes; a writer waits up to `timeout` seconds for
another writer's transaction to end (the busy timeout) before giving up with E411.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from ..errors import Errors, FlashpointError
from .sql import Cursor, SQLStore

MEMORY = ":memory:"


class SQLiteStore(SQLStore):
    """The store in an SQLite file (or in memory, for `path=":memory:"`)."""

    backend = "sqlite"

    def __init__(self, path: str, *, url: str | None = None, timeout: float = 30.0) -> None:
        super().__init__(url or f"sqlite:///{path}")
        self.timeout = timeout
        try:
            self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=timeout)
        except sqlite3.Error as error:
            raise FlashpointError(Errors.E402, url=self.url, detail=str(error)) from error
        try:
            self._configure(path)
            self._migrate()
        except BaseException:
            self._connection.close()
            raise

    def _configure(self, path: str) -> None:
        try:
            if path != MEMORY:
                self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = NORMAL")
            self._connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise FlashpointError(Errors.E402, url=self.url, detail=str(error)) from error

    def close(self) -> None:
        """Close the connection, first refreshing the planner's statistics where they are stale (cheaply)."""
        with self._lock:
            with suppress(sqlite3.Error):  # a locked or read-only store keeps its old statistics
                self._connection.execute("PRAGMA analysis_limit = 1000")
                self._connection.execute("PRAGMA optimize")
            self._connection.close()

    @contextmanager
    def _transaction(self, *, input: str | None = None) -> Iterator[Cursor]:
        with self._lock, self._errors(input):
            cursor = self._connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
                cursor.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise
            finally:
                cursor.close()

    @contextmanager
    def _reading(self) -> Iterator[Cursor]:
        with self._lock, self._errors(None):
            cursor = self._connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    @contextmanager
    def _errors(self, input: str | None) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise FlashpointError(Errors.E411, url=self.url, seconds=self.timeout, detail=str(error)) from error
            raise _failure(self.url, input, error) from error
        except sqlite3.Error as error:
            raise _failure(self.url, input, error) from error

    def _run_script(self, cursor: Cursor, script: str) -> None:
        """Run a migration statement by statement, inside the open transaction (`executescript` would commit)."""
        pending = ""
        for line in script.splitlines(keepends=True):
            pending += line
            if sqlite3.complete_statement(pending):
                cursor.execute(pending)
                pending = ""
        if pending.strip() and not _only_comments(pending):
            cursor.execute(pending)


def _failure(url: str, input: str | None, error: Exception) -> FlashpointError:
    if input is not None:
        return FlashpointError(Errors.E407, input=input, detail=str(error))
    return FlashpointError(Errors.E412, url=url, detail=str(error))


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())
