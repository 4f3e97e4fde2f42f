"""Plan metrics for comparing scenarios: sizes, criteria, compactness, distances, staffing.

:func:`plan_metrics` returns a flat dict (JSON-ready: ints, floats, None) with the keys of
:data:`METRIC_KEYS`; :func:`new_unit_table` returns the per-new-unit table behind it.
Areas and populations of a new unit are the sums over its members of ``area_km2`` (official
where known) and ``population``; shapes and distances are measured in the metric CRS of
:func:`sapxep.geodata.crs.metric_crs`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from sapxep.units.plan import MergePlan, default_seat

logger = logging.getLogger(__name__)

#: Metric keys in display order (labels in :mod:`sapxep.scenarios.i18n`).
METRIC_KEYS: tuple[str, ...] = (
    "n_before",
    "n_after",
    "n_merged",
    "n_unchanged",
    "n_fail_population",
    "n_fail_area",
    "n_fail_any",
    "must_arrange_total",
    "must_arrange_resolved",
    "must_arrange_unresolved",
    "area_km2_min",
    "area_km2_median",
    "area_km2_max",
    "population_min",
    "population_median",
    "population_max",
    "compactness_mean",
    "compactness_min",
    "seat_distance_km_max",
    "seat_distance_km_mean",
    "n_cross_parent",
    "staff_before",
    "staff_after",
    "surplus_now",
    "surplus_year5",
)

#: Staffing keys read from a staffing summary (any of these may be missing).
STAFFING_KEYS: tuple[str, ...] = ("staff_before", "staff_after", "surplus_now", "surplus_year5")


def _metric_points(units: gpd.GeoDataFrame, graph: nx.Graph | None) -> dict[str, tuple[float, float]]:
    if graph is not None and all("x_m" in graph.nodes[n] for n in graph.nodes):
        return {str(n): (float(d["x_m"]), float(d["y_m"])) for n, d in graph.nodes(data=True)}
    from sapxep.geodata.crs import metric_crs

    pts = units.to_crs(metric_crs(units)).geometry.representative_point()
    return {str(c): (float(p.x), float(p.y)) for c, p in zip(units["code"], pts, strict=True)}


def _resolve_ruleset(ruleset: Any) -> Any:
    if ruleset is None or ruleset == "":
        return None
    if isinstance(ruleset, str):
        from sapxep.units.rules import load_ruleset

        return load_ruleset(ruleset)
    return ruleset


def new_unit_table(
    units: pd.DataFrame,
    plan: MergePlan,
    *,
    ruleset: Any = None,
    graph: nx.Graph | None = None,
    new_units: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Return one row per new unit with its size, criteria, shape and distances.

    Parameters
    ----------
    units : GeoDataFrame
        Units table (with geometry for compactness and distances).
    plan : MergePlan
    ruleset : str or Ruleset, optional
        For the criteria columns (``population_min``, ``area_min_km2``, ``fails_*``).
    graph : networkx.Graph, optional
        Adjacency graph; its ``x_m``/``y_m`` node attributes give unit points.
    new_units : GeoDataFrame, optional
        Dissolved new units (for compactness); dissolved here when omitted.

    Returns
    -------
    pandas.DataFrame
        Index ``new_unit``; columns ``name, seat_code, seat_name, members, n_members,
        area_km2, population, parents, n_parents, seat_distance_km_max,
        seat_distance_km_mean, compactness, population_min, area_min_km2, waived,
        population_pct, area_pct, fails_population, fails_area``.
    """
    df = pd.DataFrame(units.drop(columns="geometry", errors="ignore"))
    df["code"] = df["code"].astype(str)
    df = df.set_index("code", drop=False)
    rs = _resolve_ruleset(ruleset)
    has_geom = isinstance(units, gpd.GeoDataFrame) and units.geometry is not None
    points = _metric_points(units, graph) if has_geom or graph is not None else {}
    compact: dict[str, float] = {}
    if has_geom:
        if new_units is None:
            from sapxep.geodata.dissolve import dissolve_plan

            new_units = dissolve_plan(units, plan)
        from sapxep.geodata.crs import metric_crs

        nm = new_units.to_crs(metric_crs(units))
        pp = 4 * math.pi * nm.geometry.area / nm.geometry.length**2
        compact = dict(zip(nm["new_unit"].astype(str), pp.astype(float), strict=True))
    rows = []
    for g, members in plan.groups.items():
        sub = df.loc[members]
        seat = plan.seats.get(g) or default_seat(members, df["population"])
        dists = []
        if points and seat in points:
            sx, sy = points[seat]
            for c in members:
                if c != seat and c in points:
                    x, y = points[c]
                    dists.append(math.hypot(x - sx, y - sy) / 1000.0)
        parents = sorted(set(sub["parent_code"].astype(str))) if "parent_code" in sub else []
        row: dict[str, Any] = {
            "new_unit": g,
            "name": plan.names.get(g) or str(df.at[seat, "name"]),
            "seat_code": seat,
            "seat_name": str(df.at[seat, "name"]),
            "members": ";".join(members),
            "n_members": len(members),
            "area_km2": float(sub["area_km2"].sum()),
            "population": int(sub["population"].sum()),
            "parents": ";".join(parents),
            "n_parents": len(parents),
            "seat_distance_km_max": max(dists) if dists else 0.0,
            "seat_distance_km_mean": float(np.mean(dists)) if dists else 0.0,
            "compactness": compact.get(g, float("nan")),
        }
        if rs is not None:
            from sapxep.units.rules import new_unit_floor

            fl = new_unit_floor(df.loc[seat].to_dict(), rs, n_members=len(members))
            checked = len(members) >= 2 or bool(getattr(rs, "singles_must_meet_floor", False))
            row.update(
                population_min=fl.population_min,
                area_min_km2=fl.area_min_km2,
                waived=bool(fl.waived),
                population_pct=100.0 * row["population"] / fl.population_min
                if fl.population_min else float("nan"),
                area_pct=100.0 * row["area_km2"] / fl.area_min_km2
                if fl.area_min_km2 else float("nan"),
                fails_population=bool(checked and not fl.waived
                                      and row["population"] < fl.population_min),
                fails_area=bool(checked and not fl.waived
                                and row["area_km2"] < fl.area_min_km2 - 1e-9),
            )  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows).set_index("new_unit", drop=False)


