"""Decree 33/2023 quotas on hand-computed cases, and template headcounts."""

from __future__ import annotations

import pandas as pd
import pytest

from sapxep.units.errors import ScenarioError
from sapxep.units.staffing.headcounts import position_headcounts
from sapxep.units.staffing.quotas import decree33_quota, new_unit_class, unit_quotas
from sapxep.units.staffing.templates import load_template


def _unit(**kw):
    base = {
        "code": "1", "name": "Xã A", "unit_type": "xa", "parent_kind": "huyen",
        "terrain": "lowland", "population": 8000, "area_km2": 30.0, "commune_class": "",
    }  # fmt: skip
    return {**base, **kw}


# (unit, expected cadres+civil servants, expected part-time, extra_pop, extra_area)
# Hand computation, e.g. case 1: lowland xã, std 8,000 / 30 km²; step 4,000 people;
# (20,000 - 8,000) / 4,000 = 3; (70 - 30) / 30 = 1.33 -> 1; class I: 22 + 4 = 26, 14 + 4 = 18.
CASES = [
    (_unit(commune_class="I", population=20000, area_km2=70), 26, 18, 3, 1),
    # phường in a quận: std 15,000 / 5.5; step 1/3 = 5,000: (31,000-15,000)/5,000 = 3.2 -> 3
    (_unit(unit_type="phuong", parent_kind="quan", commune_class="II", population=31000,
           area_km2=5.0), 21 + 3, 12 + 3, 3, 0),
    # phường in a thành phố: std 7,000; step 3,500: 7,000/3,500 = 2; area 5.5 = std -> 0
    (_unit(unit_type="phuong", parent_kind="thanh_pho", commune_class="III", population=14000,
           area_km2=5.5), 19 + 2, 10 + 2, 2, 0),
    # phường in a thị xã: std 5,000; step 2,500: (10,000-5,000)/2,500 = 2; area 16.5 -> 2
    (_unit(unit_type="phuong", parent_kind="thi_xa", commune_class="I", population=10000,
           area_km2=16.5), 23 + 4, 14 + 4, 2, 2),
    # mountainous xã: std 5,000 / 50; below both -> base only
    (_unit(terrain="mountainous", commune_class="III", population=4000, area_km2=40), 18, 10, 0, 0),
    # mountainous xã: step 2,500: (10,000-5,000)/2,500 = 2; (150-50)/50 = 2
    (_unit(terrain="mountainous", commune_class="II", population=10000, area_km2=150),
     20 + 4, 12 + 4, 2, 2),
    # thị trấn: std 8,000 / 14; (28-14)/14 = 1
    (_unit(unit_type="thi_tran", commune_class="I", population=8000, area_km2=28), 23, 15, 0, 1),
    # boundaries of the population step (lowland xã, step 4,000)
    (_unit(commune_class="II", population=11999), 20, 12, 0, 0),
    (_unit(commune_class="II", population=12000), 21, 13, 1, 0),
    # boundaries of the area step
    (_unit(commune_class="II", area_km2=59.99), 20, 12, 0, 0),
    (_unit(commune_class="II", area_km2=60.0), 21, 13, 0, 1),
    # 1/3 step boundary for a phường of a quận: 19,999 -> 0; 20,000 -> 1
    (_unit(unit_type="phuong", parent_kind="quan", commune_class="I", population=19999,
           area_km2=1.0), 23, 14, 0, 0),
    (_unit(unit_type="phuong", parent_kind="quan", commune_class="I", population=20000,
           area_km2=1.0), 24, 15, 1, 0),
]  # fmt: skip


@pytest.mark.parametrize(("unit", "cb_cc", "pt", "xp", "xa"), CASES)
def test_hand_computed_quotas(unit, cb_cc, pt, xp, xa):
    q = unit_quotas(pd.DataFrame([unit])).loc["1"]
    assert (q["quota_cb_cc"], q["quota_part_time"]) == (cb_cc, pt)
    assert (q["extra_population"], q["extra_area"]) == (xp, xa)


def test_standard_comes_from_the_rules_data():
    q = unit_quotas(pd.DataFrame([_unit(unit_type="phuong", parent_kind="quan")])).loc["1"]
    assert (q["population_std"], q["area_std_km2"]) == (15000, 5.5)
    assert q["standard_basis"].startswith("nq1211_2016")


def test_missing_class_takes_the_default_and_says_so():
    df = pd.DataFrame([_unit(code="1", commune_class=""), _unit(code="2", commune_class="I")])
    q = unit_quotas(df, default_class="III")
    assert q.loc["1", "commune_class"] == "III" and q.loc["1", "class_source"] == "default"
    assert q.loc["2", "commune_class"] == "I" and q.loc["2", "class_source"] == "data"
    assert q.loc["1", "quota_cb_cc"] == 18 and q.loc["2", "quota_cb_cc"] == 22


def test_bad_inputs_raise_project_errors():
    with pytest.raises(ScenarioError, match="commune class 'IV'"):
        decree33_quota(unit_type="xa", commune_class="IV", population=1, area_km2=1,
                       population_std=8000, area_std_km2=30)  # fmt: skip
    with pytest.raises(ScenarioError, match="default commune class"):
        unit_quotas(pd.DataFrame([_unit()]), default_class="X")


def test_new_unit_class_rules():
    assert new_unit_class(["III", "I", "II"], "max") == ("I", "max of members")
    assert new_unit_class(["III", "II"], "min") == ("III", "min of members")
    assert new_unit_class(["III"], "II") == ("II", "fixed")
    with pytest.raises(ScenarioError):
        new_unit_class(["I"], "best")


@pytest.mark.parametrize(("cls", "vice"), [("I", 2), ("II", 2), ("III", 1)])
def test_vice_chairs_by_class_and_quota_is_filled(cls, vice):
    tpl = load_template("2023")
    h = position_headcounts(tpl, unit_type="xa", commune_class=cls, cb_cc_quota=25,
                            part_time_quota=13)  # fmt: skip
    assert h["pho_chu_tich_ubnd"] == vice and h["chu_tich_ubnd"] == 1
    cb_cc = sum(n for p, n in h.items() if tpl.positions[p].category in ("cadre", "civil_servant"))
    assert cb_cc == 25 and h["khong_chuyen_trach"] == 13
    assert h["chi_huy_truong_quan_su"] == 1


def test_phuong_has_no_farmers_union_post():
    tpl = load_template("2023")
    h = position_headcounts(tpl, unit_type="phuong", commune_class="I", cb_cc_quota=23)
    assert h["chu_tich_hoi_nong_dan"] == 0
    assert tpl.positions["dia_chinh"].label_for("phuong").startswith("Địa chính - xây dựng")


def test_2025_sizes_are_parameters():
    tpl = load_template("2025")
    h = position_headcounts(tpl, unit_type="xa", commune_class="II")
    assert sum(h.values()) == 32
    h2 = position_headcounts(tpl, unit_type="xa", commune_class="II",
                             params={"total_staff": 40, "ubnd_vice_chairs": 3})  # fmt: skip
    assert sum(h2.values()) == 40 and h2["pho_chu_tich_ubnd"] == 3
    with pytest.raises(ScenarioError, match="smaller than"):
        position_headcounts(tpl, unit_type="xa", commune_class="II", params={"total_staff": 5})
