"""Manual edits of a plan as the app applies them, and their re-check.

The operations themselves (move, split, set seat, default seat) live with the plan in
:mod:`sapxep.units.plan_edit`; this module re-exports them for the pages and runs the re-check.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from sapxep.units.plan import MergePlan
from sapxep.units.plan_edit import (
    move_unit,
    neighbouring_new_units,
    plans_equal,
    reset_seat,
    set_seat,
    split_new_unit,
)

__all__ = [
    "check",
    "move_unit",
    "neighbouring_new_units",
    "plans_equal",
    "reset_seat",
    "set_seat",
    "split_new_unit",
]


def check(units: Any, plan: MergePlan, ruleset: Any, graph: nx.Graph, *, lang: str = "vi") -> Any:
    """Re-check a plan against the rules (:func:`sapxep.units.checks.check_plan`), messages in ``lang``."""
    from sapxep.units.checks import check_plan

    return check_plan(
        units, plan, ruleset, graph=graph, seats=plan.seats or None, lang="en" if lang == "en" else "vi"
    )
