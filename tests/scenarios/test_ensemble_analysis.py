"""Ensemble analysis on hand-made plans: co-assignment, stability, percentiles, rare groupings."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from ensemble_support import grid_scenario

from sapxep.scenarios.analysis.ensemble import (
    Ensemble,
    co_assignment,
    metric_distributions,
    percentile_report,
    rare_groupings,
    read_ensemble,
    stability,
)
from sapxep.scenarios.config import ScenarioConfig, load_scenario, scenario_to_dict
from sapxep.units.errors import ScenarioError
from sapxep.units.plan import MergePlan


def _tiny() -> tuple[Ensemble, nx.Graph]:
    """Path a-b-c-d; plans: {ab}{cd}, {ab}{c}{d}, {a}{bc}{d}, {ab}{cd}."""
    graph = nx.path_graph(["a", "b", "c", "d"])
    plans = [
        {"a": "N1", "b": "N1", "c": "N2", "d": "N2"},
        {"a": "N1", "b": "N1", "c": "N3", "d": "N4"},
        {"a": "N1", "b": "N2", "c": "N2", "d": "N4"},
        {"a": "N1", "b": "N1", "c": "N2", "d": "N2"},
    ]
    rows = [(p, c, g, g) for p, plan in enumerate(plans) for c, g in plan.items()]
    a = pd.DataFrame(rows, columns=["plan", "code", "new_unit", "seat_code"])
    return Ensemble(Path("."), a, pd.DataFrame({"plan": range(4)}), ScenarioConfig()), graph


def test_co_assignment_counts_plans_with_both_in_one_unit():
    ens, graph = _tiny()
    pairs = co_assignment(ens, graph).set_index(["code_a", "code_b"])["frequency"]
    assert pairs[("a", "b")] == 0.75 and pairs[("b", "c")] == 0.25 and pairs[("c", "d")] == 0.5
    assert len(pairs) == 3  # adjacent pairs only


def test_stability_is_the_share_of_the_most_frequent_grouping():
    ens, graph = _tiny()
    s = stability(ens, graph).set_index("code")
    assert s.loc["a", "stability"] == 0.75 and s.loc["a", "modal_members"] == "a;b"
    assert s.loc["d", "stability"] == 0.5 and s.loc["d", "n_groupings"] == 2
    assert s.loc["d", "alone_share"] == 0.5 and s.loc["a", "alone_share"] == 0.25
    assert s["stability"].is_monotonic_increasing


def _grid_ensemble(tmp_path: Path) -> tuple[Path, list[MergePlan]]:
    """An ensemble folder of three hand-made plans on the 6 x 5 grid (codes 00001 … 00030)."""
    toml = grid_scenario(tmp_path)
    cfg = load_scenario(toml)
    codes = [f"{k:05d}" for k in range(1, 31)]
    plan0, plan1 = {}, {}
    for r in range(5):
        row = codes[6 * r : 6 * r + 6]
        for i, c in enumerate(row):
            plan0[c] = f"N{row[i - i % 2]}"  # (1 2) (3 4) (5 6)
            plan1[c] = f"N{row[i if i in (0, 5) else i - (i - 1) % 2]}"  # (1) (2 3) (4 5) (6)
    plans = [plan0, plan1, dict(plan0)]
    rows = [(p, c, g, g[1:]) for p, plan in enumerate(plans) for c, g in plan.items()]
    out = tmp_path / "ens"
    out.mkdir()
    pd.DataFrame(rows, columns=["plan", "code", "new_unit", "seat_code"]).to_parquet(
        out / "assignments.parquet"
    )
    pd.DataFrame({"plan": [0, 1, 2], "seed": [0, 1, 2]}).to_parquet(out / "metrics.parquet")
    manifest = {"scenario": scenario_to_dict(cfg), "base_dir": str(tmp_path)}
    (out / "manifest.json").write_text(json.dumps(manifest, default=str), encoding="utf-8")
    merge = [MergePlan(pd.Series(plan), {g: g[1:] for g in set(plan.values())}) for plan in plans]
    return out, merge


def test_percentiles_and_rare_groupings_of_a_plan(tmp_path: Path):
    folder, plans = _grid_ensemble(tmp_path)
    ens = read_ensemble(folder)
    dist = metric_distributions(ens)
    assert dist.loc["n_after", "count"] == 3 and dist.loc["n_after", "min"] == 15
    rep = percentile_report(ens, plans[0])
    assert rep.loc["n_after", "value"] == 15 and 0 <= rep.loc["n_after", "percentile"] <= 100
    assert rep.loc["population_max", "p5"] <= rep.loc["population_max", "p95"]
    # A plan keeping every commune alone is rarer than anything in the ensemble.
    alone = MergePlan(pd.Series({c: f"N{c}" for c in plans[0].assignment.index}),
                      {f"N{c}": c for c in plans[0].assignment.index})  # fmt: skip
    assert percentile_report(ens, alone).loc["n_after", "percentile"] == 100.0
    rare = rare_groupings(ens, alone)
    assert rare["rare"].sum() >= 1 and rare["frequency"].min() == 0.0
    common = rare_groupings(ens, plans[0])
    assert common["frequency"].max() == pytest.approx(2 / 3) and not common["rare"].any()


def test_a_plan_of_other_communes_is_refused(tmp_path: Path):
    folder, _ = _grid_ensemble(tmp_path)
    other = MergePlan(pd.Series({"99999": "N99999"}), {"N99999": "99999"})
    with pytest.raises(ScenarioError, match="different communes"):
        percentile_report(read_ensemble(folder), other)


def test_not_an_ensemble_folder(tmp_path: Path):
    with pytest.raises(ScenarioError, match="not an ensemble folder") as info:
        read_ensemble(tmp_path)
    assert "sapxep ensemble" in info.value.problems[0]


def test_compare_and_excel_export_show_the_ensemble_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    import openpyxl

    from sapxep.scenarios.cli import main

    folder, _ = _grid_ensemble(tmp_path)
    ws = tmp_path / "ws.gpkg"
    for name, seed in (("g1", "0"), ("g2", "3")):
        assert main(["plan", str(tmp_path / "grid.toml"), "--out", str(tmp_path / name), "--no-gpkg",
                     "--quiet", "--seed", seed, "--save", name, "--workspace", str(ws)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["compare", "g1", "g2", "--workspace", str(ws), "--ensemble", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Vị trí của phương án “g1” trong 3 phương án hợp lệ khác nhau" in out
    assert "Thứ hạng phần trăm" in out and "Hiếm gặp:" in out
    xlsx = tmp_path / "g1.xlsx"
    assert main(["export", "g1", "--format", "xlsx", "--out", str(xlsx), "--workspace", str(ws),
                 "--ensemble", str(folder)]) == 0  # fmt: skip
    wb = openpyxl.load_workbook(xlsx)
    sheet = wb["Tập hợp phương án"]
    assert sheet["A1"].value.startswith("Vị trí của phương án “g1”")
    assert sheet["A4"].value == "Chỉ tiêu" and sheet["F4"].value == "Thứ hạng phần trăm"
    assert len(sheet._images) == 1  # the co-assignment map
    labels = [r[0] for r in sheet.iter_rows(min_row=5, max_row=30, values_only=True)]
    assert "Số đơn vị sau sắp xếp" in labels and "Đơn vị mới" in labels
