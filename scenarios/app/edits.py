"""Manual edits of a plan as the app applies them, and their re-check.

The operations themselves (move, split, set seat, default seat) live with the plan in
:mod:`sapxep.units.plan_edit`, renaming in :mod:`sapxep.units.naming`; this module re-exports
them for the pages and runs the re-check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from sapxep.units.naming import rename_new_unit
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
    "rename_new_unit",
    "reset_seat",
    "set_seat",
    "split_new_unit",
]


def check(
    units: Any,
    plan: MergePlan,
    ruleset: Any,
    graph: nx.Graph,
    *,
    lang: str = "vi",
    locks: Iterable[str] = (),
    forced_pairs: Iterable[tuple[str, str]] = (),
    stay_within_parent: bool = False,
) -> Any:
    """Re-check a plan against the law and the page's settings, messages in ``lang``.

    Runs :func:`sapxep.units.checks.check_plan` with the plan page's locks, merge pairs and
    stay-within-parent as :class:`~sapxep.units.checks.PlanConstraints`, so a manual edit that
    breaks a lock (or a pair, or a district line) is reported, naming the units.

    Returns
    -------
    sapxep.units.checks.PlanCheck
    """
    from sapxep.units.checks import PlanConstraints, check_plan

    constraints = PlanConstraints(
        locked=frozenset(str(c) for c in locks),
        forced_pairs=tuple((str(a), str(b)) for a, b in forced_pairs),
        stay_within_parent=bool(stay_within_parent) and "parent_code" in units.columns,
    )
    return check_plan(
        units,
        plan,
        ruleset,
        graph=graph,
        seats=plan.seats or None,
        constraints=constraints,
        lang="en" if lang == "en" else "vi",
    )
