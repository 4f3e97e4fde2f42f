"""Alternatives, hints, progress and the greedy warm start."""

from __future__ import annotations

from sapxep.optimization.alternatives import changed_units, find_alternatives
from sapxep.optimization.candidates import compute_candidates
from sapxep.optimization.heuristics import greedy_plan
from sapxep.optimization.model import PlanModel
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.solve import solve_plan
from sapxep.optimization.synthetic import grid_problem
from sapxep.optimization.verify import plan_violations

S = SolverSettings(time_limit_s=5, num_workers=1, random_seed=4)


def test_alternatives_differ_by_at_least_d_units():
    p = grid_problem(4, 4, seed=5, pop_floor=3500)
    plans = find_alternatives(p, S, mode="max-units", n=3, min_changed=3)
    assert len(plans) == 3
    for k, a in enumerate(plans):
        assert plan_violations(p, [p.index[s] for s in a.seat_of]) == []
        for b in plans[:k]:
            assert changed_units(a.seat_of, b.seat_of) >= 3
    # the first plan is the best one
    assert plans[0].objective >= max(r.objective for r in plans[1:])


def test_alternatives_stop_when_no_other_plan_exists():
    p = grid_problem(1, 2, pop_floor=2000)  # the only plan: both together
    plans = find_alternatives(p, S, mode="max-units", n=3, min_changed=1)
    assert len(plans) == 1


def test_changed_units_ignores_seat_only_changes():
    assert changed_units(["a", "a", "c"], ["b", "b", "c"]) == 0
    assert changed_units(["a", "a", "c"], ["a", "c", "c"]) == 3


def test_greedy_plan_is_valid_and_a_feasible_hint():
    p = grid_problem(6, 6, seed=2, pop_floor=4000)
    cand = compute_candidates(p, S, largest_seat=True)
    g = greedy_plan(p, cand, mode="max-units", seed=0, restarts=5)
    assert g.valid and plan_violations(p, g.seat_of) == []
    # CP-SAT accepts the hint as a complete, feasible assignment
    from ortools.sat.python import cp_model

    pm = PlanModel(p, cand, mode="max-units")
    assert pm.add_hint(g.seat_of) == 0
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(pm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_progress_events_and_first_solution_time():
    p = grid_problem(5, 5, seed=9, pop_floor=4000)
    events = []
    res = solve_plan(p, S, mode="max-units", on_progress=events.append)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "greedy" and kinds[-1] == "done"
    assert res.first_solution_s is not None and res.first_solution_s <= res.solve_time_s


def test_user_hint_is_used():
    p = grid_problem(1, 4, pop_floor=2000)
    hint = {"r0c0": "r0c0", "r0c1": "r0c0", "r0c2": "r0c3", "r0c3": "r0c3"}
    res = solve_plan(p, S, mode="max-units", hint=hint)
    assert res.plan.n_after == 2 and res.greedy_units is None


def test_secondary_objective_phase_keeps_primary():
    p = grid_problem(4, 4, seed=3, pop_floor=3000)
    from sapxep.optimization.objectives import ObjectiveWeights

    plain = solve_plan(p, S, mode="max-units")
    compact = solve_plan(p, S, mode="max-units", weights=ObjectiveWeights(compactness=1))
    assert compact.plan.n_after >= plain.plan.n_after
    assert compact.secondary_objective is not None


def test_balance_objective_evens_populations():
    from sapxep.optimization.objectives import ObjectiveWeights

    pops = [1000, 1000, 3000, 3000, 1000, 1000]
    p = grid_problem(1, 6, population=pops, pop_floor=2000)
    res = solve_plan(p, S, mode="target-count", target=2, weights=ObjectiveWeights(balance=1))
    totals = sorted(sum(pops[p.index[c]] for c in m) for m in res.plan.groups.values())
    assert totals == [5000, 5000]


def test_parents_objective_keeps_districts_whole():
    from sapxep.optimization.objectives import ObjectiveWeights

    p = grid_problem(2, 4, pop_floor=2000, parents_by_col=2)
    res = solve_plan(p, S, mode="target-count", target=2, weights=ObjectiveWeights(parents=1))
    for members in res.plan.groups.values():
        assert len({p.parents[p.index[c]] for c in members}) == 1


def test_compactness_prefers_central_seat():
    from sapxep.optimization.objectives import ObjectiveWeights

    p = grid_problem(1, 3, pop_floor=3000)
    res = solve_plan(p, S, mode="target-count", target=1, weights=ObjectiveWeights(compactness=1))
    assert set(res.plan.seats.values()) == {"r0c1"}


def test_radius_pruning_limits_members():
    # grid points are 2 km apart: with a 2.5 km radius a member is a direct neighbour of its
    # seat, so five units of 1,000 cannot form new units of 3,000 (3 + 2 leaves one short)
    import pytest

    from sapxep.units.errors import InfeasibleError

    p = grid_problem(1, 5, pop_floor=3000)
    assert solve_plan(p, S, mode="max-units").plan.n_after == 1
    narrow = SolverSettings(time_limit_s=5, num_workers=1, radius_km=2.5)
    with pytest.raises(InfeasibleError, match="within 2.5 km of its seat"):
        solve_plan(p, narrow, mode="max-units")
    six = grid_problem(1, 6, pop_floor=3000)
    res = solve_plan(six, narrow, mode="max-units")
    for g, members in res.plan.groups.items():
        c = int(res.plan.seats[g][-1])
        assert all(abs(int(x[-1]) - c) <= 1 for x in members)


def test_log_callback_receives_the_search_log():
    lines: list[str] = []
    s = SolverSettings(time_limit_s=5, num_workers=1, log_callback=lines.append, packing_bound=False)
    solve_plan(grid_problem(3, 3, pop_floor=2000), s, mode="max-units")
    assert any("CP-SAT" in line for line in lines)
