"""Every page of the Streamlit app runs headless (AppTest) without an exception."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

PAGES = (
    "app_pages/data.py",
    "app_pages/plan.py",
    "app_pages/compare.py",
    "app_pages/staffing.py",
    "app_pages/export.py",
    "app_pages/ensemble.py",
)


#: Hang guard of each AppTest run of this module (the ``app`` fixture in conftest.py).
APP_TIMEOUT_S = 60


def _errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception]


def test_first_page_is_data_in_vietnamese(app: AppTest) -> None:
    app.run()
    assert _errors(app) == []
    assert [h.value for h in app.header] == ["Dữ liệu"]
    labels = [m.label for m in app.metric]
    assert "Số đơn vị" in labels
    assert app.metric[labels.index("Số đơn vị")].value == "225"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app: AppTest, page: str) -> None:
    app.run()
    app.switch_page(page).run()
    assert _errors(app) == []
    assert len(app.header) >= 1
    for frame in app.dataframe:  # an empty cell reads "None" in the grid
        assert not frame.value.isna().any().any(), frame.value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_english(app: AppTest, page: str) -> None:
    app.run()
    app.sidebar.segmented_control(key="lang").set_value("en").run()
    app.switch_page(page).run()
    assert _errors(app) == []
    assert app.header[0].value in {"Data", "Plan", "Compare", "Staffing", "Export", "Ensemble"}


def test_english_switch_changes_texts(app: AppTest) -> None:
    app.run()
    app.sidebar.segmented_control(key="lang").set_value("en").run()
    assert _errors(app) == []
    assert app.header[0].value == "Data"
    assert "Units" in [m.label for m in app.metric]


def test_dataset_and_ruleset_switch(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="dataset__vi").set_value("phu_tho_2019").run()
    assert _errors(app) == []
    labels = [m.label for m in app.metric]
    assert app.metric[labels.index("Số đơn vị")].value == "277"
    for name in app.sidebar.selectbox(key="ruleset__vi").options:
        app.sidebar.selectbox(key="ruleset__vi").set_value(name).run()
        assert _errors(app) == []


def test_ruleset_follows_the_dataset_until_the_user_picks_one(app: AppTest) -> None:
    """A new dataset opens with the ruleset in force for its state; a choice made then stays."""
    app.run()
    assert app.session_state["ruleset"] == "nq76_2025"  # Phú Thọ before the 2025 reform
    app.sidebar.selectbox(key="dataset__vi").set_value("phu_tho_2025").run()
    assert _errors(app) == []
    assert app.sidebar.selectbox(key="ruleset__vi").value == "nq112_2026"  # the 2026 standards
    app.sidebar.selectbox(key="ruleset__vi").set_value("nq76_2025").run()
    app.switch_page("app_pages/plan.py").run()
    assert app.sidebar.selectbox(key="ruleset__vi").value == "nq76_2025"
    app.sidebar.selectbox(key="dataset__vi").set_value("phu_tho_2019").run()
    assert app.session_state["ruleset"] == "nq76_2025"
    assert _errors(app) == []


def test_language_switch_keeps_the_choices(app: AppTest) -> None:
    """Streamlit keeps a select box's displayed text: translated options must not reset it."""
    app.run()
    app.sidebar.selectbox(key="dataset__vi").set_value("phu_tho_2019").run()
    app.switch_page("app_pages/plan.py").run()
    app.selectbox(key="plan_mode__vi").set_value("repair").run()
    app.sidebar.segmented_control(key="lang").set_value("en").run()
    assert _errors(app) == []
    assert app.session_state["dataset"] == "phu_tho_2019"
    assert app.sidebar.selectbox(key="dataset__en").value == "phu_tho_2019"
    assert app.selectbox(key="plan_mode__en").value == "repair"


def test_data_page_finds_a_unit_without_diacritics(app: AppTest) -> None:
    app.run()
    app.text_input(key="data_search:phu_tho_2023").input("yen luat").run()
    assert _errors(app) == []
    assert any("Xã Yên Luật" in str(m.value) for m in app.markdown)
