"""Run the staffing analysis of a merger plan and write its tables (``sapxep staffing``).

A *plan directory* holds ``plan.csv`` (``code,new_unit,seat_code``) and ``scenario.toml``
naming the data: ``dataset = "phu_tho_2023"`` (top level or under ``[data]``) or
``units_file = "units.gpkg"`` (relative to the directory; optional ``attributes``,
``province``, ``default_terrain``). An optional ``[staffing]`` table sets defaults for the
options below; ``metrics.json`` is read if present and echoed in ``summary.json``.

Outputs (``out_dir``): ``summary.json``, ``new_units.csv``, ``titles.csv``,
``leadership.csv``, ``projection.csv``, ``redeployment.csv``, ``redeployment_flows.csv``,
``unit_quotas.csv``, ``roster_used.csv``, ``staffing.xlsx`` (all of them as sheets),
``per_unit/<new_unit>.csv`` and ``orgcharts/<new_unit>.svg`` for the first ``charts`` new
units, and ``README.txt``. When the roster is synthetic every table has
``estimated = true`` and the README, workbook and charts say so.

``summary.json`` keys: ``staff_before`` (pooled staff of the plan's units), ``staff_kept``,
``quota_after``, ``surplus_now``, ``deficit_now`` (``staff_before = staff_kept +
surplus_now``), ``surplus_year5`` (surplus at the end of the horizon with retirements only),
``redeployed`` (civil servants moved; ``<= deficit_now``), ``redeploy_supply``,
``redeploy_demand``, ``surplus_after_redeployment``, ``surplus_year5_after_redeployment``,
``estimated_roster`` (true for the synthetic roster) with ``estimated_label``,
``default_class``, ``units_with_default_class``, ``new_class_rule``,
``new_units_at_quota_by_year``, ``not_assessed``, ``reconciles``, ``notes`` (Vietnamese),
``sources``, ``metrics`` (from ``metrics.json``), ``elapsed_s``.
"""

from __future__ import annotations

import json
import logging
import time
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from sapxep.scenarios.jsonfile import write_json
from sapxep.scenarios.run.staffing_outputs import staffing_tables, write_staffing
from sapxep.scenarios.run.staffing_steps import cost_step, cost_summary, redeploy_step, run_summary
from sapxep.units.errors import PlanError, ScenarioError
from sapxep.units.plan import MergePlan, read_plan_csv, resolved_seats
from sapxep.units.staffing.costs import CostParams, load_cost_params, not_applicable
from sapxep.units.staffing.quotas import unit_quotas
from sapxep.units.staffing.redeploy import RedeployResult
from sapxep.units.staffing.roster import read_roster, validate_roster
from sapxep.units.staffing.synthetic import synthetic_roster
from sapxep.units.staffing.templates import default_structure
from sapxep.units.staffing.transition import (
    StaffingAnalysis,
    StaffingOptions,
    analyse_staffing,
)

logger = logging.getLogger(__name__)

__all__ = ["StaffingResult", "load_plan_dir", "run_staffing", "staffing_tables", "write_staffing"]

_STAFFING_KEYS = {
    "structure", "default_class", "new_class", "horizon_years", "start_year", "start_month",
    "default_birth_month", "ruleset", "max_distance_km", "match_titles", "seed", "staff_cap",
}  # fmt: skip


