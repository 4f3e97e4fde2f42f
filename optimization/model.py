"""The centre-based CP-SAT model: variables, constraint families and objectives together."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from sapxep.optimization import constraints as cons
from sapxep.optimization.candidates import Candidates
from sapxep.optimization.objectives import ObjectiveWeights, secondary_objective
from sapxep.optimization.problem import PlanProblem
from sapxep.optimization.variables import PlanVariables


class PlanModel:
    """A CP-SAT model of one planning problem (the class holds real state: model + variables).

    Parameters
    ----------
    problem : PlanProblem
    cand : Candidates
        Pruned candidate pairs.
    mode : {"max-units", "target-count", "repair"}
    target : (int, int), optional
        Allowed number of new units (required for ``target-count``; ignored otherwise).
    weights : ObjectiveWeights
        Secondary objectives.
    with_guards : bool
        Guard every rule instance with an assumption literal (for explanations).
    previous : sequence of list of int
        Earlier plans (seat of every unit) this plan must differ from.
    min_changed : int
        Units that must differ from each earlier plan.
    """

    def __init__(
        self,
        problem: PlanProblem,
        cand: Candidates,
        *,
        mode: str,
        target: tuple[int, int] | None = None,
        weights: ObjectiveWeights | None = None,
        with_guards: bool = False,
        previous: Sequence[list[int]] = (),
        min_changed: int = 1,
    ) -> None:
        self.problem = problem
        self.cand = cand
        self.mode = mode
        self.model = cp_model.CpModel()
        self.vars = PlanVariables.create(problem, cand, self.model, all_alone=mode == "repair")
        self.guards = cons.Guards(self.model) if with_guards else None
        v, g = self.vars, self.guards
        cons.add_assignment(v)
        cons.add_seat_links(v)
        cons.add_contiguity(v)
        cons.add_alone_links(v)
        cons.add_waivers(v)
        cons.add_exceptions(v)
        cons.add_floors(v, g)
        cons.add_ward_floors(v, g)
        if g is None:
            cons.add_floor_bounds(v)
        cons.add_must_arrange(v, g)
        cons.add_locks(v, g)
        cons.add_fixed_seats(v, g)
        cons.add_forced_pairs(v, g)
        cons.add_forbidden_pairs(v, g)
        cons.add_ceilings(v, g)
        if mode == "target-count" and target is not None:
            cons.add_target_count(v, target[0], target[1], g)
        for seat_of in previous:
            cons.add_difference_from(v, seat_of, min_changed)
        self.weights = weights or ObjectiveWeights()
        self._secondary: cp_model.LinearExprT | None = None

    # -- objectives --------------------------------------------------------------------
    def primary(self) -> cp_model.LinearExprT:
        """The mode's primary objective (max-units: new units, maximised; repair: touched
        units, minimised; target-count: the secondary objective, minimised)."""
        if self.mode == "max-units":
            return self.vars.n_seats()
        if self.mode == "repair":
            return self.problem.n - sum(self.vars.alone.values())
        return self.secondary()

    def primary_sense(self) -> str:
        """``"max"`` or ``"min"``."""
        return "max" if self.mode == "max-units" else "min"

    def secondary_weights(self) -> ObjectiveWeights:
        """The secondary weights in use (target-count without weights: compactness 1)."""
        if self.mode == "target-count" and not self.weights.any:
            return ObjectiveWeights(compactness=1.0)
        return self.weights

    def secondary(self) -> cp_model.LinearExprT:
        """Weighted secondary objective (created once)."""
        if self._secondary is None:
            self._secondary = secondary_objective(self.vars, self.secondary_weights())
        return self._secondary

    def set_primary_objective(self) -> None:
        """Install the primary objective."""
        expr = self.primary()
        if self.primary_sense() == "max":
            self.model.maximize(expr)
        else:
            self.model.minimize(expr)

    def fix_primary_and_minimise_secondary(self, value: int) -> None:
        """Keep the primary at least as good as ``value`` and minimise the secondary."""
        expr = self.primary()
        if self.primary_sense() == "max":
            self.model.add(expr >= value)
        else:
            self.model.add(expr <= value)
        self.model.minimize(self.secondary())

    def failing_singles(self) -> list[cp_model.IntVar]:
        """``alone[j]`` of units allowed to stay alone although they miss their own floor.

        Their sum is the number of new units failing the floors; target-count minimises it
        first, so every new unit meets the floors whenever some plan allows it.
        """
        p = self.problem
        out = []
        for j, var in self.vars.alone.items():
            code = p.codes[j]
            if code in p.locked or code not in p.alone_ok:
                continue
            if p.population[j] < p.pop_floor[j] or p.area_ha[j] < p.area_floor_ha[j]:
                out.append(var)
        return out

    def exception_literals(self) -> list[cp_model.IntVar]:
        """``excepted[j]`` of every potential seat: their sum is the number of NQ 76/2025
        Art. 5(3) exceptions, minimised before the mode's objective."""
        return list(self.vars.excepted.values())

    # -- hints -------------------------------------------------------------------------
    def add_hint(self, seat_of: Sequence[int]) -> int:
        """Hint a full plan (seat position of every unit); return the number of pairs
        of the plan missing from the pruned model (0 = complete hint)."""
        self.model.clear_hints()
        v = self.vars
        missing = sum(1 for i, s in enumerate(seat_of) if (i, s) not in v.x)
        for (i, j), var in v.x.items():
            self.model.add_hint(var, seat_of[i] == j)
        size: dict[int, int] = {}
        for s in seat_of:
            size[s] = size.get(s, 0) + 1
        for j, var in v.alone.items():
            self.model.add_hint(var, seat_of[j] == j and size.get(j, 0) == 1)
        for j, var in v.waived.items():
            w = self.problem.waiver_of(j)
            self.model.add_hint(var, seat_of[j] == j and w is not None and size.get(j, 0) >= w)
        for var in v.excepted.values():
            self.model.add_hint(var, False)
        return missing
