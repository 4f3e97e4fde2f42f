"""Management of saved scenarios: search (with or without diacritics), rename, duplicate, delete."""

from __future__ import annotations

from typing import Any

import streamlit as st

from sapxep.app_pages import components, state
from sapxep.app_pages.state import t
from sapxep.scenarios.app.search import search_names
from sapxep.scenarios.messages import display_name
from sapxep.units.errors import SapxepError


def manage_panel(ws: Any, infos: dict[str, Any], lang: str) -> None:
    """An expander listing the saved scenarios with rename, duplicate and delete (confirmed)."""
    if not infos:
        return
    with st.expander(t("manage")):
        query = st.text_input(t("search_scenarios"), key="manage_query", placeholder=t("search_hint"))
        names = search_names(sorted(infos, key=lambda n: infos[n].updated, reverse=True), query)
        if not names:
            return
        name = state.choice(
            st.selectbox,
            t("scenario"),
            names,
            key="manage_pick",
            format_func=lambda n: (
                f"{n} · {display_name('dataset', infos[n].dataset, lang)}"
                f" · {display_name('source', infos[n].source, lang)}"
            ),
        )
        c1, c2, c3 = st.columns(3)
        new = c1.text_input(t("rename_to"), key="manage_new_name", value="").strip()
        try:
            if c1.button(t("rename"), key="manage_rename", disabled=not new or new == name):
                info = ws.rename(name, new)
                state.flash(t("renamed", name=info.name))
                st.rerun()
            if c2.button(t("duplicate"), key="manage_duplicate"):
                info = ws.duplicate(name, new or f"{name} {t('copy_suffix')}")
                state.flash(t("duplicated", name=info.name))
                st.rerun()
            sure = c3.checkbox(t("confirm_delete", name=name), key="manage_confirm")
            if c3.button(t("delete"), key="manage_delete", disabled=not sure, type="primary"):
                ws.delete(name)
                state.flash(t("deleted", name=name))
                st.rerun()
        except SapxepError as exc:
            components.show_error(exc, lang)
