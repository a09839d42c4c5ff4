"""docs/schema.md documents every field of the schema and the PLOVER table as the package has it."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from flashpoint.events import tables
from flashpoint.model import Actor, Article, Event, Evidence, Modality, Place, Statement

DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"


def documented_names() -> set[str]:
    """The names in the first column of every table of the document."""
    cells = re.findall(r"^\| `([^`]+)`(?:, `([^`]+)`)? \|", DOC.read_text("utf-8"), flags=re.MULTILINE)
    return {name for pair in cells for name in pair if name}


@pytest.mark.parametrize("schema", [Event, Actor, Place, Modality, Evidence, Article, Statement])
def test_schema_doc_documents_every_field(schema: type) -> None:
    missing = {field.name for field in fields(schema)} - documented_names() - {"doc", "statement_docs"}
    assert not missing, f"{schema.__name__} fields missing from docs/schema.md: {sorted(missing)}"


def test_schema_doc_plover_table_matches_the_data() -> None:
    rows = re.findall(r"^\| ([A-Z]+) \| (\d) \| (-?[\d.]+) \| (\d+) \| (.+) \|$", DOC.read_text("utf-8"),
                      flags=re.MULTILINE)
    assert [row[0] for row in rows] == list(tables.plover_types())
    for plover_type, quad, intensity, cameo, modes in rows:
        entry = tables.plover(plover_type)
        expected = (entry.quad_class, entry.intensity, entry.default_cameo)
        assert (int(quad), float(intensity), cameo) == expected
        assert [mode for mode in modes.split(", ") if mode != "–"] == list(entry.modes)
