"""Side-by-side comparison of 2–6 saved scenarios.

* :func:`compare_scenarios` — one metrics table (rows = metrics of
  :data:`sapxep.scenarios.analysis.metrics.METRIC_KEYS`, columns = scenarios), pairwise similarity and
  the number of original units grouped differently.
* :func:`pairwise_diff` — which original units change new unit between two scenarios.
* :func:`adjusted_rand_index`, :func:`variation_of_information` — partition similarity,
  implemented here on the contingency table (no scikit-learn).

"Changes new unit" is defined independently of new-unit ids (which are arbitrary labels):
an original unit is *unchanged* when the set of units it is grouped with is the same in
both scenarios.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sapxep.scenarios.analysis.metrics import METRIC_KEYS, STAFFING_KEYS, plan_metrics
from sapxep.scenarios.messages import label, metric_label
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.errors import WorkspaceError
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)

MIN_SCENARIOS = 2
MAX_SCENARIOS = 6


def _contingency(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Contingency table n_ij of two labelings of the same items (aligned on the index)."""
    if not a.index.sort_values().equals(b.index.sort_values()):
        raise ValueError("the two groupings do not cover the same units")
    b = b.reindex(a.index)
    _, ia = np.unique(a.astype(str).to_numpy(), return_inverse=True)
    _, ib = np.unique(b.astype(str).to_numpy(), return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1), dtype=np.int64)
    np.add.at(table, (ia, ib), 1)
    return table


def _comb2(x: np.ndarray) -> float:
    x = x.astype(float)
    return float((x * (x - 1) / 2).sum())


def adjusted_rand_index(a: pd.Series, b: pd.Series) -> float:
    """Adjusted Rand index of two groupings (Hubert & Arabie 1985).

    ``ARI = (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E)`` with
    ``E = Σ C(a_i,2) Σ C(b_j,2) / C(n,2)``, where ``n_ij`` is the contingency table and
    ``a_i``/``b_j`` its row/column sums.

    Parameters
    ----------
    a, b : pandas.Series
        Unit code -> group label, over the same codes.

    Returns
    -------
    float
        1 for identical partitions, about 0 for independent ones (may be negative); 1 when
        both partitions are trivial in the same way (all singletons or one group).
    """
    table = _contingency(a, b)
    n = int(table.sum())
    sum_ij = _comb2(table)
    sum_a = _comb2(table.sum(axis=1))
    sum_b = _comb2(table.sum(axis=0))
    total = n * (n - 1) / 2
    if total == 0:
        return 1.0
    expected = sum_a * sum_b / total
    max_index = (sum_a + sum_b) / 2
    if max_index == expected:
        return 1.0
    return float((sum_ij - expected) / (max_index - expected))


def variation_of_information(a: pd.Series, b: pd.Series, *, base: float = 2.0) -> float:
    """Variation of information ``VI = H(A) + H(B) − 2 I(A;B)`` (Meilă 2007).

    Parameters
    ----------
    a, b : pandas.Series
        Unit code -> group label, over the same codes.
    base : float, default 2
        Logarithm base (2 = bits).

    Returns
    -------
    float
        0 for identical partitions; at most ``log(n)``.
    """
    table = _contingency(a, b).astype(float)
    n = table.sum()
    p = table / n
    pa = p.sum(axis=1)
    pb = p.sum(axis=0)
    nz = p > 0
    h_a = -float((pa[pa > 0] * np.log(pa[pa > 0])).sum())
    h_b = -float((pb[pb > 0] * np.log(pb[pb > 0])).sum())
    outer = np.outer(pa, pb)
    mi = float((p[nz] * np.log(p[nz] / outer[nz])).sum())
    vi = max(h_a + h_b - 2 * mi, 0.0)
    return vi / math.log(base)


def _member_sets(plan: MergePlan) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for members in plan.groups.values():
        fs = frozenset(members)
        for c in members:
            out[c] = fs
    return out


def changed_units(a: MergePlan, b: MergePlan) -> list[str]:
    """Return the original codes grouped with a different set of units in ``b`` than in ``a``.

    Raises
    ------
    WorkspaceError
        If the plans do not cover the same units (different datasets).
    """
    sa, sb = _member_sets(a), _member_sets(b)
    if set(sa) != set(sb):
        raise WorkspaceError("the two scenarios do not group the same units (different datasets?)")
    return sorted(c for c in sa if sa[c] != sb[c])


