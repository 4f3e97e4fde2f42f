"""Map furniture and drawing: colours, new units over old boundaries, scale bar, north arrow,
legend, source note and zoom insets (axes in a metric CRS)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

import geopandas as gpd
import networkx as nx
import pandas as pd
import shapely
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.patheffects import withStroke

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


def to_metric(gdf: gpd.GeoDataFrame, crs: Any) -> gpd.GeoDataFrame:
    """Return ``gdf`` in the metric CRS ``crs`` (WGS84 assumed when it has none)."""
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


def frame_axes(ax: Any, gdf_m: gpd.GeoDataFrame, margin: float = 0.03) -> None:
    """Fit ``ax`` to the extent of ``gdf_m`` with a margin; equal aspect, no ticks."""
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


def seat_points(units_m: gpd.GeoDataFrame, new_units: pd.DataFrame) -> gpd.GeoSeries:
    """Return a point inside the seat unit of every new unit."""
    by_code = units_m.set_index(units_m["code"].astype(str)).geometry
    seats = [str(s) for s in new_units["seat_code"] if str(s) in by_code.index]
    pts = by_code.loc[seats].representative_point()
    return pts


def draw_new_units(
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
    """Draw new units in distinct colours over thin old boundaries and mark their seats.

    Returns
    -------
    GeoSeries
        The seat points drawn.
    """
    new_m.plot(ax=ax, color=colours or colour_groups(new_m), edgecolor="none", zorder=1)
    units_m.boundary.plot(ax=ax, color=OLD_EDGE, linewidth=old_lw, zorder=2)
    new_m.boundary.plot(ax=ax, color=NEW_EDGE, linewidth=new_lw, zorder=3)
    pts = seat_points(units_m, new_m)
    if seats and len(pts):
        ax.scatter(pts.x, pts.y, s=seat_size, marker="o", facecolor=SEAT_COLOUR,
                   edgecolor="white", linewidth=0.4, zorder=5)  # fmt: skip
    return pts


def legend_handles(lang: str, *, seats: bool = True) -> list[Any]:
    """Return the legend entries of a plan map."""
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


def source_text(lang: str, source: str | None) -> str:
    """Return the data-source line with today's date."""
    return label("source_note", lang, source=source or DATA_SOURCE[lang],
                 date=date.today().strftime("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d"))  # fmt: skip


def zoom_inset_rect(
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


def clean_axes(ax: Any) -> None:
    """Remove axis labels."""
    ax.set_xlabel("")
    ax.set_ylabel("")


def add_zoom_inset(
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
    clean_axes(ax_in)
    ax_in.set_zorder(10)
    ax_in.apply_aspect()
    return ax_in, ipts
