"""The phases of :func:`sapxep.optimization.solve.solve_plan`, one small function each.

A solve runs: :func:`prepare` (pruning, pre-checks, the model), :func:`warm_start` (the user's
hint or the greedy plan), :func:`packing_phase` (max-units: a bound and maybe a plan),
:func:`floors_phase` (target-count: as many new units as possible meet the floors),
:func:`main_search` (the primary objective), :func:`incumbent` (the best plan among CP-SAT's,
the floors phase's and the warm start), :func:`settle_max_units` (max-units: the best plan and
bound inside and outside the pruned model), :func:`secondary_phase` (polishing with the primary
held) and :func:`adopt_polished_primary`. The typed :class:`Incumbent` carries the plan from
phase to phase; :func:`reconcile_status` is the one place that turns it into a status.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ortools.sat.python import cp_model

from sapxep.optimization.candidates import Candidates, compute_candidates
from sapxep.optimization.clock import SolveClock, StopOnRequest
from sapxep.optimization.explain import infeasibility_core, max_units_bound, precheck
from sapxep.optimization.heuristics import greedy_plan
from sapxep.optimization.model import PlanModel
from sapxep.optimization.objectives import ObjectiveWeights, secondary_value
from sapxep.optimization.packing import packing_relaxation
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.seating import fit_to_model, hint_seats, reseat
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.verify import plan_violations
from sapxep.units.errors import InfeasibleError, SolverError
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)

ProgressFn = Callable[[dict[str, Any]], None]
Status = Literal["OPTIMAL", "FEASIBLE", "CANCELLED"]


@dataclass(frozen=True)
class Setup:
    """What every phase of one solve shares (the model ``pm`` is filled in place)."""

    problem: PlanProblem
    settings: SolverSettings
    mode: str
    target: tuple[int, int] | None
    weights: ObjectiveWeights
    full: Candidates
    cand: Candidates
    prev_pos: list[list[int]]
    min_changed: int
    pm: PlanModel
    clock: SolveClock
    on_progress: ProgressFn | None

    def since_start(self) -> float:
        """Seconds since the solve started."""
        return time.perf_counter() - self.clock.t0

    def report(self, event: dict[str, Any]) -> None:
        """Pass a progress event on, if anyone listens."""
        if self.on_progress is not None:
            self.on_progress(event)


@dataclass(frozen=True)
class Start:
    """The warm start: the hint for CP-SAT and a valid plan found outside it.

    Attributes
    ----------
    hint_seats : list of int or None
        Seat position of every unit, hinted to CP-SAT.
    fallback : list of int or None
        A valid plan found outside CP-SAT (kept if CP-SAT finds nothing better).
    greedy_units : int or None
        New units of the greedy plan.
    first_s : float or None
        Seconds until the first valid plan.
    pack_bound : int or None
        The packing relaxation's bound on new units (max-units).
    """

    hint_seats: list[int] | None = None
    fallback: list[int] | None = None
    greedy_units: int | None = None
    first_s: float | None = None
    pack_bound: int | None = None


@dataclass(frozen=True)
class Incumbent:
    """The best plan so far and what is known about it.

    Attributes
    ----------
    seat_pos : list of int
        Seat position of every unit.
    objective : float
        Primary objective (target-count: the weighted secondary objective).
    bound : float
        Best proven bound on the primary objective.
    proved : bool
        CP-SAT proved ``objective`` optimal (False for plans found outside it).
    secondary : float or None
        Weighted secondary objective, when optimised.
    polished_primary : bool
        The polishing phase improved the primary objective (the proof no longer applies).
    """

    seat_pos: list[int]
    objective: float
    bound: float
    proved: bool
    secondary: float | None = None
    polished_primary: bool = False


class Progress(StopOnRequest):
    """Reports every solution and stops the search once a stop is requested."""

    def __init__(self, clock: SolveClock, phase: str, on_progress: ProgressFn | None) -> None:
        super().__init__(clock)
        self.t0 = clock.t0
        self.phase = phase
        self.on_progress = on_progress
        self.first: float | None = None
        self.count = 0

    def on_solution(self) -> None:
        """Count the solution and report it."""
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


def n_groups(seat_of: Sequence[int]) -> int:
    """Number of new units of a plan."""
    return len(set(seat_of))


def primary_value(seat_pos: Sequence[int], mode: str) -> int | None:
    """Primary objective of a plan: new units (max-units) or units touched (repair)."""
    size: dict[int, int] = {}
    for s in seat_pos:
        size[s] = size.get(s, 0) + 1
    if mode == "max-units":
        return len(size)
    if mode == "repair":
        return sum(1 for s in seat_pos if size[s] > 1)
    return None


def valid_bound(problem: PlanProblem, mode: str) -> int:
    """A bound valid for every plan: floors-based count (max-units), must-arrange (repair)."""
    if mode == "max-units":
        b = max_units_bound(problem)
        return problem.n if b is None else min(problem.n, b)
    return len(problem.must_arrange)


def prepare(
    problem: PlanProblem,
    settings: SolverSettings,
    clock: SolveClock,
    *,
    mode: str,
    target: tuple[int, int] | None,
    weights: ObjectiveWeights,
    previous: Sequence[Sequence[str]],
    min_changed: int,
    on_progress: ProgressFn | None,
) -> Setup:
    """Prune, pre-check (raising :class:`InfeasibleError` with every conflict) and build the model.

    Seat symmetry breaking (seat = :func:`sapxep.units.plan.default_seat`) applies unless
    the seat choice matters for the primary objective or is fixed by the user.
    """
    largest = (
        settings.symmetry_breaking
        and not problem.fixed_seats
        and not (mode == "target-count" and weights.compactness > 0)
    )
    full = compute_candidates(problem, settings, largest_seat=False)
    problems = precheck(problem, full, settings, mode=mode, target=target)
    if problems:
        raise InfeasibleError(f"no plan exists: {len(problems)} conflicts found", problems)
    cand = full if not largest else compute_candidates(problem, settings, largest_seat=True)
    idx = problem.index
    prev_pos = [[idx[s] for s in seats] for seats in previous]
    pm = PlanModel(problem, cand, mode=mode, target=target, weights=weights, previous=prev_pos,
                   min_changed=min_changed)  # fmt: skip
    return Setup(problem, settings, mode, target, weights, full, cand, prev_pos, min_changed, pm,
                 clock, on_progress)  # fmt: skip


def warm_start(s: Setup, hint: MergePlan | Mapping[str, str] | None) -> Start:
    """The user's hint, or the greedy plan when ``settings.hint``; and a valid fallback plan."""
    p, settings, clock = s.problem, s.settings, s.clock
    start = Start()
    if hint is not None:
        start = replace(start, hint_seats=hint_seats(p, hint, s.cand))
    elif settings.hint:
        restarts = max(1, min(settings.greedy_restarts, 4000 // max(1, p.n)))
        gp = greedy_plan(
            p, s.cand, mode=s.mode, target=s.target, seed=settings.random_seed, restarts=restarts,
            # restarts scale down with size; the time budget is only a safety net, and is
            # off with a deterministic budget so that the warm start is always the same
            time_budget_s=None if clock.deterministic else 0.3 * settings.time_limit_s,
            should_stop=clock.stop_requested,
        )  # fmt: skip
        if gp.n_restarts < restarts and not clock.cancelled:
            clock.note(f"greedy warm start: {gp.n_restarts} of {restarts} restarts in its time budget")
        valid_now = gp.valid and not plan_violations(p, gp.seat_of) and not s.prev_pos
        start = Start(hint_seats=gp.seat_of, greedy_units=gp.n_units,
                      first_s=s.since_start() if valid_now else None)  # fmt: skip
        s.report({"event": "greedy", "n_units": gp.n_units, "valid": gp.valid, "time_s": s.since_start()})
    if (
        start.hint_seats is not None
        and s.mode != "target-count"  # the greedy plan may miss the target
        and not s.prev_pos
        and not plan_violations(p, start.hint_seats)
    ):
        start = replace(start, fallback=list(start.hint_seats))
    return start


def packing_phase(s: Setup, start: Start) -> Start:
    """Max-units: bound the number of new units by packing; keep its plan if it is better."""
    p, settings, clock = s.problem, s.settings, s.clock
    if s.mode != "max-units" or not settings.packing_bound or clock.stop_requested():
        return start
    budget = min(settings.packing_time_s, max(0.2, 0.5 * settings.time_limit_s))
    # (with a deterministic budget: at most half of it, and packing_time_s)
    pk = packing_relaxation(p, settings, time_limit_s=budget, clock=clock)
    start = replace(start, pack_bound=pk.bound)
    if pk.bound is not None:
        s.pm.model.add(s.pm.vars.n_seats() <= pk.bound)
    pk_seats = None if pk.seat_of is None else fit_to_model(p, pk.seat_of, s.full)
    if pk_seats is not None and not s.prev_pos:
        if start.fallback is None or n_groups(pk_seats) > n_groups(start.fallback):
            seat_codes = dict(zip(p.codes, (p.codes[j] for j in pk_seats), strict=True))
            start = replace(start, fallback=pk_seats, hint_seats=hint_seats(p, seat_codes, s.cand))
        if start.first_s is None:
            start = replace(start, first_s=s.since_start())
    n_units = None if pk_seats is None else n_groups(pk_seats)
    s.report({"event": "packing", "bound": pk.bound, "n_units": n_units, "time_s": s.since_start()})
    return start


def hint_model(s: Setup, start: Start) -> Start:
    """Hint the warm start (or the packing plan) to CP-SAT."""
    if start.hint_seats is not None:
        missing = s.pm.add_hint(start.hint_seats)
        if missing:
            logger.info("hint: %d units outside the pruned model", missing)
    return start


def floors_phase(s: Setup, start: Start) -> tuple[list[int] | None, Start]:
    """First make as many new units as possible meet the floors (target-count), and keep
    NQ 76 Art. 5(3) exceptions as few as possible (every mode).

    Returns the plan of this phase (None when it has none or does not run) and the start.
    """
    failing = (s.pm.failing_singles() if s.mode == "target-count" else []) + s.pm.exception_literals()
    if not failing:
        return None, start
    s.pm.model.minimize(sum(failing))
    solver0 = s.clock.solver(0.3)  # target-count only: no second phase
    st0 = s.clock.solve(solver0, s.pm.model, "floors phase", StopOnRequest(s.clock))
    if st0 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, start
    s.pm.model.add(sum(failing) <= int(round(solver0.objective_value)))
    phase0 = s.pm.vars.extract_assignment(solver0)
    s.pm.add_hint(phase0)
    logger.info("target-count: %d new units below the floors", solver0.objective_value)
    if start.first_s is None:
        start = replace(start, first_s=s.since_start())
    return phase0, start


def main_search(
    s: Setup, start: Start, share: float
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver, Progress]:
    """Optimise the primary objective; skipped when the packing plan meets the packing bound."""
    s.pm.set_primary_objective()
    solver = s.clock.solver(share)
    cb = Progress(s.clock, "primary", s.on_progress)
    proven = (
        s.mode == "max-units"
        and start.fallback is not None
        and start.pack_bound is not None
        and n_groups(start.fallback) >= start.pack_bound
    )
    if proven:
        logger.info("max-units: packing plan with %d new units is optimal", start.pack_bound)
        return cp_model.UNKNOWN, solver, cb
    return s.clock.solve(solver, s.pm.model, "main search", cb), solver, cb


def raise_infeasible(s: Setup, status: cp_model.CpSolverStatus) -> None:
    """Raise for an INFEASIBLE or MODEL_INVALID search, naming the conflicting rules if found."""
    if status == cp_model.MODEL_INVALID:
        raise SolverError(f"internal error: invalid model ({s.pm.model.validate()})")
    p, settings = s.problem, s.settings
    msgs = None if s.clock.stop_requested() else infeasibility_core(
        lambda: PlanModel(p, s.full, mode=s.mode, target=s.target, with_guards=True),
        p, settings, time_limit_s=max(2.0, min(20.0, settings.time_limit_s)),
    )  # fmt: skip
    if msgs is None:
        msgs = [
            "the rules cannot all hold together (no smaller explanation found in time); "
            f"try raising max_graph_distance (now {settings.max_graph_distance}) or "
            "relaxing ceilings, pairs or locks"
        ]
    raise InfeasibleError("no plan exists: these rules cannot all hold together", msgs)


def incumbent(
    s: Setup,
    start: Start,
    status: cp_model.CpSolverStatus,
    solver: cp_model.CpSolver,
    phase0: list[int] | None,
) -> Incumbent:
    """The best plan after the main search: CP-SAT's, else the floors phase's, else the fallback.

    Raises
    ------
    SolverError
        Nothing was found (time limit or cancellation).
    """
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Incumbent(s.pm.vars.extract_assignment(solver), float(solver.objective_value),
                         float(solver.best_objective_bound), status == cp_model.OPTIMAL)  # fmt: skip
    if phase0 is not None:  # no solution of the main search: keep the floors-phase plan
        value = secondary_value(s.problem, s.cand, phase0, s.pm.secondary_weights())
        return Incumbent(phase0, float(value), 0.0, False)
    if start.fallback is not None:  # CP-SAT found nothing in time: keep the valid warm start
        fb = start.fallback
        return Incumbent(
            fb, float(primary_value(fb, s.mode) or 0), float(valid_bound(s.problem, s.mode)), False
        )
    if s.clock.cancelled:
        raise SolverError(
            f"cancelled after {s.clock.elapsed():.1f} s, before any plan was found: "
            "run again and let it search longer"
        )
    limit = f"{s.settings.time_limit_s:g} s"
    if s.settings.deterministic_time_s is not None:
        limit += f" / deterministic time {s.settings.deterministic_time_s:g}"
    raise SolverError(
        f"no plan found within {limit} (solver status {solver.status_name(status)}): raise the "
        "time limit, or reduce max_graph_distance to make the model smaller"
    )


def settle_max_units(s: Setup, start: Start, inc: Incumbent) -> Incumbent:
    """Max-units: prefer the packing plan if CP-SAT's is smaller; the tightest valid bound."""
    if s.mode != "max-units":
        return inc
    if start.fallback is not None and n_groups(start.fallback) > inc.objective:
        # the packing plan (outside the pruned model) is better than CP-SAT's
        inc = replace(inc, seat_pos=list(start.fallback), objective=float(n_groups(start.fallback)))
    bounds = [float(start.pack_bound)] if start.pack_bound is not None else []
    if inc.bound >= inc.objective:  # CP-SAT's bound, unless a plan outside its model beat it
        bounds.append(inc.bound)
    return replace(inc, bound=min(bounds) if bounds else float(valid_bound(s.problem, s.mode)))


def secondary_phase(s: Setup, inc: Incumbent) -> Incumbent:
    """Optimise the secondary objectives with the primary held at its value (two-phase modes)."""
    if s.mode == "target-count":
        return replace(inc, secondary=inc.objective)
    if not s.weights.any or s.clock.stop_requested():
        return inc
    wall_left = s.clock.wall_left()
    if wall_left <= 0.2:
        s.clock.note(f"secondary phase skipped: {wall_left:.2f} s of wall time left")
        return inc
    pm2, cand2 = s.pm, s.cand
    if s.weights.compactness > 0 and s.cand.largest_seat:
        # let the seat move to the most central member in the polishing phase
        cand2 = s.full
        pm2 = PlanModel(s.problem, s.full, mode=s.mode, target=s.target, weights=s.weights,
                        previous=s.prev_pos, min_changed=s.min_changed)  # fmt: skip
    pm2.fix_primary_and_minimise_secondary(int(round(inc.objective)))
    pm2.add_hint(reseat(s.problem, inc.seat_pos, cand2))
    solver2 = s.clock.solver(1.0)
    st2 = s.clock.solve(solver2, pm2.model, "secondary phase", Progress(s.clock, "secondary", s.on_progress))
    if st2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return inc
    return replace(
        inc, seat_pos=pm2.vars.extract_assignment(solver2), secondary=float(solver2.objective_value)
    )


def adopt_polished_primary(s: Setup, start: Start, inc: Incumbent) -> Incumbent:
    """Take a better primary value found by the polishing phase (seat free to move).

    The symmetry-broken model's proof no longer applies: the bound falls back to the packing
    bound or :func:`valid_bound`.
    """
    final = primary_value(inc.seat_pos, s.mode)
    if final is None or final == inc.objective:
        return inc
    better = final > inc.objective if s.mode == "max-units" else final < inc.objective
    if not better:
        return inc
    bound = start.pack_bound if start.pack_bound is not None else valid_bound(s.problem, s.mode)
    return replace(inc, objective=float(final), bound=float(bound), polished_primary=True)


def reconcile_status(mode: str, inc: Incumbent) -> Literal["OPTIMAL", "FEASIBLE"]:
    """The one place that decides whether the plan is proven optimal.

    Max-units: optimal iff the plan reaches the bound (CP-SAT's, the packing bound or the
    floors bound, whichever :func:`settle_max_units` kept). After a polished primary (repair):
    optimal iff the plan reaches the valid bound. Otherwise: CP-SAT's own proof.
    """
    if mode == "max-units":
        optimal = inc.objective >= inc.bound
    elif inc.polished_primary:
        optimal = inc.objective <= inc.bound
    else:
        optimal = inc.proved
    return "OPTIMAL" if optimal else "FEASIBLE"
