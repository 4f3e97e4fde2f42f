"""CLI command ``sapxep clean``: make a units file a clean coverage, with a per-unit report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sapxep.scenarios.cli.input_options import (
    ColumnsOption,
    CrsOption,
    HeaderRowOption,
    LangOption,
    LayerOption,
    check_lang,
    read_options,
)
from sapxep.scenarios.jsonfile import json_text


def clean(
    units: Annotated[Path, typer.Argument(help="Units file (GeoJSON, GeoPackage, Shapefile, FlatGeobuf).")],
    out: Annotated[Path, typer.Option("--out", help="Cleaned file: .geojson, .gpkg or .fgb.")],
    report: Annotated[
        Path | None, typer.Option("--report", help="Per-unit report CSV (default OUT_clean_report.csv).")
    ] = None,
    gap_tol: Annotated[
        float, typer.Option("--gap-tol", help="Fill gaps up to this area, km²; larger ones are kept.")
    ] = 1.0,
    max_change_pct: Annotated[
        float,
        typer.Option("--max-change-pct", help="Refuse if a unit changes by more than this % of its area."),
    ] = 10.0,
    layer: LayerOption = None,
    crs: CrsOption = None,
    columns: ColumnsOption = None,
    attributes: Annotated[
        Path | None, typer.Option("--attributes", help="CSV/XLSX attributes joined by code.")
    ] = None,
    header_row: HeaderRowOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    lang: LangOption = "vi",
) -> None:
    """Repair geometries, resolve overlaps, fill small gaps; write the file and a per-unit report."""
    from sapxep.scenarios.run.clean import run_clean, summary_lines

    check_lang(lang)
    run = run_clean(
        units, out, report=report, gap_tol_km2=gap_tol, max_change_pct=max_change_pct,
        read_options=read_options(layer=layer, crs=crs, columns=columns, attributes=attributes,
                                  header_row=header_row),
    )  # fmt: skip
    if as_json:
        doc = {**run.result.summary, "out": str(run.out), "report": str(run.report_path),
               "notes": run.notes, "warnings": run.remaining}  # fmt: skip
        typer.echo(json_text(doc))
        return
    for line in summary_lines(run, lang):  # type: ignore[arg-type]
        typer.echo(line)


def register(app: typer.Typer) -> None:
    """Add ``clean`` to the CLI."""
    app.command("clean")(clean)
