"""Benchmark: how fast a cancelled optimizer call returns (the figures the tests no longer assert).

On the bundled Phú Thọ 2023 data (target-count 55-60 new units, one worker):

* ``first solution``: stop requested from the first solution callback; prints the wall time of
  the whole ``run_scenario`` call and the time from the stop request to the return.
* ``silent search``: a compactness search that reports nothing, stopped by a timer after
  0.3 s; only the periodic poll (``POLL_INTERVAL_S``) can stop it. Prints the time from the
  stop request to the return.

A script that prints, not a timed test::

    python bench/bench_cancel.py
    python bench/bench_cancel.py --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time


def _config():  # noqa: ANN202 - a ScenarioConfig
    from sapxep.scenarios.config import scenario_from_dict

    return scenario_from_dict(
        {
            "data": {"dataset": "phu_tho_2023"},
            "rules": {"name": "nq35_2023"},
            "plan": {"mode": "target-count", "target": [55, 60]},
            "solver": {"time_limit_s": 30, "num_workers": 1, "seed": 0},
        }
    )


def cancel_at_first_solution(prepared: object) -> tuple[float, float]:
    """Return (total wall s, s from the stop request to the return)."""
    from sapxep.scenarios.run.scenario import run_scenario

    stop = threading.Event()
    asked: list[float] = []

    def on_progress(ev: dict) -> None:
        if ev.get("event") == "solution" and not stop.is_set():
            asked.append(time.perf_counter())
            stop.set()

    t0 = time.perf_counter()
    run_scenario(_config(), prepared=prepared, on_progress=on_progress, should_stop=stop.is_set)  # type: ignore[arg-type]
    t1 = time.perf_counter()
    return t1 - t0, t1 - asked[0]


def cancel_silent_search(prepared: object, after_s: float = 0.3) -> float:
    """Return seconds from the stop request to the return of a search without callbacks."""
    from sapxep.optimization.candidates import compute_candidates
    from sapxep.optimization.clock import SolveClock
    from sapxep.optimization.model import PlanModel
    from sapxep.optimization.objectives import ObjectiveWeights
    from sapxep.optimization.settings import SolverSettings

    problem = prepared.problem  # type: ignore[attr-defined]
    settings = SolverSettings(time_limit_s=30, num_workers=1)
    cand = compute_candidates(problem, settings, largest_seat=False)
    pm = PlanModel(
        problem, cand, mode="target-count", target=(55, 60), weights=ObjectiveWeights(compactness=1)
    )
    pm.set_primary_objective()
    stop = threading.Event()
    asked: list[float] = []

    def request() -> None:
        asked.append(time.perf_counter())
        stop.set()

    clock = SolveClock(settings, should_stop=stop.is_set)
    timer = threading.Timer(after_s, request)
    timer.start()
    clock.solve(clock.solver(), pm.model, "bench")
    done = time.perf_counter()
    timer.cancel()
    return done - asked[0] if asked else float("nan")


def main() -> None:
    """Run both measurements ``--repeat`` times and print median and maximum."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from sapxep.optimization.clock import POLL_INTERVAL_S
    from sapxep.scenarios.run.prepare import prepare_scenario

    prepared = prepare_scenario(_config())
    firsts = [cancel_at_first_solution(prepared) for _ in range(args.repeat)]
    silent = [cancel_silent_search(prepared) for _ in range(args.repeat)]
    totals, lags = [t for t, _ in firsts], [lag for _, lag in firsts]
    print(f"poll interval: {POLL_INTERVAL_S:.3f} s; repeats: {args.repeat}")
    print(f"first solution: call {statistics.median(totals):.2f} s (max {max(totals):.2f}); "
          f"stop -> return {statistics.median(lags):.3f} s (max {max(lags):.3f})")  # fmt: skip
    print(f"silent search: stop -> return {statistics.median(silent):.3f} s (max {max(silent):.3f})")


if __name__ == "__main__":
    main()
