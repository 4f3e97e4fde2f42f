"""Staffing page: org chart of a new unit, quotas and surplus, 5-year projection, redeployment."""

from __future__ import annotations

import hashlib

import plotly.graph_objects as go
import streamlit as st

from sapxep.app_pages import components, state
from sapxep.app_pages.state import t
from sapxep.scenarios.app.saved import scenario_infos, workspace_token
from sapxep.scenarios.app.staffing import (
    org_chart_png,
    projection_by_year,
    redeployment_table,
    scenario_staffing,
    staffing_tables,
)
from sapxep.scenarios.app.tables import display_table, format_table
from sapxep.scenarios.export.costs import cost_display
from sapxep.scenarios.messages import (
    column_label,
    display_name,
    format_number,
    format_value,
    metric_label,
    translate_columns,
)
from sapxep.units.errors import SapxepError
from sapxep.units.staffing.templates import default_structure

LANG = state.lang()
st.header(t("page_staffing"))
state.show_flash()
ws = state.workspace()
infos = scenario_infos(ws)
if not infos:
    st.info(t("no_scenarios"))
    st.stop()

names = sorted(infos, key=lambda n: infos[n].updated, reverse=True)
c1, c2, c3 = st.columns([3, 2, 2])
last = st.session_state.get("last_saved")
if last in names and st.session_state.get("staffing_for_saved") != last:  # open on the scenario just saved
    st.session_state["staffing_scenario"] = last
    st.session_state["staffing_for_saved"] = last
name = c1.selectbox(t("scenario"), names, key="staffing_scenario")
# the structure in force for the scenario's ruleset (2025 for NQ 76/2025 and later) unless changed
default = default_structure(str(infos[name].ruleset or "") or None)[0]
structure = state.choice(
    c2.selectbox,
    t("structure"),
    ["2023", "2025"],
    key=f"staffing_structure:{name}",
    index=["2023", "2025"].index(default),
    format_func=lambda v: display_name("structure", v, LANG),
)
with c3.expander(t("roster")):
    roster = st.file_uploader(t("roster_help"), type=["csv", "xlsx"], key="staffing_roster")
roster_file = (roster.name, roster.getvalue()) if roster is not None else None
roster_key = hashlib.sha1(roster_file[1]).hexdigest()[:12] if roster_file else "synthetic"

try:
    with st.spinner(t("running")):
        result = state.cached(
            ("staffing", name, structure, roster_key, workspace_token(ws)),
            lambda: scenario_staffing(ws, name, structure=structure, roster_file=roster_file),
            max_entries=8,
        )
except SapxepError as exc:
    components.show_error(exc, LANG)
    st.stop()

a = result.analysis
s = result.summary
if a.estimated_roster:
    st.warning(t("estimated_roster"))
figures = [(metric_label("staff_before", LANG), s.get("staff_before")),
           (metric_label("covered_staff", LANG), s.get("covered_staff")),
           (metric_label("staff_after", LANG), s.get("quota_after")),
           (metric_label("surplus_now", LANG), s.get("surplus_now")),
           (metric_label("surplus_year5", LANG), s.get("surplus_year5")),
           (column_label("redeployed", LANG), s.get("redeployed"))]  # fmt: skip
for row in (figures[:3], figures[3:]):  # three per row: the labels stay whole
    for col, (label, value) in zip(st.columns(3), row, strict=False):
        col.metric(label, format_value(value, LANG))
# who the norm covers, and why the surplus is not "before minus quota" (it is counted per post)
st.caption(
    t(
        "staff_coverage_note",
        covered=format_value(s.get("covered_staff"), LANG),
        outside=format_value(s.get("not_covered_staff"), LANG),
        surplus=format_value(s.get("surplus_now"), LANG),
        deficit=format_value(s.get("deficit_now"), LANG),
    )
)
if st.button(t("save_staffing"), key="save_staffing"):
    try:
        ws.set_tables(name, staffing_tables(result))
    except SapxepError as exc:
        components.show_error(exc, LANG)
    else:
        state.flash(t("saved", name=name))
        st.rerun()

# ------------------------------------------------------------------ cost and savings
cost_texts, cost_lines, cost_params = cost_display(s, result.cost_parameters, lang=LANG)
if not cost_lines.empty:
    st.subheader(cost_texts["title"])
    st.dataframe(cost_lines, hide_index=True, width="stretch")
    with st.expander(cost_texts["params_title"]):
        st.caption(cost_texts["flag_note"])
        st.dataframe(cost_params, hide_index=True, width="stretch")

# ------------------------------------------------------------------ one new unit
nu = a.new_units.sort_values(["n_members", "staff_before"], ascending=False)
unit = st.selectbox(
    t("new_unit"),
    list(nu.index.astype(str)),
    format_func=lambda g: f"{nu.at[g, 'name']} · {t('n_members_of', n=int(nu.at[g, 'n_members']))}",
    key=f"staffing_unit:{name}",
)
st.subheader(t("org_chart"))
st.image(
    state.cached(("org", name, structure, roster_key, unit), lambda: org_chart_png(result, unit)),
    width="stretch",
)
st.subheader(t("quotas"))
titles = a.titles[a.titles["new_unit"].astype(str) == unit]
cols = [c for c in ("label_vi", "group_vi", "pooled", "quota", "kept", "surplus", "deficit") if c in titles]
# as text: a post outside the norm has no quota ("—", where the grid would write "None")
shown_titles = format_table(titles[cols], LANG)
st.dataframe(translate_columns(shown_titles, LANG), hide_index=True, width="stretch", height=420)

st.subheader(t("projection"))


def projection_chart(proj, title: str) -> go.Figure:
    """Staff, quota and surplus per year."""
    fig = go.Figure()
    for col, colour in (("staff", "#4e79a7"), ("quota", "#59a14f"), ("surplus", "#e15759")):
        fig.add_trace(go.Scatter(x=proj.index, y=proj[col], name=column_label(col, LANG),
                                 mode="lines+markers", line={"color": colour}))  # fmt: skip
    fig.update_layout(
        title={"text": title}, height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        yaxis={"rangemode": "tozero"}, xaxis={"dtick": 1}, legend={"orientation": "h"},
    )  # fmt: skip
    return fig


proj_all = projection_by_year(result)
proj_one = projection_by_year(result, unit)
p1, p2 = st.columns(2)
with p1:
    st.plotly_chart(projection_chart(proj_all, name), config=components.PLOTLY_CONFIG, key="proj_all")
with p2:
    st.plotly_chart(
        projection_chart(proj_one, str(nu.at[unit, "name"])), config=components.PLOTLY_CONFIG, key="proj_one"
    )
st.dataframe(display_table(proj_all, LANG), width="stretch")

st.subheader(t("redeployment"))
moves = redeployment_table(result, LANG)
st.caption(
    t("redeploy_caption", n=len(moves), km=format_number(result.redeployment.max_distance_km, 0, LANG))
)
if len(moves):
    st.dataframe(moves, hide_index=True, width="stretch")
if LANG == "vi" and s.get("notes"):  # the analysis' notes are written in Vietnamese
    with st.expander(t("method_notes")):
        for note in s["notes"]:
            st.caption(note)
