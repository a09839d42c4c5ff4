"""Throughput and peak memory of the full coder against bare spaCy parsing of the same texts, in one run.

    python bench/throughput.py [--articles 200] [--repeat-sample]

The corpus is the bundled sample article (about 550 words) with its sentences shuffled into N distinct
articles (seeded), so every article has the sample's length and vocabulary. Bare parsing runs spaCy's
`nlp.pipe` over the cleaned texts (the stories and their embedded statements: the texts the coder
parses); the coder runs the whole default pipeline (clean, parse, actors, events, time, places), timing each stage.
Each step runs in a fresh process so that peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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


def run_parse(texts: list[str]) -> float:
    from flashpoint.clean import Cleaner
    from flashpoint.nlp import load_nlp
    from flashpoint.sources import read_text

    articles = [Cleaner()(read_text(text, id=str(i))) for i, text in enumerate(texts)]
    cleaned = [article.text for article in articles]
    cleaned += [statement.text for article in articles for statement in article.statements]
    nlp = load_nlp()
    list(nlp.pipe(cleaned[:8]))  # warm up
    start = time.perf_counter()
    for _ in nlp.pipe(cleaned, batch_size=32):
        pass
    return time.perf_counter() - start


def run_code(texts: list[str]) -> float:
    import flashpoint
    from flashpoint.sources import read_text

    pipeline = flashpoint.default_pipeline()
    list(pipeline.pipe([read_text(t, id="w") for t in texts[:8]]))  # warm up
    articles = [read_text(text, id=str(i), published="2024-01-19") for i, text in enumerate(texts)]
    start = time.perf_counter()
    pipeline.timings = dict.fromkeys(pipeline.timings, 0.0)
    events = sum(len(article.events) for article in pipeline.pipe(articles, batch_size=32))
    assert events > 0
    STAGE_SECONDS.update(pipeline.timings)
    return time.perf_counter() - start


STAGE_SECONDS: dict[str, float] = {}
TIME_AND_PLACE = ("time", "places")


def child(step: str, n: int) -> None:
    texts = corpus(n)
    seconds = run_parse(texts) if step == "parse" else run_code(texts)
    words = sum(len(text.split()) for text in texts)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record = {"step": step, "seconds": seconds, "articles": n, "words": words, "peak_mb": peak_mb}
    print(json.dumps(record | {"stages": STAGE_SECONDS}))


def measure(step: str, n: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", step, "--articles", str(n)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--child", choices=["parse", "code"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.articles)
        return
    results = {step: measure(step, args.articles) for step in ("parse", "code")}
    for step, r in results.items():
        rate = r["articles"] / r["seconds"]
        print(f"{step:6} {rate:7.1f} articles/s  {r['words'] / r['seconds']:8.0f} words/s  peak {r['peak_mb']:.0f} MB")
    ratio = results["parse"]["seconds"] / results["code"]["seconds"]
    print(f"coder keeps {ratio:.2f}x of bare parsing throughput (goal >= 0.80); "
          f"{results['code']['articles']} articles of ~{results['code']['words'] // results['code']['articles']} words")
    stages = results["code"]["stages"]
    total = sum(stages.values())
    print("stage shares: " + ", ".join(f"{name} {seconds / total:.1%}" for name, seconds in stages.items()))
    share = sum(stages.get(name, 0.0) for name in TIME_AND_PLACE) / total
    print(f"time and place stages: {share:.1%} of the pipeline's time (goal <= 15%)")


if __name__ == "__main__":
    main()
