"""Datasets bundled with sapxep (shipped inside the package, no download).

Attribution and licences: ``geodata/data/ATTRIBUTION.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sapxep.units.errors import DataValidationError


@dataclass(frozen=True)
class DatasetInfo:
    """Description of a bundled dataset."""

    name: str
    title: str
    n_units: int
    vintage: str
    units_file: str
    attributes_file: str | None = None
    crosswalk_file: str | None = None
    terrain_proxy_file: str | None = None
    default_terrain: str = "lowland"
    description: str = ""
    layer: str | None = None
    subset_of: str | None = None
    province: str | None = None
    n_provinces: int | None = None
    state_date: str = ""
    """Date of the unit state (ISO), used to pick the ruleset in force by default."""


DATASETS: dict[str, DatasetInfo] = {
    "phu_tho_2023": DatasetInfo(
        name="phu_tho_2023",
        title="Phú Thọ, 225 commune-level units (state 2020-01-01 … 2024-12-31)",
        n_units=225,
        vintage="units 2020–2024 (GSO list 10/04/2023); polygons 2013 dissolved; population 2019 census",
        units_file="phu_tho_communes_2023.geojson",
        attributes_file="phu_tho_communes_2023_classification.csv",
        terrain_proxy_file="phu_tho_communes_2023_terrain_proxy.csv",
        description="Default dataset. Terrain: 12 units of Huyện Lâm Thao from a secondary text; "
        "68 units from a proxy classification (terrain_source = proxy); the rest default.",
        state_date="2023-04-10",
    ),
    "phu_tho_2019": DatasetInfo(
        name="phu_tho_2019",
        title="Phú Thọ, 277 commune-level units (state 2009 … 2019-12-31)",
        n_units=277,
        vintage="units 2009–2019; polygons 2013; population 2019 census",
        units_file="phu_tho_communes_2019.geojson",
        crosswalk_file="phu_tho_2019_to_2020_mapping.csv",
        description="Historical state before NQ 828/NQ-UBTVQH14 (277 → 225 units on 2020-01-01).",
        state_date="2019-12-31",
    ),
    "vietnam_2019": DatasetInfo(
        name="vietnam_2019",
        title="Viet Nam, 11,163 commune polygons (2013 database, 2019 codes)",
        n_units=11163,
        vintage="polygons 2013 (simplified, not topologically cleaned); codes 2019; population 2019",
        units_file="vietnam_communes_2019.geojson",
        description="Nationwide file for per-province runs; 176 polygons have no 2019 code.",
        n_provinces=63,
        state_date="2019-12-31",
    ),
    "vietnam_2025": DatasetInfo(
        name="vietnam_2025",
        title="Viet Nam, 3,321 commune-level units in 34 provinces (state from 2025-07-01)",
        n_units=3321,
        vintage=(
            "units 1 July 2025 (2,621 xã, 687 phường, 13 đặc khu); official area and population "
            "published for the 2025 arrangement; 370 populations flagged population_suspect"
        ),
        units_file="vietnam_communes_2025.gpkg",
        layer="communes",
        n_provinces=34,
        state_date="2025-07-01",
        description=(
            "Nationwide file after the two-tier reform (no districts). Suspect populations are "
            "kept raw, flagged and excluded from population checks; supply values with --attributes."
        ),
    ),
    "phu_tho_2025": DatasetInfo(
        name="phu_tho_2025",
        title="Phú Thọ, 148 commune-level units (state from 2025-07-01)",
        n_units=148,
        vintage="subset of vietnam_2025 (province 25, Phú Thọ after merging Vĩnh Phúc and Hòa Bình)",
        units_file="vietnam_communes_2025.gpkg",
        layer="communes",
        subset_of="vietnam_2025",
        province="25",
        n_provinces=1,
        state_date="2025-07-01",
        description="The new Phú Thọ (133 xã, 15 phường), a named subset of vietnam_2025.",
    ),
}


def data_dir() -> Path:
    """Return the folder holding the bundled data files."""
    return Path(str(resources.files("sapxep.geodata") / "data"))


def dataset_info(name: str) -> DatasetInfo:
    """Return the description of a bundled dataset.

    Parameters
    ----------
    name : str
        One of :data:`DATASETS`.

    Returns
    -------
    DatasetInfo

    Raises
    ------
    DataValidationError
        If the name is unknown (the message lists the known names).
    """
    try:
        return DATASETS[name]
    except KeyError:
        raise DataValidationError(
            f"unknown dataset '{name}'",
            [f"choose one of: {', '.join(DATASETS)} (see `sapxep datasets`)"],
        ) from None


def dataset_path(name: str, which: str = "units") -> Path:
    """Return the path of a bundled dataset's file.

    Parameters
    ----------
    name : str
        Dataset name.
    which : {"units", "attributes", "crosswalk", "terrain_proxy"}
        Which file.

    Returns
    -------
    pathlib.Path
    """
    info = dataset_info(name)
    fname = {
        "units": info.units_file,
        "attributes": info.attributes_file,
        "crosswalk": info.crosswalk_file,
        "terrain_proxy": info.terrain_proxy_file,
    }[which]
    if fname is None:
        raise DataValidationError(f"dataset '{name}' has no {which} file", [])
    return data_dir() / fname
