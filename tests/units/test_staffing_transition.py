"""Pooling, surplus, leadership, retirement projection and redeployment on hand-made units."""

from __future__ import annotations

import pandas as pd
import pytest

from sapxep.units.plan import plan_from_mapping
from sapxep.units.staffing.redeploy import redeploy
from sapxep.units.staffing.roster import synthetic_roster
from sapxep.units.staffing.transition import StaffingOptions, analyse_staffing, summary_counts

# A (class II) and B (class III) merge into N1; C (II) and D (III) stay alone.
UNITS = pd.DataFrame(
    [
        {"code": c, "name": f"Xã {c}", "unit_type": "xa", "parent_kind": "huyen",
         "terrain": "lowland", "population": pop, "area_km2": area, "commune_class": cls}
        for c, pop, area, cls in [
            ("A", 5000, 10.0, "II"), ("B", 5000, 10.0, "III"),
            ("C", 9000, 31.0, "II"), ("D", 3000, 5.0, "III"),
        ]
    ]
)  # fmt: skip
PLAN = plan_from_mapping(
    {"A": "N1", "B": "N1", "C": "N2", "D": "N3"}, seats={"N1": "A", "N2": "C", "N3": "D"}
)
DIST = {("N1", "N2"): 10.0, ("N1", "N3"): 40.0, ("N2", "N3"): 30.0}


@pytest.fixture(scope="module")
def roster():
    return synthetic_roster(UNITS, seed=7, reference_year=2025)


def _accepts(a):
    return {s.id: s.accepts for s in a.template.slots.values()}


def test_new_unit_quota_class_and_reconciliation(roster):
    a = analyse_staffing(UNITS, PLAN, roster)
    nu = a.new_units
    # N1: 10,000 people, 20 km² -> no increment; class = max(II, III) = II -> 20 / 12
    assert nu.loc["N1", "commune_class"] == "II" and nu.loc["N1", "class_source"] == "max of members"
    assert (nu.loc["N1", "quota_cb_cc"], nu.loc["N1", "quota_part_time"]) == (20, 12)
    g = a.groups.set_index(["new_unit", "group"])
    # pooled cadres + civil servants: A's quota 20 + B's quota 18
    assert g.loc[("N1", "cb_cc"), "pooled"] == 38 and g.loc[("N1", "cb_cc"), "surplus"] == 18
    assert g.loc[("N1", "part_time"), "pooled"] == 22 and g.loc[("N1", "part_time"), "surplus"] == 10
    assert g.loc[("N2", "cb_cc"), "surplus"] == 0 and g.loc[("N3", "cb_cc"), "deficit"] == 0
    s = summary_counts(a)
    assert s["staff_before"] == len(roster) == s["staff_kept"] + s["surplus_now"]
    assert s["quota_after"] == 20 + 12 + 20 + 12 + 18 + 10
    assert (a.titles.groupby("new_unit")["pooled"].sum() == nu["staff_before"]).all()


def test_leadership_three_chairs_become_one(roster):
    three = plan_from_mapping({"A": "N", "B": "N", "C": "N", "D": "M"}, seats={"N": "C", "M": "D"})
    a = analyse_staffing(UNITS, three, roster)
    lead = a.leadership.set_index(["new_unit", "slot"])
    assert lead.loc[("N", "chu_tich_ubnd"), ["pooled", "quota", "surplus"]].tolist() == [3, 1, 2]
    # vice-chairs: 2 (A, II) + 1 (B, III) + 2 (C, II) pooled; class II allows 2
    assert lead.loc[("N", "pho_chu_tich_ubnd"), ["pooled", "quota", "surplus"]].tolist() == [5, 2, 3]


def test_projection_reaches_quota_when_surplus_retires(roster):
    r = roster.copy()
    r.loc[r["unit_code"].isin(["A", "B"]), ["birth_year", "birth_month", "sex"]] = [1995, 1, "M"]
    n1 = r["unit_code"].isin(["A", "B"]) & r["category"].isin(["cadre", "civil_servant"])
    idx = r.index[n1]
    # 18 men born 01/1964 reach 61y3m in 04/2025: gone by 01/2026
    r.loc[idx[:18], ["birth_year", "birth_month", "sex"]] = [1964, 1, "M"]
    a = analyse_staffing(UNITS, PLAN, r, options=StaffingOptions(start_year=2025, horizon_years=5))
    p = a.projection.set_index(["new_unit", "group", "year_index"])
    assert p.loc[("N1", "cb_cc", 0), "surplus"] == 18
    assert p.loc[("N1", "cb_cc", 1), ["staff", "retired_in_year", "surplus"]].tolist() == [20, 18, 0]
    assert a.new_units.loc["N1", "surplus_y5"] == 10  # part-time surplus does not retire
    # with part-time out of the way the unit would reach its quota in 2026
    r2 = r[~(r["unit_code"].isin(["A", "B"]) & (r["category"] == "part_time"))]
    a2 = analyse_staffing(UNITS, PLAN, r2)
    assert a2.new_units.loc["N1", "year_quota_reached"] == 2026
    assert pd.isna(a.new_units.loc["N1", "year_quota_reached"])


