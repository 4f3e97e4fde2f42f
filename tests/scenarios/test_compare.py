"""Comparison: partition similarity, pairwise diff, and the 2019→2020 merger vs an optimizer run."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sapxep.geodata.datasets import dataset_path
from sapxep.geodata.io import load_dataset
from sapxep.scenarios.analysis.compare import (
    adjusted_rand_index,
    changed_units,
    compare_scenarios,
    pairwise_diff,
    similarity_matrix,
    variation_of_information,
)
from sapxep.scenarios.config import scenario_from_dict
from sapxep.scenarios.export.excel import write_comparison_xlsx
from sapxep.scenarios.run.scenario import run_scenario
from sapxep.scenarios.workspace.importing import import_scenario
from sapxep.scenarios.workspace.runs import save_run
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.errors import WorkspaceError
from sapxep.units.plan import plan_from_mapping


def s(labels: list[int]) -> pd.Series:
    return pd.Series(labels, index=[f"{i:05d}" for i in range(len(labels))])


def test_ari_known_values() -> None:
    assert adjusted_rand_index(s([0, 0, 1, 1]), s([5, 5, 7, 7])) == pytest.approx(1.0)
    assert adjusted_rand_index(s([0, 0, 1, 1]), s([0, 0, 0, 1])) == pytest.approx(0.0)
    # the scikit-learn documentation example: ARI([0,0,1,1], [0,0,1,2]) = 0.5714…
    assert adjusted_rand_index(s([0, 0, 1, 1]), s([0, 0, 1, 2])) == pytest.approx(4 / 7)
    assert adjusted_rand_index(s([0, 0, 0, 0]), s([0, 1, 2, 3])) == pytest.approx(0.0)
    a, b = s([0, 0, 1, 1, 2, 2, 2]), s([1, 1, 0, 2, 2, 2, 0])
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_index(b, a))
    assert adjusted_rand_index(a, b) < 1


def test_variation_of_information_known_values() -> None:
    assert variation_of_information(s([0, 0, 1, 1]), s([3, 3, 4, 4])) == pytest.approx(0.0)
    # independent halvings: H(A) = H(B) = 1 bit, I = 0
    assert variation_of_information(s([0, 0, 1, 1]), s([0, 1, 0, 1])) == pytest.approx(2.0)
    # one group vs all singletons: VI = log2(n)
    assert variation_of_information(s([0] * 8), s(list(range(8)))) == pytest.approx(3.0)
    assert variation_of_information(s([0, 0, 1, 1]), s([0, 1, 0, 1]), base=math.e) == pytest.approx(
        2 * math.log(2)
    )


def test_pairwise_diff_is_label_free() -> None:
    a = plan_from_mapping({"1": "A", "2": "A", "3": "B", "4": "B", "5": "C"})
    b = plan_from_mapping({"1": "x", "2": "x", "3": "y", "4": "z", "5": "z"})
    assert changed_units(a, b) == ["3", "4", "5"]
    diff = pairwise_diff(a, b, labels=("a", "b"))
    assert list(diff.index) == ["3", "4", "5"]
    assert diff.loc["4", "joined"] == "5" and diff.loc["4", "left"] == "3"
    assert diff.loc["5", "members_a"] == "5" and diff.loc["5", "members_b"] == "4;5"
    relabelled = plan_from_mapping({"1": "Q", "2": "Q", "3": "R", "4": "R", "5": "S"})
    assert changed_units(a, relabelled) == []
    with pytest.raises(WorkspaceError, match="same units"):
        changed_units(a, plan_from_mapping({"1": "A"}))


@pytest.fixture(scope="module")
def history_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The real 2019→2020 merger and an optimizer run, both on phu_tho_2019."""
    ws = Workspace(tmp_path_factory.mktemp("cmp") / "ws.gpkg")
    import_scenario(ws, "NQ 828/2019", dataset="phu_tho_2019", ruleset="nq35_2023")
    cfg = scenario_from_dict(
        {
            "data": {"dataset": "phu_tho_2019"},
            "rules": {"name": "nq35_2023"},
            "solver": {"time_limit_s": 20, "num_workers": 1, "seed": 3},
        }
    )
    save_run(ws, "Tối ưu", run_scenario(cfg), author="CI")
    return ws


