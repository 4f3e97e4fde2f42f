"""The scenario model: frozen dataclasses, one per TOML section, and :class:`ScenarioConfig`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final


@dataclass(frozen=True)
class DataConfig:
    """Where the units come from.

    Attributes
    ----------
    dataset : str
        Bundled dataset name (``sapxep datasets``); empty when ``units_file`` is used.
    units_file : str
        Path of a unit file (GeoPackage, GeoJSON, Shapefile, FlatGeobuf).
    layer : str
        Layer of ``units_file`` (when it has several).
    attributes : str
        Optional CSV/XLSX joined by code (terrain, ethnic share, …).
    province : str
        Keep one province (code or name); needed for ``vietnam_2019`` plans.
    default_terrain : str
        Terrain of units without data (``lowland`` / ``mountainous``); empty = dataset default.
    island_policy : str
        ``error`` | ``links`` | ``ignore``: what to do with units without neighbours.
    links : tuple of (str, str)
        Extra adjacency (ferry, bridge) between two codes.
    columns : dict of str to str
        Header -> units-table column for headers not recognised (``--columns``), e.g.
        ``{"Mã xã" = "code", "DT (ha)" = "area_ha"}``.
    header_row : int or None
        1-based header row of the attribute table (``--header-row``); None = detected.
    crs : str
        Coordinate system of ``units_file`` when the file does not say (``--crs``).
    overlap_tol_km2, gap_tol_km2 : float or None
        Tolerated overlap / gap between units when checking topology (``--overlap-tol``,
        ``--gap-tol``); None = 0.01 km².
    check_topology : bool
        False skips the overlap/gap/island checks (``--skip-topology-check``). Either way
        ``plan`` tolerates what the checks find and reports it.
    level : str
        ``commune`` (the units as given), ``district`` or ``province``: units formed by
        dissolving the communes by parent code (:func:`sapxep.geodata.levels.units_at_level`),
        measured and planned under the ruleset's rules for that level.
    """

    dataset: str = ""
    units_file: str = ""
    layer: str = ""
    attributes: str = ""
    province: str = ""
    default_terrain: str = ""
    island_policy: str = "links"
    links: tuple[tuple[str, str], ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    header_row: int | None = None
    crs: str = ""
    overlap_tol_km2: float | None = None
    gap_tol_km2: float | None = None
    check_topology: bool = True
    level: str = "commune"


@dataclass(frozen=True)
class RulesConfig:
    """Which legal rules apply.

    Attributes
    ----------
    name : str
        Built-in ruleset (``nq35_2023``, ``nq35_2026``, ``nq76_2025``, ``nq112_2026``).
    file : str
        Path of a user ruleset TOML (instead of ``name``).
    overrides : dict
        Inline ruleset keys (e.g. ``waiver_min_members = 3``) applied on top.
    min_population : int or None
        Replace every new unit's population floor (no waivers, no exceptions).
    min_area_km2 : float or None
        Replace every new unit's area floor (``0`` drops it).
    """

    name: str = ""
    file: str = ""
    overrides: Mapping[str, Any] = field(default_factory=dict)
    min_population: int | None = None
    min_area_km2: float | None = None


@dataclass(frozen=True)
class PlanConfig:
    """What to plan and the hard rules chosen by the user.

    Attributes
    ----------
    mode : str
        ``max-units`` (fewest mergers), ``target-count`` (K new units) or ``repair``
        (touch as few units as possible).
    target : int, (int, int) or None
        Number of new units, or ``[min, max]`` (``target-count`` only).
    stay_within_parent : bool
        New units may not cross district (parent) borders.
    locks : tuple of str
        Units kept unchanged.
    forced_pairs, forbidden_pairs : tuple of (str, str)
        Units that must / must not end in the same new unit.
    exemptions : dict of str to str
        Code -> reason: must-arrange units the user exempts (NQ 35/2023 Art. 3 factors).
    fixed_seats : tuple of str
        Units that must be the seat of their new unit.
    max_members : int or None
        Ceiling on members per new unit.
    max_population : int or None
        Ceiling on a new unit's population.
    max_area_km2 : float or None
        Ceiling on a new unit's area.
    alternatives : int
        Number of plans to return (1 = just the best).
    alternatives_min_changed : int
        Units in which each alternative differs from every earlier plan.
    cross_provinces : bool
        Allow a new unit to span two provinces (only asked for explicitly, ``--cross-provinces``);
        otherwise new units stay inside provinces even when they may cross districts.
    """

    mode: str = "max-units"
    target: int | tuple[int, int] | None = None
    stay_within_parent: bool = True
    locks: tuple[str, ...] = ()
    forced_pairs: tuple[tuple[str, str], ...] = ()
    forbidden_pairs: tuple[tuple[str, str], ...] = ()
    exemptions: Mapping[str, str] = field(default_factory=dict)
    fixed_seats: tuple[str, ...] = ()
    max_members: int | None = None
    max_population: int | None = None
    max_area_km2: float | None = None
    alternatives: int = 1
    alternatives_min_changed: int = 5
    cross_provinces: bool = False


@dataclass(frozen=True)
class ObjectiveConfig:
    """Weights of the secondary objectives (0 = off); see ``sapxep.optimization.objectives``.

    Attributes
    ----------
    compactness : float
        Population-weighted distance from members to the seat.
    balance : float
        Spread between the largest and smallest new-unit population.
    parents : float
        Members placed with a seat in another parent (district).
    cut_edges : float
        Adjacencies between units that end in different new units.
    cut_border : float
        Length (km) of shared borders between units that end in different new units.
    """

    compactness: float = 0.0
    balance: float = 0.0
    parents: float = 0.0
    cut_edges: float = 0.0
    cut_border: float = 0.0


@dataclass(frozen=True)
class SolverConfig:
    """CP-SAT settings (see ``sapxep.optimization.settings.SolverSettings``).

    Attributes
    ----------
    time_limit_s : float
    deterministic_time_s : float or None
        Work limit in CP-SAT deterministic time; with ``num_workers = 1`` and a fixed
        ``seed`` the plan is then the same run after run.
    num_workers : int
    seed : int
    max_graph_distance : int
    radius_km : float or None
    symmetry_breaking : bool
    """

    time_limit_s: float = 30.0
    deterministic_time_s: float | None = None
    num_workers: int = 2
    seed: int = 0
    max_graph_distance: int = 3
    radius_km: float | None = None
    symmetry_breaking: bool = True


@dataclass(frozen=True)
class ScenarioConfig:
    """A complete, validated scenario.

    Attributes
    ----------
    title, notes : str
    data : DataConfig
    rules : RulesConfig
    plan : PlanConfig
    objective : ObjectiveConfig
    solver : SolverConfig
    extra : dict
        Other top-level tables (e.g. ``staffing``), passed through untouched.
    base_dir : str
        Folder relative paths are resolved against (the scenario file's folder).
    """

    title: str = ""
    notes: str = ""
    data: DataConfig = field(default_factory=DataConfig)
    rules: RulesConfig = field(default_factory=RulesConfig)
    plan: PlanConfig = field(default_factory=PlanConfig)
    objective: ObjectiveConfig = field(default_factory=ObjectiveConfig)
    solver: SolverConfig = field(default_factory=SolverConfig)
    extra: Mapping[str, Any] = field(default_factory=dict)
    base_dir: str = "."

    def resolve(self, path: str) -> Path:
        """Resolve a path from the scenario against :attr:`base_dir`."""
        p = Path(path)
        return p if p.is_absolute() else Path(self.base_dir) / p

    def with_changes(self, **sections: Mapping[str, Any]) -> ScenarioConfig:
        """Return a copy with some fields of some sections replaced.

        Example: ``cfg.with_changes(solver={"time_limit_s": 5}, plan={"mode": "repair"})``.
        The result is validated like a file.
        """
        from sapxep.scenarios.config.parsing import scenario_from_dict
        from sapxep.scenarios.config.writing import scenario_to_dict

        d = scenario_to_dict(self)
        for sec, values in sections.items():
            if sec in ("title", "notes"):
                d[sec] = values
            else:
                d.setdefault(sec, {}).update(values)
        return scenario_from_dict(d, base_dir=self.base_dir)


#: The TOML sections and the dataclass each one is read into.
SECTION_TYPES: Final[dict[str, type]] = {
    "data": DataConfig,
    "rules": RulesConfig,
    "plan": PlanConfig,
    "objective": ObjectiveConfig,
    "solver": SolverConfig,
}
#: Top-level text keys of a scenario file.
TOP_SCALARS: Final[tuple[str, ...]] = ("title", "notes")
