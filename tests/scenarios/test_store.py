"""Workspace store: round trip, rename/duplicate/delete, GeoPackage validity, crash safety."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from sapxep.geodata.dissolve import dissolve_plan
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.errors import PlanError, WorkspaceError
from sapxep.units.plan import plan_from_mapping


def grid_units(n: int = 4) -> gpd.GeoDataFrame:
    """An n×n grid of 1 km² (approx.) xã in two districts, in EPSG:4326 near Phú Thọ."""
    rows = []
    d = 0.01
    for i in range(n):
        for j in range(n):
            code = f"{i * n + j + 1:05d}"
            rows.append(
                {
                    "code": code,
                    "name": f"Xã Ô {i}-{j}",
                    "unit_type": "xa",
                    "parent_code": "001" if j < n // 2 else "002",
                    "parent_name": "Huyện Một" if j < n // 2 else "Huyện Hai",
                    "parent_kind": "huyen",
                    "province": "Tỉnh Thử",
                    "area_km2": 1.0 + i,
                    "area_source": "official",
                    "population": 1000 * (j + 1),
                    "terrain": "lowland",
                    "terrain_source": "data",
                    "border": i == 0,
                    "geometry": shapely.box(105 + j * d, 21 + i * d, 105 + (j + 1) * d, 21 + (i + 1) * d),
                }
            )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def pair_plan(units: gpd.GeoDataFrame, k: int = 0):
    """Merge units pairwise along rows, shifted by ``k`` (a different plan per k)."""
    codes = list(units["code"])
    mapping = {c: f"N{((i + k) // 2) % 8:02d}" for i, c in enumerate(codes)}
    seats: dict[str, str] = {}
    for c, g in mapping.items():
        seats.setdefault(g, c)
    return plan_from_mapping(mapping, seats=seats, names={g: f"Xã Mới {g}" for g in seats})


@pytest.fixture
def units() -> gpd.GeoDataFrame:
    return grid_units()


def test_save_load_round_trip(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    assert ws.list() == []
    plan = pair_plan(units)
    staffing = pd.DataFrame({"new_unit": ["N00", "N01"], "staff_after": [22, 23]})
    info = ws.save(
        "Phương án A", plan, units=units, dataset="grid", metrics={"n_after": 8, "x": 1.5},
        config_toml='dataset = "grid"\n', author="Nguyễn Văn Ánh", tables={"staffing": staffing},
    )  # fmt: skip
    assert info.name == "Phương án A"
    assert info.n_before == 16 and info.n_after == 8
    assert info.author == "Nguyễn Văn Ánh"
    assert info.created.endswith("Z")
    sc = ws.load("Phương án A")
    pd.testing.assert_series_equal(
        sc.plan.assignment.sort_index(), plan.assignment.astype(str).sort_index(), check_names=False
    )
    assert sc.plan.seats == plan.seats
    assert sc.plan.names == plan.names
    assert sc.metrics == {"n_after": 8, "x": 1.5}
    assert sc.config_toml == 'dataset = "grid"\n'
    pd.testing.assert_frame_equal(sc.tables["staffing"], staffing)
    expected = dissolve_plan(units, plan)
    assert len(sc.new_units) == 8
    assert sc.new_units["new_unit"].tolist() == expected["new_unit"].tolist()
    assert sc.new_units.geometry.geom_equals(expected.geometry).all()
    assert sc.new_units["population"].sum() == units["population"].sum()
    back = ws.units("grid")
    assert back["code"].tolist() == units["code"].tolist()
    assert back["border"].dtype == bool and back["border"].sum() == 4
    assert (shapely.get_coordinates(back.geometry) == shapely.get_coordinates(units.geometry)).all()
    assert ws.integrity_check() == []


def test_rename_duplicate_delete(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    ws.save("a", pair_plan(units, 0), units=units, dataset="grid",
            tables={"t": pd.DataFrame({"v": [1]})})  # fmt: skip
    ws.save("b", pair_plan(units, 1), units=units, dataset="grid")
    with pytest.raises(WorkspaceError, match="already exists"):
        ws.save("a", pair_plan(units, 1), units=units, dataset="grid")
    again = ws.save("a", pair_plan(units, 1), units=units, dataset="grid", if_exists="rename")
    assert again.name == "a (2)"
    ws.duplicate("a", "a copy", author="Lê")
    assert ws.info("a copy").author == "Lê"
    assert ws.load("a copy").plan.groups == ws.load("a").plan.groups
    assert len(ws.load("a copy").new_units) == 8
    assert "t" in ws.load("a copy").tables
    with pytest.raises(WorkspaceError, match="already exists"):
        ws.rename("a copy", "b")
    ws.rename("a copy", "c")
    assert ws.names() == ["a", "b", "a (2)", "c"]
    nu = gpd.read_file(tmp_path / "ws.gpkg", layer="new_units")
    assert set(nu["scenario"]) == {"a", "b", "a (2)", "c"}
    ws.delete("b")
    with pytest.raises(WorkspaceError, match="no scenario 'b'.*saved: a, a \\(2\\), c"):
        ws.load("b")
    created = ws.info("a").created
    ws.save("a", pair_plan(units, 1), units=units, dataset="grid", if_exists="replace")
    assert ws.info("a").created == created
    assert ws.plan("a").groups == pair_plan(units, 1).groups
    with sqlite3.connect(tmp_path / "ws.gpkg") as con:
        n = con.execute("SELECT count(*) FROM new_units").fetchone()[0]
    assert n == 8 * 3  # no orphans of deleted/replaced scenarios


def test_bad_plan_and_names(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    plan = pair_plan(units.iloc[:-2])
    with pytest.raises(PlanError, match="00015, 00016 have no new unit"):
        ws.save("x", plan, units=units, dataset="grid")
    with pytest.raises(WorkspaceError, match="empty"):
        ws.save("  ", pair_plan(units), units=units, dataset="grid")
    assert ws.list() == [] and ws.datasets() == []
    ws.save("ok", pair_plan(units), units=units, dataset="grid")
    other = grid_units(3)  # other units under the same dataset name: kept as a second version
    info = ws.save("y", pair_plan(other), units=other, dataset="grid")
    assert info.dataset.startswith("grid@") and ws.info("ok").dataset == "grid"
    assert len(ws.units("grid")) == 16 and len(ws.units(info.dataset)) == 9
    bad = tmp_path / "not.gpkg"
    bad.write_text("hello, this is not sqlite" * 100)
    with pytest.raises(WorkspaceError, match="not a workspace"):
        Workspace(bad)


def test_workspace_is_a_geopackage(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    path = tmp_path / "ws.gpkg"
    ws = Workspace(path)
    ws.save("a", pair_plan(units), units=units, dataset="grid")
    layers = dict(pyogrio.list_layers(path))
    assert layers["units"] == "MultiPolygon" and layers["new_units"] == "MultiPolygon"
    assert "sapxep_scenarios" in layers
    u = gpd.read_file(path, layer="units")
    assert u.crs.to_epsg() == 4326 and len(u) == 16
    assert u["name"].iloc[0] == "Xã Ô 0-0"
    nu = gpd.read_file(path, layer="new_units")
    assert len(nu) == 8 and nu.geometry.is_valid.all()
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        pytest.skip("ogrinfo (gdal-bin) is not installed")
    res = subprocess.run([ogrinfo, "-ro", "-al", "-so", str(path)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "ERROR" not in res.stderr and "Warning" not in res.stderr, res.stderr
    assert "Feature Count: 8" in res.stdout


# -- crash safety and concurrency ------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    import pandas as pd
    sys.path.insert(0, {tests!r})
    from test_store import grid_units, pair_plan
    from sapxep.scenarios.workspace.store import Workspace
    from sapxep.geodata.dissolve import dissolve_plan

    path, prefix, start, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    units = grid_units(8)
    ws = Workspace(path, timeout_s=60)
    big = pd.DataFrame({{"v": range(5000)}})
    for i in range(start, start + count):
        plan = pair_plan(units, i)
        ws.save(f"{{prefix}}{{i}}", plan, units=units, dataset="grid",
                new_units=dissolve_plan(units, plan), metrics={{"i": i}},
                tables={{"big": big}})
        print(i, flush=True)
    """
)


