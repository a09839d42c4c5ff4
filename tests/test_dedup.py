"""Duplicate articles (exact, URL, near) and event clusters: the rules of docs/dedup.md, one by one."""

from __future__ import annotations

import importlib.util
import random
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashpoint.dedup import (
    ArticleIndex,
    EventClusterer,
    EventKey,
    StoredArticle,
    canonical_url,
    cluster_events,
    cluster_id_for,
    content_hash,
    distinct_reason,
    same_event,
)
from flashpoint.deduplicate import StoreDeduplicator
from flashpoint.errors import FlashpointError
from flashpoint.model import Actor, Article, Event, Evidence, Modality, Place
from flashpoint.store import EventQuery, Store, open_store
from flashpoint.store.base import MAX_PAGE

ROOT = Path(__file__).resolve().parent.parent
LGL = ROOT.parent / "shared" / "eval" / "lgl.jsonl"
SAMPLE = ROOT.parent / "shared" / "samples" / "pakistan-iran-2024-01-19.txt"
# Floors for the held-out figures of bench/eval_dedup.py at the module's defaults (docs/dedup.md); raise only.
ARTICLE_FLOORS = {"precision": 0.99, "recall": 0.96, "f1": 0.975}
EVENT_FLOORS = {"precision": 1.0, "recall": 0.6}

COUNCIL_STORY = (
    "The city council voted on Tuesday to close two fire stations on the east side to save money. "
    "Residents who packed the meeting said response times would rise and asked the mayor to find the "
    "savings elsewhere. The fire chief told members that crews from the central station would cover the "
    "area. The closures take effect in June, after a final vote on the budget next month."
)
BRIDGE_STORY = (
    "State engineers reopened the river bridge on Route 9 on Wednesday after three weeks of repairs to its "
    "deck and railings. Drivers had been sent on a twenty-minute detour through the town centre while the "
    "work went on. The transport department said the bridge was safe but would need a full rebuild within "
    "ten years, and that money for it had not yet been found."
)
FOOTER = (
    "Copyright 2024 The Valley Courier. Sign up for our newsletter to get the day's top stories in your "
    "inbox every morning, and follow us for breaking news."
)


def drop_sentence(text: str, number: int) -> str:
    sentences = text.split(". ")
    return ". ".join(sentences[:number] + sentences[number + 1 :])


# --- articles ---------------------------------------------------------------------------------------


def test_dedup_exact_copy_ignores_case_spacing_and_punctuation(sample: str) -> None:
    index = ArticleIndex()
    assert index.add("first", sample) is None
    copy = sample.upper().replace(" ", "  ").replace("’", "'").replace(",", "")
    duplicate = index.add("copy", copy)
    assert duplicate is not None and (duplicate.of, duplicate.kind, duplicate.similarity) == ("first", "exact", 1.0)
    assert content_hash(sample) == content_hash(copy) != content_hash(sample + " More.")


def test_dedup_near_copy_is_found_with_its_similarity(sample: str) -> None:
    index = ArticleIndex()
    index.add("tribune", sample, "https://tribune.com.pk/story/1")
    edited = "By a staff reporter\n" + drop_sentence(sample, 3).replace("crucial", "key") + "\n" + FOOTER
    duplicate = index.add("wire", edited, "https://other.example/world/pakistan-iran")
    assert duplicate is not None and duplicate.of == "tribune" and duplicate.kind == "near"
    assert duplicate.similarity is not None and 0.45 <= duplicate.similarity < 1.0


def test_dedup_different_story_is_not_matched() -> None:
    index = ArticleIndex()
    index.add("council", COUNCIL_STORY + "\n" + FOOTER, "https://courier.example/news/council")
    assert index.add("bridge", BRIDGE_STORY + "\n" + FOOTER, "https://courier.example/news/bridge") is None
    duplicate = index.find(BRIDGE_STORY)  # the story without the footer is its own copy, not the council's
    assert duplicate is not None and duplicate.of == "bridge"