def pairwise_diff(
    a: MergePlan,
    b: MergePlan,
    *,
    units: pd.DataFrame | None = None,
    labels: tuple[str, str] = ("A", "B"),
) -> pd.DataFrame:
    """Tabulate the original units that change new unit between two plans.

    Parameters
    ----------
    a, b : MergePlan
        Plans over the same units.
    units : DataFrame, optional
        Units table, for names.
    labels : (str, str)
        Column suffixes for the two plans (e.g. the scenario names).

    Returns
    -------
    pandas.DataFrame
        One row per changed unit, index ``code``: ``name``, ``new_unit_<A>``,
        ``new_name_<A>``, ``members_<A>``, the same for ``<B>``, ``joined`` (units it is
        grouped with in B but not in A) and ``left`` (the reverse), codes ";"-joined.
    """
    sa, sb = _member_sets(a), _member_sets(b)
    codes = changed_units(a, b)
    names = (
        dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
        if units is not None
        else {}
    )
    la, lb = labels

    def new_name(plan: MergePlan, g: str) -> str:
        return plan.names.get(g) or names.get(plan.seats.get(g, ""), "") or g

    rows = []
    for c in codes:
        ga, gb = str(a.assignment[c]), str(b.assignment[c])
        rows.append(
            {
                "code": c,
                "name": names.get(c, ""),
                f"new_unit_{la}": ga,
                f"new_name_{la}": new_name(a, ga),
                f"members_{la}": ";".join(sorted(sa[c])),
                f"new_unit_{lb}": gb,
                f"new_name_{lb}": new_name(b, gb),
                f"members_{lb}": ";".join(sorted(sb[c])),
                "joined": ";".join(sorted(sb[c] - sa[c])),
                "left": ";".join(sorted(sa[c] - sb[c])),
            }
        )
    cols = ["code", "name", f"new_unit_{la}", f"new_name_{la}", f"members_{la}",
            f"new_unit_{lb}", f"new_name_{lb}", f"members_{lb}", "joined", "left"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols).set_index("code", drop=False)


@dataclass(frozen=True)
class Comparison:
    """Result of :func:`compare_scenarios`.

    Attributes
    ----------
    names : tuple of str
        Scenario names, in the order asked.
    metrics : pandas.DataFrame
        Index: ``ruleset`` (the ruleset each scenario was measured with), then the metric
        keys (:data:`METRIC_KEYS`); columns: scenario names.
    pairs : pandas.DataFrame
        One row per pair: ``a, b, same_units, n_changed, ari, vi_bits``.
    diffs : dict of (str, str) to DataFrame
        :func:`pairwise_diff` per pair of scenarios on the same dataset.
    datasets : dict of str to str
        Scenario -> dataset.
    """

    names: tuple[str, ...]
    metrics: pd.DataFrame
    pairs: pd.DataFrame
    diffs: dict[tuple[str, str], pd.DataFrame]
    datasets: dict[str, str]

    def metrics_table(self, lang: str = "vi") -> pd.DataFrame:
        """Return the metrics table with translated row labels (index = label)."""
        out = self.metrics.copy()
        out.index = [metric_label(k, lang) for k in out.index]
        out.index.name = label("metric", lang)
        return out


def _staffing_summary(tables: dict[str, pd.DataFrame]) -> dict[str, Any] | None:
    for key in ("staffing_summary", "staffing"):
        if key in tables:
            df = tables[key]
            if {"key", "value"} <= set(df.columns):
                return dict(zip(df["key"], df["value"], strict=True))
            if len(df) == 1:
                return df.iloc[0].to_dict()
            return {k: df[k].sum() for k in STAFFING_KEYS if k in df}
    return None


def scenario_metrics(
    workspace: Workspace, name: str, *, ruleset: str | None = None, recompute: bool = True
) -> dict[str, Any]:
    """Return the comparison metrics of a saved scenario.

    Parameters
    ----------
    workspace : Workspace
    name : str
        Scenario name.
    ruleset : str, optional
        Ruleset for the criteria metrics; default the scenario's own ruleset (or the one
        in its saved metrics).
    recompute : bool, default True
        Recompute from the stored units, plan and new units (so every scenario is measured
        the same way); saved metrics fill keys that cannot be recomputed (e.g. staffing).

    Returns
    -------
    dict
    """
    sc = workspace.load(name)
    saved = dict(sc.metrics)
    if not recompute:
        return saved
    rs = ruleset or sc.info.ruleset or saved.get("ruleset") or None
    units = workspace.units(sc.info.dataset)
    m = plan_metrics(
        units, sc.plan, ruleset=rs, new_units=sc.new_units,
        staffing=_staffing_summary(sc.tables),
    )  # fmt: skip
    for k, v in saved.items():
        if m.get(k) is None and v is not None:
            m[k] = v
    return m


