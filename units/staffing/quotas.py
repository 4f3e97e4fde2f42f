"""Staffing quotas of a commune-level unit (Decree 33/2023/NĐ-CP; 2025 sizes as parameters).

Decree 33/2023 (our reading of Art. 6 and Art. 33; check before use)::

    extra_population = floor(max(0, pop - pop_std) / (pop_std * k))   k = 1/3 phường in a quận, else 1/2
    extra_area       = floor(max(0, area - area_std) / area_std)
    cadres + civil servants = base(class, kind) + extra_population + extra_area
    part-time workers       = base_pt(class)    + extra_population + extra_area

``pop_std`` / ``area_std`` are the NQ 1211/2016 (as amended by NQ 27/2022) standard of the
unit's own kind and region, taken from ``sapxep.units.rules.unit_standard`` with the
:data:`DEFAULT_RULESET` (the numbers are not repeated here). The base numbers are read from
``units/templates/org_decree33_2023.toml``.

The 2025 structure has no national formula: its size is ``total_staff`` (default: the
documented average of 32), see :mod:`sapxep.units.staffing.templates`.
"""

from __future__ import annotations

import logging
import math
import tomllib
from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any, Final

import pandas as pd

from sapxep.units.errors import DataValidationError, ScenarioError, format_codes
from sapxep.units.staffing.templates import COMMUNE_CLASSES, load_template

logger = logging.getLogger(__name__)

#: The ruleset giving the NQ 1211/2016 (NQ 27/2022) standards Decree 33/2023 measures a unit
#: against: the one in force for units before the July 2025 reform,
#: ``units.rules.default_ruleset_for("2025-06-30")`` (NQ 76/2025; the repealed NQ 35/2023 carried
#: the same standards). A test keeps them equal.
DEFAULT_RULESET: Final[str] = "nq76_2025"
CLASS_RANK: Final[dict[str, int]] = {"I": 1, "II": 2, "III": 3}


@dataclass(frozen=True)
class UnitStandardValues:
    """The population and area standard a unit is measured against."""

    population_std: int
    area_std_km2: float
    basis: str


@dataclass(frozen=True)
class Decree33Quota:
    """The Decree 33/2023 quota of one unit, with the terms that make it up.

    Attributes
    ----------
    unit_type, commune_class : str
        Kind and class (I/II/III) used.
    class_source : str
        ``data`` (from the units table), ``default`` (user default) or a rule for new units.
    population, area_km2 : float
        Size used.
    population_std, area_std_km2 : float
        The 1211/27 standard of the unit's own kind.
    population_step : Fraction
        ``population_std * k``.
    base_cadres_civil_servants, base_part_time : int
        Base numbers by class and kind.
    extra_population, extra_area : int
        Increments (each adds one civil servant and one part-time worker).
    basis : str
        Where the standard came from.
    """

    unit_type: str
    commune_class: str
    class_source: str
    population: float
    area_km2: float
    population_std: float
    area_std_km2: float
    population_step: Fraction
    base_cadres_civil_servants: int
    base_part_time: int
    extra_population: int
    extra_area: int
    basis: str = ""

    @property
    def cadres_civil_servants(self) -> int:
        """Quota of cadres + civil servants."""
        return self.base_cadres_civil_servants + self.extra_population + self.extra_area

    @property
    def part_time(self) -> int:
        """Quota of part-time workers."""
        return self.base_part_time + self.extra_population + self.extra_area


@lru_cache(maxsize=1)
def decree33_table() -> dict[str, Any]:
    """Return the Decree 33/2023 quota tables (base numbers, increments, sources)."""
    return load_template("2023").quota


def _frac(x: float | int | str) -> Fraction:
    return Fraction(str(x)) if not isinstance(x, int) else Fraction(x)


def _check_quota_inputs(
    unit_type: str, commune_class: str, population_std: float, area_std_km2: float
) -> None:
    """Raise one :class:`ScenarioError` listing every bad input of :func:`decree33_quota`."""
    problems = []
    if commune_class not in COMMUNE_CLASSES:
        problems.append(f"commune class '{commune_class}' is not one of I, II, III")
    if unit_type not in ("xa", "phuong", "thi_tran"):
        problems.append(f"unit type '{unit_type}' is not one of xa, phuong, thi_tran")
    if not (population_std > 0 and area_std_km2 > 0):
        problems.append("the population and area standards must be positive")
    if problems:
        raise ScenarioError("cannot compute a Decree 33/2023 quota", problems)


