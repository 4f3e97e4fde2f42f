"""Geometry for the app's Plotly maps: GeoJSON, outlines and extents in EPSG:4326."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np


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
        GeoJSON with only ``id`` on each feature (no properties); each ring's coordinates are a
        ``(n, 2)`` float array (``json.dumps(..., default=numpy.ndarray.tolist)`` writes it).

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
        features.append({"type": "Feature", "id": uid, "properties": {}, "geometry": _geometry_arrays(geom)})
    return {"type": "FeatureCollection", "features": features}


def _geometry_arrays(geom: Any) -> dict[str, Any]:
    """GeoJSON geometry of a (multi)polygon whose rings are (n, 2) float arrays.

    Arrays, not nested lists: Plotly deep-copies a figure's data twice before sending it, and an
    array is copied in one step where a list of coordinate pairs costs a Python object per point.
    """
    import shapely

    def rings(poly: Any) -> list[np.ndarray]:
        return [shapely.get_coordinates(r) for r in (poly.exterior, *poly.interiors)]

    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": rings(geom)}
    if geom.geom_type == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [rings(p) for p in geom.geoms]}
    return dict(geom.__geo_interface__)


def boundary_lines(gdf: Any, *, decimals: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Return the polygon outlines of ``gdf`` as Plotly line coordinates.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons (e.g. dissolved new units); reprojected to EPSG:4326 if needed.
    decimals : int, default 5
        Rounding of the coordinates.

    Returns
    -------
    (lons, lats) : tuple of numpy.ndarray
        Rings one after the other, each followed by a NaN (a gap: one ``go.Scattergeo`` trace
        draws them all). Arrays rather than lists: Plotly checks and sends them as typed arrays.
    """
    import shapely

    g = gdf if gdf.crs is None or gdf.crs.to_epsg() == 4326 else gdf.to_crs(4326)
    geoms = np.asarray([x for x in g.geometry if x is not None and not x.is_empty], dtype=object)
    if not len(geoms):
        return np.empty(0), np.empty(0)
    rings = shapely.get_parts(shapely.boundary(geoms))
    rings = shapely.get_parts(rings)  # a multi-line boundary into its lines
    xy, idx = shapely.get_coordinates(rings, return_index=True)
    xy = xy.round(decimals)
    ends = np.flatnonzero(np.diff(idx)) + 1  # where each next ring starts
    gap = np.full((1, 2), np.nan)
    parts = np.split(xy, ends)
    out = np.concatenate([p for part in parts for p in (part, gap)])
    return out[:, 0], out[:, 1]


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


def union_lines(units: Any, codes: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return the outline of the union of some units (e.g. the units that differ between plans)."""
    import geopandas as gpd

    sub = units[units["code"].astype(str).isin({str(c) for c in codes})]
    if sub.empty:
        return np.empty(0), np.empty(0)
    merged = gpd.GeoDataFrame(geometry=[sub.geometry.union_all()], crs=units.crs)
    return boundary_lines(merged)
