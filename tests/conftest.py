"""Shared fixtures: the bundled datasets, read once per test session.

Reading and normalising a bundled dataset takes about a second; tests get a fresh copy of a
session-wide table, so a test that modifies its units never affects another test.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pytest

from sapxep.geodata.io import load_dataset


@pytest.fixture(scope="session")
def bundled_dataset() -> Callable[[str], gpd.GeoDataFrame]:
    """Return a loader of bundled datasets that reads each one once per session and hands out copies."""
    cache: dict[str, gpd.GeoDataFrame] = {}

    def load(name: str) -> gpd.GeoDataFrame:
        if name not in cache:
            cache[name] = load_dataset(name)
        return cache[name].copy()

    return load


@pytest.fixture
def phu_tho_2023(bundled_dataset: Callable[[str], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The bundled Phú Thọ 2020–2024 units (225), a fresh copy."""
    return bundled_dataset("phu_tho_2023")


@pytest.fixture
def phu_tho_2019(bundled_dataset: Callable[[str], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The bundled Phú Thọ 2009–2019 units (277), a fresh copy."""
    return bundled_dataset("phu_tho_2019")


@pytest.fixture
def vietnam_2025(bundled_dataset: Callable[[str], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The bundled nationwide 2025 units (3,321, 34 provinces), read once per session, a fresh copy."""
    return bundled_dataset("vietnam_2025")
