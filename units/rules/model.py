"""Rulesets: named bundles of legal standards and parameters (the data model).

The legal numbers (standards, special factors, must-arrange criteria, new-unit
orientation, waivers, exceptions, repeals), each with ``article``, ``source`` and
``confidence``, live in ``units/rules/legal_standards.toml``. A ruleset file
(``nq35_2023.toml`` …, or a user file) selects among them and sets parameters; it is read
by :mod:`sapxep.units.rules.loader`. The keys::

    name = "my_rules"                  # default: the file name
    extends = "nq76_2025"              # optional: a built-in name or a path
    title = "…"
    standards = "nq1211_2016"          # | "nq112_2025": basis of the per-unit standard
    period = "2025"
    in_force_from = "2025-04-15"       # ISO dates; used to pick a default ruleset
    data_from = "2020-01-01"           # the unit states this ruleset arranges
    data_to = "2025-06-30"
    repealed = "nq35_2023"             # id of a [repeals.*] entry: printed with every output
    must_arrange_mode = "criteria"     # | "below_new_unit_floor" | "none"
    must_arrange = ["nq35_p1_both_lt70", {id = "mine", area_lt_pct = 50,
                    population_lt_pct = 50, combine = "all", article = "…", source = "…"}]
    exempt_if_arranged_in = ["2019_2021"]   # values: "2019_2021", "2023_2025"
    honour_declared_exemptions = true  # units' exemption_reason / --exemptions
    exemptions = "nq35_special_factors"     # id of the [exemptions.*] grounds accepted
    singles_must_meet_floor = false    # must a unit left alone reach the new-unit floor?
    allow_single_if_meets = true       # may a unit meeting the floor stay alone?
    thi_tran_as_xa = false             # 2025 type rule (NQ 76 Art. 1(3)): no thị trấn after
    waiver_min_members = 0             # >= this many members waives the floor; 0 = off
    waiver_unit_types = ["xa", "phuong"]
    allow_exceptions = false           # NQ 76 Art. 5(3): a < 3-member unit below the
                                       # orientation is listed for the Standing Committee
    centrally_run_city = false         # NQ 76 Art. 5(1)(c): wards of a centrally-run city
    name_style = "keep"                # | "seat" | "district_number" (NQ 76 Art. 7)
    notes = ["…"]                      # printed with every output

    [new_unit]
    mode = "own_standard"              # | "nq76_2025"
    population_pct = 100               # own_standard only
    area_pct = 100
    apply_special_factors = true
    is_assumption = true
    note = "…"                         # Vietnamese; note_en = English
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

DATA_FILE: Final[str] = "legal_standards.toml"
STANDARD_BASES: Final[tuple[str, ...]] = ("nq1211_2016", "nq112_2025")
MUST_ARRANGE_MODES: Final[tuple[str, ...]] = ("criteria", "below_new_unit_floor", "none")
ARRANGED_PERIODS: Final[tuple[str, ...]] = ("2019_2021", "2023_2025")
NEW_UNIT_MODES: Final[tuple[str, ...]] = ("own_standard", "nq76_2025")
COMBINES: Final[tuple[str, ...]] = ("all", "any")
NAME_STYLES: Final[tuple[str, ...]] = ("keep", "seat", "district_number")


@dataclass(frozen=True)
class Source:
    """Where a rule comes from.

    Attributes
    ----------
    rule : str
        Rule id, e.g. ``"standards.nq1211_2016.xa_other"``.
    article : str
        Article of the instrument, e.g. ``"NQ 1211/2016 Điều 3"``.
    url : str
        Public URL(s), separated by ``" ; "``.
    confidence : str
        ``primary``, ``cross-checked``, ``single``, ``unverified`` or ``assumption``.
    """

    rule: str
    article: str
    url: str
    confidence: str


@dataclass(frozen=True)
class StandardEntry:
    """One row of a standards table (population AND area minimum for one kind of unit)."""

    id: str
    unit_type: str
    case: str
    population_min: int
    area_min_km2: float
    article: str
    source: str
    confidence: str


@dataclass(frozen=True)
class SpecialFactors:
    """Art. 3a (NQ 27/2022) / NQ 112 special-factor reductions of the minimums.

    Population: a unit with ≥ ``ethnic_min_share_pct`` % ethnic-minority population (in a
    mountainous area when ``ethnic_requires_mountainous``) or on a national border needs
    ``ethnic_or_border_population_pct`` % of the normal minimum, minus
    ``extra_reduction_pct_per_10pct_more_ethnic`` per further full 10 % ethnic share, never
    below ``population_floor_pct`` %; a specially disadvantaged coastal xã needs
    ``coastal_disadvantaged_population_pct_of_other_xa`` % of the "other xã" minimum.
    Area: a Red River Delta unit needs ``red_river_delta_area_pct`` %. Only one reduction
    per standard: the most favourable applicable one.
    """

    applies_to: tuple[str, ...]
    ethnic_min_share_pct: float
    ethnic_requires_mountainous: bool
    ethnic_or_border_population_pct: float
    extra_reduction_pct_per_10pct_more_ethnic: float
    population_floor_pct: float
    coastal_disadvantaged_population_pct_of_other_xa: float
    red_river_delta_area_pct: float
    article: str
    source: str
    confidence: str


@dataclass(frozen=True)
class MustArrangeCriterion:
    """A unit must be arranged when its area and/or population is below a share of its standard.

    ``combine="all"`` (NQ 35/2023): area < ``area_lt_pct`` % AND population <
    ``population_lt_pct`` %. ``combine="any"`` (NQ 76/2025 Art. 2(3)): area OR population
    below. Strict inequalities.
    """

    id: str
    area_lt_pct: float
    population_lt_pct: float
    unit_types: tuple[str, ...]
    article: str
    source: str
    confidence: str
    combine: str = "all"


@dataclass(frozen=True)
class NewUnitCriteria:
    """How the floor of a *new* unit is computed.

    ``mode="own_standard"``: ``population_pct`` / ``area_pct`` of the standard of the new
    unit's kind (with special-factor reductions when ``apply_special_factors``).
    ``mode="nq76_2025"``: the NQ 76/2025 Art. 5(1) orientation table (``entries``).
    """

    mode: str
    population_pct: float
    area_pct: float
    apply_special_factors: bool
    is_assumption: bool
    note: str
    note_en: str
    entries: tuple[tuple[str, str, int, float, str], ...] = ()
    article: str = ""
    """Where the floor rule itself comes from, when it is not the standard's article (levels)."""
    """``(unit_type, case, population_min, area_min_km2, article)`` rows for nq76_2025."""


