"""``sapxep plan`` end to end (in process through ``sapxep.scenarios.cli.main``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from sapxep.scenarios.cli import main
from sapxep.scenarios.config import load_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_plan_with_flags_writes_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "run"
    code = main(["plan", "--dataset", "phu_tho_2023", "--rules", "nq35_2023", "--mode",
                 "max-units", "--time-limit", "4", "--seed", "2", "--workers", "1",
                 "--min-population", "16000", "--min-area", "0", "--cross-parents",
                 "--out", str(out), "--quiet"])  # fmt: skip
    assert code == 0
    assert "225 →" in capsys.readouterr().out
    plan = pd.read_csv(out / "plan.csv", dtype=str)
    assert list(plan.columns) == ["code", "new_unit", "seat_code", "new_name"]
    assert len(plan) == 225 and plan["code"].is_unique
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    for key in (
        "status",
        "objective",
        "best_bound",
        "gap",
        "solve_time_s",
        "n_before",
        "n_after",
        "n_new_units_failing",
        "must_arrange_total",
        "must_arrange_merged",
    ):
        assert key in m, key  # fmt: skip
    assert m["n_new_units_failing"] == 0 and m["n_after"] == plan["new_unit"].nunique()
    layers = dict(pyogrio.list_layers(out / "plan.gpkg"))
    assert set(layers) == {"units", "new_units"}
    nu = pyogrio.read_dataframe(out / "plan.gpkg", layer="new_units")
    assert {"name", "area_km2", "population", "members", "seat_code"} <= set(nu.columns)
    assert len(nu) == m["n_after"] and nu["population"].min() >= 16000
    # the scenario copy is written even with flags, and runs again
    cfg = load_scenario(out / "scenario.toml")
    assert cfg.rules.min_population == 16000 and cfg.rules.min_area_km2 == 0
    assert cfg.solver.seed == 2 and cfg.plan.stay_within_parent is False


def test_plan_from_scenario_file_with_flag_override(tmp_path: Path):
    out = tmp_path / "repair"
    code = main(["plan", str(EXAMPLES / "repair.toml"), "--time-limit", "4", "--workers", "1",
                 "--alternatives", "1", "--no-gpkg", "--out", str(out), "--quiet"])  # fmt: skip
    assert code == 0
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert m["mode"] == "repair" and m["must_arrange_merged"] == m["must_arrange_total"]
    plan = pd.read_csv(out / "plan.csv", dtype=str)
    # the fixed seat of the example is the seat of its new unit
    row = plan.set_index("code").loc["08035"]
    assert row["seat_code"] == "08035"


def test_bad_scenario_lists_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[data]\ndataset = "phu_tho_2023"\n[rules]\nname = "nq99"\n'
        '[plan]\nmode = "repair"\nlocks = ["07888"]\nforced_pairs = [["07888", "07891"]]\n',
        encoding="utf-8",
    )
    assert main(["plan", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "unknown ruleset 'nq99'" in err
    assert "07888 is locked (unchanged) but forced together with 07891" in err


def test_unknown_codes_in_locks_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    s = tmp_path / "s.toml"
    s.write_text(
        '[data]\ndataset = "phu_tho_2023"\n[rules]\nname = "nq35_2023"\n[plan]\nlocks = ["99999", "88888"]\n',
        encoding="utf-8",
    )
    assert main(["plan", str(s), "--out", str(tmp_path / "o")]) == 2
    assert "unknown unit codes 88888, 99999" in capsys.readouterr().err


def test_infeasible_plan_explains_by_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code = main(["plan", "--dataset", "phu_tho_2023", "--rules", "nq35_2023",
                 "--min-population", "150000", "--time-limit", "3", "--workers", "1",
                 "--out", str(tmp_path / "o"), "--quiet"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "no plan exists" in err and "cannot reach 150,000 people" in err
    assert "Xã " in err


def test_missing_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["plan", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--dataset" in err and "--rules" in err


@pytest.mark.slow
def test_plan_national_two_provinces_in_parallel(tmp_path: Path):
    out = tmp_path / "nat"
    code = main(["plan-national", "--rules", "nq35_2023", "--out", str(out), "--provinces",
                 "06,Phú Thọ", "--time-limit", "3", "--jobs", "2", "--no-gpkg"])  # fmt: skip
    assert code == 0
    summary = pd.read_csv(out / "national_summary.csv", dtype={"province_code": str})
    assert list(summary["province_code"]) == ["06", "25"]
    assert set(summary["status"]) <= {"OPTIMAL", "FEASIBLE"}
    assert (summary["n_new_units_failing"] == 0).all() and summary["check_ok"].all()
    total = json.loads((out / "national_summary.json").read_text(encoding="utf-8"))
    assert total["provinces_planned"] == 2
    assert total["n_after"] == summary["n_after"].sum() < total["n_before"]
    plan = pd.read_csv(out / "national_plan.csv", dtype=str)
    assert len(plan) == total["n_before"] and plan["code"].is_unique
    for folder in summary["folder"]:
        assert (Path(folder) / "plan.csv").exists() and (Path(folder) / "scenario.toml").exists()


def test_plan_national_unknown_province():
    from sapxep.scenarios.run.national import select_provinces

    table = pd.DataFrame({"province_code": ["06", "25"], "province": ["Tỉnh Bắc Kạn", "Tỉnh Phú Thọ"]})
    assert select_provinces(table, ["bac kan", "25"]) == [("06", "Tỉnh Bắc Kạn"), ("25", "Tỉnh Phú Thọ")]
    from sapxep.units.errors import ScenarioError

    with pytest.raises(ScenarioError, match="'Atlantis' matches no province"):
        select_provinces(table, ["Atlantis"])


def test_deterministic_time_flag_makes_a_reproducible_run(tmp_path: Path):
    out = tmp_path / "det"
    code = main(["plan", "--dataset", "phu_tho_2023", "--rules", "nq35_2023", "--mode", "repair",
                 "--time-limit", "30", "--deterministic-time", "0.2", "--workers", "1",
                 "--no-gpkg", "--out", str(out), "--quiet"])  # fmt: skip
    assert code == 0
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert m["deterministic_time_s"] == 0.2 and m["reproducible"] is True
    assert m["deterministic_time_used"] <= 0.21 and m["cancelled"] is False
    assert load_scenario(out / "scenario.toml").solver.deterministic_time_s == 0.2


def test_plan_save_stores_the_run_and_refuses_a_taken_name(tmp_path, capsys):
    from sapxep.scenarios.workspace.store import Workspace

    ws = tmp_path / "ws.gpkg"
    args = [
        "plan", "--dataset", "phu_tho_2019", "--rules", "nq35_2023", "--mode", "max-units",
        "--time-limit", "20", "--workers", "1", "--seed", "0", "--quiet",
        "--save", "Đề xuất 1", "--workspace", str(ws),
    ]  # fmt: skip
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    info = Workspace(ws).info("Đề xuất 1")
    assert info.n_before == 277
    assert info.n_after == len(Workspace(ws).plan("Đề xuất 1").groups)
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path / "b")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()  # refused before solving
