"""Read rulesets: built-in names or user TOML files, ``extends`` chains and in-memory overrides.

This module finds and merges the files; :mod:`sapxep.units.rules.sections` parses them, one
parser per section, each appending every problem it finds to a shared list, so a bad file is
reported in one :class:`RulesetError` (the pattern of ``sapxep.scenarios.config``). The keys
are documented in :mod:`sapxep.units.rules.model`.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from sapxep.units.errors import RulesetError
from sapxep.units.rules.model import DATA_FILE, Ruleset
from sapxep.units.rules.sections import parse_ruleset, suggest, typed_value

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- files


def rules_dir() -> Path:
    """Return the folder holding the bundled rule data and ruleset files."""
    return Path(str(resources.files("sapxep.units.rules")))


def _read_toml(path: Path, label: str) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RulesetError(
            f"ruleset file {path} not found",
            [f"{label}: give a built-in name ({', '.join(list_rulesets())}) or an existing .toml file"],
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError(f"ruleset file {path} is not valid TOML", [f"{path}: {exc}"]) from None


@functools.lru_cache(maxsize=1)
def legal_data() -> Mapping[str, Any]:
    """Return the parsed ``legal_standards.toml`` (read once; treat as read-only)."""
    return _read_toml(rules_dir() / DATA_FILE, DATA_FILE)


def list_rulesets() -> list[str]:
    """Return the names of the built-in rulesets.

    Returns
    -------
    list of str
        E.g. ``["nq112_2026", "nq35_2023", "nq35_2026", "nq76_2025"]``.
    """
    return sorted(p.stem for p in rules_dir().glob("*.toml") if p.name != DATA_FILE)


def _merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``; the ``[new_unit]`` table is merged key by key."""
    merged = {k: v for k, v in base.items() if k != "extends"}
    for k, v in top.items():
        if k == "new_unit" and isinstance(v, Mapping) and isinstance(merged.get(k), Mapping):
            merged[k] = {**merged[k], **v}
        elif k != "extends":
            merged[k] = v
    return merged


def _builtin_path(text: str) -> Path | None:
    return rules_dir() / f"{text}.toml" if text in list_rulesets() else None


