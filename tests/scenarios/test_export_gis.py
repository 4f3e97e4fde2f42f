"""GIS exports round trip: GeoPackage (+ ogrinfo validation), GeoJSON, zipped Shapefile, KML."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from sapxep.scenarios.export import FORMATS, export_scenario
from sapxep.scenarios.workspace.importing import import_scenario
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.errors import WorkspaceError


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    w = Workspace(tmp_path_factory.mktemp("gis") / "ws.gpkg")
    import_scenario(w, "NQ 828", dataset="phu_tho_2019", ruleset="nq35_2023")
    return w


def _system_validator() -> list[str] | None:
    """GDAL's validate_gpkg.py through the system Python (python3-gdal), if installed."""
    py = shutil.which("python3", path="/usr/bin")
    if py is None:
        return None
    ok = subprocess.run([py, "-c", "import osgeo_utils.samples.validate_gpkg"],
                        capture_output=True).returncode == 0  # fmt: skip
    return [py, "-m", "osgeo_utils.samples.validate_gpkg"] if ok else None


def test_gpkg_round_trip_with_lineage(ws: Workspace, tmp_path: Path) -> None:
    out = export_scenario(ws, "NQ 828", "gpkg", tmp_path / "nq828.gpkg")
    layers = dict(pyogrio.list_layers(out))
    assert layers == {"new_units": "MultiPolygon", "units": "MultiPolygon", "lineage": None}
    nu = gpd.read_file(out, layer="new_units")
    assert len(nu) == 225 and nu.crs.to_epsg() == 4326
    hv = nu.set_index("new_unit").loc["07942"]
    assert hv["name"] == "Phường Hùng Vương"
    assert hv["members"] == "07939;07942"
    assert hv["member_names"] == "Phường Trường Thịnh; Phường Hùng Vương"
    units = gpd.read_file(out, layer="units")
    assert len(units) == 277
    tt = units.set_index("code").loc["07939"]
    assert (tt["new_unit"], tt["new_name"], tt["relation"]) == ("07942", "Phường Hùng Vương",
                                                                "merged_into")  # fmt: skip
    lin = pyogrio.read_dataframe(out, layer="lineage")
    assert len(lin) == 277 and lin["old_code"].is_unique
    assert set(lin["relation"]) == {"unchanged", "seat", "merged_into"}
    assert (lin.groupby("new_unit")["is_seat"].sum() == 1).all()
    assert lin["new_unit"].nunique() == 225
    assert int(nu["population"].sum()) == int(units["population"].sum())


def test_gpkg_passes_ogrinfo(ws: Workspace, tmp_path: Path) -> None:
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        pytest.skip("ogrinfo (Debian gdal-bin) is not installed")
    out = export_scenario(ws, "NQ 828", "gpkg", tmp_path / "x.gpkg")
    for target in (out, ws.path):  # the export and the workspace itself
        res = subprocess.run([ogrinfo, "-ro", "-al", "-so", str(target)],
                             capture_output=True, text=True)  # fmt: skip
        assert res.returncode == 0, res.stderr
        assert "ERROR" not in res.stderr and "Warning" not in res.stderr, res.stderr
    res = subprocess.run([ogrinfo, "-ro", "-so", str(out), "new_units"], capture_output=True,
                         text=True)  # fmt: skip
    assert "Feature Count: 225" in res.stdout
    validator = _system_validator()
    if validator is not None:
        for target in (out, ws.path):
            res = subprocess.run([*validator, str(target)], capture_output=True, text=True)
            assert res.returncode == 0, res.stdout + res.stderr


def test_geojson_round_trip(ws: Workspace, tmp_path: Path) -> None:
    out = export_scenario(ws, "NQ 828", "geojson", tmp_path / "nq828.geojson")
    gdf = gpd.read_file(out)
    assert len(gdf) == 225 and gdf.crs.to_epsg() == 4326
    row = gdf.set_index("new_unit").loc["08014"]
    assert row["name"] == "Xã Hợp Nhất"
    assert set(row["members"].split(";")) == {"08011", "08014", "08020"}
    assert gdf.geometry.is_valid.all()


