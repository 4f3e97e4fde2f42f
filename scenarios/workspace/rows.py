"""Conversion between tables in memory and the workspace's stored rows.

Frames become lists of SQLite-ready tuples (geometry as GeoPackage blobs, NaN as NULL) and
stored rows become frames again, typed by the column lists of :mod:`.schema`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from io import StringIO
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from sapxep.scenarios.jsonfile import json_text
from sapxep.scenarios.workspace import gpkg as gp
from sapxep.scenarios.workspace.schema import NEW_UNIT_COLUMNS, UNIT_COLUMNS
from sapxep.units.plan import MergePlan, plan_from_mapping

logger = logging.getLogger(__name__)


def now() -> str:
    """Return the current UTC time as stored (ISO 8601 with microseconds and ``Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_sqlite(value: Any) -> Any:
    """Turn numpy/pandas scalars into SQLite-ready Python values (NaN/NA -> None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def frame_to_json(df: pd.DataFrame) -> str:
    """Serialise a result table (pandas ``table`` orient, keeps dtypes)."""
    return df.to_json(orient="table", index=False, force_ascii=False, date_format="iso")


def frame_from_json(text: str) -> pd.DataFrame:
    """Read a table written by :func:`frame_to_json`."""
    return pd.read_json(StringIO(text), orient="table")


def unit_rows(units: gpd.GeoDataFrame, dataset: str) -> list[list[Any]]:
    """Rows of the ``units`` layer: geometry, dataset, :data:`UNIT_COLUMNS`, extra columns as JSON.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        The units table, in EPSG:4326.
    dataset : str
        Dataset name stored on every row.

    Returns
    -------
    list of list
        One row per unit; extra scalar columns go to ``extra_json``.
    """
    extra_cols = [c for c in units.columns if c not in UNIT_COLUMNS and c != units.geometry.name]
    rows = []
    for rec, geom in zip(
        units.drop(columns=units.geometry.name).to_dict("records"), units.geometry, strict=True
    ):
        vals = [to_sqlite(rec.get(c)) for c in UNIT_COLUMNS]
        extra = {c: to_sqlite(rec.get(c)) for c in extra_cols}
        extra = {k: v for k, v in extra.items() if isinstance(v, str | int | float | bool)}
        rows.append(
            [gp.encode_geometry(gp.as_multipolygon(geom)), dataset, *vals,
             json_text(extra, indent=None) if extra else None]
        )  # fmt: skip
    return rows


def units_frame(rows: Sequence[tuple[Any, ...]]) -> gpd.GeoDataFrame:
    """Rebuild the units table from rows ``(geom, *UNIT_COLUMNS, extra_json)`` (EPSG:4326)."""
    df = pd.DataFrame([r[1:-1] for r in rows], columns=list(UNIT_COLUMNS))
    for col, typ in UNIT_COLUMNS.items():
        if df[col].isna().all() and typ != "TEXT":
            df[col] = np.nan
        elif typ == "BOOLEAN":
            df[col] = df[col].fillna(0).astype(bool)
        elif typ == "INTEGER":
            df[col] = df[col].fillna(0).astype("int64")
        elif typ == "REAL":
            df[col] = df[col].astype(float)
        else:
            df[col] = df[col].fillna("").astype(str)
    extras = [json.loads(r[-1]) if r[-1] else {} for r in rows]
    extra_df = pd.DataFrame(extras)
    for c in extra_df.columns:
        df[c] = extra_df[c].to_numpy()
    geoms = [gp.decode_geometry(r[0]) for r in rows]
    return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")


def new_unit_rows(
    units: gpd.GeoDataFrame, plan: MergePlan, new_units: gpd.GeoDataFrame
) -> list[tuple[Any, ...]]:
    """Rows ``(geom, *NEW_UNIT_COLUMNS)`` of the ``new_units`` layer for one scenario.

    Missing seat, name, members or counts are filled from ``plan`` and ``units``.
    """
    gdf = new_units.to_crs(4326) if new_units.crs is not None else new_units
    names_by_code = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    groups = plan.groups
    rows = []
    for rec, geom in zip(gdf.drop(columns=gdf.geometry.name).to_dict("records"), gdf.geometry, strict=True):
        g = str(rec.get("new_unit"))
        seat = str(to_sqlite(rec.get("seat_code")) or plan.seats.get(g, ""))
        members = rec.get("members")
        if not isinstance(members, str):
            members = ";".join(groups.get(g, []))
        rows.append(
            (
                gp.encode_geometry(gp.as_multipolygon(geom)),
                g,
                str(to_sqlite(rec.get("name")) or plan.names.get(g, "")),
                seat,
                names_by_code.get(seat, ""),
                members,
                int(to_sqlite(rec.get("n_members")) or len(members.split(";"))),
                to_sqlite(rec.get("area_km2")),
                int(to_sqlite(rec.get("population")) or 0),
            )
        )
    return rows


def new_units_frame(rows: Sequence[tuple[Any, ...]]) -> gpd.GeoDataFrame:
    """Rebuild the new units of a scenario from rows ``(geom, *NEW_UNIT_COLUMNS)``."""
    ncols = list(NEW_UNIT_COLUMNS)
    ndf = pd.DataFrame([r[1:] for r in rows], columns=ncols)
    for col, typ in NEW_UNIT_COLUMNS.items():
        if typ == "INTEGER":
            ndf[col] = ndf[col].fillna(0).astype("int64")
        elif typ == "REAL":
            ndf[col] = ndf[col].astype(float)
        else:
            ndf[col] = ndf[col].fillna("").astype(str)
    return gpd.GeoDataFrame(ndf, geometry=[gp.decode_geometry(r[0]) for r in rows], crs="EPSG:4326")


def assignment_rows(plan: MergePlan) -> list[tuple[str, str, str, str]]:
    """Rows ``(code, new_unit, seat_code, new_name)`` of ``sapxep_assignment``."""
    seats = plan.seats
    return [
        (str(c), str(g), seats.get(str(g), ""), plan.names.get(str(g), ""))
        for c, g in plan.assignment.items()
    ]


def plan_from_rows(rows: Sequence[tuple[Any, ...]]) -> MergePlan:
    """Rebuild a plan from ``sapxep_assignment`` rows ``(code, new_unit, seat_code, new_name)``."""
    assignment = pd.Series([r[1] for r in rows], index=[r[0] for r in rows], dtype=object)
    return plan_from_mapping(
        assignment,
        seats={r[1]: r[2] for r in rows if r[2]},
        names={r[1]: r[3] for r in rows if r[3]},
    )


def rows_digest(rows: Sequence[Sequence[Any]]) -> str:
    """SHA-256 of unit rows ``(geom, *UNIT_COLUMNS, extra_json)`` (as built or as read back).

    Booleans count as integers and blobs by their bytes, so rows read back from SQLite
    give the same digest as the rows that were inserted.
    """

    def norm(v: Any) -> Any:
        if isinstance(v, bytes | bytearray | memoryview):
            return bytes(v).hex()
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, float):
            return repr(v)
        return v

    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps([norm(v) for v in row], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _stored_rows(con: sqlite3.Connection, dataset: str) -> list[tuple[Any, ...]]:
    qcols = ", ".join(f'"{c}"' for c in UNIT_COLUMNS)
    sql = f"SELECT geom, {qcols}, extra_json FROM units WHERE dataset = ? ORDER BY fid"
    return con.execute(sql, (dataset,)).fetchall()


def insert_units(con: sqlite3.Connection, dataset: str, units: gpd.GeoDataFrame, *, replace: bool) -> str:
    """Store the units of a dataset inside an open write transaction; return the key used.

    Units are keyed by content: the same units under the same name are stored once; units
    that differ from the stored ones (a corrected file of the same name) are stored as a
    new version ``"NAME@digest8"`` so that a scenario never reads stale rows. With
    ``replace`` the stored version is replaced in place, unless a saved scenario uses it
    (then both versions are kept).

    Parameters
    ----------
    con : sqlite3.Connection
        Inside a write transaction.
    dataset : str
        Dataset name.
    units : geopandas.GeoDataFrame
    replace : bool
        Replace the stored version of ``dataset`` if no scenario uses it.

    Returns
    -------
    str
        ``dataset``, or ``"dataset@digest8"`` when another version was stored under that name.
    """
    gdf = units.to_crs(4326) if units.crs is not None else units
    rows = unit_rows(gdf, dataset)
    digest = rows_digest([[r[0], *r[2:]] for r in rows])
    stored = _stored_rows(con, dataset)
    if stored and rows_digest(stored) == digest:
        return dataset
    if stored:
        used = con.execute("SELECT 1 FROM sapxep_scenarios WHERE dataset = ? LIMIT 1", (dataset,)).fetchone()
        if not (replace and used is None):
            key = f"{dataset}@{digest[:8]}"
            if con.execute("SELECT 1 FROM units WHERE dataset = ? LIMIT 1", (key,)).fetchone():
                return key
            logger.info("workspace: units of %s differ from the stored ones; kept both (%s)", dataset, key)
            dataset = key
            rows = [[r[0], key, *r[2:]] for r in rows]
    con.execute("DELETE FROM units WHERE dataset = ?", (dataset,))
    cols = list(UNIT_COLUMNS)
    qcols = ", ".join(f'"{c}"' for c in cols)
    marks = ", ".join("?" for _ in range(len(cols) + 3))
    con.executemany(f"INSERT INTO units (geom, dataset, {qcols}, extra_json) VALUES ({marks})", rows)
    gp.touch_table(con, "units", gdf.total_bounds if len(gdf) else None)
    logger.info("workspace: stored %d units of %s", len(rows), dataset)
    return dataset


def insert_scenario(
    con: sqlite3.Connection,
    record: tuple[Any, ...],
    arows: list[tuple[str, str, str, str]],
    nu_rows: list[tuple[Any, ...]],
    table_rows: list[tuple[str, str]],
) -> int:
    """Insert one scenario row and its assignment, new units and tables; return its id."""
    cur = con.execute(
        "INSERT INTO sapxep_scenarios (name, dataset, status, source, author, description, "
        "ruleset, created, updated, n_before, n_after, config_toml, metrics_json) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        record,
    )
    sid = int(cur.lastrowid or 0)
    name = record[0]
    con.executemany(
        "INSERT INTO sapxep_assignment (scenario_id, code, new_unit, seat_code, new_name) VALUES (?,?,?,?,?)",
        [(sid, *r) for r in arows],
    )
    ncols = list(NEW_UNIT_COLUMNS)
    con.executemany(
        "INSERT INTO new_units (geom, scenario_id, scenario, "
        + ", ".join(f'"{c}"' for c in ncols)
        + ") VALUES (" + ", ".join("?" for _ in range(len(ncols) + 3)) + ")",
        [(r[0], sid, name, *r[1:]) for r in nu_rows],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO sapxep_tables (scenario_id, table_name, payload_json) VALUES (?,?,?)",
        [(sid, t, p) for t, p in table_rows],
    )
    for t in ("sapxep_scenarios", "sapxep_assignment", "sapxep_tables"):
        gp.touch_table(con, t)
    return sid
