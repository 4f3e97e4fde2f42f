"""Run a scenario: load data and rules, build the optimizer's problem, solve, re-check.

``run_scenario`` is what the CLI (``sapxep plan``) and the app call. The optimizer only
sees integers and a graph (:class:`sapxep.optimization.problem.PlanProblem`); this module makes
that problem from the units table, the adjacency graph and the ruleset, and checks every
returned plan again with the solver-independent :func:`sapxep.units.checks.check_plan`.
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import pandas as pd

from sapxep.optimization.alternatives import changed_units, find_alternatives
from sapxep.optimization.objectives import ObjectiveWeights
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.solve import SolveResult, solve_plan
from sapxep.scenarios.config import ScenarioConfig
from sapxep.units.errors import RulesetError, ScenarioError, format_codes
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)

ProgressFn = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class PreparedScenario:
    """Everything a solve needs, loaded and validated.

    Attributes
    ----------
    config : ScenarioConfig
    units : geopandas.GeoDataFrame
        The units table.
    graph : networkx.Graph
        Adjacency between codes.
    ruleset : units.rules.Ruleset
    assessment : pandas.DataFrame
        :func:`sapxep.units.assessment.assess_units` of the units (with the scenario's exemptions).
    problem : PlanProblem
    """

    config: ScenarioConfig
    units: gpd.GeoDataFrame
    graph: nx.Graph
    ruleset: Any
    assessment: pd.DataFrame
    problem: PlanProblem


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


# --------------------------------------------------------------------------- loading


def load_ruleset_for(config: ScenarioConfig) -> Any:
    """Load the scenario's ruleset, applying inline ``[rules] overrides``.

    Raises
    ------
    RulesetError
        Unknown ruleset or bad override keys (from ``sapxep.units.rules.load_ruleset``).
    """
    from sapxep.units.rules import load_ruleset

    r = config.rules
    base = r.name if r.name else str(config.resolve(r.file).resolve())
    if not r.overrides:
        return load_ruleset(base)
    from sapxep.scenarios.config import _toml_key, _toml_value

    lines = [f"extends = {_toml_value(base)}"]
    nested = {k: v for k, v in r.overrides.items() if isinstance(v, Mapping)}
    for k, v in r.overrides.items():
        if k not in nested:
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
    for k, v in nested.items():
        lines.append(f"[{_toml_key(k)}]")
        lines.extend(f"{_toml_key(kk)} = {_toml_value(vv)}" for kk, vv in v.items())
    with tempfile.TemporaryDirectory() as tmp:
        name = (r.name or Path(r.file).stem) + "_custom"
        path = Path(tmp) / f"{name}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return load_ruleset(str(path))


def load_units_for(config: ScenarioConfig) -> gpd.GeoDataFrame:
    """Read the scenario's units table (bundled dataset or file)."""
    from sapxep.geodata.io import load_dataset, read_units

    d = config.data
    province = d.province or None
    if d.dataset:
        return load_dataset(d.dataset, default_terrain=d.default_terrain or None,
                            province=province)  # fmt: skip
    return read_units(
        config.resolve(d.units_file),
        layer=d.layer or None,
        attributes=config.resolve(d.attributes) if d.attributes else None,
        default_terrain=d.default_terrain or "lowland",
        province=province,
        island_policy="ignore" if d.island_policy != "error" else "error",
    )


def build_graph_for(config: ScenarioConfig, units: gpd.GeoDataFrame) -> nx.Graph:
    """Build the adjacency graph with the scenario's island policy and links."""
    from sapxep.geodata.adjacency import build_adjacency

    return build_adjacency(units, island_policy=config.data.island_policy,  # type: ignore[arg-type]
                           links=config.data.links)  # fmt: skip


def validate_against_units(
    config: ScenarioConfig, units: pd.DataFrame, assessment: pd.DataFrame | None = None
) -> None:
    """Check the scenario's codes and rules against the data; raise once with every problem.

    Raises
    ------
    ScenarioError
        Unknown codes in locks, pairs, seats, exemptions or links; locked units that must be
        arranged; forced pairs across parents when new units stay inside parents.
    """
    codes = set(units["code"].astype(str))
    p = config.plan
    problems: list[str] = []

    def unknown(label: str, items: list[str]) -> None:
        bad = sorted({c for c in items if c not in codes})
        if bad:
            problems.append(
                f"{label}: unknown unit codes {format_codes(bad)}: use codes of the units table "
                "(see `sapxep assess` or plan.csv)"
            )

    unknown("[plan] locks", list(p.locks))
    unknown("[plan] forced_pairs", [c for pr in p.forced_pairs for c in pr])
    unknown("[plan] forbidden_pairs", [c for pr in p.forbidden_pairs for c in pr])
    unknown("[plan] fixed_seats", list(p.fixed_seats))
    unknown("[plan] exemptions", list(p.exemptions))
    unknown("[data] links", [c for pr in config.data.links for c in pr])
    names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    if assessment is not None:
        for c in p.locks:
            if c in assessment.index:
                row = assessment.loc[c]
                if bool(row["must_arrange"]) and not bool(row["exempt"]):
                    problems.append(
                        f"[plan] locks: {names.get(c, c)} ({c}) is locked as unchanged but must "
                        f"be arranged ({row['reason']}): unlock it, or exempt it with a reason "
                        "in [plan] exemptions"
                    )
    if p.stay_within_parent:
        parent = dict(zip(units["code"].astype(str), units["parent_code"].astype(str),
                          strict=True))  # fmt: skip
        for a, b in p.forced_pairs:
            if a in parent and b in parent and parent[a] != parent[b]:
                problems.append(
                    f"[plan] forced_pairs: {names[a]} ({a}) and {names[b]} ({b}) are in different "
                    "parents but stay_within_parent = true: drop the pair or allow crossing"
                )
    if problems:
        raise ScenarioError(f"scenario does not fit the data: {len(problems)} problem(s)", problems)


def _ha_down(km2: float) -> int:
    return int(math.floor(float(km2) * 100 + 1e-9))


def _ha_up(km2: float) -> int:
    return int(math.ceil(float(km2) * 100 - 1e-9))


def build_problem(
    config: ScenarioConfig,
    units: pd.DataFrame,
    graph: nx.Graph,
    ruleset: Any,
    assessment: pd.DataFrame,
) -> PlanProblem:
    """Turn the units table, graph and ruleset into the optimizer's integer problem.

    * Floors: :func:`sapxep.units.rules.new_unit_floors` per potential seat (area rounded up to
      hectares, member areas rounded down, so an integer-feasible plan meets the real floor);
      ``[rules] min_population`` / ``min_area_km2`` replace them for every new unit with no
      waivers or exceptions.
    * Units that may stay alone: exempt units, and units that are not must-arrange when the
      ruleset does not require singles to meet the floor. Units the ruleset does not allow
      alone (``allow_single_if_meets = false``) must merge.
    * Must-arrange: non-exempt must-arrange units of the assessment.
    """
    from sapxep.units.rules import new_unit_floors

    p = config.plan
    r = config.rules
    units = units.reset_index(drop=True)
    codes = tuple(units["code"].astype(str))
    floors = new_unit_floors(units, ruleset).reindex(list(codes))
    override = r.min_population is not None or r.min_area_km2 is not None
    pop_floor = [int(v) for v in floors["population_min"]]
    area_floor = [_ha_up(v) for v in floors["area_min_km2"]]
    waiver: list[int | None] = [int(w) if int(w) >= 2 else None
                                for w in floors["waiver_min_members"]]  # fmt: skip
    if r.min_population is not None:
        pop_floor = [int(r.min_population)] * len(codes)
    if r.min_area_km2 is not None:
        area_floor = [_ha_up(r.min_area_km2)] * len(codes)
    if override:
        waiver = [None] * len(codes)
    a = assessment.reindex(list(codes))
    exempt = {c for c in codes if bool(a.loc[c, "exempt"])}
    must = {c for c in codes if bool(a.loc[c, "must_arrange"])} - exempt
    if override:
        alone_ok: set[str] = set()
        if ruleset.must_arrange_mode == "below_new_unit_floor":
            must = set()
    else:
        alone_ok = set(exempt)
        if not ruleset.singles_must_meet_floor:
            alone_ok |= set(codes) - must
        if ruleset.singles_must_meet_floor and not ruleset.allow_single_if_meets:
            must |= set(codes) - exempt
    xy = None
    if all("x_m" in graph.nodes[c] and "y_m" in graph.nodes[c] for c in codes):
        xy = tuple((int(round(graph.nodes[c]["x_m"])), int(round(graph.nodes[c]["y_m"])))
                   for c in codes)  # fmt: skip
    parent_names = dict(zip(units["parent_code"].astype(str), units["parent_name"].astype(str),
                            strict=True))  # fmt: skip
    return PlanProblem(
        codes=codes,
        population=tuple(int(v) for v in units["population"]),
        area_ha=tuple(_ha_down(v) for v in units["area_km2"]),
        graph=graph,
        pop_floor=tuple(pop_floor),
        area_floor_ha=tuple(area_floor),
        waiver_min_members=tuple(waiver),
        alone_ok=frozenset(alone_ok),
        must_arrange=frozenset(must),
        locked=frozenset(p.locks),
        forced_pairs=tuple(p.forced_pairs),
        forbidden_pairs=tuple(p.forbidden_pairs),
        parents=tuple(units["parent_code"].astype(str)),
        stay_within_parent=p.stay_within_parent,
        fixed_seats=frozenset(p.fixed_seats),
        max_members=p.max_members,
        max_population=p.max_population,
        max_area_ha=None if p.max_area_km2 is None else _ha_down(p.max_area_km2),
        xy_m=xy,
        names=tuple(units["name"].astype(str)),
        parent_names=parent_names,
    )


def solver_settings_for(config: ScenarioConfig, **changes: Any) -> SolverSettings:
    """The :class:`SolverSettings` of a scenario (``changes`` override fields)."""
    s = config.solver
    kw: dict[str, Any] = {
        "time_limit_s": s.time_limit_s,
        "deterministic_time_s": s.deterministic_time_s,
        "num_workers": s.num_workers,
        "random_seed": s.seed,
        "max_graph_distance": s.max_graph_distance,
        "radius_km": s.radius_km,
        "symmetry_breaking": s.symmetry_breaking,
    }
    kw.update(changes)
    return SolverSettings(**kw)


def prepare_scenario(
    config: ScenarioConfig,
    *,
    units: gpd.GeoDataFrame | None = None,
    graph: nx.Graph | None = None,
    ruleset: Any = None,
) -> PreparedScenario:
    """Load (or take) units, graph and ruleset; validate; build the problem.

    Raises
    ------
    ScenarioError, RulesetError, DataValidationError
        Every problem of the scenario against the data, at once.
    """
    from sapxep.units.assessment import assess_units

    if ruleset is None:
        try:
            ruleset = load_ruleset_for(config)
        except RulesetError as exc:
            raise ScenarioError(f"[rules] {exc.summary}", exc.problems) from None
    if units is None:
        units = load_units_for(config)
    validate_against_units(config, units)
    if graph is None:
        graph = build_graph_for(config, units)
    assessment = assess_units(units, ruleset, exemptions=dict(config.plan.exemptions) or None)
    validate_against_units(config, units, assessment)
    problem = build_problem(config, units, graph, ruleset, assessment)
    return PreparedScenario(config, units, graph, ruleset, assessment, problem)


# --------------------------------------------------------------------------- running


def _floors_override(config: ScenarioConfig) -> tuple[float, float] | None:
    r = config.rules
    if r.min_population is None and r.min_area_km2 is None:
        return None
    return (float(r.min_population or 0), float(r.min_area_km2 or 0.0))


def check_result(prep: PreparedScenario, plan: MergePlan) -> Any:
    """Re-verify a plan with :func:`sapxep.units.checks.check_plan`."""
    from sapxep.units.checks import check_plan

    return check_plan(
        prep.units, plan, prep.ruleset, graph=prep.graph, seats=plan.seats,
        floors_override=_floors_override(prep.config),
        exemptions=dict(prep.config.plan.exemptions) or None,
    )  # fmt: skip


def plan_metrics(prep: PreparedScenario, res: SolveResult, check: Any) -> dict[str, Any]:
    """The ``metrics.json`` content of one plan."""
    cfg = prep.config
    plan = res.plan
    units = prep.units
    a = prep.assessment
    must = [c for c in a.index if bool(a.loc[c, "must_arrange"]) and not bool(a.loc[c, "exempt"])]
    size = plan.assignment.map(plan.assignment.value_counts())
    merged = [c for c in must if int(size[c]) >= 2]
    failing = sorted({v.new_unit for v in check.violations if v.new_unit})
    pop = pd.Series(units["population"].to_numpy(), index=units["code"].astype(str))
    area = pd.Series(units["area_km2"].to_numpy(), index=units["code"].astype(str))
    g_pop = pop.groupby(plan.assignment).sum()
    g_area = area.groupby(plan.assignment).sum()
    return {
        "title": cfg.title,
        "dataset": cfg.data.dataset or str(cfg.data.units_file),
        "province": cfg.data.province,
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
        "n_before": int(len(units)),
        "n_after": int(plan.n_after),
        "n_units_touched": int((size >= 2).sum()),
        "n_new_units_failing": len(failing),
        "must_arrange_total": len(must),
        "must_arrange_merged": len(merged),
        "check_ok": bool(check.ok),
        "violations": [v.message for v in check.violations],
        "new_unit_population_min": int(g_pop.min()),
        "new_unit_population_max": int(g_pop.max()),
        "new_unit_area_km2_min": round(float(g_area.min()), 3),
        "new_unit_area_km2_max": round(float(g_area.max()), 3),
        "max_members": int(plan.assignment.value_counts().max()),
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
    }


def _dissolve(prep: PreparedScenario, plan: MergePlan) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    from sapxep.geodata.dissolve import dissolve_plan

    new_units = dissolve_plan(prep.units, plan)
    units = prep.units.copy()
    units["new_unit"] = units["code"].astype(str).map(plan.assignment)
    units["seat_code"] = units["new_unit"].map(plan.seats)
    return new_units, units


def run_scenario(
    config: ScenarioConfig,
    *,
    on_progress: ProgressFn | None = None,
    prepared: PreparedScenario | None = None,
    settings: SolverSettings | None = None,
    should_stop: Callable[[], bool] | None = None,
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
    settings = settings or solver_settings_for(config)
    weights = ObjectiveWeights(
        compactness=config.objective.compactness,
        balance=config.objective.balance,
        parents=config.objective.parents,
        cut_edges=config.objective.cut_edges,
        cut_border=config.objective.cut_border,
    )
    stage("solve")
    p = config.plan
    if p.alternatives > 1:
        results = find_alternatives(
            prep.problem, settings, mode=p.mode, n=p.alternatives,
            min_changed=p.alternatives_min_changed, target=p.target, weights=weights,
            on_progress=on_progress, should_stop=should_stop,
        )  # fmt: skip
    else:
        results = [solve_plan(prep.problem, settings, mode=p.mode, target=p.target,
                              weights=weights, on_progress=on_progress,
                              should_stop=should_stop)]  # fmt: skip
    stage("check")
    checks = [check_result(prep, r.plan) for r in results]
    best, check = results[0], checks[0]
    if not check.ok:
        logger.warning("check_plan found %d violations in the plan", len(check.violations))
    metrics = plan_metrics(prep, best, check)
    metrics["cancelled"] = any(r.cancelled for r in results) or bool(should_stop and should_stop())
    if len(results) > 1:
        metrics["reproducible"] = all(r.reproducible for r in results)
        metrics["reproducibility_notes"] = sorted({n for r in results for n in r.reproducibility_notes})
        metrics["alternatives"] = [
            {
                "n_after": r.plan.n_after,
                "objective": r.objective,
                "check_ok": bool(c.ok),
                "units_changed_vs_best": changed_units(r.seat_of, best.seat_of),
            }
            for r, c in zip(results[1:], checks[1:], strict=True)
        ]
    stage("dissolve")
    new_units, units = _dissolve(prep, best.plan)
    return RunResult(
        config=config,
        plan=best.plan,
        solve=best,
        check=check,
        new_units=new_units,
        units=units,
        metrics=metrics,
        alternatives=tuple(zip(results[1:], checks[1:], strict=True)),
    )
