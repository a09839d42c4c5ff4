"""The CAMEO and PLOVER tables: values from the references, consistency between the files, round trips."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashpoint.events import tables

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO.parent / "shared" / "reference"
DATA = REPO / "flashpoint" / "data" / "events"
needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference is not here")

TYPES = [
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
# PLOVER manual Draft 2.0, Table 7.2, except REQUEST: verbal cooperation here (see plover.tsv's note).
QUADS = {
    "AGREE": 1,
    "CONSULT": 1,
    "SUPPORT": 1,
    "CONCEDE": 1,
    "COOPERATE": 2,
    "AID": 2,
    "RETREAT": 2,
    "REQUEST": 1,
    "ACCUSE": 3,
    "REJECT": 3,
    "THREATEN": 3,
    "SANCTION": 3,
    "PROTEST": 4,
    "MOBILIZE": 4,
    "COERCE": 4,
    "ASSAULT": 4,
}


@pytest.fixture(scope="module")
def build() -> ModuleType:
    """scripts/build_event_tables.py, imported from its path."""
    path = REPO / "scripts" / "build_event_tables.py"
    spec = importlib.util.spec_from_file_location("build_event_tables", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def reference_goldstein() -> dict[str, float]:
    lines = (REFERENCE / "cameo_codes_goldstein.tsv").read_text("utf-8").splitlines()[1:]
    return {line.split("\t")[0]: float(line.split("\t")[2]) for line in lines}


@needs_reference
def test_tables_goldstein_equals_reference_value() -> None:
    assert tables.goldstein("195") == reference_goldstein()["195"] == -10.0


@needs_reference
def test_tables_goldstein_follows_the_named_reference_code() -> None:
    values = reference_goldstein()
    for code in tables.cameo_codes():
        entry = tables.cameo(code)
        assert entry.goldstein == values[entry.goldstein_from], code


def test_tables_goldstein_follows_meaning_not_number() -> None:
    """The GDELT list numbers embargoes 166; CAMEO 1.1b3 (and flashpoint) number them 163."""
    embargo = tables.cameo("163")
    assert embargo.description == "Impose embargo, boycott, or sanctions"
    assert (embargo.goldstein, embargo.goldstein_from, embargo.plover_type) == (-8.0, "166", "COERCE")
    assert tables.cameo("164").description == "Halt negotiations"
    with pytest.raises(KeyError):
        tables.cameo("1641")


def test_tables_has_the_sixteen_plover_types() -> None:
    assert list(tables.plover_types()) == TYPES


@pytest.mark.parametrize("plover_type", TYPES)
def test_tables_type_has_intensity_and_default_cameo_of_its_type(plover_type: str) -> None:
    entry = tables.plover(plover_type)
    assert -10 <= entry.intensity <= 10
    assert entry.definition and entry.score_from
    assert tables.cameo(entry.default_cameo).plover_type == plover_type
    assert len(entry.default_cameo) == 3


@pytest.mark.parametrize("plover_type", TYPES)
def test_tables_quad_class_of_type(plover_type: str) -> None:
    assert tables.quad_class(plover_type) == QUADS[plover_type]
    for mode in tables.plover(plover_type).modes:
        assert tables.quad_class(plover_type, mode) == QUADS[plover_type]


def test_tables_concede_is_verbal_and_retreat_material() -> None:
    assert tables.quad_class("CONCEDE") == 1
    assert tables.quad_class("RETREAT", "withdraw") == 2


def test_tables_intensity_sign_agrees_with_quad_class() -> None:
    for plover_type in TYPES:
        score = tables.intensity(plover_type)
        assert score >= 0 if QUADS[plover_type] <= 2 else score <= 0, plover_type


def test_tables_intensity_values_from_manual_table_2_2() -> None:
    assert tables.intensity("ASSAULT") == -9
    assert tables.intensity("AID") == 10
    assert tables.intensity("ASSAULT", "aerial") == -9.5
    assert tables.intensity("ASSAULT", "assassinate") == -9.5  # the manual's "targeted"
    assert tables.intensity("CONSULT", "phone") == 1.5
    assert tables.intensity("RETREAT", "return") == tables.intensity("RETREAT")  # not scored: the type's
    assert tables.intensity("ACCUSE") == -3  # printed "3" in the manual: sign restored, see plover.tsv


def test_tables_every_mode_has_an_entry_whose_cameo_is_of_its_type() -> None:
    listed = {(t, m) for t in TYPES for m in tables.plover(t).modes}
    rows = {(row["type"], row["mode"]) for row in tables.read_table("plover_modes.tsv")}
    assert listed == rows
    for plover_type, mode in listed:
        assert tables.cameo(tables.default_cameo(plover_type, mode)).plover_type == plover_type


def test_tables_cameo_rows_agree_with_plover_types() -> None:
    for code in tables.cameo_codes():
        entry = tables.cameo(code)
        if not entry.plover_type:
            assert code[:2] in {"01", "02"} and entry.quad_class == 0
            continue
        assert entry.quad_class == QUADS[entry.plover_type], code
        assert entry.mode is None or entry.mode in tables.plover(entry.plover_type).modes, code


@pytest.mark.parametrize(
    ("plover_type", "mode", "code", "description"),
    [
        ("ASSAULT", "aerial", "195", "Employ aerial weapons"),
        ("CONSULT", "phone", "041", "Discuss by telephone"),
        ("AGREE", None, "030", "Express intent to cooperate"),
        ("AGREE", "military", "0312", "Express intent to cooperate militarily"),
        ("ASSAULT", "military", "190", "Use conventional military force"),
        ("assault", "Heavy-Weapons", "194", "Fight with artillery and tanks"),
    ],
)
def test_tables_default_cameo_by_type_mode_or_context(
    plover_type: str, mode: str | None, code: str, description: str
) -> None:
    assert tables.default_cameo(plover_type, mode) == code
    assert tables.cameo(code).description == description


def test_tables_unknown_keys_raise_clear_key_errors() -> None:
    with pytest.raises(KeyError, match="Unknown CAMEO code '999'"):
        tables.cameo("999")
    with pytest.raises(KeyError, match="leading zeros"):
        tables.cameo(41)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="Unknown PLOVER event type 'INVESTIGATE'"):
        tables.plover("INVESTIGATE")
    with pytest.raises(KeyError, match="neither a mode of ASSAULT"):
        tables.default_cameo("ASSAULT", "banana")
    with pytest.raises(KeyError, match="Unknown mode 'phone' for PLOVER type ASSAULT"):
        tables.quad_class("ASSAULT", "phone")


def test_tables_dropped_cameo_codes_have_no_plover_type() -> None:
    entry = tables.cameo("010")
    assert (entry.plover_type, entry.quad_class, entry.goldstein) == ("", 0, 0.0)


def test_tables_are_loaded_once() -> None:
    assert tables.cameo("190") is tables.cameo("190")
    assert tables.plover("ASSAULT") is tables.plover("ASSAULT")


def test_tables_cameo_tsv_round_trips(build: ModuleType) -> None:
    """What the package reads, written back by the build script, is the file byte for byte."""
    rows = [build.CameoRow(**row) for row in tables.read_table("cameo.tsv")]
    assert build.render(rows) == (DATA / "cameo.tsv").read_text("utf-8")


@given(st.sampled_from(tables.cameo_codes()))
def test_tables_cameo_entry_round_trips_its_row(code: str) -> None:
    row = next(row for row in tables.read_table("cameo.tsv") if row["code"] == code)
    entry = tables.cameo(code)
    written = [
        entry.code,
        entry.description,
        str(entry.goldstein),
        entry.goldstein_from,
        entry.plover_type,
        entry.mode or "",
        entry.context or "",
        str(entry.quad_class),
        entry.note,
    ]
    assert written == list(row.values())


@needs_reference
def test_tables_cameo_tsv_is_up_to_date(build: ModuleType) -> None:
    assert build.render(build.build_rows(REFERENCE)) == (DATA / "cameo.tsv").read_text("utf-8")


@needs_reference
def test_tables_modes_are_the_codebooks() -> None:
    modes: dict[str, list[str]] = {}
    with (REFERENCE / "plover_codebook.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            listed = modes.setdefault(row["event"], [])
            if row["mode"] and row["mode"] not in listed:
                listed.append(row["mode"])
    assert list(modes) == TYPES
    assert {t: list(tables.plover(t).modes) for t in TYPES} == modes


def test_tables_know_every_code_of_the_cue_list() -> None:
    cues = DATA / "cues.tsv"
    if not cues.exists():
        pytest.skip("data/events/cues.tsv is not here")
    lines = [line for line in cues.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    for row in csv.reader(lines[1:], delimiter="\t"):
        codes = [row[2]] + [
            item.split("=")[1] for item in (row[4] if len(row) > 4 else "").split("|") if item
        ]
        for code in codes:
            assert tables.cameo(code).plover_type, f"cues.tsv: {row[0]} -> {code}"
