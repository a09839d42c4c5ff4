"""Faults during ingestion: a killed process, a locked SQLite file, a PostgreSQL server that restarts or stays
away. Each time every article ends up stored once, none lost and none half-stored (issue 8)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashpoint.errors import FlashpointError
from flashpoint.ingest import IngestReport, ingest, ingest_each
from flashpoint.pipeline import Pipeline
from flashpoint.sources import read_path
from flashpoint.store import EventQuery, Store, open_store

PAIRS = [("Pakistan", "Iran"), ("India", "China"), ("Russia", "Ukraine"), ("Israel", "Lebanon"), ("Turkey", "Syria")]
ACTS = [
    "{a} and {b} agreed on {day} to return their ambassadors, officials said.",
    "{a}'s foreign minister spoke with his {b} counterpart by phone on {day}.",
    "{a} accused {b} of shelling border villages on {day}, killing three people.",
    "{a} offered on {day} to help {b} rebuild roads damaged by floods.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday"]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    from flashpoint.api import default_pipeline

    return default_pipeline()


def write_corpus(path: Path, n: int) -> Path:
    """`n` distinct short stories, one JSON object per line, each with its id and date."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            a, b = PAIRS[i % len(PAIRS)]
            lines = [act.format(a=a, b=b, day=DAYS[(i + k) % len(DAYS)]) for k, act in enumerate(ACTS)]
            text = f"Story {i}. " + " ".join(lines[i % 4:] + lines[: i % 4]) + f" Reported from desk {i}."
            out.write(json.dumps({"id": f"story-{i:03d}", "text": text, "published": "2024-01-19"}) + "\n")
    return path


