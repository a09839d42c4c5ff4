"""The shared store: a PostgreSQL database, through psycopg 3, for a team that ingests and reads together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import Errors, FlashpointError
from . import hide_password
from .sql import RETRY_SECONDS, ConnectionLost, Cursor, SQLStore

# Memory for a query's sorts and hashes before they spill to disk (PostgreSQL's default is 4MB): a series of
# the busiest dyad of a million events groups some 60,000 rows.
WORK_MEM = "64MB"
# The key of the advisory lock held while migrating (any fixed number; "flsp" in ASCII).
MIGRATION_LOCK = 0x666C7370


class PostgresStore(SQLStore):
    """The store in a PostgreSQL database, given by a `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB` URL."""

    backend = "postgres"
    like = "ILIKE"
    version_table_exists = "SELECT to_regclass('schema_version') IS NOT NULL"

    def __init__(self, url: str, *, display_url: str | None = None, retry_seconds: float = RETRY_SECONDS) -> None:
        super().__init__(display_url or url, retry_seconds=retry_seconds)
        try:
            import psycopg
        except ImportError as error:
            raise FlashpointError(Errors.E404, url=self.url) from error
        self._psycopg: Any = psycopg
        self._address = url
        try:
            self._connection = self._connect()
        except psycopg.Error as error:
            detail = self._detail(error)
            # a driver message that quoted the password is not chained either (tracebacks print the cause)
            cause = error if detail == _detail(error) else None
            raise FlashpointError(Errors.E403, url=self.url, detail=detail) from cause
        try:
            self._migrate()
        except BaseException:
            self._connection.close()
            raise

    def _connect(self) -> Any:
        connection = self._psycopg.connect(self._address, autocommit=True, connect_timeout=10)
        connection.execute("SELECT set_config('work_mem', %s, false)", (WORK_MEM,))
        return connection

    def _reconnect(self) -> None:
        with self._lock:
            self._connection.close()
            try:
                self._connection = self._connect()
            except self._psycopg.OperationalError as error:
                raise ConnectionLost(self._detail(error)) from error

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def _transaction(self, *, input: str | None = None) -> Iterator[Cursor]:
        with self._lock, self._errors(input), self._connection.transaction(), self._connection.cursor() as cursor:
            yield cursor

    @contextmanager
    def _reading(self) -> Iterator[Cursor]:
        with self._lock, self._errors(None), self._connection.cursor() as cursor:
            yield cursor

    @contextmanager
    def _errors(self, input: str | None) -> Iterator[None]:
        try:
            yield
        except self._psycopg.Error as error:
            if self._connection.closed or self._connection.broken:
                raise ConnectionLost(self._detail(error)) from error
            if input is not None:
                raise FlashpointError(Errors.E407, input=input, detail=self._detail(error)) from error
            raise FlashpointError(Errors.E412, url=self.url, detail=self._detail(error)) from error

    def _detail(self, error: Exception) -> str:
        """The driver's message on one line, without the password of the address."""
        return hide_password(_detail(error), self._address)

    def _sql(self, text: str) -> str:
        return text.replace("%", "%%").replace("?", "%s")

    def _insert_ids(self, cursor: Cursor, sql: str, rows: list[tuple[Any, ...]]) -> list[int]:
        """One pipelined batch instead of a round trip per row."""
        if not rows:
            return []
        cursor.executemany(self._sql(sql), rows, returning=True)
        ids = []
        while True:
            ids.append(cursor.fetchone()[0])
            if not cursor.nextset():
                return ids

    def _lock_schema(self, cursor: Cursor) -> None:
        self._execute(cursor, "SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))

    def _run_script(self, cursor: Cursor, script: str) -> None:
        cursor.execute(script)  # no parameters: psycopg sends the whole file, statements and all

    def _pairs_text(self, key: str, value: str) -> str:
        return f"json_object_agg({key}, {value})::text"


def _detail(error: Exception) -> str:
    return " ".join(str(error).split())
