"""Clean the topology of a units file: valid polygons, no overlaps, small gaps filled.

Most public Vietnamese boundary files are not a clean coverage: neighbouring polygons
overlap and leave gaps (the bundled nationwide 2019 file: ≈ 300 overlaps and ≈ 400 gaps
above 0.01 km² in Bắc Giang alone). :func:`clean_units` repairs this in a metric CRS:

1. invalid geometries are made valid (``shapely.make_valid``, polygonal parts kept);
2. several rows with the same code (a multipart unit stored as parts) are dissolved
   into one row, when their other attributes agree;
3. overlaps are resolved with ``shapely.coverage_clean`` (GEOS ≥ 3.14): each
   overlapping piece goes to the neighbour with the longest shared border, and shared
   edges become identical;
4. gaps (holes between units) up to ``gap_tol_km2`` are given to the neighbour with the
   longest shared border; larger ones (often units missing from the file) are kept and
   reported;
5. the result is returned in EPSG:4326 with a per-unit report (km² added/removed, % of
   the unit's area). If any unit changes by more than ``max_change_pct`` the cleaning is
   refused, naming the units; the limit can be raised.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from sapxep.geodata.crs import metric_crs
from sapxep.geodata.normalise import is_blank
from sapxep.units.errors import DataValidationError, format_codes

logger = logging.getLogger(__name__)

#: Columns of the per-unit report.
REPORT_COLUMNS = (
    "code", "name", "area_before_km2", "area_after_km2", "added_km2", "removed_km2", "change_pct",
    "repaired", "dissolved_parts",
)  # fmt: skip


class CleanRefusedError(DataValidationError):
    """Cleaning would change some units more than the allowed limit."""


@dataclass(frozen=True)
class CleanResult:
    """Output of :func:`clean_units`.

    Attributes
    ----------
    units : geopandas.GeoDataFrame
        The cleaned table (EPSG:4326), one row per code, other columns as given.
    report : pandas.DataFrame
        One row per unit: :data:`REPORT_COLUMNS`.
    summary : dict
        ``n_units``, ``n_repaired``, ``n_dissolved``, ``overlap_km2`` (resolved),
        ``gaps_filled``, ``gaps_filled_km2``, ``gaps_left``, ``gaps_left_km2``,
        ``max_change_pct``, ``crs_in``, ``metric_crs``.
    notes : list of str
        Sentences for the output (large gaps kept, CRS converted, …).
    """

    units: gpd.GeoDataFrame
    report: pd.DataFrame
    summary: dict[str, object]
    notes: list[str] = field(default_factory=list)


def _polygonal(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """Keep the polygonal parts of a geometry (make_valid may add lines or points)."""
    if geom is None or geom.is_empty:
        return geom
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def _repair(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Make geometries valid and polygonal; return them and a mask of repaired rows."""
    out = geoms.copy()
    bad = ~shapely.is_valid(out) & ~shapely.is_missing(out)
    if bad.any():
        fixed = shapely.make_valid(out[bad], method="structure", keep_collapsed=False)
        out[bad] = [_polygonal(g) for g in fixed]
    return out, bad


def _dissolve_duplicates(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, dict[str, int], list[str]]:
    """Dissolve rows sharing a code; return the frame, parts per code, and problems."""
    codes = gdf["code"].map(lambda v: None if is_blank(v) else str(v))
    dup = codes[codes.notna() & codes.duplicated(keep=False)]
    if dup.empty:
        return gdf, {}, []
    geom = gdf.geometry.name
    problems = []
    parts: dict[str, int] = {}
    keep = np.ones(len(gdf), dtype=bool)
    out = gdf.copy()
    for code, rows in dup.groupby(dup).groups.items():
        idx = [gdf.index.get_loc(r) for r in rows]
        attrs = gdf.iloc[idx].drop(columns=[geom]).astype(str)
        differing = [c for c in attrs.columns if attrs[c].nunique() > 1]
        if differing:
            problems.append(
                f"code {code} appears in {len(idx)} rows that differ in {', '.join(differing[:5])}: "
                "they are not parts of one unit; correct the codes"
            )
            continue
        out.iloc[idx[0], out.columns.get_loc(geom)] = shapely.union_all(gdf.geometry.iloc[idx].to_numpy())
        keep[idx[1:]] = False
        parts[str(code)] = len(idx)
    return out[keep].reset_index(drop=True), parts, problems