def test_history_vs_optimizer(history_ws: Workspace, tmp_path: Path) -> None:
    cmp = compare_scenarios(history_ws, ["NQ 828/2019", "Tối ưu"])
    m = cmp.metrics
    hist = m["NQ 828/2019"]
    assert hist["n_before"] == 277 and hist["n_after"] == 225
    # independent count from the crosswalk: new codes receiving ≥ 2 whole old units
    units = load_dataset("phu_tho_2019")
    cw = pd.read_csv(dataset_path("phu_tho_2019", "crosswalk"), dtype=str, keep_default_na=False)
    cw = cw[(cw["relation"] != "partial_split") | (cw["new_code"] == "07942")]
    assert cw["old_code"].is_unique
    sizes = cw.groupby("new_code")["old_code"].nunique()
    assert hist["n_merged"] == int((sizes >= 2).sum())
    assert hist["n_unchanged"] == int((sizes == 1).sum())
    pop = units.set_index("code")["population"]
    pop_new = cw.assign(p=cw["old_code"].map(pop)).groupby("new_code")["p"].sum()
    assert hist["population_max"] == pop_new.max()
    assert hist["population_min"] == pop_new.min()
    assert hist["n_cross_parent"] == 0  # NQ 828 merged within districts
    opt = m["Tối ưu"]
    plan = history_ws.plan("Tối ưu")
    assert opt["n_before"] == 277 and opt["n_after"] == plan.n_after < 225
    assert opt["must_arrange_unresolved"] <= hist["must_arrange_unresolved"]
    for key in ("n_fail_any", "must_arrange_total", "compactness_mean", "seat_distance_km_max"):
        assert hist[key] is not None and opt[key] is not None, key
    pair = cmp.pairs.iloc[0]
    assert bool(pair["same_units"])
    changed = changed_units(history_ws.plan("NQ 828/2019"), plan)
    assert pair["n_changed"] == len(changed) > 0
    assert -1 < pair["ari"] < 1 and pair["vi_bits"] > 0
    diff = cmp.diffs[("NQ 828/2019", "Tối ưu")]
    assert set(diff.index) == set(changed)
    assert diff.loc[changed[0], "name"] != ""
    sim = similarity_matrix(cmp)
    assert sim.loc["Tối ưu", "Tối ưu"] == 1.0
    assert sim.loc["Tối ưu", "NQ 828/2019"] == pytest.approx(pair["ari"])
    table = cmp.metrics_table("vi")
    assert "Số đơn vị sau sắp xếp" in table.index
    assert "Units after" in cmp.metrics_table("en").index
    out = write_comparison_xlsx(cmp, tmp_path / "cmp.xlsx", lang="vi")
    wb = openpyxl.load_workbook(out)
    sheet = wb.worksheets[0]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["Số đơn vị trước sắp xếp"] == (277, 277)
    assert rows["Số đơn vị sau sắp xếp"] == (225, plan.n_after)
    sim_sheet = wb.worksheets[1]
    vals = list(sim_sheet.iter_rows(min_row=2, values_only=True))[0]
    assert vals[:3] == ("NQ 828/2019", "Tối ưu", len(changed))
    assert vals[3] == pytest.approx(pair["ari"])
    diff_sheet = wb.worksheets[2]
    assert diff_sheet.max_row == len(changed) + 1
    heads = [c.value for c in diff_sheet[1]]
    assert heads[:3] == ["Mã ĐVHC cũ", "Tên ĐVHC cũ", "Đơn vị mới (NQ 828/2019)"]
    assert not any(h in ("code", "name", "joined", "left") or "_" in h for h in heads)


def test_compare_checks_names(history_ws: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="2 to 6 scenarios, not 1"):
        compare_scenarios(history_ws, ["Tối ưu"])
    with pytest.raises(WorkspaceError, match="unknown scenarios: nope"):
        compare_scenarios(history_ws, ["Tối ưu", "nope"])
    with pytest.raises(WorkspaceError, match="named twice"):
        compare_scenarios(history_ws, ["Tối ưu", "Tối ưu"])
