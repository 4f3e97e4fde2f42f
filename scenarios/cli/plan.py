"""CLI commands ``plan`` (one scenario) and ``plan-national`` (every province)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated, Any

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
    SkipTopologyOption,
    check_lang,
    data_table_options,
    read_options,
)
from sapxep.scenarios.config import ScenarioConfig, load_scenario, scenario_from_dict, scenario_to_dict
from sapxep.units.errors import ScenarioError, WorkspaceError
from sapxep.units.files import check_output_path


def _parse_target(text: str | None) -> int | list[int] | None:
    if text is None:
        return None
    for sep in (":", ",", "-"):
        if sep in text:
            lo, _, hi = text.partition(sep)
            try:
                return [int(lo), int(hi)]
            except ValueError:
                break
    try:
        return int(text)
    except ValueError:
        raise ScenarioError(
            f"--target '{text}' is not a number", ["give --target K or --target MIN:MAX"]
        ) from None


# Options of ``sapxep plan`` (module level, as in staffing.py: the signature stays short).
OutOption = Annotated[Path, typer.Option("--out", help="Output folder.")]
ScenarioArgument = Annotated[Path | None, typer.Argument(help="Scenario TOML file (see docs/scenario.md).")]
DatasetOption = Annotated[str | None, typer.Option(help="Bundled dataset (sapxep datasets).")]
UnitsFileOption = Annotated[Path | None, typer.Option("--units", help="Unit file instead of a dataset.")]
ProvinceOption = Annotated[
    str | None, typer.Option(help="Keep one province (code or name, diacritics optional).")
]
LevelOption = Annotated[
    str | None,
    typer.Option(help="commune | district | province: plan units of that level (dissolved by parent code)."),
]
RulesOption = Annotated[str | None, typer.Option(help="Ruleset name or TOML file.")]
ModeOption = Annotated[str | None, typer.Option(help="max-units | target-count | repair.")]
TargetOption = Annotated[str | None, typer.Option(help="K, or MIN:MAX new units (target-count).")]
TimeLimitOption = Annotated[float | None, typer.Option("--time-limit", help="Seconds.")]
DeterministicTimeOption = Annotated[
    float | None,
    typer.Option(
        "--deterministic-time",
        help="Work limit in CP-SAT deterministic time; with --workers 1 and --seed "
        "the plan is the same run after run.",
    ),
]  # fmt: skip
SeedOption = Annotated[int | None, typer.Option(help="Random seed.")]
WorkersOption = Annotated[int | None, typer.Option(help="CP-SAT workers (1 = deterministic).")]
MinPopulationOption = Annotated[
    int | None, typer.Option("--min-population", help="Replace every new unit's population floor.")
]
MinAreaOption = Annotated[
    float | None, typer.Option("--min-area", help="Replace every new unit's area floor, km² (0 = none).")
]
MaxDistanceOption = Annotated[
    int | None,
    typer.Option("--max-distance", help="Members at most this many adjacency steps from the seat."),
]
StayWithinParentOption = Annotated[
    bool | None,
    typer.Option("--stay-within-parent/--cross-parents", help="Keep new units inside districts."),
]
AlternativesOption = Annotated[int | None, typer.Option(help="Return N different good plans.")]
MinChangedOption = Annotated[
    int | None, typer.Option("--min-changed", help="Units in which alternatives differ.")
]
NoGpkgOption = Annotated[bool, typer.Option("--no-gpkg", help="Skip plan.gpkg.")]
LogOption = Annotated[bool, typer.Option("--log", help="Print the CP-SAT search log to stderr.")]
QuietOption = Annotated[bool, typer.Option("--quiet", help="No progress lines.")]
SaveOption = Annotated[
    str | None, typer.Option("--save", help="Also store the run as a named scenario in the workspace.")
]
WorkspaceOption = Annotated[Path, typer.Option("--workspace", help="Workspace GeoPackage for --save.")]
AuthorOption = Annotated[str, typer.Option("--author", help="Author stored with --save.")]
ReplaceOption = Annotated[
    bool, typer.Option("--replace", help="With --save: replace a scenario of that name.")
]
AttributesOption = Annotated[
    Path | None,
    typer.Option("--attributes", help="CSV/XLSX attributes joined by code (override or add columns)."),
]
CrossProvincesOption = Annotated[
    bool,
    typer.Option("--cross-provinces", help="Allow a new unit to span two provinces (never by default)."),
]
NoExceptionsOption = Annotated[
    bool,
    typer.Option(
        "--no-exceptions",
        help="NQ 76/2025 Art. 5(3): refuse a new unit of fewer than 3 "
        "members below the size orientation instead of listing it as an exception.",
    ),
]


def _apply_data(
    data: dict[str, Any],
    *,
    dataset: str | None,
    units_file: Path | None,
    province: str | None,
    data_options: dict[str, Any] | None,
    level: str | None,
) -> None:
    """Write the ``[data]`` flags into the scenario table ``data`` (flags win)."""
    if dataset is not None or units_file is not None:
        data.pop("dataset", None)
        data.pop("units_file", None)
        if dataset is not None:
            data["dataset"] = dataset
        if units_file is not None:
            data["units_file"] = str(units_file.resolve())
    if province is not None:
        data["province"] = province
    data.update(data_options or {})
    if level is not None:
        data["level"] = level


def _apply_rules(
    rules_t: dict[str, Any], *, rules: str | None, min_population: int | None, min_area: float | None
) -> None:
    """Write the ``[rules]`` flags into the scenario table ``rules_t`` (flags win)."""
    if rules is not None:
        rules_t.pop("name", None)
        rules_t.pop("file", None)
        if rules.endswith(".toml") or Path(rules).is_file():
            rules_t["file"] = str(Path(rules).resolve())
        else:
            rules_t["name"] = rules
    if min_population is not None:
        rules_t["min_population"] = min_population
    if min_area is not None:
        rules_t["min_area_km2"] = float(min_area)


def _apply_plan(
    plan_t: dict[str, Any],
    *,
    mode: str | None,
    target: str | None,
    stay_within_parent: bool | None,
    alternatives: int | None,
    min_changed: int | None,
) -> None:
    """Write the ``[plan]`` flags into the scenario table ``plan_t`` (flags win)."""
    if mode is not None:
        plan_t["mode"] = mode
        if mode != "target-count":
            plan_t.pop("target", None)
    if target is not None:
        plan_t["target"] = _parse_target(target)
    if stay_within_parent is not None:
        plan_t["stay_within_parent"] = stay_within_parent
    if alternatives is not None:
        plan_t["alternatives"] = alternatives
    if min_changed is not None:
        plan_t["alternatives_min_changed"] = min_changed


def _missing_input(scenario: Path | None, data: dict[str, Any], rules_t: dict[str, Any]) -> list[str]:
    """List what is missing without a scenario file; fill the dataset's default ruleset in ``rules_t``."""
    problems = []
    if scenario is None and not data:
        problems.append("give a SCENARIO.toml or --dataset NAME (or --units FILE)")
    if scenario is None and not rules_t.get("name") and not rules_t.get("file"):
        from sapxep.geodata.datasets import DATASETS
        from sapxep.units.rules import default_ruleset_for

        info = DATASETS.get(str(data.get("dataset", "")))
        if info is not None and info.state_date:
            # the ruleset in force for the dataset's state (never a repealed one)
            rules_t["name"] = default_ruleset_for(info.state_date)
        else:
            problems.append("give a SCENARIO.toml or --rules NAME (e.g. nq76_2025, nq112_2026)")
    return problems


