"""Standards of đặc khu and of district- and province-level units, and rulesets per level.

Data: ``levels/levels.toml`` (every number with article, source and confidence; entries with
``confidence = "unverified"`` have no numbers). :func:`extra_standard_entry` gives the standards
row of a unit type the commune ruleset files do not cover (đặc khu, huyện, tỉnh …);
:func:`ruleset_for_level` turns a commune ruleset (``nq35_2023``, ``nq76_2025``, ``nq112_2026`` …)
into the same kind of :class:`Ruleset` for the district or province level, so the assessment,
the optimizer and ``check_plan`` run unchanged at every level.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from sapxep.units.choices import LEVELS, Level
from sapxep.units.errors import RulesetError
from sapxep.units.rules.model import MustArrangeCriterion, NewUnitCriteria, Ruleset, Source, StandardEntry

LEVELS_FILE: Final = "levels/levels.toml"

#: Unit types of each level (``thanh_pho`` = thành phố thuộc tỉnh at district level).
LEVEL_UNIT_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "commune": ("xa", "phuong", "thi_tran", "dac_khu"),
    "district": ("huyen", "quan", "thi_xa", "thanh_pho"),
    "province": ("tinh", "thanh_pho_tw"),
}
#: Unit types whose standard depends on terrain (mountainous / other).
TERRAIN_TYPES: Final[frozenset[str]] = frozenset({"xa", "huyen", "tinh"})
#: Level names as users read them.
LEVEL_LABELS_VI: Final[dict[str, str]] = {"commune": "xã", "district": "huyện", "province": "tỉnh"}
LEVEL_LABELS_EN: Final[dict[str, str]] = {
    "commune": "commune",
    "district": "district",
    "province": "province",
}
UNVERIFIED: Final = "unverified"


@cache
def level_data() -> Mapping[str, Any]:
    """Return the parsed ``levels/levels.toml`` (read once; treat as read-only)."""
    path = Path(str(resources.files("sapxep.units.rules"))) / LEVELS_FILE
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _entry(key: str, v: Mapping[str, Any]) -> StandardEntry:
    return StandardEntry(
        id=key,
        unit_type=str(v["unit_type"]),
        case=str(v["case"]),
        population_min=int(v.get("population_min", 0)),
        area_min_km2=float(v.get("area_min_km2", 0.0)),
        article=str(v["article"]),
        source=str(v.get("source", "")),
        confidence=str(v["confidence"]),
    )


def level_entries(basis: str, level: str | None = None) -> tuple[StandardEntry, ...]:
    """Return the standards rows of ``levels.toml`` for a basis (optionally one level).

    Parameters
    ----------
    basis : str
        ``"nq1211_2016"`` or ``"nq112_2025"``.
    level : {"commune", "district", "province"}, optional

    Returns
    -------
    tuple of StandardEntry
        ``confidence == "unverified"`` rows carry 0 minimums and must not be used as numbers.
    """
    table = level_data().get("standards", {}).get(basis, {})
    return tuple(_entry(key, v) for key, v in table.items() if level is None or v.get("level") == level)


def extra_standard_entry(basis: str, unit_type: str, case: str) -> StandardEntry | None:
    """Return the ``levels.toml`` row for a unit type outside the commune ruleset files, if any."""
    for e in level_entries(basis):
        if e.unit_type == unit_type and e.case == case:
            return e
    return None


def is_verified(entry: StandardEntry) -> bool:
    """True when the entry's numbers come from a source (not an ``unverified`` placeholder)."""
    return entry.confidence != UNVERIFIED


def standard_case(unit_type: str, terrain: str) -> str:
    """Return the standards-table case of a non-commune unit type (or đặc khu)."""
    if unit_type in TERRAIN_TYPES:
        return "mountainous" if terrain == "mountainous" else "other"
    return "all"


def available_levels(ruleset_name: str) -> list[str]:
    """Return the levels a built-in ruleset supports (``commune`` always)."""
    return ["commune", *level_data().get("rulesets", {}).get(ruleset_name, {}).keys()]


