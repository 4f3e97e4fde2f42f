"""Inputs of a staffing run: a plan folder's units, plan and settings; seat distances.

Split from :mod:`sapxep.scenarios.run.staffing` (which describes the plan folder and
re-exports :func:`load_plan_dir` and :func:`seat_distances_km`).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from sapxep.units.errors import PlanError, ScenarioError
from sapxep.units.plan import MergePlan, read_plan_csv, resolved_seats

__all__ = ["STAFFING_KEYS", "load_plan_dir", "seat_distances_km"]

#: Keys allowed in the ``[staffing]`` table of ``scenario.toml``.
STAFFING_KEYS = {
    "structure", "default_class", "new_class", "horizon_years", "start_year", "start_month",
    "default_birth_month", "ruleset", "max_distance_km", "match_titles", "seed", "staff_cap",
}  # fmt: skip


def _read_scenario(plan_dir: Path) -> dict[str, Any]:
    path = plan_dir / "scenario.toml"
    if not path.is_file():
        raise ScenarioError(
            f"{plan_dir}: no scenario.toml",
            ['add scenario.toml with dataset = "phu_tho_2023" (or units_file = "…")'],
        )
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"cannot read {path}", [str(exc)]) from exc


def load_plan_dir(plan_dir: str | Path) -> tuple[pd.DataFrame, MergePlan, dict[str, Any]]:
    """Read the units, the plan and the scenario settings of a plan directory.

    Parameters
    ----------
    plan_dir : str or Path
        Folder with ``plan.csv`` and ``scenario.toml`` (``metrics.json`` optional).

    Returns
    -------
    tuple
        ``(units GeoDataFrame, MergePlan, info)`` where ``info`` has ``dataset`` or
        ``units_file``, the ``[staffing]`` table, ``metrics`` (if any) and ``ruleset`` (the
        plan's ruleset from ``[rules]`` or ``metrics.json``; "" if unknown).

    Raises
    ------
    ScenarioError
        If files are missing or the data is not named.
    PlanError
        If ``plan.csv`` is malformed.
    """
    d = Path(plan_dir)
    if not (d / "plan.csv").is_file():
        raise ScenarioError(f"{d}: no plan.csv", ["run `sapxep plan` or write code,new_unit,seat_code"])
    cfg = _read_scenario(d)
    data = dict(cfg.get("data", {}))
    for k in ("dataset", "units_file", "units", "attributes", "province", "default_terrain"):
        if k in cfg and k not in data:
            data[k] = cfg[k]
    dataset = str(data.get("dataset", "") or "")
    units_file = str(data.get("units_file", "") or data.get("units", "") or "")
    if bool(dataset) == bool(units_file):
        raise ScenarioError(
            f"{d / 'scenario.toml'}: data not named",
            ['give exactly one of dataset = "phu_tho_2023" or units_file = "path"'],
        )
    units = _read_units(d, data, dataset=dataset, units_file=units_file)
    plan = read_plan_csv(str(d / "plan.csv"))
    extra = sorted(set(units["code"].astype(str)) - set(plan.assignment.index))
    if extra:
        raise PlanError(
            f"{d / 'plan.csv'}: {len(extra)} units of the data are not in the plan",
            [
                f"add rows for {', '.join(extra[:12])}{' …' if len(extra) > 12 else ''} "
                "(a unit left alone is its own new unit)"
            ],
        )
    metrics = _read_metrics(d)
    info = {
        "dataset": dataset, "units_file": units_file, "staffing": _staffing_table(d, cfg),
        "metrics": metrics, "ruleset": _plan_ruleset(cfg, metrics),
    }  # fmt: skip
    return units, plan, info


def _read_units(d: Path, data: dict[str, Any], *, dataset: str, units_file: str) -> pd.DataFrame:
    """Load the bundled ``dataset`` or read ``units_file`` (paths relative to the folder ``d``)."""
    from sapxep.geodata.io import load_dataset, read_units

    province = str(data.get("province", "") or "") or None
    terrain = str(data.get("default_terrain", "") or "") or None
    if dataset:
        return load_dataset(dataset, province=province, default_terrain=terrain)
    up = Path(units_file)
    up = up if up.is_absolute() else d / up
    attrs = data.get("attributes")
    ap = None
    if attrs:
        ap = Path(str(attrs))
        ap = ap if ap.is_absolute() else d / ap
    return read_units(
        up, attributes=ap, province=province, default_terrain=terrain or "lowland",
        island_policy="links",
    )  # fmt: skip


def _read_metrics(d: Path) -> dict[str, Any]:
    """``metrics.json`` of the folder ``d`` ({} if absent)."""
    if not (d / "metrics.json").is_file():
        return {}
    try:
        metrics: dict[str, Any] = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ScenarioError(f"cannot read {d / 'metrics.json'}", [str(exc)]) from exc
    return metrics


def _staffing_table(d: Path, cfg: dict[str, Any]) -> dict[str, Any]:
    """The ``[staffing]`` table of ``scenario.toml``; unknown keys raise a :class:`ScenarioError`."""
    staffing = dict(cfg.get("staffing", {}))
    unknown = sorted(set(staffing) - STAFFING_KEYS)
    if unknown:
        raise ScenarioError(
            f"{d / 'scenario.toml'}: unknown [staffing] keys",
            [f"{', '.join(unknown)}: allowed are {', '.join(sorted(STAFFING_KEYS))}"],
        )
    return staffing


def _plan_ruleset(cfg: dict[str, Any], metrics: dict[str, Any]) -> str:
    """The plan's ruleset: ``[rules]`` name or file, else ``metrics.json``'s, else ""."""
    rules = cfg.get("rules", {})
    ruleset = ""
    if isinstance(rules, dict):
        ruleset = str(rules.get("name", "") or rules.get("file", "") or "")
    return ruleset or str(metrics.get("ruleset", "") or "")


def seat_distances_km(units: pd.DataFrame, plan: MergePlan) -> dict[tuple[str, str], float]:
    """Return straight-line distances between the seats of the new units (km).

    Uses ``sapxep.geodata.shapes.distance_matrix_km`` on the seat units' representative points.
    New units without a seat use :func:`sapxep.units.plan.default_seat`.

    Parameters
    ----------
    units : GeoDataFrame
        Units with geometry and CRS.
    plan : MergePlan

    Returns
    -------
    dict
        ``(new_unit_a, new_unit_b) -> km`` for a < b.
    """
    from sapxep.geodata.shapes import distance_matrix_km

    u = units.copy()
    u["code"] = u["code"].astype(str)
    pop = u.set_index("code")["population"].astype(float)
    seats = resolved_seats(plan, pop)
    gdf = u[u["code"].isin(set(seats.values()))]
    dm = distance_matrix_km(gdf)
    dm.index = dm.index.astype(str)
    dm.columns = dm.columns.astype(str)
    names = sorted(seats)
    out = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            out[(a, b)] = float(dm.at[seats[a], seats[b]])
    return out
