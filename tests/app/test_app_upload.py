"""Acceptance by app upload: a province cut from the nationwide 2019 file, with a planner's own
Vietnamese headers, goes through upload → detected mapping → clean → use → assessment → plan."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sapxep.geodata.io import load_dataset


def _ok(at: AppTest) -> None:
    assert [str(e.value) for e in at.exception] == []


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_bac_giang_upload_clean_use_plan(app: AppTest, tmp_path: Path) -> None:
    cols = ["code", "name", "parent_name", "province", "population", "geometry"]
    gdf = load_dataset("vietnam_2019", province="Bắc Giang")[cols]
    gdf = gdf.rename(columns={"code": "Mã xã", "name": "Tên xã", "parent_name": "Huyện", "province": "Tỉnh",
                              "population": "Dân số"})  # fmt: skip
    path = tmp_path / "bac_giang.geojson"
    gdf.to_file(path)
    app.run()
    app.radio(key="data_source_vi").set_value("upload").run()
    app.get("file_uploader")[0].upload("bac_giang.geojson", path.read_bytes(), "application/geo+json").run()
    _ok(app)
    assert not app.warning, [w.value for w in app.warning]  # code, name, population all recognised
    assert app.session_state["up_columns"] == {}
    # clean: refused at 10 % (two wards change more), named; accepted at 15 %
    app.button(key="upload_clean").click().run()
    assert any("--max-change-pct" in str(e.value) or "07207" in str(e.value) for e in app.error)
    app.number_input(key="upload_max_change").set_value(15.0).run()
    app.button(key="upload_clean").click().run()
    _ok(app)
    assert app.session_state["up_units"][0] == "bac_giang_clean.geojson"
    app.button(key="upload_apply").click().run()
    _ok(app)
    dataset = app.sidebar.selectbox(key="dataset__vi").value
    assert dataset == "upload:bac_giang.geojson"
    labels = [m.label for m in app.metric]
    assert app.metric[labels.index("Số đơn vị")].value == "222"
    # plan on the cleaned upload
    app.switch_page("app_pages/plan.py").run()
    _ok(app)
    app.number_input(key="plan_time_limit").set_value(5.0).run()
    app.button(key="run_optimizer").click().run()
    deadline = time.monotonic() + 90
    while "plan_job" in app.session_state and time.monotonic() < deadline:
        time.sleep(0.5)
        app.run()
    app.run()
    _ok(app)
    assert not app.error, [e.value for e in app.error]
