"""Reading unit files and bundled datasets into the normalised units table.

Formats: GeoJSON, GeoPackage (any layer), Shapefile (``.shp`` or zipped ``.zip``),
FlatGeobuf (``.fgb``) — anything pyogrio reads. An attribute table (CSV or XLSX)
can be joined by code. Every problem found is raised together as one
:class:`sapxep.units.errors.DataValidationError`.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from sapxep.geodata.columns import parse_column_spec
from sapxep.geodata.datasets import DatasetInfo, data_dir, dataset_info, dataset_path
from sapxep.geodata.mapping import join_attributes, map_table, unmatched_headers
from sapxep.geodata.national2025 import prepare_units_2025
from sapxep.geodata.normalise import geodesic_area_km2, is_blank, normalise_units
from sapxep.geodata.tables import read_table
from sapxep.geodata.validate import validate_topology, validate_units
from sapxep.geodata.vector import apply_crs, read_vector
from sapxep.units.choices import IslandPolicy
from sapxep.units.errors import DataValidationError, format_codes

logger = logging.getLogger(__name__)

TopologyMode = Literal["error", "warn"]
#: A dataset-specific step run on the raw frame right after reading.
Prepare = Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]

#: Suffixes read by :func:`read_units` (others are tried with pyogrio too).
_PROVINCE_PREFIXES = ("tỉnh ", "thành phố ", "tp. ", "tp ")


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


def _read_raw(
    path: Path, opts: ReadOptions, prepare: Prepare | None
) -> tuple[gpd.GeoDataFrame, list[str], list[str]]:
    """Read the vector file (and attribute table), map columns and read numbers.

    Returns the raw joined frame, notes and problems.
    """
    raw, problems = read_vector(path, opts.layer)
    if prepare is not None:
        raw = prepare(raw)
    raw, notes, crs_problems = apply_crs(raw, opts.crs, path.name)
    if crs_problems:
        raise DataValidationError(f"{path.name}: {len(crs_problems)} problems", problems + crs_problems)
    explicit = parse_column_spec(opts.columns)
    if opts.attributes_key != "code":
        explicit.setdefault(opts.attributes_key, "code")
    polygon = geodesic_area_km2(raw.geometry)
    tables: list[pd.DataFrame] = [raw]
    raw, _, map_notes = map_table(raw, explicit=explicit, source=path.name, polygon_km2=polygon)
    notes += map_notes
    if opts.attributes is not None:
        apath = Path(opts.attributes)
        table, info = read_table(apath, header_row=opts.header_row)
        notes += info.notes
        tables.append(table)
        by_code = dict(zip(raw["code"], polygon, strict=True)) if "code" in raw.columns else {}
        table, _, table_notes = map_table(table, explicit=explicit, source=apath.name, polygon_km2=by_code)
        notes += table_notes
        raw, join_problems = join_attributes(raw, table, source=apath.name)
        problems += join_problems
    missing = unmatched_headers(explicit, *tables)
    if missing:
        problems.append(
            f"--columns names {', '.join(repr(m) for m in missing)}, which no input file has as a header"
        )
    return raw, notes, problems


def read_raw_units(path: str | Path, **options: Any) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read a units file with its columns mapped and numbers read, but not normalised or validated.

    Used to repair a file (:mod:`sapxep.geodata.clean`) that would not pass validation.

    Parameters
    ----------
    path : str or pathlib.Path
        Units file.
    **options
        As :func:`read_units` (``layer``, ``crs``, ``columns``, ``attributes`` …).

    Returns
    -------
    tuple of (geopandas.GeoDataFrame, list of str)
        The mapped frame and notes for the output.

    Raises
    ------
    DataValidationError
        The file or its column mapping cannot be read.
    """
    p = Path(path)
    raw, notes, problems = _read_raw(p, ReadOptions(**options), None)
    if problems:
        raise DataValidationError(f"{p.name}: {len(problems)} problems", problems)
    return raw, notes


def _read(
    path: Path, opts: ReadOptions, *, drop_incomplete: bool = False, prepare: Prepare | None = None
) -> gpd.GeoDataFrame:
    raw, notes, problems = _read_raw(path, opts, prepare)
    gdf = normalise_units(raw, default_terrain=opts.default_terrain)
    if opts.province is not None:
        gdf = filter_province(gdf, opts.province)
    if drop_incomplete:
        no_code = gdf["code"].map(is_blank).to_numpy()
        no_pop = gdf["population"].map(is_blank).to_numpy() & ~no_code
        if no_code.any() or no_pop.any():
            logger.info(
                "%s: left out %d polygons without a code and %d units without population (%s)",
                path.name, int(no_code.sum()), int(no_pop.sum()), format_codes(gdf.loc[no_pop, "code"]),
            )  # fmt: skip
        gdf = gdf[~no_code & ~no_pop].reset_index(drop=True)
        gdf = normalise_units(gdf, default_terrain=opts.default_terrain)
    problems += validate_units(gdf, check_topology=False, island_policy="ignore", snap_m=opts.snap_m)
    warnings_: list[str] = []
    if opts.check_topology and not problems:
        topo = validate_topology(
            gdf, overlap_tol_km2=opts.overlap_tol_km2, gap_tol_km2=opts.gap_tol_km2,
            snap_m=opts.snap_m, island_policy=opts.island_policy,
        )  # fmt: skip
        if opts.topology == "warn":
            warnings_ = topo
        else:
            problems += topo
    if problems:
        raise DataValidationError(f"{path.name}: {len(problems)} problems", problems)
    out = _finalise(gdf)
    out.attrs["read_notes"] = notes
    out.attrs["topology_warnings"] = warnings_
    for note in notes:
        logger.info("%s", note)
    logger.info("read %d units from %s", len(out), path.name)
    return out


