"""Tests of the rule data, the named rulesets, unit standards and new-unit floors."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sapxep.units.errors import DataValidationError, RulesetError
from sapxep.units.rules import (
    legal_data,
    list_rulesets,
    load_ruleset,
    new_unit_floor,
    new_unit_floors,
    unit_standard,
)

BUILTIN = ["nq112_2026", "nq35_2023", "nq35_2026", "nq76_2025"]


def unit(**kw: Any) -> dict[str, Any]:
    """A lowland xã row; keywords override."""
    row: dict[str, Any] = {
        "code": "00001",
        "name": "Xã Thử",
        "unit_type": "xa",
        "parent_kind": "huyen",
        "terrain": "lowland",
        "area_km2": 10.0,
        "population": 5000,
        "ethnic_minority_share": float("nan"),
        "border": False,
        "island": False,
        "coastal_disadvantaged": False,
        "red_river_delta": False,
    }
    row.update(kw)
    return row


# --------------------------------------------------------------------------- data and rulesets


def test_builtin_rulesets_are_listed_and_load() -> None:
    assert list_rulesets() == BUILTIN
    for name in BUILTIN:
        rs = load_ruleset(name)
        assert rs.name == name
        assert rs.title
        assert rs.sources, name
        for s in rs.sources:
            assert s.article and s.confidence, s
            assert s.url.startswith("http"), s


def test_every_rule_entry_carries_article_source_and_confidence() -> None:
    data = legal_data()
    entries: list[tuple[str, dict[str, Any]]] = []
    for section in ("standards", "new_unit"):
        for basis, table in data[section].items():
            entries += [(f"{section}.{basis}.{k}", v) for k, v in table.items()]
    for section in (
        "special_factors",
        "must_arrange",
        "exemptions",
        "waivers",
        "unit_kind_rule",
        "exceptions",
        "island_district",
        "naming",
        "repeals",
    ):
        entries += [(f"{section}.{k}", v) for k, v in data[section].items()]
    assert len(entries) == 31
    for rid, entry in entries:
        assert entry.get("article"), rid
        assert str(entry.get("source", "")).startswith("http"), rid
        assert entry.get("confidence") in {"primary", "cross-checked", "single", "derived", "unverified"}, rid


def test_ruleset_parameters() -> None:
    r35 = load_ruleset("nq35_2023")
    assert r35.standards_basis == "nq1211_2016"
    assert [c.id for c in r35.must_arrange] == ["nq35_p1_both_lt70", "nq35_p1_commune_small_area"]
    assert r35.exempt_if_arranged_in == ("2019_2021",)
    assert r35.waiver_min_members == 0 and not r35.waiver_enabled
    assert r35.new_unit.is_assumption and r35.new_unit.population_pct == 70
    assert any("Assumption" in n for n in r35.notes_en)
    assert r35.repealed and "hết hiệu lực từ 15/04/2025" in r35.notes[0]
    r26 = load_ruleset("nq35_2026")
    assert r26.exempt_if_arranged_in == ("2019_2021", "2023_2025")
    assert [c.id for c in r26.must_arrange] == ["nq35_p2_both_lt100", "nq35_p2_commune_small_area"]
    assert r26.repealed and "hết hiệu lực từ 15/04/2025" in r26.notes[0]
    r76 = load_ruleset("nq76_2025")
    assert r76.waiver_min_members == 3 and r76.allow_single_if_meets
    assert r76.thi_tran_as_xa and not r76.singles_must_meet_floor and r76.allow_exceptions
    assert not r76.repealed and not any("UNVERIFIED" in n for n in r76.notes + r76.notes_en)
    assert r76.waiver_article == "NQ 76/2025 Điều 5 khoản 2"
    assert any(s.rule == "waivers.nq76_2025_three_units" for s in r76.sources)
    r112 = load_ruleset("nq112_2026")
    assert r112.standards_basis == "nq112_2025"
    assert r112.must_arrange[0].confidence == "assumption"
    with pytest.raises(dataclasses.FrozenInstanceError):
        r76.waiver_min_members = 4  # type: ignore[misc]


# --------------------------------------------------------------------------- unit standards, 1211/27


@pytest.mark.parametrize(
    ("row", "pop", "area"),
    [
        (unit(terrain="mountainous"), 5000, 50.0),
        (unit(terrain="lowland"), 8000, 30.0),
        (unit(unit_type="phuong", parent_kind="quan"), 15000, 5.5),
        (unit(unit_type="phuong", parent_kind="thanh_pho"), 7000, 5.5),
        (unit(unit_type="phuong", parent_kind="thi_xa"), 5000, 5.5),
        (unit(unit_type="thi_tran", terrain="mountainous"), 8000, 14.0),
        (unit(island=True), 8000, 30.0),  # island standards of 1211 are UNVERIFIED
    ],
)
def test_unit_standard_1211(row: dict[str, Any], pop: int, area: float) -> None:
    std = unit_standard(row, load_ruleset("nq35_2023"))
    assert (std.population_min, std.area_min_km2) == (pop, area)
    assert std.basis == "nq1211_2016"
    assert std.reductions == ()


@pytest.mark.parametrize(
    ("row", "pop", "area", "reductions"),
    [
        # border: population 50 %
        (unit(border=True), 4000, 30.0, ("border",)),
        # ethnic >= 30 % in a mountainous area: 50 %, -5 % per further 10 %, floor 20 %
        (unit(terrain="mountainous", ethnic_minority_share=0.30), 2500, 50.0, ("ethnic_minority",)),
        (unit(terrain="mountainous", ethnic_minority_share=0.399), 2500, 50.0, ("ethnic_minority",)),
        (unit(terrain="mountainous", ethnic_minority_share=0.40), 2250, 50.0, ("ethnic_minority",)),
        (unit(terrain="mountainous", ethnic_minority_share=0.55), 2000, 50.0, ("ethnic_minority",)),
        (unit(terrain="mountainous", ethnic_minority_share=0.90), 1000, 50.0, ("ethnic_minority",)),
        (unit(terrain="mountainous", ethnic_minority_share=1.0), 1000, 50.0, ("ethnic_minority",)),
        # ethnic share counts only in a mountainous area
        (unit(terrain="lowland", ethnic_minority_share=0.60), 8000, 30.0, ()),
        (unit(terrain="mountainous", ethnic_minority_share=0.29), 5000, 50.0, ()),
        # border + ethnic share: the further ethnic reductions apply
        (unit(terrain="mountainous", border=True, ethnic_minority_share=0.50), 2000, 50.0,
         ("ethnic_minority",)),
        # coastal disadvantaged: 50 % of the "other xã" level = 4,000
        (unit(coastal_disadvantaged=True), 4000, 30.0, ("coastal_disadvantaged",)),
        (unit(terrain="mountainous", coastal_disadvantaged=True), 4000, 50.0,
         ("coastal_disadvantaged",)),
        # Red River Delta: area 70 %
        (unit(red_river_delta=True), 8000, 21.0, ("red_river_delta",)),
        # one reduction per standard: border and coastal do not stack (4,000, not 2,000)
        (unit(border=True, coastal_disadvantaged=True), 4000, 30.0, ("border",)),
        # but population and area are separate standards
        (unit(border=True, red_river_delta=True), 4000, 21.0, ("border", "red_river_delta")),
        # special factors are for rural units only
        (unit(unit_type="phuong", parent_kind="quan", border=True, red_river_delta=True), 15000, 5.5, ()),
    ],
)  # fmt: skip
def test_special_factor_reductions_1211(
    row: dict[str, Any], pop: int, area: float, reductions: tuple[str, ...]
) -> None:
    std = unit_standard(row, load_ruleset("nq35_2023"))
    assert (std.population_min, std.area_min_km2) == (pop, area)
    assert std.reductions == reductions
    if reductions:
        assert "Điều 3a" in std.article


def test_phuong_without_district_kind_is_a_data_error() -> None:
    with pytest.raises(DataValidationError, match="parent_kind"):
        unit_standard(unit(unit_type="phuong", parent_kind="huyen"), load_ruleset("nq35_2023"))


# --------------------------------------------------------------------------- unit standards, NQ 112


@pytest.mark.parametrize(
    ("row", "pop", "area"),
    [
        (unit(), 16000, 30.0),
        (unit(terrain="mountainous"), 5000, 100.0),
        (unit(island=True), 2500, 15.0),
        (unit(unit_type="phuong", parent_kind="quan"), 21000, 5.5),
        (unit(unit_type="phuong", parent_kind="huyen"), 21000, 5.5),
        (unit(unit_type="thi_tran"), 16000, 30.0),  # measured as a xã from 2026
        (unit(terrain="mountainous", ethnic_minority_share=0.45), 5000, 100.0),  # threshold is 50 %
        (unit(terrain="mountainous", ethnic_minority_share=0.60), 2250, 100.0),
        (unit(coastal_disadvantaged=True), 8000, 30.0),
        (unit(red_river_delta=True), 16000, 21.0),
    ],
)
def test_unit_standard_112(row: dict[str, Any], pop: int, area: float) -> None:
    std = unit_standard(row, load_ruleset("nq112_2026"))
    assert (std.population_min, std.area_min_km2) == (pop, area)


# --------------------------------------------------------------------------- new-unit floors


@pytest.mark.parametrize(
    ("row", "n", "pop", "area", "waived", "utype"),
    [
        (unit(), 2, 16000, 30.0, False, "xa"),
        (unit(), 3, 16000, 30.0, True, "xa"),
        (unit(terrain="mountainous"), 2, 5000, 100.0, False, "xa"),
        (unit(unit_type="thi_tran"), 2, 16000, 30.0, False, "xa"),  # thị trấn seat -> xã
        (unit(unit_type="phuong", parent_kind="thanh_pho"), 2, 21000, 5.5, False, "phuong"),
        (unit(unit_type="phuong", parent_kind="quan", centrally_run_city=True), 2, 45000,
         5.5, False, "phuong"),
        # Art. 5(1)(c): where the ward itself lies (mountainous or border), not the province
        (unit(unit_type="phuong", parent_kind="thi_xa", terrain="mountainous"),
         3, 15000, 5.5, True, "phuong"),
        (unit(unit_type="phuong", parent_kind="thi_xa", border=True), 2, 15000, 5.5, False, "phuong"),
        # NQ 76 floors are % of the base standard: no special-factor reductions
        (unit(border=True, red_river_delta=True), 2, 16000, 30.0, False, "xa"),
    ],
)  # fmt: skip
def test_new_unit_floor_nq76(
    row: dict[str, Any], n: int, pop: int, area: float, waived: bool, utype: str
) -> None:
    fl = new_unit_floor(row, load_ruleset("nq76_2025"), n_members=n)
    assert (fl.population_min, fl.area_min_km2, fl.waived, fl.unit_type) == (pop, area, waived, utype)
    assert "NQ 76/2025 Điều 5" in fl.article
    assert not fl.is_assumption


def test_new_unit_floor_nq35_is_the_seat_standard_and_labelled_assumption() -> None:
    rs = load_ruleset("nq35_2023")
    fl = new_unit_floor(unit(unit_type="thi_tran"), rs, n_members=5)
    # default: leave the must-arrange scope, population >= 70 % and area >= 20 % (assumption)
    assert (fl.population_min, fl.area_min_km2, fl.waived, fl.unit_type) == (5600, 2.8, False, "thi_tran")
    assert fl.is_assumption and "giả định" in fl.article
    fl = new_unit_floor(unit(terrain="mountainous", border=True), rs, n_members=2)
    assert (fl.population_min, fl.area_min_km2) == (1750, 10.0)
    fl = new_unit_floor(unit(), load_ruleset("nq112_2026"), n_members=2)
    assert (fl.population_min, fl.area_min_km2) == (16000, 30.0)


def test_new_unit_floors_frame() -> None:
    units = pd.DataFrame(
        [
            unit(code="A"),
            unit(code="B", terrain="mountainous"),
            unit(code="C", unit_type="phuong", parent_kind="thanh_pho"),
            unit(code="D", unit_type="thi_tran"),
        ]
    )
    fl = new_unit_floors(units, load_ruleset("nq76_2025"))
    assert list(fl.index) == ["A", "B", "C", "D"]
    assert list(fl.columns[:4]) == ["code", "population_min", "area_min_km2", "waiver_min_members"]
    assert fl["population_min"].tolist() == [16000, 5000, 21000, 16000]
    assert fl["area_min_km2"].tolist() == [30.0, 100.0, 5.5, 30.0]
    assert fl["waiver_min_members"].tolist() == [3, 3, 3, 3]
    assert fl["new_unit_type"].tolist() == ["xa", "xa", "phuong", "xa"]
    assert str(fl["population_min"].dtype) == "int64"
    fl35 = new_unit_floors(units, load_ruleset("nq35_2023"))
    assert fl35["waiver_min_members"].tolist() == [0, 0, 0, 0]
    assert fl35["population_min"].tolist() == [5600, 3500, 4900, 5600]
    bad = pd.concat([units, pd.DataFrame([unit(code="E", unit_type="phuong", parent_kind="huyen"),
                                          unit(code="F", unit_type="phuong", parent_kind="")])])  # fmt: skip
    with pytest.raises(DataValidationError) as err:
        new_unit_floors(bad, load_ruleset("nq35_2023"))
    assert len(err.value.problems) == 2


# --------------------------------------------------------------------------- user rulesets


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_user_ruleset_extends_and_overrides(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """
extends = "nq76_2025"
title = "Wards only waiver, big-city wards"
waiver_unit_types = ["phuong"]
centrally_run_city = true
""",
    )
    rs = load_ruleset(p)
    assert rs.name == "mine"  # default name: the file stem
    assert rs.waiver_min_members == 3  # inherited
    row = unit(unit_type="phuong", parent_kind="quan")
    assert new_unit_floor(row, rs, n_members=2).population_min == 45000
    assert new_unit_floor(unit(), rs, n_members=3).waived is False  # xã no longer waived
    assert new_unit_floor(row, rs, n_members=3).waived is True


def test_user_ruleset_new_unit_parameters_and_inline_criterion(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """
extends = "nq35_2023"
name = "nq35_strict"
must_arrange = ["nq35_p1_both_lt70",
  {id = "local", area_lt_pct = 50, population_lt_pct = 150, article = "Local plan", source = "https://example.org/plan"}]
