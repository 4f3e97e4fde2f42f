"""The workspace: one GeoPackage file holding units and every saved scenario.

The tables (schema in :mod:`.schema`, row conversion in :mod:`.rows`):

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
from collections.abc import Mapping
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from sapxep.scenarios.jsonfile import json_text
from sapxep.scenarios.workspace import gpkg as gp
from sapxep.scenarios.workspace.connection import WorkspaceFile
from sapxep.scenarios.workspace.rows import (
    assignment_rows,
    frame_from_json,
    frame_to_json,
    insert_scenario,
    insert_units,
    new_unit_rows,
    new_units_frame,
    now,
    plan_from_rows,
    units_frame,
)
from sapxep.scenarios.workspace.schema import (
    INFO_COLS,
    NEW_UNIT_COLUMNS,
    SCHEMA_VERSION,
    UNIT_COLUMNS,
    Scenario,
    ScenarioInfo,
    info_from_row,
)
from sapxep.scenarios.workspace.staffing_tables import staffing_tables
from sapxep.units.errors import PlanError, WorkspaceError, format_codes
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_WORKSPACE",
    "NEW_UNIT_COLUMNS",
    "SCHEMA_VERSION",
    "UNIT_COLUMNS",
    "Scenario",
    "ScenarioInfo",
    "Workspace",
    "staffing_tables",
]

#: Default workspace file name (in the current folder).
DEFAULT_WORKSPACE = "sapxep.gpkg"


def __getattr__(name: str) -> Any:
    # save_run lives in .runs, which imports this module: resolve it on first use.
    if name == "save_run":
        from sapxep.scenarios.workspace.runs import save_run

        return save_run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Workspace(WorkspaceFile):
    """A workspace GeoPackage file (created on first write): units and saved scenarios.

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

    def put_units(self, dataset: str, units: gpd.GeoDataFrame, *, replace: bool = False) -> str:
        """Store the units of a dataset; return the key they are stored under.

        The same units are stored once. Different units under a stored name are kept as
        a new version ``"NAME@digest8"`` (returned), so a scenario never reads stale rows;
        ``replace`` replaces the stored version only if no saved scenario uses it.

        Parameters
        ----------
        dataset : str
            Dataset name, e.g. ``"phu_tho_2023"``.
        units : geopandas.GeoDataFrame
            The units table.
        replace : bool, default False
            Replace stored units of that dataset when no scenario uses them.

        Returns
        -------
        str
            ``dataset`` or the versioned key.
        """
        with self._write() as con:
            return insert_units(con, dataset, units, replace=replace)

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
        return units_frame(rows)

    # -- scenarios: reading ----------------------------------------------------------------
    def list(self) -> builtins.list[ScenarioInfo]:
        """Return every saved scenario, oldest first."""
        if not self._has_schema():
            return []
        with self._connect() as con:
            rows = con.execute(f"SELECT {INFO_COLS} FROM sapxep_scenarios ORDER BY created, fid").fetchall()
        return [info_from_row(r) for r in rows]

    def names(self) -> builtins.list[str]:
        """Return the names of the saved scenarios, oldest first."""
        return [s.name for s in self.list()]

    def exists(self, name: str) -> bool:
        """Return whether a scenario called ``name`` is saved."""
        return name in self.names()

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
            row = con.execute(f"SELECT {INFO_COLS} FROM sapxep_scenarios WHERE fid = ?", (sid,)).fetchone()
        return info_from_row(row)

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
        return plan_from_rows(rows)

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
                f"SELECT {INFO_COLS}, config_toml, metrics_json FROM sapxep_scenarios WHERE fid = ?",
                (sid,),
            ).fetchone()
            arows = con.execute(
                "SELECT code, new_unit, seat_code, new_name FROM sapxep_assignment "
                "WHERE scenario_id = ? ORDER BY fid",
                (sid,),
            ).fetchall()
            nrows = con.execute(
                "SELECT geom, " + ", ".join(f'"{c}"' for c in NEW_UNIT_COLUMNS)
                + " FROM new_units WHERE scenario_id = ? ORDER BY fid",
                (sid,),
            ).fetchall()  # fmt: skip
            trows = con.execute(
                "SELECT table_name, payload_json FROM sapxep_tables WHERE scenario_id = ? ORDER BY fid",
                (sid,),
            ).fetchall()
            con.execute("COMMIT")
        info = info_from_row(row[:11])
        return Scenario(
            info=info,
            plan=plan_from_rows(arows),
            config_toml=row[11] or "",
            metrics=json.loads(row[12]) if row[12] else {},
            new_units=new_units_frame(nrows),
            tables={t: frame_from_json(p) for t, p in trows},
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
        _check_covers(name, dataset, units, plan)
        if new_units is None:
            from sapxep.geodata.dissolve import dissolve_plan

            new_units = dissolve_plan(units, plan)
        nu_rows = new_unit_rows(units, plan, new_units)
        nu_bounds = new_units.to_crs(4326).total_bounds if len(new_units) else None
        arows = assignment_rows(plan)
        table_rows = [(t, frame_to_json(df)) for t, df in (tables or {}).items()]
        metrics_json = json_text(dict(metrics or {}), indent=None)
        stamp = now()
        with self._write() as con:
            name, created = self._claim_name(con, name, if_exists)
            created = created or stamp
            dataset = insert_units(con, dataset, units, replace=False)
            record = (name, dataset, status, source, author, description, ruleset, created, stamp,
                      len(units), plan.n_after, config_toml, metrics_json)  # fmt: skip
            insert_scenario(con, record, arows, nu_rows, table_rows)
            gp.touch_table(con, "new_units", nu_bounds)
        logger.info("workspace %s: saved scenario '%s' (%d units)", self.path, name, plan.n_after)
        return self.info(name)

    def set_tables(self, name: str, tables: Mapping[str, pd.DataFrame]) -> None:
        """Attach (or replace) result tables of a scenario, e.g. staffing results.

        Parameters
        ----------
        name : str
            Scenario name.
        tables : mapping of str to DataFrame
            Table name -> table; a table of the same name is replaced.
        """
        rows = [(t, frame_to_json(df)) for t, df in tables.items()]
        self._require(name)
        with self._write() as con:
            sid = self._sid(con, name)
            for t, payload in rows:
                con.execute("DELETE FROM sapxep_tables WHERE scenario_id = ? AND table_name = ?", (sid, t))
                con.execute(
                    "INSERT INTO sapxep_tables (scenario_id, table_name, payload_json) VALUES (?,?,?)",
                    (sid, t, payload),
                )
            con.execute("UPDATE sapxep_scenarios SET updated = ? WHERE fid = ?", (now(), sid))
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
            sets["metrics_json"] = json_text(dict(metrics), indent=None)
        self._require(name)
        with self._write() as con:
            sid = self._sid(con, name)
            sets["updated"] = now()
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
                (new_name, now(), sid),
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
        stamp = now()
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
                (new_name, author, stamp, stamp, sid),
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


def _check_covers(name: str, dataset: str, units: pd.DataFrame, plan: MergePlan) -> None:
    """Raise :class:`PlanError` unless ``plan`` groups exactly the codes of ``units``."""
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