def _writer(tmp_path: Path, path: Path, prefix: str, start: int, count: int) -> subprocess.Popen:
    script = tmp_path / "writer.py"
    if not script.exists():
        script.write_text(_WRITER.format(tests=str(Path(__file__).parent)))
    return subprocess.Popen(
        [sys.executable, str(script), str(path), prefix, str(start), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _check_saved(ws: Workspace, names: dict[str, int]) -> None:
    units = grid_units(8)
    for name, i in names.items():
        sc = ws.load(name)
        assert sc.metrics == {"i": i}, name
        assert sc.plan.groups == pair_plan(units, i).groups, name
        assert len(sc.new_units) == pair_plan(units, i).n_after, name
        assert len(sc.tables["big"]) == 5000, name


def test_killed_writer_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ws.gpkg"
    committed: dict[str, int] = {}
    journal_seen = 0
    for round_ in range(3):
        proc = _writer(tmp_path, path, f"r{round_}-", 0, 10_000)
        assert proc.stdout is not None
        # wait for a few commits, then kill at an arbitrary moment (usually mid-save)
        for _ in range(3 + round_):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            committed[f"r{round_}-{int(line)}"] = int(line)
        # kill while a save transaction is open (its rollback journal exists), else at random
        journal = Path(str(path) + "-journal")
        deadline = time.time() + 10
        while not journal.exists() and time.time() < deadline:
            pass
        time.sleep(0.002 * round_)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        journal_seen += journal.exists()
        for line in out.split():
            committed[f"r{round_}-{int(line)}"] = int(line)
        assert proc.returncode == -signal.SIGKILL
        ws = Workspace(path)
        assert ws.integrity_check() == []
        names = set(ws.names())
        assert set(committed) <= names
        _check_saved(ws, committed)
        # nothing half-written: every stored scenario is complete
        _check_saved(ws, {n: int(n.split("-")[1]) for n in names})
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n_sc = con.execute("SELECT count(*) FROM sapxep_scenarios").fetchone()[0]
        n_nu = con.execute("SELECT count(DISTINCT scenario_id) FROM new_units").fetchone()[0]
    assert n_sc == n_nu
    assert journal_seen >= 1  # at least one kill left a hot journal, rolled back on open


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ws.gpkg"
    procs = [_writer(tmp_path, path, p, 0, 4) for p in ("x", "y", "z")]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.split() == [str(i) for i in range(4)]
    ws = Workspace(path)
    names = ws.names()
    assert sorted(names) == sorted(f"{p}{i}" for p in "xyz" for i in range(4))
    _check_saved(ws, {n: int(n[1:]) for n in names})
    assert ws.integrity_check() == []
    assert json.loads(json.dumps([s.to_dict() for s in ws.list()]))[0]["n_after"] == 8


def test_concurrent_same_name_renames(tmp_path: Path) -> None:
    """Two sessions saving the same name with if_exists='rename' keep both saves."""
    path = tmp_path / "ws.gpkg"
    script = tmp_path / "same.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(Path(__file__).parent)!r})
            from test_store import grid_units, pair_plan
            from sapxep.scenarios.workspace.store import Workspace
            units = grid_units()
            k = int(sys.argv[1])
            for _ in range(3):
                Workspace({str(path)!r}).save("chung", pair_plan(units, k), units=units,
                                               dataset="grid", if_exists="rename", author=str(k))
            """
        )
    )
    procs = [
        subprocess.Popen([sys.executable, str(script), str(k)], stderr=subprocess.PIPE, text=True)
        for k in (1, 2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    infos = Workspace(path).list()
    assert len(infos) == 6
    assert sorted(i.author for i in infos) == ["1", "1", "1", "2", "2", "2"]
    assert {i.name for i in infos} == {"chung"} | {f"chung ({k})" for k in range(2, 7)}


def test_readers_see_consistent_state_during_writes(tmp_path: Path) -> None:
    path = tmp_path / "ws.gpkg"
    proc = _writer(tmp_path, path, "w", 0, 6)
    ws = Workspace(path)
    seen = 0
    deadline = time.time() + 60
    while proc.poll() is None and time.time() < deadline:
        for name in ws.names():
            sc = ws.load(name)
            assert len(sc.new_units) == sc.plan.n_after
            seen += 1
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert len(ws.names()) == 6
    assert os.path.getsize(path) > 0
    assert seen > 0


def test_changes_on_a_missing_workspace_create_nothing(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "none.gpkg")
    for call in (lambda: ws.delete("a"), lambda: ws.rename("a", "b"), lambda: ws.duplicate("a", "b"),
                 lambda: ws.load("a"), lambda: ws.set_tables("a", {})):  # fmt: skip
        with pytest.raises(WorkspaceError, match="no scenario 'a'"):
            call()
    assert not (tmp_path / "none.gpkg").exists()
    assert ws.list() == [] and ws.datasets() == []


def test_threads_sharing_a_workspace(tmp_path: Path, units: gpd.GeoDataFrame) -> None:
    """Streamlit serves sessions from threads of one process: both saves must land."""
    from concurrent.futures import ThreadPoolExecutor

    ws = Workspace(tmp_path / "ws.gpkg")
    new_units = {k: dissolve_plan(units, pair_plan(units, k)) for k in range(6)}

    def session(k: int) -> str:
        return ws.save(f"s{k}", pair_plan(units, k), units=units, dataset="grid",
                       new_units=new_units[k]).name  # fmt: skip

    with ThreadPoolExecutor(max_workers=3) as pool:
        saved = list(pool.map(session, range(6)))
    assert sorted(saved) == sorted(ws.names()) == [f"s{k}" for k in range(6)]
    for k in range(6):
        assert ws.plan(f"s{k}").groups == pair_plan(units, k).groups
