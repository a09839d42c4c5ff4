"""Evaluate the places stage on LGL (US local news, every toponym annotated with its GeoNames place), and time it.

    python bench/eval_places.py [PATH] [--home-country ISO3] [--show N]

PATH defaults to ../shared/eval/lgl.jsonl. Each article is parsed and its actors found (the stages before
places), then `find_places` runs on it.

- recall: share of annotated toponyms that a found place overlaps (any use: location, actor, demonym);
- of those found that carry a gold GeoNames point: country accuracy (the found place's ISO3 country is the
  gold country; an unresolved place counts as wrong; toponyms with no gold country, such as continents, are
  left out), Acc@161 (share within 161 km of the gold point; unresolved counts as wrong), and the mean and
  median error in km of the resolved ones;
- precision, for information: share of found places that overlap an annotated toponym (LGL does not annotate
  every place name, so this is a floor).

LGL is development data. Only the tuning split (sha256(id) % 5 == 0, 113 articles) was read while tuning;
the figures of the other 80% are printed apart and were not looked at article by article.
`--show N` prints the first N errors of the tuning split only.

Speed: the `Locator` stage's time per article (the places of the story and the events' locations, after
parse and actors), against the parse time, and the gazetteer's one-off load time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flashpoint.model import Article
from flashpoint.pipeline import Pipeline
from flashpoint.where import Locator, PlaceMention, find_places, load_gazetteer
from flashpoint.where.gazetteer import Gazetteer
from flashpoint.where.resolve import distance_km

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "eval" / "lgl.jsonl"
ACC_KM = 161.0


def is_tuning(article_id: str) -> bool:
    return int(hashlib.sha256(article_id.encode("utf-8")).hexdigest(), 16) % 5 == 0


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    with_point: int = 0
    with_country: int = 0
    country_right: int = 0
    within: int = 0
    errors_km: list[float] = field(default_factory=list)
    places: int = 0
    places_on_gold: int = 0

    def report(self, label: str, articles: int) -> str:
        def share(part: int, whole: int) -> str:
            return f"{part / whole:.3f}" if whole else "n/a"

        errors = self.errors_km
        mean = f"{statistics.mean(errors):.0f}" if errors else "n/a"
        median = f"{statistics.median(errors):.0f}" if errors else "n/a"
        return (
            f"{label}: {articles} articles, {self.gold} toponyms\n"
            f"  recall {share(self.found, self.gold)} ({self.found}/{self.gold})\n"
            f"  country accuracy {share(self.country_right, self.with_country)} "
            f"({self.country_right}/{self.with_country})\n"
            f"  Acc@161 {share(self.within, self.with_point)} ({self.within}/{self.with_point}), "
            f"mean error {mean} km, median {median} km (over {len(errors)} resolved)\n"
            f"  precision {share(self.places_on_gold, self.places)} ({self.places_on_gold}/{self.places})"
        )


def gold_country_codes(gazetteer: Gazetteer) -> dict[str, str]:
    """Gold country names -> ISO3, from the gazetteer's country rows and their names."""
    codes: dict[str, str] = {}
    for code, row in gazetteer.country_rows.items():
        codes[gazetteer.names[row]] = code
    return codes


def country_of(name: str, gazetteer: Gazetteer, codes: dict[str, str]) -> str | None:
    if name in codes:
        return codes[name]
    for row, _ in gazetteer.rows(name):
        entry = gazetteer.entry(row)
        if entry.feature == "country":
            return entry.country
    return None


def overlapping(places: list[PlaceMention], start: int, end: int) -> PlaceMention | None:
    for place in places:
        if place.start < end and start < place.end:
            return place
    return None


def score(
    record: dict[str, Any], places: list[PlaceMention], tally: Tally, context: tuple[Gazetteer, dict[str, str]]
) -> list[str]:
    gazetteer, codes = context
    errors = []
    for gold in record["toponyms"]:
        tally.gold += 1
        place = overlapping(places, gold["start"], gold["end"])
        if place is None:
            errors.append(f"MISSED {gold['text']!r} ({gold.get('gaz_name')}, {gold.get('gaz_admin1')})")
            continue
        tally.found += 1
        if "gaz_lat" not in gold:
            continue
        tally.with_point += 1
        expected = country_of(gold["gaz_country"], gazetteer, codes) if gold.get("gaz_country") else None
        if gold.get("gaz_country"):
            tally.with_country += 1
            tally.country_right += int(place.country is not None and place.country == expected)
        if place.lat is None or place.lon is None:
            errors.append(f"UNRESOLVED {gold['text']!r} -> gold {gold['gaz_name']}, {gold.get('gaz_admin1')}")
            continue
        km = distance_km(place.lat, place.lon, float(gold["gaz_lat"]), float(gold["gaz_lon"]))
        tally.errors_km.append(km)
        tally.within += int(km <= ACC_KM)
        if km > ACC_KM:
            errors.append(
                f"WRONG {gold['text']!r} -> {place.name}, {place.admin1}, {place.country} ({km:.0f} km); "
                f"gold {gold['gaz_name']}, {gold.get('gaz_admin1')}, {gold.get('gaz_country')}"
            )
    spans = record["toponyms"]
    tally.places += len(places)
    tally.places_on_gold += sum(
        1 for place in places if any(place.start < g["end"] and g["start"] < place.end for g in spans)
    )
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--home-country", default=None, help="ISO3 country the stories are from (default: none)")
    parser.add_argument("--show", type=int, default=0, help="print the first N errors of the tuning split")
    args = parser.parse_args()

    with args.path.open(encoding="utf-8") as handle:  # not splitlines(): texts hold U+2028
        records = [json.loads(line) for line in handle if line.strip()]
    started = time.perf_counter()
    gazetteer = load_gazetteer()
    load_s = time.perf_counter() - started
    codes = gold_country_codes(gazetteer)

    pipeline = Pipeline(("parse", "actors"))
    articles = [Article(id=r["id"], text=r["text"], title=r.get("title"), url=r.get("url")) for r in records]
    started = time.perf_counter()
    articles = list(pipeline.pipe(articles, batch_size=32))
    upstream_s = time.perf_counter() - started

    locator = Locator(home_country=args.home_country)
    tallies = {"tuning split": Tally(), "other 80%": Tally()}
    counts: Counter[str] = Counter()
    shown: list[str] = []
    stage_s = 0.0
    for record, article in zip(records, articles, strict=True):
        started = time.perf_counter()
        locator(article)
        stage_s += time.perf_counter() - started
        places = find_places(article, home_country=args.home_country)
        label = "tuning split" if is_tuning(record["id"]) else "other 80%"
        counts[label] += 1
        errors = score(record, places, tallies[label], (gazetteer, codes))
        if label == "tuning split" and len(shown) < args.show:
            shown += [f"{record['id']}: {error}" for error in errors]

    for line in shown[: args.show]:
        print(line)
    print(f"LGL {args.path} (home country: {args.home_country or 'from each article'})")
    for label, tally in tallies.items():
        print(tally.report(label, counts[label]))
    print(
        f"speed: places stage {1000 * stage_s / len(articles):.1f} ms/article; parse + actors "
        f"{1000 * upstream_s / len(articles):.1f} ms/article; gazetteer load {load_s:.1f} s (once per process)"
    )


if __name__ == "__main__":
    main()
