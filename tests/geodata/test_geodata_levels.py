"""Units of a higher level formed by dissolving communes by parent code."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from geodata_grid import grid_units

from sapxep.geodata.levels import is_at_level, units_at_level
from sapxep.units.errors import DataValidationError


def provinces_grid(n: int = 6, block: int = 2) -> gpd.GeoDataFrame:
    """``n`` × ``n`` communes of 40 km (1,600 km², 300,000 people), provinces of ``block`` × ``block``."""
    g = grid_units(n, n, cell_m=40_000.0, population=300_000, crs="EPSG:4326")
    k = np.arange(len(g))
    row, col = k // n, k % n
    pcode = (row // block) * (n // block) + col // block + 1
    g["province_code"] = [f"{p:02d}" for p in pcode]
    g["province"] = [f"Tỉnh Ô {p}" for p in pcode]
    g["parent_code"] = [f"{p:03d}" for p in pcode]
    g["parent_name"] = [f"Huyện Ô {p}" for p in pcode]
    g["parent_kind"] = "huyen"
    g["terrain_source"] = "data"
    g["area_source"] = "polygon"
    g["population_suspect"] = False
    g.loc[0, "population_suspect"] = True
    return g


def test_province_level_sums_and_types() -> None:
    g = provinces_grid()
    p = units_at_level(g, "province")
    assert len(p) == 9 and is_at_level(p, "province")
    assert set(p["unit_type"]) == {"tinh"}
    assert p["population"].sum() == g["population"].sum()
    assert np.isclose(p["area_km2"].sum(), g["area_km2"].sum())
    assert (p["n_members"] == 4).all()
    assert p.loc[p["code"] == "01", "population_suspect"].item()  # a suspect member taints the sum
    assert p.crs.to_epsg() == 4326 and p.geometry.is_valid.all()
    assert units_at_level(p, "province") is p  # already at the level


def test_district_level_of_phu_tho(phu_tho_2023: gpd.GeoDataFrame) -> None:
    d = units_at_level(phu_tho_2023, "district")
    assert len(d) == 13
    assert d["population"].sum() == 1_463_726
    assert set(d["unit_type"]) == {"huyen", "thanh_pho", "thi_xa"}
    assert (d["parent_code"] == "25").all()  # a district's parent is its province
    assert d.loc[d["name"] == "Thành phố Việt Trì", "unit_type"].item() == "thanh_pho"


def test_no_districts_after_2025(vietnam_2025: gpd.GeoDataFrame) -> None:
    with pytest.raises(DataValidationError, match="no district level"):
        units_at_level(vietnam_2025.head(50), "district")


def test_city_province_type(vietnam_2025: gpd.GeoDataFrame) -> None:
    two = vietnam_2025[vietnam_2025["province_code"].isin(["01", "25"])].reset_index(drop=True)
    p = units_at_level(two, "province").set_index("code")
    assert p.loc["01", "unit_type"] == "thanh_pho_tw" and p.loc["25", "unit_type"] == "tinh"
    assert p.loc["25", "n_members"] == 148


def test_district_of_unknown_kind_is_asked_for_not_taken_as_huyen() -> None:
    g = provinces_grid()
    g.loc[g["parent_code"] == "002", ["parent_name", "parent_kind"]] = ["Ô Hai", ""]
    with pytest.raises(DataValidationError) as err:
        units_at_level(g, "district")
    (problem,) = err.value.problems
    assert problem.startswith("districts Ô Hai (002): their kind") and "parent_kind" in problem
    assert len(units_at_level(provinces_grid(), "district")) == 9  # every kind known: fine
