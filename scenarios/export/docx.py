"""Word draft (DOCX) of the arrangement dossier (đề án) for a saved scenario.

Layout of Nghị định 30/2020/NĐ-CP (:mod:`.docx_layout`); parts as the dossier template
(``scenarios/templates/de_an_sap_xep.toml``): heading block and title; scenario facts;
I. legal basis (by the ruleset's family) and need; II. the arrangement: summary, table of
changes (every new unit formed by a merger, with its members, area, population and seat),
the map; III. staffing and costs (from saved staffing results, if any), then any
``extra_sections``; IV. implementation and the signature block; appendix table of the new
units with % of their criteria. Passages the drafter must write are marked in italics.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from sapxep.scenarios.export.costs import add_cost_section
from sapxep.scenarios.export.docx_layout import (
    body,
    centred,
    dossier_template,
    grid_table,
    heading_block,
    part_heading,
    setup_page,
    signature_block,
)
from sapxep.scenarios.messages import display_name, format_number, label, metric_label

logger = logging.getLogger(__name__)

#: Metrics shown in the summary table, in order.
SUMMARY_KEYS: tuple[str, ...] = (
    "n_before", "n_after", "n_merged", "n_fail_population", "n_fail_area",
    "must_arrange_total", "must_arrange_resolved", "must_arrange_unresolved",
    "population_min", "population_median", "area_km2_min", "area_km2_median",
    "seat_distance_km_max", "n_cross_parent",
)  # fmt: skip
STAFFING_KEYS: tuple[str, ...] = (
    "staff_before", "covered_staff", "staff_after", "surplus_now", "deficit_now", "surplus_year5",
)  # fmt: skip


def _fmt(v: Any, lang: str) -> str:
    """Format a number: ``12.345`` / ``1.234,56`` in Vietnamese, ``12,345`` / ``1,234.56`` in English."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    s = f"{int(v):,}" if float(v).is_integer() else f"{float(v):,.2f}"
    return s.translate(str.maketrans(",.", ".,")) if lang == "vi" else s


def _table(doc: Any, header: list[str] | None, rows: list[list[str]], widths_cm: list[float]) -> Any:
    return grid_table(doc, header, rows, widths_cm, numeric_from=1 if len(widths_cm) == 2 else None)


#: A function that adds a section to the Word draft (``document, lang``): the hook for
#: further sections (e.g. an ensemble summary) without touching this module.
SectionWriter = Callable[[Any, str], None]


def _legal_basis(ruleset: str) -> list[str]:
    lists = dossier_template()["legal_basis"]
    return list(lists["nq35"] if str(ruleset).startswith(("nq35", "nq1211")) else lists["nq76"])


def _front(doc: Any, *, name: str, province: str, level_vi: str, lang: str) -> None:
    """Heading block, title, and the draft line (Vietnamese: Decree 30 heading)."""
    out = dossier_template()["outline"]
    if lang == "vi":
        issuer = out["issuer_prefix"] + ("\n" + province.upper() if province else "")
        place = province.split(" ", 1)[-1] if province else "……"
        heading_block(doc, issuer=issuer, number=out["number"],
                      place_date=f"{place}, ngày … tháng … năm 20…")  # fmt: skip
        doc.add_paragraph()
        centred(doc, out["title"], bold=True, size=14)
        where = province.upper() if province else "TỈNH (THÀNH PHỐ) …"
        centred(doc, out["subtitle"].format(level=level_vi.upper(), province=where), bold=True, size=14)
    else:
        centred(doc, label("proposal_title", lang), bold=True, size=14)
    centred(doc, label("draft", lang, name=name), italic=True, size=13)


def _facts(doc: Any, name: str, info: Any, metrics: dict[str, Any], lang: str) -> None:
    ruleset = info.ruleset or metrics.get("ruleset") or ""
    facts = [
        [label("scenario", lang), name],
        [label("dataset", lang), display_name("dataset", info.dataset, lang)],
        [label("ruleset", lang), display_name("ruleset", ruleset, lang) if ruleset else "—"],
        [label("author", lang), info.author or "—"],
        [label("created", lang), info.created[:10]],
    ]
    grid_table(doc, None, facts, [5, 11])


