"""Helpers for the geodata tests: square grids of units built with ``shapely.box``."""

from __future__ import annotations

import geopandas as gpd
import shapely

#: VN-2000 / UTM 48N, the metric CRS geodata picks for Phú Thọ (so no reprojection).
METRIC = "EPSG:3405"
X0, Y0 = 540_000.0, 2_360_000.0


def grid_units(
    n_cols: int,
    n_rows: int,
    *,
    cell_m: float = 1000.0,
    gap_m: float = 0.0,
    population: int = 1000,
    crs: str = METRIC,
) -> gpd.GeoDataFrame:
    """Return a normalised units table of ``n_cols`` × ``n_rows`` square units.

    Codes are ``"00001"`` … row by row from the south-west corner; ``gap_m`` leaves a
    gap of that width between neighbouring cells.
    """
    rows = []
    k = 0
    for r in range(n_rows):
        for c in range(n_cols):
            k += 1
            x, y = X0 + c * cell_m, Y0 + r * cell_m
            rows.append(
                {
                    "code": f"{k:05d}",
                    "name": f"Xã Ô {k}",
                    "unit_type": "xa",
                    "parent_code": "001",
                    "population": population,
                    "area_km2": (cell_m - gap_m) ** 2 / 1e6,
                    "terrain": "lowland",
                    "geometry": shapely.box(x, y, x + cell_m - gap_m, y + cell_m - gap_m),
                }
            )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC)
    return gdf if crs == METRIC else gdf.to_crs(crs)


def raw_grid(n_cols: int, n_rows: int, **kwargs: object) -> gpd.GeoDataFrame:
    """Return a grid in EPSG:4326 with source-style columns, as a user's file would have."""
    gdf = grid_units(n_cols, n_rows, crs="EPSG:4326", **kwargs)  # type: ignore[arg-type]
    gdf = gdf.drop(columns=["area_km2", "terrain", "parent_code"])
    gdf["unit_type"] = "Xã"
    gdf["district_code"] = "001"
    gdf["district"] = "Huyện Thử"
    gdf["province_code"] = "99"
    gdf["province"] = "Tỉnh Thử"
    return gdf
