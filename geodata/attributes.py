"""Attributes added to an already loaded units table: the terrain proxy and user overrides.

* :func:`join_terrain_proxy`: the bundled proxy classification of terrain
  (``phu_tho_communes_2023_terrain_proxy.csv``, sources in ``data/ATTRIBUTION.md``) fills
  units whose terrain is the dataset default; they get ``terrain_source = "proxy"`` and a
  ``terrain_confidence`` (``medium`` / ``low``).
* :func:`override_attributes`: a user's CSV/XLSX table joined by code over a loaded
  dataset (``--attributes`` with ``--dataset``): non-empty cells replace values, new columns
  are added; a terrain given this way has ``terrain_source = "data"``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from sapxep.geodata.normalise import is_blank, normalise_units
from sapxep.units.errors import DataValidationError

logger = logging.getLogger(__name__)

_PROXY_TERRAINS = ("mountainous", "lowland")


def join_terrain_proxy(gdf: gpd.GeoDataFrame, proxy_csv: str | Path) -> gpd.GeoDataFrame:
    """Fill defaulted terrain from a proxy classification (``code,terrain,confidence,…``).

    Only units with ``terrain_source == "default"`` and a proxy value ``mountainous`` or
    ``lowland`` change; terrain from data is never replaced.

    Parameters
    ----------
    gdf : GeoDataFrame
        A normalised units table.
    proxy_csv : str or Path
        The proxy table (``unknown`` rows are ignored).

    Returns
    -------
    GeoDataFrame
        A copy with ``terrain``, ``terrain_source`` and ``terrain_confidence`` updated
        (``terrain_confidence``: ``data`` rows keep ``""``, defaults ``"none"``).
    """
    proxy = pd.read_csv(proxy_csv, dtype=str, keep_default_na=False).set_index("code")
    out = gdf.copy()
    codes = out["code"].astype(str)
    terrain = proxy["terrain"].reindex(codes).to_numpy(dtype=object)
    conf = proxy["confidence"].reindex(codes).to_numpy(dtype=object)
    use = (out["terrain_source"].to_numpy() == "default") & np.isin(terrain, _PROXY_TERRAINS)
    out.loc[use, "terrain"] = terrain[use]
    out.loc[use, "terrain_source"] = "proxy"
    confidence = np.where(out["terrain_source"].to_numpy() == "default", "none", "").astype(object)
    confidence[use] = conf[use]
    out["terrain_confidence"] = pd.Series(confidence, index=out.index, dtype=object)
    logger.info("terrain proxy %s: %d units classified", Path(proxy_csv).name, int(use.sum()))
    return out


def override_attributes(
    gdf: gpd.GeoDataFrame,
    path: str | Path,
    *,
    columns: str | Mapping[str, str] | None = None,
    header_row: int | None = None,
) -> gpd.GeoDataFrame:
    """Join a user attribute table by code over a loaded units table.

    Parameters
    ----------
    gdf : GeoDataFrame
        A normalised units table (e.g. a bundled dataset).
    path : str or Path
        CSV or XLSX with a code column (headers recognised as in
        :mod:`sapxep.geodata.columns`); other columns override or add.
    columns : str or mapping, optional
        Explicit header mapping (``--columns``).
    header_row : int, optional
        1-based header row (``--header-row``); default detected.

    Returns
    -------
    GeoDataFrame
        Normalised again; units whose terrain the table gives have ``terrain_source = "data"``.

    Raises
    ------
    DataValidationError
        Unreadable file, no ``code`` column, blank/duplicate/unknown codes, or values the
        units table does not accept: every problem at once.
    """
    from sapxep.geodata.columns import parse_column_spec
    from sapxep.geodata.io import _finalise
    from sapxep.geodata.mapping import join_attributes, map_table
    from sapxep.geodata.tables import read_table

    p = Path(path)
    polygon = dict(zip(gdf["code"].astype(str), gdf["area_km2_polygon"], strict=True))
    table, info = read_table(p, header_row=header_row)
    explicit = parse_column_spec(columns)
    attrs, _, notes = map_table(table, explicit=explicit, source=p.name, polygon_km2=polygon)
    joined, problems = join_attributes(gdf, attrs, source=p.name)
    if problems:
        raise DataValidationError(f"{p.name}: {len(problems)} problems", problems)
    cols = {str(c).lower() for c in attrs.columns}
    if cols & {"terrain", "is_mountainous"}:
        given = pd.Series(False, index=joined.index)
        for c in attrs.columns:
            if str(c).lower() in ("terrain", "is_mountainous"):
                vals = attrs.set_index("code")[c].reindex(joined["code"].astype(str)).to_numpy(dtype=object)
                given |= ~pd.Series(vals, index=joined.index).map(is_blank)
        joined.loc[given.to_numpy(), "terrain_source"] = "data"
        if "terrain_confidence" in joined.columns:
            joined.loc[given.to_numpy(), "terrain_confidence"] = ""
    try:
        out = normalise_units(joined)
    except (ValueError, TypeError) as exc:
        raise DataValidationError(f"{p.name}: bad attribute values", [str(exc)]) from None
    logger.info("attributes %s joined over %d units", p.name, len(out))
    out = _finalise(out)
    if "population" in cols and "population_suspect" in out.columns:
        # a population the user supplies replaces a suspect one (geodata/national2025.py)
        from sapxep.geodata.national2025 import clear_supplied_suspects

        pop = attrs.set_index("code")[next(c for c in attrs.columns if str(c).lower() == "population")]
        supplied = {str(c) for c, v in pop.items() if not is_blank(v)}
        out = clear_supplied_suspects(out, supplied)
    out.attrs["read_notes"] = [*gdf.attrs.get("read_notes", []), *info.notes, *notes]
    return out


__all__ = ["join_terrain_proxy", "override_attributes"]