def events_per_article(store: Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    cursor = None
    while page := store.events(EventQuery(duplicates=True, limit=1000, cursor=cursor)):
        for event in page:
            counts[event.article_id] = counts.get(event.article_id, 0) + 1
        cursor = page[-1].id
    return counts


def stored_ids(store: Store) -> list[str]:
    return [row.article_id for row in store.dedup_rows()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> tuple[Path, dict[str, int]]:
    """The corpus and, as the reference, the events each article gets in one uninterrupted ingest."""
    folder = tmp_path_factory.mktemp("corpus")
    path = write_corpus(folder / "corpus.jsonl", 60)
    with open_store(folder / "reference.db") as store:
        ingest(read_path(path), store, pipeline=pipeline)
        assert len(stored_ids(store)) == 60
        return path, events_per_article(store)


def assert_whole(store: Store, reference: dict[str, int], *, complete: bool) -> None:
    """Each stored article once, with all its events; with `complete`, every article of the corpus."""
    ids = stored_ids(store)
    assert len(ids) == len(set(ids)), "an article was stored twice"
    counts = events_per_article(store)
    assert {i: counts.get(i, 0) for i in ids} == {i: reference.get(i, 0) for i in ids}, "an article is half-stored"
    if complete:
        assert sorted(ids) == sorted(f"story-{i:03d}" for i in range(60))


# -- kill -9 ---------------------------------------------------------------------------------------------------


def count_articles(url: str) -> int:
    try:
        with open_store(url) as store:
            return len(stored_ids(store))
    except FlashpointError:
        return 0


def ingest_command(corpus: Path, url: str) -> list[str]:
    return [sys.executable, "-m", "flashpoint", "ingest", str(corpus), "--db", url]


def test_fault_kill_9_mid_ingest_then_rerun_stores_every_article_once(
    store_url: str, corpus: tuple[Path, dict[str, int]]
) -> None:
    path, reference = corpus
    process = subprocess.Popen(ingest_command(path, store_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while count_articles(store_url) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with open_store(store_url) as store:
        before = len(stored_ids(store))
        assert 5 <= before < 60, f"the kill came too late to test anything ({before} stored)"
        assert_whole(store, reference, complete=False)
    done = subprocess.run(ingest_command(path, store_url), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{before} already stored" in done.stderr + done.stdout
    with open_store(store_url) as store:
        assert_whole(store, reference, complete=True)


# -- a locked SQLite file ----------------------------------------------------------------------------------------


def hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another writer's transaction on the file, held for `seconds` (it starts before this returns)."""
    started = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        connection.execute("ROLLBACK")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait()
    return thread


def test_fault_sqlite_locked_briefly_is_waited_for(
    tmp_path: Path, corpus: tuple[Path, dict[str, int]], pipeline: Pipeline
) -> None:
    path, reference = corpus
    db = tmp_path / "events.db"
    open_store(db).close()
    holder = hold_write_lock(db, 1.0)
    with open_store(db, timeout=20) as store:
        report = ingest(read_path(path), store, pipeline=pipeline)
        holder.join()
        assert report.stored == 60 and report.errored == 0
        assert_whole(store, reference, complete=True)


def test_fault_sqlite_locked_too_long_stops_with_a_clear_error_then_resumes(
    tmp_path: Path, corpus: tuple[Path, dict[str, int]], pipeline: Pipeline
) -> None:
    path, reference = corpus
    db = tmp_path / "events.db"
    with open_store(db, timeout=0.5) as store:
        report = IngestReport()
        with pytest.raises(FlashpointError) as raised:
            for done, _ in enumerate(ingest_each(read_path(path), store, report=report, pipeline=pipeline)):
                if done == 9:
                    holder = hold_write_lock(db, 3.0)
        holder.join()
        assert raised.value.code == "E411" and str(db) in raised.value.message
        assert 10 <= len(stored_ids(store)) < 60
        assert_whole(store, reference, complete=False)
        again = ingest(read_path(path), store, pipeline=pipeline)
        assert again.duplicates == len(stored_ids(store)) - again.stored
        assert_whole(store, reference, complete=True)


# -- PostgreSQL restarted or away ----------------------------------------------------------------------------


@pytest.fixture()
def own_postgres() -> Iterator[object]:
    """A private PostgreSQL server for one test, which the test may stop (as a crash) and start: with durable
    settings, since a server that skips fsync and synchronous commits loses acknowledged commits in a crash."""
    from flashpoint.store.testing import local_postgres, postgres_bindir

    if postgres_bindir() is None:
        if os.environ.get("FLASHPOINT_REQUIRE_PG"):
            pytest.fail("no PostgreSQL: apt-get install postgresql")
        pytest.skip("no PostgreSQL: apt-get install postgresql")
    with local_postgres(fast=False) as server:
        yield server


def test_fault_postgres_restart_mid_run_is_retried(
    own_postgres: object, corpus: tuple[Path, dict[str, int]], pipeline: Pipeline
) -> None:
    from flashpoint.store.testing import LocalPostgres

    assert isinstance(own_postgres, LocalPostgres)
    path, reference = corpus
    restart: threading.Thread | None = None
    with open_store(own_postgres.url, timeout=60) as store:
        report = IngestReport()
        for done, _ in enumerate(ingest_each(read_path(path), store, report=report, pipeline=pipeline)):
            if done == 9:
                own_postgres.stop()
                restart = threading.Timer(2.0, own_postgres.start)
                restart.start()
        assert restart is not None
        restart.join()
        assert report.stored == 60 and report.errored == 0
        assert_whole(store, reference, complete=True)


def test_fault_postgres_away_too_long_stops_with_a_clear_error_then_resumes(
    own_postgres: object, corpus: tuple[Path, dict[str, int]], pipeline: Pipeline
) -> None:
    from flashpoint.store.testing import LocalPostgres

    assert isinstance(own_postgres, LocalPostgres)
    path, reference = corpus
    with open_store(own_postgres.url, timeout=1) as store:
        report = IngestReport()
        with pytest.raises(FlashpointError) as raised:
            for done, _ in enumerate(ingest_each(read_path(path), store, report=report, pipeline=pipeline)):
                if done == 9:
                    own_postgres.stop()
        assert raised.value.code == "E413" and "127.0.0.1" in raised.value.message
    own_postgres.start()
    with open_store(own_postgres.url) as store:
        assert 10 <= len(stored_ids(store)) < 60
        assert_whole(store, reference, complete=False)
        ingest(read_path(path), store, pipeline=pipeline)
        assert_whole(store, reference, complete=True)


# -- a Dask worker killed ---------------------------------------------------------------------------------------


def test_fault_dask_worker_killed_mid_run_its_batches_are_redone(
    tmp_path: Path, corpus: tuple[Path, dict[str, int]]
) -> None:
    from flashpoint.engines import DaskEngine

    path, reference = corpus
    with DaskEngine(workers=2, batch_size=2) as engine, open_store(tmp_path / "events.db") as store:
        killed = next(iter(engine.client.run(os.getpid).values()))  # a worker's process id
        report = IngestReport()
        for done, _ in enumerate(ingest_each(read_path(path), store, report=report, engine=engine)):
            if done == 5:
                os.kill(killed, signal.SIGKILL)
        assert killed not in engine.client.run(os.getpid).values()
        assert report.stored == 60 and report.errored == 0
        assert_whole(store, reference, complete=True)
