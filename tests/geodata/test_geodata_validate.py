"""Each validation problem, found in a bad file written by the test, named with its codes."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from geodata_grid import raw_grid

from sapxep.geodata.datasets import dataset_path
from sapxep.geodata.io import read_units
from sapxep.geodata.normalise import normalise_units
from sapxep.geodata.validate import validate_units
from sapxep.units.errors import DataValidationError


def read_bad(tmp_path, raw: gpd.GeoDataFrame, **kwargs: object) -> DataValidationError:
    """Write ``raw`` to a GeoPackage, read it, and return the validation error raised."""
    path = tmp_path / "bad.gpkg"
    raw.to_file(path)
    with pytest.raises(DataValidationError) as info:
        read_units(path, **kwargs)  # type: ignore[arg-type]
    return info.value


def test_missing_crs(tmp_path) -> None:
    raw = raw_grid(2, 2).set_crs(None, allow_override=True)
    path = tmp_path / "no_crs.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        raw.to_file(path)
    with pytest.raises(DataValidationError) as info:
        read_units(path)
    error = info.value
    assert "does not say its coordinate system" in str(error)
    assert "--crs EPSG:4326" in str(error)
    gdf = read_units(path, crs="EPSG:4326")  # the fix the message names
    assert gdf.crs.equals("EPSG:4326")


def test_invalid_and_empty_geometries(tmp_path) -> None:
    raw = raw_grid(3, 1)
    x0, y0, x1, y1 = raw.geometry.iloc[1].bounds
    bowtie = shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])
    raw.loc[1, "geometry"] = bowtie
    raw.loc[2, "geometry"] = shapely.Polygon()
    error = read_bad(tmp_path, raw)
    message = str(error)
    assert "1 invalid geometries (00002 (Self-intersection" in message
    assert "sapxep clean" in message
    assert "empty or missing geometry (00003)" in message


def test_non_polygon_geometry() -> None:
    raw = raw_grid(2, 1)
    raw.loc[1, "geometry"] = shapely.Point(105.3, 21.3)
    problems = validate_units(normalise_units(raw), check_topology=False)
    assert any("not polygons (00002 (Point))" in p for p in problems)


def test_duplicate_and_missing_codes(tmp_path) -> None:
    raw = raw_grid(4, 1)
    raw["code"] = ["00001", "00001", None, "00004"]
    message = str(read_bad(tmp_path, raw))
    assert "00001 (rows 1, 2)" in message
    assert "no code (rows 3)" in message


def test_population_problems(tmp_path) -> None:
    raw = raw_grid(5, 1)
    raw["population"] = ["100", None, "-5", "nhiều", "12.5"]
    message = str(read_bad(tmp_path, raw))
    assert "no population (00002)" in message
    assert "negative (00003)" in message
    assert "not numbers (00004 'nhiều')" in message
    assert "not whole numbers (00005)" in message


def test_area_problems(tmp_path) -> None:
    raw = raw_grid(3, 1)
    raw["area_km2_official"] = ["hai", "-1", ""]  # "2,5" would be read: a Vietnamese decimal comma
    message = str(read_bad(tmp_path, raw))
    assert "official areas are not numbers (00001 'hai')" in message
    assert "zero or negative (00002)" in message


def test_unknown_categories(tmp_path) -> None:
    raw = raw_grid(4, 1)
    raw["name"] = ["Xã Một", "Bản Hai", "Xã Ba", "Xã Bốn"]
    raw["unit_type"] = ["Xã", None, "Huyện", "Xã"]
    raw["is_mountainous"] = ["true", "", "", "có lẽ"]
    raw["commune_type"] = ["I", "", "IV", ""]
    raw["border"] = ["có", "", "", "maybe"]
    message = str(read_bad(tmp_path, raw))
    assert "unknown unit_type (00002 empty, 00003 'Huyện')" in message
    assert "unknown terrain (00004 'có lẽ')" in message
    assert "unknown commune_class (00003 'IV')" in message
    assert "border are not yes/no (00004 'maybe')" in message


def test_missing_columns(tmp_path) -> None:
    raw = raw_grid(2, 1).drop(columns=["population"])
    message = str(read_bad(tmp_path, raw))
    assert "column 'population' is missing" in message
    assert "dan_so" in message  # lists the accepted names


def test_overlap_beyond_tolerance(tmp_path) -> None:
    raw = raw_grid(3, 1).to_crs("EPSG:3405")
    raw.loc[1, "geometry"] = shapely.affinity.translate(raw.geometry.iloc[1], xoff=-200.0)
    message = str(read_bad(tmp_path, raw.to_crs("EPSG:4326")))
    assert "1 pairs of units overlap" in message
    assert "00001 & 00002 (0.200 km²)" in message
    assert "--skip-topology-check" in message and "sapxep clean" in message
    # the same file reads when the topology checks are skipped
    path = tmp_path / "bad.gpkg"
    assert len(read_units(path, check_topology=False)) == 3


def test_gap_inside_the_province(tmp_path) -> None:
    raw = raw_grid(3, 3).drop(index=4)  # the centre cell is missing: a 1 km² hole
    message = str(read_bad(tmp_path, raw))
    assert "1 gaps between units larger than 0.01 km²" in message
    detail = message.split("1.000 km² between ")[1].split(")")[0]
    assert {"00002", "00004", "00006", "00008"} <= set(detail.split(", "))


def test_small_gaps_and_overlaps_are_tolerated() -> None:
    raw = raw_grid(3, 3).to_crs("EPSG:3405")
    centre = raw.geometry.iloc[4]
    raw.loc[4, "geometry"] = centre.buffer(-3.0, join_style="mitre")  # 3 m sliver all round
    raw.loc[1, "geometry"] = shapely.affinity.translate(raw.geometry.iloc[1], yoff=2.0)
    assert validate_units(normalise_units(raw.to_crs("EPSG:4326"))) == []


def test_island(tmp_path) -> None:
    raw = raw_grid(2, 2).to_crs("EPSG:3405")
    far = raw.iloc[[0]].copy()
    far["code"] = "00099"
    far["geometry"] = shapely.affinity.translate(far.geometry.iloc[0], xoff=10_000.0)
    raw = gpd.GeoDataFrame(gpd.pd.concat([raw, far], ignore_index=True), crs="EPSG:3405").to_crs("EPSG:4326")
    message = str(read_bad(tmp_path, raw))
    assert "islands: 00099" in message
    assert len(read_units(tmp_path / "bad.gpkg", island_policy="ignore")) == 5


def test_every_problem_is_collected(tmp_path) -> None:
    raw = raw_grid(4, 1)
    raw["code"] = ["00001", "00001", "00003", "00004"]
    raw["population"] = [1, 2, -3, 4]
    raw.loc[3, "geometry"] = shapely.Polygon()
    error = read_bad(tmp_path, raw)
    assert len(error.problems) == 3
    assert str(error).startswith("bad.gpkg: 3 problems")


def test_bundled_set_reads_and_validates() -> None:
    # no wall-clock limit here: a loaded CI machine makes timing assertions fail at random
    gdf = read_units(dataset_path("phu_tho_2023", "units"))
    assert len(gdf) == 225


def test_unreadable_and_geometry_less_files(tmp_path) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataValidationError, match="cannot open as a vector file"):
        read_units(broken)
    table = tmp_path / "units.csv"
    table.write_text("code,name\n00001,Xã Một\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="no geometry"):
        read_units(table)
