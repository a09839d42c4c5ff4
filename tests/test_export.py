"""Exports (issue 5): every format written from hand-built events, read back, and the coded sample."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashpoint.errors import FlashpointError
from flashpoint.export import (
    FLAT_COLUMNS,
    FORMATS,
    GDELT_COLUMNS,
    ExportRecord,
    actor_code,
    article_records,
    export_events,
    flat_record,
    gdelt_event_id,
    gdelt_row,
    polecat_record,
)
from flashpoint.model import Actor, Article, Event, Evidence, Modality, Place, Statement

EVIDENCE = 'Pakistan, "in retaliation",\nstruck\tmilitants'


def _event(**fields: Any) -> Event:
    values: dict[str, Any] = {
        "type": "ASSAULT",
        "mode": "aerial",
        "context": "military",
        "cameo": "195",
        "quad_class": 4,
        "intensity": -9.0,
        "goldstein": -10.0,
        "evidence": Evidence(EVIDENCE, 10, 10 + len(EVIDENCE), 38, 44),
        "date": "2024-01-18",
        "date_precision": "day",
        "date_basis": "explicit",
        "confidence": 0.9,
    }
    return Event(**{**values, **fields})


@pytest.fixture
def article() -> Article:
    """An article with a strike (two actors on one side, a place), a post's consult and a bare statement."""
    strike = _event(
        source=[
            Actor("Pakistan", "Pakistan", country="PAK"),
            Actor("Pakistan Air Force", "air force", country="PAK", sector="MIL", role="air force; jets"),
        ],
        target=[Actor("separatist militants", "separatist militants", country="IRN", sector="REB", location="Iran")],
        third_parties=[Actor("United Nations", "UN", country="IGO", sector="UN")],
        location=Place("Saravan", country="IRN", admin1="Sistan and Baluchestan", lat=27.37, lon=62.33, feature="city"),
        modality=Modality(reported=True),
    )
    consult = _event(
        type="CONSULT",
        mode="phone",
        context=None,
        cameo="041",
        quad_class=1,
        intensity=2.5,
        goldstein=1.0,
        evidence=Evidence("FMs had a very good phone talk", 0, 30),
        source=[Actor("Iran", "Iran", country="IRN", sector="GOV", role="foreign minister")],
        target=[Actor("Pakistan", "Pakistan", country="PAK", sector="GOV")],
        date="2024-01-19",
        statement=0,
    )
    comment = _event(type="CONSULT", mode=None, context="diplomatic;economic", cameo="010", quad_class=0)
    return Article(
        id="a1",
        text="Lead paragraph, " + EVIDENCE + ".\nSecond paragraph.",
        title="Strikes, then talks",
        url="https://example.com/story",
        published="2024-01-19",
        published_basis="record",
        source="Example Times",
        origin="articles.jsonl line 1",
        language="en",
        statements=[Statement("FMs had a very good phone talk", author="Embassy", handle="emb", date="2024-01-19")],
        events=[strike, consult, comment],
    )


def _export(records: Any, format: str, **options: Any) -> str:
    stream = io.StringIO()
    export_events(records, stream, format=format, **options)
    return stream.getvalue()


def _read_csv(text: str) -> list[dict[str, str]]:
    """Rows as strings, empty cells as "": with pandas when it is installed, else with the csv module."""
    try:
        import pandas
    except ImportError:
        return list(csv.DictReader(io.StringIO(text, newline="")))
    frame = pandas.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return frame.to_dict("records")


def _gdelt(text: str) -> list[dict[str, str]]:
    return [dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True)) for line in text.split("\n") if line]


def test_export_formats_are_the_documented_ones() -> None:
    assert list(FORMATS) == ["csv", "parquet", "jsonl", "gdelt", "polecat"]
    docs = (Path(__file__).parent.parent / "docs" / "exports.md").read_text("utf-8")
    for name in FORMATS:
        assert f"`{name}`" in docs
    for column in FLAT_COLUMNS:
        assert f"`{column}`" in docs, column


