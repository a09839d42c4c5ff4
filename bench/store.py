"""The store's speed: ingest rate of coded articles, and a dyad series on a store of a million events.

    python bench/store.py [--articles 1000] [--events 1000000] [--backend sqlite|postgres|both]

Ingest: the bundled sample, coded once (13 events, 40 mentions, 2 statements), stored N times under new
ids through `Store.add_article` (one transaction per article), so the figure is the store's, not the NLP's.
Series: N synthetic events (5 per article, dates over three years, 40 countries drawn from a Zipf law, so
the busiest dyad holds about 5% of them) bulk-loaded into the tables, then `Store.series` timed for the
busiest dyad (daily, weekly, the last 90 days) and a middling one; each figure is the median (and the
best) of 5 runs after a first one. The goal is under 0.5 s.

PostgreSQL runs on $FLASHPOINT_TEST_PG (a server where a database may be created) or on a private
cluster started from the installed server binaries (durable settings: fsync on); without either it is
skipped. Figures depend on the machine: say which one when you quote them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashpoint.model import Article, Event  # noqa: E402 - after the path set-up
from flashpoint.store import Store, open_store  # noqa: E402
from flashpoint.store.records import monday, to_json  # noqa: E402

COUNTRIES = 40
EVENTS_PER_ARTICLE = 5
DAYS = 3 * 365
FIRST_DAY = date(2022, 1, 1)
TYPES = [("ASSAULT", 4, "190", -9.0, -10.0), ("CONSULT", 1, "040", 2.5, 1.0), ("ACCUSE", 3, "112", -3.0, -2.0),
         ("AID", 2, "070", 10.0, 7.0), ("THREATEN", 3, "138", -3.5, -7.0), ("COOPERATE", 2, "060", 9.5, 6.0)]


def coded_sample() -> Article:
    import flashpoint
    from flashpoint.samples import sample_text

    article = flashpoint.code(sample_text(), published="2024-01-19", id="sample")
    article.doc, article.statement_docs = None, []
    return article


def bench_ingest(store: Store, sample: Article, n: int) -> float:
    copies = [replace(sample, id=f"copy-{i}", raw=f"{sample.raw}\n{i}") for i in range(n)]
    start = time.perf_counter()
    for article in copies:
        store.add_article(article)
    return n / (time.perf_counter() - start)


# -- synthetic events, bulk-loaded ---------------------------------------------------------------------------


def synthetic_rows(n_events: int, seed: int = 11) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(table, row) in load order: the article, then each event, its actors and its dyad."""
    rng = random.Random(seed)
    countries = [f"C{i:02d}" for i in range(COUNTRIES)]
    weights = [1 / (rank + 1) for rank in range(COUNTRIES)]
    template = to_json(asdict(_prototype()))
    event_id = 0
    for number in range(n_events // EVENTS_PER_ARTICLE):
        article_id = f"syn-{number}"
        day = (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()
        outlet = f"outlet-{rng.randrange(300)}"
        yield "articles", (article_id, None, None, day, "record", outlet, None, "en", "", None,
                           "2024-01-01T00:00:00.000000+00:00", "bench", EVENTS_PER_ARTICLE, None, "{}")
        for ordinal in range(EVENTS_PER_ARTICLE):
            event_id += 1
            source, target = rng.choices(countries, weights, k=2)
            while target == source:
                target = rng.choices(countries, weights)[0]
            kind, quad, cameo, intensity, goldstein = rng.choice(TYPES)
            when = (date.fromisoformat(day) - timedelta(days=rng.randrange(3))).isoformat()
            asserted = rng.random() > 0.05
            yield "events", (event_id, article_id, ordinal, kind, None, None, cameo, quad, intensity, goldstein, when,
                             "day", "relative", None, None, None, False, not asserted, False, False, False,
                             0.8, None, "synthetic evidence", outlet, "bench", template)
            yield "event_actors", (event_id, "source", 0, source, source, source, "GOV", None, None, None)
            yield "event_actors", (event_id, "target", 0, target, target, target, None, None, None, None)
            yield "event_dyads", (source, target, when, monday(when), event_id, article_id, "day", asserted, False,
                                  quad, intensity, goldstein, outlet, f"{article_id}:{ordinal}")


def _prototype() -> Event:
    from flashpoint.model import Actor, Evidence

    return Event(type="ASSAULT", mode=None, context=None, cameo="190", quad_class=4, intensity=-9.0, goldstein=-10.0,
                 evidence=Evidence("synthetic evidence", 0, 18), source=[Actor("C00", "C00", "C00")],
                 target=[Actor("C01", "C01", "C01")], date="2024-01-01", date_precision="day", confidence=0.8)


COLUMNS = {
    "articles": "id, title, url, published, published_basis, source, origin, language, text, input_hash, ingested_at,"
                " coder_version, n_events, error_codes, record",
    "events": "id, article_id, ordinal, type, mode, context, cameo, quad_class, intensity, goldstein, date,"
              " date_precision, date_basis, date_end, place_id, location_country, negated, hypothetical, future,"
              " historical, reported, confidence, statement, evidence, outlet, coder_version, record",
    "event_actors": "event_id, role, ordinal, name, text, country, sector, office, person, location",
    "event_dyads": "source, target, date, week, event_id, article_id, date_precision, asserted, historical,"
                   " quad_class, intensity, goldstein, outlet, cluster",
}


def bulk_load(store: Any, n_events: int) -> None:
    """Write the synthetic rows straight into the tables (the bench's shortcut, not an API)."""
    if store.backend == "sqlite":
        _load_sqlite(store, n_events)
    else:
        _load_postgres(store, n_events)


def _load_sqlite(store: Any, n_events: int) -> None:
    connection = store._connection
    connection.execute("PRAGMA synchronous = OFF")
    statements = {table: f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(cols.split(',')))})"
                  for table, cols in COLUMNS.items()}
    connection.execute("BEGIN")
    batch: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
    for table, row in synthetic_rows(n_events):
        batch[table].append(row)
        if len(batch["event_actors"]) >= 50_000:
            _flush(connection, statements, batch)
    _flush(connection, statements, batch)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.execute("PRAGMA synchronous = NORMAL")


