"""Explaining infeasibility in words: fast pre-checks, then an assumption core.

Pre-checks catch the common conflicts in milliseconds (a unit that cannot reach a floor
with any allowed group, contradictory locks and pairs, an impossible target). When CP-SAT
still proves infeasibility, every rule instance is guarded by an assumption literal and
CP-SAT's ``sufficient_assumptions_for_infeasibility`` names a small set of rules that
cannot all hold.
"""

from __future__ import annotations

import logging
from collections import defaultdict

import networkx as nx
from ortools.sat.python import cp_model

from sapxep.optimization.candidates import Candidates
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.settings import SolverSettings

logger = logging.getLogger(__name__)


def _fmt_ha(ha: int) -> str:
    return f"{ha / 100:,.2f} km²"


def _scope(problem: PlanProblem, i: int, settings: SolverSettings) -> str:
    parts = [f"at most {settings.max_graph_distance} adjacency steps from its seat"]
    if settings.radius_km is not None:
        parts.append(f"within {settings.radius_km:g} km of its seat")
    if problem.stay_within_parent and problem.parents is not None:
        parts.append(f"within the parent {problem.parent_label(i)}")
    return ", ".join(parts)


def precheck(
    problem: PlanProblem,
    cand: Candidates,
    settings: SolverSettings,
    *,
    mode: str,
    target: tuple[int, int] | None,
) -> list[str]:
    """Return one message per conflict found without solving (empty = none found).

    Parameters
    ----------
    problem : PlanProblem
    cand : Candidates
        Candidates computed *without* the seat-symmetry restriction, so a reported
        conflict is real and not an artefact of symmetry breaking.
    settings : SolverSettings
    mode : str
    target : (int, int), optional

    Returns
    -------
    list of str
    """
    p = problem
    out = _pair_conflicts(p, cand, settings)
    locked = {p.index[c] for c in p.locked}
    for i in range(p.n):
        if i not in locked:
            msg = _floor_conflict(p, cand, settings, i)
            if msg is not None:
                out.append(msg)
    if mode == "target-count" and target is not None:
        out += _target_conflicts(p, target)
    return out


def _pair_conflicts(p: PlanProblem, cand: Candidates, settings: SolverSettings) -> list[str]:
    """Conflicts of locks, forced and forbidden pairs and fixed seats with each other."""
    idx = p.index
    nm = p.name_of
    locked = {idx[c] for c in p.locked}
    out: list[str] = []
    for c in sorted(p.locked & p.must_arrange):
        out.append(
            f"{nm(idx[c])} is locked as unchanged but must be arranged under the ruleset: "
            "unlock it or exempt it with a reason"
        )
    forced = {frozenset(pr) for pr in p.forced_pairs}
    for a, b in p.forbidden_pairs:
        if frozenset((a, b)) in forced:
            out.append(f"{nm(idx[a])} and {nm(idx[b])} are both forced together and forbidden")
    for a, b in p.forced_pairs:
        ia, ib = idx[a], idx[b]
        if ia in locked or ib in locked:
            who = nm(ia) if ia in locked else nm(ib)
            out.append(
                f"{who} is locked as unchanged but forced together with {nm(ib) if ia in locked else nm(ia)}"
            )
            continue
        if a in p.fixed_seats and b in p.fixed_seats:
            out.append(f"{nm(ia)} and {nm(ib)} are forced together but both fixed as seats")
        if not set(cand.seats_of[ia]) & set(cand.seats_of[ib]):
            out.append(
                f"{nm(ia)} and {nm(ib)} are forced together but no allowed new unit can hold "
                f"both (members {_scope(p, ia, settings)})"
            )
    return out


