"""Geometry for the app's Plotly maps: GeoJSON, outlines and extents in EPSG:4326."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def units_geojson(gdf: Any, *, id_column: str = "code", decimals: int = 5) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of ``gdf`` with ``feature.id`` = ``id_column``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units (or dissolved new units); reprojected to EPSG:4326 if needed.
    id_column : str, default "code"
        Column whose values become the feature ids (Plotly ``featureidkey="id"``).
    decimals : int, default 5
        Coordinates are rounded to this many decimals (about 1 m) to keep the page light.

    Returns
    -------
    dict
        GeoJSON with only ``id`` on each feature (no properties).

    Raises
    ------
    KeyError
        If ``id_column`` is missing.
    """
    import shapely

    if id_column not in gdf.columns:
        raise KeyError(f"column '{id_column}' is missing; the GeoJSON needs it as feature id")
    g = gdf[[id_column, "geometry"]]
    if g.crs is not None and g.crs.to_epsg() != 4326:
        g = g.to_crs(4326)
    geoms = shapely.set_precision(g.geometry.to_numpy(), 10.0**-decimals, mode="pointwise")
    features = []
    for uid, geom in zip(g[id_column].astype(str), geoms, strict=True):
        if geom is None or geom.is_empty:
            continue
        features.append({"type": "Feature", "id": uid, "properties": {}, "geometry": geom.__geo_interface__})
    # round-trip through json so the dict holds plain lists (hashable for caching, small)
    return json.loads(json.dumps({"type": "FeatureCollection", "features": features}))


def boundary_lines(gdf: Any, *, decimals: int = 5) -> tuple[list[float | None], list[float | None]]:
    """Return the polygon outlines of ``gdf`` as Plotly line coordinates.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons (e.g. dissolved new units); reprojected to EPSG:4326 if needed.
    decimals : int, default 5
        Rounding of the coordinates.

    Returns
    -------
    (lons, lats) : tuple of lists
        Rings joined with ``None`` separators (one ``go.Scattergeo`` trace draws them all).
    """
    import shapely

    g = gdf if gdf.crs is None or gdf.crs.to_epsg() == 4326 else gdf.to_crs(4326)
    lons: list[float | None] = []
    lats: list[float | None] = []
    for geom in g.geometry:
        if geom is None or geom.is_empty:
            continue
        bnd = shapely.get_parts(geom.boundary)
        for ring in bnd:
            xy = shapely.get_coordinates(ring).round(decimals)
            lons.extend(xy[:, 0].tolist())
            lats.extend(xy[:, 1].tolist())
            lons.append(None)
            lats.append(None)
    return lons, lats


def lonlat_extent(*gdfs: Any) -> tuple[float, float, float, float]:
    """Return the common (minx, miny, maxx, maxy) of the given layers in degrees."""
    boxes = []
    for g in gdfs:
        g = g if g.crs is None or g.crs.to_epsg() == 4326 else g.to_crs(4326)
        boxes.append(g.total_bounds)
    return (
        float(min(b[0] for b in boxes)),
        float(min(b[1] for b in boxes)),
        float(max(b[2] for b in boxes)),
        float(max(b[3] for b in boxes)),
    )


def union_lines(units: Any, codes: Iterable[str]) -> tuple[list[float | None], list[float | None]]:
    """Return the outline of the union of some units (e.g. the units that differ between plans)."""
    import geopandas as gpd

    sub = units[units["code"].astype(str).isin({str(c) for c in codes})]
    if sub.empty:
        return [], []
    merged = gpd.GeoDataFrame(geometry=[sub.geometry.union_all()], crs=units.crs)
    return boundary_lines(merged)
