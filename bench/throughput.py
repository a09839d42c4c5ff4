"""Throughput and peak memory of the coder on each engine, against bare spaCy parsing, in one run.

    python bench/throughput.py [--articles 200] [--steps parse,fast-parse,inprocess,dask-1,dask-2]

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
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("parse", "fast-parse", "inprocess", "dask-1", "dask-2")
TIME_AND_PLACE = ("time", "places")


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
    list(nlp.pipe(cleaned[:8]))  # warm up
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
    list(pipeline.pipe([read_text(t, id="w") for t in texts[:8]]))  # warm up
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
        list(engine.run([read_text(t, id=f"w{i}") for i, t in enumerate(texts[: 2 * workers])]))  # warm up
        articles = [read_text(text, id=str(i), published="2024-01-19") for i, text in enumerate(texts)]
        before = engine.client.run(_worker_usage)
        start = time.perf_counter()
        events = sum(len(article.events) for article in engine.run(articles))
        seconds = time.perf_counter() - start
        after = engine.client.run(_worker_usage)
    assert events > 0
    cpu = sum(after[worker][0] - before[worker][0] for worker in after)
    return {"seconds": seconds, "cpu": cpu, "peak_mb": max(peak for _, peak in after.values()),
            "client_mb": _peak_mb()}


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


def report(results: dict[str, dict[str, Any]]) -> None:
    print(f"{'step':10} {'articles/s':>10} {'per core':>9} {'words/s':>8} {'peak MB':>8}  load (start-end)")
    for step, r in results.items():
        rate, per_core = r["articles"] / r["seconds"], r["articles"] / r["cpu"]
        load = "{:.2f}-{:.2f}".format(*r["load"])
        print(f"{step:10} {rate:10.1f} {per_core:9.1f} {r['words'] / r['seconds']:8.0f} {r['peak_mb']:8.0f}  {load}")
    n = next(iter(results.values()))
    print(f"{n['articles']} articles of ~{n['words'] // n['articles']} words; {os.cpu_count()} cores")
    if "parse" in results and "inprocess" in results:
        ratio = results["parse"]["seconds"] / results["inprocess"]["seconds"]
        print(f"coder keeps {ratio:.2f}x of bare parsing throughput (goal >= 0.80)")
    if "inprocess" in results:
        stages = results["inprocess"]["stages"]
        total = sum(stages.values())
        print("stage shares: " + ", ".join(f"{name} {seconds / total:.1%}" for name, seconds in stages.items()))
        share = sum(stages.get(name, 0.0) for name in TIME_AND_PLACE) / total
        print(f"time and place stages: {share:.1%} of the pipeline's time (goal <= 15%)")
    if "dask-1" in results and "dask-2" in results:
        one, two = (results[f"dask-{k}"] for k in (1, 2))
        best = max(r["articles"] / r["seconds"] for r in results.values() if not r["step"].endswith("parse"))
        print(f"2 workers: {one['seconds'] / two['seconds']:.2f}x one worker (goal >= 1.8); best coder rate "
              f"{best:.1f} articles/s (goal >= 25); largest worker {max(one['peak_mb'], two['peak_mb']):.0f} MB "
              "(goal < 1500)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated, from: " + ", ".join(STEPS))
    parser.add_argument("--child", choices=STEPS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.articles)
        return
    report({step: measure(step, args.articles) for step in args.steps.split(",")})


if __name__ == "__main__":
    main()
