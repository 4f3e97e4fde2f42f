"""Map sheets as matplotlib figures: one scenario, before/after, and a comparison of scenarios.

Figures are built with :class:`matplotlib.figure.Figure` (no pyplot state), safe to use from
several threads, and drawn in the metric CRS of :func:`sapxep.geodata.crs.metric_crs`."""

from __future__ import annotations

import logging
import math
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from sapxep.scenarios.export.cartography import (
    A4_IN,
    FONT,
    NEW_EDGE,
    OLD_EDGE,
    PALETTE,
    add_legend,
    add_location_inset,
    add_north_arrow,
    add_scale_bar,
    add_zoom_inset,
    clean_axes,
    colour_groups,
    draw_districts,
    draw_new_units,
    frame_axes,
    legend_handles,
    paper_size,
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
from sapxep.scenarios.messages import label

logger = logging.getLogger(__name__)


def _orientation(units_m: gpd.GeoDataFrame, orientation: str | None) -> str:
    """The requested orientation, or the one that fits the data's extent (taller -> portrait)."""
    if orientation is not None:
        return orientation
    minx, miny, maxx, maxy = units_m.total_bounds
    return "portrait" if (maxy - miny) >= (maxx - minx) * 0.9 else "landscape"


def _map_rect(fw: float, fh: float, portrait: bool) -> tuple[float, float, float, float]:
    """Map axes (figure fraction): title band on top; legend band below (portrait) or a side column."""
    top, margin = 1.0, 0.4
    if portrait:
        bottom = 2.35 if fh < 13 else 2.8
        return (margin / fw, bottom / fh, 1 - 2 * margin / fw, 1 - (top + bottom) / fh)
    side = 2.75 if fw < 13 else 3.3
    return (margin / fw, 0.45 / fh, 1 - (2 * margin + side) / fw, 1 - (top + 0.45) / fh)


def _snug(ax: Any, fw: float, portrait: bool) -> None:
    """Move the map box (shrunk to the area's shape) under the title, or centre map + column."""
    ax.set_anchor("N")
    ax.apply_aspect()
    pos = ax.get_position()
    if not portrait:
        used = pos.width + (0.2 + (2.75 if fw < 13 else 3.3)) / fw
        x0 = max(0.4 / fw, (1 - used) / 2)
        ax.set_position((x0, pos.y0, pos.width, pos.height))
        ax.apply_aspect()


def _place_plan_labels(fig: Figure, ax: Any, units_m: gpd.GeoDataFrame, new_m: gpd.GeoDataFrame,
                       pts: gpd.GeoSeries) -> tuple[list[tuple[int, str, MapLabel]], bool]:  # fmt: skip
    """Name every new unit; a zoom frame for the densest area when names do not fit.

    Returns the numbered labels (for the key) and whether a zoom frame was added.
    """
    ax.apply_aspect()
    all_labels = new_unit_labels(new_m)
    big, small = 6.5, 4.5  # font sizes (pt) of names on the main map
    trial = place_labels(ax, all_labels, obstacles=seat_boxes(ax, pts, 2.0), draw=False,
                         max_size=big, min_size=small)  # fmt: skip
    box = dense_box(trial, units_m) if len(trial) > 5 else None
    rect = zoom_inset_rect(ax, box, units_m.geometry.union_all()) if box is not None else None
    if box is None or rect is None:
        return place_labels(ax, all_labels, obstacles=seat_boxes(ax, pts, 2.0), max_size=big,
                            min_size=small), False  # fmt: skip
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
                            max_size=7.0, min_size=5.0, first_number=len(missing) + 1)  # fmt: skip
    return missing, True


def _legend_block(fig: Figure, ax: Any, units: gpd.GeoDataFrame, handles: list[Any],
                  missing: list[tuple[int, str, MapLabel]], lang: str, portrait: bool,
                  vintage: str = "2019") -> None:  # fmt: skip
    """Legend, location inset and the key of numbered names, next to the map as drawn."""
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    pos = ax.get_position()
    grow = min(fw, fh) / 8.27  # the location map grows with the paper
    loc_w, loc_h = 1.25 * grow / fw, 1.3 * grow / fh
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg canvas
    if portrait:  # band under the map: legend | key of numbered names | location
        top = pos.y0 - 0.08 / fh
        add_location_inset(fig, (pos.x1 - loc_w, top - loc_h - 0.12 / fh, loc_w, loc_h), units, lang, vintage)
        leg = add_legend(fig, handles, loc="upper left", anchor=(pos.x0 - 0.01, top), ncol=1, size=7,
                         title=label("legend_title", lang))  # fmt: skip
        lb = leg.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        kx = lb.x1 + 0.15 / fw
        key = (kx, 0.45 / fh, pos.x1 - loc_w - 0.12 / fw - kx, top - 0.06 / fh - 0.45 / fh)
    else:  # column beside the map: location, legend, key
        x0 = pos.x1 + 0.2 / fw
        add_location_inset(fig, (x0, 1 - 1.0 / fh - loc_h, loc_w, loc_h), units, lang, vintage)
        leg = add_legend(fig, handles, loc="upper left", anchor=(x0 - 0.01, 1 - 1.1 / fh - loc_h),
                         ncol=1, size=7, title=label("legend_title", lang))  # fmt: skip
        lb = leg.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        key = (x0, 0.45 / fh, 1 - x0 - 0.3 / fw, lb.y0 - 0.2 / fh - 0.45 / fh)
    draw_label_key(fig, missing, lang, key, fontsize=6.5)


