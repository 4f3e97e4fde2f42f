"""Tests of the per-unit assessment (standards, must-arrange edges, exemptions, reasons)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from sapxep.units.assessment import ASSESSMENT_COLUMNS, assess_units, format_number, summarize_assessment
from sapxep.units.errors import DataValidationError
from sapxep.units.rules import load_ruleset


def unit(code: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": code,
        "name": f"Xã {code}",
        "unit_type": "xa",
        "parent_kind": "huyen",
        "terrain": "lowland",
        "terrain_source": "data",
        "area_km2": 40.0,
        "population": 10000,
        "area_source": "official",
        "arranged_2019_2021": False,
        "arranged_2023_2025": False,
        "exemption_reason": "",
    }
    row.update(kw)
    return row


def table(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


MINH_TIEN = {"name": "Xã Minh Tiến", "area_km2": 6.7242, "population": 2739}


@pytest.mark.parametrize("terrain", ["lowland", "mountainous", None])
def test_minh_tien_must_arrange_under_nq35_2023_whatever_its_terrain(terrain: str | None) -> None:
    t = table(unit("08041", **MINH_TIEN, terrain=terrain))
    a = assess_units(t, load_ruleset("nq35_2023"))
    row = a.loc["08041"]
    assert bool(row["must_arrange"]) and not bool(row["exempt"])
    assert row["must_arrange_rule"] == "nq35_p1_both_lt70"
    assert "NQ 35/2023 Điều 1 khoản 2 điểm a" in row["reason"]
    assert "6,72 km²" in row["reason"] and "2.739 người" in row["reason"]
    assert "đều dưới 70%" in row["reason"]
    if terrain is None:
        assert row["terrain_source"] == "default" and row["terrain"] == "lowland"
        assert "dùng mặc định của bộ dữ liệu (đồng bằng)" in row["reason"]
    else:
        assert row["terrain_source"] == "data" and "mặc định" not in row["reason"]


def test_columns_index_and_english_reason() -> None:
    t = table(unit("08041", **MINH_TIEN))
    a = assess_units(t, load_ruleset("nq35_2023"), lang="en")
    assert tuple(a.columns) == ASSESSMENT_COLUMNS
    assert list(a.index) == ["08041"]
    r = a.loc["08041", "reason"]
    assert "Area 6.72 km² (22% of the 30 km² standard)" in r
    assert "2,739 people (34% of the 8,000 people standard)" in r
    assert "must be arranged (NQ 35/2023 Art. 1(2)(a))" in r
    assert a.loc["08041", "area_pct"] == pytest.approx(22.414, abs=1e-3)
    assert a.loc["08041", "population_pct"] == pytest.approx(34.2375)


@pytest.mark.parametrize(
    ("kw", "must", "rule"),
    [
        ({"area_km2": 21.0, "population": 5600}, False, ""),  # exactly 70 % of both: not below
        ({"area_km2": 20.99, "population": 5599}, True, "nq35_p1_both_lt70"),
        ({"area_km2": 21.0, "population": 1000}, False, ""),  # area exactly 70 %: AND fails
        ({"area_km2": 2.0, "population": 5600}, True, "nq35_p1_commune_small_area"),  # small area
        ({"area_km2": 5.99, "population": 23999}, True, "nq35_p1_commune_small_area"),
        ({"area_km2": 6.0, "population": 23999}, False, ""),  # exactly 20 %
        ({"area_km2": 5.99, "population": 24000}, False, ""),  # exactly 300 %
        # mountainous xã: 5,000 / 50 km² -> 3,500 / 35 km²
        ({"terrain": "mountainous", "area_km2": 34.9, "population": 3499}, True, "nq35_p1_both_lt70"),
        ({"terrain": "mountainous", "area_km2": 35.0, "population": 3499}, False, ""),
        # phường in a quận: 15,000 / 5.5 km² -> 10,500 / 3.85 km²
        ({"unit_type": "phuong", "parent_kind": "quan", "area_km2": 3.85, "population": 10000}, False, ""),
        ({"unit_type": "phuong", "parent_kind": "quan", "area_km2": 3.84, "population": 10499}, True,
         "nq35_p1_both_lt70"),
        # border xã: population standard 4,000 -> 70 % = 2,800
        ({"border": True, "area_km2": 10.0, "population": 2800}, False, ""),
        ({"border": True, "area_km2": 10.0, "population": 2799}, True, "nq35_p1_both_lt70"),
        # Red River Delta: area standard 21 km² -> 70 % = 14.7 km²
        ({"red_river_delta": True, "area_km2": 14.7, "population": 100}, False, ""),
        ({"red_river_delta": True, "area_km2": 14.69, "population": 100}, True, "nq35_p1_both_lt70"),
    ],
)  # fmt: skip
def test_must_arrange_edges_nq35_2023(kw: dict[str, Any], must: bool, rule: str) -> None:
    a = assess_units(table(unit("X", **kw)), load_ruleset("nq35_2023"))
    assert bool(a.loc["X", "must_arrange"]) is must
    assert a.loc["X", "must_arrange_rule"] == rule


def test_nq35_2026_uses_100_percent_and_both_exemption_periods() -> None:
    rs = load_ruleset("nq35_2026")
    t = table(
        unit("A", area_km2=29.9, population=7999),
        unit("B", area_km2=30.0, population=100),
        unit("C", area_km2=10.0, population=100, arranged_2023_2025=True),
        unit("D", area_km2=10.0, population=100, arranged_2019_2021=True),
    )
    a = assess_units(t, rs)
    assert a["must_arrange"].tolist() == [True, False, True, True]
    assert a["exempt"].tolist() == [False, False, True, True]
    assert "2023–2025" in a.loc["C", "exempt_reason"]
    # under nq35_2023 only 2019–2021 arrangements exempt
    a23 = assess_units(t, load_ruleset("nq35_2023"))
    assert a23["exempt"].tolist() == [False, False, False, True]


def test_exempt_units_keep_must_arrange_flag() -> None:
    t = table(unit("08041", **MINH_TIEN, arranged_2019_2021=True))
    a = assess_units(t, load_ruleset("nq35_2023"))
    assert bool(a.loc["08041", "must_arrange"]) and bool(a.loc["08041", "exempt"])
    assert "đã sắp xếp giai đoạn 2019–2021 (NQ 35/2023 Điều 3)" in a.loc["08041", "exempt_reason"]
    assert "Không bắt buộc sắp xếp" in a.loc["08041", "reason"]


def test_declared_exemptions() -> None:
    t = table(
        unit("A", area_km2=5.0, population=1000),
        unit("B", area_km2=5.0, population=1000, exemption_reason="boundary unchanged since 1945"),
        unit("C", area_km2=5.0, population=1000),
    )
    a = assess_units(t, load_ruleset("nq35_2023"), exemptions={"A": "isolated island village"})
    assert a["exempt"].tolist() == [True, True, False]
    assert a["must_arrange"].tolist() == [True, True, True]
    assert "isolated island village" in a.loc["A", "exempt_reason"]
    assert "NQ 35/2023 Điều 3 khoản 1" in a.loc["B", "exempt_reason"]
    with pytest.raises(DataValidationError) as err:
        assess_units(t, load_ruleset("nq35_2023"), exemptions={"Z": "x", "A": " "})
    msgs = "\n".join(err.value.problems)
    assert "unknown codes Z" in msgs and "no reason" in msgs


def test_nq76_must_arrange_is_area_or_population_below_1211() -> None:
    t = table(
        unit("A", area_km2=30.0, population=8000),  # meets 8,000 / 30 km²: may stay
        unit("B", area_km2=29.0, population=50000),  # area below 100 %
        unit("C", terrain="mountainous", area_km2=50.0, population=5000),
        unit("D", unit_type="phuong", parent_kind="thanh_pho", area_km2=6.0, population=6999),
    )
    a = assess_units(t, load_ruleset("nq76_2025"))
    assert a["must_arrange"].tolist() == [False, True, False, True]
    assert "NQ 76/2025 Điều 2 khoản 3" in a.loc["B", "reason"]
    assert "diện tích dưới 100%" in a.loc["B", "reason"]
    assert "dân số dưới 100%" in a.loc["D", "reason"]
    assert "có thể giữ nguyên" in a.loc["A", "reason"]


def test_nq112_assessment_uses_112_standards() -> None:
    t = table(
        unit("A", area_km2=31.0, population=15000), unit("B", island=True, area_km2=15, population=2500)
    )
    a = assess_units(t, load_ruleset("nq112_2026"))
    assert a["population_min"].tolist() == [16000, 2500]
    assert a["meets_standard"].tolist() == [False, True]
    assert a["must_arrange"].tolist() == [False, False]  # A: area 103 %
    assert "Giả định" in load_ruleset("nq112_2026").must_arrange[0].article


def test_bad_units_table_lists_every_problem() -> None:
    t = table(
        unit("A"),
        unit("A"),
        unit("B", unit_type="ward"),
        unit("C", population=-1),
        unit("D", area_km2=float("nan")),
        unit("E", terrain="hilly"),
        unit("F", ethnic_minority_share=45.0),
    )
    with pytest.raises(DataValidationError) as err:
        assess_units(t, load_ruleset("nq35_2023"))
    msgs = "\n".join(err.value.problems)
    assert len(err.value.problems) == 6, msgs
    for needle in ("codes A appear more than once", "units B: unit_type", "units C: population",
                   "units D: area_km2", "units E: terrain", "units F: ethnic_minority_share"):  # fmt: skip
        assert needle in msgs
    with pytest.raises(DataValidationError, match="column 'population' is missing"):
        assess_units(t.drop(columns=["population"]), load_ruleset("nq35_2023"))


def test_summary_counts() -> None:
    t = table(
        unit("A", area_km2=5.0, population=1000),  # must arrange
        unit("B", area_km2=5.0, population=1000, arranged_2019_2021=True),  # must, exempt
        unit("C", area_km2=25.0, population=7000),  # below standard only
        unit("D", area_km2=40.0, population=9000, terrain=None),  # meets
    )
    s = summarize_assessment(assess_units(t, load_ruleset("nq35_2023")))
    assert (s.n_units, s.n_below_standard, s.n_must_arrange, s.n_exempt) == (4, 3, 2, 1)
    assert (s.n_must_arrange_exempt, s.n_to_arrange, s.n_terrain_default) == (1, 1, 1)
    assert s.must_arrange_codes == ("A",)
    assert s.to_dict()["must_arrange_codes"] == ["A"]


def test_input_not_mutated() -> None:
    t = table(unit("A", terrain=None))
    before = t.copy()
    assess_units(t, load_ruleset("nq35_2023"))
    pd.testing.assert_frame_equal(t, before)


def test_default_terrain_named_in_reason() -> None:
    t = table(unit("A", terrain="mountainous", terrain_source="default"))
    a = assess_units(t, load_ruleset("nq35_2023"), lang="en")
    assert a.loc["A", "terrain_source"] == "default" and a.loc["A", "population_min"] == 5000
    assert "the dataset default (mountainous) was used" in a.loc["A", "reason"]


def test_format_number() -> None:
    assert format_number(12345.678, decimals=2) == "12.345,68"
    assert format_number(12345.678, decimals=2, lang="en") == "12,345.68"


def test_phu_tho_2023_dataset() -> None:
    from sapxep.geodata.io import load_dataset

    units = load_dataset("phu_tho_2023")
    a = assess_units(units, load_ruleset("nq35_2023"))
    assert len(a) == 225
    # Xã Minh Tiến was not changed in 2019–2021 (crosswalk: unchanged_or_renamed): not exempt
    assert bool(a.loc["08041", "must_arrange"]) and not bool(a.loc["08041", "exempt"])
    arranged = set(units.loc[units["arranged_2019_2021"], "code"])
    assert arranged and set(a.index[a["exempt"]]) == arranged
    assert set(a["area_source"]) <= {"official", "polygon"}
