"""Throughput and peak memory of the coder on each engine, against bare spaCy parsing, in one run.

    python bench/throughput.py [--articles 200] [--steps parse,fast-parse,inprocess,dask-1,dask-2] [--rounds 3]

The corpus is the bundled sample article (about 550 words) with its sentences shuffled into N distinct
articles (seeded), so every article has the sample's length and vocabulary. The steps, each in a fresh
process so that its peak memory (ru_maxrss) is its own:

- `parse`: bare spaCy, the model as `spacy.load` gives it, over the cleaned texts (stories and embedded
  statements: the texts the coder parses), one process: the floor the coder is measured against;
- `fast-parse`: the same as flashpoint parses (`flashpoint.nlp`: numpy BLAS on one thread, cached ruler);
- `inprocess`: the whole default pipeline (clean, parse, actors, events, time, places) in one process,
  timing each stage;
- `dask-N`: the same pipeline on a local Dask cluster of N worker processes (`flashpoint.engines.DaskEngine`),
  the cluster started and the models loaded before the clock starts; memory is the largest worker's.

Rates are wall-clock articles/s; `per core` divides the articles by the CPU seconds the coding processes
used, which other work on the machine disturbs less. The 1-minute load average is printed beside each step.
Each coding process first codes `WARM_UP` articles untimed (a Dask worker also codes the bundled sample when
the engine starts). With `--rounds N` every step runs N times, the steps interleaved, and the median is
printed with the range; the 2-worker ratio is taken within each round, so a machine whose speed drifts
(this one varies by ~25%) disturbs it less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("parse", "fast-parse", "inprocess", "dask-1", "dask-2")
TIME_AND_PLACE = ("time", "places")
WARM_UP = 8  # articles each coding process codes before the clock starts (its caches filled as in a long run)


def corpus(n: int, seed: int = 7) -> list[str]:
    from flashpoint.samples import sample_text

    lines = sample_text().splitlines()
    rng = random.Random(seed)
    articles = []
    for _ in range(n):
        shuffled = lines[:]
        rng.shuffle(shuffled)
        articles.append("\n".join(shuffled))
    return articles


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_parse(texts: list[str], *, fast: bool) -> dict[str, Any]:
    from contextlib import nullcontext

    from flashpoint.clean import Cleaner
    from flashpoint.nlp import load_nlp, one_blas_thread
    from flashpoint.sources import read_text

    articles = [Cleaner()(read_text(text, id=str(i))) for i, text in enumerate(texts)]
    cleaned = [article.text for article in articles]
    cleaned += [statement.text for article in articles for statement in article.statements]
    nlp = load_nlp(fast=fast)
    list(nlp.pipe(cleaned[:WARM_UP]))  # warm up
    start, cpu = time.perf_counter(), _cpu()
    with one_blas_thread() if fast else nullcontext():
        for _ in nlp.pipe(cleaned, batch_size=32):
            pass
    return {"seconds": time.perf_counter() - start, "cpu": _cpu() - cpu, "peak_mb": _peak_mb()}


def run_inprocess(texts: list[str]) -> dict[str, Any]:
    import flashpoint
    from flashpoint.pipeline import tune_gc
    from flashpoint.sources import read_text

    pipeline = flashpoint.default_pipeline()
    list(pipeline.pipe([read_text(t, id="w") for t in texts[:WARM_UP]]))  # warm up
    tune_gc()  # as `flashpoint ingest` and the engines' workers do
    articles = [read_text(text, id=str(i), published="2024-01-19") for i, text in enumerate(texts)]
    pipeline.timings = dict.fromkeys(pipeline.timings, 0.0)
    start, cpu = time.perf_counter(), _cpu()
    events = sum(len(article.events) for article in pipeline.pipe(articles, batch_size=32))
    seconds = time.perf_counter() - start
    assert events > 0
    return {"seconds": seconds, "cpu": _cpu() - cpu, "peak_mb": _peak_mb(), "stages": pipeline.timings}


def _worker_usage() -> tuple[float, float]:
    return _cpu(), _peak_mb()


def run_dask(texts: list[str], workers: int) -> dict[str, Any]:
    from flashpoint.engines import DaskEngine
    from flashpoint.sources import read_text

    with DaskEngine(workers=workers, batch_size=16) as engine:
        list(engine.run([read_text(t, id=f"w{i}") for i, t in enumerate(texts[: WARM_UP * workers])]))  # warm up
        articles = [read_text(text, id=str(i), published="2024-01-19") for i, text in enumerate(texts)]
        before = engine.client.run(_worker_usage)
        start, client_cpu = time.perf_counter(), _cpu()
        events = sum(len(article.events) for article in engine.run(articles))
        seconds, client_cpu = time.perf_counter() - start, _cpu() - client_cpu
        after = engine.client.run(_worker_usage)
    assert events > 0
    cpu = sum(after[worker][0] - before[worker][0] for worker in after)
    return {"seconds": seconds, "cpu": cpu, "peak_mb": max(peak for _, peak in after.values()),
            "client_mb": _peak_mb(), "client_cpu": client_cpu}


def child(step: str, n: int) -> None:
    texts = corpus(n)
    load = os.getloadavg()[0]
    if step in ("parse", "fast-parse"):
        record = run_parse(texts, fast=step == "fast-parse")
    elif step == "inprocess":
        record = run_inprocess(texts)
    else:
        record = run_dask(texts, int(step.split("-")[1]))
    words = sum(len(text.split()) for text in texts)
    print(json.dumps(record | {"step": step, "articles": n, "words": words, "load": [load, os.getloadavg()[0]]}))


def measure(step: str, n: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", step, "--articles", str(n)],
                         capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _rate(record: dict[str, Any]) -> float:
    return float(record["articles"] / record["seconds"])


def _spread(values: list[float], digits: int = 1) -> str:
    """The median, with the range when there are several values."""
    middle, low, high = (f"{value:.{digits}f}" for value in (statistics.median(values), min(values), max(values)))
    return middle if len(values) == 1 else f"{middle} ({low}-{high})"


def report(rounds: list[dict[str, dict[str, Any]]]) -> None:
    """Each step's median over the rounds (range in brackets); ratios are taken within a round."""
    print(f"{'step':10} {'articles/s':>18} {'per core':>18} {'peak MB':>8}  load (start-end)")
    for step in rounds[0]:
        records = [results[step] for results in rounds]
        rates, per_core = [_rate(r) for r in records], [r["articles"] / r["cpu"] for r in records]
        loads = ", ".join("{:.2f}-{:.2f}".format(*r["load"]) for r in records)
        peak = max(r["peak_mb"] for r in records)
        print(f"{step:10} {_spread(rates):>18} {_spread(per_core):>18} {peak:8.0f}  {loads}")
    first = next(iter(rounds[0].values()))
    print(f"{first['articles']} articles of ~{first['words'] // first['articles']} words; {os.cpu_count()} cores; "
          f"{len(rounds)} round(s)")
    if "parse" in rounds[0] and "inprocess" in rounds[0]:
        ratios = [results["parse"]["seconds"] / results["inprocess"]["seconds"] for results in rounds]
        print(f"coder keeps {_spread(ratios, 2)}x of bare parsing throughput (goal >= 0.80)")
    if "inprocess" in rounds[0]:
        names = rounds[0]["inprocess"]["stages"]
        stages = {name: sum(results["inprocess"]["stages"][name] for results in rounds) for name in names}
        total = sum(stages.values())
        print("stage shares: " + ", ".join(f"{name} {seconds / total:.1%}" for name, seconds in stages.items()))
        share = sum(stages.get(name, 0.0) for name in TIME_AND_PLACE) / total
        print(f"time and place stages: {share:.1%} of the pipeline's time (goal <= 15%)")
    if "dask-1" in rounds[0] and "dask-2" in rounds[0]:
        ratios = [results["dask-1"]["seconds"] / results["dask-2"]["seconds"] for results in rounds]
        coders = [max(_rate(r) for r in results.values() if not r["step"].endswith("parse")) for results in rounds]
        largest = max(results[f"dask-{k}"]["peak_mb"] for results in rounds for k in (1, 2))
        print(f"2 workers: {_spread(ratios, 2)}x one worker (goal >= 1.8); best coder rate {_spread(coders)} "
              f"articles/s (goal >= 25); largest worker {largest:.0f} MB (goal < 1500)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated, from: " + ", ".join(STEPS))
    parser.add_argument("--rounds", type=int, default=1, help="run every step this many times, interleaved")
    parser.add_argument("--child", choices=STEPS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.articles)
        return
    steps = args.steps.split(",")
    report([{step: measure(step, args.articles) for step in steps} for _ in range(args.rounds)])


if __name__ == "__main__":
    main()
