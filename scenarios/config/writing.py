"""Writing scenarios: the TOML document of a :class:`ScenarioConfig`, as text or a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from sapxep.scenarios.config.model import SECTION_TYPES, TOP_SCALARS, ScenarioConfig


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
    for k in TOP_SCALARS:
        if k in doc:
            lines.append(f"{k} = {_toml_value(doc[k])}")
    if lines:
        lines.append("")
    for k, v in doc.items():
        if k in TOP_SCALARS:
            continue
        _toml_table(k, v, lines)
    p = Path(path)
    p.write_text("\n".join(lines), encoding="utf-8")
    return p
