"""Rulesets: named bundles of legal standards and parameters, loaded from TOML data files.

The legal numbers (standards, special factors, must-arrange criteria, new-unit
orientation, waivers), each with ``article``, ``source`` and ``confidence``, live in
``units/rules/legal_standards.toml``. A ruleset file (``nq35_2023.toml`` …, or a user
file) selects among them and sets parameters::

    name = "my_rules"                  # default: the file name
    extends = "nq76_2025"              # optional: a built-in name or a path
    title = "…"
    standards = "nq1211_2016"          # | "nq112_2025": basis of the per-unit standard
    period = "2025"
    must_arrange_mode = "criteria"     # | "below_new_unit_floor" | "none"
    must_arrange = ["nq35_p1_both_lt70", {id = "mine", area_lt_pct = 50,
                    population_lt_pct = 50, article = "…", source = "…"}]
    exempt_if_arranged_in = ["2019_2021"]   # values: "2019_2021", "2023_2025"
    honour_declared_exemptions = true  # units' exemption_reason / --exemptions
    singles_must_meet_floor = false    # must a unit left alone reach the new-unit floor?
    allow_single_if_meets = true       # may a unit meeting the floor stay alone?
    thi_tran_as_xa = false             # a thị trấn seat gives a xã (NQ 76 / NQ 112)
    waiver_min_members = 0             # >= this many members waives the floor; 0 = off
    waiver_unit_types = ["xa", "phuong"]
    phuong_context = "other"           # | "centrally_run_city" | "mountainous_border_province"
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

import difflib
import functools
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

from sapxep.units.choices import UNIT_TYPES
from sapxep.units.errors import RulesetError

logger = logging.getLogger(__name__)

DATA_FILE: Final[str] = "legal_standards.toml"
STANDARD_BASES: Final[tuple[str, ...]] = ("nq1211_2016", "nq112_2025")
MUST_ARRANGE_MODES: Final[tuple[str, ...]] = ("criteria", "below_new_unit_floor", "none")
ARRANGED_PERIODS: Final[tuple[str, ...]] = ("2019_2021", "2023_2025")
NEW_UNIT_MODES: Final[tuple[str, ...]] = ("own_standard", "nq76_2025")
PHUONG_CONTEXTS: Final[tuple[str, ...]] = (
    "other",
    "centrally_run_city",
    "mountainous_border_province",
)

_TOP_KEYS: Final[dict[str, type | tuple[type, ...]]] = {
    "name": str,
    "extends": str,
    "title": str,
    "description": str,
    "standards": str,
    "period": str,
    "must_arrange_mode": str,
    "must_arrange": list,
    "exempt_if_arranged_in": list,
    "honour_declared_exemptions": bool,
    "singles_must_meet_floor": bool,
    "allow_single_if_meets": bool,
    "thi_tran_as_xa": bool,
    "waiver_min_members": int,
    "waiver_unit_types": list,
    "phuong_context": str,
    "notes": list,
    "new_unit": dict,
}
_NEW_UNIT_KEYS: Final[dict[str, type | tuple[type, ...]]] = {
    "mode": str,
    "population_pct": (int, float),
    "area_pct": (int, float),
    "apply_special_factors": bool,
    "is_assumption": bool,
    "note": str,
    "note_en": str,
}
_CRITERION_KEYS: Final[dict[str, type | tuple[type, ...]]] = {
    "id": str,
    "area_lt_pct": (int, float),
    "population_lt_pct": (int, float),
    "unit_types": list,
    "article": str,
    "source": str,
    "confidence": str,
    "period": str,
    "note": str,
}


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
        ``primary``, ``cross-checked``, ``single`` or ``assumption``.
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
    """A unit must be arranged when area < ``area_lt_pct`` % AND population < ``population_lt_pct`` %
    of its own standard (strict inequalities)."""

    id: str
    area_lt_pct: float
    population_lt_pct: float
    unit_types: tuple[str, ...]
    article: str
    source: str
    confidence: str


@dataclass(frozen=True)
class NewUnitCriteria:
    """How the floor of a *new* unit is computed.

    ``mode="own_standard"``: ``population_pct`` / ``area_pct`` of the standard of the seat's
    kind (with special-factor reductions when ``apply_special_factors``).
    ``mode="nq76_2025"``: the NQ 76/2025 Art. 5 orientation table (``entries``).
    """

    mode: str
    population_pct: float
    area_pct: float
    apply_special_factors: bool
    is_assumption: bool
    note: str
    note_en: str
    entries: tuple[tuple[str, str, int, float, str], ...] = ()
    """``(unit_type, case, population_min, area_min_km2, article)`` rows for nq76_2025."""


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
        The standards table of that basis.
    special_factors : SpecialFactors
        Reductions for special factors under that basis.
    must_arrange_mode : str
        ``criteria`` (use ``must_arrange``), ``below_new_unit_floor`` (a unit that cannot
        reach the new-unit floor alone must be merged) or ``none``.
    must_arrange : tuple of MustArrangeCriterion
    exempt_if_arranged_in : tuple of str
        Exemption periods: units arranged in these periods are exempt.
    exemption_article, exemption_source, declared_exemption_article : str
    honour_declared_exemptions : bool
    new_unit : NewUnitCriteria
    waiver_min_members : int
        A new unit with at least this many members is exempt from the floor; 0 = no waiver.
    waiver_unit_types : tuple of str
        Kinds of new unit the waiver covers.
    waiver_article, waiver_note : str
    allow_single_if_meets : bool
        A unit already meeting the new-unit criteria may stay alone.
    singles_must_meet_floor : bool
        A unit left alone must meet the new-unit criteria (2025: every unit was in scope).
    thi_tran_as_xa : bool
        A new unit with a thị trấn seat is a xã.
    phuong_context : str
        Default NQ 76 phường row (a ``phuong_context`` column in the units table overrides it).
    notes : tuple of str
        Assumptions and UNVERIFIED points to print with every output.
    sources : tuple of Source
        Every rule used, with article, URL and confidence.
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
    phuong_context: str
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    path: str = field(default="", compare=False)

    @property
    def waiver_enabled(self) -> bool:
        """True when a ≥ ``waiver_min_members`` waiver is on."""
        return self.waiver_min_members > 0

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


# --------------------------------------------------------------------------- loading


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
        raise RulesetError(
            f"{path}: not valid TOML", [f"{exc}: fix the syntax (see units/rules/nq76_2025.toml)"]
        ) from None
    except OSError as exc:
        raise RulesetError(f"cannot read ruleset {path}", [str(exc)]) from None


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


def _suggest(key: str, allowed: Mapping[str, Any] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {int: "integer", float: "number", str: "string", bool: "true/false", list: "list",
             dict: "table"}  # fmt: skip
    if isinstance(t, tuple):
        return "number" if set(t) == {int, float} else " or ".join(names.get(x, x.__name__) for x in t)
    return names.get(t, t.__name__)


def _check_types(
    table: Mapping[str, Any],
    allowed: Mapping[str, type | tuple[type, ...]],
    where: str,
    problems: list[str],
) -> None:
    for key, value in table.items():
        if key not in allowed:
            problems.append(
                f"{where}{key}: unknown key{_suggest(key, allowed)}; allowed: {', '.join(allowed)}"
            )
            continue
        t = allowed[key]
        # bool is an int subclass: reject true/false where a number is expected
        bad_bool = isinstance(value, bool) and (t is not bool)
        if bad_bool or not isinstance(value, t):
            problems.append(f"{where}{key}: expected {_type_name(t)}, got {value!r}")


def _resolve_chain(
    name_or_path: str | Path, problems: list[str], seen: tuple[str, ...] = ()
) -> tuple[dict[str, Any], str]:
    """Read a ruleset file and merge it over its ``extends`` parents."""
    text = str(name_or_path)
    builtins = list_rulesets()
    if text in builtins:
        path = rules_dir() / f"{text}.toml"
    else:
        path = Path(text)
        if path.suffix.lower() != ".toml" and not path.exists():
            raise RulesetError(
                f"unknown ruleset '{text}'",
                [f"choose one of: {', '.join(builtins)}, or give a .toml ruleset file"
                 f"{_suggest(text, tuple(builtins))}"],
            )  # fmt: skip
    key = str(path.resolve())
    if key in seen:
        raise RulesetError(
            f"{path}: 'extends' loops back to itself",
            [f"extends chain {' -> '.join(seen + (key,))}: remove one 'extends'"],
        )
    raw = _read_toml(path, text)
    raw.setdefault("name", path.stem)
    parent = raw.get("extends")
    if parent is None:
        return raw, str(path)
    if not isinstance(parent, str):
        problems.append(f"extends: expected a ruleset name or path (string), got {parent!r}")
        return raw, str(path)
    if parent not in builtins:
        ppath = Path(parent)
        if not ppath.is_absolute():
            ppath = path.parent / ppath
        if not ppath.exists():
            problems.append(
                f"extends = {parent!r}: no such ruleset{_suggest(parent, tuple(builtins))}; "
                f"use one of {', '.join(builtins)} or a path to a .toml file"
            )
            return raw, str(path)
        parent = str(ppath)
    base, _ = _resolve_chain(parent, problems, seen + (key,))
    merged = {k: v for k, v in base.items() if k != "extends"}
    for k, v in raw.items():
        if k == "new_unit" and isinstance(v, dict) and isinstance(merged.get(k), dict):
            merged[k] = {**merged[k], **v}
        elif k != "extends":
            merged[k] = v
    return merged, str(path)


def load_ruleset(name_or_path: str | Path) -> Ruleset:
    """Load a built-in ruleset by name, or a user ruleset from a TOML file.

    Parameters
    ----------
    name_or_path : str or Path
        ``"nq35_2023"``, ``"nq35_2026"``, ``"nq76_2025"``, ``"nq112_2026"`` or a path to a
        ``.toml`` file (which may ``extends = "<name or path>"`` and override parameters).

    Returns
    -------
    Ruleset

    Raises
    ------
    RulesetError
        Unknown name, unreadable file, or every problem found in the file (unknown keys,
        wrong types, invalid choices, unknown rule ids), each naming the key and the fix.
    """
    if isinstance(name_or_path, str) and name_or_path in list_rulesets():
        return _load_builtin(name_or_path)
    return _load(name_or_path)


@functools.lru_cache(maxsize=16)
def _load_builtin(name: str) -> Ruleset:
    # built-in files ship with the package: a frozen Ruleset can be shared
    return _load(name)


def _load(name_or_path: str | Path) -> Ruleset:
    problems: list[str] = []
    raw, path = _resolve_chain(name_or_path, problems)
    where = ""
    _check_types(raw, _TOP_KEYS, where, problems)
    data = legal_data()

    def get(key: str, default: Any) -> Any:
        v = raw.get(key, default)
        t = _TOP_KEYS.get(key)
        if t is not None and not isinstance(v, t):
            return default
        return v

    name = str(get("name", Path(path).stem))
    basis = get("standards", "nq1211_2016")
    if basis not in STANDARD_BASES:
        problems.append(
            f"standards = {basis!r}: choose one of {', '.join(STANDARD_BASES)}"
            + _suggest(str(basis), STANDARD_BASES)
        )
        basis = "nq1211_2016"
    std_tbl = data["standards"][basis]
    standards = tuple(
        StandardEntry(
            id=f"standards.{basis}.{k}",
            unit_type=v["unit_type"],
            case=v["case"],
            population_min=int(v["population_min"]),
            area_min_km2=float(v["area_min_km2"]),
            article=v["article"],
            source=v["source"],
            confidence=v["confidence"],
        )
        for k, v in std_tbl.items()
    )
    sf = data["special_factors"][basis]
    special = SpecialFactors(
        applies_to=tuple(sf["applies_to"]),
        ethnic_min_share_pct=float(sf["ethnic_min_share_pct"]),
        ethnic_requires_mountainous=bool(sf["ethnic_requires_mountainous"]),
        ethnic_or_border_population_pct=float(sf["ethnic_or_border_population_pct"]),
        extra_reduction_pct_per_10pct_more_ethnic=float(sf["extra_reduction_pct_per_10pct_more_ethnic"]),
        population_floor_pct=float(sf["population_floor_pct"]),
        coastal_disadvantaged_population_pct_of_other_xa=float(
            sf["coastal_disadvantaged_population_pct_of_other_xa"]
        ),
        red_river_delta_area_pct=float(sf["red_river_delta_area_pct"]),
        article=sf["article"],
        source=sf["source"],
        confidence=sf["confidence"],
    )
    sources = [Source(e.id, e.article, e.source, e.confidence) for e in standards]
    sources.append(Source(f"special_factors.{basis}", special.article, special.source,
                          special.confidence))  # fmt: skip

    mode = get("must_arrange_mode", "criteria")
    if mode not in MUST_ARRANGE_MODES:
        problems.append(f"must_arrange_mode = {mode!r}: choose one of {', '.join(MUST_ARRANGE_MODES)}")
        mode = "none"
    criteria: list[MustArrangeCriterion] = []
    known = data["must_arrange"]
    for i, item in enumerate(get("must_arrange", [])):
        if isinstance(item, str):
            if item not in known:
                problems.append(
                    f"must_arrange[{i}] = {item!r}: unknown rule id{_suggest(item, known)}; "
                    f"known: {', '.join(known)}, or write an inline table "
                    "{id=…, area_lt_pct=…, population_lt_pct=…, article=…, source=…}"
                )
                continue
            c = known[item]
            cid = item
        elif isinstance(item, dict):
            n0 = len(problems)
            _check_types(item, _CRITERION_KEYS, f"must_arrange[{i}].", problems)
            for req in ("id", "area_lt_pct", "population_lt_pct", "article", "source"):
                if req not in item:
                    problems.append(f"must_arrange[{i}].{req}: missing (required in an inline rule)")
            if len(problems) > n0:
                continue
            c = item
            cid = item["id"]
        else:
            problems.append(f"must_arrange[{i}]: expected a rule id or an inline table, got {item!r}")
            continue
        types = tuple(c.get("unit_types", UNIT_TYPES))
        bad_types = [t for t in types if t not in UNIT_TYPES]
        if bad_types:
            problems.append(f"must_arrange[{i}].unit_types: unknown {bad_types}; use {', '.join(UNIT_TYPES)}")
        for k in ("area_lt_pct", "population_lt_pct"):
            if float(c[k]) <= 0:
                problems.append(f"must_arrange[{i}].{k} = {c[k]}: must be > 0 (a percentage)")
        crit = MustArrangeCriterion(
            id=cid,
            area_lt_pct=float(c["area_lt_pct"]),
            population_lt_pct=float(c["population_lt_pct"]),
            unit_types=types,
            article=c["article"],
            source=c["source"],
            confidence=c.get("confidence", "assumption" if isinstance(item, dict) else "single"),
        )
        criteria.append(crit)
        sources.append(Source(f"must_arrange.{cid}", crit.article, crit.source, crit.confidence))
    if mode == "criteria" and not criteria and "must_arrange" in raw:
        logger.info("ruleset %s: must_arrange_mode='criteria' with no criteria", name)

    periods = get("exempt_if_arranged_in", [])
    bad_periods = [p for p in periods if p not in ARRANGED_PERIODS]
    if bad_periods:
        problems.append(
            f"exempt_if_arranged_in: unknown period(s) {bad_periods}; use {', '.join(ARRANGED_PERIODS)}"
        )
        periods = [p for p in periods if p in ARRANGED_PERIODS]
    ex = data["exemptions"]["nq35_already_arranged"]
    exd = data["exemptions"]["nq35_special_factors"]
    if periods:
        sources.append(Source("exemptions.nq35_already_arranged", ex["article"], ex["source"],
                              ex["confidence"]))  # fmt: skip
    if get("honour_declared_exemptions", True):
        sources.append(Source("exemptions.nq35_special_factors", exd["article"], exd["source"],
                              exd["confidence"]))  # fmt: skip

    nu_raw = get("new_unit", {})
    _check_types(nu_raw, _NEW_UNIT_KEYS, "new_unit.", problems)
    nu_mode = nu_raw.get("mode", "own_standard")
    if nu_mode not in NEW_UNIT_MODES:
        problems.append(f"new_unit.mode = {nu_mode!r}: choose one of {', '.join(NEW_UNIT_MODES)}")
        nu_mode = "own_standard"
    pcts: dict[str, float] = {}
    for k in ("population_pct", "area_pct"):
        v = nu_raw.get(k, 100)
        if isinstance(v, bool) or not isinstance(v, int | float):
            v = 100
        if v < 0:
            problems.append(f"new_unit.{k} = {v}: must be >= 0 (percent of the standard)")
        pcts[k] = float(v)
    entries: list[tuple[str, str, int, float, str]] = []
    if nu_mode == "nq76_2025":
        for k, e in data["new_unit"]["nq76_2025"].items():
            if "basis" in e:
                b_basis, b_id = e["basis"].split(".")
                b = data["standards"][b_basis][b_id]
                pop = round(b["population_min"] * e["population_pct"] / 100)
                area = round(b["area_min_km2"] * e["area_pct"] / 100, 6)
            else:
                pop, area = int(e["population_min"]), float(e["area_min_km2"])
            entries.append((e["unit_type"], e["case"], int(pop), float(area), e["article"]))
            sources.append(Source(f"new_unit.nq76_2025.{k}", e["article"], e["source"],
                                  e["confidence"]))  # fmt: skip
        if basis != "nq1211_2016":
            problems.append(
                "new_unit.mode = 'nq76_2025' measures against the 1211/27 standard: "
                "set standards = 'nq1211_2016'"
            )
    note = nu_raw.get("note", "") if isinstance(nu_raw.get("note", ""), str) else ""
    note_en = nu_raw.get("note_en", "") if isinstance(nu_raw.get("note_en", ""), str) else ""
    is_assumption = bool(nu_raw.get("is_assumption", nu_mode == "own_standard"))
    new_unit = NewUnitCriteria(
        mode=nu_mode,
        population_pct=pcts["population_pct"],
        area_pct=pcts["area_pct"],
        apply_special_factors=bool(nu_raw.get("apply_special_factors", True)),
        is_assumption=is_assumption,
        note=note,
        note_en=note_en,
        entries=tuple(entries),
    )

    waiver_min = get("waiver_min_members", 0)
    if waiver_min < 0 or waiver_min == 1:
        problems.append(f"waiver_min_members = {waiver_min}: use 0 (no waiver) or an integer >= 2")
        waiver_min = 0
    wtypes = tuple(get("waiver_unit_types", ["xa", "phuong"]))
    bad_w = [t for t in wtypes if t not in UNIT_TYPES]
    if bad_w:
        problems.append(f"waiver_unit_types: unknown {bad_w}; use {', '.join(UNIT_TYPES)}")
    wv = data["waivers"]["nq76_2025_three_units"]
    if waiver_min:
        sources.append(Source("waivers.nq76_2025_three_units", wv["article"], wv["source"],
                              wv["confidence"]))  # fmt: skip
    pctx = get("phuong_context", "other")
    if pctx not in PHUONG_CONTEXTS:
        problems.append(
            f"phuong_context = {pctx!r}: choose one of {', '.join(PHUONG_CONTEXTS)}"
            f"{_suggest(str(pctx), PHUONG_CONTEXTS)}"
        )
        pctx = "other"
    if get("thi_tran_as_xa", False):
        kr = data["unit_kind_rule"]["nq76_2025"]
        sources.append(Source("unit_kind_rule.nq76_2025", kr["article"], kr["source"],
                              kr["confidence"]))  # fmt: skip

    user_notes = get("notes", [])
    if not all(isinstance(n, str) for n in user_notes):
        problems.append("notes: expected a list of strings")
        user_notes = []
    notes = [n for n in (new_unit.note,) if n] + list(user_notes)
    notes_en = [n for n in (new_unit.note_en,) if n] + list(user_notes)
    if any(c.confidence == "assumption" for c in criteria):
        ids = ", ".join(c.id for c in criteria if c.confidence == "assumption")
        notes.append(f"Tiêu chí phải sắp xếp {ids} là giả định, không phải quy định pháp luật.")
        notes_en.append(f"Must-arrange criterion {ids} is an assumption, not a legal rule.")
    if waiver_min and set(wtypes) != {"phuong"}:
        notes.append(f"Miễn xét tiêu chuẩn khi hợp nhất từ {waiver_min} đơn vị trở lên áp dụng cho "
                     f"{', '.join(wtypes)}; phạm vi với xã chưa được kiểm chứng (UNVERIFIED).")  # fmt: skip
        notes_en.append(f"Waiver for >= {waiver_min} merged units applies to {', '.join(wtypes)}; "
                        "whether it covers xã is UNVERIFIED.")  # fmt: skip
    # de-duplicate while keeping order
    notes = list(dict.fromkeys(notes))
    notes_en = list(dict.fromkeys(notes_en))

    if problems:
        raise RulesetError(
            f"ruleset {path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", problems
        )
    rs = Ruleset(
        name=name,
        title=str(get("title", name)),
        period=str(get("period", "")),
        standards_basis=basis,
        standards=standards,
        special_factors=special,
        must_arrange_mode=mode,
        must_arrange=tuple(criteria) if mode == "criteria" else (),
        exempt_if_arranged_in=tuple(periods),
        exemption_article=ex["article"],
        exemption_source=ex["source"],
        declared_exemption_article=(exd["article"] if any(c.id.startswith("nq35") for c in criteria) else ""),
        honour_declared_exemptions=bool(get("honour_declared_exemptions", True)),
        new_unit=new_unit,
        waiver_min_members=int(waiver_min),
        waiver_unit_types=wtypes,
        waiver_article=wv["article"],
        waiver_note=wv["scope_note"],
        allow_single_if_meets=bool(get("allow_single_if_meets", True)),
        singles_must_meet_floor=bool(get("singles_must_meet_floor", False)),
        thi_tran_as_xa=bool(get("thi_tran_as_xa", False)),
        phuong_context=pctx,
        notes=tuple(notes),
        notes_en=tuple(notes_en),
        sources=tuple(dict.fromkeys(sources)),
        path=path,
    )
    logger.info("loaded ruleset %s from %s", rs.name, path)
    return rs
