"""Helpers of the bad-input corpus: run the CLI, build small unit files, check a workspace."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from sapxep.scenarios.cli import app, main

X0, Y0 = 540_000.0, 2_360_000.0  # VN-2000 / UTM 48N, in Phú Thọ


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI; return (exit code, stdout, stderr). No command may print a traceback."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, out + err
    return code, out, err


def grid(n_cols: int = 3, n_rows: int = 3, *, population: int = 5000, province: str = "25",
         overlap_m: float = 0.0) -> gpd.GeoDataFrame:  # fmt: skip
    """A grid of 1 km units in EPSG:3405 with source-style columns; the centre may overlap west."""
    rows = []
    for k in range(n_cols * n_rows):
        r, c = divmod(k, n_cols)
        shift = overlap_m if (r, c) == (n_rows // 2, n_cols // 2) else 0.0
        rows.append({
            "code": f"{k + 1:05d}", "name": f"Xã Ô {k + 1}", "unit_type": "Xã", "population": population,
            "district_code": "001", "district": "Huyện Thử", "province_code": province,
            "province": f"Tỉnh {province}",
            "geometry": shapely.box(X0 + c * 1000 - shift, Y0 + r * 1000, X0 + c * 1000 + 1000,
                                    Y0 + r * 1000 + 1000),
        })  # fmt: skip
    return gpd.GeoDataFrame(rows, crs="EPSG:3405")


def integrity_ok(path: Path) -> bool:
    """SQLite ``PRAGMA integrity_check`` of a workspace file."""
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def cli_flags() -> set[str]:
    """Every ``--flag`` of every command of the CLI."""
    import typer.main

    command = typer.main.get_command(app)
    flags: set[str] = set()

    def walk(cmd: object) -> None:
        for p in getattr(cmd, "params", []):
            for opt in [*getattr(p, "opts", []), *getattr(p, "secondary_opts", [])]:
                flags.add(opt)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(command)
    return flags


def suggested_flags(message: str) -> set[str]:
    """The ``--flags`` a message suggests."""
    return set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]+", message))
