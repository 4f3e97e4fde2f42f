"""Kind and proposed name of each new unit (NQ 76/2025 Art. 1(3) and Art. 7).

* Kind (:func:`new_unit_types`): under the 2025 rule (``ruleset.thi_tran_as_xa``) a phường
  among the members gives a phường, otherwise a xã — no thị trấn after 2025; under older
  rulesets the seat's kind.
* Name (:func:`proposed_names`), by ``ruleset.name_style``:

  - ``keep``: the seat unit's name (the plan's own names win);
  - ``seat``: the seat's proper name with the new kind ("Thị trấn Hạ Hoà" → "Xã Hạ Hoà"),
    reusing a member's name as Art. 7 encourages;
  - ``district_number``: old district name plus a number ("Xã Hạ Hoà 1", "Xã Hạ Hoà 2"),
    as Art. 7(2)(b) encourages.

  Names are unique within the province (Art. 7(2)(c)): when two new units would share a
  proper name, the more populous keeps it and the others take the district-and-number form.
  Names the user set in the plan (``MergePlan.names`` differing from the seat's name) are kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from typing import Final

import pandas as pd

from sapxep.units.errors import PlanError
from sapxep.units.plan import MergePlan, default_seat
from sapxep.units.rules import Ruleset
from sapxep.units.rules.standards import new_unit_type_of

#: Vietnamese prefix of each kind of unit.
TYPE_PREFIX: Final[dict[str, str]] = {
    "xa": "Xã",
    "phuong": "Phường",
    "thi_tran": "Thị trấn",
    "dac_khu": "Đặc khu",
}
_UNIT_PREFIX = re.compile(r"^(xã|phường|thị trấn|đặc khu)\s+", re.IGNORECASE)
_PARENT_PREFIX = re.compile(r"^(huyện|quận|thị xã|thành phố|tỉnh)\s+", re.IGNORECASE)


def proper_name(name: str, *, parent: bool = False) -> str:
    """Return a unit's name without its kind ("Thị trấn Hạ Hoà" → "Hạ Hoà")."""
    text = unicodedata.normalize("NFC", str(name)).strip()
    return (_PARENT_PREFIX if parent else _UNIT_PREFIX).sub("", text).strip()


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _seats(plan: MergePlan, population: Mapping[str, float]) -> dict[str, str]:
    return {g: plan.seats.get(g) or default_seat(m, population) for g, m in plan.groups.items()}


def new_unit_types(units: pd.DataFrame, plan: MergePlan, ruleset: Ruleset) -> dict[str, str]:
    """Return the kind (``xa`` / ``phuong`` / ``thi_tran``) of every new unit.

    Parameters
    ----------
    units : DataFrame
        The units table (``code``, ``unit_type``, ``population``).
    plan : MergePlan
    ruleset : Ruleset

    Returns
    -------
    dict of str to str
    """
    t = units.assign(code=units["code"].astype(str)).set_index("code")
    types = t["unit_type"].astype(str).to_dict()
    seats = _seats(plan, t["population"].to_dict())
    return {
        g: new_unit_type_of([types[c] for c in m], types[seats[g]], ruleset) for g, m in plan.groups.items()
    }


def proposed_names(
    units: pd.DataFrame, plan: MergePlan, ruleset: Ruleset, *, style: str | None = None
) -> dict[str, str]:
    """Return a proposed name for every new unit (see the module docstring).

    Parameters
    ----------
    units : DataFrame
        The units table (``code``, ``name``, ``unit_type``, ``population``, ``parent_name``).
    plan : MergePlan
    ruleset : Ruleset
    style : {"keep", "seat", "district_number"}, optional
        Default ``ruleset.name_style``.

    Returns
    -------
    dict of str to str
        New-unit id -> name, unique within the table (one province).
    """
    style = style or ruleset.name_style
    t = units.assign(code=units["code"].astype(str)).set_index("code")
    names = t["name"].astype(str).to_dict()
    pop = pd.to_numeric(t["population"]).to_dict()
    seats = _seats(plan, pop)
    groups = plan.groups
    user = {g: n for g, n in plan.names.items() if n and g in seats and n != names.get(seats[g])}
    if style == "keep":
        return {g: user.get(g) or names[seats[g]] for g in groups}
    kinds = new_unit_types(units, plan, ruleset)
    parents = t["parent_name"].astype(str).to_dict() if "parent_name" in t.columns else {}
    size = {g: sum(pop[c] for c in m) for g, m in groups.items()}
    order = sorted(groups, key=lambda g: (-size[g], seats[g]))
    out: dict[str, str] = dict(user)
    taken = {_key(proper_name(n)) for n in user.values()}
    numbered: list[str] = []
    for g in order:
        if g in out:
            continue
        base = proper_name(names[seats[g]])
        if style == "seat" and _key(base) not in taken:
            out[g] = f"{TYPE_PREFIX.get(kinds[g], '')} {base}".strip()
            taken.add(_key(base))
        else:
            numbered.append(g)
    count: dict[str, int] = {}
    for g in sorted(numbered, key=lambda g: (parents.get(seats[g], ""), seats[g])):
        district = proper_name(parents.get(seats[g], ""), parent=True) or proper_name(names[seats[g]])
        while True:
            count[district] = count.get(district, 0) + 1
            base = f"{district} {count[district]}"
            if _key(base) not in taken:
                break
        taken.add(_key(base))
        out[g] = f"{TYPE_PREFIX.get(kinds[g], '')} {base}".strip()
    return {g: out[g] for g in groups}


def rename_new_unit(plan: MergePlan, new_unit: str, name: str) -> MergePlan:
    """Return ``plan`` with new unit ``new_unit`` renamed (the user's edit; kept by later naming).

    Parameters
    ----------
    plan : MergePlan
    new_unit : str
        A new-unit id of the plan.
    name : str
        The new name, e.g. "Xã Hạ Hoà"; unique within the plan (NQ 76/2025 Art. 7(2)(c)).

    Returns
    -------
    MergePlan

    Raises
    ------
    PlanError
        Unknown new unit, empty name, or a name another new unit already has.
    """
    problems: list[str] = []
    text = unicodedata.normalize("NFC", str(name)).strip()
    if new_unit not in plan.groups:
        problems.append(f"new unit {new_unit!r} is not in the plan: use one of its new-unit ids")
    if not text:
        problems.append("the name is empty: give a name such as 'Xã Hạ Hoà'")
    clash = [
        g
        for g, n in plan.names.items()
        if g != new_unit and n and _key(proper_name(n)) == _key(proper_name(text))
    ]
    if text and clash:
        problems.append(f"'{text}' is already the name of new unit {', '.join(sorted(clash))}: names must be "
                        "unique within the province (NQ 76/2025 Điều 7 khoản 2 điểm c)")  # fmt: skip
    if problems:
        raise PlanError(f"cannot rename new unit {new_unit}", problems)
    return replace(plan, names={**plan.names, new_unit: text})


def with_proposed_names(units: pd.DataFrame, plan: MergePlan, ruleset: Ruleset) -> MergePlan:
    """Return ``plan`` with :func:`proposed_names` as its names (user-set names kept)."""
    return replace(plan, names=proposed_names(units, plan, ruleset))


__all__ = [
    "TYPE_PREFIX",
    "new_unit_types",
    "proper_name",
    "proposed_names",
    "rename_new_unit",
    "with_proposed_names",
]
