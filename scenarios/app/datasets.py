"""Datasets and rulesets the app offers, and the loaders behind them."""

from __future__ import annotations

from typing import Any, Final

import networkx as nx

#: The dataset the app opens with.
DEFAULT_DATASET: Final[str] = "phu_tho_2023"
#: The ruleset the app opens with: the one in force for the state of :data:`DEFAULT_DATASET`
#: (``units.rules.default_ruleset_for(state_date)``, never a repealed one; a test keeps them equal).
DEFAULT_RULESET: Final[str] = "nq76_2025"
#: Datasets offered in the app; the nationwide ones come with a province picker and a level
#: switch (:mod:`sapxep.scenarios.dataset_views`).
APP_DATASETS: Final[tuple[str, ...]] = (
    "phu_tho_2023",
    "phu_tho_2019",
    "phu_tho_2025",
    "vietnam_2025",
    "vietnam_2019",
)
#: Province a nationwide dataset opens on (Phú Thọ), so the first view is small.
DEFAULT_PROVINCE: Final[str] = "25"


def adjacency_graph(units: Any) -> nx.Graph:
    """Return the adjacency graph of the units (islands are linked to their nearest unit)."""
    from sapxep.geodata.adjacency import build_adjacency

    return build_adjacency(units, island_policy="links")


def ruleset_in_force(dataset: str, units: Any | None = None) -> str:
    """Return the built-in ruleset in force for the state of a dataset's units.

    Parameters
    ----------
    dataset : str
        A bundled dataset (its ``state_date`` decides) or an uploaded one.
    units : DataFrame, optional
        The units of an upload: thị trấn or district parents mean the state before the 2025
        reform (:func:`sapxep.scenarios.run.assess.default_rules_for`). Without them, the
        app's default.

    Returns
    -------
    str
    """
    from sapxep.geodata.datasets import DATASETS
    from sapxep.units.rules import default_ruleset_for

    info = DATASETS.get(dataset)
    if info is not None and info.state_date:
        return default_ruleset_for(info.state_date)
    if units is None:
        return DEFAULT_RULESET
    from sapxep.scenarios.run.assess import default_rules_for

    return default_rules_for(units)


def ruleset_names() -> list[str]:
    """Return the bundled ruleset names, the default first."""
    from sapxep.units.rules import list_rulesets

    names = list(list_rulesets())
    return sorted(names, key=lambda n: (n != DEFAULT_RULESET, n))
