"""Session state of the app: shared choices, cached loaders and the plan undo/redo stack.

One Streamlit process serves every user, so nothing here is module-level mutable state:
per-user data lives in ``st.session_state``; read-only data (bundled datasets, adjacency
graphs, GeoJSON) is cached with ``st.cache_resource`` (never mutated by the pages).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import streamlit as st

from sapxep.scenarios.app.datasets import DEFAULT_DATASET, DEFAULT_RULESET, adjacency_graph
from sapxep.scenarios.app.geometry import units_geojson
from sapxep.scenarios.app.history import PlanHistory
from sapxep.scenarios.app.unit_inputs import EDITABLE_COLUMNS, apply_unit_edits, read_unit_edits  # noqa: F401 - state.EDITABLE_COLUMNS
from sapxep.scenarios.messages import tr
from sapxep.units.choices import Lang
from sapxep.units.errors import SapxepError

#: Largest upload accepted, MB (the server's own limit is larger).
MAX_UPLOAD_MB = 50


# ---------------------------------------------------------------------------------- choices


def lang() -> Lang:
    """Return the UI language ("vi" by default)."""
    return "en" if st.session_state.get("lang") == "en" else "vi"


def t(key: str, /, **values: object) -> str:
    """Return the UI text ``key`` in the session's language."""
    return tr(key, lang(), **values)


def choice(widget: Any, label: str, options: Any, *, key: str, multi: bool = False, **kwargs: Any) -> Any:
    """Draw a select widget whose value survives a language switch.

    Streamlit keeps a select widget's value as its *displayed* text, so translated options would
    reset it when the language changes. The value lives under ``key`` (plain session state,
    also kept across pages); the widget gets a per-language key and is synced both ways.

    Parameters
    ----------
    widget : callable
        ``st.selectbox``, ``st.multiselect`` or the same method of a column/container.
    label : str
    options : sequence
    key : str
        The session key of the value.
    multi : bool
        True for a multiselect (the value is a list).
    **kwargs
        Passed to the widget (``format_func``, ``placeholder``, ...); ``index``/``default`` give the
        first value when ``key`` has none.
    """
    opts = list(options)
    wkey = f"{key}__{lang()}"
    index, default = kwargs.pop("index", 0), kwargs.pop("default", None)
    value = st.session_state.get(key)
    if multi:
        value = [v for v in (value if value is not None else (default or [])) if v in opts]
    elif value not in opts:
        value = opts[index] if opts and index is not None and index < len(opts) else None
    st.session_state[key] = value
    st.session_state[wkey] = value

    def sync() -> None:
        st.session_state[key] = st.session_state[wkey]

    return widget(label, opts, key=wkey, on_change=sync, **kwargs)


def workspace_path() -> Path:
    """Return the workspace file: ``$SAPXEP_WORKSPACE`` or ``sapxep.gpkg`` in the working dir."""
    return Path(os.environ.get("SAPXEP_WORKSPACE") or "sapxep.gpkg").resolve()


def workspace() -> Any:
    """Return the session's :class:`sapxep.scenarios.workspace.store.Workspace`."""
    from sapxep.scenarios.workspace.store import Workspace

    return Workspace(workspace_path())


def stored_uploads() -> list[str]:
    """Return the uploaded datasets stored in the workspace (``upload:<file>``)."""
    try:
        from sapxep.scenarios.app.unit_inputs import EDITS_SUFFIX

        return [d for d in workspace().datasets() if d.startswith("upload:") and not d.endswith(EDITS_SUFFIX)]
    except SapxepError:  # an unreadable workspace has none; the pages report it
        return []


def dataset() -> str:
    """Return the chosen dataset: bundled name, ``upload:<file>``, or a view of a nationwide
    dataset (``vietnam_2025/25/commune``, see :mod:`sapxep.scenarios.dataset_views`)."""
    base = str(st.session_state.get("dataset") or DEFAULT_DATASET)
    view = str(st.session_state.get("dataset_view") or "")
    return view if view == base or view.startswith(f"{base}/") else base


def ruleset_name() -> str:
    """Return the chosen ruleset name."""
    return str(st.session_state.get("ruleset") or DEFAULT_RULESET)


