"""Nationwide run: plan every province independently, in parallel over the cores.

The nationwide file is read once, split by province, and each province is planned in a
worker process with one CP-SAT worker (provinces are the unit of parallelism). Results:
``DIR/provinces/<code>_<name>/`` with the usual run files, plus ``national_summary.csv``,
``national_summary.json`` and ``national_plan.csv`` (every unit of every planned province).
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from sapxep.scenarios.config import DataConfig, ScenarioConfig
from sapxep.scenarios.csvfile import write_csv
from sapxep.units.errors import SapxepError, ScenarioError
from sapxep.units.files import write_text

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = [
    "province_code", "province", "status", "n_before", "n_after", "objective", "best_bound",
    "gap", "solve_time_s", "n_new_units_failing", "must_arrange_total", "must_arrange_merged",
    "check_ok", "message", "folder",
]  # fmt: skip


def _slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "_", t).strip("_").lower()


def select_provinces(units: pd.DataFrame, wanted: Sequence[str] | None) -> list[tuple[str, str]]:
    """Return ``(code, name)`` of the provinces to plan.

    Parameters
    ----------
    units : DataFrame
        Nationwide units table (``province_code``, ``province``).
    wanted : sequence of str, optional
        Province codes or names (accents and the "Tỉnh"/"Thành phố" prefix optional).

    Raises
    ------
    ScenarioError
        Listing every name that matches no province.
    """
    pairs = units[["province_code", "province"]].drop_duplicates().astype(str)
    allp = sorted(zip(pairs["province_code"], pairs["province"], strict=True))
    if not wanted:
        return allp

    def key(s: str) -> str:
        k = _slug(s)
        return re.sub(r"^(tinh|thanh_pho)_", "", k)

    out: list[tuple[str, str]] = []
    bad: list[str] = []
    for w in wanted:
        hits = [p for p in allp if w == p[0] or key(w) == key(p[1])]
        if hits:
            out.extend(h for h in hits if h not in out)
        else:
            bad.append(w)
    if bad:
        raise ScenarioError(
            f"{len(bad)} unknown provinces",
            [f"'{b}' matches no province; use a code (e.g. 25) or a name (e.g. Phú Thọ)"
             for b in bad],
        )  # fmt: skip
    return out


def _plan_one(config: ScenarioConfig, units: gpd.GeoDataFrame, folder: str, gpkg: bool) -> dict[str, Any]:
    """Worker: plan one province and write its files (never raises a project error)."""
    from sapxep.scenarios.run.outputs import write_run
    from sapxep.scenarios.run.prepare import prepare_scenario
    from sapxep.scenarios.run.scenario import run_scenario

    row: dict[str, Any] = {"folder": folder}
    try:
        prep = prepare_scenario(config, units=units.reset_index(drop=True))
        result = run_scenario(config, prepared=prep)
        write_run(result, folder, gpkg=gpkg)
        m = result.metrics
        row.update({k: m.get(k) for k in SUMMARY_COLUMNS if k in m})
        row["message"] = ""
        row["_plan"] = result.plan.to_frame()
    except SapxepError as exc:
        row.update({"status": type(exc).__name__.replace("Error", "").upper() or "ERROR",
                    "n_before": len(units), "message": str(exc)})  # fmt: skip
        Path(folder).mkdir(parents=True, exist_ok=True)
        write_text(Path(folder) / "error.txt", str(exc))
    return row


def plan_national(
    config: ScenarioConfig,
    out_dir: str | Path,
    *,
    provinces: Sequence[str] | None = None,
    jobs: int | None = None,
    gpkg: bool = True,
    units: gpd.GeoDataFrame | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Plan every (or the chosen) province of a nationwide dataset.

    Parameters
    ----------
    config : ScenarioConfig
        Template scenario (data.dataset = the nationwide file); its province is replaced
        per province. Use ``num_workers = 1``: the provinces run in parallel instead.
    out_dir : str or Path
    provinces : sequence of str, optional
        Codes or names; default all.
    jobs : int, optional
        Parallel provinces (default: number of cores).
    gpkg : bool
        Write ``plan.gpkg`` per province.
    units : GeoDataFrame, optional
        The nationwide units table if already loaded.
    on_progress : callable, optional
        Called with ``{"event": "start", "total": n}`` once, then with
        ``{"event": "province", "province": …, "status": …, "done": k, "total": n}`` after
        each province.

    Returns
    -------
    list of dict
        One summary row per province (also written to ``national_summary.csv``).

    Raises
    ------
    ScenarioError
        Unknown province names.
    """
    from sapxep.scenarios.run.prepare import load_units_for

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if units is None:
        units = load_units_for(replace(config, data=replace(config.data, province="")))
    tasks = _province_tasks(config, units, select_provinces(units, provinces), out)
    jobs = max(1, jobs or os.cpu_count() or 1)
    rows: list[dict[str, Any]] = []
    plans: list[pd.DataFrame] = []
    if on_progress is not None:
        on_progress({"event": "start", "total": len(tasks)})

    def record(code: str, name: str, row: dict[str, Any]) -> None:
        row["province_code"], row["province"] = code, name
        plan = row.pop("_plan", None)
        if plan is not None:
            plan.insert(0, "province_code", code)
            plans.append(plan)
        rows.append(row)
        if on_progress is not None:
            on_progress({"event": "province", "province": name, "status": row.get("status"),
                         "done": len(rows), "total": len(tasks)})  # fmt: skip

    if jobs == 1 or len(tasks) == 1:
        for code, name, cfg, sub, folder in tasks:
            record(code, name, _plan_one(cfg, sub, folder, gpkg))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_plan_one, cfg, sub, folder, gpkg): (code, name)
                       for code, name, cfg, sub, folder in tasks}  # fmt: skip
            for fut in as_completed(futures):
                code, name = futures[fut]
                record(code, name, fut.result())
    rows.sort(key=lambda r: r["province_code"])
    solved = _write_national(out, rows, plans, config)
    logger.info("national run: %d/%d provinces planned", len(solved), len(rows))
    return rows


