"""Suspect populations and unverified standards give undetermined verdicts, never silent ones."""

from __future__ import annotations

from typing import Any

import pandas as pd

from sapxep.units.assessment import assess_units, summarize_assessment
from sapxep.units.rules import load_ruleset


def unit(code: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code, "name": f"Xã {code}", "unit_type": "xa", "parent_kind": "huyen",
        "terrain": "lowland", "terrain_source": "data", "area_km2": 40.0, "population": 20000,
        "population_suspect": False, "population_suspect_reason": "",
    }  # fmt: skip
    row.update(kw)
    return row


def test_suspect_population_is_not_used() -> None:
    # 2,000 people would fail the 16,000 NQ 112 standard: with the flag the verdict stays open
    units = pd.DataFrame([unit("1", population=2000, population_suspect=True,
                               population_suspect_reason="ratio_to_2019census_est=0.1<0.3")])  # fmt: skip
    a = assess_units(units, load_ruleset("nq112_2026")).loc["1"]
    assert not a["determined"]
    assert a["population_suspect"]
    assert not a["must_arrange"]
    assert "nghi vấn" in a["reason"] and "chưa xác định" in a["reason"]
    assert "2.000" in a["reason"]  # the raw value is shown
    assert "--attributes" in a["reason"]


def test_area_settles_what_it_can() -> None:
    # area 3 km² < 30 km²: below the standard whatever the population; must-arrange stays open
    units = pd.DataFrame([unit("1", area_km2=3.0, population=50, population_suspect=True)])
    a = assess_units(units, load_ruleset("nq112_2026"))
    row = a.loc["1"]
    assert not row["meets_standard"] and not row["determined"]
    assert "chưa đạt tiêu chuẩn" in row["reason"]
    s = summarize_assessment(a)
    assert (s.n_below_standard, s.n_undetermined, s.n_population_suspect) == (1, 1, 1)


def test_area_below_floor_forces_a_merger_under_nq76() -> None:
    # NQ 76 Art. 2(3): area OR population below 100 %: 10 km² < 30 km² is in scope whatever the people
    units = pd.DataFrame([unit("1", area_km2=10.0, population=1, population_suspect=True)])
    row = assess_units(units, load_ruleset("nq76_2025")).loc["1"]
    assert row["must_arrange"]
    assert "phải sắp xếp dù dân số" in row["reason"]


def test_without_flag_the_verdict_is_made() -> None:
    units = pd.DataFrame([unit("1", population=2000)])
    row = assess_units(units, load_ruleset("nq112_2026")).loc["1"]
    assert row["determined"] and not row["meets_standard"]


def test_dac_khu_has_no_verified_standard() -> None:
    units = pd.DataFrame([unit("9", name="Đặc khu Cô Tô", unit_type="dac_khu", island=True,
                               area_km2=47.0, population=7151)])  # fmt: skip
    row = assess_units(units, load_ruleset("nq112_2026")).loc["9"]
    assert not row["determined"] and not row["meets_standard"] and not row["must_arrange"]
    assert "chưa kiểm chứng" in row["reason"] and row["standard"] == "dac_khu_all"


def test_island_xa_uses_the_island_standard() -> None:
    units = pd.DataFrame([unit("1", island=True, area_km2=16.0, population=3000)])
    row = assess_units(units, load_ruleset("nq112_2026")).loc["1"]
    assert row["standard"] == "xa_island" and row["meets_standard"]
    assert (row["population_min"], row["area_min_km2"]) == (2500, 15.0)


def test_a_lower_bound_settles_what_it_can() -> None:
    # a province whose non-suspect communes already hold 1.5 M people meets the 1.4 M standard
    from sapxep.units.rules.level_rules import ruleset_for_level

    r = ruleset_for_level(load_ruleset("nq112_2026"), "province")
    units = pd.DataFrame(
        [
            unit(
                "01",
                name="Tỉnh A",
                unit_type="tinh",
                area_km2=6000.0,
                population=1_520_000,
                population_suspect=True,
                population_lower_bound=1_500_000,
            ),  # fmt: skip
            unit(
                "02",
                name="Tỉnh B",
                unit_type="tinh",
                area_km2=6000.0,
                population=1_300_000,
                population_suspect=True,
                population_lower_bound=1_000_000,
            ),  # fmt: skip
        ]
    )
    a = assess_units(units, r)
    assert a.loc["01", "determined"] and a.loc["01", "meets_standard"]
    assert "chắc chắn đạt ít nhất 1.500.000" in a.loc["01", "reason"]
    assert not a.loc["02", "determined"]  # 1.0 M sure, 1.3 M with suspect parts: open
    assert not a.loc["02", "must_arrange"]  # area 120 % is not below: criterion 'both' not met
