"""Word draft (DOCX) of a merger proposal for a saved scenario.

Sections: title and scenario facts; I. summary (headline metrics); II. table of changes
(every new unit formed by a merger, with its members, area, population and seat);
III. the map; IV. staffing summary (from saved staffing results, if any).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from sapxep.scenarios.export.costs import add_cost_section
from sapxep.scenarios.i18n import label, metric_label
from sapxep.scenarios.messages import display_name

logger = logging.getLogger(__name__)

#: Metrics shown in the summary table, in order.
SUMMARY_KEYS: tuple[str, ...] = (
    "n_before", "n_after", "n_merged", "n_fail_population", "n_fail_area",
    "must_arrange_total", "must_arrange_resolved", "must_arrange_unresolved",
    "population_min", "population_median", "area_km2_min", "area_km2_median",
    "seat_distance_km_max", "n_cross_parent",
)  # fmt: skip
STAFFING_KEYS: tuple[str, ...] = ("staff_before", "staff_after", "surplus_now", "surplus_year5")


def _fmt(v: Any, lang: str) -> str:
    """Format a number: ``12.345`` / ``1.234,56`` in Vietnamese, ``12,345`` / ``1,234.56`` in English."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    s = f"{int(v):,}" if float(v).is_integer() else f"{float(v):,.2f}"
    return s.translate(str.maketrans(",.", ".,")) if lang == "vi" else s


def _table(doc: Any, header: list[str] | None, rows: list[list[str]], widths_cm: list[float]) -> Any:
    ncols = len(widths_cm)
    t = doc.add_table(rows=0, cols=ncols)
    t.style = "Table Grid"
    if header is not None:
        cells = t.add_row().cells
        for j, h in enumerate(header):
            cells[j].paragraphs[0].add_run(h).bold = True
    for r in rows:
        cells = t.add_row().cells
        for j, v in enumerate(r):
            cells[j].text = str(v)
    for row in t.rows:
        for j, w in enumerate(widths_cm):
            row.cells[j].width = Cm(w)
    return t


def _setup(doc: Any) -> None:
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "Times New Roman")


