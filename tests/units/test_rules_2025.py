"""One test per case of issue 10's "Why" list (items 1–5 and 7): the law as the rule files encode it.

Each case builds units with the area, population, type and terrain the issue gives, and checks
the flag or acceptance and the article cited in the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from sapxep.units.assessment import assess_units, exemption_grounds_of
from sapxep.units.checks import check_plan
from sapxep.units.rules import default_ruleset_for, load_ruleset, new_unit_floor


def unit(code: str, **kw: Any) -> dict[str, Any]:
    """A lowland xã of a huyện; keywords override."""
    row: dict[str, Any] = {
        "code": code, "name": f"Xã {code}", "unit_type": "xa", "parent_code": "P", "parent_kind": "huyen",
        "terrain": "lowland", "terrain_source": "data", "area_km2": 10.0, "population": 5000,
        "border": False, "island": False, "arranged_2019_2021": False, "arranged_2023_2025": False,
    }  # fmt: skip
    row.update(kw)
    return row


def ward(code: str, area: float, pop: int, **kw: Any) -> dict[str, Any]:
    """A phường of a provincial city (NQ 1211 standard 7,000 people / 5.5 km²)."""
    base = {"name": f"Phường {code}", "unit_type": "phuong", "parent_kind": "thanh_pho", "area_km2": area,
            "population": pop}  # fmt: skip
    return unit(code, **{**base, **kw})


def path_graph(codes: list[str]) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(codes)
    g.add_edges_from(zip(codes, codes[1:], strict=False))
    return g


# --------------------------------------------------------------------------- 1. NQ 76 Art. 2(3)


@pytest.mark.parametrize(
    "row",
    [
        ward("07888", 6.31, 12143, name="Phường Dữu Lâu"),
        ward("07933", 9.49, 12266, name="Phường Minh Nông"),
        ward("07918", 8.97, 12585, name="Phường Vân Phú"),
        # Xã Trung Sơn: mountainous, ≈ 98 km², 5,432 people, kept unchanged in 2025
        unit("08311", name="Xã Trung Sơn", terrain="mountainous", area_km2=98.2, population=5432),
    ],
)
def test_units_meeting_nq1211_are_not_in_scope_under_nq76(row: dict[str, Any]) -> None:
    rs = load_ruleset("nq76_2025")
    a = assess_units(pd.DataFrame([row]), rs).iloc[0]
    assert a["meets_standard"] and not a["must_arrange"]
    assert "NQ 76/2025 Điều 2 khoản 3" in a["reason"] and "không thuộc phạm vi sắp xếp" in a["reason"]
    # …although alone they are below the Art. 5 orientation for *new* units
    fl = new_unit_floor(row, rs, n_members=1)
    assert row["population"] < fl.population_min or row["area_km2"] < fl.area_min_km2


def test_area_or_population_below_nq1211_is_in_scope() -> None:
    rs = load_ruleset("nq76_2025")
    t = pd.DataFrame([unit("A", area_km2=50.0, population=7999), unit("B", area_km2=29.9, population=20000)])
    a = assess_units(t, rs)
    assert a["must_arrange"].all()
    assert "dân số dưới 100%" in a.loc["A", "reason"] and "diện tích dưới 100%" in a.loc["B", "reason"]
    assert (a["must_arrange_rule"] == "nq76_art2_either_lt100").all()


# --------------------------------------------------------------------------- 2. NQ 35 merged units


APPROVED_2024 = {
    # Resolution 1282/NQ-UBTVQH15 (Phú Thọ): Phường Nông Trang 2.87 km², 29,196 people
    "Phường Nông Trang": [ward("N1", 1.95, 16873), ward("N2", 0.92, 12323)],
    # Phường Thọ Sơn 4.16 km², 13,403 people
    "Phường Thọ Sơn": [ward("T1", 0.83, 6018), ward("T2", 3.33, 7385)],
    # Xã Yên Kiện 29.58 km² (standard 30 km²) from Yên Kiện, Hùng Long and Vụ Quang; the population
    # is the 2019 census sum of the three (the resolution's figure is not in our sources)
    "Xã Yên Kiện": [unit("Y1", area_km2=10.73, population=4136), unit("Y2", area_km2=7.75, population=2922),
                    unit("Y3", area_km2=11.10, population=4341)],
    # Tuyên Quang 2024: Xã Hồng Sơn 19.35 km², 9,576 people from two units
    "Xã Hồng Sơn": [unit("H1", area_km2=9.0, population=4500), unit("H2", area_km2=10.35, population=5076)],
}  # fmt: skip


@pytest.mark.parametrize("name", list(APPROVED_2024))
@pytest.mark.parametrize("terrain", ["lowland", "mountainous"])
def test_nq35_default_accepts_the_merges_the_standing_committee_approved(name: str, terrain: str) -> None:
    members = [{**m, "terrain": terrain} for m in APPROVED_2024[name]]
    codes = [m["code"] for m in members]
    check = check_plan(pd.DataFrame(members), [codes], load_ruleset("nq35_2023"), graph=path_graph(codes))
    assert check.ok, [v.message for v in check.violations]


def test_nq35_default_rejects_a_clearly_undersized_merge() -> None:
    members = [unit("S1", area_km2=6.0, population=2000), unit("S2", area_km2=5.0, population=1800)]
    check = check_plan(pd.DataFrame(members), [["S1", "S2"]], load_ruleset("nq35_2023"),
                       graph=path_graph(["S1", "S2"]), lang="vi")  # fmt: skip
    assert not check.ok
    (v,) = check.violations
    assert v.kind == "floor" and "5.600" in v.message
    assert "giả định" in v.message and "NQ 1211/2016 Điều 3" in v.message


# --------------------------------------------------------------------------- 3. NQ 76 Art. 5(2), 5(3)


@pytest.mark.parametrize("row", [unit("X"), ward("W", 1.0, 1000)])
def test_three_unit_waiver_covers_xa_and_phuong(row: dict[str, Any]) -> None:
    rs = load_ruleset("nq76_2025")
    assert new_unit_floor(row, rs, n_members=3).waived
    assert not new_unit_floor(row, rs, n_members=2).waived
    assert rs.waiver_article == "NQ 76/2025 Điều 5 khoản 2"
    assert not any("UNVERIFIED" in n for n in rs.notes + rs.notes_en)


def test_art5_3_exception_is_allowed_and_can_be_made_hard() -> None:
    rs = load_ruleset("nq76_2025")
    assert rs.allow_exceptions and rs.exception_article == "NQ 76/2025 Điều 5 khoản 3"
    assert not load_ruleset("nq76_2025", overrides={"allow_exceptions": False}).allow_exceptions


# --------------------------------------------------------------------------- 4. NQ 35 repealed


@pytest.mark.parametrize("name", ["nq35_2023", "nq35_2026"])
def test_repealed_rulesets_say_so_in_every_output(name: str) -> None:
    rs = load_ruleset(name)
    assert rs.repealed and rs.repeal is not None
    assert rs.repeal.effective == dt.date(2025, 4, 15) and rs.repeal.article == "NQ 76/2025 Điều 17 khoản 2"
    assert "hết hiệu lực từ 15/04/2025" in rs.notes[0] and "15/04/2025" in rs.notes_en[0]
    assert any(s.rule == "repeals.nq35_2023" for s in rs.sources)


def test_defaults_pick_a_ruleset_in_force_for_the_data_date() -> None:
    assert default_ruleset_for("2023-04-10") == "nq76_2025"  # phu_tho_2023: before the reform
    assert default_ruleset_for("2025-07-01") == "nq112_2026"  # the 2025 state
    for day in ("2019-12-31", "2023-07-12", "2024-12-31", "2025-06-30", "2026-11-29"):
        assert not load_ruleset(default_ruleset_for(day)).repealed, day  # never a repealed ruleset


def test_nq35_2026_has_its_commune_rule() -> None:
    rs = load_ruleset("nq35_2026")
    # lowland xã: area 25 % (< 30 %) and population 250 % (< 300 %)
    a = assess_units(pd.DataFrame([unit("A", area_km2=7.5, population=20000)]), rs).iloc[0]
    assert a["must_arrange"] and a["must_arrange_rule"] == "nq35_p2_commune_small_area"
    assert "NQ 35/2023 Điều 1 khoản 3" in a["reason"]
    assert any("chưa kiểm chứng" in n for n in rs.notes)


# ------------------------------------------------------------------- 5. NQ 76 Art. 3, 5(1)(c), 5(1)(d)


def test_nq76_accepts_only_its_two_exemption_grounds() -> None:
    t = pd.DataFrame([unit("A", area_km2=5.0, population=1000), unit("B", area_km2=5.0, population=1000),
                      unit("C", area_km2=5.0, population=1000)])  # fmt: skip
    declared = {"A": "vị trí biệt lập, khó tổ chức giao thông", "B": "địa giới ổn định từ năm 1945",
                "C": "vị trí đặc biệt quan trọng về quốc phòng, an ninh"}  # fmt: skip
    a76 = assess_units(t, load_ruleset("nq76_2025"), exemptions=declared)
    assert a76["exempt"].tolist() == [True, False, True]
    assert "NQ 76/2025 Điều 3" in a76.loc["A", "exempt_reason"]
    assert "không được miễn" in a76.loc["B", "reason"] and "NQ 76/2025 Điều 3" in a76.loc["B", "reason"]
    a35 = assess_units(t, load_ruleset("nq35_2023"), exemptions=declared)
    assert a35["exempt"].all()  # NQ 35 Art. 3(1)(b) accepted the stable boundary
    assert exemption_grounds_of("dia gioi on dinh tu nam 1945") == ("stable_since_1945",)


@pytest.mark.parametrize(
    ("row", "population_min"),
    [
        (ward("W1", 6.0, 1), 21000),
        (ward("W2", 6.0, 1, terrain="mountainous"), 15000),  # the ward itself is mountainous
        (ward("W3", 6.0, 1, border=True), 15000),  # the ward itself is in a border area
        (ward("W4", 6.0, 1, centrally_run_city=True), 45000),
    ],
)
def test_ward_floor_depends_on_where_the_ward_lies(row: dict[str, Any], population_min: int) -> None:
    fl = new_unit_floor(row, load_ruleset("nq76_2025"), n_members=2)
    assert fl.population_min == population_min and fl.area_min_km2 == 5.5
    assert fl.article == "NQ 76/2025 Điều 5 khoản 1 điểm c"


def test_no_minimum_only_for_communes_of_island_districts() -> None:
    rs = load_ruleset("nq76_2025")
    island_unit = new_unit_floor(unit("I", island=True), rs, n_members=2)
    assert (island_unit.population_min, island_unit.area_min_km2) == (16000, 30.0)
    district = new_unit_floor(unit("D", island_district=True), rs, n_members=2)
    assert (district.population_min, district.area_min_km2) == (0, 0.0)
    assert "NQ 76/2025 Điều 5 khoản 1 điểm d" in district.article


# --------------------------------------------------------------------------- 7. output quality


def test_thi_tran_reason_has_no_question_mark_article() -> None:
    row = unit("TT", name="Thị trấn Hạ Hoà", unit_type="thi_tran", area_km2=5.0, population=7000)
    for name in ("nq35_2023", "nq76_2025"):
        reason = assess_units(pd.DataFrame([row]), load_ruleset(name)).iloc[0]["reason"]
        assert "?" not in reason and "chưa xác định" in reason


@pytest.mark.parametrize("name", ["nq35_2023", "nq35_2026", "nq76_2025", "nq112_2026"])
def test_notes_are_vietnamese_without_english_or_missing_diacritics(name: str) -> None:
    rs = load_ruleset(name)
    text = " ".join(rs.notes)
    for bad in ("UNVERIFIED", "xa, phuong", "waiver", "assumption"):
        assert bad not in text, (name, bad)


def test_art5_3_exception_is_listed_in_vietnamese_not_refused() -> None:
    members = [unit("E1", area_km2=10.0, population=3000), unit("E2", area_km2=10.0, population=3000)]
    check = check_plan(pd.DataFrame(members), [["E1", "E2"]], load_ruleset("nq76_2025"),
                       graph=path_graph(["E1", "E2"]), lang="vi")  # fmt: skip
    assert check.ok and len(check.exceptions) == 1
    text = check.exceptions[0].message
    assert "cần Ủy ban Thường vụ Quốc hội xem xét" in text and "NQ 76/2025 Điều 5 khoản 3" in text
    assert "cần Ủy ban Thường vụ Quốc hội xem xét" in check.summary()
    hard = load_ruleset("nq76_2025", overrides={"allow_exceptions": False})
    refused = check_plan(pd.DataFrame(members), [["E1", "E2"]], hard, graph=path_graph(["E1", "E2"]))
    assert not refused.ok and refused.violations[0].kind == "floor"


def test_the_members_decide_the_kind_and_so_the_floor() -> None:
    # a xã seat with a phường member forms a phường (Art. 1(3)): 21,000 people / 5.5 km² apply
    members = [unit("K1", area_km2=40.0, population=17000), ward("K2", 2.0, 3000)]
    check = check_plan(pd.DataFrame(members), [["K1", "K2"]], load_ruleset("nq76_2025"),
                       graph=path_graph(["K1", "K2"]), lang="vi")  # fmt: skip
    assert check.ok and len(check.exceptions) == 1  # 20,000 < 21,000 (a xã would need 16,000)
    assert "21.000" in check.exceptions[0].message
