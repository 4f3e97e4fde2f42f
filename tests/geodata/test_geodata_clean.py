"""Cleaning a units coverage: overlaps, gaps, invalid and multipart units, the change limit."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geodata_grid import METRIC, grid_units

from sapxep.geodata.clean import CleanRefusedError, clean_units
from sapxep.geodata.validate import validate_topology
from sapxep.units.errors import DataValidationError


def _messy() -> gpd.GeoDataFrame:
    """3 × 3 grid (1 km cells): the centre overlaps its west neighbour by 50 m, a 20 m gap east."""
    gdf = grid_units(3, 3)
    geoms = gdf.geometry.to_numpy().copy()
    x0, y0, x1, y1 = geoms[4].bounds
    geoms[4] = shapely.box(x0 - 50, y0, x1 - 20, y1)
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, crs=METRIC))
    return gdf


def test_overlaps_resolved_and_gaps_filled() -> None:
    gdf = _messy()
    assert validate_topology(gdf, island_policy="ignore")  # overlap 0.05 km², gap 0.02 km²
    result = clean_units(gdf, gap_tol_km2=0.1)
    assert validate_topology(result.units, island_policy="ignore") == []
    assert shapely.coverage_is_valid(result.units.to_crs(METRIC).geometry.to_numpy())
    rep = result.report.set_index("code")
    # the overlap stays with one unit and leaves the other; the gap goes to one neighbour
    assert rep["removed_km2"].sum() == pytest.approx(0.05, abs=2e-3)
    assert rep["added_km2"].sum() == pytest.approx(0.02, abs=2e-3)
    assert result.summary["overlap_km2"] == pytest.approx(0.05, abs=1e-3)
    assert result.summary["gaps_filled"] == 1
    assert result.units.crs.equals("EPSG:4326")
    total = gpd.GeoSeries(result.units.geometry).to_crs(METRIC).area.sum() / 1e6
    assert total == pytest.approx(9.0, abs=2e-3)  # the whole grid, once


def test_large_gaps_are_kept_and_said() -> None:
    result = clean_units(_messy(), gap_tol_km2=0.001)
    assert result.summary["gaps_left"] == 1 and "gaps larger than" in result.notes[0]


def test_change_limit_refuses_naming_units() -> None:
    gdf = grid_units(2, 1)
    geoms = gdf.geometry.to_numpy().copy()
    x0, y0, x1, y1 = geoms[1].bounds
    geoms[1] = shapely.box(x0 - 400, y0, x1, y1)  # 40 % of unit 1 claimed by unit 2
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, crs=METRIC))
    with pytest.raises(CleanRefusedError, match="--max-change-pct") as info:
        clean_units(gdf, max_change_pct=5)
    assert "00001" in str(info.value) or "00002" in str(info.value)
    assert clean_units(gdf, max_change_pct=100).report["change_pct"].max() > 5


def test_invalid_and_multipart_units_are_repaired() -> None:
    gdf = grid_units(3, 1)
    x0, y0, x1, y1 = gdf.geometry.iloc[0].bounds
    bowtie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])
    geoms = gdf.geometry.to_numpy().copy()
    geoms[0] = bowtie
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, crs=METRIC))
    part = gdf.iloc[[2]].copy()
    half = shapely.box(*gdf.geometry.iloc[2].bounds)
    gdf.loc[2, "geometry"] = shapely.clip_by_rect(half, *np.add(half.bounds, (0, 0, -500, 0)))
    part["geometry"] = shapely.clip_by_rect(half, *np.add(half.bounds, (500, 0, 0, 0)))
    gdf = gpd.GeoDataFrame(gpd.pd.concat([gdf, part], ignore_index=True), crs=METRIC)
    result = clean_units(gdf)
    assert len(result.units) == 3
    rep = result.report.set_index("code")
    assert bool(rep.loc["00001", "repaired"]) and rep.loc["00003", "dissolved_parts"] == 2
    assert result.units.geometry.is_valid.all()


def test_parts_that_disagree_are_not_dissolved() -> None:
    gdf = grid_units(2, 1)
    gdf.loc[1, "code"] = "00001"
    with pytest.raises(DataValidationError, match="code 00001 appears in 2 rows that differ in name"):
        clean_units(gdf)
