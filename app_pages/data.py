"""Data page: choose or upload units, see compliance on a map, edit per-unit inputs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sapxep.app_pages import components, state, upload_panel
from sapxep.app_pages.state import t
from sapxep.scenarios.app.colours import COMPLIANCE_CATEGORIES, COMPLIANCE_COLOURS, compliance_category
from sapxep.scenarios.app.hover import unit_hover
from sapxep.scenarios.app.search import search_units
from sapxep.scenarios.app.tables import ASSESSMENT_COLUMNS, display_table
from sapxep.scenarios.app.unit_inputs import (
    apply_unit_edits,
    diff_unit_edits,
    editable_frame,
    save_unit_edits,
)
from sapxep.scenarios.messages import display_name
from sapxep.units.errors import SapxepError

st.header(t("page_data"))
state.show_flash()

# ------------------------------------------------------------------ source: bundled or upload
source_labels = {"bundled": t("source_bundled"), "upload": t("source_upload")}
source = st.radio(
    t("data_source"),
    list(source_labels),
    format_func=source_labels.__getitem__,
    horizontal=True,
    key=f"data_source_{state.lang()}",
)
if source == "upload":
    upload_panel.show()

# ------------------------------------------------------------------ compliance summary + map
name = state.dataset()
try:
    units = state.units(name)
    assessment = state.assessment(name)
except SapxepError as exc:
    components.problem_list(getattr(exc, "summary", str(exc)), getattr(exc, "problems", []))
    st.stop()

cat = compliance_category(assessment)
counts = cat.value_counts()
cols = st.columns(5)
cols[0].metric(t("n_units"), len(units))
cols[1].metric(t("n_meets"), int(counts.get("meets", 0)))
cols[2].metric(t("n_short"), int(counts.get("short", 0)))
cols[3].metric(t("n_must"), int(counts.get("must", 0)))
cols[4].metric(t("n_exempt"), int(counts.get("exempt", 0)))

frame = pd.DataFrame({"code": units["code"].astype(str).to_numpy()})
frame["category"] = frame["code"].map(cat)
frame["hover"] = frame["code"].map(unit_hover(units, assessment, state.lang()))
labels = {c: t(f"cat_{c}") for c in COMPLIANCE_CATEGORIES}
st.subheader(t("compliance_map"))
fig = components.map_figure(
    state.geojson(name),
    frame,
    category="category",
    colours=COMPLIANCE_COLOURS,
    labels=labels,
    extent=state.extent(name),
    height=680,
)
clicked = components.show_map(fig, key="data_map", selectable=True)
found = search_units(
    units, st.text_input(t("search_units"), key=f"data_search:{name}", placeholder=t("search_hint"))
)
for code in (clicked or found)[:3]:  # a clicked or found unit: its assessment in words
    row = assessment.loc[code] if code in assessment.index else None
    if row is not None:
        with st.container(border=True):
            st.markdown(f"**{row['name']}** ({code}) — {t('cat_' + str(cat.get(code, 'short')))}")
            st.write(str(row.get("reason", "")))

# ------------------------------------------------------------------ editable per-unit inputs
st.subheader(t("unit_inputs"))
st.caption(t("unit_inputs_help"))
# the tables are shown on request: the first page stays light (map and counts first)
if not st.toggle(t("show_tables"), key="data_show_tables"):
    st.stop()
original = editable_frame(state.base_units(name))
current = editable_frame(units)
NO_CLASS = t("no_class")  # an empty class would show as the grid's grey "None"
current["commune_class"] = current["commune_class"].replace("", NO_CLASS)
edited = st.data_editor(
    current,
    key=f"unit_editor:{name}",
    width="stretch",
    height=360,
    disabled=["name"],
    column_config={
        "_index": st.column_config.TextColumn(t("col_code")),
        "name": st.column_config.TextColumn(t("col_name")),
        "terrain": st.column_config.SelectboxColumn(
            t("col_terrain"),
            options=["lowland", "mountainous"],
            required=True,
            format_func=lambda v: display_name("terrain", v, state.lang()),
        ),
        "commune_class": st.column_config.SelectboxColumn(
            t("col_class"), options=[NO_CLASS, "I", "II", "III"]
        ),
        "exemption_reason": st.column_config.TextColumn(t("col_exemption")),
        "border": st.column_config.CheckboxColumn(t("col_border")),
        "island": st.column_config.CheckboxColumn(t("col_island")),
        "coastal_disadvantaged": st.column_config.CheckboxColumn(t("col_coastal")),
        "ethnic_minority_share": st.column_config.NumberColumn(
            t("col_ethnic"), min_value=0.0, max_value=1.0, format="%.2f"
        ),
    },
)
if st.button(t("save_edits"), key="save_unit_edits"):
    edited = edited.assign(commune_class=edited["commune_class"].replace(NO_CLASS, ""))
    edits = diff_unit_edits(original, edited)
    try:
        save_unit_edits(state.workspace(), name, apply_unit_edits(state.base_units(name), edits))
    except SapxepError as exc:
        st.error(str(exc))
    else:
        state.set_unit_edits(name, edits)
        state.flash(t("edits_saved", n=len(edits)) if len(edits) else t("edits_none"))
        st.rerun()

with st.expander(t("assessment_table")):
    st.dataframe(
        display_table(
            assessment,
            state.lang(),
            columns=ASSESSMENT_COLUMNS,
            decimals={"area_km2": 2, "area_pct": 0, "population_pct": 0},
        ),
        width="stretch",
        height=360,
    )
