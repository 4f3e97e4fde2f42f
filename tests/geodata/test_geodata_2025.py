"""The bundled 2025 nationwide dataset, its Phú Thọ subset, đặc khu and suspect populations."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from sapxep.geodata.io import filter_province
from sapxep.geodata.national2025 import clear_supplied_suspects
from sapxep.scenarios.cli import app


def test_vietnam_2025_counts(vietnam_2025: gpd.GeoDataFrame) -> None:
    g = vietnam_2025
    assert len(g) == 3321
    assert g["code"].is_unique
    assert g["province"].nunique() == 34
    assert g["unit_type"].value_counts().to_dict() == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    # no districts: the parent of every unit is its province
    assert (g["parent_code"] == g["province_code"]).all()


def test_suspect_populations_are_flagged_not_dropped(vietnam_2025: gpd.GeoDataFrame) -> None:
    g = vietnam_2025.set_index("code")
    assert int(g["population_suspect"].sum()) == 370
    # Vân Đồn and Hoàng Sa have no published population: kept, 0, flagged "missing"
    for code in ("06994", "20333"):
        assert g.loc[code, "population"] == 0
        assert bool(g.loc[code, "population_suspect"])
        assert g.loc[code, "population_suspect_reason"] == "missing"
    assert not bool(g.loc["00004", "population_suspect"])
    assert g.loc["00004", "population"] == 65023


def test_islands_where_data_says_so(vietnam_2025: gpd.GeoDataFrame) -> None:
    g = vietnam_2025.set_index("code")
    assert g.loc[g["unit_type"] == "dac_khu", "island"].all()
    assert bool(g.loc["20434", "island"])  # Xã Tân Hiệp (Cù Lao Chàm): no land neighbour
    assert not bool(g.loc["00004", "island"])
    assert int(g["island"].sum()) == 20


@pytest.mark.parametrize("name", ["Phú Thọ", "phu tho", "Tỉnh Phú Thọ", "TINH PHU THO", "25"])
def test_province_without_diacritics(vietnam_2025: gpd.GeoDataFrame, name: str) -> None:
    assert len(filter_province(vietnam_2025, name)) == 148


def test_province_city_names(vietnam_2025: gpd.GeoDataFrame) -> None:
    assert len(filter_province(vietnam_2025, "Ho Chi Minh")) == 168
    assert len(filter_province(vietnam_2025, "thanh pho da nang")) == 94


def test_phu_tho_2025_is_the_province_subset(bundled_dataset, vietnam_2025: gpd.GeoDataFrame) -> None:  # noqa: ANN001
    sub = bundled_dataset("phu_tho_2025")
    assert len(sub) == 148
    assert set(sub["code"]) == set(vietnam_2025.loc[vietnam_2025["province_code"] == "25", "code"])
    assert sub["unit_type"].value_counts().to_dict() == {"xa": 133, "phuong": 15}


def test_user_population_clears_the_flag() -> None:
    units = pd.DataFrame(
        {"code": ["1", "2"], "population_suspect": [True, True], "population_source": ["a", "b"]}
    )
    out = clear_supplied_suspects(units, {"2"})
    assert out["population_suspect"].tolist() == [True, False]
    assert out["population_source"].tolist() == ["a", "user"]
    assert units["population_suspect"].tolist() == [True, True]  # input untouched


def test_cli_datasets_lists_2025() -> None:
    res = CliRunner().invoke(app, ["datasets", "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["name"]: r for r in json.loads(res.output)}
    assert rows["vietnam_2025"]["n_units"] == 3321
    assert rows["vietnam_2025"]["n_provinces"] == 34
    assert rows["phu_tho_2025"]["n_units"] == 148
    assert rows["phu_tho_2025"]["subset_of"] == "vietnam_2025"
    text = CliRunner().invoke(app, ["datasets"]).output
    assert "vietnam_2025" in text and "34 provinces" in text and "phu_tho_2025" in text