# ---------------------------------------------------------------------------------- loaders


@st.cache_resource(show_spinner=False)
def _bundled_units(name: str) -> Any:
    from sapxep.scenarios.dataset_views import load_view

    return load_view(name)  # a dataset name, or a view "dataset/province/level"


@st.cache_resource(show_spinner=False)
def _graph(name: str, _units: Any, edits_key: str) -> Any:  # noqa: ARG001 - cache key
    return adjacency_graph(_units)


@st.cache_resource(show_spinner=False)
def _geojson(name: str, _units: Any, n: int) -> dict[str, Any]:  # noqa: ARG001 - cache key
    return units_geojson(_units)


@st.cache_resource(show_spinner=False)
def _ruleset(name: str, level: str = "commune") -> Any:
    from sapxep.units.rules import load_ruleset
    from sapxep.units.rules.level_rules import ruleset_for_level

    return ruleset_for_level(load_ruleset(name), level)  # type: ignore[arg-type]


def base_units(name: str | None = None) -> Any:
    """Return the units of a dataset before per-unit edits (bundled or uploaded)."""
    name = name or dataset()
    if name.startswith("upload:"):
        uploads = st.session_state.setdefault("uploads", {})
        if name not in uploads:
            uploads[name] = workspace().units(name)
        return uploads[name]
    return _bundled_units(name)


def unit_edits(name: str | None = None) -> Any:
    """Return the per-unit edits of a dataset (DataFrame indexed by code; may be empty)."""
    name = name or dataset()
    cache = st.session_state.setdefault("unit_edits", {})
    if name not in cache:
        cache[name] = read_unit_edits(workspace(), name, base_units(name))
    return cache[name]


def set_unit_edits(name: str, edits: Any) -> None:
    """Replace the session's copy of the per-unit edits of ``name``."""
    st.session_state.setdefault("unit_edits", {})[name] = edits


def forget_unit_edits(name: str) -> None:
    """Drop the session's copy of the edits of ``name`` (re-read from the workspace)."""
    st.session_state.get("unit_edits", {}).pop(name, None)


def edits_token(name: str | None = None) -> str:
    """Return a short token that changes whenever the per-unit edits of ``name`` change."""
    import hashlib

    e = unit_edits(name)
    if e is None or e.empty:
        return "0"
    return hashlib.sha1(e.to_csv().encode()).hexdigest()[:12]


@st.cache_resource(show_spinner=False, max_entries=32)
def _assessment(name: str, rules: str, lang_: Lang, token: str, _units: Any) -> Any:  # noqa: ARG001
    from sapxep.units.assessment import assess_units

    return assess_units(_units, _ruleset(rules), lang=lang_)


def assessment(name: str | None = None, rules: str | None = None) -> Any:
    """Return the assessment of the effective units against a ruleset (cached)."""
    name = name or dataset()
    return _assessment(name, rules or ruleset_name(), lang(), edits_token(name), units(name))


def units(name: str | None = None) -> Any:
    """Return the effective units table (with per-unit edits applied)."""
    name = name or dataset()
    return apply_unit_edits(base_units(name), unit_edits(name))


def graph(name: str | None = None) -> Any:
    """Return the adjacency graph of a dataset (cached)."""
    name = name or dataset()
    return _graph(name, base_units(name), name)


def geojson(name: str | None = None) -> dict[str, Any]:
    """Return the GeoJSON of a dataset's units for Plotly (cached)."""
    name = name or dataset()
    b = base_units(name)
    return _geojson(name, b, len(b))


@st.cache_resource(show_spinner=False)
def _extent(name: str, _units: Any, n: int) -> tuple[float, float, float, float]:  # noqa: ARG001 - cache key
    from sapxep.scenarios.app.geometry import lonlat_extent

    return lonlat_extent(_units)


def extent(name: str | None = None) -> tuple[float, float, float, float]:
    """Return the lon/lat extent of a dataset's units (cached): maps keep the data's shape."""
    name = name or dataset()
    b = base_units(name)
    return _extent(name, b, len(b))


