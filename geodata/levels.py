"""Units of a higher level (districts, provinces) formed by dissolving communes by parent code.

``units_at_level(units, "province")`` returns a units table with one row per province (code =
province code), ``"district"`` one row per district (code = district code, from data that still
has districts, e.g. ``vietnam_2019``). Population and areas are summed, attributes carried up
(rules below), and the geometry is the union of the members (:func:`dissolve_plan`). The table
has the schema of ``docs/ARCHITECTURE.md`` with level unit types (``tinh``/``thanh_pho_tw``;
``huyen``/``quan``/``thi_xa``/``thanh_pho``), so the assessment, the optimizer and the checks run
on it unchanged with the level's ruleset (:func:`sapxep.units.rules.level_rules.ruleset_for_level`).

Carrying up:

* ``terrain`` mountainous when at least two thirds of the members with terrain data are
  mountainous (the NQ 1211 rule for a mountainous district, applied at both levels as a
  modelling default); ``terrain_source`` ``data`` only when every member's terrain was data.
  Override by code with an attribute table (``--attributes``) at the level.
* ``border`` if any member has a border; ``island`` and ``red_river_delta`` if all members do;
  ``ethnic_minority_share`` population-weighted where every member has it.
* ``area_km2_official`` the sum when every member has one; ``area_source`` accordingly.
* ``population_suspect`` if any member's population is suspect (the sum is then suspect too);
  ``population_lower_bound`` the sum over the other members (what the unit surely reaches: the
  assessment settles the verdicts this bound decides); ``n_members`` counts the communes.
"""

from __future__ import annotations

import logging
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sapxep.geodata.dissolve import dissolve_plan
from sapxep.units.choices import LEVELS, Level
from sapxep.units.errors import DataValidationError, format_codes
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)

#: District unit type from the commune table's ``parent_kind``.
_DISTRICT_TYPE: Final[dict[str, str]] = {
    "huyen": "huyen",
    "quan": "quan",
    "thi_xa": "thi_xa",
    "thanh_pho": "thanh_pho",
}
_LEVEL_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "district": ("huyen", "quan", "thi_xa", "thanh_pho"),
    "province": ("tinh", "thanh_pho_tw"),
}


def province_type(name: str) -> str:
    """``thanh_pho_tw`` for a centrally-run city ("Thành phố Hà Nội"), else ``tinh``."""
    return "thanh_pho_tw" if str(name).strip().lower().startswith("thành phố") else "tinh"


def is_at_level(units: pd.DataFrame, level: Level) -> bool:
    """True when every unit already has a unit type of ``level``."""
    if level == "commune":
        return not units["unit_type"].isin(sum(_LEVEL_TYPES.values(), ())).any()
    return bool(units["unit_type"].isin(_LEVEL_TYPES[level]).all())


def _groups(units: pd.DataFrame, level: Level) -> tuple[pd.Series, list[str]]:
    """The parent code of every unit at ``level`` and the problems that prevent dissolving."""
    problems: list[str] = []
    if level == "province":
        key = units["province_code"].astype(str).str.strip()
        blank = units.loc[key == "", "code"].astype(str)
        if len(blank):
            problems.append(f"{len(blank)} units have no province_code: add it, or plan at --level commune")
        return key, problems
    key = units["parent_code"].astype(str).str.strip()
    same = (key == units["province_code"].astype(str).str.strip()).all()
    if same or (key == "").all():
        problems.append(
            "these units have no district level (district-level units ended on 1 July 2025): "
            "use --level province, or a dataset with districts (vietnam_2019, phu_tho_2023)"
        )
    elif (key == "").any():
        problems.append(
            f"{int((key == '').sum())} units have no parent_code: add it, or plan at --level commune"
        )
    kind = units.get("parent_kind", pd.Series("", index=units.index)).astype(str)
    unknown = sorted(set(key[(key != "") & ~kind.isin(list(_DISTRICT_TYPE))]))
    if unknown and not problems:  # the district's kind picks its standard: never guessed
        names = dict(zip(key, units["parent_name"].astype(str), strict=False))
        listed = format_codes([f"{names.get(c) or c} ({c})" for c in unknown], limit=40)
        problems.append(
            f"districts {listed}: their kind (huyện, quận, thị xã or thành phố) is not known and sets the "
            "standard they are measured by; give parent_name with its prefix (e.g. 'Huyện Lâm Thao') "
            "or parent_kind (huyen, quan, thi_xa, thanh_pho) in the units file or an attributes table"
        )
    return key, problems


def _terrain(group: pd.DataFrame) -> tuple[str, str]:
    data = group[group["terrain_source"].astype(str) != "default"] if "terrain_source" in group else group
    source = "data" if len(data) == len(group) else "default"
    pool = data if len(data) else group
    mountainous = (pool["terrain"] == "mountainous").mean() >= 2 / 3
    return ("mountainous" if mountainous else "lowland"), source


def _flag(group: pd.DataFrame, column: str) -> pd.Series:
    if column not in group:
        return pd.Series(False, index=group.index)
    return group[column].fillna(False).astype(bool)


def _numeric(group: pd.DataFrame, column: str) -> pd.Series:
    if column not in group:
        return pd.Series(np.nan, index=group.index)
    return pd.to_numeric(group[column], errors="coerce")


