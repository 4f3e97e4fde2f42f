"""Objective terms: primary goals per mode and weighted secondary goals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from sapxep.optimization.candidates import Candidates
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.variables import PlanVariables
from sapxep.units.errors import ScenarioError


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights of the secondary objectives (0 = ignored).

    Attributes
    ----------
    compactness : float
        Population-weighted distance from members to their seat,
        ``sum_{i != j} (p_i / 100) * dist(i, j) * x[i,j]`` (distance in 100 m units).
    balance : float
        Spread of new-unit populations, ``max_j pop_j - min_j pop_j`` in hundreds of persons.
    parents : float
        Members placed in a new unit whose seat lies in another parent,
        ``sum_{parent(i) != parent(j)} x[i,j]`` (keeps whole parents together).
    cut_edges : float
        Adjacency edges whose two units end in different new units,
        ``sum_{(a,b) in E} (1 - same[a,b])`` (a perimeter-like compactness that needs no
        coordinates and does not depend on the seat); weighted like ``parents``, one cut
        edge counting as much as one member seated in another parent.
    cut_border : float
        The same, weighted by border length: ``sum_{(a,b) in E} b_ab (1 - same[a,b])``
        with ``b_ab`` the edge's ``shared_border_m`` (0 for links and graphs without it)
        in 10 m units, so one kilometre of cut border weighs as much as one cut edge.
    """

    compactness: float = 0.0
    balance: float = 0.0
    parents: float = 0.0
    cut_edges: float = 0.0
    cut_border: float = 0.0

    def __post_init__(self) -> None:
        bad = [f"{k}={v}" for k, v in self.__dict__.items() if v < 0]
        if bad:
            raise ScenarioError("objective weights must be >= 0", bad)

    @property
    def any(self) -> bool:
        """Whether any secondary objective is active."""
        return any(v > 0 for v in self.__dict__.values())


def compactness_term(v: PlanVariables) -> cp_model.LinearExprT:
    """``sum_{i != j} ceil(p_i / 100) * cost(i, j) * x[i,j]``."""
    pop = v.problem.population
    return sum(
        max(1, (pop[i] + 99) // 100) * v.cand.cost[i, j] * var for (i, j), var in v.x.items() if i != j
    )


def parents_term(v: PlanVariables) -> cp_model.LinearExprT:
    """``sum x[i,j]`` over members whose parent differs from the seat's."""
    p = v.problem
    if p.parents is None:
        return 0
    return sum(var for (i, j), var in v.x.items() if p.parents[i] != p.parents[j])


def same_unit_literals(v: PlanVariables) -> dict[tuple[int, int], cp_model.IntVar | None]:
    """``same[a,b]`` for every adjacent pair ``a < b`` (created once, kept in ``v.same``).

    ``same[a,b] ∧ x[a,j] ⇒ x[b,j]`` for every seat ``j`` of ``a``: as ``a`` and ``b`` each
    join exactly one new unit, ``same[a,b]`` can only be true when they share it (a
    minimised cut sets it wherever possible). ``None`` when the two never share a seat.
    """
    if v.same or v.problem.n == 0:
        return v.same
    codes = v.problem.codes
    for a in range(v.problem.n):
        seats = v.cand.seats_of[a]
        for b in v.cand.neighbors[a]:
            if b <= a:
                continue
            if not any((b, j) in v.x for j in seats):
                v.same[a, b] = None
                continue
            same = v.model.new_bool_var(f"same[{codes[a]},{codes[b]}]")
            for j in seats:
                if (b, j) in v.x:
                    v.model.add_bool_or([v.x[a, j].Not(), same.Not(), v.x[b, j]])
                else:
                    v.model.add_bool_or([v.x[a, j].Not(), same.Not()])
            v.same[a, b] = same
    return v.same


def border_10m(problem: PlanProblem, a: int, b: int) -> int:
    """Shared border of units ``a`` and ``b`` in 10 m units (edge ``shared_border_m``, else 0)."""
    data = problem.graph.get_edge_data(problem.codes[a], problem.codes[b]) or {}
    return int(round(float(data.get("shared_border_m", 0.0) or 0.0) / 10.0))


def cut_edges_term(v: PlanVariables, *, by_border: bool = False) -> cp_model.LinearExprT:
    """``sum_{(a,b) in E} c_ab (1 - same[a,b])``: adjacency edges cut by the plan.

    ``c_ab = 1``, or with ``by_border`` the shared border in 10 m units
    (:func:`border_10m`). Edges whose ends never share a seat are cut in every plan (a
    constant).
    """
    expr: Any = 0
    for (a, b), same in same_unit_literals(v).items():
        c = border_10m(v.problem, a, b) if by_border else 1
        if c:
            expr += c * (1 if same is None else 1 - same)
    return expr


def _scale(w: float) -> int:
    return int(round(w * 100))


def secondary_objective(v: PlanVariables, w: ObjectiveWeights) -> cp_model.LinearExprT:
    """Weighted sum of the active secondary terms, with integer coefficients.

    Weights are scaled by 100 and rounded so the objective stays integral.
    """
    expr: Any = 0
    if w.compactness > 0:
        expr += _scale(w.compactness) * compactness_term(v)
    if w.balance > 0:
        p = v.problem
        total = sum(p.population)
        hi = v.model.new_int_var(0, total, "pop_max")
        lo = v.model.new_int_var(0, total, "pop_min")
        v.model.add(lo <= hi)
        for j in range(p.n):
            v.model.add(hi >= v.group_population(j))
            v.model.add(lo <= v.group_population(j)).only_enforce_if(v.y(j))
        expr += _scale(w.balance) * (hi - lo)
    if w.parents > 0:
        expr += _scale(w.parents) * 100 * parents_term(v)
    if w.cut_edges > 0:
        expr += _scale(w.cut_edges) * 100 * cut_edges_term(v)
    if w.cut_border > 0:
        expr += _scale(w.cut_border) * cut_edges_term(v, by_border=True)
    return expr


def secondary_value(
    problem: PlanProblem, cand: Candidates, seat_of: Sequence[int], w: ObjectiveWeights
) -> int:
    """Value of :func:`secondary_objective` for a plan, computed without a solver.

    Parameters
    ----------
    problem : PlanProblem
    cand : Candidates
        The candidates of the model (for the member-to-seat distances).
    seat_of : sequence of int
        Seat position of every unit; every ``(i, seat_of[i])`` must be a candidate pair.
    w : ObjectiveWeights

    Returns
    -------
    int
    """
    pop = problem.population
    total = 0
    if w.compactness > 0:
        total += _scale(w.compactness) * sum(
            max(1, (pop[i] + 99) // 100) * cand.cost[i, s] for i, s in enumerate(seat_of) if i != s
        )
    if w.balance > 0:
        group_pop: dict[int, int] = {}
        for i, s in enumerate(seat_of):
            group_pop[s] = group_pop.get(s, 0) + pop[i]
        total += _scale(w.balance) * (max(group_pop.values()) - min(group_pop.values()))
    if w.parents > 0 and problem.parents is not None:
        par = problem.parents
        total += _scale(w.parents) * 100 * sum(1 for i, s in enumerate(seat_of) if par[i] != par[s])
    cut = [(a, b) for a in range(problem.n) for b in cand.neighbors[a]
           if b > a and seat_of[a] != seat_of[b]]  # fmt: skip
    if w.cut_edges > 0:
        total += _scale(w.cut_edges) * 100 * len(cut)
    if w.cut_border > 0:
        total += _scale(w.cut_border) * sum(border_10m(problem, a, b) for a, b in cut)
    return total
