"""The standard an existing unit is measured against (unit type, terrain, special factors).

Conventions
-----------
* Percentages compare with strict ``<`` against the unit's own standard; minimums are
  rounded to 6 decimals (area) or to whole persons (population, rounded up) so that "exactly
  70 %" is exact in floating point.
* Special factors (NQ 27/2022 Art. 3a; NQ 112/2025): one reduction per standard, the most
  favourable applicable one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sapxep.units.errors import DataValidationError
from sapxep.units.rules.level_rules import LEVEL_UNIT_TYPES, extra_standard_entry, is_verified, standard_case
from sapxep.units.rules.model import Ruleset, StandardEntry

_PHUONG_CASE_1211 = {"quan": "quan", "thanh_pho": "thanh_pho", "thi_xa": "thi_xa"}
_COMMUNE_TYPES = ("xa", "phuong", "thi_tran")
#: Every unit type with standards: commune types, đặc khu, district and province types.
KNOWN_UNIT_TYPES = tuple(dict.fromkeys(t for types in LEVEL_UNIT_TYPES.values() for t in types))


def _standard_entry(ruleset: Ruleset, unit_type: str, case: str) -> StandardEntry:
    """The ruleset's row, else the ``levels.toml`` row (đặc khu, huyện, tỉnh …)."""
    try:
        return ruleset.standard_entry(unit_type, case)
    except KeyError:
        extra = extra_standard_entry(ruleset.standards_basis, unit_type, case)
        if extra is None:
            raise
        return extra


@dataclass(frozen=True)
class Standard:
    """The population and area minimum an existing unit is measured against.

    Attributes
    ----------
    population_min : int
    area_min_km2 : float
    article : str
        Article(s) the numbers come from, e.g. ``"NQ 1211/2016 Điều 3 (…)"``.
    basis : str
        ``"nq1211_2016"`` or ``"nq112_2025"``.
    unit_type, case : str
        The standards row used (e.g. ``"xa"``, ``"mountainous"``).
    reductions : tuple of str
        Special-factor reductions applied, e.g. ``("red_river_delta",)``.
    """

    population_min: int
    area_min_km2: float
    article: str
    basis: str
    unit_type: str = ""
    case: str = ""
    reductions: tuple[str, ...] = ()
    verified: bool = True
    """False when no number was found for this kind of unit (``levels.toml``): the minimums
    are 0 and must not be read as met; the assessment says "chưa xác định"."""


def _get(row: Mapping[str, Any] | pd.Series, key: str, default: Any = None) -> Any:
    try:
        v = row[key]
    except (KeyError, IndexError):
        return default
    if v is None:
        return default
    try:
        if pd.isna(v):
            return default
    except (TypeError, ValueError):
        pass
    return v


def _flag(row: Mapping[str, Any] | pd.Series, key: str) -> bool:
    v = _get(row, key, False)
    if isinstance(v, str):
        return v.strip().lower() in {"true", "1", "yes", "x"}
    return bool(v)


def _case_for(row: Mapping[str, Any] | pd.Series, unit_type: str, ruleset: Ruleset) -> str:
    terrain = _get(row, "terrain", "lowland")
    if unit_type not in _COMMUNE_TYPES:
        return standard_case(unit_type, str(terrain))
    if ruleset.standards_basis == "nq112_2025":
        if unit_type == "phuong":
            return "all"
        if _flag(row, "island"):
            return "island"
        return "mountainous" if terrain == "mountainous" else "other"
    if unit_type == "xa":
        return "mountainous" if terrain == "mountainous" else "other"
    if unit_type == "thi_tran":
        return "all"
    kind = str(_get(row, "parent_kind", "") or "")
    if kind not in _PHUONG_CASE_1211:
        raise DataValidationError(
            f"unit {_get(row, 'code', '?')}: phường with parent_kind {kind!r}",
            [f"{_get(row, 'name', '')} ({_get(row, 'code', '?')}): {_phuong_parent_problem(kind)}"],
        )
    return _PHUONG_CASE_1211[kind]


def _phuong_parent_problem(kind: str) -> str:
    """Why a phường's NQ 1211 standard cannot be chosen, and the fix."""
    if not kind:
        return (
            "its district is not known (the file has no parent_name or parent_kind), and NQ 1211 "
            "sets a phường's standard by whether it lies in a quận, thành phố or thị xã; add the "
            "district name (parent_name, e.g. 'Thành phố Việt Trì') or kind (parent_kind: quan, "
            "thanh_pho or thi_xa) to the units file or an attributes table joined by code"
        )
    return (
        f"its district kind is {kind!r}, but a phường belongs to a quận, thành phố or thị xã; "
        "fix parent_kind (or parent_name) in the units table"
    )


def _measured_type(unit_type: str, ruleset: Ruleset) -> str:
    # Under NQ 112 there are no thị trấn any more: they are measured as xã.
    if unit_type == "thi_tran" and ruleset.standards_basis == "nq112_2025":
        return "xa"
    return unit_type


