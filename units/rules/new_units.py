"""The floor a new unit must reach, and the kind of unit it becomes.

Conventions
-----------
* A new unit takes the terrain of its seat unit. Its kind: the seat's kind, except under the
  2025 rule (``ruleset.thi_tran_as_xa``, NQ 76/2025 Art. 1(3)) where a phường among the
  members gives a phường and anything else a xã (:func:`new_unit_type_of`).
* ``own_standard`` floors are a percentage of the seat's own standard
  (:func:`sapxep.units.rules.existing_units.unit_standard`); ``nq76_2025`` floors are the
  NQ 76/2025 Art. 5(1) table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sapxep.units.errors import DataValidationError
from sapxep.units.rules.existing_units import KNOWN_UNIT_TYPES, _flag, _get, unit_standard
from sapxep.units.rules.loader import legal_data
from sapxep.units.rules.model import Ruleset


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


__all__ = [
    "Floor",
    "is_waived",
    "new_unit_floor",
    "new_unit_floors",
    "new_unit_type",
    "new_unit_type_of",
    "nq76_phuong_case",
]
