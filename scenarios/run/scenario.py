"""Run a scenario: solve the prepared problem, re-check every plan, dissolve, collect metrics.

``run_scenario`` is what the CLI (``sapxep plan``) and the app call. Loading and building the
optimizer's problem live in :mod:`sapxep.scenarios.run.prepare`; every returned plan is checked
again with the solver-independent :func:`sapxep.units.checks.check_plan`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import pandas as pd

from sapxep.geodata.notes import Note
from sapxep.optimization.alternatives import changed_units, find_alternatives
from sapxep.optimization.objectives import ObjectiveWeights
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.solve import SolveResult, solve_plan
from sapxep.scenarios.config import ScenarioConfig
from sapxep.scenarios.run.prepare import PreparedScenario, prepare_scenario, solver_settings_for
from sapxep.units.checks import PlanConstraints
from sapxep.units.choices import Lang
from sapxep.units.errors import format_codes
from sapxep.units.plan import MergePlan
from sapxep.units.rules.level_rules import LEVEL_LABELS_VI

logger = logging.getLogger(__name__)

ProgressFn = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class RunResult:
    """The outcome of :func:`run_scenario`.

    Attributes
    ----------
    config : ScenarioConfig
    plan : MergePlan
    solve : SolveResult
    check : units.checks.PlanCheck
        Re-verification of the plan by ``check_plan``.
    new_units : geopandas.GeoDataFrame
        Dissolved new units (``sapxep.geodata.dissolve.dissolve_plan``) with seat and members.
    units : geopandas.GeoDataFrame
        The original units with ``new_unit`` and ``seat_code`` columns.
    metrics : dict
        ``status, objective, best_bound, gap, solve_time_s, n_before, n_after,
        n_new_units_failing, must_arrange_total, must_arrange_merged`` and more.
    alternatives : tuple of (SolveResult, PlanCheck)
        Further plans when ``[plan] alternatives > 1``.
    """

    config: ScenarioConfig
    plan: MergePlan
    solve: SolveResult
    check: Any
    new_units: gpd.GeoDataFrame
    units: gpd.GeoDataFrame
    metrics: dict[str, Any]
    alternatives: tuple[tuple[SolveResult, Any], ...] = field(default=())


def _floors_override(config: ScenarioConfig) -> tuple[float, float] | None:
    r = config.rules
    if r.min_population is None and r.min_area_km2 is None:
        return None
    return (float(r.min_population or 0), float(r.min_area_km2 or 0.0))


def plan_constraints(config: ScenarioConfig) -> PlanConstraints:
    """The scenario's ``[plan]`` locks, pairs, fixed seats, ceilings and stay-within-parent."""
    p = config.plan
    return PlanConstraints(
        locked=frozenset(p.locks), forced_pairs=tuple(p.forced_pairs),
        forbidden_pairs=tuple(p.forbidden_pairs), fixed_seats=frozenset(p.fixed_seats),
        max_members=p.max_members, max_population=p.max_population, max_area_km2=p.max_area_km2,
        stay_within_parent=p.stay_within_parent,
    )  # fmt: skip


def check_result(prep: PreparedScenario, plan: MergePlan, lang: Lang = "en") -> Any:
    """Re-verify a plan with :func:`sapxep.units.checks.check_plan`, scenario constraints included
    (messages in ``lang``)."""
    from sapxep.units.checks import check_plan

    return check_plan(
        prep.units, plan, prep.ruleset, graph=prep.graph, seats=plan.seats, lang=lang,
        floors_override=_floors_override(prep.config),
        exemptions=dict(prep.config.plan.exemptions) or None,
        constraints=plan_constraints(prep.config),
    )  # fmt: skip


def _repeal_text(ruleset: Any) -> str:
    """ "hết hiệu lực từ DD/MM/YYYY (article)" for a repealed ruleset, else ""."""
    rp = getattr(ruleset, "repeal", None)
    return "" if rp is None else f"hết hiệu lực từ {rp.effective:%d/%m/%Y} ({rp.article})"


