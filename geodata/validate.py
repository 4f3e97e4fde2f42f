"""Validation of a normalised units table: attributes, geometry and topology.

:func:`validate_units` returns every problem found (an empty list means the data is
usable); the readers in :mod:`sapxep.geodata.io` raise them together as one
:class:`sapxep.units.errors.DataValidationError`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon

from sapxep.geodata.crs import metric_geometries
from sapxep.geodata.normalise import BOOL_COLUMNS, COLUMN_ALIASES, is_blank
from sapxep.geodata.notes import Note
from sapxep.units.choices import ISLAND_POLICIES, TERRAINS, UNIT_TYPES, IslandPolicy
from sapxep.units.errors import format_codes
from sapxep.units.schema import COMMUNE_CLASSES

logger = logging.getLogger(__name__)


#: Columns without which the units cannot be used at all.
ESSENTIAL_COLUMNS: Final[tuple[str, ...]] = (
    "code",
    "name",
    "unit_type",
    "population",
    "area_km2",
    "terrain",
)


def _labels(gdf: pd.DataFrame) -> list[str]:
    """Return a label per row: its code, or ``row N`` (1-based) when the code is blank."""
    if "code" not in gdf.columns:
        return [f"row {i + 1}" for i in range(len(gdf))]
    return [f"row {i + 1}" if is_blank(c) else str(c) for i, c in enumerate(gdf["code"].to_numpy())]


def _pick(labels: Sequence[str], mask: np.ndarray | pd.Series) -> list[str]:
    """Return the labels where ``mask`` is true."""
    return [lab for lab, m in zip(labels, np.asarray(mask, dtype=bool), strict=True) if m]


def _check_columns(gdf: pd.DataFrame) -> list[str]:
    problems = []
    for col in ESSENTIAL_COLUMNS:
        if col not in gdf.columns:
            names = ", ".join(COLUMN_ALIASES.get(col, (col,))[:8])
            problems.append(
                f"column '{col}' is missing: name a column one of: {names}, or map yours with "
                f'--columns "YOUR HEADER={col}"'
            )
    return problems


def _check_codes(gdf: pd.DataFrame) -> list[str]:
    if "code" not in gdf.columns:
        return []
    problems = []
    codes = gdf["code"]
    blank = codes.map(is_blank).to_numpy()
    if blank.any():
        rows = [i + 1 for i in np.flatnonzero(blank)]
        problems.append(
            f"{len(rows)} units have no code (rows {format_codes(rows)}): "
            "give every unit its official code (mã đơn vị hành chính)"
        )
    text = codes[~blank].astype(str)
    dup = text[text.duplicated(keep=False)]
    if len(dup):
        detail = [
            f"{c} (rows {', '.join(str(i + 1) for i in dup[dup == c].index)})" for c in dict.fromkeys(dup)
        ]
        problems.append(
            f"{len(detail)} codes appear more than once: {format_codes(detail)}: "
            "keep one row per unit (dissolve duplicates first) or correct the codes"
        )
    return problems


def _check_numbers(gdf: pd.DataFrame, labels: list[str], has_geometry: np.ndarray) -> list[str]:
    """Check population, areas and shares; a missing area is not reported for a missing geometry."""
    problems = []
    if "population" in gdf.columns:
        raw = gdf["population"]
        num = pd.to_numeric(raw, errors="coerce")
        blank = raw.map(is_blank).to_numpy()
        nonnum = num.isna().to_numpy() & ~blank
        if blank.any():
            problems.append(
                f"{int(blank.sum())} units have no population ({format_codes(_pick(labels, blank))})"
                ": fill in the population (persons)"
            )
        if nonnum.any():
            bad = [f"{lab} '{v}'" for lab, v, m in zip(labels, raw, nonnum, strict=True) if m]
            problems.append(
                f"{len(bad)} populations are not numbers ({format_codes(bad)}): "
                "write whole numbers without text (e.g. 12143)"
            )
        neg = (num < 0).fillna(False).to_numpy()
        if neg.any():
            problems.append(
                f"{int(neg.sum())} populations are negative ({format_codes(_pick(labels, neg))})"
                ": correct them"
            )
        frac = (num.notna() & ((num % 1) != 0)).to_numpy() & ~neg
        if frac.any():
            problems.append(
                f"{int(frac.sum())} populations are not whole numbers "
                f"({format_codes(_pick(labels, frac))}): give persons as integers"
            )
    if "area_km2_official" in gdf.columns:
        raw = gdf["area_km2_official"]
        num = pd.to_numeric(raw, errors="coerce")
        nonnum = (num.isna() & ~raw.map(is_blank)).to_numpy()
        if nonnum.any():
            bad = [f"{lab} '{v}'" for lab, v, m in zip(labels, raw, nonnum, strict=True) if m]
            problems.append(
                f"{len(bad)} official areas are not numbers ({format_codes(bad)}): "
                "write km² as a number (6,72 or 6.72) or leave the cell empty"
            )
        nonpos = (num <= 0).fillna(False).to_numpy()
        if nonpos.any():
            problems.append(
                f"{int(nonpos.sum())} official areas are zero or negative "
                f"({format_codes(_pick(labels, nonpos))}): correct them or leave them empty"
            )
    if "area_km2" in gdf.columns:
        num = pd.to_numeric(gdf["area_km2"], errors="coerce")
        missing = num.isna().to_numpy() & has_geometry
        if missing.any():
            problems.append(
                f"{int(missing.sum())} units have no area ({format_codes(_pick(labels, missing))})"
                ": give them a polygon or an official area (area_km2_official)"
            )
        neg = (num < 0).fillna(False).to_numpy()
        if neg.any():
            problems.append(f"{int(neg.sum())} areas are negative ({format_codes(_pick(labels, neg))})")
    if "ethnic_minority_share" in gdf.columns:
        raw = gdf["ethnic_minority_share"]
        num = pd.to_numeric(raw, errors="coerce")
        bad = ((num.isna() & ~raw.map(is_blank)) | (num < 0) | (num > 1)).to_numpy()
        if bad.any():
            problems.append(
                f"{int(bad.sum())} ethnic-minority shares are not numbers in 0..1 "
                f"({format_codes(_pick(labels, bad))}): write a share such as 0.35, or leave empty"
            )
    return problems


def _shown(value: object) -> str:
    """Return a value for a message: its repr, or ``empty`` for a blank cell."""
    return "empty" if is_blank(value) else repr(value)


def _check_categories(gdf: pd.DataFrame, labels: list[str]) -> list[str]:
    problems = []
    allowed_by_col: dict[str, tuple[tuple[str, ...], str]] = {
        "unit_type": (UNIT_TYPES, "use Xã, Phường, Thị trấn or Đặc khu (or a name with that prefix)"),
        "terrain": (TERRAINS, "use mountainous/lowland, or is_mountainous true/false/empty"),
        "commune_class": (COMMUNE_CLASSES + ("",), "use I, II, III or leave empty"),
    }
    for col, (allowed, fix) in allowed_by_col.items():
        if col not in gdf.columns:
            continue
        values = gdf[col]
        bad = ~values.map(lambda v, a=allowed: isinstance(v, str) and v in a).to_numpy()
        if bad.any():
            shown = [f"{lab} {_shown(v)}" for lab, v, m in zip(labels, values, bad, strict=True) if m]
            problems.append(f"{len(shown)} units have an unknown {col} ({format_codes(shown)}): {fix}")
    for col in BOOL_COLUMNS:
        if col not in gdf.columns:
            continue
        values = gdf[col]
        bad = ~values.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy()
        if bad.any():
            shown = [f"{lab} {_shown(v)}" for lab, v, m in zip(labels, values, bad, strict=True) if m]
            problems.append(
                f"{len(shown)} values of {col} are not yes/no ({format_codes(shown)}): "
                "use true/false (or 1/0, có/không)"
            )
    return problems


def _check_geometry(gdf: gpd.GeoDataFrame, labels: list[str]) -> tuple[list[str], np.ndarray]:
    """Check geometries; return problems and a mask of usable (valid areal) geometries."""
    problems = []
    geoms = gdf.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        problems.append(
            f"{int(missing.sum())} units have an empty or missing geometry "
            f"({format_codes(_pick(labels, missing))}): give each unit its polygon"
        )
    kinds = shapely.get_type_id(geoms)
    areal = np.isin(kinds, (3, 6))  # Polygon, MultiPolygon
    wrong = ~missing & ~areal
    if wrong.any():
        shown = [f"{lab} ({g.geom_type})" for lab, g, m in zip(labels, geoms, wrong, strict=True) if m]
        problems.append(
            f"{len(shown)} geometries are not polygons ({format_codes(shown)}): "
            "units must be Polygon or MultiPolygon"
        )
    invalid = ~missing & areal & ~shapely.is_valid(geoms)
    if invalid.any():
        shown = [
            f"{lab} ({shapely.is_valid_reason(g)})"
            for lab, g, m in zip(labels, geoms, invalid, strict=True)
            if m
        ]
        problems.append(
            f"{len(shown)} invalid geometries ({format_codes(shown, limit=6)}): "
            "repair them with `sapxep clean FILE --out CLEAN_FILE` (or QGIS 'Fix geometries')"
        )
    return problems, ~missing & areal & ~invalid


def _vi(value: object) -> str:
    """A number (or text holding one) with the Vietnamese decimal comma: 0.01 → 0,01."""
    return re.sub(r"(\d)\.(\d)", r"\1,\2", str(value))


def _check_topology(
    gdf: gpd.GeoDataFrame,
    labels: list[str],
    usable: np.ndarray,
    *,
    overlap_tol_km2: float,
    gap_tol_km2: float,
    snap_m: float,
    island_policy: str,
) -> list[str]:
    """Check overlaps, gaps and (with ``island_policy="error"``) islands of the usable units."""
    problems: list[str] = []
    idx = np.flatnonzero(usable)
    if len(idx) < 2:
        return problems
    sub = gdf.iloc[idx]
    geoms, _ = metric_geometries(sub)
    tree = shapely.STRtree(geoms)
    shown = [labels[i] for i in idx]
    problems += _overlap_problems(geoms, tree, shown, overlap_tol_km2)
    problems += _gap_problems(geoms, tree, shown, gap_tol_km2, snap_m)
    if island_policy == "error":
        problems += _island_problems(geoms, tree, shown, snap_m)
    return problems


def _overlap_problems(
    geoms: np.ndarray, tree: shapely.STRtree, labels: list[str], overlap_tol_km2: float
) -> list[str]:
    """Report pairs of units (metric geometries) overlapping by more than ``overlap_tol_km2``."""
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right])) / 1e6
    over = areas > overlap_tol_km2
    if not over.any():
        return []
    order = np.argsort(-areas[over])
    pairs = [
        f"{labels[a]} & {labels[b]} ({s:.3f} km²)"
        for a, b, s in zip(left[over][order], right[over][order], areas[over][order], strict=True)
    ]
    total = areas[over].sum()
    return [
        Note(
            f"{len(pairs)} pairs of units overlap by more than {overlap_tol_km2} km² "
            f"({format_codes(pairs, limit=8)}; total {total:.3f} km²): clean the file "
            "with `sapxep clean FILE --out CLEAN_FILE`, raise --overlap-tol (km²), or skip the "
            "check with --skip-topology-check",
            f"{len(pairs)} cặp đơn vị chồng lấn nhau quá {_vi(overlap_tol_km2)} km² "
            f"({format_codes([_vi(p) for p in pairs], limit=8, lang='vi')}; "
            f"tổng {_vi(f'{total:.3f}')} km²): "
            "làm sạch tệp bằng lệnh `sapxep clean TỆP --out TỆP_SẠCH`, tăng --overlap-tol (km²) hoặc bỏ "
            "kiểm tra bằng "
            "--skip-topology-check",
        )
    ]


def _gap_problems(
    geoms: np.ndarray, tree: shapely.STRtree, labels: list[str], gap_tol_km2: float, snap_m: float
) -> list[str]:
    """Report holes of the union larger than ``gap_tol_km2`` (and wider than ``snap_m``)."""
    union = shapely.union_all(geoms)
    holes = [
        Polygon(ring)
        for part in getattr(union, "geoms", [union])
        if isinstance(part, Polygon)
        for ring in part.interiors
    ]
    gaps = []
    for hole in holes:
        area_km2 = hole.area / 1e6
        if area_km2 <= gap_tol_km2 or hole.buffer(-snap_m / 2.0).is_empty:
            continue
        near = tree.query(hole, predicate="dwithin", distance=snap_m)
        gaps.append((area_km2, sorted(labels[k] for k in near)))
    if not gaps:
        return []
    gaps.sort(key=lambda g: -g[0])
    shown = [f"{a:.3f} km² between {', '.join(c[:10])}" for a, c in gaps]
    shown_vi = [f"{_vi(f'{a:.3f}')} km² giữa {', '.join(c[:10])}" for a, c in gaps]
    return [
        Note(
            f"{len(gaps)} gaps between units larger than {gap_tol_km2} km² "
            f"({format_codes(shown, limit=5)}): clean the file with `sapxep clean FILE --out "
            "CLEAN_FILE` (gives each gap to a neighbour), raise --gap-tol (km²), or skip the "
            "check with --skip-topology-check",
            f"{len(gaps)} khe hở giữa các đơn vị lớn hơn {_vi(gap_tol_km2)} km² "
            f"({format_codes(shown_vi, limit=5, lang='vi')}): làm sạch tệp bằng lệnh `sapxep clean TỆP "
            "--out TỆP_SẠCH` (giao mỗi khe hở cho một đơn vị liền kề), tăng --gap-tol (km²) hoặc bỏ "
            "kiểm tra bằng --skip-topology-check",
        )
    ]


def _island_problems(geoms: np.ndarray, tree: shapely.STRtree, labels: list[str], snap_m: float) -> list[str]:
    """Report units with no other unit within ``snap_m`` metres (islands)."""
    a, b = tree.query(geoms, predicate="dwithin", distance=snap_m)
    has_neighbour = np.zeros(len(geoms), dtype=bool)
    has_neighbour[a[a != b]] = True
    if has_neighbour.all():
        return []
    lonely = [labels[k] for k in np.flatnonzero(~has_neighbour)]
    return [
        Note(
            f"{len(lonely)} units have no neighbour within {snap_m:g} m (islands: "
            f"{format_codes(lonely)}): use --island-policy links (join each to its nearest "
            "unit) or --island-policy ignore, or add explicit links (links in the scenario's [data])",
            f"{len(lonely)} đơn vị không có đơn vị liền kề trong phạm vi {snap_m:g} m "
            f"({format_codes(lonely, lang='vi')}): dùng --island-policy links (nối với đơn vị "
            "gần nhất), --island-policy ignore, hoặc khai báo liên kết (links trong mục [data] "
            "của kịch bản)",
        )
    ]


def validate_topology(
    gdf: gpd.GeoDataFrame,
    *,
    overlap_tol_km2: float = 0.01,
    gap_tol_km2: float = 0.01,
    snap_m: float = 20.0,
    island_policy: IslandPolicy = "error",
) -> list[str]:
    """Check overlaps, gaps and (with ``island_policy="error"``) islands only.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Normalised units with a CRS.
    overlap_tol_km2, gap_tol_km2, snap_m, island_policy
        As in :func:`validate_units`.

    Returns
    -------
    list of str
        One message per kind of problem (empty when clean or without CRS).
    """
    if gdf.crs is None:
        return []
    _, usable = _check_geometry(gdf, _labels(gdf))
    return _check_topology(
        gdf, _labels(gdf), usable, overlap_tol_km2=overlap_tol_km2, gap_tol_km2=gap_tol_km2,
        snap_m=snap_m, island_policy=island_policy,
    )  # fmt: skip


def validate_units(
    gdf: gpd.GeoDataFrame,
    *,
    overlap_tol_km2: float = 0.01,
    gap_tol_km2: float = 0.01,
    snap_m: float = 20.0,
    check_topology: bool = True,
    island_policy: IslandPolicy = "error",
) -> list[str]:
    """Check a normalised units table and return every problem found.

    Checks: CRS set; essential columns present; codes present and unique; geometries
    present, polygonal and valid; population present, numeric, whole and ≥ 0; areas
    numeric and ≥ 0 (official areas > 0); ``unit_type``, ``terrain``,
    ``commune_class`` and yes/no columns hold known values; and, with
    ``check_topology``, in a metric CRS: pairwise overlaps (STRtree), gaps (holes of
    the union not inside any unit, wider than ``snap_m``) and units with no other
    unit within ``snap_m`` (islands).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units table as produced by :func:`sapxep.geodata.normalise.normalise_units`.
    overlap_tol_km2 : float, default 0.01
        Largest overlap between two units that is tolerated, km².
    gap_tol_km2 : float, default 0.01
        Largest gap (hole between units) that is tolerated, km².
    snap_m : float, default 20.0
        Distance within which units count as neighbours; gaps narrower than this
        are ignored.
    check_topology : bool, default True
        Run the overlap, gap and island checks (turn off for uncleaned data such as
        the nationwide file).
    island_policy : {"error", "links", "ignore"}, default "error"
        With "error", units without neighbour are reported.

    Returns
    -------
    list of str
        One message per kind of problem, naming the codes (or 1-based rows) and a fix.

    Raises
    ------
    ValueError
        If ``island_policy`` is unknown.
    """
    if island_policy not in ISLAND_POLICIES:
        raise ValueError(f"island_policy must be one of {ISLAND_POLICIES}, got {island_policy!r}")
    problems: list[str] = []
    if gdf.crs is None:
        problems.append(
            "the data has no coordinate system (CRS): give it with --crs, e.g. --crs EPSG:4326 for "
            "longitude/latitude"
        )
    labels = _labels(gdf)
    problems += _check_columns(gdf)
    problems += _check_codes(gdf)
    geoms = gdf.geometry.to_numpy()
    has_geometry = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    problems += _check_numbers(gdf, labels, has_geometry)
    problems += _check_categories(gdf, labels)
    geom_problems, usable = _check_geometry(gdf, labels)
    problems += geom_problems
    if check_topology and gdf.crs is not None:
        problems += _check_topology(
            gdf,
            labels,
            usable,
            overlap_tol_km2=overlap_tol_km2,
            gap_tol_km2=gap_tol_km2,
            snap_m=snap_m,
            island_policy=island_policy,
        )
    logger.info("validated %d units: %d problems", len(gdf), len(problems))
    return problems
