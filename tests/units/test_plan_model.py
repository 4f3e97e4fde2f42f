"""Tests of the MergePlan container and plan.csv reading."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sapxep.units.errors import PlanError
from sapxep.units.plan import plan_from_mapping, read_plan_csv


def test_plan_groups_and_frame() -> None:
    plan = plan_from_mapping({"a": "g1", "b": "g1", "c": "g2"}, seats={"g1": "b", "g2": "c"})
    assert plan.n_after == 2
    assert plan.groups == {"g1": ["a", "b"], "g2": ["c"]}
    frame = plan.to_frame()
    assert list(frame.columns) == ["code", "new_unit", "seat_code", "new_name"]
    assert frame.set_index("code").loc["a", "seat_code"] == "b"


def test_seat_outside_group_is_rejected() -> None:
    with pytest.raises(PlanError, match="g1: seat c"):
        plan_from_mapping({"a": "g1", "b": "g1", "c": "g2"}, seats={"g1": "c"})


def test_plan_csv_round_trip_and_duplicates(tmp_path: Path) -> None:
    plan = plan_from_mapping({"08041": "N1", "08044": "N1"}, seats={"N1": "08044"})
    path = tmp_path / "plan.csv"
    plan.to_frame().to_csv(path, index=False)
    back = read_plan_csv(str(path))
    assert back.groups == plan.groups
    assert back.seats == {"N1": "08044"}
    pd.DataFrame({"code": ["1", "1"], "new_unit": ["a", "b"]}).to_csv(path, index=False)
    with pytest.raises(PlanError, match="rows 3"):
        read_plan_csv(str(path))


def test_default_seat_is_most_populous_then_smallest_code() -> None:
    from sapxep.units.plan import default_seat, resolved_seats, seat_order

    pop = {"B": 10, "A": 10, "C": 5}
    assert default_seat(["C", "B", "A"], pop) == "A"  # tie on 10: smallest code
    assert default_seat(["C", "B"], pd.Series(pop)) == "B"
    assert default_seat(["C", "B"]) == "B"  # without population: smallest code
    assert seat_order(["C", "B", "A"], pop) == ["A", "B", "C"]
    with pytest.raises(ValueError, match="no seat"):
        default_seat([], pop)
    plan = plan_from_mapping({"A": "g", "B": "g", "C": "h"}, seats={"g": "B"})
    assert resolved_seats(plan, pop) == {"g": "B", "h": "C"}
