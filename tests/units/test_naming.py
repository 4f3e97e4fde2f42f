"""Kind (NQ 76/2025 Art. 1(3)) and proposed name (Art. 7) of new units."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from sapxep.units.errors import PlanError
from sapxep.units.naming import (
    new_unit_types,
    proper_name,
    proposed_names,
    rename_new_unit,
    with_proposed_names,
)
from sapxep.units.plan import plan_from_mapping
from sapxep.units.rules import load_ruleset


def row(
    code: str, name: str, unit_type: str = "xa", pop: int = 1000, parent: str = "Huyện Hạ Hoà"
) -> dict[str, Any]:
    return {"code": code, "name": name, "unit_type": unit_type, "population": pop, "parent_name": parent}


UNITS = pd.DataFrame([
    row("1", "Thị trấn Hạ Hoà", "thi_tran", 9000), row("2", "Xã Ấm Hạ", pop=3000),
    row("3", "Xã Văn Lang", pop=5000), row("4", "Xã Văn Lang", pop=4000, parent="Huyện Yên Lập"),
    row("5", "Xã Lâm Lợi", pop=2000, parent="Huyện Yên Lập"), row("6", "Phường Âu Cơ", "phuong", 100),
])  # fmt: skip


def test_proper_name() -> None:
    assert proper_name("Thị trấn Hạ Hoà") == "Hạ Hoà"
    assert proper_name("Huyện Hạ Hoà", parent=True) == "Hạ Hoà"


def test_kind_follows_the_members_under_2025_rules() -> None:
    plan = plan_from_mapping({"1": "A", "2": "A", "3": "B", "6": "B", "4": "C", "5": "C"})
    assert new_unit_types(UNITS, plan, load_ruleset("nq76_2025")) == {"A": "xa", "B": "phuong", "C": "xa"}
    # older rules: the seat's kind (the thị trấn seat stays a thị trấn)
    assert new_unit_types(UNITS, plan, load_ruleset("nq35_2023"))["A"] == "thi_tran"


def test_seat_name_with_the_new_kind_and_unique_in_the_province() -> None:
    plan = plan_from_mapping({"1": "A", "2": "A", "3": "B", "6": "B", "4": "C", "5": "C"})
    names = proposed_names(UNITS, plan, load_ruleset("nq76_2025"))
    assert names["A"] == "Xã Hạ Hoà"  # "Thị trấn Hạ Hoà" -> "Xã Hạ Hoà"
    # B (5,100 people) and C (6,000) are both seated at a "Xã Văn Lang": the more populous keeps
    # the name, the other takes its old district's name and a number (a phường member: a phường)
    assert names["C"] == "Xã Văn Lang"
    assert names["B"] == "Phường Hạ Hoà 1"
    assert len(set(names.values())) == 3


def test_district_number_style_and_user_names_kept() -> None:
    plan = plan_from_mapping(
        {"1": "A", "2": "A", "3": "B", "6": "B", "4": "C", "5": "C"}, names={"B": "Phường Mới"}
    )
    rs = load_ruleset("nq76_2025", overrides={"name_style": "district_number"})
    named = with_proposed_names(UNITS, plan, rs)
    assert named.names == {"A": "Xã Hạ Hoà 1", "B": "Phường Mới", "C": "Xã Yên Lập 1"}
    assert "Điều 7" in rs.naming_article


def test_rename_is_kept_and_must_be_unique() -> None:
    plan = with_proposed_names(UNITS, plan_from_mapping({"1": "A", "2": "A", "3": "B", "6": "B", "4": "C",
                                                         "5": "C"}), load_ruleset("nq76_2025"))  # fmt: skip
    renamed = rename_new_unit(plan, "A", "Xã Hạ Hoà Mới")
    assert renamed.names["A"] == "Xã Hạ Hoà Mới"
    # a later naming pass keeps the user's name
    assert with_proposed_names(UNITS, renamed, load_ruleset("nq76_2025")).names["A"] == "Xã Hạ Hoà Mới"
    with pytest.raises(PlanError, match="unique within the province"):
        rename_new_unit(plan, "A", "Phường Văn Lang")  # same proper name as C ("Xã Văn Lang")
    with pytest.raises(PlanError, match="not in the plan"):
        rename_new_unit(plan, "Z", "Xã Z")