def test_export_csv_round_trips_quoted_evidence_and_joined_actors(article: Article) -> None:
    rows = _read_csv(_export(article_records([article]), "csv"))
    assert len(rows) == 3 and list(rows[0]) == list(FLAT_COLUMNS)
    strike = rows[0]
    assert strike["evidence_text"] == EVIDENCE
    assert strike["article_title"] == "Strikes, then talks"
    assert strike["source_country"] == "PAK;PAK"
    assert strike["source_sector"] == ";MIL"  # positions stay aligned: the first actor has no sector
    assert strike["source_role"] == ";air force, jets"  # a ";" inside a value would shift them
    assert strike["third_party_name"] == "United Nations"
    assert (strike["reported"], strike["negated"]) == ("true", "false")
    assert (strike["location_lat"], strike["location_geonames_id"], strike["location_feature"]) == ("27.37", "", "city")
    assert (strike["cameo"], strike["quad_class"], strike["goldstein"]) == ("195", "4", "-10.0")
    consult = rows[1]
    assert (consult["statement"], consult["statement_author"], consult["statement_handle"]) == ("0", "Embassy", "emb")
    assert consult["article_origin"] == "articles.jsonl line 1"


@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_export_csv_round_trips_any_evidence_text(text: str) -> None:
    article = Article(id="p", events=[_event(evidence=Evidence(text, 0, len(text)))])
    [row] = _read_csv(_export(article_records([article]), "csv"))
    assert row["evidence_text"] == text


def test_export_csv_empty_input_writes_the_header_only() -> None:
    text = _export([], "csv")
    assert text == ",".join(FLAT_COLUMNS) + "\r\n"
    assert _export([], "csv", header=False) == ""


def test_export_event_id_is_article_id_and_index_or_cluster_id(article: Article) -> None:
    rows = [flat_record(article, event, index) for index, event in enumerate(article.events)]
    assert [row["event_id"] for row in rows] == ["a1-0", "a1-1", "a1-2"]
    clustered = flat_record(article, article.events[0], 0, cluster_id="c17", num_articles=4)
    assert (clustered["event_id"], clustered["cluster_id"], clustered["num_articles"]) == ("c17", "c17", 4)
    assert list(clustered) == list(FLAT_COLUMNS)


def test_export_pairs_take_their_index_in_the_article(article: Article) -> None:
    pairs = [(article, article.events[2]), (article, article.events[0])]
    assert [row["event_id"] for row in map(json.loads, _export(pairs, "jsonl").splitlines())] == ["a1-2", "a1-0"]
    bare = Article(id="b2")  # read back without its events: numbered in input order
    unlisted = [(bare, _event()), (bare, _event())]
    assert [row["event_id"] for row in map(json.loads, _export(unlisted, "jsonl").splitlines())] == ["b2-0", "b2-1"]


def test_export_gdelt_rows_have_61_columns_without_a_header(article: Article) -> None:
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
    )
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    text = _export(article_records([article]), "gdelt")
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 4
    assert all(len(line.split("\t")) == 61 for line in lines[:-1])
    assert _export(article_records([article]), "gdelt", header=True).split("\n")[0].split("\t") == list(GDELT_COLUMNS)


def test_export_gdelt_escapes_tabs_and_newlines() -> None:
    actor = Actor("the\tBaloch\nLiberation\r\nArmy", "BLA", country="PAK", sector="REB")
    article = Article(id="t", url="https://example.com/a\tb", events=[_event(source=[actor])])
    [row] = _gdelt(_export(article_records([article]), "gdelt"))
    assert row["Actor1Name"] == "the Baloch Liberation Army"
    assert row["SOURCEURL"] == "https://example.com/a b"


