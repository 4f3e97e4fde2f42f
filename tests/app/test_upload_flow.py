"""The app's upload flow as pure functions: detected mapping + preview, fix, clean, use."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pytest
import shapely

from sapxep.geodata.clean import CleanRefusedError
from sapxep.scenarios.app.upload_flow import (
    clean_upload,
    columns_from_table,
    inspect_upload,
    mapping_targets,
    use_upload,
)
from sapxep.scenarios.messages import tr
from sapxep.units.errors import DataValidationError


def _units(headers: dict[str, str], *, overlap_m: float = 0.0) -> tuple[str, bytes]:
    """A 3 × 3 grid of 1 km units (EPSG:3405) as GeoJSON bytes, with the given header names."""
    x0, y0 = 540_000.0, 2_360_000.0
    rows = []
    for k in range(9):
        r, c = divmod(k, 3)
        geom = shapely.box(x0 + c * 1000 - (overlap_m if k == 4 else 0), y0 + r * 1000,
                           x0 + c * 1000 + 1000, y0 + r * 1000 + 1000)  # fmt: skip
        pop = f"{(k + 1) * 1000:,}".replace(",", ".")  # written as Vietnamese officials do
        rows.append({headers["code"]: f"{k + 1:05d}", headers["name"]: f"Xã Số {k + 1}",
                     headers["population"]: pop, "geometry": geom})  # fmt: skip
    gdf = gpd.GeoDataFrame(rows, crs="EPSG:3405").to_crs("EPSG:4326")
    return "units.geojson", gdf.to_json().encode("utf-8")


def test_vietnamese_headers_are_detected_and_previewed() -> None:
    up = _units({"code": "Mã xã", "name": "Tên xã", "population": "Dân số"})
    preview = inspect_upload(up)
    assert columns_from_table(preview.mapping) == {"Mã xã": "code", "Tên xã": "name", "Dân số": "population"}
    assert preview.missing == []
    assert preview.preview["population"].tolist()[:3] == [1000, 2000, 3000]  # "1.000" read as a thousand
    gdf = use_upload(up)
    assert len(gdf) == 9 and gdf["population"].sum() == 45_000


def test_unusual_headers_fixed_in_the_mapping_table() -> None:
    up = _units({"code": "Số hiệu", "name": "Đơn vị", "population": "Nhân khẩu 2024"})
    preview = inspect_upload(up)
    assert "code" in preview.missing
    table = preview.mapping.copy()
    table.loc[table["header"] == "Số hiệu", "column"] = "code"
    table.loc[table["header"] == "Nhân khẩu 2024", "column"] = "population"
    fixed = inspect_upload(up, columns=columns_from_table(table))
    assert fixed.missing == []
    with pytest.raises(DataValidationError, match="column 'code' is missing"):
        use_upload(up)
    assert len(use_upload(up, columns=columns_from_table(table))) == 9


def test_every_mapping_choice_has_words_in_both_languages() -> None:
    for target in mapping_targets():
        for lang in ("vi", "en"):
            text = tr(f"target_{target}", lang)
            assert text and not text.startswith("target_"), (target, lang)


def test_clean_then_use() -> None:
    up = _units({"code": "code", "name": "name", "population": "population"}, overlap_m=60)
    gdf = use_upload(up)
    assert gdf.attrs["topology_warnings"]  # usable, with the warning kept for the page
    with pytest.raises(CleanRefusedError):
        clean_upload(up, max_change_pct=1)
    cleaned, report, summary, _ = clean_upload(up)
    assert summary["overlap_km2"] == pytest.approx(0.06, abs=1e-3) and len(report) == 9
    again = use_upload(cleaned)
    assert again.attrs["topology_warnings"] == []
    assert json.load(io.BytesIO(cleaned[1]))["type"] == "FeatureCollection"
