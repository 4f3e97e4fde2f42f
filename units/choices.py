"""The closed sets of choices used across the layers, each defined once.

Every option that takes one of a fixed set of values (language, optimizer mode, island policy,
unit type, terrain) is a ``Literal`` type here with the tuple of its values for runtime checks
and for listing in help texts. The display names of these values live in the message catalogue.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

#: Language of messages and documents: Vietnamese (default) or English.
Lang = Literal["vi", "en"]
LANGS: Final[tuple[str, ...]] = get_args(Lang)

#: What the optimizer is asked for (see docs/optimization.md).
Mode = Literal["max-units", "target-count", "repair"]
MODES: Final[tuple[str, ...]] = get_args(Mode)

#: What to do with units that touch no other unit (islands, exclaves).
IslandPolicy = Literal["error", "links", "ignore"]
ISLAND_POLICIES: Final[tuple[str, ...]] = get_args(IslandPolicy)

#: Commune-level unit types (xã, phường, thị trấn; đặc khu since 1 July 2025).
UnitType = Literal["xa", "phuong", "thi_tran", "dac_khu"]
UNIT_TYPES: Final[tuple[str, ...]] = get_args(UnitType)

#: Terrain class used by the standards.
Terrain = Literal["mountainous", "lowland"]
TERRAINS: Final[tuple[str, ...]] = get_args(Terrain)

#: Administrative level a run works at: communes as in the data, or districts/provinces
#: formed by dissolving them by parent code.
Level = Literal["commune", "district", "province"]
LEVELS: Final[tuple[str, ...]] = get_args(Level)
