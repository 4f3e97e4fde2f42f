"""What the rule families read: facts about the units, the plan's groups, and the rules in force.

:class:`UnitFacts` (per-unit numbers and names), :class:`PlanGroups` (the grouping as given,
with declared seats), :class:`PlanConstraints` (the scenario's hard rules beyond the law:
locks, pairs, fixed seats, ceilings, stay-within-parent) and :class:`CheckContext` (everything
else: graph, floors, must-arrange units, language). Both :func:`sapxep.units.checks.check_plan`
(from a units table and a ruleset) and :func:`sapxep.optimization.verify.plan_violations` (from
the optimizer's integer problem) build these, so both run the same checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import pandas as pd

from sapxep.units.choices import Lang
from sapxep.units.plan import MergePlan, default_seat
from sapxep.units.rules.standards import Floor


@dataclass(frozen=True)
class UnitFacts:
    """Per-unit facts the checks need, keyed by code.

    Attributes
    ----------
    names : mapping of str to str
        Code -> display name (every known code is a key).
    population : mapping of str to float
    area_km2 : mapping of str to float
    parents : mapping of str to str
        Code -> parent (district-level) code; empty when unknown.
    parent_names : mapping of str to str
        Parent code -> display name.
    """

    names: Mapping[str, str]
    population: Mapping[str, float]
    area_km2: Mapping[str, float]
    parents: Mapping[str, str] = field(default_factory=dict)
    parent_names: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def known(self) -> frozenset[str]:
        """The codes of the units table."""
        return frozenset(self.names)

    @classmethod
    def from_table(cls, units: pd.DataFrame, names: Mapping[str, str] | None = None) -> UnitFacts:
        """Read the facts from a units table (``code, name, population, area_km2[, parent_*]``).

        Parameters
        ----------
        units : pandas.DataFrame
        names : mapping, optional
            Code -> name, when already read (e.g. from the assessment).

        Returns
        -------
        UnitFacts
        """
        codes = units["code"].astype(str).tolist()
        if names is None:
            names = dict(zip(codes, units["name"].astype(str), strict=True))
        col = units.get
        pop = pd.to_numeric(units["population"]).astype(float).tolist()
        area = pd.to_numeric(units["area_km2"]).astype(float).tolist()
        parents = col("parent_code")
        pnames = col("parent_name")
        return cls(
            names=dict(names),
            population=dict(zip(codes, pop, strict=True)),
            area_km2=dict(zip(codes, area, strict=True)),
            parents={} if parents is None else dict(zip(codes, parents.astype(str), strict=True)),
            parent_names={}
            if parents is None or pnames is None
            else dict(zip(parents.astype(str), pnames.astype(str), strict=True)),
        )


@dataclass(frozen=True)
class PlanGroups:
    """A grouping as given (it may break the partition), with its declared seats.

    Attributes
    ----------
    groups : dict of str to list of str
        New-unit id -> member codes as given (duplicates and unknown codes kept).
    declared_seats : dict of str to str
        New-unit id -> declared seat code.
    """

    groups: dict[str, list[str]]
    declared_seats: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_plan(
        cls,
        plan_or_grouping: MergePlan | Mapping[str, Any] | pd.Series | Iterable[Iterable[str]],
        seats: Mapping[str, str] | None = None,
    ) -> PlanGroups:
        """Read a :class:`MergePlan`, a code -> new-unit mapping, or a list of groups.

        Groups given as a list are named ``g1``, ``g2``, …; ``seats`` override the plan's.

        Raises
        ------
        TypeError
            If ``plan_or_grouping`` is of an unsupported type.
        """
        groups: dict[str, list[str]] = {}
        declared: dict[str, str] = {}
        if isinstance(plan_or_grouping, MergePlan):
            items: Iterable[tuple[Any, Any]] = plan_or_grouping.assignment.items()
            declared = dict(plan_or_grouping.seats)
        elif isinstance(plan_or_grouping, pd.Series | Mapping):
            items = plan_or_grouping.items()
        elif isinstance(plan_or_grouping, str | bytes):
            raise TypeError("plan_or_grouping must be a MergePlan, a code->group mapping or groups")
        else:
            items = []
            for i, members in enumerate(plan_or_grouping, start=1):
                if isinstance(members, str):
                    raise TypeError(
                        "a grouping given as a list must hold lists of codes, e.g. [['A', 'B'], ['C']]"
                    )
                groups[f"g{i}"] = [str(c) for c in members]
        for code, gid in items:
            groups.setdefault(str(gid), []).append(str(code))
        declared.update({str(k): str(v) for k, v in (seats or {}).items()})
        return cls(groups, declared)


@dataclass(frozen=True)
class PlanConstraints:
    """The scenario's hard rules beyond the law (``[plan]`` of a scenario).

    Attributes
    ----------
    locked : frozenset of str
        Units kept unchanged: alone (their own seat); floors and ceilings not checked.
    forced_pairs : tuple of (str, str)
        Pairs that must be in the same new unit.
    forbidden_pairs : tuple of (str, str)
        Pairs that must be in different new units.
    fixed_seats : frozenset of str
        Units that must be the seat of their new unit.
    max_members, max_population : int or None
        Ceilings for a new unit (a unit allowed to stay alone is exempt).
    max_area_km2 : float or None
        Area ceiling for a new unit.
    stay_within_parent : bool
        New units may not span parents (needs ``parent_code`` in the units table).
    """

    locked: frozenset[str] = frozenset()
    forced_pairs: tuple[tuple[str, str], ...] = ()
    forbidden_pairs: tuple[tuple[str, str], ...] = ()
    fixed_seats: frozenset[str] = frozenset()
    max_members: int | None = None
    max_population: int | None = None
    max_area_km2: float | None = None
    stay_within_parent: bool = False


@dataclass(frozen=True)
class CheckContext:
    """The rules in force for one check, and what was resolved from the plan.

    Attributes
    ----------
    graph : networkx.Graph
        Adjacency, nodes = codes.
    members : dict of str to list of str
        New-unit id -> its known member codes (sorted, unique); new units without known
        members are left out.
    seats : dict of str to str
        New-unit id -> seat used: the declared seat when it is a member, else
        :func:`sapxep.units.plan.default_seat`.
    floor_of : callable
        ``floor_of(seat, n_members) -> Floor``: the criteria of a new unit seated at ``seat``
        (may raise :class:`~sapxep.units.errors.DataValidationError`).
    must_arrange : mapping of str to str
        Non-exempt units that must be merged -> reason ("" when none is recorded).
    alone_ok : frozenset of str
        Units that may stay alone without meeting the floors or ceilings.
    singles_forbidden : bool
        A unit left alone (and not in ``alone_ok``) is a violation of kind ``single``.
    ruleset_name : str
        Named in messages.
    waiver_min_members : int
        Members that waive the floors (0 = no waiver), for the hint in floor messages.
    waiver_unit_types : frozenset of str
        Kinds of new unit the waiver applies to.
    members_floor_of : callable, optional
        ``members_floor_of(seat, members) -> Floor``: used instead of ``floor_of`` when the
        new unit's kind follows from its members (NQ 76/2025 Art. 1(3)).
    allow_exceptions : bool
        A new unit of two or more members that misses its (not waived) floor is an exception
        for the Standing Committee (NQ 76/2025 Art. 5(3)), reported apart, not a violation.
    exception_article : str
        Cited in exception messages.
    constraints : PlanConstraints
    lang : {"en", "vi"}
    """

    graph: nx.Graph
    members: dict[str, list[str]]
    seats: dict[str, str]
    floor_of: Callable[[str, int], Floor]
    must_arrange: Mapping[str, str] = field(default_factory=dict)
    alone_ok: frozenset[str] = frozenset()
    singles_forbidden: bool = False
    ruleset_name: str = ""
    waiver_min_members: int = 0
    waiver_unit_types: frozenset[str] = frozenset()
    members_floor_of: Callable[[str, list[str]], Floor] | None = None
    allow_exceptions: bool = False
    exception_article: str = ""
    constraints: PlanConstraints = field(default_factory=PlanConstraints)
    lang: Lang = "en"

    @classmethod
    def resolve(cls, units: UnitFacts, plan: PlanGroups, **rules: Any) -> CheckContext:
        """Resolve members and seats of ``plan`` against ``units``; ``rules`` fill the rest.

        Parameters
        ----------
        units : UnitFacts
        plan : PlanGroups
        **rules
            The other attributes (``graph``, ``floor_of``, ``must_arrange``, …).

        Returns
        -------
        CheckContext
        """
        members: dict[str, list[str]] = {}
        seats: dict[str, str] = {}
        for gid, raw in plan.groups.items():
            known = sorted(dict.fromkeys(c for c in raw if c in units.known))
            if not known:
                continue
            members[gid] = known
            seat = plan.declared_seats.get(gid, "")
            seats[gid] = seat if seat in known else default_seat(known, units.population)
        return cls(members=members, seats=seats, **rules)

    def group_floor(self, seat: str, members: list[str]) -> Floor:
        """The floor of the new unit seated at ``seat`` with these ``members``."""
        if self.members_floor_of is not None:
            return self.members_floor_of(seat, members)
        return self.floor_of(seat, len(members))

    def is_free_single(self, code: str) -> bool:
        """Whether unit ``code`` left alone is exempt from floors and ceilings."""
        return code in self.alone_ok or code in self.constraints.locked
