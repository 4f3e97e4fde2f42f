"""Cost coefficients as cited data, Decree 178/67 packages, coverage and the 2025 defaults."""

from __future__ import annotations

import pandas as pd
import pytest

from sapxep.units.errors import ScenarioError
from sapxep.units.plan import plan_from_mapping
from sapxep.units.staffing.costs import leave_packages, load_cost_params, pick_leavers, staffing_costs
from sapxep.units.staffing.retirement import month_index, retirement_month_indices
from sapxep.units.staffing.roster import synthetic_roster
from sapxep.units.staffing.templates import default_structure, load_template
from sapxep.units.staffing.transition import StaffingOptions, analyse_staffing

START = month_index(2025, 7)


def _person(months_left: int, *, category: str = "civil_servant", age: int = 50) -> dict:
    return {
        "person_id": f"P{months_left}", "new_unit": "N", "group": "cb_cc", "category": category,
        "birth_year": 2025 - age, "birth_month": 7, "retirement_month_index": START + months_left,
    }  # fmt: skip


def test_coefficient_sources_are_shown_in_the_ui_language() -> None:
    from sapxep.scenarios.export.costs import cost_display

    table = load_cost_params(overrides={"seat_relocation_vnd": 1e9}).table
    staffing = {"cost_one_off_vnd": 1.0, "central_support_vnd": 0.0}
    _, _, vi = cost_display(staffing, table, lang="vi")
    _, _, en = cost_display(staffing, table, lang="en")
    assert not vi["Nguồn"].str.contains("secondary|public GitHub|entered by").any()
    assert vi["Nguồn"].str.contains("nguồn thứ cấp").any() and "do người dùng nhập" in set(vi["Nguồn"])
    assert en["Source"].str.contains("secondary").any() and "entered by the user" in set(en["Source"])


def test_every_coefficient_cites_an_article_or_is_flagged():
    p = load_cost_params()
    t = p.table
    assert (t["article"] != "").all()
    legal = t[~t["flagged"]]
    assert (legal["source"] != "").all() and not legal["article"].str.contains("chưa xác định").any()
    assert set(t.loc[t["flagged"], "confidence"]) <= {"assumption", "user", "single", "cross-checked"}
    assert p["central_support_per_commune_reduced_vnd"] == 500_000_000
    assert "Điều 15" in t.set_index("name").at["central_support_per_commune_reduced_vnd", "article"]
    assert "Điều 11 khoản 4" in t.set_index("name").at["salary_retention_months", "article"]


def test_overrides_are_marked_user_and_unknown_names_listed():
    p = load_cost_params(overrides={"seat_relocation_vnd": 2e9})
    row = p.table.set_index("name").loc["seat_relocation_vnd"]
    assert p["seat_relocation_vnd"] == 2e9 and row["confidence"] == "user" and row["flagged"]
    with pytest.raises(ScenarioError, match="seat_reloc"):
        load_cost_params(overrides={"seat_reloc": 1})


def test_decree_178_packages_by_months_left():
    p = load_cost_params()
    s = 2.67 * 2_340_000 * 1.25
    lv = pd.DataFrame([_person(12), _person(36), _person(84), _person(150, age=40), _person(0)])
    out = leave_packages(lv, p, leave_month_index=START).set_index("person_id")["package_vnd"]
    ins_50 = s * (4 + 0.5 * (25 - 15))  # 50 years old, insured since 25
    assert out["P12"] == pytest.approx(12 * 1.0 * s, rel=1e-9)
    assert out["P36"] == pytest.approx(36 * s + 3 * 5 * s + ins_50, rel=1e-9)
    assert out["P84"] == pytest.approx(60 * 0.9 * s + 7 * 4 * s + ins_50, rel=1e-9)
    assert out["P150"] == pytest.approx(60 * 0.8 * s + 1.5 * s * 15 + 3 * s, rel=1e-9)
    assert out["P0"] == 0
    later = load_cost_params(overrides={"leave_within_first_12_months": 0})
    o2 = leave_packages(lv, later, leave_month_index=START).set_index("person_id")["package_vnd"]
    assert o2["P12"] == pytest.approx(12 * 0.5 * s, rel=1e-9)


