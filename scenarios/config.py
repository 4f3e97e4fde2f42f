"""Scenario files: a frozen :class:`ScenarioConfig` read from TOML, validated in full.

A scenario says *what data*, *which rules* and *what to plan*. Sections (every field is
documented in ``docs/scenario.md``)::

    title = "…"            notes = "…"
    [data]       dataset | units_file (+ layer, attributes), province, default_terrain,
                 island_policy, links
    [rules]      name | file, overrides (inline ruleset keys), min_population, min_area_km2
    [plan]       mode, target, stay_within_parent, locks, forced_pairs, forbidden_pairs,
                 exemptions, fixed_seats, max_members, max_population, max_area_km2,
                 alternatives, alternatives_min_changed
    [objective]  compactness, balance, parents, cut_edges, cut_border
    [solver]     time_limit_s, deterministic_time_s, num_workers, seed, max_graph_distance,
                 radius_km, symmetry_breaking

Any other top-level table (e.g. ``[staffing]``) is kept untouched in
``ScenarioConfig.extra`` and written back by :func:`dump_scenario`, so other parts of the
tool can extend the schema without touching this module: add a section parser like
:func:`_parse_plan` and a field on :class:`ScenarioConfig`.

All problems in a file are collected and raised once as :class:`sapxep.units.errors.ScenarioError`.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final

from sapxep.units.choices import ISLAND_POLICIES, MODES
from sapxep.units.errors import ScenarioError


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
    """

    dataset: str = ""
    units_file: str = ""
    layer: str = ""
    attributes: str = ""
    province: str = ""
    default_terrain: str = ""
    island_policy: str = "links"
    links: tuple[tuple[str, str], ...] = ()


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
        d = scenario_to_dict(self)
        for sec, values in sections.items():
            if sec in ("title", "notes"):
                d[sec] = values
            else:
                d.setdefault(sec, {}).update(values)
        return scenario_from_dict(d, base_dir=self.base_dir)


# --------------------------------------------------------------------------- parsing

_SECTION_TYPES: Final[dict[str, type]] = {
    "data": DataConfig,
    "rules": RulesConfig,
    "plan": PlanConfig,
    "objective": ObjectiveConfig,
    "solver": SolverConfig,
}
_TOP_SCALARS: Final[tuple[str, ...]] = ("title", "notes")


