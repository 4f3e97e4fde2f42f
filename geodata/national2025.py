"""Preparing the bundled 2025 nationwide file (3,321 units, 34 provinces) for normalisation.

The source (see ``geodata/data/ATTRIBUTION.md``) has no district level: the parent of every
unit is its province. Its ``population_official`` is the figure published for the 2025
arrangement; 370 values are flagged ``population_suspect`` (missing, implausibly small, or far
from the 2019 census estimate). They are kept raw and never used silently: ``population``
holds the raw value (0 when missing) and the flag travels with the unit, so assessments show
the value, leave it out of the population checks and say so; a user-supplied ``population``
(``--attributes``) clears the flag (:func:`clear_supplied_suspects`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

#: Columns of the 2025 file that describe the population's reliability.
SUSPECT_COLUMNS = ("population_suspect", "population_suspect_reason", "population_source")


def prepare_units_2025(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Map the 2025 file's columns onto the ones :func:`normalise_units` reads.

    * ``population`` = ``population_official`` (0 where missing; those rows are suspect);
    * ``parent_code``/``parent_name`` = the province (no district level after 1 July 2025);
    * ``population_suspect`` as bool, ``population_suspect_reason`` "missing" where empty;
    * ``parent_kind`` = ``thanh_pho`` (a modelling default: NQ 1211's phường row needs the
      district kind, which ended in 2025) and ``phuong_context`` (NQ 76 Art. 5 phường row)
      ``centrally_run_city`` in the six centrally-run cities, else ``other``.

    Parameters
    ----------
    raw : geopandas.GeoDataFrame
        The ``communes`` layer of ``vietnam_communes_2025.gpkg`` as read.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame; the input is not changed.
    """
    out = raw.copy()
    official = pd.to_numeric(out["population_official"], errors="coerce")
    missing = official.isna().to_numpy()
    out["population"] = official.fillna(0).round().astype("int64")
    suspect = out["population_suspect"].astype(bool).to_numpy() | missing
    out["population_suspect"] = suspect
    reason = (
        out["population_suspect_reason"].astype(object).where(out["population_suspect_reason"].notna(), "")
    )
    out["population_suspect_reason"] = np.where(missing & (reason == ""), "missing", reason)
    out["parent_code"] = out["province_code"].astype(str)
    out["parent_name"] = out["province"].astype(str)
    # NQ 1211/2016 measures a phường by its district's kind, which no longer exists: the 2025
    # phường are measured as phường of a city (thành phố); NQ 76 Art. 5 phường row by province.
    out["parent_kind"] = "thanh_pho"
    city = out["province"].astype(str).str.startswith("Thành phố").to_numpy()
    out["phuong_context"] = np.where(city, "centrally_run_city", "other")
    return out.drop(columns=["population_official"])


def clear_supplied_suspects(units: pd.DataFrame, supplied_codes: set[str]) -> pd.DataFrame:
    """Clear the suspect flag of units whose population the user supplied.

    Parameters
    ----------
    units : pandas.DataFrame
        Units table with ``code`` and ``population_suspect``.
    supplied_codes : set of str
        Codes given a population in the user's attribute table.

    Returns
    -------
    pandas.DataFrame
        A copy with ``population_suspect`` False and ``population_source`` ``"user"`` there.
    """
    out = units.copy()
    if "population_suspect" not in out.columns:
        return out
    hit = out["code"].astype(str).isin(supplied_codes).to_numpy()
    out["population_suspect"] = out["population_suspect"].astype(bool).to_numpy() & ~hit
    if "population_source" in out.columns:
        out["population_source"] = np.where(hit, "user", out["population_source"].astype(object))
    return out
