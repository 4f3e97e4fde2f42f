"""Excel exports: the merger-dossier appendix of a scenario and the comparison workbook.

The appendix follows the layout of the tables attached to a merger dossier (phụ lục đề
án): for each new unit a bold row with its name, total natural area and population and
their percentage of the criteria it must meet, then one row per member unit with its own
area, population and percentage of its own standard before the merger; the seat is
marked; a grand total closes the table. Sheets: appendix, arranged units only, lineage,
metrics (and costs when staffing results exist).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sapxep.scenarios.analysis.metrics import METRIC_KEYS, new_unit_table
from sapxep.scenarios.messages import format_number, label, metric_label

logger = logging.getLogger(__name__)

DEFAULT_RULESET = None  # None: the ruleset in force for the units' state (see _ruleset)
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


def _ruleset(ruleset: Any, units: pd.DataFrame) -> Any:
    """The Ruleset: a name or file loaded; None = the one in force for the units' state."""
    from sapxep.scenarios.run.assess import default_rules_for
    from sapxep.units.rules import load_ruleset

    ruleset = default_rules_for(units) if ruleset is None else ruleset
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

    rs = _ruleset(ruleset, units)
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


def unit_status(row: Mapping[str, Any], lang: str = "vi") -> str:
    """Return the assessment of one new unit against the criteria it must meet.

    A unit that meets both criteria is "Đạt" even when the ruleset would waive them (a
    merger of enough units); the waiver is named only for a unit below a criterion.
    """
    n = int(row.get("n_members", 1) or 1)
    low_pop, low_area = bool(row.get("below_population")), bool(row.get("below_area"))
    if not (low_pop or low_area):
        return label("unchanged" if n < 2 else "meets", lang)
    if bool(row.get("waived", False)) and n >= 2:
        return label("waived_below", lang)
    if n < 2 and not (row.get("fails_population") or row.get("fails_area")):
        return label("unchanged", lang)
    key = "fails_both" if (low_pop and low_area) else ("fails_population" if low_pop else "fails_area")
    return label(key, lang)


def _with_shortfalls(table: pd.DataFrame) -> pd.DataFrame:
    """Add ``below_population``/``below_area``: under the criterion, waiver or not."""
    t = table.copy()
    pop_min = pd.to_numeric(t.get("population_min"), errors="coerce")
    area_min = pd.to_numeric(t.get("area_min_km2"), errors="coerce")
    t["below_population"] = pop_min.notna() & (pop_min > 0) & (t["population"] < pop_min)
    t["below_area"] = area_min.notna() & (area_min > 0) & (t["area_km2"] < area_min - 1e-9)
    return t


def _standard_text(row: Mapping[str, Any], lang: str) -> str:
    pop_min = pd.to_numeric(row.get("population_min"), errors="coerce")
    area_min = float(pd.to_numeric(row.get("area_min_km2"), errors="coerce"))
    if pd.isna(pop_min) or not pop_min:
        return ""
    return (
        f"{format_number(float(pop_min), 0, lang)} {label('people', lang)} / "
        f"{format_number(area_min, 0 if area_min.is_integer() else 1, lang)} km²"
    )


def _title_rows(ws: Worksheet, title: str, subtitle: str, note: str, ncol: int) -> None:
    for r, (text, font) in enumerate(((title, Font(bold=True, size=13)), (subtitle, Font(italic=True)),
                                      (note, Font(size=9, italic=True))), start=1):  # fmt: skip
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        c = ws.cell(row=r, column=1, value=text)
        c.font = font
        c.alignment = Alignment(horizontal="center" if r < 3 else "left", wrap_text=True)
    ws.row_dimensions[3].height = 30


def _write_row(ws: Worksheet, r: int, vals: Sequence[Any], *, bold: bool = False, fill: Any = None) -> None:
    for j, v in enumerate(vals, start=1):
        c = ws.cell(row=r, column=j, value=v)
        c.border = _BORDER
        if bold:
            c.font = Font(bold=True)
        if fill is not None:
            c.fill = fill


def _number_formats(ws: Worksheet, first: int, last: int, cols: dict[int, str]) -> None:
    """Number formats by column (1-based); Excel shows the separators of the reader's locale."""
    for row_cells in ws.iter_rows(min_row=first, max_row=last):
        for j, fmt in cols.items():
            row_cells[j - 1].number_format = fmt


def _ruleset_note(rs_obj: Any, lang: str) -> str:
    from sapxep.scenarios.messages import display_name

    note = f"{label('ruleset', lang)}: {display_name('ruleset', rs_obj.name, lang)} — {rs_obj.title}"
    notes = rs_obj.notes if lang == "vi" else (rs_obj.notes_en or rs_obj.notes)
    if rs_obj.new_unit.is_assumption and notes:
        note += f". {notes[0]}"
    return note


