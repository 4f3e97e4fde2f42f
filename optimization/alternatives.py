"""Several different good plans: solve again, each time excluding the plans found so far."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from sapxep.optimization.objectives import ObjectiveWeights
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.solve import ProgressFn, SolveResult, solve_plan
from sapxep.units.errors import InfeasibleError, SolverError

logger = logging.getLogger(__name__)


def changed_units(a: Sequence[str], b: Sequence[str]) -> int:
    """Units whose new unit differs between two plans (seat codes aligned with the codes).

    A unit counts as unchanged when its set of fellow members is the same in both plans
    (so a different seat choice alone is not a change).
    """

    def groups(seats: Sequence[str]) -> list[frozenset[int]]:
        by_seat: dict[str, set[int]] = {}
        for i, s in enumerate(seats):
            by_seat.setdefault(s, set()).add(i)
        frozen = {s: frozenset(m) for s, m in by_seat.items()}
        return [frozen[s] for s in seats]

    ga, gb = groups(a), groups(b)
    return sum(1 for x, y in zip(ga, gb, strict=True) if x != y)


def find_alternatives(
    problem: PlanProblem,
    settings: SolverSettings,
    *,
    mode: str,
    n: int,
    min_changed: int,
    target: int | Sequence[int] | None = None,
    weights: ObjectiveWeights | None = None,
    first: SolveResult | None = None,
    on_progress: ProgressFn | None = None,
    hint: Mapping[str, str] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[SolveResult]:
    """Return up to ``n`` plans, each differing from every earlier one in ≥ ``min_changed`` units.

    The k-th plan is the best plan (same mode and objectives) under the extra constraint
    ``sum_i x[i, s_p(i)] <= n_units - min_changed`` for every earlier plan ``p``. Because
    the seat is part of the variable, the difference is re-measured on groups
    (:func:`changed_units`); a candidate that differs only in seats is skipped.

    Parameters
    ----------
    problem, settings, mode, target, weights
        As in :func:`~sapxep.optimization.solve.solve_plan`.
    n : int
        Plans wanted (including the first).
    min_changed : int
        Required difference in units.
    first : SolveResult, optional
        The best plan if already solved.
    on_progress : callable, optional
    hint : mapping, optional
    should_stop : callable, optional
        Cancellation (see :func:`~sapxep.optimization.solve.solve_plan`): the running solve
        returns its best plan so far and no further alternative is searched.

    Returns
    -------
    list of SolveResult
        Fewer than ``n`` when no further different plan exists or none is found in time.

    Raises
    ------
    InfeasibleError, SolverError
        Only when not even the first plan can be found.
    """
    results: list[SolveResult] = []
    if first is None:
        first = solve_plan(problem, settings, mode=mode, target=target, weights=weights,
                           hint=hint, on_progress=on_progress, should_stop=should_stop)  # fmt: skip
    results.append(first)
    previous = [list(first.seat_of)]
    attempts = 0
    while len(results) < n and attempts < 2 * n and not results[-1].cancelled:
        attempts += 1
        if should_stop is not None and should_stop():
            break
        try:
            r = solve_plan(
                problem, settings, mode=mode, target=target, weights=weights,
                on_progress=on_progress, previous=previous, min_changed=min_changed,
                should_stop=should_stop,
            )  # fmt: skip
        except (InfeasibleError, SolverError) as exc:
            logger.info("no further alternative: %s", str(exc).splitlines()[0])
            break
        previous.append(list(r.seat_of))
        if all(changed_units(r.seat_of, q.seat_of) >= min_changed for q in results):
            results.append(r)
    logger.info("alternatives: %d plans", len(results))
    return results
