"""Per-province summary and national map of an assessment (e.g. the 2026 check of all 3,321 units).

``sapxep assess --out a.csv`` on data with several provinces also writes ``a_provinces.csv``
(one row per province: how many units fall short of each standard, must be arranged, are
undetermined, have a suspect population) and ``a_map.png`` (every unit coloured by its
verdict, province boundaries on top). Both are built from the same assessment table.
"""

from __future__ import annotations

import logging
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sapxep.geodata.crs import metric_crs
from sapxep.scenarios.csvfile import write_csv
from sapxep.units.choices import Lang
from sapxep.units.files import atomic_path

logger = logging.getLogger(__name__)

#: Verdict of each unit on the map, in drawing order, with its colour.
VERDICT_COLOURS: dict[str, str] = {
    "meets": "#d9ead3",
    "below": "#f6b26b",
    "must_arrange": "#cc0000",
    "undetermined": "#b7b7b7",
}
_VERDICT_LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "meets": "Đạt tiêu chuẩn",
        "below": "Chưa đạt tiêu chuẩn",
        "must_arrange": "Thuộc diện phải sắp xếp",
        "undetermined": "Chưa xác định (dân số nghi vấn hoặc chưa có tiêu chuẩn)",
    },
    "en": {
        "meets": "Meets the standard",
        "below": "Below the standard",
        "must_arrange": "Must be arranged",
        "undetermined": "Undetermined (suspect population or no standard)",
    },
}


def below_known(table: pd.DataFrame) -> pd.Series:
    """True where the unit is known to fall short of its standard.

    With a suspect population the area alone can settle it (area below the standard).
    """
    determined = table["determined"].astype(bool) if "determined" in table else True
    area_short = (table["area_km2"] < table["area_min_km2"]) & (table["area_min_km2"] > 0)
    return ~table["meets_standard"].astype(bool) & (determined | area_short)


def unit_verdicts(table: pd.DataFrame) -> pd.Series:
    """Return one verdict per unit: ``must_arrange``, ``below``, ``undetermined`` or ``meets``.

    Parameters
    ----------
    table : pandas.DataFrame
        An assessment (``sapxep.units.assessment.assess_units``).

    Returns
    -------
    pandas.Series
        Indexed like ``table``.
    """
    determined = table["determined"].astype(bool) if "determined" in table else True
    must = table["must_arrange"].astype(bool) & ~table["exempt"].astype(bool)
    below = below_known(table)
    out = np.where(
        must, "must_arrange", np.where(below, "below", np.where(~determined, "undetermined", "meets"))
    )
    return pd.Series(out, index=table.index)


