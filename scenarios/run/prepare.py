"""Prepare a scenario: load data and rules, check the scenario against them, build the problem.

The optimizer only sees integers and a graph (:class:`sapxep.optimization.problem.PlanProblem`);
this module makes that problem from the units table, the adjacency graph and the ruleset.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import pandas as pd

from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings
from sapxep.scenarios.config import ScenarioConfig
from sapxep.units.errors import RulesetError, ScenarioError, format_codes

logger = logging.getLogger(__name__)


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


def load_ruleset_for(config: ScenarioConfig) -> Any:
    """Load the scenario's ruleset, applying inline ``[rules] overrides``.

    Raises
    ------
    RulesetError
        Unknown ruleset or bad override keys (from ``sapxep.units.rules.load_ruleset``).
    """
    from sapxep.units.rules import load_ruleset
    from sapxep.units.rules.level_rules import ruleset_for_level

    r = config.rules
    base = r.name if r.name else str(config.resolve(r.file).resolve())
    ruleset = load_ruleset(base, overrides=dict(r.overrides) if r.overrides else None)
    return ruleset_for_level(ruleset, config.data.level)  # type: ignore[arg-type]


def load_units_for(config: ScenarioConfig) -> gpd.GeoDataFrame:
    """Read the scenario's units table (bundled dataset or file) at the scenario's level.

    With a bundled dataset at ``district``/``province`` level, ``[data] attributes`` is joined
    to the level's units (district or province codes, e.g. a mountainous province) after
    dissolving; otherwise to the communes.
    """
    from sapxep.geodata.levels import units_at_level

    d = config.data
    level_attributes = bool(d.dataset and d.attributes and d.level != "commune")
    units = units_at_level(_load_commune_units(config, attributes=not level_attributes), d.level)  # type: ignore[arg-type]
    if not level_attributes:
        return units
    from sapxep.geodata.attributes import override_attributes

    return override_attributes(units, config.resolve(d.attributes), columns=d.columns or None,
                               header_row=d.header_row)  # fmt: skip


def _load_commune_units(config: ScenarioConfig, *, attributes: bool = True) -> gpd.GeoDataFrame:
    from sapxep.geodata.io import load_dataset, read_units

    d = config.data
    province = d.province or None
    if d.dataset:
        units = load_dataset(d.dataset, default_terrain=d.default_terrain or None,
                             province=province)  # fmt: skip
        if not d.attributes or not attributes:
            return units
        from sapxep.geodata.attributes import override_attributes

        # [data] attributes over a bundled dataset: non-empty cells override, new columns are added
        return override_attributes(units, config.resolve(d.attributes), columns=d.columns or None,
                                   header_row=d.header_row)  # fmt: skip
    tolerances = {k: v for k, v in (("overlap_tol_km2", d.overlap_tol_km2), ("gap_tol_km2", d.gap_tol_km2))
                  if v is not None}  # fmt: skip
    # topology problems do not stop a plan: the adjacency tolerates them and the run reports them
    return read_units(
        config.resolve(d.units_file),
        layer=d.layer or None,
        attributes=config.resolve(d.attributes) if d.attributes else None,
        default_terrain=d.default_terrain or "lowland",
        province=province,
        island_policy="ignore" if d.island_policy != "error" else "error",
        columns=d.columns or None,
        header_row=d.header_row,
        crs=d.crs or None,
        check_topology=d.check_topology,
        topology="warn",
        **tolerances,
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


def province_count(units: pd.DataFrame) -> int:
    """Number of distinct non-empty provinces (by ``province_code``, else ``province``)."""
    for col in ("province_code", "province"):
        if col in units.columns:
            values = {str(v).strip() for v in units[col] if str(v).strip() not in ("", "nan", "None")}
            if values:
                return len(values)
    return 0


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
    pop_floor, area_floor, waiver = _seat_floors(config, floors, override=override)
    alone_ok, must = _alone_and_must(codes, ruleset, assessment, override=override)
    parents, within, parent_names = _parents_for(config, units)
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
        parents=parents,
        stay_within_parent=within,
        fixed_seats=frozenset(p.fixed_seats),
        max_members=p.max_members,
        max_population=p.max_population,
        max_area_ha=None if p.max_area_km2 is None else _ha_down(p.max_area_km2),
        xy_m=_seat_xy(graph, codes),
        exceptions_allowed=bool(getattr(ruleset, "allow_exceptions", False)) and not override,
        ward=None if override else tuple(units["unit_type"].astype(str) == "phuong"),
        ward_pop_floor=None if override else tuple(int(v) for v in floors["ward_population_min"]),
        names=tuple(units["name"].astype(str)),
        parent_names=parent_names,
    )


def _seat_floors(
    config: ScenarioConfig, floors: pd.DataFrame, *, override: bool
) -> tuple[list[int], list[int], list[int | None]]:
    """Population floor, area floor (hectares, rounded up) and waiver of each potential seat.

    ``[rules] min_population`` / ``min_area_km2`` replace the ruleset's floors and drop the
    waivers (``override``).
    """
    r = config.rules
    n = len(floors)
    pop_floor = [int(v) for v in floors["population_min"]]
    area_floor = [_ha_up(v) for v in floors["area_min_km2"]]
    waiver: list[int | None] = [int(w) if int(w) >= 2 else None
                                for w in floors["waiver_min_members"]]  # fmt: skip
    if r.min_population is not None:
        pop_floor = [int(r.min_population)] * n
    if r.min_area_km2 is not None:
        area_floor = [_ha_up(r.min_area_km2)] * n
    if override:
        waiver = [None] * n
    return pop_floor, area_floor, waiver


def _alone_and_must(
    codes: tuple[str, ...], ruleset: Any, assessment: pd.DataFrame, *, override: bool
) -> tuple[set[str], set[str]]:
    """Codes that may stay alone, and codes that must merge (see :func:`build_problem`)."""
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
    return alone_ok, must


def _seat_xy(graph: nx.Graph, codes: tuple[str, ...]) -> tuple[tuple[int, int], ...] | None:
    """Rounded metric coordinates of every unit from the graph's nodes (None if any lacks them)."""
    if not all("x_m" in graph.nodes[c] and "y_m" in graph.nodes[c] for c in codes):
        return None
    return tuple((int(round(graph.nodes[c]["x_m"])), int(round(graph.nodes[c]["y_m"]))) for c in codes)


