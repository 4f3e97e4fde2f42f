"""Project errors told in the UI language: what happened and what to do.

The core raises errors with English technical details (units, parameters). The app shows a
title and advice from the catalogue; the original text stays available for a details panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from sapxep.scenarios.messages import tr
from sapxep.units.errors import (
    DataValidationError,
    InfeasibleError,
    PlanError,
    RosterError,
    RulesetError,
    SapxepError,
    ScenarioError,
    SolverError,
    WorkspaceError,
)

#: Error class -> catalogue key prefix (``err_<key>_title``, ``err_<key>_advice``), most specific first.
_KINDS: tuple[tuple[type[SapxepError], str], ...] = (
    (InfeasibleError, "infeasible"),
    (SolverError, "solver"),
    (PlanError, "plan"),
    (ScenarioError, "scenario"),
    (DataValidationError, "data"),
    (RosterError, "roster"),
    (RulesetError, "ruleset"),
    (WorkspaceError, "workspace"),
)


@dataclass(frozen=True)
class Explained:
    """An error in words: title and advice in the UI language, technical details as raised."""

    title: str
    advice: str
    details: list[str]


def explain(exc: Exception, lang: str = "vi") -> Explained:
    """Return ``exc`` as a title, a piece of advice and its technical details.

    Parameters
    ----------
    exc : Exception
        Usually a :class:`~sapxep.units.errors.SapxepError`.
    lang : {"vi", "en"}

    Returns
    -------
    Explained
    """
    key = "other"
    for cls, k in _KINDS:
        if isinstance(exc, cls):
            key = k
            break
    summary = getattr(exc, "summary", None) or str(exc)
    details = [summary, *[str(p) for p in getattr(exc, "problems", [])]]
    if key == "workspace" and "already" in summary:
        key = "name_taken"
    return Explained(tr(f"err_{key}_title", lang), tr(f"err_{key}_advice", lang), details)