@dataclass(frozen=True)
class ReadOptions:
    """How to read a units file (see :func:`read_units` for each option)."""

    layer: str | None = None
    attributes: str | Path | None = None
    attributes_key: str = "code"
    columns: str | Mapping[str, str] | None = None
    header_row: int | None = None
    crs: str | None = None
    default_terrain: str = "lowland"
    province: str | None = None
    check_topology: bool = True
    topology: TopologyMode = "error"
    overlap_tol_km2: float = 0.01
    gap_tol_km2: float = 0.01
    island_policy: IslandPolicy = "error"
    snap_m: float = 20.0


def read_units(path: str | Path, **options: Any) -> gpd.GeoDataFrame:
    """Read a unit file, join attributes, map columns, normalise and validate it.

    Parameters
    ----------
    path : str or pathlib.Path
        GeoJSON, GeoPackage, Shapefile (``.shp`` or zipped ``.zip``) or FlatGeobuf.
    **options
        Keyword options (:class:`ReadOptions`):

        layer : str, optional
            Layer to read (``--layer``); required when the file has several.
        attributes : str or pathlib.Path, optional
            CSV or XLSX table joined by code (``--attributes``); non-empty cells
            override the unit file, new columns are added. Encoding, delimiter and
            header row are detected (:func:`sapxep.geodata.tables.read_table`).
        attributes_key : str, default "code"
            Header of the attribute table's code column (same as ``columns={KEY: "code"}``).
        columns : str or mapping, optional
            Explicit mapping ``"Mã xã=code,Dân số=population"`` (``--columns``) for
            headers not recognised (:mod:`sapxep.geodata.columns`).
        header_row : int, optional
            1-based header row of the attribute table (``--header-row``).
        crs : str, optional
            Coordinate system of the units file (``--crs``), e.g. ``EPSG:3405``.
        default_terrain : {"lowland", "mountainous"}, default "lowland"
        province : str, optional
            Keep only this province (code or name, see :func:`filter_province`).
        check_topology : bool, default True
            Check overlaps, gaps and islands (``--skip-topology-check`` turns it off).
        topology : {"error", "warn"}, default "error"
            With "warn", topology problems do not stop the reading: they are kept in
            ``gdf.attrs["topology_warnings"]``.
        overlap_tol_km2, gap_tol_km2 : float, default 0.01
            Tolerated overlap / gap, km² (``--overlap-tol``, ``--gap-tol``).
        island_policy : {"error", "links", "ignore"}, default "error"
            Whether units without neighbour are an error (``--island-policy``).
        snap_m : float, default 20.0
            Neighbour tolerance used by the topology checks, metres.

    Returns
    -------
    geopandas.GeoDataFrame
        The units table of ``docs/ARCHITECTURE.md`` (EPSG:4326, RangeIndex). Codes
        are text (numeric codes zero-padded). ``gdf.attrs["read_notes"]`` lists
        every decision taken on the input (recognised headers, number convention,
        ha → km², encoding) for the output.

    Raises
    ------
    DataValidationError
        If the file cannot be read, has several layers and none is chosen, or any
        validation problem is found (all problems in one error).
    TypeError
        If an option is unknown.
    """
    return _read(Path(path), ReadOptions(**options))


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
        opts = ReadOptions(default_terrain=terrain, province=province, check_topology=False,
                           island_policy="ignore")  # fmt: skip
        return _read(path, opts, drop_incomplete=True)
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
        if info.terrain_proxy_file:
            from sapxep.geodata.attributes import join_terrain_proxy

            gdf = join_terrain_proxy(gdf, dataset_path(name, "terrain_proxy"))
    logger.info("loaded dataset %s: %d units", name, len(gdf))
    return gdf


def _load_2025(info: DatasetInfo, *, terrain: str, province: str | None) -> gpd.GeoDataFrame:
    """Load ``vietnam_2025`` or a named province subset of it (see :mod:`.national2025`)."""
    name = "vietnam_communes_2025_attributes.csv"
    islands = map_table(read_table(data_dir() / name)[0], source=name)[0]

    def prepare(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        joined, problems = join_attributes(raw, islands, source=name)
        if problems:
            raise DataValidationError("bundled island table does not match the units", problems)
        return prepare_units_2025(joined)

    opts = ReadOptions(layer=info.layer, default_terrain=terrain, province=info.province,
                       check_topology=False, island_policy="ignore")  # fmt: skip
    gdf = _read(dataset_path(info.name, "units"), opts, prepare=prepare)
    if province is not None:
        gdf = filter_province(gdf, province)
    gdf["population_suspect"] = gdf["population_suspect"].astype(bool)
    logger.info(
        "loaded dataset %s: %d units, %d suspect populations",
        info.name, len(gdf), int(gdf["population_suspect"].sum()),
    )  # fmt: skip
    return gdf
