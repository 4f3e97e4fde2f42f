"""Solver-independent checks of a merger plan against a ruleset.

``check_plan`` never trusts the optimizer: it re-checks, from the units table, the graph
and the ruleset alone,

* **partition**: every unit in exactly one new unit, no unknown codes;
* **seat**: each new unit's seat is one of its members;
* **contiguity**: the members of each new unit induce a connected subgraph of ``graph``;
* **floor**: each merged unit (and, when ``ruleset.singles_must_meet_floor``, each
  non-exempt unit left alone) reaches the new-unit criteria ``population >= population_min``
  and ``area_km2 >= area_min_km2`` of its seat (:func:`sapxep.units.rules.new_unit_floor`), unless
  the ruleset's ≥ ``waiver_min_members`` waiver applies. With ``floors_override`` every new
  unit, including a unit left alone (exempt or not), must reach the override floor: no
  waivers, no exceptions (the same semantics as ``sapxep.scenarios.run.scenario``);
* **single**: a unit left alone when the ruleset does not allow it;
* **must_arrange**: a must-arrange, non-exempt unit (``sapxep.units.assessment``) left alone.

Convention: a new unit without a declared seat is seated at its most populous member
(ties: smallest code).

Messages are in English (``lang="en"``, the default) or Vietnamese (``lang="vi"``, with
Vietnamese number formatting: ``12.143 người``, ``6,72 km²``).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
import pandas as pd

from sapxep.units.assessment import assess_units, format_number
from sapxep.units.choices import Lang
from sapxep.units.errors import DataValidationError, PlanError, format_codes
from sapxep.units.plan import MergePlan, default_seat
from sapxep.units.rules import Ruleset, article_en, new_unit_floor
from sapxep.units.rules.standards import Floor

logger = logging.getLogger(__name__)


VIOLATION_KINDS: Final[tuple[str, ...]] = (
    "partition", "seat", "contiguity", "floor", "single", "must_arrange",
)  # fmt: skip

#: Vietnamese label of each violation kind (used by ``PlanCheck.summary`` in Vietnamese).
KIND_LABELS_VI: Final[dict[str, str]] = {
    "partition": "phân chia",
    "seat": "trụ sở",
    "contiguity": "liền kề",
    "floor": "quy mô",
    "single": "giữ nguyên",
    "must_arrange": "thuộc diện phải sắp xếp",
}

# Message templates, one per language; placeholders are filled by ``_msg``.
_MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "dup": "{n} units are in more than one new unit ({detail}): put each in exactly one",
        "dup_item": "{unit} in {groups}",
        "unknown": "new unit {gid} names unknown codes {codes}: use codes of the units table",
        "missing": (
            "{n} units are in no new unit ({units}): assign each to a new unit "
            "(a unit left unchanged is a new unit of one member)"
        ),
        "seat_empty": "a seat is given for new unit {gid}, which has no members: remove it",
        "seat_not_member": (
            "new unit {gid}: seat {seat} is not one of its members ({members}): choose a member as seat"
        ),
        "label": "new unit {gid} ({members})",
        "absent": (
            "{label}: {units} not in the adjacency graph; rebuild the graph from the same units or add links"
        ),
        "split": (
            "{label} is not contiguous: it splits into {n} parts [{parts}]; move units so that "
            "each new unit is connected"
        ),
        "must_arrange": (
            "{unit} must be arranged ({reason}) but is left alone: merge it with at least one "
            "neighbour, or declare an exemption with a reason"
        ),
        "single": (
            "{unit} is left alone but ruleset {ruleset} does not allow single-unit new units: "
            "merge it with a neighbour"
        ),
        "override": "what-if floor (--min-population/--min-area)",
        "short_pop": "population {value} < {minimum}",
        "short_area": "area {value} < {minimum}",
        "and": " and ",
        "waiver": " (or reach {k} members for the waiver)",
        "floor": "{label}, seat {seat}: {short} ({article}); add neighbouring units{hint}",
        "ok": (
            "plan OK: {n_units} units -> {n_new} new units; partition, seats, contiguity, floors "
            "and must-arrange units all satisfied"
        ),
        "failed": "plan has {n} violations ({kinds})",
        "breaks": "plan breaks {n} rules",
    },
    "vi": {
        "dup": (
            "{n} đơn vị hành chính được xếp vào nhiều hơn một đơn vị mới ({detail}): mỗi đơn vị "
            "chỉ được xếp vào đúng một đơn vị mới"
        ),
        "dup_item": "{unit} thuộc {groups}",
        "unknown": (
            "đơn vị mới {gid} có mã không có trong bảng đơn vị hành chính ({codes}): dùng mã "
            "của bảng đơn vị hành chính"
        ),
        "missing": (
            "{n} đơn vị hành chính chưa được xếp vào đơn vị mới nào ({units}): xếp mỗi đơn vị "
            "vào một đơn vị mới (đơn vị giữ nguyên là một đơn vị mới gồm một đơn vị)"
        ),
        "seat_empty": (
            "có khai báo trụ sở cho đơn vị mới {gid} nhưng đơn vị này không có đơn vị thành "
            "viên nào: bỏ khai báo trụ sở này"
        ),
        "seat_not_member": (
            "đơn vị mới {gid}: trụ sở đặt tại {seat}, không thuộc các đơn vị được sắp xếp "
            "({members}): chọn trụ sở tại một trong các đơn vị này"
        ),
        "label": "đơn vị mới {gid} ({members})",
        "absent": (
            "{label}: {units} không có trong đồ thị liền kề; dựng lại đồ thị từ cùng bảng đơn vị "
            "hành chính hoặc bổ sung liên kết"
        ),
        "split": (
            "{label} không liền một khối: bị tách thành {n} phần [{parts}]; điều chỉnh phương án "
            "để các đơn vị trong mỗi đơn vị mới liền kề nhau"
        ),
        "must_arrange": (
            "{unit} thuộc diện phải sắp xếp ({reason}) nhưng được giữ nguyên: sắp xếp với ít nhất "
            "một đơn vị liền kề, hoặc khai báo không bắt buộc sắp xếp kèm lý do (yếu tố đặc thù)"
        ),
        "single": (
            "{unit} được giữ nguyên nhưng bộ quy tắc {ruleset} không cho phép đơn vị mới chỉ gồm "
            "một đơn vị: sắp xếp với một đơn vị liền kề"
        ),
        "override": "ngưỡng giả định theo --min-population/--min-area",
        "short_pop": "chưa đạt quy mô dân số ({value} < {minimum})",
        "short_area": "chưa đạt quy mô diện tích ({value} < {minimum})",
        "and": " và ",
        "waiver": " (hoặc sắp xếp đủ {k} đơn vị để không phải áp dụng tiêu chuẩn quy mô)",
        "floor": "{label}, trụ sở đặt tại {seat}: {short} ({article}); sắp xếp thêm đơn vị liền kề{hint}",
        "ok": (
            "phương án sắp xếp hợp lệ: {n_units} đơn vị hành chính → {n_new} đơn vị mới; đạt các "
            "yêu cầu về phân chia, trụ sở, liền kề, quy mô và các đơn vị thuộc diện phải sắp xếp"
        ),
        "failed": "phương án sắp xếp có {n} vi phạm ({kinds})",
        "breaks": "phương án sắp xếp vi phạm {n} quy định",
    },
}


def _msg(lang: str, key: str, **values: Any) -> str:
    return _MESSAGES[lang][key].format(**values)


def _check_lang(lang: object) -> None:
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', got {lang!r}")


@dataclass(frozen=True)
class Violation:
    """One broken rule.

    Attributes
    ----------
    kind : str
        One of :data:`VIOLATION_KINDS`.
    new_unit : str
        The new unit concerned ("" when the problem is not about one new unit).
    codes : tuple of str
        The original units concerned.
    message : str
        What is wrong, naming units by name and code, and how to fix it.
    """

    kind: str
    new_unit: str
    codes: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class PlanCheck:
    """The result of :func:`check_plan`.

    Attributes
    ----------
    ok : bool
        True when there is no violation.
    violations : list of Violation
    n_units : int
        Original units in the units table.
    n_new_units : int
        New units in the plan.
    seats : dict of str to str
        New unit -> seat code actually used (declared or default).
    lang : {"en", "vi"}
        Language of the messages (and default language of :meth:`summary`).
    """

    ok: bool
    violations: list[Violation] = field(default_factory=list)
    n_units: int = 0
    n_new_units: int = 0
    seats: dict[str, str] = field(default_factory=dict)
    lang: Lang = "en"

    def by_kind(self) -> dict[str, int]:
        """Number of violations per kind."""
        return dict(Counter(v.kind for v in self.violations))

    def summary(self, *, lang: Lang | None = None) -> str:
        """Return a short human-readable report (one line, then one line per violation).

        Parameters
        ----------
        lang : {"en", "vi"}, optional
            Language of the report's own lines; default: the language of the check. The
            violation messages stay in the language :func:`check_plan` wrote them in.

        Returns
        -------
        str

        Raises
        ------
        ValueError
            If ``lang`` is not "vi" or "en".
        """
        lang = self.lang if lang is None else lang
        _check_lang(lang)
        if self.ok:
            return _msg(lang, "ok", n_units=self.n_units, n_new=self.n_new_units)

        def kind_label(kind: str) -> str:
            return KIND_LABELS_VI.get(kind, kind) if lang == "vi" else kind

        kinds = ", ".join(f"{n} {kind_label(k)}" for k, n in self.by_kind().items())
        lines = [_msg(lang, "failed", n=len(self.violations), kinds=kinds)]
        lines += [f"  - [{kind_label(v.kind)}] {v.message}" for v in self.violations]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """Return the violations as a table ``kind,new_unit,codes,message``."""
        return pd.DataFrame(
            [
                {"kind": v.kind, "new_unit": v.new_unit, "codes": ";".join(v.codes),
                 "message": v.message}
                for v in self.violations
            ],
            columns=["kind", "new_unit", "codes", "message"],
        )  # fmt: skip

    def raise_if_failed(self) -> None:
        """Raise :class:`PlanError` listing every violation when the plan is not ok."""
        if not self.ok:
            raise PlanError(
                _msg(self.lang, "breaks", n=len(self.violations)), [v.message for v in self.violations]
            )


def _groups_from(
    plan_or_grouping: MergePlan | Mapping[str, Any] | pd.Series | Iterable[Iterable[str]],
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Return (new unit -> member codes in order, declared seats)."""
    if isinstance(plan_or_grouping, MergePlan):
        groups: dict[str, list[str]] = {}
        for code, gid in plan_or_grouping.assignment.items():
            groups.setdefault(str(gid), []).append(str(code))
        return groups, dict(plan_or_grouping.seats)
    if isinstance(plan_or_grouping, pd.Series | Mapping):
        groups = {}
        for code, gid in plan_or_grouping.items():
            groups.setdefault(str(gid), []).append(str(code))
        return groups, {}
    if isinstance(plan_or_grouping, str | bytes):
        raise TypeError("plan_or_grouping must be a MergePlan, a code->group mapping or groups")
    groups = {}
    for i, members in enumerate(plan_or_grouping, start=1):
        if isinstance(members, str):
            raise TypeError("a grouping given as a list must hold lists of codes, e.g. [['A', 'B'], ['C']]")
        groups[f"g{i}"] = [str(c) for c in members]
    return groups, {}


