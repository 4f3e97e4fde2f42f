"""Solver-independent checks of a merger plan, composed of one function per rule family.

:func:`check_plan` re-checks a plan from the units table, the graph, the ruleset and the
scenario's :class:`PlanConstraints` alone; it runs the families of
:mod:`sapxep.units.checks.families` (partition, seats, contiguity, must-arrange and singles,
floors, locks, forced/forbidden pairs, ceilings, stay-within-parent), each a
``check_<family>(units, plan, ctx) -> list[Violation]`` whose violations name the units.
The optimizer's own verification (:func:`sapxep.optimization.verify.plan_violations`) and the
app's manual edits run the same families.

Messages are in English (``lang="en"``, the default) or Vietnamese (``lang="vi"``, with
Vietnamese number formatting: ``12.143 người``, ``6,72 km²``).
"""

from __future__ import annotations

from sapxep.units.checks.context import CheckContext, PlanConstraints, PlanGroups, UnitFacts
from sapxep.units.checks.core import check_plan, run_checks
from sapxep.units.checks.families import (
    FAMILIES,
    check_ceilings,
    check_contiguity,
    check_floors,
    check_locks,
    check_must_arrange,
    check_pairs,
    check_parents,
    check_partition,
    check_seats,
)
from sapxep.units.checks.messages import KIND_LABELS_VI
from sapxep.units.checks.result import VIOLATION_KINDS, PlanCheck, Violation

__all__ = [
    "FAMILIES",
    "KIND_LABELS_VI",
    "VIOLATION_KINDS",
    "CheckContext",
    "PlanCheck",
    "PlanConstraints",
    "PlanGroups",
    "UnitFacts",
    "Violation",
    "check_ceilings",
    "check_contiguity",
    "check_floors",
    "check_locks",
    "check_must_arrange",
    "check_pairs",
    "check_parents",
    "check_partition",
    "check_plan",
    "check_seats",
    "run_checks",
]
