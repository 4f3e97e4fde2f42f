"""Reading unit files (all formats), attribute joins and the bundled datasets."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geodata_grid import raw_grid

from sapxep.geodata.datasets import dataset_path
from sapxep.geodata.io import load_dataset, read_units
from sapxep.geodata.normalise import normalise_units
from sapxep.units.errors import DataValidationError


@pytest.fixture(scope="module")
def raw_2023() -> gpd.GeoDataFrame:
    return gpd.read_file(dataset_path("phu_tho_2023", "units"))


def test_phu_tho_2023_facts(phu_tho_2023: gpd.GeoDataFrame) -> None:
    gdf = phu_tho_2023
    assert len(gdf) == 225
    assert gdf.crs.equals("EPSG:4326")
    assert isinstance(gdf.index, pd.RangeIndex)
    assert gdf["code"].is_unique
    assert gdf["population"].dtype == np.int64
    assert gdf["population"].sum() == 1_463_726
    # SOURCES.md: polygon area total 3,536.6 km²; official areas replace 14 of them.
    assert gdf["area_km2_polygon"].sum() == pytest.approx(3536.6, abs=0.1)
    assert (gdf["area_source"] == "official").sum() == 14
    assert gdf["area_km2"].sum() == pytest.approx(3536.65, abs=0.5)
    minh_tien = gdf.set_index("code").loc["08041"]
    assert minh_tien["name"] == "Xã Minh Tiến"
    assert minh_tien["area_km2"] == pytest.approx(6.72, abs=0.01)
    assert minh_tien["population"] == 2739
    assert minh_tien["unit_type"] == "xa"
    assert minh_tien["parent_code"] == "230"
    assert minh_tien["parent_kind"] == "huyen"
    assert gdf["unit_type"].value_counts().to_dict() == {"xa": 197, "phuong": 17, "thi_tran": 11}


def test_phu_tho_2023_classification_and_crosswalk(phu_tho_2023: gpd.GeoDataFrame) -> None:
    gdf = phu_tho_2023.set_index("code")
    assert (gdf["terrain_source"] == "data").sum() == 12
    assert (gdf.loc[gdf["terrain_source"] == "data", "terrain"] == "mountainous").sum() == 3
    # the bundled proxy fills 56 defaulted units (52 mountainous, 4 lowland); data is never replaced
    proxy = gdf.loc[gdf["terrain_source"] == "proxy", "terrain"]
    assert proxy.value_counts().to_dict() == {"mountainous": 52, "lowland": 4}
    assert (gdf["terrain"] == "mountainous").sum() == 3 + 52
    assert (gdf.loc[gdf["terrain_source"] == "default", "terrain"] == "lowland").all()
    assert gdf["ethnic_minority_share"].isna().all()
    assert (gdf["commune_class"] == "").all()
    # 28 units with ≥ 2 constituents; the three receivers of Phường Trường Thịnh included.
    assert gdf["arranged_2019_2021"].sum() == 28
    assert gdf.loc[["07960", "07942", "07945"], "arranged_2019_2021"].all()
    assert not gdf.loc["08041", "arranged_2019_2021"]
    assert not gdf["arranged_2023_2025"].any()


def test_default_terrain_mountainous() -> None:
    gdf = load_dataset("phu_tho_2023", default_terrain="mountainous")
    # every unit without a terrain of its own (data or proxy) takes the default
    assert (gdf["terrain"] == "mountainous").sum() == 225 - 9 - 4


def test_phu_tho_2019_has_277_units() -> None:
    gdf = load_dataset("phu_tho_2019")
    assert len(gdf) == 277
    assert gdf["population"].sum() == 1_463_726
    assert (gdf["area_source"] == "official").sum() == 62


def test_vietnam_2019_province_filter() -> None:
    gdf = load_dataset("vietnam_2019", province="Phú Thọ")
    assert len(gdf) == 277
    assert set(gdf["province_code"]) == {"25"}
    assert gdf["code"].str.fullmatch(r"\d{5}").all()


def test_unknown_dataset_and_province() -> None:
    with pytest.raises(DataValidationError, match="phu_tho_2023"):
        load_dataset("atlantis")
    with pytest.raises(DataValidationError, match="Phú Thọ"):
        load_dataset("phu_tho_2023", province="Hà Giang")


def _same_units(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> None:
    a = a.sort_values("code", ignore_index=True)  # FlatGeobuf stores features in index order
    b = b.sort_values("code", ignore_index=True)
    assert a["code"].tolist() == b["code"].tolist()
    assert a["name"].tolist() == b["name"].tolist()
    assert a["parent_name"].tolist() == b["parent_name"].tolist()
    assert a["population"].tolist() == b["population"].tolist()
    np.testing.assert_allclose(a["area_km2_polygon"], b["area_km2_polygon"], rtol=1e-4)
    assert a.geometry.geom_equals(b.geometry).all()


def test_geopackage_multi_layer(tmp_path, raw_2023, phu_tho_2023) -> None:
    path = tmp_path / "units.gpkg"
    raw_2023.to_file(path, layer="xa_2023")
    raw_2023.iloc[:3].to_file(path, layer="other")
    with pytest.raises(DataValidationError, match="other, xa_2023|xa_2023, other"):
        read_units(path)
    with pytest.raises(DataValidationError, match="no layer 'nope'"):
        read_units(path, layer="nope")
    gdf = read_units(path, layer="xa_2023")
    _same_units(gdf, phu_tho_2023)
    assert "Xã Minh Tiến" in set(gdf["name"])


def test_zipped_shapefile(tmp_path, raw_2023) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    # the names a DBF truncates long field names to (GDAL would warn while truncating)
    short = raw_2023.rename(
        columns={
            "district_code": "district_c",
            "province_code": "province_c",
            "area_km2_official": "area_km2_o",
        }
    ).drop(columns=["population_year", "geometry_quality", "constituents_2019"])
    short.to_file(folder / "xa.shp", encoding="UTF-8")
    archive = tmp_path / "xa.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    nested = tmp_path / "nested.zip"  # a zipped folder: the shapefile sits in a sub-folder
    with zipfile.ZipFile(nested, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, f"xa_2023/{part.name}")
    from_zip = read_units(archive)
    _same_units(read_units(nested), from_zip)
    from_shp = read_units(folder / "xa.shp")
    reference = read_units(dataset_path("phu_tho_2023", "units"))
    _same_units(from_zip, reference)
    _same_units(from_shp, reference)
    # truncated names district_c and area_km2_o are recognised
    assert from_zip["parent_code"].tolist() == reference["parent_code"].tolist()
    assert (from_zip["area_source"] == "official").sum() == 14


def test_flatgeobuf(tmp_path, raw_2023) -> None:
    path = tmp_path / "xa.fgb"
    raw_2023.to_file(path, driver="FlatGeobuf")
    _same_units(read_units(path), read_units(dataset_path("phu_tho_2023", "units")))


def test_numeric_codes_are_zero_padded(tmp_path) -> None:
    raw = raw_grid(2, 1)
    raw["code"] = [1, 2]
    raw["district_code"] = 7
    path = tmp_path / "numeric.gpkg"
    raw.to_file(path)
    gdf = read_units(path)
    assert gdf["code"].tolist() == ["00001", "00002"]
    assert gdf["parent_code"].tolist() == ["007", "007"]


def test_source_columns_are_normalised(tmp_path) -> None:
    raw = raw_grid(3, 1)
    raw["name"] = ["Phường Một", "Thị trấn Hai", "Xã Ba"]
    raw["unit_type"] = [None, None, "Xã"]
    raw["district"] = "Thị xã Thử"
    raw["is_mountainous"] = ["true", "", "false"]
    raw["em_share"] = ["0.4", None, "0.1"]
    raw["commune_type"] = ["I", "", "3"]
    raw["area_km2_official"] = [1.5, None, None]
    raw["population"] = [100, 200, 300]
    path = tmp_path / "units.geojson"
    raw.to_file(path)
    gdf = read_units(path, default_terrain="mountainous")
    assert gdf["unit_type"].tolist() == ["phuong", "thi_tran", "xa"]
    assert gdf["parent_kind"].tolist() == ["thi_xa"] * 3
    assert gdf["terrain"].tolist() == ["mountainous", "mountainous", "lowland"]
    assert gdf["terrain_source"].tolist() == ["data", "default", "data"]
    np.testing.assert_allclose(gdf["ethnic_minority_share"], [0.4, np.nan, 0.1])
    assert gdf["commune_class"].tolist() == ["I", "", "III"]
    assert gdf["area_source"].tolist() == ["official", "polygon", "polygon"]
    assert gdf.loc[0, "area_km2"] == 1.5
    assert gdf.loc[1, "area_km2"] == pytest.approx(1.0, rel=0.01)  # 1 km cell
    assert gdf["province"].tolist() == ["Tỉnh Thử"] * 3


def test_attribute_csv_join(tmp_path) -> None:
    raw = raw_grid(2, 2)
    units = tmp_path / "units.geojson"
    raw.to_file(units)
    table = tmp_path / "attrs.csv"
    table.write_text(
        "ma,population,is_mountainous,commune_type,note\n00001,5000,true,II,Mường\n00003,,false,,\n",
        encoding="utf-8",
    )
    gdf = read_units(units, attributes=table, attributes_key="ma").set_index("code")
    assert gdf.loc["00001", "population"] == 5000  # overridden
    assert gdf.loc["00003", "population"] == 1000  # empty cell keeps the file's value
    assert gdf.loc["00001", "terrain"] == "mountainous"
    assert gdf.loc["00003", "terrain"] == "lowland"
    assert gdf.loc["00003", "terrain_source"] == "data"
    assert gdf.loc["00002", "terrain_source"] == "default"
    assert gdf.loc["00001", "commune_class"] == "II"
    assert gdf.loc["00001", "note"] == "Mường"  # new column added


def test_attribute_xlsx_join_and_unknown_codes(tmp_path) -> None:
    raw = raw_grid(2, 1)
    units = tmp_path / "units.geojson"
    raw.to_file(units)
    table = tmp_path / "attrs.xlsx"
    pd.DataFrame({"code": ["00002", "09999", "08888"], "em_share": ["0.5", "0.1", "0.2"]}).to_excel(
        table, index=False
    )
    with pytest.raises(DataValidationError, match="08888, 09999") as info:
        read_units(units, attributes=table)
    assert "not among the units" in str(info.value)
    pd.DataFrame({"code": ["00002"], "em_share": ["0.5"]}).to_excel(table, index=False)
    gdf = read_units(units, attributes=table)
    assert gdf.loc[1, "ethnic_minority_share"] == 0.5


def test_missing_file_and_attribute_key(tmp_path) -> None:
    with pytest.raises(DataValidationError, match="not found"):
        read_units(tmp_path / "missing.geojson")
    units = tmp_path / "units.geojson"
    raw_grid(2, 1).to_file(units)
    table = tmp_path / "attrs.csv"
    table.write_text("id,x\n00001,1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"no code column \(headers: id, x\).*--columns"):
        read_units(units, attributes=table)


def test_normalising_twice_changes_nothing(phu_tho_2023) -> None:
    again = normalise_units(phu_tho_2023)
    for col in ("code", "unit_type", "terrain", "terrain_source", "area_source", "population"):
        assert again[col].tolist() == phu_tho_2023[col].tolist(), col
    np.testing.assert_allclose(again["area_km2"], phu_tho_2023["area_km2"])
    assert again["arranged_2019_2021"].sum() == 28


def test_attribute_codes_that_lost_leading_zeros(tmp_path) -> None:
    units = tmp_path / "units.geojson"
    raw_grid(2, 1).to_file(units)
    table = tmp_path / "attrs.xlsx"
    pd.DataFrame({"code": [2], "em_share": [0.25]}).to_excel(table, index=False)  # 00002 as a number
    gdf = read_units(units, attributes=table)
    assert gdf["ethnic_minority_share"].tolist()[1] == 0.25


def _write_geojson(
    path, raw: gpd.GeoDataFrame, *, same_id: bool = False, **per_feature: list[object]
) -> None:
    """Write ``raw`` as GeoJSON, then set raw JSON property values (mixed types allowed)."""
    import json

    doc = json.loads(raw.to_json())
    if same_id:
        for feature in doc["features"]:
            feature["id"] = 1
    for column, values in per_feature.items():
        for feature, value in zip(doc["features"], values, strict=True):
            feature["properties"][column] = value
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_geojson_column_mixing_numbers_and_text(tmp_path) -> None:
    path = tmp_path / "mixed.geojson"
    raw = raw_grid(4, 1)
    raw["unit_type"] = ["Xã", "Xã", "Huyện", "Xã"]  # another problem, reported too
    _write_geojson(path, raw, population=[1000, "12 000", "nhiều", 3000])
    with pytest.raises(DataValidationError) as info:
        read_units(path)
    message = str(info.value)
    # "12 000" is a number as Vietnamese officials write it; "nhiều" is not
    assert "1 populations are not numbers (00003 'nhiều')" in message
    assert "unknown unit_type (00003 'Huyện')" in message


def test_geojson_code_column_mixing_numbers_and_text(tmp_path) -> None:
    path = tmp_path / "codes.geojson"
    _write_geojson(path, raw_grid(3, 1), code=["08041", 8044, "08047"])
    with pytest.raises(DataValidationError, match=r"column 'code' mixes numbers and text") as info:
        read_units(path)
    assert "row 2 '8044'" in str(info.value)
    assert "leading zeros" in str(info.value)


def test_geojson_numbers_written_as_text_are_read(tmp_path) -> None:
    path = tmp_path / "numbers.geojson"
    _write_geojson(path, raw_grid(3, 1), population=[1000, "12000", 3000])
    assert read_units(path)["population"].tolist() == [1000, 12000, 3000]


def test_unused_mixed_column_and_duplicate_ids_are_logged(tmp_path, caplog) -> None:
    path = tmp_path / "notes.geojson"
    raw = raw_grid(2, 1)
    _write_geojson(path, raw, same_id=True, ghi_chu=[5, "xem lại"])
    gdf = read_units(path)  # warnings about columns sapxep ignores do not stop the reading
    assert len(gdf) == 2
    assert "ghi_chu" in caplog.text
    assert "Several features with id = 1" in caplog.text


def test_shapefile_text_in_numeric_field(tmp_path) -> None:
    raw = raw_grid(3, 1)
    raw["population"] = ["1000", "12 000", "abc"]
    raw = raw.rename(columns={"district_code": "district_c", "province_code": "province_c"})
    raw.to_file(tmp_path / "units.shp")
    # declare the DBF field 'population' numeric (N) while its cells hold text, as some
    # editors leave it
    dbf = bytearray((tmp_path / "units.dbf").read_bytes())
    i = 32
    while dbf[i] != 0x0D:
        if bytes(dbf[i : i + 11]).split(b"\0")[0] == b"population":
            dbf[i + 11] = ord("N")
        i += 32
    (tmp_path / "units.dbf").write_bytes(bytes(dbf))
    with pytest.raises(DataValidationError) as info:
        read_units(tmp_path / "units.shp")
    message = str(info.value)
    assert "column 'population' holds 2 values that are not" in message
    assert "'12 000' read as 12 in 00002" in message
    assert "'abc' read as 0 in 00003" in message


def test_phuong_without_district_is_asked_for_it_not_guessed(tmp_path) -> None:
    """No district column: the kind stays unknown and every phường is named once, with the fix."""
    from sapxep.units.assessment import assess_units
    from sapxep.units.rules import load_ruleset

    raw = raw_grid(3, 1)
    raw["name"] = ["Phường Một", "Phường Hai", "Xã Ba"]
    raw["unit_type"] = ["Phường", "Phường", "Xã"]
    raw["population"] = [100, 200, 300]
    raw = raw.drop(columns=[c for c in raw.columns if "district" in c or "parent" in c])
    path = tmp_path / "no_district.geojson"
    raw.to_file(path)
    units = read_units(path)
    assert units["parent_kind"].tolist() == ["", "", ""]
    with pytest.raises(DataValidationError) as err:
        assess_units(units, load_ruleset("nq76_2025"))
    assert err.value.summary == "units table: 1 problem"
    (problem,) = err.value.problems
    assert problem.startswith("Phường Một (00001), Phường Hai (00002): its district is not known")
    assert "parent_name" in problem and "attributes table" in problem


def test_column_notes_have_vietnamese_wording(tmp_path) -> None:
    from sapxep.geodata.notes import in_language

    raw = raw_grid(2, 1)
    path = tmp_path / "units.geojson"
    raw.to_file(path)
    notes = read_units(path).attrs["read_notes"]
    assert "units.geojson: column 'district' read as parent_name" in notes
    assert "units.geojson: cột 'district' đọc là parent_name" in in_language(notes, "vi")