def test_shapefile_zip_round_trip(ws: Workspace, tmp_path: Path) -> None:
    out = export_scenario(ws, "NQ 828", "shp", tmp_path / "nq828.zip")
    names = set(zipfile.ZipFile(out).namelist())
    assert {"new_units.shp", "new_units.dbf", "new_units.cpg", "new_units.prj",
            "units.shp", "lineage.csv"} <= names  # fmt: skip
    nu = gpd.read_file(f"zip://{out}!new_units.shp")
    assert len(nu) == 225
    assert "Phường Hùng Vương" in set(nu["name"])  # UTF-8 names intact
    old = gpd.read_file(f"zip://{out}!units.shp")
    assert old.set_index("code").loc["07939", "new_unit"] == "07942"
    assert {"parent", "parent_nm", "is_seat"} <= set(old.columns)
    with zipfile.ZipFile(out) as zf, zf.open("lineage.csv") as f:
        lin = pd.read_csv(f, dtype=str)
    assert len(lin) == 277


def test_kml_round_trip(ws: Workspace, tmp_path: Path) -> None:
    out = export_scenario(ws, "NQ 828", "kml", tmp_path / "nq828.kml", lang="en")
    root = ET.parse(out).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = root.findall(".//k:Placemark", ns)
    assert len(marks) == 225
    by_name = {m.findtext("k:name", namespaces=ns): m for m in marks}
    hv = by_name["Phường Hùng Vương"]
    data = {d.get("name"): d.text for d in hv.findall(".//k:SimpleData", ns)}
    assert data["members"] == "07939;07942" and data["new_unit"] == "07942"
    assert "Member units: Phường Trường Thịnh; Phường Hùng Vương" in hv.findtext(
        "k:description", namespaces=ns
    )
    assert hv.find(".//k:Polygon", ns) is not None
    back = gpd.read_file(out)
    assert len(back) == 225


def test_unknown_format(ws: Workspace, tmp_path: Path) -> None:
    assert "kml" in FORMATS
    with pytest.raises(WorkspaceError, match="unknown export format 'dwg'"):
        export_scenario(ws, "NQ 828", "dwg", tmp_path / "x.dwg")
    with pytest.raises(WorkspaceError, match="no scenario 'nope'"):
        export_scenario(ws, "nope", "gpkg", tmp_path / "x.gpkg")


def test_export_bytes_for_downloads(ws: Workspace) -> None:
    import json

    from sapxep.scenarios.export import export_bytes

    data, filename, mime = export_bytes(ws, "NQ 828", "geojson")
    assert filename == "NQ_828.geojson" and mime == "application/geo+json"
    doc = json.loads(data)
    assert len(doc["features"]) == 225
    data, filename, mime = export_bytes(ws, "NQ 828", "shp")
    assert filename.endswith(".zip") and data[:2] == b"PK"


def test_app_downloads_use_the_one_export_bytes(ws: Workspace) -> None:
    import io

    from matplotlib.image import imread

    from sapxep.scenarios.app.downloads import download_bytes
    from sapxep.scenarios.export import MAP_DPI, export_bytes

    assert download_bytes(str(ws.path), "NQ 828", "geojson") == export_bytes(ws, "NQ 828", "geojson")[0]
    png = download_bytes(str(ws.path), "NQ 828", "map_png")
    height, width = imread(io.BytesIO(png)).shape[:2]
    # an A4 sheet at the one map resolution, as the file export gives
    assert max(height, width) == pytest.approx(11.69 * MAP_DPI, abs=2)


def test_gis_export_in_vn2000(ws: Workspace, tmp_path: Path) -> None:
    """``crs="vn2000"`` writes VN-2000 / UTM 48N for Phú Thọ; an unknown CRS names the flag."""
    out = export_scenario(ws, "NQ 828", "gpkg", tmp_path / "vn2000.gpkg", crs="vn2000")
    layer = gpd.read_file(out, layer="new_units")
    assert layer.crs.to_epsg() == 3405
    assert layer.geometry.area.sum() / 1e6 == pytest.approx(
        ws.load("NQ 828").new_units["area_km2"].sum(), rel=0.05
    )
    units = gpd.read_file(export_scenario(ws, "NQ 828", "shp", tmp_path / "s.zip", crs="EPSG:3405"),
                          layer="units")  # fmt: skip
    assert units.crs.to_epsg() == 3405
    with pytest.raises(WorkspaceError, match="--crs"):
        export_scenario(ws, "NQ 828", "gpkg", tmp_path / "bad.gpkg", crs="EPSG:999999")
