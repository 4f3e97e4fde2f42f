"""CLI command ``sapxep assess``: per-unit standards, must-arrange status and reasons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sapxep.scenarios.cli.input_options import (
    ColumnsOption,
    CrsOption,
    GapTolOption,
    HeaderRowOption,
    IslandPolicyOption,
    LangOption,
    LayerOption,
    OverlapTolOption,
    read_options,
)
from sapxep.scenarios.jsonfile import json_text
from sapxep.scenarios.run.assess import (
    OUTPUT_SUFFIXES,
    AssessmentResult,
    read_exemptions,
    run_assessment,
    summary_json,
    summary_lines,
    write_assessment,
)
from sapxep.scenarios.run.national_assess import write_national_outputs
from sapxep.units.choices import LEVELS
from sapxep.units.errors import ScenarioError
from sapxep.units.files import check_output_path

DatasetOption = Annotated[
    str | None,
    typer.Option("--dataset", help="Bundled dataset (see `sapxep datasets`), e.g. phu_tho_2023."),
]
UnitsOption = Annotated[Path | None, typer.Option("--units", help="Units file (GeoJSON, GeoPackage, …).")]
AttributesOption = Annotated[
    Path | None,
    typer.Option("--attributes", help="CSV/XLSX attributes joined by code (override or add columns)."),
]
RulesOption = Annotated[
    str | None,
    typer.Option(
        "--rules",
        help="Ruleset: nq35_2023, nq35_2026, nq76_2025, nq112_2026 or a .toml file "
        "(default: the one in force for the data's date).",
    ),
]
ExemptionsOption = Annotated[
    Path | None,
    typer.Option(
        "--exemptions",
        help="CSV code,reason of declared special factors (NQ 35/2023 Art. 3; NQ 76/2025 Art. 3).",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Write the per-unit table: .csv, .geojson or .gpkg."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (summary, notes, sources, units).")]
ProvinceOption = Annotated[
    str | None,
    typer.Option("--province", help="Keep one province: code or name, diacritics optional (phu tho)."),
]
LevelOption = Annotated[
    str,
    typer.Option("--level", help="commune | district | province: assess units of that level."),
]


def assess(
    dataset: DatasetOption = None,
    units: UnitsOption = None,
    attributes: AttributesOption = None,
    rules: RulesOption = None,
    exemptions: ExemptionsOption = None,
    out: OutOption = None,
    as_json: JsonOption = False,
    lang: LangOption = "vi",
    province: ProvinceOption = None,
    level: LevelOption = "commune",
    layer: LayerOption = None,
    crs: CrsOption = None,
    columns: ColumnsOption = None,
    header_row: HeaderRowOption = None,
    overlap_tol: OverlapTolOption = None,
    gap_tol: GapTolOption = None,
    island_policy: IslandPolicyOption = None,
) -> None:
    """Measure every unit against its legal standard and say which must be arranged, and why."""
    _check_options(dataset=dataset, units=units, out=out, lang=lang, level=level)
    opts = read_options(layer=layer, crs=crs, columns=columns, header_row=header_row,
                        overlap_tol=overlap_tol, gap_tol=gap_tol, island_policy=island_policy)  # fmt: skip
    if out is not None:
        check_output_path(out, inputs=[units, attributes, exemptions])
    declared = read_exemptions(exemptions) if exemptions is not None else None
    result = run_assessment(
        dataset=dataset,
        units_path=units,
        attributes=attributes,
        rules=rules,
        exemptions=declared,
        lang=lang,  # type: ignore[arg-type]
        province=province,
        read_options=opts,
        level=level,
    )
    written = str(write_assessment(result, out)) if out is not None else None
    extra: list[Path] = []
    if out is not None and result.units["province"].nunique() > 1:
        extra = write_national_outputs(
            result.units,
            result.table,
            out,
            title=result.ruleset.title,
            lang=lang,  # type: ignore[arg-type]
        )
    if as_json:
        typer.echo(json_text(summary_json(result, out=written)))
        return
    _echo_summary(result, lang=lang, written=written, extra=extra)


def _check_options(
    *, dataset: str | None, units: Path | None, out: Path | None, lang: str, level: str
) -> None:
    """Raise :class:`ScenarioError` listing every bad option of ``sapxep assess``."""
    problems = []
    if lang not in ("vi", "en"):
        problems.append(f"--lang {lang!r}: use vi or en")
    if out is not None and out.suffix.lower() not in OUTPUT_SUFFIXES:
        problems.append(f"--out {out}: the file must end in {', '.join(OUTPUT_SUFFIXES)}")
    if (dataset is None) == (units is None):
        problems.append("give exactly one of --dataset NAME or --units FILE")
    if level not in LEVELS:
        problems.append(f"--level {level!r}: use one of {', '.join(LEVELS)}")
    if problems:
        raise ScenarioError("sapxep assess: bad options", problems)


def _echo_summary(result: AssessmentResult, *, lang: str, written: str | None, extra: list[Path]) -> None:
    """Print the summary lines, then the files written."""
    for line in summary_lines(result, lang=lang):  # type: ignore[arg-type]
        typer.echo(line)
    if written:
        msg = "Đã ghi" if lang == "vi" else "Wrote"
        rows = "dòng" if lang == "vi" else "rows"
        typer.echo(f"{msg} {written} ({len(result.table)} {rows})")
        for path in extra:
            typer.echo(f"{msg} {path}")


def register(app: typer.Typer) -> None:
    """Add ``assess`` to the CLI."""
    app.command("assess")(assess)
