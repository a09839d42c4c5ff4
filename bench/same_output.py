"""Everything the default pipeline outputs, written to a JSON file, and two such files compared: the check
that a speed-up changed nothing.

    python bench/same_output.py dump before.json          # on the old code
    python bench/same_output.py dump after.json           # on the new code
    python bench/same_output.py compare before.json after.json

The corpus: the throughput benchmark's 200 articles (the sample's sentences shuffled), the sample itself,
and the first 150 LGL articles of ../shared/eval/lgl.jsonl when it is there (real local news: more varied
places and dates). Every field of every article, mention, statement, event and place is compared; floats
to 9 decimals. `compare` prints the differences by field and exits with 1 when there is one.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
LGL = ROOT.parent / "shared" / "eval" / "lgl.jsonl"
PARSES = ("doc", "statement_docs")


def plain(value: Any) -> Any:
    """A dataclass tree as JSON values (the spaCy parses left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in PARSES}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, float):
        return round(value, 9)
    return value if isinstance(value, str | int | bool | None) else repr(value)


def articles(lgl: int) -> list[Any]:
    from throughput import corpus

    from flashpoint.samples import sample_text
    from flashpoint.sources import read_text

    texts = [*corpus(200), sample_text()]
    found = [read_text(text, id=str(i), published="2024-01-19") for i, text in enumerate(texts)]
    if LGL.exists():
        for line in LGL.read_text("utf-8").splitlines()[:lgl]:
            row = json.loads(line)
            found.append(read_text(row["text"], id=row["id"], published=row["dltime"][:10], url=row.get("url")))
    return found


def dump(path: str, lgl: int) -> None:
    import flashpoint

    coded = [plain(article) for article in flashpoint.default_pipeline().pipe(articles(lgl), batch_size=32)]
    Path(path).write_text(json.dumps(coded, sort_keys=True), "utf-8")
    print(f"{len(coded)} articles, {sum(len(article['events']) for article in coded)} events -> {path}")


def differences(old: Any, new: Any, path: str = "") -> list[str]:
    """The paths at which two JSON values differ."""
    if type(old) is not type(new):
        return [path]
    if isinstance(old, dict):
        return [found for key in sorted(set(old) | set(new)) for found in
                differences(old.get(key), new.get(key), f"{path}.{key}")]
    if isinstance(old, list):
        if len(old) != len(new):
            return [f"{path}[len]"]
        return [found for i, (a, b) in enumerate(zip(old, new, strict=True)) for found in
                differences(a, b, f"{path}[{i}]")]
    return [] if old == new else [path]


def compare(before: str, after: str) -> int:
    found = differences(json.loads(Path(before).read_text("utf-8")), json.loads(Path(after).read_text("utf-8")))
    print(f"{len(found)} differences")
    for field, count in Counter(re.sub(r"\[\d+\]", "[]", path) for path in found).most_common(20):
        print(f"{count:6d}  {field}")
    return 1 if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="code the corpus and write its output")
    dumping.add_argument("path")
    dumping.add_argument("--lgl", type=int, default=150, help="LGL articles to add (0: none)")
    comparing = commands.add_parser("compare", help="compare two dumps")
    comparing.add_argument("before")
    comparing.add_argument("after")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.path, args.lgl)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
