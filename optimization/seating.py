"""Seats of a plan found outside the model: re-seat it so the pruned CP-SAT model can use it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sapxep.optimization.candidates import Candidates, is_representable, seat_rank
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.verify import plan_violations
from sapxep.units.plan import MergePlan, default_seat


def hint_seats(problem: PlanProblem, hint: MergePlan | Mapping[str, str], cand: Candidates) -> list[int]:
    """Turn a user hint (plan, or code -> seat code) into seat positions for the model.

    A new unit of a hint plan without a seat is seated at
    :func:`sapxep.units.plan.default_seat`; with seat symmetry breaking every group is
    re-seated at its highest-ranked member.
    """
    idx = problem.index
    if isinstance(hint, MergePlan):
        pop = dict(zip(problem.codes, problem.population, strict=True))
        seat_code: dict[str, str] = {}
        for g, codes in hint.groups.items():
            seat = hint.seats.get(g) or default_seat(codes, {c: pop.get(c, 0) for c in codes})
            for c in codes:
                seat_code[c] = seat
    else:
        seat_code = dict(hint)
    seat_of = [idx.get(seat_code.get(c, c), i) for i, c in enumerate(problem.codes)]
    if cand.largest_seat:
        rank = seat_rank(problem)
        groups: dict[int, list[int]] = {}
        for i, s in enumerate(seat_of):
            groups.setdefault(s, []).append(i)
        for members in groups.values():
            top = max(members, key=lambda m: rank[m])
            for m in members:
                seat_of[m] = top
    return seat_of


def fit_to_model(problem: PlanProblem, seat_of: Sequence[int], full: Candidates) -> list[int] | None:
    """Re-seat a plan found outside the model so that it respects the pruning.

    Every group gets a seat from which all members are candidates (within
    ``max_graph_distance`` / ``radius_km``) with closer-neighbour paths, preferring the
    current seat, then the most populous member. Returns None if some group has no such seat.
    """
    groups: dict[int, list[int]] = {}
    for i, s in enumerate(seat_of):
        groups.setdefault(s, []).append(i)
    out = list(seat_of)
    for s, members in groups.items():
        options = [c for c in members if is_representable(members, c, full)]
        if not options:
            return None
        best = max(options, key=lambda c: (c == s, problem.population[c], -c))
        for m in members:
            out[m] = best
    return out if not plan_violations(problem, out) else None


def reseat(problem: PlanProblem, seat_pos: Sequence[int], cand: Candidates) -> list[int]:
    """Move every group's seat to its most central representable member under ``cand``."""
    groups: dict[int, list[int]] = {}
    for i, s in enumerate(seat_pos):
        groups.setdefault(s, []).append(i)
    out = list(seat_pos)
    pop = problem.population
    for members in groups.values():
        options = [
            c for c in members
            if all(m in cand.members[c] for m in members) and is_representable(members, c, cand)
        ]  # fmt: skip
        if not options:
            continue
        best = min(options, key=lambda c: (sum(pop[m] * cand.cost[m, c] for m in members), c))
        for m in members:
            out[m] = best
    return out