def _province_tasks(
    config: ScenarioConfig, units: gpd.GeoDataFrame, chosen: Sequence[tuple[str, str]], out: Path
) -> list[tuple[str, str, ScenarioConfig, gpd.GeoDataFrame, str]]:
    """One task per province: code, name, its scenario, its units and its output folder."""
    tasks = []
    for code, name in chosen:
        sub = units[units["province_code"].astype(str) == code]
        cfg = replace(config, data=DataConfig(**{**config.data.__dict__, "province": code}),
                      title=f"{config.title or 'national run'}: {name}")  # fmt: skip
        folder = str(out / "provinces" / f"{code}_{_slug(name)}")
        tasks.append((code, name, cfg, sub, folder))
    return tasks


def _write_national(
    out: Path, rows: list[dict[str, Any]], plans: list[pd.DataFrame], config: ScenarioConfig
) -> list[dict[str, Any]]:
    """Write national_summary.csv/.json and national_plan.csv; return the planned provinces' rows."""
    from sapxep.scenarios.run.outputs import write_metrics

    table = pd.DataFrame(rows).reindex(columns=SUMMARY_COLUMNS)
    write_csv(out / "national_summary.csv", table)
    if plans:
        write_csv(out / "national_plan.csv", pd.concat(plans, ignore_index=True))
    solved = [r for r in rows if r.get("status") in ("OPTIMAL", "FEASIBLE")]

    def total(key: str) -> int:
        return int(sum(int(r.get(key) or 0) for r in solved))

    totals = {
        "provinces": len(rows),
        "provinces_planned": len(solved),
        "provinces_failed": [r["province"] for r in rows if r not in solved],
        "n_before": total("n_before"),
        "n_after": total("n_after"),
        "must_arrange_total": total("must_arrange_total"),
        "must_arrange_merged": total("must_arrange_merged"),
        "n_new_units_failing": total("n_new_units_failing"),
        "solve_time_s_total": round(sum(float(r.get("solve_time_s") or 0) for r in solved), 1),
        "ruleset": config.rules.name or config.rules.file,
        "mode": config.plan.mode,
        "time_limit_s_per_province": config.solver.time_limit_s,
    }
    write_metrics(totals, out / "national_summary.json")
    return solved
