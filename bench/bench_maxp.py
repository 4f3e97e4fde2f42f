"""Benchmark: sapxep's CP-SAT model against spopt on the bundled Phú Thọ 2023 data.

* ``max-units`` vs spopt's ``MaxPHeuristic`` with the same population floor (16,000),
  the same adjacency graph and no area floor (MaxP has none);
* ``target-count`` (K new units under the NQ 35/2023 floors) vs spopt's fixed-k methods
  ``AZP`` and ``Skater`` with the same K.

For every plan: number of new units, share meeting both floors (16,000 people or the
ruleset's population floor, and the ruleset's area floor of the seat, seat = most populous
member for spopt), contiguity, compactness (population-weighted mean distance from members
to the seat, km; and the number of cut adjacency edges), wall time. Every figure is
measured in the same run. Run (needs the ``bench`` extra: spopt, libpysal)::

    python bench/bench_maxp.py                  # full run, ~6 minutes on 2 cores
    python bench/bench_maxp.py --quick          # short time limits, for a smoke test
    python bench/bench_maxp.py --write bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import time
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from sapxep.scenarios.config import scenario_from_dict
from sapxep.scenarios.run.prepare import prepare_scenario
from sapxep.scenarios.run.scenario import run_scenario
from sapxep.units.plan import MergePlan, plan_from_mapping

FLOOR = 16_000


def plan_quality(prep, plan: MergePlan, *, pop_floor: int | None) -> dict[str, float]:
    """Figures of one plan, measured the same way for every method."""
    from sapxep.units.rules import new_unit_floor

    units = prep.units.set_index(prep.units["code"].astype(str))
    graph = prep.graph
    groups = plan.groups
    n_ok_pop = n_ok_both = n_contig = 0
    dist_sum = pop_sum = 0.0
    for gid, members in groups.items():
        pop = units.loc[members, "population"]
        seat = plan.seats.get(gid) or str(pop.idxmax())
        floor = new_unit_floor(units.loc[seat].to_dict(), prep.ruleset, n_members=len(members))
        pfloor = pop_floor if pop_floor is not None else floor.population_min
        total_pop = float(pop.sum())
        total_area = float(units.loc[members, "area_km2"].sum())
        ok_pop = total_pop >= pfloor or floor.waived
        ok_area = total_area >= floor.area_min_km2 - 1e-9 or floor.waived
        n_ok_pop += ok_pop
        n_ok_both += ok_pop and ok_area
        n_contig += nx.is_connected(graph.subgraph(members))
        sx, sy = graph.nodes[seat]["x_m"], graph.nodes[seat]["y_m"]
        for m in members:
            d = math.hypot(graph.nodes[m]["x_m"] - sx, graph.nodes[m]["y_m"] - sy) / 1000
            dist_sum += d * float(units.loc[m, "population"])
            pop_sum += float(units.loc[m, "population"])
    cut = sum(1 for a, b in graph.edges if plan.assignment[a] != plan.assignment[b])
    n = len(groups)
    return {
        "n_units": n,
        "share_pop_floor": n_ok_pop / n,
        "share_both_floors": n_ok_both / n,
        "share_contiguous": n_contig / n,
        "mean_km_to_seat": dist_sum / pop_sum,
        "cut_edges": cut,
    }


def labels_to_plan(codes: list[str], labels) -> MergePlan:
    return plan_from_mapping(pd.Series([f"R{int(x)}" for x in labels], index=codes))


def spopt_inputs(prep):
    import libpysal

    gdf = prep.units.reset_index(drop=True).copy()
    codes = list(gdf["code"].astype(str))
    pos = {c: i for i, c in enumerate(codes)}
    neighbors = {i: sorted(pos[v] for v in prep.graph.neighbors(c)) for i, c in enumerate(codes)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.W(neighbors, silence_warnings=True)
    gdf["population"] = gdf["population"].astype(float)
    return gdf, w, codes


def run_ours(base: dict, *, mode: str, time_limit: float, workers: int, seed: int, **plan):
    doc = {**base, "plan": {"mode": mode, "stay_within_parent": False, **plan},
           "solver": {"time_limit_s": time_limit, "num_workers": workers, "seed": seed}}  # fmt: skip
    cfg = scenario_from_dict(doc)
    prep = prepare_scenario(cfg)
    trace: list[tuple[float, float]] = []

    def on_progress(ev):
        if ev["event"] == "solution" and ev["phase"] == "primary":
            trace.append((ev["time_s"], ev["objective"]))
        elif ev["event"] in ("greedy", "packing") and ev.get("n_units"):
            trace.append((ev["time_s"], ev["n_units"]))

    t0 = time.perf_counter()
    res = run_scenario(cfg, prepared=prep, on_progress=on_progress)
    wall = time.perf_counter() - t0
    return prep, res, wall, trace


def _parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short time limits (smoke test)")
    ap.add_argument("--time-limit", type=float, default=120.0, help="max-units limit, s")
    ap.add_argument("--target-time-limit", type=float, default=60.0, help="target-count limit, s")
    ap.add_argument("--k", type=int, default=60, help="K for target-count / AZP / Skater")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write", type=Path, help="also write the results as Markdown here")
    args = ap.parse_args()
    if args.quick:
        args.time_limit, args.target_time_limit = 15.0, 10.0
    return args


def _timed_spopt(make):
    """Build and solve an spopt model; return it and its wall time in seconds."""
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = make()
        model.solve()
    return model, time.perf_counter() - t0


def _ours_row(task: str, quality: dict, res, wall: float, **extra) -> dict:
    return {"task": task, "method": "sapxep CP-SAT", **quality, "wall_s": wall,
            "status": res.metrics["status"], "gap": res.metrics["gap"],
            "first_valid_s": res.metrics["first_solution_s"], **extra}  # fmt: skip


def _bench_max_units(args: argparse.Namespace) -> tuple[list[dict], dict]:
    """max-units against MaxPHeuristic, then the same floor plus the area floor."""
    from spopt.region import MaxPHeuristic

    base_pop = {"data": {"dataset": "phu_tho_2023"},
                "rules": {"name": "nq35_2023", "min_population": FLOOR, "min_area_km2": 0}}  # fmt: skip
    prep, res, wall, trace = run_ours(base_pop, mode="max-units", time_limit=args.time_limit,
                                      workers=args.workers, seed=args.seed)  # fmt: skip
    q = plan_quality(prep, res.plan, pop_floor=FLOOR)
    gdf, w, codes = spopt_inputs(prep)
    np.random.seed(args.seed)
    maxp, maxp_wall = _timed_spopt(
        lambda: MaxPHeuristic(gdf, w, ["population"], "population", FLOOR, top_n=2)
    )
    qm = plan_quality(prep, labels_to_plan(codes, maxp.labels_), pop_floor=FLOOR)
    task = f"max-units, population ≥ {FLOOR:,}"
    rows = [
        {
            "task": task,
            "method": "spopt MaxPHeuristic",
            **qm,
            "wall_s": maxp_wall,
            "status": "heuristic",
            "gap": None,
            "first_valid_s": None,
        },  # fmt: skip
        _ours_row(task, q, res, wall, best_bound=res.metrics["best_bound"]),
    ]
    base_both = {"data": {"dataset": "phu_tho_2023"},
                 "rules": {"name": "nq35_2023", "min_population": FLOOR}}  # fmt: skip
    prep_b, res_b, wall_b, _ = run_ours(base_both, mode="max-units", time_limit=args.time_limit / 2,
                                        workers=args.workers, seed=args.seed)  # fmt: skip
    qb = plan_quality(prep_b, res_b.plan, pop_floor=FLOOR)
    rows.append(_ours_row(f"max-units, population ≥ {FLOOR:,} and NQ 35 area floor", qb, res_b, wall_b))
    target_units = 1.2 * qm["n_units"]
    facts = {
        "ratio": q["n_units"] / qm["n_units"],
        "t_reach": next((t for t, obj in sorted(trace) if obj >= target_units), None),
        "lp_bound": int(prep.problem and sum(prep.problem.population) // FLOOR),
    }
    return rows, facts


def _bench_target_count(args: argparse.Namespace) -> list[dict]:
    """target-count K against AZP and Skater on the same graph."""
    from spopt.region import AZP, Skater

    k = args.k
    base_rules = {"data": {"dataset": "phu_tho_2023"}, "rules": {"name": "nq35_2023"}}
    prep_t, res_t, wall_t, _ = run_ours(base_rules, mode="target-count",
                                        time_limit=args.target_time_limit, workers=args.workers,
                                        seed=args.seed, target=k)  # fmt: skip
    task = f"target-count K={k}, NQ 35/2023 floors"
    rows = [_ours_row(task, plan_quality(prep_t, res_t.plan, pop_floor=None), res_t, wall_t)]
    gdf, w, codes = spopt_inputs(prep_t)
    for name, make in (
        ("spopt AZP", lambda: AZP(gdf, w, ["population"], n_clusters=k, random_state=args.seed)),
        ("spopt Skater", lambda: Skater(gdf, w, ["population"], n_clusters=k, floor=2)),
    ):
        model, wall_s = _timed_spopt(make)
        qs = plan_quality(prep_t, labels_to_plan(codes, model.labels_), pop_floor=None)
        rows.append({"task": task, "method": name, **qs, "wall_s": wall_s,
                     "status": "heuristic", "gap": None, "first_valid_s": None})  # fmt: skip
    return rows


def _table(rows: list[dict], args: argparse.Namespace) -> list[str]:
    lines = [
        "# Benchmark: sapxep CP-SAT vs spopt (bundled `phu_tho_2023`, 225 units)",
        "",
        f"Measured by `python bench/bench_maxp.py{' --quick' if args.quick else ''}` on "
        f"{platform.machine()} with {os.cpu_count()} cores, CP-SAT "
        f"{args.workers} workers, seed {args.seed}; max-units time limit "
        f"{args.time_limit:g} s, target-count {args.target_time_limit:g} s. "
        "All figures come from one run.",
        "",
        "| task | method | new units | meet pop floor | meet both floors | contiguous | "
        "mean km to seat | cut edges | wall s | status | gap |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        gap = "" if r["gap"] is None else f"{100 * r['gap']:.1f}%"
        lines.append(
            f"| {r['task']} | {r['method']} | {r['n_units']} | {100 * r['share_pop_floor']:.0f}% | "
            f"{100 * r['share_both_floors']:.0f}% | {100 * r['share_contiguous']:.0f}% | "
            f"{r['mean_km_to_seat']:.2f} | {r['cut_edges']} | {r['wall_s']:.1f} | {r['status']} "
            f"| {gap} |"
        )
    return lines


def _against_targets(rows: list[dict], facts: dict, args: argparse.Namespace) -> list[str]:
    ours, t_reach = rows[1], facts["t_reach"]
    return [
        "",
        "## Against the targets",
        "",
        f"* max-units / MaxPHeuristic units: **{facts['ratio']:.2f}×** ({ours['n_units']} vs "
        f"{rows[0]['n_units']}; target ≥ 1.2×), every new unit ≥ {FLOOR:,} people: "
        f"{'yes' if ours['share_pop_floor'] == 1 else 'NO'}.",
        f"* first valid plan after **{ours['first_valid_s']:.1f} s** (target ≤ 10 s); "
        + (
            f"≥ 1.2× MaxP reached after {t_reach:.1f} s." if t_reach is not None else "1.2× MaxP not reached."
        ),
        f"* proven gap: **{100 * ours['gap']:.1f}%** ({ours['status']}, best bound "
        f"{ours['best_bound']:g} new units) when the solve returned after {ours['wall_s']:.1f} s "
        f"of the {args.time_limit:g} s limit (target ≤ 2% within 120 s).",
        f"* target-count K={args.k}: share of new units meeting both floors — sapxep "
        f"{100 * rows[3]['share_both_floors']:.0f}%, AZP {100 * rows[4]['share_both_floors']:.0f}%, "
        f"Skater {100 * rows[5]['share_both_floors']:.0f}%.",
        "",
        "Notes: the max-units bound comes from the packing relaxation (`optimization/packing.py`:",
        "the most disjoint minimal connected groups that reach a floor), solved by CP-SAT before",
        "the main model; its best packing, extended by attaching the left-over units, is also the",
        "plan when it beats the centre-based model. The LP bound alone (total population / floor",
        f"= {facts['lp_bound']}) leaves a gap above 10%.",
        "spopt methods run with their defaults on the same adjacency graph (`MaxPHeuristic(top_n=2)`,",
        f"`AZP(random_state={args.seed})`, `Skater(floor=2)`); the seat of an spopt region is its most",
        'populous member. "meet both floors" uses the NQ 35/2023 floors of the seat (population',
        f"{FLOOR:,} where that is the task's floor); units left alone by the ruleset count as failing.",
    ]


def main() -> None:
    args = _parse_args()
    rows, facts = _bench_max_units(args)
    rows += _bench_target_count(args)
    text = "\n".join(_table(rows, args) + _against_targets(rows, facts, args)) + "\n"
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
