"""Per-unit assessment: standard, percentages, must-arrange status and exemptions, in words.

``assess_units(units, ruleset)`` measures every unit against its own standard
(:func:`sapxep.units.rules.unit_standard`), applies the ruleset's must-arrange criteria
(strict ``<``, e.g. NQ 35/2023: area < 70 % AND population < 70 %) and exemptions
(:mod:`sapxep.units.exemptions`), and explains each verdict in Vietnamese (default) or English,
citing the article (:mod:`sapxep.units.reasons`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from sapxep.units.choices import Lang
from sapxep.units.errors import DataValidationError, format_codes, group_same_fix
from sapxep.units.exemptions import exemption, exemption_grounds_of
from sapxep.units.reasons import unit_reason
from sapxep.units.rules import MustArrangeCriterion, Ruleset, new_unit_floor, unit_standard
from sapxep.units.rules.existing_units import _flag, _get, is_below_pct
from sapxep.units.rules.standards import KNOWN_UNIT_TYPES, Floor, Standard
from sapxep.units.undetermined import doubt_reason, undetermined
from sapxep.units.wording import format_number

logger = logging.getLogger(__name__)


ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "code", "name", "unit_type", "terrain", "terrain_source", "area_km2", "area_source",
    "population", "area_min_km2", "population_min", "area_pct", "population_pct",
    "meets_standard", "must_arrange", "must_arrange_rule", "exempt", "exempt_reason",
    "standard_article", "reason", "population_suspect", "determined", "standard",
)  # fmt: skip

_REQUIRED = ("code", "unit_type", "area_km2", "population")
_DEFAULT_TERRAIN = "lowland"


# --------------------------------------------------------------------------- helpers


def _validate(units: pd.DataFrame, exemptions: Mapping[str, str] | None) -> list[str]:
    problems: list[str] = []
    missing = [c for c in _REQUIRED if c not in units.columns]
    for c in missing:
        problems.append(f"column '{c}' is missing: read the units with geodata.io.read_units")
    if missing:
        return problems
    codes = units["code"].astype(str)
    dup = codes[codes.duplicated()]
    if len(dup):
        problems.append(f"codes {format_codes(dup.unique())} appear more than once: keep one row each")
    bad_type = codes[~units["unit_type"].isin(KNOWN_UNIT_TYPES)]
    if len(bad_type):
        problems.append(
            f"units {format_codes(bad_type)}: unit_type must be one of {', '.join(KNOWN_UNIT_TYPES)}"
        )
    area = pd.to_numeric(units["area_km2"], errors="coerce")
    bad_area = codes[area.isna() | (area < 0)]
    if len(bad_area):
        problems.append(f"units {format_codes(bad_area)}: area_km2 missing or negative")
    pop = pd.to_numeric(units["population"], errors="coerce")
    bad_pop = codes[pop.isna() | (pop < 0)]
    if len(bad_pop):
        problems.append(f"units {format_codes(bad_pop)}: population missing or negative")
    if "terrain" in units.columns:
        t = units["terrain"]
        bad_t = codes[t.notna() & ~t.isin(["mountainous", "lowland", ""])]
        if len(bad_t):
            problems.append(f"units {format_codes(bad_t)}: terrain must be mountainous or lowland")
    if "ethnic_minority_share" in units.columns:
        share = pd.to_numeric(units["ethnic_minority_share"], errors="coerce")
        bad_s = codes[share.notna() & ((share < 0) | (share > 1))]
        if len(bad_s):
            problems.append(
                f"units {format_codes(bad_s)}: ethnic_minority_share must be a share 0..1 (45 % = 0.45)"
            )
    if exemptions:
        unknown = [c for c in exemptions if str(c) not in set(codes)]
        if unknown:
            problems.append(
                f"exemptions name unknown codes {format_codes(unknown)}: use codes of the units table"
            )
        empty = [c for c, r in exemptions.items() if not str(r or "").strip()]
        if empty:
            problems.append(
                f"exemptions for {format_codes(empty)} have no reason: state the special factor "
                "(NQ 35/2023 Art. 3: isolated location, boundary unchanged since 1945, "
                "defence/security or cultural reasons, planned to become urban)"
            )
    return problems


def _criterion_hit(
    area: float, pop: float, std: Standard, ruleset: Ruleset, utype: str
) -> MustArrangeCriterion | None:
    for c in ruleset.must_arrange:
        if utype not in c.unit_types:
            continue
        a = is_below_pct(area, c.area_lt_pct, std.area_min_km2)
        p = is_below_pct(pop, c.population_lt_pct, std.population_min)
        if (a or p) if c.combine == "any" else (a and p):
            return c
    return None


def _terrain_of(rec: Mapping[str, Any]) -> tuple[str, str]:
    """Return the unit's terrain and its source (the dataset default when there is no data)."""
    terrain = _get(rec, "terrain", "") or ""
    if terrain in ("mountainous", "lowland"):
        return terrain, str(_get(rec, "terrain_source", "data") or "data")
    return _DEFAULT_TERRAIN, "default"


