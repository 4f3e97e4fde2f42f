"""Why a unit meets its standard or must be arranged, in words (the assessment's ``reason``).

:func:`unit_reason` writes the verdict of :func:`sapxep.units.assessment.assess_units` in
Vietnamese (default) or English, citing the articles: the measures against the standard, the
must-arrange criterion or new-unit floor that decided, then notes on special-factor reductions,
exemptions and terrain. Verdicts made without the population are explained by
:func:`sapxep.units.undetermined.doubt_reason`.
"""

from __future__ import annotations

from collections.abc import Callable

from sapxep.units.choices import Lang
from sapxep.units.rules import MustArrangeCriterion, Ruleset, article_en
from sapxep.units.rules.standards import Floor, Standard
from sapxep.units.wording import _area_label, _min_area_label, _pct_label, _pop_label, format_number

_REDUCTION_VI = {
    "ethnic_minority": "tỷ lệ người dân tộc thiểu số",
    "border": "có đường biên giới quốc gia",
    "coastal_disadvantaged": "xã đặc biệt khó khăn vùng bãi ngang, ven biển",
    "red_river_delta": "thuộc vùng Đồng bằng sông Hồng",
}
_REDUCTION_EN = {
    "ethnic_minority": "ethnic-minority share",
    "border": "national border",
    "coastal_disadvantaged": "specially disadvantaged coastal xã",
    "red_river_delta": "Red River Delta",
}


def _article_writer(lang: Lang) -> Callable[[str], str]:
    return (lambda t: t) if lang == "vi" else article_en


def _measure(area: float, pop: float, std: Standard, area_pct: float, pop_pct: float, lang: Lang) -> str:
    a = _area_label(area, lang)
    p = _pop_label(pop, lang)
    sa = _min_area_label(std.area_min_km2, lang)
    sp = _pop_label(std.population_min, lang)
    if lang == "vi":
        return (
            f"Diện tích {a} ({_pct_label(area_pct)} tiêu chuẩn {sa}) và dân số {p} "
            f"({_pct_label(pop_pct)} tiêu chuẩn {sp})"
        )
    return (
        f"Area {a} ({_pct_label(area_pct)} of the {sa} standard) and population {p} "
        f"({_pct_label(pop_pct)} of the {sp} standard)"
    )


def _criterion_verdict(
    measure: str, std: Standard, crit: MustArrangeCriterion, below: tuple[bool, bool], lang: Lang
) -> str:
    """The verdict of a must-arrange criterion that hit (``below`` = area, population below)."""
    vi = lang == "vi"
    art = _article_writer(lang)
    if crit.combine == "any":
        parts_vi, parts_en = [], []
        if below[0]:
            parts_vi.append(f"diện tích dưới {crit.area_lt_pct:g}%")
            parts_en.append(f"area below {crit.area_lt_pct:g}%")
        if below[1]:
            parts_vi.append(f"dân số dưới {crit.population_lt_pct:g}%")
            parts_en.append(f"population below {crit.population_lt_pct:g}%")
        return (
            f"{measure}: {' và '.join(parts_vi)} tiêu chuẩn ({art(std.article)}) — thuộc phạm vi "
            f"sắp xếp ({art(crit.article)})."
            if vi
            else f"{measure}: {' and '.join(parts_en)} of the standard ({art(std.article)}) — in "
            f"scope of the arrangement ({art(crit.article)})."
        )
    ap, pp = f"{crit.area_lt_pct:g}%", f"{crit.population_lt_pct:g}%"
    if vi:
        below_text = f"đều dưới {ap}" if ap == pp else f"lần lượt dưới {ap} và dưới {pp}"
        return f"{measure} {below_text} — thuộc diện phải sắp xếp ({art(crit.article)})."
    below_text = f"both below {ap}" if ap == pp else f"below {ap} and {pp} respectively"
    return f"{measure} are {below_text} — must be arranged ({art(crit.article)})."


def _floor_verdict(measure: str, must: bool, floor: Floor, lang: Lang) -> str:
    """The verdict against the new-unit floor (``below_new_unit_floor`` rulesets, NQ 76/2025)."""
    vi = lang == "vi"
    art = _article_writer(lang)
    fa = _min_area_label(floor.area_min_km2, lang)
    fp = format_number(floor.population_min, lang=lang)
    if must:
        return (
            f"{measure}; chưa đạt định hướng quy mô đơn vị sau sắp xếp ({fp} người, {fa}; "
            f"{art(floor.article)}) — phải sắp xếp với đơn vị khác."
            if vi
            else f"{measure}; below the size orientation for new units ({fp} people, {fa}; "
            f"{art(floor.article)}) — must be merged with other units."
        )
    return (
        f"{measure}; đạt định hướng quy mô đơn vị sau sắp xếp ({fp} người, {fa}; "
        f"{art(floor.article)}) — có thể giữ nguyên."
        if vi
        else f"{measure}; meets the size orientation for new units ({fp} people, {fa}; "
        f"{art(floor.article)}) — may stay as it is."
    )


