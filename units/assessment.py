"""Per-unit assessment: standard, percentages, must-arrange status and exemptions, in words.

``assess_units(units, ruleset)`` measures every unit against its own standard
(:func:`sapxep.units.rules.unit_standard`), applies the ruleset's must-arrange criteria
(strict ``<``, e.g. NQ 35/2023: area < 70 % AND population < 70 %) and exemptions, and
explains each verdict in Vietnamese (default) or English, citing the article.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from sapxep.units.choices import Lang
from sapxep.units.errors import DataValidationError, format_codes
from sapxep.units.rules import Ruleset, article_en, new_unit_floor, unit_standard
from sapxep.units.rules.existing_units import _flag, _get
from sapxep.units.rules.standards import KNOWN_UNIT_TYPES, Floor, Standard
from sapxep.units.undetermined import doubt_reason, undetermined
from sapxep.units.wording import _area_label, _min_area_label, _pct_label, _pop_label, format_number

logger = logging.getLogger(__name__)


ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "code", "name", "unit_type", "terrain", "terrain_source", "area_km2", "area_source",
    "population", "area_min_km2", "population_min", "area_pct", "population_pct",
    "meets_standard", "must_arrange", "must_arrange_rule", "exempt", "exempt_reason",
    "standard_article", "reason", "population_suspect", "determined", "standard",
)  # fmt: skip

_REQUIRED = ("code", "unit_type", "area_km2", "population")
_DEFAULT_TERRAIN = "lowland"

_PERIOD_LABEL = {"2019_2021": "2019–2021", "2023_2025": "2023–2025"}
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


def _below(value: float, pct: float, minimum: float) -> bool:
    # strict: value/minimum*100 < pct, written without division (rounded to 9 decimals so
    # that a value typed as exactly 70 % is not "below")
    return round(value * 100, 9) < round(pct * minimum, 9)


def _criterion_hit(area: float, pop: float, std: Standard, ruleset: Ruleset, utype: str) -> Any:
    for c in ruleset.must_arrange:
        if utype not in c.unit_types:
            continue
        a = _below(area, c.area_lt_pct, std.area_min_km2)
        p = _below(pop, c.population_lt_pct, std.population_min)
        if (a or p) if c.combine == "any" else (a and p):
            return c
    return None


# --------------------------------------------------------------------------- reasons


def _reason(
    *,
    lang: Lang,
    area: float,
    pop: float,
    std: Standard,
    area_pct: float,
    pop_pct: float,
    meets: bool,
    must: bool,
    crit: Any,
    floor: Floor | None,
    ruleset: Ruleset,
    exempt_reason: str,
    rejected: str,
    terrain: str,
    terrain_default: bool,
    terrain_proxy: str = "",
) -> str:
    vi = lang == "vi"
    art = (lambda t: t) if vi else article_en
    a = _area_label(area, lang)
    p = _pop_label(pop, lang)
    sa = _min_area_label(std.area_min_km2, lang)
    sp = _pop_label(std.population_min, lang)
    if vi:
        measure = (
            f"Diện tích {a} ({_pct_label(area_pct)} tiêu chuẩn {sa}) và dân số {p} "
            f"({_pct_label(pop_pct)} tiêu chuẩn {sp})"
        )
    else:
        measure = (
            f"Area {a} ({_pct_label(area_pct)} of the {sa} standard) and population {p} "
            f"({_pct_label(pop_pct)} of the {sp} standard)"
        )
    if crit is not None and crit.combine == "any":
        parts_vi, parts_en = [], []
        if _below(area, crit.area_lt_pct, std.area_min_km2):
            parts_vi.append(f"diện tích dưới {crit.area_lt_pct:g}%")
            parts_en.append(f"area below {crit.area_lt_pct:g}%")
        if _below(pop, crit.population_lt_pct, std.population_min):
            parts_vi.append(f"dân số dưới {crit.population_lt_pct:g}%")
            parts_en.append(f"population below {crit.population_lt_pct:g}%")
        verdict = (
            f"{measure}: {' và '.join(parts_vi)} tiêu chuẩn ({art(std.article)}) — thuộc phạm vi "
            f"sắp xếp ({art(crit.article)})."
            if vi
            else f"{measure}: {' and '.join(parts_en)} of the standard ({art(std.article)}) — in "
            f"scope of the arrangement ({art(crit.article)})."
        )
    elif crit is not None:
        ap, pp = f"{crit.area_lt_pct:g}%", f"{crit.population_lt_pct:g}%"
        if vi:
            below = f"đều dưới {ap}" if ap == pp else f"lần lượt dưới {ap} và dưới {pp}"
            verdict = f"{measure} {below} — thuộc diện phải sắp xếp ({art(crit.article)})."
        else:
            below = f"both below {ap}" if ap == pp else f"below {ap} and {pp} respectively"
            verdict = f"{measure} are {below} — must be arranged ({art(crit.article)})."
    elif ruleset.must_arrange_mode == "below_new_unit_floor" and floor is not None:
        fa = _min_area_label(floor.area_min_km2, lang)
        fp = format_number(floor.population_min, lang=lang)
        if must:
            verdict = (
                f"{measure}; chưa đạt định hướng quy mô đơn vị sau sắp xếp ({fp} người, {fa}; "
                f"{art(floor.article)}) — phải sắp xếp với đơn vị khác."
                if vi
                else f"{measure}; below the size orientation for new units ({fp} people, {fa}; "
                f"{art(floor.article)}) — must be merged with other units."
            )
        else:
            verdict = (
                f"{measure}; đạt định hướng quy mô đơn vị sau sắp xếp ({fp} người, {fa}; "
                f"{art(floor.article)}) — có thể giữ nguyên."
                if vi
                else f"{measure}; meets the size orientation for new units ({fp} people, {fa}; "
                f"{art(floor.article)}) — may stay as it is."
            )
    else:
        arts = "; ".join(dict.fromkeys(c.article for c in ruleset.must_arrange))
        if meets and any(c.combine == "any" for c in ruleset.must_arrange):
            verdict = (
                f"{measure} — đạt tiêu chuẩn ({art(std.article)}), không thuộc phạm vi sắp xếp "
                f"({art(arts)}); có thể giữ nguyên."
                if vi
                else f"{measure} — meets the standard ({art(std.article)}), not in scope of the "
                f"arrangement ({art(arts)}); may stay unchanged."
            )
        elif meets:
            verdict = (
                f"{measure} — đạt tiêu chuẩn ({art(std.article)})."
                if vi
                else f"{measure} — meets the standard ({art(std.article)})."
            )
        elif arts:
            verdict = (
                f"{measure} — chưa đạt tiêu chuẩn ({art(std.article)}) nhưng không thuộc diện phải "
                f"sắp xếp ({art(arts)})."
                if vi
                else f"{measure} — below the standard ({art(std.article)}) but not required to be "
                f"arranged ({art(arts)})."
            )
        else:
            verdict = (
                f"{measure} — chưa đạt tiêu chuẩn ({art(std.article)})."
                if vi
                else f"{measure} — below the standard ({art(std.article)})."
            )
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
    if terrain_default:
        extra.append(
            "Địa hình: chưa có dữ liệu, dùng mặc định của bộ dữ liệu ("
            + ("miền núi" if terrain == "mountainous" else "đồng bằng")
            + ")."
            if vi
            else f"Terrain: no data, the dataset default ({terrain}) was used."
        )
    elif terrain_proxy:
        conf_vi = {"medium": "trung bình", "low": "thấp"}.get(terrain_proxy, terrain_proxy)
        extra.append(
            "Địa hình: "
            + ("miền núi" if terrain == "mountainous" else "đồng bằng")
            + f" theo nguồn gián tiếp (độ tin cậy {conf_vi}; không phải quyết định công nhận xã miền núi)."
            if vi
            else f"Terrain: {terrain} from a proxy source (confidence {terrain_proxy}; not an official "
            "recognition)."
        )
    return " ".join([verdict, *extra])


_GROUND_WORDS: dict[str, tuple[str, ...]] = {
    "stable_since_1945": ("1945",),
    "planned_urban": ("do thi", "urban"),
    "isolated": ("biet lap", "isolated", "giao thong", "transport"),
    "defence_security": ("quoc phong", "an ninh", "chu quyen", "defence", "defense", "security",
                         "sovereignty"),
    "culture": ("lich su", "van hoa", "dan toc", "ton giao", "tin nguong", "phong tuc", "tap quan",
                "history", "cultur", "ethnic", "religio", "custom"),
}  # fmt: skip


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def exemption_grounds_of(reason: str) -> tuple[str, ...]:
    """Return the special-factor grounds a declared exemption reason names (by its words).

    Grounds: ``isolated``, ``defence_security``, ``stable_since_1945``, ``culture``,
    ``planned_urban`` (NQ 35/2023 Art. 3(1); NQ 76/2025 Art. 3 keeps the first two).

    Parameters
    ----------
    reason : str
        Free text in Vietnamese (with or without diacritics) or English.

    Returns
    -------
    tuple of str
    """
    plain = _plain(reason)
    return tuple(g for g, words in _GROUND_WORDS.items() if any(w in plain for w in words))


def _declared_exemption(ruleset: Ruleset, declared: str, lang: Lang) -> tuple[str, str]:
    """Return ``(accepted reason, rejection note)`` for a user-declared exemption."""
    vi = lang == "vi"
    g = ruleset.exemption_grounds
    art = ruleset.declared_exemption_article if vi else article_en(ruleset.declared_exemption_article)
    named = exemption_grounds_of(declared)
    accepted = g is None or any(x in dict(g.grounds) for x in named) or (not named and g.accept_unclassified)
    if accepted:
        if vi:
            return f"yếu tố đặc thù do người dùng khai báo: {declared}" + (f" ({art})" if art else ""), ""
        return f"special factor declared by the user: {declared}" + (f" ({art})" if art else ""), ""
    assert g is not None
    allowed = "; ".join(d for _, d in g.grounds)
    if vi:
        return "", (f"Lý do khai báo \"{declared}\" không thuộc các trường hợp không bắt buộc sắp xếp "
                    f"của {art} ({allowed}) — không được miễn.")  # fmt: skip
    return "", (f"The declared reason \"{declared}\" is not one of the grounds of {art} "
                f"({', '.join(k for k, _ in g.grounds)}) — not exempt.")  # fmt: skip


def _exemption(
    rec: Mapping[str, Any],
    ruleset: Ruleset,
    declared: str,
    lang: Lang,
) -> tuple[str, str]:
    vi = lang == "vi"
    reasons: list[str] = []
    for period in ruleset.exempt_if_arranged_in:
        if _flag(rec, f"arranged_{period}"):
            label = _PERIOD_LABEL.get(period, period)
            reasons.append(
                f"đã sắp xếp giai đoạn {label} ({ruleset.exemption_article})"
                if vi
                else f"already arranged in {label} ({article_en(ruleset.exemption_article)})"
            )
    rejected = ""
    if declared and ruleset.honour_declared_exemptions:
        ok, rejected = _declared_exemption(ruleset, declared, lang)
        if ok:
            reasons.append(ok)
    return "; ".join(reasons), rejected


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
        code = str(rec["code"])
        terrain = _get(rec, "terrain", "") or ""
        if terrain in ("mountainous", "lowland"):
            tsource = str(_get(rec, "terrain_source", "data") or "data")
        else:
            terrain, tsource = _DEFAULT_TERRAIN, "default"
        rec = {**rec, "terrain": terrain}
        try:
            std = unit_standard(rec, ruleset)
        except DataValidationError as exc:
            problems.extend(exc.problems)
            continue
        area = float(rec["area_km2"])
        pop = float(rec["population"])
        area_pct = 100.0 * area / std.area_min_km2 if std.area_min_km2 else math.inf
        pop_pct = 100.0 * pop / std.population_min if std.population_min else math.inf
        meets = round(area, 9) >= std.area_min_km2 and pop >= std.population_min
        crit = None
        floor = None
        rule = ""
        if ruleset.must_arrange_mode == "criteria":
            crit = _criterion_hit(area, pop, std, ruleset, std.unit_type)
            must = crit is not None
            rule = crit.id if crit is not None else ""
        elif ruleset.must_arrange_mode == "below_new_unit_floor":
            floor = new_unit_floor(rec, ruleset, n_members=1)
            meets_floor = pop >= floor.population_min and round(area, 9) >= floor.area_min_km2
            must = (not ruleset.allow_single_if_meets) or not meets_floor
            rule = "below_new_unit_floor" if must else ""
        else:
            must = False
        suspect = _flag(rec, "population_suspect")
        lower = _get(rec, "population_lower_bound", None)
        doubt = undetermined(area, std, ruleset, suspect=suspect, floor=floor,
                             population_lower_bound=None if lower is None else float(lower))  # fmt: skip
        if doubt is not None:
            meets, must = bool(doubt.meets), bool(doubt.must)
            crit = None
            rule = rule if must else ""
        declared = declared_map.get(code) or str(_get(rec, "exemption_reason", "") or "").strip()
        exempt_reason, rejected = _exemption(rec, ruleset, declared, lang)
        rows.append(
            {
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
                "reason": doubt_reason(rec, std, area, pop, doubt, lang=lang, floor=floor, ruleset=ruleset)
                if doubt is not None
                else _reason(
                    lang=lang,
                    area=area,
                    pop=pop,
                    std=std,
                    area_pct=area_pct,
                    pop_pct=pop_pct,
                    meets=meets,
                    must=must,
                    crit=crit,
                    floor=floor,
                    ruleset=ruleset,
                    exempt_reason=exempt_reason,
                    rejected=rejected,
                    terrain=terrain,
                    terrain_default=tsource == "default",
                    terrain_proxy=str(_get(rec, "terrain_confidence", "") or "proxy")
                    if tsource == "proxy"
                    else "",
                ),  # fmt: skip
                "population_suspect": suspect,
                "determined": doubt is None or doubt.determined,
                "standard": f"{std.unit_type}_{std.case}",
            }
        )
    if problems:
        raise DataValidationError(f"units table: {len(problems)} problems", problems)
    out = pd.DataFrame(rows, columns=list(ASSESSMENT_COLUMNS))
    out = out.astype(
        {"population": "int64", "population_min": "int64", "area_km2": "float64",
         "area_min_km2": "float64", "meets_standard": bool, "must_arrange": bool, "exempt": bool,
         "population_suspect": bool, "determined": bool}
    )  # fmt: skip
    out.index = pd.Index(out["code"].to_numpy(), name=None)
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
