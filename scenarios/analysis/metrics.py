"""Plan metrics: one object, :class:`PlanMetrics`, with one vocabulary.

:func:`measure_plan` measures a plan once; :func:`plan_metrics` (comparison, app, workspace)
and the run's ``metrics.json`` (:func:`sapxep.scenarios.run.scenario.run_metrics`) are two
views of the same object. :func:`new_unit_table` is the per-new-unit table behind it.

Vocabulary (the name of each measure, and what it counts)
----------------------------------------------------------
n_before, n_after
    Original units; new units.
n_merged, n_unchanged
    New units of at least two members; new units of one member (a unit left alone).
n_units_touched
    Original units that end in a new unit of at least two members.
max_members
    Members of the largest new unit.
n_fail_population, n_fail_area, n_fail_any
    New units below the ruleset's population floor, area floor, either floor (floors of
    :func:`sapxep.units.rules.new_unit_floor` for the new unit's seat; waived units and units
    left alone that need not meet the floor do not count). None without a ruleset.
n_new_units_failing
    New units named by at least one :func:`sapxep.units.checks.check_plan` violation (any rule:
    floors, contiguity, locks, ...). None without a check.
must_arrange_total, must_arrange_resolved, must_arrange_unresolved
    Non-exempt must-arrange units; those merged with at least one other unit; those left alone.
area_km2_min/median/max, population_min/median/max
    Over new units; a new unit's area and population are the sums over its members of
    ``area_km2`` (official where known) and ``population``.
compactness_mean, compactness_min
    Polsby-Popper ``4πA/P²`` of the dissolved new units (None without geometry).
seat_distance_km_max, seat_distance_km_mean
    Straight-line distance from members to their seat (:func:`sapxep.units.plan.default_seat`
    when the plan has none), over merged new units; the mean is weighted by members.
n_cross_parent
    New units whose members belong to more than one district-level unit.

``metrics.json`` keeps its historical names for four of them: ``must_arrange_merged`` =
``must_arrange_resolved``, ``new_unit_population_min/max`` = ``population_min/max`` (int),
``new_unit_area_km2_min/max`` = ``area_km2_min/max`` (rounded to 0.001 km²); see
:data:`RUN_KEYS`. Shapes and distances are measured in the metric CRS of
:func:`sapxep.geodata.crs.metric_crs`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from sapxep.units.plan import MergePlan, default_seat

logger = logging.getLogger(__name__)

#: Metric keys in display order (labels in :mod:`sapxep.scenarios.messages`).
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
    "covered_staff",
    "staff_after",
    "surplus_now",
    "deficit_now",
    "surplus_year5",
    "departures_needed",
    "cost_one_off_vnd",
    "central_support_vnd",
    "net_one_off_vnd",
    "savings_per_year_vnd",
)

#: Staffing and cost keys read from a staffing summary (any of these may be missing);
#: see :func:`sapxep.scenarios.run.staffing_outputs.stored_staffing_tables`.
STAFFING_KEYS: tuple[str, ...] = (
    "staff_before", "covered_staff", "staff_after", "surplus_now", "deficit_now", "surplus_year5",
    "departures_needed",
    "cost_one_off_vnd", "central_support_vnd", "net_one_off_vnd", "savings_per_year_vnd",
)  # fmt: skip


def _metric_points(units: gpd.GeoDataFrame, graph: nx.Graph | None) -> dict[str, tuple[float, float]]:
    if graph is not None and all("x_m" in graph.nodes[n] for n in graph.nodes):
        return {str(n): (float(d["x_m"]), float(d["y_m"])) for n, d in graph.nodes(data=True)}
    if not isinstance(units, gpd.GeoDataFrame):
        return {}  # no points without coordinates: distances count as 0
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


def _compactness(
    units: gpd.GeoDataFrame, plan: MergePlan, new_units: gpd.GeoDataFrame | None
) -> dict[str, float]:
    """Polsby-Popper ``4πA/P²`` of each new unit (dissolved here when ``new_units`` is None)."""
    if new_units is None:
        from sapxep.geodata.dissolve import dissolve_plan

        new_units = dissolve_plan(units, plan)
    from sapxep.geodata.crs import metric_crs

    nm = new_units.to_crs(metric_crs(units))
    pp = 4 * math.pi * nm.geometry.area / nm.geometry.length**2
    return dict(zip(nm["new_unit"].astype(str), pp.astype(float), strict=True))


def _seat_distances_km(
    points: Mapping[str, tuple[float, float]], seat: str, members: list[str]
) -> list[float]:
    """Straight-line distances (km) from each other member to the seat."""
    if seat not in points:
        return []
    sx, sy = points[seat]
    return [math.hypot(points[c][0] - sx, points[c][1] - sy) / 1000.0
            for c in members if c != seat and c in points]  # fmt: skip


def _criteria(row: Mapping[str, Any], seat_row: dict[str, Any], rs: Any, n_members: int) -> dict[str, Any]:
    """The floor columns of one new unit (``population_min`` … ``fails_area``)."""
    from sapxep.units.rules import new_unit_floor

    fl = new_unit_floor(seat_row, rs, n_members=n_members)
    checked = n_members >= 2 or bool(getattr(rs, "singles_must_meet_floor", False))
    return {
        "population_min": fl.population_min,
        "area_min_km2": fl.area_min_km2,
        "waived": bool(fl.waived),
        "population_pct": 100.0 * row["population"] / fl.population_min
        if fl.population_min else float("nan"),
        "area_pct": 100.0 * row["area_km2"] / fl.area_min_km2
        if fl.area_min_km2 else float("nan"),
        "fails_population": bool(checked and not fl.waived
                              and row["population"] < fl.population_min),
        "fails_area": bool(checked and not fl.waived
                        and row["area_km2"] < fl.area_min_km2 - 1e-9),
    }  # fmt: skip


def new_unit_table(
    units: pd.DataFrame,
    plan: MergePlan,
    *,
    ruleset: Any = None,
    graph: nx.Graph | None = None,
    new_units: gpd.GeoDataFrame | None = None,
    shapes: bool = True,
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
    shapes : bool, default True
        Measure compactness (dissolving when needed) and distances from geometry; False keeps
        to numbers (distances only from ``graph`` points).

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
    has_geom = shapes and isinstance(units, gpd.GeoDataFrame) and units.geometry is not None
    points = _metric_points(units, graph) if has_geom or graph is not None else {}
    compact = _compactness(units, plan, new_units) if has_geom else {}
    records = df.to_dict("index")  # one lookup per member (not a frame selection per new unit)
    population = df["population"]
    rows = []
    for g, members in plan.groups.items():
        recs = [records[c] for c in members]
        seat = plan.seats.get(g) or default_seat(members, population)
        dists = _seat_distances_km(points, seat, members)
        parents = sorted({str(r["parent_code"]) for r in recs}) if "parent_code" in df else []
        row: dict[str, Any] = {
            "new_unit": g,
            "name": plan.names.get(g) or str(records[seat]["name"]),
            "seat_code": seat,
            "seat_name": str(records[seat]["name"]),
            "members": ";".join(members),
            "n_members": len(members),
            "area_km2": float(np.nansum([float(r["area_km2"]) for r in recs])),
            "population": int(np.nansum([float(r["population"]) for r in recs])),
            "parents": ";".join(parents),
            "n_parents": len(parents),
            "seat_distance_km_max": max(dists) if dists else 0.0,
            "seat_distance_km_mean": float(np.mean(dists)) if dists else 0.0,
            "compactness": compact.get(g, float("nan")),
        }
        if rs is not None:
            row.update(_criteria(row, records[seat], rs, len(members)))
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


#: ``metrics.json`` key -> :class:`PlanMetrics` attribute, in the file's order.
RUN_KEYS: dict[str, str] = {
    "n_before": "n_before",
    "n_after": "n_after",
    "n_units_touched": "n_units_touched",
    "n_new_units_failing": "n_new_units_failing",
    "must_arrange_total": "must_arrange_total",
    "must_arrange_merged": "must_arrange_resolved",
}

#: ``metrics.json`` size keys -> attribute (sizes written after ``check_ok``/``violations``).
RUN_SIZE_KEYS: dict[str, str] = {
    "new_unit_population_min": "population_min",
    "new_unit_population_max": "population_max",
    "new_unit_area_km2_min": "area_km2_min",
    "new_unit_area_km2_max": "area_km2_max",
    "max_members": "max_members",
}


@dataclass(frozen=True)
class PlanMetrics:
    """The measures of one plan; see the module docstring for the vocabulary."""

    n_before: int
    n_after: int
    n_merged: int
    n_unchanged: int
    n_units_touched: int
    max_members: int
    area_km2_min: float
    area_km2_median: float
    area_km2_max: float
    population_min: float
    population_median: float
    population_max: float
    seat_distance_km_max: float
    seat_distance_km_mean: float
    n_cross_parent: int
    n_fail_population: int | None = None
    n_fail_area: int | None = None
    n_fail_any: int | None = None
    n_new_units_failing: int | None = None
    must_arrange_total: int | None = None
    must_arrange_resolved: int | None = None
    must_arrange_unresolved: int | None = None
    compactness_mean: float | None = None
    compactness_min: float | None = None
    ruleset: str | None = None

    def comparison(self) -> dict[str, Any]:
        """Return the comparison view: the keys of :data:`METRIC_KEYS` (staffing left None)."""
        m: dict[str, Any] = {k: getattr(self, k, None) for k in METRIC_KEYS}
        if self.ruleset is not None:
            m["ruleset"] = self.ruleset
        return m

    def run_counts(self) -> dict[str, Any]:
        """Return the ``metrics.json`` counts (:data:`RUN_KEYS`)."""
        return {k: getattr(self, a) for k, a in RUN_KEYS.items()}

    def run_sizes(self) -> dict[str, Any]:
        """Return the ``metrics.json`` sizes (:data:`RUN_SIZE_KEYS`): populations int, areas rounded."""
        out: dict[str, Any] = {}
        for k, a in RUN_SIZE_KEYS.items():
            v = getattr(self, a)
            out[k] = round(float(v), 3) if k.startswith("new_unit_area") else int(v)
        return out


def _must_arrange_counts(
    units: pd.DataFrame, plan: MergePlan, rs: Any, assessment: pd.DataFrame | None
) -> dict[str, int]:
    if assessment is None:
        from sapxep.units.assessment import assess_units

        assessment = assess_units(pd.DataFrame(units.drop(columns="geometry", errors="ignore")), rs)
    flag = assessment["must_arrange"].astype(bool)
    if "exempt" in assessment:
        flag &= ~assessment["exempt"].astype(bool)
    must = [str(c) for c in assessment.index[flag]]
    a = plan.assignment.astype(str)
    sizes = a.map(a.value_counts())
    resolved = [c for c in must if int(sizes.get(c, 1)) >= 2]
    return {
        "must_arrange_total": len(must),
        "must_arrange_resolved": len(resolved),
        "must_arrange_unresolved": len(must) - len(resolved),
    }


def measure_plan(
    units: pd.DataFrame,
    plan: MergePlan,
    *,
    ruleset: Any = None,
    graph: nx.Graph | None = None,
    new_units: gpd.GeoDataFrame | None = None,
    shapes: bool = True,
    assessment: pd.DataFrame | None = None,
    check: Any = None,
    table: pd.DataFrame | None = None,
) -> PlanMetrics:
    """Measure a plan.

    Parameters
    ----------
    units : DataFrame or GeoDataFrame
        Units table (geometry for compactness and distances).
    plan : MergePlan
    ruleset : str or Ruleset, optional
        For the floor counts and the must-arrange counts.
    graph : networkx.Graph, optional
        Adjacency graph (unit points for distances).
    new_units : GeoDataFrame, optional
        Dissolved new units (compactness).
    shapes : bool, default True
        False skips compactness and geometry-based distances (no dissolve).
    assessment : DataFrame, optional
        :func:`sapxep.units.assessment.assess_units` of the units (e.g. with the scenario's
        exemptions) for the must-arrange counts; computed from ``ruleset`` when omitted.
    check : PlanCheck, optional
        The plan's :func:`sapxep.units.checks.check_plan` result, for ``n_new_units_failing``.
    table : DataFrame, optional
        :func:`new_unit_table` of this plan when already computed (e.g. shown by the app).

    Returns
    -------
    PlanMetrics
    """
    if table is None:
        table = new_unit_table(units, plan, ruleset=ruleset, graph=graph, new_units=new_units, shapes=shapes)
    n_members = table["n_members"]
    merged = table[n_members >= 2]
    m: dict[str, Any] = {
        "n_before": int(len(plan.assignment)),
        "n_after": int(plan.n_after),
        "n_merged": int((n_members >= 2).sum()),
        "n_unchanged": int((n_members == 1).sum()),
        "n_units_touched": int(merged["n_members"].sum()),
        "max_members": int(n_members.max()),
        "n_cross_parent": int((table["n_parents"] > 1).sum()),
        "seat_distance_km_max": float(merged["seat_distance_km_max"].max()) if len(merged) else 0.0,
        "seat_distance_km_mean": float(
            (merged["seat_distance_km_mean"] * (merged["n_members"] - 1)).sum()
            / (merged["n_members"] - 1).sum()
        ) if len(merged) else 0.0,
    }  # fmt: skip
    for col in ("area_km2", "population"):
        vals = table[col].astype(float)
        m.update({f"{col}_min": float(vals.min()), f"{col}_median": float(vals.median()),
                  f"{col}_max": float(vals.max())})  # fmt: skip
    if "fails_population" in table:
        m["n_fail_population"] = int(table["fails_population"].sum())
        m["n_fail_area"] = int(table["fails_area"].sum())
        m["n_fail_any"] = int((table["fails_population"] | table["fails_area"]).sum())
    rs = _resolve_ruleset(ruleset)
    if rs is not None or assessment is not None:
        m.update(_must_arrange_counts(units, plan, rs, assessment))
    if rs is not None:
        m["ruleset"] = rs.name
    if check is not None:
        m["n_new_units_failing"] = len({v.new_unit for v in check.violations if v.new_unit})
    comp = table["compactness"].astype(float).dropna()
    if len(comp):
        m["compactness_mean"], m["compactness_min"] = float(comp.mean()), float(comp.min())
    return PlanMetrics(**m)


def plan_metrics(
    units: pd.DataFrame,
    plan: MergePlan,
    *,
    ruleset: Any = None,
    graph: nx.Graph | None = None,
    new_units: gpd.GeoDataFrame | None = None,
    staffing: Any = None,
) -> dict[str, Any]:
    """Return the comparison metrics of a plan (:meth:`PlanMetrics.comparison` plus staffing).

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
    m = measure_plan(units, plan, ruleset=ruleset, graph=graph, new_units=new_units).comparison()
    m.update(_staffing_values(staffing))
    logger.info("plan metrics: %d -> %d units", m["n_before"], m["n_after"])
    return m
