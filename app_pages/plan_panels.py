"""Panels of the plan page that show the plan: verdict, map with legend, new-units table, check, details.

The edit, save and open panels are in ``plan_edits``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from sapxep.app_pages import components, state
from sapxep.app_pages.plan_edits import apply_edit, edit_panel
from sapxep.app_pages.state import t
from sapxep.scenarios.analysis.metrics import new_unit_table
from sapxep.scenarios.app.colours import GROUP_PALETTE, colours_by_group, group_colours
from sapxep.scenarios.app.edits import check, rename_new_unit
from sapxep.scenarios.app.geometry import boundary_lines
from sapxep.scenarios.app.hover import new_unit_labels, plan_hover
from sapxep.scenarios.app.planning import comparison_metrics, dissolve, plan_key
from sapxep.scenarios.app.progress import verdict
from sapxep.scenarios.app.search import search_units
from sapxep.scenarios.app.tables import display_table, metrics_frame, new_units_frame
from sapxep.scenarios.messages import column_label
from sapxep.units.errors import SapxepError
from sapxep.units.plan import MergePlan

#: Outline colours of the plan map (legend order).
C_BOUNDARY, C_BREACH, C_EDIT, C_SELECTED, C_LOCK, C_FOUND = (
    "#222222",
    "#d50000",
    "#d81b60",
    "#1565c0",
    "#000000",
    "#00acc1",
)
NEW_UNIT_COLUMNS = (
    "name",
    "n_members",
    "members",
    "area_km2",
    "area_pct",
    "population",
    "population_pct",
    "seat_name",
    "verdict",
    "problems",
)


def _on_map_click(ds: str, lang: str) -> None:
    sel = st.session_state.get("plan_map")
    points = (sel or {}).get("selection", {}).get("points", []) if sel else []
    clicked = [str(p["location"]) for p in points if p.get("location")]
    if not clicked:
        return
    code = clicked[0]
    mode = st.session_state.get(f"click_mode_{lang}", "inspect")
    k_locks, k_pairs, k_pending = f"locks:{ds}", f"pairs:{ds}", f"pair_pending:{ds}"
    if mode == "lock":
        locks = list(st.session_state.get(k_locks, []))
        st.session_state[k_locks] = [c for c in locks if c != code] if code in locks else locks + [code]
    elif mode == "pair":
        pending = st.session_state.get(k_pending)
        if pending and pending != code:
            st.session_state[k_pairs] = list(st.session_state.get(k_pairs, [])) + [(pending, code)]
            st.session_state[k_pending] = None
        else:
            st.session_state[k_pending] = code
    elif mode == "edit":
        st.session_state[f"edit_unit:{ds}"] = code
        st.session_state[f"edit_unit_clicked:{ds}"] = True
    else:
        st.session_state[f"inspect:{ds}"] = code


def _lines(units: Any, codes: Any, colour: str, width: float, label: str) -> tuple[Any, ...]:
    sub = units[units["code"].astype(str).isin({str(c) for c in codes})]
    if sub.empty:
        return ([], [], colour, width, label)
    return (*boundary_lines(sub), colour, width, label)


@dataclass(frozen=True)
class PlanView:
    """What the plan page shows for the current plan (computed once per plan, shared)."""

    plan: MergePlan
    units: Any
    graph: Any
    ds: str
    lang: str
    new_units: Any
    checked: Any
    metrics: dict[str, Any]
    table: pd.DataFrame
    locks: list[str]
    pending: str | None
    unit_label: Callable[[str], str]


def show_plan(
    plan: MergePlan,
    *,
    units: Any,
    graph: Any,
    ruleset: Any,
    hist: Any,
    dataset: str,
    ruleset_name: str,
    lang: str,
    locks: list[str],
    pending: str | None,
    metrics_run: dict[str, Any] | None,
    unit_label: Callable[[str], str],
    codes: list[str],
) -> None:
    """Verdict, map with legend and search, the new-units table, edits, check and metrics."""
    v = _plan_view(
        plan,
        units=units,
        graph=graph,
        ruleset=ruleset,
        ds=dataset,
        ruleset_name=ruleset_name,
        lang=lang,
        locks=locks,
        pending=pending,
        unit_label=unit_label,
    )
    st.session_state["plan_metrics"] = v.metrics
    from_run = hist.labels[hist.pos] == "optimizer" if hist.labels else False
    kind, words = verdict(
        {**v.metrics, **(metrics_run or {})} if from_run else v.metrics, len(v.checked.violations), lang
    )
    getattr(st, kind)(words)
    selected = st.session_state.get(f"selected_nu:{dataset}")
    selected = selected if selected in plan.groups else None
    _plan_map(v, selected)
    _new_units_section(v, selected, hist)
    left, right = st.columns([1, 1], gap="large")
    with right:
        _check_and_metrics(v)
    with left:
        edit_panel(
            plan,
            units=units,
            graph=graph,
            hist=hist,
            ds=dataset,
            unit_label=unit_label,
            codes=codes,
            lang=lang,
        )


def _plan_view(
    plan: MergePlan,
    *,
    units: Any,
    graph: Any,
    ruleset: Any,
    ds: str,
    ruleset_name: str,
    lang: str,
    locks: list[str],
    pending: str | None,
    unit_label: Callable[[str], str],
) -> PlanView:
    """Dissolve, check (with the page's locks, pairs and district rule), metrics and table."""
    pkey, edits_tok = plan_key(plan), state.edits_token(ds)
    new_units = state.shared(("dissolve", ds, pkey), lambda: dissolve(units, plan))
    pairs = tuple(tuple(p) for p in st.session_state.get(f"pairs:{ds}", []))
    stay = bool(st.session_state.get("plan_stay_within_parent", True))
    rules_key = (ds, ruleset_name, pkey, edits_tok, lang, tuple(locks), pairs, stay)
    checked = state.shared(
        ("check", *rules_key),
        lambda: check(
            units, plan, ruleset, graph, lang=lang, locks=locks, forced_pairs=pairs, stay_within_parent=stay
        ),
    )
    raw = state.shared(  # one per-new-unit table for both the metrics and the table shown
        ("nu_raw", ds, ruleset_name, pkey, edits_tok),
        lambda: new_unit_table(units, plan, ruleset=ruleset, graph=graph, new_units=new_units),
    )
    assessment = state.assessment(ds, ruleset_name)
    metrics = state.shared(
        ("metrics", ds, ruleset_name, pkey, edits_tok),
        lambda: comparison_metrics(units, plan, ruleset, graph, new_units, assessment=assessment, table=raw),
    )
    table = state.shared(
        ("nu_table", *rules_key),
        lambda: new_units_frame(units, plan, ruleset, graph, new_units, checked, lang, table=raw),
    )
    return PlanView(
        plan, units, graph, ds, lang, new_units, checked, metrics, table, locks, pending, unit_label
    )


def _outlines(v: PlanView, selected: str | None) -> list[tuple[Any, ...]]:
    """The map's outlines with their legend labels: boundaries, breaches, edits, selection, ..."""
    breach = sorted({c for x in v.checked.violations for c in x.codes})
    last_edit = st.session_state.get(f"last_edit:{v.ds}") or []
    found = search_units(v.units, st.session_state.get(f"search:{v.ds}", ""))
    lines: list[tuple[Any, ...]] = [(*boundary_lines(v.new_units), C_BOUNDARY, 1.6, t("legend_nu_boundary"))]
    for codes_, colour, width, key in (
        (breach, C_BREACH, 3.5, "legend_breach"),
        (last_edit, C_EDIT, 4.0, "legend_edit"),
        (v.plan.groups.get(selected, []) if selected else [], C_SELECTED, 4.0, "legend_selected"),
        (v.locks, C_LOCK, 3.5, "legend_locked"),
        ([v.pending] if v.pending else [], C_EDIT, 3.5, "legend_pending"),
        (found, C_FOUND, 4.0, "legend_found"),
    ):
        if codes_:
            lines.append(_lines(v.units, codes_, colour, width, t(key)))
    return lines


def _plan_map(v: PlanView, selected: str | None) -> None:
    """The full-width plan map: stable colours, outlines with a legend, click modes, search."""
    prev = st.session_state.get(f"colours:{v.ds}")
    colours = group_colours(v.plan.assignment, v.graph, prev)
    st.session_state[f"colours:{v.ds}"] = colours_by_group(v.plan.assignment, colours)
    frame = pd.DataFrame({"code": v.units["code"].astype(str).to_numpy()})
    frame["colour"] = frame["code"].map(colours).fillna(0).astype(int)
    frame["hover"] = frame["code"].map(plan_hover(v.plan, v.units, v.lang))
    st.subheader(t("plan_map") + " — " + t("n_new_units_of", n=v.plan.n_after, m=len(v.units)))
    m1, m2, m3 = st.columns([3, 2, 1])
    click_labels = {
        "inspect": t("click_nothing"),
        "lock": t("click_lock"),
        "pair": t("click_pair"),
        "edit": t("click_edit"),
    }
    m1.radio(
        t("lock_click_mode"),
        list(click_labels),
        format_func=click_labels.__getitem__,
        horizontal=True,
        key=f"click_mode_{v.lang}",
    )
    m2.text_input(t("search_units"), key=f"search:{v.ds}", placeholder=t("search_hint"))
    show_names = m3.toggle(t("show_names"), key="plan_show_names")
    lines = _outlines(v, selected)
    fig = components.map_figure(
        state.geojson(v.ds),
        frame,
        category="colour",
        colours=dict(enumerate(GROUP_PALETTE)),
        lines=lines,
        height=780,
        show_legend=False,
        extent=state.extent(v.ds),
        labels_at=_label_points(v.new_units, v.plan, v.units) if show_names else None,
    )
    components.show_map(fig, key="plan_map", on_select=lambda: _on_map_click(v.ds, v.lang))
    st.caption(t("map_colour_note"))
    found = search_units(v.units, st.session_state.get(f"search:{v.ds}", ""))
    for items, key in (
        (found, "search_found"),
        (v.locks, "locked_list"),
        ([v.pending] if v.pending else [], ""),
    ):
        if items:
            head = t(key, n=len(items)) if key else t("pair_pending")
            st.caption(head + ", ".join(v.unit_label(c) for c in items[:12]))
    inspected = st.session_state.pop(f"inspect:{v.ds}", None)
    if inspected and inspected in v.plan.assignment.index:
        st.session_state[f"selected_nu:{v.ds}"] = str(v.plan.assignment[inspected])
        st.rerun()


def _new_units_section(v: PlanView, selected: str | None, hist: Any) -> None:
    """The sortable table of new units; picking a row outlines it on the map and shows details."""
    st.subheader(t("new_units_table", n=v.plan.n_after))
    shown = display_table(
        v.table,
        v.lang,
        columns=NEW_UNIT_COLUMNS,
        kinds={},
        decimals={"area_km2": 2, "area_pct": 0, "population_pct": 0},
    )
    event = st.dataframe(
        shown,
        key=f"nu_table:{v.ds}:{plan_key(v.plan)}",
        on_select="rerun",
        selection_mode="single-row",
        width="stretch",
        height=320,
    )
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if rows != st.session_state.get(f"nu_rows:{v.ds}", []):  # a new row picked in the table
        st.session_state[f"nu_rows:{v.ds}"] = rows
        if rows:
            st.session_state[f"selected_nu:{v.ds}"] = str(v.table.index[rows[0]])
            st.rerun()
    if selected:
        _details(v.table, selected, v.checked, v.lang, plan=v.plan, hist=hist, ds=v.ds)


def _check_and_metrics(v: PlanView) -> None:
    """NQ 76 Art. 5(3) exceptions, the re-check's breaches, and the metrics table."""
    if getattr(v.checked, "exceptions", None):
        components.problem_list(
            t("exceptions_title", n=len(v.checked.exceptions)),
            [x.message for x in v.checked.exceptions],
            kind="warning",
        )
    if v.checked.ok:
        st.success(t("check_ok"))
    else:
        components.problem_list(
            t("check_bad", n=len(v.checked.violations)),
            [x.message for x in v.checked.violations],
            kind="warning",
        )
    st.subheader(t("metrics"))
    components.static_table(metrics_frame(v.metrics, v.lang).set_index(column_label("metric", v.lang)))


def _label_points(new_units: Any, plan: MergePlan, units: Any) -> pd.DataFrame:
    g = new_units.to_crs(4326) if new_units.crs is not None and new_units.crs.to_epsg() != 4326 else new_units
    pts = g.geometry.representative_point()
    labels = new_unit_labels(plan, units)
    text = [labels.get(str(n), str(n)).split(" [")[0] for n in g["new_unit"].astype(str)]
    return pd.DataFrame({"lon": pts.x.to_numpy(), "lat": pts.y.to_numpy(), "text": text})


def _details(
    table: pd.DataFrame, g: str, checked: Any, lang: str, *, plan: MergePlan, hist: Any, ds: str
) -> None:
    row = table.loc[g]
    with st.container(border=True):
        st.markdown(f"**{row['name']}** — {t('n_members_of', n=int(row['n_members']))}")
        r1, r2 = st.columns([4, 1])
        new_name = r1.text_input(t("rename_unit"), value=str(row["name"]), key=f"nu_name:{ds}:{g}")
        if r2.button(
            t("rename"), key=f"nu_rename:{ds}:{g}", disabled=new_name.strip() in ("", str(row["name"]))
        ):
            try:
                renamed = rename_new_unit(plan, g, new_name)
            except SapxepError as exc:  # e.g. a name another new unit has (NQ 76 Art. 7)
                components.show_error(exc, lang)
            else:
                apply_edit(hist, ds, renamed, f"rename {g}", [])
        st.write(f"{column_label('members', lang)}: {row['members']}")
        seat, verdict_ = column_label("seat_name", lang), column_label("verdict", lang)
        st.write(f"{seat}: {row['seat_name']} · {verdict_}: {row['verdict']}")
        for v in checked.violations:
            if v.new_unit == g:
                st.warning(v.message)
