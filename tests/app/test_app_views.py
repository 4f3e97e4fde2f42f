"""Nationwide datasets in the app: province picker, level switch, views as dataset keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sapxep.scenarios.dataset_views import level_options, parse_view, view_data, view_key, view_label

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_view_keys_round_trip() -> None:
    assert view_key("vietnam_2025") == "vietnam_2025"
    key = view_key("vietnam_2019", None, "province")
    assert key == "vietnam_2019/*/province"
    assert parse_view(key) == ("vietnam_2019", None, "province")
    assert parse_view("vietnam_2025/25/commune") == ("vietnam_2025", "25", "commune")
    assert view_data("vietnam_2025/25/commune") == {"dataset": "vietnam_2025", "province": "25"}
    assert view_data(key) == {"dataset": "vietnam_2019", "level": "province"}


def test_level_options() -> None:
    assert level_options("vietnam_2025", None) == ["province", "commune"]  # no districts after 2025
    assert level_options("vietnam_2019", None) == ["province", "district"]  # 11,163 communes: too many
    assert level_options("vietnam_2019", "25") == ["commune", "district"]
    assert level_options("phu_tho_2023", None) == ["commune", "district"]


def test_view_label_in_vietnamese() -> None:
    assert (
        view_label("vietnam_2025/25/commune") == "Cả nước từ 07/2025 (3.321 đơn vị) — Tỉnh Phú Thọ — Cấp xã"
    )


def test_sidebar_offers_nationwide_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAPXEP_WORKSPACE", str(tmp_path / "ws.gpkg"))
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert "vietnam_2025" in at.sidebar.selectbox(key="dataset__vi").options or any(
        "3.321" in o for o in at.sidebar.selectbox(key="dataset__vi").options
    )
    at.sidebar.selectbox(key="dataset__vi").set_value("vietnam_2025").run()
    assert [str(e.value) for e in at.exception] == []
    assert at.sidebar.selectbox(key="province_vietnam_2025").value == "25"
    assert at.session_state["dataset_view"] == "vietnam_2025/25/commune"


def test_pages_open_on_a_province_view(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAPXEP_WORKSPACE", str(tmp_path / "ws.gpkg"))
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.selectbox(key="dataset__vi").set_value("vietnam_2025").run()
    at.sidebar.selectbox(key="ruleset__vi").set_value("nq112_2026").run()
    for page in ("app_pages/data.py", "app_pages/plan.py"):
        at.switch_page(page).run()
        assert [str(e.value) for e in at.exception] == [], page


def test_display_names_of_level_rulesets_and_unit_types() -> None:
    from sapxep.scenarios.messages import display_name

    assert display_name("ruleset", "nq76_2025@province") == "NQ 76/2025 (sắp xếp 2025) — cấp tỉnh"
    assert display_name("unit_type", "thanh_pho_tw") == "Thành phố trực thuộc trung ương"
    assert display_name("level", "district", "en") == "District level"
    label = display_name("dataset", "vietnam_2019/*/province", "en")
    assert label == "Viet Nam 2019 (11,163 units) — Province level"
