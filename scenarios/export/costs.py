"""The cost and savings table of a scenario, for the Excel and Word exports.

Self-contained so the export layout can place it anywhere: :func:`cost_rows` gives the rows,
:func:`add_cost_sheet` writes a worksheet, :func:`add_cost_section` a Word section. The
numbers come from the staffing summary saved with the scenario
(:func:`sapxep.scenarios.run.staffing_outputs.stored_staffing_tables`), every coefficient from
its ``staffing_cost_parameters`` table (article, source, confidence).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

#: (summary key, Vietnamese label, English label, unit) in display order.
COST_ROWS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("departures_needed", "Số người phải nghỉ trước hạn đạt định mức (NQ 76/2025 Điều 11 khoản 3)",
     "Staff who must leave before the deadline (NQ 76/2025 Art. 11(3))", "người"),
    ("early_retirements", "— trong đó nghỉ hưu trước tuổi", "— of whom early retirement", "người"),
    ("resignations", "— trong đó thôi việc", "— of whom resignation", "người"),
    ("cost_packages_vnd", "Chính sách nghỉ (NĐ 178/2024, sửa đổi bởi NĐ 67/2025)",
     "Leave packages (Decree 178/2024 as amended by Decree 67/2025)", "đồng"),
    ("cost_salary_retention_vnd", "Giữ lương, phụ cấp chức vụ 6 tháng (NQ 76/2025 Điều 11 khoản 4)",
     "Salary and allowance kept 6 months (NQ 76/2025 Art. 11(4))", "đồng"),
    ("cost_relocation_vnd", "Chuyển trụ sở (tham số người dùng)", "Seat relocation (user parameter)", "đồng"),
    ("cost_one_off_vnd", "Tổng chi phí một lần", "Total one-off cost", "đồng"),
    ("central_support_vnd", "Ngân sách trung ương hỗ trợ (NQ 76/2025 Điều 15 khoản 2)",
     "Central budget support (NQ 76/2025 Art. 15(2))", "đồng"),
    ("net_one_off_vnd", "Chi phí một lần sau hỗ trợ", "Net one-off cost", "đồng"),
    ("posts_cut", "Biên chế giảm khi đạt định mức", "Posts cut once at the norm", "người"),
    ("savings_per_year_vnd", "Tiết kiệm tiền lương mỗi năm khi đạt định mức",
     "Yearly salary savings once at the norm", "đồng"),
    ("payback_years", "Số năm hoàn vốn", "Payback (years)", "năm"),
)  # fmt: skip

_TITLE = ("Chi phí và tiết kiệm (ước tính)", "Cost and savings (estimate)")
_PARAMS_TITLE = ("Hệ số tính chi phí và nguồn", "Cost coefficients and sources")
_FLAG_NOTE = (
    "Dòng đánh dấu * là giả định hoặc do người dùng nhập, chưa có căn cứ văn bản; "
    "thay bằng số liệu của địa phương.",
    "Rows marked * are assumptions or user inputs with no legal text behind them; "
    "replace them with local figures.",
)
_HEAD = (("Khoản mục", "Giá trị", "Đơn vị"), ("Item", "Value", "Unit"))
_PHEAD = (
    ("Hệ số", "Giá trị", "Đơn vị", "Căn cứ", "Độ tin cậy", "Nguồn"),
    ("Coefficient", "Value", "Unit", "Article", "Confidence", "Source"),
)


def _number(v: Any) -> float | None:
    x = pd.to_numeric(v, errors="coerce")
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return None
    return float(x)


def cost_rows(staffing: Mapping[str, Any] | None, *, lang: str = "vi") -> list[tuple[str, float | None, str]]:
    """Return ``(label, value, unit)`` for each cost line present in a staffing summary.

    Returns an empty list when the summary has no cost keys (a run before costs existed).
    """
    if not staffing or "cost_one_off_vnd" not in staffing:
        return []
    i = 0 if lang == "vi" else 1
    return [(row[1 + i], _number(staffing.get(row[0])), row[3]) for row in COST_ROWS if row[0] in staffing]


def _fmt(v: float | None, unit: str, lang: str) -> str:
    if v is None:
        return "—"
    if unit == "đồng":
        text = f"{v:,.0f}"
    elif unit == "năm":
        text = f"{v:,.2f}"
    else:
        text = f"{v:,.0f}"
    return text.replace(",", "\u00a0").replace(".", ",") if lang == "vi" else text


def _coef(v: float, lang: str) -> str:
    text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"
    return text.replace(",", "\u00a0").replace(".", ",") if lang == "vi" else text


def _source(row: Mapping[str, Any] | pd.Series, lang: str) -> str:
    """The coefficient's source in ``lang`` (the Vietnamese wording where the data has one)."""
    vi = row.get("source_vi", "") if lang == "vi" else ""
    vi = "" if vi is None or (isinstance(vi, float) and vi != vi) else str(vi)
    return vi or str(row.get("source", "") or "")


