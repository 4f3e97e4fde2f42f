"""Store a ``sapxep plan`` run (a result in memory or a run folder) as a workspace scenario."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from sapxep.scenarios.workspace.schema import ScenarioInfo
from sapxep.scenarios.workspace.staffing_tables import staffing_tables
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.errors import WorkspaceError
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)


def save_run(
    workspace_path: str | Path | Workspace,
    name: str,
    run: Any,
    *,
    author: str = "",
    description: str = "",
    staffing: Any = None,
    if_exists: Literal["error", "replace", "rename"] = "error",
) -> ScenarioInfo:
    """Store a ``sapxep plan`` run as a scenario.

    Parameters
    ----------
    workspace_path : path or Workspace
        The workspace file (created if missing).
    name : str
        Scenario name.
    run : RunResult or path
        A :class:`sapxep.scenarios.run.scenario.RunResult`, or a run folder with ``plan.csv``,
        ``scenario.toml`` and optionally ``metrics.json`` and ``plan.gpkg``.
    author, description : str
        Stored with the scenario.
    staffing : StaffingResult or mapping of tables, optional
        Staffing results to attach.
    if_exists : {"error", "replace", "rename"}
        See :meth:`Workspace.save`.

    Returns
    -------
    ScenarioInfo

    Raises
    ------
    WorkspaceError
        If the name is taken or the run folder is incomplete.
    """
    from sapxep.scenarios.analysis.metrics import plan_metrics

    ws = workspace_path if isinstance(workspace_path, Workspace) else Workspace(workspace_path)
    if isinstance(run, str | Path):
        units, plan, saved_metrics, config_toml, dataset, new_units = _read_run_dir(Path(run))
        ruleset = str(saved_metrics.get("ruleset", "") or "")
        status = str(saved_metrics.get("status", "ok") or "ok")
    else:
        from sapxep.scenarios.config import scenario_to_toml

        units = run.units.drop(columns=["new_unit", "seat_code"], errors="ignore")
        plan, new_units, saved_metrics = run.plan, run.new_units, dict(run.metrics)
        config_toml = scenario_to_toml(run.config)
        cfg = run.config
        dataset = cfg.data.dataset or Path(str(cfg.data.units_file)).stem
        ruleset = str(saved_metrics.get("ruleset", "") or "")
        status = str(saved_metrics.get("status", "ok") or "ok")
    tables: dict[str, pd.DataFrame] = {}
    if staffing is not None:
        tables = dict(staffing) if isinstance(staffing, Mapping) else staffing_tables(staffing)
    summary = None
    if "staffing_summary" in tables:
        df = tables["staffing_summary"]
        summary = dict(zip(df["key"], pd.to_numeric(df["value"], errors="coerce"), strict=True))
    metrics = {**saved_metrics, **plan_metrics(units, plan, ruleset=ruleset or None,
                                               new_units=new_units, staffing=summary)}  # fmt: skip
    return ws.save(
        name, plan, units=units, dataset=dataset, new_units=new_units, config_toml=config_toml,
        metrics=metrics, status=status, source="optimizer", author=author,
        description=description, ruleset=ruleset, tables=tables, if_exists=if_exists,
    )  # fmt: skip


def _read_run_dir(
    d: Path,
) -> tuple[gpd.GeoDataFrame, MergePlan, dict[str, Any], str, str, gpd.GeoDataFrame | None]:
    from sapxep.scenarios.run.staffing import load_plan_dir

    if not (d / "plan.csv").is_file() or not (d / "scenario.toml").is_file():
        raise WorkspaceError(
            f"{d} is not a run folder: it needs plan.csv and scenario.toml (from `sapxep plan`)"
        )
    units, plan, info = load_plan_dir(d)
    metrics: dict[str, Any] = {}
    if (d / "metrics.json").is_file():
        metrics = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
    if not metrics.get("ruleset") and info.get("ruleset"):  # [rules] of scenario.toml
        metrics["ruleset"] = info["ruleset"]
    config_toml = (d / "scenario.toml").read_text(encoding="utf-8")
    dataset = str(info.get("dataset") or "") or Path(str(info.get("units_file", "units"))).stem
    new_units = None
    gpkg = d / "plan.gpkg"
    if gpkg.is_file():
        try:
            new_units = gpd.read_file(gpkg, layer="new_units")
        except Exception as exc:  # noqa: BLE001 - fall back to dissolving again
            logger.warning("cannot read %s (%s): dissolving the plan again", gpkg, exc)
    return units, plan, metrics, config_toml, dataset, new_units
