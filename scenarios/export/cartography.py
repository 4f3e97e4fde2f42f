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
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.patheffects import withStroke

from sapxep.scenarios.messages import DATA_SOURCE, label

logger = logging.getLogger(__name__)


#: Pastel palette for new units (ColorBrewer Set3, lightened so names stay legible).
PALETTE: tuple[str, ...] = (
    "#b3e4db", "#ffffc9", "#d4d1e8", "#fcaea5", "#aacbe3", "#fdcb97",
    "#d0eaa0", "#fce0ef", "#e6e6e6", "#d4a9d3", "#dcf1d6", "#fff39c",
)  # fmt: skip
FONT: dict[str, Any] = {"family": ["sans-serif"]}
A4_IN = (8.27, 11.69)
#: Paper sizes (portrait width, height in inches) for ``--paper``.
PAPER_IN: dict[str, tuple[float, float]] = {"A4": A4_IN, "A3": (11.69, 16.54)}
ORIENTATIONS: tuple[str, ...] = ("portrait", "landscape")
NEW_EDGE = "#333333"
OLD_EDGE = "#7a7a7a"
DISTRICT_EDGE = "#5b3a8c"
SEAT_COLOUR = "#b2182b"
#: Fill of new units that keep a single old unit (unchanged): pale, so mergers stand out.
UNCHANGED_FILL = "#f3f1ea"


def paper_size(paper: str, orientation: str) -> tuple[float, float]:
    """Return (width, height) in inches of ``paper`` ("A4"/"A3") in ``orientation``.

    Raises
    ------
    ValueError
        If the paper or the orientation is unknown.
    """
    if paper not in PAPER_IN:
        raise ValueError(f"paper must be one of {', '.join(PAPER_IN)}, not {paper!r}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be portrait or landscape, not {orientation!r}")
    w, h = PAPER_IN[paper]
    return (w, h) if orientation == "portrait" else (h, w)


def to_metric(gdf: gpd.GeoDataFrame, crs: Any) -> gpd.GeoDataFrame:
    """Return ``gdf`` in the metric CRS ``crs`` (WGS84 assumed when it has none)."""
    from sapxep.geodata.crs import to_metric as geodata_to_metric

    return geodata_to_metric(gdf if gdf.crs is not None else gdf.set_crs(4326), crs)


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
    fills = list(colours or colour_groups(new_m))
    if "n_members" in new_m:  # unchanged units pale, so the mergers stand out
        fills = [UNCHANGED_FILL if int(n) < 2 else c for c, n in zip(fills, new_m["n_members"], strict=True)]
    new_m.plot(ax=ax, color=fills, edgecolor="none", zorder=1)
    units_m.boundary.plot(ax=ax, color=OLD_EDGE, linewidth=old_lw, zorder=2)
    new_m.boundary.plot(ax=ax, color=NEW_EDGE, linewidth=new_lw, zorder=3)
    pts = seat_points(units_m, new_m)
    if seats and len(pts):
        ax.scatter(pts.x, pts.y, s=seat_size, marker="o", facecolor=SEAT_COLOUR,
                   edgecolor="white", linewidth=0.4, zorder=5)  # fmt: skip
    return pts


def legend_handles(
    lang: str,
    *,
    seats: bool = True,
    unchanged: bool = True,
    districts: bool = False,
    zoom: bool = False,
    numbered: bool = False,
) -> list[Any]:
    """Return the legend entries of a map: one per class drawn.

    The new-unit entry is a swatch of several palette colours (a tuple of patches: draw the
    legend with :data:`LEGEND_HANDLERS`), since neighbouring new units get different colours.
    """
    swatch = tuple(Patch(facecolor=c, edgecolor=NEW_EDGE, linewidth=0.6) for c in PALETTE[:4])
    handles: list[Any] = [(swatch, label("legend_new_units", lang))]
    if unchanged:
        handles.append((Patch(facecolor=UNCHANGED_FILL, edgecolor=NEW_EDGE, linewidth=0.6),
                        label("legend_unchanged", lang)))  # fmt: skip
    handles.append((Line2D([], [], color=NEW_EDGE, linewidth=1.2), label("legend_new_boundary", lang)))
    handles.append((Line2D([], [], color=OLD_EDGE, linewidth=0.5), label("legend_old_boundary", lang)))
    if districts:
        handles.append((Line2D([], [], color=DISTRICT_EDGE, linewidth=1.0, linestyle=(0, (4, 2))),
                        label("legend_district", lang)))  # fmt: skip
    if seats:
        dot = Line2D([], [], marker="o", linestyle="none", markerfacecolor=SEAT_COLOUR,
                     markeredgecolor="white", markersize=5)  # fmt: skip
        handles.append((dot, label("legend_seat", lang)))
    if zoom:
        handles.append((Patch(facecolor="none", edgecolor="black", linestyle="--", linewidth=0.8),
                        label("legend_zoom", lang)))  # fmt: skip
    if numbered:
        handles.append((Line2D([], [], marker="$1$", linestyle="none", color="black", markersize=6),
                        label("legend_numbered", lang)))  # fmt: skip
    return handles