def _reachable(
    p: PlanProblem, cand: Candidates, i: int, *, must: bool
) -> tuple[bool, int, int, list[tuple[int, int, int]]]:
    """What the allowed groups holding unit ``i`` can reach, as upper bounds.

    Returns whether some seat's floors (or waiver) can be met, the largest population and
    area any allowed group of at most ``max_members`` could hold, and the shortfalls
    ``(seat, population, area)`` of the seats checked before one could be met.
    """
    pop, area = p.population, p.area_ha
    best_pop = best_area = 0
    shortfalls: list[tuple[int, int, int]] = []
    for j in cand.seats_of[i]:
        members = list(cand.members[j])
        if must and len(members) < 2:
            continue
        cap = len(members) if p.max_members is None else p.max_members
        w = p.waiver_of(j)
        if w is not None and min(cap, len(members)) >= w:
            return True, best_pop, best_area, shortfalls
        # the largest population/area a group of <= cap members could hold (upper bound)
        top_pop = sum(sorted((pop[k] for k in members), reverse=True)[:cap])
        top_area = sum(sorted((area[k] for k in members), reverse=True)[:cap])
        best_pop, best_area = max(best_pop, top_pop), max(best_area, top_area)
        if top_pop >= p.pop_floor[j] and top_area >= p.area_floor_ha[j]:
            return True, best_pop, best_area, shortfalls
        shortfalls.append((j, top_pop, top_area))
    return False, best_pop, best_area, shortfalls


def _floor_conflict(p: PlanProblem, cand: Candidates, settings: SolverSettings, i: int) -> str | None:
    """Why unlocked unit ``i`` can be in no new unit that meets its floors, or None if it can."""
    code = p.codes[i]
    pop, area = p.population, p.area_ha
    must = code in p.must_arrange
    alone_fine = not must and (
        code in p.alone_ok or (pop[i] >= p.pop_floor[i] and area[i] >= p.area_floor_ha[i])
    )
    if alone_fine:
        return None
    any_seat_ok, best_pop, best_area, shortfalls = _reachable(p, cand, i, must=must)
    if any_seat_ok:
        return None
    nm = p.name_of
    cap_txt = "" if p.max_members is None else f" of ≤ {p.max_members} members"
    if must and all(len(cand.members[j]) < 2 for j in cand.seats_of[i]):
        return (
            f"{nm(i)} must be merged but has no neighbour it may join "
            f"({_scope(p, i, settings)}; locked or forbidden neighbours excluded)"
        )
    need_pop = min((p.pop_floor[j] for j, _, _ in shortfalls), default=p.pop_floor[i])
    need_area = min((p.area_floor_ha[j] for j, _, _ in shortfalls), default=p.area_floor_ha[i])
    wants = []
    if best_pop < need_pop:
        wants.append(f"{need_pop:,} people (at most {best_pop:,} reachable)")
    if best_area < need_area:
        wants.append(f"{_fmt_ha(need_area)} (at most {_fmt_ha(best_area)} reachable)")
    if not wants:
        wants.append(
            f"the population and area floors of any seat at once ({need_pop:,} people, {_fmt_ha(need_area)})"
        )
    return (
        f"{nm(i)} cannot reach {' and '.join(wants)} with any contiguous group{cap_txt} "
        f"{_scope(p, i, settings)}"
    )


def _target_conflicts(p: PlanProblem, target: tuple[int, int]) -> list[str]:
    """Why the target number of new units ``(kmin, kmax)`` is impossible (empty if not found)."""
    out: list[str] = []
    kmin, kmax = target
    n_fixed_groups = len({p.index[c] for c in p.locked | p.fixed_seats})
    if kmax < n_fixed_groups:
        out.append(
            f"the target of at most {kmax} new units is below the {n_fixed_groups} units "
            "that are locked or fixed as seats"
        )
    upper = max_units_bound(p)
    if upper is not None and kmin > upper:
        out.append(
            f"the target of at least {kmin} new units is impossible: at most {upper} new "
            "units can meet the population and area floors"
        )
    if kmin > p.n - (len(p.must_arrange) + 1) // 2:
        out.append(
            f"the target of at least {kmin} new units is impossible: {len(p.must_arrange)} "
            f"must-arrange units leave at most {p.n - (len(p.must_arrange) + 1) // 2}"
        )
    return out


