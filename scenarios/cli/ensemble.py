"""CLI commands ``ensemble`` (many distinct plans) and ``sweep`` (a parameter grid), on Dask."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sapxep.scenarios.config import ScenarioConfig
from sapxep.scenarios.csvfile import write_csv

SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Address of an existing Dask scheduler (default: [engine] scheduler of the scenario, "
        "else a local cluster).",
    ),
]
LocalWorkersOpt = Annotated[
    int | None,
    typer.Option("--local-workers", help="Worker processes of the local cluster (default: cores / K)."),
]
WorkersPerTaskOpt = Annotated[
    int, typer.Option("--workers-per-task", help="CP-SAT workers per task, K (1 = reproducible).")
]
TimeLimitOpt = Annotated[float | None, typer.Option("--time-limit", help="Wall-clock seconds per task.")]
DetTimeOpt = Annotated[
    float | None,
    typer.Option("--deterministic-time", help="CP-SAT deterministic-time budget per task."),
]


def _with_time(config: ScenarioConfig, time_limit: float | None, det_time: float | None) -> ScenarioConfig:
    changes: dict[str, Any] = {}
    if time_limit is not None:
        changes["time_limit_s"] = time_limit
    if det_time is not None:
        changes["deterministic_time_s"] = det_time
    return config.with_changes(solver=changes) if changes else config


def _bar(label: str) -> Any:
    return typer.progressbar(length=1, label=label, file=sys.stderr)


def ensemble(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    n: Annotated[int, typer.Option("--n", help="Distinct valid plans wanted.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (rerun to resume).")],
    scheduler: SchedulerOpt = None,
    workers_per_task: WorkersPerTaskOpt = 1,
    local_workers: LocalWorkersOpt = None,
    time_limit: TimeLimitOpt = None,
    deterministic_time: DetTimeOpt = None,
    min_changed: Annotated[
        int | None, typer.Option("--min-changed", help="Units in which plans of later rounds differ.")
    ] = None,
    round_size: Annotated[int, typer.Option("--round-size", help="Tasks per round.")] = 10,
    perturbation: Annotated[
        float, typer.Option("--perturbation", help="Spread of the random factors on objective weights.")
    ] = 0.3,
) -> None:
    """Find N distinct valid plans of a scenario (seeds, perturbed weights), as Dask tasks."""
    from sapxep.scenarios.analysis.ensemble import (
        co_assignment,
        metric_distributions,
        read_ensemble,
        stability,
    )
    from sapxep.scenarios.config import load_scenario
    from sapxep.scenarios.run.engine import dask_client, scheduler_address
    from sapxep.scenarios.run.ensemble import run_ensemble

    cfg = _with_time(load_scenario(scenario), time_limit, deterministic_time)
    address = scheduler_address(cfg, scheduler)
    with dask_client(address, n_workers=local_workers, workers_per_task=workers_per_task) as client, \
            _bar("plans") as bar:  # fmt: skip

        def tick(ev: dict[str, Any]) -> None:
            bar.length = ev["total"]
            new = ev["plans"] - bar.pos
            if new > 0:
                bar.update(new)

        res = run_ensemble(
            cfg, out, n=n, client=client, round_size=round_size, min_changed=min_changed,
            workers_per_task=workers_per_task, perturbation=perturbation, on_progress=tick,
        )  # fmt: skip
    ens = read_ensemble(out)
    pairs = co_assignment(ens)
    stab = stability(ens)
    write_csv(out / "co_assignment.csv", pairs)
    write_csv(out / "stability.csv", stab)
    dist = metric_distributions(ens)
    write_csv(out / "metric_distributions.csv", dist, index=True)
    typer.echo(
        f"{len(res.plans)}/{n} distinct valid plans ({res.n_run} tasks solved, {res.n_reused} reused, "
        f"{res.n_failed} without a new valid plan) in {out}"
    )
    always = int((pairs["frequency"] >= 1.0).sum())
    open_pairs = int(((pairs["frequency"] > 0.2) & (pairs["frequency"] < 0.8)).sum())
    typer.echo(
        f"adjacent pairs: {len(pairs)}; always together: {always}; open (20-80% of plans): {open_pairs}; "
        f"median commune stability {stab['stability'].median():.2f}"
    )
    typer.echo(pairs.head(10).to_string(index=False))
    typer.echo("")
    typer.echo(dist[["min", "p5", "p50", "p95", "max"]].to_string(float_format=lambda v: f"{v:,.1f}"))
    if len(res.plans) < n:
        typer.echo(f"warning: only {len(res.plans)} distinct valid plans found; see {out / 'tasks.parquet'}",
                   err=True)  # fmt: skip


def sweep(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    grid: Annotated[
        str, typer.Option("--grid", help='Parameters, e.g. "min_population=12000,16000; target=60:70".')
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder (rerun to resume).")],
    province: Annotated[
        str | None, typer.Option("--province", help="Comma-separated province codes or names.")
    ] = None,
    all_provinces: Annotated[
        bool, typer.Option("--all-provinces", help="Every province of the (nationwide) dataset.")
    ] = False,
    scheduler: SchedulerOpt = None,
    workers_per_task: WorkersPerTaskOpt = 1,
    local_workers: LocalWorkersOpt = None,
    time_limit: TimeLimitOpt = None,
    deterministic_time: DetTimeOpt = None,
) -> None:
    """Solve the cross product of parameters (and provinces) as Dask tasks; write a results table."""
    from sapxep.scenarios.config import load_scenario
    from sapxep.scenarios.run.engine import dask_client, scheduler_address
    from sapxep.scenarios.run.sweep import run_sweep

    cfg = _with_time(load_scenario(scenario), time_limit, deterministic_time)
    wanted = [p.strip() for p in province.split(",") if p.strip()] if province else None
    address = scheduler_address(cfg, scheduler)
    with dask_client(address, n_workers=local_workers, workers_per_task=workers_per_task) as client, \
            _bar("tasks") as bar:  # fmt: skip

        def tick(ev: dict[str, Any]) -> None:
            bar.length = ev["total"]
            bar.update(1)

        res = run_sweep(
            cfg, out, grid=grid, client=client, provinces=wanted, all_provinces=all_provinces,
            workers_per_task=workers_per_task, on_progress=tick,
        )  # fmt: skip
    t = res.table
    shown = [c for c in t.columns if c not in ("message", "task_time_s", "must_arrange_total")]
    typer.echo(t[shown].to_string(index=False))
    ok = int((t["outcome"] == "plan").sum())
    typer.echo(f"{ok}/{len(t)} tasks with a valid plan ({res.n_run} solved, {res.n_reused} reused); "
               f"table in {out / 'sweep.csv'}")  # fmt: skip


def echo_saved_reports(workspace: Any, names: list[str], folder: Path, *, lang: str = "vi") -> None:
    """Print, for each saved scenario, its percentiles in an ensemble and its rare groupings."""
    from sapxep.scenarios.analysis.ensemble import ensemble_report, read_ensemble
    from sapxep.scenarios.messages import format_number, metric_label, tr

    ens = read_ensemble(folder)
    for name in names:
        rep = ensemble_report(ens, workspace.plan(name), name=name)
        typer.echo("")
        typer.echo(tr("ens_title", lang, name=name, n=rep.n_plans))
        t = rep.percentiles.copy()
        t.index = [metric_label(str(k), lang) for k in t.index]
        t.columns = [tr(f"ens_{c}" if c != "value" else "ens_value", lang) for c in t.columns]
        typer.echo(t.to_string(float_format=lambda v: format_number(v, 1, lang)))
        rare = rep.groups[rep.groups["rare"]]
        typer.echo(f"{tr('ens_rare', lang)}: {len(rare)}/{len(rep.groups)} "
                   f"({', '.join(rare['new_unit'].head(10))})")  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("ensemble")(ensemble)
    app.command("sweep")(sweep)