def test_export_gdelt_actor_codes() -> None:
    assert actor_code(Actor("Pakistan", "Pakistan", country="PAK", sector="GOV")) == "PAKGOV"
    assert actor_code(Actor("Iranian army", "army", country="IRN", sector="MIL")) == "IRNMIL"
    assert actor_code(Actor("militants", "militants", country="IRN", sector="REB")) == "IRNREB"
    assert actor_code(Actor("Pakistan", "Pakistan", country="PAK")) == "PAK"
    assert actor_code(Actor("gunmen", "gunmen", sector="UAF")) == "UAF"
    un = Actor("United Nations", "UN", country="IGO", sector="UN")
    islamic_state = Actor("Islamic State", "ISIS", country="IMG", sector="REB")
    article = Article(id="g", events=[_event(source=[un], target=[islamic_state])])
    [row] = _gdelt(_export(article_records([article]), "gdelt"))
    assert [row[f"Actor1{name}"] for name in ("Code", "CountryCode", "KnownGroupCode", "Type1Code")] == [
        "IGOUN",
        "",
        "UN",
        "IGO",
    ]
    assert [row[f"Actor2{name}"] for name in ("Code", "CountryCode", "Type1Code", "Type2Code")] == [
        "IMGREB",
        "",
        "IMG",
        "REB",
    ]


def test_export_gdelt_dates_codes_and_counts(article: Article) -> None:
    strike, consult, comment = _gdelt(_export(article_records([article]), "gdelt"))
    assert (strike["SQLDATE"], strike["MonthYear"], strike["Year"]) == ("20240118", "202401", "2024")
    assert strike["FractionDate"] == "2024.1315"  # GDELT's (MONTH * 30 + DAY) / 365
    assert (strike["EventCode"], strike["EventBaseCode"], strike["EventRootCode"]) == ("195", "195", "19")
    assert (consult["EventCode"], consult["EventBaseCode"], consult["EventRootCode"]) == ("041", "041", "04")
    assert (strike["QuadClass"], strike["GoldsteinScale"], strike["AvgTone"]) == ("4", "-10", "")
    assert comment["QuadClass"] == "1"  # CAMEO 01 statements: GDELT's verbal cooperation
    assert (strike["IsRootEvent"], consult["IsRootEvent"]) == ("1", "0")
    assert [strike[name] for name in ("NumMentions", "NumSources", "NumArticles")] == ["1", "1", "1"]
    assert (strike["DATEADDED"], strike["SOURCEURL"]) == ("20240119000000", "https://example.com/story")
    assert strike["GLOBALEVENTID"] == str(gdelt_event_id("a1-0"))
    assert 0 <= gdelt_event_id("a1-0") < 2**63
    cluster = ExportRecord(
        article, article.events[0], 0, cluster_id="c1", num_mentions=7, num_sources=3, num_articles=5
    )
    row = dict(zip(GDELT_COLUMNS, gdelt_row(cluster), strict=True))
    assert [row[name] for name in ("NumMentions", "NumSources", "NumArticles")] == ["7", "3", "5"]
    assert row["GLOBALEVENTID"] == str(gdelt_event_id("c1"))


