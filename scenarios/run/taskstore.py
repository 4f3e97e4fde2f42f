"""Results of distributed tasks on disk: one file pair per finished task, resumable.

An ensemble or sweep folder holds ``tasks/NNNNNN.json`` (what the task was and how it ended,
with the plan's metrics) and ``tasks/NNNNNN.parquet`` (its plan: ``code, new_unit,
seat_code``). The JSON is written last, atomically, so a task counts as finished exactly when
its JSON exists: a rerun reads them and submits only the missing tasks. The combined tables
(``assignments.parquet``, ``metrics.parquet``, ...) are views rebuilt from these files.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from sapxep.units.errors import ScenarioError
from sapxep.units.files import atomic_path

logger = logging.getLogger(__name__)

#: The manifest file: what produced the folder (checked again on a rerun).
MANIFEST = "manifest.json"


def _json_default(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, tuple | set | frozenset):
        return list(v)
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write a file through a temporary file in the same folder, then ``os.replace``.

    Parameters
    ----------
    path : Path
        Final path.
    write : callable
        Writes the content to the path it is given.

    Returns
    -------
    Path
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:  # the one atomic-write helper (sapxep.units.files)
        write(tmp)
    return path


def write_json(path: Path, data: Any) -> Path:
    """Write UTF-8 JSON atomically."""
    text = json.dumps(data, ensure_ascii=False, indent=1, default=_json_default)
    return write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_parquet(path: Path, frame: pd.DataFrame) -> Path:
    """Write a DataFrame to Parquet atomically (no index)."""
    return write_atomic(path, lambda p: frame.to_parquet(p, index=False))


class TaskStore:
    """The finished tasks of one ensemble or sweep folder.

    Parameters
    ----------
    folder : str or Path
        Output folder (created if needed).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.tasks_dir = self.folder / "tasks"
        self.tasks_dir.mkdir(parents=True, exist_ok=True)

    def check_manifest(self, manifest: dict[str, Any], *, same: tuple[str, ...]) -> None:
        """Write the manifest, or check a rerun against the one already there.

        Parameters
        ----------
        manifest : dict
            JSON-ready description of the run.
        same : tuple of str
            Keys that must be equal for the old tasks to be reused.

        Raises
        ------
        ScenarioError
            The folder holds tasks of a different run (naming the keys that differ).
        """
        path = self.folder / MANIFEST
        new = json.loads(json.dumps(manifest, ensure_ascii=False, default=_json_default))
        if path.exists():
            old = json.loads(path.read_text(encoding="utf-8"))
            diff = [k for k in same if old.get(k) != new.get(k)]
            if diff:
                raise ScenarioError(
                    f"{self.folder} holds the results of a different run",
                    [f"'{k}' was {old.get(k)!r}, now {new.get(k)!r}" for k in diff]
                    + ["use another --out folder, or delete this one to start again"],
                )
        write_json(path, new)

    def _stem(self, task: int) -> Path:
        return self.tasks_dir / f"{task:06d}"

    def done(self) -> dict[int, dict[str, Any]]:
        """Every finished task's record, by task number."""
        out: dict[int, dict[str, Any]] = {}
        for p in sorted(self.tasks_dir.glob("*.json")):
            try:
                rec = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                logger.warning("ignoring unreadable task record %s", p)
                continue
            out[int(rec["task"])] = rec
        return out

    def save(self, record: dict[str, Any], assignment: pd.DataFrame | None) -> None:
        """Store one finished task: its plan first, then its record (which marks it done)."""
        stem = self._stem(int(record["task"]))
        if assignment is not None:
            write_parquet(stem.with_suffix(".parquet"), assignment)
        write_json(stem.with_suffix(".json"), record)

    def assignment(self, task: int) -> pd.DataFrame:
        """The plan of a finished task (``code, new_unit, seat_code``)."""
        return pd.read_parquet(self._stem(task).with_suffix(".parquet"))


def flat_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """Metrics for a Parquet row: lists and dicts become JSON text, the rest stays."""
    return {
        k: json.dumps(v, ensure_ascii=False, default=_json_default) if isinstance(v, list | dict | tuple)
        else v
        for k, v in metrics.items()
    }  # fmt: skip
