"""Verdicts that cannot be made: suspect populations and standards with no verified number.

A verdict that would rest on a population the source flags as suspect, or on a standard for
which no number was found (``units/rules/levels/levels.toml``, ``confidence = "unverified"``),
is never made silently. :func:`undetermined` returns None when the ordinary verdict stands;
otherwise a :class:`Doubt` whose ``meets``/``must`` are decided from the area alone where the
area settles them (an area below the standard fails it whatever the population; an area below
the floor forces a merger), and None (open) where they are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sapxep.units.choices import Lang
from sapxep.units.rules import Ruleset, article_en
from sapxep.units.rules.existing_units import _flag, _get, is_below_pct
from sapxep.units.rules.standards import Floor, Standard
from sapxep.units.wording import _area_label, _min_area_label, _pop_label


@dataclass(frozen=True)
class Doubt:
    """Verdicts made without the population: True/False where the area decides, None = open."""

    meets: bool | None
    must: bool | None

    @property
    def determined(self) -> bool:
        """True when both verdicts are known."""
        return self.meets is not None and self.must is not None


def undetermined(
    area: float,
    std: Standard,
    ruleset: Ruleset,
    *,
    suspect: bool,
    floor: Floor | None,
    population_lower_bound: float | None = None,
) -> Doubt | None:
    """Return the verdicts that stand without the population, or None when nothing is in doubt.

    Parameters
    ----------
    area : float
        The unit's area, km².
    std : Standard
        Its standard (``verified`` False = no number for this kind of unit).
    ruleset : Ruleset
    suspect : bool
        The unit's population is flagged suspect.
    floor : Floor or None
        The new-unit floor (``below_new_unit_floor`` rulesets).
    population_lower_bound : float, optional
        A population the unit surely reaches (a district or province: the sum over its members
        whose population is not suspect). Verdicts this bound settles are made.

    Returns
    -------
    Doubt or None
    """
    if not std.verified:
        return Doubt(None, None)
    if not suspect:
        return None
    lb = population_lower_bound

    def pop_reaches(pct: float, minimum: float) -> bool:
        return lb is not None and round(lb * 100, 9) >= round(pct * minimum, 9)

    area_ok = round(area, 9) >= std.area_min_km2
    meets = False if not area_ok else (True if pop_reaches(100, std.population_min) else None)
    if ruleset.must_arrange_mode == "below_new_unit_floor" and floor is not None:
        if round(area, 9) < floor.area_min_km2 or not ruleset.allow_single_if_meets:
            return Doubt(meets, True)
        return Doubt(meets, False if pop_reaches(100, floor.population_min) else None)
    if ruleset.must_arrange_mode == "criteria":
        # per criterion: hit, not hit, or open (it depends on the unknown population)
        verdicts = []
        for c in ruleset.must_arrange:
            if std.unit_type not in c.unit_types:
                continue
            area_below = is_below_pct(area, c.area_lt_pct, std.area_min_km2)
            pop_not_below = pop_reaches(c.population_lt_pct, std.population_min)
            if getattr(c, "combine", "all") == "any":
                verdicts.append(True if area_below else (False if pop_not_below else None))
            else:
                verdicts.append(False if not area_below or pop_not_below else None)
        if any(v is True for v in verdicts):
            return Doubt(meets, True)
        return Doubt(meets, None if any(v is None for v in verdicts) else False)
    return Doubt(meets, False)


def _standard_verdict(rec: Mapping[str, Any], std: Standard, a: str, doubt: Doubt, lang: Lang) -> str:
    """Say what is known of the standard: met (population lower bound), failed by the area, or open."""
    vi = lang == "vi"
    art = (lambda t: t) if vi else article_en
    sa = _min_area_label(std.area_min_km2, lang)
    if doubt.meets is True:
        lb = _pop_label(float(_get(rec, "population_lower_bound", 0)), lang)
        return (
            f"Dân số chắc chắn đạt ít nhất {lb} (không tính phần nghi vấn), diện tích {a}: đạt tiêu "
            f"chuẩn ({art(std.article)})."
            if vi
            else f"The population surely reaches {lb} (suspect parts left out), area {a}: meets the "
            f"standard ({art(std.article)})."
        )
    if doubt.meets is False:
        return (
            f"Diện tích {a} dưới tiêu chuẩn {sa} ({art(std.article)}) — chưa đạt tiêu chuẩn."
            if vi
            else f"Area {a} is below the {sa} standard ({art(std.article)}) — below standard."
        )
    return (
        f"Diện tích {a} (tiêu chuẩn {sa}; {art(std.article)}); đạt tiêu chuẩn hay không: chưa xác định."
        if vi
        else f"Area {a} (standard {sa}; {art(std.article)}); whether it meets the standard: undetermined."
    )


def _must_verdict(doubt: Doubt, floor: Floor | None, ruleset: Ruleset, lang: Lang) -> str:
    """Say what is known of the must-arrange verdict (``""`` when it is known to be no)."""
    vi = lang == "vi"
    art = (lambda t: t) if vi else article_en
    if doubt.must is True:
        arts = art("; ".join(c.article for c in ruleset.must_arrange))
        if floor is not None:
            fa = _min_area_label(floor.area_min_km2, lang)
            limit = (
                f"định hướng {fa} ({art(floor.article)})"
                if vi
                else f"the {fa} orientation ({art(floor.article)})"
            )
        else:
            limit = f"mức phải sắp xếp ({arts})" if vi else f"the must-arrange level ({arts})"
        return (
            f"Diện tích dưới {limit} — phải sắp xếp dù dân số là bao nhiêu."
            if vi
            else f"The area is below {limit} — must be arranged whatever the population."
        )
    if doubt.must is None:
        return (
            "Có thuộc diện phải sắp xếp hay không: chưa xác định (phụ thuộc dân số)."
            if vi
            else "Whether it must be arranged: undetermined (depends on the population)."
        )
    return ""


def doubt_reason(
    rec: Mapping[str, Any],
    std: Standard,
    area: float,
    pop: float,
    doubt: Doubt,
    *,
    lang: Lang,
    floor: Floor | None,
    ruleset: Ruleset,
) -> str:
    """Explain a verdict made without the population (or without a verified standard).

    Returns
    -------
    str
        In Vietnamese (``lang="vi"``) or English; says what was not used, what the area
        settles, and how to supply the missing value.
    """
    vi = lang == "vi"
    art = (lambda t: t) if vi else article_en
    a, p = _area_label(area, lang), _pop_label(pop, lang)
    why = str(_get(rec, "population_suspect_reason", "") or "")
    flag = (
        f"Dân số {p} bị gắn cờ nghi vấn trong nguồn ({why or 'không rõ lý do'}), không dùng để đánh giá."
        if vi
        else f"Population {p} is flagged suspect in the source ({why or 'no reason given'}) and not used."
    )
    if not std.verified:
        text = (
            f"Diện tích {a}, dân số {p}. Chưa có tiêu chuẩn dân số, diện tích đã kiểm chứng cho loại "
            f"đơn vị này ({art(std.article)}) — chưa xác định; có thể khai báo trong tệp quy tắc."
            if vi
            else f"Area {a}, population {p}. No verified population/area standard for this kind of "
            f"unit ({art(std.article)}) — undetermined; a ruleset file may supply one."
        )
        return f"{text} {flag}" if _flag(rec, "population_suspect") else text
    parts = [flag, _standard_verdict(rec, std, a, doubt, lang)]
    must = _must_verdict(doubt, floor, ruleset, lang)
    if must:
        parts.append(must)
    parts.append(
        "Cung cấp dân số đúng bằng --attributes (tệp code,population)."
        if vi
        else "Supply the right population with --attributes (a code,population file)."
    )
    return " ".join(parts)
