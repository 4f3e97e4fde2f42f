"""The ensemble sheet of the Excel appendix: a plan's percentiles, its rare groupings, the map.

:func:`ensemble_sheet_writer` returns a writer for the ``extra_sheets`` of
:func:`sapxep.scenarios.export.excel.write_dossier_xlsx`; :func:`add_ensemble_sheet` writes the
sheet into any workbook.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook import Workbook

from sapxep.scenarios.analysis.ensemble import EnsembleReport
from sapxep.scenarios.messages import metric_label, tr

logger = logging.getLogger(__name__)

_HEAD = PatternFill("solid", fgColor="DDE6F0")
_RARE = PatternFill("solid", fgColor="FBE3D6")


def _header(ws: Any, row: int, values: list[str]) -> None:
    for j, v in enumerate(values, start=1):
        c = ws.cell(row=row, column=j, value=v)
        c.font, c.fill = Font(bold=True), _HEAD
        c.alignment = Alignment(wrap_text=True, vertical="center")


def add_ensemble_sheet(
    wb: Workbook, report: EnsembleReport, *, lang: str = "vi", with_map: bool = True
) -> Any:
    """Add the ensemble sheet to a workbook.

    Parameters
    ----------
    wb : openpyxl.Workbook
    report : EnsembleReport
        From :func:`sapxep.scenarios.analysis.ensemble.ensemble_report`.
    lang : {"vi", "en"}
    with_map : bool
        Embed the co-assignment map (PNG) to the right of the tables.

    Returns
    -------
    openpyxl.worksheet.worksheet.Worksheet
    """
    ws = wb.create_sheet(tr("ens_sheet", lang)[:31])
    ws.cell(row=1, column=1, value=tr("ens_title", lang, name=report.name, n=report.n_plans)).font = Font(
        bold=True, size=12
    )
    ws.cell(row=2, column=1, value=tr("ens_note", lang, n=report.n_plans)).alignment = Alignment(
        wrap_text=True
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=6)
    ws.row_dimensions[2].height = 48
    row = 4
    _header(ws, row, [tr(k, lang) for k in ("ens_metric", "ens_value", "ens_p5", "ens_p50", "ens_p95",
                                            "ens_percentile")])  # fmt: skip
    for key, r in report.percentiles.iterrows():
        row += 1
        vals = [metric_label(str(key), lang), r["value"], r["p5"], r["p50"], r["p95"], r["percentile"]]
        for j, v in enumerate(vals, start=1):
            ws.cell(row=row, column=j, value=float(v) if j > 1 else v)
    row += 2
    ws.cell(row=row, column=1, value=tr("ens_groups_title", lang)).font = Font(bold=True)
    row += 1
    _header(ws, row, [tr(k, lang) for k in ("ens_new_unit", "ens_members", "ens_n_members", "ens_frequency",
                                            "ens_weakest", "ens_rare")])  # fmt: skip
    names = dict(zip(report.units["code"].astype(str), report.units["name"].astype(str), strict=True))
    for g in report.groups.itertuples(index=False):
        row += 1
        members = ", ".join(names.get(c, c) for c in g.members.split(";"))
        vals = [g.new_unit, members, int(g.n_members), float(g.frequency),
                None if g.weakest_pair is None or g.weakest_pair != g.weakest_pair else float(g.weakest_pair),
                tr("ens_yes" if g.rare else "ens_no", lang)]  # fmt: skip
        for j, v in enumerate(vals, start=1):
            c = ws.cell(row=row, column=j, value=v)
            if g.rare:
                c.fill = _RARE
    for col, width in zip("ABCDEF", (34, 48, 12, 14, 16, 12), strict=True):
        ws.column_dimensions[col].width = width
    if with_map:
        from sapxep.scenarios.export.ensemble_map import coassignment_figure, figure_png

        fig = coassignment_figure(report.units, report.pairs, report.stability, plan=report.plan,
                                  n_plans=report.n_plans, lang=lang)  # fmt: skip
        img = Image(io.BytesIO(figure_png(fig, dpi=110)))
        ws.add_image(img, "H4")
    logger.info("ensemble sheet: %d metrics, %d new units", len(report.percentiles), len(report.groups))
    return ws


def ensemble_sheet_writer(
    report: EnsembleReport, *, with_map: bool = True
) -> Callable[[Workbook, str], None]:
    """A writer for ``extra_sheets`` of :func:`~sapxep.scenarios.export.excel.write_dossier_xlsx`."""

    def write(wb: Workbook, lang: str) -> None:
        add_ensemble_sheet(wb, report, lang=lang, with_map=with_map)

    return write
