"""Excel appendix and Word draft: read the files back."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from sapxep.scenarios.export import export_scenario
from sapxep.scenarios.export.docx import export_docx
from sapxep.scenarios.run.staffing import run_staffing
from sapxep.scenarios.workspace.importing import import_scenario
from sapxep.scenarios.workspace.staffing_tables import staffing_tables
from sapxep.scenarios.workspace.store import Workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    w = Workspace(tmp_path_factory.mktemp("docs") / "ws.gpkg")
    import_scenario(w, "NQ 828", dataset="phu_tho_2019", ruleset="nq35_2023", author="Tổ công tác")
    return w


def test_xlsx_dossier_round_trip(ws: Workspace, tmp_path: Path) -> None:
    out = export_scenario(ws, "NQ 828", "xlsx", tmp_path / "phu_luc.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Phụ lục", "Đơn vị sắp xếp", "Mã cũ - mới", "Chỉ tiêu"]
    sh = wb["Phụ lục"]
    assert sh["A1"].value.startswith("PHỤ LỤC")
    assert "NQ 828" in sh["A2"].value and "«" not in sh["A2"].value
    header = [c.value for c in sh[4]]
    assert header[:7] == ["STT", "Mã", "Tên đơn vị mới / Các đơn vị hợp thành",
                          "Diện tích tự nhiên (km²)", "Diện tích so với tiêu chuẩn (%)",
                          "Quy mô dân số (người)", "Dân số so với tiêu chuẩn (%)"]  # fmt: skip
    rows = list(sh.iter_rows(min_row=5, values_only=True))
    units = ws.units("phu_tho_2019").set_index("code")
    # the new unit Phường Hùng Vương: a group row, then its two members; the seat is marked
    i = next(k for k, r in enumerate(rows) if r[1] == "07942" and r[0] is not None)
    group, m1, m2 = rows[i], rows[i + 1], rows[i + 2]
    assert group[2] == "Phường Hùng Vương"
    assert {m1[1], m2[1]} == {"07939", "07942"}
    assert group[5] == units.loc["07939", "population"] + units.loc["07942", "population"]
    assert group[3] == pytest.approx(m1[3] + m2[3])
    seat_row = m1 if m1[1] == "07942" else m2
    assert seat_row[7] == "x"
    assert group[6] is not None and group[6] > 0  # % of the new unit's criteria
    assert group[9] in ("Đạt", "Chưa đạt dân số", "Chưa đạt diện tích", "Chưa đạt dân số và diện tích",
                        "Chưa đạt, thuộc trường hợp không bắt buộc đạt tiêu chuẩn")  # fmt: skip
    group_rows = [r for r in rows if isinstance(r[0], int)]
    member_rows = [r for r in rows if r[0] is None and r[1]]
    assert len(group_rows) == 225 and len(member_rows) == 277
    total = rows[-1]
    assert total[2] == "Tổng cộng: 277 → 225"
    assert total[5] == int(units["population"].sum())
    lin = list(wb["Mã cũ - mới"].iter_rows(min_row=2, values_only=True))
    assert len(lin) == 277
    assert next(r for r in lin if r[0] == "07939")[3] == "07942"
    heads = [c.value for c in wb["Mã cũ - mới"][1]]
    assert heads[:2] == ["Mã ĐVHC cũ", "Tên ĐVHC cũ"] and "relation" not in heads
    assert {r[-1] for r in lin} <= {"Giữ nguyên", "Nhập, đặt trụ sở đơn vị mới", "Nhập vào đơn vị mới"}
    # the compact sheet: only the new units formed from two or more units, one row each
    arranged = [r for r in wb["Đơn vị sắp xếp"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert len(arranged) == 26  # the 26 new units of NQ 828 formed by a merger
    assert next(r for r in arranged if r[1] == "Phường Hùng Vương")[2].count(",") == 1
    metrics = dict(wb["Chỉ tiêu"].iter_rows(min_row=2, values_only=True))
    assert metrics["Số đơn vị sau sắp xếp"] == 225
    assert metrics["Đơn vị thuộc diện phải sắp xếp"] is not None  # filled for an imported scenario
    en = openpyxl.load_workbook(export_scenario(ws, "NQ 828", "xlsx", tmp_path / "en.xlsx",
                                                lang="en"))  # fmt: skip
    assert en.sheetnames[0] == "Appendix"
    assert en["Appendix"]["A1"].value.startswith("APPENDIX")


def test_unit_status_names_the_waiver_only_below_a_criterion() -> None:
    """A merged unit meeting both criteria is "Đạt" even where the ruleset would waive them."""
    from sapxep.scenarios.export.excel import unit_status

    base = {"n_members": 3, "waived": True, "below_population": False, "below_area": False}
    assert unit_status(base) == "Đạt"
    assert unit_status({**base, "below_area": True}) == (
        "Chưa đạt, thuộc trường hợp không bắt buộc đạt tiêu chuẩn"
    )
    assert unit_status({**base, "waived": False, "below_area": True, "below_population": True}) == (
        "Chưa đạt dân số và diện tích"
    )
    assert unit_status({**base, "waived": False, "below_population": True}, "en") == (
        "Below the population criterion"
    )
    assert unit_status({"n_members": 1, "below_population": True}) == "Giữ nguyên"


@pytest.mark.slow
def test_docx_round_trip_with_staffing(ws: Workspace, tmp_path: Path) -> None:
    out = export_scenario(ws, "NQ 828", "docx", tmp_path / "de_an.docx")
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP XÃ CỦA TỈNH PHÚ THỌ" in text
    assert "Phương án sắp xếp 277 đơn vị hành chính cấp xã thành 225 đơn vị" in text
    assert "Chưa có kết quả tính toán cán bộ" in text
    assert "«" not in text
    assert "- Số đơn vị mới vượt ranh giới cấp huyện cũ: " in text  # impact, from the metrics
    assert "xa nhất" in text and "km" in text
    # Decree 30/2020 layout: national heading, issuing body, number, margins, font, page numbers
    head = d.tables[0]
    left, right = (c.text for c in head.rows[0].cells)
    assert "ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ" in left and "/ĐA-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    sec = d.sections[0]
    assert round(sec.left_margin.cm, 1) == 3.0 and round(sec.right_margin.cm, 1) == 1.5
    assert 2.0 <= round(sec.top_margin.cm, 1) <= 2.5
    assert d.styles["Normal"].font.name == "Times New Roman" and d.styles["Normal"].font.size.pt == 14
    assert sec.different_first_page_header_footer
    assert "PAGE" in sec.header._element.xml
    # legal basis of the scenario's ruleset (NQ 35/2023) and the dossier's parts
    assert "Nghị quyết số 35/2023/UBTVQH15 ngày 12/7/2023" in text
    for part in ("Phần I", "Phần II", "Phần III", "Phần IV", "PHỤ LỤC", "TM. ỦY BAN NHÂN DÂN"):
        assert part in text or any(part in c.text for t in d.tables for r in t.rows for c in r.cells)
    facts, summary, changes = d.tables[1], d.tables[2], d.tables[3]
    assert facts.rows[3].cells[1].text == "Tổ công tác"
    summary_rows = {r.cells[0].text: r.cells[1].text for r in summary.rows}
    assert summary_rows["Số đơn vị sau sắp xếp"] == "225"
    assert summary_rows["Số đơn vị trước sắp xếp"] == "277"
    change_rows = [[c.text for c in r.cells] for r in changes.rows[1:]]
    merged = ws.load("NQ 828").new_units.query("n_members >= 2")
    assert len(change_rows) == len(merged) == 26
    hv = next(r for r in change_rows if r[1] == "Phường Hùng Vương (07942)")
    assert "Phường Trường Thịnh (07939)" in hv[2]
    assert len(d.inline_shapes) == 1  # the map
    appendix = [[c.text for c in r.cells] for r in d.tables[-1].rows[1:]]
    assert len(appendix) == 26 and all(r[-1] for r in appendix)
    # attach real staffing results, then the draft has a staffing table
    res = run_staffing((ws.units("phu_tho_2019"), ws.plan("NQ 828")))
    ws.set_tables("NQ 828", staffing_tables(res))
    d2 = docx.Document(str(export_docx(ws, "NQ 828", tmp_path / "b.docx", map_labels=False)))
    staff = next({r.cells[0].text: r.cells[1].text for r in t.rows} for t in d2.tables
                 if t.rows[0].cells[0].text == "Chỉ tiêu" and "Số dôi dư khi sắp xếp" in
                 {r.cells[0].text for r in t.rows})  # fmt: skip
    before = f"{res.summary['staff_before']:,}".replace(",", ".")
    assert staff["Tổng số người trước sắp xếp"] == before
    covered = res.summary["covered_staff"]
    assert staff["Cán bộ, công chức thuộc định mức trước sắp xếp"] == f"{covered:,}".replace(",", ".")
    short = res.summary["deficit_now"]
    assert staff["Số chỗ còn thiếu so với định mức"] == f"{short:,}".replace(",", ".")
    assert staff["Số dôi dư khi sắp xếp"] == f"{res.summary['surplus_now']:,}".replace(",", ".")
    en = docx.Document(str(export_docx(ws, "NQ 828", tmp_path / "en.docx", lang="en", map_labels=False)))
    assert any("PROPOSAL FOR THE ARRANGEMENT" in p.text for p in en.paragraphs)
