"""What the app holds while it runs: its settings, a small pool of open stores, and a short-lived
answer cache.

Requests borrow a store from the pool, so that several read the database at once (SQLite in WAL mode lets
readers run beside a writer); an in-memory SQLite store is one database per connection, so its pool holds
one store. A request waits for a free store on the event loop (`lend`), never in a worker thread: threads
blocked on the pool could otherwise take every worker and leave none to the requests holding the stores.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..store import Store, open_store

MEMORY_URLS = ("sqlite://", ":memory:")


@dataclass(frozen=True)
class Settings:
    """How the app was started. An empty `token` disables writes; `protect_reads` asks the token on reads too."""

    store_url: str = field(repr=False)  # may hold a password
    token: str = field(default="", repr=False)
    protect_reads: bool = False
    pool_size: int = 4
    cache_seconds: float = 30.0
    max_batch: int = 20

    @property
    def writable(self) -> bool:
        return bool(self.token)


class StorePool:
    """Up to `size` open stores of one URL, opened on first need and handed out one request at a time."""

    def __init__(self, url: str, size: int) -> None:
        self.url = url
        self.size = 1 if url in MEMORY_URLS else max(1, size)
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self._slots: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def lend(self) -> AsyncIterator[Store]:
        """A store for one request: waits (without a thread) for one of the pool's `size` slots."""
        from starlette.concurrency import run_in_threadpool

        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        async with self._slots:
            store = await run_in_threadpool(self._take)  # idle, or opened now: a slot means one is free
            try:
                yield store
            finally:
                self._idle.put(store)

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        store = self._take()
        try:
            yield store
        finally:
            self._idle.put(store)

    def _take(self) -> Store:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if len(self._opened) < self.size:
                store = open_store(self.url)
                self._opened.append(store)
                return store
        return self._idle.get()

    def first(self) -> Store:
        """Open the first store now (so a bad URL fails at start-up, not on the first request)."""
        with self.borrow() as store:
            return store

    def close(self) -> None:
        """Close every store; a later request opens new ones (a closed store is never lent)."""
        with self._lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
            while not self._idle.empty():
                self._idle.get_nowait()


class AnswerCache:
    """Answers (rendered event pages, series, turning points) kept for `seconds`, all dropped when the app writes.

    Another process writing to the store is seen once an answer expires. An expired answer is still served,
    for up to `seconds` more, while one request computes its replacement (`stale`), so that an expiry does not
    send every waiting client to the database at once; `pending` holds, per key, the event a computation sets
    when done (touched from the event loop only).
    """

    def __init__(self, seconds: float, size: int = 512) -> None:
        self.seconds = seconds
        self.size = size
        self._answers: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self.pending: dict[tuple[Any, ...], asyncio.Event] = {}

    def lookup(self, key: tuple[Any, ...]) -> tuple[Any, Any]:
        """(fresh answer or None, expired answer still fit to serve or None)."""
        with self._lock:
            found = self._answers.get(key)
        if found is None:
            return None, None
        age = time.monotonic() - found[0]
        if age < self.seconds:
            return found[1], None
        return None, found[1] if age < 2 * self.seconds else None

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The fresh answer, or None."""
        return self.lookup(key)[0]

    def put(self, key: tuple[Any, ...], answer: Any) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._answers.pop(key, None)
            if len(self._answers) >= self.size:
                self._answers.pop(next(iter(self._answers)))
            self._answers[key] = (time.monotonic(), answer)

    def get(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """The fresh answer, else `compute()` (cached)."""
        found = self.peek(key)
        if found is None:
            found = compute()
            self.put(key, found)
        return found

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
