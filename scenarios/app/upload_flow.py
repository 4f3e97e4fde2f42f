"""The app's upload flow as pure functions: pick file → see the detected mapping with a preview →
fix it → (clean) → validate → use.

Each step takes the uploaded bytes (kept by the page) and the user's choices, and calls the
same readers as the CLI (:func:`sapxep.geodata.io.read_units`, ``read_raw_units``,
:func:`sapxep.scenarios.run.clean.run_clean`), so the app and ``sapxep --columns`` behave alike.
No streamlit here.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sapxep.geodata.columns import COLUMN_ALIASES, IGNORE, detect_columns
from sapxep.geodata.notes import in_language
from sapxep.geodata.tables import read_table
from sapxep.geodata.vector import read_vector

UploadedFile = tuple[str, bytes]

__all__ = [
    "UploadPreview", "clean_upload", "columns_from_table", "in_language", "inspect_upload",
    "mapping_targets", "use_upload",
]  # fmt: skip

#: Columns an upload must provide (through its own headers or the mapping).
REQUIRED_TARGETS: tuple[str, ...] = ("code", "name", "population")
#: Columns shown in the preview, in this order (when present).
PREVIEW_COLUMNS: tuple[str, ...] = (
    "code", "name", "unit_type", "parent_name", "province", "population", "area_km2_official", "terrain",
)  # fmt: skip


@dataclass(frozen=True)
class UploadPreview:
    """What the app shows before the data is used.

    Attributes
    ----------
    mapping : pandas.DataFrame
        One row per header: ``file``, ``header``, ``column`` (target, "" = unused), ``example``.
    preview : pandas.DataFrame
        The first rows as they will be read (:data:`PREVIEW_COLUMNS`).
    notes : list of str
        Decisions taken (encoding, number convention, ha → km², header row).
    missing : list of str
        Required columns not mapped yet (:data:`REQUIRED_TARGETS`).
    """

    mapping: pd.DataFrame
    preview: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def mapping_targets() -> list[str]:
    """Return the choices of the mapping table's ``column`` cell ("" = not used)."""
    return ["", *COLUMN_ALIASES, "area_ha", IGNORE]


@contextlib.contextmanager
def _staged(
    units_file: UploadedFile, attributes_file: UploadedFile | None
) -> Iterator[tuple[Path, Path | None]]:
    """Write the uploaded bytes to a private temporary folder for the readers."""
    with tempfile.TemporaryDirectory(prefix="sapxep-upload-") as tmp:
        path = Path(tmp) / Path(units_file[0]).name
        path.write_bytes(units_file[1])
        attr = None
        if attributes_file is not None:
            attr = Path(tmp) / ("attr-" + Path(attributes_file[0]).name)
            attr.write_bytes(attributes_file[1])
        yield path, attr


def _example(values: pd.Series) -> str:
    for v in values:
        if v is not None and str(v).strip() and str(v) != "nan":
            return str(v)[:40]
    return ""


def columns_from_table(mapping: pd.DataFrame) -> dict[str, str]:
    """Turn the (edited) mapping table back into ``{header: column}`` for the readers.

    Parameters
    ----------
    mapping : pandas.DataFrame
        ``UploadPreview.mapping``, possibly edited by the user.

    Returns
    -------
    dict of str to str
        Only rows with a column chosen.
    """
    rows = mapping[mapping["column"].astype(str).str.strip() != ""]
    return {str(h): str(c) for h, c in zip(rows["header"], rows["column"], strict=True)}