def decree33_quota(
    *,
    unit_type: str,
    commune_class: str,
    population: float,
    area_km2: float,
    population_std: float,
    area_std_km2: float,
    phuong_in_quan: bool = False,
    class_source: str = "data",
    basis: str = "",
) -> Decree33Quota:
    """Compute the Decree 33/2023 quota of one unit.

    ``extra_population = floor(max(0, pop - pop_std) / (pop_std * k))`` with ``k = 1/3``
    for a phường in a quận and ``1/2`` otherwise; ``extra_area =
    floor(max(0, area - area_std) / area_std)``; cadres + civil servants =
    ``base(class, kind) + extra_population + extra_area``; part-time =
    ``base_pt(class) + extra_population + extra_area``. Exact rational arithmetic.

    Parameters
    ----------
    unit_type : {"xa", "phuong", "thi_tran"}
    commune_class : {"I", "II", "III"}
    population : float
        Persons.
    area_km2 : float
        Natural area.
    population_std, area_std_km2 : float
        The 1211/27 standard of the unit's own kind (positive).
    phuong_in_quan : bool, default False
        True for a phường of a quận (step = 1/3 of the population standard).
    class_source : str, default "data"
        Recorded in the result (``data``, ``default``, ...).
    basis : str, default ""
        Recorded in the result.

    Returns
    -------
    Decree33Quota

    Raises
    ------
    ScenarioError
        If the class or unit type is unknown, or a standard is not positive.
    """
    _check_quota_inputs(unit_type, commune_class, population_std, area_std_km2)
    tab = decree33_table()
    cs = tab["cadres_and_civil_servants"]
    inc = tab["increments"]
    k = Fraction(
        inc["population_step_fraction_phuong_in_quan"]
        if (unit_type == "phuong" and phuong_in_quan)
        else inc["population_step_fraction_other"]
    )
    pop, pstd = _frac(population), _frac(population_std)
    area, astd = _frac(area_km2), _frac(area_std_km2)
    step = pstd * k
    extra_pop = math.floor(max(Fraction(0), pop - pstd) / step)
    extra_area = math.floor(max(Fraction(0), area - astd) / (astd * Fraction(inc["area_step_fraction"])))
    return Decree33Quota(
        unit_type=unit_type,
        commune_class=commune_class,
        class_source=class_source,
        population=float(population),
        area_km2=float(area_km2),
        population_std=float(population_std),
        area_std_km2=float(area_std_km2),
        population_step=step,
        base_cadres_civil_servants=int(cs[unit_type][commune_class]),
        base_part_time=int(tab["part_time"]["base"][commune_class]),
        extra_population=int(extra_pop) * int(inc["adds_civil_servants"]),
        extra_area=int(extra_area) * int(inc["adds_civil_servants"]),
        basis=basis,
    )


def _fallback_standard(row: pd.Series) -> UnitStandardValues:
    """Read the 1211/27 standard from the rules data file (used if units.rules is absent)."""
    ref = resources.files("sapxep.units") / "rules" / "legal_standards.toml"
    data = tomllib.loads(ref.read_text(encoding="utf-8"))
    table = data["standards"]["nq1211_2016"]
    ut = str(row["unit_type"])
    if ut == "xa":
        case = "mountainous" if str(row.get("terrain", "lowland")) == "mountainous" else "other"
    elif ut == "phuong":
        pk = str(row.get("parent_kind", "thanh_pho"))
        case = pk if pk in ("quan", "thanh_pho", "thi_xa") else "thanh_pho"
    else:
        case = "all"
    for sid, s in table.items():
        if s["unit_type"] == ut and s["case"] == case:
            return UnitStandardValues(
                int(s["population_min"]), float(s["area_min_km2"]), f"nq1211_2016.{sid}"
            )
    raise DataValidationError(
        "no 1211/27 standard found", [f"unit type {ut}, case {case}: check legal_standards.toml"]
    )


def unit_standard_values(
    row: pd.Series,
    *,
    ruleset: str | Any = DEFAULT_RULESET,
    apply_special_factors: bool = False,
) -> UnitStandardValues:
    """Return the 1211/27 standard of one unit (its own kind and region).

    Uses ``sapxep.units.rules.unit_standard(row, load_ruleset(ruleset))`` when that module is
    installed; otherwise reads the same rules data file directly (no special factors).

    Parameters
    ----------
    row : pandas.Series
        One row of the units table (``unit_type``, ``terrain``, ``parent_kind``, ...).
    ruleset : str or Ruleset, default :data:`DEFAULT_RULESET`
    apply_special_factors : bool, default False
        Apply the Art. 3a reductions (ethnic minority, border, Red River Delta...). Off by
        default: Decree 33 refers to the standard of the unit's kind (our reading).

    Returns
    -------
    UnitStandardValues
    """
    try:
        from sapxep.units import rules
    except ImportError:
        return _fallback_standard(row)
    rs = rules.load_ruleset(ruleset) if isinstance(ruleset, str) else ruleset
    st = rules.unit_standard(row, rs, apply_special_factors=apply_special_factors)
    basis = f"{st.basis}.{st.unit_type}_{st.case}" if st.case else st.basis
    if st.reductions:
        basis += " (" + ", ".join(st.reductions) + ")"
    return UnitStandardValues(int(st.population_min), float(st.area_min_km2), basis)


def resolve_class(value: object, default_class: str) -> tuple[str, str]:
    """Return ``(class, source)``: the unit's class if given, else the default.

    Raises
    ------
    ScenarioError
        If ``default_class`` is not I, II or III.
    """
    if default_class not in COMMUNE_CLASSES:
        raise ScenarioError(f"default commune class '{default_class}' is unknown", ["use I, II or III"])
    v = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    v = v.strip().upper()
    if v in COMMUNE_CLASSES:
        return v, "data"
    return default_class, "default"