def test_leavers_are_the_closest_to_retirement_and_totals_add_up():
    pooled = pd.DataFrame([_person(m) for m in (30, 200, 40, 100)])
    lv = pick_leavers(pooled, pd.DataFrame({"new_unit": ["N"], "group": ["cb_cc"], "n": [2]}))
    assert sorted(lv["person_id"]) == ["P30", "P40"]
    nu = pd.DataFrame({"n_members": [3]}, index=pd.Index(["N"], name="new_unit"))
    posts = pd.DataFrame({"new_unit": ["N"], "category": ["civil_servant"], "n": [2]})
    _, per, tot = staffing_costs(
        lv, nu, posts_cut=posts, leaders_losing_post=pd.Series({"N": 1}), leave_month_index=START
    )
    assert tot["leavers"] == 2 and tot["early_retirements"] == 2
    assert tot["central_support_vnd"] == 2 * 500_000_000
    assert tot["cost_salary_retention_vnd"] == round(0.2 * 2_340_000 * 6)
    assert tot["cost_one_off_vnd"] == tot["cost_packages_vnd"] + tot["cost_salary_retention_vnd"]
    assert tot["net_one_off_vnd"] == tot["cost_one_off_vnd"] - tot["central_support_vnd"]
    assert tot["savings_per_year_vnd"] == round(2 * 12 * 2.67 * 2_340_000 * 1.25 * 1.215)
    assert per["cost_one_off_vnd"].sum() == pytest.approx(tot["cost_one_off_vnd"], abs=1)


def test_structure_follows_the_ruleset():
    assert default_structure("nq35_2023")[0] == "2023"
    assert default_structure("nq76_2025")[0] == "2025"
    assert default_structure("nq112_2026")[0] == "2025"
    assert "Điều 71 khoản 3" in default_structure("nq76_2025")[1]


def test_decree_150_mapping_statistics_and_internal_affairs():
    slot = load_template("2025").slot_of_title()
    assert slot["thong_ke"] == "phong_kinh_te" and slot["noi_vu"] == "phong_vhxh"
    assert slot["tu_phap_ho_tich"] == "van_phong"


UNITS = pd.DataFrame(
    [
        {"code": c, "name": f"Xã {c}", "unit_type": "xa", "parent_kind": "huyen",
         "terrain": "lowland", "population": 5000, "area_km2": 10.0, "commune_class": "II"}
        for c in "ABCD"
    ]
)  # fmt: skip


def test_coverage_counts_every_person_once_and_cap_is_reported():
    roster = synthetic_roster(UNITS, seed=3, reference_year=2025)
    plan = plan_from_mapping({"A": "N1", "B": "N1", "C": "N1", "D": "N2"}, seats={"N1": "A", "N2": "D"})
    a = analyse_staffing(UNITS, plan, roster, options=StaffingOptions(structure="2025", staff_cap=True))
    cov = a.coverage.set_index("coverage")
    assert cov["staff"].sum() == len(roster)
    assert not cov.loc["dang_uy", "covered"] and cov.loc["dang_uy", "staff"] == 4 * 2
    assert cov.loc["khong_chuyen_trach", "staff"] == (roster["category"] == "part_time").sum()
    nu = a.new_units
    assessed = a.groups[a.groups["group"] != "not_assessed"].groupby("new_unit")["pooled"].sum()
    assert (nu["cap_art11_2"] == assessed.reindex(nu.index)).all()
    assert (nu["deadline_year"] == 2030).all()
    assert (nu["over_norm_at_deadline"] == nu["surplus_y5"]).all()


def test_synthetic_roster_age_structure_is_plausible():
    r = synthetic_roster(pd.concat([UNITS] * 1, ignore_index=True), seed=1, reference_year=2025)
    ret = retirement_month_indices(r["birth_year"], r["birth_month"].astype(int), r["sex"])
    share = float((ret < START + 60).mean())
    assert 0.08 < share < 0.35  # about 17 % on the bundled data; 2.8 % with the old profile


def test_not_applicable_zeroes_and_flags():
    from sapxep.units.staffing.costs import not_applicable

    p = not_applicable(load_cost_params(), ("central_support_per_commune_reduced_vnd",), "chỉ đợt 2025")
    row = p.table.set_index("name").loc["central_support_per_commune_reduced_vnd"]
    assert p["central_support_per_commune_reduced_vnd"] == 0 and row["flagged"]
    assert row["confidence"] == "không áp dụng" and row["source"] == "chỉ đợt 2025"