@dataclass(frozen=True)
class StaffingResult:
    """Outcome of :func:`run_staffing`.

    Attributes
    ----------
    analysis : StaffingAnalysis
        Pooled staff, quotas, surplus, projection.
    redeployment : RedeployResult
        Moves of surplus civil servants.
    projection_after : pandas.DataFrame
        The projection with the redeployment applied.
    unit_quotas : pandas.DataFrame
        Decree 33 quotas of the original units.
    roster : pandas.DataFrame
        The roster used (synthetic when ``estimated_roster``).
    summary : dict
        What ``summary.json`` holds.
    files : list of Path
        Files written (empty when no ``out_dir``).
    costs, leavers, cost_parameters : pandas.DataFrame or None
        Cost and savings per new unit, the leavers with their packages, and every cost
        coefficient with its article and source (:mod:`sapxep.units.staffing.costs`).
    """

    analysis: StaffingAnalysis
    redeployment: RedeployResult
    projection_after: pd.DataFrame
    unit_quotas: pd.DataFrame
    roster: pd.DataFrame
    summary: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    costs: pd.DataFrame | None = None
    leavers: pd.DataFrame | None = None
    cost_parameters: pd.DataFrame | None = None


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
    from sapxep.geodata.io import load_dataset, read_units

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
    province = str(data.get("province", "") or "") or None
    terrain = str(data.get("default_terrain", "") or "") or None
    if dataset:
        units = load_dataset(dataset, province=province, default_terrain=terrain)
    else:
        up = Path(units_file)
        up = up if up.is_absolute() else d / up
        attrs = data.get("attributes")
        ap = None
        if attrs:
            ap = Path(str(attrs))
            ap = ap if ap.is_absolute() else d / ap
        units = read_units(
            up, attributes=ap, province=province, default_terrain=terrain or "lowland",
            island_policy="links",
        )  # fmt: skip
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
    metrics = {}
    if (d / "metrics.json").is_file():
        try:
            metrics = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ScenarioError(f"cannot read {d / 'metrics.json'}", [str(exc)]) from exc
    staffing = dict(cfg.get("staffing", {}))
    unknown = sorted(set(staffing) - _STAFFING_KEYS)
    if unknown:
        raise ScenarioError(
            f"{d / 'scenario.toml'}: unknown [staffing] keys",
            [f"{', '.join(unknown)}: allowed are {', '.join(sorted(_STAFFING_KEYS))}"],
        )
    rules = cfg.get("rules", {})
    ruleset = ""
    if isinstance(rules, dict):
        ruleset = str(rules.get("name", "") or rules.get("file", "") or "")
    ruleset = ruleset or str(metrics.get("ruleset", "") or "")
    info = {
        "dataset": dataset, "units_file": units_file, "staffing": staffing, "metrics": metrics,
        "ruleset": ruleset,
    }  # fmt: skip
    return units, plan, info


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


def _options_from(info_staffing: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**dict(info_staffing), **{k: v for k, v in overrides.items() if v is not None}}
    return merged


