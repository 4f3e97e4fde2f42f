"""Views of a bundled dataset: one province of a nationwide file, at a chosen level.

The app (and anything keyed by a dataset name, such as the workspace) names a view with one
string: ``"<dataset>/<province code or *>/<level>"``, e.g. ``"vietnam_2025/25/commune"`` (the
new Phú Thọ's communes) or ``"vietnam_2019/*/province"`` (the 63 provinces of 2019). A plain
dataset name is the view ``"<dataset>/*/commune"``. :func:`load_view` loads the units of a view,
:func:`view_data` gives the ``[data]`` section of a scenario for it, and :func:`view_label` its
display name. The helpers are pure (no Streamlit): the app's province picker and level switch
only call them.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any, Final

from sapxep.units.choices import LEVELS, Level
from sapxep.units.errors import DataValidationError

logger = logging.getLogger(__name__)

ALL: Final = "*"
#: Bundled datasets covering the whole country (offered with a province picker).
NATIONWIDE: Final[tuple[str, ...]] = ("vietnam_2025", "vietnam_2019")
#: Most communes the app draws and plans in one view (larger views offer higher levels only).
MAX_COMMUNES_IN_VIEW: Final = 4000


def view_key(dataset: str, province: str | None = None, level: str = "commune") -> str:
    """Return the key of a view; the plain dataset name when it is the whole dataset's communes.

    Parameters
    ----------
    dataset : str
        Bundled dataset name.
    province : str, optional
        Province code (``"25"``); None or ``"*"`` for all provinces.
    level : {"commune", "district", "province"}

    Returns
    -------
    str
    """
    prov = province or ALL
    if prov == ALL and level == "commune":
        return dataset
    return f"{dataset}/{prov}/{level}"


def parse_view(key: str) -> tuple[str, str | None, Level]:
    """Split a view key into ``(dataset, province code or None, level)``.

    Raises
    ------
    DataValidationError
        If the key has a bad shape or an unknown level.
    """
    parts = str(key).split("/")
    if len(parts) == 1:
        return parts[0], None, "commune"
    if len(parts) != 3 or parts[2] not in LEVELS:
        raise DataValidationError(
            f"bad dataset view '{key}'",
            [f"use DATASET/PROVINCE_CODE_or_*/LEVEL with LEVEL in {', '.join(LEVELS)}"],
        )
    return parts[0], (None if parts[1] == ALL else parts[1]), parts[2]  # type: ignore[return-value]


def is_view(key: str) -> bool:
    """True for a view key (not a plain dataset name nor an upload)."""
    return not str(key).startswith("upload:") and "/" in str(key)


@cache
def province_options(dataset: str) -> tuple[tuple[str, str], ...]:
    """Return ``(code, name)`` of the provinces of a bundled dataset, sorted by code.

    Reads the attribute columns only (no geometry), once per process.
    """
    import pyogrio

    from sapxep.geodata.datasets import dataset_info, dataset_path

    info = dataset_info(dataset)
    table = pyogrio.read_dataframe(
        dataset_path(dataset, "units"),
        layer=info.layer,
        columns=["province_code", "province"],
        read_geometry=False,
    )
    table = table.dropna().astype(str)
    table["province_code"] = table["province_code"].str.zfill(2)
    pairs = table.drop_duplicates("province_code").sort_values("province_code")
    return tuple(zip(pairs["province_code"], pairs["province"], strict=True))


def has_districts(dataset: str) -> bool:
    """True when the dataset still has district-level units (states before 1 July 2025)."""
    from sapxep.geodata.datasets import dataset_info

    return (dataset_info(dataset).subset_of or dataset) not in ("vietnam_2025",)


def level_options(dataset: str, province: str | None) -> list[str]:
    """Return the levels a view of ``dataset`` can be planned at, the natural one first.

    One province: communes (and districts where they exist). All provinces: provinces (and
    districts), and communes only when there are at most :data:`MAX_COMMUNES_IN_VIEW`.
    """
    from sapxep.geodata.datasets import dataset_info

    districts = ["district"] if has_districts(dataset) else []
    if province not in (None, ALL) or dataset not in NATIONWIDE:
        return ["commune", *districts]
    small = dataset_info(dataset).n_units <= MAX_COMMUNES_IN_VIEW
    return ["province", *districts, *(["commune"] if small else [])]


def view_data(key: str) -> dict[str, Any]:
    """Return the scenario ``[data]`` section of a view (``dataset``, ``province``, ``level``)."""
    dataset, province, level = parse_view(key)
    data: dict[str, Any] = {"dataset": dataset}
    if province:
        data["province"] = province
    if level != "commune":
        data["level"] = level
    return data


def load_view(key: str) -> Any:
    """Load the units of a view: the dataset, cut to the province, formed at the level.

    Returns
    -------
    geopandas.GeoDataFrame
        A units table (see ``docs/ARCHITECTURE.md``).
    """
    from sapxep.geodata.io import load_dataset
    from sapxep.geodata.levels import units_at_level

    dataset, province, level = parse_view(key)
    return units_at_level(load_dataset(dataset, province=province), level)


def view_label(key: str, lang: str = "vi") -> str:
    """Return the display name of a view, e.g. "Cả nước từ 07/2025 (3.321 đơn vị) — Tỉnh Phú Thọ — cấp xã"."""
    from sapxep.scenarios.messages.names import NAMES

    dataset, province, level = parse_view(key)
    i = 0 if lang == "vi" else 1
    base = NAMES["dataset"].get(dataset, (dataset, dataset))[i]
    parts = [base]
    if province:
        names = dict(province_options(dataset))
        parts.append(names.get(province, province))
    if is_view(key):
        parts.append(NAMES["level"][level][i])
    return " — ".join(parts)
