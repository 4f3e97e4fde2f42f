"""The normalised unit schema shared by every layer.

A *units table* is a (Geo)DataFrame with one row per commune-level unit, indexed by
nothing in particular but with a unique string column ``code``. ``sapxep.geodata.read_units``
produces it; ``units`` functions consume it (geometry is ignored there).
"""

from __future__ import annotations

from typing import Final, Literal

ParentKind = Literal["quan", "thanh_pho", "thi_xa", "huyen"]

PARENT_KINDS: Final[tuple[str, ...]] = ("quan", "thanh_pho", "thi_xa", "huyen")
COMMUNE_CLASSES: Final[tuple[str, ...]] = ("I", "II", "III")

#: Required columns after normalisation, with their meaning.
REQUIRED_COLUMNS: Final[dict[str, str]] = {
    "code": "official unit code (string, zero-padded, unique)",
    "name": "full name with type prefix, e.g. 'Xã Minh Tiến'",
    "unit_type": "xa | phuong | thi_tran | dac_khu",
    "parent_code": "code of the district-level unit (huyện, thị xã, thành phố, quận)",
    "parent_name": "name of the district-level unit",
    "parent_kind": "quan | thanh_pho | thi_xa | huyen (derived from parent_name)",
    "province": "province name",
    "area_km2": "natural area used by the rules, km² (official where known)",
    "area_source": "official | polygon: where area_km2 comes from",
    "population": "population (integer persons)",
    "terrain": "mountainous | lowland",
    "terrain_source": "data | default: whether terrain was given or the dataset default",
}

#: Optional columns; defaults are applied by ``geodata`` when absent.
OPTIONAL_COLUMNS: Final[dict[str, str]] = {
    "ethnic_minority_share": "share of ethnic-minority population, 0..1 (NaN = unknown)",
    "border": "true if the unit lies on a national land border",
    "island": "true for island units",
    "coastal_disadvantaged": "specially disadvantaged coastal/sandbank xã (NQ 27/2022 Art. 3a)",
    "red_river_delta": "unit located in the Red River Delta (NQ 27/2022 Art. 3a)",
    "commune_class": "I | II | III (staffing quotas); empty = unknown",
    "arranged_2019_2021": "true if the unit was already arranged in 2019-2021 (NQ 35/2023 Art. 3)",
    "arranged_2023_2025": "true if the unit was already arranged in 2023-2025",
    "exemption_reason": "user-declared special factor of NQ 35/2023 Art. 3, with a reason",
    "area_km2_polygon": "geodesic area of the polygon, km²",
    "area_km2_official": "official natural area, km², where known",
}

UNIT_TYPE_LABELS_VI: Final[dict[str, str]] = {
    "xa": "Xã",
    "phuong": "Phường",
    "thi_tran": "Thị trấn",
    "dac_khu": "Đặc khu",
}
UNIT_TYPE_LABELS_EN: Final[dict[str, str]] = {
    "xa": "commune",
    "phuong": "ward",
    "thi_tran": "township",
    "dac_khu": "special zone",
}


def unit_type_from_name(name: str) -> str | None:
    """Return the unit type implied by a Vietnamese name prefix.

    Parameters
    ----------
    name : str
        E.g. ``"Phường Dữu Lâu"``, ``"Thị trấn Hùng Sơn"``, ``"Xã Minh Tiến"``.

    Returns
    -------
    str or None
        ``"phuong"``, ``"thi_tran"``, ``"xa"``, or None when no prefix matches.
    """
    low = name.strip().lower()
    if low.startswith("phường"):
        return "phuong"
    if low.startswith("thị trấn"):
        return "thi_tran"
    if low.startswith("xã"):
        return "xa"
    if low.startswith("đặc khu"):
        return "dac_khu"
    return None


def parent_kind_from_name(name: str) -> str:
    """Return the district-level kind implied by its name prefix.

    Parameters
    ----------
    name : str
        E.g. ``"Thành phố Việt Trì"``, ``"Thị xã Phú Thọ"``, ``"Quận Ba Đình"``.

    Returns
    -------
    str
        ``"quan"``, ``"thanh_pho"``, ``"thi_xa"`` or ``"huyen"`` (the default).
    """
    low = name.strip().lower()
    if low.startswith("quận"):
        return "quan"
    if low.startswith("thành phố"):
        return "thanh_pho"
    if low.startswith("thị xã"):
        return "thi_xa"
    return "huyen"