def run_staffing(
    source: str | Path | tuple[pd.DataFrame, MergePlan],
    *,
    roster: str | Path | pd.DataFrame | None = None,
    structure: str | None = None,
    out_dir: str | Path | None = None,
    default_class: str | None = None,
    new_class: str | None = None,
    horizon_years: int | None = None,
    start_year: int | None = None,
    max_distance_km: float | None = None,
    match_titles: bool | None = None,
    seed: int | None = None,
    vacancy_rate: float = 0.0,
    params_2025: Mapping[str, int | None] | None = None,
    distances_km: Mapping[tuple[str, str], float] | None = None,
    charts: int = 0,
    plan_ruleset: str | None = None,
    staff_cap: bool | None = None,
    cost_overrides: Mapping[str, float] | None = None,
    cost_file: str | Path | None = None,
) -> StaffingResult:
    """Analyse the staffing of a plan: pool, quota, surplus, projection, redeployment.

    Parameters
    ----------
    source : path or (units, plan)
        A plan directory (see module docs) or a units table with a :class:`MergePlan`.
    roster : path or DataFrame, optional
        Staff roster (CSV/XLSX or a validated table). Default: a seeded synthetic roster
        filling each original unit to its Decree 33 quota, labelled as estimated.
    structure : {"2023", "2025"}, optional
        Organisation of the new units. Default from the plan's ruleset
        (:func:`sapxep.units.staffing.templates.default_structure`): ``"2025"`` for
        ``nq76_2025`` and later (and when unknown), ``"2023"`` for the 2023–2025 rulesets.
    out_dir : path, optional
        Where to write the outputs; nothing is written when None.
    default_class : {"I", "II", "III"}, optional
        Class of units without ``commune_class`` (default ``"II"``; stated in the output).
    new_class : {"max", "min", "I", "II", "III"}, optional
        Class of a new unit (default ``"max"``: the highest among its members).
    horizon_years, start_year : int, optional
        Projection length = deadline to reach the norm (default 5, NQ 76/2025 Art. 11(3))
        and first year (default 2025).
    max_distance_km : float, optional
        Longest redeployment move between seats (default 25 km).
    match_titles : bool, optional
        Redeploy only onto the same title / field (default True).
    seed : int, optional
        Seed of the synthetic roster (default 0).
    vacancy_rate : float, default 0.0
        Share of vacant civil-servant / part-time posts in the synthetic roster.
    params_2025 : mapping, optional
        2025 sizes (``total_staff``, ``ubnd_vice_chairs``, ...).
    distances_km : mapping, optional
        Seat distances between new units; computed from geometry when absent (no
        redeployment is possible without geometry or distances).
    charts : int, default 0
        Number of org charts to render (largest new units first).
    plan_ruleset : str, optional
        Ruleset the plan was made under (default: ``[rules]`` of ``scenario.toml`` or
        ``metrics.json``); chooses the default structure and the Art. 11(2) cap.
    staff_cap : bool, optional
        NQ 76/2025 Art. 11(2) cap (default: on when the structure by ruleset is 2025).
    cost_overrides : mapping, optional
        Cost coefficients to override (``seat_relocation_vnd``, ``base_salary_vnd``, ...).
    cost_file : path, optional
        Cost coefficients file (default ``units/templates/costs_2025.toml``).

    Returns
    -------
    StaffingResult

    Raises
    ------
    ScenarioError, PlanError, RosterError, DataValidationError
        On bad input, with every problem listed.
    """
    t0 = time.perf_counter()
    info: dict[str, Any] = {"dataset": "", "units_file": "", "staffing": {}, "metrics": {}, "ruleset": ""}
    if isinstance(source, tuple):
        units, plan = source
    else:
        units, plan, info = load_plan_dir(source)
    info["ruleset"] = plan_ruleset or info.get("ruleset", "")
    opts = _options_from(
        info["staffing"],
        {
            "structure": structure, "default_class": default_class, "new_class": new_class,
            "horizon_years": horizon_years, "start_year": start_year,
            "max_distance_km": max_distance_km, "match_titles": match_titles, "seed": seed,
            "staff_cap": staff_cap,
        },
    )  # fmt: skip
    options, run_opts, by_rules = _resolve_options(info, opts, params_2025)
    max_km, match, seed_v = run_opts
    cost_params = _cost_params(cost_file, cost_overrides, by_rules)

    uq = unit_quotas(
        units.drop(columns="geometry", errors="ignore"),
        default_class=options.default_class, ruleset=options.ruleset,
    )  # fmt: skip
    staff = _roster(units, roster, options, uq, seed=seed_v, vacancy_rate=vacancy_rate)
    analysis = analyse_staffing(units, plan, staff, options=options)
    if distances_km is None and "geometry" in units.columns:
        distances_km = seat_distances_km(units, plan)
    dist = dict(distances_km or {})
    analysis, red, moved, proj_after = redeploy_step(analysis, dist, max_km=max_km, match=match)
    costs, leavers, totals = cost_step(analysis, moved, proj_after, cost_params)

    summary = run_summary(analysis, red, proj_after, info, max_km, match, seed_v, dist, vacancy_rate)
    summary.update(cost_summary(totals, cost_params.table))
    if by_rules == "2023":
        summary["notes"].append(_NOTE_2023_COSTS)
    summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
    result = StaffingResult(
        analysis, red, proj_after, uq, staff, summary,
        costs=costs, leavers=leavers, cost_parameters=cost_params.table,
    )  # fmt: skip
    if out_dir is not None:
        files = write_staffing(result, out_dir, charts=charts)
        summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
        write_json(summary, Path(out_dir) / "summary.json")
        result = replace(result, files=files)
    logger.info(
        "staffing run: %d staff, quota %d, surplus %d now / %d in year %d, %d redeployed (%.1f s)",
        summary["staff_before"], summary["quota_after"], summary["surplus_now"],
        summary["surplus_year5"], options.horizon_years, summary["redeployed"],
        summary["elapsed_s"],
    )  # fmt: skip
    return result


