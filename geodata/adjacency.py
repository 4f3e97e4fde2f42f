"""Adjacency graph of units, tolerant to slivers and small gaps.

Two units are neighbours when they lie within ``snap_m`` metres of each other in a
metric CRS (STRtree ``dwithin`` query). Each edge carries ``shared_border_m``, an
estimate of the length of their common boundary after snapping:

    shared_border_m = mean over both directions of
        max(0, length(boundary(a) ∩ buffer(b, snap_m)) - 2 * snap_m)

(the ``2 * snap_m`` removes the stretch of boundary near the ends of the common
border that a buffer of ``snap_m`` also catches; two squares meeting at a corner get
0, two squares sharing a side of length L get L).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Final, Literal

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from sapxep.geodata.crs import metric_geometries
from sapxep.units.choices import ISLAND_POLICIES, IslandPolicy
from sapxep.units.errors import DataValidationError, format_codes

logger = logging.getLogger(__name__)

Contiguity = Literal["rook", "queen"]
CONTIGUITIES: Final[tuple[str, ...]] = ("rook", "queen")
NODE_ATTRIBUTES: Final[tuple[str, ...]] = (
    "name",
    "population",
    "area_km2",
    "parent_code",
    "unit_type",
    "terrain",
)


def _check_options(contiguity: str, island_policy: str, snap_m: float) -> None:
    if contiguity not in CONTIGUITIES:
        raise ValueError(f"contiguity must be one of {CONTIGUITIES}, got {contiguity!r}")
    if island_policy not in ISLAND_POLICIES:
        raise ValueError(f"island_policy must be one of {ISLAND_POLICIES}, got {island_policy!r}")
    if not snap_m > 0:
        raise ValueError(f"snap_m must be positive, got {snap_m!r}")


def _links(links: Iterable[tuple[str, str]], codes: set[str]) -> list[tuple[str, str]]:
    """Validate explicit links; raise one error listing every bad link."""
    out, problems = [], []
    for i, link in enumerate(links):
        try:
            a, b = (str(x) for x in link)
        except (TypeError, ValueError):
            problems.append(f"link {i + 1} {link!r} is not a pair of codes")
            continue
        unknown = [c for c in (a, b) if c not in codes]
        if unknown:
            problems.append(f"link {a}–{b}: unknown codes {', '.join(unknown)}")
        elif a == b:
            problems.append(f"link {a}–{b} joins a unit to itself")
        else:
            out.append((a, b))
    if problems:
        raise DataValidationError(
            f"{len(problems)} invalid links", problems + ["give links as (code_a, code_b) pairs"]
        )
    return out


def _border_lengths(geoms: np.ndarray, left: np.ndarray, right: np.ndarray, snap_m: float) -> np.ndarray:
    """Return the snapped shared-border estimate (m) of each pair (see module doc)."""
    if len(left) == 0:
        return np.zeros(0)
    boundaries = shapely.boundary(geoms)
    buffered = shapely.buffer(geoms, snap_m, quad_segs=2)
    ab = shapely.length(shapely.intersection(boundaries[left], buffered[right]))
    ba = shapely.length(shapely.intersection(boundaries[right], buffered[left]))
    return np.maximum(0.0, (ab + ba) / 2.0 - 2.0 * snap_m)


def build_adjacency(
    gdf: gpd.GeoDataFrame,
    *,
    snap_m: float = 20.0,
    contiguity: Contiguity = "rook",
    min_border_m: float = 30.0,
    island_policy: IslandPolicy = "error",
    links: Iterable[tuple[str, str]] = (),
) -> nx.Graph:
    """Build the unit adjacency graph.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units table (``code`` unique; ``name``, ``population``, ``area_km2``,
        ``parent_code``, ``unit_type``, ``terrain`` copied to the nodes when present).
    snap_m : float, default 20.0
        Units closer than this (metres, metric CRS) are candidate neighbours; closes
        slivers and gaps narrower than ``snap_m``.
    contiguity : {"rook", "queen"}, default "rook"
        "rook": neighbours share a border of at least ``min_border_m``; "queen": any
        contact within ``snap_m`` (a corner is enough).
    min_border_m : float, default 30.0
        Shortest shared border that makes rook neighbours, metres.
    island_policy : {"error", "links", "ignore"}, default "error"
        What to do with units that have no neighbour and with parts of the graph
        not connected to the largest part: "error" raises, "links" joins each
        detached part to the nearest unit outside it by an edge of kind "link",
        "ignore" leaves the graph disconnected.
    links : iterable of (str, str), default ()
        Explicit connections (a ferry, a bridge), added as edges of kind "link"
        under every policy.

    Returns
    -------
    networkx.Graph
        Nodes: codes with attributes ``name, population, area_km2, parent_code,
        unit_type, terrain, x_m, y_m`` (point on surface, metric CRS). Edges:
        ``shared_border_m`` (float, 0 for links) and ``kind`` ("border" or "link").
        ``graph.graph["crs"]`` holds the metric CRS (EPSG string).

    Raises
    ------
    ValueError
        If an option is unknown.
    DataValidationError
        If codes are duplicated, a link names unknown codes, or (policy "error")
        the graph has islands or several components; the message lists the codes.
    """
    _check_options(contiguity, island_policy, snap_m)
    codes = _unique_codes(gdf)
    explicit = _links(links, set(codes))
    geoms, crs = metric_geometries(gdf)
    left, right, border = _neighbour_pairs(geoms, snap_m, min_border_m if contiguity == "rook" else None)
    graph = _graph_with_nodes(gdf, codes, geoms, crs.to_string())
    for a, b, length in zip(left, right, border, strict=True):
        graph.add_edge(codes[a], codes[b], shared_border_m=float(length), kind="border")
    for a, b in explicit:
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, shared_border_m=0.0, kind="link")

    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    if len(components) > 1:
        if island_policy == "error":
            raise DataValidationError(
                f"the adjacency graph has {len(components)} separate parts",
                _component_problems(graph, components),
            )
        if island_policy == "links":
            _link_components(graph, geoms, codes)
    logger.info(
        "adjacency (%s, snap %g m): %d units, %d edges, %d parts",
        contiguity,
        snap_m,
        graph.number_of_nodes(),
        graph.number_of_edges(),
        nx.number_connected_components(graph),
    )
    return graph


def _unique_codes(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Return the unit codes as strings; raise if one appears more than once."""
    codes = gdf["code"].astype(str).to_numpy()
    dup = pd.Series(codes)[pd.Series(codes).duplicated()]
    if len(dup):
        raise DataValidationError(
            "cannot build the adjacency graph",
            [f"codes appear more than once: {format_codes(dict.fromkeys(dup))}"],
        )
    return codes


