"""Names on maps: label anchors, greedy collision-free placement, numbered labels and their key."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patheffects import withStroke
from shapely.ops import polylabel

from sapxep.scenarios.export.cartography import FONT
from sapxep.scenarios.messages import label

logger = logging.getLogger(__name__)


@dataclass
class MapLabel:
    """A name to place: one- and two-line texts, anchor (data units) and priority (smaller first)."""

    text_one: str
    text_two: str
    x: float
    y: float
    priority: float
    dims: dict[Any, Any] = field(default_factory=dict)  # measured text sizes, per size/dpi


def split_name(name: str) -> tuple[str, str]:
    """Return a name on one line and on two lines (type word, then the proper name)."""
    for prefix in ("Thị trấn ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name, prefix.strip() + "\n" + name[len(prefix) :]
    words = name.split()
    half = max(1, len(words) // 2)
    return name, " ".join(words[:half]) + "\n" + " ".join(words[half:])


def label_anchor(geom: Any) -> tuple[float, float]:
    """A point well inside the largest part of a polygon (pole of inaccessibility)."""
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    try:
        p = polylabel(geom, tolerance=max(math.sqrt(geom.area) / 50.0, 1.0))
    except Exception:  # noqa: BLE001 - degenerate shapes fall back to a surface point
        p = geom.representative_point()
    return float(p.x), float(p.y)


#: Candidate label offsets, in label half-widths/heights: anchor, then three rings.
_OFFSETS: tuple[tuple[float, float], ...] = ((0.0, 0.0),) + tuple(
    (r * dx, r * dy)
    for r in (0.55, 1.1, 1.7)
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


def _measure(ax: Any, lab: MapLabel, size: float, renderer: Any) -> dict[str, tuple[float, float]]:
    """Display size of both variants of a label at ``size`` pt (cached on the label)."""
    key = (size, ax.figure.dpi)
    if lab.dims.get(key) is None:
        dims = {}
        for variant in (lab.text_one, lab.text_two):
            t = ax.text(0, 0, variant, fontsize=size, **FONT, ha="center", va="center", linespacing=0.95)
            bb = t.get_window_extent(renderer)
            dims[variant] = (bb.width, bb.height)
            t.remove()
        lab.dims[key] = dims
    return dict(lab.dims[key])


def _free_spot(dims: dict[str, tuple[float, float]], variants: tuple[str, str], x0: float, y0: float,
               sizes: np.ndarray, max_size: float, pad: float, frame: Any,
               taken: np.ndarray) -> tuple[float, str, float, float, np.ndarray] | None:  # fmt: skip
    """First (size, variant, x, y, box) that fits in the frame and overlaps nothing taken."""
    for fs in sizes:
        for variant in variants:
            w, h = dims[variant]
            w, h = w * fs / max_size + 2 * pad, h * fs / max_size + 2 * pad
            for dx, dy in _OFFSETS:
                cx, cy = x0 + dx * w, y0 + dy * h
                box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
                if box[0] < frame.x0 or box[1] < frame.y0 or box[2] > frame.x1 or box[3] > frame.y1:
                    continue
                if not _overlaps(box, taken):
                    return float(fs), variant, cx, cy, box
    return None


def place_labels(
    ax: Any,
    labels: list[MapLabel],
    *,
    max_size: float = 6.0,
    min_size: float = 4.0,
    obstacles: list[tuple[float, float, float, float]] | None = None,
    draw: bool = True,
    first_number: int = 1,
) -> list[tuple[int, str, MapLabel]]:
    """Place labels greedily without overlap; return the unplaced ones, numbered.

    Labels are placed smallest unit first. Each tries font sizes from ``max_size`` down to
    ``min_size`` (0.5 pt steps), one line then two lines, at its anchor and on three rings of
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
    missing: list[tuple[int, str, MapLabel]] = []
    sizes = np.arange(max_size, min_size - 1e-9, -0.5)
    pad = 0.8 * fig.dpi / 72.0
    frame = ax.bbox
    for lab in sorted(labels, key=lambda lb: lb.priority):
        x0, y0 = ax.transData.transform((lab.x, lab.y))
        dims = _measure(ax, lab, max_size, renderer)
        arr = np.array(placed) if placed else np.zeros((0, 4))
        choice = _free_spot(dims, (lab.text_one, lab.text_two), x0, y0, sizes, max_size, pad, frame, arr)
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
                    break
            # the number's box is taken even when crowded, so later names keep clear of it
            placed.append([nx_ - w / 2, ny_ - h / 2, nx_ + w / 2, ny_ + h / 2])
            if draw:
                xd, yd = ax.transData.inverted().transform((nx_, ny_))
                ax.text(xd, yd, str(k), fontsize=min_size, **FONT, ha="center",
                        va="center", fontweight="bold", path_effects=halo, zorder=6)  # fmt: skip
            missing.append((k, lab.text_one, lab))
    return missing


