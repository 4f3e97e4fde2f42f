"""Compare page: 2–4 saved scenarios side by side (same map extent), metrics, differences."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sapxep.app_pages import components, state
from sapxep.app_pages.state import t
from sapxep.scenarios.analysis.compare import compare_scenarios
from sapxep.scenarios.app.colours import GROUP_PALETTE, differing_units, group_colours
from sapxep.scenarios.app.geometry import boundary_lines, lonlat_extent, union_lines
from sapxep.scenarios.app.hover import plan_hover
from sapxep.scenarios.app.saved import import_history, scenario_infos, workspace_token
from sapxep.scenarios.app.tables import format_table
from sapxep.units.errors import SapxepError

LANG = state.lang()
st.header(t("page_compare"))
state.show_flash()
ws = state.workspace()

if st.button(t("import_history"), key="import_history"):
    with st.spinner(t("import_history")):
        try:
            info = import_history(ws, ruleset=state.ruleset_name())
        except SapxepError as exc:
            st.error(str(exc))
        else:
            state.flash(t("imported", name=info.name))
            st.rerun()

infos = scenario_infos(ws)
if len(infos) < 2:
    st.info(t("no_scenarios") if not infos else t("scenarios_pick"))
    st.stop()

# default: the newest scenarios, preferring the history import and the current dataset
names = sorted(infos, key=lambda n: infos[n].updated, reverse=True)
default = [n for n in names if infos[n].dataset == state.dataset()][:4]
if len(default) < 2:
    default = names[:2]
picked = st.multiselect(
    t("scenarios_pick"),
    names,
    default=default,
    max_selections=4,
    key="compare_names",
    format_func=lambda n: f"{n} · {infos[n].dataset} · {infos[n].n_after}",
)
if not 2 <= len(picked) <= 4:
    st.info(t("scenarios_pick"))
    st.stop()

token = workspace_token(ws)
rs = state.ruleset_name()
try:
    comparison = state.cached(
        ("compare", tuple(picked), rs, token),
        lambda: compare_scenarios(ws, picked, ruleset=rs),
    )
    scenarios = {n: state.cached(("scenario", n, token), lambda n=n: ws.load(n)) for n in picked}
except SapxepError as exc:
    st.error(str(exc))
    st.stop()

datasets = {n: infos[n].dataset for n in picked}
same = len(set(datasets.values())) == 1
diff_codes = differing_units([scenarios[n].plan.assignment for n in picked]) if same else pd.Index([])
extent = lonlat_extent(*(state.base_units(d) for d in set(datasets.values())))


def diff_outline(ds: str, codes: tuple[str, ...]) -> tuple[list, list]:
    """Outline of the units that differ (cached per session)."""
    return state.cached(("diff_outline", ds, codes), lambda: union_lines(state.base_units(ds), codes))


st.subheader(t("differences"))
if same:
    st.caption(t("diff_legend", n=len(diff_codes)))
cols = st.columns(len(picked))
for col, n in zip(cols, picked, strict=True):
    sc = scenarios[n]
    ds = datasets[n]
    u = state.base_units(ds)
    frame = pd.DataFrame({"code": u["code"].astype(str).to_numpy()})
    frame["colour"] = (
        frame["code"].map(group_colours(sc.plan.assignment, state.graph(ds))).fillna(0).astype(int)
    )
    if same and len(diff_codes):  # units grouped alike in every scenario are greyed out
        frame.loc[~frame["code"].isin(diff_codes), "colour"] = -1
    frame["hover"] = frame["code"].map(plan_hover(sc.plan, u, LANG))
    lines = []
    if sc.new_units is not None and len(sc.new_units):
        lines.append((*boundary_lines(sc.new_units), "#222222", 1.0))
    if same and len(diff_codes):
        lines.append((*diff_outline(ds, tuple(diff_codes)), "#e00000", 2.5))
    fig = components.map_figure(
        state.geojson(ds), frame, category="colour",
        colours={-1: "#e6e6e6", **dict(enumerate(GROUP_PALETTE))},
        lines=lines, extent=extent, height=460, title=f"{n} ({sc.plan.n_after})", show_legend=False,
    )  # fmt: skip
    with col:
        components.show_map(fig, key=f"compare_map_{n}")

st.subheader(t("metrics"))
table = comparison.metrics_table(LANG)
st.table(format_table(table, LANG))
if len(comparison.pairs):
    st.dataframe(comparison.pairs, hide_index=True, width="stretch")