def _suggest(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _unknown_keys(table: Mapping[str, Any], cls: type, where: str, problems: list[str]) -> None:
    allowed = [f.name for f in fields(cls)]
    for k in table:
        if k not in allowed:
            problems.append(
                f"[{where}] unknown key '{k}'{_suggest(k, allowed)}; allowed: {', '.join(allowed)}"
            )


def _str(v: Any, where: str, problems: list[str]) -> str:
    if not isinstance(v, str):
        problems.append(f"{where} must be text, got {v!r}")
        return ""
    return v


def _opt_number(v: Any, where: str, problems: list[str], *, integer: bool, minimum: float) -> Any:
    if v is None:
        return None
    ok_types = (int,) if integer else (int, float)
    if isinstance(v, bool) or not isinstance(v, ok_types):
        problems.append(f"{where} must be {'an integer' if integer else 'a number'}, got {v!r}")
        return None
    if v < minimum:
        problems.append(f"{where} must be >= {minimum:g}, got {v!r}")
        return None
    return v


def _opt_float(v: Any, where: str, problems: list[str], *, minimum: float) -> float | None:
    n = _opt_number(v, where, problems, integer=False, minimum=minimum)
    return None if n is None else float(n)


def _codes(v: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(c, str | int) for c in v):
        problems.append(f"{where} must be a list of unit codes (text), got {v!r}")
        return ()
    return tuple(str(c) for c in v)


def _pairs(v: Any, where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    if not isinstance(v, list):
        problems.append(f"{where} must be a list of [code, code] pairs, got {v!r}")
        return ()
    for k, pair in enumerate(v):
        if not isinstance(pair, list) or len(pair) != 2:
            problems.append(f"{where}[{k}] must be [code, code], got {pair!r}")
            continue
        a, b = str(pair[0]), str(pair[1])
        if a == b:
            problems.append(f"{where}[{k}] pairs unit {a} with itself")
            continue
        out.append((a, b))
    return tuple(out)


def _parse_data(t: Mapping[str, Any], problems: list[str]) -> DataConfig:
    _unknown_keys(t, DataConfig, "data", problems)
    d = DataConfig(
        dataset=_str(t.get("dataset", ""), "[data] dataset", problems),
        units_file=_str(t.get("units_file", ""), "[data] units_file", problems),
        layer=_str(t.get("layer", ""), "[data] layer", problems),
        attributes=_str(t.get("attributes", ""), "[data] attributes", problems),
        province=str(t.get("province", "")),
        default_terrain=_str(t.get("default_terrain", ""), "[data] default_terrain", problems),
        island_policy=_str(t.get("island_policy", "links"), "[data] island_policy", problems),
        links=_pairs(t.get("links", []), "[data] links", problems),
    )
    if bool(d.dataset) == bool(d.units_file):
        problems.append("[data] give exactly one of 'dataset' (bundled) or 'units_file' (a path)")
    if d.dataset:
        from sapxep.geodata.datasets import DATASETS

        if d.dataset not in DATASETS:
            problems.append(
                f"[data] unknown dataset '{d.dataset}'{_suggest(d.dataset, list(DATASETS))}; "
                f"choose one of: {', '.join(DATASETS)}"
            )
    if d.default_terrain not in ("", "lowland", "mountainous"):
        problems.append("[data] default_terrain must be 'lowland' or 'mountainous'")
    if d.island_policy not in ISLAND_POLICIES:
        problems.append(f"[data] island_policy must be one of {', '.join(ISLAND_POLICIES)}")
    return d


def _parse_rules(t: Mapping[str, Any], problems: list[str], base_dir: str) -> RulesConfig:
    _unknown_keys(t, RulesConfig, "rules", problems)
    overrides = t.get("overrides", {})
    if not isinstance(overrides, dict):
        problems.append("[rules] overrides must be a table of ruleset keys")
        overrides = {}
    r = RulesConfig(
        name=_str(t.get("name", ""), "[rules] name", problems),
        file=_str(t.get("file", ""), "[rules] file", problems),
        overrides=dict(overrides),
        min_population=_opt_number(
            t.get("min_population"), "[rules] min_population", problems, integer=True, minimum=0
        ),
        min_area_km2=_opt_number(
            t.get("min_area_km2"), "[rules] min_area_km2", problems, integer=False, minimum=0
        ),
    )
    if bool(r.name) == bool(r.file):
        problems.append("[rules] give exactly one of 'name' (built-in ruleset) or 'file' (a path)")
    if r.name:
        from sapxep.units.rules import list_rulesets

        known = list_rulesets()
        if r.name not in known:
            problems.append(
                f"[rules] unknown ruleset '{r.name}'{_suggest(r.name, known)}; "
                f"choose one of: {', '.join(known)}"
            )
    if r.file:
        p = Path(r.file) if Path(r.file).is_absolute() else Path(base_dir) / r.file
        if not p.is_file():
            problems.append(f"[rules] ruleset file not found: {p}")
    return r


def _parse_target(v: Any, problems: list[str]) -> int | tuple[int, int] | None:
    if v is None:
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        if v < 1:
            problems.append(f"[plan] target must be >= 1, got {v}")
        return v
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in v):
        if not 1 <= v[0] <= v[1]:
            problems.append(f"[plan] target [min, max] needs 1 <= min <= max, got {v}")
        return (v[0], v[1])
    problems.append(f"[plan] target must be an integer K or [min, max], got {v!r}")
    return None


def _parse_plan(t: Mapping[str, Any], problems: list[str]) -> PlanConfig:
    _unknown_keys(t, PlanConfig, "plan", problems)
    mode = _str(t.get("mode", "max-units"), "[plan] mode", problems)
    if mode not in MODES:
        problems.append(f"[plan] unknown mode '{mode}'{_suggest(mode, list(MODES))}; "
                        f"choose one of: {', '.join(MODES)}")  # fmt: skip
    exemptions = t.get("exemptions", {})
    ex: dict[str, str] = {}
    if not isinstance(exemptions, dict):
        problems.append('[plan] exemptions must be a table {code = "reason"}')
    else:
        for code, reason in exemptions.items():
            if not isinstance(reason, str) or not reason.strip():
                problems.append(f"[plan] exemption of {code} needs a reason (non-empty text)")
            else:
                ex[str(code)] = reason.strip()
    stay = t.get("stay_within_parent", True)
    if not isinstance(stay, bool):
        problems.append("[plan] stay_within_parent must be true or false")
        stay = True
    p = PlanConfig(
        mode=mode,
        target=_parse_target(t.get("target"), problems),
        stay_within_parent=stay,
        locks=_codes(t.get("locks", []), "[plan] locks", problems),
        forced_pairs=_pairs(t.get("forced_pairs", []), "[plan] forced_pairs", problems),
        forbidden_pairs=_pairs(t.get("forbidden_pairs", []), "[plan] forbidden_pairs", problems),
        exemptions=ex,
        fixed_seats=_codes(t.get("fixed_seats", []), "[plan] fixed_seats", problems),
        max_members=_opt_number(
            t.get("max_members"), "[plan] max_members", problems, integer=True, minimum=1
        ),
        max_population=_opt_number(
            t.get("max_population"), "[plan] max_population", problems, integer=True, minimum=1
        ),
        max_area_km2=_opt_number(
            t.get("max_area_km2"), "[plan] max_area_km2", problems, integer=False, minimum=0.01
        ),
        alternatives=_opt_number(
            t.get("alternatives", 1), "[plan] alternatives", problems, integer=True, minimum=1
        )
        or 1,
        alternatives_min_changed=_opt_number(
            t.get("alternatives_min_changed", 5), "[plan] alternatives_min_changed", problems,
            integer=True, minimum=1,
        ) or 5,
    )  # fmt: skip
    if p.mode == "target-count" and p.target is None:
        problems.append("[plan] mode 'target-count' needs target = K or target = [min, max]")
    if p.mode != "target-count" and p.target is not None:
        problems.append(f"[plan] target is only used by mode 'target-count' (mode is '{p.mode}')")
    problems.extend(plan_contradictions(p))
    return p


def plan_contradictions(p: PlanConfig) -> list[str]:
    """Contradictions inside the [plan] section, found without data.

    Locked units in forced pairs or given as fixed seats of others, pairs both forced and
    forbidden, units both locked and exempt-free forced, duplicated entries.
    """
    out: list[str] = []
    locks = set(p.locks)
    dup = sorted({c for c in p.locks if p.locks.count(c) > 1})
    if dup:
        out.append(f"[plan] locks lists {', '.join(dup)} more than once")
    for a, b in p.forced_pairs:
        for c in (a, b):
            if c in locks:
                other = b if c == a else a
                out.append(
                    f"[plan] unit {c} is locked (unchanged) but forced together with {other}: "
                    "remove the lock or the pair"
                )
    forced = {frozenset(pr) for pr in p.forced_pairs}
    for a, b in p.forbidden_pairs:
        if frozenset((a, b)) in forced:
            out.append(f"[plan] units {a} and {b} are both forced together and forbidden")
    for a, b in p.forced_pairs:
        if a in p.fixed_seats and b in p.fixed_seats:
            out.append(
                f"[plan] units {a} and {b} are forced together but both fixed as seats "
                "(a new unit has one seat)"
            )
    return out


def _parse_objective(t: Mapping[str, Any], problems: list[str]) -> ObjectiveConfig:
    _unknown_keys(t, ObjectiveConfig, "objective", problems)
    vals = {}
    for f in fields(ObjectiveConfig):
        v = _opt_number(t.get(f.name, 0.0), f"[objective] {f.name}", problems,
                        integer=False, minimum=0)  # fmt: skip
        vals[f.name] = float(v or 0.0)
    return ObjectiveConfig(**vals)


def _parse_solver(t: Mapping[str, Any], problems: list[str]) -> SolverConfig:
    _unknown_keys(t, SolverConfig, "solver", problems)
    d = SolverConfig()
    sym = t.get("symmetry_breaking", True)
    if not isinstance(sym, bool):
        problems.append("[solver] symmetry_breaking must be true or false")
        sym = True
    return SolverConfig(
        time_limit_s=float(
            _opt_number(
                t.get("time_limit_s", d.time_limit_s),
                "[solver] time_limit_s",
                problems,
                integer=False,
                minimum=0.1,
            )
            or d.time_limit_s
        ),  # fmt: skip
        deterministic_time_s=_opt_float(
            t.get("deterministic_time_s"), "[solver] deterministic_time_s", problems, minimum=0.001
        ),
        num_workers=_opt_number(
            t.get("num_workers", d.num_workers), "[solver] num_workers", problems, integer=True, minimum=1
        )
        or d.num_workers,  # fmt: skip
        seed=_opt_number(t.get("seed", 0), "[solver] seed", problems, integer=True, minimum=0) or 0,
        max_graph_distance=_opt_number(
            t.get("max_graph_distance", d.max_graph_distance),
            "[solver] max_graph_distance",
            problems,
            integer=True,
            minimum=1,
        )
        or d.max_graph_distance,  # fmt: skip
        radius_km=_opt_number(
            t.get("radius_km"), "[solver] radius_km", problems, integer=False, minimum=0.1
        ),  # fmt: skip
        symmetry_breaking=sym,
    )


def scenario_from_dict(d: Mapping[str, Any], *, base_dir: str | Path = ".") -> ScenarioConfig:
    """Build and validate a :class:`ScenarioConfig` from a parsed TOML document.

    Parameters
    ----------
    d : mapping
        The document (top-level keys ``title``, ``notes`` and tables).
    base_dir : str or Path
        Folder relative paths are resolved against.

    Returns
    -------
    ScenarioConfig

    Raises
    ------
    ScenarioError
        Listing every problem in the document.
    """
    problems: list[str] = []
    tables: dict[str, Mapping[str, Any]] = {}
    extra: dict[str, Any] = {}
    for key, value in d.items():
        if key in _TOP_SCALARS:
            if not isinstance(value, str):
                problems.append(f"{key} must be text")
        elif key in _SECTION_TYPES:
            if not isinstance(value, dict):
                problems.append(f"[{key}] must be a table")
            else:
                tables[key] = value
        elif isinstance(value, dict):
            extra[key] = value  # other sections (e.g. [staffing]) pass through untouched
        else:
            allowed = list(_TOP_SCALARS) + list(_SECTION_TYPES)
            problems.append(f"unknown top-level key '{key}'{_suggest(key, allowed)}")
    base = str(base_dir)
    cfg = ScenarioConfig(
        title=str(d.get("title", "")) if isinstance(d.get("title", ""), str) else "",
        notes=str(d.get("notes", "")) if isinstance(d.get("notes", ""), str) else "",
        data=_parse_data(tables.get("data", {}), problems),
        rules=_parse_rules(tables.get("rules", {}), problems, base),
        plan=_parse_plan(tables.get("plan", {}), problems),
        objective=_parse_objective(tables.get("objective", {}), problems),
        solver=_parse_solver(tables.get("solver", {}), problems),
        extra=extra,
        base_dir=base,
    )
    if problems:
        raise ScenarioError(f"invalid scenario: {len(problems)} problem(s)", problems)
    return cfg


def load_scenario(path: str | Path) -> ScenarioConfig:
    """Read and validate a scenario TOML file.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    ScenarioConfig

    Raises
    ------
    ScenarioError
        If the file cannot be read or parsed, or has any invalid field (all listed).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {p}", [str(exc)]) from exc
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{p}: not valid TOML", [str(exc)]) from exc
    try:
        return scenario_from_dict(doc, base_dir=p.resolve().parent)
    except ScenarioError as exc:
        raise ScenarioError(f"{p}: {exc.summary}", exc.problems) from None


# --------------------------------------------------------------------------- writing


def scenario_to_dict(cfg: ScenarioConfig) -> dict[str, Any]:
    """Return the TOML document of a scenario (defaults included, ``None`` left out)."""
    out: dict[str, Any] = {}
    if cfg.title:
        out["title"] = cfg.title
    if cfg.notes:
        out["notes"] = cfg.notes
    for name in _SECTION_TYPES:
        sec = asdict(getattr(cfg, name))
        table: dict[str, Any] = {}
        for k, v in sec.items():
            if v is None or v == "" or v == () or v == {}:
                continue
            if isinstance(v, tuple):
                v = [list(x) if isinstance(x, tuple) else x for x in v]
            table[k] = v
        out[name] = table
    for k, v in cfg.extra.items():
        out[k] = v
    return out


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        esc = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{esc}"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _toml_key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() and k.isascii() else _toml_value(k)


def _toml_table(name: str, table: Mapping[str, Any], lines: list[str]) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, Mapping) or k in
               ("exemptions", "overrides")}  # fmt: skip
    subs = {k: v for k, v in table.items() if k not in scalars}
    lines.append(f"[{name}]")
    for k, v in scalars.items():
        lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
    lines.append("")
    for k, v in subs.items():
        _toml_table(f"{name}.{_toml_key(k)}", v, lines)


def dump_scenario(cfg: ScenarioConfig, path: str | Path) -> Path:
    """Write a scenario as TOML (readable back with :func:`load_scenario`).

    Relative paths in the scenario are written as absolute paths so the copy works from
    any folder.

    Parameters
    ----------
    cfg : ScenarioConfig
    path : str or Path

    Returns
    -------
    Path
        The written file.
    """
    data = cfg.data
    if data.units_file:
        data = replace(data, units_file=str(cfg.resolve(data.units_file).resolve()))
    if data.attributes:
        data = replace(data, attributes=str(cfg.resolve(data.attributes).resolve()))
    rules = cfg.rules
    if rules.file:
        rules = replace(rules, file=str(cfg.resolve(rules.file).resolve()))
    doc = scenario_to_dict(replace(cfg, data=data, rules=rules))
    lines: list[str] = []
    for k in _TOP_SCALARS:
        if k in doc:
            lines.append(f"{k} = {_toml_value(doc[k])}")
    if lines:
        lines.append("")
    for k, v in doc.items():
        if k in _TOP_SCALARS:
            continue
        _toml_table(k, v, lines)
    p = Path(path)
    p.write_text("\n".join(lines), encoding="utf-8")
    return p