#: Central support of NQ 76/2025 Art. 15(2) is for the 2025 arrangement only.
_NQ76_SUPPORT = ("central_support_per_commune_reduced_vnd", "central_support_per_province_reduced_vnd")


_NOTE_2023_COSTS = (
    "Bộ quy tắc 2023–2025: hỗ trợ của trung ương theo NQ 76/2025 Điều 15 khoản 2 không áp dụng "
    "(tính bằng 0, mức hỗ trợ của đợt 2023–2025 chưa xác định); chính sách nghỉ vẫn tính theo "
    "NĐ 178/2024 (sửa đổi bởi NĐ 67/2025) để so sánh."
)


def _resolve_options(
    info: dict[str, Any], opts: dict[str, Any], params_2025: Mapping[str, int | None] | None
) -> tuple[StaffingOptions, tuple[float, bool, int], str]:
    """Options of the analysis, (max km, match titles, seed), and the structure by ruleset.

    The structure and the Art. 11(2) cap follow the plan's ruleset unless given; the 2025
    communes start in July 2025. ``info["structure_reason"]`` says why.
    """
    run_opts = (
        float(opts.pop("max_distance_km", 25.0)), bool(opts.pop("match_titles", True)),
        int(opts.pop("seed", 0)),
    )  # fmt: skip
    by_rules, reason = default_structure(info["ruleset"] or None)
    if opts.get("structure"):
        reason = f"chọn bởi người dùng (--structure {opts['structure']})"
    opts["structure"] = str(opts.get("structure") or by_rules)
    opts["staff_cap"] = bool(opts.get("staff_cap", by_rules == "2025"))
    if by_rules == "2025" and "start_year" not in opts:
        opts.setdefault("start_month", 7)  # the 2025 communes operate from 1 July 2025
    info["structure_reason"] = reason
    return StaffingOptions(**opts, params_2025=dict(params_2025 or {})), run_opts, by_rules


def _cost_params(
    cost_file: str | Path | None, overrides: Mapping[str, float] | None, by_rules: str
) -> CostParams:
    """Cost coefficients; NQ 76 Art. 15(2) support marked not applicable for 2023–2025 rulesets."""
    params = load_cost_params(cost_file, overrides=overrides)
    if by_rules == "2023":
        keep = tuple(k for k in _NQ76_SUPPORT if k not in (overrides or {}))
        params = not_applicable(params, keep, "NQ 76/2025 chỉ áp dụng cho đợt sắp xếp 2025")
    return params


def _roster(
    units: pd.DataFrame,
    roster: str | Path | pd.DataFrame | None,
    options: StaffingOptions,
    uq: pd.DataFrame,
    *,
    seed: int,
    vacancy_rate: float,
) -> pd.DataFrame:
    codes = units["code"].astype(str)
    if roster is None:
        return synthetic_roster(
            units.drop(columns="geometry", errors="ignore"), seed=seed,
            reference_year=options.start_year, reference_month=options.start_month,
            quotas=uq, vacancy_rate=vacancy_rate,
        )  # fmt: skip
    if isinstance(roster, pd.DataFrame):
        if "row" in roster.columns:
            return roster
        return validate_roster(roster.astype(str), unit_codes=codes, reference_year=options.start_year)
    return read_roster(roster, unit_codes=codes, reference_year=options.start_year)


def options_dict(result: StaffingResult) -> dict[str, Any]:
    """Return the options of a run as a plain dict (for reports)."""
    return asdict(result.analysis.options)
