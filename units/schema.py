"""The normalised unit schema shared by every layer.

A *units table* is a (Geo)DataFrame with one row per commune-level unit, indexed by
nothing in particular but with a unique string column ``code``. ``sapxep.geodata.read_units``
produces it; ``units`` functions consume it (geometry is ignored there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

ParentKind = Literal["quan", "thanh_pho", "thi_xa", "huyen"]

PARENT_KINDS: Final[tuple[str, ...]] = ("quan", "thanh_pho", "thi_xa", "huyen")
COMMUNE_CLASSES: Final[tuple[str, ...]] = ("I", "II", "III")

ColumnKind = Literal["text", "real", "integer", "bool"]


@dataclass(frozen=True)
class Column:
    """One column of the units table.

    Attributes
    ----------
    name : str
    kind : {"text", "real", "integer", "bool"}
        Value type after normalisation.
    required : bool
        Always present after normalisation (optional columns get defaults).
    description : str
    stored : bool
        Kept as a typed column of the workspace's ``units`` layer (other columns travel in
        its JSON extras; ``province_code`` does, for workspaces made before it was listed).
    """

    name: str
    kind: ColumnKind
    required: bool
    description: str
    stored: bool = True


#: The units table, declared once, in output order (geometry comes last). Used by
#: ``geodata.normalise`` (column order, booleans), the workspace's ``units`` layer and
#: docs/ARCHITECTURE.md (a test checks the docs list every column).
UNIT_SCHEMA: Final[tuple[Column, ...]] = (
    Column("code", "text", True, "official unit code (string, zero-padded, unique)"),
    Column("name", "text", True, "full name with type prefix, e.g. 'Xã Minh Tiến'"),
    Column("unit_type", "text", True, "xa | phuong | thi_tran"),
    Column("parent_code", "text", True, "code of the district-level unit (huyện, thị xã, thành phố, quận)"),
    Column("parent_name", "text", True, "name of the district-level unit"),
    Column(
        "parent_kind", "text", True, "quan | thanh_pho | thi_xa | huyen (from parent_name); blank if unknown"
    ),
    Column("province_code", "text", False, "province code ('' when unknown)", stored=False),
    Column("province", "text", True, "province name"),
    Column("area_km2", "real", True, "natural area used by the rules, km² (official where known)"),
    Column("area_source", "text", True, "official | polygon: where area_km2 comes from"),
    Column("area_km2_polygon", "real", False, "geodesic area of the polygon, km²"),
    Column("area_km2_official", "real", False, "official natural area, km², where known (NaN otherwise)"),
    Column("population", "integer", True, "population (integer persons)"),
    Column("terrain", "text", True, "mountainous | lowland"),
    Column("terrain_source", "text", True,
           "data | proxy | default: terrain given, from a proxy classification, or the dataset default"),
    Column("ethnic_minority_share", "real", False,
           "share of ethnic-minority population, 0..1 (NaN = unknown)"),
    Column("border", "bool", False, "true if the unit lies on a national land border"),
    Column("island", "bool", False, "true for island units"),
    Column("coastal_disadvantaged", "bool", False,
           "specially disadvantaged coastal/sandbank xã (NQ 27/2022 Art. 3a)"),
    Column("red_river_delta", "bool", False, "unit located in the Red River Delta (NQ 27/2022 Art. 3a)"),
    Column("commune_class", "text", False, "I | II | III (staffing quotas); empty = unknown"),
    Column("arranged_2019_2021", "bool", False,
           "true if the unit was already arranged in 2019-2021 (NQ 35/2023 Art. 3)"),
    Column("arranged_2023_2025", "bool", False, "true if the unit was already arranged in 2023-2025"),
    Column("exemption_reason", "text", False,
           "user-declared special factor of NQ 35/2023 Art. 3, with a reason ('' = none)"),
)  # fmt: skip

#: Column names in output order.
SCHEMA_ORDER: Final[tuple[str, ...]] = tuple(c.name for c in UNIT_SCHEMA)

#: Boolean columns.
BOOL_COLUMNS: Final[tuple[str, ...]] = tuple(c.name for c in UNIT_SCHEMA if c.kind == "bool")

#: Required columns after normalisation, with their meaning.
REQUIRED_COLUMNS: Final[dict[str, str]] = {c.name: c.description for c in UNIT_SCHEMA if c.required}

#: Optional columns; defaults are applied by ``geodata`` when absent.
OPTIONAL_COLUMNS: Final[dict[str, str]] = {c.name: c.description for c in UNIT_SCHEMA if not c.required}

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
        ``"quan"``, ``"thanh_pho"``, ``"thi_xa"``, ``"huyen"``, or ``""`` (unknown) for a name
        without one of these prefixes (e.g. "Lâm Thao", or a province "Tỉnh Phú Thọ" given as
        the parent of a 2025 commune): the kind is never guessed.
    """
    low = name.strip().lower()
    if low.startswith("quận"):
        return "quan"
    if low.startswith("thành phố"):
        return "thanh_pho"
    if low.startswith("thị xã"):
        return "thi_xa"
    return "huyen" if low.startswith("huyện") else ""