def test_export_gdelt_geography_uses_fips_country_codes(article: Article) -> None:
    strike = _gdelt(_export(article_records([article]), "gdelt"))[0]
    action = [strike[f"ActionGeo_{name}"] for name in ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long")]
    assert action == ["4", "Saravan, Sistan and Baluchestan, Iran", "IR", "", "27.37", "62.33"]
    target = [strike[f"Actor2Geo_{name}"] for name in ("Type", "FullName", "CountryCode", "ADM1Code", "FeatureID")]
    assert target == ["1", "Iran", "IR", "IR", "IR"]
    assert strike["Actor1Geo_Type"] == strike["Actor1Geo_FullName"] == ""
    german = Article(id="de", events=[_event(location=Place("Germany", country="DEU"))])
    assert _gdelt(_export(article_records([german]), "gdelt"))[0]["ActionGeo_CountryCode"] == "GM"


def test_export_gdelt_geography_type_follows_the_gazetteer_feature() -> None:
    places = [
        Place("Balochistan", country="PAK", admin1="Balochistan", feature="admin1"),
        Place("Texas", country="USA", admin1="Texas"),
        Place("Panjgur", country="PAK", admin1="Balochistan", feature="admin2"),
        Place("Persia", country="IRN", feature="country"),
        Place("somewhere", country="IRN"),
    ]
    article = Article(id="geo", events=[_event(location=place) for place in places])
    rows = _gdelt(_export(article_records([article]), "gdelt"))
    assert [row["ActionGeo_Type"] for row in rows] == ["5", "2", "4", "1", ""]
    assert rows[0]["ActionGeo_FullName"] == "Balochistan, Pakistan"
    assert [row["ActionGeo_ADM1Code"] for row in rows] == ["", "", "", "IR", ""]


def test_export_line_formats_write_an_empty_file_for_no_events() -> None:
    for format in ("jsonl", "gdelt", "polecat"):
        assert _export([], format) == ""


def test_export_parquet_round_trips_lists_and_types(article: Article, tmp_path: Path) -> None:
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    assert export_events(article_records([article, article]), path, format="parquet", batch_size=2) == 6
    table = pyarrow_parquet.read_table(path)
    assert table.column_names == list(FLAT_COLUMNS)
    assert table.schema.metadata[b"flashpoint_export"] == b"flat"
    rows = table.to_pylist()
    assert rows[0] == flat_record(article, article.events[0], 0)
    assert rows[0]["source_sector"] == [None, "MIL"] and rows[0]["evidence_text"] == EVIDENCE
    assert (rows[0]["quad_class"], rows[0]["reported"], rows[0]["location_lat"]) == (4, True, 27.37)
    assert pyarrow_parquet.ParquetFile(path).metadata.num_row_groups == 3


def test_export_parquet_empty_input_writes_the_schema(tmp_path: Path) -> None:
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    stream = io.BytesIO()
    assert export_events([], stream, format="parquet") == 0
    table = pyarrow_parquet.read_table(io.BytesIO(stream.getvalue()))
    assert (table.num_rows, table.column_names) == (0, list(FLAT_COLUMNS))


def test_export_jsonl_nests_actors_with_provenance(article: Article) -> None:
    strike, consult, _ = map(json.loads, _export(article_records([article]), "jsonl").splitlines())
    assert strike["event_id"] == "a1-0"
    assert strike["source"][1] == article.events[0].source[1].__dict__
    assert strike["evidence"]["text"] == EVIDENCE and strike["modality"]["reported"] is True
    assert strike["article"] == {
        "id": "a1",
        "url": "https://example.com/story",
        "title": "Strikes, then talks",
        "source": "Example Times",
        "published": "2024-01-19",
        "published_basis": "record",
        "origin": "articles.jsonl line 1",
        "language": "en",
    }
    assert strike["statement_post"] is None
    assert consult["statement_post"] == {"author": "Embassy", "handle": "emb", "date": "2024-01-19", "url": None}
    event_fields = set(article.events[0].to_dict())
    assert event_fields <= set(strike)


def test_export_polecat_uses_plover_field_names(article: Article) -> None:
    strike, consult, comment = map(json.loads, _export(article_records([article]), "polecat").splitlines())
    assert (strike["id"], strike["date"], strike["event"], strike["mode"]) == (
        "a1-0",
        "2024-01-18",
        ["ASSAULT"],
        ["aerial"],
    )
    assert (strike["quad_code"], strike["event_scale"], strike["context"]) == (4, -9.0, ["military"])
    assert comment["context"] == ["diplomatic", "economic"] and comment["quad_code"] is None
    assert [actor["code"] for actor in strike["actor"]] == ["PAK", "PAK"]
    assert strike["actor"][1]["sector"] == "MIL" and strike["actor"][1]["entity_text"] == "air force"
    assert strike["recipient"][0]["cameo_code"] == "IRNREB"
    assert strike["third_parties"][0]["code"] == "UNO" and strike["third_parties"][0]["sector"] is None
    assert strike["event_text"] == [EVIDENCE]
    assert strike["event_loc"]["province"] == "Sistan and Baluchestan"
    assert strike["event_loc"]["country_code"] == "IRN"
    assert (strike["event_loc"]["city"], strike["event_loc"]["resolution"]) == ("Saravan", 4)
    assert strike["cite_info"]["url"] == "https://example.com/story"
    assert strike["cite_info"]["publication"] == "Example Times"
    assert consult["statement"] == 0 and consult["actor"][0]["office"] == "foreign minister"


def test_export_polecat_maps_sectors_and_countries_to_plover() -> None:
    media = Actor("state media", "state media", country="IRN", sector="MED")
    health = Actor("medics", "medics", country="XKX", sector="HLH")
    record = ExportRecord(Article(id="s"), _event(source=[media], target=[health]), 0)
    polecat = polecat_record(record)
    assert polecat["actor"][0]["sector"] == "JRN"  # PLOVER renamed CAMEO's media code
    assert (polecat["recipient"][0]["code"], polecat["recipient"][0]["sector"]) == ("KOS", "MED")


def test_export_unknown_format_names_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "events.xlsx"
    with pytest.raises(FlashpointError) as error:
        export_events([], path, format="xlsx")
    assert error.value.code == "E440"
    assert "'xlsx'" in error.value.message and "csv, parquet, jsonl, gdelt, polecat" in error.value.message
    assert not path.exists()


def test_export_header_applies_to_csv_and_gdelt_only() -> None:
    with pytest.raises(FlashpointError) as error:
        export_events([], io.StringIO(), format="jsonl", header=True)
    assert error.value.code == "E443"


def test_export_parquet_refuses_a_text_stream() -> None:
    pytest.importorskip("pyarrow")
    with pytest.raises(FlashpointError) as error:
        export_events([], io.StringIO(), format="parquet")
    assert error.value.code == "E442"


def test_export_writes_paths_and_binary_streams(article: Article, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    assert export_events(article_records([article]), path, format="csv") == 3
    assert export_events(article_records([article]), str(tmp_path / "events.jsonl"), format="jsonl") == 3
    stream = io.BytesIO()
    assert export_events(article_records([article]), stream, format="csv") == 3
    assert not stream.closed  # the caller's stream stays open
    assert stream.getvalue() == path.read_bytes()


def test_export_unwritable_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FlashpointError) as error:
        export_events([], tmp_path / "missing" / "events.csv", format="csv")
    assert error.value.code == "E445" and "missing" in error.value.message


def test_export_bad_record_is_an_error(article: Article) -> None:
    with pytest.raises(FlashpointError) as error:
        export_events([(article, article.events[0]), "not a record"], io.StringIO(), format="csv")  # type: ignore[list-item]
    assert error.value.code == "E444" and "record 2" in error.value.message
    with pytest.raises(FlashpointError, match="E444"):
        export_events([("article", "event")], io.StringIO(), format="jsonl")  # type: ignore[list-item]


def test_export_line_formats_stream_their_records(article: Article) -> None:
    """Each line is written before the next record is read: an export never holds all events."""
    written: list[str] = []

    class Recorder(io.StringIO):
        def write(self, text: str) -> int:
            written.append(text)
            return len(text)

    def records() -> Iterator[tuple[Article, Event]]:
        for event in article.events:
            yield article, event
            assert written, "the first line was not written before the second record was read"

    for format in ("jsonl", "gdelt", "polecat"):
        written.clear()
        assert export_events(records(), Recorder(), format=format) == 3


@pytest.fixture(scope="session")
def coded_sample() -> Article:
    """The bundled sample through the default pipeline (published 2024-01-19)."""
    from flashpoint import code
    from flashpoint.samples import sample_text

    return code(sample_text(), id="sample", published="2024-01-19")


def test_export_coded_sample_in_every_format(coded_sample: Article, tmp_path: Path) -> None:
    events = len(coded_sample.events)
    assert events > 0
    for format in FORMATS:
        path = tmp_path / f"events.{format}"
        assert export_events(article_records([coded_sample]), path, format=format) == events
    rows = _read_csv((tmp_path / "events.csv").read_text("utf-8"))
    assert [row["event_id"] for row in rows] == [f"sample-{index}" for index in range(events)]
    assert {row["evidence_text"] for row in rows} == {event.evidence.text for event in coded_sample.events}
    gdelt = _gdelt((tmp_path / "events.gdelt").read_text("utf-8"))
    assert len(gdelt) == events and {row["SQLDATE"][:6] for row in gdelt} <= {"202401", ""}
    assert any(row["Actor1Code"] == "PAK" and row["Actor2Code"] == "IRNREB" for row in gdelt)
    polecat = [json.loads(line) for line in (tmp_path / "events.polecat").read_text("utf-8").splitlines()]
    assert [record["event"][0] for record in polecat] == [event.type for event in coded_sample.events]
