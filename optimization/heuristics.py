"""Greedy warm start: agglomerate failing new units into neighbours.

Start from every unit alone (forced pairs joined), then repeatedly merge the smallest
new unit that breaks a rule (below a floor, or a must-arrange unit left alone) with
the adjacent new unit that best repairs it, keeping every merged group representable in
the centre-based model (members within the seat's candidates, closer-neighbour
contiguity). Randomised restarts keep the best plan for the mode.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from sapxep.optimization.candidates import Candidates, is_representable, seat_rank
from sapxep.optimization.problem import PlanProblem

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GreedyPlan:
    """Result of the greedy construction.

    Attributes
    ----------
    seat_of : list of int
        Seat position of every unit.
    valid : bool
        Whether every new unit satisfies every rule the greedy checks (floors, must-arrange,
        ceilings, forced/forbidden pairs, fixed seats, target count).
    n_units : int
        Number of new units.
    n_touched : int
        Units not left alone.
    n_restarts : int
        Constructions run (fewer than asked when the time budget or a stop cut them).
    """

    seat_of: list[int]
    valid: bool
    n_units: int
    n_touched: int
    n_restarts: int = 1


class _State:
    def __init__(self, problem: PlanProblem, cand: Candidates) -> None:
        self.p = problem
        self.cand = cand
        idx = problem.index
        self.locked = {idx[c] for c in problem.locked}
        self.alone_ok = {idx[c] for c in problem.alone_ok}
        self.must = {idx[c] for c in problem.must_arrange}
        self.fixed = {idx[c] for c in problem.fixed_seats}
        self.forbidden = problem.forbidden_partners()
        self.rank = seat_rank(problem)

    def choose_seat(self, members: list[int]) -> int | None:
        fixed = [m for m in members if m in self.fixed]
        if len(fixed) > 1:
            return None
        if fixed:
            options = fixed
        elif self.cand.largest_seat:
            options = [max(members, key=lambda m: self.rank[m])]
        else:
            pop = self.p.population
            options = sorted(
                members,
                key=lambda s: (sum(pop[i] * self.cand.cost.get((i, s), 10**9) for i in members), s),
            )
        for s in options:
            if is_representable(members, s, self.cand):
                return s
        return None

    def is_good(self, members: list[int], seat: int) -> bool:
        p = self.p
        if len(members) == 1:
            m = members[0]
            if m in self.must:
                return False
            if m in self.locked or m in self.alone_ok:
                return True
        pop = sum(p.population[i] for i in members)
        area = sum(p.area_ha[i] for i in members)
        if not self.within_ceilings(members, pop, area):
            return False
        w = p.waiver_of(seat)
        if w is not None and len(members) >= w:
            return True
        return p.meets_floor(seat, members, pop, area)

    def within_ceilings(self, members: list[int], pop: int, area: int) -> bool:
        p = self.p
        if len(members) == 1 and (members[0] in self.alone_ok or members[0] in self.locked):
            return True
        if p.max_members is not None and len(members) > p.max_members:
            return False
        if p.max_population is not None and pop > p.max_population:
            return False
        return p.max_area_ha is None or area <= p.max_area_ha

    def compatible(self, a: list[int], b: list[int]) -> bool:
        if any(m in self.locked for m in a) or any(m in self.locked for m in b):
            return False
        bset = set(b)
        return all(not (self.forbidden.get(m, set()) & bset) for m in a)


def greedy_plan(
    problem: PlanProblem,
    cand: Candidates,
    *,
    mode: str,
    target: tuple[int, int] | None = None,
    seed: int = 0,
    restarts: int = 30,
    time_budget_s: float | None = 3.0,
    should_stop: Callable[[], bool] | None = None,
) -> GreedyPlan:
    """Return the best of several randomised greedy plans.

    Parameters
    ----------
    problem : PlanProblem
    cand : Candidates
    mode : {"max-units", "target-count", "repair"}
    target : (int, int), optional
        Allowed number of new units (``target-count``).
    seed : int
        Seed of the randomisation (deterministic for a given seed).
    restarts : int
        Number of randomised constructions.
    time_budget_s : float or None
        Stop restarting after this many seconds (at least one construction runs);
        ``None`` runs every restart, so the result depends only on the inputs and ``seed``.
    should_stop : callable, optional
        Stop restarting once it returns true (at least one construction runs).

    Returns
    -------
    GreedyPlan
    """
    state = _State(problem, cand)
    rng = random.Random(seed)
    best: GreedyPlan | None = None
    t0 = time.perf_counter()
    done = 0
    for r in range(restarts):
        plan = _construct(state, mode=mode, target=target, rng=rng, jitter=0.0 if r == 0 else 0.35)
        done += 1
        if best is None or _score(plan, mode, target) > _score(best, mode, target):
            best = plan
        if time_budget_s is not None and time.perf_counter() - t0 > time_budget_s:
            break
        if should_stop is not None and should_stop():
            break
    assert best is not None
    best = GreedyPlan(best.seat_of, best.valid, best.n_units, best.n_touched, done)
    logger.info("greedy: %d new units, %d touched, valid=%s", best.n_units, best.n_touched, best.valid)
    return best


def _score(plan: GreedyPlan, mode: str, target: tuple[int, int] | None) -> tuple[int, ...]:
    if mode == "repair":
        return (int(plan.valid), -plan.n_touched, plan.n_units)
    if mode == "target-count" and target is not None:
        off = max(0, target[0] - plan.n_units, plan.n_units - target[1])
        return (int(plan.valid), -off, -plan.n_touched)
    return (int(plan.valid), plan.n_units, -plan.n_touched)


def _construct(
    st: _State,
    *,
    mode: str,
    target: tuple[int, int] | None,
    rng: random.Random,
    jitter: float,
) -> GreedyPlan:
    """Run one randomised construction: forced pairs, then repairs, then the target count."""
    grouping = _Grouping(st, mode=mode, rng=rng, jitter=jitter)
    grouping.join_forced_pairs()
    grouping.repair_failing()
    if mode == "target-count" and target is not None:
        grouping.reach_target(target[1])
    return grouping.result(target)


class _Grouping:
    """The grouping state of one greedy construction, with one method per step.

    Groups are keyed by a group id (the position of one of their units); ``group_of`` maps
    every unit to its group and ``seat`` every group to its seat. ``jitter`` scales the
    random noise of the orders (0 = the plain greedy order).
    """

    def __init__(self, st: _State, *, mode: str, rng: random.Random, jitter: float) -> None:
        n = st.p.n
        self.st = st
        self.mode = mode
        self.rng = rng
        self.jitter = jitter
        self.group_of = list(range(n))
        self.groups: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.seat: dict[int, int] = {i: i for i in range(n)}

    def merge(self, ga: int, gb: int, members: list[int], s: int) -> None:
        """Merge group ``gb`` into ``ga``, which gets ``members`` and seat ``s``."""
        for m in self.groups[gb]:
            self.group_of[m] = ga
        self.groups[ga] = members
        self.seat[ga] = s
        del self.groups[gb]
        del self.seat[gb]

    def join_forced_pairs(self) -> None:
        """Join the forced pairs that are compatible and have a representable seat."""
        st, idx = self.st, self.st.p.index
        for a_code, b_code in st.p.forced_pairs:
            ga, gb = self.group_of[idx[a_code]], self.group_of[idx[b_code]]
            if ga == gb or not st.compatible(self.groups[ga], self.groups[gb]):
                continue
            members = self.groups[ga] + self.groups[gb]
            s = st.choose_seat(members)
            if s is not None:
                self.merge(ga, gb, members, s)

    def gpop(self, g: int) -> int:
        """Population of group ``g``."""
        pop = self.st.p.population
        return sum(pop[i] for i in self.groups[g])

    def neighbours(self, g: int) -> list[int]:
        """Groups adjacent to group ``g``, in increasing id order."""
        out = set()
        for m in self.groups[g]:
            for k in self.st.cand.neighbors[m]:
                if self.group_of[k] != g:
                    out.add(self.group_of[k])
        return sorted(out)  # a fixed order: ties below never depend on set layout

    def noise(self) -> float:
        """A random factor in ``[1, 1 + jitter)`` for the orders (draws one number)."""
        return 1 + self.jitter * self.rng.random()

    def merge_key(
        self, g: int, h: int, *, completing: bool
    ) -> tuple[tuple[float, ...], list[int], int] | None:
        """Sort key, members and seat of merging group ``g`` with ``h``; None if not allowed.

        ``completing``: ``g`` breaks a rule. Prefer neighbours that break rules themselves
        (merging into a good group loses it), then a merge that completes the floor with
        the least surplus, else the one that gets closest to the floor. In ``repair`` mode,
        prefer a good result, then a neighbour that already has several members, then the
        smallest population.
        """
        st, p = self.st, self.st.p
        if not st.compatible(self.groups[g], self.groups[h]):
            return None
        members = self.groups[g] + self.groups[h]
        mpop = sum(p.population[i] for i in members)
        marea = sum(p.area_ha[i] for i in members)
        if not st.within_ceilings(members, mpop, marea):
            return None
        s = st.choose_seat(members)
        if s is None:
            return None
        good = st.is_good(members, s)
        noise = self.noise()
        if self.mode == "repair":
            key: tuple[float, ...] = (not good, len(self.groups[h]) == 1, mpop * noise)
        elif completing:
            h_good = st.is_good(self.groups[h], self.seat[h])
            surplus = (mpop - p.pop_floor[s]) if good else -mpop
            key = (h_good, not good, surplus * noise)
        else:
            key = (mpop * noise,)
        return key, members, s

    def try_merges(self, g: int, *, completing: bool) -> bool:
        """Merge group ``g`` into its best neighbour (see :meth:`merge_key`); False if none can."""
        options = []
        for h in self.neighbours(g):
            found = self.merge_key(g, h, completing=completing)
            if found is not None:
                key, members, s = found
                options.append((key, h, members, s))
        if not options:
            return False
        options.sort(key=lambda t: (t[0], t[1]))  # ties: the lowest group id
        _, h, members, s = options[0]
        self.merge(g, h, members, s)
        return True

    def repair_failing(self) -> None:
        """Merge the smallest group that breaks a rule until none can be repaired."""
        st = self.st
        stuck: set[int] = set()
        while True:
            bad = [g for g in self.groups if g not in stuck and not st.is_good(self.groups[g], self.seat[g])]
            if not bad:
                break
            bad.sort(key=lambda g: (self.gpop(g) * self.noise(), g))
            g = bad[0]
            if not self.try_merges(g, completing=True):
                stuck.add(g)

    def reach_target(self, most: int) -> None:
        """Merge the smallest groups until at most ``most`` remain or none can merge."""
        stuck: set[int] = set()
        while len(self.groups) > most:
            order = sorted(
                (g for g in self.groups if g not in stuck),
                key=lambda g: (self.gpop(g) * self.noise(), g),
            )
            if not order:
                break
            g = order[0]
            if not self.try_merges(g, completing=False):
                stuck.add(g)

    def result(self, target: tuple[int, int] | None) -> GreedyPlan:
        """The plan of the current groups, valid if it meets every rule the greedy checks."""
        st, p = self.st, self.st.p
        idx = p.index
        seat_of = [self.seat[self.group_of[i]] for i in range(p.n)]
        valid = all(st.is_good(self.groups[g], self.seat[g]) for g in self.groups)
        if target is not None and not target[0] <= len(self.groups) <= target[1]:
            valid = False
        if any(seat_of[idx[a]] != seat_of[idx[b]] for a, b in p.forced_pairs):
            valid = False
        if any(seat_of[i] != i for i in st.fixed):
            valid = False
        touched = sum(1 for g in self.groups.values() if len(g) > 1 for _ in g)
        return GreedyPlan(seat_of, valid, len(self.groups), touched)
