"""Excel exports: the merger-dossier appendix of a scenario and the comparison workbook.

The appendix follows the layout of the tables attached to a merger dossier (phụ lục đề
án): for each new unit a bold row with its name, total natural area and population and
their percentage of the criteria it must meet, then one row per member unit with its own
area, population and percentage of its own standard before the merger; the seat is
marked; a grand total closes the table. Sheets: appendix, lineage, metrics.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sapxep.scenarios.analysis.metrics import METRIC_KEYS, new_unit_table
from sapxep.scenarios.i18n import label, metric_label

logger = logging.getLogger(__name__)

DEFAULT_RULESET = "nq35_2023"
_THIN = Side(style="thin", color="888888")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_GROUP_FILL = PatternFill("solid", fgColor="F3F3F3")
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _num(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _setup_print(ws: Worksheet, header_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    for j, v in enumerate(values, start=1):
        c = ws.cell(row=row, column=j, value=v)
        c.font = Font(bold=True)
        c.fill = _HEAD_FILL
        c.alignment = _WRAP
        c.border = _BORDER


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _ruleset(ruleset: Any) -> Any:
    from sapxep.units.rules import load_ruleset

    return load_ruleset(ruleset) if isinstance(ruleset, str) else ruleset


def dossier_tables(
    units: pd.DataFrame, plan: Any, *, ruleset: Any = DEFAULT_RULESET, new_units: Any = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the per-new-unit table and the per-member table behind the appendix.

    Returns
    -------
    (DataFrame, DataFrame)
        New units (:func:`sapxep.scenarios.analysis.metrics.new_unit_table` with criteria) and members
        (``code, name, new_unit, area_km2, population, area_pct, population_pct,
        is_seat``; percentages of each unit's own standard, from
        :func:`sapxep.units.assessment.assess_units`).
    """
    from sapxep.units.assessment import assess_units
    from sapxep.units.rules import load_ruleset

    rs = load_ruleset(ruleset) if isinstance(ruleset, str) else ruleset
    table = new_unit_table(units, plan, ruleset=rs, new_units=new_units)
    assessed = assess_units(pd.DataFrame(units.drop(columns="geometry", errors="ignore")), rs)
    members = pd.DataFrame(
        {
            "code": units["code"].astype(str).to_numpy(),
            "name": units["name"].astype(str).to_numpy(),
            "area_km2": units["area_km2"].astype(float).to_numpy(),
            "population": units["population"].astype(int).to_numpy(),
        }
    ).set_index("code", drop=False)
    members["new_unit"] = plan.assignment.astype(str).reindex(members.index).to_numpy()
    members["area_pct"] = assessed["area_pct"].reindex(members.index).astype(float)
    members["population_pct"] = assessed["population_pct"].reindex(members.index).astype(float)
    members["is_seat"] = [plan.seats.get(g) == c for c, g in zip(members.index, members["new_unit"],
                                                                 strict=True)]  # fmt: skip
    return table, members


