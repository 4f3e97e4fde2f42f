"""Parameter sweeps: the cross product of scenario parameters (and provinces) as Dask tasks.

``--grid "min_population=12000,16000,20000; target=60:70"`` gives one task per combination
(``;`` separates parameters, ``,`` values; ``A:B`` is a target range). With provinces (of a
nationwide dataset) every combination runs for every province. Each task is one solve of
:func:`sapxep.scenarios.run.ensemble.solve_task`, stored and resumed like an ensemble's.
Files: ``sweep.parquet`` and ``sweep.csv`` (one row per task: parameters, province, outcome and
the main metrics), ``assignments.parquet`` (``plan`` = task), ``manifest.json``, ``tasks/``.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sapxep.scenarios.config import ScenarioConfig
from sapxep.scenarios.csvfile import write_csv
from sapxep.scenarios.run.ensemble import TaskSpec, ensemble_settings, run_tasks, scenario_json
from sapxep.scenarios.run.taskstore import TaskStore, write_parquet
from sapxep.units.errors import SapxepError, ScenarioError

logger = logging.getLogger(__name__)

#: Grid parameter -> (scenario section, key, type).
GRID_KEYS: dict[str, tuple[str, str, type]] = {
    "min_population": ("rules", "min_population", int),
    "min_area": ("rules", "min_area_km2", float),
    "min_area_km2": ("rules", "min_area_km2", float),
    "ruleset": ("rules", "name", str),
    "mode": ("plan", "mode", str),
    "target": ("plan", "target", int),
    "max_members": ("plan", "max_members", int),
    "max_population": ("plan", "max_population", int),
    "max_area_km2": ("plan", "max_area_km2", float),
    "stay_within_parent": ("plan", "stay_within_parent", bool),
    "compactness": ("objective", "compactness", float),
    "balance": ("objective", "balance", float),
    "parents": ("objective", "parents", float),
    "cut_edges": ("objective", "cut_edges", float),
    "cut_border": ("objective", "cut_border", float),
    "seed": ("solver", "seed", int),
    "max_distance": ("solver", "max_graph_distance", int),
}
#: Columns of the results table after the parameters.
RESULT_COLUMNS = [
    "outcome", "status", "n_before", "n_after", "objective", "gap", "n_new_units_failing",
    "must_arrange_total", "must_arrange_merged", "check_ok", "solve_time_s", "task_time_s", "message",
]  # fmt: skip


def _value(key: str, text: str, problems: list[str]) -> Any:
    kind = GRID_KEYS[key][2]
    try:
        if key == "target" and ":" in text:
            lo, hi = text.split(":", 1)
            return [int(lo), int(hi)]
        if kind is bool:
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
        return kind(text)
    except ValueError:
        problems.append(f"--grid {key}: '{text}' is not a {kind.__name__}")
        return None


def parse_grid(text: str) -> list[dict[str, Any]]:
    """Parse ``"a=1,2; b=3:4"`` into the list of parameter combinations (cross product).

    Raises
    ------
    ScenarioError
        Unknown parameters, bad values or empty parts (all listed).
    """
    problems: list[str] = []
    axes: dict[str, list[Any]] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        key, sep, vals = part.partition("=")
        key = key.strip()
        if not sep or not vals.strip():
            problems.append(f"--grid: '{part}' is not NAME=V1,V2,...")
            continue
        if key not in GRID_KEYS:
            problems.append(f"--grid: unknown parameter '{key}'; known: {', '.join(GRID_KEYS)}")
            continue
        if key in axes:
            problems.append(f"--grid: '{key}' given twice: list all its values once")
            continue
        axes[key] = [_value(key, v.strip(), problems) for v in vals.split(",") if v.strip()]
    if not axes and not problems:
        problems.append('--grid is empty: give e.g. "min_population=12000,16000; target=60:70"')
    if problems:
        raise ScenarioError("sapxep sweep: invalid grid", problems)
    keys = list(axes)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*axes.values())]


def apply_params(config: ScenarioConfig, params: dict[str, Any]) -> ScenarioConfig:
    """The scenario with the grid parameters set (validated like a file)."""
    changes: dict[str, dict[str, Any]] = {}
    for k, v in params.items():
        section, field_name, _ = GRID_KEYS[k]
        changes.setdefault(section, {})[field_name] = v
        if k == "target" and "mode" not in params:
            changes["plan"]["mode"] = "target-count"
    return config.with_changes(**changes)


def sweep_provinces(config: ScenarioConfig, wanted: Sequence[str] | None, all_provinces: bool) -> list[str]:
    """Province codes to sweep: none (the scenario's own data), the chosen ones, or all.

    Raises
    ------
    ScenarioError
        Unknown province names (from :func:`sapxep.scenarios.run.national.select_provinces`).
    """
    if not wanted and not all_provinces:
        return []
    from dataclasses import replace

    from sapxep.scenarios.run.national import select_provinces
    from sapxep.scenarios.run.prepare import load_units_for

    units = load_units_for(replace(config, data=replace(config.data, province="")))
    return [code for code, _ in select_provinces(units, None if all_provinces else wanted)]


@dataclass(frozen=True)
class SweepResult:
    """What :func:`run_sweep` produced: the results table and task counts."""

    table: pd.DataFrame
    n_run: int
    n_reused: int


def _specs(config: ScenarioConfig, combos: list[dict[str, Any]], provinces: list[str]) -> list[TaskSpec]:
    specs: list[TaskSpec] = []
    problems: list[str] = []
    for province, params in itertools.product(provinces or [""], combos):
        full = {**({"province": province} if province else {}), **params}
        try:
            cfg = apply_params(config, params)
            if province:
                cfg = cfg.with_changes(data={"province": province})
        except SapxepError as exc:
            problems.append(f"{full}: {exc}")
            continue
        weights = {k: float(getattr(cfg.objective, k)) for k in GRID_KEYS if GRID_KEYS[k][0] == "objective"}
        specs.append(TaskSpec(task=len(specs), round=0, scenario_json=scenario_json(cfg),
                              base_dir=cfg.base_dir, seed=cfg.solver.seed,
                              workers_per_task=cfg.solver.num_workers, weights=weights,
                              params=full))  # fmt: skip
    if problems:
        raise ScenarioError("sapxep sweep: some combinations are not valid scenarios", problems)
    return specs


def run_sweep(
    config: ScenarioConfig,
    out_dir: str | Path,
    *,
    grid: str,
    client: Any,
    provinces: Sequence[str] | None = None,
    all_provinces: bool = False,
    workers_per_task: int = 1,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> SweepResult:
    """Solve every grid combination (per province) on a Dask client; write the results table.

    Parameters
    ----------
    config : ScenarioConfig
    out_dir : str or Path
        Output folder; finished tasks already there are reused.
    grid : str
        See :func:`parse_grid`.
    client : distributed.Client
    provinces : sequence of str, optional
        Province codes or names of a nationwide dataset.
    all_provinces : bool
        Every province of the dataset.
    workers_per_task : int
    on_progress : callable, optional
        ``{"event": "task", "done": k, "total": m, "outcome": ...}``.

    Returns
    -------
    SweepResult

    Raises
    ------
    ScenarioError
        Bad grid, unknown provinces, invalid combinations, or a folder of another run.
    """
    combos = parse_grid(grid)
    config = ensemble_settings(config.with_changes(solver={"num_workers": workers_per_task}))
    codes = sweep_provinces(config, provinces, all_provinces)
    specs = _specs(config, combos, codes)
    store = TaskStore(out_dir)
    store.check_manifest(
        {"kind": "sweep", "scenario": json.loads(scenario_json(config)), "grid": combos,
         "provinces": codes, "base_dir": str(config.base_dir)},
        same=("kind", "scenario", "grid", "provinces"),
    )  # fmt: skip
    records = store.done()
    reused = len(records)
    todo = [s for s in specs if s.task not in records]

    def done(rec: dict[str, Any]) -> None:
        if on_progress is not None:
            on_progress({"event": "task", "done": len(records), "total": len(specs),
                         "outcome": rec["outcome"]})  # fmt: skip

    run_tasks(client, store, records, todo, done)
    table = sweep_table(records, [p for s in specs for p in (s.params or {})])
    write_parquet(store.folder / "sweep.parquet", table)
    write_csv(store.folder / "sweep.csv", table)
    frames = []
    for t in table.loc[table["outcome"] == "plan", "task"]:
        a = store.assignment(int(t))
        a.insert(0, "plan", int(t))
        frames.append(a)
    if frames:
        write_parquet(store.folder / "assignments.parquet", pd.concat(frames, ignore_index=True))
    logger.info("sweep: %d tasks, %d run, %d reused", len(specs), len(todo), reused)
    return SweepResult(table, len(todo), reused)


def sweep_table(records: dict[int, dict[str, Any]], param_keys: Sequence[str]) -> pd.DataFrame:
    """One row per task: its parameters, outcome and main metrics."""
    keys = list(dict.fromkeys(param_keys))
    rows = []
    for t, rec in sorted(records.items()):
        params = rec.get("params") or {}
        m = rec.get("metrics") or {}
        row: dict[str, Any] = {"task": t}
        row.update({k: ":".join(map(str, params[k])) if isinstance(params.get(k), list) else params.get(k)
                    for k in keys})  # fmt: skip
        row.update({c: m.get(c) for c in RESULT_COLUMNS})
        row.update({"outcome": rec["outcome"], "task_time_s": rec.get("task_time_s"),
                    "message": rec.get("message", "")[:500]})  # fmt: skip
        rows.append(row)
    table = pd.DataFrame(rows, columns=["task", *keys, *RESULT_COLUMNS])
    for k in keys:  # a column mixing "60:70" and 65 is text
        if table[k].map(lambda v: isinstance(v, str)).any():
            table[k] = table[k].astype(str)
    return table
