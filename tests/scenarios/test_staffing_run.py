"""`sapxep staffing` end to end on the bundled dataset with a hand-made pair plan."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sapxep.geodata.adjacency import build_adjacency
from sapxep.scenarios.cli import main
from sapxep.scenarios.run.staffing import run_staffing
from sapxep.units.errors import PlanError, RosterError, ScenarioError
from sapxep.units.plan import read_plan_csv


@pytest.fixture(scope="module")
def units(bundled_dataset):
    return bundled_dataset("phu_tho_2023")


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory, units):
    """Merge pairs of neighbouring units of the same district (greedy, by code)."""
    graph = build_adjacency(units, island_policy="links")
    used: set[str] = set()
    rows = []
    for c in sorted(units["code"]):
        if c in used:
            continue
        nbs = [
            n
            for n in sorted(graph.neighbors(c))
            if n not in used and graph.nodes[n]["parent_code"] == graph.nodes[c]["parent_code"]
        ]
        members = [c, nbs[0]] if nbs else [c]
        used.update(members)
        rows += [(m, f"N{c}", c) for m in members]
    d = tmp_path_factory.mktemp("plan")
    pd.DataFrame(rows, columns=["code", "new_unit", "seat_code"]).to_csv(d / "plan.csv", index=False)
    (d / "scenario.toml").write_text(
        'dataset = "phu_tho_2023"\n[rules]\nname = "nq35_2023"\n', encoding="utf-8"
    )
    n_after = len({r[1] for r in rows})
    (d / "metrics.json").write_text(json.dumps({"n_after": n_after}), encoding="utf-8")
    return d


def test_cli_staffing_on_bundled_dataset(plan_dir, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["staffing", str(plan_dir), "--out", str(out), "--vacancy-rate", "0.1",
                 "--charts", "1"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for key in ("staff_before", "quota_after", "surplus_now", "surplus_year5", "redeployed",
                "estimated_roster"):  # fmt: skip
        assert key in s
    assert s["estimated_roster"] is True and "ƯỚC TÍNH" in s["estimated_label"]
    assert s["staff_before"] == s["staff_kept"] + s["surplus_now"]
    assert 0 < s["redeployed"] <= s["deficit_now"]
    assert s["surplus_year5"] <= s["surplus_now"]
    assert s["n_units"] == 225 and s["metrics"]["n_after"] == s["n_new_units"]
    assert s["reconciles"] is True
    nu = pd.read_csv(out / "new_units.csv", dtype={"new_unit": str})
    assert len(nu) == s["n_new_units"] and nu["estimated"].all()
    assert nu["staff_before"].sum() == s["staff_before"]
    assert (nu["kept"] + nu["surplus"]).sum() == s["staff_before"]
    assert nu["redeployed_in"].sum() == nu["redeployed_out"].sum() == s["redeployed"]
    assert (nu["redeployed_in"] <= nu["deficit"]).all() and (nu["redeployed_out"] <= nu["surplus"]).all()
    assert nu["surplus_after_redeployment"].sum() == s["surplus_after_redeployment"]
    moves = pd.read_csv(out / "redeployment.csv", dtype=str)
    assert len(moves) == s["redeployed"] and moves["person_id"].is_unique
    assert (moves["distance_km"].astype(float) <= 25).all()
    proj = pd.read_csv(out / "projection.csv")
    assert set(proj["year"]) == set(range(2025, 2031))
    assert len(list((out / "per_unit").glob("*.csv"))) == s["n_new_units"]
    assert len(list((out / "orgcharts").glob("*.svg"))) == 1
    assert "ƯỚC TÍNH" in (out / "README.txt").read_text(encoding="utf-8")
    with pd.ExcelFile(out / "staffing.xlsx") as xf:
        sheets = xf.sheet_names
    assert sheets[0] == "Ghi_chu" and "Du_bao" in sheets and "Dieu_dong" in sheets
    assert "SỐ LIỆU ƯỚC TÍNH" in capsys.readouterr().out


def test_real_roster_is_not_labelled_estimated(plan_dir, tmp_path):
    first = run_staffing(plan_dir, seed=5)
    roster = first.roster.drop(columns=["estimated", "row", "title_label"])
    p = tmp_path / "roster.csv"
    roster.to_csv(p, index=False)
    r = run_staffing(plan_dir, roster=p, structure="2025", params_2025={"total_staff": 40})
    assert r.summary["estimated_roster"] is False
    assert r.summary["quota_after"] == 40 * r.summary["n_new_units"]
    assert r.summary["staff_before"] == r.summary["staff_kept"] + r.summary["surplus_now"]
    assert r.summary["staff_before"] == len(roster)


def test_bad_roster_gives_one_clear_error(plan_dir, tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_text(
        "unit_code,person_id,title,category,birth_year,sex\n"
        "08041,a,Chủ tịch UBND,cadre,1970,M\n"
        "00000,b,Chủ tịch UBND,cadre,1970,M\n"
        "08041,c,Phó giám đốc sở,civil_servant,1970,M\n"
        "08041,d,van_hoa_xa_hoi,civil_servant,1850,F\n",
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as info:
        run_staffing(plan_dir, roster=p)
    assert len(info.value.problems) == 3
    code = main(["staffing", str(plan_dir), "--roster", str(p), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown unit code '00000'" in err and "(rows 3)" in err
    assert "unknown title 'Phó giám đốc sở'" in err and "impossible birth year 1850" in err


def test_plan_dir_problems(plan_dir, tmp_path):
    with pytest.raises(ScenarioError, match="no plan.csv"):
        run_staffing(tmp_path)
    d = tmp_path / "partial"
    d.mkdir()
    plan = read_plan_csv(str(plan_dir / "plan.csv")).to_frame()
    plan.iloc[:-3].to_csv(d / "plan.csv", index=False)
    (d / "scenario.toml").write_text('[data]\ndataset = "phu_tho_2023"\n', encoding="utf-8")
    with pytest.raises(PlanError, match="3 units of the data are not in the plan"):
        run_staffing(d)
    with pytest.raises(ScenarioError, match="invalid staffing options"):
        run_staffing(plan_dir, default_class="IV")


def test_nq76_plan_defaults_to_2025_structure_with_cap_deadline_and_costs(units, tmp_path, capsys):
    d = tmp_path / "plan76"
    d.mkdir()
    # one new unit per old district (staffing does not check contiguity)
    u = units.sort_values("code")
    seats = u.groupby("parent_code")["code"].first()
    plan = pd.DataFrame({"code": u["code"], "new_unit": "N" + u["parent_code"].astype(str)})
    plan["seat_code"] = u["parent_code"].map(seats).to_numpy()
    plan.to_csv(d / "plan.csv", index=False)
    (d / "scenario.toml").write_text(
        'dataset = "phu_tho_2023"\n[rules]\nname = "nq76_2025"\n', encoding="utf-8"
    )
    out = tmp_path / "out76"
    code = main(["staffing", str(d), "--out", str(out), "--charts", "0",
                 "--cost", "seat_relocation_vnd=1000000000"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert "mô hình 2025" in printed and "Điều 11 khoản 2" in printed and "hạn 2030" in printed
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["structure"] == "2025" and s["plan_ruleset"] == "nq76_2025" and s["staff_cap"] is True
    assert s["deadline_year"] == 2030 and s["redeployed"] == 0
    assert s["surplus_now"] > 0 and 0 <= s["surplus_year5"] <= s["surplus_now"]
    assert s["departures_needed"] == s["leavers"] == s["surplus_year5_after_redeployment"]
    assert s["covered_staff"] + s["not_covered_staff"] == s["staff_before"]
    assert sum(c["staff"] for c in s["coverage"]) == s["staff_before"]
    assert {c["group"] for c in s["coverage"] if not c["covered"]} >= {"Mặt trận Tổ quốc và các đoàn thể"}
    n_reduced = s["n_units"] - s["n_new_units"]
    assert s["central_support_vnd"] == n_reduced * 500_000_000
    assert s["cost_relocation_vnd"] == n_reduced * 1_000_000_000
    assert (
        s["cost_one_off_vnd"]
        == s["cost_packages_vnd"] + s["cost_salary_retention_vnd"] + s["cost_relocation_vnd"]
    )
    assert s["savings_per_year_vnd"] > 0 and s["cost_packages_vnd"] > 0
    params = pd.read_csv(out / "cost_parameters.csv")
    assert (params.loc[~params["flagged"], "source"].fillna("") != "").all()
    with pd.ExcelFile(out / "staffing.xlsx") as xf:
        assert "Chi_phi" in xf.sheet_names
    costs = pd.read_csv(out / "costs.csv", dtype={"new_unit": str})
    assert len(costs) == s["n_new_units"] and costs["leavers"].sum() == s["leavers"]
    nu = pd.read_csv(out / "new_units.csv", dtype={"new_unit": str})
    assert nu["cap_art11_2"].sum() == s["covered_staff"]  # cap = members' staff under the norm
    # the transition model: the cap until the deadline, the norm from it
    proj = pd.read_csv(out / "projection.csv", dtype={"new_unit": str})
    cb = proj[proj["group"] == "cb_cc"]
    y0 = cb[cb["year_index"] == 0].set_index("new_unit")["staff"]
    early = cb[cb["year_index"] < 5]
    assert (early["allowed"].to_numpy() == early["new_unit"].map(y0).to_numpy()).all()
    assert (early["over_allowed"] == 0).all()
    last = cb[cb["year_index"] == 5]
    assert (last["allowed"] == last["quota"]).all()
    assert last["over_allowed_after_redeployment"].sum() == s["departures_needed"]


def test_cli_save_and_scenario_attach_staffing_to_the_workspace(plan_dir, tmp_path, capsys):
    from sapxep.scenarios.analysis.compare import scenario_metrics
    from sapxep.scenarios.workspace.store import Workspace

    ws = tmp_path / "ws.gpkg"
    base = ["--charts", "0", "--workspace", str(ws)]
    assert main(["staffing", str(plan_dir), "--out", str(tmp_path / "a"), "--save", "A", *base]) == 0
    assert "đã lưu phương án 'A'" in capsys.readouterr().out
    tables = Workspace(ws).load("A").tables
    s = dict(zip(tables["staffing_summary"]["key"], tables["staffing_summary"]["value"], strict=True))
    assert s["structure"] == "2023" and "new_unit" in tables["staffing_new_units"].columns
    # the name is checked before any work
    assert main(["staffing", str(plan_dir), "--out", str(tmp_path / "b"), "--save", "A", *base]) == 2
    assert "--replace" in capsys.readouterr().err
    # run again on the saved scenario, with the 2025 structure: the results replace the old ones
    again = ["staffing", "--scenario", "A", "--out", str(tmp_path / "c"), "--structure", "2025", *base]
    assert main(again) == 0
    assert "đã lưu kết quả cán bộ vào phương án 'A'" in capsys.readouterr().out
    t2 = Workspace(ws).load("A").tables
    s2 = dict(zip(t2["staffing_summary"]["key"], t2["staffing_summary"]["value"], strict=True))
    assert s2["structure"] == "2025" and s2["plan_ruleset"] == "nq35_2023"
    m = scenario_metrics(Workspace(ws), "A")
    assert m["cost_one_off_vnd"] == pytest.approx(float(s2["cost_one_off_vnd"]))
    # bad combinations are refused with exit code 2
    assert main(["staffing", str(plan_dir), "--scenario", "A", *base]) == 2
    assert main(["staffing", "--scenario", "nope", *base]) == 2
    assert "saved scenarios: A" in capsys.readouterr().err
