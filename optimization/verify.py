"""Solver-independent check of a plan against a :class:`PlanProblem` (integers only).

It runs the rule families of :mod:`sapxep.units.checks` (the same functions as
:func:`sapxep.units.checks.check_plan`) on the problem's own numbers: floors per seat
(``pop_floor``, ``area_floor_ha``, ``waiver_min_members``), ``alone_ok``, ``must_arrange`` and
the scenario constraints (locks, pairs, fixed seats, ceilings, stay-within-parent). The
scenarios layer re-checks every plan once more with ``check_plan`` on the real units table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sapxep.optimization.problem import PlanProblem
from sapxep.units.checks import CheckContext, PlanConstraints, PlanGroups, UnitFacts, run_checks
from sapxep.units.rules.standards import Floor


def problem_facts(problem: PlanProblem) -> UnitFacts:
    """Return the problem's units as :class:`~sapxep.units.checks.UnitFacts` (areas in km²).

    Parameters
    ----------
    problem : PlanProblem

    Returns
    -------
    UnitFacts
    """
    p = problem
    names = {c: (p.names[i] if p.names is not None else c) for i, c in enumerate(p.codes)}
    return UnitFacts(
        names=names,
        population={c: float(v) for c, v in zip(p.codes, p.population, strict=True)},
        area_km2={c: v / 100.0 for c, v in zip(p.codes, p.area_ha, strict=True)},
        parents={} if p.parents is None else dict(zip(p.codes, p.parents, strict=True)),
        parent_names=dict(p.parent_names),
    )


def problem_constraints(problem: PlanProblem) -> PlanConstraints:
    """Return the problem's scenario rules as :class:`~sapxep.units.checks.PlanConstraints`.

    Parameters
    ----------
    problem : PlanProblem

    Returns
    -------
    PlanConstraints
    """
    p = problem
    return PlanConstraints(
        locked=p.locked,
        forced_pairs=p.forced_pairs,
        forbidden_pairs=p.forbidden_pairs,
        fixed_seats=p.fixed_seats,
        max_members=p.max_members,
        max_population=p.max_population,
        max_area_km2=None if p.max_area_ha is None else p.max_area_ha / 100.0,
        stay_within_parent=p.stay_within_parent and p.parents is not None,
    )


def _floor_of(problem: PlanProblem) -> Callable[[str, int], Floor]:
    idx = problem.index

    def floor_of(seat: str, n_members: int) -> Floor:
        j = idx[seat]
        w = problem.waiver_of(j)
        waived = w is not None and n_members >= w
        return Floor(problem.pop_floor[j], problem.area_floor_ha[j] / 100.0, waived, "")

    return floor_of


def _members_floor_of(problem: PlanProblem) -> Callable[[str, list[str]], Floor]:
    idx = problem.index

    def members_floor_of(seat: str, members: list[str]) -> Floor:
        j = idx[seat]
        w = problem.waiver_of(j)
        waived = w is not None and len(members) >= w
        pop = problem.floor_population(j, [idx[c] for c in members])
        return Floor(pop, problem.area_floor_ha[j] / 100.0, waived, "")

    return members_floor_of


def plan_violations(problem: PlanProblem, seat_of: Sequence[int]) -> list[str]:
    """Return every rule a plan breaks (empty = valid).

    Parameters
    ----------
    problem : PlanProblem
    seat_of : sequence of int
        Seat position of every unit.

    Returns
    -------
    list of str
        One message per violation, naming the units.
    """
    p = problem
    if len(seat_of) != p.n:
        return [f"plan covers {len(seat_of)} units, problem has {p.n}"]
    groups: dict[str, list[str]] = {}
    for i, s in enumerate(seat_of):
        groups.setdefault(f"N{p.codes[s]}", []).append(p.codes[i])
    seats = {f"N{p.codes[s]}": p.codes[s] for s in set(seat_of)}
    plan = PlanGroups(groups, seats)
    facts = problem_facts(p)
    ctx = CheckContext.resolve(
        facts, plan, graph=p.graph, floor_of=_floor_of(p), members_floor_of=_members_floor_of(p),
        must_arrange=dict.fromkeys(p.must_arrange, ""), alone_ok=p.alone_ok,
        constraints=problem_constraints(p), allow_exceptions=p.exceptions_allowed,
    )  # fmt: skip
    return [v.message for v in run_checks(facts, plan, ctx) if v.kind != "exception"]
