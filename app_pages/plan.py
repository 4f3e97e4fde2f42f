"""Plan page: settings and locks, optimizer run with progress and cancel, plan map and metrics,
manual edits with instant re-check and undo/redo, save as a named scenario."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sapxep.app_pages import components, state
from sapxep.app_pages.state import t
from sapxep.scenarios.app.colours import GROUP_PALETTE, group_colours
from sapxep.scenarios.app.edits import check, move_unit, neighbouring_new_units, set_seat, split_new_unit
from sapxep.scenarios.app.geometry import boundary_lines
from sapxep.scenarios.app.hover import new_unit_labels, plan_hover
from sapxep.scenarios.app.jobs import BackgroundJob, JobCancelled
from sapxep.scenarios.app.planning import (
    comparison_metrics,
    dissolve,
    plan_config,
    plan_key,
    progress_fraction,
    run_plan,
)
from sapxep.scenarios.app.saved import save_scenario, scenario_names
from sapxep.scenarios.app.tables import metrics_frame
from sapxep.scenarios.messages import column_label
from sapxep.units.errors import InfeasibleError, SapxepError, SolverError

DS = state.dataset()
RS = state.ruleset_name()
LANG = state.lang()
K_LOCKS, K_PAIRS, K_PENDING = f"locks:{DS}", f"pairs:{DS}", f"pair_pending:{DS}"
K_EDIT_UNIT, K_RUN = f"edit_unit:{DS}", f"plan_run:{DS}"
st.session_state.setdefault(K_LOCKS, [])
st.session_state.setdefault(K_PAIRS, [])

st.header(t("page_plan"))
state.show_flash()

try:
    units = state.units(DS)
    graph = state.graph(DS)
    ruleset = state.ruleset(RS)
except SapxepError as exc:
    components.problem_list(getattr(exc, "summary", str(exc)), getattr(exc, "problems", []))
    st.stop()
hist = state.history(DS)
names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
codes = sorted(names)


def unit_label(code: str) -> str:
    """'Name (code)'."""
    return f"{names.get(code, code)} ({code})"


# ------------------------------------------------------------------ a finished background run
job = st.session_state.get("plan_job")
if job is not None and job.done:
    del st.session_state["plan_job"]
    ds_of_job = st.session_state.pop("plan_job_dataset", DS)
    if isinstance(job.error, JobCancelled):
        state.flash(t("cancelled"), "info")
    elif job.cancelled and isinstance(job.error, SolverError):  # cancelled before any plan
        state.flash(t("cancelled_no_plan"), "info")
    elif job.error is not None:
        err = job.error
        st.session_state[f"plan_run:{ds_of_job}"] = {
            "error_title": getattr(err, "summary", None) or f"{type(err).__name__}: {err}",
            "problems": list(getattr(err, "problems", [])),
            "infeasible": isinstance(err, InfeasibleError),
        }
    else:
        res = job.result
        state.history(ds_of_job).push(res.plan, "optimizer")
        st.session_state[f"plan_run:{ds_of_job}"] = {"metrics": res.metrics, "config": res.config}
        if res.metrics.get("cancelled"):  # cooperative cancel: the best plan found so far
            state.flash(t("run_cancelled", n=res.plan.n_after), "warning")
        else:
            state.flash(t("run_done", n=res.plan.n_after))
    st.rerun()


# ------------------------------------------------------------------ map clicks (callback)
def _on_map_click() -> None:
    sel = st.session_state.get("plan_map")
    points = (sel or {}).get("selection", {}).get("points", []) if sel else []
    clicked = [str(p["location"]) for p in points if p.get("location")]
    if not clicked:
        return
    code = clicked[0]
    mode = st.session_state.get(f"click_mode_{LANG}", "inspect")
    if mode == "lock":
        locks = list(st.session_state.get(K_LOCKS, []))
        st.session_state[K_LOCKS] = [c for c in locks if c != code] if code in locks else locks + [code]
    elif mode == "pair":
        pending = st.session_state.get(K_PENDING)
        if pending and pending != code:
            st.session_state[K_PAIRS] = list(st.session_state[K_PAIRS]) + [(pending, code)]
            st.session_state[K_PENDING] = None
        else:
            st.session_state[K_PENDING] = code
    elif mode == "edit":
        st.session_state[K_EDIT_UNIT] = code


# ------------------------------------------------------------------ settings
with st.expander(t("weights") + " · " + t("mode") + " · " + t("time_limit"), expanded=hist.current is None):
    c1, c2, c3 = st.columns(3)
    mode_labels = {m: t(f"mode_{m}") for m in ("max-units", "target-count", "repair")}
    mode = c1.selectbox(t("mode"), list(mode_labels), key="plan_mode", format_func=mode_labels.get)
    target = None
    if mode == "target-count":
        target = int(
            c1.number_input(
                t("target"),
                min_value=1,
                max_value=len(units),
                value=max(1, len(units) // 2),
                key="plan_target",
            )
        )
    time_limit = c1.number_input(
        t("time_limit"), min_value=1.0, max_value=600.0, value=10.0, step=1.0, key="plan_time_limit"
    )
    w_comp = c2.slider(t("w_compactness"), 0.0, 10.0, 0.0, 0.5, key="w_compactness")
    w_bal = c2.slider(t("w_balance"), 0.0, 10.0, 0.0, 0.5, key="w_balance")
    w_par = c2.slider(t("w_parents"), 0.0, 10.0, 0.0, 0.5, key="w_parents")
    stay = c3.checkbox(t("stay_within_parent"), value=True, key="plan_stay_within_parent")

with st.expander(t("locks"), expanded=bool(st.session_state[K_LOCKS] or st.session_state[K_PAIRS])):
    st.multiselect(t("lock_units"), codes, key=K_LOCKS, format_func=unit_label)
    pc1, pc2, pc3 = st.columns([2, 2, 1])
    pa = pc1.selectbox(
        t("lock_pairs") + " A",
        codes,
        format_func=unit_label,
        key=f"pair_a:{DS}",
        index=None,
        placeholder=t("choose"),
    )
    pb = pc2.selectbox(
        t("lock_pairs") + " B",
        codes,
        format_func=unit_label,
        key=f"pair_b:{DS}",
        index=None,
        placeholder=t("choose"),
    )
    if pc3.button("+", key="add_pair", disabled=not (pa and pb and pa != pb)):
        st.session_state[K_PAIRS] = list(st.session_state[K_PAIRS]) + [(pa, pb)]
        st.rerun()
    for i, (a, b) in enumerate(st.session_state[K_PAIRS]):
        r1, r2 = st.columns([5, 1])
        r1.write(f"{unit_label(a)} ＋ {unit_label(b)}")
        if r2.button("✕", key=f"del_pair_{i}"):
            pairs = list(st.session_state[K_PAIRS])
            del pairs[i]
            st.session_state[K_PAIRS] = pairs
            st.rerun()

# ------------------------------------------------------------------ run / progress / cancel
running = st.session_state.get("plan_job") is not None
if st.button(t("run"), type="primary", key="run_optimizer", disabled=running):
    try:
        cfg = plan_config(
            dataset=DS, ruleset=RS, mode=mode, target=target, compactness=w_comp, balance=w_bal,
            parents=w_par, time_limit_s=time_limit, locks=st.session_state[K_LOCKS],
            forced_pairs=st.session_state[K_PAIRS], stay_within_parent=stay,
        )  # fmt: skip
    except SapxepError as exc:
        components.problem_list(getattr(exc, "summary", str(exc)), getattr(exc, "problems", []))
    else:
        st.session_state.pop(K_RUN, None)
        st.session_state["plan_job_dataset"] = DS
        st.session_state["plan_job"] = BackgroundJob(
            run_plan, args=(cfg, units, graph, ruleset), kwargs={}
        ).start(stop_kw="should_stop")
        st.rerun()


def _cancel_run() -> None:
    """Ask the running job to stop; it ends with the best plan so far, picked up once done."""
    job = st.session_state.get("plan_job")
    if job is not None:
        job.cancel()


def _progress() -> None:
    job = st.session_state.get("plan_job")
    if job is None:
        return
    if job.done:
        st.rerun(scope="app")
    cfg = job.args[0]
    ev = job.progress or {}
    frac = progress_fraction(ev, job.elapsed_s, cfg.solver.time_limit_s)
    stage = ev.get("stage") if ev.get("event") == "stage" else ev.get("event")
    detail = t(f"stage_{stage}") if stage else ""
    if ev.get("objective") is not None:
        detail += f" · {t('best_so_far')}: {ev['objective']:.0f}"
        if ev.get("best_bound") is not None:
            detail += f" / {ev['best_bound']:.0f}"
    if job.cancelled:
        st.progress(frac, text=f"{t('cancelling')} {job.elapsed_s:.0f} s")
    else:
        st.progress(frac, text=f"{t('running')} {job.elapsed_s:.0f} s · {detail}")
    # the job stays in the session: the finished-run branch above picks up its result
    st.button(t("cancel"), key="cancel_run", on_click=_cancel_run, disabled=job.cancelled)


# poll the background run only while there is one (a fragment: the rest of the page stays still)
st.fragment(run_every=0.7 if running else None)(_progress)()

run_info = st.session_state.get(K_RUN) or {}
if run_info.get("error_title"):
    title = (t("infeasible") + ": " if run_info.get("infeasible") else "") + run_info["error_title"]
    components.problem_list(title, run_info.get("problems", []))

# ------------------------------------------------------------------ the current plan
plan = hist.current
if plan is None:
    st.info(t("no_plan"))
else:
    pkey = plan_key(plan)
    new_units = state.cached(("dissolve", DS, pkey), lambda: dissolve(units, plan))
    colours = group_colours(plan.assignment, graph)
    frame = pd.DataFrame({"code": units["code"].astype(str).to_numpy()})
    frame["colour"] = frame["code"].map(colours).fillna(0).astype(int)
    frame["hover"] = frame["code"].map(plan_hover(plan, units, LANG))
    lines = [(*boundary_lines(new_units), "#222222", 1.6)]
    locked = st.session_state[K_LOCKS]
    if locked:
        sub = units[units["code"].astype(str).isin(locked)]
        lines.append((*boundary_lines(sub), "#000000", 3.5))
    pending = st.session_state.get(K_PENDING)
    if pending:
        sub = units[units["code"].astype(str) == pending]
        lines.append((*boundary_lines(sub), "#d81b60", 3.5))
    st.subheader(t("plan_map") + f" — {plan.n_after} / {len(units)}")
    click_labels = {
        "inspect": t("click_nothing"),
        "lock": t("click_lock"),
        "pair": t("click_pair"),
        "edit": t("click_edit"),
    }
    st.radio(t("lock_click_mode"), list(click_labels), format_func=click_labels.__getitem__,
             horizontal=True, key=f"click_mode_{LANG}")  # fmt: skip
    fig = components.map_figure(
        state.geojson(DS), frame, category="colour",
        colours=dict(enumerate(GROUP_PALETTE)), lines=lines, show_legend=False,
    )  # fmt: skip
    components.show_map(fig, key="plan_map", on_select=_on_map_click)
    if locked:
        st.caption(t("locked_list", n=len(locked)) + ", ".join(unit_label(c) for c in locked))
    if pending:
        st.caption(t("pair_pending") + unit_label(pending))
    edit_col, info_col = st.columns([1, 1], gap="large")
    with info_col:
        checked = state.cached(
            ("check", DS, RS, pkey, state.edits_token(DS), LANG),
            lambda: check(units, plan, ruleset, graph, lang=LANG),
        )
        if checked.ok:
            st.success(t("check_ok"))
        else:
            components.problem_list(
                t("check_bad", n=len(checked.violations)),
                [v.message for v in checked.violations],
                kind="warning",
            )
        st.subheader(t("metrics"))
        metrics = state.cached(
            ("metrics", DS, RS, pkey, state.edits_token(DS)),
            lambda: comparison_metrics(units, plan, ruleset, graph, new_units),
        )
        st.table(metrics_frame(metrics, LANG).set_index(column_label("metric", LANG)))

    # -------------------------------------------------------------- manual edits + undo/redo
    with edit_col:
        st.subheader(t("manual_edits"))
        u1, u2, _ = st.columns([1, 1, 1])
        if u1.button("↶ " + t("undo"), key="undo", disabled=not hist.can_undo):
            hist.undo()
            st.rerun()
        if u2.button("↷ " + t("redo"), key="redo", disabled=not hist.can_redo):
            hist.redo()
            st.rerun()
        labels = new_unit_labels(plan, units)
        tab_move, tab_split, tab_seat = st.tabs([t("edit_move"), t("edit_split"), t("edit_seat")])
        with tab_move:
            unit = st.selectbox(
                t("unit"), codes, format_func=unit_label, key=K_EDIT_UNIT, index=None, placeholder=t("choose")
            )
            if unit:
                targets = neighbouring_new_units(plan, graph, unit)
                to = st.selectbox(
                    t("to_new_unit"),
                    targets,
                    format_func=lambda g: labels.get(g, g),
                    key=f"move_target:{unit}",
                )
                if st.button(t("apply"), key="apply_move", disabled=not to):
                    try:
                        hist.push(move_unit(plan, unit, to, graph=graph), f"move {unit}")
                    except SapxepError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()
        with tab_split:
            multi = [g for g, m in plan.groups.items() if len(m) > 1]
            g = st.selectbox(
                t("new_unit"),
                multi,
                format_func=lambda g: labels.get(g, g),
                key="split_group",
                index=None,
                placeholder=t("choose"),
            )
            if g:
                out = st.multiselect(
                    t("members_out"), plan.groups[g], format_func=unit_label, key=f"split_members:{g}"
                )
                if st.button(t("apply"), key="apply_split", disabled=not out):
                    try:
                        hist.push(split_new_unit(plan, g, out), f"split {g}")
                    except SapxepError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()
        with tab_seat:
            g2 = st.selectbox(
                t("new_unit"),
                list(plan.groups),
                format_func=lambda g: labels.get(g, g),
                key="seat_group",
                index=None,
                placeholder=t("choose"),
            )
            if g2:
                seat = st.selectbox(t("seat"), plan.groups[g2], format_func=unit_label, key=f"seat_code:{g2}")
                if st.button(t("apply"), key="apply_seat", disabled=not seat):
                    try:
                        hist.push(set_seat(plan, g2, seat), f"seat {g2}")
                    except SapxepError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()

    # -------------------------------------------------------------- save
    st.subheader(t("save_scenario"))
    s1, s2 = st.columns([3, 1])
    sname = s1.text_input(t("scenario_name"), key=f"scenario_name:{DS}")
    if s2.button(t("save_scenario"), key="save_scenario", disabled=not sname.strip()):
        cfg = (st.session_state.get(K_RUN) or {}).get("config")
        try:
            info = save_scenario(
                state.workspace(), sname.strip(), plan, units=units, dataset=DS, ruleset=RS,
                new_units=new_units, metrics=metrics, config=cfg,
                source="optimizer" if hist.labels[hist.pos] == "optimizer" else "manual",
            )  # fmt: skip
        except SapxepError as exc:
            st.error(str(exc))
        else:
            state.flash(t("saved", name=info.name))
            st.rerun()

# ------------------------------------------------------------------ open a saved scenario
saved = scenario_names(state.workspace(), DS)
if saved:
    o1, o2 = st.columns([3, 1])
    pick = o1.selectbox(t("open_scenario"), saved, key=f"open_scenario:{DS}")
    if o2.button(t("open"), key="open_saved"):
        try:
            hist.push(state.workspace().plan(pick), f"open {pick}")
        except SapxepError as exc:
            st.error(str(exc))
        else:
            st.rerun()
