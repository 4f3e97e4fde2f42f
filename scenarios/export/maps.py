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
from sapxep.scenarios.messages import DATA_SOURCE, label

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


def province_title(units: pd.DataFrame) -> str:
    """Return the province the units belong to ("Tỉnh Phú Thọ"), or "" when several or unknown."""
    if "province" not in units:
        return ""
    names = units["province"].dropna().astype(str).str.strip()
    names = names[names != ""].unique()
    return str(names[0]) if len(names) == 1 else ""


def dataset_vintage(dataset: str) -> str:
    """Province outlines ("2019"/"2025") for a dataset's unit state (uploads: "2019")."""
    from sapxep.geodata.datasets import DATASETS
    from sapxep.scenarios.export.cartography import outline_vintage

    info = DATASETS.get(str(dataset).split("@", 1)[0])
    return outline_vintage(info.state_date) if info is not None and info.state_date else "2019"


def map_titles(units: pd.DataFrame, name: str, n_after: int, n_before: int, lang: str) -> tuple[str, str]:
    """Return a map's heading (with the province, upper case) and its scenario line.

    The scenario appears by its title as the user named it, not quoted.
    """
    province = province_title(units)
    head = (label("map_heading_province", lang, province=province.upper() if lang == "vi" else province)
            if province else label("map_heading", lang))  # fmt: skip
    return head, label("map_scenario_line", lang, title=name, n_after=n_after, n_before=n_before)


def export_map(
    workspace: Any,
    name: str,
    out: str | Path,
    *,
    lang: str = "vi",
    dpi: int = 300,
    kind: str = "plan",
    fmt: str | None = None,
    paper: str = "A4",
    orientation: str | None = None,
) -> Path:
    """Render a saved scenario's map (``kind="plan"`` or ``"before_after"``) to a file.

    ``paper`` ("A4"/"A3") and ``orientation`` ("portrait"/"landscape", default: the one
    that fits the area) set the sheet of the plan map; before/after is always landscape.

    Returns
    -------
    pathlib.Path
    """
    sc = workspace.load(name)
    units = workspace.units(sc.info.dataset)
    title, sub = map_titles(units, name, sc.info.n_after, sc.info.n_before, lang)
    src = _dataset_source(sc.info.dataset, lang)
    if kind == "before_after":
        fig = before_after_figure(units, sc.new_units, lang=lang, title=f"{title}\n{sub}", source=src)
    elif kind == "plan":
        fig = plan_figure(units, sc.new_units, lang=lang, title=title, subtitle=sub, source=src,
                          paper=paper, orientation=orientation,
                          vintage=dataset_vintage(sc.info.dataset))  # fmt: skip
    else:
        raise ValueError(f"kind must be 'plan' or 'before_after', not {kind!r}")
    return save_figure(fig, out, dpi=dpi, fmt=fmt)


#: Measures shown under the maps of a comparison sheet (those with a value in some scenario).
COMPARISON_FIGURES: tuple[str, ...] = (
    "n_after", "n_merged", "n_fail_any", "must_arrange_total", "must_arrange_unresolved", "population_min",
    "population_median", "area_km2_min", "seat_distance_km_max", "n_cross_parent",
    "surplus_now", "cost_one_off_vnd", "savings_per_year_vnd",
)  # fmt: skip


def comparison_table(comparison: Any, lang: str) -> pd.DataFrame:
    """Return the comparison's key figures as text: one row per measure, one column per scenario."""
    from sapxep.scenarios.messages import format_value, metric_label

    m = comparison.metrics
    keys = [k for k in COMPARISON_FIGURES if k in m.index and m.loc[k].notna().any()]
    rows = {metric_label(k, lang): [format_value(_plain(m.loc[k, n]), lang) for n in m.columns]
            for k in keys}  # fmt: skip
    return pd.DataFrame.from_dict(rows, orient="index", columns=[str(c) for c in m.columns])


def _plain(v: Any) -> Any:
    v = v.item() if hasattr(v, "item") else v
    return int(v) if isinstance(v, float) and v.is_integer() else v


def export_comparison_map(
    workspace: Any,
    names: list[str],
    out: str | Path,
    *,
    lang: str = "vi",
    dpi: int = 300,
    fmt: str | None = None,
    paper: str = "A4",
) -> Path:
    """Render a comparison sheet of 2–6 saved scenarios on the same dataset, with their figures.

    Raises
    ------
    WorkspaceError
        If the scenarios are on different datasets.
    """
    from sapxep.scenarios.analysis.compare import changed_units, compare_scenarios
    from sapxep.units.errors import WorkspaceError

    scs = [workspace.load(n) for n in names]
    datasets = {s.info.dataset for s in scs}
    if len(datasets) != 1:
        raise WorkspaceError(
            "a comparison sheet needs scenarios on one dataset, got: " + ", ".join(sorted(datasets))
        )
    units = workspace.units(scs[0].info.dataset)
    changed = [None] + [pd.Index(changed_units(scs[0].plan, s.plan)) for s in scs[1:]]
    province = province_title(units)
    title = (label("comparison_heading_province", lang, province=province.upper() if lang == "vi"
                   else province) if province else label("sheet_title", lang))  # fmt: skip
    fig = comparison_figure(
        units,
        [(s.name, s.new_units) for s in scs],
        lang=lang,
        title=title,
        changed=changed,
        table=comparison_table(compare_scenarios(workspace, names), lang),
        source=_dataset_source(scs[0].info.dataset, lang),
        paper=paper,
    )
    return save_figure(fig, out, dpi=dpi, fmt=fmt)


__all__ = [
    "before_after_figure",
    "colour_groups",
    "comparison_figure",
    "comparison_table",
    "export_comparison_map",
    "export_map",
    "map_titles",
    "place_labels",
    "province_title",
    "plan_figure",
    "save_figure",
]
