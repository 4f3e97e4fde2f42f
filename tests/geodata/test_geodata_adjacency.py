"""Adjacency graphs on box grids and on the bundled Phú Thọ data."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
import shapely
from geodata_grid import METRIC, X0, Y0, grid_units

from sapxep.geodata.adjacency import build_adjacency, connected_components_report
from sapxep.geodata.io import load_dataset
from sapxep.units.errors import DataValidationError


def with_unit(gdf, code: str, geometry) -> object:
    """Return ``gdf`` plus one unit with ``code`` and ``geometry``."""
    extra = gdf.iloc[[0]].copy()
    extra["code"] = code
    extra["name"] = f"Xã Đảo {code}"
    extra["geometry"] = [geometry]
    return pd.concat([gdf, extra], ignore_index=True)


def test_rook_grid_has_side_neighbours_only() -> None:
    graph = build_adjacency(grid_units(3, 3))
    assert graph.number_of_nodes() == 9
    assert graph.number_of_edges() == 12  # 2 * 3 * (3 - 1)
    assert graph.has_edge("00001", "00002")
    assert not graph.has_edge("00001", "00005")  # diagonal
    assert nx.is_connected(graph)


def test_queen_grid_adds_diagonals() -> None:
    graph = build_adjacency(grid_units(3, 3), contiguity="queen")
    assert graph.number_of_edges() == 12 + 8
    assert graph.has_edge("00001", "00005")
    assert graph.edges["00001", "00005"]["shared_border_m"] == pytest.approx(0.0, abs=1.0)


def test_shared_border_and_node_attributes() -> None:
    graph = build_adjacency(grid_units(2, 1, cell_m=1500.0))
    edge = graph.edges["00001", "00002"]
    assert edge["kind"] == "border"
    assert edge["shared_border_m"] == pytest.approx(1500.0, rel=1e-6)
    node = graph.nodes["00001"]
    assert node["name"] == "Xã Ô 1"
    assert node["population"] == 1000
    assert node["area_km2"] == pytest.approx(2.25)
    assert node["parent_code"] == "001"
    assert node["unit_type"] == "xa"
    assert node["terrain"] == "lowland"
    assert X0 < node["x_m"] < X0 + 1500 and Y0 < node["y_m"] < Y0 + 1500
    assert graph.graph["crs"] == METRIC


def test_min_border_drops_short_contacts() -> None:
    graph = build_adjacency(grid_units(2, 1), min_border_m=1500.0, island_policy="ignore")
    assert graph.number_of_edges() == 0


def test_sliver_gap_closed_by_snapping() -> None:
    gdf = grid_units(2, 1, gap_m=5.0)  # 5 m strip between the two cells
    graph = build_adjacency(gdf, snap_m=20.0)
    assert graph.has_edge("00001", "00002")
    assert graph.edges["00001", "00002"]["shared_border_m"] == pytest.approx(995.0, rel=0.02)
    with pytest.raises(DataValidationError, match="00002"):
        build_adjacency(gdf, snap_m=2.0)


def test_island_reported_with_its_code() -> None:
    gdf = with_unit(grid_units(2, 2), "00099", shapely.box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000))
    with pytest.raises(DataValidationError, match="islands: 00099") as info:
        build_adjacency(gdf)
    assert "links" in str(info.value)  # says how to fix


def test_island_policies() -> None:
    gdf = with_unit(grid_units(2, 2), "00099", shapely.box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000))
    ignored = build_adjacency(gdf, island_policy="ignore")
    assert nx.number_connected_components(ignored) == 2
    linked = build_adjacency(gdf, island_policy="links")
    assert nx.is_connected(linked)
    (a, b, data), *_ = [(a, b, d) for a, b, d in linked.edges(data=True) if d["kind"] == "link"]
    assert {a, b} == {"00099", "00002"}  # the nearest unit of the grid
    assert data["shared_border_m"] == 0.0


def test_explicit_link_connects_island() -> None:
    gdf = with_unit(grid_units(2, 2), "00099", shapely.box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000))
    graph = build_adjacency(gdf, links=[("00001", "00099")])
    assert nx.is_connected(graph)
    assert graph.edges["00001", "00099"]["kind"] == "link"


def test_links_with_unknown_codes_are_reported() -> None:
    with pytest.raises(DataValidationError, match="77777") as info:
        build_adjacency(grid_units(2, 2), links=[("00001", "77777"), ("00002", "00002")])
    assert "itself" in str(info.value)


def test_unknown_option_is_rejected() -> None:
    with pytest.raises(ValueError, match="contiguity"):
        build_adjacency(grid_units(2, 2), contiguity="bishop")  # type: ignore[arg-type]


def test_components_report() -> None:
    gdf = with_unit(grid_units(2, 2), "00099", shapely.box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000))
    report = connected_components_report(build_adjacency(gdf, island_policy="ignore"))
    assert report["n_units"].tolist() == [4, 1]
    assert report["population"].tolist() == [4000, 1000]
    assert report.loc[1, "codes"] == "00099"


def test_phu_tho_2023_graph_is_connected() -> None:
    gdf = load_dataset("phu_tho_2023")
    graph = build_adjacency(gdf)
    assert graph.number_of_nodes() == 225
    assert nx.is_connected(graph)
    degrees = [d for _, d in graph.degree()]
    assert min(degrees) >= 1 and max(degrees) <= 12
    long_borders = sum(1 for *_, d in graph.edges(data=True) if d["shared_border_m"] > 50)
    # SOURCES.md: 540 edges with an exactly shared border > 50 m; snapping finds a few more.
    assert 540 <= long_borders <= 640
