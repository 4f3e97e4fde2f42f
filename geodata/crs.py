"""Metric coordinate reference systems for measuring Vietnamese units.

Areas, lengths and distances are measured in VN-2000 / UTM (the national metric
system): zone 48N (EPSG:3405) west of 108°E, zone 49N (EPSG:3406) east of it.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from sapxep.units.errors import DataValidationError

logger = logging.getLogger(__name__)

#: VN-2000 / UTM zone 48N and 49N.
VN2000_UTM48N = "EPSG:3405"
VN2000_UTM49N = "EPSG:3406"
#: Longitude (°E) that separates the two VN-2000 zones used here.
ZONE_SPLIT_LON = 108.0


def _lonlat_centre(gdf: gpd.GeoDataFrame) -> tuple[float, float]:
    """Return the (lon, lat) centre of the total bounds of ``gdf`` in WGS84."""
    if gdf.crs is None:
        raise DataValidationError(
            "cannot choose a metric CRS",
            ["the data has no coordinate system (CRS): give it with --crs, e.g. --crs EPSG:4326"],
        )
    geo = gdf.geometry
    if not geo.crs.is_geographic:
        geo = geo.to_crs("EPSG:4326")
    minx, miny, maxx, maxy = geo.total_bounds
    return (minx + maxx) / 2.0, (miny + maxy) / 2.0


def metric_crs(gdf: gpd.GeoDataFrame) -> pyproj.CRS:
    """Choose a projected metric CRS for the units in ``gdf``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with a CRS set (any CRS).

    Returns
    -------
    pyproj.CRS
        VN-2000 / UTM 48N (EPSG:3405) if the centre of the data lies west of 108°E,
        VN-2000 / UTM 49N (EPSG:3406) if east of it, both only inside Viet Nam's
        extent (lon 100–118°E, lat 6–25°N); elsewhere the WGS84 / UTM zone of the
        centre (``gdf.estimate_utm_crs()``).

    Raises
    ------
    DataValidationError
        If ``gdf`` has no CRS or no geometry.
    """
    if len(gdf) == 0 or gdf.geometry.is_empty.all():
        raise DataValidationError("cannot choose a metric CRS", ["the data has no geometry"])
    lon, lat = _lonlat_centre(gdf)
    if 100.0 <= lon <= 118.0 and 6.0 <= lat <= 25.0:
        return pyproj.CRS.from_user_input(VN2000_UTM48N if lon < ZONE_SPLIT_LON else VN2000_UTM49N)
    crs = gdf.estimate_utm_crs()
    logger.info("data centred at %.3f, %.3f lies outside Viet Nam: using %s", lon, lat, crs)
    return crs


def to_metric(gdf: gpd.GeoDataFrame, crs: pyproj.CRS | None = None) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` in a metric CRS.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with a CRS set.
    crs : pyproj.CRS, optional
        Target CRS; default :func:`metric_crs` of ``gdf``.

    Returns
    -------
    geopandas.GeoDataFrame
        Reprojected copy (the input is not changed).

    Raises
    ------
    DataValidationError
        If ``gdf`` has no CRS.
    """
    target = crs if crs is not None else metric_crs(gdf)
    return gdf.to_crs(target)


def metric_geometries(gdf: gpd.GeoDataFrame, crs: pyproj.CRS | None = None) -> tuple[np.ndarray, pyproj.CRS]:
    """Return the geometries of ``gdf`` in a metric CRS, repaired after reprojection.

    Reprojection can make a valid polygon slightly invalid (a self-touching ring);
    such geometries are repaired with ``shapely.make_valid(method="structure")`` so
    that overlay operations do not fail.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with a CRS set.
    crs : pyproj.CRS, optional
        Target CRS; default :func:`metric_crs` of ``gdf``.

    Returns
    -------
    tuple of (numpy.ndarray, pyproj.CRS)
        Shapely geometries in input order, and the CRS used.

    Raises
    ------
    DataValidationError
        If ``gdf`` has no CRS.
    """
    target = crs if crs is not None else metric_crs(gdf)
    geoms = gdf.geometry.to_crs(target).to_numpy().copy()
    bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False)
    return geoms, target
