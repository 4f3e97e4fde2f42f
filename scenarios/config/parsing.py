"""Reading scenario TOML: one parser per section, each collecting problems; raised once."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from sapxep.scenarios.config.model import (
    SECTION_TYPES,
    TOP_SCALARS,
    DataConfig,
    ObjectiveConfig,
    PlanConfig,
    RulesConfig,
    ScenarioConfig,
    SolverConfig,
)
from sapxep.scenarios.config.validation import (
    as_text,
    codes,
    near_name,
    opt_float,
    opt_number,
    pairs,
    plan_contradictions,
    suggest,
    unknown_keys,
)
from sapxep.units.choices import ISLAND_POLICIES, LEVELS, MODES
from sapxep.units.errors import ScenarioError


def _columns(v: Any, problems: list[str]) -> dict[str, str]:
    """Read ``[data.columns]`` (header = column); bad targets are problems with "did you mean"."""
    from sapxep.geodata.columns import parse_column_spec
    from sapxep.units.errors import DataValidationError

    if not isinstance(v, Mapping) or not all(isinstance(x, str) for x in v.values()):
        problems.append('[data] columns must be a table of "header" = "column" (e.g. "Mã xã" = "code")')
        return {}
    try:
        return parse_column_spec(v)
    except DataValidationError as exc:
        problems += [f"[data] columns: {p}" for p in exc.problems]
        return {}


def _flag(v: Any, where: str, problems: list[str]) -> bool:
    if not isinstance(v, bool):
        problems.append(f"{where} must be true or false, got {v!r}")
        return True
    return v


def _parse_data(t: Mapping[str, Any], problems: list[str]) -> DataConfig:
    unknown_keys(t, DataConfig, "data", problems)
    d = DataConfig(
        dataset=as_text(t.get("dataset", ""), "[data] dataset", problems),
        units_file=as_text(t.get("units_file", ""), "[data] units_file", problems),
        layer=as_text(t.get("layer", ""), "[data] layer", problems),
        attributes=as_text(t.get("attributes", ""), "[data] attributes", problems),
        province=str(t.get("province", "")),
        default_terrain=as_text(t.get("default_terrain", ""), "[data] default_terrain", problems),
        island_policy=as_text(t.get("island_policy", "links"), "[data] island_policy", problems),
        links=pairs(t.get("links", []), "[data] links", problems),
        columns=_columns(t.get("columns", {}), problems),
        header_row=opt_number(t.get("header_row"), "[data] header_row", problems, integer=True, minimum=1),
        crs=as_text(t.get("crs", ""), "[data] crs", problems),
        overlap_tol_km2=opt_number(
            t.get("overlap_tol_km2"), "[data] overlap_tol_km2", problems, integer=False, minimum=0
        ),
        gap_tol_km2=opt_number(
            t.get("gap_tol_km2"), "[data] gap_tol_km2", problems, integer=False, minimum=0
        ),
        check_topology=_flag(t.get("check_topology", True), "[data] check_topology", problems),
        level=as_text(t.get("level", "commune"), "[data] level", problems),
    )
    if bool(d.dataset) == bool(d.units_file):
        problems.append("[data] give exactly one of 'dataset' (bundled) or 'units_file' (a path)")
    if d.dataset:
        from sapxep.geodata.datasets import DATASETS

        if d.dataset not in DATASETS:
            problems.append(
                f"[data] unknown dataset '{d.dataset}'{suggest(d.dataset, list(DATASETS))}; "
                f"choose one of: {', '.join(DATASETS)}"
            )
    if d.default_terrain not in ("", "lowland", "mountainous"):
        problems.append("[data] default_terrain must be 'lowland' or 'mountainous'")
    if d.island_policy not in ISLAND_POLICIES:
        problems.append(f"[data] island_policy must be one of {', '.join(ISLAND_POLICIES)}")
    if d.level not in LEVELS:
        problems.append(
            f"[data] level '{d.level}'{suggest(d.level, list(LEVELS))}: use one of {', '.join(LEVELS)}"
        )
    return d


def _parse_rules(t: Mapping[str, Any], problems: list[str], base_dir: str) -> RulesConfig:
    unknown_keys(t, RulesConfig, "rules", problems)
    overrides = t.get("overrides", {})
    if not isinstance(overrides, dict):
        problems.append("[rules] overrides must be a table of ruleset keys")
        overrides = {}
    r = RulesConfig(
        name=as_text(t.get("name", ""), "[rules] name", problems),
        file=as_text(t.get("file", ""), "[rules] file", problems),
        overrides=dict(overrides),
        min_population=opt_number(
            t.get("min_population"), "[rules] min_population", problems, integer=True, minimum=0
        ),
        min_area_km2=opt_number(
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
                f"[rules] unknown ruleset '{r.name}'{suggest(r.name, known)}; "
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
    unknown_keys(t, PlanConfig, "plan", problems)
    mode = as_text(t.get("mode", "max-units"), "[plan] mode", problems)
    if mode not in MODES:
        problems.append(f"[plan] unknown mode '{mode}'{suggest(mode, list(MODES))}; "
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
    cross_provinces = t.get("cross_provinces", False)
    if not isinstance(cross_provinces, bool):
        problems.append("[plan] cross_provinces must be true or false")
        cross_provinces = False
    p = PlanConfig(
        mode=mode,
        target=_parse_target(t.get("target"), problems),
        stay_within_parent=stay,
        locks=codes(t.get("locks", []), "[plan] locks", problems),
        forced_pairs=pairs(t.get("forced_pairs", []), "[plan] forced_pairs", problems),
        forbidden_pairs=pairs(t.get("forbidden_pairs", []), "[plan] forbidden_pairs", problems),
        exemptions=ex,
        fixed_seats=codes(t.get("fixed_seats", []), "[plan] fixed_seats", problems),
        max_members=opt_number(
            t.get("max_members"), "[plan] max_members", problems, integer=True, minimum=1
        ),
        max_population=opt_number(
            t.get("max_population"), "[plan] max_population", problems, integer=True, minimum=1
        ),
        max_area_km2=opt_number(
            t.get("max_area_km2"), "[plan] max_area_km2", problems, integer=False, minimum=0.01
        ),
        alternatives=opt_number(
            t.get("alternatives", 1), "[plan] alternatives", problems, integer=True, minimum=1
        )
        or 1,
        alternatives_min_changed=opt_number(
            t.get("alternatives_min_changed", 5), "[plan] alternatives_min_changed", problems,
            integer=True, minimum=1,
        ) or 5,
        cross_provinces=cross_provinces,
    )  # fmt: skip
    if p.mode == "target-count" and p.target is None:
        problems.append("[plan] mode 'target-count' needs target = K or target = [min, max]")
    if p.mode != "target-count" and p.target is not None:
        problems.append(f"[plan] target is only used by mode 'target-count' (mode is '{p.mode}')")
    problems.extend(plan_contradictions(p))
    return p


def _parse_objective(t: Mapping[str, Any], problems: list[str]) -> ObjectiveConfig:
    unknown_keys(t, ObjectiveConfig, "objective", problems)
    vals = {}
    for f in fields(ObjectiveConfig):
        v = opt_number(t.get(f.name, 0.0), f"[objective] {f.name}", problems,
                        integer=False, minimum=0)  # fmt: skip
        vals[f.name] = float(v or 0.0)
    return ObjectiveConfig(**vals)


def _parse_solver(t: Mapping[str, Any], problems: list[str]) -> SolverConfig:
    unknown_keys(t, SolverConfig, "solver", problems)
    d = SolverConfig()
    sym = t.get("symmetry_breaking", True)
    if not isinstance(sym, bool):
        problems.append("[solver] symmetry_breaking must be true or false")
        sym = True
    return SolverConfig(
        time_limit_s=float(
            opt_number(
                t.get("time_limit_s", d.time_limit_s),
                "[solver] time_limit_s",
                problems,
                integer=False,
                minimum=0.1,
            )
            or d.time_limit_s
        ),  # fmt: skip
        deterministic_time_s=opt_float(
            t.get("deterministic_time_s"), "[solver] deterministic_time_s", problems, minimum=0.001
        ),
        num_workers=opt_number(
            t.get("num_workers", d.num_workers), "[solver] num_workers", problems, integer=True, minimum=1
        )
        or d.num_workers,  # fmt: skip
        seed=opt_number(t.get("seed", 0), "[solver] seed", problems, integer=True, minimum=0) or 0,
        max_graph_distance=opt_number(
            t.get("max_graph_distance", d.max_graph_distance),
            "[solver] max_graph_distance",
            problems,
            integer=True,
            minimum=1,
        )
        or d.max_graph_distance,  # fmt: skip
        radius_km=opt_number(
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
        if key in TOP_SCALARS:
            if not isinstance(value, str):
                problems.append(f"{key} must be text")
        elif key in SECTION_TYPES:
            if not isinstance(value, dict):
                problems.append(f"[{key}] must be a table")
            else:
                tables[key] = value
        elif isinstance(value, dict):
            near = near_name(key, list(SECTION_TYPES))
            if near:
                problems.append(
                    f"unknown section [{key}] (did you mean [{near}]?): its settings would be ignored; "
                    f"rename it to [{near}]"
                )
            else:
                extra[key] = value  # other sections (e.g. [staffing]) pass through untouched
        else:
            allowed = list(TOP_SCALARS) + list(SECTION_TYPES)
            problems.append(f"unknown top-level key '{key}'{suggest(key, allowed)}")
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
        text = p.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario {p}", [str(exc)]) from exc
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"{p}: not UTF-8 text",
            [f"line {line}, byte {exc.start} is not UTF-8 (Windows-1258 or TCVN3?): save the file as UTF-8"],
        ) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{p}: not valid TOML", [str(exc)]) from exc
    try:
        return scenario_from_dict(doc, base_dir=p.resolve().parent)
    except ScenarioError as exc:
        raise ScenarioError(f"{p}: {exc.summary}", exc.problems) from None