def build_config(
    scenario: Path | None,
    *,
    dataset: str | None,
    units_file: Path | None,
    province: str | None,
    rules: str | None,
    mode: str | None,
    target: str | None,
    time_limit: float | None,
    seed: int | None,
    workers: int | None,
    min_population: int | None,
    min_area: float | None,
    max_distance: int | None,
    stay_within_parent: bool | None,
    alternatives: int | None,
    min_changed: int | None,
    deterministic_time: float | None = None,
    data_options: dict[str, Any] | None = None,
    level: str | None = None,
) -> ScenarioConfig:
    """Merge a scenario file (optional) with command-line flags (flags win).

    Raises
    ------
    ScenarioError
        Missing data/rules, or any invalid value (all listed).
    """
    doc: dict[str, Any] = {}
    base_dir: str | Path = "."
    if scenario is not None:
        cfg = load_scenario(scenario)
        doc = scenario_to_dict(cfg)
        base_dir = cfg.base_dir
    data = doc.setdefault("data", {})
    _apply_data(data, dataset=dataset, units_file=units_file, province=province,
                data_options=data_options, level=level)  # fmt: skip
    rules_t = doc.setdefault("rules", {})
    _apply_rules(rules_t, rules=rules, min_population=min_population, min_area=min_area)
    _apply_plan(doc.setdefault("plan", {}), mode=mode, target=target,
                stay_within_parent=stay_within_parent, alternatives=alternatives,
                min_changed=min_changed)  # fmt: skip
    solver_t = doc.setdefault("solver", {})
    for key, val in (("time_limit_s", time_limit), ("seed", seed), ("num_workers", workers),
                     ("max_graph_distance", max_distance),
                     ("deterministic_time_s", deterministic_time)):  # fmt: skip
        if val is not None:
            solver_t[key] = val
    problems = _missing_input(scenario, data, rules_t)
    if problems:
        raise ScenarioError("sapxep plan: missing input", problems)
    return scenario_from_dict(doc, base_dir=base_dir)


