"""The workspace: one GeoPackage file holding units and every saved scenario.

Layout (all tables registered in ``gpkg_contents``, so QGIS lists them):

``units`` (features)
    The original units of every dataset used, with a ``dataset`` column.
``new_units`` (features)
    The dissolved new units of every scenario (``scenario`` and ``scenario_id`` columns).
``sapxep_scenarios`` (attributes)
    One row per scenario: name, dataset, status, source, author, description, ruleset,
    created/updated timestamps (UTC, ISO 8601), n_before, n_after, the scenario TOML and
    the metrics (JSON).
``sapxep_assignment`` (attributes)
    The grouping: ``scenario_id, code, new_unit, seat_code, new_name``.
``sapxep_tables`` (attributes)
    Result tables attached to a scenario (staffing results, ...), as JSON.
``sapxep_meta`` (attributes)
    Key/value: schema version.

Every write is one SQLite transaction (``BEGIN IMMEDIATE``, rollback journal,
``synchronous=FULL``): a killed process leaves the file as it was before the write,
and concurrent writers wait for each other (busy timeout) instead of losing a save.
A connection is opened per operation, so one :class:`Workspace` may serve several
threads or Streamlit sessions.
"""

from __future__ import annotations

import builtins
import json
import logging
import math
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from sapxep.scenarios.workspace import gpkg as gp
from sapxep.units.errors import PlanError, WorkspaceError, format_codes
from sapxep.units.plan import MergePlan, plan_from_mapping

logger = logging.getLogger(__name__)

#: Default workspace file name (in the current folder).
DEFAULT_WORKSPACE = "sapxep.gpkg"
SCHEMA_VERSION = "1"

#: Columns of the ``units`` layer with their GeoPackage types (the units-table schema).
UNIT_COLUMNS: dict[str, str] = {
    "code": "TEXT",
    "name": "TEXT",
    "unit_type": "TEXT",
    "parent_code": "TEXT",
    "parent_name": "TEXT",
    "parent_kind": "TEXT",
    "province": "TEXT",
    "area_km2": "REAL",
    "area_source": "TEXT",
    "area_km2_polygon": "REAL",
    "area_km2_official": "REAL",
    "population": "INTEGER",
    "terrain": "TEXT",
    "terrain_source": "TEXT",
    "ethnic_minority_share": "REAL",
    "border": "BOOLEAN",
    "island": "BOOLEAN",
    "coastal_disadvantaged": "BOOLEAN",
    "red_river_delta": "BOOLEAN",
    "commune_class": "TEXT",
    "arranged_2019_2021": "BOOLEAN",
    "arranged_2023_2025": "BOOLEAN",
    "exemption_reason": "TEXT",
}

#: Columns of the ``new_units`` layer (besides ``scenario_id``/``scenario``).
NEW_UNIT_COLUMNS: dict[str, str] = {
    "new_unit": "TEXT",
    "name": "TEXT",
    "seat_code": "TEXT",
    "seat_name": "TEXT",
    "members": "TEXT",
    "n_members": "INTEGER",
    "area_km2": "REAL",
    "population": "INTEGER",
}

