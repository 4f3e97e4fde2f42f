"""Model pruning: which units may belong to the new unit seated at which unit.

This is the preprocessing step of the centre-based model: for every potential seat
``j`` it lists the units ``i`` that may join it, with their hop distance ``d_j(i)``
measured inside the allowed subgraph (so the closer-neighbour contiguity rule always
has a path to follow).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings
from sapxep.units.plan import seat_order


@dataclass(frozen=True)
class Candidates:
    """Pruned candidate pairs of the centre-based model.

    Attributes
    ----------
    members : list of dict of int to int
        ``members[j][i] = d_j(i)``: unit ``i`` may join seat ``j`` at hop distance ``d``
        (``members[j][j] == 0``).
    seats_of : list of list of int
        ``seats_of[i]``: seats ``j`` with ``i in members[j]`` (sorted).
    cost : dict of (int, int) to int
        Distance between member ``i`` and seat ``j`` (100 m units, or hops × 10
        without coordinates), for compactness.
    largest_seat : bool
        Whether the seat is restricted to the most populous member.
    neighbors : list of list of int
        Adjacency lists by position.
    """

    members: list[dict[int, int]]
    seats_of: list[list[int]]
    cost: dict[tuple[int, int], int]
    largest_seat: bool
    neighbors: list[list[int]]

    @property
    def n_pairs(self) -> int:
        """Number of (member, seat) variables."""
        return sum(len(m) for m in self.members)


def seat_rank(problem: PlanProblem) -> list[int]:
    """Rank units as seats (higher = preferred), by :func:`sapxep.units.plan.seat_order`.

    The most populous unit ranks highest; ties: the smaller code ranks higher. This is the
    default-seat convention of the whole project, used here as the symmetry-breaking rank.
    """
    pop = dict(zip(problem.codes, problem.population, strict=True))
    preferred = seat_order(problem.codes, pop)
    idx = problem.index
    rank = [0] * problem.n
    for r, code in enumerate(reversed(preferred)):
        rank[idx[code]] = r
    return rank


def compute_candidates(problem: PlanProblem, settings: SolverSettings, *, largest_seat: bool) -> Candidates:
    """Return the candidate (member, seat) pairs after pruning.

    A unit ``i`` may join seat ``j`` iff it is reachable from ``j`` in at most
    ``settings.max_graph_distance`` steps through units that may also join ``j``: not
    locked, in ``j``'s parent when ``stay_within_parent``, within ``radius_km`` of ``j``,
    not forbidden together with ``j``, and (if ``largest_seat``) less populous than ``j``.

    Parameters
    ----------
    problem : PlanProblem
    settings : SolverSettings
    largest_seat : bool
        Restrict seats to the most populous member (symmetry breaking).

    Returns
    -------
    Candidates
    """
    n = problem.n
    nbrs = problem.neighbors()
    idx = problem.index
    locked = {idx[c] for c in problem.locked}
    forbidden: set[tuple[int, int]] = set()
    for a, b in problem.forbidden_pairs:
        forbidden.add((idx[a], idx[b]))
        forbidden.add((idx[b], idx[a]))
    rank = seat_rank(problem)
    xy = problem.xy_m
    radius_m = None if settings.radius_km is None or xy is None else settings.radius_km * 1000.0
    members: list[dict[int, int]] = []
    for j in range(n):
        found = {j: 0}
        if j not in locked:
            queue = deque([j])
            while queue:
                u = queue.popleft()
                du = found[u]
                if du >= settings.max_graph_distance:
                    continue
                for v in nbrs[u]:
                    if v in found or v in locked or (v, j) in forbidden:
                        continue
                    if (
                        problem.stay_within_parent
                        and problem.parents is not None
                        and problem.parents[v] != problem.parents[j]
                    ):
                        continue
                    if largest_seat and rank[v] > rank[j]:
                        continue
                    if radius_m is not None and xy is not None and math.dist(xy[v], xy[j]) > radius_m:
                        continue
                    found[v] = du + 1
                    queue.append(v)
        members.append(found)
    seats_of: list[list[int]] = [[] for _ in range(n)]
    cost: dict[tuple[int, int], int] = {}
    for j, found in enumerate(members):
        for i, d in found.items():
            seats_of[i].append(j)
            if xy is not None:
                cost[i, j] = int(round(math.dist(xy[i], xy[j]) / 100.0))
            else:
                cost[i, j] = 10 * d
    for s in seats_of:
        s.sort()
    return Candidates(members, seats_of, cost, largest_seat, nbrs)


def is_representable(group: list[int], seat: int, cand: Candidates) -> bool:
    """Whether ``group`` seated at ``seat`` satisfies the model's closer-neighbour contiguity.

    Parameters
    ----------
    group : list of int
        Member positions (including the seat).
    seat : int
    cand : Candidates

    Returns
    -------
    bool
        True iff every member is a candidate of ``seat`` and every member other than
        the seat has a neighbour in the group one step closer to the seat.
    """
    dist = cand.members[seat]
    gset = set(group)
    if seat not in gset:
        return False
    for i in group:
        if i not in dist:
            return False
        if i == seat:
            continue
        di = dist[i]
        if not any(k in gset and dist.get(k, -9) == di - 1 for k in cand.neighbors[i]):
            return False
    return True