def _resolve_chain(name_or_path: str | Path, problems: list[str],
                   seen: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:  # fmt: skip
    """Read a ruleset file and merge it over its ``extends`` parents."""
    text = str(name_or_path)
    builtins = list_rulesets()
    path = _builtin_path(text) or Path(text)
    if path.suffix.lower() != ".toml" and not path.exists():
        raise RulesetError(
            f"unknown ruleset '{text}'",
            [f"choose one of: {', '.join(builtins)}, or give a .toml ruleset file"
             f"{suggest(text, builtins)}"],
        )  # fmt: skip
    key = str(path.resolve())
    if key in seen:
        raise RulesetError(f"{path}: 'extends' loops back to itself",
                           [f"extends chain {' -> '.join(seen + (key,))}: remove one 'extends'"])  # fmt: skip
    raw = _read_toml(path, text)
    raw.setdefault("name", path.stem)
    parent = raw.get("extends")
    if parent is None:
        return raw, str(path)
    if not isinstance(parent, str):
        problems.append(f"extends: expected a ruleset name or path (string), got {parent!r}")
        return raw, str(path)
    if parent not in builtins:
        ppath = Path(parent) if Path(parent).is_absolute() else path.parent / parent
        if not ppath.exists():
            problems.append(f"extends = {parent!r}: no such ruleset{suggest(parent, builtins)}; "
                            f"use one of {', '.join(builtins)} or a path to a .toml file")  # fmt: skip
            return raw, str(path)
        parent = str(ppath)
    base, _ = _resolve_chain(parent, problems, seen + (key,))
    return _merge(base, raw), str(path)


# --------------------------------------------------------------------------- public API


def load_ruleset(name_or_path: str | Path, *, overrides: Mapping[str, Any] | None = None) -> Ruleset:
    """Load a built-in ruleset by name, or a user ruleset from a TOML file.

    Parameters
    ----------
    name_or_path : str or Path
        ``"nq35_2023"``, ``"nq35_2026"``, ``"nq76_2025"``, ``"nq112_2026"`` or a path to a
        ``.toml`` file (which may ``extends = "<name or path>"`` and override parameters);
        ``"<name>@district"`` / ``"<name>@province"`` gives its rules for that level.
    overrides : mapping, optional
        Keys of a ruleset file applied over it in memory (``new_unit`` merged key by key),
        e.g. ``{"waiver_min_members": 0, "new_unit": {"area_pct": 50}}``. The ruleset is then
        named ``<name>_custom`` and a note lists the changed keys.

    Returns
    -------
    Ruleset

    Raises
    ------
    RulesetError
        Unknown name, unreadable file, or every problem found in the file and the overrides
        (unknown keys, wrong types, invalid choices, unknown rule ids), each naming the key
        and the fix.
    """
    if isinstance(name_or_path, str) and "@" in name_or_path and not Path(name_or_path).exists():
        # "nq76_2025@province": the ruleset's rules for a level (units/rules/level_rules.py),
        # the name a level run records in metrics.json and the workspace
        from sapxep.units.rules.level_rules import ruleset_for_level

        base, level = name_or_path.rsplit("@", 1)
        return ruleset_for_level(load_ruleset(base, overrides=overrides), level)  # type: ignore[arg-type]
    if not overrides:
        if isinstance(name_or_path, str) and name_or_path in list_rulesets():
            return _load_builtin(name_or_path)
        return _load(name_or_path, None)
    return _load(name_or_path, dict(overrides))


@functools.lru_cache(maxsize=16)
def _load_builtin(name: str) -> Ruleset:
    # built-in files ship with the package: a frozen Ruleset can be shared
    return _load(name, None)


def _load(name_or_path: str | Path, overrides: dict[str, Any] | None) -> Ruleset:
    problems: list[str] = []
    raw, path = _resolve_chain(name_or_path, problems)
    if overrides:
        raw = _merge(raw, overrides)
        raw["name"] = f"{overrides.get('name', raw.get('name', Path(path).stem))}_custom"
        changed = ", ".join(f"{k}={v!r}" for k, v in overrides.items() if k != "name")
        note = f"Tham số thay đổi so với bộ tiêu chuẩn gốc: {changed}."
        raw["notes"] = [*typed_value(raw, "notes", []), note]
    parsed = parse_ruleset(raw, path, legal_data(), problems)
    if problems:
        n = len(problems)
        raise RulesetError(f"ruleset {path}: {n} problem{'s' if n != 1 else ''}", problems)
    sources = tuple(dict.fromkeys(parsed.pop("_sources")))
    parsed.pop("_criteria")
    rs = Ruleset(**parsed, sources=sources, path=path)
    logger.info("loaded ruleset %s from %s", rs.name, path)
    return rs


def default_ruleset_for(data_date: dt.date | str) -> str:
    """Return the built-in ruleset in force for arranging units in the state of ``data_date``.

    A repealed ruleset is never the default. Among the others, the one whose
    ``data_from``–``data_to`` window holds the date (the latest ``in_force_from`` wins).

    Parameters
    ----------
    data_date : date or str
        The date of the units' state (e.g. ``2023-04-10`` for ``phu_tho_2023``).

    Returns
    -------
    str

    Raises
    ------
    RulesetError
        If no built-in ruleset covers the date.
    """
    day = dt.date.fromisoformat(data_date) if isinstance(data_date, str) else data_date
    cands = []
    for name in list_rulesets():
        rs = load_ruleset(name)
        lo = rs.data_from or dt.date.min
        hi = rs.data_to or dt.date.max
        if not rs.repealed and lo <= day <= hi:
            cands.append((rs.in_force_from or dt.date.min, name))
    if not cands:
        raise RulesetError(f"no ruleset in force for units of {day}",
                           [f"choose one with --rules ({', '.join(list_rulesets())})"])  # fmt: skip
    return max(cands)[1]


__all__ = ["default_ruleset_for", "legal_data", "list_rulesets", "load_ruleset", "rules_dir"]