def _standard_verdict(measure: str, meets: bool, std: Standard, ruleset: Ruleset, lang: Lang) -> str:
    """The verdict when no criterion hit: meets the standard, or below it but not in scope."""
    vi = lang == "vi"
    art = _article_writer(lang)
    arts = "; ".join(dict.fromkeys(c.article for c in ruleset.must_arrange))
    if meets and any(c.combine == "any" for c in ruleset.must_arrange):
        return (
            f"{measure} — đạt tiêu chuẩn ({art(std.article)}), không thuộc phạm vi sắp xếp "
            f"({art(arts)}); có thể giữ nguyên."
            if vi
            else f"{measure} — meets the standard ({art(std.article)}), not in scope of the "
            f"arrangement ({art(arts)}); may stay unchanged."
        )
    if meets:
        return (
            f"{measure} — đạt tiêu chuẩn ({art(std.article)})."
            if vi
            else f"{measure} — meets the standard ({art(std.article)})."
        )
    if arts:
        return (
            f"{measure} — chưa đạt tiêu chuẩn ({art(std.article)}) nhưng không thuộc diện phải "
            f"sắp xếp ({art(arts)})."
            if vi
            else f"{measure} — below the standard ({art(std.article)}) but not required to be "
            f"arranged ({art(arts)})."
        )
    return (
        f"{measure} — chưa đạt tiêu chuẩn ({art(std.article)})."
        if vi
        else f"{measure} — below the standard ({art(std.article)})."
    )


def _terrain_note(terrain: str, terrain_default: bool, terrain_proxy: str, lang: Lang) -> str:
    """Say where the terrain came from when it is not data (``""`` when it is)."""
    vi = lang == "vi"
    if terrain_default:
        return (
            "Địa hình: chưa có dữ liệu, dùng mặc định của bộ dữ liệu ("
            + ("miền núi" if terrain == "mountainous" else "đồng bằng")
            + ")."
            if vi
            else f"Terrain: no data, the dataset default ({terrain}) was used."
        )
    if terrain_proxy:
        conf_vi = {"medium": "trung bình", "low": "thấp"}.get(terrain_proxy, terrain_proxy)
        return (
            "Địa hình: "
            + ("miền núi" if terrain == "mountainous" else "đồng bằng")
            + f" theo nguồn gián tiếp (độ tin cậy {conf_vi}; không phải quyết định công nhận xã miền núi)."
            if vi
            else f"Terrain: {terrain} from a proxy source (confidence {terrain_proxy}; not an official "
            "recognition)."
        )
    return ""


def _notes(std: Standard, exempt_reason: str, rejected: str, lang: Lang) -> list[str]:
    """Notes after the verdict: special-factor reductions, exemption, rejected declared reason."""
    vi = lang == "vi"
    extra: list[str] = []
    if std.reductions:
        names = _REDUCTION_VI if vi else _REDUCTION_EN
        items = ", ".join(names.get(r, r) for r in std.reductions)
        extra.append(
            f"Tiêu chuẩn đã giảm theo yếu tố đặc thù: {items}."
            if vi
            else f"Standard reduced for special factors: {items}."
        )
    if exempt_reason:
        extra.append(
            f"Không bắt buộc sắp xếp: {exempt_reason}."
            if vi
            else f"Arrangement not mandatory: {exempt_reason}."
        )
    if rejected:
        extra.append(rejected)
    return extra


def unit_reason(
    *,
    lang: Lang,
    area: float,
    pop: float,
    std: Standard,
    area_pct: float,
    pop_pct: float,
    meets: bool,
    must: bool,
    crit: MustArrangeCriterion | None,
    crit_below: tuple[bool, bool],
    floor: Floor | None,
    ruleset: Ruleset,
    exempt_reason: str,
    rejected: str,
    terrain: str,
    terrain_default: bool,
    terrain_proxy: str = "",
) -> str:
    """Explain a unit's verdict in words, citing the articles.

    Parameters
    ----------
    lang : {"vi", "en"}
    area, pop : float
        The unit's area (km²) and population.
    std : Standard
        Its standard.
    area_pct, pop_pct : float
        Area and population in percent of the standard.
    meets, must : bool
        Meets its standard; must be arranged.
    crit : MustArrangeCriterion or None
        The must-arrange criterion that hit (``criteria`` rulesets).
    crit_below : tuple of (bool, bool)
        Whether the area and the population are below that criterion's percentages.
    floor : Floor or None
        The new-unit floor (``below_new_unit_floor`` rulesets).
    ruleset : Ruleset
    exempt_reason : str
        Why the unit is exempt (``""`` = not exempt).
    rejected : str
        Why a declared exemption reason was not accepted (``""`` = none).
    terrain : str
        ``mountainous`` or ``lowland``.
    terrain_default : bool
        The terrain is the dataset default (no data).
    terrain_proxy : str, default ""
        The confidence of a proxy terrain source (``""`` = not a proxy).

    Returns
    -------
    str
        The verdict sentence, then the notes, separated by spaces.
    """
    measure = _measure(area, pop, std, area_pct, pop_pct, lang)
    if crit is not None:
        verdict = _criterion_verdict(measure, std, crit, crit_below, lang)
    elif ruleset.must_arrange_mode == "below_new_unit_floor" and floor is not None:
        verdict = _floor_verdict(measure, must, floor, lang)
    else:
        verdict = _standard_verdict(measure, meets, std, ruleset, lang)
    extra = _notes(std, exempt_reason, rejected, lang)
    terrain_note = _terrain_note(terrain, terrain_default, terrain_proxy, lang)
    if terrain_note:
        extra.append(terrain_note)
    return " ".join([verdict, *extra])


__all__ = ["unit_reason"]
