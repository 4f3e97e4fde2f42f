"""Solver settings: time limit, workers, seed, model pruning and logging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sapxep.units.errors import ScenarioError


@dataclass(frozen=True)
class SolverSettings:
    """How CP-SAT is run and how far the model is pruned.

    Attributes
    ----------
    time_limit_s : float
        Wall-clock limit of one solve, seconds.
    num_workers : int
        CP-SAT search workers. ``1`` plus a fixed ``random_seed`` and a
        ``deterministic_time_s`` gives the same plan run after run.
    random_seed : int
        CP-SAT random seed (also seeds the greedy warm start).
    deterministic_time_s : float or None
        Work limit of one solve in CP-SAT's deterministic time (``max_deterministic_time``,
        roughly seconds but independent of machine load). When set, the budget is split
        between phases on deterministic time only and the greedy warm start runs all its
        restarts, so with ``num_workers = 1`` the plan depends only on the inputs and the
        seed, as long as ``time_limit_s`` (kept as a safety net) is not reached first.
    max_graph_distance : int
        A unit may only join a new unit whose seat is at most this many adjacency
        steps away (model pruning; smaller is faster, larger allows larger new units).
    radius_km : float or None
        Optional extra pruning: a member must lie within this distance of its seat
        (needs coordinates in the problem).
    symmetry_breaking : bool
        If true, the seat of a new unit is its most populous member (ties: smallest
        code). This removes the seat-choice symmetry and halves the candidate pairs;
        it is switched off automatically when compactness is optimised or seats are
        fixed by the user.
    hint : bool
        Warm start CP-SAT with the greedy plan.
    greedy_restarts : int
        At most this many randomised greedy constructions for the warm start (fewer for
        large problems: ``min(greedy_restarts, 4000 // n_units)``).
    packing_bound : bool
        In max-units, solve the packing relaxation first (:mod:`sapxep.optimization.packing`):
        it caps the number of new units (a proven bound) and often gives a better plan.
    packing_time_s : float
        Upper limit on the time spent on the packing relaxation (at most half of
        ``time_limit_s`` is used; it stops early when the packing is optimal).
    log_callback : callable or None
        Receives CP-SAT's search log line by line (``log_search_progress``).
    """

    time_limit_s: float = 30.0
    num_workers: int = 2
    random_seed: int = 0
    deterministic_time_s: float | None = None
    max_graph_distance: int = 3
    radius_km: float | None = None
    symmetry_breaking: bool = True
    hint: bool = True
    greedy_restarts: int = 30
    packing_bound: bool = True
    packing_time_s: float = 60.0
    log_callback: Callable[[str], None] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        problems = []
        if not self.time_limit_s > 0:
            problems.append(f"time_limit_s must be > 0, got {self.time_limit_s}")
        if self.deterministic_time_s is not None and not self.deterministic_time_s > 0:
            problems.append(f"deterministic_time_s must be > 0 or unset, got {self.deterministic_time_s}")
        if self.num_workers < 1:
            problems.append(f"num_workers must be >= 1, got {self.num_workers}")
        if self.max_graph_distance < 1:
            problems.append(f"max_graph_distance must be >= 1, got {self.max_graph_distance}")
        if self.radius_km is not None and not self.radius_km > 0:
            problems.append(f"radius_km must be > 0 or unset, got {self.radius_km}")
        if self.greedy_restarts < 1:
            problems.append(f"greedy_restarts must be >= 1, got {self.greedy_restarts}")
        if problems:
            raise ScenarioError("invalid solver settings", problems)
