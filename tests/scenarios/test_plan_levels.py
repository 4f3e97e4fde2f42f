"""The same engine plans districts and provinces: target-count, checks, seats, level in outputs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "geodata"))

from test_geodata_levels import provinces_grid  # noqa: E402

from sapxep.scenarios.config import scenario_from_dict  # noqa: E402
from sapxep.scenarios.run.scenario import run_scenario  # noqa: E402
from sapxep.units.errors import ScenarioError  # noqa: E402


def config(level: str, rules: str, target: int) -> object:
    return scenario_from_dict(
        {
            "data": {"dataset": "vietnam_2019", "level": level},
            "rules": {"name": rules},
            "plan": {"mode": "target-count", "target": target},
            "solver": {"time_limit_s": 10, "num_workers": 1, "seed": 0},
        }
    )


def test_province_target_count_on_communes() -> None:
    # 36 communes in 9 provinces of 1.2 M people / 6,400 km²: 9 -> 5 provinces under NQ 76 Art. 4
    from sapxep.scenarios.run.prepare import prepare_scenario

    cfg = config("province", "nq76_2025", 5)
    prep = prepare_scenario(cfg, units=provinces_grid())  # type: ignore[arg-type]
    assert len(prep.units) == 9 and prep.ruleset.name == "nq76_2025@province"
    res = run_scenario(cfg, prepared=prep)  # type: ignore[arg-type]
    assert res.plan.n_after == 5
    assert res.check.ok, res.check.violations
    assert res.metrics["level"] == "province" and res.metrics["level_label"] == "tỉnh"
    merged = res.new_units[res.new_units["n_members"] >= 2]
    assert (merged["population"] >= 1_400_000).all() and (merged["area_km2"] >= 5000).all()
    assert (res.new_units["seat_code"] != "").all()  # every province has its seat named
    assert res.new_units["name"].str.startswith("Tỉnh").all()


def test_scenario_level_is_checked() -> None:
    with pytest.raises(ScenarioError, match="level"):
        scenario_from_dict(
            {"data": {"dataset": "vietnam_2019", "level": "tinh"}, "rules": {"name": "nq76_2025"}}
        )


def test_district_level_rules_refused_after_2025() -> None:
    from sapxep.scenarios.run.prepare import prepare_scenario

    with pytest.raises(ScenarioError, match="district"):
        prepare_scenario(config("district", "nq112_2026", 3), units=provinces_grid())  # type: ignore[arg-type]


def test_cli_assess_at_district_level(tmp_path: Path) -> None:
    import pandas as pd

    from sapxep.scenarios.cli import main

    out = tmp_path / "d.csv"
    args = ["assess", "--dataset", "phu_tho_2023", "--level", "district", "--rules", "nq35_2023"]
    assert main([*args, "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"code": str})
    assert len(table) == 13
    assert set(table["standard"]) <= {"huyen_other", "huyen_mountainous", "thanh_pho_all", "thi_xa_all"}
    assert (table["ruleset"] == "nq35_2023@district").all()
    assert main([*args[:-2], "--level", "tinh"]) == 2


def test_province_run_saved_and_compared(tmp_path: Path) -> None:
    from sapxep.scenarios.analysis.compare import scenario_metrics
    from sapxep.scenarios.run.prepare import prepare_scenario
    from sapxep.scenarios.workspace.runs import save_run
    from sapxep.scenarios.workspace.store import Workspace
    from sapxep.units.rules import load_ruleset

    assert load_ruleset("nq76_2025@province").name == "nq76_2025@province"
    cfg = config("province", "nq76_2025", 6)
    prep = prepare_scenario(cfg, units=provinces_grid())  # type: ignore[arg-type]
    res = run_scenario(cfg, prepared=prep)  # type: ignore[arg-type]
    ws = Workspace(tmp_path / "ws.gpkg")
    save_run(ws, "Tỉnh 9→6", res)
    m = scenario_metrics(ws, "Tỉnh 9→6")
    assert m["n_after"] == 6


def test_level_attributes_are_keyed_by_level_codes(tmp_path: Path, phu_tho_2023: object) -> None:
    import pandas as pd

    from sapxep.scenarios.cli import main

    units = phu_tho_2023  # type: ignore[assignment]
    code = str(units.loc[units["parent_name"] == "Huyện Tân Sơn", "parent_code"].iloc[0])  # type: ignore[attr-defined]
    attrs = tmp_path / "districts.csv"
    attrs.write_text(f"code,terrain\n{code},mountainous\n", encoding="utf-8")
    out = tmp_path / "d.csv"
    args = ["assess", "--dataset", "phu_tho_2023", "--level", "district", "--rules", "nq35_2023"]
    assert main([*args, "--attributes", str(attrs), "--out", str(out)]) == 0
    row = pd.read_csv(out, dtype={"code": str}).set_index("code").loc[code]
    assert row["terrain"] == "mountainous" and row["standard"] == "huyen_mountainous"
    assert row["area_min_km2"] == 850.0


def test_cli_plan_at_district_level(tmp_path: Path) -> None:
    import json

    import pandas as pd

    from sapxep.scenarios.cli import main

    out = tmp_path / "d"
    args = ["plan", "--dataset", "phu_tho_2023", "--level", "district", "--rules", "nq35_2023",
            "--mode", "max-units", "--time-limit", "5", "--workers", "1", "--no-gpkg", "--quiet",
            "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert (m["level"], m["n_before"], m["check_ok"]) == ("district", 13, True)
    assert 'level = "district"' in (out / "scenario.toml").read_text(encoding="utf-8")
    plan = pd.read_csv(out / "plan.csv", dtype=str, encoding="utf-8-sig")
    assert len(plan) == 13
