"""Solver-independent checks of a merger plan against a ruleset.

``check_plan`` never trusts the optimizer: it re-checks, from the units table, the graph
and the ruleset alone,

* **partition**: every unit in exactly one new unit, no unknown codes;
* **seat**: each new unit's seat is one of its members;
* **contiguity**: the members of each new unit induce a connected subgraph of ``graph``;
* **floor**: each merged unit (and, when ``ruleset.singles_must_meet_floor``, each
  non-exempt unit left alone) reaches the new-unit criteria ``population >= population_min``
  and ``area_km2 >= area_min_km2`` of its seat (:func:`units.rules.new_unit_floor`), unless
  the ruleset's ≥ ``waiver_min_members`` waiver applies. With ``floors_override`` every new
  unit, including a unit left alone (exempt or not), must reach the override floor: no
  waivers, no exceptions (the same semantics as ``scenarios.runs``);
* **single**: a unit left alone when the ruleset does not allow it;
* **must_arrange**: a must-arrange, non-exempt unit (``units.assessment``) left alone.

Convention: a new unit without a declared seat is seated at its most populous member
(ties: smallest code).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
import pandas as pd

from units.assessment import assess_units
from units.errors import DataValidationError, PlanError, format_codes
from units.plan import MergePlan
from units.rules import Ruleset, article_en, new_unit_floor
from units.rules.standards import Floor

logger = logging.getLogger(__name__)

VIOLATION_KINDS: Final[tuple[str, ...]] = (
    "partition", "seat", "contiguity", "floor", "single", "must_arrange",
)  # fmt: skip


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
    """

    ok: bool
    violations: list[Violation] = field(default_factory=list)
    n_units: int = 0
    n_new_units: int = 0
    seats: dict[str, str] = field(default_factory=dict)

    def by_kind(self) -> dict[str, int]:
        """Number of violations per kind."""
        return dict(Counter(v.kind for v in self.violations))

    def summary(self) -> str:
        """Return a short human-readable report (one line, then one line per violation)."""
        if self.ok:
            return (
                f"plan OK: {self.n_units} units -> {self.n_new_units} new units; "
                "partition, seats, contiguity, floors and must-arrange units all satisfied"
            )
        kinds = ", ".join(f"{n} {k}" for k, n in self.by_kind().items())
        lines = [f"plan has {len(self.violations)} violations ({kinds})"]
        lines += [f"  - [{v.kind}] {v.message}" for v in self.violations]
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
            raise PlanError(f"plan breaks {len(self.violations)} rules", [v.message for v in self.violations])


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


def _labels(codes: Iterable[str], names: Mapping[str, str], limit: int = 8) -> str:
    return format_codes([_label(c, names) for c in codes], limit=limit)


def _fmt(x: float, decimals: int = 0) -> str:
    return f"{x:,.{decimals}f}"


