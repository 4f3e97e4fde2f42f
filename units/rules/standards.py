"""The standard an existing unit is measured against, and the floor a new unit must reach.

Conventions
-----------
* Percentages compare with strict ``<`` against the unit's own standard; minimums are
  rounded to 6 decimals (area) or to whole persons (population, rounded up) so that "exactly
  70 %" is exact in floating point.
* A new unit takes the terrain of its seat unit. Its kind: the seat's kind, except under the
  2025 rule (``ruleset.thi_tran_as_xa``, NQ 76/2025 Art. 1(3)) where a phường among the
  members gives a phường and anything else a xã (:func:`new_unit_type_of`).
* Special factors (NQ 27/2022 Art. 3a; NQ 112/2025): one reduction per standard, the most
  favourable applicable one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sapxep.units.errors import DataValidationError, format_codes
from sapxep.units.rules.level_rules import LEVEL_UNIT_TYPES, extra_standard_entry, is_verified, standard_case
from sapxep.units.rules.loader import legal_data
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


@dataclass(frozen=True)
class Floor:
    """The criteria a *new* unit must meet.

    Attributes
    ----------
    population_min : int
    area_min_km2 : float
    waived : bool
        True when the ruleset waives the size criteria for this many members.
    article : str
    unit_type : str
        Kind of the new unit (``xa`` / ``phuong`` / ``thi_tran``).
    case : str
        Row of the criteria table used.
    is_assumption : bool
        True when the floor is a documented modelling default, not a verified rule.
    """

    population_min: int
    area_min_km2: float
    waived: bool
    article: str
    unit_type: str = ""
    case: str = ""
    is_assumption: bool = False


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
    kind = _get(row, "parent_kind", "")
    if kind not in _PHUONG_CASE_1211:
        raise DataValidationError(
            f"unit {_get(row, 'code', '?')}: phường with parent_kind {kind!r}",
            [
                f"{_get(row, 'name', '')} ({_get(row, 'code', '?')}): a phường belongs to a quận, "
                "thành phố or thị xã; fix parent_kind (or parent_name) in the units table"
            ],
        )
    return _PHUONG_CASE_1211[kind]


def _measured_type(unit_type: str, ruleset: Ruleset) -> str:
    # Under NQ 112 there are no thị trấn any more: they are measured as xã.
    if unit_type == "thi_tran" and ruleset.standards_basis == "nq112_2025":
        return "xa"
    return unit_type


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
    pop = float(entry.population_min)
    area = float(entry.area_min_km2)
    reductions: list[str] = []
    sf = ruleset.special_factors
    if apply_special_factors and unit_type in sf.applies_to:
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


_EN_WORDS = (
    ("sửa đổi bởi", "as amended by"),
    ("bổ sung bởi", "added by"),
    ("giả định", "assumption"),
    ("Giả định (không phải quy định)", "Assumption (not a legal rule)"),
    ("tiêu chuẩn xã miền núi, vùng cao", "mountainous xã standard"),
    ("tiêu chuẩn xã hải đảo", "island xã standard"),
    ("tiêu chuẩn xã", "xã standard"),
    ("tiêu chuẩn phường", "phường standard"),
    ("yếu tố đặc thù", "special factors"),
    ("xã thuộc huyện đảo: không có định hướng quy mô", "island-district commune: no size orientation"),
    (
        "tiêu chuẩn thị trấn; số điều chưa xác định trong nguồn đã đọc",
        "thị trấn standard; article number not determined in the sources read",
    ),
    ("điểm về cấp xã; chưa đọc được văn bản gốc", "point on communes; legal text not read"),
    ("chưa xác định", "not determined"),
    ("% dân số, ", "% population, "),
    ("% diện tích — ", "% area — "),
)


def article_en(article: str) -> str:
    """Render a Vietnamese article reference in English.

    ``"NQ 35/2023 Điều 1 khoản 2 điểm a"`` -> ``"NQ 35/2023 Art. 1(2)(a)"``.

    Parameters
    ----------
    article : str

    Returns
    -------
    str
    """
    out = re.sub(r"Điều (\w+)", r"Art. \1", article)
    out = re.sub(r" khoản (\d+)", r"(\1)", out)
    out = re.sub(r" điểm (\w)", r"(\1)", out)
    for vi, en in sorted(_EN_WORDS, key=lambda t: -len(t[0])):
        out = out.replace(vi, en)
    return out


def new_unit_type(seat_type: str, ruleset: Ruleset) -> str:
    """Return the kind of a new unit whose seat is of kind ``seat_type`` (members unknown)."""
    if seat_type == "thi_tran" and (ruleset.thi_tran_as_xa or ruleset.standards_basis == "nq112_2025"):
        return "xa"
    return seat_type


def new_unit_type_of(member_types: list[str] | tuple[str, ...], seat_type: str, ruleset: Ruleset) -> str:
    """Return the kind of a new unit from its members' kinds.

    Under the 2025 rule (``thi_tran_as_xa``; NQ 76/2025 Art. 1(3)): a phường among the
    members gives a phường, otherwise a xã (no thị trấn after 2025). Otherwise the seat's kind
    (:func:`new_unit_type`).

    Parameters
    ----------
    member_types : sequence of str
        ``unit_type`` of every member.
    seat_type : str
        ``unit_type`` of the seat unit.
    ruleset : Ruleset

    Returns
    -------
    str
    """
    if ruleset.thi_tran_as_xa:
        return "phuong" if "phuong" in member_types else "xa"
    return new_unit_type(seat_type, ruleset)


def nq76_phuong_case(row: Mapping[str, Any] | pd.Series, ruleset: Ruleset) -> str:
    """Return the NQ 76/2025 Art. 5(1)(c) row of a ward: where the ward itself lies.

    ``centrally_run_city`` (ruleset parameter, or a ``centrally_run_city`` column) → 45,000;
    a mountainous (``terrain``) or border (``border``) ward → 15,000; otherwise 21,000.
    """
    if ruleset.centrally_run_city or _flag(row, "centrally_run_city"):
        return "centrally_run_city"
    if _get(row, "terrain", "lowland") == "mountainous" or _flag(row, "border"):
        return "mountainous_highland_border"
    return "other"


def is_waived(unit_type: str, n_members: int, ruleset: Ruleset) -> bool:
    """True when the ruleset waives the size criteria for a new unit of this kind and size."""
    return (
        ruleset.waiver_min_members > 0
        and n_members >= ruleset.waiver_min_members
        and unit_type in ruleset.waiver_unit_types
    )


def new_unit_floor(
    seat_row: Mapping[str, Any] | pd.Series,
    ruleset: Ruleset,
    *,
    n_members: int,
    unit_type: str | None = None,
) -> Floor:
    """Return the criteria a new unit seated at ``seat_row`` must meet.

    ``own_standard`` mode::

        population_min = ceil(standard.population_min * population_pct / 100)
        area_min_km2   = standard.area_min_km2 * area_pct / 100

    ``nq76_2025`` mode: the NQ 76/2025 Art. 5(1) row for the new unit's kind and the seat's
    terrain (xã), or :func:`nq76_phuong_case` (phường); communes of island districts
    (``island_district`` column) have no minimum (Art. 5(1)(d)).

    Parameters
    ----------
    seat_row : mapping or Series
        The units-table row of the seat unit (gives kind and terrain).
    ruleset : Ruleset
    n_members : int
        Number of original units in the new unit (for the waiver).
    unit_type : str, optional
        Kind of the new unit when known from its members (:func:`new_unit_type_of`);
        default from the seat's kind.

    Returns
    -------
    Floor

    Raises
    ------
    DataValidationError
        Bad ``unit_type`` / ``parent_kind`` in the seat row.
    """
    seat_type = _get(seat_row, "unit_type", "")
    if seat_type not in KNOWN_UNIT_TYPES:
        raise DataValidationError(
            f"seat {_get(seat_row, 'code', '?')}: unknown unit_type {seat_type!r}",
            [f"unit_type must be one of {', '.join(KNOWN_UNIT_TYPES)}"],
        )
    utype = unit_type or new_unit_type(seat_type, ruleset)
    waived = is_waived(utype, n_members, ruleset)
    nu = ruleset.new_unit
    if nu.mode == "nq76_2025":
        if utype != "phuong" and _flag(seat_row, "island_district"):
            art = legal_data()["island_district"]["nq76_2025"]["article"]
            return Floor(0, 0.0, waived, f"{art} (xã thuộc huyện đảo: không có định hướng quy mô)",
                         utype, "island_district", False)  # fmt: skip
        if utype == "phuong":
            case = nq76_phuong_case(seat_row, ruleset)
        else:
            case = "mountainous" if _get(seat_row, "terrain", "lowland") == "mountainous" else "other"
        for etype, ecase, pop, area, article in nu.entries:
            if etype == utype and ecase == case:
                return Floor(int(pop), float(area), waived, article, utype, case, False)
        raise DataValidationError(
            f"seat {_get(seat_row, 'code', '?')}: no NQ 76 criterion for {utype}/{case}",
            [f"{_get(seat_row, 'code', '?')}: the NQ 76 table has rows for xã and phường only"],
        )
    row = dict(seat_row)
    row["unit_type"] = utype
    std = unit_standard(row, ruleset, apply_special_factors=nu.apply_special_factors)
    pop_min = int(math.ceil(round(std.population_min * nu.population_pct / 100, 6)))
    area_min = round(std.area_min_km2 * nu.area_pct / 100, 6)
    label = f"{nu.population_pct:g}% dân số, {nu.area_pct:g}% diện tích — {std.article}"
    if nu.article:
        label = f"{nu.article}: {label}"
    if nu.is_assumption:
        label = f"giả định: {label}"
    return Floor(pop_min, area_min, waived, label, utype, std.case, nu.is_assumption)


def new_unit_floors(units: pd.DataFrame, ruleset: Ruleset) -> pd.DataFrame:
    """Return, for every unit, the floor of a new unit seated there (for the optimizer).

    Parameters
    ----------
    units : DataFrame
        The units table (``code``, ``unit_type``, ``terrain``, … ; geometry ignored).
    ruleset : Ruleset

    Returns
    -------
    DataFrame
        Index: codes (str). Columns ``code`` (str), ``population_min`` (int64),
        ``area_min_km2`` (float64), ``waiver_min_members`` (int64; **0 = no waiver** for a new
        unit of this kind, else the size criteria are waived when the new unit has at least
        this many members), ``new_unit_type`` (str), ``article`` (str), ``ward_population_min``
        (int64; under the 2025 kind rule the population floor of the unit if a phường joins
        this xã seat, NQ 76/2025 Art. 1(3) and 5(1)(c); 0 = not applicable).

    Raises
    ------
    DataValidationError
        Every row with a bad ``unit_type`` / ``parent_kind``, listed together.
    """
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for rec in units.drop(columns=["geometry"], errors="ignore").to_dict("records"):
        try:
            fl = new_unit_floor(rec, ruleset, n_members=1)
        except DataValidationError as exc:
            problems.extend(exc.problems)
            continue
        w = ruleset.waiver_min_members if fl.unit_type in ruleset.waiver_unit_types else 0
        ward_pop = 0
        if ruleset.thi_tran_as_xa and fl.unit_type != "phuong":
            # NQ 76 Art. 1(3): a phường member makes the new unit a phường, with the ward floor
            ward_pop = new_unit_floor(rec, ruleset, n_members=1, unit_type="phuong").population_min
        rows.append(
            {
                "code": str(rec["code"]),
                "population_min": fl.population_min,
                "area_min_km2": fl.area_min_km2,
                "waiver_min_members": int(w),
                "new_unit_type": fl.unit_type,
                "article": fl.article,
                "ward_population_min": int(ward_pop),
            }
        )
    if problems:
        raise DataValidationError(f"{len(problems)} units have no applicable standard", problems)
    out = pd.DataFrame(
        rows,
        columns=["code", "population_min", "area_min_km2", "waiver_min_members", "new_unit_type",
                 "article", "ward_population_min"],
    )  # fmt: skip
    out = out.astype({"population_min": "int64", "area_min_km2": "float64",
                      "waiver_min_members": "int64", "ward_population_min": "int64"})  # fmt: skip
    out.index = pd.Index(out["code"].to_numpy(), name=None)
    return out


def check_codes_present(units: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    """Raise a DataValidationError naming every missing column of the units table."""
    missing = [c for c in columns if c not in units.columns]
    if missing:
        raise DataValidationError(
            f"{what}: {len(missing)} required column(s) missing",
            [f"column '{c}' is missing: read units with geodata.io.read_units or add it"
             for c in missing],
        )  # fmt: skip


__all__ = [
    "Floor",
    "article_en",
    "Standard",
    "check_codes_present",
    "format_codes",
    "is_waived",
    "new_unit_floor",
    "new_unit_floors",
    "new_unit_type",
    "new_unit_type_of",
    "nq76_phuong_case",
    "unit_standard",
]
