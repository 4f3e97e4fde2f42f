"""Headless (AppTest) runs of the app's main flows on the bundled data.

Plans use the 2019 dataset (137 new units are found optimal in ~3 s) and a 3 s time limit.
"""

from __future__ import annotations

import html
import json
import os
import re
import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from sapxep.scenarios.app.downloads import EXPORTS, comparison_pdf_bytes, download_bytes
from sapxep.scenarios.app.jobs import BackgroundJob
from sapxep.scenarios.app.saved import HISTORY_SCENARIO
from sapxep.scenarios.app.unit_inputs import edits_key
from sapxep.scenarios.messages import tr
from sapxep.units.errors import SolverError
from sapxep.units.plan_edit import plans_equal

APP = str(Path(__file__).resolve().parents[2] / "app.py")


#: Hang guard of each AppTest run of this module (the ``app`` fixture in conftest.py).
APP_TIMEOUT_S = 90


def _ok(at: AppTest) -> None:
    """No exception on the page, and no table with an empty cell (the grid would write "None")."""
    assert [str(e.value) for e in at.exception] == []
    for frame in at.dataframe:
        if not str(frame.key or "").startswith("unit_editor"):  # the editor's blanks are input cells
            assert not frame.value.isna().any().any(), frame.value


def _texts(elements: object) -> list[str]:
    return [str(e.value) for e in elements]


