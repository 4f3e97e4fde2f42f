"""CLI command ``sapxep staffing``: staff of the new units, surplus, retirements, redeployment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

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


def staffing(
    plan_dir: Annotated[
        Path, typer.Argument(help="Folder with plan.csv and scenario.toml (metrics.json optional).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")],
    roster: Annotated[
        Path | None,
        typer.Option("--roster", help="Staff roster CSV/XLSX; default: a synthetic, estimated one."),
    ] = None,
    structure: Annotated[
        str | None,
        typer.Option("--structure", help="Organisation of the new units: 2023 (NĐ 33) or 2025 (NĐ 150)."),
    ] = None,
    default_class: Annotated[
        str | None,
        typer.Option("--default-class", help="Class (I/II/III) of units without commune_class [II]."),
    ] = None,
    new_class: Annotated[
        str | None,
        typer.Option("--new-class", help="Class of a new unit: max (highest of members), min, I, II, III."),
    ] = None,
    years: Annotated[
        int | None, typer.Option("--years", help="Transition period in years [5, NQ 35/2023].")
    ] = None,
    start_year: Annotated[
        int | None, typer.Option("--start-year", help="First year of the projection [2025].")
    ] = None,
    max_km: Annotated[
        float | None,
        typer.Option("--max-km", help="Longest redeployment move between seats, km [25]."),
    ] = None,
    any_title: Annotated[
        bool, typer.Option("--any-title", help="Allow redeployment onto another title.")
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the synthetic roster [0].")] = None,
    vacancy_rate: Annotated[
        float,
        typer.Option("--vacancy-rate", help="Synthetic roster: share of vacant posts [0 = full quota]."),
    ] = 0.0,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="2025 size NAME=VALUE (total_staff, ubnd_vice_chairs, …); repeatable."),
    ] = None,
    charts: Annotated[
        int, typer.Option("--charts", help="Org charts to draw (largest new units first).")
    ] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json.")] = False,
) -> None:
    """Pool the staff of each new unit, compare with its quota, project retirements, redeploy."""
    from sapxep.scenarios.run.staffing import run_staffing

    if structure is not None and structure not in ("2023", "2025"):
        raise ScenarioError("sapxep staffing: bad options", [f"--structure {structure}: use 2023 or 2025"])
    result = run_staffing(
        plan_dir,
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
    )
    s = result.summary
    if as_json:
        typer.echo(json.dumps(s, ensure_ascii=False, indent=2, default=str))
        return
    if s["estimated_roster"]:
        typer.echo(f"*** {s['estimated_label']} ***")
    h = s["horizon_years"]
    typer.echo(
        f"{s['n_units']} đơn vị → {s['n_new_units']} đơn vị mới (mô hình {s['structure']})\n"
        f"cán bộ trước sắp xếp: {s['staff_before']}; định mức sau: {s['quota_after']}; "
        f"giữ lại: {s['staff_kept']} (không đánh giá định mức: {s['not_assessed']}); "
        f"dôi dư: {s['surplus_now']}; thiếu: {s['deficit_now']}\n"
        f"dôi dư sau {h} năm (chỉ nghỉ hưu): {s['surplus_year5']}; "
        f"điều động: {s['redeployed']} (≤ {s['max_distance_km']:g} km); "
        f"dôi dư sau {h} năm nếu điều động: {s['surplus_year5_after_redeployment']}"
    )
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
