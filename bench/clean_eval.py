"""How well the cleaning stage keeps the story: token precision, recall and F1 against expected text.

Usage:
    python bench/clean_eval.py bench/data/clean            # a folder of NAME.html + NAME.txt pairs
    python bench/clean_eval.py pairs.jsonl --per-doc       # JSON Lines of {"id"?, "html", "expected"}

Tokens are lower-cased words (letters and digits) compared as bags (multisets). Micro figures pool the
counts of all documents; the per-document mean averages each document's own figures. A page the
cleaner refuses (E109...) counts as an empty prediction.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so that it runs from a checkout where flashpoint is not installed

from flashpoint.clean import Cleaner  # noqa: E402 - after the path set-up above
from flashpoint.errors import FlashpointError  # noqa: E402
from flashpoint.sources import read_text  # noqa: E402

TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Pair:
    name: str
    html: str
    expected: str


@dataclass(frozen=True)
class Score:
    overlap: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.overlap / self.predicted if self.predicted else float(not self.expected)

    @property
    def recall(self) -> float:
        return self.overlap / self.expected if self.expected else float(not self.predicted)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_pairs(path: Path) -> Iterator[Pair]:
    """Pairs from a folder (NAME.html beside NAME.txt) or from a JSONL file of {"html", "expected"}."""
    if path.is_dir():
        for page in sorted(path.glob("*.htm*")):
            expected = page.with_suffix(".txt")
            if expected.exists():
                yield Pair(page.stem, page.read_text("utf-8"), expected.read_text("utf-8"))
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                record = json.loads(line)
                yield Pair(str(record.get("id", number)), record["html"], record["expected"])


def tokens(text: str) -> Counter[str]:
    return Counter(token.casefold() for token in TOKEN.findall(text))


def score(predicted: str, expected: str) -> Score:
    guess, truth = tokens(predicted), tokens(expected)
    return Score(sum((guess & truth).values()), sum(guess.values()), sum(truth.values()))


def clean(cleaner: Cleaner, pair: Pair) -> str:
    """The cleaned story of a page; "" when the cleaner refuses it."""
    try:
        return cleaner(read_text(pair.html, id=pair.name, html=True)).text
    except FlashpointError:
        return ""


@dataclass(frozen=True)
class Report:
    documents: dict[str, Score]
    micro: Score
    mean: dict[str, float]


def evaluate(pairs: Sequence[Pair]) -> Report:
    """Each document's Score, the pooled ("micro") Score and the per-document mean of each figure."""
    cleaner = Cleaner()
    documents = {pair.name: score(clean(cleaner, pair), pair.expected) for pair in pairs}
    scores = list(documents.values())
    micro = Score(
        *(sum(getattr(item, field) for item in scores) for field in ("overlap", "predicted", "expected"))
    )
    mean = {
        figure: sum(getattr(item, figure) for item in scores) / max(len(scores), 1)
        for figure in ("precision", "recall", "f1")
    }
    return Report(documents, micro, mean)


def _row(label: str, precision: float, recall: float, f1: float) -> str:
    return f"{label:<28} {precision:>9.3f} {recall:>9.3f} {f1:>9.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("pairs", type=Path, help="folder of NAME.html + NAME.txt, or a .jsonl of pairs")
    parser.add_argument("--per-doc", action="store_true", help="print each document's figures too")
    options = parser.parse_args(argv)
    pairs = list(load_pairs(options.pairs))
    if not pairs:
        print(f"no pairs found in {options.pairs}", file=sys.stderr)
        return 1
    report = evaluate(pairs)
    print(f"{len(pairs)} documents, bag-of-tokens scores of the cleaned text against the expected text")
    print(f"{'':<28} {'precision':>9} {'recall':>9} {'f1':>9}")
    for name, result in report.documents.items() if options.per_doc else ():
        print(_row(name, result.precision, result.recall, result.f1))
    print(_row("micro (pooled tokens)", report.micro.precision, report.micro.recall, report.micro.f1))
    print(_row("mean (per document)", report.mean["precision"], report.mean["recall"], report.mean["f1"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