def _with_plan_flags(cfg: ScenarioConfig, *, cross_provinces: bool, no_exceptions: bool) -> ScenarioConfig:
    """Apply ``--cross-provinces`` and ``--no-exceptions`` to a built scenario."""
    if cross_provinces:
        cfg = dataclasses.replace(cfg, plan=dataclasses.replace(cfg.plan, cross_provinces=True))
    if no_exceptions:
        hard = {**dict(cfg.rules.overrides), "allow_exceptions": False}
        cfg = dataclasses.replace(cfg, rules=dataclasses.replace(cfg.rules, overrides=hard))
    return cfg


def _check_outputs(
    cfg: ScenarioConfig, out: Path, *, scenario: Path | None, save: str | None, replace: bool, workspace: Path
) -> None:
    """Refuse an output folder over an input, and a ``--save`` name taken without ``--replace``."""
    d = cfg.data
    inputs = [cfg.resolve(p) for p in (d.units_file, d.attributes) if p]
    check_output_path(out, inputs=[scenario, *inputs], workspace=workspace if save else None,
                      folder_ok=True)  # fmt: skip
    if save and not replace and workspace.exists():
        from sapxep.scenarios.workspace.store import Workspace

        if Workspace(workspace).exists(save):
            raise WorkspaceError(
                f"a scenario called '{save}' already exists in {workspace}: choose another --save name, "
                "or add --replace"
            )


def plan(
    out: OutOption,
    scenario: ScenarioArgument = None,
    dataset: DatasetOption = None,
    units_file: UnitsFileOption = None,
    province: ProvinceOption = None,
    level: LevelOption = None,
    rules: RulesOption = None,
    mode: ModeOption = None,
    target: TargetOption = None,
    time_limit: TimeLimitOption = None,
    deterministic_time: DeterministicTimeOption = None,
    seed: SeedOption = None,
    workers: WorkersOption = None,
    min_population: MinPopulationOption = None,
    min_area: MinAreaOption = None,
    max_distance: MaxDistanceOption = None,
    stay_within_parent: StayWithinParentOption = None,
    alternatives: AlternativesOption = None,
    min_changed: MinChangedOption = None,
    no_gpkg: NoGpkgOption = False,
    log: LogOption = False,
    quiet: QuietOption = False,
    save: SaveOption = None,
    workspace: WorkspaceOption = Path("sapxep.gpkg"),
    author: AuthorOption = "",
    replace: ReplaceOption = False,
    attributes: AttributesOption = None,
    layer: LayerOption = None,
    crs: CrsOption = None,
    columns: ColumnsOption = None,
    header_row: HeaderRowOption = None,
    overlap_tol: OverlapTolOption = None,
    gap_tol: GapTolOption = None,
    skip_topology_check: SkipTopologyOption = False,
    island_policy: IslandPolicyOption = None,
    cross_provinces: CrossProvincesOption = False,
    no_exceptions: NoExceptionsOption = False,
    lang: LangOption = "vi",
) -> None:
    """Plan mergers for one scenario and write plan.csv, metrics.json, plan.gpkg, scenario.toml."""
    from sapxep.scenarios.cli.plan_summary import print_result, progress_printer
    from sapxep.scenarios.messages import tr
    from sapxep.scenarios.run.outputs import write_run
    from sapxep.scenarios.run.prepare import solver_settings_for
    from sapxep.scenarios.run.scenario import run_scenario

    check_lang(lang)
    opts = read_options(
        layer=layer, crs=crs, columns=columns, attributes=attributes, header_row=header_row,
        overlap_tol=overlap_tol, gap_tol=gap_tol, skip_topology_check=skip_topology_check,
        island_policy=island_policy,
    )  # fmt: skip
    cfg = build_config(
        scenario, dataset=dataset, units_file=units_file, province=province, rules=rules,
        mode=mode, target=target, time_limit=time_limit, seed=seed, workers=workers,
        min_population=min_population, min_area=min_area, max_distance=max_distance,
        stay_within_parent=stay_within_parent, alternatives=alternatives,
        min_changed=min_changed, deterministic_time=deterministic_time,
        data_options=data_table_options(opts), level=level,
    )  # fmt: skip
    cfg = _with_plan_flags(cfg, cross_provinces=cross_provinces, no_exceptions=no_exceptions)
    _check_outputs(cfg, out, scenario=scenario, save=save, replace=replace, workspace=workspace)
    settings = None
    if log:
        settings = solver_settings_for(cfg, log_callback=lambda line: typer.echo(line, err=True))
    result = run_scenario(cfg, on_progress=progress_printer(quiet, lang), settings=settings, lang=lang)  # type: ignore[arg-type]
    written = write_run(result, out, gpkg=not no_gpkg)
    print_result(result, cfg, lang)
    typer.echo(tr("cli_wrote", lang, files=", ".join(sorted(written)), out=out))
    if save:
        from sapxep.scenarios.workspace.runs import save_run

        info = save_run(
            workspace, save, result, author=author, description=cfg.title,
            if_exists="replace" if replace else "error",
        )  # fmt: skip
        typer.echo(tr("cli_saved", lang, name=info.name, workspace=workspace))


