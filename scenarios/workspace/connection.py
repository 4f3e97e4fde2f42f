"""The workspace file and its connections: one SQLite transaction per write.

Every write is one SQLite transaction (``BEGIN IMMEDIATE``, rollback journal,
``synchronous=FULL``): a killed process leaves the file as it was before the write,
and concurrent writers wait for each other (busy timeout) instead of losing a save.
A connection is opened per operation, so one workspace may serve several threads or
Streamlit sessions.
"""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sapxep.scenarios.workspace.schema import ensure_schema
from sapxep.units.errors import WorkspaceError, format_codes


class WorkspaceFile:
    """The workspace's SQLite file: connections, write transactions, scenario ids.

    :class:`sapxep.scenarios.workspace.store.Workspace` adds the units and scenarios on top.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.gpkg`` file.
    timeout_s : float, default 60
        How long a writer waits for another writer before giving up.

    Raises
    ------
    WorkspaceError
        If the file exists but is not a SQLite/GeoPackage file.
    """

    def __init__(self, path: str | Path = "sapxep.gpkg", *, timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.timeout_s = float(timeout_s)
        if self.path.exists():
            with self._connect() as con:
                self._check_file(con)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

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
        user_tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        internal = ("sqlite_", "gpkg_", "rtree_")
        foreign = (
            [] if "sapxep_meta" in tables else sorted(t for t in user_tables if not t.startswith(internal))
        )
        if foreign:
            raise WorkspaceError(
                f"{self.path} holds another program's data (tables: {', '.join(foreign[:8])}), not a sapxep "
                "workspace; it is left untouched: give a new file with --workspace NEW.gpkg"
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
                ensure_schema(con)
                yield con
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _require(self, name: str) -> None:
        """Raise the usual 'no scenario' error when the workspace has no tables yet."""
        if not self._has_schema():
            raise WorkspaceError(f"no scenario '{name}' in {self.path} (the workspace is empty)")

    def _has_schema(self) -> bool:
        if not self.path.exists():
            return False
        with self._connect() as con:
            return bool(con.execute("SELECT 1 FROM sqlite_master WHERE name = 'sapxep_meta'").fetchone())

    def _sid(self, con: sqlite3.Connection, name: str) -> int:
        row = con.execute("SELECT fid FROM sapxep_scenarios WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = [r[0] for r in con.execute("SELECT name FROM sapxep_scenarios ORDER BY fid")]
            raise WorkspaceError(
                f"no scenario '{name}' in {self.path}; saved: "
                + (format_codes(known) if known else "none (save one with --save NAME)")
            )
        return int(row[0])

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

    def _claim_name(self, con: sqlite3.Connection, name: str, if_exists: str) -> tuple[str, str | None]:
        """Make ``name`` free for a new scenario as ``if_exists`` says.

        Returns the name to use and, when an old scenario was replaced, its ``created`` time.

        Raises
        ------
        WorkspaceError
            If ``name`` is taken and ``if_exists == "error"``.
        """
        row = con.execute("SELECT fid, created FROM sapxep_scenarios WHERE name = ?", (name,)).fetchone()
        if row is None:
            return name, None
        if if_exists == "error":
            raise WorkspaceError(
                f"a scenario called '{name}' already exists in {self.path}: choose "
                "another name, or delete/rename it first"
            )
        if if_exists == "replace":
            self._delete_sid(con, int(row[0]))
            return name, str(row[1])
        return self._free_name(con, name), None

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

    def integrity_check(self) -> builtins.list[str]:
        """Run ``PRAGMA integrity_check``; return the problems (empty list = healthy)."""
        with self._connect() as con:
            out = [r[0] for r in con.execute("PRAGMA integrity_check")]
        return [] if out == ["ok"] else out

    # -- settings (the app's settings and drafts, JSON text under a key) -------------------------
    def get_setting(self, key: str) -> str | None:
        """Return the text stored under ``key`` (None when absent or the workspace is new)."""
        if not self._has_schema():
            return None
        with self._connect() as con:
            row = con.execute("SELECT value FROM sapxep_meta WHERE key = ?", (f"setting:{key}",)).fetchone()
        return None if row is None else str(row[0])

    def put_setting(self, key: str, value: str | None) -> None:
        """Store ``value`` under ``key`` (None deletes it), in one transaction."""
        with self._write() as con:
            if value is None:
                con.execute("DELETE FROM sapxep_meta WHERE key = ?", (f"setting:{key}",))
            else:
                con.execute(
                    "INSERT INTO sapxep_meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (f"setting:{key}", value),
                )
