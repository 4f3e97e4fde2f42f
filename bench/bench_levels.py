"""Benchmark: the nationwide 2026 assessment and (once levels land) province-level planning.

* ``assess``: ``sapxep assess --dataset vietnam_2025 --rules nq112_2026 --out a.csv`` in a
  fresh process (3,321 units, per-province summary and national map), wall time per stage
  and in total. Target: ≤ 30 s on 2 cores.
* ``province``: ``sapxep plan --dataset vietnam_2019 --level province --rules nq76_2025 --mode
  target-count --target 34``: time to a first plan and the gap at 60 s.

A script that prints, not a timed test::

    python bench/bench_levels.py                 # both
    python bench/bench_levels.py --only assess
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def bench_assess() -> None:
    """Time the nationwide assessment: in-process stages, then the CLI in a fresh process."""
    from sapxep.geodata.io import load_dataset
    from sapxep.scenarios.run.national_assess import write_national_outputs
    from sapxep.units.assessment import assess_units
    from sapxep.units.rules import load_ruleset

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        units = load_dataset("vietnam_2025")
        t1 = time.perf_counter()
        ruleset = load_ruleset("nq112_2026")
        table = assess_units(units, ruleset)
        t2 = time.perf_counter()
        write_national_outputs(units, table, Path(tmp) / "a.csv", title=ruleset.title)
        t3 = time.perf_counter()
        print(f"assess stages: load {t1 - t0:.1f} s, assess {t2 - t1:.1f} s, summary+map {t3 - t2:.1f} s")
        cmd = [sys.executable, "-m", "sapxep.scenarios", "assess", "--dataset", "vietnam_2025",
               "--rules", "nq112_2026", "--out", str(Path(tmp) / "cli.csv")]  # fmt: skip
        t4 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        print(f"sapxep assess --dataset vietnam_2025 --rules nq112_2026 --out a.csv: "
              f"{time.perf_counter() - t4:.1f} s wall (fresh process, target <= 30 s)")  # fmt: skip


def bench_province(time_limit_s: float) -> None:
    """Province level 63 -> 34 on the 2019 file: time to first plan, gap at the limit."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "sapxep.scenarios", "plan", "--dataset", "vietnam_2019",
               "--level", "province", "--rules", "nq76_2025", "--mode", "target-count", "--target", "34",
               "--time-limit", str(time_limit_s), "--out", str(Path(tmp) / "p")]  # fmt: skip
        t0 = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        print(f"province 63 -> 34 (limit {time_limit_s:g} s): exit {res.returncode}, {wall:.1f} s wall")
        metrics = Path(tmp) / "p" / "metrics.json"
        if metrics.exists():
            import json

            m = json.loads(metrics.read_text(encoding="utf-8"))
            keys = ("status", "n_after", "gap", "first_solution_s", "solve_time_s", "objective", "best_bound")
            print("  " + ", ".join(f"{k}={m.get(k)}" for k in keys))
        else:
            print("  " + (res.stderr.strip().splitlines() or ["(no output)"])[-1])


def main() -> None:
    """Run the benchmarks chosen on the command line and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("assess", "province"), default=None)
    ap.add_argument("--time-limit", type=float, default=60.0, help="province run limit, s")
    args = ap.parse_args()
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    if args.only in (None, "assess"):
        bench_assess()
    if args.only in (None, "province"):
        bench_province(args.time_limit)


if __name__ == "__main__":
    main()
