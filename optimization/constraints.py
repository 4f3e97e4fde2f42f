"""Constraint families of the centre-based model, one ``add_*`` function each.

Notation: ``x[i,j]`` unit ``i`` joins the new unit seated at ``j``; ``y[j] = x[j,j]``;
``C(j)`` the candidate members of seat ``j`` with hop distances ``d_j``; ``p_i`` population,
``a_i`` area (ha); ``alone[j]``, ``waived[j]`` as in :class:`~sapxep.optimization.variables.PlanVariables`.

Every function takes an optional :class:`Guards`. With guards, each rule instance is
enforced only if its guard literal is true; :mod:`sapxep.optimization.explain` then asks CP-SAT
for a small set of guards that cannot all hold (an infeasibility core).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from sapxep.optimization.variables import PlanVariables


@dataclass
class Guards:
    """Assumption literals, one per rule instance, keyed by ``(family, key)``."""

    model: cp_model.CpModel
    lits: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)

    def get(self, family: str, key: str) -> list[cp_model.IntVar]:
        """Return ``[literal]`` for this rule instance, creating it on first use."""
        k = (family, key)
        if k not in self.lits:
            self.lits[k] = self.model.new_bool_var(f"guard[{family}:{key}]")
        return [self.lits[k]]


def _g(guards: Guards | None, family: str, key: str) -> list[Any]:
    return [] if guards is None else guards.get(family, key)


def add_assignment(v: PlanVariables) -> list[Any]:
    """Every unit joins exactly one new unit: ``sum_j x[i,j] = 1`` for all ``i``."""
    out: list[Any] = []
    for i in range(v.problem.n):
        out.append(v.model.add_exactly_one(v.x[i, j] for j in v.cand.seats_of[i]))
    return out


def add_seat_links(v: PlanVariables) -> list[Any]:
    """Members need an open seat: ``x[i,j] <= y[j]`` for all ``i in C(j)``, ``i != j``."""
    out: list[Any] = []
    for j, found in enumerate(v.cand.members):
        for i in found:
            if i != j:
                out.append(v.model.add_implication(v.x[i, j], v.y(j)))
    return out


def add_contiguity(v: PlanVariables) -> list[Any]:
    """Closer-neighbour contiguity.

    ``x[i,j] <= sum_{k in N(i) ∩ C(j), d_j(k) = d_j(i) - 1} x[k,j]`` for ``i != j``:
    every member has a neighbour in the same new unit one step closer to the seat, so
    every member is joined to the seat by a path inside the new unit.
    """
    out: list[Any] = []
    for j, found in enumerate(v.cand.members):
        for i, di in found.items():
            if i == j or di == 1:
                continue  # di == 1: the seat itself is the closer neighbour (seat link)
            closer = [v.x[k, j] for k in v.cand.neighbors[i] if found.get(k, -9) == di - 1]
            out.append(v.model.add_bool_or(closer).only_enforce_if(v.x[i, j]))
    return out


def add_alone_links(v: PlanVariables) -> list[Any]:
    """``alone[j] => y[j]`` and ``alone[j] => x[i,j] = 0`` for ``i != j``."""
    out: list[Any] = []
    for j, a in v.alone.items():
        out.append(v.model.add_implication(a, v.y(j)))
        for i in v.cand.members[j]:
            if i != j:
                out.append(v.model.add_implication(a, v.x[i, j].Not()))
    return out


def add_waivers(v: PlanVariables) -> list[Any]:
    """``waived[j] => sum_i x[i,j] >= w_j`` (the ruleset's minimum members for a waiver)."""
    out: list[Any] = []
    for j, w in v.waived.items():
        need = v.problem.waiver_of(j)
        assert need is not None
        out.append(v.model.add(v.group_size(j) >= need).only_enforce_if(w))
        out.append(v.model.add_implication(w, v.y(j)))
    return out


def add_exceptions(v: PlanVariables) -> list[Any]:
    """``excepted[j] => y[j]`` and ``excepted[j] => sum_i x[i,j] >= 2`` (NQ 76/2025 Art. 5(3))."""
    out: list[Any] = []
    for j, e in v.excepted.items():
        out.append(v.model.add(v.group_size(j) >= 2).only_enforce_if(e))
        out.append(v.model.add_implication(e, v.y(j)))
    return out


def add_floors(v: PlanVariables, guards: Guards | None = None) -> list[Any]:
    """New-unit floors on population and area.

    ``sum_i p_i x[i,j] >= P_j`` and ``sum_i a_i x[i,j] >= A_j`` whenever ``y[j]`` and no
    exemption holds (``alone[j]`` for a unit allowed to stay alone, or ``waived[j]``).
    """
    out: list[Any] = []
    p = v.problem
    for j in range(p.n):
        if p.codes[j] in p.locked:
            continue
        cond = [v.y(j)] + [e.Not() for e in v.exempt(j)] + _g(guards, "floor", p.codes[j])
        if p.pop_floor[j] > 0:
            out.append(v.model.add(v.group_population(j) >= p.pop_floor[j]).only_enforce_if(cond))
        if p.area_floor_ha[j] > 0:
            out.append(v.model.add(v.group_area(j) >= p.area_floor_ha[j]).only_enforce_if(cond))
    return out


def add_ward_floors(v: PlanVariables, guards: Guards | None = None) -> list[Any]:
    """A ward joining a non-ward seat makes the new unit a ward (NQ 76/2025 Art. 1(3)).

    ``x[i,j] => sum_i p_i x[i,j] >= W_j`` for every ward ``i != j`` among the candidates of a
    seat ``j`` with a ward floor ``W_j > 0``, unless an exemption of ``j`` holds. The seat's own
    floors still apply (conservative: a ward's area floor is the smaller one).
    """
    p = v.problem
    out: list[Any] = []
    if p.ward is None or p.ward_pop_floor is None:
        return out
    for j in range(p.n):
        w = p.ward_pop_floor[j]
        if w <= 0 or p.ward[j] or p.codes[j] in p.locked:
            continue
        exempt = [e.Not() for e in v.exempt(j)] + _g(guards, "floor", p.codes[j])
        for i in v.cand.members[j]:
            if i != j and p.ward[i]:
                out.append(v.model.add(v.group_population(j) >= w).only_enforce_if([v.x[i, j], *exempt]))
    return out


def add_floor_bounds(v: PlanVariables) -> list[Any]:
    """Redundant aggregate floors that give CP-SAT a good bound on the number of units.

    For every region ``R`` (a connected component, or a parent when new units stay
    inside parents), with ``e_j`` the exemption literals and ``alone_j`` counted at the
    unit's own population:
    ``sum_{j in R} P_j (y_j - sum e_j) + sum_{j in R, alone ok} p_j alone_j <= sum_{i in R} p_i``
    and the same for areas. Valid because new units are disjoint and each non-exempt
    one holds at least its floor.
    """
    p = v.problem
    out: list[Any] = []
    regions: dict[object, list[int]] = defaultdict(list)
    if p.stay_within_parent and p.parents is not None:
        for i in range(p.n):
            regions[p.parents[i]].append(i)
    else:
        comp_of = {}
        seen: set[int] = set()
        for s in range(p.n):
            if s in seen:
                continue
            stack = [s]
            seen.add(s)
            while stack:
                u = stack.pop()
                comp_of[u] = s
                for w in v.cand.neighbors[u]:
                    if w not in seen:
                        seen.add(w)
                        stack.append(w)
        for i in range(p.n):
            regions[comp_of[i]].append(i)
    for members in regions.values():
        for weight, floor in ((p.population, p.pop_floor), (p.area_ha, p.area_floor_ha)):
            total = sum(weight[i] for i in members)
            terms = []
            for j in members:
                if p.codes[j] in p.locked:
                    terms.append(weight[j] * v.y(j))
                    continue
                ex = v.exempt(j)
                terms.append(floor[j] * v.y(j))
                for e in ex:
                    terms.append(-floor[j] * e)
                if j in v.alone and v.alone[j] in ex:
                    terms.append(weight[j] * v.alone[j])
            if any(floor[j] for j in members):
                out.append(v.model.add(sum(terms) <= total))
    return out


def add_must_arrange(v: PlanVariables, guards: Guards | None = None) -> list[Any]:
    """A must-arrange unit ``m`` joins at least one other unit.

    ``y[m] => sum_{i != m} x[i,m] >= 1`` (if ``m`` joins another seat the new unit has
    two members already).
    """
    out: list[Any] = []
    p = v.problem
    for code in sorted(p.must_arrange):
        m = p.index[code]
        cond = [v.y(m)] + _g(guards, "must_arrange", code)
        others = [v.x[i, m] for i in v.cand.members[m] if i != m]
        if others:
            out.append(v.model.add_bool_or(others).only_enforce_if(cond))
        else:
            out.append(v.model.add_bool_or([v.y(m).Not()]).only_enforce_if(cond))
    return out


def add_locks(v: PlanVariables, guards: Guards | None = None) -> list[Any]:
    """A locked unit ``l`` stays unchanged: ``alone[l] = 1`` (pruning keeps others away)."""
    out: list[Any] = []
    p = v.problem
    for code in sorted(p.locked):
        j = p.index[code]
        out.append(v.model.add_bool_or([v.alone[j]]).only_enforce_if(_g(guards, "lock", code)))
    return out


def add_fixed_seats(v: PlanVariables, guards: Guards | None = None) -> list[Any]:
    """A fixed seat ``s`` is the seat of its new unit: ``y[s] = 1``."""
    out: list[Any] = []
    p = v.problem
    for code in sorted(p.fixed_seats):
        j = p.index[code]
        out.append(v.model.add_bool_or([v.y(j)]).only_enforce_if(_g(guards, "fixed_seat", code)))
    return out


def add_forced_pairs(v: PlanVariables, guards: Guards | None = None) -> list[Any]:
    """Forced-together pair ``(a, b)``: ``x[a,j] = x[b,j]`` for every seat ``j``.

    A seat that is a candidate for only one of the two gets ``x[.,j] = 0`` for it.
    """
    out: list[Any] = []
    p = v.problem
    for a_code, b_code in p.forced_pairs:
        a, b = p.index[a_code], p.index[b_code]
        g = _g(guards, "forced", f"{a_code}+{b_code}")
        for j in sorted(set(v.cand.seats_of[a]) | set(v.cand.seats_of[b])):
            xa = v.x.get((a, j))
            xb = v.x.get((b, j))
            if xa is not None and xb is not None:
                out.append(v.model.add(xa == xb).only_enforce_if(g))
            else:
                lone = xa if xa is not None else xb
                assert lone is not None
                out.append(v.model.add_bool_or([lone.Not()]).only_enforce_if(g))
    return out


def add_forbidden_pairs(v: PlanVariables, guards: Guards | None = None) -> list[Any]:
    """Forbidden pair ``(a, b)``: ``x[a,j] + x[b,j] <= 1`` for every common seat ``j``."""
    out: list[Any] = []
    p = v.problem
    for a_code, b_code in p.forbidden_pairs:
        a, b = p.index[a_code], p.index[b_code]
        g = _g(guards, "forbidden", f"{a_code}+{b_code}")
        for j in sorted(set(v.cand.seats_of[a]) & set(v.cand.seats_of[b])):
            out.append(v.model.add_bool_or([v.x[a, j].Not(), v.x[b, j].Not()]).only_enforce_if(g))
    return out


def add_ceilings(v: PlanVariables, guards: Guards | None = None) -> list[Any]:
    """Optional ceilings for every new unit not exempt as an unchanged unit.

    ``sum_i x[i,j] <= M``, ``sum_i p_i x[i,j] <= P_max``, ``sum_i a_i x[i,j] <= A_max``.
    """
    out: list[Any] = []
    p = v.problem
    for j in range(p.n):
        if p.codes[j] in p.locked:
            continue
        cond: list[Any] = [v.y(j)]
        if j in v.alone and (p.codes[j] in p.alone_ok):
            cond.append(v.alone[j].Not())
        if p.max_members is not None and len(v.cand.members[j]) > p.max_members:
            out.append(
                v.model.add(v.group_size(j) <= p.max_members).only_enforce_if(
                    cond + _g(guards, "max_members", "all")
                )
            )
        if p.max_population is not None:
            out.append(
                v.model.add(v.group_population(j) <= p.max_population).only_enforce_if(
                    cond + _g(guards, "max_population", "all")
                )
            )
        if p.max_area_ha is not None:
            out.append(
                v.model.add(v.group_area(j) <= p.max_area_ha).only_enforce_if(
                    cond + _g(guards, "max_area", "all")
                )
            )
    return out


def add_target_count(v: PlanVariables, kmin: int, kmax: int, guards: Guards | None = None) -> list[Any]:
    """Number of new units within the target: ``kmin <= sum_j y[j] <= kmax``."""
    g = _g(guards, "target", f"{kmin}-{kmax}")
    return [
        v.model.add(v.n_seats() >= kmin).only_enforce_if(g),
        v.model.add(v.n_seats() <= kmax).only_enforce_if(g),
    ]


def add_difference_from(v: PlanVariables, seat_of: list[int], min_changed: int) -> list[Any]:
    """Differ from an earlier plan in at least ``D`` units.

    ``sum_i x[i, s(i)] <= n - D`` where ``s(i)`` is ``i``'s seat in the earlier plan
    (pairs pruned from the model count as changed).
    """
    kept = [v.x[i, s] for i, s in enumerate(seat_of) if (i, s) in v.x]
    return [v.model.add(sum(kept) <= v.problem.n - min_changed)]