def _staffing_values(staffing: Any) -> dict[str, float | None]:
    out: dict[str, float | None] = dict.fromkeys(STAFFING_KEYS)
    if staffing is None:
        return out
    if isinstance(staffing, pd.DataFrame):
        if {"key", "value"} <= set(staffing.columns):
            staffing = dict(zip(staffing["key"], staffing["value"], strict=True))
        elif len(staffing) == 1:
            staffing = staffing.iloc[0].to_dict()
        else:
            staffing = {k: staffing[k].sum() for k in STAFFING_KEYS if k in staffing}
    if isinstance(staffing, Mapping):
        if staffing.get("staff_after") is None and staffing.get("quota_after") is not None:
            staffing = {**staffing, "staff_after": staffing["quota_after"]}
        for k in STAFFING_KEYS:
            v = staffing.get(k)
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                out[k] = float(v)
    return out


def plan_metrics(
    units: pd.DataFrame,
    plan: MergePlan,
    *,
    ruleset: Any = None,
    graph: nx.Graph | None = None,
    new_units: gpd.GeoDataFrame | None = None,
    staffing: Any = None,
) -> dict[str, Any]:
    """Return the comparison metrics of a plan.

    Parameters
    ----------
    units : GeoDataFrame
        Units table.
    plan : MergePlan
    ruleset : str or Ruleset, optional
        For criteria and must-arrange metrics (left None without one).
    graph : networkx.Graph, optional
        Adjacency graph (unit points for distances).
    new_units : GeoDataFrame, optional
        Dissolved new units (compactness).
    staffing : mapping or DataFrame, optional
        Staffing summary with ``staff_before, staff_after, surplus_now, surplus_year5``.

    Returns
    -------
    dict
        Keys of :data:`METRIC_KEYS` (plus ``ruleset``): counts as int, sizes as float,
        None when not computable (no ruleset, no staffing).
    """
    table = new_unit_table(units, plan, ruleset=ruleset, graph=graph, new_units=new_units)
    n_members = table["n_members"]
    m: dict[str, Any] = dict.fromkeys(METRIC_KEYS)
    m["n_before"] = int(len(plan.assignment))
    m["n_after"] = int(plan.n_after)
    m["n_merged"] = int((n_members >= 2).sum())
    m["n_unchanged"] = int((n_members == 1).sum())
    if "fails_population" in table:
        m["n_fail_population"] = int(table["fails_population"].sum())
        m["n_fail_area"] = int(table["fails_area"].sum())
        m["n_fail_any"] = int((table["fails_population"] | table["fails_area"]).sum())
    rs = _resolve_ruleset(ruleset)
    if rs is not None:
        from sapxep.units.assessment import assess_units

        assessed = assess_units(pd.DataFrame(units.drop(columns="geometry", errors="ignore")), rs)
        flag = assessed["must_arrange"].astype(bool)
        if "exempt" in assessed:
            flag &= ~assessed["exempt"].astype(bool)
        must = [str(c) for c in assessed.index[flag]]
        sizes = plan.assignment.astype(str).map(n_members.to_dict())
        resolved = [c for c in must if int(sizes.get(c, 1)) >= 2]
        m["must_arrange_total"] = len(must)
        m["must_arrange_resolved"] = len(resolved)
        m["must_arrange_unresolved"] = len(must) - len(resolved)
        m["ruleset"] = rs.name
    for col in ("area_km2", "population"):
        vals = table[col].astype(float)
        m[f"{col}_min"] = float(vals.min())
        m[f"{col}_median"] = float(vals.median())
        m[f"{col}_max"] = float(vals.max())
    comp = table["compactness"].astype(float).dropna()
    if len(comp):
        m["compactness_mean"] = float(comp.mean())
        m["compactness_min"] = float(comp.min())
    merged = table[n_members >= 2]
    if len(merged):
        m["seat_distance_km_max"] = float(merged["seat_distance_km_max"].max())
        total = (merged["seat_distance_km_mean"] * (merged["n_members"] - 1)).sum()
        m["seat_distance_km_mean"] = float(total / (merged["n_members"] - 1).sum())
    else:
        m["seat_distance_km_max"] = 0.0
        m["seat_distance_km_mean"] = 0.0
    m["n_cross_parent"] = int((table["n_parents"] > 1).sum())
    m.update(_staffing_values(staffing))
    logger.info("plan metrics: %d -> %d units", m["n_before"], m["n_after"])
    return m
