"""The store, on both backends: every test that takes `store` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashpoint import dyads
from flashpoint.cli import main
from flashpoint.errors import FlashpointError
from flashpoint.ingest import IngestReport, ingest
from flashpoint.model import Actor, Article, Event, Evidence, Mention, Modality, Place, Statement
from flashpoint.sources import read_path
from flashpoint.store import EventQuery, Store, StoredCluster, display_url, open_store, resolve_url
from flashpoint.store.schema import latest_version

HOSTILE = "'; DROP TABLE events; --"


# -- small coded articles, built by hand ----------------------------------------------------------------------


def actor(country: str | None, name: str | None = None) -> Actor:
    return Actor(name=name or country or "someone", text=name or country or "someone", country=country)


def event(
    source: str | None,
    target: str | None,
    *,
    date: str | None = "2024-01-16",
    type: str = "ASSAULT",
    quad_class: int = 4,
    cameo: str = "190",
    intensity: float | None = -9.0,
    goldstein: float | None = -10.0,
    evidence: str = "troops attacked",
    confidence: float = 0.8,
    modality: Modality | None = None,
    location: Place | None = None,
    precision: str = "day",
) -> Event:
    return Event(
        type=type, mode=None, context=None, cameo=cameo, quad_class=quad_class, intensity=intensity,
        goldstein=goldstein, evidence=Evidence(evidence, 0, len(evidence)),
        source=[actor(source)] if source else [], target=[actor(target)] if target else [],
        date=date, date_precision=precision if date else "unknown", date_basis="explicit" if date else None,
        location=location, modality=modality or Modality(), confidence=confidence,
    )


def article(id: str, *events: Event, source: str | None = "Wire", published: str = "2024-01-19") -> Article:
    text = f"Article {id}: " + " ".join(e.evidence.text for e in events)
    return Article(id=id, raw=text, text=text, published=published, published_basis="argument", source=source,
                   language="en", events=list(events))


def read_back(original: Article) -> Article:
    """What a store should give back: everything but the raw input."""
    return replace(original, raw="", html=None)


def fill(store: Store) -> None:
    """A small world: Iran and Pakistan fight then talk; Russia and Ukraine; one domestic event."""
    store.add_article(article(
        "a1",
        event("IRN", "PAK", date="2024-01-16", evidence="Iran struck militants in Pakistan"),
        event("PAK", "IRN", date="2024-01-18", evidence="Pakistan conducted air strikes in Iran", cameo="195"),
        event("PAK", "IRN", date="2024-01-19", type="CONSULT", quad_class=1, cameo="040", intensity=2.5,
              goldstein=1.0, evidence="Jilani spoke with Abdollahian", confidence=0.9),
    ))
    store.add_article(article(
        "a2",
        event("IRN", "PAK", date="2024-01-19", type="CONSULT", quad_class=1, cameo="041", intensity=2.5,
              goldstein=1.0, evidence="FMs had a very good phone talk"),
        event("PAK", "IRN", date="2024-01-22", type="THREATEN", quad_class=3, cameo="138", intensity=-3.5,
              goldstein=-7.0, evidence="Pakistan may retaliate", modality=Modality(hypothetical=True)),
        event("RUS", "UKR", date="2024-01-16", evidence="Russian troops shelled Kharkiv", cameo="194",
              location=Place("Kharkiv", country="UKR")),
        event("PAK", None, date=None, type="PROTEST", quad_class=4, cameo="141", evidence="Crowds marched"),
        source="Tribune",
    ))


# -- round trips ------------------------------------------------------------------------------------------


def test_store_round_trip_of_the_coded_sample(store: Store, sample_coded: Article) -> None:
    result = store.add_article(sample_coded)
    assert result.added and result.events == len(sample_coded.events) > 5
    stored = store.get_article(sample_coded.id)
    assert stored == read_back(sample_coded)
    assert stored is not None and stored.statements and stored.mentions
    assert store.get_article("no such article") is None


def test_store_adding_an_article_twice_adds_nothing(store: Store) -> None:
    first = article("one", event("IRN", "PAK"))
    assert store.add_article(first).added
    again = store.add_article(first)
    assert (again.added, again.events, again.duplicate_of) == (False, 0, "one")
    same_input = replace(first, id="copy")
    assert store.add_article(same_input).duplicate_of == "one"
    assert store.find_article(same_input) == "one"
    assert store.find_article(article("other", event("RUS", "UKR"))) is None
    assert len(store.events()) == 1


def test_store_reingest_recodes_nothing(store: Store, sample: str) -> None:
    from flashpoint.api import default_pipeline
    from flashpoint.sources import read_text

    class Counting:
        """The default pipeline, counting the articles it codes."""

        coded = 0

        def pipe(self, articles: Any, **options: Any) -> Any:
            for done in default_pipeline().pipe(articles, **options):
                self.coded += 1
                yield done

    def articles() -> list[Article]:
        talks = read_text("Iran and Pakistan held talks.", id="b")
        return [read_text(sample, id="sample", published="2024-01-19"), talks]

    pipeline = Counting()
    first = ingest(articles(), store, pipeline=pipeline)  # type: ignore[arg-type]
    assert (first.read, first.stored, first.duplicates, first.errored, pipeline.coded) == (2, 2, 0, 0, 2)
    assert first.events == sum(len(a.events) for a in map(store.get_article, ("sample", "b")) if a)
    second = ingest(articles(), store, pipeline=pipeline)  # type: ignore[arg-type]
    assert (second.read, second.stored, second.duplicates, pipeline.coded) == (2, 0, 2, 2)


def test_store_ingest_keeps_articles_with_errors(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = ['{"id": "good", "text": "Russian troops attacked Ukrainian positions.", "published": "2024-01-19"}',
             "{not json", '{"id": "empty"}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(read_path(path), store)
    assert report == IngestReport(read=3, stored=1, duplicates=0, errored=2, events=report.events, errors=report.errors)
    assert [error["code"] for error in report.errors] == ["E105", "E107"]
    broken = store.get_article("batch:2")
    assert broken is not None and broken.errors[0]["code"] == "E105"
    assert store.get_article("empty").errors[0]["code"] == "E107"  # type: ignore[union-attr]
    assert ingest(read_path(path), store).duplicates == 3


def test_store_ingest_keeps_what_the_database_refuses_as_an_error_record(store: Store) -> None:
    class Broken:
        """A pipeline whose coder gives an event a confidence of NaN."""

        def pipe(self, articles: Any, **options: Any) -> Any:
            for incoming in articles:
                incoming.events = [event("IRN", "PAK", confidence=float("nan"))]
                yield incoming

    report = ingest([article("nan")], store, pipeline=Broken())  # type: ignore[arg-type]
    assert (report.stored, report.errored, report.errors[0]["code"]) == (0, 1, "E407")
    kept = store.get_article("nan")
    assert kept is not None and kept.events == [] and kept.errors[0]["code"] == "E407"


# -- queries ----------------------------------------------------------------------------------------------


def evidence(events: list[Any]) -> list[str]:
    return [e.evidence.text for e in events]


def test_store_event_filters(store: Store) -> None:
    fill(store)
    everything = store.events()
    assert len(everything) == 7 and [e.index for e in everything[:3]] == [0, 1, 2]
    assert {e.article_source for e in everything} == {"Wire", "Tribune"}
    assert len(store.events(EventQuery(dyad=("PAK", "IRN")))) == 5
    assert len(store.events(EventQuery(dyad=("IRN", "PAK")))) == 5
    assert len(store.events(EventQuery(source="PAK", target="IRN"))) == 3
    assert evidence(store.events(EventQuery(country="UKR"))) == ["Russian troops shelled Kharkiv"]
    assert len(store.events(EventQuery(country="PAK"))) == 6
    assert len(store.events(EventQuery(type="CONSULT"))) == 2
    assert len(store.events(EventQuery(quad_class=4))) == 4
    assert evidence(store.events(EventQuery(cameo="19"))) == [
        "Iran struck militants in Pakistan", "Pakistan conducted air strikes in Iran", "Russian troops shelled Kharkiv"]
    assert len(store.events(EventQuery(since="2024-01-18", until="2024-01-19"))) == 3
    assert len(store.events(EventQuery(article_id="a2"))) == 4
    assert len(store.events(EventQuery(min_confidence=0.85))) == 1
    assert evidence(store.events(EventQuery(asserted=False))) == ["Pakistan may retaliate"]
    assert evidence(store.events(EventQuery(q="PHONE talk"))) == ["FMs had a very good phone talk"]
    assert store.events(EventQuery(q="%")) == []


def test_store_paging_with_a_cursor_visits_every_event_once(store: Store) -> None:
    fill(store)
    seen: list[int] = []
    cursor = None
    while page := store.events(EventQuery(limit=2, cursor=cursor)):
        assert len(page) <= 2
        seen += [e.id for e in page]
        cursor = page[-1].id
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7


def test_store_actor_filters_page_like_a_filter_over_every_event(store: Store) -> None:
    fill(store)
    everything = store.events(EventQuery(limit=1000))

    def roles(e: Any, role: str) -> set[str | None]:
        return {a.country for a in getattr(e, role)}

    def expected(dyad: tuple[str, str] | None, source: str | None, target: str | None) -> list[int]:
        def keep(e: Any) -> bool:
            s, t = roles(e, "source"), roles(e, "target")
            in_dyad = dyad is None or (dyad[0] in s and dyad[1] in t) or (dyad[1] in s and dyad[0] in t)
            return in_dyad and source in s | {None} and target in t | {None}

        return [e.id for e in everything if keep(e)]

    countries = (None, "PAK", "IRN", "RUS")
    for dyad in (None, ("PAK", "IRN"), ("IRN", "PAK"), ("RUS", "UKR")):
        for source in countries:
            for target in countries:
                want = expected(dyad, source, target)
                query = EventQuery(dyad=dyad, source=source, target=target, limit=2)
                got, cursor = [], None
                while page := store.events(replace(query, cursor=cursor)):
                    got += [e.id for e in page]
                    cursor = page[-1].id
                assert got == want, (dyad, source, target)


def test_store_bad_query_values_are_refused() -> None:
    for bad in ({"limit": 0}, {"limit": 100_001}, {"dyad": ("IRN",)}):
        with pytest.raises(FlashpointError) as raised:
            EventQuery(**bad)
        assert raised.value.code == "E408"
    with pytest.raises(FlashpointError) as raised:
        EventQuery(since="last tuesday")
    assert raised.value.code == "E110"


def test_store_filter_values_are_parameters_not_sql(store: Store) -> None:
    store.add_article(article(HOSTILE, event(HOSTILE, "PAK", evidence=HOSTILE)))
    for query in (EventQuery(dyad=(HOSTILE, "PAK")), EventQuery(q=HOSTILE), EventQuery(type=HOSTILE),
                  EventQuery(article_id=HOSTILE), EventQuery(country=HOSTILE), EventQuery(cameo=HOSTILE)):
        store.events(query)
    store.series(HOSTILE, "PAK")
    assert [e.article_id for e in store.events(EventQuery(source=HOSTILE))] == [HOSTILE]
    assert store.get_article(HOSTILE) is not None and len(store.events()) == 1


# -- series and dyads ---------------------------------------------------------------------------------------


def test_store_series_counts_per_day(store: Store) -> None:
    fill(store)
    points = store.series("IRN", "PAK")
    assert [p.period for p in points] == ["2024-01-16", "2024-01-17", "2024-01-18", "2024-01-19"]
    first, gap, _, last = points
    assert (first.events, first.quad, first.intensity, first.goldstein) == (1, {1: 0, 2: 0, 3: 0, 4: 1}, -9.0, -10.0)
    assert (gap.events, gap.clusters) == (0, [])
    assert (last.events, last.quad[1], last.intensity, last.sources) == (2, 2, 5.0, 2)
    assert last.clusters == ["a1:2", "a2:0"]
    directed = store.series("IRN", "PAK", directed=True)
    assert [(p.period, p.events) for p in directed] == [("2024-01-16", 1), ("2024-01-17", 0), ("2024-01-18", 0),
                                                        ("2024-01-19", 1)]


def test_store_series_per_week_within_bounds(store: Store) -> None:
    fill(store)
    weeks = store.series("PAK", "IRN", interval="week", since="2024-01-10", until="2024-01-31")
    assert [(p.period, p.events) for p in weeks] == [("2024-01-08", 0), ("2024-01-15", 4), ("2024-01-22", 0),
                                                     ("2024-01-29", 0)]
    assert store.series("PAK", "IRN", since="2024-01-17", until="2024-01-18")[-1].events == 1
    assert store.series("USA", "CHN") == []
    with pytest.raises(FlashpointError) as raised:
        store.series("PAK", "IRN", interval="month")  # type: ignore[arg-type]
    assert raised.value.code == "E408"


def test_store_series_agrees_with_series_from_events(store: Store, sample_coded: Article) -> None:
    if not hasattr(dyads, "dyad_events"):
        pytest.skip("flashpoint.dyads has no dyad_events yet")
    fill(store)
    store.add_article(sample_coded)
    coded = [store.get_article(name) for name in ("a1", "a2", "sample")]
    expected = dyads.series_from_events(dyads.dyad_events([a for a in coded if a]), "IRN", "PAK")
    assert store.series("IRN", "PAK") == expected


def test_store_top_dyads(store: Store) -> None:
    fill(store)
    top = store.top_dyads()
    assert [(d.a, d.b, d.events) for d in top] == [("IRN", "PAK", 4), ("RUS", "UKR", 1)]
    assert [d.a for d in store.top_dyads(since="2024-01-17", limit=1)] == ["IRN"]


# -- deduplication's columns ----------------------------------------------------------------------------------


def test_store_clusters_are_set_merged_and_counted(store: Store) -> None:
    fill(store)
    store.set_cluster(StoredCluster("c1", dyad="IRN-PAK", type="CONSULT", date="2024-01-19"), [("a1", 2)])
    store.set_cluster(StoredCluster("c2", dyad="IRN-PAK", type="CONSULT", date="2024-01-19"), [("a2", 0)])
    assert store.get_cluster("c2") == StoredCluster("c2", "IRN-PAK", "CONSULT", "2024-01-19", None, None, 1, 1, 1)
    store.set_cluster(StoredCluster("c1", dyad="IRN-PAK", type="CONSULT", date="2024-01-19"), [("a1", 2), ("a2", 0)])
    assert store.get_cluster("c2") is None
    merged = store.get_cluster("c1")
    assert merged is not None and (merged.n_mentions, merged.n_sources, merged.n_articles) == (2, 2, 2)
    assert [e.index for e in store.events(EventQuery(cluster_id="c1"))] == [2, 0]
    assert store.series("IRN", "PAK")[-1].clusters == ["c1"]
    with pytest.raises(FlashpointError) as raised:
        store.set_cluster(StoredCluster("c3"), [("a1", 99)])
    assert raised.value.code == "E410"


def test_store_duplicate_articles_leave_the_counts(store: Store) -> None:
    fill(store)
    store.add_article(article("copy", event("IRN", "PAK", date="2024-01-16", evidence="Iran struck militants")))
    assert store.series("IRN", "PAK")[0].events == 2
    store.set_dedup("copy", duplicate_of="a1", content_hash="abc", canonical_url="https://example.org/a",
                    signature=b"\x00\x01")
    assert store.series("IRN", "PAK")[0].events == 1
    assert len(store.events(EventQuery(article_id="copy"))) == 0
    assert len(store.events(EventQuery(article_id="copy", duplicates=True))) == 1
    rows = {row.article_id: row for row in store.dedup_rows()}
    assert list(rows) == ["a1", "a2", "copy"]
    assert (rows["copy"].duplicate_of, rows["copy"].signature, rows["copy"].canonical_url) == (
        "a1", b"\x00\x01", "https://example.org/a")
    with pytest.raises(FlashpointError) as raised:
        store.set_dedup("copy", duplicate_of="nowhere")
    assert raised.value.code == "E409"


# -- what is stored is what is read back ------------------------------------------------------------------


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    # Any text a decoder can give, but NUL, which PostgreSQL text cannot hold (the store refuses it: E407);
    # lone surrogates are no text at all (no UTF-8 for them).
    return st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=max_size)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


numbers = st.floats(allow_nan=False, allow_infinity=False)
dates = st.dates().map(lambda day: day.isoformat()) | texts(12)
actors = st.builds(Actor, name=texts(), text=texts(), country=optional(texts(3)), sector=optional(texts(3)),
                   role=optional(texts()), person=optional(texts()), location=optional(texts()))
places = st.builds(Place, name=texts(), country=optional(texts(3)), admin1=optional(texts()), lat=optional(numbers),
                   lon=optional(numbers), geonames_id=optional(st.integers(0, 2**40)))
offsets = st.integers(0, 100_000)
events = st.builds(
    Event, type=texts(10), mode=optional(texts(10)), context=optional(texts(10)), cameo=texts(4),
    quad_class=st.integers(0, 4), intensity=optional(numbers), goldstein=optional(numbers),
    evidence=st.builds(Evidence, text=texts(), start=offsets, end=offsets, trigger_start=optional(offsets),
                       trigger_end=optional(offsets)),
    source=st.lists(actors, max_size=2), target=st.lists(actors, max_size=2),
    third_parties=st.lists(actors, max_size=1),
    date=optional(dates), date_precision=texts(6), date_basis=optional(texts(8)), date_end=optional(dates),
    location=optional(places), modality=st.builds(Modality, *[st.booleans()] * 5), confidence=numbers,
    statement=optional(st.integers(0, 5)),
)
articles = st.builds(
    Article, id=texts(), text=texts(200), title=optional(texts()), url=optional(texts()), published=optional(dates),
    published_basis=optional(texts(8)), source=optional(texts()), origin=optional(texts()),
    language=optional(texts(2)),
    statements=st.lists(st.builds(Statement, text=texts(), author=optional(texts()), handle=optional(texts()),
                                  date=optional(dates), url=optional(texts()), links=st.lists(texts(), max_size=2)),
                        max_size=2),
    mentions=st.lists(st.builds(Mention, text=texts(), start=offsets, end=offsets, kind=texts(8),
                                actor=optional(actors), place=optional(places)), max_size=3),
    events=st.lists(events, max_size=3),
    errors=st.lists(st.fixed_dictionaries({"code": texts(4), "message": texts()}), max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(original=articles)
def test_store_property_what_is_stored_is_read_back(store: Store, original: Article) -> None:
    unique = uuid.uuid4().hex  # examples share the store: a fresh id and input each time
    original = replace(original, id=f"{unique}{original.id}", raw=f"input {unique}")
    assert store.add_article(original).added
    assert store.get_article(original.id) == read_back(original)


def test_store_refuses_what_it_cannot_hold(store: Store) -> None:
    bad = article("nan", event("IRN", "PAK", confidence=float("nan")))
    with pytest.raises(FlashpointError) as raised:
        store.add_article(bad)
    assert raised.value.code == "E407" and "nan" in raised.value.message
    assert store.get_article("nan") is None


# -- opening, migrations, concurrency ---------------------------------------------------------------------


def test_store_reopening_migrates_once(store_url: str) -> None:
    for _ in range(2):
        with open_store(store_url) as opened:
            assert opened.schema_version() == latest_version(opened.backend)  # type: ignore[attr-defined]


def test_store_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO schema_version VALUES (999, 'future.sql', 'later')")
    connection.close()
    with pytest.raises(FlashpointError) as raised:
        open_store(str(path))
    assert raised.value.code == "E405" and "999" in raised.value.message


def test_store_both_backends_have_the_same_columns(tmp_path: Path, postgres_url: str) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as lite, open_store(postgres_url) as pg:
        lite_columns = _columns(lite, "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p"
                                      " WHERE m.type = 'table'")
        pg_columns = _columns(pg, "SELECT table_name, column_name FROM information_schema.columns"
                                  " WHERE table_schema = 'public'")
    assert lite_columns == pg_columns
    assert {"articles", "statements", "mentions", "places", "events", "event_actors", "event_dyads", "event_clusters",
            "schema_version"} == {table for table, _ in lite_columns}


def _columns(store: Any, sql: str) -> set[tuple[str, str]]:
    with store._reading() as cursor:
        return {tuple(row) for row in cursor.execute(sql).fetchall()}


def test_store_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASHPOINT_DB", raising=False)
    assert resolve_url(None) == "sqlite:///flashpoint.db"
    monkeypatch.setenv("FLASHPOINT_DB", "postgresql://team@db/events")
    assert resolve_url(None) == "postgresql://team@db/events" and resolve_url("x.db") == "x.db"
    assert display_url("postgresql://team:secret@db:5432/events") == "postgresql://team:***@db:5432/events"
    with open_store("sqlite://") as memory:
        assert memory.add_article(article("m", event("IRN", "PAK"))).added
    for url, code in (("mysql://db/events", "E401"), (str(tmp_path / "missing" / "store.db"), "E402"),
                      ("postgresql://nobody:secret@127.0.0.1:1/none", "E403")):
        with pytest.raises(FlashpointError) as raised:
            open_store(url)
        assert raised.value.code == code and "secret" not in raised.value.message


def test_store_sqlite_reads_while_another_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with open_store(str(path)) as reader:
        fill(reader)
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM event_actors")
        assert len(reader.events()) == 7  # WAL: the reader sees the last commit
        with open_store(str(path), timeout=0.1) as blocked, pytest.raises(FlashpointError) as raised:
            blocked.add_article(article("late", event("IRN", "PAK")))
        assert raised.value.code == "E411"
        writer.execute("ROLLBACK")
        writer.close()


# -- the command --------------------------------------------------------------------------------------------


def test_store_cli_ingest_twice(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    records = [{"id": "one", "text": "Iran and Pakistan held talks in Tehran.", "published": "2024-01-19"},
               {"id": "two", "text": "Russian troops attacked Ukrainian positions.", "published": "2024-01-19"}]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'events.db'}"
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", str(path), "--db", db])
    assert first.exit_code == 0, first.output
    assert "2 read: 2 stored" in first.stdout and "0 already stored" in first.stdout
    second = runner.invoke(main, ["ingest", str(path), "--db", db])
    assert "0 stored" in second.stdout and "2 already stored" in second.stdout and "E1" not in second.output
    with open_store(db) as store:
        assert store.get_article("one") is not None
