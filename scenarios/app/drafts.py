"""The plan page's settings and its unsaved draft (with the undo history), kept in the workspace.

A page switch or a reload (F5) starts a new Streamlit session; the draft and the settings are
read back from the workspace file, so nothing is lost. Stored as JSON under the workspace's
settings (:meth:`sapxep.scenarios.workspace.store.Workspace.put_setting`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from sapxep.scenarios.app.history import PlanHistory
from sapxep.units.errors import SapxepError
from sapxep.units.plan import MergePlan, plan_from_mapping

logger = logging.getLogger(__name__)

#: Undo steps kept in the stored draft (older ones are dropped).
MAX_STORED_STEPS = 20


def plan_to_dict(plan: MergePlan) -> dict[str, Any]:
    """Return a JSON-ready dict of a plan (assignment, seats, names)."""
    return {
        "assignment": {str(k): str(v) for k, v in plan.assignment.items()},
        "seats": {str(k): str(v) for k, v in plan.seats.items()},
        "names": {str(k): str(v) for k, v in plan.names.items()},
    }


def plan_from_dict(d: Mapping[str, Any]) -> MergePlan:
    """Return the plan of :func:`plan_to_dict`."""
    return plan_from_mapping(
        dict(d["assignment"]), seats=dict(d.get("seats") or {}), names=dict(d.get("names") or {})
    )


def save_draft(workspace: Any, dataset: str, history: PlanHistory) -> None:
    """Store the history of ``dataset`` (its last :data:`MAX_STORED_STEPS` plans) in the workspace."""
    start = max(0, len(history.states) - MAX_STORED_STEPS)
    payload = {
        "states": [plan_to_dict(p) for p in history.states[start:]],
        "labels": list(history.labels[start:]),
        "pos": history.pos - start,
    }
    workspace.put_setting(f"draft:{dataset}", json.dumps(payload, ensure_ascii=False))


def load_draft(workspace: Any, dataset: str) -> PlanHistory:
    """Return the stored history of ``dataset`` (empty when none or unreadable)."""
    try:
        text = workspace.get_setting(f"draft:{dataset}")
        if not text:
            return PlanHistory()
        d = json.loads(text)
        states = [plan_from_dict(s) for s in d["states"]]
        pos = min(max(int(d["pos"]), -1), len(states) - 1)
        return PlanHistory(states=states, pos=pos, labels=[str(x) for x in d.get("labels", [])])
    except (SapxepError, ValueError, KeyError, TypeError) as exc:  # a bad draft is dropped, not fatal
        logger.warning("cannot read the draft of %s: %s", dataset, exc)
        return PlanHistory()


def save_settings(workspace: Any, page: str, values: Mapping[str, Any]) -> None:
    """Store a page's settings (JSON-ready values) in the workspace."""
    workspace.put_setting(f"settings:{page}", json.dumps(dict(values), ensure_ascii=False))


def load_settings(workspace: Any, page: str) -> dict[str, Any]:
    """Return a page's stored settings (empty when none or unreadable)."""
    try:
        text = workspace.get_setting(f"settings:{page}")
        return dict(json.loads(text)) if text else {}
    except (SapxepError, ValueError, TypeError) as exc:
        logger.warning("cannot read the settings of %s: %s", page, exc)
        return {}
