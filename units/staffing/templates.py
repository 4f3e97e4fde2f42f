"""Organisation-structure templates of a commune-level unit, as data with sources.

Two templates ship in ``units/templates/``:

- ``"2023"`` (``org_decree33_2023.toml``): the pre-2025 commune (Decree 33/2023/NĐ-CP):
  Party committee, People's Council, People's Committee (chair and vice-chairs by
  commune class, Decree 08/2016 as amended by 69/2020), the six civil-servant titles,
  Fatherland Front and mass organisations, part-time workers; with the Decree 33 quota
  tables.
- ``"2025"`` (``org_decree150_2025.toml``): the two-tier commune (Decree 150/2025/NĐ-CP):
  Office of the People's Council and Committee, Economic (or Economic, Infrastructure and
  Urban) department, Culture-Society department, Public Administration Service Centre.
  There is no national staffing formula: sizes are parameters with the documented
  averages as defaults.

A template lists *positions* (a title with a category and a headcount rule) grouped in
bodies and departments, and *slots*: the quota lines pooled staff are compared with.
In the 2023 template each position is its own slot; in the 2025 template a department is
one slot that accepts the pre-2025 titles of the fields it took over.
"""

from __future__ import annotations

import logging
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

from sapxep.units.errors import RulesetError, format_codes

logger = logging.getLogger(__name__)

Structure = Literal["2023", "2025"]
Category = Literal["cadre", "civil_servant", "part_time", "public_employee"]

STRUCTURES: Final[tuple[str, ...]] = ("2023", "2025")
CATEGORIES: Final[tuple[str, ...]] = ("cadre", "civil_servant", "part_time", "public_employee")
CATEGORY_LABELS_VI: Final[dict[str, str]] = {
    "cadre": "Cán bộ",
    "civil_servant": "Công chức",
    "part_time": "Người hoạt động không chuyên trách",
    "public_employee": "Viên chức",
}
#: Quota groups: the Decree 33 quota counts cadres and civil servants together.
GROUP_OF_CATEGORY: Final[dict[str, str]] = {
    "cadre": "cb_cc",
    "civil_servant": "cb_cc",
    "part_time": "part_time",
    "public_employee": "not_assessed",
}
GROUP_LABELS_VI: Final[dict[str, str]] = {
    "cb_cc": "Cán bộ, công chức",
    "part_time": "Người hoạt động không chuyên trách",
    "not_assessed": "Không đánh giá định mức",
}
COMMUNE_CLASSES: Final[tuple[str, ...]] = ("I", "II", "III")

_FILES: Final[dict[str, str]] = {
    "2023": "org_decree33_2023.toml",
    "2025": "org_decree150_2025.toml",
}


@dataclass(frozen=True)
class Position:
    """One position (title) of a template.

    Attributes
    ----------
    id : str
        Title code used in rosters, e.g. ``"pho_chu_tich_ubnd"``.
    label_vi, label_en : str
        Labels; ``label_vi_by_type`` overrides ``label_vi`` for some unit types.
    category : str
        cadre | civil_servant | part_time | public_employee.
    body, department : str
        Body id and department id ("" = directly under the body).
    headcount : int or str
        A fixed number, ``"remainder"`` (share of the cadre+civil-servant quota left after
        the fixed posts), ``"part_time_quota"`` or ``"param:<name>"``.
    headcount_by_class : dict or None
        Headcount by commune class (overrides ``headcount``).
    applies_to : tuple of str
        Unit types that have this position.
    slot : str
        The quota line the position belongs to.
    leadership : bool
        A leadership post (shown in the leadership table).
    source, confidence, note : str
        Where the rule comes from.
    aliases : tuple of str
        Other spellings accepted in rosters.
    """

    id: str
    label_vi: str
    label_en: str
    category: str
    body: str
    department: str = ""
    headcount: int | str = 1
    headcount_by_class: dict[str, int] | None = None
    applies_to: tuple[str, ...] = ("xa", "phuong", "thi_tran")
    slot: str = ""
    leadership: bool = False
    source: str = ""
    confidence: str = ""
    note: str = ""
    label_vi_by_type: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()

    def label_for(self, unit_type: str) -> str:
        """Return the Vietnamese label used for a unit of ``unit_type``."""
        return self.label_vi_by_type.get(unit_type, self.label_vi)


