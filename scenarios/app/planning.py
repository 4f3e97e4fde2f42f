"""The plan page's work: its settings as a scenario config, the run, and the results of a plan."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from sapxep.units.plan import MergePlan


def plan_config(
    *,
    dataset: str,
    ruleset: str,
    mode: str = "max-units",
    target: int | tuple[int, int] | None = None,
    compactness: float = 0.0,
    balance: float = 0.0,
    parents: float = 0.0,
    time_limit_s: float = 10.0,
    locks: Iterable[str] = (),
    forced_pairs: Iterable[tuple[str, str]] = (),
    stay_within_parent: bool = True,
    num_workers: int = 2,
    title: str = "",
) -> Any:
    """Return the :class:`sapxep.scenarios.config.ScenarioConfig` of the plan page's choices.

    The config is validated like a scenario file (every problem raised at once).

    Raises
    ------
    ScenarioError
        With every problem of the choices.
    """
    from sapxep.scenarios.config import scenario_from_dict
    from sapxep.scenarios.dataset_views import view_data

    d: dict[str, Any] = {
        "title": title or f"{dataset} / {ruleset} / {mode}",
        "data": view_data(dataset) if not dataset.startswith("upload:") else {},
        "rules": {"name": ruleset},
        "plan": {
            "mode": mode,
            "stay_within_parent": bool(stay_within_parent),
            "locks": sorted({str(c) for c in locks}),
            "forced_pairs": [list(p) for p in forced_pairs],
        },
        "objective": {"compactness": compactness, "balance": balance, "parents": parents},
        "solver": {"time_limit_s": float(time_limit_s), "num_workers": int(num_workers)},
    }
    if mode == "target-count" and target is not None:
        d["plan"]["target"] = list(target) if isinstance(target, tuple) else int(target)
    if dataset.startswith("upload:"):
        d["data"] = {"units_file": dataset.removeprefix("upload:")}
    return scenario_from_dict(d)


def run_plan(
    config: Any,
    units: Any,
    graph: nx.Graph,
    ruleset: Any,
    *,
    on_progress: Any = None,
    should_stop: Callable[[], bool] | None = None,
) -> Any:
    """Run the optimizer on the given (possibly edited) units (see ``run_scenario``).

    Parameters
    ----------
    on_progress : callable, optional
        Receives the progress dicts.
    should_stop : callable, optional
        Thread-safe cancellation (e.g. ``threading.Event().is_set``): once true the search
        stops and the best plan so far is returned with ``metrics["cancelled"] is True``.

    Returns
    -------
    scenarios.run.scenario.RunResult

    Raises
    ------
    SolverError
        Among others: cancelled before any plan was found.
    """
    from sapxep.scenarios.run.prepare import prepare_scenario
    from sapxep.scenarios.run.scenario import run_scenario

    report = counting_solutions(on_progress) if on_progress is not None else None
    if report is not None:
        report({"event": "stage", "stage": "load"})
    prep = prepare_scenario(config, units=units, graph=graph, ruleset=ruleset)
    return run_scenario(config, on_progress=report, prepared=prep, should_stop=should_stop)


def counting_solutions(on_progress: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """Wrap a progress callback so every event also carries ``n_solutions`` (plans found so far)."""
    count = [0]

    def report(event: dict[str, Any]) -> None:
        if event.get("event") == "solution":
            count[0] += 1
        on_progress({**event, "n_solutions": count[0]})

    return report


def progress_fraction(event: Mapping[str, Any] | None, elapsed_s: float, time_limit_s: float) -> float:
    """Return a 0..1 progress estimate from the latest progress event and the time spent."""
    if not event:
        return 0.02
    stage = event.get("stage")
    if event.get("event") == "done" or stage in ("check", "dissolve"):
        return 0.97
    frac = 0.05 + 0.9 * min(1.0, elapsed_s / max(time_limit_s, 0.1))
    return float(min(0.95, frac))


def plan_key(plan: MergePlan) -> str:
    """Return a short hash identifying a plan's grouping and seats (a cache key)."""
    import hashlib

    return hashlib.sha1(plan.to_frame().to_csv(index=False).encode()).hexdigest()[:16]


def dissolve(units: Any, plan: MergePlan) -> Any:
    """Return the dissolved new units of a plan (:func:`sapxep.geodata.dissolve.dissolve_plan`)."""
    from sapxep.geodata.dissolve import dissolve_plan

    return dissolve_plan(units, plan)


def comparison_metrics(
    units: Any,
    plan: MergePlan,
    ruleset: Any,
    graph: nx.Graph,
    new_units: Any,
    *,
    assessment: Any = None,
    table: Any = None,
) -> dict[str, Any]:
    """Return the comparison metrics of a plan (the keys of
    :func:`sapxep.scenarios.analysis.metrics.plan_metrics`), reusing what the page already has.

    Parameters
    ----------
    assessment : DataFrame, optional
        The units' assessment against ``ruleset`` (for the must-arrange counts).
    table : DataFrame, optional
        :func:`~sapxep.scenarios.analysis.metrics.new_unit_table` of the plan.
    """
    from sapxep.scenarios.analysis.metrics import STAFFING_KEYS, measure_plan

    m = measure_plan(
        units, plan, ruleset=ruleset, graph=graph, new_units=new_units, assessment=assessment, table=table
    ).comparison()
    for k in STAFFING_KEYS:
        m.setdefault(k, None)
    return m
