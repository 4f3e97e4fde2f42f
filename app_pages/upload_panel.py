"""Upload panel of the data page: pick file → detected mapping with preview → fix → clean → use.

Rendering only; every step calls :mod:`sapxep.scenarios.app.upload_flow`.
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from sapxep.app_pages import components, state
from sapxep.app_pages.state import t
from sapxep.scenarios.app.tables import format_table
from sapxep.scenarios.app.upload_flow import (
    clean_upload,
    columns_from_table,
    in_language,
    inspect_upload,
    mapping_targets,
    use_upload,
)
from sapxep.scenarios.app.uploads import check_upload_sizes
from sapxep.units.errors import SapxepError


def _problems(exc: SapxepError) -> None:
    components.problem_list(
        f"{t('validation_report')}: {getattr(exc, 'summary', str(exc))}", getattr(exc, "problems", [])
    )


def _target(value: object) -> str:
    return t(f"target_{value or ''}")


def _stage_files() -> bool:
    """Keep the uploaded bytes in the session (new files reset the mapping); True when ready."""
    units_up = st.file_uploader(
        t("upload_help", mb=state.MAX_UPLOAD_MB),
        type=["geojson", "json", "gpkg", "zip", "fgb"],
        key="upload_units",
    )
    attr_up = st.file_uploader(t("upload_attr_help"), type=["csv", "xlsx", "xls"], key="upload_attr")
    if units_up is None:
        return False
    files = [(units_up.name, units_up.size)] + ([(attr_up.name, attr_up.size)] if attr_up else [])
    too_big = check_upload_sizes(files, max_mb=state.MAX_UPLOAD_MB, lang=state.lang())
    if too_big:
        components.problem_list(t("validation_report"), too_big)
        return False
    key = json.dumps(files)
    if st.session_state.get("up_key") != key:
        st.session_state["up_key"] = key
        st.session_state["up_units"] = (units_up.name, units_up.getvalue())
        st.session_state["up_attr"] = (attr_up.name, attr_up.getvalue()) if attr_up else None
        st.session_state["up_columns"] = {}
        st.session_state["up_source"] = units_up.name
    return True


def _use(header_row: int | None, crs: str | None) -> None:
    try:
        gdf = use_upload(st.session_state["up_units"], st.session_state["up_attr"],
                         columns=st.session_state["up_columns"], header_row=header_row, crs=crs)  # fmt: skip
    except SapxepError as exc:
        _problems(exc)
        return
    name = f"upload:{st.session_state['up_source']}"
    try:
        key = state.workspace().put_units(name, gdf, replace=True)
    except SapxepError as exc:
        st.warning(str(exc))
        key = name
    if key != name:
        st.info(t("upload_version_kept", key=key))
    st.session_state.setdefault("uploads", {})[key] = gdf
    state.forget_unit_edits(key)
    st.session_state["pending_dataset"] = key
    msg = t("upload_ok", n=len(gdf), name=st.session_state["up_source"])
    if gdf.attrs.get("topology_warnings"):
        msg += " " + t("upload_topology_warn", n=len(gdf.attrs["topology_warnings"]))
    state.flash(msg)
    st.rerun()


def _clean(header_row: int | None, crs: str | None, max_change: float) -> None:
    try:
        cleaned, report, summary, _notes = clean_upload(
            st.session_state["up_units"], st.session_state["up_attr"], columns=st.session_state["up_columns"],
            header_row=header_row, crs=crs, max_change_pct=max_change,
        )  # fmt: skip
    except SapxepError as exc:
        _problems(exc)
        return
    # the cleaned file holds the attributes, with the columns already named: start its mapping afresh
    st.session_state.update(up_units=cleaned, up_attr=None, up_columns={},
                            up_report=report.to_csv(index=False).encode("utf-8-sig"))  # fmt: skip
    state.flash(t("upload_cleaned", overlap=summary["overlap_km2"], gaps=summary["gaps_filled"],
                  pct=summary["max_change_pct"]))  # fmt: skip
    st.rerun()


def show() -> None:
    """Render the upload flow."""
    if not _stage_files():
        return
    c1, c2 = st.columns(2)
    header_row = int(c1.number_input(t("upload_header_row"), 0, 200, 0, key="upload_header_row")) or None
    crs = c2.text_input(t("upload_crs"), key="upload_crs").strip() or None
    columns = st.session_state["up_columns"]
    try:
        preview = inspect_upload(st.session_state["up_units"], st.session_state["up_attr"], columns=columns,
                                 header_row=header_row, crs=crs)  # fmt: skip
    except SapxepError as exc:
        _problems(exc)
        return
    st.subheader(t("upload_mapping"))
    st.caption(t("upload_mapping_help"))
    digest = hashlib.sha1(json.dumps([st.session_state["up_key"], columns]).encode()).hexdigest()[:10]
    edited = st.data_editor(
        preview.mapping, key=f"up_map_{digest}", hide_index=True, width="stretch",
        disabled=["file", "header", "example"],
        column_config={
            "file": st.column_config.TextColumn(t("upload_col_file")),
            "header": st.column_config.TextColumn(t("upload_col_header")),
            "column": st.column_config.SelectboxColumn(t("upload_col_target"), options=mapping_targets(),
                                                       format_func=_target),
            "example": st.column_config.TextColumn(t("upload_col_example")),
        },
    )  # fmt: skip
    chosen = columns_from_table(edited)
    if chosen != columns_from_table(preview.mapping):
        st.session_state["up_columns"] = chosen
        st.rerun()
    notes = in_language(preview.notes, state.lang())  # decisions taken while reading, in the UI language
    if notes:
        with st.expander(t("upload_notes")):
            st.markdown("\n".join(f"- {n}" for n in notes))
    st.caption(t("upload_preview"))
    shown = format_table(preview.preview, state.lang())  # numbers in the UI's words, "—" where missing
    st.dataframe(shown.rename(columns=_target), width="stretch", hide_index=True)
    if preview.missing:
        st.warning(t("upload_missing", cols=", ".join(_target(m) for m in preview.missing)))
    b1, b2, b3 = st.columns(3)
    max_change = float(b3.number_input(t("upload_max_change"), 1.0, 100.0, 10.0, key="upload_max_change"))
    if b1.button(t("upload_clean"), key="upload_clean"):
        _clean(header_row, crs, max_change)
    if st.session_state.get("up_report"):
        b1.download_button(t("upload_clean_report"), st.session_state["up_report"], "clean_report.csv",
                           mime="text/csv")  # fmt: skip
    if b2.button(t("upload_use"), key="upload_apply", disabled=bool(preview.missing), type="primary"):
        _use(header_row, crs)
