"""Write a run's files: ``plan.csv``, ``metrics.json``, ``plan.gpkg``, ``scenario.toml``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sapxep.scenarios.config import dump_scenario
from sapxep.scenarios.csvfile import write_csv
from sapxep.scenarios.jsonfile import write_json
from sapxep.scenarios.run.scenario import RunResult
from sapxep.units.files import atomic_path

logger = logging.getLogger(__name__)


def write_metrics(metrics: dict[str, Any], path: Path) -> Path:
    """Write metrics as strict, pretty UTF-8 JSON (non-finite numbers as ``null``)."""
    return write_json(metrics, path)


def write_run(result: RunResult, out_dir: str | Path, *, gpkg: bool = True) -> dict[str, Path]:
    """Write the outputs of one run into ``out_dir`` (created if needed).

    Files: ``plan.csv`` (``code,new_unit,seat_code``, one row per original unit),
    ``metrics.json``, ``plan.gpkg`` (layers ``units`` and ``new_units``), ``scenario.toml``
    (the scenario as run, readable by ``sapxep plan``) and, with alternatives,
    ``plan_alt2.csv`` …

    Parameters
    ----------
    result : RunResult
    out_dir : str or Path
    gpkg : bool, default True
        Also write the GeoPackage.

    Returns
    -------
    dict of str to Path
        What was written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    p = out / "plan.csv"
    write_csv(p, result.plan.to_frame())
    written["plan.csv"] = p
    for k, (alt, _check) in enumerate(result.alternatives, start=2):
        pa = out / f"plan_alt{k}.csv"
        write_csv(pa, alt.plan.to_frame())
        written[pa.name] = pa
    written["metrics.json"] = write_metrics(result.metrics, out / "metrics.json")
    if gpkg:
        g = out / "plan.gpkg"
        units = result.units.copy()
        for col in units.columns:
            if col != "geometry" and units[col].dtype == object:
                units[col] = units[col].astype(str)
        with atomic_path(g) as tmp:
            units.to_file(tmp, layer="units", driver="GPKG")
            result.new_units.to_file(tmp, layer="new_units", driver="GPKG")
        written["plan.gpkg"] = g
    written["scenario.toml"] = dump_scenario(result.config, out / "scenario.toml")
    logger.info("wrote %d files to %s", len(written), out)
    return written
