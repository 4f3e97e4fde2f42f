"""Packing relaxation of max-units: an upper bound on new units, and a strong warm start.

Every new unit of a valid plan is either a unit allowed to stay alone, or a connected group
with a member whose floors (people and area) or waiver the group meets (a property that stays
true when members are added). Each such group contains an *inclusion-minimal* connected group
with that property,
so the maximum number of disjoint minimal groups (a set packing) bounds the number of new
units from above. Minimal groups are enumerated by growing connected sets one neighbour at a
time and stopping as soon as they qualify (a minimal set is reached along a connected
ordering whose proper prefixes do not qualify); growth is also cut at ``max_size`` members,
and a set cut there counts as a group, which keeps the bound valid.

The packing is solved with CP-SAT; its best bound caps the main model, and its best packing,
extended to a partition by attaching the left-over units to adjacent groups, is often a
better plan than the greedy one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ortools.sat.python import cp_model

from sapxep.optimization.clock import SolveClock
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings
from sapxep.optimization.verify import plan_violations

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PackingResult:
    """Outcome of the packing relaxation.

    Attributes
    ----------
    bound : int or None
        Proven upper bound on the number of new units (None if not computed).
    optimal : bool
        The packing was solved to optimality.
    seat_of : list of int or None
        A valid plan built from the best packing (None if the extension failed).
    n_groups : int
        Candidate groups enumerated.
    """

    bound: int | None
    seat_of: list[int] | None
    n_groups: int
    optimal: bool = False


def enumerate_groups(
    problem: PlanProblem, *, max_size: int = 7, max_groups: int = 300_000
) -> list[frozenset[int]] | None:
    """Minimal qualifying connected groups (see the module docstring); None if too many."""
    p = problem
    idx = p.index
    locked = {idx[c] for c in p.locked}
    exempt_alone = {idx[c] for c in p.alone_ok} | locked
    must = {idx[c] for c in p.must_arrange}
    open_units = [i for i in range(p.n) if i not in locked]
    floors = list(open_units)
    if not floors:
        return [frozenset([i]) for i in range(p.n)]
    pf, af = p.pop_floor, p.area_floor_ha

    def qualifies(s: frozenset[int], pop: int, area: int) -> bool:
        # some member could be the seat: the group meets that seat's floors or waiver
        n = len(s)
        return any((pop >= pf[j] and area >= af[j]) or (p.waiver_of(j) or n + 1) <= n for j in s)

    waivers = [p.waiver_of(j) for j in floors if p.waiver_of(j) is not None]
    cap = min([max_size] + [int(w) for w in waivers if w is not None])
    nbrs = p.neighbors()
    forbidden = p.forbidden_partners()
    parents = p.parents if p.stay_within_parent else None
    groups: set[frozenset[int]] = {frozenset([i]) for i in exempt_alone}
    seen: set[frozenset[int]] = set()
    stack = [(frozenset([v]), p.population[v], p.area_ha[v]) for v in open_units]
    while stack:
        s, pop, area = stack.pop()
        if s in seen:
            continue
        seen.add(s)
        if len(seen) > max_groups:
            return None
        # a must-arrange unit never stays alone: its groups have two members at least
        alone_must = len(s) == 1 and next(iter(s)) in must
        if (not alone_must and qualifies(s, pop, area)) or len(s) >= cap:
            groups.add(s)
            continue
        ext: set[int] = set()
        for u in s:
            ext.update(nbrs[u])
        ext -= s
        for v in ext:
            if v in locked or (forbidden.get(v, set()) & s):
                continue
            if parents is not None and parents[v] != parents[next(iter(s))]:
                continue
            stack.append((s | {v}, pop + p.population[v], area + p.area_ha[v]))
    return sorted(groups, key=lambda g: (len(g), sorted(g)))


def extend_packing(problem: PlanProblem, chosen: list[frozenset[int]]) -> list[int] | None:
    """Attach left-over units to adjacent chosen groups; return seats, or None if invalid."""
    ext = _Extension(problem, chosen)
    if not ext.attach_leftovers() or not ext.repair_groups():
        return None
    seat_of = ext.seats()
    if plan_violations(problem, seat_of):
        return None
    return seat_of


class _Extension:
    """A packing being extended to a partition: its groups and the rules a merge must keep.

    ``members[k]`` lists the units of group ``k`` (empty once merged away), ``group_of[u]``
    the group of unit ``u`` (-1 while left over).
    """

    def __init__(self, problem: PlanProblem, chosen: list[frozenset[int]]) -> None:
        p = problem
        idx = p.index
        self.p = p
        self.locked = {idx[c] for c in p.locked}
        self.alone_ok = {idx[c] for c in p.alone_ok}
        self.must = {idx[c] for c in p.must_arrange}
        self.forbidden = p.forbidden_partners()
        self.nbrs = p.neighbors()
        self.group_of = [-1] * p.n
        self.members: list[list[int]] = []
        for k, g in enumerate(chosen):
            self.members.append(sorted(g))
            for u in g:
                self.group_of[u] = k

    def may_join(self, units: list[int], u: int, k: int) -> bool:
        """Whether ``units`` (``u`` among them, adjacent to group ``k``) may join group ``k``.

        Not when group ``k`` holds a locked unit, a forbidden partner of one of ``units``, or
        (new units inside parents) lies in another parent than ``u``.
        """
        p, target = self.p, self.members[k]
        if any(m in self.locked for m in target):
            return False
        if any(self.forbidden.get(x, set()) & set(target) for x in units):
            return False
        return not (p.stay_within_parent and p.parents is not None and p.parents[u] != p.parents[target[0]])

    def attach_leftovers(self) -> bool:
        """Attach every left-over unit to an adjacent group; False if some stay left over.

        A unit joins the adjacent group of least population, groups of a single unit allowed
        alone last; units are swept in order until no more can be attached.
        """
        p, members, group_of = self.p, self.members, self.group_of
        gpop = [sum(p.population[u] for u in m) for m in members]
        progress = True
        while progress:
            progress = False
            for u in range(p.n):
                if group_of[u] >= 0:
                    continue
                options = []
                for v in self.nbrs[u]:
                    k = group_of[v]
                    if k < 0 or not self.may_join([u], u, k):
                        continue
                    exempt_single = len(members[k]) == 1 and members[k][0] in self.alone_ok
                    options.append((exempt_single, gpop[k], k))
                if options:
                    _, _, k = min(options)
                    members[k].append(u)
                    group_of[u] = k
                    gpop[k] += p.population[u]
                    progress = True
        return min(group_of, default=0) >= 0

    def is_valid(self, m: list[int]) -> bool:
        """Whether group ``m`` may stay alone, or some member could seat it (floors or waiver)."""
        p = self.p
        if len(m) == 1 and (m[0] in self.locked or m[0] in self.alone_ok) and m[0] not in self.must:
            return True
        if len(m) == 1 and m[0] in self.must:
            return False
        pop = sum(p.population[u] for u in m)
        area = sum(p.area_ha[u] for u in m)
        return any(p.meets_floor(u, m, pop, area) or len(m) >= (p.waiver_of(u) or len(m) + 1) for u in m)

    def repair_groups(self) -> bool:
        """Merge each group that misses every floor into its smallest compatible neighbour.

        Returns False when such a group has no neighbour it may join.
        """
        members, group_of = self.members, self.group_of
        live = {k for k in range(len(members)) if members[k]}
        for _ in range(self.p.n):
            bad = [k for k in sorted(live) if not self.is_valid(members[k])]
            if not bad:
                break
            k = bad[0]
            targets: set[int] = set()
            for u in members[k]:
                for v in self.nbrs[u]:
                    h = group_of[v]
                    if h != k and self.may_join(members[k], u, h):
                        targets.add(h)
            if not targets:
                return False
            h = min(targets, key=lambda h: (sum(self.p.population[x] for x in members[h]), h))
            for u in members[k]:
                group_of[u] = h
            members[h] = members[h] + members[k]
            members[k] = []
            live.discard(k)
        return True

    def seats(self) -> list[int]:
        """Seat of every unit: a fixed seat, else the most populous member meeting the floors
        (then one whose waiver applies, then any member); ties: the lowest position."""
        p = self.p
        fixed = {p.index[c] for c in p.fixed_seats}
        seat_of = [0] * p.n
        for m in (m for m in self.members if m):
            pop = sum(p.population[u] for u in m)
            area = sum(p.area_ha[u] for u in m)
            w_ok = [u for u in m if p.waiver_of(u) is not None and len(m) >= (p.waiver_of(u) or 0)]
            ok = [u for u in m if p.meets_floor(u, m, pop, area)]
            seat_options = [u for u in m if u in fixed] or ok or w_ok or m
            seat = max(seat_options, key=lambda u: (p.population[u], -u))
            for u in m:
                seat_of[u] = seat
        return seat_of


def packing_relaxation(
    problem: PlanProblem,
    settings: SolverSettings,
    *,
    time_limit_s: float,
    clock: SolveClock | None = None,
) -> PackingResult:
    """Solve the packing relaxation for at most ``time_limit_s`` seconds.

    With ``settings.deterministic_time_s`` the limit is instead half of the deterministic
    time left on ``clock`` (at most ``settings.packing_time_s``), so runs repeat exactly.

    Parameters
    ----------
    problem : PlanProblem
    settings : SolverSettings
    time_limit_s : float
        Wall-clock budget (also the deterministic limit with one worker).
    clock : SolveClock, optional
        The caller's budgets and stop requests (a fresh one by default).

    Returns
    -------
    PackingResult
        ``bound`` is CP-SAT's proven bound of the packing (an upper bound on the number of
        new units of any valid plan); ``seat_of`` a valid plan from the best packing.
    """
    groups = enumerate_groups(problem)
    if groups is None:
        logger.info("packing: too many candidate groups, skipped")
        return PackingResult(None, None, 0)
    m = cp_model.CpModel()
    z = [m.new_bool_var(f"z{k}") for k in range(len(groups))]
    cover: list[list[cp_model.IntVar]] = [[] for _ in range(problem.n)]
    for var, g in zip(z, groups, strict=True):
        for u in g:
            cover[u].append(var)
    for lits in cover:
        if len(lits) > 1:
            m.add_at_most_one(lits)
    m.maximize(sum(z))
    clock = clock or SolveClock(settings)
    if clock.deterministic:
        solver = clock.solver(0.5, max_det=settings.packing_time_s, log=False)
    else:  # with one worker, stop on deterministic time too, so short runs repeat exactly
        one = settings.num_workers == 1
        solver = clock.solver(max_wall_s=max(0.1, time_limit_s),
                              max_det=max(0.1, time_limit_s) if one else None, log=False)  # fmt: skip
    status = clock.solve(solver, m, "packing relaxation")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PackingResult(None, None, len(groups))
    bound = int(round(solver.best_objective_bound))
    chosen = [g for var, g in zip(z, groups, strict=True) if solver.boolean_value(var)]
    seat_of = extend_packing(problem, chosen)
    logger.info(
        "packing: %d groups, best packing %d, bound %d, extended plan %s",
        len(groups), len(chosen), bound, len(set(seat_of)) if seat_of else "invalid",
    )  # fmt: skip
    return PackingResult(bound, seat_of, len(groups), status == cp_model.OPTIMAL)
