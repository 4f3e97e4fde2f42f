"""Staffing results as tables for the workspace (``sapxep_tables``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sapxep.scenarios.workspace.rows import to_sqlite


def _scalar_items(d: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        v = to_sqlite(v)
        if isinstance(v, str | int | float | bool) or v is None:
            out[str(k)] = v
    return out


def staffing_tables(result: Any) -> dict[str, pd.DataFrame]:
    """Turn a :class:`sapxep.scenarios.run.staffing.StaffingResult` into tables for the workspace.

    Returns
    -------
    dict of str to DataFrame
        ``staffing_summary`` (``key, value``: the scalar entries of the summary, with
        ``staff_after`` = the quota after the merger), and the result tables present:
        ``staffing_new_units``, ``staffing_projection``, ``staffing_redeployment``.
    """
    summary = _scalar_items(dict(result.summary))
    if "staff_after" not in summary and "quota_after" in summary:
        summary["staff_after"] = summary["quota_after"]
    tables: dict[str, pd.DataFrame] = {
        "staffing_summary": pd.DataFrame(
            {"key": list(summary), "value": [str(v) if v is not None else "" for v in summary.values()]}
        )
    }
    analysis = getattr(result, "analysis", None)
    candidates = {
        "staffing_new_units": getattr(analysis, "new_units", None),
        "staffing_projection": getattr(result, "projection_after", None),
        "staffing_redeployment": getattr(getattr(result, "redeployment", None), "moves", None),
    }
    for key, df in candidates.items():
        if isinstance(df, pd.DataFrame):
            tables[key] = pd.DataFrame(df).reset_index(drop=True)
    return tables
