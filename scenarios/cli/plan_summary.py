"""What ``sapxep plan`` prints, in Vietnamese or English (``--lang``): progress, the result, notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from sapxep.scenarios.messages import format_number, tr

if TYPE_CHECKING:
    from sapxep.scenarios.config import ScenarioConfig
    from sapxep.scenarios.run.scenario import RunResult


def progress_printer(quiet: bool, lang: str = "vi") -> Any:
    """Return an ``on_progress`` callback printing each stage and new plan on stderr.

    In English the solver's own figures are printed; in Vietnamese the same progress in words
    (plans found, how far from the optimum at most), as the app shows it.
    """
    from sapxep.scenarios.app.progress import progress_words

    merged: dict[str, Any] = {}

    def show(ev: dict[str, Any]) -> None:
        if quiet:
            return
        kind = ev.get("event")
        if lang == "vi":
            if kind == "solution":
                merged["n_solutions"] = int(merged.get("n_solutions") or 0) + 1
            merged.update({k: v for k, v in ev.items() if k != "n_solutions"})
            if kind in ("stage", "greedy", "solution"):
                secs = format_number(float(ev.get("time_s", 0.0)), 1, "vi")
                suffix = f" ({secs} giây)" if kind != "stage" else ""
                typer.echo(f"  {progress_words(merged, 'vi')}{suffix}", err=True)
            return
        if kind == "stage":
            typer.echo(f"[{ev['stage']}]", err=True)
        elif kind == "greedy":
            typer.echo(
                f"  warm start: {ev['n_units']} new units (valid={ev['valid']}) at {ev['time_s']:.1f}s",
                err=True,
            )
        elif kind == "solution":
            typer.echo(
                f"  {ev['phase']}: objective {ev['objective']:g} (bound {ev['best_bound']:g}) "
                f"at {ev['time_s']:.1f}s", err=True,
            )  # fmt: skip

    return show


def _status_word(status: str, lang: str) -> str:
    key = f"cli_status_{status}"
    word = tr(key, lang)
    return status if word == key else word


def print_result(result: RunResult, cfg: ScenarioConfig, lang: str = "vi") -> None:
    """Print the run's summary line, check violations, notes and Art. 5(3) exceptions."""
    from sapxep.scenarios.run.assess import read_note_lines

    m = result.metrics
    level = m.get("level", "commune")
    typer.echo(
        tr(
            "cli_plan_summary",
            lang,
            status=_status_word(str(m["status"]), lang),
            n_before=m["n_before"],
            n_after=m["n_after"],
            units=tr(f"cli_units_{level}", lang),
            gap=format_number(100 * float(m["gap"]), 1, lang),
            merged=m["must_arrange_merged"],
            total=m["must_arrange_total"],
            failing=m["n_new_units_failing"],
            secs=format_number(float(m["solve_time_s"]), 1, lang),
        )
    )
    for v in result.check.violations:
        typer.echo(tr("cli_plan_check", lang, message=v.message), err=True)
    if not cfg.plan.stay_within_parent and not cfg.plan.cross_provinces:
        from sapxep.scenarios.run.prepare import province_count

        if province_count(result.units) > 1:
            typer.echo(tr("cli_note", lang, note=tr("cli_plan_within_provinces", lang)))
    for line in read_note_lines(m.get("data_notes", []), lang):  # type: ignore[arg-type]
        typer.echo(line)
    for item in m.get("topology_tolerated", []):  # in Vietnamese where it has the wording
        typer.echo(tr("cli_tolerated", lang, item=(getattr(item, "vi", "") if lang == "vi" else "") or item))
    if m.get("ruleset_repealed"):
        typer.echo(tr("cli_note", lang, note=f"{m['ruleset']}: {m['ruleset_repealed']}"))
    for v in getattr(result.check, "exceptions", []):
        typer.echo(tr("cli_plan_exception", lang, message=v.message))
