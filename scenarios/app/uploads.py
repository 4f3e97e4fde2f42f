"""Uploaded unit files: size limits and reading into a validated units table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sapxep.scenarios.messages import tr


def check_upload_sizes(files: Iterable[tuple[str, int]], *, max_mb: float, lang: str = "vi") -> list[str]:
    """Return one message per file larger than ``max_mb`` megabytes.

    Parameters
    ----------
    files : iterable of (name, size_bytes)
    max_mb : float
    lang : {"vi", "en"}

    Returns
    -------
    list of str
    """
    out = []
    for name, size in files:
        mb = size / 1e6
        if mb > max_mb:
            out.append(tr("upload_too_big", lang, name=name, size=mb, mb=max_mb))
    return out


def read_uploaded_units(
    units_file: tuple[str, bytes], attributes_file: tuple[str, bytes] | None = None
) -> Any:
    """Read an uploaded unit file (and optional attribute table) into a units table.

    The bytes are written to a temporary folder and read with :func:`sapxep.geodata.io.read_units`,
    which validates everything and raises one error listing every problem.

    Parameters
    ----------
    units_file : (name, bytes)
        GeoJSON, GeoPackage, zipped Shapefile or FlatGeobuf.
    attributes_file : (name, bytes), optional
        CSV or XLSX joined by ``code``.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    DataValidationError
        With every problem found.
    """
    import tempfile
    from pathlib import Path

    from sapxep.geodata.io import read_units

    with tempfile.TemporaryDirectory(prefix="sapxep-upload-") as tmp:
        name, data = units_file
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        attr_path = None
        if attributes_file is not None:
            attr_path = Path(tmp) / ("attr-" + Path(attributes_file[0]).name)
            attr_path.write_bytes(attributes_file[1])
        return read_units(path, attributes=attr_path, island_policy="links")
