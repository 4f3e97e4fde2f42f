"""Print-ready maps (PNG 300 dpi, PDF, SVG) of scenarios, with matplotlib only.

* :func:`plan_figure` — one scenario on A4: new units in distinct colours (neighbours
  never share a colour), old boundaries thin, full Vietnamese names placed without
  collisions (names that do not fit get a number and an index), seats marked, legend,
  scale bar, north arrow, title and data-source note.
* :func:`before_after_figure` — the current units and the new units side by side.
* :func:`comparison_figure` — 2–6 scenarios on one sheet.

Maps are drawn in the metric CRS of :func:`sapxep.geodata.crs.metric_crs` (VN-2000 / UTM), so
the scale bar is exact. Figures are built with :class:`matplotlib.figure.Figure` (no pyplot
state), safe to use from several threads.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.patheffects import withStroke
from shapely.ops import polylabel

from sapxep.scenarios.i18n import DATA_SOURCE, label

logger = logging.getLogger(__name__)

#: Pastel palette for new units (ColorBrewer Set3, lightened so names stay legible).
PALETTE: tuple[str, ...] = (
    "#b3e4db", "#ffffc9", "#d4d1e8", "#fcaea5", "#aacbe3", "#fdcb97",
    "#d0eaa0", "#fce0ef", "#e6e6e6", "#d4a9d3", "#dcf1d6", "#fff39c",
)  # fmt: skip
FONT: dict[str, Any] = {"family": ["sans-serif"]}
A4_IN = (8.27, 11.69)
NEW_EDGE = "#333333"
OLD_EDGE = "#7a7a7a"
SEAT_COLOUR = "#b2182b"


def _metric(gdf: gpd.GeoDataFrame, crs: Any) -> gpd.GeoDataFrame:
    return gdf.to_crs(crs) if gdf.crs is not None else gdf.set_crs(4326).to_crs(crs)


def colour_groups(
    new_units: gpd.GeoDataFrame,
    *,
    palette: tuple[str, ...] = PALETTE,
    fixed: Mapping[int, str] | None = None,
) -> list[str]:
    """Return one colour per new unit so that touching new units differ.

    Parameters
    ----------
    new_units : GeoDataFrame
        New units (metric CRS preferred).
    palette : tuple of str
    fixed : mapping of int to str, optional
        Row position -> colour kept as given (e.g. the colour the same new unit has in
        another scenario); the other rows avoid their neighbours' colours.

    Returns
    -------
    list of str
        Colours in row order (greedy colouring of the touching graph, largest degree first).
    """
    geoms = new_units.geometry.buffer(0) if new_units.crs is None else new_units.geometry
    tol = 30.0 if (new_units.crs is not None and new_units.crs.is_projected) else 3e-4
    graph = nx.Graph()
    graph.add_nodes_from(range(len(new_units)))
    left, right = geoms.sindex.query(geoms.buffer(tol), predicate="intersects")
    graph.add_edges_from((int(i), int(j)) for i, j in zip(left, right, strict=True) if i < j)
    if not fixed:
        colouring = nx.greedy_color(graph, strategy="largest_first")
        return [palette[colouring[i] % len(palette)] for i in range(len(new_units))]
    colours: dict[int, str] = {int(i): c for i, c in fixed.items()}
    for node in sorted(graph.nodes, key=lambda v: -graph.degree(v)):
        if node in colours:
            continue
        used = {colours[v] for v in graph.neighbors(node) if v in colours}
        free = [c for c in palette if c not in used]
        colours[node] = free[0] if free else palette[node % len(palette)]
    return [colours[i] for i in range(len(new_units))]


@dataclass
class _Label:
    text_one: str
    text_two: str
    x: float
    y: float
    priority: float
    dims: dict[Any, Any] = field(default_factory=dict)  # measured text sizes, per size/dpi


def _split_name(name: str) -> tuple[str, str]:
    for prefix in ("Thị trấn ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name, prefix.strip() + "\n" + name[len(prefix) :]
    words = name.split()
    half = max(1, len(words) // 2)
    return name, " ".join(words[:half]) + "\n" + " ".join(words[half:])


def _anchor(geom: Any) -> tuple[float, float]:
    """A point well inside the largest part of a polygon (pole of inaccessibility)."""
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    try:
        p = polylabel(geom, tolerance=max(math.sqrt(geom.area) / 50.0, 1.0))
    except Exception:  # noqa: BLE001 - degenerate shapes fall back to a surface point
        p = geom.representative_point()
    return float(p.x), float(p.y)


#: Candidate label offsets, in label half-widths/heights: anchor, then two rings.
_OFFSETS: tuple[tuple[float, float], ...] = ((0.0, 0.0),) + tuple(
    (r * dx, r * dy)
    for r in (0.55, 1.1)
    for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0), (0.8, 0.8), (-0.8, 0.8), (0.8, -0.8), (-0.8, -0.8))
)


def _overlaps(box: np.ndarray, boxes: np.ndarray) -> bool:
    if len(boxes) == 0:
        return False
    return bool(
        (
            (box[0] < boxes[:, 2]) & (box[2] > boxes[:, 0])
            & (box[1] < boxes[:, 3]) & (box[3] > boxes[:, 1])
        ).any()
    )  # fmt: skip


def place_labels(
    ax: Any,
    labels: list[_Label],
    *,
    max_size: float = 6.0,
    min_size: float = 4.0,
    obstacles: list[tuple[float, float, float, float]] | None = None,
    draw: bool = True,
    first_number: int = 1,
) -> list[tuple[int, str, _Label]]:
    """Place labels greedily without overlap; return the unplaced ones, numbered.

    Labels are placed smallest unit first. Each tries font sizes from ``max_size`` down to
    ``min_size`` (0.5 pt steps), one line then two lines, at its anchor and on two rings of
    offsets around it; a candidate is accepted when its box (display coordinates, with a
    small pad) overlaps no placed label and no obstacle. A label with no free spot is drawn
    as a small bold number at its anchor and returned as ``(number, text, label)`` for an
    index. With ``draw=False`` nothing is drawn (a dry run).
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    halo = [withStroke(linewidth=1.6, foreground="white")]
    placed: list[list[float]] = [list(o) for o in (obstacles or [])]
    missing: list[tuple[int, str, _Label]] = []
    sizes = np.arange(max_size, min_size - 1e-9, -0.5)
    pad = 0.8 * fig.dpi / 72.0
    frame = ax.bbox
    for lab in sorted(labels, key=lambda lb: lb.priority):
        x0, y0 = ax.transData.transform((lab.x, lab.y))
        key = (max_size, fig.dpi)
        if lab.dims.get(key) is None:
            dims = {}
            for variant in (lab.text_one, lab.text_two):
                t = ax.text(0, 0, variant, fontsize=max_size, **FONT, ha="center",
                            va="center", linespacing=0.95)  # fmt: skip
                bb = t.get_window_extent(renderer)
                dims[variant] = (bb.width, bb.height)
                t.remove()
            lab.dims[key] = dims
        dims = lab.dims[key]
        arr = np.array(placed) if placed else np.zeros((0, 4))
        choice = None
        for fs in sizes:
            for variant in (lab.text_one, lab.text_two):
                w, h = dims[variant]
                w, h = w * fs / max_size + 2 * pad, h * fs / max_size + 2 * pad
                for dx, dy in _OFFSETS:
                    cx, cy = x0 + dx * w, y0 + dy * h
                    box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
                    if box[0] < frame.x0 or box[1] < frame.y0 or box[2] > frame.x1 or box[3] > frame.y1:
                        continue
                    if not _overlaps(box, arr):
                        choice = (fs, variant, cx, cy, box)
                        break
                if choice:
                    break
            if choice:
                break
        if choice is not None:
            fs, variant, cx, cy, box = choice
            placed.append(list(box))
            if draw:
                xd, yd = ax.transData.inverted().transform((cx, cy))
                if math.hypot(cx - x0, cy - y0) > 0.8 * max(box[2] - box[0], box[3] - box[1]):
                    # far from its unit: a thin leader line to the nearest box edge
                    ex = min(max(x0, box[0]), box[2])
                    ey = min(max(y0, box[1]), box[3])
                    (lx, ly), (mx, my) = ax.transData.inverted().transform([(x0, y0), (ex, ey)])
                    ax.plot([lx, mx], [ly, my], color="#444444", linewidth=0.35, zorder=5.5)
                ax.text(xd, yd, variant, fontsize=fs, **FONT, ha="center", va="center",
                        linespacing=0.95, path_effects=halo, zorder=6)  # fmt: skip
        else:
            k = first_number + len(missing)
            w = h = (min_size * 1.2 * (1 + 0.5 * (k >= 10))) * fig.dpi / 72.0
            nx_, ny_ = x0, y0
            for dx, dy in _OFFSETS:
                cx, cy = x0 + dx * w * 1.2, y0 + dy * h * 1.2
                box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
                if not _overlaps(box, arr):
                    nx_, ny_ = cx, cy
                    placed.append(list(box))
                    break
            if draw:
                xd, yd = ax.transData.inverted().transform((nx_, ny_))
                ax.text(xd, yd, str(k), fontsize=min_size, **FONT, ha="center",
                        va="center", fontweight="bold", path_effects=halo, zorder=6)  # fmt: skip
            missing.append((k, lab.text_one, lab))
    return missing


