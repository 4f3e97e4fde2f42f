"""Staffing results as tables for the workspace (``sapxep_tables``).

The conversion itself lives once in :mod:`sapxep.scenarios.run.staffing_outputs`
(:func:`~sapxep.scenarios.run.staffing_outputs.stored_staffing_tables`); this name stays
for the workspace's callers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def staffing_tables(result: Any) -> dict[str, pd.DataFrame]:
    """Turn a :class:`sapxep.scenarios.run.staffing.StaffingResult` into tables for the workspace.

    Returns
    -------
    dict of str to DataFrame
        See :func:`sapxep.scenarios.run.staffing_outputs.stored_staffing_tables`.
    """
    from sapxep.scenarios.run.staffing_outputs import stored_staffing_tables

    return stored_staffing_tables(result)