def _fill_gaps(geoms: np.ndarray, gap_tol_m2: float) -> tuple[np.ndarray, list[float], list[float]]:
    """Give each hole of the union up to ``gap_tol_m2`` to the neighbour with the longest border."""
    union = shapely.union_all(geoms)
    holes = [
        shapely.Polygon(ring)
        for part in getattr(union, "geoms", [union])
        if isinstance(part, shapely.Polygon)
        for ring in part.interiors
    ]
    tree = shapely.STRtree(geoms)
    out = geoms.copy()
    filled, left = [], []
    for hole in holes:
        area = hole.area
        if area > gap_tol_m2:
            left.append(area)
            continue
        near = tree.query(hole, predicate="dwithin", distance=1.0)
        if len(near) == 0:
            left.append(area)
            continue
        edge = hole.boundary.buffer(1.0)
        borders = shapely.length(shapely.intersection(shapely.boundary(geoms[near]), edge))
        k = int(near[int(np.argmax(borders))])
        out[k] = shapely.union_all([out[k], hole])
        filled.append(area)
    return out, filled, left


def _report(
    gdf: gpd.GeoDataFrame, before: np.ndarray, after: np.ndarray, repaired: np.ndarray, parts: dict[str, int]
) -> pd.DataFrame:
    a0, a1 = shapely.area(before) / 1e6, shapely.area(after) / 1e6
    added = shapely.area(shapely.difference(after, before)) / 1e6
    removed = shapely.area(shapely.difference(before, after)) / 1e6
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(a0 > 0, 100.0 * (added + removed) / a0, np.nan)
    codes = gdf["code"].astype(str).to_numpy()
    names = gdf["name"].to_numpy() if "name" in gdf.columns else np.full(len(gdf), "")
    return pd.DataFrame(
        {
            "code": codes,
            "name": names,
            "area_before_km2": a0.round(6),
            "area_after_km2": a1.round(6),
            "added_km2": added.round(6),
            "removed_km2": removed.round(6),
            "change_pct": pct.round(3),
            "repaired": repaired,
            "dissolved_parts": [parts.get(c, 1) for c in codes],
        }  # fmt: skip
    )


def clean_units(
    gdf: gpd.GeoDataFrame,
    *,
    gap_tol_km2: float = 1.0,
    max_change_pct: float = 10.0,
    snapping_m: float = -1.0,
) -> CleanResult:
    """Make a units table a clean coverage (see the module docstring for the steps).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units with a ``code`` column (after column mapping) and a CRS.
    gap_tol_km2 : float, default 1.0
        Largest gap that is filled (``--gap-tol``), km². Larger holes are kept.
    max_change_pct : float, default 10.0
        Refuse when a unit gains plus loses more than this share of its area
        (``--max-change-pct``).
    snapping_m : float, default -1
        Vertex snapping distance passed to ``shapely.coverage_clean`` (metres;
        -1 = automatic, 0 = none).

    Returns
    -------
    CleanResult

    Raises
    ------
    DataValidationError
        No code column, no CRS, non-polygon geometries, or parts of one code whose
        attributes differ.
    CleanRefusedError
        Some unit would change by more than ``max_change_pct`` (the units are named).
    """
    _check_cleanable(gdf)
    crs_in = gdf.crs.to_string()
    metric = metric_crs(gdf)
    work, repaired_codes = _repaired_polygons(gdf.to_crs(metric).reset_index(drop=True))
    work, parts, dup_problems = _dissolve_duplicates(work)
    if dup_problems:
        raise DataValidationError("cannot clean the units", dup_problems)
    before = work.geometry.to_numpy()
    overlap = _overlap_area(before)
    cleaned = _coverage_clean(before, snapping_m)
    cleaned, filled, left = _fill_gaps(np.asarray(cleaned, dtype=object), gap_tol_km2 * 1e6)
    cleaned = np.array([_polygonal(g) for g in cleaned], dtype=object)
    report = _report(work, before, cleaned, work["code"].astype(str).isin(repaired_codes).to_numpy(), parts)
    _refuse_big_changes(report, max_change_pct)
    out = work.set_geometry(gpd.GeoSeries(cleaned, crs=metric, index=work.index)).to_crs("EPSG:4326")
    notes = []
    if left:
        notes.append(
            f"{len(left)} gaps larger than {gap_tol_km2:g} km² were kept ({sum(left) / 1e6:.3f} km² in all; "
            "often units missing from the file): raise --gap-tol to fill them"
        )
    if crs_in != "EPSG:4326":
        notes.append(f"coordinates converted from {crs_in} to EPSG:4326 (longitude/latitude)")
    summary: dict[str, object] = {
        "n_units": len(out), "n_repaired": int(report["repaired"].sum()), "n_dissolved": len(parts),
        "overlap_km2": round(overlap / 1e6, 6), "gaps_filled": len(filled),
        "gaps_filled_km2": round(sum(filled) / 1e6, 6), "gaps_left": len(left),
        "gaps_left_km2": round(sum(left) / 1e6, 6),
        "max_change_pct": float(np.nan_to_num(report["change_pct"].max())),
        "crs_in": crs_in, "metric_crs": metric.to_string(),
    }  # fmt: skip
    logger.info("cleaned %d units: %s", len(out), summary)
    return CleanResult(out, report, summary, notes)


