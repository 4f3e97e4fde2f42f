"""Map categories and colours: compliance classes, new-unit palette, units that differ."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import networkx as nx
import pandas as pd

#: Map categories of the compliance map, in legend order.
COMPLIANCE_CATEGORIES: Final[tuple[str, ...]] = ("meets", "short", "must", "exempt")
COMPLIANCE_COLOURS: Final[dict[str, str]] = {
    "meets": "#2e7d32",
    "short": "#f9a825",
    "must": "#c62828",
    "exempt": "#78909c",
}

#: A qualitative palette for new units (neighbouring new units get different colours).
GROUP_PALETTE: Final[tuple[str, ...]] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def compliance_category(assessment: pd.DataFrame) -> pd.Series:
    """Return each unit's compliance map category.

    Parameters
    ----------
    assessment : pandas.DataFrame
        The output of :func:`sapxep.units.assessment.assess_units` (columns ``meets_standard``,
        ``must_arrange``, ``exempt``).

    Returns
    -------
    pandas.Series
        Same index, values in :data:`COMPLIANCE_CATEGORIES`: ``must`` (must be arranged and
        not exempt), ``exempt`` (a special factor or an earlier arrangement exempts it),
        ``meets`` (meets the standard), ``short`` (falls short, not required to merge).
    """

    def flag(col: str) -> pd.Series:
        if col not in assessment.columns:
            return pd.Series(False, index=assessment.index)
        return assessment[col].fillna(False).astype(bool)

    must, exempt, meets = flag("must_arrange"), flag("exempt"), flag("meets_standard")
    out = pd.Series("short", index=assessment.index, dtype=object, name="category")
    out[meets] = "meets"
    out[exempt] = "exempt"
    out[must & ~exempt] = "must"
    return out


def group_colours(
    assignment: pd.Series, graph: nx.Graph | None = None, previous: Mapping[str, int] | None = None
) -> pd.Series:
    """Return a palette index per original unit so that neighbouring new units differ.

    Parameters
    ----------
    assignment : pandas.Series
        Original code -> new-unit id.
    graph : networkx.Graph, optional
        Adjacency of the original units; without it new units get colours in id order.
    previous : mapping, optional
        New-unit id -> colour of the plan shown before (e.g. before a manual edit): new units
        that still exist keep their colour when no neighbour took it, so an edit recolours only
        what changed.

    Returns
    -------
    pandas.Series
        Original code -> integer in ``range(len(GROUP_PALETTE))``.
    """
    a = assignment.astype(str)
    groups = sorted(set(a))
    n = len(GROUP_PALETTE)
    if graph is None:
        return a.map({g: i % n for i, g in enumerate(groups)}).astype(int)
    quotient = nx.Graph()
    quotient.add_nodes_from(groups)
    of = a.to_dict()
    for u, v in graph.edges():
        gu, gv = of.get(str(u)), of.get(str(v))
        if gu is not None and gv is not None and gu != gv:
            quotient.add_edge(gu, gv)
    if not previous:
        raw = nx.greedy_color(quotient, strategy="largest_first")
        return a.map({g: c % n for g, c in raw.items()}).astype(int)
    colour: dict[str, int] = {}
    for g in groups:  # keep old colours where no already-kept neighbour has the same
        c = previous.get(g)
        if c is not None and all(colour.get(h) != c for h in quotient.neighbors(g)):
            colour[g] = int(c) % n
    for g in sorted((g for g in groups if g not in colour), key=quotient.degree, reverse=True):
        taken = {colour[h] for h in quotient.neighbors(g) if h in colour}
        colour[g] = next((c for c in range(n) if c not in taken), len(colour) % n)
    return a.map(colour).astype(int)


def colours_by_group(assignment: pd.Series, colours: pd.Series) -> dict[str, int]:
    """Return new-unit id -> colour of :func:`group_colours`' result (to pass as ``previous``)."""
    return {str(g): int(c) for g, c in zip(assignment.astype(str), colours, strict=True)}


def differing_units(assignments: Iterable[pd.Series]) -> pd.Index:
    """Return the codes whose co-members differ between plans.

    A unit "differs" when the set of original units it is grouped with is not the same in every
    plan (renaming the new units does not count).

    Parameters
    ----------
    assignments : iterable of pandas.Series
        Original code -> new-unit id, one per plan (on the same original units).

    Returns
    -------
    pandas.Index
        Sorted codes.
    """
    member_sets: list[dict[str, frozenset[str]]] = []
    for a in assignments:
        a = a.astype(str)
        groups: dict[str, set[str]] = {}
        for code, g in a.items():
            groups.setdefault(g, set()).add(str(code))
        member_sets.append({str(c): frozenset(groups[g]) for c, g in a.items()})
    if not member_sets:
        return pd.Index([], dtype=object)
    codes = set(member_sets[0])
    for m in member_sets[1:]:
        codes &= set(m)
    diff = [c for c in codes if len({m[c] for m in member_sets}) > 1]
    return pd.Index(sorted(diff), dtype=object)