def _must_arrange(
    rec: Mapping[str, Any], area: float, pop: float, std: Standard, ruleset: Ruleset
) -> tuple[bool, str, MustArrangeCriterion | None, Floor | None]:
    """Decide whether a unit must be arranged under the ruleset's ``must_arrange_mode``.

    Parameters
    ----------
    rec : mapping
        One row of the units table (terrain filled in).
    area, pop : float
        The unit's area (km²) and population.
    std : Standard
        Its standard.
    ruleset : Ruleset

    Returns
    -------
    tuple
        ``(must, rule, criterion, floor)``: must be arranged; the id of the rule that decided
        (``""`` = none); the criterion that hit (``criteria`` mode); the new-unit floor
        (``below_new_unit_floor`` mode).
    """
    if ruleset.must_arrange_mode == "criteria":
        crit = _criterion_hit(area, pop, std, ruleset, std.unit_type)
        return crit is not None, crit.id if crit is not None else "", crit, None
    if ruleset.must_arrange_mode == "below_new_unit_floor":
        floor = new_unit_floor(rec, ruleset, n_members=1)
        meets_floor = pop >= floor.population_min and round(area, 9) >= floor.area_min_km2
        must = (not ruleset.allow_single_if_meets) or not meets_floor
        return must, "below_new_unit_floor" if must else "", None, floor
    return False, "", None, None


