"""The API under load: latency (p50, p99) and requests/s of the events and series endpoints at 50 clients.

    python bench/api_load.py [--events 1000000] [--clients 50] [--seconds 15] [--db PATH]

A store of N synthetic events is bulk-loaded with `bench/store.py`'s loader (its 40 countries C00-C39 are
renamed to ISO-like three-letter codes afterwards, since the API takes only those), then served by a real
uvicorn server in its own process. Each of `--clients` concurrent clients (a keep-alive connection of a
minimal asyncio HTTP/1.1 client, all in one event loop) sends requests back to back for `--seconds` seconds
per case, cycling through the 10 busiest dyads:

- `GET /api/events?dyad=A-B` (first page, 100 events; and page 11, 1,000 events in, by its cursor),
- `GET /api/dyads/A/B/series` (daily, over the whole three years: about 1,100 points),

first with the answer cache off (every request computed from the store; one client, then all), then with the
server's default 30 s cache (each answer computed once, then served from memory).
The goal is p99 < 100 ms. Client and server share the machine: say which one when you quote the figures.
`--db PATH` keeps (or reuses) the loaded store there.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashpoint.store import open_store  # noqa: E402 - after the path set-up

# 40 three-letter codes for bench/store.py's countries C00..C39, busiest first (its Zipf ranks).
CODES = [
    "USA", "CHN", "RUS", "IRN", "PAK", "IND", "ISR", "UKR", "TUR", "SAU", "GBR", "FRA", "DEU", "JPN", "KOR", "PRK",
    "SYR", "IRQ", "AFG", "EGY", "NGA", "ETH", "SDN", "YEM", "LBN", "QAT", "ARE", "JOR", "BRA", "MEX", "COL", "VEN",
    "ARG", "ZAF", "KEN", "SOM", "MLI", "NER", "LBY", "DZA",
]
GOAL_P99_MS = 100.0


def bench_store_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_store", ROOT / "bench" / "store.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_store"] = module
    spec.loader.exec_module(module)
    return module


def load(path: Path, n_events: int) -> None:
    """Bulk-load the synthetic events (bench/store.py) and give their countries three-letter codes."""
    with open_store(f"sqlite:///{path}") as store:
        bench_store_module().bulk_load(store, n_events)
        connection = store._connection  # type: ignore[attr-defined]  # the bench's shortcut, as bench/store.py
        connection.execute("CREATE TEMP TABLE codes (old TEXT PRIMARY KEY, new TEXT)")
        connection.executemany("INSERT INTO codes VALUES (?, ?)", [(f"C{i:02d}", code) for i, code in enumerate(CODES)])
        connection.execute("BEGIN")
        for table, columns in (("event_actors", ("country", "name", "text")), ("event_dyads", ("source", "target"))):
            assignments = ", ".join(f"{column} = (SELECT new FROM codes WHERE old = {table}.{column})"
                                    for column in columns)
            connection.execute(f"UPDATE {table} SET {assignments}")
        connection.execute("COMMIT")
        connection.execute("ANALYZE")


@contextmanager
def server(db: Path, *, cache_seconds: float) -> Iterator[str]:
    """A uvicorn server over the store in a child process; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = (f"from flashpoint.web import serve; serve({f'sqlite:///{db}'!r}, port={port}, token='', "
            f"cache_seconds={cache_seconds})")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still draining queued requests
            process.kill()
            process.wait()


@dataclass
class Result:
    label: str
    latencies: list[float]
    errors: int
    seconds: float

    def line(self) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        verdict = "ok" if p99 < GOAL_P99_MS and not self.errors else "OVER GOAL" if not self.errors else "ERRORS"
        return (f"  {self.label:<44} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   "
                f"{len(ordered) / self.seconds:7.1f} req/s   {len(ordered):6d} requests   "
                f"{self.errors} errors   {verdict}")


class Connection:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams: GET, status and Content-Length body.

    httpx costs more CPU per request than the server does; on a small machine it would measure itself.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: application/json\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def hammer(base: str, label: str, urls: list[str], *, clients: int, seconds: float) -> Result:
    """`clients` concurrent connections looping over `urls` for `seconds`, each request timed."""
    host, port = base.removeprefix("http://").split(":")
    connections = [Connection(host, int(port)) for _ in range(clients)]
    for url in urls:  # warm-up: every answer once
        await connections[0].get(url)
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def loop(number: int) -> None:
        nonlocal errors
        turn = number
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                status = await asyncio.wait_for(connections[number].get(urls[turn % len(urls)]), timeout=60)
                errors += status != 200
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                errors += 1
                connections[number] = Connection(host, int(port))
            latencies.append(time.perf_counter() - start)
            turn += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop(number) for number in range(clients)))
    elapsed = time.perf_counter() - started
    for connection in connections:
        await connection.close()
    return Result(label, latencies, errors, elapsed)


def cases(base: str) -> dict[str, list[str]]:
    dyads = httpx.get(f"{base}/api/dyads", params={"limit": 10}, timeout=120).json()["dyads"]
    pairs = [(dyad["a"], dyad["b"]) for dyad in dyads]
    later = []
    for a, b in pairs:  # a cursor 1,000 events into the dyad: page 11 of 100
        page = httpx.get(f"{base}/api/events", params={"dyad": f"{a}-{b}", "limit": 1000}, timeout=120).json()
        later.append(f"/api/events?dyad={a}-{b}" + (f"&cursor={page['next_cursor']}" if page["next_cursor"] else ""))
    return {
        "events?dyad= (10 busiest, first page)": [f"/api/events?dyad={a}-{b}" for a, b in pairs],
        "events?dyad= (10 busiest, page 11 by cursor)": later,
        "dyads/A/B/series (10 busiest, daily)": [f"/api/dyads/{a}/{b}/series" for a, b in pairs],
    }


def run(db: Path, *, clients: int, seconds: float) -> None:
    runs = [(0.0, 1, "answer cache off, one client (the cost of one request)"),
            (0.0, clients, "answer cache off"), (30.0, clients, "answer cache 30 s (the default)")]
    for cache_seconds, concurrent, title in runs:
        with server(db, cache_seconds=cache_seconds) as base:
            print(f"{title}, {concurrent} clients, {seconds:.0f} s a case:")
            for label, urls in cases(base).items():
                result = asyncio.run(hammer(base, label, urls, clients=concurrent, seconds=seconds))
                print(result.line(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="synthetic events in the store")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=15, help="duration of each case")
    parser.add_argument("--db", type=Path, help="keep the loaded store here (reused when it exists)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "api_load.db"
        if not db.exists():
            start = time.perf_counter()
            load(db, args.events)
            print(f"loaded {args.events:,} synthetic events in {time.perf_counter() - start:.0f} s ({db})")
        print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, SQLite store")
        run(db, clients=args.clients, seconds=args.seconds)


if __name__ == "__main__":
    main()
