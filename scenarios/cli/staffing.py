"""CLI command ``sapxep staffing``: staff of the new units, surplus, retirements, redeployment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from sapxep.scenarios.jsonfile import json_text
from sapxep.units.errors import ScenarioError


def _parse_params(values: list[str] | None) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    problems = []
    for v in values or []:
        key, sep, val = v.partition("=")
        if not sep:
            problems.append(f"--param {v!r}: write NAME=VALUE, e.g. total_staff=35")
            continue
        if val.strip().lower() in ("none", ""):
            out[key.strip()] = None
            continue
        try:
            out[key.strip()] = int(val)
        except ValueError:
            problems.append(f"--param {v!r}: the value must be a whole number or 'none'")
    allowed = {"total_staff", "ubnd_vice_chairs", "hdnd_vice_chairs", "deputies_per_department",
               "part_time_quota"}  # fmt: skip
    unknown = sorted(set(out) - allowed)
    if unknown:
        problems.append(f"unknown --param {', '.join(unknown)}: use {', '.join(sorted(allowed))}")
    if problems:
        raise ScenarioError("sapxep staffing: bad --param", problems)
    return out


def _parse_costs(values: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    problems = []
    for v in values or []:
        key, sep, val = v.partition("=")
        try:
            if not sep:
                raise ValueError
            out[key.strip()] = float(val.replace("_", ""))
        except ValueError:
            problems.append(f"--cost {v!r}: write NAME=NUMBER, e.g. seat_relocation_vnd=2000000000")
    if problems:
        raise ScenarioError("sapxep staffing: bad --cost", problems)
    return out


def _vnd(x: float | None) -> str:
    """Format VND in billions (tỷ đồng) with a Vietnamese decimal comma."""
    if x is None:
        return "—"
    return f"{x / 1e9:,.2f} tỷ đồng".replace(",", " ").replace(".", ",")


def _print_costs(s: dict) -> None:
    typer.echo(
        "chi phí và tiết kiệm (đồng):\n"
        f"  người phải nghỉ trước {s['deadline_year']}: {s['leavers']} "
        f"(nghỉ hưu trước tuổi {s['early_retirements']}, thôi việc {s['resignations']})\n"
        f"  chính sách nghỉ (NĐ 178/2024, sửa đổi bởi NĐ 67/2025): {_vnd(s['cost_packages_vnd'])}\n"
        f"  giữ lương, phụ cấp chức vụ 6 tháng (NQ 76/2025 Điều 11 khoản 4): "
        f"{_vnd(s['cost_salary_retention_vnd'])}\n"
        f"  chuyển trụ sở (tham số người dùng): {_vnd(s['cost_relocation_vnd'])}\n"
        f"  tổng chi một lần: {_vnd(s['cost_one_off_vnd'])}; trung ương hỗ trợ (NQ 76/2025 Điều 15 "
        f"khoản 2): {_vnd(s['central_support_vnd'])}; còn phải chi: {_vnd(s['net_one_off_vnd'])}\n"
        f"  tiết kiệm lương mỗi năm khi đạt định mức ({s['posts_cut']} biên chế): "
        f"{_vnd(s['savings_per_year_vnd'])}; hoàn vốn sau: "
        + (f"{s['payback_years']:g} năm".replace(".", ",") if s["payback_years"] is not None else "—")
    )
    if s["cost_parameters_flagged"]:
        typer.echo("  hệ số giả định hoặc do người dùng nhập (xem cost_parameters.csv):")
        for line in s["cost_parameters_flagged"]:
            typer.echo(f"    · {line}")


def _source(
    plan_dir: Path | None, *, scenario: str | None, save: str | None, workspace: Path, replace: bool
) -> tuple[Any, str | None]:
    """Return what to analyse (a plan folder or a saved scenario's units and plan) and its ruleset."""
    problems = []
    if (plan_dir is None) == (scenario is None):
        problems.append(
            "give one of: a plan folder (PLAN_DIR), --scenario NAME, --dataset NAME (units as they are)"
        )
    if scenario and save:
        problems.append(
            "--save stores a plan folder; with --scenario the results are attached to that scenario"
        )
    if scenario and not workspace.exists():
        problems.append(f"--workspace {workspace} does not exist: give the file that holds '{scenario}'")
    if problems:
        raise ScenarioError("sapxep staffing: bad options", problems)
    from sapxep.scenarios.workspace.store import Workspace

    if save and not replace and workspace.exists() and Workspace(workspace).exists(save):
        raise ScenarioError(
            "sapxep staffing: bad options",
            [f"a scenario called '{save}' already exists in {workspace}: choose another --save name, "
             "or add --replace"],
        )  # fmt: skip
    if scenario is None:
        return plan_dir, None
    ws = Workspace(workspace)
    if not ws.exists(scenario):
        names = ", ".join(i.name for i in ws.list()) or "none"
        raise ScenarioError(
            f"sapxep staffing: no scenario '{scenario}' in {workspace}", [f"saved scenarios: {names}"]
        )
    info = ws.info(scenario)
    return (ws.units(info.dataset), ws.plan(scenario)), (str(info.ruleset or "") or None)


def _store(
    result: Any,
    plan_dir: Path | None,
    *,
    scenario: str | None,
    save: str | None,
    workspace: Path,
    replace: bool,
) -> str:
    """Attach the results to ``--scenario`` or store ``PLAN_DIR`` as ``--save``; return a message."""
    from sapxep.scenarios.workspace.staffing_tables import staffing_tables

    if scenario:
        from sapxep.scenarios.workspace.store import Workspace

        Workspace(workspace).set_tables(scenario, staffing_tables(result))
        return f"đã lưu kết quả cán bộ vào phương án '{scenario}' ({workspace})"
    if save and plan_dir is not None:
        from sapxep.scenarios.workspace.runs import save_run

        info = save_run(
            workspace, save, plan_dir, staffing=result, if_exists="replace" if replace else "error"
        )
        return f"đã lưu phương án '{info.name}' kèm kết quả cán bộ vào {workspace}"
    return ""


PlanDirArg = Annotated[
    Path | None,
    typer.Argument(help="Folder with plan.csv and scenario.toml (or --scenario NAME, or --dataset NAME)."),
]
OutOpt = Annotated[Path, typer.Option("--out", help="Output folder.")]
DatasetOpt = Annotated[
    str | None,
    typer.Option("--dataset", help="Bundled dataset analysed as it is (no merger), e.g. phu_tho_2025."),
]
ProvinceOpt = Annotated[
    str | None, typer.Option("--province", help="With --dataset: one province (code or name).")
]
RulesOpt = Annotated[
    str | None, typer.Option("--rules", help="With --dataset: ruleset the units are under [nq112_2026].")
]
RosterOpt = Annotated[
    Path | None, typer.Option("--roster", help="Staff roster CSV/XLSX; default: a synthetic, estimated one.")
]
StructureOpt = Annotated[
    str | None,
    typer.Option(
        "--structure",
        help="Organisation of the new units: 2023 (NĐ 33) or 2025 (NĐ 150) [by the plan's ruleset].",
    ),
]
DefaultClassOpt = Annotated[
    str | None, typer.Option("--default-class", help="Class (I/II/III) of units without commune_class [II].")
]
NewClassOpt = Annotated[
    str | None,
    typer.Option("--new-class", help="Class of a new unit: max (highest of members), min, I, II, III."),
]
YearsOpt = Annotated[
    int | None, typer.Option("--years", help="Deadline to reach the norm, years [5, NQ 76/2025 Art. 11(3)].")
]
StartYearOpt = Annotated[
    int | None, typer.Option("--start-year", help="First year of the projection [2025].")
]
MaxKmOpt = Annotated[
    float | None, typer.Option("--max-km", help="Longest redeployment move between seats, km [25].")
]
AnyTitleOpt = Annotated[bool, typer.Option("--any-title", help="Allow redeployment onto another title.")]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Seed of the synthetic roster [0].")]
VacancyOpt = Annotated[
    float, typer.Option("--vacancy-rate", help="Synthetic roster: share of vacant posts [0 = full quota].")
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option("--param", help="2025 size NAME=VALUE (total_staff, ubnd_vice_chairs, …); repeatable."),
]
ChartsOpt = Annotated[int, typer.Option("--charts", help="Org charts to draw (largest new units first).")]
CostOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--cost", help="Cost coefficient NAME=VALUE (seat_relocation_vnd, provinces_reduced, …); repeatable."
    ),
]
NoCapOpt = Annotated[bool, typer.Option("--no-cap", help="Do not apply the NQ 76/2025 Art. 11(2) staff cap.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print summary.json.")]
ScenarioOpt = Annotated[
    str | None,
    typer.Option("--scenario", help="Run on a saved scenario of --workspace; attach the results to it."),
]
SaveOpt = Annotated[
    str | None,
    typer.Option("--save", help="Store PLAN_DIR as a named scenario in --workspace, with these results."),
]
WorkspaceOpt = Annotated[
    Path, typer.Option("--workspace", help="Workspace GeoPackage for --scenario / --save.")
]
ReplaceOpt = Annotated[bool, typer.Option("--replace", help="With --save: replace a scenario of that name.")]