def _html_table(body: str) -> pd.DataFrame:
    """Read back a table drawn by ``components.static_table`` (first column as the index)."""
    rows = [
        [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    return pd.DataFrame([r[1:] for r in rows[1:]], index=[r[0] for r in rows[1:]], columns=rows[0][1:])


def _open_tab(at: AppTest, label_key: str) -> None:
    """Pick an edit tab (only the open tab draws its widgets), as a click on it would."""
    at.session_state["edit_tab"] = tr(label_key)
    at.run()
    _ok(at)


def _run_plan(at: AppTest, *, dataset: str = "phu_tho_2019", time_limit: float = 3.0) -> None:
    """Open the plan page on ``dataset`` and run the optimizer to the end."""
    at.run()
    at.sidebar.selectbox(key="dataset__vi").set_value(dataset).run()
    at.switch_page("app_pages/plan.py").run()
    _ok(at)
    at.number_input(key="plan_time_limit").set_value(time_limit).run()
    at.button(key="run_optimizer").click().run()
    _ok(at)
    deadline = time.monotonic() + 60
    while "plan_job" in at.session_state and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    at.run()
    _ok(at)


def test_plan_run_edit_undo_save(app: AppTest) -> None:
    _run_plan(app)
    assert any(s.startswith("Bản đồ phương án") for s in _texts(app.subheader))
    assert "Phương án đạt mọi quy định." in _texts(app.success)
    hist = app.session_state["history:phu_tho_2019"]
    plan = hist.current
    assert plan is not None and plan.n_after < 277

    # manual edit: split a new unit -> one more new unit, re-checked at once
    group = next(g for g, m in plan.groups.items() if len(m) >= 2)
    _open_tab(app, "edit_split")
    app.selectbox(key="split_group").set_value(group).run()
    app.multiselect(key=f"split_members:{group}").set_value([plan.groups[group][0]]).run()
    app.button(key="apply_split").click().run()
    _ok(app)
    hist = app.session_state["history:phu_tho_2019"]
    assert hist.current.n_after == plan.n_after + 1
    assert any(
        s.startswith("Bản đồ phương án") and f"{plan.n_after + 1} đơn vị mới" in s
        for s in _texts(app.subheader)
    )
    # the split units are outlined as "just edited"; the draft is kept in the workspace
    assert app.session_state["last_edit:phu_tho_2019"] == [plan.groups[group][0]]
    from sapxep.scenarios.app.drafts import load_draft
    from sapxep.scenarios.workspace.store import Workspace

    stored = load_draft(Workspace(os.environ["SAPXEP_WORKSPACE"]), "phu_tho_2019")
    assert stored.current is not None and stored.current.n_after == plan.n_after + 1

    # undo / redo
    app.button(key="undo").click().run()
    assert app.session_state["history:phu_tho_2019"].current.n_after == plan.n_after
    app.button(key="redo").click().run()
    assert app.session_state["history:phu_tho_2019"].current.n_after == plan.n_after + 1
    app.button(key="undo").click().run()

    # move a unit to a neighbouring new unit
    code = plan.groups[group][0]
    _open_tab(app, "edit_move")
    app.selectbox(key="edit_unit:phu_tho_2019").set_value(code).run()
    _ok(app)
    targets = app.selectbox(key=f"move_target:{code}").options
    assert targets, "every unit of a merged new unit touches another new unit"
    app.button(key="apply_move").click().run()
    _ok(app)
    moved = app.session_state["history:phu_tho_2019"].current
    assert moved.assignment[code] != plan.assignment[code]

    # change a seat
    _open_tab(app, "edit_seat")
    app.selectbox(key="seat_group").set_value(group).run()
    app.selectbox(key=f"seat_code:{group}").set_value(moved.groups[group][-1]).run()
    app.button(key="apply_seat").click().run()
    _ok(app)
    assert app.session_state["history:phu_tho_2019"].current.seats[group] == moved.groups[group][-1]

    # save under a name, then the name is taken
    app.text_input(key="scenario_name:phu_tho_2019").input("Đề xuất A").run()
    app.button(key="save_scenario").click().run()
    _ok(app)
    assert "Đã lưu phương án «Đề xuất A»." in _texts(app.success)
    # the name field is cleared; typing a taken name offers to overwrite
    assert app.text_input(key="scenario_name:phu_tho_2019").value == ""
    app.text_input(key="scenario_name:phu_tho_2019").input("Đề xuất A").run()
    assert any("Đã có phương án tên «Đề xuất A»" in w for w in _texts(app.warning))
    assert app.button(key="save_scenario").disabled
    app.button(key="overwrite_scenario").click().run()
    _ok(app)
    assert "Đã lưu phương án «Đề xuất A»." in _texts(app.success)
    assert "Đề xuất A" in app.selectbox(key="open_scenario:phu_tho_2019").options


def test_plan_cancel(app: AppTest) -> None:
    """Cancel is cooperative: the run stops and keeps the best plan found so far."""
    app.run()
    app.switch_page("app_pages/plan.py").run()
    app.number_input(key="plan_time_limit").set_value(60.0).run()
    app.slider(key="w_compactness").set_value(2.0).run()
    app.button(key="run_optimizer").click().run()
    assert "plan_job" in app.session_state
    job = app.session_state["plan_job"]
    assert job.cooperative
    time.sleep(1.0)
    app.button(key="cancel_run").click().run()
    _ok(app)
    assert job.cancelled
    if "plan_job" in app.session_state:  # still stopping: "cancelling…", no second cancel
        assert app.button(key="cancel_run").disabled
        assert app.button(key="run_optimizer").disabled
    # a hang guard only: that the run obeyed the cancel is its status below, not a timing
    assert job.wait(300), "the cancelled run did not stop"
    app.run()  # the finished-run branch picks the result up
    _ok(app)
    assert "plan_job" not in app.session_state
    if job.error is None:
        res = job.result
        assert res.metrics["status"] == "CANCELLED" and res.metrics["cancelled"] is True
        assert res.check.ok and set(res.plan.assignment.index) == set(res.units["code"].astype(str))
        assert plans_equal(app.session_state["history:phu_tho_2023"].current, res.plan)
        assert f"Đã hủy — phương án tốt nhất đến lúc hủy: {res.plan.n_after} đơn vị mới." in _texts(
            app.warning
        )
        assert any(s.startswith("Bản đồ phương án") for s in _texts(app.subheader))
    else:
        assert isinstance(job.error, SolverError), job.error
        assert "Đã hủy trước khi tìm được phương án nào." in _texts(app.info)


def test_plan_cancel_before_any_plan_is_an_info(app: AppTest) -> None:
    """A cooperative run cancelled before its first plan raises SolverError: shown as info."""
    app.run()
    app.switch_page("app_pages/plan.py").run()

    def no_plan_yet(on_progress, should_stop):  # noqa: ANN001, ANN202, ARG001
        while not should_stop():
            time.sleep(0.01)
        raise SolverError("cancelled by the user before any plan was found")

    job = BackgroundJob(no_plan_yet).start(stop_kw="should_stop")
    job.cancel()
    assert job.wait(5)
    app.session_state["plan_job"] = job
    app.run()
    _ok(app)
    assert "plan_job" not in app.session_state
    assert "Đã hủy trước khi tìm được phương án nào." in _texts(app.info)
    assert not app.error and app.session_state["history:phu_tho_2023"].current is None


def test_impossible_settings_are_explained_before_solving(app: AppTest) -> None:
    app.run()
    app.sidebar.selectbox(key="dataset__vi").set_value("phu_tho_2019").run()
    app.switch_page("app_pages/plan.py").run()
    app.selectbox(key="plan_mode__vi").set_value("target-count").run()
    app.number_input(key="plan_target").set_value(5).run()
    _ok(app)
    assert app.button(key="run_optimizer").disabled, "no solve may start with impossible settings"
    assert "plan_job" not in app.session_state
    (err,) = [e.value for e in app.error]
    assert "Thiết lập này không thể thực hiện được" in err and "số huyện" in err
    # settings are kept in the workspace: a new session finds them again
    again = AppTest.from_file(APP, default_timeout=90)
    again.run()
    again.sidebar.selectbox(key="dataset__vi").set_value("phu_tho_2019").run()
    again.switch_page("app_pages/plan.py").run()
    assert again.selectbox(key="plan_mode__vi").value == "target-count"
    assert again.number_input(key="plan_target").value == 5
    # a folded settings panel draws no widgets, yet its values stay and still decide
    app.session_state["open:_settings_panel"] = False
    app.run()
    _ok(app)
    assert not [w for w in app.number_input if w.key == "plan_target"]
    app.run()
    assert app.session_state["plan_target"] == 5 and app.session_state["plan_mode"] == "target-count"
    assert app.button(key="run_optimizer").disabled


def test_compare_with_history_and_staffing_and_export(app: AppTest, tmp_path: Path) -> None:
    _run_plan(app)
    app.text_input(key="scenario_name:phu_tho_2019").input("P1").run()
    app.button(key="save_scenario").click().run()

    app.switch_page("app_pages/compare.py").run()
    _ok(app)
    app.button(key="import_history").click().run()
    _ok(app)
    assert any("NQ 828" in s for s in _texts(app.success))
    assert set(app.multiselect(key="compare_names__vi").value) == {"P1", HISTORY_SCENARIO}
    # a leader's summary, agreement in words, the difference column with its marks explained
    assert any(i.value.startswith("Phương án «") for i in app.info)
    assert any("được gộp giống nhau ở A và B" in str(m.value) for m in app.markdown)
    assert any("▲ tốt hơn" in str(c.value) for c in app.caption)
    table = _html_table(app.html[0].value)
    assert "Số đơn vị sau sắp xếp" in table.index
    assert table.loc["Số đơn vị sau sắp xếp", HISTORY_SCENARIO] == "225"
    assert "Chênh lệch (B − A)" in table.columns

    app.switch_page("app_pages/staffing.py").run()
    _ok(app)
    app.selectbox(key="staffing_scenario").set_value("P1").run()
    _ok(app)
    labels = [m.label for m in app.metric]
    assert "Số dôi dư sau 5 năm" in labels
    # the cost and savings of the scenario, with the coefficients behind them
    assert "Chi phí và tiết kiệm (ước tính)" in [h.value for h in app.subheader]
    cost_items = list(app.dataframe[0].value["Khoản mục"])
    assert "Tổng chi phí một lần" in cost_items
    assert "Tiết kiệm tiền lương mỗi năm khi đạt định mức" in cost_items
    # who the norm covers is said next to the figures; no table cell is empty (the grid writes "None")
    assert "Cán bộ, công chức thuộc định mức trước sắp xếp" in labels
    assert any("Định mức áp dụng cho" in c.value and "chỗ còn thiếu" in c.value for c in app.caption)
    for frame in app.dataframe:
        assert not frame.value.isna().any().any(), frame.value
        assert not frame.value.astype(str).isin(["None", "nan", "NaN"]).any().any(), frame.value
    app.button(key="save_staffing").click().run()
    _ok(app)

    app.switch_page("app_pages/export.py").run()
    _ok(app)
    labels = [b.label for b in app.get("download_button")]
    for export_id in EXPORTS:
        assert any(lbl.startswith(tr(f"exp_{export_id}")) for lbl in labels), export_id
    assert "Bảng so sánh các phương án (PDF)" in labels
    # the bytes behind the buttons are real files
    ws_path = str(tmp_path / "ws.gpkg")
    assert download_bytes(ws_path, "P1", "map_pdf").startswith(b"%PDF")
    gj = json.loads(download_bytes(ws_path, "P1", "geojson"))
    assert gj["type"] == "FeatureCollection"
    assert comparison_pdf_bytes(ws_path, ["P1", HISTORY_SCENARIO]).startswith(b"%PDF")


def test_data_edits_are_saved_in_the_workspace(app: AppTest, tmp_path: Path) -> None:
    from sapxep.scenarios.workspace.store import Workspace

    app.run()
    _ok(app)
    assert not app.data_editor, "the tables are shown on request only"
    app.toggle(key="data_show_tables").set_value(True).run()
    editor = app.data_editor(key="unit_editor:phu_tho_2023")
    first_codes = list(editor.value.index[:2])
    # edit two rows the way the grid does, then press save
    app.session_state["unit_editor:phu_tho_2023"] = {
        "edited_rows": {0: {"terrain": "mountainous"}, 1: {"exemption_reason": "biên giới (thử)"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="save_unit_edits").click().run()
    _ok(app)
    assert "Đã lưu 2 thay đổi vào tệp làm việc." in _texts(app.success)

    stored = Workspace(tmp_path / "ws.gpkg").units(edits_key("phu_tho_2023")).set_index("code")
    assert stored.at[first_codes[0], "terrain"] == "mountainous"
    assert stored.at[first_codes[1], "exemption_reason"] == "biên giới (thử)"

    # a new session reads the edits back from the workspace
    fresh = AppTest.from_file(APP, default_timeout=90).run()
    _ok(fresh)
    saved = fresh.session_state["unit_edits"]["phu_tho_2023"]
    assert set(saved.index) == set(first_codes)


def test_upload_valid_file_becomes_the_dataset(app: AppTest) -> None:
    from sapxep.geodata.datasets import dataset_path

    app.run()
    app.radio(key="data_source_vi").set_value("upload").run()
    data = dataset_path("phu_tho_2019", "units").read_bytes()
    app.get("file_uploader")[0].upload("my_units.geojson", data, "application/geo+json").run()
    app.button(key="upload_apply").click().run()
    _ok(app)
    assert app.sidebar.selectbox(key="dataset__vi").value == "upload:my_units.geojson"
    labels = [m.label for m in app.metric]
    assert app.metric[labels.index("Số đơn vị")].value == "277"
    app.switch_page("app_pages/plan.py").run()
    _ok(app)


def test_upload_reports_every_problem(app: AppTest) -> None:
    app.run()
    app.radio(key="data_source_vi").set_value("upload").run()
    square = [[105, 21], [105.1, 21], [105.1, 21.1], [105, 21]]
    bowtie = [[106, 21], [106.1, 21.1], [106.1, 21], [106, 21.1], [106, 21]]  # self-intersecting
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "1", "name": "Xã A", "population": -5},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            },
            {
                "type": "Feature",
                "properties": {"code": "1", "name": "Xã B", "population": 2.5},
                "geometry": {"type": "Polygon", "coordinates": [bowtie]},
            },
        ],
    }
    app.get("file_uploader")[0].upload("bad.geojson", json.dumps(bad).encode(), "application/geo+json").run()
    app.button(key="upload_apply").click().run()
    _ok(app)
    assert app.error, "the validation report is shown"
    report = str(app.error[0].value)
    assert report.startswith("**Báo cáo kiểm tra dữ liệu")
    # duplicate code, negative and fractional population, invalid geometry: all listed
    assert report.count("\n- ") >= 4, report
