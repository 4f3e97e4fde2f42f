"""The co-assignment map of an ensemble: stability of each unit, frequency of each adjacent pair.

Units are filled by their stability (share of plans giving them their most common grouping);
a line joins the centres of every two adjacent units, darker and thicker the more often they
end in the same new unit. A plan (e.g. a saved scenario) can be outlined on top.
"""

from __future__ import annotations

import io
import logging

import geopandas as gpd
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from sapxep.scenarios.messages import tr
from sapxep.units.plan import MergePlan

logger = logging.getLogger(__name__)

STABILITY_CMAP = "YlGnBu"
PAIR_CMAP = "Reds"


def coassignment_figure(
    units: gpd.GeoDataFrame,
    pairs: pd.DataFrame,
    stab: pd.DataFrame,
    *,
    plan: MergePlan | None = None,
    n_plans: int | None = None,
    lang: str = "vi",
    width_in: float = 8.0,
) -> Figure:
    """Draw the co-assignment map.

    Parameters
    ----------
    units : GeoDataFrame
        Units table (any CRS; drawn in its metric CRS).
    pairs : DataFrame
        :func:`sapxep.scenarios.analysis.ensemble.co_assignment`.
    stab : DataFrame
        :func:`sapxep.scenarios.analysis.ensemble.stability`.
    plan : MergePlan, optional
        Outline its new units.
    n_plans : int, optional
        Shown in the title.
    lang : {"vi", "en"}
    width_in : float
        Figure width in inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from sapxep.geodata.crs import metric_crs

    gdf = units[["code", "geometry"]].copy()
    gdf["code"] = gdf["code"].astype(str)
    gdf = gdf.to_crs(metric_crs(gdf))
    gdf["stability"] = gdf["code"].map(stab.set_index("code")["stability"]).astype(float)
    xmin, ymin, xmax, ymax = gdf.total_bounds
    aspect = (ymax - ymin) / max(1.0, xmax - xmin)
    fig = Figure(figsize=(width_in, max(4.0, width_in * aspect * 0.9 + 1.2)))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.1, 0.96, 0.8))
    gdf.plot(ax=ax, column="stability", cmap=STABILITY_CMAP, vmin=0, vmax=1, edgecolor="#9a9a9a",
             linewidth=0.3)  # fmt: skip
    pts = gdf.set_index("code").geometry.representative_point()
    segs, freq = [], []
    for r in pairs.itertuples(index=False):
        if r.code_a in pts.index and r.code_b in pts.index:
            a, b = pts[r.code_a], pts[r.code_b]
            segs.append([(a.x, a.y), (b.x, b.y)])
            freq.append(float(r.frequency))
    lines = LineCollection(
        segs, array=freq, cmap=PAIR_CMAP, norm=None, linewidths=[0.3 + 2.2 * f for f in freq]
    )
    lines.set_clim(0, 1)
    ax.add_collection(lines)
    if plan is not None:
        groups = gdf.assign(new_unit=gdf["code"].map(plan.assignment.astype(str))).dissolve("new_unit")
        groups.boundary.plot(ax=ax, color="black", linewidth=0.9)
    ax.set_axis_off()
    ax.set_aspect("equal")
    title = tr("ens_map_title", lang)
    if n_plans:
        title += " (" + tr("ens_n_plans", lang, n=n_plans) + ")"
    fig.suptitle(title, fontsize=10, family=["sans-serif"])
    cax1 = fig.add_axes((0.08, 0.05, 0.38, 0.02))
    cb1 = fig.colorbar(ax.collections[0], cax=cax1, orientation="horizontal")
    cb1.set_label(tr("ens_stability", lang), fontsize=7, family=["sans-serif"])
    cax2 = fig.add_axes((0.54, 0.05, 0.38, 0.02))
    cb2 = fig.colorbar(lines, cax=cax2, orientation="horizontal")
    cb2.set_label(tr("ens_coassign", lang), fontsize=7, family=["sans-serif"])
    for cb in (cb1, cb2):
        cb.ax.tick_params(labelsize=7)
    logger.info("co-assignment map: %d units, %d pairs", len(gdf), len(segs))
    return fig


def figure_png(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (in memory)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": "sapxep"})
    return buf.getvalue()
