"""Shape metrics and distances of units, measured in a metric CRS.

Per-unit results are ``pandas.Series`` indexed by ``code``.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sapxep.geodata.crs import metric_geometries
from sapxep.units.errors import PlanError, format_codes
from sapxep.units.plan import MergePlan


def _index(gdf: gpd.GeoDataFrame) -> pd.Index:
    return pd.Index(gdf["code"].astype(str), name="code")


def polsby_popper(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Return the Polsby-Popper compactness ``4 π A / P²`` of each unit.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with ``code`` and a CRS.

    Returns
    -------
    pandas.Series
        Values in (0, 1] (1 for a disc, π/4 for a square), indexed by code;
        NaN for empty geometries.
    """
    geoms, _ = metric_geometries(gdf)
    area, perimeter = shapely.area(geoms), shapely.length(geoms)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(perimeter > 0, 4.0 * math.pi * area / perimeter**2, np.nan)
    return pd.Series(value, index=_index(gdf), name="polsby_popper")


def convex_hull_ratio(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Return area / convex-hull area of each unit.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with ``code`` and a CRS.

    Returns
    -------
    pandas.Series
        Values in (0, 1] (1 for a convex unit), indexed by code.
    """
    geoms, _ = metric_geometries(gdf)
    area, hull = shapely.area(geoms), shapely.area(shapely.convex_hull(geoms))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(hull > 0, area / hull, np.nan)
    return pd.Series(value, index=_index(gdf), name="convex_hull_ratio")


def representative_points(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Return a point inside each unit (``point_on_surface``), in the CRS of ``gdf``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with ``code``.

    Returns
    -------
    geopandas.GeoSeries
        Points indexed by code (unlike the centroid, always inside the unit).
    """
    points = shapely.point_on_surface(gdf.geometry.to_numpy())
    return gpd.GeoSeries(points, index=_index(gdf), crs=gdf.crs, name="point")


def _metric_points(gdf: gpd.GeoDataFrame) -> np.ndarray:
    geoms, _ = metric_geometries(gdf)
    return shapely.point_on_surface(geoms)


def distance_matrix_km(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return straight-line distances (km) between the representative points of units.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with ``code`` and a CRS.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric, zero diagonal; index and columns are codes.
    """
    points = _metric_points(gdf)
    xy = shapely.get_coordinates(points)
    diff = xy[:, None, :] - xy[None, :, :]
    dist = np.sqrt((diff**2).sum(axis=2)) / 1000.0
    idx = _index(gdf)
    return pd.DataFrame(dist, index=idx, columns=idx.rename(None))


def distance_to_seat_km(gdf: gpd.GeoDataFrame, plan: MergePlan) -> pd.Series:
    """Return the distance (km) from each unit to the seat unit of its new unit.

    Distances are between representative points (``point_on_surface``); a seat has
    distance 0. Units of new units without a seat get NaN.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with ``code`` and a CRS.
    plan : MergePlan
        Assignment and seats.

    Returns
    -------
    pandas.Series
        Indexed by code, name ``distance_to_seat_km``.

    Raises
    ------
    PlanError
        If the plan names codes that are not among the units.
    """
    points = _metric_points(gdf)
    idx = _index(gdf)
    position = {c: i for i, c in enumerate(idx)}
    unknown = [c for c in list(plan.assignment.index) + list(plan.seats.values()) if str(c) not in position]
    if unknown:
        raise PlanError(
            "the plan does not match the units",
            [f"codes not among the units: {format_codes(dict.fromkeys(unknown))}"],
        )
    out = np.full(len(idx), np.nan)
    for code, group in plan.assignment.items():
        seat = plan.seats.get(str(group), "")
        if seat:
            i = position[str(code)]
            out[i] = shapely.distance(points[i], points[position[seat]]) / 1000.0
    return pd.Series(out, index=idx, name="distance_to_seat_km")
