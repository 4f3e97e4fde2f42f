"""Vector files: layers, zipped Shapefiles, reading with its warnings, CRS, atomic writing.

:func:`read_vector` reads one layer of anything pyogrio reads (GeoJSON, GeoPackage,
(zipped) Shapefile, FlatGeobuf); :func:`apply_crs` sets ``--crs`` and refuses projected
coordinates read as longitude/latitude; :func:`write_vector` writes a layer atomically
(:func:`sapxep.units.files.atomic_path`).
"""

from __future__ import annotations

import logging
import posixpath
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyproj
from pyogrio.errors import DataLayerError, DataSourceError

from sapxep.geodata.notes import Note
from sapxep.geodata.read_warnings import warning_problems
from sapxep.units.errors import DataValidationError, format_codes
from sapxep.units.files import atomic_path

logger = logging.getLogger(__name__)

#: Suffixes read by :func:`sapxep.geodata.io.read_units` (others are tried with pyogrio too).
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb")
#: Largest total uncompressed size of a zip that is read (a zip bomb is refused before unpacking).
MAX_UNZIPPED_BYTES = 1_000_000_000
_ZIPPED_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb")


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
            infos = [i for i in archive.infolist() if not i.filename.startswith("__MACOSX")]
    except zipfile.BadZipFile:
        raise DataValidationError(f"{path}: not a valid zip file", ["zip the files again"]) from None
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNZIPPED_BYTES:
        raise DataValidationError(
            f"{path.name}: the zip unpacks to {unpacked / 1e6:,.0f} MB, more than the "
            f"{MAX_UNZIPPED_BYTES / 1e6:,.0f} MB allowed",
            ["zip only the units layer (one province), or simplify the polygons first"],
        )
    names = [i.filename for i in infos]
    members = [m for m in names if m.lower().endswith(_ZIPPED_SUFFIXES)]
    if not members:
        raise DataValidationError(
            f"{path}: the zip holds no vector data",
            ["zip a Shapefile (.shp with its .shx, .dbf, .prj) or a GeoPackage/GeoJSON/FlatGeobuf"],
        )
    lower = {n.lower() for n in names}
    missing = [
        f"{posixpath.basename(m)[:-4]}{ext}"
        for m in members
        if m.lower().endswith(".shp")
        for ext in (".shx", ".dbf")
        if m.lower()[:-4] + ext not in lower
    ]
    if missing:
        raise DataValidationError(
            f"{path.name}: the Shapefile in the zip is incomplete",
            [f"missing {', '.join(missing)}: zip the .shp together with its .shx, .dbf and .prj files"],
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


def read_vector(path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read one layer of a vector file, refusing to guess among several layers.

    Warnings raised while reading (a column mixing numbers and text, text in a numeric
    field) are returned as problems when they concern a column sapxep uses, and logged
    otherwise. Note: ``warnings.catch_warnings`` is process-wide state.
    """
    layers = list_layers(path)
    if layer is None and len(layers) > 1:
        raise DataValidationError(
            f"{path}: {len(layers)} layers, none chosen",
            [f"choose one with --layer: {', '.join(layers)}"],
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
                "give tables without geometry with --attributes"
            ],
        )
    return gdf, warning_problems(gdf, caught, path.name)


def apply_crs(
    gdf: gpd.GeoDataFrame, crs: str | None, name: str
) -> tuple[gpd.GeoDataFrame, list[str], list[str]]:
    """Set ``--crs`` when given; refuse projected coordinates labelled as longitude/latitude.

    Returns the frame, notes and problems.
    """
    notes: list[str] = []
    if crs:
        try:
            target = pyproj.CRS.from_user_input(crs)
        except pyproj.exceptions.CRSError:
            return (
                gdf,
                notes,
                [f"--crs {crs!r} is not a known coordinate system: use e.g. EPSG:4326, EPSG:3405"],
            )
        if gdf.crs is not None and not gdf.crs.equals(target):
            notes.append(
                Note(
                    f"{name}: the file says {gdf.crs.to_string()}; --crs {crs} used instead",
                    f"{name}: tệp ghi hệ tọa độ {gdf.crs.to_string()}; dùng --crs {crs} thay thế",
                )
            )
        gdf = gdf.set_crs(target, allow_override=True)
    if gdf.crs is None:
        return (
            gdf,
            notes,
            [
                "the file does not say its coordinate system (CRS): give it with --crs, e.g. --crs EPSG:4326 "
                "(longitude/latitude) or --crs EPSG:3405 (VN-2000 / UTM 48N)"
            ],
        )
    if gdf.crs.is_geographic and len(gdf) and not gdf.geometry.is_empty.all():
        minx, miny, maxx, maxy = gdf.geometry.total_bounds
        if max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
            problem = (
                f"the coordinates look projected (x up to {maxx:,.0f}, y up to {maxy:,.0f}) but are "
                f"read as longitude/latitude ({gdf.crs.to_string()}; a GeoJSON without a 'crs' member "
                "is read so): give the real CRS with --crs, e.g. --crs EPSG:3405 (VN-2000 / UTM 48N), "
                "EPSG:3406 (49N) or EPSG:32648 (WGS 84 / UTM 48N)"
            )
            return gdf, notes, [problem]
    return gdf, notes, []


#: Output suffix -> GDAL driver for :func:`write_vector`.
WRITE_DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".fgb": "FlatGeobuf"}


def write_vector(gdf: gpd.GeoDataFrame, path: str | Path, *, layer: str = "units") -> Path:
    """Write a GeoDataFrame atomically as GeoJSON, GeoPackage or FlatGeobuf (from the suffix).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
    path : str or pathlib.Path
        ``.geojson``/``.json``, ``.gpkg`` or ``.fgb``.
    layer : str, default "units"
        Layer name (GeoPackage).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DataValidationError
        Unsupported suffix.
    """
    p = Path(path)
    driver = WRITE_DRIVERS.get(p.suffix.lower())
    if driver is None:
        raise DataValidationError(
            f"{p}: cannot write this format", [f"give a file ending in {', '.join(WRITE_DRIVERS)}"]
        )
    with atomic_path(p) as tmp:
        if driver == "GPKG":
            gdf.to_file(tmp, driver=driver, layer=layer)
        else:
            gdf.to_file(tmp, driver=driver)
    return p
