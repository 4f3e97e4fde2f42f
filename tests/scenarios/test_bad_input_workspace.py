"""Bad-input corpus, workspace and outputs: nothing lost. Each case: exit 2 with a message naming
what is wrong, no traceback, ``scenario list`` unchanged and SQLite ``integrity_check`` ok."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bad_input_helpers import grid, integrity_ok, run

from sapxep.scenarios.workspace.store import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A workspace holding one scenario (the NQ 828 crosswalk of Phú Thọ, no solving)."""
    path = tmp_path / "sapxep.gpkg"
    code, _, err = run(capsys, "scenario", "import", "A", "--dataset", "phu_tho_2019", "--crosswalk",
                       "--workspace", path)  # fmt: skip
    assert code == 0, err
    return path


def _listing(capsys: pytest.CaptureFixture[str], ws: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "scenario", "list", "--json", "--workspace", ws)
    assert code == 0
    return json.loads(out)


def _unchanged(capsys: pytest.CaptureFixture[str], ws: Path, before: list[dict[str, object]]) -> None:
    assert _listing(capsys, ws) == before
    assert integrity_ok(ws)


@pytest.mark.parametrize("fmt", ["gpkg", "xlsx", "geojson", "png"])
def test_export_onto_the_workspace(ws: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    before = _listing(capsys, ws)
    code, _, err = run(capsys, "export", "A", "--format", fmt, "--out", ws, "--workspace", ws)
    assert code == 2 and "is the workspace" in err
    _unchanged(capsys, ws, before)


def test_export_of_a_missing_scenario_touches_nothing(ws: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    before = _listing(capsys, ws)
    out = tmp_path / "ban_do.gpkg"
    out.write_bytes(b"an earlier export")
    code, _, err = run(capsys, "export", "B", "--format", "gpkg", "--out", out, "--workspace", ws)
    assert code == 2 and "no scenario 'B'" in err and "saved: A" in err
    assert out.read_bytes() == b"an earlier export"
    code, _, err = run(capsys, "export", "B", "--format", "gpkg", "--out", ws, "--workspace", ws)
    assert code == 2
    _unchanged(capsys, ws, before)


def test_export_to_a_folder(ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _listing(capsys, ws)
    code, _, err = run(capsys, "export", "A", "--format", "xlsx", "--out", tmp_path, "--workspace", ws)
    assert code == 2 and "is a folder" in err
    _unchanged(capsys, ws, before)


def test_another_programs_geopackage_is_not_extended(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    other = tmp_path / "ranh_gioi.gpkg"
    grid().to_file(other, layer="communes")
    before = other.read_bytes()
    code, _, err = run(capsys, "scenario", "import", "A", "--dataset", "phu_tho_2019", "--crosswalk",
                       "--workspace", other)  # fmt: skip
    assert code == 2 and "another program's data" in err and "communes" in err
    assert other.read_bytes() == before


def _plan_and_save(capsys, units: Path, out: Path, name: str, ws: Path) -> None:  # noqa: ANN001
    args = ["plan", "--units", units, "--rules", "nq76_2025", "--min-population", "9000", "--min-area", "0",
            "--time-limit", "3", "--workers", "1", "--quiet", "--no-gpkg", "--out", out, "--save", name,
            "--workspace", ws]  # fmt: skip
    code, _, err = run(capsys, *args)
    assert code == 0, err


def test_a_corrected_file_of_the_same_name_never_reuses_stale_units(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    ws = tmp_path / "sapxep.gpkg"
    units = tmp_path / "don_vi.geojson"
    grid().to_crs(4326).to_file(units)
    _plan_and_save(capsys, units, tmp_path / "r1", "Lần 1", ws)
    corrected = grid()
    corrected.loc[0, "population"] = 7777
    corrected.to_crs(4326).to_file(units)  # same file name, corrected figure
    _plan_and_save(capsys, units, tmp_path / "r2", "Lần 2", ws)
    w = Workspace(ws)
    first, second = w.info("Lần 1").dataset, w.info("Lần 2").dataset
    assert first != second
    assert w.units(first).set_index("code").at["00001", "population"] == 5000
    assert w.units(second).set_index("code").at["00001", "population"] == 7777
    assert integrity_ok(ws)


def test_replacing_units_a_saved_scenario_uses_keeps_both(ws: Path) -> None:
    w = Workspace(ws)
    dataset = w.info("A").dataset
    old = w.units(dataset)
    changed = old.copy()
    changed.loc[0, "population"] = int(changed.loc[0, "population"]) + 1
    key = w.put_units(dataset, changed, replace=True)  # what the app's re-upload does
    assert key != dataset
    assert w.units(dataset)["population"].tolist() == old["population"].tolist()
    assert w.units(key)["population"].iloc[0] == old["population"].iloc[0] + 1
    assert integrity_ok(ws)


def test_the_same_units_are_stored_once(ws: Path) -> None:
    w = Workspace(ws)
    dataset = w.info("A").dataset
    units = w.units(dataset)
    assert w.put_units(dataset, units) == dataset and w.put_units(dataset, units, replace=True) == dataset
    assert w.datasets() == [dataset]
