"""CLI: ``sapxep scenario …``, ``sapxep compare``, ``sapxep export`` on a workspace."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from sapxep.scenarios.cli import main
from sapxep.scenarios.workspace.runs import save_run
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.errors import WorkspaceError


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_scenario_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws.gpkg")
    code, out, err = run(capsys, "scenario", "list", "--json", "--workspace", ws)
    assert code == 0 and json.loads(out) == []
    code, out, err = run(capsys, "scenario", "import", "NQ 828", "--dataset", "phu_tho_2019",
                         "--crosswalk", "--ruleset", "nq35_2023", "--author", "Lan",
                         "--workspace", ws)  # fmt: skip
    assert code == 0, err
    assert "277 → 225" in out
    # a CSV mapping: the plan of the crosswalk scenario, exported and re-imported
    plan_csv = tmp_path / "plan.csv"
    Workspace(ws).plan("NQ 828").to_frame().to_csv(plan_csv, index=False)
    code, out, err = run(capsys, "scenario", "import", "Từ CSV", "--dataset", "phu_tho_2019",
                         "--csv", str(plan_csv), "--workspace", ws)  # fmt: skip
    assert code == 0, err
    assert run(capsys, "scenario", "duplicate", "NQ 828", "Bản sao", "--workspace", ws)[0] == 0
    assert run(capsys, "scenario", "rename", "Bản sao", "Đổi tên", "--workspace", ws)[0] == 0
    code, out, err = run(capsys, "scenario", "list", "--json", "--workspace", ws)
    rows = json.loads(out)
    assert [r["name"] for r in rows] == ["NQ 828", "Từ CSV", "Đổi tên"]
    assert all(r["n_after"] == 225 and r["created"] for r in rows)
    assert rows[0]["author"] == "Lan"
    code, out, err = run(capsys, "scenario", "list", "--workspace", ws)
    assert "NQ 828" in out and "277 → 225" in out
    code, out, err = run(capsys, "scenario", "show", "NQ 828", "--json", "--workspace", ws)
    doc = json.loads(out)
    assert doc["merged_groups"]["07942"] == ["07939", "07942"]
    assert doc["metrics"]["n_after"] == 225
    code, out, err = run(capsys, "scenario", "show", "NQ 828", "--workspace", ws)
    assert "07942" in out
    assert run(capsys, "scenario", "delete", "Đổi tên", "--workspace", ws)[0] == 0
    code, out, err = run(capsys, "scenario", "delete", "Đổi tên", "--workspace", ws)
    assert code == 2 and "no scenario 'Đổi tên'" in err
    code, out, err = run(capsys, "scenario", "import", "x", "--dataset", "phu_tho_2019",
                         "--workspace", ws)  # fmt: skip
    assert code == 2 and "--csv FILE or --crosswalk" in err
    # compare: identical groupings, so nothing changes and ARI = 1
    xlsx = tmp_path / "cmp.xlsx"
    code, out, err = run(capsys, "compare", "NQ 828", "Từ CSV", "--out", str(xlsx),
                         "--workspace", ws)  # fmt: skip
    assert code == 0, err
    assert "0 units grouped differently, ARI 1.000, VI 0.000 bits" in out
    assert "Số đơn vị sau sắp xếp" in out
    rows = {r[0]: r[1:] for r in openpyxl.load_workbook(xlsx).worksheets[0].iter_rows(
        min_row=4, values_only=True)}  # fmt: skip
    assert rows["Số đơn vị sau sắp xếp"] == (225, 225)
    code, out, err = run(capsys, "compare", "NQ 828", "--workspace", ws)
    assert code == 2 and "2 to 6 scenarios" in err
    # export
    gj = tmp_path / "nq828.geojson"
    code, out, err = run(capsys, "export", "NQ 828", "--format", "geojson", "--out", str(gj),
                         "--workspace", ws)  # fmt: skip
    assert code == 0, err
    assert len(gpd.read_file(gj)) == 225
    code, out, err = run(capsys, "export", "NQ 828", "--format", "bmp", "--out", "x.bmp",
                         "--workspace", ws)  # fmt: skip
    assert code == 2 and "unknown export format" in err


def test_default_workspace_in_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "scenario", "import", "NQ 828", "--dataset", "phu_tho_2019",
                         "--crosswalk")  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "sapxep.gpkg").is_file()
    assert Workspace(tmp_path / "sapxep.gpkg").names() == ["NQ 828"]


@pytest.mark.slow
def test_save_a_plan_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws.gpkg")
    out_dir = tmp_path / "run"
    code, out, err = run(capsys, "plan", "--dataset", "phu_tho_2019", "--rules", "nq35_2023",
                         "--time-limit", "10", "--workers", "1", "--seed", "1", "--quiet",
                         "--out", str(out_dir))  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "scenario", "save", "Tối ưu", "--run", str(out_dir),
                         "--author", "An", "--workspace", ws)  # fmt: skip
    assert code == 0, err
    info = Workspace(ws).info("Tối ưu")
    assert info.source == "optimizer" and info.author == "An"
    assert info.dataset == "phu_tho_2019" and info.ruleset == "nq35_2023"
    sc = Workspace(ws).load("Tối ưu")
    assert "phu_tho_2019" in sc.config_toml
    assert sc.metrics["n_after"] == sc.plan.n_after == len(sc.new_units)
    assert sc.metrics["status"] in ("OPTIMAL", "FEASIBLE")
    # the Python API: the same run folder with a staffing summary attached
    summary = pd.DataFrame({"key": ["staff_before", "quota_after", "surplus_now", "surplus_year5"],
                            "value": ["900", "700", "200", "150"]})  # fmt: skip
    info = save_run(ws, "Có cán bộ", out_dir, staffing={"staffing_summary": summary})
    m = Workspace(ws).load("Có cán bộ").metrics
    assert (m["staff_before"], m["staff_after"], m["surplus_now"], m["surplus_year5"]) == (900, 700, 200, 150)
    assert info.n_after == sc.plan.n_after
    with pytest.raises(WorkspaceError, match="not a run folder"):
        save_run(ws, "x", tmp_path)
    assert run(capsys, "scenario", "import", "NQ 828", "--dataset", "phu_tho_2019",
               "--crosswalk", "--workspace", ws)[0] == 0  # fmt: skip
    code, out, err = run(capsys, "compare", "NQ 828", "Tối ưu", "--lang", "en", "--workspace", ws)
    assert code == 0, err
    assert "Units after" in out and "grouped differently" in out
