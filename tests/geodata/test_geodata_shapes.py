"""Shape metrics, representative points, distances and the metric CRS."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
import shapely
from geodata_grid import X0, Y0, grid_units

from sapxep.geodata.crs import metric_crs, to_metric
from sapxep.geodata.shapes import (
    convex_hull_ratio,
    distance_matrix_km,
    distance_to_seat_km,
    polsby_popper,
    representative_points,
)
from sapxep.units.errors import DataValidationError, PlanError
from sapxep.units.plan import plan_from_mapping


def test_polsby_popper_of_a_square_and_a_strip() -> None:
    gdf = grid_units(2, 1, crs="EPSG:4326")
    gdf.loc[1, "geometry"] = shapely.box(105.30, 21.30, 105.40, 21.301)  # long thin strip
    pp = polsby_popper(gdf)
    assert pp.index.tolist() == ["00001", "00002"]
    assert pp["00001"] == pytest.approx(math.pi / 4, rel=1e-3)
    assert pp["00002"] < 0.05


def test_convex_hull_ratio() -> None:
    gdf = grid_units(2, 1)
    # an L of three 1 km squares
    l_shape = shapely.union_all([shapely.box(0, 0, 2000, 1000), shapely.box(0, 1000, 1000, 2000)])
    gdf.loc[1, "geometry"] = shapely.affinity.translate(l_shape, X0 + 5000, Y0)
    ratio = convex_hull_ratio(gdf)
    assert ratio["00001"] == pytest.approx(1.0)
    assert ratio["00002"] == pytest.approx(3 / 3.5)


def test_points_and_distances() -> None:
    gdf = grid_units(3, 1)
    points = representative_points(gdf)
    assert points.within(gdf.set_index("code").geometry).all()
    dist = distance_matrix_km(gdf)
    assert dist.loc["00001", "00003"] == pytest.approx(2.0, abs=1e-6)
    assert (dist.to_numpy() == dist.to_numpy().T).all()
    plan = plan_from_mapping({"00001": "A", "00002": "A", "00003": "B"}, seats={"A": "00002"})
    to_seat = distance_to_seat_km(gdf, plan)
    assert to_seat["00001"] == pytest.approx(1.0)
    assert to_seat["00002"] == 0.0
    assert math.isnan(to_seat["00003"])  # B has no seat
    with pytest.raises(PlanError, match="00042"):
        distance_to_seat_km(gdf, plan_from_mapping({"00042": "A"}))


def test_metric_crs_by_longitude() -> None:
    assert metric_crs(grid_units(2, 2)).to_epsg() == 3405
    east = gpd.GeoDataFrame(geometry=[shapely.box(108.5, 12.0, 108.6, 12.1)], crs="EPSG:4326")
    assert metric_crs(east).to_epsg() == 3406
    europe = gpd.GeoDataFrame(geometry=[shapely.box(9.0, 50.0, 9.1, 50.1)], crs="EPSG:4326")
    assert metric_crs(europe).to_epsg() == 32632
    assert to_metric(east).crs.to_epsg() == 3406
    with pytest.raises(DataValidationError, match="no coordinate system \\(CRS\\).*--crs"):
        metric_crs(gpd.GeoDataFrame(geometry=[shapely.box(105, 21, 106, 22)]))
