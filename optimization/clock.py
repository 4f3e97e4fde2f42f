"""Budgets and cancellation of one optimizer call: wall clock, deterministic time, stop requests.

A :class:`SolveClock` is created per :func:`~sapxep.optimization.solve.solve_plan` call. It hands out
CP-SAT solvers whose limits come from what is left of the budget, records the deterministic
time every solve used, notes every step whose outcome depended on the wall clock (which makes
the run non-repeatable), and stops a running search as soon as ``should_stop()`` turns true.

With ``SolverSettings.deterministic_time_s`` set, the split of the budget between phases is
made on CP-SAT's deterministic time only (a measure of work, identical from run to run with
one worker); the wall-clock limit stays as an overall safety net.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ortools.sat.python import cp_model

from sapxep.optimization.settings import SolverSettings

logger = logging.getLogger(__name__)

StopFn = Callable[[], bool]

#: Seconds between two ``should_stop()`` polls while CP-SAT searches.
POLL_INTERVAL_S = 0.05


class SolveClock:
    """Wall-clock and deterministic budgets, cancellation and repeatability notes.

    Parameters
    ----------
    settings : SolverSettings
    should_stop : callable, optional
        Polled during the whole call (also from a helper thread while CP-SAT runs, so it
        must be thread-safe, e.g. ``threading.Event().is_set``). Once it returns true the
        current search stops and no further phase starts.
    t0 : float, optional
        ``time.perf_counter()`` at the start of the call (default: now).
    """

    def __init__(
        self, settings: SolverSettings, *, should_stop: StopFn | None = None, t0: float | None = None
    ) -> None:
        self.settings = settings
        self.should_stop = should_stop
        self.t0 = time.perf_counter() if t0 is None else t0
        self.det_used = 0.0
        self.notes: list[str] = []
        self.cancelled = False

    # -- budgets -----------------------------------------------------------------------
    @property
    def deterministic(self) -> bool:
        """Whether phases are budgeted in deterministic time."""
        return self.settings.deterministic_time_s is not None

    def elapsed(self) -> float:
        """Wall seconds since the start of the call."""
        return time.perf_counter() - self.t0

    def wall_left(self) -> float:
        """Wall seconds left of ``time_limit_s``."""
        return self.settings.time_limit_s - self.elapsed()

    def det_left(self) -> float | None:
        """Deterministic time left of ``deterministic_time_s`` (None without one)."""
        d = self.settings.deterministic_time_s
        return None if d is None else max(0.0, d - self.det_used)

    def note(self, text: str) -> None:
        """Record a step whose outcome depended on the wall clock."""
        if text not in self.notes:
            self.notes.append(text)
            logger.info("not repeatable: %s", text)

    @property
    def reproducible(self) -> bool:
        """One worker, not cancelled, and no step cut by the wall clock."""
        return self.settings.num_workers == 1 and not self.cancelled and not self.notes

    def reproducibility_notes(self) -> list[str]:
        """Why the run may not repeat exactly (empty when it does)."""
        out = []
        if self.settings.num_workers != 1:
            out.append(f"num_workers = {self.settings.num_workers} (parallel search is not repeatable)")
        if self.cancelled:
            out.append("cancelled")
        return out + list(self.notes)

    # -- cancellation ------------------------------------------------------------------
    def stop_requested(self) -> bool:
        """Poll ``should_stop`` (sticky: once true, stays true)."""
        if not self.cancelled and self.should_stop is not None and self.should_stop():
            self.cancelled = True
            logger.info("stop requested after %.1fs", self.elapsed())
        return self.cancelled

    @contextmanager
    def watching(self, solver: cp_model.CpSolver) -> Iterator[None]:
        """Call ``solver.stop_search()`` as soon as a stop is requested during the block.

        CP-SAT's solution, bound and log callbacks fire only on events (a new solution, a
        better bound, a log line), so a helper thread polls ``should_stop`` every
        :data:`POLL_INTERVAL_S` seconds as well.
        """
        if self.should_stop is None:
            yield
            return
        done = threading.Event()

        def poll() -> None:
            while not done.wait(POLL_INTERVAL_S):
                if self.stop_requested():
                    solver.stop_search()
                    return

        def on_bound(_: float) -> None:
            if self.stop_requested():
                solver.stop_search()

        solver.best_bound_callback = on_bound
        thread = threading.Thread(target=poll, name="sapxep-stop-poll", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    # -- solving -----------------------------------------------------------------------
    def solver(self, share: float = 1.0, *, max_wall_s: float | None = None,
               max_det: float | None = None, log: bool = True) -> cp_model.CpSolver:  # fmt: skip
        """A CP-SAT solver limited to ``share`` of what is left.

        Without a deterministic budget, ``share`` splits the wall time left; with one, it
        splits the deterministic time left and the wall limit is what is left overall.

        Parameters
        ----------
        share : float
            Fraction of the remaining budget for this solve.
        max_wall_s, max_det : float, optional
            Further caps on the wall and deterministic limits.
        log : bool
            Send the search log to ``settings.log_callback`` (when set).
        """
        s = self.settings
        solver = cp_model.CpSolver()
        prm = solver.parameters
        det = self.det_left()
        wall = self.wall_left() if det is not None else self.wall_left() * share
        if max_wall_s is not None:
            wall = min(wall, max_wall_s)
        prm.max_time_in_seconds = max(0.05, wall)
        if det is not None:
            d = det * share if max_det is None else min(det * share, max_det)
            prm.max_deterministic_time = max(1e-3, d)
        elif max_det is not None:
            prm.max_deterministic_time = max(1e-3, max_det)
        prm.num_workers = s.num_workers
        prm.random_seed = s.random_seed
        prm.log_to_stdout = False
        if log and s.log_callback is not None:
            prm.log_search_progress = True
            solver.log_callback = s.log_callback
        return solver

    def solve(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        phase: str,
        callback: cp_model.CpSolverSolutionCallback | None = None,
    ) -> cp_model.CpSolverStatus:
        """Run ``solver`` on ``model`` (stoppable), account its deterministic time.

        A search that ended neither proven (optimal or infeasible) nor on its deterministic
        limit stopped on the wall clock: that is noted as not repeatable.

        Returns
        -------
        CpSolverStatus
            The CP-SAT status (``UNKNOWN`` without searching when a stop was requested).
        """
        if self.stop_requested():
            return cp_model.UNKNOWN
        with self.watching(solver):
            status = solver.solve(model, callback)
        used = solver.deterministic_time
        self.det_used += used
        if status in (cp_model.FEASIBLE, cp_model.UNKNOWN) and not self.cancelled:
            prm = solver.parameters
            if not used >= 0.999 * prm.max_deterministic_time:  # inf when unset
                self.note(f"{phase}: stopped by the wall-clock limit "
                          f"({prm.max_time_in_seconds:.2f} s)")  # fmt: skip
        return status


class StopOnRequest(cp_model.CpSolverSolutionCallback):
    """A solution callback that stops the search once a stop is requested.

    Subclasses override :meth:`on_solution` (called for every solution before the check).
    """

    def __init__(self, clock: SolveClock) -> None:
        super().__init__()
        self.clock = clock

    def on_solution(self) -> None:
        """Hook for subclasses."""

    def on_solution_callback(self) -> None:
        self.on_solution()
        if self.clock.stop_requested():
            self.stop_search()
