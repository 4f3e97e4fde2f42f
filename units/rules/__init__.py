"""Legal standards as data and named rulesets.

Data: ``legal_standards.toml`` (every number with article, source URL and confidence).
Rulesets: ``nq35_2023``, ``nq35_2026``, ``nq76_2025``, ``nq112_2026`` (one TOML file each) or
a user TOML file (see :mod:`sapxep.units.rules.model` for the keys,
:mod:`sapxep.units.rules.loader` for reading them).
"""

from __future__ import annotations

from sapxep.units.rules.loader import (
    default_ruleset_for,
    legal_data,
    list_rulesets,
    load_ruleset,
)
from sapxep.units.rules.model import (
    ExemptionGrounds,
    MustArrangeCriterion,
    NewUnitCriteria,
    Repeal,
    Ruleset,
    Source,
    SpecialFactors,
    StandardEntry,
)
from sapxep.units.rules.standards import (
    Floor,
    Standard,
    article_en,
    is_waived,
    new_unit_floor,
    new_unit_floors,
    new_unit_type,
    unit_standard,
)

__all__ = [
    "ExemptionGrounds",
    "Floor",
    "MustArrangeCriterion",
    "NewUnitCriteria",
    "Repeal",
    "Ruleset",
    "Source",
    "SpecialFactors",
    "Standard",
    "StandardEntry",
    "article_en",
    "default_ruleset_for",
    "is_waived",
    "legal_data",
    "list_rulesets",
    "load_ruleset",
    "new_unit_floor",
    "new_unit_floors",
    "new_unit_type",
    "unit_standard",
]
