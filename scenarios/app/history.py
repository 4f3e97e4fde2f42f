"""Undo/redo stack of the plans of an editing session."""

from __future__ import annotations

from dataclasses import dataclass, field

from sapxep.units.plan import MergePlan
from sapxep.units.plan_edit import plans_equal


@dataclass
class PlanHistory:
    """An undo/redo stack of plans (the current plan is ``states[pos]``)."""

    states: list[MergePlan] = field(default_factory=list)
    pos: int = -1
    labels: list[str] = field(default_factory=list)

    @property
    def current(self) -> MergePlan | None:
        """The current plan, or None."""
        return self.states[self.pos] if 0 <= self.pos < len(self.states) else None

    def push(self, plan: MergePlan, label: str = "") -> None:
        """Make ``plan`` current, dropping the redo branch."""
        current = self.current
        if plans_equal(plan, current) and current is not None and dict(plan.names) == dict(current.names):
            return
        del self.states[self.pos + 1 :]
        del self.labels[self.pos + 1 :]
        self.states.append(plan)
        self.labels.append(label)
        self.pos = len(self.states) - 1

    def reset(self, plan: MergePlan, label: str = "") -> None:
        """Start a new history at ``plan``."""
        self.states, self.labels, self.pos = [plan], [label], 0

    @property
    def can_undo(self) -> bool:
        """True when there is an earlier plan."""
        return self.pos > 0

    @property
    def can_redo(self) -> bool:
        """True when an undone plan can be restored."""
        return self.pos < len(self.states) - 1

    def undo(self) -> None:
        """Step back one plan."""
        if self.can_undo:
            self.pos -= 1

    def redo(self) -> None:
        """Step forward one plan."""
        if self.can_redo:
            self.pos += 1