def _part_one(doc: Any, ruleset: str, lang: str) -> None:
    out = dossier_template()["outline"]
    part_heading(doc, out["part_1"] if lang == "vi" else "Part I\nLEGAL BASIS AND NEED")
    for i, line in enumerate(_legal_basis(ruleset), start=1):
        body(doc, f"{i}. {line}")
    body(doc, label("need_placeholder", lang), italic=True)


def _summary_text(metrics: dict[str, Any], lang: str) -> str:
    nb, na = int(metrics.get("n_before") or 0), int(metrics.get("n_after") or 0)
    level = str(metrics.get("level") or "commune")  # plans at --level district|province say so
    if lang == "vi":
        cap = display_name("level", level, "vi").lower()
        return (
            f"Phương án sắp xếp {nb} đơn vị hành chính {cap} thành {na} đơn vị "
            f"(giảm {nb - na} đơn vị); {metrics.get('n_merged')} đơn vị mới được hình thành do "
            "nhập các đơn vị hiện có."
        )
    return (
        f"The scenario arranges {nb} {level}-level units into {na} units "
        f"({nb - na} fewer); {metrics.get('n_merged')} new units are formed by merging."
    )


def _part_two(doc: Any, metrics: dict[str, Any], changes: pd.DataFrame, map_png: Any, notes: str,
              lang: str) -> None:  # fmt: skip
    out = dossier_template()["outline"]
    part_heading(doc, out["part_2"] if lang == "vi" else "Part II\nTHE ARRANGEMENT")
    doc.add_heading(label("summary", lang), level=2)
    body(doc, _summary_text(metrics, lang))
    if notes:
        body(doc, notes, italic=True)
    rows = [[metric_label(k, lang), _fmt(metrics.get(k), lang)] for k in SUMMARY_KEYS if k in metrics]
    _table(doc, [label("metric", lang), label("scenario", lang)], rows, [12, 4])
    doc.add_heading(label("changes", lang), level=2)
    rows = [
        [str(i), f"{r.name} ({r.new_unit})", r.members_text, _fmt(float(r.area_km2), lang),
         _fmt(int(r.population), lang), r.seat_name]
        for i, r in enumerate(changes.itertuples(index=False), start=1)
    ]  # fmt: skip
    grid_table(doc, [label("stt", lang), label("new_unit", lang), label("members", lang),
                     label("area_km2", lang), label("population", lang), label("seat", lang)],
               rows, [1.2, 3.0, 5.4, 2.0, 2.2, 2.7], size=11)  # fmt: skip
    doc.add_heading(label("map", lang), level=2)
    if map_png is not None:
        doc.add_picture(str(map_png), width=Cm(16.0))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def impact_lines(metrics: dict[str, Any], lang: str = "vi") -> list[str]:
    """Sentences on the plan's impact from its metrics (those present), in ``lang``."""
    out = []
    n = metrics.get("n_cross_parent")
    if n is not None:
        out.append(label("impact_cross_parent", lang, n=_fmt(n, lang)))
    far, mean = metrics.get("seat_distance_km_max"), metrics.get("seat_distance_km_mean")
    if far is not None and mean is not None:
        out.append(label("impact_seat_distance", lang, max=format_number(float(far), 1, lang),
                         mean=format_number(float(mean), 1, lang)))  # fmt: skip
    fails = metrics.get("n_fail_any")
    if fails is not None:
        out.append(label("impact_fail", lang, n=_fmt(fails, lang)))
    total, left = metrics.get("must_arrange_total"), metrics.get("must_arrange_unresolved")
    if total is not None and left is not None:
        out.append(label("impact_must_arrange", lang, total=_fmt(total, lang), left=_fmt(left, lang)))
    return out