def _appendix_sheet(ws: Worksheet, table: pd.DataFrame, members: pd.DataFrame, n_units: int,
                    scenario: str, rs_obj: Any, lang: str) -> None:  # fmt: skip
    """The appendix: a bold row per new unit, then its members; a grand total."""
    ncol = 10
    _title_rows(ws, label("dossier_title", lang), label("draft", lang, name=scenario),
                _ruleset_note(rs_obj, lang), ncol)  # fmt: skip
    heads = [
        label("stt", lang), label("code", lang),
        f"{label('new_name', lang)} / {label('members', lang)}",
        label("area_km2", lang), label("area_pct", lang),
        label("population", lang), label("population_pct", lang),
        label("seat", lang), label("standard", lang), label("status", lang),
    ]  # fmt: skip
    hr = 4
    _header(ws, hr, heads)
    ws.row_dimensions[hr].height = 48  # wrapped headers on three lines
    r = hr + 1
    for k, (g, row) in enumerate(table.iterrows(), start=1):
        vals = [k, g, row["name"], _num(row["area_km2"]), _num(row.get("area_pct")),
                _num(row["population"]), _num(row.get("population_pct")), row["seat_name"],
                _standard_text(row, lang), unit_status(row, lang)]  # fmt: skip
        _write_row(ws, r, vals, bold=True, fill=_GROUP_FILL)
        r += 1
        for code in str(row["members"]).split(";"):
            m = members.loc[code]
            vals = ["", code, "    " + m["name"], _num(m["area_km2"]), _num(m["area_pct"]),
                    _num(m["population"]), _num(m["population_pct"]),
                    "x" if m["is_seat"] else "", "", label("before", lang)]  # fmt: skip
            _write_row(ws, r, vals)
            r += 1
    total = ["", "", f"{label('total', lang)}: {n_units} → {len(table)}", _num(members["area_km2"].sum()),
             None, _num(members["population"].sum()), None, "", "", ""]  # fmt: skip
    _write_row(ws, r, total, bold=True)
    _number_formats(ws, hr + 1, r, {4: "#,##0.00", 5: "0.0", 6: "#,##0", 7: "0.0"})
    _widths(ws, [6, 9, 34, 12, 12, 12, 12, 22, 20, 22])
    ws.freeze_panes = ws.cell(row=hr + 1, column=1)
    _setup_print(ws, f"{hr}:{hr}")


