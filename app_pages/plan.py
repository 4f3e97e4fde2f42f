"""Plan page: settings and locks (kept in the workspace), optimizer run with progress in words
and cancel, a verdict, the full-width plan map with a legend, the table of new units linked to the
map, manual edits with instant re-check and undo/redo (the draft is kept in the workspace), save."""

from __future__ import annotations

import streamlit as st

from sapxep.app_pages import components, plan_edits, plan_panels, state
from sapxep.app_pages.state import t
from sapxep.scenarios.app.jobs import BackgroundJob, JobCancelled
from sapxep.scenarios.app.planning import plan_config, run_plan
from sapxep.scenarios.app.progress import impossible_settings, progress_words
from sapxep.scenarios.messages import display_name
from sapxep.units.choices import MODES
from sapxep.units.errors import SapxepError, SolverError

DS = state.dataset()
RS = state.ruleset_name()
LANG = state.lang()
K_LOCKS, K_PAIRS, K_PENDING = f"locks:{DS}", f"pairs:{DS}", f"pair_pending:{DS}"
K_RUN = f"plan_run:{DS}"
PAGE = f"plan:{DS}"
SETTINGS = (
    "plan_mode",
    "plan_target",
    "plan_time_limit",
    "w_compactness",
    "w_balance",
    "w_parents",
    "plan_stay_within_parent",
    K_LOCKS,
    K_PAIRS,
)

st.header(t("page_plan"))
state.show_flash()

try:
    units = state.units(DS)
    graph = state.graph(DS)
    ruleset = state.ruleset(RS)
except SapxepError as exc:
    components.show_error(exc, LANG)
    st.stop()
hist = state.history(DS)
names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
codes = sorted(names, key=lambda c: (names[c], c))


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
        st.session_state[f"plan_run:{ds_of_job}"] = {"error": job.error}
    else:
        res = job.result
        state.history(ds_of_job).push(res.plan, "optimizer")
        state.save_history(ds_of_job)
        st.session_state[f"plan_run:{ds_of_job}"] = {"metrics": res.metrics, "config": res.config}
        st.session_state.pop(f"last_edit:{ds_of_job}", None)
        if res.metrics.get("cancelled"):  # cooperative cancel: the best plan found so far
            state.flash(t("run_cancelled", n=res.plan.n_after), "warning")
        else:
            state.flash(t("run_done", n=res.plan.n_after))
    st.rerun()

