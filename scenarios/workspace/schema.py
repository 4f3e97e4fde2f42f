"""Schema of the workspace's stored tables, and the records read back from them.

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

All tables are registered in ``gpkg_contents``, so QGIS lists them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from sapxep.scenarios.workspace import gpkg as gp
from sapxep.units.plan import MergePlan
from sapxep.units.schema import UNIT_SCHEMA

#: Version of this layout, stored in ``sapxep_meta``.
SCHEMA_VERSION = "1"

#: GeoPackage type of each units-table column kind.
_SQL_TYPES: dict[str, str] = {"text": "TEXT", "real": "REAL", "integer": "INTEGER", "bool": "BOOLEAN"}

#: Columns of the ``units`` layer with their GeoPackage types (from :data:`sapxep.units.schema.UNIT_SCHEMA`).
UNIT_COLUMNS: dict[str, str] = {c.name: _SQL_TYPES[c.kind] for c in UNIT_SCHEMA if c.stored}

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

#: Tables and indexes of the workspace (after the GeoPackage core).
DDL = (
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

#: ``gpkg_contents`` rows: table, data type, description, geometry column.
REGISTER = (
    ("sapxep_meta", "attributes", "sapxep workspace metadata", None),
    ("sapxep_scenarios", "attributes", "Saved scenarios (config, status, metrics)", None),
    ("sapxep_assignment", "attributes", "Grouping of each scenario: old code -> new unit", None),
    ("sapxep_tables", "attributes", "Result tables of each scenario (staffing, ...)", None),
    ("units", "features", "Original commune-level units of each dataset", "geom"),
    ("new_units", "features", "New units of each scenario (filter on 'scenario')", "geom"),
)


#: Columns of ``sapxep_scenarios`` read into a :class:`ScenarioInfo`, in order.
INFO_COLS = "name, dataset, status, source, author, description, ruleset, created, updated, n_before, n_after"


def ensure_schema(con: sqlite3.Connection) -> None:
    """Create the GeoPackage core and the workspace tables if the file has none yet.

    Parameters
    ----------
    con : sqlite3.Connection
        A connection inside a write transaction.
    """
    have = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sapxep_meta'").fetchone()
    if have:
        return
    con.execute(f"PRAGMA application_id = {gp.GPKG_APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {gp.GPKG_USER_VERSION}")
    gp.init_core(con)
    for ddl in DDL:
        con.execute(ddl)
    for table, kind, desc, geom in REGISTER:
        gp.register_table(con, table, data_type=kind, description=desc, geometry_column=geom)
    con.execute(
        "INSERT OR IGNORE INTO sapxep_meta (key, value) VALUES ('schema_version', ?)",
        (SCHEMA_VERSION,),
    )


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


def info_from_row(row: tuple[Any, ...]) -> ScenarioInfo:
    """Return the :class:`ScenarioInfo` of a row selected with :data:`INFO_COLS`."""
    (name, dataset, status, source, author, desc, ruleset, created, updated, nb, na) = row
    return ScenarioInfo(
        name=name, dataset=dataset, status=status or "", source=source or "",
        author=author or "", description=desc or "", ruleset=ruleset or "",
        created=created, updated=updated, n_before=int(nb or 0), n_after=int(na or 0),
    )  # fmt: skip
