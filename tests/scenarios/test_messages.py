"""The one message catalogue: every key defined once, every text used by the app present."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from sapxep.scenarios import messages
from sapxep.scenarios.messages.columns import COLUMN_LABELS

ROOT = Path(__file__).resolve().parents[2]


def test_each_key_is_defined_in_one_table_only() -> None:
    """Every ``*_TEXT`` table of every catalogue module (and the column headers) is merged into
    the catalogue, and no key is defined twice."""
    tables: dict[str, set[str]] = {"columns": {f"col_{k}" for k in COLUMN_LABELS}}
    for mod in pkgutil.iter_modules(messages.__path__):
        module = importlib.import_module(f"sapxep.scenarios.messages.{mod.name}")
        for attr, value in vars(module).items():
            if attr.endswith("_TEXT") and isinstance(value, dict):
                tables[f"{mod.name}.{attr}"] = set(value)
    seen: dict[str, str] = {}
    for where, keys in tables.items():
        for k in keys:
            assert k not in seen, f"{k!r} is defined in {seen[k]} and {where}"
            seen[k] = where
    assert set(seen) == set(messages.CATALOGUE), "a table is not merged into the catalogue"


def test_every_text_has_both_languages_with_the_same_fields() -> None:
    for key, (vi, en) in {**messages.CATALOGUE, **messages.METRIC_LABELS}.items():
        assert vi.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)", vi)) == set(re.findall(r"{(\w+)", en)), key


def test_every_key_the_pages_use_exists() -> None:
    used: set[str] = set()
    for f in (ROOT / "app_pages").glob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"", f.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in messages.CATALOGUE)
    assert not missing


def test_tr_and_numbers() -> None:
    assert messages.tr("ruleset", "vi") == "Bộ tiêu chuẩn"
    assert messages.tr("ruleset", "en") == "Ruleset"
    assert messages.tr("no-such-key", "vi") == "no-such-key"
    assert messages.label is messages.tr
    with pytest.raises(ValueError, match="lang"):
        messages.tr("ruleset", "fr")
    assert messages.format_number(16000.5, 1, "vi") == "16.000,5"
    assert messages.format_number(16000.5, 1, "en") == "16,000.5"
    assert messages.format_value(True, "vi") == "Có"
    assert messages.format_value(float("nan"), "en") == "—"


def test_display_names() -> None:
    assert messages.display_name("dataset", "phu_tho_2023", "vi").startswith("Phú Thọ")
    assert messages.display_name("dataset", "upload:xa.geojson", "vi") == "xa.geojson"
    assert messages.display_name("unit_type", "phuong", "vi") == "Phường"
    assert messages.display_name("terrain", "lowland", "en") == "Lowland"
    assert messages.display_name("relation", "merged", "vi") == "Nhập"
    assert messages.display_name("terrain", None, "vi") == "—"
    assert messages.display_name("terrain", "other", "vi") == "other"