def run_metrics(prep: PreparedScenario, res: SolveResult, check: Any) -> dict[str, Any]:
    """The ``metrics.json`` content of one plan: the run's facts and :class:`PlanMetrics` measures.

    The plan measures come from :func:`sapxep.scenarios.analysis.metrics.measure_plan` (the
    vocabulary is documented there; ``metrics.json`` keeps its historical key names).
    """
    from sapxep.scenarios.analysis.metrics import measure_plan
    from sapxep.units.naming import new_unit_types

    cfg = prep.config
    measured = measure_plan(prep.units, res.plan, graph=prep.graph, shapes=False,
                            assessment=prep.assessment, check=check)  # fmt: skip
    return {
        "title": cfg.title,
        "dataset": cfg.data.dataset or str(cfg.data.units_file),
        "province": cfg.data.province,
        "level": cfg.data.level,
        "level_label": LEVEL_LABELS_VI[cfg.data.level],
        "ruleset": prep.ruleset.name,
        "mode": res.mode,
        "target": list(cfg.plan.target) if isinstance(cfg.plan.target, tuple) else cfg.plan.target,
        "status": res.status,
        "objective": res.objective,
        "best_bound": res.best_bound,
        "gap": res.gap,
        "secondary_objective": res.secondary_objective,
        "solve_time_s": round(res.solve_time_s, 3),
        "first_solution_s": None if res.first_solution_s is None else round(res.first_solution_s, 3),
        **measured.run_counts(),
        "check_ok": bool(check.ok),
        "violations": [v.message for v in check.violations],
        "n_exceptions": len(getattr(check, "exceptions", [])),
        "exceptions": [v.message for v in getattr(check, "exceptions", [])],
        "new_unit_types": dict(Counter(new_unit_types(prep.units, res.plan, prep.ruleset).values())),
        "new_unit_names": {g: res.plan.names.get(g, "") for g in res.plan.groups},
        **measured.run_sizes(),
        "greedy_units": res.greedy_units,
        "n_candidate_pairs": res.n_pairs,
        "min_population_override": cfg.rules.min_population,
        "min_area_km2_override": cfg.rules.min_area_km2,
        "time_limit_s": cfg.solver.time_limit_s,
        "deterministic_time_s": cfg.solver.deterministic_time_s,
        "deterministic_time_used": res.deterministic_time,
        "reproducible": res.reproducible,
        "reproducibility_notes": list(res.reproducibility_notes),
        "cancelled": res.cancelled,
        "num_workers": cfg.solver.num_workers,
        "seed": cfg.solver.seed,
        "max_graph_distance": cfg.solver.max_graph_distance,
        "ruleset_notes": list(getattr(prep.ruleset, "notes_en", ()) or ()),
        "ruleset_repealed": _repeal_text(prep.ruleset),
        "data_notes": list(prep.units.attrs.get("read_notes", [])) + suspect_notes(prep.units, res.plan),
        "population_suspect_codes": suspect_codes(prep.units),
        "topology_tolerated": tolerated(prep.units, prep.graph),
    }


def suspect_codes(units: pd.DataFrame) -> list[str]:
    """Codes of the units whose population the source flags as suspect (``population_suspect``)."""
    if "population_suspect" not in units.columns:
        return []
    return sorted(units.loc[units["population_suspect"].astype(bool), "code"].astype(str))


def suspect_notes(units: pd.DataFrame, plan: MergePlan) -> list[str]:
    """Say which new units' population sums include a suspect population (never silent)."""
    codes = suspect_codes(units)
    if not codes:
        return []
    touched = sorted({str(plan.assignment.get(c, "")) for c in codes} - {""})
    return [
        f"{len(codes)} units have a population flagged suspect in the source "
        f"({format_codes(codes, limit=12)}); their raw values are used in the sums of new units "
        f"{format_codes(touched, limit=12)}: check them or supply values with --attributes"
    ]


def tolerated(units: gpd.GeoDataFrame, graph: Any) -> list[str]:
    """What the tolerant reading and adjacency accepted: topology warnings and link edges.

    Parameters
    ----------
    units : DataFrame
        Units as read (``attrs["topology_warnings"]`` from :func:`sapxep.geodata.io.read_units`).
    graph : networkx.Graph
        The adjacency graph (edges of kind ``link`` join detached parts).

    Returns
    -------
    list of str
    """
    out = list(units.attrs.get("topology_warnings", []))
    links = [f"{a}–{b}" for a, b, k in graph.edges(data="kind") if k == "link"]
    if links:
        shown = ", ".join(links[:10])
        out.append(
            Note(
                f"{len(links)} detached parts joined to their nearest unit by a link edge "
                f"({shown}): set --island-policy error to refuse them, or add real "
                "links in the scenario's [data] links",
                f"{len(links)} phần tách rời được nối với đơn vị gần nhất bằng một cạnh liên kết ({shown}): "
                "dùng --island-policy error để từ chối, hoặc khai báo liên kết thật trong mục [data] links "
                "của kịch bản",
            )
        )
    return out


def _dissolve(prep: PreparedScenario, plan: MergePlan) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    from sapxep.geodata.dissolve import dissolve_plan
    from sapxep.units.naming import new_unit_types

    new_units = dissolve_plan(prep.units, plan)
    new_units["unit_type"] = (
        new_units["new_unit"].astype(str).map(new_unit_types(prep.units, plan, prep.ruleset))
    )
    units = prep.units.copy()
    units["new_unit"] = units["code"].astype(str).map(plan.assignment)
    units["seat_code"] = units["new_unit"].map(plan.seats)
    return new_units, units