@dataclass(frozen=True)
class ExemptionGrounds:
    """Special factors a ruleset accepts for a user-declared exemption.

    Attributes
    ----------
    id : str
        Entry of ``[exemptions.*]`` in the legal data.
    article : str
    grounds : tuple of (str, str)
        ``(ground_id, Vietnamese description)`` of every accepted ground.
    accept_unclassified : bool
        Accept a declared reason that names none of the grounds (NQ 35/2023 legacy input).
    """

    id: str
    article: str
    grounds: tuple[tuple[str, str], ...]
    accept_unclassified: bool


@dataclass(frozen=True)
class Repeal:
    """A ruleset whose instrument is no longer in force."""

    article: str
    effective: dt.date
    source: str


@dataclass(frozen=True)
class Ruleset:
    """A named, frozen set of legal standards and parameters.

    Attributes
    ----------
    name, title, period : str
        Identification; ``period`` e.g. ``"2023-2025"``.
    standards_basis : str
        ``"nq1211_2016"`` (1211 as amended by 27/2022) or ``"nq112_2025"``.
    standards : tuple of StandardEntry
    special_factors : SpecialFactors
    must_arrange_mode : str
        ``criteria`` (use ``must_arrange``), ``below_new_unit_floor`` (a unit that cannot
        reach the new-unit floor alone must be merged) or ``none``.
    must_arrange : tuple of MustArrangeCriterion
    exempt_if_arranged_in : tuple of str
    exemption_article, exemption_source : str
        Article of the "already arranged" exemption.
    declared_exemption_article : str
        Article of the declared special-factor exemptions ("" when none is honoured).
    honour_declared_exemptions : bool
    exemption_grounds : ExemptionGrounds or None
    new_unit : NewUnitCriteria
    waiver_min_members : int
        A new unit with at least this many members is exempt from the floor; 0 = no waiver.
    waiver_unit_types : tuple of str
    waiver_article, waiver_note : str
    allow_exceptions : bool
        NQ 76/2025 Art. 5(3): a new unit of fewer than ``waiver_min_members`` members below
        the orientation is an exception listed for the Standing Committee (not a violation).
    exception_article : str
    allow_single_if_meets, singles_must_meet_floor, thi_tran_as_xa : bool
    centrally_run_city : bool
        NQ 76/2025 Art. 5(1)(c): wards lie in a centrally-run city (45,000 people).
    name_style : str
        Proposed names of new units: ``keep`` (the seat's name), ``seat`` (seat name with
        the new type, NQ 76 Art. 7) or ``district_number`` (old district + number).
    naming_article : str
    in_force_from, data_from, data_to : datetime.date or None
    repeal : Repeal or None
    notes, notes_en : tuple of str
        Printed with every output (the repeal first, then assumptions).
    sources : tuple of Source
    path : str
        The file this ruleset was read from.
    """

    name: str
    title: str
    period: str
    standards_basis: str
    standards: tuple[StandardEntry, ...]
    special_factors: SpecialFactors
    must_arrange_mode: str
    must_arrange: tuple[MustArrangeCriterion, ...]
    exempt_if_arranged_in: tuple[str, ...]
    exemption_article: str
    exemption_source: str
    declared_exemption_article: str
    honour_declared_exemptions: bool
    new_unit: NewUnitCriteria
    waiver_min_members: int
    waiver_unit_types: tuple[str, ...]
    waiver_article: str
    waiver_note: str
    allow_single_if_meets: bool
    singles_must_meet_floor: bool
    thi_tran_as_xa: bool
    exemption_grounds: ExemptionGrounds | None = None
    allow_exceptions: bool = False
    exception_article: str = ""
    centrally_run_city: bool = False
    name_style: str = "keep"
    naming_article: str = ""
    in_force_from: dt.date | None = None
    data_from: dt.date | None = None
    data_to: dt.date | None = None
    repeal: Repeal | None = None
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    path: str = field(default="", compare=False)

    @property
    def waiver_enabled(self) -> bool:
        """True when a ≥ ``waiver_min_members`` waiver is on."""
        return self.waiver_min_members > 0

    @property
    def repealed(self) -> bool:
        """True when the ruleset's instrument has been repealed."""
        return self.repeal is not None

    def standard_entry(self, unit_type: str, case: str) -> StandardEntry:
        """Return the standards row for ``unit_type`` / ``case``.

        Raises
        ------
        KeyError
            If the basis has no such row.
        """
        for e in self.standards:
            if e.unit_type == unit_type and e.case == case:
                return e
        raise KeyError(f"{self.standards_basis}: no standard for {unit_type}/{case}")


__all__ = [
    "ARRANGED_PERIODS",
    "COMBINES",
    "DATA_FILE",
    "MUST_ARRANGE_MODES",
    "NAME_STYLES",
    "NEW_UNIT_MODES",
    "STANDARD_BASES",
    "ExemptionGrounds",
    "MustArrangeCriterion",
    "NewUnitCriteria",
    "Repeal",
    "Ruleset",
    "Source",
    "SpecialFactors",
    "StandardEntry",
]
