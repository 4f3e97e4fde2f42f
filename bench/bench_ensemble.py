"""Benchmark: ensemble throughput on Dask with 1 and 2 local workers, and sweep projections.

Runs ``sapxep ensemble`` (:func:`sapxep.scenarios.run.ensemble.run_ensemble`) on a scenario
(default ``examples/target_count.toml``, Phú Thọ 2023, 225 units) twice, on a local Dask
cluster of 1 and then 2 single-threaded worker processes, with one CP-SAT worker per task and
a deterministic-time budget per task. Prints plans per minute for each, the speed-up, the
measured per-task times, and the projected wall time of a 34-province × 200-plan sweep on 1, 10
and 100 workers: ``ceil(tasks / workers) * mean task time`` of the 1-worker run (assuming every
province's tasks take as long as this scenario's and each worker has a core of its own, with no
scheduling overhead: a lower bound). On a machine shared with other jobs the 2-worker run competes
for the same cores and the speed-up says so (load average printed). Nothing is asserted::

    python bench/bench_ensemble.py                       # 8 plans per run, ~5 minutes on 2 idle cores
    python bench/bench_ensemble.py --n 4 --det-time 0.5  # quicker smoke run
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from sapxep.scenarios.config import load_scenario
from sapxep.scenarios.run.engine import dask_client
from sapxep.scenarios.run.ensemble import run_ensemble

ROOT = Path(__file__).resolve().parents[1]


def measure(scenario: Path, *, n: int, workers: int, det_time: float, time_limit: float) -> dict[str, float]:
    """Run one ensemble on ``workers`` local worker processes; return its timings."""
    cfg = load_scenario(scenario).with_changes(
        solver={"deterministic_time_s": det_time, "time_limit_s": time_limit}
    )
    with tempfile.TemporaryDirectory() as tmp, dask_client(n_workers=workers) as client:
        client.run(lambda: None)  # workers are up before the clock starts
        t0 = time.perf_counter()
        res = run_ensemble(cfg, Path(tmp) / "ens", n=n, client=client, round_size=n)
        wall = time.perf_counter() - t0
        tasks = pd.read_parquet(Path(tmp) / "ens" / "tasks.parquet")
    return {
        "workers": workers,
        "plans": len(res.plans),
        "tasks": len(tasks),
        "wall_s": wall,
        "plans_per_min": 60.0 * len(res.plans) / wall,
        "task_mean_s": float(tasks["task_time_s"].mean()),
        "task_max_s": float(tasks["task_time_s"].max()),
    }


def main() -> None:
    """Parse options, run the two measurements and print the table and projections."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", type=Path, default=ROOT / "examples" / "target_count.toml")
    ap.add_argument("--n", type=int, default=8, help="plans per run")
    ap.add_argument("--det-time", type=float, default=1.0, help="deterministic time per task")
    ap.add_argument("--time-limit", type=float, default=300.0, help="wall-clock safety net per task, s")
    ap.add_argument("--provinces", type=int, default=34)
    ap.add_argument("--plans-per-province", type=int, default=200)
    args = ap.parse_args()
    print(f"# ensemble benchmark: {args.scenario.name}, {args.n} plans, deterministic time {args.det_time}")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    rows = [measure(args.scenario, n=args.n, workers=w, det_time=args.det_time, time_limit=args.time_limit)
            for w in (1, 2)]  # fmt: skip
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    speedup = rows[1]["plans_per_min"] / rows[0]["plans_per_min"]
    print(f"speed-up 2 vs 1 workers: {speedup:.2f}x")
    task_s = rows[0]["task_mean_s"]  # one task per core: the time a task takes on a worker of its own
    total = args.provinces * args.plans_per_province
    print(f"projected {args.provinces} x {args.plans_per_province} = {total} tasks, {task_s:.1f} s per task:")
    for w in (1, 10, 100):
        hours = math.ceil(total / w) * task_s / 3600
        print(f"  {w:>3} workers: {hours:8.2f} h")


if __name__ == "__main__":
    main()