def _nice_length_km(width_km: float) -> float:
    target = width_km / 5
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if step >= target:
            return float(step)
    return 1000.0


def add_scale_bar(ax: Any, *, lang: str = "vi", loc: str = "lower right") -> None:
    """Draw an alternating black/white scale bar in km (axes in metres)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length_km = _nice_length_km((x1 - x0) / 1000.0)
    length = length_km * 1000.0
    h = (y1 - y0) * 0.008
    xs = x1 - (x1 - x0) * 0.05 - length if loc == "lower right" else x0 + (x1 - x0) * 0.05
    ys = y0 + (y1 - y0) * 0.035
    for i in range(4):
        ax.add_patch(
            Rectangle((xs + i * length / 4, ys), length / 4, h,
                      facecolor="black" if i % 2 == 0 else "white",
                      edgecolor="black", linewidth=0.5, zorder=8)
        )  # fmt: skip

    def num(v: float) -> str:
        return f"{v:g}".replace(".", ",") if lang == "vi" else f"{v:g}"

    halo = [withStroke(linewidth=1.5, foreground="white")]
    unit = label("scale_km", lang)
    for frac, txt in ((0, "0"), (0.5, num(length_km / 2)), (1, f"{num(length_km)} {unit}")):
        ax.text(xs + frac * length, ys + 1.8 * h, txt, fontsize=6, **FONT, ha="center",
                va="bottom", zorder=8, path_effects=halo)  # fmt: skip


def add_north_arrow(ax: Any, *, lang: str = "vi") -> None:
    """Draw a north arrow in the upper-right corner of the axes."""
    ax.annotate(
        "", xy=(0.94, 0.965), xytext=(0.94, 0.895), xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_width=0.35,head_length=0.7", "color": "black",
                    "linewidth": 1.2}, zorder=8,
    )  # fmt: skip
    ax.text(0.94, 0.87, label("north", lang), transform=ax.transAxes, ha="center", va="top",
            fontsize=9, fontweight="bold", **FONT, zorder=8)  # fmt: skip


def _frame(ax: Any, gdf_m: gpd.GeoDataFrame, margin: float = 0.03) -> None:
    minx, miny, maxx, maxy = gdf_m.total_bounds
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    ax.set_xlim(minx - dx, maxx + dx)
    ax.set_ylim(miny - dy, maxy + dy)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_linewidth(0.6)


def _seat_points(units_m: gpd.GeoDataFrame, new_units: pd.DataFrame) -> gpd.GeoSeries:
    by_code = units_m.set_index(units_m["code"].astype(str)).geometry
    seats = [str(s) for s in new_units["seat_code"] if str(s) in by_code.index]
    pts = by_code.loc[seats].representative_point()
    return pts


def _draw_new_units(
    ax: Any,
    units_m: gpd.GeoDataFrame,
    new_m: gpd.GeoDataFrame,
    *,
    old_lw: float = 0.25,
    new_lw: float = 0.8,
    seats: bool = True,
    seat_size: float = 9,
    colours: list[str] | None = None,
) -> gpd.GeoSeries:
    new_m.plot(ax=ax, color=colours or colour_groups(new_m), edgecolor="none", zorder=1)
    units_m.boundary.plot(ax=ax, color=OLD_EDGE, linewidth=old_lw, zorder=2)
    new_m.boundary.plot(ax=ax, color=NEW_EDGE, linewidth=new_lw, zorder=3)
    pts = _seat_points(units_m, new_m)
    if seats and len(pts):
        ax.scatter(pts.x, pts.y, s=seat_size, marker="o", facecolor=SEAT_COLOUR,
                   edgecolor="white", linewidth=0.4, zorder=5)  # fmt: skip
    return pts


def _legend_handles(lang: str, *, seats: bool = True) -> list[Any]:
    handles: list[Any] = [
        Patch(facecolor=PALETTE[0], edgecolor=NEW_EDGE, linewidth=0.8,
              label=label("legend_new_units", lang)),
        Line2D([], [], color=OLD_EDGE, linewidth=0.5, label=label("legend_old_boundary", lang)),
    ]  # fmt: skip
    if seats:
        handles.append(
            Line2D([], [], marker="o", linestyle="none", markerfacecolor=SEAT_COLOUR,
                   markeredgecolor="white", markersize=5, label=label("legend_seat", lang))
        )  # fmt: skip
    return handles


def _source_text(lang: str, source: str | None) -> str:
    return label("source_note", lang, source=source or DATA_SOURCE[lang],
                 date=date.today().strftime("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d"))  # fmt: skip


def _new_unit_labels(new_m: gpd.GeoDataFrame, only_merged: bool = False) -> list[_Label]:
    out = []
    for rec, geom in zip(new_m.to_dict("records"), new_m.geometry, strict=True):
        if only_merged and int(rec.get("n_members", 1)) < 2:
            continue
        name = str(rec.get("name") or rec.get("new_unit"))
        one, two = _split_name(name)
        x, y = _anchor(geom)
        out.append(_Label(one, two, x, y, priority=float(geom.area)))
    return out


def _draw_index(
    fig: Figure,
    missing: list[tuple[int, str, _Label]],
    lang: str,
    rect: tuple[float, float, float, float],
    *,
    fontsize: float = 5.5,
) -> None:
    """Write the numbered-label index in columns inside ``rect`` (figure fraction)."""
    if not missing:
        return
    x0, y0, w, h = rect
    head = "Nhãn đánh số trên bản đồ:" if lang == "vi" else "Numbered labels on the map:"
    fig.text(x0, y0 + h, head, fontsize=fontsize, fontweight="bold", ha="left", va="top", **FONT)
    line_h = fontsize * 1.25 / 72.0 / fig.get_figheight()
    rows = max(1, int((h - line_h) // line_h))
    ncols = math.ceil(len(missing) / rows)
    col_w = w / max(ncols, 4)
    for i, (k, text, _lab) in enumerate(missing):
        c, r = divmod(i, rows)
        fig.text(x0 + c * col_w, y0 + h - (r + 1) * line_h, f"{k}. {text}", fontsize=fontsize,
                 ha="left", va="top", **FONT)  # fmt: skip


def _inset_rect(
    ax: Any,
    box: tuple[float, float, float, float],
    union: Any,
    *,
    max_frac: float = 0.45,
    min_zoom: float = 1.8,
    max_cover: float = 0.12,
) -> tuple[float, float, float, float] | None:
    """Choose where to put a zoom inset of ``box`` (data) inside ``ax``.

    Returns the inset rectangle in figure fraction — the corner of the axes whose area
    covers the least of ``union`` — or None when the zoom would be below ``min_zoom`` or
    the best corner covers more than ``max_cover`` of its area with ``union``.
    """
    ax.apply_aspect()
    pos = ax.get_position()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bw, bh = box[2] - box[0], box[3] - box[1]
    fw = max_frac
    fig_w, fig_h = ax.figure.get_figwidth(), ax.figure.get_figheight()
    fh = fw * (bh / bw) * (pos.width * fig_w) / (pos.height * fig_h)
    if fh > max_frac:
        fw, fh = fw * max_frac / fh, max_frac
    corners = (
        (0.015, 0.015),
        (0.015, 0.985 - fh),
        (0.985 - fw, 0.09),
        (0.985 - fw, 0.84 - fh),
    )
    best, best_cost = corners[0], float("inf")
    for fx, fy in corners:
        rect = shapely.box(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0),
                           x0 + (fx + fw) * (x1 - x0), y0 + (fy + fh) * (y1 - y0))  # fmt: skip
        cost = rect.intersection(union).area + 10 * rect.intersection(shapely.box(*box)).area
        if cost < best_cost:
            best, best_cost = (fx, fy), cost
    fx, fy = best
    zoom = fw * (x1 - x0) / bw
    if zoom < min_zoom or best_cost > max_cover * fw * fh * (x1 - x0) * (y1 - y0):
        return None
    return (pos.x0 + fx * pos.width, pos.y0 + fy * pos.height, fw * pos.width, fh * pos.height)


def _dense_box(
    missing: list[tuple[int, str, _Label]], units_m: gpd.GeoDataFrame, *, frac: float = 0.11
) -> tuple[float, float, float, float] | None:
    """Return a box around the densest cluster of unplaced labels (None if no cluster).

    The centre is the unplaced anchor with most other unplaced anchors within ``frac`` of
    the map extent; the box covers those anchors plus a margin.
    """
    xs = np.array([m[2].x for m in missing])
    ys = np.array([m[2].y for m in missing])
    minx, miny, maxx, maxy = units_m.total_bounds
    radius = frac * max(maxx - minx, maxy - miny)
    d = np.hypot(xs[:, None] - xs[None, :], ys[:, None] - ys[None, :])
    counts = (d <= radius).sum(axis=1)
    if counts.max() < 4:
        return None
    near = d[int(counts.argmax())] <= radius
    bx0, bx1, by0, by1 = xs[near].min(), xs[near].max(), ys[near].min(), ys[near].max()
    m = 0.1 * max(bx1 - bx0, by1 - by0) + 1000.0
    return (bx0 - m, by0 - m, bx1 + m, by1 + m)


def _clean(ax: Any) -> None:
    ax.set_xlabel("")
    ax.set_ylabel("")


def _seat_boxes(ax: Any, pts: gpd.GeoSeries, r_pt: float) -> list[tuple[float, float, float, float]]:
    r = r_pt * ax.figure.dpi / 72.0
    out = []
    for x, y in zip(pts.x, pts.y, strict=True):
        cx, cy = ax.transData.transform((x, y))
        out.append((cx - r, cy - r, cx + r, cy + r))
    return out


def _add_inset(
    fig: Figure,
    ax: Any,
    units_m: gpd.GeoDataFrame,
    new_m: gpd.GeoDataFrame,
    pts: gpd.GeoSeries,
    box: tuple[float, float, float, float],
    rect: tuple[float, float, float, float],
) -> tuple[Any, gpd.GeoSeries]:
    """Draw a zoom inset of ``box`` at ``rect`` (figure fraction); outline ``box`` on ``ax``."""
    inside = shapely.box(*box)
    ax.add_patch(Rectangle((box[0], box[1]), box[2] - box[0], box[3] - box[1], fill=False,
                           edgecolor="black", linewidth=0.9, linestyle="--", zorder=7))  # fmt: skip
    ax_in = fig.add_axes(rect)
    colours = colour_groups(new_m)
    hit = new_m.geometry.intersects(inside).to_numpy()
    clip = new_m[hit].clip(inside)
    clip.plot(ax=ax_in, color=[c for c, h in zip(colours, hit, strict=True) if h],
              edgecolor="none", zorder=1)  # fmt: skip
    units_m.clip(inside).boundary.plot(ax=ax_in, color=OLD_EDGE, linewidth=0.3, zorder=2)
    clip.boundary.plot(ax=ax_in, color=NEW_EDGE, linewidth=0.9, zorder=3)
    ipts = pts[[inside.contains(p) for p in pts]]
    ax_in.scatter(ipts.x, ipts.y, s=14, marker="o", facecolor=SEAT_COLOUR, edgecolor="white",
                  linewidth=0.5, zorder=5)  # fmt: skip
    ax_in.set_xlim(box[0], box[2])
    ax_in.set_ylim(box[1], box[3])
    ax_in.set_aspect("equal", adjustable="box")
    ax_in.set_xticks([])
    ax_in.set_yticks([])
    for sp in ax_in.spines.values():
        sp.set_linewidth(0.9)
        sp.set_linestyle("--")
    _clean(ax_in)
    ax_in.set_zorder(10)
    ax_in.apply_aspect()
    return ax_in, ipts


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
    units_m, new_m = _metric(units, crs), _metric(new_units, crs)
    minx, miny, maxx, maxy = units_m.total_bounds
    portrait = (maxy - miny) >= (maxx - minx) * 0.9
    size = A4_IN if portrait else A4_IN[::-1]
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.03, 0.2, 0.94, 0.73))
    _frame(ax, units_m)
    pts = _draw_new_units(ax, units_m, new_m)
    _clean(ax)
    fig.suptitle(title or label("map_after", lang, n=len(new_m)), fontsize=14,
                 fontweight="bold", y=0.98, **FONT)  # fmt: skip
    if subtitle:
        fig.text(0.5, 0.947, subtitle, ha="center", va="center", fontsize=10, **FONT)
    add_scale_bar(ax, lang=lang)
    add_north_arrow(ax, lang=lang)
    missing: list[tuple[int, str, _Label]] = []
    if labels:
        ax.apply_aspect()
        all_labels = _new_unit_labels(new_m)
        big, small = 5.5, 3.5  # font sizes (pt) of names on the main map
        trial = place_labels(ax, all_labels, obstacles=_seat_boxes(ax, pts, 2.0), draw=False,
                             max_size=big, min_size=small)  # fmt: skip
        box = _dense_box(trial, units_m) if len(trial) > 5 else None
        rect = _inset_rect(ax, box, units_m.geometry.union_all()) if box is not None else None
        if box is not None and rect is not None:
            ax_in, ipts = _add_inset(fig, ax, units_m, new_m, pts, box, rect)
            inside = shapely.box(*box)
            in_box = [inside.contains(shapely.Point(lb.x, lb.y)) for lb in all_labels]
            main_labels = [lb for lb, b in zip(all_labels, in_box, strict=True) if not b]
            inset_labels = [lb for lb, b in zip(all_labels, in_box, strict=True) if b]
            ipos = ax_in.get_position()
            (fx0, fy0), (fx1, fy1) = fig.transFigure.transform([(ipos.x0, ipos.y0), (ipos.x1, ipos.y1)])
            obstacles = [*_seat_boxes(ax, pts, 2.0), (fx0, fy0, fx1, fy1)]
            missing = place_labels(ax, main_labels, obstacles=obstacles, max_size=big, min_size=small)
            missing += place_labels(ax_in, inset_labels, obstacles=_seat_boxes(ax_in, ipts, 2.5),
                                    max_size=6.0, min_size=4.0,
                                    first_number=len(missing) + 1)  # fmt: skip
        else:
            missing = place_labels(
                ax, all_labels, obstacles=_seat_boxes(ax, pts, 2.0), max_size=big, min_size=small
            )
    fig.legend(handles=_legend_handles(lang), loc="upper left", bbox_to_anchor=(0.03, 0.195),
               ncol=3, frameon=False, prop={"size": 8, **FONT})  # fmt: skip
    _draw_index(fig, missing, lang, (0.03, 0.045, 0.94, 0.11))
    fig.text(0.03, 0.015, _source_text(lang, source), fontsize=6.5, ha="left", va="bottom",
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
    units_m, new_m = _metric(units, crs), _metric(new_units, crs)
    fig = Figure(figsize=A4_IN[::-1], dpi=dpi)
    FigureCanvasAgg(fig)
    axes = [fig.add_axes((0.02, 0.12, 0.47, 0.76)), fig.add_axes((0.51, 0.12, 0.47, 0.76))]
    for ax in axes:
        _frame(ax, units_m)
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
                x, y = _anchor(geom)
                labs.append(_Label(nm, _split_name(nm)[1] if nm.count(" ") else nm, x, y,
                                   priority=-float(geom.area)))  # fmt: skip
            place_labels(before, labs, max_size=7.5, min_size=5.5)
    else:
        units_m.plot(ax=before, color=PALETTE[4], edgecolor=OLD_EDGE, linewidth=0.25)
    _clean(before)
    before.set_title(label("map_before", lang, n=len(units_m)), fontsize=11, **FONT)
    _draw_new_units(ax=after, units_m=units_m, new_m=new_m, old_lw=0.2, new_lw=0.7, seat_size=5)
    missing = place_labels(after, _new_unit_labels(new_m, only_merged=True),
                           max_size=5.0, min_size=3.5)  # fmt: skip
    _clean(after)
    after.set_title(label("map_after", lang, n=len(new_m)), fontsize=11, **FONT)
    add_scale_bar(after, lang=lang)
    add_north_arrow(after, lang=lang)
    add_north_arrow(before, lang=lang)
    fig.suptitle(title or "", fontsize=13, fontweight="bold", y=0.97, **FONT)
    fig.legend(handles=_legend_handles(lang), loc="lower left", bbox_to_anchor=(0.51, 0.055),
               ncol=3, frameon=False, prop={"size": 7, **FONT})  # fmt: skip
    _draw_index(fig, missing, lang, (0.51, 0.035, 0.47, 0.05), fontsize=5)
    fig.text(0.02, 0.012, _source_text(lang, source), fontsize=6, ha="left", va="bottom",
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
    units_m = _metric(units, crs)
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
        _frame(ax, units_m)
        new_m = _metric(new_units, crs)
        members = new_m["members"].astype(str).tolist()
        fixed = {k: colour_of[m] for k, m in enumerate(members) if m in colour_of}
        colours = colour_groups(new_m, fixed=fixed)
        for m, col in zip(members, colours, strict=True):
            colour_of.setdefault(m, col)  # same members -> same colour in every panel
        _draw_new_units(ax, units_m, new_m, old_lw=0.15, new_lw=0.5, seat_size=3, colours=colours)
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
        _clean(ax)
        ax.set_title(f"{name}\n{sub}", fontsize=8.5, **FONT)
        if i == 0:
            add_scale_bar(ax, lang=lang)
            add_north_arrow(ax, lang=lang)
    handles = _legend_handles(lang)
    if outlined:
        handles.append(Line2D([], [], color="#d7301f", linewidth=1, label=label("legend_changed", lang)))
    fig.suptitle(title or label("sheet_title", lang), fontsize=13, fontweight="bold", y=0.975, **FONT)
    lowest = 1.0
    for a in fig.axes:
        a.apply_aspect()
        lowest = min(lowest, a.get_position().y0)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.02, max(lowest - 0.01, 0.08)),
               ncol=4, frameon=False, prop={"size": 7, **FONT})  # fmt: skip
    fig.text(0.02, 0.015, _source_text(lang, source), fontsize=6, ha="left", va="bottom", **FONT)
    return fig


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
