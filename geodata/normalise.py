"""Normalise a raw unit table (any common column naming) to the sapxep units schema.

Normalisation never rejects data: values it cannot interpret are kept as they are so
that :func:`sapxep.geodata.validate.validate_units` can report every problem at once.
See ``docs/ARCHITECTURE.md`` (the units table) and :mod:`sapxep.units.schema`.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from sapxep.geodata.columns import COLUMN_ALIASES, header_key
from sapxep.units.choices import TERRAINS
from sapxep.units.schema import (
    BOOL_COLUMNS,
    SCHEMA_ORDER,
    parent_kind_from_name,
    unit_type_from_name,
)

logger = logging.getLogger(__name__)

#: Source columns recomputed from the geometry (dropped from the input).
RECOMPUTED_COLUMNS: Final[tuple[str, ...]] = ("area_km2", "area_km2_polygon", "area_source")

_TRUE: Final[frozenset[str]] = frozenset({"true", "t", "1", "yes", "y", "x", "có", "co"})
_FALSE: Final[frozenset[str]] = frozenset({"false", "f", "0", "no", "n", "không", "khong"})

_UNIT_TYPE_VALUES: Final[dict[str, str]] = {
    "xã": "xa",
    "xa": "xa",
    "commune": "xa",
    "phường": "phuong",
    "phuong": "phuong",
    "ward": "phuong",
    "thị trấn": "thi_tran",
    "thi tran": "thi_tran",
    "thi_tran": "thi_tran",
    "township": "thi_tran",
    "đặc khu": "dac_khu",
    "dac khu": "dac_khu",
    "dac_khu": "dac_khu",
    "special zone": "dac_khu",
}
_TERRAIN_VALUES: Final[dict[str, str]] = {
    "mountainous": "mountainous",
    "miền núi": "mountainous",
    "mien nui": "mountainous",
    "vùng cao": "mountainous",
    "lowland": "lowland",
    "đồng bằng": "lowland",
    "dong bang": "lowland",
}
_CLASS_VALUES: Final[dict[str, str]] = {
    "i": "I",
    "1": "I",
    "loại i": "I",
    "ii": "II",
    "2": "II",
    "loại ii": "II",
    "iii": "III",
    "3": "III",
    "loại iii": "III",
}
#: Zero-padding widths of GSO codes, used when a file stores codes as numbers.
CODE_WIDTHS: Final[dict[str, int]] = {"code": 5, "parent_code": 3, "province_code": 2}

_GEOD = pyproj.Geod(ellps="WGS84")


def is_blank(value: object) -> bool:
    """Return True for None, NaN/NA and strings that are empty after stripping."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def parse_bool(value: object) -> bool | None | object:
    """Interpret a yes/no cell.

    Parameters
    ----------
    value : object
        ``True``/``False``, 1/0, ``"true"``/``"false"``, ``"có"``/``"không"`` …

    Returns
    -------
    bool, None or object
        The boolean; None when blank; the value itself when it cannot be read
        (validation reports it).
    """
    if is_blank(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return value


def nfc(value: object) -> object:
    """Return a string in Unicode NFC form with outer spaces stripped; other values unchanged."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def code_text(value: object, width: int) -> object:
    """Return a unit code as text, zero-padding numbers stored without their leading zeros.

    Parameters
    ----------
    value : object
        The code cell; strings are kept as written, numbers are formatted as
        integers and padded to ``width`` digits (GSO: 5 commune, 3 district, 2 province).
    width : int
        Zero-padding width for numeric codes.

    Returns
    -------
    object
        The code as ``str``, or ``pd.NA`` when blank.
    """
    if is_blank(value):
        return pd.NA
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | np.integer) or (
        isinstance(value, float | np.floating) and float(value).is_integer()
    ):
        return str(int(value)).zfill(width)
    return str(value)


def geodesic_area_km2(geoms: gpd.GeoSeries) -> np.ndarray:
    """Return the geodesic area (WGS84 ellipsoid) of each geometry in km².

    Parameters
    ----------
    geoms : geopandas.GeoSeries
        Geometries with a CRS; reprojected to EPSG:4326 when needed.

    Returns
    -------
    numpy.ndarray
        Areas in km²; NaN for missing or empty geometries.
    """
    if geoms.crs is not None and not geoms.crs.equals("EPSG:4326"):
        geoms = geoms.to_crs("EPSG:4326")
    out = np.full(len(geoms), np.nan)
    for i, geom in enumerate(geoms.array):
        if geom is None or geom.is_empty:
            continue
        out[i] = abs(_GEOD.geometry_area_perimeter(geom)[0]) / 1e6
    return out


def _find_column(columns: Iterable[str], aliases: tuple[str, ...]) -> str | None:
    """Return the first column of ``columns`` matching one alias (compared by header key)."""
    keys: dict[str, str] = {}
    for c in columns:
        keys.setdefault(header_key(c), c)
    for alias in aliases:
        if alias in keys:
            return keys[alias]
    return None


def _map_values(values: pd.Series, table: dict[str, str]) -> pd.Series:
    """Map text values through ``table`` (case-insensitive); keep unmapped values as written."""

    def one(v: object) -> object:
        if is_blank(v):
            return None
        key = unicodedata.normalize("NFC", str(v)).strip().lower()
        return table.get(key, v)

    return values.map(one).astype(object)


def normalise_units(raw: gpd.GeoDataFrame, *, default_terrain: str = "lowland") -> gpd.GeoDataFrame:
    """Rename and derive columns of a raw unit table to the sapxep schema.

    Accepted source names are listed in :data:`COLUMN_ALIASES` (e.g. ``district_code``
    → ``parent_code``, ``em_share`` → ``ethnic_minority_share``, ``commune_type`` →
    ``commune_class``). Derivations:

    * ``unit_type``: "Xã"/"Phường"/"Thị trấn" (or xa/phuong/thi_tran) mapped; blank
      or missing → from the name prefix (:func:`sapxep.units.schema.unit_type_from_name`).
    * ``terrain``: from ``terrain`` or ``is_mountainous`` (true/false/blank);
      blank → ``default_terrain`` with ``terrain_source = "default"``.
    * ``area_km2_polygon``: geodesic polygon area (pyproj ``Geod``), km²;
      ``area_km2`` = ``area_km2_official`` where given, else the polygon area, with
      ``area_source`` official/polygon. A source ``area_km2`` column is recomputed.
    * ``parent_kind`` from the parent name prefix when not given.
    * Codes are text; numeric codes are zero-padded (:data:`CODE_WIDTHS`).

    Values that cannot be interpreted are kept unchanged for validation to report.

    Parameters
    ----------
    raw : geopandas.GeoDataFrame
        Units as read from a file.
    default_terrain : {"lowland", "mountainous"}
        Terrain of units whose terrain is not given.

    Returns
    -------
    geopandas.GeoDataFrame
        New frame (the input is not changed) with a RangeIndex, schema columns first,
        other source columns after them, ``geometry`` last; same CRS as ``raw``.

    Raises
    ------
    ValueError
        If ``default_terrain`` is not a known terrain.
    """
    if default_terrain not in TERRAINS:
        raise ValueError(f"default_terrain must be one of {TERRAINS}, got {default_terrain!r}")
    src = pd.DataFrame(raw.drop(columns=raw.geometry.name)).reset_index(drop=True)
    geometry = raw.geometry.reset_index(drop=True)
    n = len(src)
    out, used = _renamed_columns(src)
    _normalise_text(out)
    _derive_unit_type(out, n)
    _derive_parents(out, n)
    _derive_terrain(out, src, used, n, default_terrain)
    polygon = geodesic_area_km2(geometry) if raw.crs is not None else np.full(n, np.nan)
    _derive_area(out, polygon, n)
    _derive_numbers(out, n)
    _derive_flags(out, n)
    frame = _schema_frame(out)
    extras = [c for c in src.columns if c not in used and c not in frame.columns]
    for col in extras:
        frame[col] = src[col]
    frame["geometry"] = geometry.to_numpy()
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=raw.crs)


def _column(out: dict[str, object], name: str) -> pd.Series | None:
    """Return the column ``name`` built so far, or None when absent."""
    value = out.get(name)
    return value if isinstance(value, pd.Series) else None


def _renamed_columns(src: pd.DataFrame) -> tuple[dict[str, object], set[str]]:
    """Pick the source column of each schema name; return them and the source columns used."""
    out: dict[str, object] = {}
    used: set[str] = set()
    for canon, aliases in COLUMN_ALIASES.items():
        col = _find_column(src.columns, aliases)
        if col is not None:
            out[canon] = src[col].astype(object)
            used.add(col)
    for col in src.columns:
        if str(col).lower() in RECOMPUTED_COLUMNS and col not in used:
            used.add(col)
    return out, used


def _normalise_text(out: dict[str, object]) -> None:
    """Codes as zero-padded text, names in NFC (in place)."""
    for canon, width in CODE_WIDTHS.items():
        col = _column(out, canon)
        if col is not None:
            out[canon] = col.map(lambda v, w=width: code_text(v, w)).astype(object)
    for canon in ("name", "parent_name", "province", "exemption_reason"):
        col = _column(out, canon)
        if col is not None:
            out[canon] = col.map(nfc).astype(object)


def _derive_unit_type(out: dict[str, object], n: int) -> None:
    """``unit_type`` from the given values, or from the name prefix where blank (in place)."""
    names = _column(out, "name")
    if names is None:
        names = pd.Series([None] * n, dtype=object)
    types = _column(out, "unit_type")
    types = _map_values(types, _UNIT_TYPE_VALUES) if types is not None else pd.Series([None] * n)
    from_name = names.map(lambda v: unit_type_from_name(v) if isinstance(v, str) else None)
    out["unit_type"] = types.where(~types.map(is_blank), from_name).astype(object)


def _derive_parents(out: dict[str, object], n: int) -> None:
    """Parent and province columns with blank defaults; ``parent_kind`` from the parent name (in place).

    Without a parent name the kind stays blank (unknown): it decides a phường's NQ 1211 standard
    and whether a file is from before the 2025 reform, so it is never guessed.
    """
    parent_names = _column(out, "parent_name")
    if _column(out, "parent_kind") is None and parent_names is not None:
        out["parent_kind"] = parent_names.map(lambda v: "" if is_blank(v) else parent_kind_from_name(str(v)))
    for canon, default in (("parent_code", ""), ("parent_name", ""), ("province", "")):
        col = _column(out, canon)
        out[canon] = (
            pd.Series([default] * n, dtype=object)
            if col is None
            else col.map(lambda v, d=default: d if is_blank(v) else v)
        )
    if _column(out, "parent_kind") is None:
        out["parent_kind"] = pd.Series([""] * n, dtype=object)
    if _column(out, "province_code") is None:
        out["province_code"] = pd.Series([""] * n, dtype=object)


def _derive_terrain(
    out: dict[str, object], src: pd.DataFrame, used: set[str], n: int, default_terrain: str
) -> None:
    """``terrain`` from ``terrain``/``is_mountainous`` or the default, and ``terrain_source`` (in place)."""
    terrain = _column(out, "terrain")
    terrain = _map_values(terrain, _TERRAIN_VALUES) if terrain is not None else None
    mountainous = _column(out, "is_mountainous")
    if mountainous is not None:
        parsed = mountainous.map(parse_bool)
        from_flag = parsed.map(lambda v: "mountainous" if v is True else ("lowland" if v is False else v))
        terrain = from_flag if terrain is None else terrain.where(~terrain.map(is_blank), from_flag)
    if terrain is None:
        terrain = pd.Series([None] * n, dtype=object)
    given = ~terrain.map(is_blank)
    out["terrain"] = terrain.where(given, default_terrain).astype(object)
    source = np.where(given, "data", "default").astype(object)
    previous = _find_column(src.columns, ("terrain_source",))
    if previous is not None and _column(out, "terrain") is not None:
        # an already normalised table keeps its record of defaulted terrain
        used.add(previous)
        earlier = src[previous].to_numpy(dtype=object)
        keep = given.to_numpy() & np.isin(earlier, ("data", "default", "proxy"))
        source[keep] = earlier[keep]
    out["terrain_source"] = pd.Series(source, dtype=object)
    out.pop("is_mountainous", None)


def _derive_area(out: dict[str, object], polygon: np.ndarray, n: int) -> None:
    """``area_km2`` = official area where given, else the polygon area, with its source (in place)."""
    official_raw = _column(out, "area_km2_official")
    if official_raw is None:
        official = pd.Series(np.full(n, np.nan))
        out["area_km2_official"] = official
    else:
        official = pd.to_numeric(official_raw, errors="coerce").astype(float)
        numeric = official_raw.map(is_blank) | official.notna()
        out["area_km2_official"] = official if numeric.all() else official_raw
    has_official = official.notna().to_numpy()
    out["area_km2_polygon"] = pd.Series(polygon)
    out["area_km2"] = pd.Series(np.where(has_official, official.to_numpy(), polygon))
    out["area_source"] = pd.Series(np.where(has_official, "official", "polygon"), dtype=object)


def _derive_numbers(out: dict[str, object], n: int) -> None:
    """Population as integers and the ethnic-minority share as floats when all readable (in place)."""
    pop = _column(out, "population")
    if pop is not None:
        numeric_pop = pd.to_numeric(pop, errors="coerce")
        clean = numeric_pop.notna().all() and (numeric_pop % 1 == 0).all()
        out["population"] = numeric_pop.astype("int64") if clean else pop
    share = _column(out, "ethnic_minority_share")
    if share is None:
        out["ethnic_minority_share"] = pd.Series(np.full(n, np.nan))
    else:
        numeric_share = pd.to_numeric(share, errors="coerce").astype(float)
        ok = share.map(is_blank) | numeric_share.notna()
        out["ethnic_minority_share"] = numeric_share if ok.all() else share


def _derive_flags(out: dict[str, object], n: int) -> None:
    """Yes/no columns as booleans, ``commune_class`` and ``exemption_reason`` as text (in place)."""
    for canon in BOOL_COLUMNS:
        col = _column(out, canon)
        if col is None:
            out[canon] = pd.Series(np.zeros(n, dtype=bool))
            continue
        parsed = col.map(parse_bool).map(lambda v: False if is_blank(v) else v)
        readable = parsed.map(lambda v: isinstance(v, bool))
        out[canon] = parsed.astype(bool) if readable.all() else parsed.astype(object)
    klass = _column(out, "commune_class")
    out["commune_class"] = (
        pd.Series([""] * n, dtype=object)
        if klass is None
        else _map_values(klass, _CLASS_VALUES).map(lambda v: "" if is_blank(v) else v)
    )
    reason = _column(out, "exemption_reason")
    out["exemption_reason"] = (
        pd.Series([""] * n, dtype=object)
        if reason is None
        else reason.map(lambda v: "" if is_blank(v) else str(v))
    )


def _schema_frame(out: dict[str, object]) -> pd.DataFrame:
    """The schema columns in order, text columns as ``str`` where every value is text."""
    frame = pd.DataFrame({c: out[c] for c in SCHEMA_ORDER if c in out})
    for col in ("code", "name", "unit_type", "parent_code", "parent_name", "parent_kind"):
        if col in frame and frame[col].map(lambda v: isinstance(v, str)).all():
            frame[col] = frame[col].astype(str)
    for col in ("province_code", "province", "terrain", "terrain_source", "area_source"):
        if frame[col].map(lambda v: isinstance(v, str)).all():
            frame[col] = frame[col].astype(str)
    for col in ("commune_class", "exemption_reason"):
        if frame[col].map(lambda v: isinstance(v, str)).all():
            frame[col] = frame[col].astype(str)
    return frame
