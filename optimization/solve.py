"""Solve a :class:`PlanProblem` with CP-SAT: pre-checks, warm start, solve, explain."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from ortools.sat.python import cp_model

from sapxep.optimization.candidates import Candidates, compute_candidates, is_representable, seat_rank
from sapxep.optimization.clock import SolveClock, StopFn, StopOnRequest
from sapxep.optimization.explain import infeasibility_core, max_units_bound, precheck
from sapxep.optimization.heuristics import greedy_plan
from sapxep.optimization.model import PlanModel
from sapxep.optimization.objectives import ObjectiveWeights, secondary_value
from sapxep.optimization.packing import packing_relaxation
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.verify import plan_violations
from sapxep.units.choices import MODES
from sapxep.units.errors import InfeasibleError, ScenarioError, SolverError
from sapxep.units.plan import MergePlan, plan_from_mapping

logger = logging.getLogger(__name__)

ProgressFn = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class SolveResult:
    """Outcome of one solve.

    Attributes
    ----------
    plan : MergePlan
        New-unit ids are ``"N" + seat code``; names are the seat units' names.
    status : str
        ``"OPTIMAL"`` or ``"FEASIBLE"`` (of the primary objective), or ``"CANCELLED"`` when
        ``should_stop`` stopped the call (the plan is the best found until then).
    objective : float
        Primary objective: new units (max-units), units touched (repair), or the
        weighted secondary objective (target-count).
    best_bound : float
        CP-SAT's proven bound on the primary objective.
    gap : float
        ``|bound - objective| / max(1, |objective|)`` (0 when optimal).
    solve_time_s : float
        Wall time of the whole call, seconds.
    first_solution_s : float or None
        Seconds until the first valid plan (greedy warm start or CP-SAT).
    secondary_objective : float or None
        Weighted secondary objective of the returned plan, when optimised.
    greedy_units : int or None
        New units in the greedy warm start (None without one).
    n_pairs : int
        Candidate (member, seat) variables after pruning.
    mode : str
    seat_of : tuple of str
        Seat code of every unit, aligned with ``problem.codes``.
    cancelled : bool
        ``should_stop`` stopped the call.
    reproducible : bool
        Repeatable by construction: one worker and no step cut by the wall clock (with
        ``deterministic_time_s`` every cut is on deterministic time), not cancelled.
    reproducibility_notes : tuple of str
        Why the run may not repeat exactly (empty when ``reproducible``).
    deterministic_time : float
        CP-SAT deterministic time used by every solve of the call.
    """

    plan: MergePlan
    status: str
    objective: float
    best_bound: float
    gap: float
    solve_time_s: float
    first_solution_s: float | None
    secondary_objective: float | None
    greedy_units: int | None
    n_pairs: int
    mode: str
    seat_of: tuple[str, ...]
    cancelled: bool = False
    reproducible: bool = False
    reproducibility_notes: tuple[str, ...] = ()
    deterministic_time: float = 0.0


def normalise_target(mode: str, target: int | Sequence[int] | None) -> tuple[int, int] | None:
    """Check ``mode``/``target`` and return the target as ``(kmin, kmax)``.

    Raises
    ------
    ScenarioError
        If the mode is unknown or the target is missing or malformed.
    """
    if mode not in MODES:
        raise ScenarioError(f"unknown mode '{mode}'", [f"choose one of: {', '.join(MODES)}"])
    if target is None:
        if mode == "target-count":
            raise ScenarioError(
                "mode target-count needs a target", ["give target = K or target = [min, max]"]
            )
        return None
    if isinstance(target, int | float) and not isinstance(target, bool):
        lo = hi = int(target)
    else:
        vals = list(target)  # type: ignore[arg-type]
        if len(vals) != 2:
            raise ScenarioError("target must be K or [min, max]", [f"got {target!r}"])
        lo, hi = int(vals[0]), int(vals[1])
    if lo < 1 or hi < lo:
        raise ScenarioError("target must satisfy 1 <= min <= max", [f"got [{lo}, {hi}]"])
    return lo, hi


class _Progress(StopOnRequest):
    """Reports every solution and stops the search once a stop is requested."""

    def __init__(self, clock: SolveClock, phase: str, on_progress: ProgressFn | None) -> None:
        super().__init__(clock)
        self.t0 = clock.t0
        self.phase = phase
        self.on_progress = on_progress
        self.first: float | None = None
        self.count = 0

    def on_solution(self) -> None:
        now = time.perf_counter() - self.t0
        self.count += 1
        if self.first is None:
            self.first = now
        if self.on_progress is not None:
            self.on_progress(
                {
                    "event": "solution",
                    "phase": self.phase,
                    "objective": self.objective_value,
                    "best_bound": self.best_objective_bound,
                    "time_s": now,
                }
            )


def _hint_seats(problem: PlanProblem, hint: MergePlan | Mapping[str, str], cand: Candidates) -> list[int]:
    """Turn a user hint (plan, or code -> seat code) into seat positions for the model."""
    idx = problem.index
    if isinstance(hint, MergePlan):
        groups = hint.groups
        seat_code: dict[str, str] = {}
        for g, codes in groups.items():
            seat = hint.seats.get(g) or codes[0]
            for c in codes:
                seat_code[c] = seat
    else:
        seat_code = dict(hint)
    seat_of = [idx.get(seat_code.get(c, c), i) for i, c in enumerate(problem.codes)]
    if cand.largest_seat:
        rank = seat_rank(problem)
        groups2: dict[int, list[int]] = {}
        for i, s in enumerate(seat_of):
            groups2.setdefault(s, []).append(i)
        for members in groups2.values():
            top = max(members, key=lambda m: rank[m])
            for m in members:
                seat_of[m] = top
    return seat_of


def solve_plan(
    problem: PlanProblem,
    settings: SolverSettings,
    *,
    mode: str,
    target: int | Sequence[int] | None = None,
    weights: ObjectiveWeights | None = None,
    hint: MergePlan | Mapping[str, str] | None = None,
    on_progress: ProgressFn | None = None,
    previous: Sequence[Sequence[str]] = (),
    min_changed: int = 1,
    should_stop: StopFn | None = None,
) -> SolveResult:
    """Partition the problem's units into new units with CP-SAT.

    Parameters
    ----------
    problem : PlanProblem
    settings : SolverSettings
    mode : {"max-units", "target-count", "repair"}
        ``max-units`` keeps as many units as possible; ``target-count`` forms exactly K
        (or ``[min, max]``) new units; ``repair`` changes only what must-arrange units need,
        minimising the number of units touched.
    target : int or (int, int), optional
        Required for ``target-count``.
    weights : ObjectiveWeights, optional
        Secondary objectives. In max-units and repair they are optimised in a second
        phase with the primary objective held at its best found value.
    hint : MergePlan or mapping, optional
        Warm start (otherwise the greedy plan is used when ``settings.hint``).
    on_progress : callable, optional
        Receives dicts ``{"event": "greedy"|"solution"|"done", ...}``.
    previous : sequence of sequence of str
        Earlier plans (seat code of every unit, aligned with ``problem.codes``) the
        new plan must differ from in at least ``min_changed`` units (alternatives).
    min_changed : int
    should_stop : callable, optional
        Cancellation: polled between steps, on every solution and every
        ``POLL_INTERVAL_S`` seconds during a search (from a helper thread, so it must be
        thread-safe, e.g. ``threading.Event().is_set``). Once true, the search stops and
        the best plan found so far is returned with status ``"CANCELLED"``.

    Returns
    -------
    SolveResult

    Raises
    ------
    InfeasibleError
        No plan exists; the messages name the units and rules in conflict.
    SolverError
        The time limit ran out, or the call was cancelled, before any plan was found.
    ScenarioError
        Invalid mode or target.
    """
    clock = SolveClock(settings, should_stop=should_stop)
    t0 = clock.t0
    kk = normalise_target(mode, target)
    weights = weights or ObjectiveWeights()
    # Seat symmetry breaking (seat = most populous member) unless the seat choice itself
    # matters for the primary objective or is fixed by the user.
    largest = (
        settings.symmetry_breaking
        and not problem.fixed_seats
        and not (mode == "target-count" and weights.compactness > 0)
    )
    full = compute_candidates(problem, settings, largest_seat=False)
    problems = precheck(problem, full, settings, mode=mode, target=kk)
    if problems:
        raise InfeasibleError(f"no plan exists: {len(problems)} conflicts found", problems)
    cand = full if not largest else compute_candidates(problem, settings, largest_seat=True)
    idx = problem.index
    prev_pos = [[idx[s] for s in seats] for seats in previous]

    pm = PlanModel(
        problem, cand, mode=mode, target=kk, weights=weights, previous=prev_pos,
        min_changed=min_changed,
    )  # fmt: skip
    greedy_units = None
    first_s: float | None = None
    hint_seats: list[int] | None = None
    if hint is not None:
        hint_seats = _hint_seats(problem, hint, cand)
    elif settings.hint:
        restarts = max(1, min(settings.greedy_restarts, 4000 // max(1, problem.n)))
        gp = greedy_plan(
            problem, cand, mode=mode, target=kk, seed=settings.random_seed, restarts=restarts,
            # restarts scale down with size; the time budget is only a safety net, and is
            # off with a deterministic budget so that the warm start is always the same
            time_budget_s=None if clock.deterministic else 0.3 * settings.time_limit_s,
            should_stop=clock.stop_requested,
        )  # fmt: skip
        if gp.n_restarts < restarts and not clock.cancelled:
            clock.note(f"greedy warm start: {gp.n_restarts} of {restarts} restarts in its time budget")
        greedy_units = gp.n_units
        hint_seats = gp.seat_of
        if gp.valid and not plan_violations(problem, gp.seat_of) and not prev_pos:
            first_s = time.perf_counter() - t0
        if on_progress is not None:
            on_progress(
                {"event": "greedy", "n_units": gp.n_units, "valid": gp.valid,
                 "time_s": time.perf_counter() - t0}
            )  # fmt: skip
    fallback: list[int] | None = None  # a valid plan found outside CP-SAT
    if (
        hint_seats is not None
        and mode != "target-count"  # the greedy plan may miss the target
        and not prev_pos
        and not plan_violations(problem, hint_seats)
    ):
        fallback = list(hint_seats)
    pack_bound: int | None = None
    if mode == "max-units" and settings.packing_bound and not clock.stop_requested():
        budget = min(settings.packing_time_s, max(0.2, 0.5 * settings.time_limit_s))
        # (with a deterministic budget: at most half of it, and packing_time_s)
        pk = packing_relaxation(problem, settings, time_limit_s=budget, clock=clock)
        pack_bound = pk.bound
        if pack_bound is not None:
            pm.model.add(pm.vars.n_seats() <= pack_bound)
        pk_seats = None if pk.seat_of is None else _fit_to_model(problem, pk.seat_of, full)
        if pk_seats is not None and not prev_pos:
            if fallback is None or _n_groups(pk_seats) > _n_groups(fallback):
                fallback = pk_seats
                seat_codes = (problem.codes[s] for s in pk_seats)
                hint_seats = _hint_seats(problem, dict(zip(problem.codes, seat_codes, strict=True)), cand)
            if first_s is None:
                first_s = time.perf_counter() - t0
        if on_progress is not None:
            on_progress({"event": "packing", "bound": pack_bound,
                         "n_units": None if pk_seats is None else _n_groups(pk_seats),
                         "time_s": time.perf_counter() - t0})  # fmt: skip
    if hint_seats is not None:
        missing = pm.add_hint(hint_seats)
        if missing:
            logger.info("hint: %d units outside the pruned model", missing)

    two_phase = weights.any and mode != "target-count"
    share1 = 0.7 if two_phase else 1.0
    failing = (pm.failing_singles() if mode == "target-count" else []) + pm.exception_literals()
    phase0: list[int] | None = None  # target-count: plan of the floors phase
    if failing:
        # first make as many new units as possible meet the floors, then optimise the rest
        pm.model.minimize(sum(failing))
        solver0 = clock.solver(0.3)  # target-count only: no second phase
        st0 = clock.solve(solver0, pm.model, "floors phase", StopOnRequest(clock))
        if st0 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            pm.model.add(sum(failing) <= int(round(solver0.objective_value)))
            phase0 = pm.vars.extract_assignment(solver0)
            pm.add_hint(phase0)
            logger.info("target-count: %d new units below the floors", solver0.objective_value)
            if first_s is None:
                first_s = time.perf_counter() - t0
    pm.set_primary_objective()
    solver = clock.solver(share1)
    cb = _Progress(clock, "primary", on_progress)
    proven = (
        mode == "max-units"
        and fallback is not None
        and pack_bound is not None
        and _n_groups(fallback) >= pack_bound
    )
    if proven:
        # the packing plan reaches the packing bound: it is optimal, no search needed
        status = cp_model.UNKNOWN
        logger.info("max-units: packing plan with %d new units is optimal", pack_bound)
    else:
        status = clock.solve(solver, pm.model, "main search", cb)
    if status == cp_model.INFEASIBLE and cand.largest_seat:
        # the seat-symmetry restriction can exclude every plan: retry with free seats
        logger.info("infeasible with seat = most populous member; retrying with free seats")
        left = settings.time_limit_s - (time.perf_counter() - t0)
        det_left = clock.det_left()
        retry = solve_plan(
            problem, replace(settings, symmetry_breaking=False, time_limit_s=max(1.0, left),
                             deterministic_time_s=None if det_left is None else max(1e-3, det_left)),
            mode=mode, target=target, weights=weights, hint=hint, on_progress=on_progress,
            previous=previous, min_changed=min_changed, should_stop=should_stop,
        )  # fmt: skip
        notes = tuple(dict.fromkeys(clock.notes + list(retry.reproducibility_notes)))
        return replace(retry, reproducible=retry.reproducible and not clock.notes,
                       reproducibility_notes=notes,
                       deterministic_time=round(clock.det_used + retry.deterministic_time, 6))  # fmt: skip
    if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
        if status == cp_model.MODEL_INVALID:
            raise SolverError(f"internal error: invalid model ({pm.model.validate()})")
        msgs = None if clock.stop_requested() else infeasibility_core(
            lambda: PlanModel(problem, full, mode=mode, target=kk, with_guards=True),
            problem, settings, time_limit_s=max(2.0, min(20.0, settings.time_limit_s)),
        )  # fmt: skip
        if msgs is None:
            msgs = [
                "the rules cannot all hold together (no smaller explanation found in time); "
                f"try raising max_graph_distance (now {settings.max_graph_distance}) or "
                "relaxing ceilings, pairs or locks"
            ]
        raise InfeasibleError("no plan exists: these rules cannot all hold together", msgs)
    solved = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not solved and fallback is None and phase0 is None:
        if clock.cancelled:
            raise SolverError(
                f"cancelled after {clock.elapsed():.1f} s, before any plan was found: "
                "run again and let it search longer"
            )
        limit = f"{settings.time_limit_s:g} s"
        if settings.deterministic_time_s is not None:
            limit += f" / deterministic time {settings.deterministic_time_s:g}"
        raise SolverError(
            f"no plan found within {limit} "
            f"(solver status {solver.status_name(status)}): raise the time limit, "
            "or reduce max_graph_distance to make the model smaller"
        )
    if first_s is None:
        first_s = cb.first
    if solved:
        seat_pos = pm.vars.extract_assignment(solver)
        objective = float(solver.objective_value)
        bound = float(solver.best_objective_bound)
    elif phase0 is not None:  # no solution of the main search: keep the floors-phase plan
        seat_pos = phase0
        objective = float(secondary_value(problem, cand, phase0, pm.secondary_weights()))
        bound = 0.0
        status = cp_model.FEASIBLE
    else:  # CP-SAT found nothing in time: keep the valid warm start
        assert fallback is not None
        seat_pos = fallback
        objective = float(_primary_value(fallback, mode) or 0)
        bound = float(_valid_bound(problem, mode))
        status = cp_model.FEASIBLE
    if mode == "max-units":
        if fallback is not None and _n_groups(fallback) > objective:
            # the packing plan (outside the pruned model) is better than CP-SAT's
            seat_pos, objective = list(fallback), float(_n_groups(fallback))
        bounds = [float(pack_bound)] if pack_bound is not None else []
        if bound >= objective:  # CP-SAT's bound, unless a plan outside its model beat it
            bounds.append(bound)
        bound = min(bounds) if bounds else float(_valid_bound(problem, mode))
        status = cp_model.OPTIMAL if objective >= bound else cp_model.FEASIBLE
    status_name = solver.status_name(status) if status != cp_model.FEASIBLE else "FEASIBLE"
    secondary: float | None = None
    if mode == "target-count":
        secondary = objective
    if two_phase and not clock.stop_requested():
        wall_left = clock.wall_left()
        if wall_left > 0.2:
            pm2, cand2 = pm, cand
            if weights.compactness > 0 and cand.largest_seat:
                # let the seat move to the most central member in the polishing phase
                cand2 = full
                pm2 = PlanModel(problem, full, mode=mode, target=kk, weights=weights,
                                previous=prev_pos, min_changed=min_changed)  # fmt: skip
            pm2.fix_primary_and_minimise_secondary(int(round(objective)))
            pm2.add_hint(_reseat(problem, seat_pos, cand2))
            solver2 = clock.solver(1.0)
            cb2 = _Progress(clock, "secondary", on_progress)
            st2 = clock.solve(solver2, pm2.model, "secondary phase", cb2)
            if st2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                seat_pos = pm2.vars.extract_assignment(solver2)
                secondary = float(solver2.objective_value)
        else:
            clock.note(f"secondary phase skipped: {wall_left:.2f} s of wall time left")
    final = _primary_value(seat_pos, mode)
    if final is not None and final != objective:
        # the polishing phase (seat free to move) found a better primary than the
        # symmetry-broken model proved optimal: that proof no longer applies
        better = final > objective if mode == "max-units" else final < objective
        if better:
            objective = float(final)
            bound = float(pack_bound if pack_bound is not None else _valid_bound(problem, mode))
            reached = objective >= bound if mode == "max-units" else objective <= bound
            status = cp_model.OPTIMAL if reached else cp_model.FEASIBLE
            status_name = "OPTIMAL" if reached else "FEASIBLE"
    bad = plan_violations(problem, seat_pos)
    if bad:
        raise SolverError("internal error: the solver returned an invalid plan: " + "; ".join(bad))
    gap = 0.0 if status == cp_model.OPTIMAL else abs(bound - objective) / max(1.0, abs(objective))
    if clock.cancelled:
        status_name = "CANCELLED"
    plan = _to_plan(problem, seat_pos)
    elapsed = time.perf_counter() - t0
    logger.info(
        "solve_plan %s: %s objective=%g bound=%g gap=%.3f n_after=%d in %.1fs (det %.2f)",
        mode, status_name, objective, bound, gap, plan.n_after, elapsed, clock.det_used,
    )  # fmt: skip
    if on_progress is not None:
        on_progress({"event": "done", "status": status_name, "objective": objective,
                     "best_bound": bound, "time_s": elapsed})  # fmt: skip
    return SolveResult(
        plan=plan,
        status=status_name,
        objective=objective,
        best_bound=bound,
        gap=gap,
        solve_time_s=elapsed,
        first_solution_s=first_s,
        secondary_objective=secondary,
        greedy_units=greedy_units,
        n_pairs=cand.n_pairs,
        mode=mode,
        seat_of=tuple(problem.codes[s] for s in seat_pos),
        cancelled=clock.cancelled,
        reproducible=clock.reproducible,
        reproducibility_notes=tuple(clock.reproducibility_notes()),
        deterministic_time=round(clock.det_used, 6),
    )


def _n_groups(seat_of: Sequence[int]) -> int:
    return len(set(seat_of))


def _primary_value(seat_pos: Sequence[int], mode: str) -> int | None:
    """Primary objective of a plan: new units (max-units) or units touched (repair)."""
    size: dict[int, int] = {}
    for s in seat_pos:
        size[s] = size.get(s, 0) + 1
    if mode == "max-units":
        return len(size)
    if mode == "repair":
        return sum(1 for s in seat_pos if size[s] > 1)
    return None


def _valid_bound(problem: PlanProblem, mode: str) -> int:
    """A bound valid for every plan: floors-based count (max-units), must-arrange (repair)."""
    if mode == "max-units":
        b = max_units_bound(problem)
        return problem.n if b is None else min(problem.n, b)
    return len(problem.must_arrange)


def _fit_to_model(problem: PlanProblem, seat_of: Sequence[int], full: Candidates) -> list[int] | None:
    """Re-seat a plan found outside the model so that it respects the pruning.

    Every group gets a seat from which all members are candidates (within
    ``max_graph_distance`` / ``radius_km``) with closer-neighbour paths, preferring seats
    whose floors the group meets. Returns None if some group has no such seat.
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


def _reseat(problem: PlanProblem, seat_pos: Sequence[int], cand: Candidates) -> list[int]:
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


def _to_plan(problem: PlanProblem, seat_pos: Sequence[int]) -> MergePlan:
    codes = problem.codes
    assignment = pd.Series(
        [f"N{codes[s]}" for s in seat_pos], index=pd.Index(list(codes), dtype=object), dtype=object
    )
    seats = {f"N{codes[s]}": codes[s] for s in set(seat_pos)}
    names = {}
    if problem.names is not None:
        names = {f"N{codes[s]}": problem.names[s] for s in set(seat_pos)}
    return plan_from_mapping(assignment, seats=seats, names=names)