def staffing(
    plan_dir: PlanDirArg = None,
    out: OutOpt = Path("staffing"),
    dataset: DatasetOpt = None,
    province: ProvinceOpt = None,
    rules: RulesOpt = None,
    roster: RosterOpt = None,
    structure: StructureOpt = None,
    default_class: DefaultClassOpt = None,
    new_class: NewClassOpt = None,
    years: YearsOpt = None,
    start_year: StartYearOpt = None,
    max_km: MaxKmOpt = None,
    any_title: AnyTitleOpt = False,
    seed: SeedOpt = None,
    vacancy_rate: VacancyOpt = 0.0,
    param: ParamOpt = None,
    charts: ChartsOpt = 3,
    cost: CostOpt = None,
    no_cap: NoCapOpt = False,
    as_json: JsonOpt = False,
    scenario: ScenarioOpt = None,
    save: SaveOpt = None,
    workspace: WorkspaceOpt = Path("sapxep.gpkg"),
    replace: ReplaceOpt = False,
) -> None:
    """Pool the staff of each new unit, compare with its quota, project retirements, redeploy."""
    from sapxep.scenarios.run.staffing import run_staffing

    _check_options(
        structure=structure, dataset=dataset, plan_dir=plan_dir, scenario=scenario, save=save,
        province=province, rules=rules,
    )  # fmt: skip
    source: Any
    ruleset: str | None
    if dataset is not None:
        source, ruleset = _dataset_source(dataset, province=province, rules=rules)
    else:
        source, ruleset = _source(
            plan_dir, scenario=scenario, save=save, workspace=workspace, replace=replace
        )
    result = run_staffing(
        source,
        plan_ruleset=ruleset,
        roster=roster,
        structure=structure,
        out_dir=out,
        default_class=default_class,
        new_class=new_class,
        horizon_years=years,
        start_year=start_year,
        max_distance_km=max_km,
        match_titles=False if any_title else None,
        seed=seed,
        vacancy_rate=vacancy_rate,
        params_2025=_parse_params(param),
        charts=charts,
        staff_cap=False if no_cap else None,
        cost_overrides=_parse_costs(cost),
    )
    s = result.summary
    stored = _store(result, plan_dir, scenario=scenario, save=save, workspace=workspace, replace=replace)
    if as_json:
        typer.echo(json_text(s))
        return
    _print_summary(s, dataset=dataset, out=out)
    if stored:
        typer.echo(stored)