# ------------------------------------------------------------------ settings (kept in the workspace)
state.keep_settings(PAGE, SETTINGS)
for _k, _v in (
    ("plan_mode", "max-units"),
    ("plan_target", max(1, len(units) // 2)),
    ("plan_time_limit", 10.0),
    ("w_compactness", 0.0),
    ("w_balance", 0.0),
    ("w_parents", 0.0),
    ("plan_stay_within_parent", True),
    (K_LOCKS, []),
    (K_PAIRS, []),
):
    st.session_state.setdefault(_k, _v)
st.session_state[K_LOCKS] = [c for c in st.session_state[K_LOCKS] if c in names]
st.session_state[K_PAIRS] = [tuple(p) for p in st.session_state[K_PAIRS] if len(p) == 2]

# a folded panel draws nothing (its widgets load only when opened); the values stay in the session
for _k in SETTINGS:
    st.session_state[_k] = st.session_state[_k]


def _settings_panel() -> None:
    """Mode, target, time limit, weights and the district rule (values in the session)."""
    c1, c2, c3 = st.columns(3)
    state.choice(
        c1.selectbox,
        t("mode"),
        list(MODES),
        key="plan_mode",
        format_func=lambda m: display_name("mode", m, LANG),
    )
    if st.session_state["plan_mode"] == "target-count":
        c1.number_input(t("target"), min_value=1, max_value=len(units), key="plan_target")
    c1.number_input(t("time_limit"), min_value=1.0, max_value=600.0, step=1.0, key="plan_time_limit")
    c2.slider(t("w_compactness"), 0.0, 10.0, step=0.5, key="w_compactness")
    c2.slider(t("w_balance"), 0.0, 10.0, step=0.5, key="w_balance")
    c2.slider(t("w_parents"), 0.0, 10.0, step=0.5, key="w_parents")
    c3.checkbox(t("stay_within_parent"), key="plan_stay_within_parent")


def _locks_panel() -> None:
    """Locked units and pairs that must stay together."""
    st.multiselect(
        t("lock_units"), codes, key=K_LOCKS, format_func=unit_label, placeholder=t("choose"), select_all=False
    )
    pc1, pc2, pc3 = st.columns([2, 2, 1])
    pa, pb = (
        col.selectbox(f"{t('lock_pairs')} {side}", codes, format_func=unit_label,
                      key=f"pair_{side.lower()}:{DS}", index=None, placeholder=t("choose"))
        for col, side in ((pc1, "A"), (pc2, "B"))
    )  # fmt: skip
    if pc3.button("+", key="add_pair", disabled=not (pa and pb and pa != pb), help=t("lock_pairs")):
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


for _label, _open, _panel in (
    (t("weights") + " · " + t("mode") + " · " + t("time_limit"), hist.current is None, _settings_panel),
    (t("locks"), bool(st.session_state[K_LOCKS] or st.session_state[K_PAIRS]), _locks_panel),
):
    _box = st.expander(_label, expanded=_open, key=f"open:{_panel.__name__}", on_change="rerun")
    if _box.open:
        with _box:
            _panel()
mode = st.session_state["plan_mode"]
target = int(st.session_state["plan_target"]) if mode == "target-count" else None
time_limit = float(st.session_state["plan_time_limit"])
w_comp, w_bal, w_par = (float(st.session_state[k]) for k in ("w_compactness", "w_balance", "w_parents"))
stay = bool(st.session_state["plan_stay_within_parent"])
state.store_settings(PAGE, SETTINGS)

# ------------------------------------------------------------------ impossible settings, run, progress
impossible = impossible_settings(
    units,
    mode=mode,
    target=target,
    stay_within_parent=stay,
    locks=st.session_state[K_LOCKS],
    pairs=st.session_state[K_PAIRS],
    lang=LANG,
)
if impossible:
    components.problem_list(t("impossible"), impossible)
running = st.session_state.get("plan_job") is not None
if st.button(t("run"), type="primary", key="run_optimizer", disabled=running or bool(impossible)):
    try:
        cfg = plan_config(
            dataset=DS,
            ruleset=RS,
            mode=mode,
            target=target,
            compactness=w_comp,
            balance=w_bal,
            parents=w_par,
            time_limit_s=time_limit,
            locks=st.session_state[K_LOCKS],
            forced_pairs=st.session_state[K_PAIRS],
            stay_within_parent=stay,
        )
    except SapxepError as exc:
        components.show_error(exc, LANG)
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
    from sapxep.scenarios.app.planning import progress_fraction

    cfg = job.args[0]
    frac = progress_fraction(job.progress, job.elapsed_s, cfg.solver.time_limit_s)
    words = progress_words(job.progress, LANG)
    head = t("cancelling") if job.cancelled else t("running")
    st.progress(frac, text=f"{head} {t('seconds', s=round(job.elapsed_s))} — {words}")
    # the job stays in the session: the finished-run branch above picks up its result
    st.button(t("cancel"), key="cancel_run", on_click=_cancel_run, disabled=job.cancelled)


# poll the background run only while there is one (a fragment: the rest of the page stays still)
st.fragment(run_every=0.7 if running else None)(_progress)()

run_info = st.session_state.get(K_RUN) or {}
if run_info.get("error") is not None:
    components.show_error(run_info["error"], LANG)

# ------------------------------------------------------------------ the current plan
plan = hist.current
if plan is None:
    st.info(t("no_plan"))
else:
    plan_panels.show_plan(
        plan,
        units=units,
        graph=graph,
        ruleset=ruleset,
        hist=hist,
        dataset=DS,
        ruleset_name=RS,
        lang=LANG,
        locks=st.session_state[K_LOCKS],
        pending=st.session_state.get(K_PENDING),
        metrics_run=run_info.get("metrics"),
        unit_label=unit_label,
        codes=codes,
    )
    plan_edits.save_panel(
        plan, units=units, dataset=DS, ruleset_name=RS, hist=hist, config=run_info.get("config"), lang=LANG
    )

plan_edits.open_panel(hist, dataset=DS, lang=LANG)