def test_dedup_the_most_similar_earlier_article_wins(sample: str) -> None:
    index = ArticleIndex()
    index.add("cut", drop_sentence(drop_sentence(sample, 2), 2))
    index.add("whole", sample.replace("crucial", "key"))
    duplicate = index.find(sample)
    assert duplicate is not None and duplicate.of == "whole"


def test_dedup_url_match_of_an_updated_story(sample: str) -> None:
    index = ArticleIndex()
    index.add("first", COUNCIL_STORY, "http://www.courier.example/news/council/")
    duplicate = index.add("update", BRIDGE_STORY, "https://courier.example/news/council?utm_source=x#comments")
    assert duplicate is not None and (duplicate.of, duplicate.kind) == ("first", "url")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/news/story-1", "https://example.com/news/story-1"),
        ("HTTP://WWW.Example.COM/news/Story-1", "https://example.com/news/Story-1"),
        ("https://example.com/news/story-1/", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1#comments", "https://example.com/news/story-1"),
        ("https://example.com/a?utm_source=tw&utm_medium=social&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?fbclid=IwAR0x&gclid=abc&msclkid=1", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/news/story-1/amp/", "https://example.com/news/story-1"),
        ("https://example.com/amp/news/story-1", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1.amp.html", "https://example.com/news/story-1.html"),
        ("https://example.com/news/story-1?amp=1", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1?outputType=amp", "https://example.com/news/story-1"),
        ("https://amp.example.com/news/story-1", "https://example.com/news/story-1"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:8080/a", "https://example.com:8080/a"),
        ("https://example.com", "https://example.com/"),
        ("https://www.com/a", "https://www.com/a"),
        ("https://example.com/articles/?id=63599", "https://example.com/articles?id=63599"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("mailto:desk@example.com", None),
        ("ftp://example.com/a", None),
        ("/news/story-1", None),
        ("http://[::1", None),
        ("", None),
        (None, None),
    ],
)
def test_dedup_canonical_url_table(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected


@given(st.text(alphabet="abcAB/?&=#%.:-_ampwut", max_size=40))
def test_dedup_canonical_url_is_idempotent(path: str) -> None:
    once = canonical_url("https://www.example.com/" + path)
    assert once is not None and canonical_url(once) == once


def test_dedup_short_text_matches_only_exactly() -> None:
    index = ArticleIndex()
    index.add("short", "Council closes two fire stations.")
    assert index.add("short-other", "Council closes three fire stations.") is None
    assert index.add("headline", "Mayor opens bridge") is None
    duplicate = index.add("short-copy", "COUNCIL closes two fire stations")
    assert duplicate is not None and duplicate.kind == "exact"
    assert index.signature("Council closes two fire stations.") is None


def test_dedup_empty_text_is_no_duplicate() -> None:
    index = ArticleIndex()
    index.add("empty", "")
    assert index.add("also-empty", "  ...  ") is None


def test_dedup_rebuild_from_stored_rows_and_signatures(sample: str) -> None:
    index = ArticleIndex()
    signature = index.signature(sample)
    assert signature is not None
    rebuilt = ArticleIndex.rebuild(
        [StoredArticle("tribune", sample, "https://tribune.com.pk/story/1", signature), ("council", COUNCIL_STORY)]
    )
    assert len(rebuilt) == 2 and "tribune" in rebuilt
    duplicate = rebuilt.find(drop_sentence(sample, 3))
    assert duplicate is not None and duplicate.of == "tribune" and duplicate.kind == "near"
    recomputed = ArticleIndex.rebuild([("tribune", sample)]).find(drop_sentence(sample, 3))
    assert recomputed == duplicate  # the stored signature is the one computed from the text
    assert rebuilt.find("other text", "https://www.tribune.com.pk/story/1/") is not None


def test_dedup_restored_signatures_find_near_copies_as_rebuild_does(sample: str) -> None:
    signature = ArticleIndex().signature(sample)
    assert signature is not None
    restored, rebuilt = ArticleIndex(), ArticleIndex.rebuild([StoredArticle("tribune", sample, None, signature)])
    restored.restore([("tribune", signature)])
    near = "By a staff reporter\n" + drop_sentence(sample, 3) + "\n" + FOOTER
    assert restored.find(near) == rebuilt.find(near) is not None and "tribune" in restored
    assert restored.add("wire", near) == rebuilt.add("wire", near)
    assert restored.find(COUNCIL_STORY) is None
    with pytest.raises(FlashpointError) as error:
        restored.restore([("wire", signature)])
    assert error.value.code == "E423"


def test_dedup_signature_from_other_settings_is_refused(sample: str) -> None:
    signature = ArticleIndex(shingle_size=4).signature(sample)
    assert signature is not None
    with pytest.raises(FlashpointError) as error:
        ArticleIndex().add("tribune", sample, signature=signature)
    assert error.value.code == "E421" and "tribune" in error.value.message


def test_dedup_an_article_is_added_once(sample: str) -> None:
    index = ArticleIndex()
    index.add("tribune", sample)
    with pytest.raises(FlashpointError) as error:
        index.add("tribune", sample)
    assert error.value.code == "E423"


@pytest.mark.parametrize("options", [{"threshold": 0.0}, {"num_perm": 4}, {"shingle_size": 5, "min_words": 3}])
def test_dedup_options_out_of_range_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(FlashpointError) as error:
        ArticleIndex(**options)
    assert error.value.code == "E420"


# --- events -----------------------------------------------------------------------------------------


def key(article_id: str = "a", index: int = 0, **fields: Any) -> EventKey:
    """An ASSAULT by Iran on Pakistan on 2024-01-16 in Balochistan, unless told otherwise."""
    values: dict[str, Any] = {
        "source_countries": ("IRN",),
        "target_countries": ("PAK",),
        "type": "ASSAULT",
        "cameo": "195",
        "date": "2024-01-16",
        "date_precision": "day",
        "place_country": "PAK",
        "place_admin1": "Balochistan",
    }
    values.update(fields)
    return EventKey(article_id=article_id, index=index, **values)


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2024-01-15", None), ("2024-01-16", None), ("2024-01-17", None), ("2024-01-14", "date"), ("2024-01-18", "date")],
)
def test_dedup_event_day_window_edges(day: str, expected: str | None) -> None:
    assert distinct_reason(key("a"), key("b", date=day)) == expected


def test_dedup_event_window_is_configurable() -> None:
    assert distinct_reason(key("a"), key("b", date="2024-01-17"), window_days=0) == "date"
    assert same_event(key("a"), key("b", date="2024-01-18"), window_days=2)


def test_dedup_event_week_ranges_must_overlap() -> None:
    week = key("b", date="2024-01-15", date_precision="week", date_end="2024-01-21")
    assert same_event(key("a", date="2024-01-21"), week)
    assert distinct_reason(key("a", date="2024-01-22"), week) == "date"  # the day after: no window for weeks
    next_week = key("c", date="2024-01-24", date_precision="week")  # a Wednesday: its week is 22 to 28
    assert distinct_reason(week, next_week) == "date"
    assert same_event(next_week, key("d", date="2024-01-28"))


def test_dedup_event_type_mismatch() -> None:
    assert distinct_reason(key("a"), key("b", type="COERCE", cameo="175")) == "type"
    assert distinct_reason(key("a"), key("b", cameo="190")) is None  # same type, other CAMEO code


def test_dedup_event_cameo_root_where_a_type_is_missing() -> None:
    assert same_event(key("a", type=None, cameo="195"), key("b", cameo="190"))
    assert distinct_reason(key("a", type=None, cameo="195"), key("b", cameo="180")) == "type"
    assert distinct_reason(key("a", type=None, cameo=None), key("b", type=None, cameo=None)) == "type"


def test_dedup_event_place_conflict() -> None:
    assert distinct_reason(key("a"), key("b", place_country="IRN", place_admin1=None)) == "place"
    assert distinct_reason(key("a"), key("b", place_admin1="Sindh")) == "place"
    assert same_event(key("a"), key("b", place_admin1=" BALOCHISTAN "))
    assert same_event(key("a"), key("b", place_country=None, place_admin1=None))  # unknown place fits
    assert same_event(key("a"), key("b", place_admin1=None))


def test_dedup_event_same_article_pair_stays_apart() -> None:
    assert distinct_reason(key("a", 0), key("a", 1)) == "same article"
    clusters = cluster_events([key("a", 0), key("a", 1), key("b", 0)])
    assert clusters[("a", 0)] != clusters[("a", 1)]
    assert clusters[("b", 0)] == clusters[("a", 0)]  # the oldest cluster that accepts it


def test_dedup_event_dyad_is_undirected() -> None:
    reverse = key("b", source_countries=("PAK",), target_countries=("IRN",))
    assert same_event(key("a"), reverse)
    assert distinct_reason(key("a"), key("b", target_countries=("AFG",))) == "dyad"
    assert distinct_reason(key("a"), key("b", target_countries=())) == "dyad"


def test_dedup_event_modality_must_agree() -> None:
    assert distinct_reason(key("a"), key("b", asserted=False)) == "modality"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"source_countries": (), "target_countries": ()}, "no country"),
        ({"date": None}, "no date"),
        ({"date_precision": "month"}, "vague date"),
        ({"date_precision": "unknown"}, "vague date"),
    ],
)
def test_dedup_event_unclusterable_mentions_stay_alone(fields: dict[str, Any], reason: str) -> None:
    lonely = key("b", **fields)
    assert lonely.unclustered_reason == reason
    assert distinct_reason(key("a"), lonely) == reason
    clusters = cluster_events([key("a"), lonely, key("c", **fields)])
    assert len(set(clusters.values())) == 3


