"""The store-backed commands end to end in process: ingest, then places, dyad and export over the store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flashpoint.cli import main

WIRE = (
    "Iran launched missile strikes against militants in Pakistan's Balochistan province on Tuesday, Pakistani "
    "officials said. Islamabad condemned the attack as a violation of its airspace."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, sample: str) -> str:
    folder = tmp_path_factory.mktemp("store")
    records = [
        {"id": "sample", "text": sample, "published": "2024-01-19", "source": "tribune"},
        {"id": "sample-copy", "text": sample + "\nShare this story.", "published": "2024-01-19", "source": "mirror"},
        {"id": "wire", "text": WIRE, "published": "2024-01-17", "source": "wire"},
    ]
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    url = f"sqlite:///{folder / 'events.db'}"
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", url])
    assert result.exit_code == 0, result.output
    assert "3 stored" in result.output and "1 of the stored copy an earlier article" in result.output
    return url


def test_cli_ingest_twice_adds_nothing(db: str, tmp_path: Path) -> None:
    path = tmp_path / "again.jsonl"
    path.write_text(json.dumps({"id": "wire", "text": WIRE, "published": "2024-01-17"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", db])
    assert result.exit_code == 0 and "0 stored" in result.output and "1 already stored" in result.output


def test_cli_export_gives_one_row_per_event_with_cluster_counts(db: str) -> None:
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "csv", "--dyad", "PAK-IRN"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    strikes = [row for row in rows if row["type"] == "ASSAULT" and row["source_country"] == "IRN"]
    assert strikes and max(int(row["num_articles"] or 1) for row in strikes) == 2  # the sample and the wire
    assert not any(row["article_id"] == "sample-copy" for row in rows)  # a copy's events are not counted


def test_cli_export_gdelt_has_61_columns(db: str) -> None:
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "gdelt"])
    lines = [line for line in result.stdout.split("\n") if line]
    assert lines and all(len(line.split("\t")) == 61 for line in lines)


def test_cli_dyad_json_marks_the_samples_de_escalation(db: str) -> None:
    result = CliRunner().invoke(main, ["dyad", "PAK", "IRN", "--db", db, "--format", "json"])
    report = json.loads(result.stdout)
    assert [point["direction"] for point in report["turning_points"]] == ["de-escalation"]
    drivers = report["turning_points"][0]["drivers"]
    assert {event["type"] for driver in drivers for event in driver["events"]} <= {"AGREE", "CONSULT", "COOPERATE"}


def test_cli_dyad_png_is_written(db: str, tmp_path: Path) -> None:
    out = tmp_path / "pak-irn.png"
    result = CliRunner().invoke(main, ["dyad", "PAK", "IRN", "--db", db, "--format", "png", "-o", str(out)])
    assert result.exit_code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_dyad_rejects_a_code_that_is_not_a_country_code(db: str) -> None:
    result = CliRunner().invoke(main, ["dyad", "PAKISTAN", "IRN", "--db", db])
    assert result.exit_code == 2 and "alpha-3" in result.output


def test_cli_places_json_gives_offsets_and_use(tmp_path: Path, sample: str) -> None:
    path = tmp_path / "sample.txt"
    path.write_text(sample, encoding="utf-8")
    result = CliRunner().invoke(main, ["places", str(path), "--format", "json"])
    places = json.loads(result.stdout)["places"]
    panjgur = [place for place in places if place["name"].startswith("Panjgur")]
    assert panjgur and panjgur[0]["country"] == "PAK" and panjgur[0]["use"] == "location"
    assert set(places[0]) == {"text", "start", "end", "name", "geonames_id", "country", "admin1", "lat", "lon", "use"}


def test_cli_store_series_counts_a_reported_event_once(db: str) -> None:
    # Iran's strike is reported by the sample and by the wire: one cluster, counted once in the series
    from flashpoint.store import EventQuery, open_store

    with open_store(db) as store:
        strikes = [e for e in store.events(EventQuery(source="IRN", type="ASSAULT")) if e.cluster_id]
        points = store.series("IRN", "PAK")
    assert len({event.article_id for event in strikes}) == 2 and len({e.cluster_id for e in strikes}) == 1
    counted = [cluster for point in points for cluster in point.clusters if cluster == strikes[0].cluster_id]
    assert counted == [strikes[0].cluster_id]
