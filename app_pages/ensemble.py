"""Ensemble page: where a saved scenario falls among many valid plans, and the co-assignment map.

Minimal panel (the final look belongs to the app's layout work): pick an ensemble folder
written by ``sapxep ensemble`` and a saved scenario of the same data; show its percentiles,
its rare groupings and the map of co-assignment frequency and stability.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from sapxep.app_pages import components, state
from sapxep.app_pages.state import t
from sapxep.scenarios.app.saved import scenario_infos, workspace_token
from sapxep.scenarios.messages import format_number, metric_label
from sapxep.units.errors import SapxepError

LANG = state.lang()
st.header(t("page_ensemble"))
folder = st.text_input(t("ens_folder"), key="ensemble_dir", help=t("ens_folder_help"))
if not folder or not (Path(folder) / "assignments.parquet").exists():
    st.info(t("ens_no_folder"))
    st.stop()


def _token(path: Path) -> float:
    return max((path / n).stat().st_mtime for n in ("assignments.parquet", "metrics.parquet"))


def _load(path: str) -> Any:
    from sapxep.scenarios.analysis.ensemble import co_assignment, read_ensemble, stability

    ens = read_ensemble(path)
    return ens, co_assignment(ens), stability(ens)


try:
    ens, pairs, stab = state.shared(("ensemble", folder, _token(Path(folder))), lambda: _load(folder))
except SapxepError as exc:
    components.show_error(exc, LANG)
    st.stop()

ws = state.workspace()
codes = set(ens.assignments["code"])
infos = scenario_infos(ws)
same = [n for n in sorted(infos) if set(map(str, ws.plan(n).assignment.index)) == codes]
report = None
if same:
    name = state.choice(st.selectbox, t("ens_pick"), same, key="ensemble_scenario")
    try:
        from sapxep.scenarios.analysis.ensemble import ensemble_report

        report = state.shared(
            ("ensemble_report", folder, _token(Path(folder)), name, workspace_token(ws)),
            lambda: ensemble_report(ens, ws.plan(name), name=name),
        )
    except SapxepError as exc:
        components.show_error(exc, LANG)
else:
    st.info(t("ens_no_scenario"))

if report is not None:
    st.subheader(t("ens_title", name=report.name, n=report.n_plans))
    st.caption(t("ens_note", n=report.n_plans))
    c1, c2 = st.columns(2)
    c1.metric(t("ens_n_plans_label"), report.n_plans)
    c2.metric(t("ens_n_rare"), int(report.groups["rare"].sum()))
    pct = report.percentiles.reset_index()
    pct["metric"] = [metric_label(str(k), LANG) for k in pct["metric"]]
    for col in ("value", "p5", "p50", "p95"):
        pct[col] = [format_number(v, 0 if float(v).is_integer() else 2, LANG) for v in pct[col]]
    pct["percentile"] = [format_number(v, 1, LANG) for v in pct["percentile"]]
    pct.columns = [
        t(k) for k in ("ens_metric", "ens_value", "ens_p5", "ens_p50", "ens_p95", "ens_percentile")
    ]
    st.dataframe(pct, hide_index=True, width="stretch")
    names = dict(
        zip(ens.prepared().units["code"].astype(str), ens.prepared().units["name"].astype(str), strict=True)
    )
    groups = pd.DataFrame(
        {
            t("ens_new_unit"): report.groups["new_unit"],
            t("ens_members"): [
                ", ".join(names.get(c, c) for c in m.split(";")) for m in report.groups["members"]
            ],
            t("ens_frequency"): [format_number(100 * f, 1, LANG) + "%" for f in report.groups["frequency"]],
            t("ens_rare"): [t("ens_yes") if r else t("ens_no") for r in report.groups["rare"]],
        }
    )
    st.subheader(t("ens_groups_title"))
    st.dataframe(groups, hide_index=True, width="stretch")


def _map_png() -> bytes:
    from sapxep.scenarios.export.ensemble_map import coassignment_figure, figure_png

    fig = coassignment_figure(
        ens.prepared().units,
        pairs,
        stab,
        plan=None if report is None else report.plan,
        n_plans=len(ens.plans),
        lang=LANG,
    )
    return figure_png(fig, dpi=110)


png = state.shared(
    ("ensemble_map", folder, _token(Path(folder)), None if report is None else report.name, LANG), _map_png
)
st.image(png, width="stretch")