def test_missing_birth_month_uses_the_option(roster):
    r = roster.copy()
    r["birth_month"] = pd.array([pd.NA] * len(r), dtype="Int64")
    r.loc[r.index[0], ["birth_year", "sex"]] = [1966, "M"]
    a = analyse_staffing(UNITS, PLAN, r, options=StaffingOptions(default_birth_month=3))
    b = analyse_staffing(UNITS, PLAN, r, options=StaffingOptions(default_birth_month=4))
    pid = r.loc[r.index[0], "person_id"]
    ra = a.pooled.set_index("person_id").loc[pid, "retirement_month_index"]
    rb = b.pooled.set_index("person_id").loc[pid, "retirement_month_index"]
    assert (ra // 12, ra % 12 + 1) == (2027, 12) and (rb // 12, rb % 12 + 1) == (2028, 4)


def _with_gap(roster):
    # C loses all its justice / civil-status civil servants: a deficit N1 can fill
    gone = (roster["unit_code"] == "C") & (roster["title"] == "tu_phap_ho_tich")
    return roster[~gone]


def test_redeploy_fills_deficit_within_distance(roster):
    a = analyse_staffing(UNITS, PLAN, _with_gap(roster))
    t = a.titles.set_index(["new_unit", "slot"])
    need = int(t.loc[("N2", "tu_phap_ho_tich"), "deficit"])
    spare = int(t.loc[("N1", "tu_phap_ho_tich"), "surplus"])
    assert need >= 1 and spare >= 1
    red = redeploy(a.pooled, a.titles, a.groups, DIST, accepts=_accepts(a), max_distance_km=25)
    assert red.redeployed == min(need, spare)
    assert set(red.moves["from_unit"]) == {"N1"} and set(red.moves["to_unit"]) == {"N2"}
    assert set(red.moves["title"]) == {"tu_phap_ho_tich"} and red.moves["person_id"].is_unique
    moved = a.pooled.set_index("person_id").loc[red.moves["person_id"]]
    assert (moved["category"] == "civil_servant").all() and (moved["new_unit"] == "N1").all()
    assert red.redeployed <= int(a.groups["deficit"].sum())
    assert (
        red.remaining_deficit["N2"]
        == int(a.groups.set_index(["new_unit", "group"]).loc[("N2", "cb_cc"), "deficit"]) - red.redeployed
    )


def test_redeploy_respects_distance_and_titles(roster):
    a = analyse_staffing(UNITS, PLAN, _with_gap(roster))
    far = redeploy(a.pooled, a.titles, a.groups, DIST, accepts=_accepts(a), max_distance_km=5)
    assert far.redeployed == 0 and far.supply > 0 and far.demand > 0
    blocked = {**_accepts(a), "tu_phap_ho_tich": ()}
    strict = redeploy(a.pooled, a.titles, a.groups, DIST, accepts=blocked)
    assert strict.redeployed == 0
    loose = redeploy(a.pooled, a.titles, a.groups, DIST, accepts=blocked, match_titles=False)
    assert loose.redeployed >= 1 and (loose.flows["to_slot"] == "tu_phap_ho_tich").all()


def test_2025_structure_compares_government_staff_only(roster):
    opt = StaffingOptions(structure="2025", params_2025={"total_staff": 30})
    a = analyse_staffing(UNITS, PLAN, roster, options=opt)
    g = a.groups.set_index(["new_unit", "group"])
    assert g.loc[("N1", "cb_cc"), "quota"] == 30
    assert g.loc[("N1", "cb_cc"), "pooled"] < 38  # party and mass-organisation posts not counted
    na = g.loc[("N1", "not_assessed"), "pooled"]
    assert na > 0 and g.loc[("N1", "not_assessed"), "kept"] == na
    slots = set(a.titles.loc[a.titles["group"] == "cb_cc", "slot"])
    assert {"van_phong", "phong_kinh_te", "phong_vhxh", "trung_tam_pvhcc"} <= slots
    s = summary_counts(a)
    assert s["staff_before"] == s["staff_kept"] + s["surplus_now"]
