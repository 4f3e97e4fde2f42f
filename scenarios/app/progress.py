"""Words for the optimizer's progress and result, and settings that cannot work.

The solver reports raw objective values (weighted sums); a planner reads "3 plans found, the
best is at most 4 % from the optimum". :func:`progress_words` and :func:`verdict` say that in the
UI language; :func:`impossible_settings` catches settings that no plan can meet before solving.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from sapxep.scenarios.messages import format_number, tr


def gap_pct(objective: float | None, bound: float | None) -> float | None:
    """Return how far ``objective`` may be from the optimum, in % of the bound (None if unknown)."""
    if objective is None or bound is None:
        return None
    try:
        obj, bnd = float(objective), float(bound)
    except (TypeError, ValueError):
        return None
    if obj != obj or bnd != bnd:
        return None
    scale = max(abs(obj), abs(bnd), 1e-9)
    return 100.0 * abs(bnd - obj) / scale


def progress_words(event: Mapping[str, Any] | None, lang: str = "vi") -> str:
    """Return the latest progress of a run in words (no raw solver numbers).

    Parameters
    ----------
    event : mapping or None
        The merged progress events of the run (``event``, ``stage``, ``n_units``, ``bound``,
        ``objective``, ``best_bound``, ``n_solutions``).
    lang : {"vi", "en"}

    Returns
    -------
    str
    """
    if not event:
        return tr("progress_start", lang)
    kind = event.get("event")
    if kind == "stage":
        return tr(f"progress_stage_{event.get('stage', 'solve')}", lang)
    parts: list[str] = []
    n_sol = int(event.get("n_solutions") or 0)
    if event.get("n_units") is not None and not n_sol:
        parts.append(tr("progress_first_plan", lang, n=int(event["n_units"])))
    if event.get("bound") is not None and kind == "packing":
        parts.append(tr("progress_upper_bound", lang, n=int(event["bound"])))
    if n_sol:
        parts.append(tr("progress_found", lang, n=n_sol))
        gap = gap_pct(event.get("objective"), event.get("best_bound"))
        if gap is not None:
            parts.append(tr("progress_gap", lang, gap=format_number(gap, 1, lang)))
    return " · ".join(parts) or tr("progress_stage_solve", lang)


def verdict(metrics: Mapping[str, Any], n_violations: int, lang: str = "vi") -> tuple[str, str]:
    """Return (kind, sentence): a plain verdict on a plan's quality.

    ``kind`` is ``"success"``, ``"info"`` or ``"warning"`` (for the colour of the message).
    """
    status = str(metrics.get("status") or "")
    gap = gap_pct(metrics.get("objective"), metrics.get("best_bound"))
    if status == "OPTIMAL" or (gap is not None and gap < 0.05):
        quality = tr("verdict_optimal", lang)
    elif status == "CANCELLED":
        quality = tr("verdict_cancelled", lang)
    elif gap is not None:
        quality = tr("verdict_gap", lang, gap=format_number(gap, 1, lang))
    else:
        quality = tr("verdict_unknown", lang)
    n_fail = int(metrics.get("n_fail_any") or 0)
    rules = (
        tr("verdict_rules_ok", lang) if n_violations == 0 else tr("verdict_rules_bad", lang, n=n_violations)
    )
    standards = (
        tr("verdict_standards_ok", lang) if n_fail == 0 else tr("verdict_standards_bad", lang, n=n_fail)
    )
    kind = "success" if n_violations == 0 and n_fail == 0 else "warning"
    return kind, f"{quality} {rules} {standards}"


def impossible_settings(
    units: pd.DataFrame,
    *,
    mode: str,
    target: int | None,
    stay_within_parent: bool,
    locks: Iterable[str] = (),
    pairs: Iterable[tuple[str, str]] = (),
    lang: str = "vi",
) -> list[str]:
    """Return why the plan page's settings cannot be met (empty when they may be).

    Checked before solving: a target below the number of districts while staying within them,
    a target above the number of units, a merge pair across districts while staying within them,
    a locked unit in a merge pair.
    """
    problems: list[str] = []
    names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    parent = (
        dict(zip(units["code"].astype(str), units["parent_code"].astype(str), strict=True))
        if "parent_code" in units.columns
        else {}
    )
    n_parents = len(set(parent.values()))
    if mode == "target-count" and target is not None:
        if target > len(units):
            problems.append(tr("impossible_target_high", lang, n=target, units=len(units)))
        if stay_within_parent and n_parents and target < n_parents:
            problems.append(tr("impossible_target_parents", lang, n=target, parents=n_parents))
    locked = {str(c) for c in locks}
    for a, b in pairs:
        a, b = str(a), str(b)
        label = f"{names.get(a, a)} + {names.get(b, b)}"
        if stay_within_parent and parent and parent.get(a) != parent.get(b):
            problems.append(tr("impossible_pair_parents", lang, pair=label))
        if a in locked or b in locked:
            problems.append(tr("impossible_pair_locked", lang, pair=label))
    return problems
