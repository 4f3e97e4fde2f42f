"""Saved scenarios in the workspace: list, save, import the real merger, cache tokens."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

from sapxep.units.errors import SapxepError
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)


def scenario_names(workspace: Any, dataset: str | None = None) -> list[str]:
    """Return the saved scenario names (of ``dataset`` only, when given), newest first."""
    try:
        infos = workspace.list()
    except SapxepError as exc:  # a missing/new workspace simply has none
        logger.info("no scenarios in %s: %s", workspace, exc)
        return []
    infos = [i for i in infos if dataset is None or i.dataset == dataset]
    return [i.name for i in sorted(infos, key=lambda i: i.updated, reverse=True)]


def save_scenario(
    workspace: Any,
    name: str,
    plan: MergePlan,
    *,
    units: Any,
    dataset: str,
    ruleset: str,
    new_units: Any = None,
    metrics: Mapping[str, Any] | None = None,
    config: Any = None,
    source: str = "manual",
    if_exists: str = "error",
) -> Any:
    """Save a plan as a named scenario in the workspace (the config TOML when known).

    Returns
    -------
    scenarios.workspace.store.ScenarioInfo

    Raises
    ------
    WorkspaceError
        If the name is empty or already taken.
    """
    toml = ""
    if config is not None:
        from sapxep.scenarios.config import scenario_to_toml

        toml = scenario_to_toml(config)
    return workspace.save(
        name,
        plan,
        units=units,
        dataset=dataset,
        new_units=new_units,
        config_toml=toml,
        metrics=dict(metrics or {}),
        source=source,
        ruleset=ruleset,
        if_exists=if_exists,
    )


#: Name of the imported real 2019→2020 merger (NQ 828/NQ-UBTVQH14) in the workspace.
HISTORY_SCENARIO: Final[str] = "NQ 828 (2019→2020)"
HISTORY_DATASET: Final[str] = "phu_tho_2019"


def import_history(workspace: Any, *, ruleset: str = "") -> Any:
    """Import (or re-import) the real 2019→2020 merger of Phú Thọ as a scenario.

    Returns
    -------
    scenarios.workspace.store.ScenarioInfo
    """
    from sapxep.scenarios.workspace.importing import import_scenario

    return import_scenario(
        workspace,
        HISTORY_SCENARIO,
        dataset=HISTORY_DATASET,
        source="crosswalk",
        ruleset=ruleset,
        if_exists="replace",
    )


def scenario_infos(workspace: Any) -> dict[str, Any]:
    """Return name -> ScenarioInfo of every saved scenario (empty for a new workspace)."""
    try:
        return {i.name: i for i in workspace.list()}
    except SapxepError as exc:  # a missing/new workspace simply has none
        logger.info("no scenarios in %s: %s", workspace, exc)
        return {}


def workspace_token(workspace: Any) -> str:
    """Return a token that changes whenever the workspace file changes (a cache key)."""
    from pathlib import Path

    p = Path(workspace.path)
    try:
        st_ = p.stat()
    except OSError:
        return "none"
    return f"{st_.st_mtime_ns}-{st_.st_size}"
