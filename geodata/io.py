"""Reading unit files and bundled datasets into the normalised units table.

Formats: GeoJSON, GeoPackage (any layer), Shapefile (``.shp`` or zipped ``.zip``),
FlatGeobuf (``.fgb``) — anything pyogrio reads. An attribute table (CSV or XLSX)
can be joined by code. Every problem found is raised together as one
:class:`sapxep.units.errors.DataValidationError`.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from sapxep.geodata.datasets import DatasetInfo, data_dir, dataset_info, dataset_path
from sapxep.geodata.national2025 import prepare_units_2025
from sapxep.geodata.normalise import CODE_WIDTHS, COLUMN_ALIASES, code_text, is_blank, nfc, normalise_units
from sapxep.geodata.validate import validate_units
from sapxep.units.choices import IslandPolicy
from sapxep.units.errors import DataValidationError, format_codes

logger = logging.getLogger(__name__)

#: Suffixes read by :func:`read_units` (others are tried with pyogrio too).
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb")
_ZIPPED_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb")
_PROVINCE_PREFIXES = ("tỉnh ", "thành phố ", "tp. ", "tp ")


def list_layers(path: str | Path) -> list[str]:
    """Return the layer names of a vector file.

    Parameters
    ----------
    path : str or pathlib.Path
        GeoPackage, GeoJSON, Shapefile, zipped Shapefile or FlatGeobuf.

    Returns
    -------
    list of str

    Raises
    ------
    DataValidationError
        If the file does not exist or cannot be opened.
    """
    p = Path(path)
    if not p.exists():
        raise DataValidationError(f"{p}: file not found", ["check the path"])
    try:
        return [str(name) for name, _ in pyogrio.list_layers(_source(p))]
    except DataSourceError as exc:
        raise DataValidationError(
            f"{p}: cannot open as a vector file",
            [f"{exc}; use GeoJSON, GeoPackage, (zipped) Shapefile or FlatGeobuf"],
        ) from None


def _source(path: Path) -> str:
    """Return what GDAL should open: the path, or for a ``.zip`` the data set inside it.

    A zip whose vector files sit in a sub-folder (as when a folder is zipped) is
    opened at that folder; a zip holding a single GeoPackage/GeoJSON/FlatGeobuf opens
    that file.
    """
    if path.suffix.lower() != ".zip":
        return str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                m
                for m in archive.namelist()
                if not m.startswith("__MACOSX") and m.lower().endswith(_ZIPPED_SUFFIXES)
            ]
    except zipfile.BadZipFile:
        raise DataValidationError(f"{path}: not a valid zip file", ["zip the files again"]) from None
    if not members:
        raise DataValidationError(
            f"{path}: the zip holds no vector data",
            ["zip a Shapefile (.shp with its .shx, .dbf, .prj) or a GeoPackage/GeoJSON/FlatGeobuf"],
        )
    shp_dirs = {posixpath.dirname(m) for m in members if m.lower().endswith(".shp")}
    others = [m for m in members if not m.lower().endswith(".shp")]
    base = f"/vsizip/{path.resolve().as_posix()}"
    if len(shp_dirs) == 1 and not others:
        folder = shp_dirs.pop()
        return f"{base}/{folder}" if folder else base
    if len(members) == 1:
        return f"{base}/{members[0]}"
    raise DataValidationError(
        f"{path}: the zip holds several data sets",
        [f"keep one data set (or one folder of shapefiles) per zip; found: {format_codes(members)}"],
    )


#: pyogrio: a GeoJSON property holding numbers in some features and text in others.
_JSON_WARNING: Final = re.compile(r"Could not parse column '(?P<column>.+)' as JSON")
#: GDAL: a text value in a numeric field (Shapefile DBF, …), read as a wrong number.
_PARSE_WARNING: Final = re.compile(
    r"Value '(?P<value>.*)' of field (?P<field>.+?) parsed incompletely to (?P<type>\w+)"
    r"(?: (?P<result>[^ ]+?))?\.?$"
)
_NUMERIC_COLUMNS: Final = ("population", "area_km2_official", "ethnic_minority_share")
_YES_NO_COLUMNS: Final = (
    "is_mountainous", "border", "island", "coastal_disadvantaged", "red_river_delta",
    "arranged_2019_2021", "arranged_2023_2025",
)  # fmt: skip
_MAX_SHOWN: Final = 8


def _used_column(column: str) -> str | None:
    """Return the canonical column a source column feeds, or None when sapxep ignores it."""
    low = column.lower()
    for canonical, aliases in COLUMN_ALIASES.items():
        if low in aliases:
            return canonical
    return None


def _type_fix(column: str, canonical: str) -> str:
    if canonical in _NUMERIC_COLUMNS:
        return (
            f"write every value of '{column}' as a plain number (12143, 6.72: no spaces, "
            "thousands separators, decimal commas or units), or leave the cell empty"
        )
    if canonical in _YES_NO_COLUMNS:
        return f"write every value of '{column}' the same way: true/false (or có/không), or empty"
    if canonical in CODE_WIDTHS:
        return f"write every value of '{column}' as text, with its leading zeros (\"08041\")"
    return f"write every value of '{column}' as text"


def _row_label(gdf: pd.DataFrame, i: int) -> str:
    """Unit code of row ``i`` of a raw table, or its 1-based row number."""
    code_col = next((c for c in gdf.columns if _used_column(str(c)) == "code"), None)
    value = gdf[code_col].iloc[i] if code_col is not None else None
    return str(code_text(value, CODE_WIDTHS["code"])) if not is_blank(value) else f"row {i + 1}"


def _is_json_number(value: object) -> bool:
    try:
        parsed = json.loads(str(value))
    except ValueError:
        return False
    return isinstance(parsed, int | float) and not isinstance(parsed, bool)


def _mixed_json_problem(gdf: pd.DataFrame, column: str, canonical: str) -> str:
    """Describe a column that mixes numbers and text (values left as text by pyogrio)."""
    values = gdf[column]
    rows = [i for i, v in enumerate(values) if not is_blank(v)]
    numbers = [i for i in rows if _is_json_number(values.iloc[i])]
    texts = [i for i in rows if i not in set(numbers)]
    # name the odd ones out: the text values in a numeric column, else the smaller group
    odd, kind = (
        (texts, "text")
        if canonical in _NUMERIC_COLUMNS or len(texts) <= len(numbers)
        else (numbers, "numbers")
    )  # fmt: skip

    def label(i: int) -> str:
        # the code column cannot name its own rows: use row numbers there
        return f"row {i + 1}" if canonical == "code" else _row_label(gdf, i)

    shown = format_codes([f"{label(i)} '{values.iloc[i]}'" for i in odd], limit=_MAX_SHOWN)
    return (
        f"column '{column}' mixes numbers and text ({len(numbers)} as numbers, {len(texts)} as "
        f"text; {kind}: {shown}): {_type_fix(column, canonical)}"
    )


def _parse_problem(gdf: pd.DataFrame, column: str, canonical: str, hits: list[re.Match[str]]) -> str:
    """Describe text values GDAL read as (wrong) numbers, with the units that probably hold them."""
    parts = []
    for m in hits[:_MAX_SHOWN]:
        where = ""
        result = m.group("result")
        if result is not None:
            try:
                target = float(result)
            except ValueError:
                target = None
            numeric = pd.to_numeric(gdf[column], errors="coerce")
            rows = [i for i, v in enumerate(numeric) if target is not None and v == target]
            if rows:
                where = f" in {format_codes([_row_label(gdf, i) for i in rows], limit=4)}"
        parts.append(f"'{m.group('value')}' read as {result}{where}")
    more = f", … (+{len(hits) - _MAX_SHOWN} more)" if len(hits) > _MAX_SHOWN else ""
    return (
        f"column '{column}' holds {len(hits)} values that are not {m.group('type')} numbers "
        f"({', '.join(parts)}{more}); they would be read wrongly: {_type_fix(column, canonical)}"
    )


def _warning_problems(gdf: pd.DataFrame, caught: list[warnings.WarningMessage], source: str) -> list[str]:
    """Turn warnings raised while reading into problems (columns sapxep uses) or log lines."""
    problems: list[str] = []
    parse_hits: dict[str, list[re.Match[str]]] = {}
    columns = [str(c) for c in gdf.columns]
    for w in caught:
        text = str(w.message)
        column: str | None = None
        if m := _JSON_WARNING.search(text):
            column = m.group("column")
        elif m := _PARSE_WARNING.search(text):
            field_ = m.group("field")
            column = next((c for c in columns if field_ == c or field_.endswith(f".{c}")), field_)
            parse_hits.setdefault(column, []).append(m)
            continue
        else:
            column = next((c for c in columns if re.search(rf"\b{re.escape(c)}\b", text)), None)
        canonical = _used_column(column) if column is not None else None
        if column is None or canonical is None:
            logger.warning("%s: %s", source, text)
        elif _JSON_WARNING.search(text) and column in gdf.columns:
            problems.append(_mixed_json_problem(gdf, column, canonical))
        else:
            problems.append(f"reading column '{column}': {text}: {_type_fix(column, canonical)}")
    for column, hits in parse_hits.items():
        canonical = _used_column(column)
        if canonical is None or column not in gdf.columns:
            logger.warning("%s: column '%s': %d values are not numbers", source, column, len(hits))
        else:
            problems.append(_parse_problem(gdf, column, canonical, hits))
    return problems


def _read_vector(path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read one layer of a vector file, refusing to guess among several layers.

    Warnings raised while reading (a column mixing numbers and text, text in a numeric
    field) are returned as problems when they concern a column sapxep uses, and logged
    otherwise. Note: ``warnings.catch_warnings`` is process-wide state.
    """
    layers = list_layers(path)
    if layer is None and len(layers) > 1:
        raise DataValidationError(
            f"{path}: {len(layers)} layers, none chosen",
            [f"pass layer= one of: {', '.join(layers)}"],
        )
    if layer is not None and layer not in layers:
        raise DataValidationError(f"{path}: no layer '{layer}'", [f"choose one of: {', '.join(layers)}"])
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gdf = gpd.read_file(_source(path), layer=layer if layer is not None else layers[0])
    except (DataSourceError, DataLayerError) as exc:
        raise DataValidationError(f"{path}: cannot read", [str(exc)]) from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise DataValidationError(
            f"{path}: no geometry",
            [
                "the units file must hold polygons (GeoJSON, GeoPackage, Shapefile, FlatGeobuf); "
                "give tables without geometry as attributes="
            ],
        )
    return gdf, _warning_problems(gdf, caught, path.name)


