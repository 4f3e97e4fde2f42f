"""CLI commands on the workspace: ``scenario …``, ``compare`` and ``export``.

Every command takes ``--workspace FILE`` (default ``sapxep.gpkg`` in the current folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sapxep.scenarios.cli.input_options import LangOption, check_lang
from sapxep.scenarios.jsonfile import json_text
from sapxep.scenarios.workspace.store import DEFAULT_WORKSPACE, Workspace
from sapxep.units.errors import WorkspaceError
from sapxep.units.files import atomic_path, check_output_path

scenario_app = typer.Typer(
    help="Saved scenarios in the workspace: list, show, delete, rename, duplicate, import.",
    no_args_is_help=True,
)

WS_HELP = "Workspace GeoPackage (created on first save)."
#: ``--workspace FILE`` of every command (default ``sapxep.gpkg`` in the current folder).
WorkspaceOpt = Annotated[Path, typer.Option("--workspace", help=WS_HELP)]
NameArg = Annotated[str, typer.Argument(help="Scenario name.")]
AuthorOpt = Annotated[str, typer.Option(help="Author.")]
DescriptionOpt = Annotated[str, typer.Option(help="Description.")]
ReplaceOpt = Annotated[bool, typer.Option("--replace", help="Replace a scenario of that name.")]
DEFAULT_WS = Path(DEFAULT_WORKSPACE)


def _ws(path: Path) -> Workspace:
    return Workspace(path)


@scenario_app.command("list")
def list_scenarios(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """List the saved scenarios (oldest first)."""
    infos = _ws(workspace).list()
    if as_json:
        typer.echo(json_text([i.to_dict() for i in infos]))
        return
    if not infos:
        typer.echo(f"no scenarios in {workspace}")
        return
    width = max(len(i.name) for i in infos)
    for i in infos:
        typer.echo(
            f"{i.name:{width}}  {i.dataset:14} {i.n_before:>5} → {i.n_after:<5} "
            f"{i.status:10} {i.source:12} {i.created[:19]}  {i.author}"
        )


@scenario_app.command("show")
def show(
    name: NameArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Show one scenario: facts, metrics and its merged new units."""
    sc = _ws(workspace).load(name)
    groups = {g: m for g, m in sc.plan.groups.items() if len(m) > 1}
    if as_json:
        doc = {**sc.info.to_dict(), "metrics": sc.metrics, "merged_groups": groups,
               "tables": sorted(sc.tables), "config_toml": sc.config_toml}  # fmt: skip
        typer.echo(json_text(doc))
        return
    for k, v in sc.info.to_dict().items():
        typer.echo(f"{k:12} {v}")
    if sc.metrics:
        typer.echo("metrics:")
        for k, v in sc.metrics.items():
            if not isinstance(v, list | dict):
                typer.echo(f"  {k:28} {v}")
    typer.echo(f"merged new units: {len(groups)}")
    nu = sc.new_units
    names = dict(zip(nu["new_unit"], nu["name"], strict=True)) if nu is not None else {}
    for g, members in groups.items():
        typer.echo(f"  {g} {names.get(g, '')}: {', '.join(members)}")


