"""Solver-independent check of a plan against a :class:`PlanProblem` (integers only).

The scenarios layer re-checks every plan with :func:`sapxep.units.checks.check_plan` on the real
units table; this check covers the optimizer's own rules (locks, pairs, ceilings, seats)
and is what the property tests use on synthetic grids.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from sapxep.optimization.problem import PlanProblem


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
    out: list[str] = []
    if len(seat_of) != p.n:
        return [f"plan covers {len(seat_of)} units, problem has {p.n}"]
    groups: dict[int, list[int]] = {}
    for i, s in enumerate(seat_of):
        groups.setdefault(s, []).append(i)
    idx = p.index
    for s, members in groups.items():
        label = f"new unit seated at {p.name_of(s)}"
        if seat_of[s] != s:
            out.append(f"{label}: the seat is not a member")
            continue
        codes = [p.codes[i] for i in members]
        if not nx.is_connected(p.graph.subgraph(codes)):
            out.append(f"{label}: not contiguous")
        size = len(members)
        pop = sum(p.population[i] for i in members)
        area = sum(p.area_ha[i] for i in members)
        alone_exempt = size == 1 and (codes[0] in p.alone_ok or codes[0] in p.locked)
        w = p.waiver_of(s)
        waived = w is not None and size >= w
        if not alone_exempt and not waived:
            if pop < p.pop_floor[s]:
                out.append(f"{label}: population {pop} below floor {p.pop_floor[s]}")
            if area < p.area_floor_ha[s]:
                out.append(f"{label}: area {area} ha below floor {p.area_floor_ha[s]} ha")
        if not alone_exempt:
            if p.max_members is not None and size > p.max_members:
                out.append(f"{label}: {size} members above ceiling {p.max_members}")
            if p.max_population is not None and pop > p.max_population:
                out.append(f"{label}: population {pop} above ceiling {p.max_population}")
            if p.max_area_ha is not None and area > p.max_area_ha:
                out.append(f"{label}: area {area} ha above ceiling {p.max_area_ha} ha")
        if p.stay_within_parent and p.parents is not None and len({p.parents[i] for i in members}) > 1:
            out.append(f"{label}: crosses parents")
        if size == 1 and codes[0] in p.must_arrange:
            out.append(f"{p.name_of(s)} must be arranged but stays alone")
    for c in sorted(p.locked):
        i = idx[c]
        if seat_of[i] != i or len(groups[i]) != 1:
            out.append(f"{p.name_of(i)} is locked but changed")
    for c in sorted(p.fixed_seats):
        i = idx[c]
        if seat_of[i] != i:
            out.append(f"{p.name_of(i)} must be a seat but is not")
    for a, b in p.forced_pairs:
        if seat_of[idx[a]] != seat_of[idx[b]]:
            out.append(f"{a} and {b} must be together but are not")
    for a, b in p.forbidden_pairs:
        if seat_of[idx[a]] == seat_of[idx[b]]:
            out.append(f"{a} and {b} must be apart but are together")
    return out