def _add_titles(fig: Figure, title: str, subtitle: str | None) -> None:
    """Title (and subtitle, if any) centred at the top of the sheet, at a fixed distance in inches."""
    fh = fig.get_figheight()
    fig.suptitle(title, fontsize=13, fontweight="bold", y=1 - 0.3 / fh, **FONT)
    if subtitle:
        fig.text(0.5, 1 - 0.62 / fh, subtitle, ha="center", va="center", fontsize=10, **FONT)


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
    paper: str = "A4",
    orientation: str | None = None,
    vintage: str = "2019",
) -> Figure:
    """Return a print-ready map of one scenario on A4 or A3.

    New units in distinct colours (unchanged units pale), old commune boundaries thin, old
    district boundaries dashed, seats marked, names placed without collisions. Where names
    are too dense (e.g. the wards of a city) a zoom frame of that area is added in the
    emptiest corner; names that still do not fit are numbered and listed in a key. Beside
    the map: legend (one entry per class drawn), location in Viet Nam, scale bar, north
    arrow, title and data-source note.

    Parameters
    ----------
    units : GeoDataFrame
        Original units (for old boundaries, districts and seat points).
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
    paper : {"A4", "A3"}
    orientation : {"portrait", "landscape"}, optional
        Default: the one that fits the mapped area.
    vintage : {"2019", "2025"}
        Province outlines of the location inset (the state of the units).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sapxep.geodata.crs import metric_crs

    crs = metric_crs(units)
    units_m, new_m = to_metric(units, crs), to_metric(new_units, crs)
    orient = _orientation(units_m, orientation)
    fw, fh = paper_size(paper, orient)
    fig = Figure(figsize=(fw, fh), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes(_map_rect(fw, fh, orient == "portrait"))
    frame_axes(ax, units_m)
    _snug(ax, fw, orient == "portrait")
    pts = draw_new_units(ax, units_m, new_m)
    has_districts = draw_districts(ax, units_m)
    clean_axes(ax)
    _add_titles(fig, title or label("map_after", lang, n=len(new_m)), subtitle)
    add_scale_bar(ax, lang=lang)
    add_north_arrow(ax, lang=lang)
    missing: list[tuple[int, str, MapLabel]] = []
    zoom = False
    if labels:
        missing, zoom = _place_plan_labels(fig, ax, units_m, new_m, pts)
    unchanged = "n_members" in new_m and bool((new_m["n_members"].astype(int) < 2).any())
    handles = legend_handles(lang, unchanged=unchanged, districts=has_districts, zoom=zoom,
                             numbered=bool(missing))  # fmt: skip
    ax.apply_aspect()
    _legend_block(fig, ax, units, handles, missing, lang, orient == "portrait", vintage)
    fig.text(0.4 / fw, 0.18 / fh, source_text(lang, source), fontsize=6.5, ha="left", va="bottom",
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
    draw_districts(after, units_m, linewidth=0.7)
    missing = place_labels(after, new_unit_labels(new_m, only_merged=True),
                           max_size=5.5, min_size=4.5)  # fmt: skip
    clean_axes(after)
    after.set_title(label("map_after", lang, n=len(new_m)), fontsize=11, **FONT)
    add_scale_bar(after, lang=lang)
    add_north_arrow(after, lang=lang)
    add_north_arrow(before, lang=lang)
    fig.suptitle(title or "", fontsize=12, fontweight="bold", y=0.99, **FONT)
    add_legend(fig, legend_handles(lang, districts=True, numbered=bool(missing)), loc="upper left",
               anchor=(0.02, 0.115), ncol=4, size=7.5)  # fmt: skip
    draw_label_key(fig, missing, lang, (0.51, 0.035, 0.47, 0.075), fontsize=5)
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


def _comparison_panel(ax: Any, units_m: gpd.GeoDataFrame, new_m: gpd.GeoDataFrame,
                      colour_of: dict[str, str], *, name: str, first: str, diff: pd.Index | None,
                      lang: str) -> bool:  # fmt: skip
    """Draw one scenario of a comparison sheet; return whether changed units were outlined.

    A new unit with the same members as in an earlier panel keeps that panel's colour.
    """
    frame_axes(ax, units_m)
    members = new_m["members"].astype(str).tolist()
    fixed = {k: colour_of[m] for k, m in enumerate(members) if m in colour_of}
    colours = colour_groups(new_m, fixed=fixed)
    for m, col in zip(members, colours, strict=True):
        colour_of.setdefault(m, col)  # same members -> same colour in every panel
    draw_new_units(ax, units_m, new_m, old_lw=0.15, new_lw=0.5, seat_size=3, colours=colours)
    draw_districts(ax, units_m, linewidth=0.5)
    sub = label("map_after", lang, n=len(new_m))
    outlined = False
    if diff is not None:
        sub += "\n" + label("changed_vs_first", lang, first=first, n=len(diff))
        if 0 < len(diff) <= len(units_m) / 3:
            codes = units_m["code"].astype(str)
            units_m[codes.isin(set(map(str, diff)))].boundary.plot(ax=ax, color="#d7301f", linewidth=0.8,
                                                                   zorder=4)  # fmt: skip
            outlined = True
    clean_axes(ax)
    ax.set_title(f"{name}\n{sub}", fontsize=8.5, **FONT)
    return outlined


def comparison_figure(
    units: gpd.GeoDataFrame,
    scenarios: list[tuple[str, gpd.GeoDataFrame]],
    *,
    lang: str = "vi",
    title: str | None = None,
    source: str | None = None,
    changed: list[pd.Index | None] | None = None,
    table: pd.DataFrame | None = None,
    dpi: float = 100,
    paper: str = "A4",
) -> Figure:
    """Return one landscape sheet with 2–6 scenarios side by side and their key figures.

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
    table : DataFrame, optional
        Figures under the maps: one row per measure (index = its label), one column per
        scenario, cells already formatted as text.
    dpi : float
    paper : {"A4", "A3"}

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sapxep.geodata.crs import metric_crs

    n = len(scenarios)
    crs = metric_crs(units)
    units_m = to_metric(units, crs)
    minx, miny, maxx, maxy = units_m.total_bounds
    fig = Figure(figsize=paper_size(paper, "landscape"), dpi=dpi)
    FigureCanvasAgg(fig)
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    table_h = (len(table) + 1) * 0.17 / fh if table is not None and len(table) else 0.0
    top, bottom, left, right = 1 - 0.75 / fh, 0.55 / fh + table_h + 0.35 / fh, 0.02, 0.98
    ncols, nrows = _grid(n, (maxy - miny) / (maxx - minx), (right - left) * fw, (top - bottom) * fh)
    w = (right - left) / ncols
    h = (top - bottom) / nrows
    title_h = 0.6 / fh
    outlined = False
    colour_of: dict[str, str] = {}
    for i, (name, new_units) in enumerate(scenarios):
        r, c = divmod(i, ncols)
        ax = fig.add_axes((left + c * w + 0.005, top - (r + 1) * h + 0.005, w - 0.01, h - title_h - 0.01))
        diff = changed[i] if changed is not None and i < len(changed) and i > 0 else None
        outlined |= _comparison_panel(ax, units_m, to_metric(new_units, crs), colour_of, name=name,
                                      first=scenarios[0][0], diff=diff, lang=lang)  # fmt: skip
        if i == 0:
            add_scale_bar(ax, lang=lang)
            add_north_arrow(ax, lang=lang)
    handles = legend_handles(lang, districts=True)
    if outlined:
        handles.append((Line2D([], [], color="#d7301f", linewidth=1), label("legend_changed", lang)))
    fig.suptitle(title or label("sheet_title", lang), fontsize=12, fontweight="bold",
                 y=1 - 0.3 / fh, **FONT)  # fmt: skip
    lowest = 1.0
    for a in fig.axes:
        a.apply_aspect()
        lowest = min(lowest, a.get_position().y0)
    add_legend(fig, handles, loc="upper left", anchor=(0.02, lowest - 0.005), ncol=4, size=6.5)
    if table is not None and len(table):
        _figures_table(fig, table, (0.02, 0.4 / fh, 0.96, table_h), lang)
    fig.text(0.02, 0.15 / fh, source_text(lang, source), fontsize=6, ha="left", va="bottom", **FONT)
    return fig


