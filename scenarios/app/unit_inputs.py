"""Per-unit inputs the user may edit (terrain, special factors, class), stored in the workspace."""

from __future__ import annotations

import logging
from typing import Any, Final

import pandas as pd

from sapxep.units.errors import SapxepError

logger = logging.getLogger(__name__)

#: Per-unit inputs the user may edit (they change the law's numbers), with their kinds.
EDITABLE_COLUMNS: Final[dict[str, str]] = {
    "terrain": "choice",
    "commune_class": "choice",
    "exemption_reason": "text",
    "border": "bool",
    "island": "bool",
    "coastal_disadvantaged": "bool",
    "ethnic_minority_share": "float",
}


def editable_frame(units: pd.DataFrame) -> pd.DataFrame:
    """Return the editable per-unit inputs: ``code, name`` and :data:`EDITABLE_COLUMNS`.

    Parameters
    ----------
    units : pandas.DataFrame
        Units table.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``; missing columns get their schema default.
    """
    out = pd.DataFrame({"name": units["name"].astype(str).to_numpy()}, index=units["code"].astype(str))
    out.index.name = "code"
    for col, kind in EDITABLE_COLUMNS.items():
        if col in units.columns:
            vals = units[col].to_numpy()
        else:
            vals = {"bool": False, "float": float("nan")}.get(kind, "")
        out[col] = vals
    for col, kind in EDITABLE_COLUMNS.items():
        if kind == "bool":
            out[col] = out[col].fillna(False).astype(bool)
        elif kind == "float":
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
        else:
            out[col] = out[col].fillna("").astype(str)
    return out


def diff_unit_edits(original: pd.DataFrame, edited: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of ``edited`` whose editable inputs differ from ``original``.

    Parameters
    ----------
    original, edited : pandas.DataFrame
        Both from :func:`editable_frame` (same index).

    Returns
    -------
    pandas.DataFrame
        Changed rows only, columns :data:`EDITABLE_COLUMNS`.
    """
    cols = list(EDITABLE_COLUMNS)
    a = original.reindex(edited.index)[cols]
    b = edited[cols]
    changed = pd.Series(False, index=b.index)
    for c in cols:
        x, y = a[c], b[c]
        if EDITABLE_COLUMNS[c] == "float":
            same = (x == y) | (x.isna() & y.isna())
        else:
            same = x.astype(str) == y.astype(str)
        changed |= ~same.fillna(False).astype(bool)
    return b[changed]


def apply_unit_edits(units: Any, edits: pd.DataFrame | None) -> Any:
    """Return a copy of ``units`` with per-unit edits applied (``units`` is not mutated).

    Edited terrain sets ``terrain_source = "data"``.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Units table.
    edits : pandas.DataFrame or None
        Indexed by code, columns among :data:`EDITABLE_COLUMNS`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``units`` itself when there are no edits, else an edited copy.
    """
    if edits is None or edits.empty:
        return units
    out = units.copy()
    pos = pd.Series(range(len(out)), index=out["code"].astype(str))
    rows = pos.reindex(edits.index).dropna().astype(int)
    for col in edits.columns:
        if col not in EDITABLE_COLUMNS:
            continue
        vals = edits.loc[rows.index, col].to_numpy()
        if col not in out.columns:
            out[col] = {"bool": False, "float": float("nan")}.get(EDITABLE_COLUMNS[col], "")
        out.iloc[rows.to_numpy(), out.columns.get_loc(col)] = vals
    if "terrain" in edits.columns and "terrain_source" in out.columns:
        changed = out["terrain"].astype(str).to_numpy() != units["terrain"].astype(str).to_numpy()
        out.loc[changed, "terrain_source"] = "data"
    return out


def read_unit_edits(workspace: Any, dataset: str, base: pd.DataFrame) -> pd.DataFrame:
    """Return the per-unit edits of ``dataset`` stored in ``workspace`` (empty if none).

    The edited units table is stored under :func:`edits_key` (older workspaces: under
    ``dataset`` itself); the edits are its differences from ``base`` in :data:`EDITABLE_COLUMNS`.
    """
    try:
        key = edits_key(dataset) if workspace.has_units(edits_key(dataset)) else dataset
        if not workspace.has_units(key):
            return editable_frame(base).iloc[:0][list(EDITABLE_COLUMNS)]
        stored = workspace.units(key)
    except SapxepError as exc:  # an unreadable workspace means "no edits" here
        logger.warning("cannot read unit edits of %s: %s", dataset, exc)
        return editable_frame(base).iloc[:0][list(EDITABLE_COLUMNS)]
    orig = editable_frame(base)
    new = editable_frame(stored)
    new = new[new.index.isin(orig.index)]
    return diff_unit_edits(orig, new)


#: Suffix of the workspace key holding a dataset's per-unit edits (see :func:`edits_key`).
EDITS_SUFFIX: Final = "~edits"


def edits_key(dataset: str) -> str:
    """Workspace key of the edited units of ``dataset`` (apart from the units scenarios use)."""
    return f"{dataset}{EDITS_SUFFIX}"


def save_unit_edits(workspace: Any, dataset: str, units: Any) -> None:
    """Store the (edited) units table of ``dataset`` in the workspace, replacing older edits.

    They are kept under :func:`edits_key`, never over the units that saved scenarios use
    (a scenario saved later stores the units it was planned on itself).
    """
    workspace.put_units(edits_key(dataset), units, replace=True)