def write_dossier_xlsx(
    units: pd.DataFrame,
    plan: Any,
    out: str | Path,
    *,
    scenario: str = "",
    lang: str = "vi",
    ruleset: Any = DEFAULT_RULESET,
    metrics: dict[str, Any] | None = None,
    lineage: pd.DataFrame | None = None,
    new_units: Any = None,
    staffing_tables: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write the appendix workbook of a plan.

    Parameters
    ----------
    units : GeoDataFrame
        Units table.
    plan : MergePlan
    out : path
        ``.xlsx`` file.
    scenario : str
        Scenario name (in the title).
    lang : {"vi", "en"}
    ruleset : str or Ruleset
        Standards for the percentages (default ``nq35_2023``).
    metrics : dict, optional
        Written to a ``metrics`` sheet.
    lineage : DataFrame, optional
        Written to a ``lineage`` sheet.

    Returns
    -------
    pathlib.Path
    """
    out = Path(out)
    table, members = dossier_tables(units, plan, ruleset=ruleset, new_units=new_units)
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục" if lang == "vi" else "Appendix"
    ncol = 10
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(row=1, column=1, value=label("dossier_title", lang)).font = Font(bold=True, size=13)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    ws.cell(row=2, column=1, value=label("draft", lang, name=scenario)).alignment = Alignment(
        horizontal="center"
    )
    ws.cell(row=2, column=1).font = Font(italic=True)
    rs_obj = _ruleset(ruleset)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncol)
    note = f"{label('ruleset', lang)}: {rs_obj.name} — {rs_obj.title}"
    notes = rs_obj.notes if lang == "vi" else (rs_obj.notes_en or rs_obj.notes)
    if rs_obj.new_unit.is_assumption and notes:
        note += f". {notes[0]}"
    ws.cell(row=3, column=1, value=note).font = Font(size=9, italic=True)
    ws.cell(row=3, column=1).alignment = Alignment(wrap_text=True)
    ws.row_dimensions[3].height = 30
    heads = [
        label("stt", lang), label("code", lang),
        f"{label('new_name', lang)} / {label('members', lang)}",
        label("area_km2", lang), label("area_pct", lang),
        label("population", lang), label("population_pct", lang),
        label("seat", lang), label("standard", lang), label("status", lang),
    ]  # fmt: skip
    hr = 4
    _header(ws, hr, heads)
    r = hr + 1
    for k, (g, row) in enumerate(table.iterrows(), start=1):
        pop_min, area_min = row.get("population_min"), row.get("area_min_km2")
        if bool(row.get("waived", False)):
            status = label("waived", lang)
        elif int(row["n_members"]) < 2 and not (row.get("fails_population") or
                                                row.get("fails_area")):  # fmt: skip
            status = label("unchanged", lang)
        else:
            bad = bool(row.get("fails_population")) or bool(row.get("fails_area"))
            status = label("fails" if bad else "meets", lang)
        std = ""
        if pop_min is not None and not pd.isna(pop_min):
            std = f"{int(pop_min):,} / {float(area_min):g} km²"
        vals = [k, g, row["name"], _num(row["area_km2"]), _num(row.get("area_pct")),
                _num(row["population"]), _num(row.get("population_pct")), row["seat_name"],
                std, status]  # fmt: skip
        for j, v in enumerate(vals, start=1):
            c = ws.cell(row=r, column=j, value=v)
            c.font = Font(bold=True)
            c.fill = _GROUP_FILL
            c.border = _BORDER
        r += 1
        for code in str(row["members"]).split(";"):
            m = members.loc[code]
            vals = ["", code, "    " + m["name"], _num(m["area_km2"]), _num(m["area_pct"]),
                    _num(m["population"]), _num(m["population_pct"]),
                    "x" if m["is_seat"] else "", "", label("before", lang)]  # fmt: skip
            for j, v in enumerate(vals, start=1):
                ws.cell(row=r, column=j, value=v).border = _BORDER
            r += 1
    total = [
        "", "", f"{label('total', lang)}: {len(units)} → {len(table)}",
        _num(members["area_km2"].sum()), None, _num(members["population"].sum()), None,
        "", "", "",
    ]  # fmt: skip
    for j, v in enumerate(total, start=1):
        c = ws.cell(row=r, column=j, value=v)
        c.font = Font(bold=True)
        c.border = _BORDER
    for row_cells in ws.iter_rows(min_row=hr + 1, max_row=r):
        row_cells[3].number_format = "#,##0.00"
        row_cells[4].number_format = "0.0"
        row_cells[5].number_format = "#,##0"
        row_cells[6].number_format = "0.0"
    _widths(ws, [6, 9, 34, 12, 12, 12, 12, 22, 18, 12])
    ws.freeze_panes = ws.cell(row=hr + 1, column=1)
    _setup_print(ws, f"{hr}:{hr}")
    if lineage is not None:
        wl = wb.create_sheet("Mã cũ - mới" if lang == "vi" else "Lineage")
        cols = list(lineage.columns)
        _header(wl, 1, [label(c, lang) if c in ("old_code", "old_name", "new_unit", "new_name",
                                                "seat_code") else c for c in cols])  # fmt: skip
        for i, rec in enumerate(lineage.itertuples(index=False), start=2):
            for j, v in enumerate(rec, start=1):
                wl.cell(row=i, column=j, value=_num(v))
        _widths(wl, [10, 26, 22, 10, 26, 10, 8, 10, 12])
        wl.freeze_panes = "A2"
        _setup_print(wl, "1:1")
    if metrics:
        wm = wb.create_sheet("Chỉ tiêu" if lang == "vi" else "Metrics")
        _header(wm, 1, [label("metric", lang), scenario or label("scenario", lang)])
        i = 2
        for key in METRIC_KEYS:
            if key in metrics:
                wm.cell(row=i, column=1, value=metric_label(key, lang))
                wm.cell(row=i, column=2, value=_num(metrics[key]))
                i += 1
        _widths(wm, [48, 18])
    if staffing_tables:  # cost and savings sheet (scenarios/export/costs.py)
        from sapxep.scenarios.analysis.compare import _staffing_summary
        from sapxep.scenarios.export.costs import add_cost_sheet

        tabs = dict(staffing_tables)
        add_cost_sheet(wb, _staffing_summary(tabs), tabs.get("staffing_cost_parameters"), lang=lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    logger.info("wrote dossier appendix %s (%d new units)", out, len(table))
    return out


def export_dossier_xlsx(workspace: Any, name: str, out: str | Path, *, lang: str = "vi") -> Path:
    """Write the appendix workbook of a saved scenario (see :func:`write_dossier_xlsx`)."""
    from sapxep.scenarios.analysis.compare import scenario_metrics
    from sapxep.scenarios.export.gis import lineage_table

    sc = workspace.load(name)
    units = workspace.units(sc.info.dataset)
    rs = sc.info.ruleset or DEFAULT_RULESET
    return write_dossier_xlsx(
        units, sc.plan, out, scenario=name, lang=lang, ruleset=rs,
        metrics=scenario_metrics(workspace, name), lineage=lineage_table(units, sc.plan),
        new_units=sc.new_units, staffing_tables=sc.tables,
    )  # fmt: skip


def _sheet_name(text: str, used: set[str]) -> str:
    bad = "[]:*?/\\"
    clean = "".join("-" if ch in bad else ch for ch in text)[:31] or "sheet"
    base, k = clean, 2
    while clean in used:
        suffix = f" ({k})"
        clean = base[: 31 - len(suffix)] + suffix
        k += 1
    used.add(clean)
    return clean


def write_comparison_xlsx(comparison: Any, out: str | Path, *, lang: str = "vi") -> Path:
    """Write a comparison (:func:`sapxep.scenarios.analysis.compare.compare_scenarios`) to a workbook.

    Sheets: metrics side by side, pairwise similarity (changed units, ARI, VI), and one
    sheet of changed units per pair of scenarios on the same dataset.

    Returns
    -------
    pathlib.Path
    """
    out = Path(out)
    wb = Workbook()
    used: set[str] = set()
    ws = wb.active
    ws.title = _sheet_name("So sánh" if lang == "vi" else "Comparison", used)
    names = list(comparison.names)
    ws.cell(row=1, column=1, value=label("sheet_title", lang)).font = Font(bold=True, size=13)
    _header(ws, 3, [label("metric", lang), *names])
    for i, key in enumerate(comparison.metrics.index, start=4):
        ws.cell(row=i, column=1, value=metric_label(key, lang)).border = _BORDER
        for j, n in enumerate(names, start=2):
            v = _num(comparison.metrics.loc[key, n])
            c = ws.cell(row=i, column=j, value=v)
            c.border = _BORDER
            if isinstance(v, float):
                c.number_format = "#,##0.00"
    _widths(ws, [46] + [20] * len(names))
    ws.freeze_panes = "B4"
    _setup_print(ws, "3:3")
    wp = wb.create_sheet(_sheet_name(label("similarity", lang), used))
    _header(wp, 1, [label("scenario", lang) + " A", label("scenario", lang) + " B",
                    label("n_changed", lang), label("ari", lang), label("vi_bits", lang)])  # fmt: skip
    for i, rec in enumerate(comparison.pairs.itertuples(index=False), start=2):
        for j, v in enumerate([rec.a, rec.b, rec.n_changed, rec.ari, rec.vi_bits], start=1):
            wp.cell(row=i, column=j, value=_num(v))
    _widths(wp, [24, 24, 22, 24, 26])
    for (a, b), diff in comparison.diffs.items():
        wd = wb.create_sheet(_sheet_name(f"{label('diff', lang)} {a} - {b}", used))
        cols = list(diff.columns)
        _header(wd, 1, cols)
        for i, rec in enumerate(diff.itertuples(index=False), start=2):
            for j, v in enumerate(rec, start=1):
                wd.cell(row=i, column=j, value=_num(v))
        _widths(wd, [9, 24] + [16] * (len(cols) - 2))
        wd.freeze_panes = "C2"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
