"""The ensemble page: a saved scenario's percentiles, rare groupings and the co-assignment map."""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scenarios"))
from test_ensemble_analysis import _grid_ensemble  # noqa: E402

from sapxep.scenarios.cli import main  # noqa: E402


def test_page_without_an_ensemble_says_how_to_make_one(app: AppTest) -> None:
    app.run()
    app.switch_page("app_pages/ensemble.py").run()
    assert not app.exception
    assert app.header[0].value == "Tập hợp phương án"
    assert any("sapxep ensemble" in i.value for i in app.info)


def test_page_shows_percentiles_rare_groupings_and_map(app: AppTest, tmp_path: Path) -> None:
    folder, _ = _grid_ensemble(tmp_path)
    assert main(["plan", str(tmp_path / "grid.toml"), "--out", str(tmp_path / "g1"), "--no-gpkg", "--quiet",
                 "--save", "g1", "--workspace", str(tmp_path / "ws.gpkg")]) == 0  # fmt: skip
    app.run()
    app.switch_page("app_pages/ensemble.py").run()
    app.text_input(key="ensemble_dir").set_value(str(folder)).run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Vị trí của phương án “g1” trong 3 phương án" in s.value for s in app.subheader)
    tables = [d.value for d in app.dataframe]
    assert "Thứ hạng phần trăm" in tables[0].columns and "Số đơn vị sau sắp xếp" in set(tables[0]["Chỉ tiêu"])
    assert "Tần suất xuất hiện" in tables[1].columns
    assert len(app.get("image")) == 1  # the co-assignment map