def read_attributes(path: str | Path) -> pd.DataFrame:
    """Read a CSV or XLSX attribute table with every column as text.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.csv`` (UTF-8) or ``.xlsx``/``.xls``.

    Returns
    -------
    pandas.DataFrame
        Cells as ``str``; empty cells as missing values.

    Raises
    ------
    DataValidationError
        If the file is missing or unreadable.
    """
    p = Path(path)
    if not p.exists():
        raise DataValidationError(f"{p}: attribute file not found", ["check the path"])
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            return pd.read_excel(p, dtype=str)
        return pd.read_csv(p, dtype=str, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataValidationError(
            f"{p}: cannot read the attribute table",
            [f"{exc}; use a UTF-8 CSV or an XLSX file with a header row"],
        ) from None


def join_attributes(
    gdf: gpd.GeoDataFrame, attributes: pd.DataFrame, *, key: str = "code", source: str = ""
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Join an attribute table to raw units by code.

    Non-empty attribute cells override the unit file's values; new columns are added.
    Attribute rows whose code is not among the units are reported.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units as read (before normalisation); must have a ``code`` column (or alias).
    attributes : pandas.DataFrame
        Attribute table; ``key`` holds the unit code.
    key : str, default "code"
        Code column of the attribute table.
    source : str
        File name used in messages.

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, list of str)
        The joined copy and the problems found (missing key column, blank or duplicate
        keys, unknown codes).
    """
    where = f"{source}: " if source else ""
    if key not in attributes.columns:
        return gdf, [
            f"{where}the attribute table has no column '{key}' "
            f"(columns: {', '.join(map(str, attributes.columns))}): pass attributes_key="
        ]
    unit_key = next((c for c in gdf.columns if str(c).lower() in ("code", "unit_code")), None)
    if unit_key is None:
        return gdf, [f"{where}the units have no 'code' column to join the attribute table on"]
    problems = []
    attrs = attributes.copy()
    attrs[key] = attrs[key].map(nfc)
    blank = attrs[key].map(is_blank)
    if blank.any():
        rows = [i + 2 for i in np.flatnonzero(blank.to_numpy())]
        problems.append(f"{where}{len(rows)} rows have no code (lines {format_codes(rows)})")
    attrs = attrs[~blank]
    dup = attrs[key][attrs[key].duplicated()]
    if len(dup):
        problems.append(
            f"{where}codes appear more than once in the attribute table: "
            f"{format_codes(dict.fromkeys(dup))}: keep one row per code"
        )
        attrs = attrs.drop_duplicates(key)
    unit_codes = gdf[unit_key].map(lambda v: "" if is_blank(v) else str(v).strip())
    attrs[key] = _restore_leading_zeros(attrs[key], set(unit_codes))
    unknown = sorted(set(attrs[key]) - set(unit_codes))
    if unknown:
        problems.append(
            f"{where}{len(unknown)} codes of the attribute table are not among the units "
            f"({format_codes(unknown)}): correct or remove those rows (codes are text: keep "
            "leading zeros)"
        )
    table = attrs.set_index(key)
    out = gdf.copy()
    lookup = unit_codes.to_numpy()
    for col in table.columns:
        values = table[col].reindex(lookup).to_numpy(dtype=object)
        given = ~pd.Series(values).map(is_blank).to_numpy()
        target = next((c for c in out.columns if str(c).lower() == str(col).lower()), None)
        if target is None:
            out[col] = pd.Series(np.where(given, values, None), index=out.index, dtype=object)
        else:
            merged = out[target].astype(object).to_numpy(copy=True)
            merged[given] = values[given]
            out[target] = pd.Series(merged, index=out.index, dtype=object)
    return out, problems


def _restore_leading_zeros(keys: pd.Series, unit_codes: set[str]) -> pd.Series:
    """Zero-pad attribute codes that lost their leading zeros (e.g. in a spreadsheet).

    A key made of digits that is not a unit code, but is one once zero-padded to the
    length of the unit codes, is replaced by the padded code.
    """
    widths = {len(c) for c in unit_codes if c.isdigit()}
    if len(widths) != 1:
        return keys
    width = widths.pop()

    def fix(key: str) -> str:
        if key in unit_codes or not key.isdigit() or len(key) >= width:
            return key
        padded = key.zfill(width)
        return padded if padded in unit_codes else key

    fixed = keys.map(fix)
    n_fixed = int((fixed != keys).sum())
    if n_fixed:
        logger.info("zero-padded %d attribute codes to %d digits", n_fixed, width)
    return fixed


def _province_key(value: str) -> str:
    """Province name without prefix, case or diacritics ("Tỉnh Phú Thọ" -> "phu tho")."""
    text = unicodedata.normalize("NFC", value).strip().casefold()
    for prefix in _PROVINCE_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    bare = unicodedata.normalize("NFD", text.replace("đ", "d"))
    bare = "".join(ch for ch in bare if not unicodedata.combining(ch))
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
        if bare.startswith(prefix):
            return bare[len(prefix) :].strip()
    return bare


def filter_province(gdf: gpd.GeoDataFrame, province: str) -> gpd.GeoDataFrame:
    """Keep the units of one province.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Normalised units.
    province : str
        Province code (``"25"``) or name, with or without prefix (``"Phú Thọ"``,
        ``"Tỉnh Phú Thọ"``); case-insensitive, diacritics optional (``"phu tho"``).

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows with a fresh RangeIndex.

    Raises
    ------
    DataValidationError
        If no unit matches (the message lists the provinces present).
    """
    wanted = _province_key(str(province))
    codes = gdf["province_code"].map(lambda v: "" if is_blank(v) else str(v))
    names = gdf["province"].map(lambda v: "" if is_blank(v) else _province_key(str(v)))
    mask = (codes == str(province).strip()) | (names == wanted)
    if not mask.any():
        present = sorted({f"{c} {n}".strip() for c, n in zip(codes, gdf["province"], strict=True)})
        raise DataValidationError(
            f"no units in province '{province}'",
            [f"choose a province code or name among: {format_codes(present, limit=70)}"],
        )
    return gdf[mask.to_numpy()].reset_index(drop=True)


def _finalise(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Set final dtypes and EPSG:4326 once validation passed."""
    out = gdf.copy()
    out["population"] = pd.to_numeric(out["population"]).astype("int64")
    out["area_km2_official"] = pd.to_numeric(out["area_km2_official"]).astype(float)
    out["ethnic_minority_share"] = pd.to_numeric(out["ethnic_minority_share"]).astype(float)
    if not out.crs.equals("EPSG:4326"):
        out = out.to_crs("EPSG:4326")
    return out.reset_index(drop=True)


def _read(
    path: Path,
    *,
    layer: str | None,
    attributes: str | Path | None,
    attributes_key: str,
    default_terrain: str,
    province: str | None,
    check_topology: bool,
    island_policy: IslandPolicy,
    snap_m: float,
    drop_incomplete: bool = False,
    prepare: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None,
) -> gpd.GeoDataFrame:
    raw, problems = _read_vector(path, layer)
    if prepare is not None:
        raw = prepare(raw)
    if attributes is not None:
        raw, join_problems = join_attributes(
            raw, read_attributes(attributes), key=attributes_key, source=Path(attributes).name
        )
        problems += join_problems
    gdf = normalise_units(raw, default_terrain=default_terrain)
    if province is not None:
        gdf = filter_province(gdf, province)
    if drop_incomplete:
        no_code = gdf["code"].map(is_blank).to_numpy()
        no_pop = gdf["population"].map(is_blank).to_numpy() & ~no_code
        if no_code.any() or no_pop.any():
            logger.info(
                "%s: left out %d polygons without a code and %d units without population (%s)",
                path.name,
                int(no_code.sum()),
                int(no_pop.sum()),
                format_codes(gdf.loc[no_pop, "code"]),
            )
        gdf = gdf[~no_code & ~no_pop].reset_index(drop=True)
        gdf = normalise_units(gdf, default_terrain=default_terrain)
    problems += validate_units(gdf, check_topology=check_topology, island_policy=island_policy, snap_m=snap_m)
    if problems:
        raise DataValidationError(f"{path.name}: {len(problems)} problems", problems)
    out = _finalise(gdf)
    logger.info("read %d units from %s", len(out), path.name)
    return out


def read_units(
    path: str | Path,
    *,
    layer: str | None = None,
    attributes: str | Path | None = None,
    attributes_key: str = "code",
    default_terrain: str = "lowland",
    province: str | None = None,
    check_topology: bool = True,
    island_policy: IslandPolicy = "error",
    snap_m: float = 20.0,
) -> gpd.GeoDataFrame:
    """Read a unit file, join attributes, normalise and validate it.

    Parameters
    ----------
    path : str or pathlib.Path
        GeoJSON, GeoPackage, Shapefile (``.shp`` or zipped ``.zip``) or FlatGeobuf.
    layer : str, optional
        Layer to read; required when the file has several layers.
    attributes : str or pathlib.Path, optional
        CSV or XLSX table joined by code; non-empty cells override the unit file,
        new columns are added (see :func:`join_attributes`).
    attributes_key : str, default "code"
        Code column of the attribute table.
    default_terrain : {"lowland", "mountainous"}, default "lowland"
        Terrain of units without terrain data (``terrain_source = "default"``).
    province : str, optional
        Keep only this province (code or name, see :func:`filter_province`).
    check_topology : bool, default True
        Check overlaps, gaps and islands (see :func:`sapxep.geodata.validate.validate_units`).
    island_policy : {"error", "links", "ignore"}, default "error"
        Whether units without neighbour are an error.
    snap_m : float, default 20.0
        Neighbour tolerance used by the topology checks, metres.

    Returns
    -------
    geopandas.GeoDataFrame
        The units table of ``docs/ARCHITECTURE.md`` (EPSG:4326, RangeIndex).
        Codes are text as written in the file (numeric codes are zero-padded).

    Raises
    ------
    DataValidationError
        If the file cannot be read, has several layers and none is chosen, or any
        validation problem is found (all problems in one error).
    """
    return _read(
        Path(path),
        layer=layer,
        attributes=attributes,
        attributes_key=attributes_key,
        default_terrain=default_terrain,
        province=province,
        check_topology=check_topology,
        island_policy=island_policy,
        snap_m=snap_m,
    )


def arranged_from_crosswalk(crosswalk: pd.DataFrame) -> set[str]:
    """Return the new codes formed by merging or by receiving part of another unit.

    Parameters
    ----------
    crosswalk : pandas.DataFrame
        Rows ``old_code, new_code, relation`` (the GSO 2019→2020 crosswalk).

    Returns
    -------
    set of str
        New codes with ≥ 2 distinct old codes, or with a ``partial_split`` row.
    """
    n_old = crosswalk.groupby("new_code")["old_code"].nunique()
    merged = set(n_old[n_old >= 2].index)
    split = set(crosswalk.loc[crosswalk["relation"] == "partial_split", "new_code"])
    return {str(c) for c in merged | split}


def load_dataset(
    name: str, *, default_terrain: str | None = None, province: str | None = None
) -> gpd.GeoDataFrame:
    """Load a bundled dataset (:data:`sapxep.geodata.datasets.DATASETS`) as a units table.

    * ``phu_tho_2023``: terrain etc. joined from the classification CSV;
      ``arranged_2019_2021`` is true for the 2023 units formed under NQ 828/2019 —
      those with ≥ 2 constituents in ``constituents_2019`` or in the 2019→2020
      crosswalk, or receiving part of Phường Trường Thịnh (``partial_split``).
    * ``phu_tho_2019``: read as is.
    * ``vietnam_2019``: the nationwide file, not topologically clean, so overlap, gap
      and island checks are skipped. The 176 polygons without a 2019 code and the 9
      coded units without population are left out (the count is logged); no
      synthetic codes are made.

    Parameters
    ----------
    name : str
        Dataset name.
    default_terrain : {"lowland", "mountainous"}, optional
        Terrain of units without data; default the dataset's own default.
    province : str, optional
        Keep one province (code such as ``"25"`` or name such as ``"Phú Thọ"``).

    Returns
    -------
    geopandas.GeoDataFrame
        Normalised units table (EPSG:4326).

    Raises
    ------
    DataValidationError
        If the name or province is unknown or the data fails validation.
    """
    info = dataset_info(name)
    terrain = default_terrain if default_terrain is not None else info.default_terrain
    path = dataset_path(name, "units")
    if (info.subset_of or name) == "vietnam_2025":
        return _load_2025(info, terrain=terrain, province=province)
    if name == "vietnam_2019":
        return _read(
            path,
            layer=None,
            attributes=None,
            attributes_key="code",
            default_terrain=terrain,
            province=province,
            check_topology=False,
            island_policy="ignore",
            snap_m=20.0,
            drop_incomplete=True,
        )
    attributes = dataset_path(name, "attributes") if info.attributes_file else None
    gdf = read_units(path, attributes=attributes, default_terrain=terrain, province=province)
    if name == "phu_tho_2023":
        crosswalk = pd.read_csv(dataset_path("phu_tho_2019", "crosswalk"), dtype=str, keep_default_na=False)
        arranged = arranged_from_crosswalk(crosswalk)
        if "constituents_2019" in gdf.columns:
            n_parts = gdf["constituents_2019"].map(
                lambda v: 0 if is_blank(v) else len([c for c in str(v).split(";") if c.strip()])
            )
            arranged |= set(gdf.loc[n_parts >= 2, "code"])
        gdf["arranged_2019_2021"] = gdf["code"].isin(arranged).to_numpy()
    logger.info("loaded dataset %s: %d units", name, len(gdf))
    return gdf


def _load_2025(info: DatasetInfo, *, terrain: str, province: str | None) -> gpd.GeoDataFrame:
    """Load ``vietnam_2025`` or a named province subset of it (see :mod:`.national2025`)."""
    islands = read_attributes(data_dir() / "vietnam_communes_2025_attributes.csv")

    def prepare(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        joined, problems = join_attributes(raw, islands, source="vietnam_communes_2025_attributes.csv")
        if problems:
            raise DataValidationError("bundled island table does not match the units", problems)
        return prepare_units_2025(joined)

    gdf = _read(
        dataset_path(info.name, "units"),
        layer=info.layer,
        attributes=None,
        attributes_key="code",
        default_terrain=terrain,
        province=info.province,
        check_topology=False,
        island_policy="ignore",
        snap_m=20.0,
        prepare=prepare,
    )
    if province is not None:
        gdf = filter_province(gdf, province)
    gdf["population_suspect"] = gdf["population_suspect"].astype(bool)
    logger.info(
        "loaded dataset %s: %d units, %d suspect populations",
        info.name, len(gdf), int(gdf["population_suspect"].sum()),
    )  # fmt: skip
    return gdf
