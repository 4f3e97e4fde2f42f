"""Manual edits of a merger plan: pure functions from one :class:`MergePlan` to the next.

Each operation returns a new plan and never mutates its input. After an edit every new unit
has a seat: a declared seat that is still a member stays; otherwise the seat is
:func:`sapxep.units.plan.default_seat` of the members (pass ``population`` to seat at the most
populous member; without it the smallest code is the seat).

An edit never checks the law: re-check the edited plan with
:func:`sapxep.units.checks.check_plan` (with the scenario's :class:`~sapxep.units.checks.PlanConstraints`
for locks, pairs, ceilings and parents), so that an edit that breaks a lock is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeAlias

import networkx as nx
import pandas as pd

from sapxep.units.errors import PlanError, format_codes
from sapxep.units.plan import MergePlan, default_seat, plan_from_mapping

Population: TypeAlias = Mapping[str, float] | pd.Series


def fix_seats(
    assignment: pd.Series, seats: Mapping[str, str], population: Population | None = None
) -> dict[str, str]:
    """Keep seats that are still members; seat every other new unit at its default seat.

    Parameters
    ----------
    assignment : pandas.Series
        Code -> new-unit id.
    seats : mapping of str to str
        New-unit id -> declared seat code.
    population : mapping or Series, optional
        Code -> population, for :func:`~sapxep.units.plan.default_seat`.

    Returns
    -------
    dict of str to str
        A seat for every new unit of ``assignment``.
    """
    groups: dict[str, list[str]] = {}
    for c, g in assignment.items():
        groups.setdefault(str(g), []).append(str(c))
    out: dict[str, str] = {}
    for g, members in groups.items():
        seat = seats.get(g, "")
        out[g] = seat if seat in members else default_seat(members, population)
    return out


def _keep_names(assignment: pd.Series, names: Mapping[str, str]) -> dict[str, str]:
    live = set(assignment)
    return {g: n for g, n in names.items() if g in live}


def neighbouring_new_units(plan: MergePlan, graph: nx.Graph, code: str) -> list[str]:
    """Return the new units (other than its own) that touch original unit ``code``.

    Parameters
    ----------
    plan : MergePlan
    graph : networkx.Graph
        Adjacency of the original units.
    code : str
        An original unit.

    Returns
    -------
    list of str
        Sorted new-unit ids.

    Raises
    ------
    PlanError
        If ``code`` is not in the plan.
    """
    a = plan.assignment.astype(str)
    if code not in a.index:
        raise PlanError(f"unit {code} is not in the plan", ["pick a unit of the loaded dataset"])
    own = a[code]
    out = {a[str(n)] for n in graph.neighbors(code) if str(n) in a.index} if code in graph else set()
    out.discard(own)
    return sorted(out)


def move_unit(
    plan: MergePlan,
    code: str,
    new_unit: str,
    *,
    graph: nx.Graph | None = None,
    population: Population | None = None,
) -> MergePlan:
    """Move original unit ``code`` to ``new_unit``.

    Parameters
    ----------
    plan : MergePlan
    code : str
        The original unit to move.
    new_unit : str
        An existing new-unit id (a neighbour of ``code`` when ``graph`` is given).
    graph : networkx.Graph, optional
        When given, the target must touch ``code``.
    population : mapping or Series, optional
        Code -> population, to re-seat a new unit that loses its seat.

    Returns
    -------
    MergePlan
        A new plan; the seat of the unit left behind moves to its default seat if needed.

    Raises
    ------
    PlanError
        If the unit or new unit is unknown, or the target does not touch the unit.
    """
    a = plan.assignment.astype(str).copy()
    problems = []
    if code not in a.index:
        problems.append(f"unit {code} is not in the plan")
    if new_unit not in set(a):
        problems.append(f"new unit {new_unit} does not exist")
    if not problems and graph is not None and new_unit not in neighbouring_new_units(plan, graph, code):
        problems.append(f"new unit {new_unit} does not touch unit {code}: pick a neighbouring one")
    if problems:
        raise PlanError(f"cannot move {code} to {new_unit}", problems)
    a[code] = new_unit
    seats = fix_seats(a, plan.seats, population)
    return plan_from_mapping(a, seats=seats, names=_keep_names(a, plan.names))


def split_new_unit(
    plan: MergePlan, new_unit: str, codes: Iterable[str], *, population: Population | None = None
) -> MergePlan:
    """Split ``codes`` off ``new_unit`` into a new unit of their own.

    Parameters
    ----------
    plan : MergePlan
    new_unit : str
        The new unit to split.
    codes : iterable of str
        Members that leave together (a proper, non-empty subset of the members).
    population : mapping or Series, optional
        Code -> population, to seat the new unit (and re-seat the old one).

    Returns
    -------
    MergePlan
        A new plan with an extra new unit ``"<new_unit>-t<k>"``.

    Raises
    ------
    PlanError
        If ``codes`` is empty, not all members of ``new_unit``, or all of them.
    """
    a = plan.assignment.astype(str).copy()
    members = set(a.index[a == new_unit])
    out = {str(c) for c in codes}
    problems = []
    if not out:
        problems.append("choose at least one member to split off")
    if out - members:
        problems.append(f"units {format_codes(sorted(out - members))} are not members of {new_unit}")
    if out and out == members:
        problems.append("leave at least one member in the original new unit")
    if problems:
        raise PlanError(f"cannot split {new_unit}", problems)
    existing = set(a)
    k = 1
    while f"{new_unit}-t{k}" in existing:
        k += 1
    a[sorted(out)] = f"{new_unit}-t{k}"
    seats = fix_seats(a, plan.seats, population)
    return plan_from_mapping(a, seats=seats, names=_keep_names(a, plan.names))


def set_seat(plan: MergePlan, new_unit: str, code: str) -> MergePlan:
    """Make member ``code`` the seat of ``new_unit``.

    Parameters
    ----------
    plan : MergePlan
    new_unit : str
    code : str
        A member of ``new_unit``.

    Returns
    -------
    MergePlan

    Raises
    ------
    PlanError
        If ``code`` is not a member of ``new_unit``.
    """
    a = plan.assignment.astype(str)
    if code not in a.index or a[code] != new_unit:
        raise PlanError(f"cannot set the seat of {new_unit}", [f"{code} is not one of its members"])
    seats = dict(plan.seats)
    seats[new_unit] = code
    return plan_from_mapping(a, seats=fix_seats(a, seats), names=dict(plan.names))


def reset_seat(plan: MergePlan, new_unit: str, *, population: Population | None = None) -> MergePlan:
    """Seat ``new_unit`` at its default seat (:func:`~sapxep.units.plan.default_seat`).

    Parameters
    ----------
    plan : MergePlan
    new_unit : str
    population : mapping or Series, optional
        Code -> population.

    Returns
    -------
    MergePlan

    Raises
    ------
    PlanError
        If ``new_unit`` is not in the plan.
    """
    groups = plan.groups
    if new_unit not in groups:
        raise PlanError(f"cannot reset the seat of {new_unit}", [f"new unit {new_unit} does not exist"])
    return set_seat(plan, new_unit, default_seat(groups[new_unit], population))


def plans_equal(a: MergePlan | None, b: MergePlan | None) -> bool:
    """Return True when both plans group and seat the units identically.

    Parameters
    ----------
    a, b : MergePlan or None

    Returns
    -------
    bool
    """
    if a is None or b is None:
        return a is b
    sa, sb = a.assignment.astype(str).sort_index(), b.assignment.astype(str).sort_index()
    return bool(sa.equals(sb)) and dict(a.seats) == dict(b.seats)
