"""Exports of saved scenarios as bytes for the app's download buttons."""

from __future__ import annotations

from typing import Any, Final

from sapxep.scenarios.csvfile import csv_bytes
from sapxep.scenarios.export import export_bytes, safe_file_stem

__all__ = [
    "EXPORTS",
    "comparison_pdf_bytes",
    "download_bytes",
    "export_available",
    "plan_csv_bytes",
    "safe_file_stem",
]

EXPORTS: Final[dict[str, tuple[str, str, str, str]]] = {
    "map_pdf": ("pdf", "plan", ".pdf", "application/pdf"),
    "map_png": ("png", "plan", ".png", "image/png"),
    "map_svg": ("svg", "plan", ".svg", "image/svg+xml"),
    "before_after_pdf": ("pdf", "before_after", "-truoc-sau.pdf", "application/pdf"),
    "gpkg": ("gpkg", "plan", ".gpkg", "application/geopackage+sqlite3"),
    "geojson": ("geojson", "plan", ".geojson", "application/geo+json"),
    "shp": ("shp", "plan", "-shp.zip", "application/zip"),
    "kml": ("kml", "plan", ".kml", "application/vnd.google-earth.kml+xml"),
    "xlsx": ("xlsx", "plan", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (
        "docx",
        "plan",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}

#: The module each export format needs (a format is offered only when it is installed).
_EXPORT_MODULES: Final[dict[str, str]] = {
    "pdf": "sapxep.scenarios.export.maps",
    "png": "sapxep.scenarios.export.maps",
    "svg": "sapxep.scenarios.export.maps",
    "gpkg": "sapxep.scenarios.export.gis",
    "geojson": "sapxep.scenarios.export.gis",
    "shp": "sapxep.scenarios.export.gis",
    "kml": "sapxep.scenarios.export.gis",
    "xlsx": "sapxep.scenarios.export.excel",
    "docx": "sapxep.scenarios.export.docx",
}


def export_available(export_id: str) -> bool:
    """Return whether the module behind an export is installed."""
    import importlib.util

    fmt = EXPORTS[export_id][0]
    try:
        return importlib.util.find_spec(_EXPORT_MODULES[fmt]) is not None
    except ModuleNotFoundError:
        return False


def download_bytes(workspace_path: str, name: str, export_id: str, *, lang: str = "vi") -> bytes:
    """Return the file behind a download button: :func:`sapxep.scenarios.export.export_bytes`.

    Parameters
    ----------
    workspace_path : str
        Workspace file.
    name : str
        Scenario name.
    export_id : str
        A key of :data:`EXPORTS` (format and map kind).
    lang : {"vi", "en"}

    Returns
    -------
    bytes

    Raises
    ------
    WorkspaceError
        Unknown scenario or format.
    """
    fmt, kind, _, _ = EXPORTS[export_id]
    return export_bytes(workspace_path, name, fmt, lang=lang, kind=kind)[0]


def comparison_pdf_bytes(workspace_path: str, names: list[str], *, lang: str = "vi") -> bytes:
    """Return the comparison sheet of 2–6 scenarios on one dataset as PDF bytes."""
    import tempfile
    from pathlib import Path

    from sapxep.scenarios.export.maps import export_comparison_map
    from sapxep.scenarios.workspace.store import Workspace

    with tempfile.TemporaryDirectory(prefix="sapxep-export-") as tmp:
        out = Path(tmp) / "so-sanh.pdf"
        written = export_comparison_map(Workspace(workspace_path), names, out, lang=lang, fmt="pdf")
        return Path(written).read_bytes()


def plan_csv_bytes(workspace: Any, name: str) -> bytes:
    """Return the ``plan.csv`` (code,new_unit,seat_code) of a saved scenario."""
    return csv_bytes(workspace.plan(name).to_frame())
