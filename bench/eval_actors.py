"""Evaluate the actors stage on ConfliBERT sentences with gold source/target spans, and time it.

    python bench/eval_actors.py [--data PATH] [--show N] [--repeat N]

Coverage: share of gold source/target spans that hold an actor mention (fully inside the span), and that
overlap one; of the rest, how many hold a place the finder deliberately does not code as an actor
("in Syria"). Country accuracy: over gold spans that name a country, demonym or capital, share whose
first actor mention (not a pronoun) carries one of the countries the span names. Speed: spaCy parse time
against find_mentions time, on the ConfliBERT sentences and on the sample repeated into one long article.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flashpoint.actors import find_mentions
from flashpoint.actors.lexicon import matchers_for
from flashpoint.model import Mention
from flashpoint.nlp import load_nlp

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/work/shared/eval/conflibert_train.jsonl")
SAMPLE = ROOT / "flashpoint" / "samples" / "pakistan-iran-2024-01-19.txt"
COUNTRY_TABLES = frozenset({"country", "demonym", "capital"})


@dataclass
class Gold:
    role: str
    text: str
    start: int
    end: int


def token_offsets(text: str, tokens: list[str]) -> list[tuple[int, int]] | None:
    """Char offsets of each gold token in the text, found left to right; None if a token is missing."""
    offsets, position = [], 0
    for token in tokens:
        found = text.find(token, position)
        if found < 0:
            return None
        offsets.append((found, found + len(token)))
        position = found + len(token)
    return offsets


def gold_spans(row: dict[str, Any]) -> list[Gold]:
    offsets = token_offsets(row["text"], row["tokens"])
    if offsets is None:
        return []
    spans = []
    for span in row["spans"]:
        start, end = offsets[span["start_tok"]][0], offsets[span["end_tok"] - 1][1]
        spans.append(Gold(span["role"], row["text"][start:end], start, end))
    return spans


def named_countries(doc: Any, gold: Gold) -> set[str]:
    """Countries the gold span names through a country, demonym or capital phrase."""
    found = set()
    for span, entry in matchers_for(doc.vocab)(doc):
        inside = span.start_char >= gold.start and span.end_char <= gold.end
        if inside and entry.table in COUNTRY_TABLES and entry.country:
            found.add(entry.country)
    return found


def score(rows: list[dict[str, Any]], docs: list[Any], mentions: list[list[Mention]], show: int) -> None:
    counts: Counter[str] = Counter()
    misses = []
    for row, doc, found in zip(rows, docs, mentions, strict=True):
        actors = [mention for mention in found if mention.actor is not None]
        for gold in gold_spans(row):
            counts["spans"] += 1
            inside = [m for m in actors if m.start >= gold.start and m.end <= gold.end]
            overlap = [m for m in actors if m.start < gold.end and m.end > gold.start]
            counts["inside"] += bool(inside)
            counts["overlap"] += bool(overlap)
            if not overlap:
                misses.append(gold.text)
                places = [m for m in found if m.kind == "place" and m.start < gold.end and m.end > gold.start]
                counts["place_only"] += bool(places)
            expected = named_countries(doc, gold)
            if expected:
                counts["named"] += 1
                named = [m for m in inside or overlap if m.kind != "pronoun"]
                first = named[0] if named else None
                counts["country_ok"] += bool(first and first.actor and first.actor.country in expected)
    report(counts)
    for text in misses[:show]:
        print(f"  missed: {text}")


def report(counts: Counter[str]) -> None:
    spans, named = counts["spans"] or 1, counts["named"] or 1
    print(f"gold spans: {counts['spans']}")
    print(f"coverage (a mention inside the span): {counts['inside'] / spans:.3f}")
    print(f"coverage (a mention overlapping the span): {counts['overlap'] / spans:.3f}")
    print(f"uncovered spans that hold a place ('in Syria', coded as no actor): {counts['place_only']}")
    print(f"spans naming a country: {counts['named']}; country accuracy: {counts['country_ok'] / named:.3f}")


def timed(nlp: Any, texts: list[str]) -> tuple[list[Any], list[list[Mention]], float, float]:
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    parsed = time.perf_counter()
    mentions = [find_mentions(doc, include_places=True) for doc in docs]
    return docs, mentions, parsed - started, time.perf_counter() - parsed


def speed(parse_s: float, actors_s: float) -> str:
    return f"parse {parse_s:.2f}s, actors {actors_s:.3f}s ({actors_s / parse_s:.1%} of parse)"


def sample_text(repeat: int) -> str:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    skip = ("@", "COMMENTS", "Comments are", "For more information", "Read more")
    kept = [line for line in lines if line.strip() and not any(marker in line for marker in skip)]
    return "\n".join(kept * repeat)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", type=int, default=0, help="print this many missed gold spans")
    parser.add_argument("--repeat", type=int, default=20, help="copies of the sample in the long article")
    args = parser.parse_args()
    nlp = load_nlp()
    find_mentions(nlp("Warm up the matchers."))
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [row for row in rows if row.get("spans") and row.get("tokens")]
    docs, mentions, parse_s, actors_s = timed(nlp, [row["text"] for row in rows])
    score(rows, docs, mentions, args.show)
    print(f"speed, {len(rows)} sentences: {speed(parse_s, actors_s)}")
    _, _, parse_s, actors_s = timed(nlp, [sample_text(args.repeat)])
    print(f"speed, sample x{args.repeat}: {speed(parse_s, actors_s)}")


if __name__ == "__main__":
    main()
