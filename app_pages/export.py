"""Export page: every export of a saved scenario as a download button (generated on click)."""

from __future__ import annotations

import streamlit as st

from sapxep.app_pages import state
from sapxep.app_pages.state import t
from sapxep.scenarios.app.downloads import (
    EXPORTS,
    comparison_pdf_bytes,
    download_bytes,
    export_available,
    plan_csv_bytes,
    safe_file_stem,
)
from sapxep.scenarios.app.saved import scenario_infos
from sapxep.scenarios.messages import display_name

LANG = state.lang()
st.header(t("page_export"))
ws = state.workspace()
infos = scenario_infos(ws)
if not infos:
    st.info(t("no_scenarios"))
    st.stop()

names = sorted(infos, key=lambda n: infos[n].updated, reverse=True)
last = st.session_state.get("last_saved")
if last in names and st.session_state.get("export_for_saved") != last:  # open on the scenario just saved
    st.session_state["export_scenario"] = last
    st.session_state["export_for_saved"] = last
name = st.selectbox(t("scenario"), names, key="export_scenario")
info = infos[name]
st.caption(
    f"{display_name('dataset', info.dataset, LANG)} · {display_name('ruleset', info.ruleset, LANG)} · "
    f"{t('n_units_short', n=info.n_before)} → {t('n_units_short', n=info.n_after)} · "
    f"{display_name('source', info.source, LANG)}"
)
ws_path = str(state.workspace_path())
stem = safe_file_stem(name)

st.subheader(t("downloads"))
cols = st.columns(3)
for i, (export_id, (_, _, suffix, mime)) in enumerate(EXPORTS.items()):
    ok = export_available(export_id)
    label = t(f"exp_{export_id}") + ("" if ok else f" — {t('exp_missing')}")
    cols[i % 3].download_button(
        label,
        data=(lambda e=export_id: download_bytes(ws_path, name, e, lang=LANG)) if ok else b"",
        file_name=stem + suffix,
        mime=mime,
        key=f"dl_{export_id}",
        disabled=not ok,
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
cols[len(EXPORTS) % 3].download_button(
    t("exp_plan_csv"),
    data=lambda: plan_csv_bytes(ws, name),
    file_name=f"{stem}-plan.csv",
    mime="text/csv",
    key="dl_plan_csv",
    on_click="ignore",
    icon=":material/download:",
    width="stretch",
)

others = [n for n in names if n != name and infos[n].dataset == info.dataset]
if others:
    st.subheader(t("exp_compare_pdf"))
    with_ = st.multiselect(
        t("exp_compare_pick"), others, default=others[:1], max_selections=5, key="export_compare_with"
    )
    if with_:
        st.download_button(
            t("exp_compare_pdf"),
            data=lambda: comparison_pdf_bytes(ws_path, [name, *with_], lang=LANG),
            file_name=f"{stem}-so-sanh.pdf",
            mime="application/pdf",
            key="dl_compare_pdf",
            on_click="ignore",
            icon=":material/download:",
        )
