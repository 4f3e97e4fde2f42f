"""Print-ready maps (PNG 300 dpi, PDF, SVG) of saved scenarios, with matplotlib only.

The sheets themselves are in :mod:`.figures` (built from :mod:`.cartography` and
:mod:`.labels`); this module saves them and renders saved scenarios:

* :func:`export_map` — one scenario (``kind="plan"``) or before/after (``"before_after"``);
* :func:`export_comparison_map` — 2–6 scenarios on one sheet.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from sapxep.scenarios.export.cartography import colour_groups
from sapxep.scenarios.export.figures import before_after_figure, comparison_figure, plan_figure
from sapxep.scenarios.export.labels import place_labels
from sapxep.scenarios.i18n import DATA_SOURCE, label

logger = logging.getLogger(__name__)


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 300, fmt: str | None = None) -> Path:
    """Save a figure as PNG, PDF or SVG (format from ``fmt`` or the file suffix).

    Raises
    ------
    ValueError
        If the format is not png, pdf or svg.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("png", "pdf", "svg"):
        raise ValueError(f"map format must be png, pdf or svg, not {fmt!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"Creator": "sapxep"} if fmt in ("pdf", "svg") else {"Software": "sapxep"}
    fig.savefig(path, format=fmt, dpi=dpi, metadata=meta, facecolor="white")
    return path


def _dataset_source(dataset: str, lang: str) -> str:
    return DATA_SOURCE[lang] + (f" ({dataset})" if dataset else "")


def export_map(
    workspace: Any,
    name: str,
    out: str | Path,
    *,
    lang: str = "vi",
    dpi: int = 300,
    kind: str = "plan",
    fmt: str | None = None,
) -> Path:
    """Render a saved scenario's map (``kind="plan"`` or ``"before_after"``) to a file.

    Returns
    -------
    pathlib.Path
    """
    sc = workspace.load(name)
    units = workspace.units(sc.info.dataset)
    title = label("map_title", lang, name=name)
    src = _dataset_source(sc.info.dataset, lang)
    if kind == "before_after":
        fig = before_after_figure(units, sc.new_units, lang=lang, title=title, source=src)
    elif kind == "plan":
        sub = (
            label("map_after", lang, n=sc.info.n_after)
            + " ("
            + label("map_before", lang, n=sc.info.n_before).lower()
            + ")"
        )
        fig = plan_figure(units, sc.new_units, lang=lang, title=title, subtitle=sub, source=src)
    else:
        raise ValueError(f"kind must be 'plan' or 'before_after', not {kind!r}")
    return save_figure(fig, out, dpi=dpi, fmt=fmt)


def export_comparison_map(
    workspace: Any,
    names: list[str],
    out: str | Path,
    *,
    lang: str = "vi",
    dpi: int = 300,
    fmt: str | None = None,
) -> Path:
    """Render a comparison sheet of 2–6 saved scenarios on the same dataset.

    Raises
    ------
    WorkspaceError
        If the scenarios are on different datasets.
    """
    from sapxep.scenarios.analysis.compare import changed_units
    from sapxep.units.errors import WorkspaceError

    scs = [workspace.load(n) for n in names]
    datasets = {s.info.dataset for s in scs}
    if len(datasets) != 1:
        raise WorkspaceError(
            "a comparison sheet needs scenarios on one dataset, got: " + ", ".join(sorted(datasets))
        )
    units = workspace.units(scs[0].info.dataset)
    changed = [None] + [pd.Index(changed_units(scs[0].plan, s.plan)) for s in scs[1:]]
    fig = comparison_figure(
        units,
        [(s.name, s.new_units) for s in scs],
        lang=lang,
        changed=changed,
        source=_dataset_source(scs[0].info.dataset, lang),
    )
    return save_figure(fig, out, dpi=dpi, fmt=fmt)


__all__ = [
    "before_after_figure",
    "colour_groups",
    "comparison_figure",
    "export_comparison_map",
    "export_map",
    "place_labels",
    "plan_figure",
    "save_figure",
]