@dataclass(frozen=True)
class Slot:
    """A quota line: the positions it sums and the roster titles counted against it."""

    id: str
    positions: tuple[str, ...]
    accepts: tuple[str, ...]
    category: str
    accepts_any_civil_servant: bool = False
    leadership: bool = False


@dataclass(frozen=True)
class OrgTemplate:
    """An organisation-structure template loaded from TOML.

    Attributes
    ----------
    id, structure, title_vi, title_en : str
        Identity; ``structure`` is ``"2023"`` or ``"2025"``.
    bodies, departments : dict
        id -> table (``label_vi``, ``label_en``, ``body`` for departments, sources).
    positions : dict of str to Position
        In template order.
    slots : dict of str to Slot
        Quota lines.
    allocation_order : tuple of str
        Order of the ``"remainder"`` positions for the leftover of an uneven split.
    params : dict
        Settable sizes (2025): name -> table with ``default`` and sources.
    quota : dict
        Quota tables (2023: Decree 33 base numbers and increments).
    other_titles : dict
        Roster titles with no quota line (e.g. public employees).
    path : str
        File the template was read from.
    coverage : dict
        Groups of staff the norm does not cover (``[coverage.<id>]``: ``label_vi``,
        ``titles`` or ``categories``, ``reason_vi``, ``source``).
    """

    id: str
    structure: str
    title_vi: str
    title_en: str
    bodies: dict[str, dict[str, Any]]
    departments: dict[str, dict[str, Any]]
    positions: dict[str, Position]
    slots: dict[str, Slot]
    allocation_order: tuple[str, ...]
    params: dict[str, dict[str, Any]]
    quota: dict[str, Any]
    other_titles: dict[str, dict[str, Any]]
    path: str
    coverage: dict[str, dict[str, Any]] = field(default_factory=dict)

    def param_defaults(self) -> dict[str, int | None]:
        """Return the default value of every size parameter (``None`` = not assessed)."""
        out: dict[str, int | None] = {}
        for name, p in self.params.items():
            d = p.get("default")
            out[name] = None if d in (None, "none") else int(d)
        return out

    def department_label(self, dept: str, unit_type: str) -> str:
        """Return the Vietnamese label of a department for a unit type."""
        d = self.departments[dept]
        return str(d.get("label_vi_by_type", {}).get(unit_type, d["label_vi"]))

    def coverage_group(self, title: str, category: str) -> str:
        """Return the ``[coverage]`` group of a roster title outside every slot.

        Titles are matched first, then categories; ``"khac"`` when no group lists it.
        """
        for gid, g in self.coverage.items():
            if title in g.get("titles", ()):
                return str(gid)
        for gid, g in self.coverage.items():
            if category in g.get("categories", ()):
                return str(gid)
        return "khac"

    def slot_of_title(self) -> dict[str, str]:
        """Return roster title code -> slot id (titles with no slot are absent)."""
        out: dict[str, str] = {}
        for s in self.slots.values():
            for t in s.accepts:
                out[t] = s.id
        return out


def _position_from(pid: str, t: dict[str, Any]) -> Position:
    return Position(
        id=pid,
        label_vi=str(t["label_vi"]),
        label_en=str(t.get("label_en", "")),
        category=str(t["category"]),
        body=str(t["body"]),
        department=str(t.get("department", "")),
        headcount=t.get("headcount", 1),
        headcount_by_class=dict(t["headcount_by_class"]) if "headcount_by_class" in t else None,
        applies_to=tuple(t.get("applies_to", ("xa", "phuong", "thi_tran"))),
        slot=str(t.get("slot", pid)),
        leadership=bool(t.get("leadership", False)),
        source=str(t.get("source", "")),
        confidence=str(t.get("confidence", "")),
        note=str(t.get("note", "")),
        label_vi_by_type=dict(t.get("label_vi_by_type", {})),
        aliases=tuple(t.get("aliases", ())),
    )