def _flush(connection: Any, statements: dict[str, str], batch: dict[str, list[tuple[Any, ...]]]) -> None:
    for table in COLUMNS:  # articles before their events, events before their actors
        connection.executemany(statements[table], batch[table])
        batch[table].clear()


def _load_postgres(store: Any, n_events: int) -> None:
    connection = store._connection
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
    for table, row in synthetic_rows(n_events):
        rows[table].append(row)
    with connection.transaction(), connection.cursor() as cursor:
        for table, cols in COLUMNS.items():
            with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(row)
            rows[table].clear()
        cursor.execute("SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events))")
    connection.execute("VACUUM ANALYZE")


def busiest_dyads(store: Store) -> list[tuple[str, str]]:
    top = store.top_dyads(limit=60)
    return [(top[0].a, top[0].b), (top[-1].a, top[-1].b)]


def timed(call: Callable[[], object], repeat: int = 5) -> str:
    """The median and the best of `repeat` runs after a first one (the best shows the machine unloaded)."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return f"{statistics.median(times):.3f} s (best {min(times):.3f} s)"


def bench_series(store: Store, n_events: int) -> None:
    start = time.perf_counter()
    bulk_load(store, n_events)
    print(f"  bulk load of {n_events:,} events: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    (a, b), (c, d) = busiest_dyads(store)
    print(f"  top_dyads over everything: {time.perf_counter() - start:.2f} s")
    busiest = sum(p.events for p in store.series(a, b))
    middling = sum(p.events for p in store.series(c, d))
    cases = [
        (f"busiest dyad {a}-{b} ({busiest:,} events), daily", lambda: store.series(a, b)),
        (f"busiest dyad {a}-{b}, weekly", lambda: store.series(a, b, interval="week")),
        (f"busiest dyad {a}-{b}, last 90 days", lambda: store.series(a, b, since="2024-10-01", until="2024-12-30")),
        (f"middling dyad {c}-{d} ({middling:,} events), daily", lambda: store.series(c, d)),
    ]
    for label, call in cases:
        print(f"  series, {label}: {timed(call)}")


@contextmanager
def postgres_server() -> Iterator[str | None]:
    """$FLASHPOINT_TEST_PG, or a private durable cluster when the server binaries are installed, or None."""
    from flashpoint.store.testing import postgres_bindir, temporary_postgres

    if server := os.environ.get("FLASHPOINT_TEST_PG"):
        yield server
    elif postgres_bindir() is not None:
        with temporary_postgres(fast=False) as server:
            yield server
    else:
        yield None


@contextmanager
def store_at(backend: str, folder: str, server: str | None, name: str) -> Iterator[Store]:
    from flashpoint.store.testing import temporary_database

    if backend == "sqlite":
        with open_store(f"sqlite:///{folder}/{name}.db") as store:
            yield store
        return
    assert server is not None
    with temporary_database(server) as url, open_store(url) as store:
        yield store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="coded articles to ingest")
    parser.add_argument("--events", type=int, default=1_000_000, help="synthetic events for the series")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    sample = coded_sample()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        server = stack.enter_context(postgres_server()) if "postgres" in backends else None
        for backend in backends:
            if backend == "postgres" and server is None:
                print("postgres: skipped (no server: apt-get install postgresql, or set FLASHPOINT_TEST_PG)")
                continue
            print(f"{backend}:")
            with store_at(backend, folder, server, "ingest") as store:
                rate = bench_ingest(store, sample, args.articles)
            print(f"  ingest: {rate:.0f} articles/s ({rate * len(sample.events):.0f} events/s) of "
                  f"{args.articles} coded articles, one transaction each")
            with store_at(backend, folder, server, "series") as store:
                bench_series(store, args.events)


if __name__ == "__main__":
    main()
