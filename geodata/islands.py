"""Units with no land neighbour: islands as the polygons say.

Used to derive the ``island`` attribute of the bundled 2025 nationwide file (a topologically
clean coverage, so a unit whose polygon comes within ``gap_m`` of no other unit lies on its
own island). The table shipped as ``geodata/data/vietnam_communes_2025_attributes.csv`` was
made with :func:`island_table` (``gap_m=50``); đặc khu are island special zones by law
(Luật Tổ chức chính quyền địa phương 2025) and are flagged whatever their polygon says.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sapxep.geodata.crs import metric_crs

logger = logging.getLogger(__name__)


def isolated_units(gdf: gpd.GeoDataFrame, *, gap_m: float = 50.0) -> np.ndarray:
    """Return a boolean mask of the units whose polygon comes within ``gap_m`` of no other unit.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with a CRS (any; measured in the metric CRS of :func:`metric_crs`).
    gap_m : float, default 50.0
        Distance in metres below which two units count as neighbours.

    Returns
    -------
    numpy.ndarray of bool
        One value per row, True for units with no neighbour.
    """
    metric = gdf.geometry.to_crs(metric_crs(gdf))
    tree = shapely.STRtree(metric.to_numpy())
    left, right = tree.query(metric.buffer(gap_m).to_numpy(), predicate="intersects")
    degree = np.bincount(left[left != right], minlength=len(gdf))
    return degree == 0


def island_table(gdf: gpd.GeoDataFrame, *, gap_m: float = 50.0) -> pd.DataFrame:
    """Return ``code, island, island_basis`` for every unit (đặc khu always islands).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with ``code`` and ``unit_type`` (or ``name``) columns.
    gap_m : float, default 50.0
        See :func:`isolated_units`.

    Returns
    -------
    pandas.DataFrame
        ``island`` is ``"true"``/``"false"``; ``island_basis`` is ``dac_khu``,
        ``no_neighbour_within_{gap_m}m`` or empty.
    """
    alone = isolated_units(gdf, gap_m=gap_m)
    dac_khu = (gdf["unit_type"].astype(str) == "dac_khu").to_numpy()
    basis = np.where(dac_khu, "dac_khu", np.where(alone, f"no_neighbour_within_{gap_m:g}m", ""))
    out = pd.DataFrame(
        {
            "code": gdf["code"].astype(str).to_numpy(),
            "island": np.where(dac_khu | alone, "true", "false"),
            "island_basis": basis,
        }
    )
    logger.info("island table: %d of %d units are islands", int((dac_khu | alone).sum()), len(gdf))
    return out
