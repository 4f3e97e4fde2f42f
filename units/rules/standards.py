"""The standard an existing unit is measured against, and the floor a new unit must reach.

One import path for both sides of the size rules; each lives in its own module:

* :mod:`sapxep.units.rules.existing_units`: :class:`Standard`, :func:`unit_standard` (unit type,
  terrain, special factors; strict ``<`` percentages, rounded minimums);
* :mod:`sapxep.units.rules.new_units`: :class:`Floor`, :func:`new_unit_floor`,
  :func:`new_unit_floors`, the kind of a new unit (:func:`new_unit_type_of`) and the NQ 76/2025
  waiver (:func:`is_waived`);
* :mod:`sapxep.units.rules.articles`: :func:`article_en`.
"""

from __future__ import annotations

import pandas as pd

from sapxep.units.errors import DataValidationError, format_codes
from sapxep.units.rules.articles import article_en
from sapxep.units.rules.existing_units import KNOWN_UNIT_TYPES, Standard, unit_standard
from sapxep.units.rules.new_units import (
    Floor,
    is_waived,
    new_unit_floor,
    new_unit_floors,
    new_unit_type,
    new_unit_type_of,
    nq76_phuong_case,
)


def check_codes_present(units: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    """Raise a DataValidationError naming every missing column of the units table."""
    missing = [c for c in columns if c not in units.columns]
    if missing:
        raise DataValidationError(
            f"{what}: {len(missing)} required column(s) missing",
            [f"column '{c}' is missing: read units with geodata.io.read_units or add it"
             for c in missing],
        )  # fmt: skip


__all__ = [
    "KNOWN_UNIT_TYPES",
    "Floor",
    "article_en",
    "Standard",
    "check_codes_present",
    "format_codes",
    "is_waived",
    "new_unit_floor",
    "new_unit_floors",
    "new_unit_type",
    "new_unit_type_of",
    "nq76_phuong_case",
    "unit_standard",
]
