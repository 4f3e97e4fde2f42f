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
``parsing._parse_plan`` and a field on :class:`ScenarioConfig`.

All problems in a file are collected and raised once as :class:`sapxep.units.errors.ScenarioError`.

Modules: ``model`` (the dataclasses), ``parsing`` (TOML -> config, one parser per section),
``validation`` (field readers collecting problems, contradictions), ``writing`` (config -> TOML).
"""

from __future__ import annotations

from sapxep.scenarios.config.model import (
    DataConfig,
    ObjectiveConfig,
    PlanConfig,
    RulesConfig,
    ScenarioConfig,
    SolverConfig,
)
from sapxep.scenarios.config.parsing import load_scenario, scenario_from_dict
from sapxep.scenarios.config.validation import plan_contradictions
from sapxep.scenarios.config.writing import dump_scenario, scenario_to_dict, scenario_to_toml

__all__ = [
    "DataConfig",
    "ObjectiveConfig",
    "PlanConfig",
    "RulesConfig",
    "ScenarioConfig",
    "SolverConfig",
    "dump_scenario",
    "load_scenario",
    "plan_contradictions",
    "scenario_from_dict",
    "scenario_to_dict",
    "scenario_to_toml",
]
