"""Roster reading and validation, and the seeded synthetic roster."""

from __future__ import annotations

import pandas as pd
import pytest

from sapxep.units.errors import RosterError
from sapxep.units.staffing.quotas import unit_quotas
from sapxep.units.staffing.retirement import month_index, retirement_month_indices
from sapxep.units.staffing.roster import read_roster, synthetic_roster, validate_roster

UNITS = pd.DataFrame(
    [
        {"code": "00001", "name": "Xã A", "unit_type": "xa", "parent_kind": "huyen",
         "terrain": "lowland", "population": 20000, "area_km2": 70.0, "commune_class": "I"},
        {"code": "00002", "name": "Phường B", "unit_type": "phuong", "parent_kind": "quan",
         "terrain": "lowland", "population": 31000, "area_km2": 5.0, "commune_class": ""},
        {"code": "00003", "name": "Xã C", "unit_type": "xa", "parent_kind": "huyen",
         "terrain": "mountainous", "population": 4000, "area_km2": 40.0, "commune_class": "III"},
    ]
)  # fmt: skip

GOOD_CSV = """unit_code,person_id,title,category,birth_year,birth_month,sex,qualification
00001,P1,Chủ tịch UBND,cán bộ,1970,5,nam,Đại học
00001,P2,van_phong_thong_ke,civil_servant,1985,,F,Đại học
00002,P3,Tu phap - ho tich,công chức,1990,12,nữ,
00002,P4,khong_chuyen_trach,part_time,1980,1,M,Trung cấp
00003,P5,Viên chức,public_employee,1992,,M,
"""


def test_read_good_csv_normalises_values(tmp_path):
    p = tmp_path / "roster.csv"
    p.write_text(GOOD_CSV, encoding="utf-8")
    r = read_roster(p, unit_codes=UNITS["code"])
    assert list(r["title"]) == [
        "chu_tich_ubnd", "van_phong_thong_ke", "tu_phap_ho_tich", "khong_chuyen_trach", "vien_chuc",
    ]  # fmt: skip
    assert list(r["category"]) == [
        "cadre", "civil_servant", "civil_servant", "part_time", "public_employee",
    ]  # fmt: skip
    assert list(r["sex"]) == ["M", "F", "F", "M", "M"]
    assert r["birth_month"].isna().sum() == 2
    assert not r["estimated"].any()
    assert list(r["unit_code"]) == ["00001", "00001", "00002", "00002", "00003"]


def test_read_xlsx(tmp_path):
    p = tmp_path / "roster.xlsx"
    df = pd.read_csv(pd.io.common.StringIO(GOOD_CSV), dtype=str, keep_default_na=False)
    df.to_excel(p, index=False)
    r = read_roster(p, unit_codes=UNITS["code"])
    assert len(r) == 5 and r.loc[0, "title"] == "chu_tich_ubnd"


def test_bad_roster_lists_every_problem_once(tmp_path):
    bad = GOOD_CSV + "\n".join(
        [
            "99999,P6,Chủ tịch UBND,cadre,1975,1,M,",  # unknown unit (row 7)
            "00001,P7,Chủ tịch UBND,cadre,1890,1,M,",  # impossible birth year (row 8)
            "00001,P8,Thủ quỹ,civil_servant,1980,1,M,",  # unknown title (row 9)
            "00001,P1,Chủ tịch UBND,cadre,1980,13,X,",  # duplicate id, bad month, bad sex (row 10)
            "00001,P9,Chủ tịch UBND,civil_servant,2030,1,M,",  # category mismatch, future year (11)
        ]
    )
    p = tmp_path / "bad.csv"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(RosterError) as info:
        read_roster(p, unit_codes=UNITS["code"], reference_year=2025)
    err = info.value
    text = str(err)
    assert "6 of 10 rows" in err.summary  # row 2 shares the duplicate id
    assert "unknown unit code '99999'" in text and "(rows 7)" in text
    assert "impossible birth year 1890" in text and "impossible birth year 2030" in text
    assert "unknown title 'Thủ quỹ'" in text and "(rows 9)" in text
    assert "person_id 'P1' appears more than once" in text and "rows 2, 10" in text
    assert "birth_month is not 1..12" in text and "sex is not M/F" in text
    assert "is a cadre post but category says civil_servant" in text
    assert len(err.problems) == 8


def test_missing_columns():
    with pytest.raises(RosterError, match="birth_year, sex"):
        validate_roster(pd.DataFrame({"unit_code": ["1"], "person_id": ["a"], "title": ["x"],
                                      "category": ["cadre"]}))  # fmt: skip


def test_synthetic_roster_fills_each_unit_to_its_quota():
    q = unit_quotas(UNITS, default_class="II")
    r = synthetic_roster(UNITS, seed=3, reference_year=2025, quotas=q)
    counts = r.groupby(["unit_code", "category"]).size().unstack(fill_value=0)
    assert (counts["cadre"] + counts["civil_servant"]).to_dict() == q["quota_cb_cc"].to_dict()
    assert counts["part_time"].to_dict() == q["quota_part_time"].to_dict()
    assert r["estimated"].all() and r["person_id"].is_unique
    # everybody is of working age and below the statutory retirement age in 01/2025
    ret = retirement_month_indices(r["birth_year"], r["birth_month"], r["sex"])
    assert (ret >= month_index(2025, 1)).all()
    assert (2025 - r["birth_year"]).between(18, 63).all()
    # the generated table is itself a valid roster
    again = validate_roster(r.drop(columns=["row"]).astype(str), unit_codes=UNITS["code"])
    assert len(again) == len(r) and again["estimated"].all()


def test_synthetic_roster_is_seeded():
    a = synthetic_roster(UNITS, seed=1)
    b = synthetic_roster(UNITS, seed=1)
    c = synthetic_roster(UNITS, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not a["birth_year"].equals(c["birth_year"])


def test_vacancies_only_remove_non_cadre_posts():
    full = synthetic_roster(UNITS, seed=0)
    part = synthetic_roster(UNITS, seed=0, vacancy_rate=0.5)
    assert len(part) < len(full)
    assert (part["category"] == "cadre").sum() == (full["category"] == "cadre").sum()


def test_leading_zeros_lost_in_a_spreadsheet_are_restored():
    raw = pd.DataFrame(
        {"unit_code": ["1", "00002", "7"], "person_id": ["a", "b", "c"],
         "title": ["chu_tich_ubnd"] * 3, "category": ["cadre"] * 3,
         "birth_year": ["1970"] * 3, "sex": ["M"] * 3}
    )  # fmt: skip
    with pytest.raises(RosterError, match="unknown unit code '7'"):
        validate_roster(raw, unit_codes=UNITS["code"])
    r = validate_roster(raw.iloc[:2], unit_codes=UNITS["code"])
    assert list(r["unit_code"]) == ["00001", "00002"]
