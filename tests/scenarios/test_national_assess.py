"""Nationwide 2026 assessment of the bundled 2025 units: per-province summary and map."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from typer.testing import CliRunner

from sapxep.scenarios.cli import app
from sapxep.scenarios.run.national_assess import province_summary, unit_verdicts, write_national_outputs
from sapxep.units.assessment import assess_units, summarize_assessment
from sapxep.units.rules import load_ruleset


def test_all_3321_units_assessed(vietnam_2025: gpd.GeoDataFrame) -> None:
    a = assess_units(vietnam_2025, load_ruleset("nq112_2026"))
    assert len(a) == 3321
    assert set(a["standard"]) >= {"xa_other", "phuong_all", "xa_island", "dac_khu_all"}
    # every suspect population is visible, none is silently judged by its population
    sus = a[a["population_suspect"]]
    assert len(sus) == 370
    assert sus["reason"].str.contains("nghi vấn").all()
    s = summarize_assessment(a)
    assert s.n_population_suspect == 370
    assert s.n_undetermined >= 13  # at least the đặc khu
    summary = province_summary(vietnam_2025, a)
    assert len(summary) == 35 and summary.iloc[-1]["province"] == "TOTAL"
    total = summary.iloc[-1]
    assert total["n_units"] == 3321
    assert total["n_population_suspect"] == 370
    below_cols = [c for c in summary.columns if c.startswith("below_")]
    assert total[below_cols].sum() == total["n_below_standard"] == s.n_below_standard
    verdicts = unit_verdicts(a).value_counts()
    assert verdicts.sum() == 3321


def test_national_outputs_written(vietnam_2025: gpd.GeoDataFrame, tmp_path: Path) -> None:
    two = vietnam_2025[vietnam_2025["province_code"].isin(["25", "01"])].reset_index(drop=True)
    a = assess_units(two, load_ruleset("nq112_2026"))
    paths = write_national_outputs(two, a, tmp_path / "a.csv", title="Thử")
    assert [p.name for p in paths] == ["a_provinces.csv", "a_map.png"]
    table = pd.read_csv(paths[0], dtype={"province_code": str})
    assert table["province_code"].tolist()[:2] == ["01", "25"]
    assert paths[1].stat().st_size > 10_000
    assert not list(tmp_path.glob(".a*"))  # no temp files left


def test_cli_assess_one_province_without_diacritics(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    res = CliRunner().invoke(
        app, ["assess", "--dataset", "vietnam_2025", "--province", "phu tho", "--rules", "nq112_2026",
              "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert len(pd.read_csv(out)) == 148
    assert "Dân số nghi vấn" in res.output
    assert not (tmp_path / "r_provinces.csv").exists()  # one province: no national summary


def test_user_population_replaces_a_suspect_one(tmp_path: Path) -> None:
    from sapxep.scenarios.cli import main

    pop = tmp_path / "pop.csv"
    pop.write_text("code,population\n04846,23456\n", encoding="utf-8")
    out = tmp_path / "b.csv"
    args = ["assess", "--dataset", "phu_tho_2025", "--attributes", str(pop), "--rules", "nq112_2026"]
    assert main([*args, "--out", str(out)]) == 0
    row = pd.read_csv(out, dtype={"code": str}).set_index("code").loc["04846"]
    assert row["population"] == 23456 and not row["population_suspect"] and row["determined"]


def test_plan_metrics_name_suspect_populations() -> None:
    from sapxep.scenarios.run.scenario import suspect_notes
    from sapxep.units.plan import plan_from_mapping

    units = pd.DataFrame({"code": ["1", "2", "3"], "population_suspect": [False, True, False]})
    plan = plan_from_mapping({"1": "A", "2": "A", "3": "B"})
    (note,) = suspect_notes(units, plan)
    assert "1 units" in note and "2" in note and "A" in note and "--attributes" in note