def _parents_for(config: ScenarioConfig, units: pd.DataFrame) -> tuple[tuple[str, ...], bool, dict[str, str]]:
    """Parent of every unit, whether new units stay inside parents, and parent names.

    When the scenario crosses districts but not provinces and the units span several
    provinces, provinces become the parents and new units stay inside them.
    """
    p = config.plan
    parent_names = dict(zip(units["parent_code"].astype(str), units["parent_name"].astype(str),
                            strict=True))  # fmt: skip
    parents, within = tuple(units["parent_code"].astype(str)), p.stay_within_parent
    if not within and not p.cross_provinces and province_count(units) > 1:
        # crossing districts was asked for, crossing provinces was not: provinces become the parents
        parents, within = tuple(units["province_code"].astype(str)), True
        parent_names = dict(zip(units["province_code"].astype(str), units["province"].astype(str),
                                strict=True))  # fmt: skip
    return parents, within, parent_names


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
    else:
        from sapxep.geodata.levels import units_at_level
        from sapxep.units.rules.level_rules import ruleset_for_level

        units = units_at_level(units, config.data.level)  # type: ignore[arg-type]
        ruleset = ruleset_for_level(ruleset, config.data.level)  # type: ignore[arg-type]
    validate_against_units(config, units)
    if graph is None:
        graph = build_graph_for(config, units)
    assessment = assess_units(units, ruleset, exemptions=dict(config.plan.exemptions) or None)
    validate_against_units(config, units, assessment)
    problem = build_problem(config, units, graph, ruleset, assessment)
    return PreparedScenario(config, units, graph, ruleset, assessment, problem)
