"""Compare page for leaders: a summary in words, the metrics with a difference column and
better/worse marks, a difference map with a legend, agreement explained, each scenario's map,
and the management of saved scenarios (rename, duplicate, delete)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sapxep.app_pages import components, manage, state
from sapxep.app_pages.state import t
from sapxep.scenarios.analysis.compare import compare_scenarios
from sapxep.scenarios.app.colours import GROUP_PALETTE, group_colours
from sapxep.scenarios.app.comparing import agreement_words, metrics_with_difference, summary_words
from sapxep.scenarios.app.geometry import boundary_lines, lonlat_extent
from sapxep.scenarios.app.hover import plan_hover
from sapxep.scenarios.app.saved import HISTORY_SCENARIO, import_history, scenario_infos, workspace_token
from sapxep.scenarios.messages import display_name, format_number
from sapxep.units.errors import SapxepError

LANG = state.lang()
C_CHANGED, C_SAME, C_A, C_B = "#e53935", "#e6e6e6", "#1e88e5", "#222222"
st.header(t("page_compare"))
state.show_flash()
ws = state.workspace()

infos = scenario_infos(ws)
if HISTORY_SCENARIO not in infos and st.button(t("import_history"), key="import_history"):
    with st.spinner(t("import_history")):
        try:
            info = import_history(ws, ruleset=state.ruleset_name())
        except SapxepError as exc:
            components.show_error(exc, LANG)
        else:
            state.flash(t("imported", name=info.name))
            st.rerun()

if len(infos) < 2:
    st.info(t("no_scenarios") if not infos else t("scenarios_pick"))
    manage.manage_panel(ws, infos, LANG)
    st.stop()


def scenario_label(n: str, lang: str = LANG) -> str:
    """'Name · dataset · N units'."""
    i = infos[n]
    return f"{n} · {display_name('dataset', i.dataset, lang)} · {t('n_units_short', n=i.n_after)}"


names = sorted(infos, key=lambda n: infos[n].updated, reverse=True)
default = [n for n in names if infos[n].dataset == state.dataset()][:4]
if len(default) < 2:
    default = names[:2]
picked = state.choice(
    st.multiselect,
    t("scenarios_pick"),
    names,
    multi=True,
    default=default,
    max_selections=4,
    key="compare_names",
    format_func=scenario_label,
    placeholder=t("choose"),
    select_all=False,
)
if not 2 <= len(picked) <= 4:
    st.info(t("scenarios_pick"))
    manage.manage_panel(ws, infos, LANG)
    st.stop()
ca, cb = st.columns(2)
a = state.choice(ca.selectbox, t("compare_a"), picked, key="compare_a", format_func=scenario_label)
b = state.choice(
    cb.selectbox, t("compare_b"), [n for n in picked if n != a], key="compare_b", format_func=scenario_label
)

token = workspace_token(ws)
rs = state.ruleset_name()
try:
    comparison = state.cached(
        ("compare", tuple(picked), rs, token), lambda: compare_scenarios(ws, picked, ruleset=rs)
    )
    scenarios = {n: state.cached(("scenario", n, token), lambda n=n: ws.load(n)) for n in picked}
except SapxepError as exc:
    components.show_error(exc, LANG)
    st.stop()

# ------------------------------------------------------------------ summary and metrics
st.subheader(t("compare_summary"))
st.info(summary_words(comparison.metrics, a, b, LANG))
pair = next((r for r in comparison.pairs.to_dict("records") if {r["a"], r["b"]} == {a, b}), {})
n_units = len(scenarios[a].plan.assignment)
st.write(f"**{t('agreement')}:** " + agreement_words(pair, n_units, LANG))
with st.expander(t("agree_stats")):
    st.caption(t("agree_stats_help"))
    if pair.get("ari") is not None:
        ari, vi = format_number(float(pair["ari"]), 3, LANG), format_number(float(pair["vi_bits"]), 3, LANG)
        st.write(f"ARI = {ari} · VI = {vi}")

st.subheader(t("metrics"))
components.static_table(metrics_with_difference(comparison.metrics[picked], a, b, LANG))
st.caption(t("marks_note"))

# ------------------------------------------------------------------ difference map of A and B
ds_a, ds_b = infos[a].dataset, infos[b].dataset
if ds_a == ds_b:
    st.subheader(t("diff_map"))
    u = state.base_units(ds_a)
    changed = set(
        comparison.diffs.get((a, b), comparison.diffs.get((b, a), pd.DataFrame())).index.astype(str)
    )
    frame = pd.DataFrame({"code": u["code"].astype(str).to_numpy()})
    frame["category"] = frame["code"].map(lambda c: "changed" if c in changed else "same")
    frame["hover"] = frame["code"].map(plan_hover(scenarios[b].plan, u, LANG))
    lines = []
    for n, colour, width, key in ((a, C_A, 2.6, "legend_a_boundary"), (b, C_B, 1.2, "legend_b_boundary")):
        nu = scenarios[n].new_units
        if nu is not None and len(nu):
            lines.append((*boundary_lines(nu), colour, width, f"{t(key)} ({n})"))
    fig = components.map_figure(
        state.geojson(ds_a),
        frame,
        category="category",
        colours={"changed": C_CHANGED, "same": C_SAME},
        labels={"changed": t("legend_changed_fill"), "same": t("legend_same_fill")},
        lines=lines,
        height=680,
        extent=state.extent(ds_a),
    )
    components.show_map(fig, key="compare_diff_map")

# ------------------------------------------------------------------ each scenario's map
with st.expander(t("each_map")):
    datasets = {n: infos[n].dataset for n in picked}
    extent = lonlat_extent(*(state.base_units(d) for d in set(datasets.values())))
    cols = st.columns(len(picked))
    for col, n in zip(cols, picked, strict=True):
        sc, ds = scenarios[n], datasets[n]
        u = state.base_units(ds)
        frame = pd.DataFrame({"code": u["code"].astype(str).to_numpy()})
        frame["colour"] = (
            frame["code"].map(group_colours(sc.plan.assignment, state.graph(ds))).fillna(0).astype(int)
        )
        frame["hover"] = frame["code"].map(plan_hover(sc.plan, u, LANG))
        lines = (
            [(*boundary_lines(sc.new_units), "#222222", 1.0)]
            if sc.new_units is not None and len(sc.new_units)
            else []
        )
        fig = components.map_figure(
            state.geojson(ds),
            frame,
            category="colour",
            colours=dict(enumerate(GROUP_PALETTE)),
            lines=lines,
            extent=extent,
            height=420,
            show_legend=False,
        )
        with col:
            st.markdown(f"**{n}** — {t('n_units_short', n=sc.plan.n_after)}")
            components.show_map(fig, key=f"compare_map_{n}")

manage.manage_panel(ws, infos, LANG)
