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

import logging
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from sapxep.scenarios.jsonfile import write_json
from sapxep.scenarios.run.staffing_input import load_plan_dir, seat_distances_km
from sapxep.scenarios.run.staffing_outputs import staffing_tables, write_staffing
from sapxep.scenarios.run.staffing_steps import cost_step, cost_summary, redeploy_step, run_summary
from sapxep.units.plan import MergePlan
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

__all__ = [
    "StaffingResult",
    "load_plan_dir",
    "run_staffing",
    "seat_distances_km",
    "staffing_tables",
    "write_staffing",
]


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
    """Analyse the staffing of a plan: pool, quota, surplus, projection, redeployment, costs.

    Parameters
    ----------
    source : path or (units, plan)
        A plan directory (see module docs) or a units table with a :class:`MergePlan`.
    roster : path or DataFrame, optional
        Staff roster (CSV/XLSX or a validated table). Default: a synthetic roster (``seed``,
        default 0; ``vacancy_rate`` of civil-servant / part-time posts left vacant) filling
        each original unit to its Decree 33 quota, labelled as estimated.
    structure, default_class, new_class, horizon_years, start_year, staff_cap : optional
        Override the folder's ``[staffing]`` table; defaults as in
        :class:`sapxep.units.staffing.transition.StaffingOptions`, except that the structure
        (``"2025"`` or ``"2023"``) and the NQ 76/2025 Art. 11(2) cap follow the plan's ruleset
        (:func:`sapxep.units.staffing.templates.default_structure`).
    max_distance_km, match_titles : optional
        Longest redeployment move between seats (25 km); same title / field only (True).
    params_2025 : mapping, optional
        2025 sizes (``total_staff``, ``ubnd_vice_chairs``, ...).
    distances_km : mapping, optional
        Seat distances between new units; from geometry when absent (none: no redeployment).
    out_dir, charts : optional
        Where to write the outputs (none written by default); org charts to draw (0).
    plan_ruleset : str, optional
        Ruleset of the plan (default: ``[rules]`` of ``scenario.toml`` or ``metrics.json``).
    cost_overrides, cost_file : optional
        Cost coefficients to override and their file (default ``units/templates/costs_2025.toml``).

    Returns
    -------
    StaffingResult

    Raises
    ------
    ScenarioError, PlanError, RosterError, DataValidationError
        On bad input, with every problem listed.
    """
    t0 = time.perf_counter()
    units, plan, info = _plan_source(source, plan_ruleset)
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
    cost_params = _cost_params(cost_file, cost_overrides, by_rules)
    result = _analyse(
        units, plan, info, options, run_opts, roster=roster, vacancy_rate=vacancy_rate,
        distances_km=distances_km, cost_params=cost_params, by_rules=by_rules, t0=t0,
    )  # fmt: skip
    if out_dir is not None:
        result = _write_outputs(result, Path(out_dir), charts=charts, t0=t0)
    _log_run(result.summary, options)
    return result


def _write_outputs(result: StaffingResult, out: Path, *, charts: int, t0: float) -> StaffingResult:
    """Write the files of ``result`` and then ``summary.json`` (with the final ``elapsed_s``)."""
    files = write_staffing(result, out, charts=charts)
    result.summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
    write_json(result.summary, out / "summary.json")
    return replace(result, files=files)


def _plan_source(
    source: str | Path | tuple[pd.DataFrame, MergePlan], plan_ruleset: str | None
) -> tuple[pd.DataFrame, MergePlan, dict[str, Any]]:
    """Units, plan and plan-folder info (:func:`load_plan_dir`); ``plan_ruleset`` wins if given."""
    info: dict[str, Any] = {"dataset": "", "units_file": "", "staffing": {}, "metrics": {}, "ruleset": ""}
    if isinstance(source, tuple):
        units, plan = source
    else:
        units, plan, info = load_plan_dir(source)
    info["ruleset"] = plan_ruleset or info.get("ruleset", "")
    return units, plan, info


def _analyse(
    units: pd.DataFrame,
    plan: MergePlan,
    info: dict[str, Any],
    options: StaffingOptions,
    run_opts: tuple[float, bool, int],
    *,
    roster: str | Path | pd.DataFrame | None,
    vacancy_rate: float,
    distances_km: Mapping[tuple[str, str], float] | None,
    cost_params: CostParams,
    by_rules: str,
    t0: float,
) -> StaffingResult:
    """Run the steps in order: quotas, roster, analysis, redeployment, costs, summary."""
    max_km, match, seed_v = run_opts
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
    return StaffingResult(
        analysis, red, proj_after, uq, staff, summary,
        costs=costs, leavers=leavers, cost_parameters=cost_params.table,
    )  # fmt: skip


def _log_run(summary: Mapping[str, Any], options: StaffingOptions) -> None:
    """Log the one summary line of a staffing run."""
    logger.info(
        "staffing run: %d staff, quota %d, surplus %d now / %d in year %d, %d redeployed (%.1f s)",
        summary["staff_before"], summary["quota_after"], summary["surplus_now"],
        summary["surplus_year5"], options.horizon_years, summary["redeployed"],
        summary["elapsed_s"],
    )  # fmt: skip


#: Central support of NQ 76/2025 Art. 15(2) is for the 2025 arrangement only.
_NQ76_SUPPORT = ("central_support_per_commune_reduced_vnd", "central_support_per_province_reduced_vnd")


_NOTE_2023_COSTS = (
    "Bộ tiêu chuẩn 2023–2025: hỗ trợ của trung ương theo NQ 76/2025 Điều 15 khoản 2 không áp dụng "
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