def test_dedup_event_cluster_does_not_drift_along_a_chain() -> None:
    chain = [key("a", date="2024-01-16"), key("b", date="2024-01-17"), key("c", date="2024-01-18")]
    clusters = cluster_events(chain)
    assert clusters[("a", 0)] == clusters[("b", 0)] != clusters[("c", 0)]


def test_dedup_event_cluster_ids_are_deterministic_and_named_by_the_first_mention() -> None:
    keys = [key("a"), key("b"), key("c", type="ACCUSE", cameo="111")]
    first, second = cluster_events(keys), cluster_events(keys)
    assert first == second
    assert first[("a", 0)] == first[("b", 0)] == cluster_id_for("a", 0)
    assert first[("c", 0)] == cluster_id_for("c", 0)


def test_dedup_event_clusterer_is_incremental_and_idempotent() -> None:
    clusterer = EventClusterer()
    cluster = clusterer.assign(key("a"))
    assert clusterer.assign(key("a")) == cluster == clusterer.assign(key("b", news_source="Dawn"))
    clusterer.assign(key("c", news_source="Dawn", date="2024-01-17"))
    [summary] = clusterer.clusters()
    assert summary.id == cluster and summary.mentions == [("a", 0), ("b", 0), ("c", 0)]
    assert (summary.articles, summary.sources, summary.start, summary.end) == (3, 1, "2024-01-16", "2024-01-17")
    assert summary.dyad == (("IRN",), ("PAK",)) and summary.type == "ASSAULT"
    assert clusterer[("b", 0)] == cluster and len(clusterer) == 1


