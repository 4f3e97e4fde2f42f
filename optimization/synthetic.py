"""Synthetic problems on grid graphs, for tests, examples and quick experiments."""

from __future__ import annotations

import random
from collections.abc import Sequence

import networkx as nx

from sapxep.optimization.problem import PlanProblem


def grid_problem(
    rows: int,
    cols: int,
    *,
    population: Sequence[int] | None = None,
    area_ha: Sequence[int] | None = None,
    pop_floor: int = 0,
    area_floor_ha: int = 0,
    seed: int | None = None,
    parents_by_col: int | None = None,
    **kwargs: object,
) -> PlanProblem:
    """Return a rook-adjacency grid problem with codes ``"r{row}c{col}"``.

    Parameters
    ----------
    rows, cols : int
        Grid size.
    population, area_ha : sequence of int, optional
        Row-major values; random (from ``seed``) or 1,000 persons / 500 ha when omitted.
    pop_floor, area_floor_ha : int
        The same floors for every seat.
    seed : int, optional
        Draw random populations (500..3,000) and areas (200..1,500 ha).
    parents_by_col : int, optional
        Parent = ``"P{col // parents_by_col}"`` (vertical strips).
    **kwargs
        Other :class:`PlanProblem` fields (locked, must_arrange, ...).

    Returns
    -------
    PlanProblem
    """
    n = rows * cols
    codes = tuple(f"r{r}c{c}" for r in range(rows) for c in range(cols))
    rng = random.Random(seed)
    if population is None:
        population = [rng.randint(500, 3000) if seed is not None else 1000 for _ in range(n)]
    if area_ha is None:
        area_ha = [rng.randint(200, 1500) if seed is not None else 500 for _ in range(n)]
    graph = nx.Graph()
    graph.add_nodes_from(codes)
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols:
                graph.add_edge(f"r{r}c{c}", f"r{r}c{c + 1}")
            if r + 1 < rows:
                graph.add_edge(f"r{r}c{c}", f"r{r + 1}c{c}")
    parents = None
    if parents_by_col is not None:
        parents = tuple(f"P{c // parents_by_col}" for r in range(rows) for c in range(cols))
    xy = tuple((c * 2000, -r * 2000) for r in range(rows) for c in range(cols))
    fields: dict[str, object] = {
        "codes": codes,
        "population": tuple(int(v) for v in population),
        "area_ha": tuple(int(v) for v in area_ha),
        "graph": graph,
        "pop_floor": (pop_floor,) * n,
        "area_floor_ha": (area_floor_ha,) * n,
        "parents": parents,
        "xy_m": xy,
    }
    fields.update(kwargs)
    return PlanProblem(**fields)  # type: ignore[arg-type]
