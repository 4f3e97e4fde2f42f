"""What an ensemble of plans tells: co-assignment, stability, metric ranges, percentiles.

Read an ensemble folder (:func:`read_ensemble`, written by
:func:`sapxep.scenarios.run.ensemble.run_ensemble`), then:

* :func:`co_assignment`: for each pair of adjacent communes, the share of plans in which
  they end in the same new unit;
* :func:`stability`: per commune, the share of plans in which it gets its most frequent
  set of fellow members (1 = always the same grouping);
* :func:`ensemble_metrics` / :func:`metric_distributions`: the comparison metrics of
  :func:`sapxep.scenarios.analysis.metrics.plan_metrics` for every plan, and their spread;
* :func:`percentile_report`: where one plan (a saved scenario, a real decision) falls among
  them, and :func:`rare_groupings`: which of its new units are rare in the ensemble.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from sapxep.scenarios.config import ScenarioConfig, scenario_from_dict
from sapxep.units.errors import ScenarioError
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)

#: Metrics of the percentile report (those that do not need dissolved geometry or staffing).
REPORT_KEYS: tuple[str, ...] = (
    "n_after", "n_merged", "n_unchanged", "n_fail_any", "must_arrange_unresolved",
    "area_km2_min", "area_km2_median", "area_km2_max", "population_min", "population_median",
    "population_max", "seat_distance_km_max", "seat_distance_km_mean", "n_cross_parent",
)  # fmt: skip


@dataclass(frozen=True)
class Ensemble:
    """An ensemble read from its folder.

    Attributes
    ----------
    folder : Path
    assignments : DataFrame
        ``plan, code, new_unit, seat_code``.
    metrics : DataFrame
        One row per plan (``metrics.parquet``).
    config : ScenarioConfig
        The scenario the ensemble was drawn from.
    cache : dict
        Loaded units and graph (filled on first use).
    """

    folder: Path
    assignments: pd.DataFrame
    metrics: pd.DataFrame
    config: ScenarioConfig
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def plans(self) -> list[int]:
        """Plan numbers."""
        return sorted(int(p) for p in self.assignments["plan"].unique())

    def wide(self) -> pd.DataFrame:
        """New unit of every commune (rows, ``code``) in every plan (columns)."""
        return self.assignments.pivot(index="code", columns="plan", values="new_unit")

    def prepared(self) -> Any:
        """Units, graph and ruleset of the scenario (loaded once)."""
        if "prep" not in self.cache:
            from sapxep.scenarios.run.prepare import prepare_scenario

            self.cache["prep"] = prepare_scenario(self.config)
        return self.cache["prep"]


def read_ensemble(folder: str | Path) -> Ensemble:
    """Read ``assignments.parquet``, ``metrics.parquet`` and ``manifest.json`` of a folder.

    Raises
    ------
    ScenarioError
        The folder is not an ensemble (missing files), naming what is missing.
    """
    f = Path(folder)
    missing = [n for n in ("assignments.parquet", "metrics.parquet", "manifest.json") if not (f / n).exists()]
    if missing:
        raise ScenarioError(
            f"{f} is not an ensemble folder",
            [f"missing {', '.join(missing)}: run `sapxep ensemble SCENARIO.toml --n N --out {f}` first"],
        )
    manifest = json.loads((f / "manifest.json").read_text(encoding="utf-8"))
    assignments = pd.read_parquet(f / "assignments.parquet")
    for col in ("code", "new_unit", "seat_code"):
        assignments[col] = assignments[col].astype(str)
    config = scenario_from_dict(manifest["scenario"], base_dir=manifest.get("base_dir", "."))
    return Ensemble(f, assignments, pd.read_parquet(f / "metrics.parquet"), config)


def co_assignment(ens: Ensemble, graph: nx.Graph | None = None) -> pd.DataFrame:
    """Share of plans in which each pair of adjacent communes is in the same new unit.

    Parameters
    ----------
    ens : Ensemble
    graph : networkx.Graph, optional
        Adjacency (default: the scenario's graph).

    Returns
    -------
    DataFrame
        ``code_a, name_a, code_b, name_b, frequency, n_plans``, most uncertain pairs
        (frequency nearest 0.5) first.
    """
    graph = graph if graph is not None else ens.prepared().graph
    wide = ens.wide()
    pos = {c: i for i, c in enumerate(wide.index)}
    vals = wide.to_numpy()
    rows = []
    for a, b in graph.edges:
        a, b = str(a), str(b)
        if a not in pos or b not in pos:
            continue
        a, b = sorted((a, b))
        freq = float(np.mean(vals[pos[a]] == vals[pos[b]]))
        rows.append((a, graph.nodes[a].get("name", a), b, graph.nodes[b].get("name", b), freq))
    out = pd.DataFrame(rows, columns=["code_a", "name_a", "code_b", "name_b", "frequency"])
    out["n_plans"] = vals.shape[1]
    order = (out["frequency"] - 0.5).abs().sort_values(kind="stable").index
    return out.loc[order].reset_index(drop=True)


def _member_keys(assignments: pd.DataFrame) -> pd.Series:
    """For every (plan, code) row, the sorted member list of its new unit as text."""
    members = assignments.groupby(["plan", "new_unit"])["code"].transform(lambda s: ";".join(sorted(s)))
    return members


def _names(ens: Ensemble, graph: nx.Graph | None) -> dict[str, str]:
    if graph is not None:
        return {str(c): str(d.get("name", c)) for c, d in graph.nodes(data=True)}
    units = ens.prepared().units
    return dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))


def stability(ens: Ensemble, graph: nx.Graph | None = None) -> pd.DataFrame:
    """How stable each commune's grouping is across the plans.

    Parameters
    ----------
    ens : Ensemble
    graph : networkx.Graph, optional
        For the communes' names (default: the scenario's units).

    Returns
    -------
    DataFrame
        ``code, name, stability`` (share of plans with its most frequent member set),
        ``n_groupings`` (distinct member sets), ``modal_members`` (that set, ";"-joined),
        ``alone_share`` (share of plans in which it stays unmerged); least stable first.
    """
    a = ens.assignments.copy()
    a["members"] = _member_keys(a)
    n = a["plan"].nunique()
    counts = a.groupby(["code", "members"]).size().rename("k").reset_index()
    counts = counts.sort_values(["code", "k", "members"], ascending=[True, False, True])
    top = counts.drop_duplicates("code").set_index("code")
    out = pd.DataFrame({
        "stability": top["k"] / n,
        "n_groupings": counts.groupby("code").size(),
        "modal_members": top["members"],
    })  # fmt: skip
    alone = a[a["members"] == a["code"]].groupby("code").size()
    out["alone_share"] = (alone.reindex(out.index).fillna(0) / n).astype(float)
    names = _names(ens, graph)
    out.insert(0, "name", [names.get(c, c) for c in out.index])
    out.index.name = "code"
    return out.reset_index().sort_values(["stability", "code"], kind="stable").reset_index(drop=True)


def plan_of(assignments: pd.DataFrame, plan: int) -> MergePlan:
    """One plan of the ensemble as a :class:`MergePlan`."""
    rows = assignments[assignments["plan"] == plan]
    seats = dict(zip(rows["new_unit"], rows["seat_code"], strict=True))
    return MergePlan(pd.Series(rows["new_unit"].to_numpy(), index=rows["code"].to_numpy()), seats)


def ensemble_metrics(ens: Ensemble) -> pd.DataFrame:
    """:func:`~sapxep.scenarios.analysis.metrics.plan_metrics` of every plan (rows) on :data:`REPORT_KEYS`."""
    if "metrics" in ens.cache:
        return ens.cache["metrics"]
    from sapxep.scenarios.analysis.metrics import plan_metrics

    prep = ens.prepared()
    rows = {}
    for p in ens.plans:
        m = plan_metrics(prep.units, plan_of(ens.assignments, p), ruleset=prep.ruleset, graph=prep.graph)
        rows[p] = {k: m.get(k) for k in REPORT_KEYS}
    out = pd.DataFrame.from_dict(rows, orient="index").astype(float)
    out.index.name = "plan"
    ens.cache["metrics"] = out
    return out


def metric_distributions(ens: Ensemble) -> pd.DataFrame:
    """Spread of each metric over the ensemble: ``count, mean, std, min, p5, p25, p50, p75, p95, max``."""
    m = ensemble_metrics(ens)
    q = m.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).T
    q.columns = ["p5", "p25", "p50", "p75", "p95"]
    out = pd.concat([m.count().rename("count"), m.mean().rename("mean"), m.std().rename("std"),
                     m.min().rename("min"), q, m.max().rename("max")], axis=1)  # fmt: skip
    out.index.name = "metric"
    return out


def percentile_report(ens: Ensemble, plan: MergePlan) -> pd.DataFrame:
    """Where a plan falls in the ensemble's metric distributions.

    The percentile of a value ``v`` is ``100 * (#{x < v} + #{x == v} / 2) / n`` over the
    ensemble's plans (mid-rank, so a value equal to every plan's is at 50).

    Parameters
    ----------
    ens : Ensemble
    plan : MergePlan
        A plan of the same communes (e.g. ``Workspace.plan(name)``).

    Returns
    -------
    DataFrame
        Index ``metric``; ``value, p5, p50, p95, percentile``.

    Raises
    ------
    ScenarioError
        The plan's communes are not the ensemble's.
    """
    from sapxep.scenarios.analysis.metrics import plan_metrics

    _check_same_units(ens, plan)
    prep = ens.prepared()
    mine = plan_metrics(prep.units, plan, ruleset=prep.ruleset, graph=prep.graph)
    m = ensemble_metrics(ens)
    rows = []
    for k in REPORT_KEYS:
        x = m[k].dropna().to_numpy()
        v = mine.get(k)
        if v is None or not len(x):
            continue
        pct = 100.0 * (np.sum(x < v) + np.sum(x == v) / 2.0) / len(x)
        rows.append((k, float(v), *np.quantile(x, [0.05, 0.5, 0.95]), round(float(pct), 1)))
    out = pd.DataFrame(rows, columns=["metric", "value", "p5", "p50", "p95", "percentile"])
    return out.set_index("metric")


def _check_same_units(ens: Ensemble, plan: MergePlan) -> None:
    mine = set(map(str, plan.assignment.index))
    theirs = set(ens.assignments["code"])
    if mine != theirs:
        raise ScenarioError(
            "the plan and the ensemble cover different communes",
            [f"{len(mine - theirs)} communes only in the plan, {len(theirs - mine)} only in the "
             "ensemble: compare a scenario of the same dataset and province"],
        )  # fmt: skip


def rare_groupings(ens: Ensemble, plan: MergePlan, *, threshold: float = 0.1) -> pd.DataFrame:
    """How often each new unit of a plan occurs (same members) in the ensemble.

    Parameters
    ----------
    ens : Ensemble
    plan : MergePlan
    threshold : float
        A new unit found in fewer than this share of the plans is ``rare``.

    Returns
    -------
    DataFrame
        ``new_unit, members, n_members, frequency, weakest_pair`` (lowest co-assignment
        frequency of two adjacent members), ``rare``; rarest first.

    Raises
    ------
    ScenarioError
        The plan's communes are not the ensemble's.
    """
    _check_same_units(ens, plan)
    a = ens.assignments.copy()
    a["members"] = _member_keys(a)
    n = a["plan"].nunique()
    freq = a.drop_duplicates(["plan", "members"])["members"].value_counts() / n
    pairs = co_assignment(ens)
    pf = {(r.code_a, r.code_b): r.frequency for r in pairs.itertuples(index=False)}
    rows = []
    assignment = plan.assignment.astype(str)
    for g, members in assignment.groupby(assignment).groups.items():
        ms = sorted(map(str, members))
        key = ";".join(ms)
        inner = [pf[(x, y)] for i, x in enumerate(ms) for y in ms[i + 1 :] if (x, y) in pf]
        rows.append((str(g), key, len(ms), float(freq.get(key, 0.0)), min(inner) if inner else None))
    out = pd.DataFrame(rows, columns=["new_unit", "members", "n_members", "frequency", "weakest_pair"])
    out["rare"] = out["frequency"] < threshold
    return out.sort_values(["frequency", "new_unit"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class EnsembleReport:
    """Everything the exports and the app show about one plan against an ensemble.

    Attributes
    ----------
    name : str
        The plan's (scenario's) name.
    n_plans : int
    percentiles : DataFrame
        :func:`percentile_report`.
    groups : DataFrame
        :func:`rare_groupings`.
    pairs : DataFrame
        :func:`co_assignment`.
    stability : DataFrame
        :func:`stability`.
    units : GeoDataFrame
        The scenario's units (for maps).
    plan : MergePlan
    """

    name: str
    n_plans: int
    percentiles: pd.DataFrame
    groups: pd.DataFrame
    pairs: pd.DataFrame
    stability: pd.DataFrame
    units: Any
    plan: MergePlan


def ensemble_report(ens: Ensemble, plan: MergePlan, *, name: str, threshold: float = 0.1) -> EnsembleReport:
    """Percentiles, rare groupings, co-assignment and stability of a plan against an ensemble.

    Raises
    ------
    ScenarioError
        The plan's communes are not the ensemble's.
    """
    return EnsembleReport(
        name=name, n_plans=len(ens.plans), percentiles=percentile_report(ens, plan),
        groups=rare_groupings(ens, plan, threshold=threshold), pairs=co_assignment(ens),
        stability=stability(ens), units=ens.prepared().units, plan=plan,
    )  # fmt: skip


def saved_scenario_report(workspace: Any, name: str, folder: str | Path) -> EnsembleReport:
    """:func:`ensemble_report` of a scenario saved in a workspace against an ensemble folder.

    Raises
    ------
    ScenarioError
        Not an ensemble folder, or the scenario covers other communes.
    WorkspaceError
        No such scenario.
    """
    ens = read_ensemble(folder)
    return ensemble_report(ens, workspace.plan(name), name=name)