#: Legend handler map for :func:`legend_handles` (a tuple of patches as one striped swatch).
LEGEND_HANDLERS: dict[Any, Any] = {tuple: HandlerTuple(ndivide=None, pad=0.0)}


def add_legend(fig: Figure, handles: list[Any], *, loc: str, anchor: tuple[float, float],
               ncol: int, size: float, title: str | None = None) -> Any:  # fmt: skip
    """Draw :func:`legend_handles` entries as a figure legend (optionally titled)."""
    legend: Any = fig.legend
    return legend(
        title=title, title_fontproperties={"size": size + 0.5, "weight": "bold", **FONT}, alignment="left",
        handles=[h for h, _ in handles], labels=[t for _, t in handles], loc=loc,
        bbox_to_anchor=anchor, ncol=ncol, frameon=False, handler_map=LEGEND_HANDLERS,
        prop={"size": size, **FONT}, handlelength=2.6, columnspacing=1.4,
    )  # fmt: skip


def district_outlines(units_m: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Return the old districts (units dissolved by ``parent_code``), or None without parents."""
    if "parent_code" not in units_m or units_m["parent_code"].isna().all():
        return None
    parents = units_m["parent_code"].astype(str).to_numpy()
    districts = units_m[["geometry"]].assign(geometry=units_m.geometry.buffer(25.0)).dissolve(by=parents)
    districts["geometry"] = districts.geometry.buffer(-25.0)
    return districts


def draw_districts(ax: Any, units_m: gpd.GeoDataFrame, *, linewidth: float = 1.0) -> bool:
    """Draw the old district boundaries dashed; return whether any were drawn."""
    districts = district_outlines(units_m)
    if districts is None or len(districts) < 2:
        return False
    districts.boundary.plot(ax=ax, color=DISTRICT_EDGE, linewidth=linewidth,
                            linestyle=(0, (4, 2)), zorder=4)  # fmt: skip
    return True


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


#: Simplified province outlines for the location inset, by the state they show, derived from the
#: bundled nationwide communes (geodata/data/ATTRIBUTION.md): 63 provinces (2019), 34 (2025).
OUTLINE_FILES: dict[str, str] = {
    "2019": "vietnam_provinces_2019_outline.geojson",
    "2025": "vietnam_provinces_2025_outline.geojson",
}
#: Archipelagos shown by name on the location inset (approximate centres, lon/lat).
ARCHIPELAGOS: tuple[tuple[str, float, float], ...] = (
    ("archipelago_hoang_sa", 112.0, 16.5),
    ("archipelago_truong_sa", 114.2, 10.0),
)


def outline_vintage(state_date: str) -> str:
    """The province outlines to show for units in the state of ``state_date`` (ISO date)."""
    return "2025" if state_date >= "2025-07-01" else "2019"


def _province_outlines(vintage: str) -> gpd.GeoDataFrame | None:
    from sapxep.geodata.datasets import data_dir

    path = data_dir() / OUTLINE_FILES.get(vintage, OUTLINE_FILES["2019"])
    return gpd.read_file(path) if path.exists() else None


def add_location_inset(fig: Figure, rect: tuple[float, float, float, float], units: gpd.GeoDataFrame,
                       lang: str, vintage: str = "2019") -> Any | None:  # fmt: skip
    """Draw a small map of Vietnam with the mapped area in red at ``rect`` (figure fraction).

    ``vintage`` ("2019"/"2025") chooses the province outlines drawn (:data:`OUTLINE_FILES`).
    Returns the axes, or None when the outline file is not installed.
    """
    provinces = _province_outlines(vintage)
    if provinces is None:
        return None
    ax = fig.add_axes(rect)
    provinces.plot(ax=ax, color="#e9e9e9", edgecolor="#9a9a9a", linewidth=0.15, zorder=1)
    area = units.to_crs(4326).geometry.union_all().simplify(0.005)
    gpd.GeoSeries([area], crs=4326).plot(ax=ax, color=SEAT_COLOUR, edgecolor=SEAT_COLOUR,
                                         linewidth=0.4, zorder=2)  # fmt: skip
    for key, lon, lat in ARCHIPELAGOS:
        ax.scatter([lon], [lat], s=1.5, color="#555555", zorder=3)
        ax.text(lon, lat - 0.45, label(key, lang), fontsize=4, ha="center", va="top",
                color="#333333", **FONT)  # fmt: skip
    clean_axes(ax)
    ax.set_xlim(101.8, 117.8)
    ax.set_ylim(8.0, 23.6)
    ax.set_aspect(1.04)  # 1 / cos(16°): lon/lat degrees at the latitude of the country's middle
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_linewidth(0.5)
    ax.set_title(label("location_title", lang), fontsize=6.5, pad=2, **FONT)
    return ax
