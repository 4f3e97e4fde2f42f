"""The optimizer under NQ 76/2025: a ward joining a xã seat makes a ward (Art. 1(3)); Art. 5(3) exceptions."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import pytest

from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.solve import solve_plan
from sapxep.optimization.verify import plan_violations
from sapxep.units.errors import InfeasibleError

SETTINGS = SolverSettings(time_limit_s=5, num_workers=1, random_seed=0)


def problem() -> PlanProblem:
    # A: xã, 15,000 people, 40 km²; B: phường, 4,000 people, 2 km²; both must be arranged.
    # Seated at A the pair reaches the xã floor (16,000 / 30 km²) but, with a ward among the
    # members, it is a ward and needs 21,000 people; seated at B it needs 21,000 as well.
    g = nx.Graph([("A", "B")])
    return PlanProblem(
        codes=("A", "B"), population=(15000, 4000), area_ha=(4000, 200), graph=g,
        pop_floor=(16000, 21000), area_floor_ha=(3000, 550), must_arrange=frozenset({"A", "B"}),
        waiver_min_members=(3, 3), ward=(False, True), ward_pop_floor=(21000, 0),
    )  # fmt: skip


def test_a_ward_member_raises_the_floor_to_the_ward_floor() -> None:
    with pytest.raises(InfeasibleError):
        solve_plan(problem(), SETTINGS, mode="max-units")
    # without the 2025 kind rule the pair seated at A would pass the xã floor
    res = solve_plan(replace(problem(), ward=None, ward_pop_floor=None), SETTINGS, mode="max-units")
    assert res.plan.n_after == 1


def test_art5_3_exception_lets_the_pair_through() -> None:
    allowed = replace(problem(), exceptions_allowed=True)
    res = solve_plan(allowed, SETTINGS, mode="max-units")
    assert res.plan.n_after == 1
    # the verifier counts the exception as allowed, and the ward floor as the one it misses
    seat_pos = [allowed.index[c] for c in res.seat_of]
    assert plan_violations(allowed, seat_pos) == []
    assert plan_violations(problem(), seat_pos)  # not allowed without Art. 5(3)