def _part_three(doc: Any, metrics: dict[str, Any], staffing: dict[str, Any] | None,
                cost_parameters: pd.DataFrame | None, lang: str,
                extra_sections: Sequence[SectionWriter]) -> None:  # fmt: skip
    out = dossier_template()["outline"]
    part_heading(doc, out["part_3"] if lang == "vi" else "Part III\nIMPACT, STAFF AND COSTS")
    doc.add_heading(label("impact", lang), level=2)
    for line in impact_lines(metrics, lang):
        body(doc, line)
    doc.add_heading(label("staffing", lang), level=2)
    if staffing:
        rows = [[metric_label(k, lang), _fmt(staffing.get(k), lang)] for k in STAFFING_KEYS
                if staffing.get(k) is not None]  # fmt: skip
        _table(doc, [label("metric", lang), label("scenario", lang)], rows, [12, 4])
        if staffing.get("estimated_label"):
            body(doc, str(staffing["estimated_label"]), italic=True)
        add_cost_section(doc, staffing, cost_parameters, lang=lang)  # scenarios/export/costs.py
    else:
        body(doc, label("no_staffing", lang))
    for writer in extra_sections:  # e.g. an ensemble summary
        writer(doc, lang)


def _part_four(doc: Any, lang: str) -> None:
    out = dossier_template()["outline"]
    part_heading(doc, out["part_4"] if lang == "vi" else "Part IV\nIMPLEMENTATION AND PROPOSALS")
    body(doc, label("implementation_placeholder", lang), italic=True)
    if lang == "vi":
        doc.add_paragraph()
        signature_block(doc, out["signature"], out["recipients"], heading=out["recipients_heading"])


def _pct(v: Any, lang: str) -> str:
    x = pd.to_numeric(v, errors="coerce")
    return "—" if pd.isna(x) else format_number(float(x), 0, lang)