def _assess_unit(
    rec: Mapping[str, Any], std: Standard, tsource: str, ruleset: Ruleset, declared: str, lang: Lang
) -> dict[str, Any]:
    """Return one row of the assessment table.

    Parameters
    ----------
    rec : mapping
        One row of the units table, ``terrain`` filled in (:func:`_terrain_of`).
    std : Standard
        The unit's standard.
    tsource : str
        Where the terrain came from (``data``, ``proxy``, ``default``).
    ruleset : Ruleset
    declared : str
        The exemption reason the user declared (``""`` = none).
    lang : {"vi", "en"}

    Returns
    -------
    dict
        The values of :data:`ASSESSMENT_COLUMNS`.
    """
    code = str(rec["code"])
    terrain = rec["terrain"]
    area = float(rec["area_km2"])
    pop = float(rec["population"])
    area_pct = 100.0 * area / std.area_min_km2 if std.area_min_km2 else math.inf
    pop_pct = 100.0 * pop / std.population_min if std.population_min else math.inf
    meets = round(area, 9) >= std.area_min_km2 and pop >= std.population_min
    must, rule, crit, floor = _must_arrange(rec, area, pop, std, ruleset)
    suspect = _flag(rec, "population_suspect")
    lower = _get(rec, "population_lower_bound", None)
    doubt = undetermined(area, std, ruleset, suspect=suspect, floor=floor,
                         population_lower_bound=None if lower is None else float(lower))  # fmt: skip
    if doubt is not None:
        meets, must = bool(doubt.meets), bool(doubt.must)
        crit = None
        rule = rule if must else ""
    exempt_reason, rejected = exemption(rec, ruleset, declared, lang)
    if doubt is not None:
        reason = doubt_reason(rec, std, area, pop, doubt, lang=lang, floor=floor, ruleset=ruleset)
    else:
        reason = unit_reason(
            lang=lang, area=area, pop=pop, std=std, area_pct=area_pct, pop_pct=pop_pct,
            meets=meets, must=must, crit=crit,
            crit_below=(is_below_pct(area, crit.area_lt_pct, std.area_min_km2),
                        is_below_pct(pop, crit.population_lt_pct, std.population_min))
            if crit is not None else (False, False),
            floor=floor, ruleset=ruleset, exempt_reason=exempt_reason, rejected=rejected,
            terrain=terrain, terrain_default=tsource == "default",
            terrain_proxy=str(_get(rec, "terrain_confidence", "") or "proxy") if tsource == "proxy" else "",
        )  # fmt: skip
    return {
        "code": code,
        "name": str(_get(rec, "name", code)),
        "unit_type": rec["unit_type"],
        "terrain": terrain,
        "terrain_source": tsource,
        "area_km2": area,
        "area_source": str(_get(rec, "area_source", "") or ""),
        "population": int(round(pop)),
        "area_min_km2": std.area_min_km2,
        "population_min": std.population_min,
        "area_pct": round(area_pct, 4),
        "population_pct": round(pop_pct, 4),
        "meets_standard": bool(meets),
        "must_arrange": bool(must),
        "must_arrange_rule": rule,
        "exempt": bool(exempt_reason),
        "exempt_reason": exempt_reason,
        "standard_article": std.article,
        "reason": reason,
        "population_suspect": suspect,
        "determined": doubt is None or doubt.determined,
        "standard": f"{std.unit_type}_{std.case}",
    }