def test_dedup_event_clusterer_restores_stored_clusters() -> None:
    clusterer = EventClusterer()
    clusterer.restore(key("a"), "stored-1")
    clusterer.restore(key("a"), "stored-1")
    assert clusterer.assign(key("b")) == "stored-1"
    with pytest.raises(FlashpointError) as error:
        clusterer.restore(key("a"), "stored-2")
    assert error.value.code == "E424"


def test_dedup_event_key_from_event() -> None:
    event = Event(
        type="ASSAULT",
        mode="aerial",
        context="military",
        cameo="195",
        quad_class=4,
        intensity=-9.0,
        goldstein=-10.0,
        evidence=Evidence("Pakistan conducted air strikes", 0, 30),
        source=[Actor("Pakistan", "Pakistan", country="PAK"), Actor("army", "army", country="pak")],
        target=[Actor("militants", "militants"), Actor("Iran", "Iranian", country="IRN")],
        date="2024-01-18",
        date_precision="day",
        location=Place("Saravan", country="IRN", admin1="Sistan and Baluchestan"),
        modality=Modality(reported=True),
    )
    article = Article(id="tribune-1", url="https://www.tribune.com.pk/story/1", events=[event])
    made = EventKey.from_event(article, 0, event)
    assert (made.ref, made.source_countries, made.target_countries) == (("tribune-1", 0), ("PAK",), ("IRN",))
    assert (made.place_country, made.place_admin1, made.news_source) == (
        "IRN",
        "Sistan and Baluchestan",
        "tribune.com.pk",
    )
    assert made.asserted and made.span is not None
    hypothetical = replace(event, modality=Modality(hypothetical=True))
    assert not EventKey.from_event(replace(article, source="Dawn"), 1, hypothetical).asserted
    stored = EventKey.of(event, article_id="tribune-1", index=0, news_source="tribune.com.pk")
    assert stored == made


