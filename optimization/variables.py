"""The CP-SAT variable container of the centre-based model."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from sapxep.optimization.candidates import Candidates
from sapxep.optimization.problem import PlanProblem


@dataclass
class PlanVariables:
    """Decision variables keyed by unit positions.

    Attributes
    ----------
    x : dict of (int, int) to BoolVar
        ``x[i, j] = 1`` iff unit ``i`` belongs to the new unit seated at ``j``.
        ``x[j, j]`` is the seat indicator ``y[j]``.
    alone : dict of int to BoolVar
        ``alone[j] = 1`` implies unit ``j`` forms a new unit by itself (its own seat).
    excepted : dict of int to BoolVar
        ``excepted[j] = 1`` implies the new unit seated at ``j`` has at least two members
        and is an NQ 76/2025 Art. 5(3) exception (below its floor; minimised first).
    waived : dict of int to BoolVar
        ``waived[j] = 1`` implies the new unit seated at ``j`` has enough members for
        the ruleset's size waiver.
    same : dict of (int, int) to BoolVar or None
        ``same[a, b]`` (``a < b`` adjacent) may be 1 only if ``a`` and ``b`` are in the
        same new unit; ``None`` when they can never be. Created on demand by
        :func:`sapxep.optimization.objectives.same_unit_literals`.
    """

    problem: PlanProblem
    cand: Candidates
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    alone: dict[int, cp_model.IntVar] = field(default_factory=dict)
    waived: dict[int, cp_model.IntVar] = field(default_factory=dict)
    excepted: dict[int, cp_model.IntVar] = field(default_factory=dict)
    same: dict[tuple[int, int], cp_model.IntVar | None] = field(default_factory=dict)

    @classmethod
    def create(
        cls, problem: PlanProblem, cand: Candidates, model: cp_model.CpModel, *, all_alone: bool
    ) -> PlanVariables:
        """Create ``x`` for every candidate pair plus ``alone``/``waived`` where needed.

        Parameters
        ----------
        problem, cand, model
            The problem, its candidates and the model to add variables to.
        all_alone : bool
            Create ``alone[j]`` for every unit (repair mode), not only for units that
            may stay alone or are locked.
        """
        v = cls(problem, cand, model)
        codes = problem.codes
        for j, found in enumerate(cand.members):
            for i in found:
                v.x[i, j] = model.new_bool_var(f"x[{codes[i]},{codes[j]}]")
        idx = problem.index
        alone_set = {idx[c] for c in problem.alone_ok | problem.locked}
        for j in range(problem.n):
            if all_alone or j in alone_set:
                v.alone[j] = model.new_bool_var(f"alone[{codes[j]}]")
            w = problem.waiver_of(j)
            if w is not None and len(cand.members[j]) >= w:
                v.waived[j] = model.new_bool_var(f"waived[{codes[j]}]")
            if problem.exceptions_allowed and codes[j] not in problem.locked and len(cand.members[j]) >= 2:
                v.excepted[j] = model.new_bool_var(f"excepted[{codes[j]}]")
        return v

    def y(self, j: int) -> cp_model.IntVar:
        """Seat indicator of unit ``j``."""
        return self.x[j, j]

    def group_population(self, j: int) -> cp_model.LinearExprT:
        """Population of the new unit seated at ``j`` (0 if ``j`` is not a seat)."""
        pop = self.problem.population
        return sum(pop[i] * self.x[i, j] for i in self.cand.members[j])

    def group_area(self, j: int) -> cp_model.LinearExprT:
        """Area (ha) of the new unit seated at ``j``."""
        area = self.problem.area_ha
        return sum(area[i] * self.x[i, j] for i in self.cand.members[j])

    def group_size(self, j: int) -> cp_model.LinearExprT:
        """Number of members of the new unit seated at ``j``."""
        return sum(self.x[i, j] for i in self.cand.members[j])

    def n_seats(self) -> cp_model.LinearExprT:
        """Number of new units."""
        return sum(self.y(j) for j in range(self.problem.n))

    def exempt(self, j: int) -> list[cp_model.IntVar]:
        """Literals that exempt the new unit seated at ``j`` from the floors."""
        out = []
        code = self.problem.codes[j]
        if j in self.alone and (code in self.problem.alone_ok or code in self.problem.locked):
            out.append(self.alone[j])
        if j in self.waived:
            out.append(self.waived[j])
        if j in self.excepted:
            out.append(self.excepted[j])
        return out

    def extract_assignment(self, solver: cp_model.CpSolver) -> list[int]:
        """Return the seat position of every unit in the solver's current solution."""
        seat = [-1] * self.problem.n
        for (i, j), var in self.x.items():
            if solver.boolean_value(var):
                seat[i] = j
        return seat