def _parse_template(data: dict[str, Any], path: str) -> OrgTemplate:
    problems: list[str] = []
    meta = data.get("meta", {})
    if meta.get("structure") not in STRUCTURES:
        problems.append(f"[meta] structure must be one of {', '.join(STRUCTURES)}")
    bodies = dict(data.get("bodies", {}))
    departments = dict(data.get("departments", {}))
    positions: dict[str, Position] = {}
    for pid, t in data.get("positions", {}).items():
        missing = [k for k in ("label_vi", "category", "body") if k not in t]
        if missing:
            problems.append(f"[positions.{pid}] lacks {', '.join(missing)}")
            continue
        p = _position_from(pid, t)
        if p.category not in CATEGORIES:
            problems.append(f"[positions.{pid}] category '{p.category}' is not one of {CATEGORIES}")
        if p.body not in bodies:
            problems.append(f"[positions.{pid}] body '{p.body}' is not declared under [bodies]")
        if p.department and p.department not in departments:
            problems.append(f"[positions.{pid}] department '{p.department}' is not declared")
        positions[pid] = p
    slot_tables = dict(data.get("slots", {}))
    slots: dict[str, Slot] = {}
    for sid in dict.fromkeys(p.slot for p in positions.values()):
        members = tuple(p.id for p in positions.values() if p.slot == sid)
        t = slot_tables.get(sid, {})
        cats = {positions[m].category for m in members}
        if len(cats) > 1:
            problems.append(f"slot '{sid}' mixes categories {sorted(cats)}")
        slots[sid] = Slot(
            id=sid,
            positions=members,
            accepts=tuple(t.get("accepts", members)),
            category=cats.pop() if cats else "civil_servant",
            accepts_any_civil_servant=bool(t.get("accepts_any_civil_servant", False)),
            leadership=any(positions[m].leadership for m in members),
        )
    unknown_slots = sorted(set(slot_tables) - set(slots))
    if unknown_slots:
        problems.append(f"[slots] {format_codes(unknown_slots)} have no position")
    alloc = tuple(data.get("civil_servant_allocation", {}).get("order", ()))
    bad_alloc = [a for a in alloc if a not in positions]
    if bad_alloc:
        problems.append(f"[civil_servant_allocation] unknown positions {format_codes(bad_alloc)}")
    if problems:
        raise RulesetError(f"{path}: malformed organisation template", problems)
    return OrgTemplate(
        id=str(meta.get("id", Path(path).stem)),
        structure=str(meta["structure"]),
        title_vi=str(meta.get("title_vi", "")),
        title_en=str(meta.get("title_en", "")),
        bodies=bodies,
        departments=departments,
        positions=positions,
        slots=slots,
        allocation_order=alloc,
        params=dict(data.get("params", {})),
        quota=dict(data.get("quota", {})),
        other_titles=dict(data.get("other_titles", {})),
        path=path,
        coverage=dict(data.get("coverage", {})),
    )


@lru_cache(maxsize=8)
def _load_named(structure: str) -> OrgTemplate:
    ref = resources.files("sapxep.units") / "templates" / _FILES[structure]
    text = ref.read_text(encoding="utf-8")
    return _parse_template(tomllib.loads(text), str(ref))


def load_template(structure: str | Path) -> OrgTemplate:
    """Load an organisation template.

    Parameters
    ----------
    structure : {"2023", "2025"} or path
        A bundled structure, or the path of a TOML file in the same format.

    Returns
    -------
    OrgTemplate

    Raises
    ------
    RulesetError
        If the name is unknown, the file cannot be read, or it is malformed.
    """
    key = str(structure)
    if key in _FILES:
        return _load_named(key)
    p = Path(key)
    if not p.is_file():
        raise RulesetError(
            f"unknown organisation structure '{key}'",
            [f"use one of {', '.join(STRUCTURES)} or the path of a template TOML file"],
        )
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulesetError(f"cannot read template {p}", [str(exc)]) from exc
    return _parse_template(data, str(p))