@scenario_app.command("delete")
def delete(
    name: NameArg,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Delete a scenario."""
    _ws(workspace).delete(name)
    typer.echo(f"deleted '{name}'")


@scenario_app.command("rename")
def rename(
    name: Annotated[str, typer.Argument(help="Current name.")],
    new_name: Annotated[str, typer.Argument(help="New name.")],
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Rename a scenario."""
    _ws(workspace).rename(name, new_name)
    typer.echo(f"renamed '{name}' to '{new_name}'")


@scenario_app.command("duplicate")
def duplicate(
    name: Annotated[str, typer.Argument(help="Scenario to copy.")],
    new_name: Annotated[str, typer.Argument(help="Name of the copy.")],
    author: Annotated[str | None, typer.Option(help="Author of the copy.")] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Copy a scenario under a new name."""
    _ws(workspace).duplicate(name, new_name, author=author)
    typer.echo(f"copied '{name}' to '{new_name}'")


@scenario_app.command("import")
def import_(
    name: Annotated[str, typer.Argument(help="Name of the new scenario.")],
    dataset: Annotated[str, typer.Option(help="Dataset whose units the plan groups.")],
    csv: Annotated[Path | None, typer.Option("--csv", help="Mapping CSV: code,new_unit[,seat_code].")] = None,
    crosswalk: Annotated[
        bool, typer.Option("--crosswalk", help="The bundled 2019→2020 crosswalk (use with phu_tho_2019).")
    ] = False,
    ruleset: Annotated[str, typer.Option(help="Ruleset for the metrics (e.g. nq35_2023).")] = "",
    author: AuthorOpt = "",
    description: DescriptionOpt = "",
    replace: ReplaceOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Import a plan from a CSV mapping or the historical crosswalk."""
    from sapxep.scenarios.workspace.importing import import_scenario

    if (csv is None) == (not crosswalk):
        raise WorkspaceError("give exactly one of --csv FILE or --crosswalk")
    info = import_scenario(
        _ws(workspace), name, dataset=dataset, source="crosswalk" if crosswalk or csv is None else csv,
        author=author, description=description, ruleset=ruleset,
        if_exists="replace" if replace else "error",
    )  # fmt: skip
    typer.echo(f"imported '{info.name}': {info.n_before} → {info.n_after} units")


@scenario_app.command("save")
def save(
    name: NameArg,
    run: Annotated[Path, typer.Option("--run", help="Run folder written by `sapxep plan --out`.")],
    author: AuthorOpt = "",
    description: DescriptionOpt = "",
    replace: ReplaceOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Store a finished run folder as a scenario."""
    from sapxep.scenarios.workspace.runs import save_run

    info = save_run(workspace, name, run, author=author, description=description,
                    if_exists="replace" if replace else "error")  # fmt: skip
    typer.echo(f"saved '{info.name}': {info.n_before} → {info.n_after} units")


def _cell(v: object, lang: str) -> str:
    """Format a metric for the terminal: thousands separators, 2 decimals, "—" for none."""
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    text = f"{int(v):,}" if float(v).is_integer() else f"{float(v):,.2f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


EnsembleOpt = Annotated[
    Path | None,
    typer.Option("--ensemble", help="An ensemble folder (sapxep ensemble): percentiles and rare groupings."),
]


def compare(
    names: Annotated[list[str], typer.Argument(help="2 to 6 scenario names.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write the comparison to FILE.xlsx.")] = None,
    map_out: Annotated[
        Path | None, typer.Option("--map", help="Also draw a comparison sheet (png/pdf/svg).")
    ] = None,
    paper: Annotated[str, typer.Option("--paper", help="Comparison sheet: A4 | A3.")] = "A4",
    ruleset: Annotated[str | None, typer.Option(help="Measure all scenarios with this ruleset.")] = None,
    ensemble: EnsembleOpt = None,
    lang: LangOption = "vi",
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Compare saved scenarios side by side (metrics, changed units, similarity)."""
    from sapxep.scenarios.analysis.compare import compare_scenarios

    check_lang(lang)
    ws = _ws(workspace)
    cmp = compare_scenarios(ws, names, ruleset=ruleset)
    table = cmp.metrics_table(lang).map(lambda v: _cell(v, lang))
    typer.echo(table.to_string())
    typer.echo("")
    for r in cmp.pairs.itertuples(index=False):
        if r.same_units:
            typer.echo(f"{r.a} ↔ {r.b}: {r.n_changed} units grouped differently, "
                       f"ARI {r.ari:.3f}, VI {r.vi_bits:.3f} bits")  # fmt: skip
        else:
            typer.echo(f"{r.a} ↔ {r.b}: different datasets, no unit-level diff")
    if ensemble is not None:
        from sapxep.scenarios.cli.ensemble import echo_saved_reports

        echo_saved_reports(ws, list(names), ensemble, lang=lang)
    if out is not None:
        from sapxep.scenarios.export.excel import write_comparison_xlsx

        with atomic_path(check_output_path(out, workspace=ws.path)) as tmp:
            write_comparison_xlsx(cmp, tmp, lang=lang)
        typer.echo(f"wrote {out}")
    if map_out is not None:
        from sapxep.scenarios.export.maps import export_comparison_map

        with atomic_path(check_output_path(map_out, workspace=ws.path, option="--map")) as tmp:
            export_comparison_map(ws, list(names), tmp, lang=lang, paper=paper)
        typer.echo(f"wrote {map_out}")


def export(
    name: NameArg,
    fmt: Annotated[str, typer.Option("--format", help="png|pdf|svg|gpkg|geojson|shp|kml|xlsx|docx.")],
    out: Annotated[Path, typer.Option("--out", help="Output file.")],
    lang: LangOption = "vi",
    dpi: Annotated[int, typer.Option(help="PNG resolution.")] = 300,
    kind: Annotated[str, typer.Option("--map", help="Map kind: plan | before_after.")] = "plan",
    paper: Annotated[str, typer.Option("--paper", help="Map sheet: A4 | A3.")] = "A4",
    orientation: Annotated[
        str | None, typer.Option("--orientation", help="portrait | landscape (default: fits the area).")
    ] = None,
    crs: Annotated[
        str | None,
        typer.Option(
            "--crs", help="GIS coordinates: vn2000 (VN-2000 / UTM of the area), EPSG:3405, EPSG:3406…"
        ),
    ] = None,
    ensemble: EnsembleOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Export a saved scenario: map, GIS file, Excel appendix or Word draft."""
    from sapxep.scenarios.export import export_scenario

    check_lang(lang)
    if kind not in ("plan", "before_after"):
        raise WorkspaceError(f"unknown map kind '{kind}': choose plan or before_after")
    path = export_scenario(_ws(workspace), name, fmt, out, lang=lang, dpi=dpi, kind=kind, paper=paper,
                           orientation=orientation, crs=crs, ensemble=ensemble)  # fmt: skip
    typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.add_typer(scenario_app, name="scenario")
    app.command("compare")(compare)
    app.command("export")(export)
