"""Dissolving plans into new units."""

from __future__ import annotations

import pandas as pd
import pytest
from geodata_grid import grid_units

from sapxep.geodata.dissolve import dissolve_plan
from sapxep.geodata.io import load_dataset
from sapxep.units.errors import PlanError
from sapxep.units.plan import MergePlan, plan_from_mapping


def test_dissolve_grid_sums_and_names() -> None:
    gdf = grid_units(3, 2)
    gdf["population"] = [100, 200, 300, 400, 500, 600]
    plan = plan_from_mapping(
        {"00001": "A", "00002": "A", "00004": "A", "00003": "B", "00006": "B", "00005": "C"},
        seats={"A": "00002"},
        names={"B": "Xã Hợp Nhất"},
    )
    out = dissolve_plan(gdf, plan)
    assert out.crs.equals("EPSG:4326")
    assert out["new_unit"].tolist() == ["A", "B", "C"]
    assert out["name"].tolist() == ["Xã Ô 2", "Xã Hợp Nhất", "Đơn vị mới 3"]
    assert out["seat_code"].tolist() == ["00002", "", ""]
    assert out["members"].tolist() == ["00001;00002;00004", "00003;00006", "00005"]
    assert out["n_members"].tolist() == [3, 2, 1]
    assert out["population"].tolist() == [700, 900, 500]
    assert out["area_km2"].tolist() == pytest.approx([3.0, 2.0, 1.0])
    metric = out.to_crs("EPSG:3405")
    assert metric.geom_type.tolist() == ["Polygon"] * 3  # no internal seams left
    assert metric.area.div(1e6).tolist() == pytest.approx([3.0, 2.0, 1.0], rel=1e-6)
    assert len(metric.geometry.iloc[0].interiors) == 0


def test_dissolve_closes_sliver_seams() -> None:
    gdf = grid_units(2, 1, gap_m=0.5)  # half-metre strip between the two cells
    out = dissolve_plan(gdf, plan_from_mapping({"00001": "A", "00002": "A"}))
    assert out.to_crs("EPSG:3405").geom_type.tolist() == ["Polygon"]


def test_plan_must_cover_the_units() -> None:
    gdf = grid_units(2, 2)
    plan = plan_from_mapping({"00001": "A", "00002": "A", "00003": "B", "00099": "B"})
    with pytest.raises(PlanError, match="00004") as info:
        dissolve_plan(gdf, plan)
    assert "00099" in str(info.value)


def test_dissolve_real_districts() -> None:
    gdf = load_dataset("phu_tho_2023")
    plan = plan_from_mapping(pd.Series(gdf["parent_code"].to_numpy(), index=gdf["code"]))
    out = dissolve_plan(gdf, plan).set_index("new_unit")
    assert len(out) == 13
    assert out["population"].sum() == 1_463_726
    assert out.loc["227", "population"] == 214_777  # Thành phố Việt Trì (census total)
    assert out.loc["230", "population"] == 115_131  # Huyện Đoan Hùng
    assert out["area_km2"].sum() == pytest.approx(gdf["area_km2"].sum())
    assert (out.geom_type == "Polygon").all()


def test_seat_outside_its_new_unit_is_reported() -> None:
    gdf = grid_units(2, 1)
    plan = MergePlan(pd.Series({"00001": "A", "00002": "B"}), seats={"A": "00002"})
    with pytest.raises(PlanError, match="A: 00002"):
        dissolve_plan(gdf, plan)
