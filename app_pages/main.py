"""The app's entry: page config, shared sidebar and page router (installed as ``sapxep.app_pages.main``).

``sapxep app`` serves this file with Streamlit's offline flags set; the repository's ``app.py``
calls :func:`run` so ``streamlit run app.py`` works from a checkout too.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import streamlit as st

from sapxep.app_pages import state
from sapxep.scenarios.app.datasets import (
    APP_DATASETS,
    DEFAULT_DATASET,
    DEFAULT_PROVINCE,
    DEFAULT_RULESET,
    ruleset_in_force,
    ruleset_names,
)
from sapxep.scenarios.dataset_views import ALL, NATIONWIDE, level_options, province_options, view_key
from sapxep.scenarios.messages import display_name
from sapxep.units.choices import LANGS
from sapxep.units.errors import SapxepError

_PAGES_DIR = Path(__file__).resolve().parent
#: The pages in menu order: file (and URL) name, Material icon. Titles are ``page_<name>`` texts.
PAGES = (
    ("data", "database"),
    ("plan", "account_tree"),
    ("compare", "compare"),
    ("ensemble", "stacked_bar_chart"),
    ("staffing", "groups"),
    ("export", "download"),
)


def _sidebar() -> None:
    lang = state.lang()
    with st.sidebar:
        st.segmented_control(
            "🌐",
            options=list(LANGS),
            format_func=lambda v: {"vi": "Tiếng Việt", "en": "English"}[v],
            key="lang",
            default="vi",
            label_visibility="collapsed",
        )
        uploads = sorted(set(st.session_state.get("uploads", {})) | set(state.stored_uploads()))
        options = list(APP_DATASETS) + uploads
        if st.session_state.get("dataset") not in options:
            st.session_state["dataset"] = DEFAULT_DATASET
        pick = state.choice(
            st.selectbox,
            state.t("dataset"),
            options,
            key="dataset",
            format_func=partial(display_name, "dataset", lang=lang),
        )
        st.session_state["dataset_view"] = _view_picker(str(pick or DEFAULT_DATASET), lang)
        _follow_dataset_ruleset(str(pick or DEFAULT_DATASET))
        state.choice(
            st.selectbox,
            state.t("ruleset_pick"),
            ruleset_names(),
            key="ruleset",
            format_func=partial(display_name, "ruleset", lang=lang),
        )
        st.caption(f"{state.t('workspace')}: `{state.workspace_path()}`")


def _follow_dataset_ruleset(pick: str) -> None:
    """On a new dataset, pick the ruleset in force for its state (the user may then change it)."""
    if st.session_state.get("ruleset_follows") == pick:
        return
    st.session_state["ruleset_follows"] = pick
    try:
        units = state.base_units(pick) if pick.startswith("upload:") else None
        st.session_state["ruleset"] = ruleset_in_force(pick, units)
    except SapxepError:  # an unreadable upload: the data page reports it
        return


def _view_picker(pick: str, lang: str) -> str:
    """Province picker and level switch for nationwide datasets; returns the dataset view key."""
    if pick not in NATIONWIDE:
        return pick
    names = dict(province_options(pick))
    codes = [ALL, *names]
    province = st.selectbox(
        state.t("province_pick"),
        codes,
        index=codes.index(DEFAULT_PROVINCE),
        format_func=lambda c: state.t("province_all") if c == ALL else names.get(c, c),
        key=f"province_{pick}",
    )
    levels = level_options(pick, province)
    level = (
        st.segmented_control(
            state.t("level_pick"),
            options=levels,
            default=levels[0],
            format_func=partial(display_name, "level", lang=lang),
            key=f"level_{pick}_{province}",
        )
        or levels[0]
    )
    return view_key(pick, province, level)


def _streamlit_labels() -> None:
    """Give Streamlit's own fixed English labels (file uploader) the UI language's words.

    The API has no option for them; CSS hides the English text and writes the catalogue's.
    """
    if state.lang() == "en":
        return
    drop, browse = state.t("uploader_drop"), state.t("uploader_browse")
    st.markdown(
        f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div > span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {{ content: "{drop}"; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div > small {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: "{browse}"; font-size: 0.875rem; }}
</style>""",
        unsafe_allow_html=True,
    )


def run() -> None:
    """Render one run of the app: page config, sidebar, then the selected page."""
    # a local icon file: a Material-icon or emoji favicon would be fetched from an outside host
    st.set_page_config(page_title="sapxep", page_icon=str(_PAGES_DIR / "favicon.png"), layout="wide")
    if "pending_dataset" in st.session_state:  # set by the data page after an upload
        st.session_state["dataset"] = st.session_state.pop("pending_dataset")
    for _key, _default in (("dataset", DEFAULT_DATASET), ("ruleset", DEFAULT_RULESET)):
        st.session_state.setdefault(_key, _default)
    _sidebar()
    _streamlit_labels()

    pages = [
        st.Page(_PAGES_DIR / f"{name}.py", title=state.t(f"page_{name}"), icon=f":material/{icon}:",
                url_path=name, default=name == "data")
        for name, icon in PAGES
    ]  # fmt: skip
    st.navigation(pages).run()


if __name__ == "__main__":
    run()
