"""Panels of the plan page that change or store the plan: manual edits, save and open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from sapxep.app_pages import components, state
from sapxep.app_pages.state import t
from sapxep.scenarios.app.edits import move_unit, neighbouring_new_units, set_seat, split_new_unit
from sapxep.scenarios.app.hover import new_unit_labels
from sapxep.scenarios.app.planning import dissolve
from sapxep.scenarios.app.saved import save_scenario, scenario_names
from sapxep.units.errors import SapxepError
from sapxep.units.plan import MergePlan


def apply_edit(hist: Any, ds: str, new: MergePlan, label: str, changed: list[str]) -> None:
    """Push an edited plan on the undo history, keep it in the workspace and rerun the page.

    Parameters
    ----------
    hist : PlanHistory
        The editing session's undo/redo stack.
    ds : str
        Dataset view key of the draft.
    new : MergePlan
        The edited plan.
    label : str
        History label of the edit (e.g. ``"move 07939"``).
    changed : list of str
        Unit codes the edit changed (outlined on the map after the rerun).
    """
    hist.push(new, label)
    state.save_history(ds)
    st.session_state[f"last_edit:{ds}"] = changed
    st.rerun()


def edit_panel(
    plan: MergePlan,
    *,
    units: Any,
    graph: Any,
    hist: Any,
    ds: str,
    unit_label: Callable[[str], str],
    codes: list[str],
    lang: str,
) -> None:
    """Undo/redo and the three edit tabs: move a unit, split a new unit, choose a seat."""
    st.subheader(t("manual_edits"))
    u1, u2, _ = st.columns([1, 1, 1])
    if u1.button("↶ " + t("undo"), key="undo", disabled=not hist.can_undo):
        hist.undo()
        state.save_history(ds)
        st.rerun()
    if u2.button("↷ " + t("redo"), key="redo", disabled=not hist.can_redo):
        hist.redo()
        state.save_history(ds)
        st.rerun()
    pop = dict(zip(units["code"].astype(str), units["population"], strict=True))
    labels = new_unit_labels(plan, units)
    if st.session_state.pop(f"edit_unit_clicked:{ds}", False):  # a map click in edit mode
        st.session_state["edit_tab"] = t("edit_move")
    # only the open tab is drawn (the others' widgets load when picked)
    tab_move, tab_split, tab_seat = st.tabs(
        [t("edit_move"), t("edit_split"), t("edit_seat")], key="edit_tab", on_change="rerun"
    )
    try:
        if tab_move.open:
            with tab_move:
                _move_tab(
                    plan,
                    graph=graph,
                    hist=hist,
                    ds=ds,
                    unit_label=unit_label,
                    codes=codes,
                    labels=labels,
                    pop=pop,
                )
        if tab_split.open:
            with tab_split:
                _split_tab(plan, hist=hist, ds=ds, unit_label=unit_label, labels=labels, pop=pop)
        if tab_seat.open:
            with tab_seat:
                _seat_tab(plan, hist=hist, ds=ds, unit_label=unit_label, labels=labels)
    except SapxepError as exc:
        components.show_error(exc, lang)


def _move_tab(
    plan: MergePlan,
    *,
    graph: Any,
    hist: Any,
    ds: str,
    unit_label: Callable[[str], str],
    codes: list[str],
    labels: dict[str, str],
    pop: dict[str, Any],
) -> None:
    """Move a unit to a neighbouring new unit."""
    unit = st.selectbox(
        t("unit"), codes, format_func=unit_label, key=f"edit_unit:{ds}", index=None, placeholder=t("choose")
    )
    if not unit:
        return
    targets = neighbouring_new_units(plan, graph, unit)
    to = st.selectbox(
        t("to_new_unit"),
        targets,
        format_func=lambda g: labels.get(g, g),
        key=f"move_target:{unit}",
        placeholder=t("choose"),
    )
    if st.button(t("apply"), key="apply_move", disabled=not to):
        apply_edit(hist, ds, move_unit(plan, unit, to, graph=graph, population=pop), f"move {unit}", [unit])


def _split_tab(
    plan: MergePlan,
    *,
    hist: Any,
    ds: str,
    unit_label: Callable[[str], str],
    labels: dict[str, str],
    pop: dict[str, Any],
) -> None:
    """Split some members off a new unit."""
    multi = [g for g, m in plan.groups.items() if len(m) > 1]
    g = st.selectbox(
        t("new_unit"),
        multi,
        format_func=lambda g: labels.get(g, g),
        key="split_group",
        index=None,
        placeholder=t("choose"),
    )
    if not g:
        return
    out = st.multiselect(
        t("members_out"),
        plan.groups[g],
        format_func=unit_label,
        key=f"split_members:{g}",
        placeholder=t("choose"),
        select_all=False,
    )
    if st.button(t("apply"), key="apply_split", disabled=not out):
        apply_edit(hist, ds, split_new_unit(plan, g, out, population=pop), f"split {g}", list(out))


def _seat_tab(
    plan: MergePlan, *, hist: Any, ds: str, unit_label: Callable[[str], str], labels: dict[str, str]
) -> None:
    """Choose the seat of a new unit."""
    g2 = st.selectbox(
        t("new_unit"),
        list(plan.groups),
        format_func=lambda g: labels.get(g, g),
        key="seat_group",
        index=None,
        placeholder=t("choose"),
    )
    if not g2:
        return
    seat = st.selectbox(t("seat"), plan.groups[g2], format_func=unit_label, key=f"seat_code:{g2}")
    if st.button(t("apply"), key="apply_seat", disabled=not seat):
        apply_edit(hist, ds, set_seat(plan, g2, seat), f"seat {g2}", [seat])


def save_panel(
    plan: MergePlan, *, units: Any, dataset: str, ruleset_name: str, hist: Any, config: Any, lang: str
) -> None:
    """Save the plan as a named scenario; a taken name offers to overwrite."""
    st.subheader(t("save_scenario"))
    if st.session_state.pop("clear_scenario_name", False):  # after a save: an empty name field
        st.session_state[f"scenario_name:{dataset}"] = ""
    s1, s2, s3 = st.columns([3, 1, 1])
    sname = s1.text_input(t("scenario_name"), key=f"scenario_name:{dataset}").strip()
    ws = state.workspace()
    taken = bool(sname) and sname in set(scenario_names(ws))
    if taken:
        st.warning(t("name_taken", name=sname))
    save = s2.button(t("save_scenario"), key="save_scenario", disabled=not sname or taken)
    overwrite = s3.button(t("overwrite"), key="overwrite_scenario", disabled=not taken)
    if not (save or overwrite):
        return
    new_units = dissolve(units, plan)
    try:
        info = save_scenario(
            ws,
            sname,
            plan,
            units=units,
            dataset=dataset,
            ruleset=ruleset_name,
            new_units=new_units,
            metrics=st.session_state.get("plan_metrics"),
            config=config,
            source="optimizer" if hist.labels and hist.labels[hist.pos] == "optimizer" else "manual",
            if_exists="replace" if overwrite else "error",
        )
    except SapxepError as exc:
        components.show_error(exc, lang)
    else:
        st.session_state["last_saved"] = info.name
        st.session_state["clear_scenario_name"] = True
        state.flash(t("saved", name=info.name))
        st.rerun()


def open_panel(hist: Any, *, dataset: str, lang: str) -> None:
    """Open a saved scenario of this dataset as the current draft."""
    saved = scenario_names(state.workspace(), dataset)
    if not saved:
        return
    o1, o2 = st.columns([3, 1])
    pick = o1.selectbox(t("open_scenario"), saved, key=f"open_scenario:{dataset}")
    if o2.button(t("open"), key="open_saved"):
        try:
            hist.push(state.workspace().plan(pick), f"open {pick}")
        except SapxepError as exc:
            components.show_error(exc, lang)
        else:
            state.save_history(dataset)
            st.rerun()