def _label(code: str, names: Mapping[str, str]) -> str:
    name = names.get(code, "")
    return f"{name} ({code})" if name and name != code else code


def _labels(codes: Iterable[str], names: Mapping[str, str], limit: int = 8, lang: Lang = "en") -> str:
    return format_codes([_label(c, names) for c in codes], limit=limit, lang=lang)


def _fmt_pop(x: float, lang: Lang) -> str:
    # English keeps the historical bare number ("1,000"); Vietnamese says "1.000 người"
    return format_number(x, lang=lang) + (" người" if lang == "vi" else "")


def _fmt_area(x: float, lang: Lang) -> str:
    return format_number(x, decimals=2, lang=lang) + " km²"


def check_plan(
    units: pd.DataFrame,
    plan_or_grouping: MergePlan | Mapping[str, Any] | pd.Series | Iterable[Iterable[str]],
    ruleset: Ruleset,
    *,
    graph: nx.Graph,
    seats: Mapping[str, str] | None = None,
    floors_override: tuple[float, float] | None = None,
    exemptions: Mapping[str, str] | None = None,
    lang: Lang = "en",
) -> PlanCheck:
    """Check a grouping of units against the partition, contiguity and legal rules.

    Parameters
    ----------
    units : DataFrame
        The units table (``code``, ``name``, ``unit_type``, ``area_km2``, ``population``, …).
    plan_or_grouping : MergePlan, mapping, Series or iterable of iterables
        A :class:`~sapxep.units.plan.MergePlan`, a code -> new-unit mapping/Series, or a list of
        groups of codes (named ``g1``, ``g2``, … in messages).
    ruleset : Ruleset
    graph : networkx.Graph
        Adjacency graph, nodes = codes.
    seats : mapping, optional
        New unit -> seat code; overrides the plan's seats. Default seat: the most populous
        member.
    floors_override : (float, float), optional
        ``(min_population, min_area_km2)`` replacing the ruleset's floors for every new unit,
        including units left alone, with no waivers and no exceptions
        (``--min-population/--min-area``). Must-arrange units left alone are still reported,
        except under NQ 76's derived must-arrange (``below_new_unit_floor``), which the
        override replaces.
    exemptions : mapping of str to str, optional
        Code -> reason, as in :func:`sapxep.units.assessment.assess_units`.
    lang : {"en", "vi"}, default "en"
        Language of the violation messages and of :meth:`PlanCheck.summary`; Vietnamese
        formats numbers the Vietnamese way (``12.143 người``, ``6,72 km²``) and cites
        articles in Vietnamese.

    Returns
    -------
    PlanCheck

    Raises
    ------
    DataValidationError
        If the units table itself is unusable (missing columns, bad values).
    TypeError
        If ``plan_or_grouping`` is of an unsupported type.
    ValueError
        If ``lang`` is not "vi" or "en".
    """
    _check_lang(lang)
    vi = lang == "vi"
    assessment = assess_units(units, ruleset, exemptions=exemptions, lang=lang)
    table = units.drop(columns=["geometry"], errors="ignore").copy()
    table["code"] = table["code"].astype(str)
    table = table.set_index("code", drop=False)
    names = {str(c): str(n) for c, n in assessment["name"].items()}
    known = set(table.index)
    groups, declared = _groups_from(plan_or_grouping)
    declared = {**declared, **{str(k): str(v) for k, v in (seats or {}).items()}}
    violations: list[Violation] = []

    # --- partition
    counts = Counter(c for members in groups.values() for c in members)
    dup = sorted(c for c, n in counts.items() if n > 1)
    if dup:
        where = {c: sorted(g for g, m in groups.items() if c in m) for c in dup}
        detail = "; ".join(
            _msg(lang, "dup_item", unit=_label(c, names), groups=", ".join(where[c])) for c in dup[:8]
        )
        violations.append(Violation(
            "partition", "", tuple(dup), _msg(lang, "dup", n=len(dup), detail=detail),
        ))  # fmt: skip
    for gid, members in groups.items():
        unknown = sorted({c for c in members if c not in known})
        if unknown:
            violations.append(Violation(
                "partition", gid, tuple(unknown),
                _msg(lang, "unknown", gid=gid, codes=format_codes(unknown, lang=lang)),
            ))  # fmt: skip
    missing = sorted(known - set(counts))
    if missing:
        violations.append(Violation(
            "partition", "", tuple(missing),
            _msg(lang, "missing", n=len(missing), units=_labels(missing, names, lang=lang)),
        ))  # fmt: skip
    for gid in sorted(set(declared) - set(groups)):
        violations.append(Violation("seat", gid, (declared[gid],), _msg(lang, "seat_empty", gid=gid)))

    pop = pd.to_numeric(table["population"]).astype(float)
    area = pd.to_numeric(table["area_km2"]).astype(float)
    used_seats: dict[str, str] = {}
    for gid, raw_members in groups.items():
        members = sorted(dict.fromkeys(c for c in raw_members if c in known))
        if not members:
            continue
        # --- seat
        seat = declared.get(gid, "")
        if seat and seat not in members:
            violations.append(Violation(
                "seat", gid, (seat,),
                _msg(lang, "seat_not_member", gid=gid, seat=_label(seat, names),
                     members=_labels(members, names, lang=lang)),
            ))  # fmt: skip
            seat = ""
        if not seat:
            seat = default_seat(members, pop)
        used_seats[gid] = seat
        n = len(members)
        label = _msg(lang, "label", gid=gid, members=_labels(members, names, lang=lang))

        # --- contiguity
        if n >= 2:
            absent = [c for c in members if c not in graph]
            if absent:
                violations.append(Violation(
                    "contiguity", gid, tuple(absent),
                    _msg(lang, "absent", label=label, units=_labels(absent, names, lang=lang)),
                ))  # fmt: skip
            else:
                sub = graph.subgraph(members)
                if not nx.is_connected(sub):
                    parts = sorted((sorted(p) for p in nx.connected_components(sub)), key=len,
                                   reverse=True)  # fmt: skip
                    shown = " | ".join(_labels(p, names, limit=4, lang=lang) for p in parts)
                    violations.append(Violation(
                        "contiguity", gid, tuple(members),
                        _msg(lang, "split", label=label, n=len(parts), parts=shown),
                    ))  # fmt: skip

        # --- must-arrange left alone / singles
        if n == 1:
            code = members[0]
            row = assessment.loc[code]
            exempt = bool(row["exempt"])
            derived = ruleset.must_arrange_mode == "below_new_unit_floor"
            if exempt and floors_override is None:
                continue  # an exempt unit may stay as it is
            if bool(row["must_arrange"]) and not exempt and not (derived and floors_override is not None):
                reason = str(row["reason"]).rstrip(".") if vi else row["reason"]
                violations.append(Violation(
                    "must_arrange", gid, (code,),
                    _msg(lang, "must_arrange", unit=_label(code, names), reason=reason),
                ))  # fmt: skip
                continue
            if floors_override is None:
                if not ruleset.singles_must_meet_floor:
                    continue
                if not ruleset.allow_single_if_meets:
                    violations.append(Violation(
                        "single", gid, (code,),
                        _msg(lang, "single", unit=_label(code, names), ruleset=ruleset.name),
                    ))  # fmt: skip
                    continue

        # --- floor
        fl: Floor
        if floors_override is not None:
            fl = Floor(int(floors_override[0]), float(floors_override[1]), False,
                       _msg(lang, "override"))  # fmt: skip
        else:
            try:
                fl = new_unit_floor(table.loc[seat].to_dict(), ruleset, n_members=n)
            except DataValidationError as exc:
                violations.append(Violation("floor", gid, (seat,), f"{label}: {exc}"))
                continue
        if fl.waived:
            continue
        p_sum = float(pop[members].sum())
        a_sum = float(area[members].sum())
        short: list[str] = []
        if p_sum < fl.population_min:
            short.append(_msg(lang, "short_pop", value=_fmt_pop(p_sum, lang),
                              minimum=_fmt_pop(fl.population_min, lang)))  # fmt: skip
        if a_sum < fl.area_min_km2 - 1e-9:
            short.append(_msg(lang, "short_area", value=_fmt_area(a_sum, lang),
                              minimum=_fmt_area(fl.area_min_km2, lang)))  # fmt: skip
        if short:
            hint = (
                _msg(lang, "waiver", k=ruleset.waiver_min_members)
                if ruleset.waiver_min_members and floors_override is None
                and fl.unit_type in ruleset.waiver_unit_types
                else ""
            )  # fmt: skip
            violations.append(Violation(
                "floor", gid, tuple(members),
                _msg(lang, "floor", label=label, seat=_label(seat, names),
                     short=_msg(lang, "and").join(short),
                     article=fl.article if vi else article_en(fl.article), hint=hint),
            ))  # fmt: skip

    result = PlanCheck(
        ok=not violations,
        violations=violations,
        n_units=len(known),
        n_new_units=len(groups),
        seats=used_seats,
        lang=lang,
    )
    logger.info(
        "checked plan under %s: %d new units, %d violations", ruleset.name, len(groups),
        len(violations),
    )  # fmt: skip
    return result
