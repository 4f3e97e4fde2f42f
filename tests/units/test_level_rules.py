"""Rulesets per level: standards with sources, must-arrange criteria, new-unit floors."""

from __future__ import annotations

import pandas as pd
import pytest

from sapxep.units.assessment import assess_units
from sapxep.units.errors import RulesetError
from sapxep.units.rules import load_ruleset, new_unit_floor, unit_standard
from sapxep.units.rules.level_rules import level_entries, ruleset_for_level


def test_every_level_number_has_a_source() -> None:
    for basis in ("nq1211_2016", "nq112_2025"):
        for e in level_entries(basis):
            assert e.article
            if e.confidence != "unverified":
                assert e.source.startswith("http") and e.population_min > 0 and e.area_min_km2 > 0


def test_province_standards_1211_and_112() -> None:
    r76 = ruleset_for_level(load_ruleset("nq76_2025"), "province")
    r112 = ruleset_for_level(load_ruleset("nq112_2026"), "province")
    tinh = {"code": "1", "unit_type": "tinh", "terrain": "lowland"}
    city = {"code": "2", "unit_type": "thanh_pho_tw", "terrain": "lowland"}
    mountain = {"code": "3", "unit_type": "tinh", "terrain": "mountainous"}
    assert (unit_standard(tinh, r76).population_min, unit_standard(tinh, r76).area_min_km2) == (
        1_400_000,
        5000.0,
    )
    assert unit_standard(mountain, r76).population_min == 900_000
    assert unit_standard(city, r76).population_min == 1_000_000
    assert (unit_standard(city, r112).population_min, unit_standard(city, r112).area_min_km2) == (
        2_500_000,
        2500.0,
    )
    floor = new_unit_floor(tinh, r76, n_members=2)
    assert (floor.population_min, floor.area_min_km2, floor.waived) == (1_400_000, 5000.0, False)
    assert floor.is_assumption and "Điều 4" in floor.article
    assert r76.name == "nq76_2025@province" and "cấp tỉnh" in r76.title
    assert any("Điều 4" in n for n in r76.notes)
    assert ruleset_for_level(r76, "province") is r76


def test_district_criteria_nq35() -> None:
    r = ruleset_for_level(load_ruleset("nq35_2023"), "district")
    units = pd.DataFrame(
        [
            {"code": "1", "name": "Huyện A", "unit_type": "huyen", "terrain": "lowland",
             "area_km2": 300.0, "population": 80_000},  # 66 % and 66 %: both < 70 %
            {"code": "2", "name": "Huyện B", "unit_type": "huyen", "terrain": "lowland",
             "area_km2": 320.0, "population": 90_000},  # 71 % area
            {"code": "3", "name": "Quận C", "unit_type": "quan", "terrain": "lowland",
             "area_km2": 10.0, "population": 200_000},  # no quận standard collected
        ]
    )  # fmt: skip
    a = assess_units(units, r)
    assert a.loc["1", "must_arrange"] and "NQ 35/2023 Điều 1 khoản 2 điểm a" in a.loc["1", "reason"]
    assert not a.loc["2", "must_arrange"]
    assert not a.loc["3", "determined"] and "chưa" in a.loc["3", "reason"]


@pytest.mark.parametrize(("name", "level"), [("nq112_2026", "district"), ("nq76_2025", "district"),
                                             ("nq35_2023", "province")])  # fmt: skip
def test_levels_a_ruleset_does_not_cover(name: str, level: str) -> None:
    with pytest.raises(RulesetError, match=f"no rules for the {level} level"):
        ruleset_for_level(load_ruleset(name), level)  # type: ignore[arg-type]


def test_unknown_level() -> None:
    with pytest.raises(RulesetError, match="unknown level"):
        ruleset_for_level(load_ruleset("nq76_2025"), "hamlet")  # type: ignore[arg-type]


def test_commune_notes_carried_except_the_new_unit_assumption() -> None:
    base = load_ruleset("nq35_2023")
    r = ruleset_for_level(base, "district")
    assert any("hết hiệu lực" in n for n in r.notes)  # the repeal is still said
    assert base.new_unit.note not in r.notes
    assert r.notes[0].startswith("Giả định: tiêu chuẩn của huyện")