def write_proposal_docx(
    out: str | Path,
    *,
    name: str,
    info: Any,
    metrics: dict[str, Any],
    changes: pd.DataFrame,
    map_png: str | Path | None,
    staffing: dict[str, Any] | None,
    lang: str = "vi",
    notes: str = "",
    cost_parameters: pd.DataFrame | None = None,
) -> Path:
    """Write the DOCX draft from prepared parts (see :func:`export_docx`).

    Parameters
    ----------
    out : path
    name : str
        Scenario name.
    info : ScenarioInfo
    metrics : dict
        Comparison metrics of the scenario.
    changes : DataFrame
        New units formed by a merger: ``new_unit, name, members_text, area_km2,
        population, seat_name``.
    map_png : path, optional
        Map picture.
    staffing : dict, optional
        ``staff_before, staff_after, surplus_now, surplus_year5`` (and more).
    lang : {"vi", "en"}
    notes : str
        Extra text under the summary (e.g. import notes).
    cost_parameters : DataFrame, optional
        The scenario's ``staffing_cost_parameters`` table (the cost section lists the
        flagged coefficients from it).

    Returns
    -------
    pathlib.Path
    """
    doc = Document()
    _setup(doc)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(label("proposal_title", lang))
    r.bold = True
    r.font.size = Pt(15)
    p = doc.add_paragraph(label("draft", lang, name=name))
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.runs[0].italic = True
    facts = [
        [label("scenario", lang), name],
        [label("dataset", lang), info.dataset],
        [label("ruleset", lang), info.ruleset or metrics.get("ruleset") or "—"],
        [label("author", lang), info.author or "—"],
        [label("created", lang), info.created[:10]],
    ]
    _table(doc, None, facts, [5, 11])
    doc.add_heading(label("summary", lang), level=1)
    nb, na = int(metrics.get("n_before") or 0), int(metrics.get("n_after") or 0)
    level = str(metrics.get("level") or "commune")  # plans at --level district|province say so
    if lang == "vi":
        cap = display_name("level", level, "vi").lower()
        text = (
            f"Phương án sắp xếp {nb} đơn vị hành chính {cap} thành {na} đơn vị "
            f"(giảm {nb - na} đơn vị); {metrics.get('n_merged')} đơn vị mới được hình thành do "
            "nhập các đơn vị hiện có."
        )
    else:
        text = (
            f"The scenario arranges {nb} {level}-level units into {na} units "
            f"({nb - na} fewer); {metrics.get('n_merged')} new units are formed by merging."
        )
    doc.add_paragraph(text)
    if notes:
        doc.add_paragraph(notes).runs[0].italic = True
    rows = [[metric_label(k, lang), _fmt(metrics.get(k), lang)] for k in SUMMARY_KEYS
            if k in metrics]  # fmt: skip
    _table(doc, [label("metric", lang), label("scenario", lang)], rows, [11, 5])
    doc.add_heading(label("changes", lang), level=1)
    rows = [
        [str(i), f"{r.name} ({r.new_unit})", r.members_text, _fmt(float(r.area_km2), lang),
         _fmt(int(r.population), lang), r.seat_name]
        for i, r in enumerate(changes.itertuples(index=False), start=1)
    ]  # fmt: skip
    _table(doc, [label("stt", lang), label("new_unit", lang), label("members", lang),
                 label("area_km2", lang), label("population", lang), label("seat", lang)],
           rows, [1.0, 3.6, 5.4, 2.2, 2.2, 2.6])  # fmt: skip
    doc.add_heading(label("map", lang), level=1)
    if map_png is not None:
        doc.add_picture(str(map_png), width=Cm(16.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(label("staffing", lang), level=1)
    if staffing:
        rows = [[metric_label(k, lang), _fmt(staffing.get(k), lang)] for k in STAFFING_KEYS
                if staffing.get(k) is not None]  # fmt: skip
        _table(doc, [label("metric", lang), label("scenario", lang)], rows, [11, 5])
        if staffing.get("estimated_label"):
            doc.add_paragraph(str(staffing["estimated_label"])).runs[0].italic = True
        add_cost_section(doc, staffing, cost_parameters, lang=lang)  # scenarios/export/costs.py
    else:
        doc.add_paragraph(label("no_staffing", lang))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def export_docx(
    workspace: Any,
    name: str,
    out: str | Path,
    *,
    lang: str = "vi",
    map_dpi: int = 200,
    map_labels: bool = True,
) -> Path:
    """Write the Word draft of a saved scenario.

    Parameters
    ----------
    workspace : Workspace
    name : str
        Scenario name.
    out : path
        ``.docx`` file.
    lang : {"vi", "en"}
    map_dpi : int, default 200
        Resolution of the embedded map.
    map_labels : bool, default True
        Name the new units on the map (False is faster, for previews).

    Returns
    -------
    pathlib.Path
    """
    from sapxep.scenarios.analysis.compare import _staffing_summary, scenario_metrics
    from sapxep.scenarios.export.maps import plan_figure, save_figure

    sc = workspace.load(name)
    units = workspace.units(sc.info.dataset)
    metrics = scenario_metrics(workspace, name)
    names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    nu = sc.new_units
    merged = nu[nu["n_members"] >= 2].copy()
    merged["members_text"] = [
        ", ".join(f"{names.get(c, c)} ({c})" for c in str(m).split(";")) for m in merged["members"]
    ]
    changes = merged[["new_unit", "name", "members_text", "area_km2", "population", "seat_name"]]
    staffing = _staffing_summary(sc.tables)
    if staffing:
        staffing = {k: (pd.to_numeric(v, errors="coerce") if k in STAFFING_KEYS else v)
                    for k, v in staffing.items()}  # fmt: skip
        if pd.isna(staffing.get("staff_after", float("nan"))) and "quota_after" in staffing:
            staffing["staff_after"] = pd.to_numeric(staffing["quota_after"], errors="coerce")
        staffing = {k: (None if isinstance(v, float) and pd.isna(v) else
                        (v.item() if hasattr(v, "item") else v)) for k, v in staffing.items()}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "map.png"
        fig = plan_figure(units, nu, lang=lang, title=label("map_title", lang, name=name), labels=map_labels)
        save_figure(fig, png, dpi=map_dpi)
        path = write_proposal_docx(
            out, name=name, info=sc.info, metrics=metrics, changes=changes, map_png=png,
            staffing=staffing, lang=lang, notes=sc.info.description,
            cost_parameters=sc.tables.get("staffing_cost_parameters"),
        )  # fmt: skip
    logger.info("wrote proposal draft %s", path)
    return path
