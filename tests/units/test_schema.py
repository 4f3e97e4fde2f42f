"""The units schema is declared once and every layer reads it."""

from __future__ import annotations

from pathlib import Path

from sapxep.geodata import normalise
from sapxep.scenarios.workspace.schema import UNIT_COLUMNS
from sapxep.units.schema import BOOL_COLUMNS, REQUIRED_COLUMNS, SCHEMA_ORDER, UNIT_SCHEMA

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ARCHITECTURE.md"


def test_normalise_and_workspace_use_the_one_schema() -> None:
    assert normalise.SCHEMA_ORDER is SCHEMA_ORDER and normalise.BOOL_COLUMNS is BOOL_COLUMNS
    assert list(UNIT_COLUMNS) == [c.name for c in UNIT_SCHEMA if c.stored]
    assert {UNIT_COLUMNS[c] for c in BOOL_COLUMNS} == {"BOOLEAN"}
    assert UNIT_COLUMNS["population"] == "INTEGER" and UNIT_COLUMNS["area_km2"] == "REAL"
    assert len(set(SCHEMA_ORDER)) == len(SCHEMA_ORDER)
    assert {"code", "name", "population", "area_km2", "terrain"} <= set(REQUIRED_COLUMNS)


def test_architecture_doc_lists_every_column() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## The units table", 1)[1].split("\n## ", 1)[0]
    missing = [c for c in SCHEMA_ORDER if f"`{c}`" not in section]
    assert missing == []
