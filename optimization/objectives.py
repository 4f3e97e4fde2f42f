"""Objective terms: primary goals per mode and weighted secondary goals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from optimization.variables import PlanVariables
from units.errors import ScenarioError


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
    """

    compactness: float = 0.0
    balance: float = 0.0
    parents: float = 0.0

    def __post_init__(self) -> None:
        bad = [f"{k}={v}" for k, v in self.__dict__.items() if v < 0]
        if bad:
            raise ScenarioError("objective weights must be >= 0", bad)

    @property
    def any(self) -> bool:
        """Whether any secondary objective is active."""
        return self.compactness > 0 or self.balance > 0 or self.parents > 0


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


def secondary_objective(v: PlanVariables, w: ObjectiveWeights) -> cp_model.LinearExprT:
    """Weighted sum of the active secondary terms, with integer coefficients.

    Weights are scaled by 100 and rounded so the objective stays integral.
    """
    expr: Any = 0
    if w.compactness > 0:
        expr += int(round(w.compactness * 100)) * compactness_term(v)
    if w.balance > 0:
        p = v.problem
        total = sum(p.population)
        hi = v.model.new_int_var(0, total, "pop_max")
        lo = v.model.new_int_var(0, total, "pop_min")
        v.model.add(lo <= hi)
        for j in range(p.n):
            v.model.add(hi >= v.group_population(j))
            v.model.add(lo <= v.group_population(j)).only_enforce_if(v.y(j))
        expr += int(round(w.balance * 100)) * (hi - lo)
    if w.parents > 0:
        expr += int(round(w.parents * 100)) * 100 * parents_term(v)
    return expr