@pytest.mark.parametrize(
    ("fields", "text"), [({"date": "2024-13-01"}, "2024-13-01"), ({"date_end": "2024-01-01"}, "before")]
)
def test_dedup_event_key_with_a_bad_date_is_refused(fields: dict[str, Any], text: str) -> None:
    with pytest.raises(FlashpointError) as error:
        key("a", 3, **fields)
    assert error.value.code == "E422" and "a#3" in error.value.message and text in error.value.message


# --- resuming over a store ------------------------------------------------------------------------------

WORDS = [f"w{number}" for number in range(400)]
COUNTRIES = ["IRN", "PAK", "IRN", "PAK", "AFG", None]  # Iran and Pakistan twice as often
TYPES = [("ASSAULT", "190"), ("CONSULT", "040")]


@pytest.fixture(params=["sqlite", "postgres"])
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Opens a new empty store of each backend at each call."""
    with ExitStack() as stack:

        def make() -> Store:
            url = f"sqlite:///{tmp_path / uuid.uuid4().hex}.db"
            if request.param == "postgres":
                from flashpoint.store.testing import temporary_database

                url = stack.enter_context(temporary_database(request.getfixturevalue("postgres_server")))
            return stack.enter_context(open_store(url))

        yield make


def story_event(rng: random.Random) -> Event:
    """An event among three countries (a side may have none) over two weeks, now and then a week's or a span, a
    place or a hypothetical."""
    source, target = rng.choice(COUNTRIES), rng.choice(COUNTRIES)
    kind, cameo = rng.choices(TYPES, [3, 1])[0]
    day = f"2024-01-{rng.randint(1, 14):02d}"
    span = ("day", f"2024-01-{rng.randint(14, 31)}")
    precision, end = rng.choices([("day", None), ("week", None), span], [6, 3, 1])[0]
    place = rng.choice([None, None, Place("Quetta", country="PAK", admin1="Balochistan"),
                        Place("Karachi", country="PAK", admin1="Sindh"), Place("Iran", country="IRN")])  # fmt: skip
    return Event(type=kind, mode=None, context=None, cameo=cameo, quad_class=4, intensity=None, goldstein=None,
                 evidence=Evidence("it happened", 0, 11), date=day, date_precision=precision, date_end=end,
                 source=[Actor(source, source, country=source)] if source else [],
                 target=[Actor(target, target, country=target)] if target else [], location=place,
                 modality=Modality(hypothetical=rng.random() < 0.1))  # fmt: skip


def corpus(seed: int, size: int = 60) -> list[Article]:
    """New stories and copies of earlier articles: exact, near (words dropped, a footer added), a new text at a
    known URL."""
    rng = random.Random(seed)
    articles: list[Article] = []
    for number in range(size):
        how = rng.choices(["new", "exact", "near", "url"], [5, 1, 2, 1])[0] if articles else "new"
        text = " ".join(rng.choices(WORDS, k=rng.randint(40, 80)))
        url = f"https://outlet{rng.randint(1, 3)}.example/story/{number}"
        if how != "new":
            original = rng.choice(articles)
            words = original.text.split()
            text = {"exact": original.text.upper(), "url": text,
                    "near": " ".join(word for word in words if rng.random() > 0.06) + " " + FOOTER}[how]  # fmt: skip
            url = f"{original.url}?utm_source=feed" if how == "url" else url
        events = [story_event(rng) for _ in range(rng.randint(0, 4))]
        articles.append(Article(id=f"{seed}-{number}", raw=f"{number} {text}", text=text, url=url, source=how,
                                published="2024-01-21", events=events))  # fmt: skip
    return articles


def ingest(store: Store, articles: list[Article], splits: list[int]) -> tuple[dict[str, Any], dict[Any, Any]]:
    """What deduplication decides for each article, and each event's cluster, ingesting the articles in parts:
    each part but the last stops after storing its last article, before deduplication records it."""
    decisions: dict[str, Any] = {}
    for start, end in zip([0, *splits], [*splits, len(articles)], strict=True):
        deduplicator = StoreDeduplicator(store)
        for number, article in enumerate(articles[start:end], start):
            store.add_article(article)
            if number + 1 != end or end == len(articles):
                decisions[article.id] = deduplicator.add(article)
    events = store.events(EventQuery(limit=MAX_PAGE, duplicates=True))
    clusters = {(event.article_id, event.index): event.cluster_id for event in events}
    return decisions, {**clusters, **{row.article_id: row.duplicate_of for row in store.dedup_rows()}}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dedup_resumed_ingest_decides_as_one_uninterrupted_ingest(new_store: Callable[[], Store], seed: int) -> None:
    articles = corpus(seed)
    whole, whole_stored = ingest(new_store(), articles, [])
    resumed, resumed_stored = ingest(new_store(), articles, list(range(4, len(articles), 4)))
    assert resumed_stored == whole_stored  # duplicate_of of each article, cluster of each event
    assert resumed == {name: found for name, found in whole.items() if name in resumed}
    kinds = {found.kind for found in whole.values() if found}
    clusters = [cluster for cluster in whole_stored.values() if cluster and cluster.startswith("ev-")]
    assert kinds == {"exact", "near", "url"} and len(clusters) > len(set(clusters)) > 2


def test_dedup_resumed_ingest_finds_long_spans_and_joins_the_oldest_cluster(new_store: Callable[[], Store]) -> None:
    def clash(pair: str, day: str, precision: str = "day", end: str | None = None, kind: str = "ASSAULT") -> Event:
        source, target = pair.split("-")
        return Event(type=kind, mode=None, context=None, cameo="190", quad_class=4, intensity=None, goldstein=None,
                     evidence=Evidence("it happened", 0, 11), source=[Actor(source, source, country=source)],
                     target=[Actor(target, target, country=target)], date=day, date_precision=precision,
                     date_end=end)  # fmt: skip

    stored = [  # a#0 and a#1 make two clusters of one dyad (a mention never joins its article's others)
        ("a", [clash("IRN-PAK", "2024-01-10", "week"), clash("IRN-PAK", "2024-01-14", end="2024-01-30"),
               clash("AFG-PAK", "2024-01-02", end="2024-01-31"),
               clash("PAK-AFG", "2024-01-14", "week", kind="CONSULT")]),
        ("z", []),  # stored when the ingest stopped, not recorded
    ]  # fmt: skip
    new = [
        ("b", [clash("PAK-IRN", "2024-01-29", kind="CONSULT")]),  # reads a#1 (by its end) before a#0
        ("c", [clash("IRN-PAK", "2024-01-14")]),  # may join either: the oldest, a#0's
        ("d", [clash("PAK-AFG", "2024-01-30")]),  # joins a#2, which begins four weeks earlier
        ("e", [clash("AFG-PAK", "2024-01-12", kind="CONSULT")]),  # joins a#3, of the week of the 8th, dated the 14th
    ]
    articles = [Article(id=name, raw=name, text=name, events=events) for name, events in stored + new]
    clusters = ingest(new_store(), articles, [2])[1]
    assert clusters == ingest(new_store(), articles, [])[1]
    assert [clusters[(name, 0)] for name in "cde"] == [cluster_id_for("a", index) for index in (0, 2, 3)]


def test_dedup_resumed_ingest_finds_exact_and_url_copies_older_than_the_near_window(
    new_store: Callable[[], Store], sample: str
) -> None:
    store = new_store()
    old = StoredArticle("old", sample, "https://tribune.com.pk/story/1")
    # stored, then the ingest stopped before deduplication recorded it
    store.add_article(Article(id=old.article_id, raw=sample, text=sample, url=old.url))
    for number, text in enumerate([COUNCIL_STORY, BRIDGE_STORY]):
        newer, deduplicator = Article(id=f"newer-{number}", raw=text, text=text), StoreDeduplicator(store)
        store.add_article(newer)
        deduplicator.add(newer)
    deduplicator = StoreDeduplicator(store, near_window=1)
    assert "old" not in deduplicator.index and "newer-1" in deduplicator.index
    copies = [
        Article(id="exact", raw="exact", text=sample.upper()),
        Article(id="url", raw="url", text="Updated: " + COUNCIL_STORY, url="https://www.tribune.com.pk/story/1/"),
        Article(id="near", raw="near", text=drop_sentence(sample, 3) + FOOTER),
        Article(id="near-newer", raw="near-newer", text=drop_sentence(BRIDGE_STORY, 1)),
    ]
    found = {}
    for article in copies:
        store.add_article(article)
        duplicate = deduplicator.add(article)
        found[article.id] = (duplicate.of, duplicate.kind) if duplicate else None
        assert article.id != "url" or duplicate == ArticleIndex.rebuild([old]).find(article.text, article.url)
    assert found == {"exact": ("old", "exact"), "url": ("old", "url"), "near": None,
                     "near-newer": ("newer-1", "near")}  # fmt: skip


# --- the evaluation gate ----------------------------------------------------------------------------


def eval_dedup() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_dedup", ROOT / "bench" / "eval_dedup.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.skipif(not LGL.exists() or not SAMPLE.exists(), reason="needs ../shared/eval and ../shared/samples")
def test_dedup_held_out_figures_stay_above_floors() -> None:
    bench = eval_dedup()
    _, held_out = bench.build_sets(LGL, SAMPLE, 1, 2)
    precision, recall, f1 = bench.prf(bench.run(held_out))
    assert precision >= ARTICLE_FLOORS["precision"] and recall >= ARTICLE_FLOORS["recall"], (precision, recall)
    assert f1 >= ARTICLE_FLOORS["f1"], f1
    gold, predicted = bench.cluster_mentions(bench.event_mentions(bench.EVENT_MENTIONS))
    precision, recall, _ = bench.pairwise(gold, predicted)
    assert precision >= EVENT_FLOORS["precision"] and recall >= EVENT_FLOORS["recall"], (precision, recall)