def unit_quotas(
    units: pd.DataFrame,
    *,
    default_class: str = "II",
    ruleset: str | Any = DEFAULT_RULESET,
    apply_special_factors: bool = False,
) -> pd.DataFrame:
    """Return the Decree 33/2023 quota of every unit of a units table.

    Parameters
    ----------
    units : pandas.DataFrame
        The units table (``code, unit_type, parent_kind, terrain, population, area_km2``;
        ``commune_class`` optional: I/II/III or empty).
    default_class : {"I", "II", "III"}, default "II"
        Class used where ``commune_class`` is missing (``class_source = "default"``).
    ruleset : str or Ruleset, default :data:`DEFAULT_RULESET`
        Ruleset giving the 1211/27 standards.
    apply_special_factors : bool, default False
        See :func:`unit_standard_values`.

    Returns
    -------
    pandas.DataFrame
        Index ``code``; columns ``unit_type, commune_class, class_source, population,
        area_km2, population_std, area_std_km2, base_cb_cc, base_part_time,
        extra_population, extra_area, quota_cb_cc, quota_part_time, standard_basis``.

    Raises
    ------
    DataValidationError
        If required columns are missing or sizes are missing/negative (every unit listed).
    """
    need = ["code", "unit_type", "population", "area_km2"]
    missing = [c for c in need if c not in units.columns]
    if missing:
        raise DataValidationError(
            "units table cannot be used for quotas", [f"missing columns: {', '.join(missing)}"]
        )
    bad = units.loc[
        pd.to_numeric(units["population"], errors="coerce").isna()
        | pd.to_numeric(units["area_km2"], errors="coerce").isna()
        | (pd.to_numeric(units["population"], errors="coerce") < 0)
        | (pd.to_numeric(units["area_km2"], errors="coerce") < 0),
        "code",
    ]
    if len(bad):
        raise DataValidationError(
            f"{len(bad)} units lack a valid population or area",
            [f"units {format_codes(bad)}: give population >= 0 and area_km2 >= 0"],
        )
    rows = []
    for _, row in units.iterrows():
        cls, src = resolve_class(row.get("commune_class", ""), default_class)
        st = unit_standard_values(row, ruleset=ruleset, apply_special_factors=apply_special_factors)
        q = decree33_quota(
            unit_type=str(row["unit_type"]),
            commune_class=cls,
            population=float(row["population"]),
            area_km2=float(row["area_km2"]),
            population_std=st.population_std,
            area_std_km2=st.area_std_km2,
            phuong_in_quan=str(row.get("parent_kind", "")) == "quan",
            class_source=src,
            basis=st.basis,
        )
        rows.append(quota_record(str(row["code"]), q))
    out = pd.DataFrame(rows).set_index("code")
    logger.info(
        "Decree 33 quotas for %d units: %d cadres+civil servants, %d part-time (%d default classes)",
        len(out),
        out["quota_cb_cc"].sum(),
        out["quota_part_time"].sum(),
        int((out["class_source"] == "default").sum()),
    )
    return out


def quota_record(code: str, q: Decree33Quota) -> dict[str, Any]:
    """Flatten a :class:`Decree33Quota` into a table row keyed by ``code``."""
    d = asdict(q)
    return {
        "code": code,
        "unit_type": q.unit_type,
        "commune_class": q.commune_class,
        "class_source": q.class_source,
        "population": q.population,
        "area_km2": q.area_km2,
        "population_std": q.population_std,
        "area_std_km2": q.area_std_km2,
        "population_step": float(d["population_step"]),
        "base_cb_cc": q.base_cadres_civil_servants,
        "base_part_time": q.base_part_time,
        "extra_population": q.extra_population,
        "extra_area": q.extra_area,
        "quota_cb_cc": q.cadres_civil_servants,
        "quota_part_time": q.part_time,
        "standard_basis": q.basis,
    }


def new_unit_class(member_classes: list[str], rule: str) -> tuple[str, str]:
    """Return the class of a merged unit and how it was chosen.

    Parameters
    ----------
    member_classes : list of str
        Classes of the member units (I/II/III).
    rule : {"max", "min", "I", "II", "III"}
        ``max`` = the highest class among members (class I is highest), ``min`` the lowest,
        or a fixed class.

    Returns
    -------
    tuple of str
        ``(class, source)`` with source like ``"max of members"``.

    Raises
    ------
    ScenarioError
        If the rule is unknown.
    """
    if rule in COMMUNE_CLASSES:
        return rule, "fixed"
    if rule not in ("max", "min"):
        raise ScenarioError(f"unknown new-unit class rule '{rule}'", ["use max, min, I, II or III"])
    ranks = sorted(CLASS_RANK[c] for c in member_classes)
    pick = ranks[0] if rule == "max" else ranks[-1]
    cls = {v: k for k, v in CLASS_RANK.items()}[pick]
    return cls, ("max of members" if rule == "max" else "min of members")