def _arranged_sheet(ws: Worksheet, table: pd.DataFrame, names: Mapping[str, str], lang: str) -> None:
    """The compact list: only new units formed from two or more units, one row each."""
    heads = [label("stt", lang), label("new_name", lang), label("members", lang), label("area_km2", lang),
             label("population", lang), label("seat", lang), label("status", lang)]  # fmt: skip
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    ws.cell(row=1, column=1, value=label("arranged_title", lang)).font = Font(bold=True, size=13)
    _header(ws, 2, heads)
    ws.row_dimensions[2].height = 32
    arranged = table[table["n_members"].astype(int) >= 2]
    for i, (_g, row) in enumerate(arranged.iterrows(), start=1):
        members = ", ".join(names.get(c, c) for c in str(row["members"]).split(";"))
        _write_row(ws, i + 2, [i, row["name"], members, _num(row["area_km2"]), _num(row["population"]),
                               row["seat_name"], unit_status(row, lang)])  # fmt: skip
        ws.cell(row=i + 2, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    _number_formats(ws, 3, len(arranged) + 2, {4: "#,##0.00", 5: "#,##0"})
    _widths(ws, [6, 24, 52, 12, 12, 20, 22])
    ws.freeze_panes = "A3"
    _setup_print(ws, "2:2")


def _lineage_sheet(ws: Worksheet, lineage: pd.DataFrame, lang: str) -> None:
    """Old → new codes with Vietnamese headers and values."""
    cols = list(lineage.columns)
    _header(ws, 1, [label(f"lineage_{c}", lang) for c in cols])
    for i, rec in enumerate(lineage.to_dict("records"), start=2):
        for j, c in enumerate(cols, start=1):
            v = rec[c]
            if c == "is_seat":
                v = "x" if v else ""
            elif c == "relation":
                v = label(f"relation_{v}", lang)
            ws.cell(row=i, column=j, value=_num(v))
    _widths(ws, [10, 26, 22, 12, 26, 12, 10, 10, 22])
    ws.freeze_panes = "A2"
    _setup_print(ws, "1:1")


def _metrics_sheet(ws: Worksheet, metrics: Mapping[str, Any], scenario: str, lang: str) -> None:
    from sapxep.scenarios.messages import display_name

    _header(ws, 1, [label("metric", lang), scenario or label("scenario", lang)])
    i = 2
    for key in METRIC_KEYS:
        if key in metrics:
            v = metrics[key]
            v = display_name("ruleset", v, lang) if key == "ruleset" else _num(v)
            ws.cell(row=i, column=1, value=metric_label(key, lang))
            c = ws.cell(row=i, column=2, value=v)
            if isinstance(v, float):
                c.number_format = "#,##0.00"
            elif isinstance(v, int):
                c.number_format = "#,##0"
            i += 1
    _widths(ws, [52, 22])


#: A function that adds a sheet to the appendix workbook (``workbook, lang``): the hook
#: for other tables (e.g. an ensemble sheet) without touching this module.
SheetWriter = Callable[[Workbook, str], None]


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
    extra_sheets: Sequence[SheetWriter] = (),
) -> Path:
    """Write the appendix workbook of a plan.

    Sheets: the appendix (every new unit and its members), the arranged units only (one
    row each), the old → new lineage, the metrics, the cost table when staffing results are
    given, then ``extra_sheets``.

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
        Standards for the percentages (default: the ruleset in force for the units' state).
    metrics : dict, optional
        Written to the metrics sheet.
    lineage : DataFrame, optional
        Written to the lineage sheet (:func:`sapxep.scenarios.export.gis.lineage_table`).
    new_units : GeoDataFrame, optional
        Dissolved new units (dissolved here when omitted).
    staffing_tables : mapping, optional
        The scenario's saved staffing tables (for the cost sheet).
    extra_sheets : sequence of callables, optional
        Each called as ``writer(workbook, lang)`` after the built-in sheets.

    Returns
    -------
    pathlib.Path
    """
    out = Path(out)
    table, members = dossier_tables(units, plan, ruleset=ruleset, new_units=new_units)
    table = _with_shortfalls(table)
    wb = Workbook()
    ws = wb.active
    ws.title = label("sheet_appendix", lang)
    _appendix_sheet(ws, table, members, len(units), scenario, _ruleset(ruleset, units), lang)
    names = dict(zip(members.index, members["name"], strict=True))
    _arranged_sheet(wb.create_sheet(label("sheet_arranged", lang)), table, names, lang)
    if lineage is not None:
        _lineage_sheet(wb.create_sheet(label("sheet_lineage", lang)), lineage, lang)
    if metrics:
        _metrics_sheet(wb.create_sheet(label("sheet_metrics", lang)), metrics, scenario, lang)
    if staffing_tables:  # cost and savings sheet (scenarios/export/costs.py)
        from sapxep.scenarios.analysis.compare import _staffing_summary
        from sapxep.scenarios.export.costs import add_cost_sheet

        tabs = dict(staffing_tables)
        add_cost_sheet(wb, _staffing_summary(tabs), tabs.get("staffing_cost_parameters"), lang=lang)
    for writer in extra_sheets:
        writer(wb, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    logger.info("wrote dossier appendix %s (%d new units)", out, len(table))
    return out


def export_dossier_xlsx(
    workspace: Any, name: str, out: str | Path, *, lang: str = "vi", extra_sheets: Sequence[SheetWriter] = ()
) -> Path:
    """Write the appendix workbook of a saved scenario (see :func:`write_dossier_xlsx`).

    The metrics use the same ruleset as the appendix, so the must-arrange rows are filled
    for imported scenarios too.
    """
    from sapxep.scenarios.analysis.compare import scenario_metrics
    from sapxep.scenarios.export.gis import lineage_table
    from sapxep.scenarios.run.assess import default_rules_for

    sc = workspace.load(name)
    units = workspace.units(sc.info.dataset)
    rs = sc.info.ruleset or default_rules_for(units, dataset=sc.info.dataset)
    return write_dossier_xlsx(
        units, sc.plan, out, scenario=name, lang=lang, ruleset=rs,
        metrics=scenario_metrics(workspace, name, ruleset=rs), lineage=lineage_table(units, sc.plan),
        new_units=sc.new_units, staffing_tables=sc.tables, extra_sheets=extra_sheets,
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


def _diff_header(col: str, names: tuple[str, str], lang: str) -> str:
    """Header of a pairwise-difference column (``new_unit_<scenario>`` -> "Đơn vị mới (<scenario>)")."""
    for base in ("new_unit", "new_name", "members"):
        for n in names:
            if col == f"{base}_{n}":
                return f"{label(base, lang)} ({n})"
    return label(f"diff_{col}", lang) if col in ("code", "name", "joined", "left") else col


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
            if key == "ruleset" and isinstance(v, str):
                from sapxep.scenarios.messages import display_name

                v = display_name("ruleset", v, lang)
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
        _header(wd, 1, [_diff_header(str(c), (a, b), lang) for c in cols])
        for i, rec in enumerate(diff.itertuples(index=False), start=2):
            for j, v in enumerate(rec, start=1):
                wd.cell(row=i, column=j, value=_num(v))
        _widths(wd, [9, 24] + [16] * (len(cols) - 2))
        wd.freeze_panes = "C2"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