def objective_weights_for(config: ScenarioConfig) -> ObjectiveWeights:
    """The :class:`ObjectiveWeights` of a scenario's ``[objective]`` table."""
    o = config.objective
    return ObjectiveWeights(compactness=o.compactness, balance=o.balance, parents=o.parents,
                            cut_edges=o.cut_edges, cut_border=o.cut_border)  # fmt: skip


def _solve(
    prep: PreparedScenario,
    settings: SolverSettings,
    on_progress: ProgressFn | None,
    should_stop: Callable[[], bool] | None,
) -> list[SolveResult]:
    """Solve the prepared problem: one plan, or ``[plan] alternatives`` plans (best first)."""
    config = prep.config
    p = config.plan
    weights = objective_weights_for(config)
    if p.alternatives > 1:
        return find_alternatives(
            prep.problem, settings, mode=p.mode, n=p.alternatives,
            min_changed=p.alternatives_min_changed, target=p.target, weights=weights,
            on_progress=on_progress, should_stop=should_stop,
        )  # fmt: skip
    return [solve_plan(prep.problem, settings, mode=p.mode, target=p.target, weights=weights,
                       on_progress=on_progress, should_stop=should_stop)]  # fmt: skip


def _alternatives_metrics(results: list[SolveResult], checks: list[Any]) -> dict[str, Any]:
    """``metrics.json`` entries of a run with alternatives (the best plan first)."""
    best = results[0]
    return {
        "reproducible": all(r.reproducible for r in results),
        "reproducibility_notes": sorted({n for r in results for n in r.reproducibility_notes}),
        "alternatives": [
            {
                "n_after": r.plan.n_after,
                "objective": r.objective,
                "check_ok": bool(c.ok),
                "units_changed_vs_best": changed_units(r.seat_of, best.seat_of),
            }
            for r, c in zip(results[1:], checks[1:], strict=True)
        ],
    }


def run_scenario(
    config: ScenarioConfig,
    *,
    on_progress: ProgressFn | None = None,
    prepared: PreparedScenario | None = None,
    settings: SolverSettings | None = None,
    should_stop: Callable[[], bool] | None = None,
    lang: Lang = "en",
) -> RunResult:
    """Run a scenario end to end.

    Parameters
    ----------
    config : ScenarioConfig
    on_progress : callable, optional
        Receives progress dicts (``event`` = ``stage``, ``greedy``, ``solution``, ``done``).
    prepared : PreparedScenario, optional
        Reuse loaded data (e.g. for the nationwide run).
    settings : SolverSettings, optional
        Replace the scenario's solver settings (e.g. to add a log callback).
    should_stop : callable, optional
        Cancellation, polled during the solve (also from a helper thread: make it
        thread-safe, e.g. ``threading.Event().is_set``). Once it returns true the search
        stops at once and the best plan found so far is checked and returned with
        ``metrics["status"] == "CANCELLED"`` and ``metrics["cancelled"] = True`` (no
        further alternatives are searched).
    lang : {"en", "vi"}
        Language of the re-check's messages (``metrics["violations"]``, ``["exceptions"]``).

    Returns
    -------
    RunResult

    Raises
    ------
    ScenarioError
        The scenario does not fit the data (all problems listed).
    InfeasibleError
        No plan exists; the message names the units and rules in conflict.
    SolverError
        No plan within the time limit, or cancelled before any plan was found.
    """

    def stage(name: str) -> None:
        if on_progress is not None:
            on_progress({"event": "stage", "stage": name})

    stage("load")
    prep = prepared or prepare_scenario(config)
    if prepared is not None and prepared.config is not config:
        prep = prepare_scenario(config, units=prepared.units, graph=prepared.graph,
                                ruleset=prepared.ruleset)  # fmt: skip
    stage("solve")
    results = _solve(prep, settings or solver_settings_for(config), on_progress, should_stop)
    stage("check")
    from sapxep.units.naming import with_proposed_names

    checks = [check_result(prep, r.plan, lang) for r in results]
    best, check = results[0], checks[0]
    best_plan = with_proposed_names(prep.units, best.plan, prep.ruleset)
    if not check.ok:
        logger.warning("check_plan found %d violations in the plan", len(check.violations))
    metrics = run_metrics(prep, replace(best, plan=best_plan), check)
    metrics["cancelled"] = any(r.cancelled for r in results) or bool(should_stop and should_stop())
    if len(results) > 1:
        metrics.update(_alternatives_metrics(results, checks))
    stage("dissolve")
    new_units, units = _dissolve(prep, best_plan)
    return RunResult(
        config=config,
        plan=best_plan,
        solve=best,
        check=check,
        new_units=new_units,
        units=units,
        metrics=metrics,
        alternatives=tuple(zip(results[1:], checks[1:], strict=True)),
    )
