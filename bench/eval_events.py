"""Evaluate the event coder on ConfliBERT's annotated news sentences (development data).

Prints 5-class precision/recall/F1 (0 no event, 1 verbal cooperation, 2 material cooperation, 3 verbal
conflict, 4 material conflict: the class of the sentence's main event) and the source/target country
accuracy against the annotated spans.

    python bench/eval_events.py [--data ../shared/eval/conflibert_train.jsonl] [--folds 5]

The coder's sentence classifier is trained on this file too (with the synthetic stories), so the figures
are 5-fold cross-validated: each fold is coded by a classifier trained without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from flashpoint.actors import find_mentions  # noqa: E402
from flashpoint.model import Event  # noqa: E402
from flashpoint.nlp import load_nlp  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "conflibert_train.jsonl"
DEFAULT_STORIES = ROOT.parent / "shared" / "train" / "plover_synthetic_stories.csv"
CLASSES = (0, 1, 2, 3, 4)


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def tuning_row(row: dict[str, Any]) -> bool:
    """The fixed 20% of rows whose errors may be read while developing; the rest are never looked at."""
    return int(hashlib.sha256(row["id"].encode()).hexdigest(), 16) % 5 == 0


def main_event(events: Sequence[Event]) -> Event | None:
    """The sentence's main event: the most confident asserted one (not negated nor hypothetical), else the
    most confident of the others (the annotation codes "would hold talks" too)."""
    asserted = [e for e in events if not (e.modality.negated or e.modality.hypothetical)]
    return max(asserted or events, key=lambda e: e.confidence, default=None)


def prf(gold: Sequence[int], predicted: Sequence[int]) -> dict[int, tuple[float, float, float, int]]:
    table = {}
    for label in CLASSES:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[label] = (precision, recall, f1, sum(g == label for g in gold))
    return table


def span_country(row: dict[str, Any], role: str) -> str | None:
    """The country of the annotated source/target span, read by the actor lexicon over that span only."""
    spans = [s for s in row.get("spans") or [] if s["role"] == role]
    if not spans:
        return None
    text = " ".join(row["tokens"][spans[0]["start_tok"] : spans[0]["end_tok"]])
    mentions = [m for m in find_mentions(load_nlp()(text)) if m.actor and m.actor.country]
    return mentions[0].actor.country if mentions and mentions[0].actor else None


def print_report(gold: list[int], predicted: list[int]) -> dict[str, float]:
    table = prf(gold, predicted)
    print(f"{'class':>6} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for label, (p, r, f, n) in table.items():
        print(f"{label:>6} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}")
    macro = sum(f for _, _, f, _ in table.values()) / len(CLASSES)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    print(f"macro-F1 {macro:.3f}  accuracy {accuracy:.3f}  (n={len(gold)})")
    return {"macro_f1": macro, "accuracy": accuracy}


def dyad_report(rows: list[dict[str, Any]], events: list[list[Event]]) -> dict[str, float]:
    """Source and target country accuracy where the annotated spans name a country."""
    checked = coded = src_ok = tgt_ok = both_ok = 0
    for row, found in zip(rows, events, strict=True):
        gold_source, gold_target = span_country(row, "source"), span_country(row, "target")
        if gold_source is None or gold_target is None or gold_source == gold_target:
            continue
        checked += 1
        event = main_event(found)
        coded += event is not None
        source = {a.country for a in event.source} if event else set()
        target = {a.country for a in event.target} if event else set()
        src_ok += gold_source in source
        tgt_ok += gold_target in target
        both_ok += gold_source in source and gold_target in target
    hits = {"source_accuracy": src_ok, "target_accuracy": tgt_ok, "dyad_accuracy": both_ok}
    scores = {name: count / checked if checked else 0.0 for name, count in hits.items()}
    scores |= {f"{name}_coded": count / coded if coded else 0.0 for name, count in hits.items()}
    print(f"dyads: {checked} sentences whose source and target spans name two countries; {coded} coded with an event")
    print("  all:   " + "  ".join(f"{k} {scores[k]:.3f}" for k in hits))
    print("  coded: " + "  ".join(f"{k} {scores[k + '_coded']:.3f}" for k in hits))
    return scores


def code_rows(rows: list[dict[str, Any]], pipeline: Any) -> list[list[Event]]:
    from flashpoint.sources import read_text

    articles = [read_text(row["text"], id=row["id"]) for row in rows]
    return [article.events for article in pipeline.pipe(articles, batch_size=64)]


def coded_by_folds(rows: list[dict[str, Any]], *, folds: int, stories: Path, seed: int) -> list[list[Event]]:
    """Code every row with a pipeline whose classifier never saw that row's label."""
    from sklearn.model_selection import StratifiedKFold

    from flashpoint import Pipeline
    from flashpoint.events.train import build_classifier, load_stories

    story_rows = load_stories(stories)
    labelled = [i for i, row in enumerate(rows) if row["pentaclass"] is not None]
    labels = np.array([rows[i]["pentaclass"] for i in labelled])
    unlabelled = [i for i, row in enumerate(rows) if row["pentaclass"] is None]
    events: dict[int, list[Event]] = {}
    splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(labelled, labels)
    for fold, (train, test) in enumerate(splits):
        texts = [rows[labelled[i]]["text"] for i in train]
        classifier = build_classifier(story_rows, texts, labels[train], seed=seed)
        held_out = [labelled[i] for i in test] + (unlabelled if fold == 0 else [])
        coded = code_rows([rows[i] for i in held_out], Pipeline(classifier=classifier))
        events |= dict(zip(held_out, coded, strict=True))
        print(f"fold {fold + 1}/{folds}: trained on {len(train)}, coded {len(held_out)}", file=sys.stderr)
    return [events[i] for i in range(len(rows))]


def evaluate(rows: list[dict[str, Any]], *, folds: int, stories: Path, seed: int) -> dict[str, float]:
    events = coded_by_folds(rows, folds=folds, stories=stories, seed=seed)
    labelled = [(row, found) for row, found in zip(rows, events, strict=True) if row["pentaclass"] is not None]
    gold = [row["pentaclass"] for row, _ in labelled]
    predicted = [(main_event(found).quad_class if main_event(found) else 0) for _, found in labelled]
    scores = print_report(gold, predicted)
    spans = [(r, e) for r, e in zip(rows, events, strict=True) if r.get("spans")]
    scores |= dyad_report([r for r, _ in spans], [e for _, e in spans])
    print("the other 80%, outside the tuning split:")
    unseen = [(r, e) for r, e in spans if not tuning_row(r)]
    dyad_report([r for r, _ in unseen], [e for _, e in unseen])
    return scores


def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    return evaluate(load(args.data), folds=args.folds, stories=args.stories, seed=args.seed)


if __name__ == "__main__":
    main()
