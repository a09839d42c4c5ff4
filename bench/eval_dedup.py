"""Evaluate flashpoint.dedup: duplicate articles (exact, URL, near) and event clusters.

    python bench/eval_dedup.py [--data ../shared/eval/lgl.jsonl]
        [--sample ../shared/samples/pakistan-iran-2024-01-19.txt] [--events bench/data/dedup/event_mentions.tsv]
        [--dev-seed 1] [--test-seed 2]

Articles. The labelled sets are built in memory from the LGL local-news articles and the sample article:
the articles are split in two halves by domain (a development half and a held-out half, so no outlet is in
both), and each half gets its own copies, made with its own seed: exact copies, near copies (sentences
dropped, the story cut from the bottom, words substituted, byline and boilerplate added, paragraphs
reordered, headline changed, or a mix) and URL variants of updated stories. Half the outlets carry a site
footer on every story, so that stories of one outlet share boilerplate. Every original is a negative; the
hard ones are different stories of the same outlet (on the same day, where LGL has them, as it records
`domain` and `dltime`). Two pairs that LGL holds by nature are labelled by hand: a wire story in two papers
(a duplicate) and a follow-up story that reuses most of an earlier one under a new lead (not a duplicate).
The shingle size and the threshold are chosen on the development half (best F1, the higher threshold on a
tie); the figures are reported on the held-out half.

Events. A hand-coded check (bench/data/dedup/event_mentions.tsv): the Iran-Pakistan crisis of January 2024
as three outlets report it (the sample and two others, with different date wording and publication days),
with the real event of each mention labelled. It illustrates the rules; it is too small to be an accuracy
figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashpoint import dedup  # noqa: E402
from flashpoint.dedup import ArticleIndex, EventClusterer, EventKey  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "lgl.jsonl"
DEFAULT_SAMPLE = ROOT.parent / "shared" / "samples" / "pakistan-iran-2024-01-19.txt"
SAMPLE_ID = "sample-pakistan-iran"
# Found by a pairwise scan of LGL (word 3-shingle Jaccard > 0.1), read and labelled by hand.
NATURAL_DUPLICATES = {"LGL-44220000": "LGL-44145259"}  # the same wire story in ajc.com and augusta.com
NATURAL_FOLLOW_UPS = {"LGL-44176373": "LGL-43340250"}  # haaretz.com: a new story reusing an earlier one
THRESHOLDS = [round(0.30 + 0.05 * step, 2) for step in range(13)]
SHINGLE_SIZES = (3, 4, 5)
NEAR_EDITS = ("drop", "truncate", "substitute", "boilerplate", "reorder", "headline", "mixed")
URL_VARIANTS = ("tracking", "click id", "www", "https", "fragment", "trailing slash", "amp path", "amp param", "case")
FOOTERS = (
    "Copyright {year} {outlet}. All rights reserved. No part of this story may be reproduced or "
    "redistributed without written permission.",
    "Get the top stories of the day in your inbox every morning. Sign up for the free {outlet} newsletter "
    "and follow us on Facebook and Twitter for breaking news alerts.",
    "Have a news tip? Contact the {outlet} newsroom by email or call the tip line. Comments on this story "
    "are moderated and may take some time to appear.",
    "{outlet} is committed to accurate reporting. If you see an error in this story, tell us so that we can "
    "correct it. Subscribe today for unlimited digital access to local news.",
)
BYLINES = ("By {name}, {outlet}", "{name} | {outlet} staff writer", "From wire reports. Compiled by {name}.")
NAMES = ("Ann Moreno", "James Okafor", "Linda Hsu", "Peter Novak", "Sara Lindqvist", "Omar Haddad")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")


# --- the labelled article sets ----------------------------------------------------------------------


@dataclass
class Item:
    """One article of the stream: `story` names the original it tells, so it is a duplicate exactly when
    an item of the same story came earlier."""

    id: str
    text: str
    url: str | None
    story: str
    kind: str  # original, natural, exact, url, near
    detail: str  # the edit, the URL variant, or the kind of negative
    order: float


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def half_of(row: dict[str, Any]) -> str:
    """Which half the article is in, "dev" or "test", by its outlet (a natural duplicate goes with its
    original's outlet)."""
    domain = row["domain"]
    if row["id"] in NATURAL_DUPLICATES:
        domain = "chronicle.augusta.com"
    return "dev" if int(hashlib.sha256(domain.encode()).hexdigest(), 16) % 2 == 0 else "test"


def sample_row(path: Path) -> dict[str, Any]:
    return {
        "id": SAMPLE_ID,
        "domain": "tribune.com.pk",
        "url": "https://tribune.com.pk/story/2453581/pakistan-iran-fms-hold-phone-talks",
        "dltime": "2024-01-19 12:00:00",
        "text": path.read_text(encoding="utf-8"),
    }


def outlet_name(domain: str) -> str:
    return "The " + domain.split(".")[0].replace("-", " ").title()


def site_footers(rows: list[dict[str, Any]], rng: Random) -> dict[str, str]:
    """Half the outlets (drawn at random) end every story with the same two footer paragraphs."""
    domains = sorted({row["domain"] for row in rows})
    chosen = [domain for domain in domains if rng.random() < 0.5]
    return {
        domain: " ".join(t.format(year=2009, outlet=outlet_name(domain)) for t in rng.sample(FOOTERS, 2))
        for domain in chosen
    }


def negative_kind(row: dict[str, Any], earlier: list[dict[str, Any]]) -> str:
    if row["id"] in NATURAL_FOLLOW_UPS:
        return "follow-up reusing text"
    same_domain = [other for other in earlier if other["domain"] == row["domain"]]
    if any(other["dltime"][:10] == row["dltime"][:10] for other in same_domain):
        return "same outlet, same day"
    return "same outlet" if same_domain else "other"


def originals(rows: list[dict[str, Any]], footers: dict[str, str]) -> list[Item]:
    ordered = sorted(rows, key=lambda row: (row["dltime"], row["id"]))
    items = []
    for position, row in enumerate(ordered):
        text = row["text"] + ("\n" + footers[row["domain"]] if row["domain"] in footers else "")
        story = NATURAL_DUPLICATES.get(row["id"], row["id"])
        kind, detail = ("natural", "wire copy") if story != row["id"] else ("original", "")
        detail = detail or negative_kind(row, ordered[:position])
        items.append(Item(row["id"], text, row["url"], story, kind, detail, float(position)))
    return items


# --- edits: how copies differ -----------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE.split(text.strip()) if part]


def drop_sentences(text: str, rng: Random, vocabulary: Sequence[str]) -> str:
    parts = sentences(text)
    if len(parts) < 3:
        return substitute_words(text, rng, vocabulary)
    count = max(1, round(len(parts) * rng.uniform(0.1, 0.3)))
    dropped = set(rng.sample(range(1, len(parts)), min(count, len(parts) - 2)))
    return " ".join(part for number, part in enumerate(parts) if number not in dropped)


def truncate(text: str, rng: Random, vocabulary: Sequence[str]) -> str:
    """A paper that runs the wire story cut from the bottom: the first 40-75% of its sentences."""
    parts = sentences(text)
    if len(parts) < 4:
        return substitute_words(text, rng, vocabulary)
    return " ".join(parts[: max(2, round(len(parts) * rng.uniform(0.4, 0.75)))])


def substitute_words(text: str, rng: Random, vocabulary: Sequence[str]) -> str:
    words = text.split(" ")
    rate = rng.uniform(0.02, 0.08)
    return " ".join(rng.choice(vocabulary) if rng.random() < rate else word for word in words)


def add_boilerplate(text: str, rng: Random, vocabulary: Sequence[str]) -> str:
    outlet = outlet_name(rng.choice(("herald-news", "daily-courier", "metro-wire", "valley-times")))
    byline = rng.choice(BYLINES).format(name=rng.choice(NAMES), outlet=outlet)
    return f"{byline}\n{text}\n{rng.choice(FOOTERS).format(year=2009, outlet=outlet)}"


def reorder_paragraphs(text: str, rng: Random, vocabulary: Sequence[str]) -> str:
    lead, *rest = sentences(text)
    paragraphs = [" ".join(rest[i : i + 2]) for i in range(0, len(rest), 2)]
    if len(paragraphs) < 2:
        return substitute_words(text, rng, vocabulary)
    shuffled = paragraphs[:]
    while shuffled == paragraphs:
        rng.shuffle(shuffled)
    return "\n".join([lead, *shuffled])


def new_headline(text: str, rng: Random, vocabulary: Sequence[str]) -> str:
    lead, *rest = sentences(text)
    words = [word for word in re.findall(r"[A-Za-z]+", " ".join(rest)) if len(word) > 3]
    headline = " ".join(rng.sample(words, min(len(words), rng.randint(5, 9)))).capitalize()
    return "\n".join([headline + ".", *rest]) if rest else headline + ". " + lead


EDITS: dict[str, Callable[[str, Random, Sequence[str]], str]] = {
    "drop": drop_sentences,
    "truncate": truncate,
    "substitute": substitute_words,
    "boilerplate": add_boilerplate,
    "reorder": reorder_paragraphs,
    "headline": new_headline,
}


def edit(text: str, name: str, rng: Random, vocabulary: Sequence[str]) -> str:
    steps = rng.sample(sorted(EDITS), rng.randint(2, 3)) if name == "mixed" else [name]
    edited = text
    for step in steps:
        edited = EDITS[step](edited, rng, vocabulary)
    if dedup.normalise_text(edited) == dedup.normalise_text(text):  # an edit that changed nothing
        edited = add_boilerplate(edited, rng, vocabulary)
    return edited


def url_variant(url: str, names: Sequence[str], rng: Random) -> str:
    parts = urlsplit(url)
    scheme, host, path, query, fragment = parts.scheme, parts.netloc, parts.path, parts.query, parts.fragment
    extra: list[str] = []
    for name in names:
        if name == "tracking":
            extra.append("utm_source=twitter&utm_medium=social&utm_campaign=share")
        elif name == "click id":
            extra.append(f"{rng.choice(('fbclid', 'gclid'))}=IwAR{rng.randrange(10**8)}")
        elif name == "www":
            host = host[4:] if host.lower().startswith("www.") else "www." + host
        elif name == "https":
            scheme = "https" if scheme == "http" else "http"
        elif name == "fragment":
            fragment = "comments"
        elif name == "trailing slash":
            path = path if path.endswith("/") else path + "/"
        elif name == "amp path":
            path = path.rstrip("/") + "/amp"
        elif name == "amp param":
            extra.append("amp=1")
        elif name == "case":
            host = host.upper()
    query = "&".join(part for part in [query, *extra] if part)
    return urlunsplit((scheme, host, path, query, fragment))


def syndication_url(original: Item, domains: Sequence[str], rng: Random) -> str | None:
    """Where another outlet puts its copy (sometimes no address is known)."""
    if rng.random() < 0.3:
        return None
    slug = "-".join(re.findall(r"[a-z]+", original.text.lower())[:6])
    domain = rng.choice([domain for domain in domains if domain not in (original.url or "")])
    return f"http://www.{domain}/news/{rng.randrange(10**6)}/{slug}"


def derived(original: Item, rng: Random, vocabulary: Sequence[str], domains: Sequence[str]) -> Item | None:
    """At most one later copy of an original: exact 15%, URL variant 15%, near copy 55%, none 15%."""
    draw = rng.random()
    order = original.order + rng.uniform(0.5, 40)
    new_id = f"{original.id}/copy"
    if draw < 0.15:
        reformatted = rng.random() < 0.5
        text = original.text.replace(" ", "  ").upper() if reformatted else original.text
        detail = "reformatted" if reformatted else "verbatim"
        return Item(new_id, text, syndication_url(original, domains, rng), original.story, "exact", detail, order)
    if draw < 0.30 and original.url:
        names = sorted(rng.sample(URL_VARIANTS, rng.randint(1, 3)), key=URL_VARIANTS.index)  # "case" last
        text = substitute_words(original.text, rng, vocabulary) + " This story has been updated."
        return Item(new_id, text, url_variant(original.url, names, rng), original.story, "url", "+".join(names), order)
    if draw < 0.85:
        name = rng.choice(NEAR_EDITS)
        text = edit(original.text, name, rng, vocabulary)
        return Item(new_id, text, syndication_url(original, domains, rng), original.story, "near", name, order)
    return None


def build_set(rows: list[dict[str, Any]], seed: int) -> list[Item]:
    rng = Random(seed)
    base = originals(rows, site_footers(rows, rng))
    vocabulary = sorted({word for item in base for word in re.findall(r"[a-z]{4,}", item.text)})
    domains = sorted({row["domain"] for row in rows})
    copies = [copy for item in base if (copy := derived(item, rng, vocabulary, domains)) is not None]
    return sorted(base + copies, key=lambda item: item.order)


# --- scoring ----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    item: Item
    positive: bool
    predicted: dedup.Duplicate | None
    correct: bool


def run(items: Iterable[Item], **options: Any) -> list[Outcome]:
    index = ArticleIndex(**options)
    story_of: dict[str, str] = {}
    seen: set[str] = set()
    outcomes = []
    for item in items:
        positive = item.story in seen
        seen.add(item.story)
        predicted = index.add(item.id, item.text, item.url)
        correct = predicted is not None and story_of[predicted.of] == item.story
        outcomes.append(Outcome(item, positive, predicted, correct))
        story_of[item.id] = item.story
    return outcomes


def prf(outcomes: Sequence[Outcome]) -> tuple[float, float, float]:
    tp = sum(o.positive and o.correct for o in outcomes)
    flagged = sum(o.predicted is not None for o in outcomes)
    positives = sum(o.positive for o in outcomes)
    precision = tp / flagged if flagged else 1.0
    recall = tp / positives if positives else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def choose(items: list[Item]) -> tuple[int, float, dict[tuple[int, float], tuple[float, float, float]]]:
    """The (shingle size, threshold) of best F1 on the development set; the higher threshold on a tie."""
    grid = {(size, t): prf(run(items, shingle_size=size, threshold=t)) for size in SHINGLE_SIZES for t in THRESHOLDS}
    size, threshold = max(grid, key=lambda key: (round(grid[key][2], 4), key[1], -key[0]))
    return size, threshold, grid


def report(name: str, items: list[Item], outcomes: list[Outcome]) -> None:
    precision, recall, f1 = prf(outcomes)
    positives = sum(o.positive for o in outcomes)
    print(f"{name}: {len(items)} articles, {positives} duplicates, {len(items) - positives} new stories")
    print(f"  overall   P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    recall_table("  recall by kind of copy", [o for o in outcomes if o.positive], lambda o: o.item.kind)
    near = [o for o in outcomes if o.item.kind == "near"]
    recall_table("  recall of near copies by edit", near, lambda o: o.item.detail)
    by_method: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.predicted is not None:
            by_method[outcome.predicted.kind].append(outcome)
    print("  precision by how it was found")
    for method in ("exact", "url", "near"):
        found = by_method.get(method, [])
        right = sum(o.correct and o.positive for o in found)
        print(f"    {method:<28} {right / len(found) if found else 1.0:.3f}  ({right}/{len(found)})")
    negatives = [o for o in outcomes if not o.positive]
    print("  new stories wrongly matched, by kind")
    for kind, group in sorted(grouped(negatives, lambda o: o.item.detail).items()):
        wrong = sum(o.predicted is not None for o in group)
        print(f"    {kind:<28} {wrong}/{len(group)}")
    for outcome in [o for o in outcomes if o.item.id in NATURAL_DUPLICATES or o.item.id in NATURAL_FOLLOW_UPS]:
        print(
            f"  natural pair {outcome.item.id}: labelled {'duplicate' if outcome.positive else 'new'}, "
            f"found {outcome.predicted}"
        )


def grouped(outcomes: Iterable[Outcome], key: Callable[[Outcome], str]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[key(outcome)].append(outcome)
    return groups


def recall_table(title: str, outcomes: list[Outcome], key: Callable[[Outcome], str]) -> None:
    print(title)
    for kind, group in sorted(grouped(outcomes, key).items()):
        found = sum(o.correct for o in group)
        print(f"    {kind:<28} {found / len(group):.3f}  ({found}/{len(group)})")


# --- event clusters ---------------------------------------------------------------------------------


EVENT_MENTIONS = ROOT / "bench" / "data" / "dedup" / "event_mentions.tsv"


def event_mentions(path: Path) -> list[tuple[str, str, EventKey]]:
    """(real event, wording, key) for each hand-coded mention of the file."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header, *rows = (line.split("\t") for line in lines)
    mentions = []
    for row in rows:
        value = {name: cell or None for name, cell in zip(header, row, strict=True)}
        key = EventKey(
            article_id=str(value["outlet"]),
            index=int(str(value["index"])),
            source_countries=(str(value["source"]),),
            target_countries=(str(value["target"]),),
            type=value["type"],
            cameo=value["cameo"],
            date=value["date"],
            date_precision=str(value["date_precision"]),
            date_end=value["date_end"],
            place_country=value["place_country"],
            place_admin1=value["place_admin1"],
            news_source=value["outlet"],
        )
        mentions.append((str(value["event"]), str(value["wording"]), key))
    return mentions


def pairwise(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    pairs = list(combinations(range(len(gold)), 2))
    same_gold = {pair for pair in pairs if gold[pair[0]] == gold[pair[1]]}
    same_predicted = {pair for pair in pairs if predicted[pair[0]] == predicted[pair[1]]}
    tp = len(same_gold & same_predicted)
    precision = tp / len(same_predicted) if same_predicted else 1.0
    recall = tp / len(same_gold) if same_gold else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def cluster_mentions(mentions: list[tuple[str, str, EventKey]]) -> tuple[list[str], list[str]]:
    """(gold event, assigned cluster) of each mention, assigned in file order."""
    clusterer = EventClusterer()
    return [event for event, _, _ in mentions], [clusterer.assign(key) for _, _, key in mentions]


def event_check(path: Path) -> tuple[float, float, float]:
    mentions = event_mentions(path)
    gold, predicted = cluster_mentions(mentions)
    names = {cluster: f"c{number}" for number, cluster in enumerate(dict.fromkeys(predicted), start=1)}
    print(
        f"events: {len(mentions)} mentions from 3 outlets, {len(set(gold))} real events, {len(set(predicted))} clusters"
    )
    for (event, wording, key), cluster in zip(mentions, predicted, strict=True):
        print(
            f"  {key.article_id:<7}#{key.index} {event:<16} {key.date} {key.date_precision:<5} {wording:<40} "
            f"-> {names[cluster]}"
        )
    precision, recall, f1 = pairwise(gold, predicted)
    print(f"  pairwise (same event, same cluster): P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    pairs = list(combinations(zip(mentions, predicted, strict=True), 2))
    for title, same in (("pairs of one event kept apart", True), ("pairs of two events kept apart", False)):
        apart = Counter(
            dedup.distinct_reason(first[2], second[2]) or "joined another cluster"
            for (first, a), (second, b) in pairs
            if (first[0] == second[0]) == same and a != b
        )
        print(f"  {title}, by the first rule that parts them: {dict(sorted(apart.items()))}")
    counts = Counter(gold)
    print(f"  mentions per real event: {dict(sorted(counts.items()))}")
    return precision, recall, f1


# --- main -------------------------------------------------------------------------------------------


def build_sets(data: Path, sample: Path, dev_seed: int, test_seed: int) -> tuple[list[Item], list[Item]]:
    """The development and held-out article streams (the sample article is held out)."""
    rows = load(data)
    dev_rows = [row for row in rows if half_of(row) == "dev"]
    test_rows = [row for row in rows if half_of(row) == "test"] + [sample_row(sample)]
    return build_set(dev_rows, dev_seed), build_set(test_rows, test_seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    parser.add_argument("--events", type=Path, default=EVENT_MENTIONS, help="hand-coded event mentions (TSV)")
    parser.add_argument("--dev-seed", type=int, default=1)
    parser.add_argument("--test-seed", type=int, default=2)
    args = parser.parse_args()
    dev, test = build_sets(args.data, args.sample, args.dev_seed, args.test_seed)
    size, threshold, grid = choose(dev)
    print(f"development set (seed {args.dev_seed}): F1 by shingle size and threshold")
    print("  size " + " ".join(f"{t:>5.2f}" for t in THRESHOLDS))
    for shingle in SHINGLE_SIZES:
        print(f"  {shingle:>4} " + " ".join(f"{grid[(shingle, t)][2]:5.3f}" for t in THRESHOLDS))
    print(
        f"chosen on the development set: shingle size {size}, threshold {threshold:.2f} "
        f"(module defaults: {dedup.DEFAULT_SHINGLE_SIZE}, {dedup.DEFAULT_THRESHOLD:.2f}; "
        f"min_words {dedup.DEFAULT_MIN_WORDS}, num_perm {dedup.DEFAULT_NUM_PERM})"
    )
    report(f"development set (seed {args.dev_seed})", dev, run(dev, shingle_size=size, threshold=threshold))
    report(f"held-out set (seed {args.test_seed})", test, run(test, shingle_size=size, threshold=threshold))
    event_check(args.events)


if __name__ == "__main__":
    main()