def _params_rows(parameters: pd.DataFrame | None, lang: str = "vi") -> list[list[str]]:
    if parameters is None or parameters.empty:
        return []
    raw = parameters.get("flagged", pd.Series(False, index=parameters.index))
    flagged = raw.astype(str).isin(["True", "true", "1"])
    return [
        [("* " if f else "") + str(r["label_vi"]), _coef(float(r["value"]), lang), str(r["unit"]),
         str(r["article"]), str(r.get("confidence_vi", r["confidence"]) if lang == "vi" else r["confidence"]),
         _source(r, lang)]
        for (_, r), f in zip(parameters.iterrows(), flagged, strict=True)
    ]  # fmt: skip


def cost_display(
    staffing: Mapping[str, Any] | None, parameters: pd.DataFrame | None, *, lang: str = "vi"
) -> tuple[dict[str, str], pd.DataFrame, pd.DataFrame]:
    """Return the texts, the cost lines and the coefficients as display tables (for the app).

    Returns
    -------
    tuple
        ``({"title", "params_title", "flag_note"} -> text, cost lines, coefficients)``; the
        tables have headers in ``lang`` and formatted values; both are empty when the summary has
        no cost lines.
    """
    i = 0 if lang == "vi" else 1
    texts = {"title": _TITLE[i], "params_title": _PARAMS_TITLE[i], "flag_note": _FLAG_NOTE[i]}
    rows = [(text, _fmt(v, unit, lang), unit) for text, v, unit in cost_rows(staffing, lang=lang)]
    lines = pd.DataFrame(rows, columns=list(_HEAD[i]))
    params = pd.DataFrame(_params_rows(parameters, lang) if rows else [], columns=list(_PHEAD[i]))
    return texts, lines, params


def add_cost_sheet(
    workbook: Any,
    staffing: Mapping[str, Any] | None,
    parameters: pd.DataFrame | None = None,
    *,
    lang: str = "vi",
) -> Any:
    """Add a "Chi phí" worksheet (cost lines, then every coefficient with its source).

    Parameters
    ----------
    workbook : openpyxl.Workbook
    staffing : mapping
        The staffing summary (``key -> value``) saved with the scenario.
    parameters : pandas.DataFrame, optional
        The ``staffing_cost_parameters`` table.
    lang : {"vi", "en"}

    Returns
    -------
    openpyxl worksheet or None
        None when the summary has no cost lines.
    """
    from openpyxl.styles import Font

    rows = cost_rows(staffing, lang=lang)
    if not rows:
        return None
    i = 0 if lang == "vi" else 1
    ws = workbook.create_sheet("Chi phí" if lang == "vi" else "Costs")
    ws.cell(row=1, column=1, value=_TITLE[i]).font = Font(bold=True, size=12)
    for j, h in enumerate(_HEAD[i], start=1):
        ws.cell(row=2, column=j, value=h).font = Font(bold=True)
    r = 3
    for text, value, unit in rows:
        ws.cell(row=r, column=1, value=text)
        ws.cell(row=r, column=2, value=value).number_format = "#,##0" if unit != "năm" else "0.00"
        ws.cell(row=r, column=3, value=unit)
        r += 1
    prm = _params_rows(parameters, lang)
    if prm:
        r += 1
        ws.cell(row=r, column=1, value=_PARAMS_TITLE[i]).font = Font(bold=True, size=12)
        ws.cell(row=r + 1, column=1, value=_FLAG_NOTE[i]).font = Font(italic=True)
        r += 2
        for j, h in enumerate(_PHEAD[i], start=1):
            ws.cell(row=r, column=j, value=h).font = Font(bold=True)
        for row in prm:
            r += 1
            for j, v in enumerate(row, start=1):
                ws.cell(row=r, column=j, value=v)
    for col, w in zip("ABCDEF", (62, 20, 14, 40, 14, 60), strict=True):
        ws.column_dimensions[col].width = w
    return ws


def add_cost_section(
    document: Any,
    staffing: Mapping[str, Any] | None,
    parameters: pd.DataFrame | None = None,
    *,
    lang: str = "vi",
    heading_level: int = 2,
) -> bool:
    """Add the cost and savings table (and the flagged coefficients) to a Word document.

    Returns
    -------
    bool
        True when a section was added (the summary has cost lines).
    """
    rows = cost_rows(staffing, lang=lang)
    if not rows:
        return False
    i = 0 if lang == "vi" else 1
    document.add_heading(_TITLE[i], level=heading_level)
    t = document.add_table(rows=1, cols=2)
    t.style = "Table Grid"
    t.rows[0].cells[0].text, t.rows[0].cells[1].text = _HEAD[i][0], _HEAD[i][1]
    for text, value, unit in rows:
        c = t.add_row().cells
        c[0].text, c[1].text = text, f"{_fmt(value, unit, lang)} {unit if lang == 'vi' else ''}".strip()
    flagged = [row for row in _params_rows(parameters, lang) if row[0].startswith("* ")]
    if flagged:
        document.add_paragraph(_FLAG_NOTE[i]).runs[0].italic = True
        for row in flagged:
            document.add_paragraph(f"{row[0][2:]}: {row[1]} {row[2]} ({row[3]})", style="List Bullet")
    return True