def fold(text: str) -> str:
    """Return a lower-case, accent-free, single-spaced form of ``text`` for matching."""
    t = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    t = "".join(c for c in t if unicodedata.category(c) != "Mn").lower()
    return " ".join(t.replace("_", " ").split())


@dataclass(frozen=True)
class TitleInfo:
    """A roster title known to sapxep (from any template)."""

    code: str
    label_vi: str
    category: str


@lru_cache(maxsize=1)
def title_vocabulary() -> dict[str, TitleInfo]:
    """Return every roster title code known to the bundled templates.

    Returns
    -------
    dict of str to TitleInfo
        Codes of the 2023 positions, the 2025 positions and the ``other_titles``.
    """
    out: dict[str, TitleInfo] = {}
    for s in STRUCTURES:
        tpl = load_template(s)
        for p in tpl.positions.values():
            out.setdefault(p.id, TitleInfo(p.id, p.label_vi, p.category))
        for code, t in tpl.other_titles.items():
            out.setdefault(code, TitleInfo(code, str(t["label_vi"]), str(t["category"])))
    return out


@lru_cache(maxsize=1)
def title_aliases() -> dict[str, str]:
    """Return folded spelling -> title code (codes, Vietnamese labels, English labels, aliases)."""
    out: dict[str, str] = {}
    for s in STRUCTURES:
        tpl = load_template(s)
        for p in tpl.positions.values():
            names = [p.id, p.label_vi, p.label_en, *p.label_vi_by_type.values(), *p.aliases]
            for n in names:
                if n:
                    out.setdefault(fold(n), p.id)
        for code, t in tpl.other_titles.items():
            for n in (code, t.get("label_vi", ""), t.get("label_en", "")):
                if n:
                    out.setdefault(fold(n), code)
    return out


#: Organisation structure in force for the period of a ruleset: Decree 33/2023's commune
#: civil-servant provisions were repealed from 1 July 2025 (Decree 170/2025 Art. 71(3)),
#: so any ruleset whose period starts in 2025 or later uses the 2025 structure.
STRUCTURE_SWITCH_YEAR: Final[int] = 2025


def default_structure(ruleset: str | None) -> tuple[str, str]:
    """Return the organisation structure for a plan made under ``ruleset``, with the reason.

    Parameters
    ----------
    ruleset : str or None
        A ruleset name or file (``nq35_2023``, ``nq76_2025``, ...); None = unknown.

    Returns
    -------
    tuple of str
        ``(structure, reason_vi)``: ``"2025"`` for rulesets of 2025 or later (and when the
        ruleset is unknown: the structure in force today), ``"2023"`` for 2023–2025 ones.
    """
    import re

    if not ruleset:
        return "2025", "không rõ bộ tiêu chuẩn của phương án: dùng bộ máy đang có hiệu lực (NĐ 150/2025)"
    period = ""
    try:
        from sapxep.units.rules import load_ruleset

        period = load_ruleset(ruleset).period
    except Exception:  # noqa: BLE001 - an unreadable ruleset falls back on its name
        period = str(ruleset)
    years = [int(y) for y in re.findall(r"(20\d\d)", period or str(ruleset))]
    start = years[0] if years else STRUCTURE_SWITCH_YEAR
    if start >= STRUCTURE_SWITCH_YEAR:
        return "2025", (
            f"bộ tiêu chuẩn {ruleset} (giai đoạn {period or start}): bộ máy 2025 theo NĐ 150/2025; "
            "các quy định về công chức cấp xã của NĐ 33/2023 bị bãi bỏ từ 01/7/2025 "
            "(NĐ 170/2025 Điều 71 khoản 3)"
        )
    return "2023", f"bộ tiêu chuẩn {ruleset} (giai đoạn {period}): bộ máy theo NĐ 33/2023"
