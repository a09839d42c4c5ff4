"""Each bad input of tests/bad_inputs.py in a batch between two good articles: what happened, the counts of
articles in / stored / errored / lost, the time and the peak memory of the whole ingest.

    python bench/bad_input.py            # every kind, each in a fresh process (its own peak memory)

`lost` counts articles read that the store does not hold afterwards; it must be 0. Peak memory includes the
spaCy model and the gazetteer (about 350 MB before any article).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bad_inputs import GOOD, GOOD_OTHER, KINDS, Kind  # noqa: E402 - after the path set-up


def run_kind(kind: Kind) -> dict[str, object]:
    from flashpoint.ingest import IngestReport, ingest_each
    from flashpoint.sources import read_paths
    from flashpoint.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "before.txt").write_text(GOOD)
        kind.write(tmp / kind.file)
        (tmp / "after.txt").write_text(GOOD_OTHER)
        report = IngestReport()
        started = time.perf_counter()
        with open_store(tmp / "events.db") as store:
            articles = list(ingest_each(read_paths([tmp / "before.txt", tmp / kind.file, tmp / "after.txt"]),
                                        store, report=report))
            lost = sum(store.get_article(article.id) is None for article in articles)
        seconds = time.perf_counter() - started
    codes = [error["code"] for article in articles for error in article.errors]
    return {
        "kind": kind.name, "expected": kind.code or "coded", "got": ",".join(codes) or "coded",
        "in": report.read, "stored": report.stored, "errored": report.errored, "lost": lost,
        "seconds": round(seconds, 1), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "message": next((error["message"] for article in articles for error in article.errors), ""),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", help="run one kind in this process and print its row as JSON")
    args = parser.parse_args()
    if args.kind:
        print(json.dumps(run_kind(next(kind for kind in KINDS if kind.name == args.kind))))
        return
    print(f"| input | expected | got | in | stored | errored | lost | s | peak MB |\n|{'---|' * 9}")
    for kind in KINDS:
        done = subprocess.run([sys.executable, __file__, "--kind", kind.name], capture_output=True, text=True)
        if done.returncode:
            print(f"| {kind.name} | {kind.code or 'coded'} | CRASHED (rc {done.returncode}) |||||||")
            print(done.stderr[-2000:], file=sys.stderr)
            continue
        row = json.loads(done.stdout.splitlines()[-1])
        print(f"| {row['kind']} | {row['expected']} | {row['got']} | {row['in']} | {row['stored']} | "
              f"{row['errored']} | {row['lost']} | {row['seconds']} | {row['peak_mb']} |")


if __name__ == "__main__":
    main()