def compare_scenarios(
    workspace: Workspace | str | Path,
    names: list[str] | tuple[str, ...],
    *,
    ruleset: str | None = None,
) -> Comparison:
    """Compare 2–6 saved scenarios.

    Parameters
    ----------
    workspace : Workspace or path
    names : sequence of str
        Scenario names (2 to 6, distinct).
    ruleset : str, optional
        Measure every scenario against this ruleset (default: each its own; a scenario
        saved without one uses the first ruleset among the compared scenarios).

    Returns
    -------
    Comparison

    Raises
    ------
    WorkspaceError
        If fewer than 2 or more than 6 names, duplicates, or unknown names are given.
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    names = [str(n) for n in names]
    problems = []
    if not MIN_SCENARIOS <= len(names) <= MAX_SCENARIOS:
        problems.append(f"compare {MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios, not {len(names)}")
    if len(set(names)) != len(names):
        problems.append("a scenario is named twice")
    known = set(ws.names())
    unknown = [n for n in names if n not in known]
    if unknown:
        problems.append(
            f"unknown scenarios: {', '.join(unknown)} (saved: {', '.join(sorted(known)) or 'none'})"
        )
    if problems:
        raise WorkspaceError("cannot compare: " + "; ".join(problems))
    infos = {n: ws.info(n) for n in names}
    plans = {n: ws.plan(n) for n in names}
    # scenarios saved without a ruleset are measured with the first ruleset among the others
    fallback = ruleset or next((i.ruleset for i in infos.values() if i.ruleset), None)
    metrics = {n: scenario_metrics(ws, n, ruleset=ruleset or infos[n].ruleset or fallback) for n in names}
    keys = ["ruleset", *METRIC_KEYS]
    table = pd.DataFrame(
        {n: [metrics[n].get(k) for k in keys] for n in names},
        index=keys,
        dtype=object,
    )
    table.index.name = "metric"
    units_cache: dict[str, pd.DataFrame] = {}
    pair_rows = []
    diffs: dict[tuple[str, str], pd.DataFrame] = {}
    for a, b in combinations(names, 2):
        same = infos[a].dataset == infos[b].dataset
        row: dict[str, Any] = {"a": a, "b": b, "same_units": same,
                               "n_changed": None, "ari": None, "vi_bits": None}  # fmt: skip
        if same:
            ds = infos[a].dataset
            if ds not in units_cache:
                units_cache[ds] = ws.units(ds)
            diff = pairwise_diff(plans[a], plans[b], units=units_cache[ds], labels=(a, b))
            diffs[(a, b)] = diff
            row["n_changed"] = len(diff)
            row["ari"] = adjusted_rand_index(plans[a].assignment, plans[b].assignment)
            row["vi_bits"] = variation_of_information(plans[a].assignment, plans[b].assignment)
        pair_rows.append(row)
    pairs = pd.DataFrame(pair_rows, columns=["a", "b", "same_units", "n_changed", "ari", "vi_bits"])
    logger.info("compared %d scenarios", len(names))
    return Comparison(
        names=tuple(names),
        metrics=table,
        pairs=pairs,
        diffs=diffs,
        datasets={n: infos[n].dataset for n in names},
    )


def similarity_matrix(comparison: Comparison, measure: str = "ari") -> pd.DataFrame:
    """Return the square matrix of ``ari`` or ``vi_bits`` between the compared scenarios."""
    names = list(comparison.names)
    diag = 1.0 if measure == "ari" else 0.0
    m = pd.DataFrame(np.nan, index=names, columns=names, dtype=float)
    for n in names:
        if n in m.index:
            m.loc[n, n] = diag
    for r in comparison.pairs.itertuples():
        v = getattr(r, measure)
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            m.loc[r.a, r.b] = m.loc[r.b, r.a] = float(v)
    return m
