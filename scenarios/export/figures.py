"""Map sheets as matplotlib figures: one scenario, before/after, and a comparison of scenarios.

Figures are built with :class:`matplotlib.figure.Figure` (no pyplot state), safe to use from
several threads, and drawn in the metric CRS of :func:`sapxep.geodata.crs.metric_crs`."""

from __future__ import annotations

import logging
import math

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sapxep.scenarios.export.cartography import (
    A4_IN,
    FONT,
    NEW_EDGE,
    OLD_EDGE,
    PALETTE,
    add_north_arrow,
    add_scale_bar,
    add_zoom_inset,
    clean_axes,
    colour_groups,
    draw_new_units,
    frame_axes,
    legend_handles,
    source_text,
    to_metric,
    zoom_inset_rect,
)
from sapxep.scenarios.export.labels import (
    MapLabel,
    dense_box,
    draw_label_key,
    label_anchor,
    new_unit_labels,
    place_labels,
    seat_boxes,
    split_name,
)
from sapxep.scenarios.i18n import label

logger = logging.getLogger(__name__)


def plan_figure(
    units: gpd.GeoDataFrame,
    new_units: gpd.GeoDataFrame,
    *,
    lang: str = "vi",
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    labels: bool = True,
    dpi: float = 100,
) -> Figure:
    """Return an A4 map of one scenario.

    Where names are too dense to place (e.g. the wards of a city), a zoom inset of that
    area is added in the emptiest corner, with its extent outlined on the main map; names
    that still do not fit are numbered and listed under the map.

    Parameters
    ----------
    units : GeoDataFrame
        Original units (for thin old boundaries and seat points).
    new_units : GeoDataFrame
        Dissolved new units: ``new_unit, name, seat_code, n_members`` + geometry.
    lang : {"vi", "en"}
    title, subtitle : str, optional
        Title lines (default: generic title with the number of new units).
    source : str, optional
        Data-source text (default: the bundled data's attribution).
    labels : bool, default True
        Write the full name of every new unit.
    dpi : float, default 100
        Figure dpi used for label placement (saving may use another dpi).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sapxep.geodata.crs import metric_crs

    crs = metric_crs(units)
    units_m, new_m = to_metric(units, crs), to_metric(new_units, crs)
    minx, miny, maxx, maxy = units_m.total_bounds
    portrait = (maxy - miny) >= (maxx - minx) * 0.9
    size = A4_IN if portrait else A4_IN[::-1]
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.03, 0.2, 0.94, 0.73))
    frame_axes(ax, units_m)
    pts = draw_new_units(ax, units_m, new_m)
    clean_axes(ax)
    fig.suptitle(title or label("map_after", lang, n=len(new_m)), fontsize=14,
                 fontweight="bold", y=0.98, **FONT)  # fmt: skip
    if subtitle:
        fig.text(0.5, 0.947, subtitle, ha="center", va="center", fontsize=10, **FONT)
    add_scale_bar(ax, lang=lang)
    add_north_arrow(ax, lang=lang)
    missing: list[tuple[int, str, MapLabel]] = []
    if labels:
        ax.apply_aspect()
        all_labels = new_unit_labels(new_m)
        big, small = 5.5, 3.5  # font sizes (pt) of names on the main map
        trial = place_labels(ax, all_labels, obstacles=seat_boxes(ax, pts, 2.0), draw=False,
                             max_size=big, min_size=small)  # fmt: skip
        box = dense_box(trial, units_m) if len(trial) > 5 else None
        rect = zoom_inset_rect(ax, box, units_m.geometry.union_all()) if box is not None else None
        if box is not None and rect is not None:
            ax_in, ipts = add_zoom_inset(fig, ax, units_m, new_m, pts, box, rect)
            inside = shapely.box(*box)
            in_box = [inside.contains(shapely.Point(lb.x, lb.y)) for lb in all_labels]
            main_labels = [lb for lb, b in zip(all_labels, in_box, strict=True) if not b]
            inset_labels = [lb for lb, b in zip(all_labels, in_box, strict=True) if b]
            ipos = ax_in.get_position()
            (fx0, fy0), (fx1, fy1) = fig.transFigure.transform([(ipos.x0, ipos.y0), (ipos.x1, ipos.y1)])
            obstacles = [*seat_boxes(ax, pts, 2.0), (fx0, fy0, fx1, fy1)]
            missing = place_labels(ax, main_labels, obstacles=obstacles, max_size=big, min_size=small)
            missing += place_labels(ax_in, inset_labels, obstacles=seat_boxes(ax_in, ipts, 2.5),
                                    max_size=6.0, min_size=4.0,
                                    first_number=len(missing) + 1)  # fmt: skip
        else:
            missing = place_labels(
                ax, all_labels, obstacles=seat_boxes(ax, pts, 2.0), max_size=big, min_size=small
            )
    fig.legend(handles=legend_handles(lang), loc="upper left", bbox_to_anchor=(0.03, 0.195),
               ncol=3, frameon=False, prop={"size": 8, **FONT})  # fmt: skip
    draw_label_key(fig, missing, lang, (0.03, 0.045, 0.94, 0.11))
    fig.text(0.03, 0.015, source_text(lang, source), fontsize=6.5, ha="left", va="bottom",
             wrap=True, **FONT)  # fmt: skip
    logger.info("map: %d new units, %d labels numbered", len(new_m), len(missing))
    return fig


def before_after_figure(
    units: gpd.GeoDataFrame,
    new_units: gpd.GeoDataFrame,
    *,
    lang: str = "vi",
    title: str | None = None,
    source: str | None = None,
    dpi: float = 100,
) -> Figure:
    """Return an A4-landscape pair: current units (left) and new units (right).

    The left panel colours the current units by district and names the districts; the
    right panel colours the new units, keeps old boundaries thin, marks seats and names the
    new units formed by a merger.
    """
    from sapxep.geodata.crs import metric_crs

    crs = metric_crs(units)
    units_m, new_m = to_metric(units, crs), to_metric(new_units, crs)
    fig = Figure(figsize=A4_IN[::-1], dpi=dpi)
    FigureCanvasAgg(fig)
    axes = [fig.add_axes((0.02, 0.12, 0.47, 0.76)), fig.add_axes((0.51, 0.12, 0.47, 0.76))]
    for ax in axes:
        frame_axes(ax, units_m)
    before, after = axes
    parents = units_m["parent_code"].astype(str) if "parent_code" in units_m else None
    if parents is not None:
        districts = units_m.assign(geometry=units_m.geometry.buffer(25.0)).dissolve(by=parents.to_numpy())
        districts["geometry"] = districts.geometry.buffer(-25.0)
        cols = colour_groups(districts)
        dcolour = dict(zip(districts.index, cols, strict=True))
        units_m.plot(ax=before, color=[dcolour[p] for p in parents], edgecolor=OLD_EDGE,
                     linewidth=0.25, zorder=1)  # fmt: skip
        districts.boundary.plot(ax=before, color=NEW_EDGE, linewidth=0.8, zorder=3)
        if "parent_name" in units_m:
            pname = units_m.groupby(parents.to_numpy())["parent_name"].first()
            labs = []
            for code, geom in zip(districts.index, districts.geometry, strict=True):
                nm = str(pname.get(code, code))
                x, y = label_anchor(geom)
                labs.append(MapLabel(nm, split_name(nm)[1] if nm.count(" ") else nm, x, y,
                                   priority=-float(geom.area)))  # fmt: skip
            place_labels(before, labs, max_size=7.5, min_size=5.5)
    else:
        units_m.plot(ax=before, color=PALETTE[4], edgecolor=OLD_EDGE, linewidth=0.25)
    clean_axes(before)
    before.set_title(label("map_before", lang, n=len(units_m)), fontsize=11, **FONT)
    draw_new_units(ax=after, units_m=units_m, new_m=new_m, old_lw=0.2, new_lw=0.7, seat_size=5)
    missing = place_labels(after, new_unit_labels(new_m, only_merged=True),
                           max_size=5.0, min_size=3.5)  # fmt: skip
    clean_axes(after)
    after.set_title(label("map_after", lang, n=len(new_m)), fontsize=11, **FONT)
    add_scale_bar(after, lang=lang)
    add_north_arrow(after, lang=lang)
    add_north_arrow(before, lang=lang)
    fig.suptitle(title or "", fontsize=13, fontweight="bold", y=0.97, **FONT)
    fig.legend(handles=legend_handles(lang), loc="lower left", bbox_to_anchor=(0.51, 0.055),
               ncol=3, frameon=False, prop={"size": 7, **FONT})  # fmt: skip
    draw_label_key(fig, missing, lang, (0.51, 0.035, 0.47, 0.05), fontsize=5)
    fig.text(0.02, 0.012, source_text(lang, source), fontsize=6, ha="left", va="bottom",
             **FONT)  # fmt: skip
    return fig


def _grid(n: int, aspect: float, width: float, height: float) -> tuple[int, int]:
    """Columns and rows for ``n`` panels of data aspect ``aspect`` (h/w) in width×height."""
    best, best_scale = (n, 1), 0.0
    for ncols in range(1, n + 1):
        nrows = math.ceil(n / ncols)
        w, h = width / ncols, height / nrows - 0.6  # room for the panel title (inches)
        scale = min(w, h / aspect)
        if scale > best_scale + 1e-9:
            best, best_scale = (ncols, nrows), scale
    return best


def comparison_figure(
    units: gpd.GeoDataFrame,
    scenarios: list[tuple[str, gpd.GeoDataFrame]],
    *,
    lang: str = "vi",
    title: str | None = None,
    source: str | None = None,
    changed: list[pd.Index | None] | None = None,
    dpi: float = 100,
) -> Figure:
    """Return one A4-landscape sheet with 2–6 scenarios side by side.

    Parameters
    ----------
    units : GeoDataFrame
        Original units shared by the scenarios.
    scenarios : list of (str, GeoDataFrame)
        Panel title and new units of each scenario.
    lang : {"vi", "en"}
    title, source : str, optional
    changed : list of Index of codes, optional
        Per panel, the original units grouped differently than in the first scenario:
        outlined in red (when they are at most a third of the units) and counted in the
        panel title.
    dpi : float

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sapxep.geodata.crs import metric_crs

    n = len(scenarios)
    crs = metric_crs(units)
    units_m = to_metric(units, crs)
    minx, miny, maxx, maxy = units_m.total_bounds
    fig = Figure(figsize=A4_IN[::-1], dpi=dpi)
    FigureCanvasAgg(fig)
    top, bottom, left, right = 0.91, 0.1, 0.02, 0.98
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    ncols, nrows = _grid(n, (maxy - miny) / (maxx - minx), (right - left) * fw, (top - bottom) * fh)
    w = (right - left) / ncols
    h = (top - bottom) / nrows
    title_h = 0.6 / fh
    codes = units_m["code"].astype(str)
    outlined = False
    first = scenarios[0][0]
    colour_of: dict[str, str] = {}
    for i, (name, new_units) in enumerate(scenarios):
        r, c = divmod(i, ncols)
        ax = fig.add_axes((left + c * w + 0.005, top - (r + 1) * h + 0.005, w - 0.01, h - title_h - 0.01))
        frame_axes(ax, units_m)
        new_m = to_metric(new_units, crs)
        members = new_m["members"].astype(str).tolist()
        fixed = {k: colour_of[m] for k, m in enumerate(members) if m in colour_of}
        colours = colour_groups(new_m, fixed=fixed)
        for m, col in zip(members, colours, strict=True):
            colour_of.setdefault(m, col)  # same members -> same colour in every panel
        draw_new_units(ax, units_m, new_m, old_lw=0.15, new_lw=0.5, seat_size=3, colours=colours)
        sub = label("map_after", lang, n=len(new_m))
        diff = changed[i] if changed is not None and i < len(changed) else None
        if diff is not None and i > 0:
            sub += "\n" + (
                f"khác «{first}»: {len(diff)} đơn vị cũ"
                if lang == "vi"
                else f"vs “{first}”: {len(diff)} changed"
            )
            if 0 < len(diff) <= len(units_m) / 3:
                units_m[codes.isin(set(map(str, diff)))].boundary.plot(
                    ax=ax, color="#d7301f", linewidth=0.8, zorder=4
                )
                outlined = True
        clean_axes(ax)
        ax.set_title(f"{name}\n{sub}", fontsize=8.5, **FONT)
        if i == 0:
            add_scale_bar(ax, lang=lang)
            add_north_arrow(ax, lang=lang)
    handles = legend_handles(lang)
    if outlined:
        handles.append(Line2D([], [], color="#d7301f", linewidth=1, label=label("legend_changed", lang)))
    fig.suptitle(title or label("sheet_title", lang), fontsize=13, fontweight="bold", y=0.975, **FONT)
    lowest = 1.0
    for a in fig.axes:
        a.apply_aspect()
        lowest = min(lowest, a.get_position().y0)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.02, max(lowest - 0.01, 0.08)),
               ncol=4, frameon=False, prop={"size": 7, **FONT})  # fmt: skip
    fig.text(0.02, 0.015, source_text(lang, source), fontsize=6, ha="left", va="bottom", **FONT)
    return fig
