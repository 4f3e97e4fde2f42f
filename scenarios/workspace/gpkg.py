"""Minimal GeoPackage plumbing on plain :mod:`sqlite3`.

The workspace writes its spatial layers itself (no GDAL) so that a scenario, its
grouping and its dissolved new units are written in *one* SQLite transaction. This
module holds the GeoPackage 1.2 core tables and the geometry blob codec
(``GP`` header + envelope + ISO WKB), enough for QGIS and GDAL to open the file.
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

#: ``PRAGMA application_id`` of a GeoPackage ("GPKG").
GPKG_APPLICATION_ID = 0x47504B47
#: ``PRAGMA user_version`` of GeoPackage 1.2.
GPKG_USER_VERSION = 10200

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AUTHORITY["EPSG","4326"]]'
)

CORE_DDL = (
    """CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE IF NOT EXISTS gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
)

_SRS_ROWS = (
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined",
     "undefined cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined",
     "undefined geographic coordinate reference system"),
    ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT,
     "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
)  # fmt: skip


def init_core(con: sqlite3.Connection) -> None:
    """Create the GeoPackage core tables and SRS rows if missing (inside the caller's transaction).

    Parameters
    ----------
    con : sqlite3.Connection
        Open connection, in a write transaction.
    """
    for ddl in CORE_DDL:
        con.execute(ddl)
    con.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", _SRS_ROWS)


def register_table(
    con: sqlite3.Connection,
    table: str,
    *,
    data_type: str,
    description: str = "",
    geometry_column: str | None = None,
    geometry_type: str = "MULTIPOLYGON",
    srs_id: int = 4326,
) -> None:
    """Register a table in ``gpkg_contents`` (and ``gpkg_geometry_columns``) if not yet there.

    Parameters
    ----------
    con : sqlite3.Connection
        Open connection, in a write transaction.
    table : str
        Table name.
    data_type : {"features", "attributes"}
        GeoPackage data type.
    description : str
        Human description shown by QGIS.
    geometry_column, geometry_type, srs_id
        For feature tables.
    """
    con.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, "
        "srs_id) VALUES (?,?,?,?,?)",
        (table, data_type, table, description, srs_id if geometry_column else None),
    )
    if geometry_column:
        con.execute(
            "INSERT OR IGNORE INTO gpkg_geometry_columns VALUES (?,?,?,?,0,0)",
            (table, geometry_column, geometry_type, srs_id),
        )


def touch_table(con: sqlite3.Connection, table: str, bounds: Iterable[float] | None = None) -> None:
    """Update ``last_change`` of a table and grow its extent to include ``bounds``.

    Parameters
    ----------
    con : sqlite3.Connection
        Open connection, in a write transaction.
    table : str
        Registered table.
    bounds : (minx, miny, maxx, maxy), optional
        Extent of the rows just written.
    """
    con.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?",
        (table,),
    )
    if bounds is None:
        return
    b = [float(v) for v in bounds]
    if not all(np.isfinite(b)):
        return
    con.execute(
        "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?), "
        "min_y = min(coalesce(min_y, ?), ?), max_x = max(coalesce(max_x, ?), ?), "
        "max_y = max(coalesce(max_y, ?), ?) WHERE table_name = ?",
        (b[0], b[0], b[1], b[1], b[2], b[2], b[3], b[3], table),
    )


def as_multipolygon(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Return polygons as a valid MultiPolygon (other geometries unchanged).

    An invalid polygon (e.g. a ring self-intersection after reprojection) is repaired with
    ``shapely.make_valid(method="structure")``, which keeps it polygonal.
    """
    if isinstance(geom, Polygon | MultiPolygon) and not geom.is_valid:
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    if isinstance(geom, Polygon):
        return MultiPolygon([geom]) if not geom.is_empty else MultiPolygon()
    return geom


def encode_geometry(geom: BaseGeometry | None, srs_id: int = 4326) -> bytes | None:
    """Encode a shapely geometry as a GeoPackage geometry blob.

    Parameters
    ----------
    geom : shapely geometry or None
        Geometry (2D).
    srs_id : int
        SRS id written in the header.

    Returns
    -------
    bytes or None
        ``b"GP"``, version 0, flags, srs id, an XY envelope and little-endian ISO WKB;
        None for a missing geometry.
    """
    if geom is None:
        return None
    wkb = shapely.to_wkb(geom, output_dimension=2, byte_order=1, flavor="iso")
    if geom.is_empty:
        flags = 0b0001_0001  # empty, no envelope, little endian
        return b"GP" + bytes([0, flags]) + struct.pack("<i", srs_id) + wkb
    minx, miny, maxx, maxy = geom.bounds
    flags = 0b0000_0011  # envelope [minx, maxx, miny, maxy], little endian
    return (
        b"GP"
        + bytes([0, flags])
        + struct.pack("<i", srs_id)
        + struct.pack("<4d", minx, maxx, miny, maxy)
        + wkb
    )


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def decode_geometry(blob: bytes | None) -> BaseGeometry | None:
    """Decode a GeoPackage geometry blob (as written by GDAL or :func:`encode_geometry`).

    Parameters
    ----------
    blob : bytes or None

    Returns
    -------
    shapely geometry or None

    Raises
    ------
    ValueError
        If the blob does not start with the GeoPackage magic ``GP``.
    """
    if blob is None:
        return None
    blob = bytes(blob)
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    env = _ENVELOPE_BYTES.get((flags >> 1) & 0b111, 0)
    return shapely.from_wkb(blob[8 + env :])
