"""Ensembles: many distinct valid plans of one scenario, solved as Dask tasks.

One task is one CP-SAT solve (:func:`solve_task`) with its own seed, a fixed number of CP-SAT
workers and, from task 1 on, objective weights multiplied by random factors
``exp(perturbation * z)`` (``z`` standard normal, drawn from the task's seed). Tasks run in
rounds of ``round_size``; every task of round ``r > 0`` must also differ by at least
``min_changed`` units from each plan accepted in earlier rounds (one linear constraint per
earlier plan: cheap). With ``deterministic_time_s`` set and one CP-SAT worker per task, a task's
plan depends only on the scenario, its seed, its weights and the earlier rounds, so the same
ensemble comes out on a laptop and on a cluster, and a rerun reuses every finished task.

A plan is *accepted* when ``check_plan`` finds no violation and no task with a smaller number
gave the same grouping; the ensemble is the first ``n`` accepted plans by task number.
Files in the output folder: ``assignments.parquet`` (``plan, code, new_unit, seat_code``),
``metrics.parquet`` (one row per plan: the ``metrics.json`` keys, ``plan``, ``seed``,
``round`` and the weights used), ``tasks.parquet`` (every task and its outcome),
``manifest.json`` and ``tasks/`` (one record per finished task).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sapxep.scenarios.config import ScenarioConfig, scenario_from_dict, scenario_to_dict
from sapxep.scenarios.run.taskstore import TaskStore, flat_metrics, write_parquet
from sapxep.units.errors import SapxepError, ScenarioError, SolverError

logger = logging.getLogger(__name__)

WEIGHT_KEYS: tuple[str, ...] = ("compactness", "balance", "parents", "cut_edges", "cut_border")
#: Keys of the manifest that must not change between an interrupted run and its rerun.
SAME_KEYS: tuple[str, ...] = ("scenario", "round_size", "min_changed", "workers_per_task", "perturbation")
ProgressFn = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class TaskSpec:
    """One solve: the scenario (as JSON text), its seed, weights and earlier plans.

    Attributes
    ----------
    task : int
        Task number (also the plan number).
    round : int
    scenario_json : str
        ``scenario_to_dict`` of the scenario, as JSON.
    base_dir : str
    seed : int
    workers_per_task : int
        CP-SAT workers of this solve.
    weights : dict of str to float
        Objective weights used.
    previous : tuple of tuple of str
        Seat codes of earlier plans (aligned with the problem's codes) to differ from.
    min_changed : int
    params : dict
        Sweep parameters of this task (empty for an ensemble).
    """

    task: int
    round: int
    scenario_json: str
    base_dir: str
    seed: int
    workers_per_task: int
    weights: dict[str, float]
    previous: tuple[tuple[str, ...], ...] = ()
    min_changed: int = 1
    params: dict[str, Any] | None = None


def scenario_json(config: ScenarioConfig) -> str:
    """The scenario as canonical JSON text (used as a task argument and cache key)."""
    return json.dumps(scenario_to_dict(config), ensure_ascii=False, sort_keys=True, default=str)


@functools.lru_cache(maxsize=4)
def _units(data_json: str, base_dir: str) -> Any:
    """Units table per worker process (read once per ``[data]`` table and ruleset name)."""
    from sapxep.scenarios.run.prepare import load_units_for

    doc = json.loads(data_json)
    data = doc.get("data", {})
    province = data.get("province", "")
    if (
        province
        and data.get("dataset")
        and not data.get("attributes")
        and data.get("level", "commune") == "commune"
    ):
        # a sweep over provinces: read the nationwide dataset once per worker, then cut
        from sapxep.geodata.io import filter_province

        whole = _units(json.dumps({**doc, "data": {**data, "province": ""}}, sort_keys=True), base_dir)
        return filter_province(whole, province).reset_index(drop=True)
    return load_units_for(scenario_from_dict(doc, base_dir=base_dir))


@functools.lru_cache(maxsize=8)
def _prepared(data_json: str, base_dir: str) -> Any:
    """Prepared scenario per worker process (data, graph, ruleset do not depend on seeds)."""
    from sapxep.scenarios.run.prepare import prepare_scenario

    doc = json.loads(data_json)
    which = {k: v for k, v in doc.get("rules", {}).items() if k in ("name", "file")}
    units = _units(json.dumps({"data": doc.get("data", {}), "rules": which}, sort_keys=True), base_dir)
    return prepare_scenario(scenario_from_dict(doc, base_dir=base_dir), units=units.copy())


def grouping_key(assignment: pd.Series) -> str:
    """A fingerprint of a plan's grouping (member sets only; seats and ids ignored)."""
    groups = sorted(tuple(sorted(map(str, g))) for g in assignment.groupby(assignment).groups.values())
    return hashlib.sha1(repr(groups).encode()).hexdigest()[:16]


def solve_task(spec: TaskSpec) -> dict[str, Any]:
    """Run one task: solve, re-check with ``check_plan``, return record and plan.

    Project errors (no plan in time, infeasible) end the task with ``outcome = "failed"``;
    they are not retried (the same inputs give the same answer).

    Parameters
    ----------
    spec : TaskSpec

    Returns
    -------
    dict
        ``record`` (JSON-ready: task, round, seed, outcome, message, grouping, metrics,
        params) and ``assignment`` (DataFrame ``code, new_unit, seat_code`` or None).
    """
    from sapxep.optimization.solve import solve_plan
    from sapxep.scenarios.run.prepare import solver_settings_for
    from sapxep.scenarios.run.scenario import check_result, objective_weights_for, run_metrics

    doc = json.loads(spec.scenario_json)
    doc.setdefault("solver", {}).update({"seed": spec.seed, "num_workers": spec.workers_per_task})
    doc.setdefault("objective", {}).update(spec.weights)
    record: dict[str, Any] = {"task": spec.task, "round": spec.round, "seed": spec.seed,
                              "weights": dict(spec.weights), "params": spec.params or {}}  # fmt: skip
    t0 = time.perf_counter()
    try:
        config = scenario_from_dict(doc, base_dir=spec.base_dir)
        data_doc = {k: doc[k] for k in ("data", "rules", "plan") if k in doc}
        prep = replace(_prepared(json.dumps(data_doc, sort_keys=True), spec.base_dir), config=config)
        p = config.plan
        res = solve_plan(
            prep.problem, solver_settings_for(config), mode=p.mode, target=p.target,
            weights=objective_weights_for(config), previous=spec.previous,
            min_changed=spec.min_changed,
        )  # fmt: skip
        check = check_result(prep, res.plan)
        record["metrics"] = run_metrics(prep, res, check)
        record["outcome"] = "plan" if check.ok else "invalid"
        record["message"] = "" if check.ok else "; ".join(v.message for v in check.violations[:5])
        record["grouping"] = grouping_key(res.plan.assignment)
        record["seat_of"] = list(res.seat_of)
        assignment = res.plan.to_frame()
    except SapxepError as exc:
        record.update({"outcome": "failed", "message": str(exc), "metrics": {}, "grouping": ""})
        assignment = None
    record["task_time_s"] = round(time.perf_counter() - t0, 3)
    return {"record": record, "assignment": assignment}


def perturbed_weights(config: ScenarioConfig, task: int, base_seed: int, sigma: float) -> dict[str, float]:
    """Objective weights of a task: the scenario's for task 0, randomly scaled after.

    Each non-zero weight is multiplied by ``exp(sigma * z)``, ``z ~ N(0, 1)`` drawn from
    ``numpy.random.default_rng([base_seed, task])``.
    """
    w = {k: float(getattr(config.objective, k)) for k in WEIGHT_KEYS}
    if task == 0 or sigma <= 0:
        return w
    z = np.random.default_rng([abs(base_seed), task]).standard_normal(len(WEIGHT_KEYS))
    return {k: round(v * float(np.exp(sigma * zk)), 6) if v > 0 else 0.0
            for (k, v), zk in zip(w.items(), z, strict=True)}  # fmt: skip


def accepted_tasks(records: dict[int, dict[str, Any]], n: int | None = None) -> list[int]:
    """Task numbers of the accepted plans: valid, first of their grouping, the first ``n``."""
    seen: set[str] = set()
    out: list[int] = []
    for t in sorted(records):
        rec = records[t]
        if rec.get("outcome") != "plan" or rec["grouping"] in seen:
            continue
        seen.add(rec["grouping"])
        out.append(t)
        if n is not None and len(out) >= n:
            break
    return out


def metrics_row(rec: dict[str, Any]) -> dict[str, Any]:
    """One ``metrics.parquet`` row of a task record."""
    row = {"plan": rec["task"], "round": rec["round"], **flat_metrics(rec["metrics"])}
    row["seed"] = rec["seed"]
    row.update({f"weight_{k}": v for k, v in rec.get("weights", {}).items()})
    row.update({f"param_{k}": v for k, v in (rec.get("params") or {}).items()})
    row["task_time_s"] = rec.get("task_time_s")
    return row


def write_views(store: TaskStore, records: dict[int, dict[str, Any]], plans: list[int]) -> None:
    """Rebuild ``assignments.parquet``, ``metrics.parquet`` and ``tasks.parquet``."""
    frames = []
    for t in plans:
        a = store.assignment(t)
        a.insert(0, "plan", t)
        frames.append(a)
    cols = ["plan", "code", "new_unit", "seat_code"]
    assign = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    write_parquet(store.folder / "assignments.parquet", assign[cols])
    write_parquet(store.folder / "metrics.parquet", pd.DataFrame([metrics_row(records[t]) for t in plans]))
    accepted = set(plans)
    tasks = pd.DataFrame(
        [{"task": t, "round": r["round"], "seed": r["seed"], "outcome": r["outcome"],
          "accepted": t in accepted, "grouping": r.get("grouping", ""),
          "task_time_s": r.get("task_time_s"), "message": r.get("message", "")}
         for t, r in sorted(records.items())]
    )  # fmt: skip
    write_parquet(store.folder / "tasks.parquet", tasks)


def _on_done(
    store: TaskStore,
    records: dict[int, dict[str, Any]],
    n: int,
    on_progress: ProgressFn | None,
    *,
    views_every_s: float = 2.0,
) -> Callable[[dict[str, Any]], None]:
    """After each task: rebuild the views (at most every few seconds) and report progress."""
    last = [time.monotonic()]

    def done(rec: dict[str, Any]) -> None:
        plans = accepted_tasks(records, n)
        if time.monotonic() - last[0] > views_every_s:
            write_views(store, records, plans)
            last[0] = time.monotonic()
        if on_progress is not None:
            on_progress({"event": "task", "task": rec["task"], "outcome": rec["outcome"],
                         "plans": len(plans), "total": n, "done": len(records)})  # fmt: skip

    return done


@dataclass(frozen=True)
class EnsembleResult:
    """What :func:`run_ensemble` produced.

    Attributes
    ----------
    folder : Path
    plans : list of int
        Accepted plan (task) numbers.
    n_run, n_reused : int
        Tasks solved in this call, and finished tasks read back from the folder.
    n_failed : int
        Tasks without a valid new plan (no plan, invalid, or a duplicate).
    """

    folder: Path
    plans: list[int]
    n_run: int
    n_reused: int
    n_failed: int


def ensemble_settings(config: ScenarioConfig) -> ScenarioConfig:
    """Make a scenario reproducible per task: a deterministic-time budget is required.

    Without ``deterministic_time_s`` it is set to ``time_limit_s`` and the wall-clock limit
    becomes ``4 * time_limit_s`` (a safety net, so that load on a worker does not cut a solve).
    """
    s = config.solver
    if s.deterministic_time_s is not None:
        return config
    return config.with_changes(solver={"deterministic_time_s": s.time_limit_s,
                                       "time_limit_s": 4 * s.time_limit_s})  # fmt: skip


def _check_options(*, n: int, round_size: int, workers_per_task: int, perturbation: float) -> None:
    problems = []
    if n < 1:
        problems.append(f"--n must be >= 1, got {n}")
    if round_size < 1:
        problems.append(f"--round-size must be >= 1, got {round_size}")
    if workers_per_task < 1:
        problems.append(f"--workers-per-task must be >= 1, got {workers_per_task}")
    if perturbation < 0:
        problems.append(f"--perturbation must be >= 0, got {perturbation}")
    if problems:
        raise ScenarioError("sapxep ensemble: invalid options", problems)


def _rounds(
    config: ScenarioConfig,
    records: dict[int, dict[str, Any]],
    *,
    n: int,
    round_size: int,
    max_tasks: int,
    min_changed: int,
    workers_per_task: int,
    perturbation: float,
) -> Iterator[list[TaskSpec]]:
    """The tasks of each round, until ``n`` plans are accepted or ``max_tasks`` are used.

    Round ``r``'s tasks depend only on the results of earlier rounds (``records``, filled by
    the caller between rounds), so the same rounds come out however the tasks are scheduled.
    """
    sj = scenario_json(config)
    base = config.solver.seed
    next_task, rnd = 0, 0
    while len(accepted_tasks(records, n)) < n and next_task < max_tasks:
        found = accepted_tasks(records)
        size = min(round_size, n - len(found), max_tasks - next_task)
        previous = tuple(tuple(records[t]["seat_of"]) for t in found) if min_changed > 0 else ()
        yield [
            TaskSpec(task=k, round=rnd, scenario_json=sj, base_dir=config.base_dir, seed=base + k,
                     workers_per_task=workers_per_task,
                     weights=perturbed_weights(config, k, base, perturbation),
                     previous=previous, min_changed=max(1, min_changed))
            for k in range(next_task, next_task + size)
        ]  # fmt: skip
        next_task += size
        rnd += 1


def run_ensemble(
    config: ScenarioConfig,
    out_dir: str | Path,
    *,
    n: int,
    client: Any,
    round_size: int = 10,
    min_changed: int | None = None,
    workers_per_task: int = 1,
    perturbation: float = 0.3,
    max_tasks: int | None = None,
    on_progress: ProgressFn | None = None,
) -> EnsembleResult:
    """Solve tasks on a Dask client until ``n`` distinct valid plans are found.

    Parameters
    ----------
    config : ScenarioConfig
        The scenario (its seed is the base seed: task ``k`` uses ``seed + k``).
    out_dir : str or Path
        Output folder; finished tasks already there are reused.
    n : int
        Plans wanted.
    client : distributed.Client
        From :func:`sapxep.scenarios.run.engine.dask_client`.
    round_size : int
        Tasks per round (plans of earlier rounds are excluded by ``min_changed``).
    min_changed : int, optional
        Units in which a plan must differ from plans of earlier rounds (default
        ``[plan] alternatives_min_changed``; 0 = no constraint).
    workers_per_task : int
        CP-SAT workers per task (1 keeps every task reproducible).
    perturbation : float
        Standard deviation of the log-normal factors on the objective weights.
    max_tasks : int, optional
        Stop after this many tasks in total (default ``3 * n + round_size``).
    on_progress : callable, optional
        ``{"event": "start"|"task", "done": k, "total": m, "plans": p, "outcome": ...}``.

    Returns
    -------
    EnsembleResult

    Raises
    ------
    ScenarioError
        Bad counts, or the folder holds another run's tasks.
    SolverError
        Not a single valid plan was found.
    """
    _check_options(n=n, round_size=round_size, workers_per_task=workers_per_task, perturbation=perturbation)
    config = ensemble_settings(config)
    min_changed = config.plan.alternatives_min_changed if min_changed is None else int(min_changed)
    store = TaskStore(out_dir)
    store.check_manifest(
        {"kind": "ensemble", "scenario": json.loads(scenario_json(config)), "round_size": round_size,
         "min_changed": min_changed, "workers_per_task": workers_per_task,
         "perturbation": perturbation, "n": n, "base_seed": config.solver.seed,
         "base_dir": str(config.base_dir)},
        same=SAME_KEYS,
    )  # fmt: skip
    records = store.done()
    reused = len(records)
    if on_progress is not None:
        on_progress({"event": "start", "total": n, "done": 0, "plans": len(accepted_tasks(records, n))})
    n_run = 0
    for specs in _rounds(config, records, n=n, round_size=round_size,
                         max_tasks=max_tasks or 3 * n + round_size, min_changed=min_changed,
                         workers_per_task=workers_per_task, perturbation=perturbation):  # fmt: skip
        todo = [s for s in specs if s.task not in records]
        n_run += len(todo)
        run_tasks(client, store, records, todo, _on_done(store, records, n, on_progress))
    plans = accepted_tasks(records, n)
    write_views(store, records, plans)
    if not plans:
        msgs = sorted({r.get("message", "")[:200] for r in records.values()})
        raise SolverError(f"no valid plan in {len(records)} tasks: " + " | ".join(msgs))
    logger.info("ensemble: %d plans, %d tasks run, %d reused", len(plans), n_run, reused)
    return EnsembleResult(Path(out_dir), plans, n_run, reused, len(records) - len(accepted_tasks(records)))


def run_tasks(
    client: Any,
    store: TaskStore,
    records: dict[int, dict[str, Any]],
    specs: list[TaskSpec],
    on_done: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Submit tasks to Dask and store each result as it arrives (in completion order).

    Dask re-runs the task of a worker that dies; nothing here retries.
    """
    from distributed import as_completed

    if not specs:
        return
    futures = [client.submit(solve_task, s, pure=False) for s in specs]
    for fut in as_completed(futures):
        out = fut.result()
        rec = out["record"]
        store.save(rec, out["assignment"])
        records[int(rec["task"])] = rec
        if on_done is not None:
            on_done(rec)
        fut.release()