def plan_national(
    rules: Annotated[str, typer.Option(help="Ruleset name or TOML file.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")],
    dataset: Annotated[str, typer.Option(help="Nationwide dataset.")] = "vietnam_2019",
    provinces: Annotated[
        str | None, typer.Option(help="Comma-separated province codes or names (default: all).")
    ] = None,
    mode: Annotated[str, typer.Option(help="max-units | repair.")] = "max-units",
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds per province.")] = 30.0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    jobs: Annotated[int | None, typer.Option(help="Provinces solved in parallel (default: cores).")] = None,
    min_population: Annotated[int | None, typer.Option("--min-population")] = None,
    min_area: Annotated[float | None, typer.Option("--min-area")] = None,
    max_distance: Annotated[int, typer.Option("--max-distance")] = 3,
    stay_within_parent: Annotated[bool, typer.Option("--stay-within-parent/--cross-parents")] = True,
    no_gpkg: Annotated[bool, typer.Option("--no-gpkg", help="Skip plan.gpkg per province.")] = False,
) -> None:
    """Plan every province of the nationwide file independently, in parallel."""
    from sapxep.scenarios.run.national import plan_national as run_national

    doc: dict[str, Any] = {
        "data": {"dataset": dataset},
        "rules": {"file": str(Path(rules).resolve())} if rules.endswith(".toml")
        else {"name": rules},
        "plan": {"mode": mode, "stay_within_parent": stay_within_parent},
        "solver": {"time_limit_s": time_limit, "seed": seed, "num_workers": 1,
                   "max_graph_distance": max_distance},
    }  # fmt: skip
    if min_population is not None:
        doc["rules"]["min_population"] = min_population
    if min_area is not None:
        doc["rules"]["min_area_km2"] = float(min_area)
    cfg = scenario_from_dict(doc)
    wanted = [p.strip() for p in provinces.split(",") if p.strip()] if provinces else None
    with typer.progressbar(length=1, label="provinces", file=sys.stderr) as bar:

        def tick(ev: dict[str, Any]) -> None:
            bar.length = ev["total"]
            if ev["event"] == "province":
                bar.label = f"{ev['province'][:24]:24}"
                bar.update(1)

        summary = run_national(cfg, out, provinces=wanted, jobs=jobs, gpkg=not no_gpkg,
                               on_progress=tick)  # fmt: skip
    ok = sum(1 for r in summary if r["status"] in ("OPTIMAL", "FEASIBLE"))
    before = sum(int(r.get("n_before") or 0) for r in summary)
    after = sum(int(r.get("n_after") or 0) for r in summary)
    typer.echo(f"{ok}/{len(summary)} provinces planned: {before} → {after} units; "
               f"summary in {out / 'national_summary.csv'}")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("plan")(plan)
    app.command("plan-national")(plan_national)