def _check_cleanable(gdf: gpd.GeoDataFrame) -> None:
    """Raise when the table has no ``code`` column or no CRS (both problems at once)."""
    problems = []
    if "code" not in gdf.columns:
        problems.append('no code column: name it with --columns "HEADER=code"')
    if gdf.crs is None:
        problems.append("the file does not say its coordinate system: give it with --crs")
    if problems:
        raise DataValidationError("cannot clean the units", problems)


def _repaired_polygons(work: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, set[str]]:
    """Repair the geometries of a metric table; return it and the codes repaired.

    Raises :class:`DataValidationError` naming units with no polygon or a non-polygon geometry.
    """
    geoms, repaired = _repair(work.geometry.to_numpy())
    work = work.set_geometry(gpd.GeoSeries(geoms, crs=work.crs, index=work.index))
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    not_areal = ~missing & ~np.isin(shapely.get_type_id(geoms), (3, 6))
    if missing.any() or not_areal.any():
        codes = work["code"].astype(str).to_numpy()
        shown = [f"{c} ({g.geom_type})" for c, g, m in zip(codes, geoms, not_areal, strict=True) if m]
        raise DataValidationError(
            "cannot clean the units",
            ([f"{int(missing.sum())} units have no polygon ({format_codes(codes[missing])})"] if missing.any()
             else [])
            + ([f"{len(shown)} geometries are not polygons ({format_codes(shown)}): units must be Polygon "
                "or MultiPolygon"] if shown else []),
        )  # fmt: skip
    return work, set(work.loc[repaired, "code"].astype(str))


def _coverage_clean(geoms: np.ndarray, snapping_m: float) -> np.ndarray:
    """Resolve overlaps with ``shapely.coverage_clean``; a GEOS failure becomes a project error."""
    try:
        return shapely.coverage_clean(geoms, gap_width=0.0, snapping_distance=snapping_m)
    except shapely.errors.GEOSException as exc:
        raise DataValidationError(
            "cannot clean the units",
            [f"GEOS could not clean the coverage ({exc}): repair the polygons in QGIS first"],
        ) from None


def _refuse_big_changes(report: pd.DataFrame, max_change_pct: float) -> None:
    """Raise :class:`CleanRefusedError` naming units changed by more than ``max_change_pct``."""
    too_big = report[report["change_pct"] > max_change_pct].sort_values("change_pct", ascending=False)
    if len(too_big):
        shown = [f"{r.code} {r.name} ({r.change_pct:.1f}%)" for r in too_big.itertuples()]
        raise CleanRefusedError(
            f"cleaning would change {len(too_big)} units by more than {max_change_pct:g}% of their area",
            [
                f"{format_codes(shown, limit=10)}",
                "check those boundaries, or allow it with --max-change-pct "
                f"{float(np.ceil(too_big['change_pct'].max())):g}",
            ],
        )


def _overlap_area(geoms: np.ndarray) -> float:
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    return float(shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]])).sum())