def _typed_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The assessment rows as a table with typed columns, indexed by code."""
    out = pd.DataFrame(rows, columns=list(ASSESSMENT_COLUMNS))
    out = out.astype(
        {"population": "int64", "population_min": "int64", "area_km2": "float64",
         "area_min_km2": "float64", "meets_standard": bool, "must_arrange": bool, "exempt": bool,
         "population_suspect": bool, "determined": bool}
    )  # fmt: skip
    out.index = pd.Index(out["code"].to_numpy(), name=None)
    return out


# --------------------------------------------------------------------------- public API


def assess_units(
    units: pd.DataFrame,
    ruleset: Ruleset,
    *,
    exemptions: Mapping[str, str] | None = None,
    lang: Lang = "vi",
) -> pd.DataFrame:
    """Measure every unit against its standard and the ruleset's must-arrange criteria.

    A unit *meets the standard* when ``area_km2 >= area_min_km2`` and
    ``population >= population_min``. Under ``must_arrange_mode="criteria"`` it *must be
    arranged* when, for some criterion, ``area_pct < area_lt_pct`` and
    ``population_pct < population_lt_pct`` (strict). Under ``"below_new_unit_floor"``
    (NQ 76/2025) it must be arranged when it cannot reach the new-unit floor alone.
    ``must_arrange`` and ``exempt`` are independent columns: an exempt unit can still be
    ``must_arrange=True``.

    Parameters
    ----------
    units : DataFrame
        The units table (see ``sapxep.units.schema``); geometry is ignored.
    ruleset : Ruleset
    exemptions : mapping of str to str, optional
        Code -> reason: special factors of NQ 35/2023 Art. 3 declared by the user (added to
        the units table's ``exemption_reason``).
    lang : {"vi", "en"}, default "vi"
        Language of ``reason`` and ``exempt_reason``.

    Returns
    -------
    DataFrame
        One row per unit, index = codes (str, unnamed), columns :data:`ASSESSMENT_COLUMNS`.

    Raises
    ------
    DataValidationError
        Missing columns, duplicate codes, bad unit types / areas / populations / terrain,
        unknown or unexplained exemptions: every problem at once.
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', got {lang!r}")
    problems = _validate(units, exemptions)
    if problems:
        raise DataValidationError(f"units table: {len(problems)} problems", problems)
    declared_map = {str(k): str(v).strip() for k, v in (exemptions or {}).items()}
    rows: list[dict[str, Any]] = []
    for rec in units.drop(columns=["geometry"], errors="ignore").to_dict("records"):
        terrain, tsource = _terrain_of(rec)
        rec = {**rec, "terrain": terrain}
        try:
            std = unit_standard(rec, ruleset)
        except DataValidationError as exc:
            problems.extend(exc.problems)
            continue
        declared = declared_map.get(str(rec["code"])) or str(_get(rec, "exemption_reason", "") or "").strip()
        rows.append(_assess_unit(rec, std, tsource, ruleset, declared, lang))
    if problems:
        problems = group_same_fix(problems)
        n = len(problems)
        raise DataValidationError(f"units table: {n} problem{'s' if n != 1 else ''}", problems)
    out = _typed_table(rows)
    s = summarize_assessment(out)
    logger.info(
        "assessed %d units under %s: %d below standard, %d must arrange (%d exempt)",
        s.n_units, ruleset.name, s.n_below_standard, s.n_must_arrange, s.n_must_arrange_exempt,
    )  # fmt: skip
    return out


@dataclass(frozen=True)
class AssessmentSummary:
    """Counts over an assessment table.

    Attributes
    ----------
    n_units : int
    n_below_standard : int
        Units that fall short of their standard (area or population).
    n_must_arrange : int
        Units meeting a must-arrange criterion (exempt or not).
    n_exempt : int
        Units with any exemption.
    n_must_arrange_exempt : int
        Must-arrange units that are exempt.
    n_to_arrange : int
        Must-arrange units that are not exempt.
    n_terrain_default : int
        Units whose terrain is the dataset default.
    n_undetermined : int
        Units with no verdict: suspect population or no verified standard (``determined`` False).
    n_population_suspect : int
        Units whose population the source flags as suspect.
    must_arrange_codes : tuple of str
        Codes of the non-exempt must-arrange units.
    """

    n_units: int
    n_below_standard: int
    n_must_arrange: int
    n_exempt: int
    n_must_arrange_exempt: int
    n_to_arrange: int
    n_terrain_default: int
    must_arrange_codes: tuple[str, ...]
    n_undetermined: int = 0
    n_population_suspect: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        d = asdict(self)
        d["must_arrange_codes"] = list(self.must_arrange_codes)
        return d


def summarize_assessment(assessment: pd.DataFrame) -> AssessmentSummary:
    """Count the units that fall short, must be arranged and are exempt.

    Parameters
    ----------
    assessment : DataFrame
        The output of :func:`assess_units`.

    Returns
    -------
    AssessmentSummary
    """
    a = assessment
    must = a["must_arrange"].astype(bool)
    ex = a["exempt"].astype(bool)
    determined = a["determined"].astype(bool) if "determined" in a else pd.Series(True, index=a.index)
    # a unit's standard verdict is known when fully determined, or when its area already fails
    # a verified standard (suspect population)
    known = determined | ((a["area_km2"] < a["area_min_km2"]) & (a["area_min_km2"] > 0))
    return AssessmentSummary(
        n_units=len(a),
        n_below_standard=int((~a["meets_standard"].astype(bool) & known).sum()),
        n_must_arrange=int(must.sum()),
        n_exempt=int(ex.sum()),
        n_must_arrange_exempt=int((must & ex).sum()),
        n_to_arrange=int((must & ~ex).sum()),
        n_terrain_default=int((a["terrain_source"] == "default").sum()),
        must_arrange_codes=tuple(a.loc[must & ~ex, "code"].astype(str)),
        n_undetermined=int((~determined).sum()),
        n_population_suspect=int(a["population_suspect"].astype(bool).sum())
        if "population_suspect" in a
        else 0,
    )


__all__ = [
    "ASSESSMENT_COLUMNS",
    "AssessmentSummary",
    "assess_units",
    "exemption_grounds_of",
    "format_number",
    "summarize_assessment",
]