def province_summary(units: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Count, per province, the units that fall short of each standard.

    Parameters
    ----------
    units : pandas.DataFrame
        The units assessed (``code``, ``province_code``, ``province``).
    table : pandas.DataFrame
        Their assessment (index = code; columns of ``assess_units``).

    Returns
    -------
    pandas.DataFrame
        One row per province (sorted by code) and a last ``TOTAL`` row: ``province_code,
        province, n_units, n_meets, n_below_standard, n_must_arrange, n_undetermined,
        n_population_suspect``, then ``below_<standard>`` for each standard met in the data
        (e.g. ``below_xa_other``, ``below_phuong_all``; units whose verdict is undetermined
        are not counted as below).
    """
    t = table.copy()
    t["verdict"] = unit_verdicts(t)
    where = units.set_index(units["code"].astype(str))[["province_code", "province"]]
    t = t.join(where, how="left")
    t["below"] = below_known(t)
    keys = ["province_code", "province"]
    grouped = t.groupby(keys, sort=True)
    out = pd.DataFrame(
        {
            "n_units": grouped.size(),
            "n_meets": grouped["verdict"].agg(lambda v: int((v == "meets").sum())),
            "n_below_standard": grouped["below"].sum().astype(int),
            "n_must_arrange": grouped["verdict"].agg(lambda v: int((v == "must_arrange").sum())),
            "n_undetermined": grouped["determined"].agg(lambda v: int((~v.astype(bool)).sum())),
            "n_population_suspect": grouped["population_suspect"].sum().astype(int),
        }
    )
    per_standard = t[t["below"]].pivot_table(index=keys, columns="standard", values="code", aggfunc="count")
    per_standard = per_standard.reindex(out.index).fillna(0).astype(int)
    per_standard.columns = [f"below_{c}" for c in per_standard.columns]
    out = out.join(per_standard).reset_index()
    total = out.drop(columns=keys).sum()
    total_row = pd.DataFrame([{"province_code": "", "province": "TOTAL", **total.to_dict()}])
    return pd.concat([out, total_row], ignore_index=True)


def national_map_figure(
    units: gpd.GeoDataFrame, table: pd.DataFrame, *, title: str, lang: Lang = "vi", simplify_m: float = 300.0
) -> Figure:
    """Draw every unit coloured by its verdict, with province boundaries.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        The units assessed (``code``, ``province_code``, geometry).
    table : pandas.DataFrame
        Their assessment.
    title : str
        Map title.
    lang : {"vi", "en"}
    simplify_m : float, default 300.0
        Topology-preserving simplification of the drawn outlines, metres (drawing only).

    Returns
    -------
    matplotlib.figure.Figure
    """
    gdf = units[["code", "province_code", "geometry"]].copy()
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    target = metric_crs(gdf)
    # simplify in degrees first (Douglas-Peucker, drawing only), then reproject far fewer vertices
    tol_deg = simplify_m / 111_000.0
    provinces = _province_outlines(gdf, tol_deg).to_crs(target)
    gdf["geometry"] = shapely.simplify(gdf.geometry.to_numpy(), tol_deg, preserve_topology=False)
    gdf = gdf[~gdf.geometry.is_empty].to_crs(target)
    verdict = unit_verdicts(table).reindex(gdf["code"].astype(str).to_numpy()).fillna("undetermined")
    gdf["verdict"] = verdict.to_numpy()
    fig = Figure(figsize=(8.27, 11.69))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.08, 0.96, 0.86))
    labels = _VERDICT_LABELS[lang]
    handles = []
    for key, colour in VERDICT_COLOURS.items():
        part = gdf[gdf["verdict"] == key]
        if len(part):
            part.plot(ax=ax, color=colour, edgecolor="white", linewidth=0.05)
        handles.append(Patch(facecolor=colour, edgecolor="#666666", label=f"{labels[key]} ({len(part)})"))
    provinces.boundary.plot(ax=ax, color="#333333", linewidth=0.4)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=10, family=["sans-serif"])
    fig.legend(handles=handles, loc="lower center", ncols=2, fontsize=7, frameon=False)
    return fig


def _province_outlines(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoSeries:
    """Province outlines: union of the unsimplified units (coverage union when clean), simplified."""
    parts = []
    for _, group in gdf.groupby("province_code"):
        geoms = group.geometry.to_numpy()
        try:
            shape = shapely.coverage_union_all(geoms)
        except shapely.errors.GEOSException:
            shape = shapely.union_all(geoms)
        parts.append(shapely.simplify(shape, tolerance, preserve_topology=False))
    return gpd.GeoSeries(parts, crs=gdf.crs)


def write_national_outputs(
    units: gpd.GeoDataFrame, table: pd.DataFrame, out: str | Path, *, title: str, lang: Lang = "vi"
) -> list[Path]:
    """Write ``<stem>_provinces.csv`` and ``<stem>_map.png`` beside ``out``.

    Parameters
    ----------
    units, table
        See :func:`province_summary`.
    out : str or Path
        The assessment's output file; the two files are written in its folder.
    title : str
        Map title.
    lang : {"vi", "en"}

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out)
    summary_path = out.with_name(f"{out.stem}_provinces.csv")
    map_path = out.with_name(f"{out.stem}_map.png")
    summary = province_summary(units, table)
    write_csv(summary_path, summary)
    fig = national_map_figure(units, table, title=title, lang=lang)
    with atomic_path(map_path) as tmp:
        fig.savefig(tmp, format="png", dpi=200, facecolor="white")
    logger.info("wrote %s and %s (%d provinces)", summary_path.name, map_path.name, len(summary) - 1)
    return [summary_path, map_path]
