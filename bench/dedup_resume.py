"""Resuming an ingest over a big store: the time and memory to make a `StoreDeduplicator`, and of `.add`.

    python bench/dedup_resume.py [--db /tmp/api1m.db] [--events 200000] [--texts 50000] [--window 50000]
        [--new 20]

The store is a copy of `--db` (bench/api_load.py's store: 1,000,000 synthetic events of 200,000 articles) or,
where that file is missing, a store of `--events` synthetic events bulk-loaded with bench/store.py's loader.
The copy is first made to look like an ingested store: each event's JSON record is given its row's type,
CAMEO code, date, modality and countries (the loader writes one template record for all), every article a
content hash, and the first and the last `--texts` articles a text and a MinHash signature (random), as
deduplication records them. Then it prints the time and the peak memory (the process's peak RSS) of opening
the copy (its migrations, once), of making `StoreDeduplicator(store, near_window=--window)`, and of `.add` for
`--new` new articles of 5 events each on the busiest dyads (each article stored first, as ingestion does) and
an exact copy of the oldest article. The goal is a resume in seconds. Figures depend on the machine: say which
one when you quote them.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashpoint.dedup import _HEADER, _MAGIC, _SIGNATURE_VERSION, content_hash  # noqa: E402 - after the path set-up
from flashpoint.deduplicate import NEAR_WINDOW, StoreDeduplicator  # noqa: E402
from flashpoint.model import Actor, Article, Event, Evidence  # noqa: E402
from flashpoint.store import Store, open_store  # noqa: E402

API_STORE = Path("/tmp/api1m.db")
# The event records as the loader's rows say (the template's actors keep their names: the countries count).
RECORDS = """
UPDATE events SET record = json_set(record, '$.type', type, '$.cameo', cameo, '$.quad_class', quad_class,
    '$.date', date, '$.modality.hypothetical', json(CASE WHEN hypothetical THEN 'true' ELSE 'false' END),
    '$.source[0].country', (SELECT country FROM event_actors WHERE event_id = events.id AND role = 'source'),
    '$.target[0].country', (SELECT country FROM event_actors WHERE event_id = events.id AND role = 'target'))
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stored_copy(source: Path, folder: Path, n_events: int) -> Path:
    """A copy of the store at `source`, or a new one of `n_events` synthetic events where it is missing."""
    path = folder / "store.db"
    if source.exists():
        shutil.copyfile(source, path)
        return path
    spec = importlib.util.spec_from_file_location("bench_store", ROOT / "bench" / "store.py")
    assert spec is not None and spec.loader is not None
    loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    with open_store(f"sqlite:///{path}") as store:
        loader.bulk_load(store, n_events)
    return path


def make_ingested(store: Any, texts: int, seed: int = 5) -> None:
    """Give the copy what an ingest records (the bench's shortcut through the connection, as bench/store.py)."""
    rng = np.random.default_rng(seed)
    connection = store._connection
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("BEGIN")
    connection.execute(RECORDS)
    connection.execute("UPDATE articles SET content_hash = 'bench:' || id")
    latest = "SELECT id FROM articles ORDER BY ingested_at DESC, id DESC LIMIT ?"
    oldest = "SELECT id FROM articles ORDER BY ingested_at, id LIMIT 1"
    ids = [row[0] for row in connection.execute(f"SELECT * FROM ({oldest}) UNION SELECT * FROM ({latest})", (texts,))]
    header = _HEADER.pack(_MAGIC, _SIGNATURE_VERSION, 128, 1, 3)
    rows = []
    for article_id in ids:
        text = f"Story {article_id}: " + " ".join(f"w{word}" for word in rng.integers(0, 5000, 60))
        signature = header + rng.integers(0, 2**32, 128, dtype=np.uint64).astype("<u4").tobytes()
        rows.append((text, content_hash(text), signature, article_id))
    connection.executemany("UPDATE articles SET text = ?, content_hash = ?, signature = ? WHERE id = ?", rows)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.execute("PRAGMA synchronous = NORMAL")


def new_articles(store: Store, count: int, seed: int = 7) -> list[Article]:
    """`count` new stories of 5 events each on the busiest dyads, then an exact copy of the oldest article."""
    rng = random.Random(seed)
    dyads = [(dyad.a, dyad.b) for dyad in store.top_dyads(limit=10)]
    articles = []
    for number in range(count):
        events = []
        for _ in range(5):
            a, b = rng.choice(dyads)
            day = f"{rng.choice([2022, 2023, 2024])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            events.append(Event(type="ASSAULT", mode=None, context=None, cameo="190", quad_class=4, intensity=-9.0,
                                goldstein=-10.0, evidence=Evidence("troops attacked", 0, 15), date=day,
                                date_precision="day", source=[Actor(a, a, a)], target=[Actor(b, b, b)]))  # fmt: skip
        text = " ".join(f"n{rng.randrange(5000)}" for _ in range(80))
        articles.append(Article(id=f"new-{number}", raw=text, text=text, source=f"outlet-{number}", events=events))
    oldest = next(store.dedup_rows())
    articles.append(Article(id="copy-of-oldest", raw=f"copy {oldest.text}", text=oldest.text.upper()))
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=API_STORE, help="the store to copy (bench/api_load.py's)")
    parser.add_argument("--events", type=int, default=200_000, help="synthetic events, where --db is missing")
    parser.add_argument("--texts", type=int, default=50_000, help="articles given a text and a signature")
    parser.add_argument("--window", type=int, default=NEAR_WINDOW, help="StoreDeduplicator's near_window")
    parser.add_argument("--new", type=int, default=20, help="new articles to add")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        start = time.perf_counter()
        path = stored_copy(args.db, Path(folder), args.events)
        print(f"store: a copy of {args.db}" if args.db.exists() else f"store: {args.events:,} synthetic events")
        print(f"  copied or built in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        with open_store(f"sqlite:///{path}") as store:
            print(f"  opened (migrations) in {time.perf_counter() - start:.1f} s")
            start = time.perf_counter()
            make_ingested(store, args.texts)
            print(f"  made to look ingested in {time.perf_counter() - start:.1f} s ({args.texts:,} with texts)")
            articles = new_articles(store, args.new)
            before = peak_mb()
            start = time.perf_counter()
            deduplicator = StoreDeduplicator(store, near_window=args.window)
            made = time.perf_counter() - start
            print(f"StoreDeduplicator(store, near_window={args.window:,}): {made:.2f} s, "
                  f"peak RSS {peak_mb():.0f} MB ({before:.0f} MB before)")  # fmt: skip
            times = []
            for article in articles:
                store.add_article(article)
                start = time.perf_counter()
                found = deduplicator.add(article)
                times.append(time.perf_counter() - start)
            median, most = statistics.median(times) * 1000, max(times) * 1000
            print(f".add of {len(articles) - 1} new articles (5 events each) and a copy: median {median:.0f} ms, "
                  f"max {most:.0f} ms, total {sum(times):.2f} s; peak RSS {peak_mb():.0f} MB")  # fmt: skip
            print(f"  the copy of the oldest article: {found}")


if __name__ == "__main__":
    main()