def _check_options(
    *,
    structure: str | None,
    dataset: str | None,
    plan_dir: Path | None,
    scenario: str | None,
    save: str | None,
    province: str | None,
    rules: str | None,
) -> None:
    """Raise one :class:`ScenarioError` listing every option that does not fit the others."""
    problems = []
    if structure is not None and structure not in ("2023", "2025"):
        problems.append(f"--structure {structure}: use 2023 or 2025")
    if dataset is not None and (plan_dir is not None or scenario is not None or save):
        problems.append(
            "--dataset analyses units as they are: give it without PLAN_DIR, --scenario or --save"
        )
    if dataset is None and (province is not None or rules is not None):
        problems.append("--province and --rules go with --dataset (a plan carries its own)")
    if problems:
        raise ScenarioError("sapxep staffing: bad options", problems)


def _dataset_source(dataset: str, *, province: str | None, rules: str | None) -> tuple[Any, str]:
    """A bundled dataset as it is (every unit its own new unit) and its ruleset [nq112_2026]."""
    from sapxep.geodata.io import load_dataset
    from sapxep.units.plan import current_state_plan

    units = load_dataset(dataset, province=province)
    return (units, current_state_plan(units["code"])), (rules or "nq112_2026")


def _print_summary(s: dict[str, Any], *, dataset: str | None, out: Path) -> None:
    """Print the run's summary in Vietnamese: staff by coverage, quota, surplus, costs, notes."""
    if s["estimated_roster"]:
        typer.echo(f"*** {s['estimated_label']} ***")
    if dataset is not None:
        typer.echo(
            f"Hiện trạng {dataset} (không sắp xếp): mỗi đơn vị được xét như một đơn vị mới, "
            "trụ sở tại chính nó."
        )
    h = s["horizon_years"]
    typer.echo(
        f"{s['n_units']} đơn vị → {s['n_new_units']} đơn vị mới (mô hình {s['structure']}: "
        f"{s['structure_reason']})\n"
        f"cán bộ trước sắp xếp: {s['staff_before']} = {s['covered_staff']} trong định mức + "
        f"{s['not_covered_staff']} ngoài định mức"
    )
    for c in s["coverage"]:
        mark = "trong định mức" if c["covered"] else f"ngoài định mức: {c['reason']}"
        typer.echo(f"  · {c['group']}: {c['staff']} ({mark})")
    cap = f"; trần {s['staff_cap_article']}: không tăng người ở đơn vị mới" if s["staff_cap"] else ""
    typer.echo(
        f"định mức sau: {s['quota_after']}; giữ lại: {s['staff_kept']}; "
        f"dôi dư hiện tại: {s['surplus_now']}; thiếu: {s['deficit_now']}{cap}\n"
        f"dôi dư sau {h} năm (hạn {s['deadline_year']}, chỉ nghỉ hưu): {s['surplus_year5']}; "
        f"điều động: {s['redeployed']} (≤ {s['max_distance_km']:g} km); "
        f"phải giải quyết trước hạn: {s['departures_needed']}"
    )
    _print_costs(s)
    for n in s["notes"]:
        typer.echo(f"- {n}")
    typer.echo(f"kết quả: {out}")


def staffing_titles() -> None:
    """List the position/title codes a staff roster may use, with category and label."""
    from sapxep.units.staffing.templates import CATEGORY_LABELS_VI, title_vocabulary

    for code, t in title_vocabulary().items():
        typer.echo(f"{code:28} {t.category:16} {t.label_vi} ({CATEGORY_LABELS_VI[t.category]})")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("staffing")(staffing)
    app.command("staffing-titles")(staffing_titles)
