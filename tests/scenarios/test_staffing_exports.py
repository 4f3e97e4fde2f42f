"""Staffing costs saved with a scenario reach the comparison, the Excel appendix and the Word draft."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from sapxep.scenarios.analysis.compare import compare_scenarios, scenario_metrics
from sapxep.scenarios.export import export_scenario
from sapxep.scenarios.run.staffing import run_staffing
from sapxep.scenarios.workspace.importing import import_scenario
from sapxep.scenarios.workspace.staffing_tables import staffing_tables
from sapxep.scenarios.workspace.store import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict]:
    w = Workspace(tmp_path_factory.mktemp("costs") / "ws.gpkg")
    import_scenario(w, "NQ 828", dataset="phu_tho_2019", ruleset="nq35_2023", author="Tổ công tác")
    w.duplicate("NQ 828", "NQ 828 (2025)")
    res = run_staffing((w.units("phu_tho_2019"), w.plan("NQ 828")), plan_ruleset="nq76_2025")
    w.set_tables("NQ 828 (2025)", staffing_tables(res))
    return w, res.summary


def test_one_conversion_keeps_the_new_unit_id_and_costs(ws):
    w, summary = ws
    tables = w.load("NQ 828 (2025)").tables
    assert {"staffing_summary", "staffing_new_units", "staffing_costs", "staffing_cost_parameters",
            "staffing_coverage", "staffing_projection"} <= set(tables)  # fmt: skip
    nu = tables["staffing_new_units"]
    assert "new_unit" in nu.columns and nu["new_unit"].astype(str).is_unique
    assert set(nu["new_unit"].astype(str)) == set(w.plan("NQ 828").assignment.astype(str))
    s = dict(zip(tables["staffing_summary"]["key"], tables["staffing_summary"]["value"], strict=True))
    assert float(s["cost_one_off_vnd"]) == summary["cost_one_off_vnd"]
    assert float(s["staff_after"]) == summary["quota_after"]


def test_comparison_reads_staffing_and_cost_keys(ws):
    w, summary = ws
    m = scenario_metrics(w, "NQ 828 (2025)")
    for k in ("staff_before", "surplus_now", "surplus_year5", "cost_one_off_vnd",
              "central_support_vnd", "savings_per_year_vnd", "departures_needed"):  # fmt: skip
        assert m[k] == pytest.approx(float(summary[k]))
    c = compare_scenarios(w, ["NQ 828", "NQ 828 (2025)"])
    assert "cost_one_off_vnd" in c.metrics.index
    assert pd.isna(c.metrics.loc["cost_one_off_vnd", "NQ 828"])


def test_excel_and_word_have_the_cost_table(ws, tmp_path: Path):
    w, summary = ws
    wb = openpyxl.load_workbook(export_scenario(w, "NQ 828 (2025)", "xlsx", tmp_path / "a.xlsx"))
    assert "Chi phí" in wb.sheetnames
    rows = list(wb["Chi phí"].iter_rows(values_only=True))
    lines = {r[0]: r[1] for r in rows if r and r[0]}
    assert lines["Tổng chi phí một lần"] == summary["cost_one_off_vnd"]
    assert lines["Ngân sách trung ương hỗ trợ (NQ 76/2025 Điều 15 khoản 2)"] == summary["central_support_vnd"]
    assert any(str(r[3]).startswith("NQ 76/2025/UBTVQH15 Điều 15") for r in rows if r and len(r) > 3)
    plain = openpyxl.load_workbook(export_scenario(w, "NQ 828", "xlsx", tmp_path / "b.xlsx"))
    assert "Chi phí" not in plain.sheetnames
    d = docx.Document(str(export_scenario(w, "NQ 828 (2025)", "docx", tmp_path / "a.docx")))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Chi phí và tiết kiệm (ước tính)" in text and "giả định" in text
    key = "Ngân sách trung ương hỗ trợ (NQ 76/2025 Điều 15 khoản 2)"
    cost = next(
        c for c in ({r.cells[0].text: r.cells[-1].text for r in t.rows} for t in d.tables) if key in c
    )  # the cost table of part III (the appendix comes after it)
    expected = f"{summary['central_support_vnd']:,}".replace(",", "\u00a0") + " đồng"
    assert cost["Ngân sách trung ương hỗ trợ (NQ 76/2025 Điều 15 khoản 2)"] == expected