def ruleset(name: str | None = None) -> Any:
    """Return a loaded ruleset (cached)."""
    from sapxep.scenarios.dataset_views import parse_view

    level = "commune" if dataset().startswith("upload:") else parse_view(dataset())[2]
    return _ruleset(name or ruleset_name(), level)


# ---------------------------------------------------------------------------------- plans


def history(name: str | None = None) -> PlanHistory:
    """Return the plan history of a dataset: this session's, else the draft kept in the workspace."""
    from sapxep.scenarios.app.drafts import load_draft

    name = name or dataset()
    key = f"history:{name}"
    if key not in st.session_state:
        st.session_state[key] = load_draft(workspace(), name)
    return st.session_state[key]


def save_history(name: str | None = None) -> None:
    """Keep the plan history of a dataset in the workspace (a reload or page switch loses nothing)."""
    from sapxep.scenarios.app.drafts import save_draft

    name = name or dataset()
    try:
        save_draft(workspace(), name, history(name))
    except SapxepError as exc:  # the draft is a convenience: say so, keep working
        st.warning(f"{t('draft_not_saved')} {exc}")


def page_settings(page: str) -> dict[str, Any]:
    """Return the stored settings of a page (read from the workspace once per session)."""
    from sapxep.scenarios.app.drafts import load_settings

    key = f"_settings:{page}"
    if key not in st.session_state:
        st.session_state[key] = load_settings(workspace(), page)
    return st.session_state[key]


def keep_settings(page: str, keys: Any) -> None:
    """Restore widget values of ``keys`` from the workspace (first) or store their new values.

    Call before the widgets are drawn with ``restore=True`` semantics: missing session values
    are filled from the stored settings; call :func:`store_settings` after the widgets.
    """
    stored = page_settings(page)
    for k in keys:
        if k not in st.session_state and k in stored:
            st.session_state[k] = stored[k]


def store_settings(page: str, keys: Any) -> None:
    """Store the current values of ``keys`` in the workspace when they changed."""
    from sapxep.scenarios.app.drafts import save_settings

    stored = page_settings(page)
    current = {k: _jsonable(st.session_state.get(k)) for k in keys if k in st.session_state}
    if all(stored.get(k) == v for k, v in current.items()):
        return
    merged = {**stored, **current}
    try:
        save_settings(workspace(), page, merged)
    except SapxepError as exc:
        st.warning(f"{t('draft_not_saved')} {exc}")
        return
    st.session_state[f"_settings:{page}"] = merged


def _jsonable(v: Any) -> Any:
    if isinstance(v, tuple | list):
        return [_jsonable(x) for x in v]
    return v


def flash(message: str, kind: str = "success") -> None:
    """Queue a message shown once on the next run of the page."""
    st.session_state.setdefault("flash", []).append((kind, message))


def show_flash() -> None:
    """Show and clear the queued messages."""
    for kind, message in st.session_state.pop("flash", []):
        getattr(st, kind, st.info)(message)


@st.cache_resource(show_spinner=False)
def _shared_store() -> tuple[dict[tuple[object, ...], Any], threading.Lock]:
    return {}, threading.Lock()


def shared(key: tuple[object, ...], compute: Any, *, max_entries: int = 64) -> Any:
    """Return ``compute()`` memoised for every session under ``key`` (a small LRU).

    For results fully determined by the key (a plan's hash, the dataset, the ruleset, the
    unit edits): a reload or a new session finds them computed. Never mutate the result.
    """
    store, lock = _shared_store()
    with lock:
        if key in store:
            value = store.pop(key)
            store[key] = value
            return value
    value = compute()
    with lock:
        store[key] = value
        while len(store) > max_entries:
            store.pop(next(iter(store)))
    return value


def cached(key: tuple[object, ...], compute: Any, *, max_entries: int = 24) -> Any:
    """Return ``compute()`` memoised per session under ``key`` (a small LRU).

    Used for results that depend on the session's current plan (dissolve, check, metrics),
    so that reruns caused by map clicks or widgets do not recompute them.
    """
    store: dict[tuple[object, ...], Any] = st.session_state.setdefault("_memo", {})
    if key in store:
        value = store.pop(key)
        store[key] = value
        return value
    value = compute()
    store[key] = value
    while len(store) > max_entries:
        store.pop(next(iter(store)))
    return value