def _criteria(
    items: list[Mapping[str, Any]], unit_types: tuple[str, ...]
) -> tuple[MustArrangeCriterion, ...]:
    return tuple(
        MustArrangeCriterion(
            id=str(c["id"]),
            area_lt_pct=float(c["area_lt_pct"]),
            population_lt_pct=float(c["population_lt_pct"]),
            unit_types=unit_types,
            article=str(c["article"]),
            source=str(c.get("source", "")),
            confidence=str(c.get("confidence", "")),
        )
        for c in items
    )


def ruleset_for_level(ruleset: Ruleset, level: Level) -> Ruleset:
    """Return the ruleset that measures and plans units of ``level``.

    ``commune`` (or a ruleset already for ``level``) returns ``ruleset`` itself. For
    ``district``/``province`` the standards, the
    must-arrange criteria and the new-unit floor come from ``levels.toml`` for the ruleset's
    name (``[rulesets.<name>.<level>]``); special-factor reductions and size waivers are not
    applied above the commune level (not modelled; said in the notes).

    Parameters
    ----------
    ruleset : Ruleset
        A commune-level ruleset (built-in name, or a user file extending one).
    level : {"commune", "district", "province"}

    Returns
    -------
    Ruleset

    Raises
    ------
    RulesetError
        If the level is unknown, or the ruleset has no rules for it (the message lists the
        rulesets and levels that exist).
    """
    if level not in LEVELS:
        raise RulesetError(f"unknown level '{level}'", [f"use one of: {', '.join(LEVELS)}"])
    if level == "commune" or ruleset.name.endswith(f"@{level}"):
        return ruleset
    spec = _level_spec(ruleset, level)
    basis = str(spec["basis"])
    types = LEVEL_UNIT_TYPES[level]
    nu = spec["new_unit"]
    note_vi, note_en = str(spec.get("note", "")), str(spec.get("note_en", ""))
    entries = level_entries(basis, level)
    sources = tuple(
        Source(
            rule=f"levels.standards.{basis}.{e.id}", article=e.article, url=e.source, confidence=e.confidence
        )
        for e in entries
    )
    label = LEVEL_LABELS_VI[level]
    return dataclasses.replace(
        ruleset,
        name=f"{ruleset.name}@{level}",
        title=str(spec.get("title", f"{ruleset.title} — cấp {label}")),
        standards_basis=basis,
        standards=entries,
        special_factors=dataclasses.replace(ruleset.special_factors, applies_to=()),
        must_arrange_mode=str(spec["must_arrange_mode"]),
        must_arrange=_criteria(list(spec.get("must_arrange", [])), types),
        exempt_if_arranged_in=tuple(spec.get("exempt_if_arranged_in", [])),
        new_unit=NewUnitCriteria(
            mode="own_standard",
            population_pct=float(nu["population_pct"]),
            area_pct=float(nu["area_pct"]),
            apply_special_factors=False,
            is_assumption=bool(nu.get("is_assumption", False)),
            note=note_vi,
            note_en=note_en,
            article=str(nu.get("article", "")),
        ),
        waiver_min_members=0,
        waiver_unit_types=(),
        allow_exceptions=False,
        name_style="keep",
        thi_tran_as_xa=False,
        # the commune ruleset's notes stay (e.g. a repeal), except its new-unit assumption
        notes=tuple(n for n in (note_vi,) if n)
        + tuple(n for n in ruleset.notes if n != ruleset.new_unit.note),
        notes_en=tuple(n for n in (note_en,) if n)
        + tuple(n for n in ruleset.notes_en if n != ruleset.new_unit.note_en),
        sources=ruleset.sources + sources,
    )


def _level_spec(ruleset: Ruleset, level: str) -> Mapping[str, Any]:
    table = level_data().get("rulesets", {})
    base = ruleset.name.split("@")[0]
    if base in table and level in table[base]:
        return table[base][level]
    pairs = [f"{name} ({', '.join(levels)})" for name, levels in table.items()]
    hint = (
        "district-level units ended on 1 July 2025: plan districts with nq35_2023 or nq35_2026"
        if level == "district"
        else "plan provinces with nq76_2025 (2025 merger) or nq112_2026"
    )
    raise RulesetError(
        f"ruleset '{ruleset.name}' has no rules for the {level} level",
        [f"{hint}; rulesets with level rules: {'; '.join(pairs)}"],
    )