def new_unit_labels(new_m: gpd.GeoDataFrame, only_merged: bool = False) -> list[MapLabel]:
    """Return one label per new unit (only merged ones with ``only_merged``), anchored inside it."""
    out = []
    for rec, geom in zip(new_m.to_dict("records"), new_m.geometry, strict=True):
        if only_merged and int(rec.get("n_members", 1)) < 2:
            continue
        name = str(rec.get("name") or rec.get("new_unit"))
        one, two = split_name(name)
        x, y = label_anchor(geom)
        out.append(MapLabel(one, two, x, y, priority=float(geom.area)))
    return out


def _key_layout(texts: list[str], w_in: float, h_in: float, fontsize: float) -> tuple[int, int] | None:
    """Rows and columns of a key at ``fontsize`` in a w×h inch box, or None if it does not fit."""
    line = fontsize * 1.3 / 72.0
    rows = int((h_in - line) // line)
    if rows < 1:
        return None
    ncols = math.ceil(len(texts) / rows)
    widest = max(len(t) for t in texts) * fontsize * 0.56 / 72.0  # DejaVu Sans: ~0.56 em per letter
    return (rows, ncols) if ncols * widest <= w_in else None


def draw_label_key(
    fig: Figure,
    missing: list[tuple[int, str, MapLabel]],
    lang: str,
    rect: tuple[float, float, float, float],
    *,
    fontsize: float = 6.0,
    min_fontsize: float = 4.5,
) -> None:
    """Write the key of numbered names in columns inside ``rect`` (figure fraction).

    The font shrinks from ``fontsize`` to ``min_fontsize`` until the columns fit the box;
    a key that still does not fit is written at ``min_fontsize`` across the width.
    """
    if not missing:
        return
    x0, y0, w, h = rect
    fw, fh = fig.get_figwidth(), fig.get_figheight()
    texts = [f"{k}. {text}" for k, text, _lab in missing]
    size, layout = fontsize, None
    while size >= min_fontsize - 1e-9:
        layout = _key_layout(texts, w * fw, h * fh, size)
        if layout is not None:
            break
        size -= 0.25
    size = max(size, min_fontsize)
    line_h = size * 1.3 / 72.0 / fh
    rows, ncols = layout or (max(1, int((h - line_h) // line_h)), 0)
    ncols = ncols or math.ceil(len(texts) / rows)
    col_w = w / ncols
    fig.text(x0, y0 + h, label("label_key", lang), fontsize=size + 0.5, fontweight="bold",
             ha="left", va="top", **FONT)  # fmt: skip
    for i, text in enumerate(texts):
        c, r = divmod(i, rows)
        fig.text(x0 + c * col_w, y0 + h - (r + 1) * line_h, text, fontsize=size, ha="left",
                 va="top", **FONT)  # fmt: skip


def dense_box(
    missing: list[tuple[int, str, MapLabel]], units_m: gpd.GeoDataFrame, *, frac: float = 0.11
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


def seat_boxes(ax: Any, pts: gpd.GeoSeries, r_pt: float) -> list[tuple[float, float, float, float]]:
    """Return display-space boxes around seat markers (obstacles for labels)."""
    r = r_pt * ax.figure.dpi / 72.0
    out = []
    for x, y in zip(pts.x, pts.y, strict=True):
        cx, cy = ax.transData.transform((x, y))
        out.append((cx - r, cy - r, cx + r, cy + r))
    return out