def _appendix(doc: Any, appendix: pd.DataFrame | None, lang: str) -> None:
    """Every new unit formed by a merger with its size, % of the criteria and assessment."""
    if appendix is None or not len(appendix):
        return
    doc.add_page_break()
    centred(doc, label("appendix_heading", lang), bold=True, size=14)
    centred(doc, label("appendix_caption", lang), italic=True, size=13)
    rows = [[str(i), r["name"], _fmt(float(r["area_km2"]), lang), _pct(r.get("area_pct"), lang),
             _fmt(int(r["population"]), lang), _pct(r.get("population_pct"), lang), r["status"]]
            for i, (_g, r) in enumerate(appendix.iterrows(), start=1)]  # fmt: skip
    grid_table(doc, [label("stt", lang), label("new_name", lang), label("area_km2", lang),
                     label("area_pct", lang), label("population", lang), label("population_pct", lang),
                     label("status", lang)], rows, [1.2, 3.6, 2.1, 2.0, 2.3, 2.0, 3.3],
               numeric_from=2, size=10.5)  # fmt: skip


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
    province: str = "",
    appendix: pd.DataFrame | None = None,
    extra_sections: Sequence[SectionWriter] = (),
) -> Path:
    """Write the DOCX draft from prepared parts (see :func:`export_docx`).

    Layout of Nghị định 30/2020/NĐ-CP (heading block, Times New Roman 14 pt, margins, page
    numbers) and the parts of the dossier template (``scenarios/templates/de_an_sap_xep.toml``):
    I. legal basis and need; II. the arrangement (summary, changes, map); III. impact, staff
    and costs (then ``extra_sections``); IV. implementation; an appendix table.

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
    province : str
        The province ("Tỉnh Phú Thọ"): issuing body, place and title.
    appendix : DataFrame, optional
        New units with ``name, area_km2, area_pct, population, population_pct, status``.
    extra_sections : sequence of callables, optional
        Each called as ``writer(document, lang)`` at the end of part III.

    Returns
    -------
    pathlib.Path
    """
    doc = Document()
    setup_page(doc)
    level_vi = display_name("level", str(metrics.get("level") or "commune"), "vi").lower()
    _front(doc, name=name, province=province, level_vi=level_vi, lang=lang)
    _facts(doc, name, info, metrics, lang)
    _part_one(doc, str(info.ruleset or metrics.get("ruleset") or ""), lang)
    _part_two(doc, metrics, changes, map_png, notes, lang)
    _part_three(doc, metrics, staffing, cost_parameters, lang, extra_sections)
    _part_four(doc, lang)
    _appendix(doc, appendix, lang)
    body(doc, label("template_note", lang, source=dossier_template()["outline"]["unverified"]), italic=True)
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
    extra_sections: Sequence[SectionWriter] = (),
) -> Path:
    """Write the Word draft of a saved scenario (see :func:`write_proposal_docx`).

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
    extra_sections : sequence of callables, optional
        Further sections, each ``writer(document, lang)``, at the end of part III.

    Returns
    -------
    pathlib.Path
    """
    from sapxep.scenarios.analysis.compare import scenario_metrics
    from sapxep.scenarios.export.maps import (
        dataset_vintage,
        map_titles,
        plan_figure,
        province_title,
        save_figure,
    )
    from sapxep.scenarios.run.assess import default_rules_for

    sc = workspace.load(name)
    units = workspace.units(sc.info.dataset)
    rs = sc.info.ruleset or default_rules_for(units, dataset=sc.info.dataset)
    metrics = scenario_metrics(workspace, name, ruleset=rs)
    names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    nu = sc.new_units
    merged = nu[nu["n_members"] >= 2].copy()
    merged["members_text"] = [
        ", ".join(f"{names.get(c, c)} ({c})" for c in str(m).split(";")) for m in merged["members"]
    ]
    changes = merged[["new_unit", "name", "members_text", "area_km2", "population", "seat_name"]]
    title, sub = map_titles(units, name, sc.info.n_after, sc.info.n_before, lang)
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "map.png"
        fig = plan_figure(units, nu, lang=lang, title=title, subtitle=sub, labels=map_labels,
                          vintage=dataset_vintage(sc.info.dataset))  # fmt: skip
        save_figure(fig, png, dpi=map_dpi)
        path = write_proposal_docx(
            out, name=name, info=sc.info, metrics=metrics, changes=changes, map_png=png,
            staffing=_staffing(sc.tables), lang=lang, notes=sc.info.description,
            cost_parameters=sc.tables.get("staffing_cost_parameters"), province=province_title(units),
            appendix=_appendix_table(units, sc, rs, lang), extra_sections=extra_sections,
        )  # fmt: skip
    logger.info("wrote proposal draft %s", path)
    return path


def _staffing(tables: Any) -> dict[str, Any] | None:
    """The staffing summary saved with a scenario, numbers as plain Python values."""
    from sapxep.scenarios.analysis.compare import _staffing_summary

    staffing = _staffing_summary(tables)
    if not staffing:
        return None
    staffing = {k: (pd.to_numeric(v, errors="coerce") if k in STAFFING_KEYS else v)
                for k, v in staffing.items()}  # fmt: skip
    if pd.isna(staffing.get("staff_after", float("nan"))) and "quota_after" in staffing:
        staffing["staff_after"] = pd.to_numeric(staffing["quota_after"], errors="coerce")
    return {k: (None if isinstance(v, float) and pd.isna(v) else (v.item() if hasattr(v, "item") else v))
            for k, v in staffing.items()}  # fmt: skip


def _appendix_table(units: Any, sc: Any, ruleset: str, lang: str) -> pd.DataFrame:
    """New units formed by a merger with % of their criteria and the appendix's assessment."""
    from sapxep.scenarios.export.excel import _with_shortfalls, dossier_tables, unit_status

    table, _members = dossier_tables(units, sc.plan, ruleset=ruleset, new_units=sc.new_units)
    table = _with_shortfalls(table)
    table = table[table["n_members"].astype(int) >= 2].copy()
    table["status"] = [unit_status(r, lang) for _g, r in table.iterrows()]
    return table
