"""Print-ready exports of saved scenarios: maps, GIS files, Excel appendix, Word draft.

Each format has a module (:mod:`~sapxep.scenarios.export.maps`, :mod:`~sapxep.scenarios.export.gis`,
:mod:`~sapxep.scenarios.export.excel`, :mod:`~sapxep.scenarios.export.docx`); :func:`export_scenario`
dispatches on a format name. Texts are Vietnamese by default (``lang="en"`` for English).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

from sapxep.units.errors import WorkspaceError
from sapxep.units.files import atomic_path, check_output_path

#: Resolution of PNG maps, for files and downloads alike.
MAP_DPI: Final[int] = 300

#: Paper sizes of exported maps (``sapxep export --paper``).
PAPERS: Final[tuple[str, ...]] = ("A4", "A3")

#: Export formats accepted by :func:`export_scenario` and ``sapxep export --format``.
FORMATS: Final[tuple[str, ...]] = (
    "png", "pdf", "svg", "gpkg", "geojson", "shp", "kml", "xlsx", "docx",
)  # fmt: skip


def export_scenario(
    workspace: Any,
    name: str,
    fmt: str,
    out: str | Path,
    *,
    lang: str = "vi",
    dpi: int = MAP_DPI,
    kind: str = "plan",
    paper: str = "A4",
    orientation: str | None = None,
    crs: str | None = None,
    ensemble: str | Path | None = None,
) -> Path:
    """Export a saved scenario in one format.

    Parameters
    ----------
    workspace : Workspace or path
        Workspace holding the scenario.
    name : str
        Scenario name.
    fmt : str
        One of :data:`FORMATS`.
    out : str or pathlib.Path
        Output file (``.zip`` for ``shp``).
    lang : {"vi", "en"}
        Language of texts.
    dpi : int, default 300
        Resolution of PNG maps.
    kind : {"plan", "before_after"}
        Which map for png/pdf/svg.
    paper : {"A4", "A3"}
        Sheet of png/pdf/svg maps.
    orientation : {"portrait", "landscape"}, optional
        Of the plan map (default: the one that fits the area).
    crs : str, optional
        Coordinate system of gpkg/shp/geojson (``"vn2000"`` = VN-2000 / UTM of the area,
        ``"EPSG:3405"``, ...); default WGS84 as stored. KML is always WGS84.
    ensemble : str or pathlib.Path, optional
        An ensemble folder (``sapxep ensemble``): xlsx gets a sheet with the scenario's
        percentiles, rare groupings and the co-assignment map
        (:mod:`sapxep.scenarios.export.ensemble_sheet`).

    Returns
    -------
    pathlib.Path
        The written file (written atomically: nothing is touched when anything fails).

    Raises
    ------
    WorkspaceError
        If the format is unknown or the scenario is not saved (nothing is written).
    OutputPathError
        If ``out`` is the workspace itself or a folder.
    """
    from sapxep.scenarios.workspace.store import Workspace

    if fmt not in FORMATS:
        raise WorkspaceError(f"unknown export format '{fmt}': choose one of {', '.join(FORMATS)}")
    _check_options(lang, paper, orientation)
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    out = Path(out)
    if fmt == "shp" and out.suffix.lower() != ".zip":
        out = out.with_suffix(".zip")  # the shapefile layers travel together in one zip
    check_output_path(out, workspace=ws.path)
    if not ws.exists(name):
        saved = ws.names()
        listed = f"saved: {', '.join(saved)}" if saved else "the workspace has no scenarios"
        raise WorkspaceError(f"no scenario '{name}' in {ws.path} ({listed}); nothing was written")
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:
        written = Path(_export_to(ws, name, fmt, tmp, lang=lang, dpi=dpi, kind=kind, paper=paper,
                                  orientation=orientation, crs=crs, ensemble=ensemble))  # fmt: skip
        if written != tmp and written.exists():
            os.replace(written, tmp)
    return out


def _check_options(lang: str, paper: str, orientation: str | None) -> None:
    """Raise one WorkspaceError naming every unknown language, paper or orientation."""
    problems = []
    if lang not in ("vi", "en"):
        problems.append(f"unknown language '{lang}': choose vi or en (--lang)")
    if paper not in PAPERS:
        problems.append(f"unknown paper '{paper}': choose {' or '.join(PAPERS)} (--paper)")
    if orientation is not None and orientation not in ("portrait", "landscape"):
        problems.append(f"unknown orientation '{orientation}': choose portrait or landscape (--orientation)")
    if problems:
        raise WorkspaceError("; ".join(problems))


def _export_to(
    ws: Any, name: str, fmt: str, out: Path, *, lang: str, dpi: int, kind: str,
    paper: str = "A4", orientation: str | None = None, crs: str | None = None,
    ensemble: str | Path | None = None,
) -> Path:  # fmt: skip
    """Dispatch one export format to its module (``out`` is a temporary path)."""
    if fmt in ("png", "pdf", "svg"):
        from sapxep.scenarios.export.maps import export_map

        return export_map(ws, name, out, lang=lang, dpi=dpi, kind=kind, fmt=fmt, paper=paper,
                          orientation=orientation)  # fmt: skip
    if fmt in ("gpkg", "geojson", "shp", "kml"):
        from sapxep.scenarios.export.gis import export_gis

        return export_gis(ws, name, out, fmt=fmt, lang=lang, crs=crs)
    if fmt == "xlsx":
        from sapxep.scenarios.export.excel import export_dossier_xlsx

        sheets = []
        if ensemble is not None:
            from sapxep.scenarios.analysis.ensemble import saved_scenario_report
            from sapxep.scenarios.export.ensemble_sheet import ensemble_sheet_writer

            sheets.append(ensemble_sheet_writer(saved_scenario_report(ws, name, ensemble)))
        return export_dossier_xlsx(ws, name, out, lang=lang, extra_sheets=sheets)
    from sapxep.scenarios.export.docx import export_docx

    return export_docx(ws, name, out, lang=lang)


def safe_file_stem(name: str) -> str:
    """Return a file-name-safe version of a scenario name (keeps Vietnamese letters)."""
    import re

    stem = re.sub(r"[^\w.-]+", "_", name, flags=re.UNICODE).strip("._")
    return stem or "scenario"


#: File suffix and MIME type of each export format (for downloads).
MEDIA: Final[dict[str, tuple[str, str]]] = {
    "png": (".png", "image/png"),
    "pdf": (".pdf", "application/pdf"),
    "svg": (".svg", "image/svg+xml"),
    "gpkg": (".gpkg", "application/geopackage+sqlite3"),
    "geojson": (".geojson", "application/geo+json"),
    "shp": (".zip", "application/zip"),
    "kml": (".kml", "application/vnd.google-earth.kml+xml"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def export_bytes(
    workspace: Any,
    name: str,
    fmt: str,
    *,
    lang: str = "vi",
    dpi: int = MAP_DPI,
    kind: str = "plan",
) -> tuple[bytes, str, str]:
    """Export a saved scenario in memory (for a download button): the one in-memory export.

    Parameters
    ----------
    workspace : Workspace or path
        Workspace holding the scenario.
    name : str
        Scenario name.
    fmt : str
        One of :data:`FORMATS`.
    lang : {"vi", "en"}
        Language of texts.
    dpi : int, default :data:`MAP_DPI`
        Resolution of PNG maps.
    kind : {"plan", "before_after"}
        Which map for png/pdf/svg.

    Returns
    -------
    (bytes, str, str)
        File content, a file name (``<scenario><suffix>``) and its MIME type.

    Raises
    ------
    WorkspaceError
        If the format is unknown or the scenario is not saved.
    """
    import tempfile

    if fmt not in MEDIA:
        raise WorkspaceError(f"unknown export format '{fmt}': choose one of {', '.join(FORMATS)}")
    suffix, mime = MEDIA[fmt]
    stem = safe_file_stem(name)
    with tempfile.TemporaryDirectory() as tmp:
        path = export_scenario(workspace, name, fmt, Path(tmp) / f"{stem}{suffix}", lang=lang,
                               dpi=dpi, kind=kind)  # fmt: skip
        return path.read_bytes(), f"{stem}{suffix}", mime
