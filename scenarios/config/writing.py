"""Writing scenarios: the TOML document of a :class:`ScenarioConfig`, as text or a file."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import tomli_w

from sapxep.scenarios.config.model import SECTION_TYPES, ScenarioConfig
from sapxep.units.files import write_text


def scenario_to_dict(cfg: ScenarioConfig) -> dict[str, Any]:
    """Return the TOML document of a scenario (defaults included, ``None`` left out)."""
    out: dict[str, Any] = {}
    if cfg.title:
        out["title"] = cfg.title
    if cfg.notes:
        out["notes"] = cfg.notes
    for name in SECTION_TYPES:
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


def _with_absolute_paths(cfg: ScenarioConfig) -> ScenarioConfig:
    """Return ``cfg`` with its file paths made absolute (so a copy works from any folder)."""
    data = cfg.data
    if data.units_file:
        data = replace(data, units_file=str(cfg.resolve(data.units_file).resolve()))
    if data.attributes:
        data = replace(data, attributes=str(cfg.resolve(data.attributes).resolve()))
    rules = cfg.rules
    if rules.file:
        rules = replace(rules, file=str(cfg.resolve(rules.file).resolve()))
    return replace(cfg, data=data, rules=rules)


def scenario_to_toml(cfg: ScenarioConfig) -> str:
    """Return a scenario as TOML text (readable back with :func:`~.parsing.load_scenario`).

    Relative paths in the scenario are written as absolute paths so the text works from
    any folder. Written with ``tomli-w``.

    Parameters
    ----------
    cfg : ScenarioConfig

    Returns
    -------
    str
        The TOML document.
    """
    return tomli_w.dumps(scenario_to_dict(_with_absolute_paths(cfg)))


def dump_scenario(cfg: ScenarioConfig, path: str | Path) -> Path:
    """Write a scenario as a TOML file, atomically (the text of :func:`scenario_to_toml`).

    Parameters
    ----------
    cfg : ScenarioConfig
    path : str or Path

    Returns
    -------
    Path
        The written file.
    """
    return write_text(path, scenario_to_toml(cfg))
