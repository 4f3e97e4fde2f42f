"""Solve a :class:`PlanProblem` with CP-SAT: pre-checks, warm start, solve, explain.

:func:`solve_plan` reads as its phases (:mod:`sapxep.optimization.phases`, one small function
each): prepare, warm start, packing, floors phase, main search, incumbent, max-units settling,
secondary phase; :func:`sapxep.optimization.phases.reconcile_status` decides the status once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from ortools.sat.python import cp_model

from sapxep.optimization import phases as ph
from sapxep.optimization.clock import SolveClock, StopFn
from sapxep.optimization.objectives import ObjectiveWeights
from sapxep.optimization.phases import ProgressFn
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.verify import plan_violations
from sapxep.units.choices import MODES
from sapxep.units.errors import ScenarioError, SolverError
from sapxep.units.plan import MergePlan, plan_from_mapping

__all__ = ["ProgressFn", "SolveResult", "normalise_target", "solve_plan"]

logger = logging.getLogger(__name__)


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
    kk = normalise_target(mode, target)
    weights = weights or ObjectiveWeights()
    s = ph.prepare(problem, settings, clock, mode=mode, target=kk, weights=weights, previous=previous,
                   min_changed=min_changed, on_progress=on_progress)  # fmt: skip
    start = ph.hint_model(s, ph.packing_phase(s, ph.warm_start(s, hint)))
    phase0, start = ph.floors_phase(s, start)
    two_phase = weights.any and mode != "target-count"
    status, solver, cb = ph.main_search(s, start, 0.7 if two_phase else 1.0)
    if status == cp_model.INFEASIBLE and s.cand.largest_seat:
        return _retry_with_free_seats(
            clock, problem, settings, mode=mode, target=target, weights=weights, hint=hint,
            on_progress=on_progress, previous=previous, min_changed=min_changed, should_stop=should_stop,
        )  # fmt: skip
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        ph.raise_infeasible(s, status)
    inc = ph.incumbent(s, start, status, solver, phase0)
    first_s = start.first_s if start.first_s is not None else cb.first
    inc = ph.settle_max_units(s, start, inc)
    inc = ph.adopt_polished_primary(s, start, ph.secondary_phase(s, inc))
    bad = plan_violations(problem, inc.seat_pos)
    if bad:
        raise SolverError("internal error: the solver returned an invalid plan: " + "; ".join(bad))
    return _result(s, start, inc, first_s)


def _retry_with_free_seats(clock: SolveClock, problem: PlanProblem, settings: SolverSettings,
                           **kwargs: Any) -> SolveResult:  # fmt: skip
    """The seat-symmetry restriction excluded every plan: solve again with free seats."""
    logger.info("infeasible with seat = most populous member; retrying with free seats")
    left = settings.time_limit_s - clock.elapsed()
    det_left = clock.det_left()
    retry = solve_plan(
        problem, replace(settings, symmetry_breaking=False, time_limit_s=max(1.0, left),
                         deterministic_time_s=None if det_left is None else max(1e-3, det_left)),
        **kwargs,
    )  # fmt: skip
    notes = tuple(dict.fromkeys(clock.notes + list(retry.reproducibility_notes)))
    return replace(retry, reproducible=retry.reproducible and not clock.notes,
                   reproducibility_notes=notes,
                   deterministic_time=round(clock.det_used + retry.deterministic_time, 6))  # fmt: skip


def _result(s: ph.Setup, start: ph.Start, inc: ph.Incumbent, first_s: float | None) -> SolveResult:
    """Build the :class:`SolveResult`; the status comes from :func:`phases.reconcile_status`."""
    proven = ph.reconcile_status(s.mode, inc)
    gap = 0.0 if proven == "OPTIMAL" else abs(inc.bound - inc.objective) / max(1.0, abs(inc.objective))
    status: ph.Status = "CANCELLED" if s.clock.cancelled else proven
    plan = _to_plan(s.problem, inc.seat_pos)
    elapsed = s.since_start()
    logger.info(
        "solve_plan %s: %s objective=%g bound=%g gap=%.3f n_after=%d in %.1fs (det %.2f)",
        s.mode, status, inc.objective, inc.bound, gap, plan.n_after, elapsed, s.clock.det_used,
    )  # fmt: skip
    s.report({"event": "done", "status": status, "objective": inc.objective, "best_bound": inc.bound,
              "time_s": elapsed})  # fmt: skip
    return SolveResult(
        plan=plan,
        status=status,
        objective=inc.objective,
        best_bound=inc.bound,
        gap=gap,
        solve_time_s=elapsed,
        first_solution_s=first_s,
        secondary_objective=inc.secondary,
        greedy_units=start.greedy_units,
        n_pairs=s.cand.n_pairs,
        mode=s.mode,
        seat_of=tuple(s.problem.codes[j] for j in inc.seat_pos),
        cancelled=s.clock.cancelled,
        reproducible=s.clock.reproducible,
        reproducibility_notes=tuple(s.clock.reproducibility_notes()),
        deterministic_time=round(s.clock.det_used, 6),
    )


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