def max_units_bound(p: PlanProblem) -> int | None:
    """Upper bound on the number of new units from the floors (None when waivers apply)."""
    if p.waiver_min_members is not None and any(w is not None for w in p.waiver_min_members):
        return None
    regions: dict[str, list[int]] = defaultdict(list)
    comps = list(nx.connected_components(p.graph))
    comp_of = {c: k for k, comp in enumerate(comps) for c in comp}
    for i, c in enumerate(p.codes):
        key = p.parents[i] if p.stay_within_parent and p.parents is not None else ""
        regions[f"{key}|{comp_of[c]}"].append(i)
    total = 0
    exempt = p.alone_ok | p.locked
    for members in regions.values():
        floors = [p.pop_floor[j] for j in members if p.pop_floor[j] > 0]
        if not floors:
            total += len(members)
            continue
        f = min(floors)
        small = [i for i in members if p.codes[i] in exempt and p.population[i] < f]
        rest = sum(p.population[i] for i in members) - sum(p.population[i] for i in small)
        total += len(small) + rest // f
    return total


_FAMILY_TEXT = {
    "floor": "the floors of a new unit seated at {who}",
    "must_arrange": "{who} must be merged (must-arrange unit)",
    "lock": "{who} is locked as unchanged",
    "fixed_seat": "{who} must be a seat",
    "forced": "{who} must be in the same new unit",
    "forbidden": "{who} must be in different new units",
    "max_members": "the ceiling of {max_members} members per new unit",
    "max_population": "the ceiling of {max_population:,} people per new unit",
    "max_area": "the ceiling of {max_area} per new unit",
    "target": "the target number of new units ({key})",
}


def core_messages(
    problem: PlanProblem,
    keys: list[tuple[str, str]],
    settings: SolverSettings,
) -> list[str]:
    """Turn guard keys of an infeasibility core into sentences naming units."""
    p = problem
    idx = p.index
    out = []
    floors = []
    for family, key in keys:
        if family == "floor":
            floors.append(idx[key])
            continue
        if family in ("forced", "forbidden"):
            a, b = key.split("+")
            who = f"{p.name_of(idx[a])} and {p.name_of(idx[b])}"
        elif family in ("must_arrange", "lock", "fixed_seat"):
            who = p.name_of(idx[key])
        else:
            who = key
        out.append(
            _FAMILY_TEXT[family].format(
                who=who,
                key=key,
                max_members=p.max_members,
                max_population=p.max_population or 0,
                max_area=_fmt_ha(p.max_area_ha or 0),
            )
        )
    if floors:
        names = ", ".join(p.name_of(j) for j in sorted(floors)[:12])
        more = "" if len(floors) <= 12 else f" (+{len(floors) - 12} more)"
        lo_p = min(p.pop_floor[j] for j in floors)
        lo_a = min(p.area_floor_ha[j] for j in floors)
        parts = [f"≥ {lo_p:,} people"] if lo_p else []
        parts += [f"≥ {_fmt_ha(lo_a)}"] if lo_a else []
        out.append(f"the floors ({', '.join(parts)}) of new units seated at {names}{more}")
    scope = f"members at most {settings.max_graph_distance} steps from their seat"
    if settings.radius_km is not None:
        scope += f" and within {settings.radius_km:g} km of its seat"
    if p.stay_within_parent:
        scope += ", new units inside their parent"
    out.append(f"(given {scope}; raising max_graph_distance may help)")
    return out


def infeasibility_core(
    build_guarded: object,
    problem: PlanProblem,
    settings: SolverSettings,
    *,
    time_limit_s: float,
) -> list[str] | None:
    """Solve the guarded model under assumptions and explain the core.

    Parameters
    ----------
    build_guarded : callable
        Returns a :class:`~sapxep.optimization.model.PlanModel` built with guards.
    problem : PlanProblem
    settings : SolverSettings
    time_limit_s : float

    Returns
    -------
    list of str or None
        Messages, or None if the core could not be found in time.
    """
    pm = build_guarded()  # type: ignore[operator]
    guards = pm.guards
    assert guards is not None
    keys = sorted(guards.lits)
    pm.model.add_assumptions([guards.lits[k] for k in keys])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = settings.random_seed
    status = solver.solve(pm.model)
    if status != cp_model.INFEASIBLE:
        logger.info("assumption core: status %s", solver.status_name(status))
        return None
    core = set(solver.sufficient_assumptions_for_infeasibility())
    by_index = {guards.lits[k].index: k for k in keys}
    core_keys = [by_index[i] for i in sorted(core) if i in by_index]
    logger.info("assumption core of %d rules", len(core_keys))
    if not core_keys:
        return None
    return core_messages(problem, core_keys, settings)