def _figures_table(fig: Figure, table: pd.DataFrame, rect: tuple[float, float, float, float],
                   lang: str) -> None:  # fmt: skip
    """Draw the scenarios' figures as a ruled table at ``rect`` (figure fraction)."""
    tax = fig.add_axes(rect)
    tax.axis("off")
    n = len(table.columns)
    cells = [
        [str(idx), *(str(v) for v in row)] for idx, row in zip(table.index, table.to_numpy(), strict=True)
    ]
    first_w = 0.34 if n > 2 else 0.46
    tab = tax.table(cellText=cells, colLabels=[label("metric", lang), *map(str, table.columns)],
                    colWidths=[first_w] + [(1 - first_w) / n] * n, bbox=Bbox.from_bounds(0, 0, 1, 1),
                    cellLoc="right")  # fmt: skip
    tab.auto_set_font_size(False)
    tab.set_fontsize(7)
    for (r, c), cell in tab.get_celld().items():
        cell.set_linewidth(0.3)
        cell.get_text().set_fontfamily(FONT["family"])
        if r == 0:
            cell.get_text().set_fontweight("bold")
            cell.set_facecolor("#dde6f0")
            cell.get_text().set_horizontalalignment("center")
        elif c == 0:
            cell.get_text().set_horizontalalignment("left")
            cell.PAD = 0.02