def _reduced(
    row: Mapping[str, Any] | pd.Series, unit_type: str, ruleset: Ruleset, pop: float, area: float
) -> tuple[float, float, list[str]]:
    """Apply the special-factor reductions to a standard's ``pop`` and ``area`` minimums.

    Population: the most favourable of the ethnic-minority / border and the coastal reductions
    (one per standard); area: the Red River Delta reduction.

    Parameters
    ----------
    row : mapping or Series
        One row of the units table.
    unit_type : str
        The kind the unit is measured as.
    ruleset : Ruleset
    pop, area : float
        The unreduced minimums.

    Returns
    -------
    tuple of (float, float, list of str)
        Reduced population and area minimums, and the reductions applied.
    """
    reductions: list[str] = []
    sf = ruleset.special_factors
    candidates: list[tuple[float, str]] = []
    share = _get(row, "ethnic_minority_share", None)
    share_pct = None if share is None else round(float(share) * 100, 6)
    mountainous = _get(row, "terrain", "lowland") == "mountainous"
    ethnic = (
        share_pct is not None
        and share_pct >= sf.ethnic_min_share_pct
        and (mountainous or not sf.ethnic_requires_mountainous)
    )
    if ethnic or _flag(row, "border"):
        pct = sf.ethnic_or_border_population_pct
        if share_pct is not None and share_pct >= sf.ethnic_min_share_pct:
            steps = math.floor((share_pct - sf.ethnic_min_share_pct) / 10)
            pct -= sf.extra_reduction_pct_per_10pct_more_ethnic * steps
        pct = max(pct, sf.population_floor_pct)
        candidates.append((pop * pct / 100, "ethnic_minority" if ethnic else "border"))
    if unit_type == "xa" and _flag(row, "coastal_disadvantaged"):
        other = ruleset.standard_entry("xa", "other").population_min
        candidates.append(
            (other * sf.coastal_disadvantaged_population_pct_of_other_xa / 100,
             "coastal_disadvantaged")
        )  # fmt: skip
    if candidates:
        best = min(candidates)
        if best[0] < pop:
            pop = best[0]
            reductions.append(best[1])
    if _flag(row, "red_river_delta"):
        area = area * sf.red_river_delta_area_pct / 100
        reductions.append("red_river_delta")
    return pop, area, reductions


def unit_standard(
    row: Mapping[str, Any] | pd.Series, ruleset: Ruleset, *, apply_special_factors: bool = True
) -> Standard:
    """Return the standard an existing unit is measured against.

    ``unit_type`` and ``terrain`` select the row (``parent_kind`` for a phường under 1211;
    ``island`` for a xã under NQ 112); ``ethnic_minority_share`` (0..1), ``border``,
    ``coastal_disadvantaged`` and ``red_river_delta`` trigger the special-factor reductions.

    Population reduction (ethnic ≥ s0 % in a mountainous area, or border)::

        pct = max(floor_pct, base_pct - step * floor((share_pct - s0) / 10))

    Parameters
    ----------
    row : mapping or Series
        One row of the units table.
    ruleset : Ruleset
    apply_special_factors : bool, default True
        Apply the special-factor reductions.

    Returns
    -------
    Standard

    Raises
    ------
    DataValidationError
        If ``unit_type`` is unknown or a phường has no usable ``parent_kind`` (1211).
    """
    raw_type = _get(row, "unit_type", "")
    if raw_type not in KNOWN_UNIT_TYPES:
        raise DataValidationError(
            f"unit {_get(row, 'code', '?')}: unknown unit_type {raw_type!r}",
            [f"{_get(row, 'code', '?')}: unit_type must be one of {', '.join(KNOWN_UNIT_TYPES)}"],
        )
    unit_type = _measured_type(raw_type, ruleset)
    case = _case_for(row, unit_type, ruleset)
    try:
        entry = _standard_entry(ruleset, unit_type, case)
    except KeyError:
        raise DataValidationError(
            f"unit {_get(row, 'code', '?')}: no {ruleset.standards_basis} standard for {unit_type}/{case}",
            [
                f"{_get(row, 'name', '')} ({_get(row, 'code', '?')}): ruleset {ruleset.name} has no "
                f"standard for {unit_type} ({case}); use --level to match the units, or another ruleset"
            ],
        ) from None
    sf = ruleset.special_factors
    pop, area = float(entry.population_min), float(entry.area_min_km2)
    reductions: list[str] = []
    if apply_special_factors and unit_type in sf.applies_to:
        pop, area, reductions = _reduced(row, unit_type, ruleset, pop, area)
    article = entry.article + (f"; {sf.article}" if reductions else "")
    return Standard(
        population_min=int(math.ceil(round(pop, 6))),
        area_min_km2=round(area, 6),
        article=article,
        basis=ruleset.standards_basis,
        unit_type=unit_type,
        case=case,
        reductions=tuple(reductions),
        verified=is_verified(entry),
    )


def is_below_pct(value: float, pct: float, minimum: float) -> bool:
    """True when ``value`` is strictly below ``pct`` % of ``minimum``.

    Written without division, both sides rounded to 9 decimals, so that a value of exactly
    70 % is not "below 70 %"::

        round(value * 100, 9) < round(pct * minimum, 9)

    Parameters
    ----------
    value : float
        The unit's area (km²) or population.
    pct : float
        The criterion's percentage, e.g. ``70``.
    minimum : float
        The standard's minimum.

    Returns
    -------
    bool
    """
    return round(value * 100, 9) < round(pct * minimum, 9)


__all__ = ["KNOWN_UNIT_TYPES", "Standard", "is_below_pct", "unit_standard"]
