"""Importing plans: the bundled 2019→2020 crosswalk and CSV mappings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sapxep.geodata.datasets import dataset_path
from sapxep.geodata.io import load_dataset
from sapxep.scenarios.workspace.importing import (
    import_scenario,
    plan_from_crosswalk,
    plan_from_csv,
    split_shares,
)
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.errors import PlanError


@pytest.fixture(scope="module")
def units_2019(bundled_dataset):
    return bundled_dataset("phu_tho_2019")


def test_split_shares_parses_gso_note() -> None:
    note = (
        "Điều chỉnh 0,82 km2 diện tích tự nhiên, 1.546 người của phường Trường Thịnh vào xã "
        "Thanh Minh, điều chỉnh 1,80 km2 diện tích tự nhiên, 2.846 người của phường Trường "
        "Thịnh vào phường Hùng Vương, nhập toàn bộ 1,16 km2 diện tích tự nhiên, 1.684 người "
        "còn lại của phường Trường Thịnh vào phường Phong Châu"
    )
    assert split_shares(note) == {
        "thanh minh": (0.82, 1546.0),
        "hùng vương": (1.80, 2846.0),
        "phong châu": (1.16, 1684.0),
    }


def test_crosswalk_plan(units_2019) -> None:
    imported = plan_from_crosswalk(units=units_2019)
    plan = imported.plan
    assert len(plan.assignment) == 277 and plan.n_after == 225
    # Trường Thịnh went mostly (2,846 people) to Phường Hùng Vương
    assert plan.assignment["07939"] == "07942"
    assert plan.groups["07942"] == ["07939", "07942"]
    assert len(imported.notes) == 1 and "07939" in imported.notes[0]
    assert "Phường Hùng Vương 07942" in imported.notes[0]
    # the unit keeping the code is the seat; new names from the crosswalk
    assert plan.seats["08014"] == "08014"
    assert plan.names["08014"] == "Xã Hợp Nhất"
    assert set(plan.groups["08014"]) == {"08011", "08014", "08020"}
    # every unit is a seat or a member of a group with a seat
    assert all(plan.seats[g] in m for g, m in plan.groups.items())
    cw = pd.read_csv(dataset_path("phu_tho_2019", "crosswalk"), dtype=str, keep_default_na=False)
    plain = cw[cw["relation"] != "partial_split"]
    assert (plan.assignment[plain["old_code"]].to_numpy() == plain["new_code"].to_numpy()).all()


def test_csv_mappings(tmp_path: Path, units_2019) -> None:
    codes = list(units_2019["code"])
    mapping = {c: f"G{i // 2:03d}" for i, c in enumerate(codes)}
    f = tmp_path / "plan.csv"
    pd.DataFrame({"code": codes, "new_unit": [mapping[c] for c in codes]}).to_csv(f, index=False)
    imported = plan_from_csv(f, units=units_2019)
    assert imported.plan.n_after == 139
    pops = units_2019.set_index("code")["population"]
    seat = imported.plan.seats["G000"]
    assert seat == max(codes[:2], key=lambda c: pops[c])  # most populous member by default
    g = tmp_path / "mapping.csv"
    pd.DataFrame(
        {"old_code": codes, "new_code": [mapping[c] for c in codes],
         "new_name": [f"Xã Mới {mapping[c]}" for c in codes],
         "seat_code": [codes[2 * (i // 2)] for i in range(len(codes))]}
    ).to_csv(g, index=False)  # fmt: skip
    imported = plan_from_csv(g, units=units_2019)
    assert imported.plan.seats["G000"] == codes[0]
    assert imported.plan.names["G001"] == "Xã Mới G001"
    # the crosswalk itself is recognised by its columns and split units are resolved
    assert plan_from_csv(dataset_path("phu_tho_2019", "crosswalk")).plan.assignment["07939"] == "07942"


def test_csv_mapping_errors(tmp_path: Path, units_2019) -> None:
    codes = list(units_2019["code"])
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"code": codes[:-2] + [codes[0], "99999"],
                  "new_unit": ["A"] * (len(codes) - 2) + ["B", "A"]}).to_csv(bad, index=False)  # fmt: skip
    with pytest.raises(PlanError, match=f"codes {codes[0]} are mapped to several new units"):
        plan_from_csv(bad, units=units_2019)
    short = tmp_path / "short.csv"
    pd.DataFrame({"code": codes[:-2] + ["99999"], "new_unit": "A"}).to_csv(short, index=False)
    with pytest.raises(PlanError) as exc:
        plan_from_csv(short, units=units_2019)
    text = str(exc.value)
    assert f"units {codes[-2]}, {codes[-1]} are not in the mapping" in text
    assert "codes 99999 are not units of this dataset" in text
    cols = tmp_path / "cols.csv"
    cols.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(PlanError, match="no old-code column"):
        plan_from_csv(cols)


def test_import_into_workspace(tmp_path: Path, units_2019) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    info = import_scenario(ws, "Lịch sử 2020", dataset="phu_tho_2019", units=units_2019,
                           ruleset="nq35_2023", author="Sở Nội vụ")  # fmt: skip
    assert (info.n_before, info.n_after) == (277, 225)
    assert info.source == "crosswalk" and info.status == "imported"
    assert "07939" in info.description
    sc = ws.load("Lịch sử 2020")
    assert sc.metrics["n_after"] == 225 and sc.metrics["ruleset"] == "nq35_2023"
    row = sc.new_units.set_index("new_unit").loc["07942"]
    assert row["members"] == "07939;07942"
    assert row["name"] == "Phường Hùng Vương"
    pops = units_2019.set_index("code")["population"]
    assert row["population"] == pops["07939"] + pops["07942"]
    assert ws.units("phu_tho_2019")["code"].tolist() == units_2019["code"].tolist()


def test_split_without_shares_goes_to_first_listed(units_2019) -> None:
    cw = pd.read_csv(dataset_path("phu_tho_2019", "crosswalk"), dtype=str, keep_default_na=False)
    cw.loc[cw["old_code"] == "07939", "gso_note"] = ""
    cw = pd.concat([cw[cw["old_code"] == "07939"].iloc[[2, 0, 1]], cw[cw["old_code"] != "07939"]])
    imported = plan_from_crosswalk(cw, units=units_2019)
    assert imported.plan.assignment["07939"] == "07945"  # Phong Châu, listed first now
    assert "đơn vị nêu đầu tiên" in imported.notes[0]
    with pytest.raises(PlanError, match="column 'new_code' is missing"):
        plan_from_crosswalk(cw.drop(columns="new_code"))


def test_dissolve_of_the_real_2019_merger_gives_valid_polygons() -> None:
    import shapely

    from sapxep.geodata.dissolve import dissolve_plan
    from sapxep.scenarios.workspace.importing import plan_from_crosswalk

    units = load_dataset("phu_tho_2019")
    new_units = dissolve_plan(units, plan_from_crosswalk(units=units).plan)
    assert len(new_units) == 225
    assert shapely.is_valid(new_units.geometry.to_numpy()).all()
    assert set(new_units.geom_type) <= {"Polygon", "MultiPolygon"}