_DDL = (
    """CREATE TABLE IF NOT EXISTS sapxep_meta (
        fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, key TEXT UNIQUE NOT NULL, value TEXT)""",
    """CREATE TABLE IF NOT EXISTS sapxep_scenarios (
        fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, name TEXT UNIQUE NOT NULL,
        dataset TEXT NOT NULL, status TEXT, source TEXT, author TEXT, description TEXT,
        ruleset TEXT, created DATETIME NOT NULL, updated DATETIME NOT NULL,
        n_before INTEGER, n_after INTEGER, config_toml TEXT, metrics_json TEXT)""",
    """CREATE TABLE IF NOT EXISTS sapxep_assignment (
        fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, scenario_id INTEGER NOT NULL,
        code TEXT NOT NULL, new_unit TEXT NOT NULL, seat_code TEXT, new_name TEXT)""",
    "CREATE INDEX IF NOT EXISTS sapxep_assignment_sid ON sapxep_assignment (scenario_id)",
    """CREATE TABLE IF NOT EXISTS sapxep_tables (
        fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, scenario_id INTEGER NOT NULL,
        table_name TEXT NOT NULL, payload_json TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS sapxep_tables_sid ON sapxep_tables (scenario_id)",
    "CREATE TABLE IF NOT EXISTS units (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
    "geom MULTIPOLYGON, dataset TEXT NOT NULL, "
    + ", ".join(f'"{c}" {t}' for c, t in UNIT_COLUMNS.items())
    + ", extra_json TEXT)",
    "CREATE INDEX IF NOT EXISTS units_dataset ON units (dataset)",
    "CREATE TABLE IF NOT EXISTS new_units (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
    "geom MULTIPOLYGON, scenario_id INTEGER NOT NULL, scenario TEXT NOT NULL, "
    + ", ".join(f'"{c}" {t}' for c, t in NEW_UNIT_COLUMNS.items())
    + ")",
    "CREATE INDEX IF NOT EXISTS new_units_sid ON new_units (scenario_id)",
)

_REGISTER = (
    ("sapxep_meta", "attributes", "sapxep workspace metadata", None),
    ("sapxep_scenarios", "attributes", "Saved scenarios (config, status, metrics)", None),
    ("sapxep_assignment", "attributes", "Grouping of each scenario: old code -> new unit", None),
    ("sapxep_tables", "attributes", "Result tables of each scenario (staffing, ...)", None),
    ("units", "features", "Original commune-level units of each dataset", "geom"),
    ("new_units", "features", "New units of each scenario (filter on 'scenario')", "geom"),
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class ScenarioInfo:
    """Summary of a saved scenario (one row of ``sapxep_scenarios``).

    Attributes
    ----------
    name, dataset, status, source, author, description, ruleset : str
        ``source`` is e.g. ``"optimizer"``, ``"import"``, ``"manual"``, ``"duplicate"``.
    created, updated : str
        UTC timestamps, ISO 8601.
    n_before, n_after : int
        Units before and after the merger.
    """

    name: str
    dataset: str
    status: str
    source: str
    author: str
    description: str
    ruleset: str
    created: str
    updated: str
    n_before: int
    n_after: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Scenario:
    """A saved scenario with everything stored for it.

    Attributes
    ----------
    info : ScenarioInfo
    plan : MergePlan
        Grouping, seats and new-unit names.
    config_toml : str
        The scenario TOML (empty for imports).
    metrics : dict
        Metrics saved with the scenario.
    new_units : geopandas.GeoDataFrame
        Dissolved new units (EPSG:4326), one row per new unit.
    tables : dict of str to pandas.DataFrame
        Attached result tables (e.g. staffing).
    """

    info: ScenarioInfo
    plan: MergePlan
    config_toml: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    new_units: gpd.GeoDataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Scenario name."""
        return self.info.name


def _py(value: Any) -> Any:
    """Turn numpy/pandas scalars into SQLite-ready Python values (NaN/NA -> None)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _frame_to_json(df: pd.DataFrame) -> str:
    return df.to_json(orient="table", index=False, force_ascii=False, date_format="iso")


def _frame_from_json(text: str) -> pd.DataFrame:
    from io import StringIO

    return pd.read_json(StringIO(text), orient="table")


class Workspace:
    """A workspace GeoPackage file (created on first write).

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.gpkg`` file; default :data:`DEFAULT_WORKSPACE` in the current folder.
    timeout_s : float, default 60
        How long a writer waits for another writer before giving up.

    Raises
    ------
    WorkspaceError
        If the file exists but is not a SQLite/GeoPackage file.
    """

    def __init__(self, path: str | Path = DEFAULT_WORKSPACE, *, timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.timeout_s = float(timeout_s)
        if self.path.exists():
            with self._connect() as con:
                self._check_file(con)

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    # -- connections -------------------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            con = sqlite3.connect(
                self.path, timeout=self.timeout_s, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise WorkspaceError(f"cannot open workspace {self.path}: {exc}") from exc
        try:
            con.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
            con.execute("PRAGMA synchronous = FULL")
            yield con
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise WorkspaceError(
                    f"{self.path} is not a workspace (not a SQLite/GeoPackage file): choose "
                    "another file or move this one away"
                ) from exc
            raise WorkspaceError(f"workspace {self.path}: {exc}") from exc
        finally:
            con.close()

    def _check_file(self, con: sqlite3.Connection) -> None:
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(
                f"{self.path} is not a workspace (not a SQLite/GeoPackage file): {exc}"
            ) from exc
        if tables and "sapxep_meta" not in tables and "units" in tables:
            raise WorkspaceError(
                f"{self.path} is a GeoPackage with a 'units' layer not made by sapxep: "
                "choose another workspace file"
            )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """Open a connection in a ``BEGIN IMMEDIATE`` transaction; commit or roll back."""
        with self._connect() as con:
            mode = con.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() == "wal":
                con.execute("PRAGMA journal_mode = DELETE")
            con.execute("BEGIN IMMEDIATE")
            try:
                self._ensure_schema(con)
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @staticmethod
    def _ensure_schema(con: sqlite3.Connection) -> None:
        have = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sapxep_meta'").fetchone()
        if have:
            return
        con.execute(f"PRAGMA application_id = {gp.GPKG_APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {gp.GPKG_USER_VERSION}")
        gp.init_core(con)
        for ddl in _DDL:
            con.execute(ddl)
        for table, kind, desc, geom in _REGISTER:
            gp.register_table(con, table, data_type=kind, description=desc, geometry_column=geom)
        con.execute(
            "INSERT OR IGNORE INTO sapxep_meta (key, value) VALUES ('schema_version', ?)",
            (SCHEMA_VERSION,),
        )

    def _require(self, name: str) -> None:
        """Raise the usual 'no scenario' error when the workspace has no tables yet."""
        if not self._has_schema():
            raise WorkspaceError(f"no scenario '{name}' in {self.path} (the workspace is empty)")

    def _has_schema(self) -> bool:
        if not self.path.exists():
            return False
        with self._connect() as con:
            return bool(con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sapxep_meta'").fetchone())

    # -- units ---------------------------------------------------------------------------
    def datasets(self) -> builtins.list[str]:
        """Return the datasets whose units are stored."""
        if not self._has_schema():
            return []
        with self._connect() as con:
            return [r[0] for r in con.execute("SELECT DISTINCT dataset FROM units ORDER BY 1")]

    def has_units(self, dataset: str) -> bool:
        """Return whether the units of ``dataset`` are stored."""
        return dataset in self.datasets()

    def put_units(self, dataset: str, units: gpd.GeoDataFrame, *, replace: bool = False) -> None:
        """Store the units of a dataset (no-op if already stored, unless ``replace``).

        Parameters
        ----------
        dataset : str
            Dataset name, e.g. ``"phu_tho_2023"``.
        units : geopandas.GeoDataFrame
            The units table.
        replace : bool, default False
            Replace stored units of that dataset.
        """
        with self._write() as con:
            self._put_units(con, dataset, units, replace=replace)

    @staticmethod
    def _put_units(con: sqlite3.Connection, dataset: str, units: gpd.GeoDataFrame, *, replace: bool) -> None:
        exists = con.execute("SELECT 1 FROM units WHERE dataset = ? LIMIT 1", (dataset,)).fetchone()
        if exists and not replace:
            stored = {r[0] for r in con.execute("SELECT code FROM units WHERE dataset = ?", (dataset,))}
            given = set(units["code"].astype(str))
            if stored != given:
                raise WorkspaceError(
                    f"the workspace already holds {len(stored)} units of dataset '{dataset}' and "
                    f"these {len(given)} units differ ({len(given - stored)} new codes, "
                    f"{len(stored - given)} missing): save them under another dataset name"
                )
            return
        con.execute("DELETE FROM units WHERE dataset = ?", (dataset,))
        gdf = units.to_crs(4326) if units.crs is not None else units
        extra_cols = [c for c in gdf.columns if c not in UNIT_COLUMNS and c != gdf.geometry.name]
        cols = list(UNIT_COLUMNS)
        rows = []
        for rec, geom in zip(
            gdf.drop(columns=gdf.geometry.name).to_dict("records"), gdf.geometry, strict=True
        ):
            vals = [_py(rec.get(c)) for c in cols]
            extra = {c: _py(rec.get(c)) for c in extra_cols}
            extra = {k: v for k, v in extra.items() if isinstance(v, str | int | float | bool)}
            rows.append(
                [gp.encode_geometry(gp.as_multipolygon(geom)), dataset, *vals,
                 json.dumps(extra, ensure_ascii=False) if extra else None]
            )  # fmt: skip
        qcols = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in range(len(cols) + 3))
        con.executemany(f"INSERT INTO units (geom, dataset, {qcols}, extra_json) VALUES ({marks})", rows)
        gp.touch_table(con, "units", gdf.total_bounds if len(gdf) else None)
        logger.info("workspace: stored %d units of %s", len(rows), dataset)

    def units(self, dataset: str) -> gpd.GeoDataFrame:
        """Return the stored units of ``dataset`` (EPSG:4326, RangeIndex).

        Raises
        ------
        WorkspaceError
            If no units of that dataset are stored.
        """
        if not self._has_schema():
            raise WorkspaceError(f"workspace {self.path} has no units of dataset '{dataset}'")
        with self._connect() as con:
            cur = con.execute(
                "SELECT geom, " + ", ".join(f'"{c}"' for c in UNIT_COLUMNS)
                + ", extra_json FROM units WHERE dataset = ? ORDER BY fid",
                (dataset,),
            )  # fmt: skip
            rows = cur.fetchall()
        if not rows:
            raise WorkspaceError(
                f"workspace {self.path} has no units of dataset '{dataset}'",
            )
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

    # -- scenarios: reading ----------------------------------------------------------------
    _INFO_COLS = (
        "name, dataset, status, source, author, description, ruleset, created, updated, n_before, n_after"
    )

    @staticmethod
    def _info(row: tuple[Any, ...]) -> ScenarioInfo:
        (name, dataset, status, source, author, desc, ruleset, created, updated, nb, na) = row
        return ScenarioInfo(
            name=name, dataset=dataset, status=status or "", source=source or "",
            author=author or "", description=desc or "", ruleset=ruleset or "",
            created=created, updated=updated, n_before=int(nb or 0), n_after=int(na or 0),
        )  # fmt: skip

    def list(self) -> builtins.list[ScenarioInfo]:
        """Return every saved scenario, oldest first."""
        if not self._has_schema():
            return []
        with self._connect() as con:
            rows = con.execute(
                f"SELECT {self._INFO_COLS} FROM sapxep_scenarios ORDER BY created, fid"
            ).fetchall()
        return [self._info(r) for r in rows]

    def names(self) -> builtins.list[str]:
        """Return the names of the saved scenarios, oldest first."""
        return [s.name for s in self.list()]

    def exists(self, name: str) -> bool:
        """Return whether a scenario called ``name`` is saved."""
        return name in self.names()

    def _sid(self, con: sqlite3.Connection, name: str) -> int:
        row = con.execute("SELECT fid FROM sapxep_scenarios WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = [r[0] for r in con.execute("SELECT name FROM sapxep_scenarios ORDER BY fid")]
            raise WorkspaceError(
                f"no scenario '{name}' in {self.path}; saved: "
                + (format_codes(known) if known else "none (save one with --save NAME)")
            )
        return int(row[0])

    def info(self, name: str) -> ScenarioInfo:
        """Return the summary of one scenario.

        Raises
        ------
        WorkspaceError
            If no such scenario is saved.
        """
        self._require(name)
        with self._connect() as con:
            sid = self._sid(con, name)
            row = con.execute(
                f"SELECT {self._INFO_COLS} FROM sapxep_scenarios WHERE fid = ?", (sid,)
            ).fetchone()
        return self._info(row)

    def plan(self, name: str) -> MergePlan:
        """Return the grouping of a scenario as a :class:`~sapxep.units.plan.MergePlan`."""
        self._require(name)
        with self._connect() as con:
            sid = self._sid(con, name)
            rows = con.execute(
                "SELECT code, new_unit, seat_code, new_name FROM sapxep_assignment "
                "WHERE scenario_id = ? ORDER BY fid",
                (sid,),
            ).fetchall()
        assignment = pd.Series([r[1] for r in rows], index=[r[0] for r in rows], dtype=object)
        seats = {r[1]: r[2] for r in rows if r[2]}
        names = {r[1]: r[3] for r in rows if r[3]}
        return plan_from_mapping(assignment, seats=seats, names=names)

    def load(self, name: str) -> Scenario:
        """Return everything stored for one scenario.

        Raises
        ------
        WorkspaceError
            If no such scenario is saved.
        """
        self._require(name)
        with self._connect() as con:
            con.execute("BEGIN")  # one consistent snapshot
            sid = self._sid(con, name)
            row = con.execute(
                f"SELECT {self._INFO_COLS}, config_toml, metrics_json FROM sapxep_scenarios WHERE fid = ?",
                (sid,),
            ).fetchone()
            arows = con.execute(
                "SELECT code, new_unit, seat_code, new_name FROM sapxep_assignment "
                "WHERE scenario_id = ? ORDER BY fid",
                (sid,),
            ).fetchall()
            ncols = list(NEW_UNIT_COLUMNS)
            nrows = con.execute(
                "SELECT geom, " + ", ".join(f'"{c}"' for c in ncols)
                + " FROM new_units WHERE scenario_id = ? ORDER BY fid",
                (sid,),
            ).fetchall()  # fmt: skip
            trows = con.execute(
                "SELECT table_name, payload_json FROM sapxep_tables WHERE scenario_id = ? ORDER BY fid",
                (sid,),
            ).fetchall()
            con.execute("COMMIT")
        info = self._info(row[:11])
        assignment = pd.Series([r[1] for r in arows], index=[r[0] for r in arows], dtype=object)
        plan = plan_from_mapping(
            assignment,
            seats={r[1]: r[2] for r in arows if r[2]},
            names={r[1]: r[3] for r in arows if r[3]},
        )
        ndf = pd.DataFrame([r[1:] for r in nrows], columns=ncols)
        for col, typ in NEW_UNIT_COLUMNS.items():
            if typ == "INTEGER":
                ndf[col] = ndf[col].fillna(0).astype("int64")
            elif typ == "REAL":
                ndf[col] = ndf[col].astype(float)
            else:
                ndf[col] = ndf[col].fillna("").astype(str)
        new_units = gpd.GeoDataFrame(ndf, geometry=[gp.decode_geometry(r[0]) for r in nrows], crs="EPSG:4326")
        return Scenario(
            info=info,
            plan=plan,
            config_toml=row[11] or "",
            metrics=json.loads(row[12]) if row[12] else {},
            new_units=new_units,
            tables={t: _frame_from_json(p) for t, p in trows},
        )

    # -- scenarios: writing ------------------------------------------------------------------
    def save(
        self,
        name: str,
        plan: MergePlan,
        *,
        units: gpd.GeoDataFrame,
        dataset: str,
        new_units: gpd.GeoDataFrame | None = None,
        config_toml: str = "",
        metrics: Mapping[str, Any] | None = None,
        status: str = "ok",
        source: str = "manual",
        author: str = "",
        description: str = "",
        ruleset: str = "",
        tables: Mapping[str, pd.DataFrame] | None = None,
        if_exists: Literal["error", "replace", "rename"] = "error",
    ) -> ScenarioInfo:
        """Save a scenario (and the units of its dataset if not yet stored), atomically.

        Parameters
        ----------
        name : str
            Scenario name (unique in the workspace, non-empty).
        plan : MergePlan
            Grouping of every unit of ``units``.
        units : geopandas.GeoDataFrame
            Units table of ``dataset``.
        dataset : str
            Dataset name.
        new_units : geopandas.GeoDataFrame, optional
            Dissolved new units (``dissolve_plan`` output); computed if omitted.
        config_toml, metrics, status, source, author, description, ruleset
            Stored with the scenario.
        tables : mapping of str to DataFrame, optional
            Result tables (e.g. ``{"staffing_summary": df}``).
        if_exists : {"error", "replace", "rename"}
            What to do if ``name`` is taken: raise, replace the old scenario (keeping its
            ``created`` time), or save under ``"name (2)"``, ``"name (3)"``, ….

        Returns
        -------
        ScenarioInfo
            The saved scenario (its final name when renamed).

        Raises
        ------
        WorkspaceError
            If the name is empty or taken (``if_exists="error"``).
        PlanError
            If the plan does not cover exactly the units' codes.
        """
        if if_exists not in ("error", "replace", "rename"):
            raise ValueError(f"if_exists must be error|replace|rename, not {if_exists!r}")
        name = self._check_name(name)
        codes = pd.Index(units["code"].astype(str))
        plan_codes = pd.Index(plan.assignment.index.astype(str))
        missing = codes.difference(plan_codes)
        extra = plan_codes.difference(codes)
        problems = []
        if len(missing):
            problems.append(f"units {format_codes(missing)} have no new unit: assign them")
        if len(extra):
            problems.append(f"codes {format_codes(extra)} are not units of {dataset}: remove them")
        if problems:
            raise PlanError(f"scenario '{name}': the plan does not match the units", problems)
        if new_units is None:
            from sapxep.geodata.dissolve import dissolve_plan

            new_units = dissolve_plan(units, plan)
        nu_rows = self._new_unit_rows(units, plan, new_units)
        nu_bounds = new_units.to_crs(4326).total_bounds if len(new_units) else None
        seats = plan.seats
        arows = [
            (str(c), str(g), seats.get(str(g), ""), plan.names.get(str(g), ""))
            for c, g in plan.assignment.items()
        ]
        table_rows = [(t, _frame_to_json(df)) for t, df in (tables or {}).items()]
        metrics_json = json.dumps(dict(metrics or {}), ensure_ascii=False, default=_py)
        now = _now()
        with self._write() as con:
            created = now
            row = con.execute("SELECT fid, created FROM sapxep_scenarios WHERE name = ?", (name,)).fetchone()
            if row is not None:
                if if_exists == "error":
                    raise WorkspaceError(
                        f"a scenario called '{name}' already exists in {self.path}: choose "
                        "another name, or delete/rename it first"
                    )
                if if_exists == "replace":
                    created = row[1]
                    self._delete_sid(con, int(row[0]))
                else:
                    name = self._free_name(con, name)
            self._put_units(con, dataset, units, replace=False)
            cur = con.execute(
                "INSERT INTO sapxep_scenarios (name, dataset, status, source, author, description, "
                "ruleset, created, updated, n_before, n_after, config_toml, metrics_json) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (name, dataset, status, source, author, description, ruleset, created, now,
                 len(codes), plan.n_after, config_toml, metrics_json),
            )  # fmt: skip
            sid = int(cur.lastrowid or 0)
            con.executemany(
                "INSERT INTO sapxep_assignment (scenario_id, code, new_unit, seat_code, new_name) "
                "VALUES (?,?,?,?,?)",
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
            gp.touch_table(con, "new_units", nu_bounds)
        logger.info("workspace %s: saved scenario '%s' (%d units)", self.path, name, plan.n_after)
        return self.info(name)

    @staticmethod
    def _new_unit_rows(
        units: gpd.GeoDataFrame, plan: MergePlan, new_units: gpd.GeoDataFrame
    ) -> builtins.list[tuple[Any, ...]]:
        gdf = new_units.to_crs(4326) if new_units.crs is not None else new_units
        names_by_code = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
        groups = plan.groups
        rows = []
        for rec, geom in zip(
            gdf.drop(columns=gdf.geometry.name).to_dict("records"), gdf.geometry, strict=True
        ):
            g = str(rec.get("new_unit"))
            seat = str(_py(rec.get("seat_code")) or plan.seats.get(g, ""))
            members = rec.get("members")
            if not isinstance(members, str):
                members = ";".join(groups.get(g, []))
            rows.append(
                (
                    gp.encode_geometry(gp.as_multipolygon(geom)),
                    g,
                    str(_py(rec.get("name")) or plan.names.get(g, "")),
                    seat,
                    names_by_code.get(seat, ""),
                    members,
                    int(_py(rec.get("n_members")) or len(members.split(";"))),
                    _py(rec.get("area_km2")),
                    int(_py(rec.get("population")) or 0),
                )
            )
        return rows

    @staticmethod
    def _check_name(name: str) -> str:
        if not isinstance(name, str):
            raise TypeError(f"scenario name must be a str, not {type(name).__name__}")
        clean = name.strip()
        if not clean:
            raise WorkspaceError("a scenario name cannot be empty")
        if len(clean) > 200:
            raise WorkspaceError(f"scenario name is {len(clean)} characters: keep it under 200")
        return clean

    @staticmethod
    def _free_name(con: sqlite3.Connection, name: str) -> str:
        taken = {r[0] for r in con.execute("SELECT name FROM sapxep_scenarios")}
        k = 2
        while f"{name} ({k})" in taken:
            k += 1
        return f"{name} ({k})"

    @staticmethod
    def _delete_sid(con: sqlite3.Connection, sid: int) -> None:
        for table in ("sapxep_assignment", "sapxep_tables", "new_units"):
            con.execute(f"DELETE FROM {table} WHERE scenario_id = ?", (sid,))
        con.execute("DELETE FROM sapxep_scenarios WHERE fid = ?", (sid,))

    def set_tables(self, name: str, tables: Mapping[str, pd.DataFrame]) -> None:
        """Attach (or replace) result tables of a scenario, e.g. staffing results.

        Parameters
        ----------
        name : str
            Scenario name.
        tables : mapping of str to DataFrame
            Table name -> table; a table of the same name is replaced.
        """
        rows = [(t, _frame_to_json(df)) for t, df in tables.items()]
        self._require(name)
        with self._write() as con:
            sid = self._sid(con, name)
            for t, payload in rows:
                con.execute("DELETE FROM sapxep_tables WHERE scenario_id = ? AND table_name = ?", (sid, t))
                con.execute(
                    "INSERT INTO sapxep_tables (scenario_id, table_name, payload_json) VALUES (?,?,?)",
                    (sid, t, payload),
                )
            con.execute("UPDATE sapxep_scenarios SET updated = ? WHERE fid = ?", (_now(), sid))
            gp.touch_table(con, "sapxep_tables")

    def update(
        self,
        name: str,
        *,
        status: str | None = None,
        author: str | None = None,
        description: str | None = None,
        metrics: Mapping[str, Any] | None = None,
    ) -> ScenarioInfo:
        """Change the status, author, description or metrics of a scenario."""
        sets: dict[str, Any] = {}
        if status is not None:
            sets["status"] = status
        if author is not None:
            sets["author"] = author
        if description is not None:
            sets["description"] = description
        if metrics is not None:
            sets["metrics_json"] = json.dumps(dict(metrics), ensure_ascii=False, default=_py)
        self._require(name)
        with self._write() as con:
            sid = self._sid(con, name)
            sets["updated"] = _now()
            con.execute(
                "UPDATE sapxep_scenarios SET " + ", ".join(f"{k} = ?" for k in sets)
                + " WHERE fid = ?",
                (*sets.values(), sid),
            )  # fmt: skip
        return self.info(name)

    def rename(self, name: str, new_name: str) -> ScenarioInfo:
        """Rename a scenario.

        Raises
        ------
        WorkspaceError
            If ``name`` is unknown or ``new_name`` is taken.
        """
        new_name = self._check_name(new_name)
        self._require(name)
        with self._write() as con:
            sid = self._sid(con, name)
            if (
                new_name != name
                and con.execute("SELECT 1 FROM sapxep_scenarios WHERE name = ?", (new_name,)).fetchone()
            ):
                raise WorkspaceError(f"cannot rename '{name}': '{new_name}' already exists")
            con.execute(
                "UPDATE sapxep_scenarios SET name = ?, updated = ? WHERE fid = ?",
                (new_name, _now(), sid),
            )
            con.execute("UPDATE new_units SET scenario = ? WHERE scenario_id = ?", (new_name, sid))
        return self.info(new_name)

    def duplicate(self, name: str, new_name: str, *, author: str | None = None) -> ScenarioInfo:
        """Copy a scenario (grouping, new units, tables) under a new name.

        Raises
        ------
        WorkspaceError
            If ``name`` is unknown or ``new_name`` is taken.
        """
        new_name = self._check_name(new_name)
        now = _now()
        self._require(name)
        with self._write() as con:
            sid = self._sid(con, name)
            if con.execute("SELECT 1 FROM sapxep_scenarios WHERE name = ?", (new_name,)).fetchone():
                raise WorkspaceError(f"cannot duplicate '{name}': '{new_name}' already exists")
            cur = con.execute(
                "INSERT INTO sapxep_scenarios (name, dataset, status, source, author, description, "
                "ruleset, created, updated, n_before, n_after, config_toml, metrics_json) "
                "SELECT ?, dataset, status, source, coalesce(?, author), description, ruleset, "
                "?, ?, n_before, n_after, config_toml, metrics_json FROM sapxep_scenarios "
                "WHERE fid = ?",
                (new_name, author, now, now, sid),
            )
            nid = int(cur.lastrowid or 0)
            con.execute(
                "INSERT INTO sapxep_assignment (scenario_id, code, new_unit, seat_code, new_name) "
                "SELECT ?, code, new_unit, seat_code, new_name FROM sapxep_assignment "
                "WHERE scenario_id = ? ORDER BY fid",
                (nid, sid),
            )
            cols = ", ".join(f'"{c}"' for c in NEW_UNIT_COLUMNS)
            con.execute(
                f"INSERT INTO new_units (geom, scenario_id, scenario, {cols}) "
                f"SELECT geom, ?, ?, {cols} FROM new_units WHERE scenario_id = ? ORDER BY fid",
                (nid, new_name, sid),
            )
            con.execute(
                "INSERT INTO sapxep_tables (scenario_id, table_name, payload_json) "
                "SELECT ?, table_name, payload_json FROM sapxep_tables WHERE scenario_id = ? "
                "ORDER BY fid",
                (nid, sid),
            )
        return self.info(new_name)

    def delete(self, name: str) -> None:
        """Delete a scenario and everything stored for it.

        Raises
        ------
        WorkspaceError
            If ``name`` is unknown.
        """
        self._require(name)
        with self._write() as con:
            self._delete_sid(con, self._sid(con, name))
        logger.info("workspace %s: deleted scenario '%s'", self.path, name)

    def integrity_check(self) -> builtins.list[str]:
        """Run ``PRAGMA integrity_check``; return the problems (empty list = healthy)."""
        with self._connect() as con:
            out = [r[0] for r in con.execute("PRAGMA integrity_check")]
        return [] if out == ["ok"] else out


def _scalar_items(d: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        v = _py(v)
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
        from sapxep.scenarios.config import dump_scenario

        units = run.units.drop(columns=["new_unit", "seat_code"], errors="ignore")
        plan, new_units, saved_metrics = run.plan, run.new_units, dict(run.metrics)
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            config_toml = dump_scenario(run.config, Path(tmp) / "scenario.toml").read_text(encoding="utf-8")
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
