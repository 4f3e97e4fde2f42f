"""Parameter sweeps: grid parsing and a small sweep on a local Dask cluster."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from ensemble_support import grid_scenario

from sapxep.scenarios.cli import main
from sapxep.scenarios.config import load_scenario
from sapxep.scenarios.run.sweep import apply_params, parse_grid
from sapxep.units.errors import ScenarioError


def test_grid_is_the_cross_product():
    combos = parse_grid("min_population=12000,16000,20000; target=60:70")
    assert combos == [{"min_population": p, "target": [60, 70]} for p in (12000, 16000, 20000)]
    assert len(parse_grid("seed=1,2; balance=0,0.5; stay_within_parent=true,false")) == 8


def test_bad_grid_lists_every_problem():
    with pytest.raises(ScenarioError) as info:
        parse_grid("min_populaton=1; target=a:b; max_members=; seed=1; seed=2")
    text = "\n".join(info.value.problems)
    assert "unknown parameter 'min_populaton'" in text and "min_population" in text
    assert "'a:b' is not a int" in text and "'max_members=' is not NAME=V1,V2" in text
    assert "'seed' given twice" in text


def test_target_switches_to_target_count(tmp_path: Path):
    cfg = load_scenario(grid_scenario(tmp_path)).with_changes(plan={"mode": "max-units", "target": None})
    out = apply_params(cfg, {"target": [8, 9], "min_population": 2500})
    assert out.plan.mode == "target-count" and out.plan.target == (8, 9)
    assert out.rules.min_population == 2500


def test_sweep_cli_runs_every_combination_per_province(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    toml = grid_scenario(tmp_path)
    out = tmp_path / "sw"
    args = ["sweep", str(toml), "--grid", "min_population=2500,3000", "--province", "Tỉnh Thử",
            "--out", str(out), "--local-workers", "2"]  # fmt: skip
    assert main(args) == 0
    assert "2/2 tasks with a valid plan (2 solved, 0 reused)" in capsys.readouterr().out
    table = pd.read_csv(out / "sweep.csv", dtype={"province": str})
    assert list(table["min_population"]) == [2500, 3000] and set(table["province"]) == {"99"}
    assert table["check_ok"].all() and (table["n_new_units_failing"] == 0).all()
    assert pd.read_parquet(out / "assignments.parquet")["plan"].nunique() == 2
    assert main(args) == 0  # a rerun solves nothing
    assert "(0 solved, 2 reused)" in capsys.readouterr().out
    assert main([*args[:3], "min_population=2000", *args[4:]]) == 2
    assert "holds the results of a different run" in capsys.readouterr().err
