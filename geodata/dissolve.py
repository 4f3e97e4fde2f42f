"""Dissolve original units into the new units of a merger plan."""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sapxep.geodata.crs import metric_geometries
from sapxep.units.errors import PlanError, format_codes
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)

#: Name pattern of new units that have neither a proposed name nor a seat.
DEFAULT_NAME = "Đơn vị mới {n}"
OUTPUT_COLUMNS = (
    "new_unit",
    "name",
    "seat_code",
    "members",
    "n_members",
    "area_km2",
    "population",
    "geometry",
)


def _check_plan(codes: pd.Series, plan: MergePlan) -> None:
    """Raise one PlanError if the plan does not partition exactly the units' codes."""
    assigned = pd.Index(plan.assignment.index.astype(str))
    known = pd.Index(codes)
    problems = []
    missing = known.difference(assigned)
    if len(missing):
        problems.append(
            f"{len(missing)} units are not in the plan ({format_codes(missing)}): "
            "assign every unit to a new unit"
        )
    extra = assigned.difference(known)
    if len(extra):
        problems.append(
            f"{len(extra)} plan codes are not among the units ({format_codes(extra)}): "
            "remove them or load the matching dataset"
        )
    dup = assigned[assigned.duplicated()]
    if len(dup):
        problems.append(f"codes assigned twice: {format_codes(dict.fromkeys(dup))}")
    group_of = {str(c): str(g) for c, g in plan.assignment.items()}
    bad_seats = [
        f"{group}: {seat}"
        for group, seat in plan.seats.items()
        if seat and (seat not in known or group_of.get(str(seat)) != str(group))
    ]
    if bad_seats:
        problems.append(
            f"seats are not members of their new unit ({format_codes(bad_seats)}): "
            "choose a seat among the new unit's members"
        )
    if problems:
        raise PlanError("the plan does not match the units", problems)


def dissolve_plan(gdf: gpd.GeoDataFrame, plan: MergePlan, *, smooth_m: float = 1.0) -> gpd.GeoDataFrame:
    """Merge the units of each new unit of ``plan`` into one row.

    The union is made in the metric CRS with a buffer of ``smooth_m`` and an
    unbuffer of the same distance, which removes sliver lines and pinholes left by
    slightly mismatched boundaries; the result is returned in EPSG:4326.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units table (``code``, ``name``, ``area_km2``, ``population``, geometry).
    plan : MergePlan
        Assignment of every unit code to a new unit.
    smooth_m : float, default 1.0
        Buffer/unbuffer distance, metres (0 = plain union).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per new unit, ordered by ``new_unit``: ``new_unit``, ``name`` (the
        plan's name, else the seat unit's name, else "Đơn vị mới N" with N its
        1-based position), ``seat_code`` ("" when none), ``members`` (";"-joined
        sorted codes), ``n_members``, ``area_km2`` (sum of members' ``area_km2``),
        ``population`` (sum), geometry (EPSG:4326).

    Raises
    ------
    PlanError
        If the plan leaves units out, names unknown codes or assigns one twice.
    """
    codes = gdf["code"].astype(str)
    _check_plan(codes, plan)
    geoms, crs = metric_geometries(gdf)
    by_code = dict(zip(codes, range(len(codes)), strict=True))
    names = dict(zip(codes, gdf["name"].astype(str), strict=True))
    area = gdf["area_km2"].to_numpy(dtype=float)
    population = gdf["population"].to_numpy(dtype=float)
    rows = []
    for n, (group, members) in enumerate(plan.groups.items(), start=1):
        idx = [by_code[c] for c in members]
        parts = geoms[idx]
        if smooth_m > 0:
            shape = shapely.buffer(
                shapely.union_all(shapely.buffer(parts, smooth_m, join_style="mitre")),
                -smooth_m,
                join_style="mitre",
            )
        else:
            shape = shapely.union_all(parts)
        seat = plan.seats.get(group, "")
        name = plan.names.get(group) or (names[seat] if seat else DEFAULT_NAME.format(n=n))
        rows.append(
            {
                "new_unit": group,
                "name": name,
                "seat_code": seat,
                "members": ";".join(members),
                "n_members": len(members),
                "area_km2": float(np.nansum(area[idx])),
                "population": int(np.nansum(population[idx])),
                "geometry": shape,
            }
        )
    out = gpd.GeoDataFrame(pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS)), crs=crs)
    out = out.to_crs("EPSG:4326")
    out["geometry"] = _repair_polygons(out.geometry.to_numpy())
    logger.info("dissolved %d units into %d new units", len(gdf), len(out))
    return out


def _repair_polygons(geoms: np.ndarray) -> np.ndarray:
    """Make invalid (multi)polygons valid, keeping only their polygonal parts.

    A mitre buffer/unbuffer or the reprojection back to EPSG:4326 can leave a ring
    touching itself; GIS readers (and GeoPackage validators) reject such shapes.
    """
    out = geoms.copy()
    bad = ~shapely.is_valid(out)
    for i in np.flatnonzero(bad):
        fixed = shapely.make_valid(out[i], method="structure")
        if fixed.geom_type == "GeometryCollection":
            polys = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon")]
            fixed = shapely.union_all(polys)
        out[i] = fixed
    return out
