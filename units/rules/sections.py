"""Parse the sections of a ruleset file (after ``extends`` and overrides are merged).

One parser per section (identity, standards, must-arrange, exemptions, waiver, kind and names,
new unit, notes); each appends every problem it finds to a shared list and returns what it
parsed, so :func:`sapxep.units.rules.loader.load_ruleset` reports a bad file in one
:class:`~sapxep.units.errors.RulesetError`. The keys are documented in
:mod:`sapxep.units.rules.model`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sapxep.units.choices import UNIT_TYPES
from sapxep.units.rules.model import (
    ARRANGED_PERIODS,
    COMBINES,
    MUST_ARRANGE_MODES,
    NAME_STYLES,
    NEW_UNIT_MODES,
    STANDARD_BASES,
    ExemptionGrounds,
    MustArrangeCriterion,
    NewUnitCriteria,
    Repeal,
    Source,
    SpecialFactors,
    StandardEntry,
)

Types = type | tuple[type, ...]
TOP_KEYS: dict[str, Types] = {
    "name": str, "extends": str, "title": str, "description": str, "standards": str,
    "period": str, "in_force_from": (str, dt.date), "data_from": (str, dt.date),
    "data_to": (str, dt.date), "repealed": str, "must_arrange_mode": str, "must_arrange": list,
    "exempt_if_arranged_in": list, "honour_declared_exemptions": bool, "exemptions": str,
    "singles_must_meet_floor": bool, "allow_single_if_meets": bool, "thi_tran_as_xa": bool,
    "waiver_min_members": int, "waiver_unit_types": list, "allow_exceptions": bool,
    "centrally_run_city": bool, "name_style": str, "notes": list, "new_unit": dict,
}  # fmt: skip
_NEW_UNIT_KEYS: dict[str, Types] = {
    "mode": str, "population_pct": (int, float), "area_pct": (int, float),
    "apply_special_factors": bool, "is_assumption": bool, "note": str, "note_en": str,
}  # fmt: skip
_CRITERION_KEYS: dict[str, Types] = {
    "id": str, "area_lt_pct": (int, float), "population_lt_pct": (int, float), "unit_types": list,
    "combine": str, "article": str, "source": str, "confidence": str, "period": str, "note": str,
}  # fmt: skip
Parsed = dict[str, Any]

# --------------------------------------------------------------------------- key checks


def suggest(key: str, allowed: Mapping[str, Any] | tuple[str, ...] | list[str]) -> str:
    """Return ``" (did you mean 'X'?)"`` for the closest allowed key, or ``""``."""
    close = difflib.get_close_matches(key, list(allowed), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _type_name(t: Types) -> str:
    names = {int: "integer", float: "number", str: "string", bool: "true/false", list: "list",
             dict: "table", dt.date: "date"}  # fmt: skip
    if isinstance(t, tuple):
        return "number" if set(t) == {int, float} else " or ".join(names.get(x, x.__name__) for x in t)
    return names.get(t, t.__name__)


def check_types(table: Mapping[str, Any], allowed: Mapping[str, Types], where: str,
                problems: list[str]) -> None:  # fmt: skip
    """Append a problem for every unknown key and every value of the wrong type in ``table``."""
    for key, value in table.items():
        if key not in allowed:
            problems.append(
                f"{where}{key}: unknown key{suggest(key, allowed)}; allowed: {', '.join(allowed)}"
            )
            continue
        t = allowed[key]
        # bool is an int subclass: reject true/false where a number is expected
        if (isinstance(value, bool) and t is not bool) or not isinstance(value, t):
            problems.append(f"{where}{key}: expected {_type_name(t)}, got {value!r}")


# --------------------------------------------------------------------------- section parsers


def typed_value(raw: Mapping[str, Any], key: str, default: Any) -> Any:
    """Return the value of ``key`` if it has the right type, else ``default``.

    Type problems are reported once, by the key check of :func:`parse_ruleset`.
    """
    v = raw.get(key, default)
    t = TOP_KEYS.get(key)
    return v if t is None or isinstance(v, t) else default


def _choice(raw: Mapping[str, Any], key: str, default: str, allowed: tuple[str, ...],
            problems: list[str]) -> str:  # fmt: skip
    v = typed_value(raw, key, default)
    if v not in allowed:
        problems.append(f"{key} = {v!r}: choose one of {', '.join(allowed)}{suggest(str(v), allowed)}")
        return default
    return str(v)


def _date(raw: Mapping[str, Any], key: str, problems: list[str]) -> dt.date | None:
    v = raw.get(key)
    if v is None or isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        problems.append(f"{key} = {v!r}: write a date as YYYY-MM-DD")
        return None


def _source(rule: str, e: Mapping[str, Any]) -> Source:
    return Source(rule, e["article"], e["source"], e["confidence"])


def _parse_identity(raw: Mapping[str, Any], path: str, data: Mapping[str, Any],
                    problems: list[str]) -> Parsed:  # fmt: skip
    name = str(typed_value(raw, "name", Path(path).stem))
    repeal_id = typed_value(raw, "repealed", "")
    repeal = None
    sources: list[Source] = []
    if repeal_id:
        rp = data["repeals"].get(repeal_id)
        if rp is None:
            problems.append(f"repealed = {repeal_id!r}: unknown{suggest(repeal_id, list(data['repeals']))}; "
                            f"known: {', '.join(data['repeals'])}")  # fmt: skip
        else:
            repeal = Repeal(rp["article"], rp["effective"], rp["source"])
            sources.append(_source(f"repeals.{repeal_id}", rp))
    return {
        "name": name, "title": str(typed_value(raw, "title", name)),
        "period": str(typed_value(raw, "period", "")),
        "in_force_from": _date(raw, "in_force_from", problems),
        "data_from": _date(raw, "data_from", problems), "data_to": _date(raw, "data_to", problems),
        "repeal": repeal, "_sources": sources,
    }  # fmt: skip


def _parse_standards(raw: Mapping[str, Any], data: Mapping[str, Any], problems: list[str]) -> Parsed:
    basis = _choice(raw, "standards", "nq1211_2016", STANDARD_BASES, problems)
    standards = tuple(
        StandardEntry(f"standards.{basis}.{k}", v["unit_type"], v["case"], int(v["population_min"]),
                      float(v["area_min_km2"]), v["article"], v["source"], v["confidence"])
        for k, v in data["standards"][basis].items()
    )  # fmt: skip
    sf = data["special_factors"][basis]
    special = SpecialFactors(
        applies_to=tuple(sf["applies_to"]),
        ethnic_min_share_pct=float(sf["ethnic_min_share_pct"]),
        ethnic_requires_mountainous=bool(sf["ethnic_requires_mountainous"]),
        ethnic_or_border_population_pct=float(sf["ethnic_or_border_population_pct"]),
        extra_reduction_pct_per_10pct_more_ethnic=float(sf["extra_reduction_pct_per_10pct_more_ethnic"]),
        population_floor_pct=float(sf["population_floor_pct"]),
        coastal_disadvantaged_population_pct_of_other_xa=float(sf["coastal_disadvantaged_population_pct_of_other_xa"]),
        red_river_delta_area_pct=float(sf["red_river_delta_area_pct"]),
        article=sf["article"], source=sf["source"], confidence=sf["confidence"],
    )  # fmt: skip
    sources = [Source(e.id, e.article, e.source, e.confidence) for e in standards]
    sources.append(_source(f"special_factors.{basis}", sf))
    return {"standards_basis": basis, "standards": standards, "special_factors": special, "_sources": sources}


def _criterion(
    i: int, item: Any, known: Mapping[str, Any], problems: list[str]
) -> MustArrangeCriterion | None:
    where = f"must_arrange[{i}]"
    if isinstance(item, str):
        if item not in known:
            problems.append(f"{where} = {item!r}: unknown rule id{suggest(item, list(known))}; known: "
                            f"{', '.join(known)}, or write an inline table {{id=…, area_lt_pct=…, "
                            "population_lt_pct=…, article=…, source=…}")  # fmt: skip
            return None
        c, cid, default_conf = known[item], item, "single"
    elif isinstance(item, dict):
        n0 = len(problems)
        check_types(item, _CRITERION_KEYS, f"{where}.", problems)
        problems.extend(f"{where}.{req}: missing (required in an inline rule)"
                        for req in ("id", "area_lt_pct", "population_lt_pct", "article", "source")
                        if req not in item)  # fmt: skip
        if len(problems) > n0:
            return None
        c, cid, default_conf = item, item["id"], "assumption"
    else:
        problems.append(f"{where}: expected a rule id or an inline table, got {item!r}")
        return None
    types = tuple(c.get("unit_types", UNIT_TYPES))
    bad = [t for t in types if t not in UNIT_TYPES]
    if bad:
        problems.append(f"{where}.unit_types: unknown {bad}; use {', '.join(UNIT_TYPES)}")
    for k in ("area_lt_pct", "population_lt_pct"):
        if float(c[k]) <= 0:
            problems.append(f"{where}.{k} = {c[k]}: must be > 0 (a percentage)")
    combine = c.get("combine", "all")
    if combine not in COMBINES:
        problems.append(f"{where}.combine = {combine!r}: use 'all' (area and population below) or 'any'")
        combine = "all"
    conf = c.get("confidence", default_conf)
    return MustArrangeCriterion(cid, float(c["area_lt_pct"]), float(c["population_lt_pct"]), types,
                                c["article"], c["source"], conf, combine)  # fmt: skip


def _parse_must_arrange(raw: Mapping[str, Any], data: Mapping[str, Any], problems: list[str]) -> Parsed:
    mode = _choice(raw, "must_arrange_mode", "criteria", MUST_ARRANGE_MODES, problems)
    known = data["must_arrange"]
    criteria = [c for i, item in enumerate(typed_value(raw, "must_arrange", []))
                if (c := _criterion(i, item, known, problems)) is not None]  # fmt: skip
    sources = [Source(f"must_arrange.{c.id}", c.article, c.source, c.confidence) for c in criteria]
    return {"must_arrange_mode": mode, "must_arrange": tuple(criteria) if mode == "criteria" else (),
            "_criteria": criteria, "_sources": sources}  # fmt: skip


def _parse_exemptions(raw: Mapping[str, Any], data: Mapping[str, Any], problems: list[str]) -> Parsed:
    periods = list(typed_value(raw, "exempt_if_arranged_in", []))
    bad = [p for p in periods if p not in ARRANGED_PERIODS]
    if bad:
        problems.append(f"exempt_if_arranged_in: unknown period(s) {bad}; use {', '.join(ARRANGED_PERIODS)}")
        periods = [p for p in periods if p in ARRANGED_PERIODS]
    ex = data["exemptions"]["nq35_already_arranged"]
    sources = [_source("exemptions.nq35_already_arranged", ex)] if periods else []
    honour = bool(typed_value(raw, "honour_declared_exemptions", True))
    gid = typed_value(raw, "exemptions", "nq35_special_factors")
    grounds_data = {k: v for k, v in data["exemptions"].items() if "grounds" in v}
    grounds = None
    if gid not in grounds_data:
        problems.append(f"exemptions = {gid!r}: unknown{suggest(gid, list(grounds_data))}; "
                        f"known: {', '.join(grounds_data)}")  # fmt: skip
    else:
        g = grounds_data[gid]
        grounds = ExemptionGrounds(gid, g["article"], tuple((k, v) for k, v in g["grounds"].items()),
                                   bool(g.get("accept_unclassified", False)))  # fmt: skip
        if honour:
            sources.append(_source(f"exemptions.{gid}", g))
    return {
        "exempt_if_arranged_in": tuple(periods), "exemption_article": ex["article"],
        "exemption_source": ex["source"], "honour_declared_exemptions": honour,
        "exemption_grounds": grounds,
        "declared_exemption_article": grounds.article if (grounds and honour) else "",
        "_sources": sources,
    }  # fmt: skip


def _nq76_entries(data: Mapping[str, Any]) -> tuple[list[tuple[str, str, int, float, str]], list[Source]]:
    entries, sources = [], []
    for k, e in data["new_unit"]["nq76_2025"].items():
        if "basis" in e:
            b_basis, b_id = e["basis"].split(".")
            b = data["standards"][b_basis][b_id]
            pop = round(b["population_min"] * e["population_pct"] / 100)
            area = round(b["area_min_km2"] * e["area_pct"] / 100, 6)
        else:
            pop, area = int(e["population_min"]), float(e["area_min_km2"])
        entries.append((e["unit_type"], e["case"], int(pop), float(area), e["article"]))
        sources.append(_source(f"new_unit.nq76_2025.{k}", e))
    return entries, sources


def _parse_new_unit(
    raw: Mapping[str, Any], data: Mapping[str, Any], basis: str, problems: list[str]
) -> Parsed:
    nu = typed_value(raw, "new_unit", {})
    check_types(nu, _NEW_UNIT_KEYS, "new_unit.", problems)
    mode = nu.get("mode", "own_standard")
    if mode not in NEW_UNIT_MODES:
        problems.append(f"new_unit.mode = {mode!r}: choose one of {', '.join(NEW_UNIT_MODES)}")
        mode = "own_standard"
    pcts: dict[str, float] = {}
    for k in ("population_pct", "area_pct"):
        v = nu.get(k, 100)
        v = 100 if isinstance(v, bool) or not isinstance(v, int | float) else v
        if v < 0:
            problems.append(f"new_unit.{k} = {v}: must be >= 0 (percent of the standard)")
        pcts[k] = float(v)
    entries: list[tuple[str, str, int, float, str]] = []
    sources: list[Source] = []
    if mode == "nq76_2025":
        entries, sources = _nq76_entries(data)
        if basis != "nq1211_2016":
            problems.append("new_unit.mode = 'nq76_2025' measures against the 1211/27 standard: "
                            "set standards = 'nq1211_2016'")  # fmt: skip

    def text(k: str) -> str:
        return nu.get(k, "") if isinstance(nu.get(k, ""), str) else ""

    criteria = NewUnitCriteria(mode, pcts["population_pct"], pcts["area_pct"],
                               bool(nu.get("apply_special_factors", True)),
                               bool(nu.get("is_assumption", mode == "own_standard")),
                               text("note"), text("note_en"), tuple(entries))  # fmt: skip
    return {"new_unit": criteria, "_sources": sources}


def _parse_waiver(raw: Mapping[str, Any], data: Mapping[str, Any], problems: list[str]) -> Parsed:
    wmin = typed_value(raw, "waiver_min_members", 0)
    if wmin < 0 or wmin == 1:
        problems.append(f"waiver_min_members = {wmin}: use 0 (no waiver) or an integer >= 2")
        wmin = 0
    wtypes = tuple(typed_value(raw, "waiver_unit_types", ["xa", "phuong"]))
    bad = [t for t in wtypes if t not in UNIT_TYPES]
    if bad:
        problems.append(f"waiver_unit_types: unknown {bad}; use {', '.join(UNIT_TYPES)}")
    wv = data["waivers"]["nq76_2025_three_units"]
    xc = data["exceptions"]["nq76_2025_below_orientation"]
    allow_exc = bool(typed_value(raw, "allow_exceptions", False))
    allow_exc = allow_exc and wmin > 0  # the exception covers units of fewer members than the waiver
    sources = [_source("waivers.nq76_2025_three_units", wv)] if wmin else []
    if allow_exc:
        sources.append(_source("exceptions.nq76_2025_below_orientation", xc))
    return {"waiver_min_members": int(wmin), "waiver_unit_types": wtypes, "waiver_article": wv["article"],
            "waiver_note": wv.get("scope_note", ""), "allow_exceptions": allow_exc,
            "exception_article": xc["article"], "_sources": sources}  # fmt: skip


def _parse_kind_and_names(raw: Mapping[str, Any], data: Mapping[str, Any], problems: list[str]) -> Parsed:
    out: Parsed = {
        "allow_single_if_meets": bool(typed_value(raw, "allow_single_if_meets", True)),
        "singles_must_meet_floor": bool(typed_value(raw, "singles_must_meet_floor", False)),
        "thi_tran_as_xa": bool(typed_value(raw, "thi_tran_as_xa", False)),
        "centrally_run_city": bool(typed_value(raw, "centrally_run_city", False)),
        "name_style": _choice(raw, "name_style", "keep", NAME_STYLES, problems),
    }
    sources: list[Source] = []
    if out["thi_tran_as_xa"]:
        sources.append(_source("unit_kind_rule.nq76_2025", data["unit_kind_rule"]["nq76_2025"]))
    nm = data["naming"]["nq76_2025"]
    out["naming_article"] = nm["article"] if out["name_style"] != "keep" else ""
    if out["name_style"] != "keep":
        sources.append(_source("naming.nq76_2025", nm))
    out["_sources"] = sources
    return out


def _notes(raw: Mapping[str, Any], parsed: Parsed, problems: list[str]) -> Parsed:
    user = typed_value(raw, "notes", [])
    if not all(isinstance(n, str) for n in user):
        problems.append("notes: expected a list of strings")
        user = []
    vi: list[str] = []
    en: list[str] = []
    rp: Repeal | None = parsed["repeal"]
    if rp is not None:
        day = rp.effective.strftime("%d/%m/%Y")
        vi.append(f"Bộ tiêu chuẩn này hết hiệu lực từ {day} (bãi bỏ bởi {rp.article}); "
                  "chỉ dùng để đối chiếu lịch sử.")  # fmt: skip
        en.append(f"This ruleset is no longer in force: repealed from {day} ({rp.article}); "
                  "use it for historical comparison only.")  # fmt: skip
    nu: NewUnitCriteria = parsed["new_unit"]
    vi += [n for n in (nu.note,) if n] + list(user)
    en += [n for n in (nu.note_en,) if n] + list(user)
    crit = [c for c in parsed["_criteria"] if c.confidence in ("assumption", "unverified")]
    if crit:
        ids = ", ".join(c.id for c in crit)
        vi.append(f"Tiêu chí phải sắp xếp {ids} là giả định hoặc chưa kiểm chứng được văn bản gốc.")
        en.append(f"Must-arrange criterion {ids} is an assumption or was not verified in the legal text.")
    return {"notes": tuple(dict.fromkeys(vi)), "notes_en": tuple(dict.fromkeys(en))}


# --------------------------------------------------------------------------- all sections


def parse_ruleset(raw: Mapping[str, Any], path: str, data: Mapping[str, Any], problems: list[str]) -> Parsed:
    """Check the keys of a merged ruleset file and parse every section.

    Parameters
    ----------
    raw : mapping
        The ruleset file merged over its ``extends`` parents (and overrides).
    path : str
        Where the file was read (its stem names a ruleset without ``name``).
    data : mapping
        The parsed ``legal_standards.toml``.
    problems : list of str
        Every problem found is appended here.

    Returns
    -------
    dict
        The :class:`~sapxep.units.rules.model.Ruleset` fields but ``sources`` and ``path``,
        plus ``_sources`` (every rule used, in order, possibly repeated) and ``_criteria``.
    """
    check_types(raw, TOP_KEYS, "", problems)
    parsed: Parsed = {"_sources": []}
    sections = (
        _parse_identity(raw, path, data, problems),
        _parse_standards(raw, data, problems),
        _parse_must_arrange(raw, data, problems),
        _parse_exemptions(raw, data, problems),
        _parse_waiver(raw, data, problems),
        _parse_kind_and_names(raw, data, problems),
    )
    for part in sections:
        parsed["_sources"] += part.pop("_sources")
        parsed.update(part)
    nu = _parse_new_unit(raw, data, parsed["standards_basis"], problems)
    parsed["_sources"] += nu.pop("_sources")
    parsed.update(nu)
    parsed.update(_notes(raw, parsed, problems))
    return parsed


__all__ = ["Parsed", "TOP_KEYS", "check_types", "parse_ruleset", "suggest", "typed_value"]