def _neighbour_pairs(
    geoms: np.ndarray, snap_m: float, min_border_m: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return index pairs (left < right) of units within ``snap_m`` and their shared border.

    With ``min_border_m`` (rook contiguity) only pairs sharing at least that border are kept.
    """
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=snap_m)
    keep = left < right
    left, right = left[keep], right[keep]
    border = _border_lengths(geoms, left, right, snap_m)
    if min_border_m is not None:
        ok = border >= min_border_m
        left, right, border = left[ok], right[ok], border[ok]
    return left, right, border


def _graph_with_nodes(gdf: gpd.GeoDataFrame, codes: np.ndarray, geoms: np.ndarray, crs: str) -> nx.Graph:
    """Return a graph with one node per unit: its attributes and a point on its surface (metres)."""
    points = shapely.point_on_surface(geoms)
    xs, ys = shapely.get_x(points), shapely.get_y(points)
    graph = nx.Graph(crs=crs)
    columns = [c for c in NODE_ATTRIBUTES if c in gdf.columns]
    records = gdf[columns].to_dict("records") if columns else [{} for _ in codes]
    for code, rec, x, y in zip(codes, records, xs, ys, strict=True):
        attrs = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in rec.items()}
        graph.add_node(code, **attrs, x_m=float(x), y_m=float(y))
    return graph


def _component_problems(graph: nx.Graph, components: list[set[str]]) -> list[str]:
    """Describe the detached parts (all but the largest) of a graph."""
    islands = sorted(c for comp in components[1:] if len(comp) == 1 for c in comp)
    groups = [sorted(comp) for comp in components[1:] if len(comp) > 1]
    problems = []
    if islands:
        problems.append(f"{len(islands)} units have no neighbour (islands: {format_codes(islands)})")
    for group in groups:
        problems.append(f"a detached group of {len(group)} units: {format_codes(group)}")
    problems.append(
        f"the largest part has {len(components[0])} of {graph.number_of_nodes()} units; "
        'add explicit links (e.g. a ferry: links = [["code_a", "code_b"]] in the scenario\'s [data]), '
        "use --island-policy links to join each part to its nearest unit, or --island-policy ignore"
    )
    return problems


def _link_components(graph: nx.Graph, geoms: np.ndarray, codes: np.ndarray) -> None:
    """Join every detached part to the nearest unit outside it (edges of kind "link")."""
    index = {c: i for i, c in enumerate(codes)}
    while nx.number_connected_components(graph) > 1:
        parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
        part = parts[-1]
        inside = np.array(sorted(index[c] for c in part))
        outside = np.setdiff1d(np.arange(len(codes)), inside)
        tree = shapely.STRtree(geoms[outside])
        near_in, near_out = tree.query_nearest(geoms[inside], all_matches=False)
        dist = shapely.distance(geoms[inside][near_in], geoms[outside][near_out])
        k = int(np.argmin(dist))
        a, b = codes[inside[near_in[k]]], codes[outside[near_out[k]]]
        graph.add_edge(a, b, shared_border_m=0.0, kind="link")
        logger.info("linked detached part of %d units (%s–%s, %.0f m)", len(part), a, b, dist[k])


def connected_components_report(graph: nx.Graph) -> pd.DataFrame:
    """Describe the connected parts of an adjacency graph.

    Parameters
    ----------
    graph : networkx.Graph
        Graph from :func:`build_adjacency`.

    Returns
    -------
    pandas.DataFrame
        One row per part, largest first: ``component`` (0 = largest), ``n_units``,
        ``population`` (sum of node ``population`` where present) and ``codes``
        (";"-joined, sorted).
    """
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    rows = [
        {
            "component": i,
            "n_units": len(comp),
            "population": int(sum(graph.nodes[c].get("population", 0) or 0 for c in comp)),
            "codes": ";".join(sorted(comp)),
        }
        for i, comp in enumerate(components)
    ]
    return pd.DataFrame(rows, columns=["component", "n_units", "population", "codes"])