def inspect_upload(
    units_file: UploadedFile,
    attributes_file: UploadedFile | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    header_row: int | None = None,
    crs: str | None = None,
) -> UploadPreview:
    """Detect the column mapping of an upload and preview the first rows.

    Parameters
    ----------
    units_file : (name, bytes)
        GeoJSON, GeoPackage, zipped Shapefile or FlatGeobuf.
    attributes_file : (name, bytes), optional
        CSV or XLSX joined by code.
    columns : mapping, optional
        The user's corrections ``{header: column}``.
    header_row : int, optional
        1-based header row of the attribute table.
    crs : str, optional
        CRS of the units file if it does not say.

    Returns
    -------
    UploadPreview

    Raises
    ------
    DataValidationError
        The file cannot be read (with every problem named).
    """
    from sapxep.geodata.io import read_raw_units

    explicit = dict(columns or {})
    rows = []
    with _staged(units_file, attributes_file) as (path, attr):
        raw, _ = read_vector(path, None)
        tables = [(units_file[0], pd.DataFrame(raw.drop(columns=raw.geometry.name)))]
        if attr is not None and attributes_file is not None:
            tables.append((attributes_file[0], read_table(attr, header_row=header_row)[0]))
        for name, table in tables:
            heads = [str(c) for c in table.columns]
            mine = {k: v for k, v in explicit.items() if k in heads}
            detected = detect_columns(heads, explicit=mine).columns
            for h in heads:
                rows.append({"file": name, "header": h, "column": explicit.get(h, detected.get(h, "")),
                             "example": _example(table[h])})  # fmt: skip
        joined, notes = read_raw_units(path, attributes=attr, columns=explicit or None,
                                       header_row=header_row, crs=crs)  # fmt: skip
    mapping = pd.DataFrame(rows, columns=["file", "header", "column", "example"])
    shown = [c for c in PREVIEW_COLUMNS if c in joined.columns]
    preview = pd.DataFrame(joined[shown].head(10)).reset_index(drop=True)
    chosen = set(mapping["column"])
    missing = [t for t in REQUIRED_TARGETS if t not in chosen]
    return UploadPreview(mapping, preview, notes, missing)


def use_upload(
    units_file: UploadedFile,
    attributes_file: UploadedFile | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    header_row: int | None = None,
    crs: str | None = None,
) -> Any:
    """Validate an upload with the chosen mapping and return its units table.

    Topology problems (overlaps, gaps) do not stop the upload: they are kept in
    ``gdf.attrs["topology_warnings"]`` for the page to show next to the "clean" button;
    units without neighbours are joined to the nearest unit (island policy ``links``).

    Parameters
    ----------
    units_file, attributes_file, columns, header_row, crs
        As :func:`inspect_upload`.

    Returns
    -------
    geopandas.GeoDataFrame
        The units table (``attrs["read_notes"]``, ``attrs["topology_warnings"]``).

    Raises
    ------
    DataValidationError
        With every problem found.
    """
    from sapxep.geodata.io import read_units

    with _staged(units_file, attributes_file) as (path, attr):
        return read_units(path, attributes=attr, columns=dict(columns or {}) or None, header_row=header_row,
                          crs=crs, island_policy="links", topology="warn")  # fmt: skip


def clean_upload(
    units_file: UploadedFile,
    attributes_file: UploadedFile | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    header_row: int | None = None,
    crs: str | None = None,
    gap_tol_km2: float = 1.0,
    max_change_pct: float = 10.0,
) -> tuple[UploadedFile, pd.DataFrame, dict[str, Any], list[str]]:
    """Clean an upload's boundaries (as ``sapxep clean``) and return the cleaned file.

    The attribute table is joined into the cleaned file, so the next step uploads only it.

    Returns
    -------
    tuple
        ``(name, bytes)`` of the cleaned GeoJSON, the per-unit report, the summary and notes.

    Raises
    ------
    DataValidationError, CleanRefusedError
        Unreadable input, or a unit that would change more than ``max_change_pct`` (named).
    """
    from sapxep.scenarios.run.clean import run_clean

    opts: dict[str, Any] = {"columns": dict(columns or {}) or None, "header_row": header_row, "crs": crs}
    with _staged(units_file, attributes_file) as (path, attr):
        out = path.with_name(f"{Path(units_file[0]).stem}_clean.geojson")
        opts["attributes"] = attr
        run = run_clean(path, out, gap_tol_km2=gap_tol_km2, max_change_pct=max_change_pct,
                        read_options={k: v for k, v in opts.items() if v is not None})  # fmt: skip
        data = out.read_bytes()
    return (out.name, data), run.result.report, dict(run.result.summary), [*run.notes, *run.remaining]