[new_unit]
population_pct = 150
""",
    )
    rs = load_ruleset(p)
    assert rs.name == "nq35_strict"
    assert rs.new_unit.population_pct == 150 and rs.new_unit.area_pct == 20  # table merged
    assert new_unit_floor(unit(), rs, n_members=2).population_min == 12000
    assert [c.id for c in rs.must_arrange] == ["nq35_p1_both_lt70", "local"]
    assert rs.must_arrange[1].confidence == "assumption"


def test_user_ruleset_extends_a_file(tmp_path: Path) -> None:
    write(tmp_path, 'extends = "nq76_2025"\nwaiver_min_members = 4\n', "base.toml")
    p = write(tmp_path, 'extends = "base.toml"\ncentrally_run_city = true\n')
    rs = load_ruleset(p)
    assert rs.waiver_min_members == 4 and rs.centrally_run_city


def test_bad_user_ruleset_reports_every_problem(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """
extends = "nq76_2025"
waiver_min_member = 3
allow_single_if_meets = "yes"
name_style = "sea"
must_arrange = ["nq35_p1_both_lt7"]
waiver_unit_types = ["commune"]
[new_unit]
mode = "nq76"
area_pct = -5
""",
    )
    with pytest.raises(RulesetError) as err:
        load_ruleset(p)
    msgs = "\n".join(err.value.problems)
    assert len(err.value.problems) >= 7, msgs
    assert "waiver_min_member: unknown key (did you mean 'waiver_min_members'?)" in msgs
    assert "allow_single_if_meets: expected true/false" in msgs
    assert "name_style = 'sea'" in msgs and "did you mean 'seat'" in msgs
    assert "must_arrange[0] = 'nq35_p1_both_lt7'" in msgs and "nq35_p1_both_lt70" in msgs
    assert "waiver_unit_types" in msgs
    assert "new_unit.mode = 'nq76'" in msgs
    assert "new_unit.area_pct = -5" in msgs
    assert str(p) in str(err.value)


def test_bad_user_ruleset_files(tmp_path: Path) -> None:
    with pytest.raises(RulesetError, match="not valid TOML"):
        load_ruleset(write(tmp_path, "waiver_min_members = = 3"))
    with pytest.raises(RulesetError, match="no such ruleset"):
        load_ruleset(write(tmp_path, 'extends = "nq77_2025"\n'))
    with pytest.raises(RulesetError, match="not found"):
        load_ruleset(tmp_path / "missing.toml")
    with pytest.raises(RulesetError, match="nq35_2023"):
        load_ruleset("nq36_2023")
    a = write(tmp_path, 'extends = "b.toml"\n', "a.toml")
    write(tmp_path, 'extends = "a.toml"\n', "b.toml")
    with pytest.raises(RulesetError, match="loops"):
        load_ruleset(a)
    with pytest.raises(RulesetError, match="waiver_min_members = 1"):
        load_ruleset(write(tmp_path, 'extends = "nq76_2025"\nwaiver_min_members = 1\n'))
    with pytest.raises(RulesetError, match="missing"):
        load_ruleset(write(tmp_path, 'must_arrange = [{id = "x", area_lt_pct = 50}]\n'))