def check_plan(
    units: pd.DataFrame,
    plan_or_grouping: MergePlan | Mapping[str, Any] | pd.Series | Iterable[Iterable[str]],
    ruleset: Ruleset,
    *,
    graph: nx.Graph,
    seats: Mapping[str, str] | None = None,
    floors_override: tuple[float, float] | None = None,
    exemptions: Mapping[str, str] | None = None,
) -> PlanCheck:
    """Check a grouping of units against the partition, contiguity and legal rules.

    Parameters
    ----------
    units : DataFrame
        The units table (``code``, ``name``, ``unit_type``, ``area_km2``, ``population``, …).
    plan_or_grouping : MergePlan, mapping, Series or iterable of iterables
        A :class:`~units.plan.MergePlan`, a code -> new-unit mapping/Series, or a list of
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
        Code -> reason, as in :func:`units.assessment.assess_units`.

    Returns
    -------
    PlanCheck

    Raises
    ------
    DataValidationError
        If the units table itself is unusable (missing columns, bad values).
    TypeError
        If ``plan_or_grouping`` is of an unsupported type.
    """
    assessment = assess_units(units, ruleset, exemptions=exemptions, lang="en")
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
        detail = "; ".join(f"{_label(c, names)} in {', '.join(where[c])}" for c in dup[:8])
        violations.append(Violation(
            "partition", "", tuple(dup),
            f"{len(dup)} units are in more than one new unit ({detail}): put each in exactly one",
        ))  # fmt: skip
    for gid, members in groups.items():
        unknown = sorted({c for c in members if c not in known})
        if unknown:
            violations.append(Violation(
                "partition", gid, tuple(unknown),
                f"new unit {gid} names unknown codes {format_codes(unknown)}: "
                "use codes of the units table",
            ))  # fmt: skip
    missing = sorted(known - set(counts))
    if missing:
        violations.append(Violation(
            "partition", "", tuple(missing),
            f"{len(missing)} units are in no new unit ({_labels(missing, names)}): "
            "assign each to a new unit (a unit left unchanged is a new unit of one member)",
        ))  # fmt: skip
    for gid in sorted(set(declared) - set(groups)):
        violations.append(Violation(
            "seat", gid, (declared[gid],),
            f"a seat is given for new unit {gid}, which has no members: remove it",
        ))  # fmt: skip

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
                f"new unit {gid}: seat {_label(seat, names)} is not one of its members "
                f"({_labels(members, names)}): choose a member as seat",
            ))  # fmt: skip
            seat = ""
        if not seat:
            seat = max(members, key=lambda c: (pop[c], _neg_code_key(c)))
        used_seats[gid] = seat
        n = len(members)
        label = f"new unit {gid} ({_labels(members, names)})"

        # --- contiguity
        if n >= 2:
            absent = [c for c in members if c not in graph]
            if absent:
                violations.append(Violation(
                    "contiguity", gid, tuple(absent),
                    f"{label}: {_labels(absent, names)} not in the adjacency graph; "
                    "rebuild the graph from the same units or add links",
                ))  # fmt: skip
            else:
                sub = graph.subgraph(members)
                if not nx.is_connected(sub):
                    parts = sorted((sorted(p) for p in nx.connected_components(sub)), key=len,
                                   reverse=True)  # fmt: skip
                    shown = " | ".join(_labels(p, names, limit=4) for p in parts)
                    violations.append(Violation(
                        "contiguity", gid, tuple(members),
                        f"{label} is not contiguous: it splits into {len(parts)} parts "
                        f"[{shown}]; move units so that each new unit is connected",
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
                violations.append(Violation(
                    "must_arrange", gid, (code,),
                    f"{_label(code, names)} must be arranged ({row['reason']}) but is left "
                    "alone: merge it with at least one neighbour, or declare an exemption "
                    "with a reason",
                ))  # fmt: skip
                continue
            if floors_override is None:
                if not ruleset.singles_must_meet_floor:
                    continue
                if not ruleset.allow_single_if_meets:
                    violations.append(Violation(
                        "single", gid, (code,),
                        f"{_label(code, names)} is left alone but ruleset {ruleset.name} does "
                        "not allow single-unit new units: merge it with a neighbour",
                    ))  # fmt: skip
                    continue

        # --- floor
        fl: Floor
        if floors_override is not None:
            fl = Floor(int(floors_override[0]), float(floors_override[1]), False,
                       "what-if floor (--min-population/--min-area)")  # fmt: skip
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
            short.append(f"population {_fmt(p_sum)} < {_fmt(fl.population_min)}")
        if a_sum < fl.area_min_km2 - 1e-9:
            short.append(f"area {_fmt(a_sum, 2)} km² < {_fmt(fl.area_min_km2, 2)} km²")
        if short:
            hint = (
                f" (or reach {ruleset.waiver_min_members} members for the waiver)"
                if ruleset.waiver_min_members and floors_override is None
                and fl.unit_type in ruleset.waiver_unit_types
                else ""
            )  # fmt: skip
            violations.append(Violation(
                "floor", gid, tuple(members),
                f"{label}, seat {_label(seat, names)}: {' and '.join(short)} "
                f"({article_en(fl.article)}); add neighbouring units{hint}",
            ))  # fmt: skip

    result = PlanCheck(
        ok=not violations,
        violations=violations,
        n_units=len(known),
        n_new_units=len(groups),
        seats=used_seats,
    )
    logger.info(
        "checked plan under %s: %d new units, %d violations", ruleset.name, len(groups),
        len(violations),
    )  # fmt: skip
    return result


def _neg_code_key(code: str) -> tuple[int, ...]:
    # ties on population: prefer the smallest code (max() picks the largest key)
    return tuple(-ord(ch) for ch in code)