def _aggregate(units: pd.DataFrame, key: pd.Series, level: Level) -> pd.DataFrame:
    rows = []
    for code, group in units.groupby(key.to_numpy(), sort=True):
        first = group.iloc[0]
        terrain, tsource = _terrain(group)
        official = _numeric(group, "area_km2_official")
        all_official = bool(official.notna().all())
        share = _numeric(group, "ethnic_minority_share")
        pop = group["population"].astype(float)
        share_known = bool(share.notna().all()) and pop.sum() > 0
        if level == "province":
            name, utype = str(first["province"]), province_type(str(first["province"]))
            parent_code, parent_name = "", ""
        else:
            name = str(first["parent_name"])
            utype = _DISTRICT_TYPE.get(str(first.get("parent_kind", "huyen")), "huyen")
            parent_code, parent_name = str(first["province_code"]), str(first["province"])
        rows.append(
            {
                "code": str(code),
                "name": name,
                "unit_type": utype,
                "parent_code": parent_code,
                "parent_name": parent_name,
                "parent_kind": "huyen",
                "province_code": str(first["province_code"]),
                "province": str(first["province"]),
                "area_km2": float(group["area_km2"].sum()),
                "area_source": "official" if all_official else "polygon",
                "area_km2_polygon": float(
                    pd.to_numeric(group.get("area_km2_polygon"), errors="coerce").sum()
                ),
                "area_km2_official": float(official.sum()) if all_official else np.nan,
                "population": int(group["population"].sum()),
                "terrain": terrain,
                "terrain_source": tsource,
                "ethnic_minority_share": float((share * pop).sum() / pop.sum()) if share_known else np.nan,
                "border": bool(_flag(group, "border").any()),
                "island": bool(_flag(group, "island").all()),
                "coastal_disadvantaged": False,
                "red_river_delta": bool(_flag(group, "red_river_delta").all()),
                "commune_class": "",
                "arranged_2019_2021": False,
                "arranged_2023_2025": False,
                "exemption_reason": "",
                "population_suspect": bool(_flag(group, "population_suspect").any()),
                "population_suspect_reason": (
                    f"{int(_flag(group, 'population_suspect').sum())} xã có dân số nghi vấn"
                    if _flag(group, "population_suspect").any()
                    else ""
                ),
                # the population the unit surely reaches: its members' without the suspect ones
                "population_lower_bound": int(
                    group.loc[~_flag(group, "population_suspect"), "population"].sum()
                ),
                "n_members": len(group),
            }
        )
    return pd.DataFrame(rows)


def _shapes(units: gpd.GeoDataFrame, key: pd.Series, smooth_m: float) -> gpd.GeoSeries:
    """Union of each group's polygons, indexed by group code (EPSG:4326).

    A clean coverage (no overlaps or gaps, e.g. ``vietnam_2025``) is unioned exactly by
    ``shapely.coverage_union_all`` (seconds); other data by :func:`dissolve_plan` (tolerant).
    """
    geoms = units.geometry.to_numpy()
    if units.crs is not None and units.crs.equals("EPSG:4326") and bool(shapely.coverage_is_valid(geoms)):
        groups = pd.Series(np.arange(len(units))).groupby(key.to_numpy()).apply(list)
        parts = {str(code): shapely.coverage_union_all(geoms[idx]) for code, idx in groups.items()}
        return gpd.GeoSeries(parts, crs=units.crs)
    plan = MergePlan(assignment=pd.Series(key.to_numpy(), index=units["code"].astype(str).to_numpy()))
    shapes = dissolve_plan(units, plan, smooth_m=smooth_m).set_index("new_unit")
    return shapes.geometry


def units_at_level(units: gpd.GeoDataFrame, level: Level, *, smooth_m: float = 1.0) -> gpd.GeoDataFrame:
    """Dissolve commune-level units into the units of ``level``.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Commune-level units table (``code``, ``parent_code``, ``parent_name``, ``parent_kind``,
        ``province_code``, ``province``, ``area_km2``, ``population``, … , geometry).
    level : {"commune", "district", "province"}
        ``commune`` returns ``units`` unchanged; so does a table already at ``level``.
    smooth_m : float, default 1.0
        Buffer/unbuffer used by the union (:func:`sapxep.geodata.dissolve.dissolve_plan`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per district/province (EPSG:4326, RangeIndex), schema columns plus
        ``n_members`` and ``population_suspect``.

    Raises
    ------
    DataValidationError
        Unknown level, or units without the parent codes the level needs (e.g. districts of
        2025 data): every problem at once.
    """
    if level not in LEVELS:
        raise DataValidationError(f"unknown level '{level}'", [f"use one of: {', '.join(LEVELS)}"])
    if level == "commune" or is_at_level(units, level):
        return units
    key, problems = _groups(units, level)
    if problems:
        raise DataValidationError(f"cannot form {level}-level units", problems)
    table = _aggregate(units, key, level)
    shapes = _shapes(units, key, smooth_m)
    geometry = shapes.reindex(table["code"]).to_numpy()
    out = gpd.GeoDataFrame(table, geometry=geometry, crs=shapes.crs)
    logger.info("formed %d %s-level units from %d units", len(out), level, len(units))
    return out
