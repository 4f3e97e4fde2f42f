"""Tests of the solver-independent plan checks on tiny graphs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from sapxep.units.checks import PlanCheck, PlanConstraints, check_plan
from sapxep.units.errors import PlanError
from sapxep.units.plan import plan_from_mapping
from sapxep.units.rules import load_ruleset

#   A - B - C
#   |       |
#   D - E   F
EDGES = [("A", "B"), ("B", "C"), ("A", "D"), ("D", "E"), ("C", "F")]

#          area km², population  (lowland xã: standard 8,000 / 30 km²; NQ 35 70 % = 5,600 / 21)
SIZES = {
    "A": (5.0, 1000),  # must arrange
    "B": (10.0, 3000),  # must arrange
    "C": (40.0, 9000),
    "D": (20.0, 6000),  # below standard, not must-arrange (population 75 %)
    "E": (30.0, 8000),
    "F": (35.0, 8500),
}


def make_units(sizes: dict[str, tuple[float, int]] = SIZES, **per_code: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for code, (area, pop) in sizes.items():
        row = {
            "code": code,
            "name": f"Xã {code}",
            "unit_type": "xa",
            "parent_kind": "huyen",
            "terrain": "lowland",
            "terrain_source": "data",
            "area_km2": area,
            "population": pop,
            "arranged_2019_2021": False,
        }
        row.update(per_code.get(code, {}))
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture
def graph() -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(SIZES)
    g.add_edges_from(EDGES)
    return g


def kinds(check: PlanCheck) -> list[str]:
    return sorted(v.kind for v in check.violations)


def test_valid_plan(graph: nx.Graph) -> None:
    check = check_plan(make_units(), [["A", "B", "D"], ["C"], ["E"], ["F"]], load_ruleset("nq35_2023"),
                       graph=graph)  # fmt: skip
    assert check.ok, check.summary()
    assert check.violations == []
    assert check.n_new_units == 4 and check.n_units == 6
    assert check.seats["g1"] == "D"  # default seat: most populous member
    assert check.summary().startswith("plan OK")
    check.raise_if_failed()


def test_mapping_series_and_mergeplan_inputs(graph: nx.Graph) -> None:
    mapping = {"A": "n1", "B": "n1", "D": "n1", "C": "n2", "E": "n3", "F": "n4"}
    rs = load_ruleset("nq35_2023")
    assert check_plan(make_units(), mapping, rs, graph=graph).ok
    assert check_plan(make_units(), pd.Series(mapping), rs, graph=graph).ok
    plan = plan_from_mapping(mapping, seats={"n1": "A"})
    check = check_plan(make_units(), plan, rs, graph=graph)
    assert check.ok and check.seats["n1"] == "A"


def test_not_a_partition(graph: nx.Graph) -> None:
    rs = load_ruleset("nq35_2023")
    check = check_plan(make_units(), [["A", "B", "D"], ["C", "Z"], ["E", "D"]], rs, graph=graph)
    assert not check.ok
    msgs = {v.kind + ":" + ",".join(v.codes): v.message for v in check.violations}
    assert "partition:D" in msgs and "Xã D (D) in g1, g3" in msgs["partition:D"]
    assert "partition:Z" in msgs and "unknown codes Z" in msgs["partition:Z"]
    assert "partition:F" in msgs and "Xã F (F)" in msgs["partition:F"]
    # C + Z is not a contiguity problem: unknown codes are reported once, as partition
    assert "contiguity" not in kinds(check)


def test_disconnected_new_unit(graph: nx.Graph) -> None:
    check = check_plan(make_units(), [["A", "C"], ["B", "D"], ["E"], ["F"]], load_ruleset("nq35_2023"),
                       graph=graph)  # fmt: skip
    contig = [v for v in check.violations if v.kind == "contiguity"]
    assert [v.new_unit for v in contig] == ["g1", "g2"]  # B-D touch only through A
    assert "not contiguous" in contig[0].message and "Xã A (A)" in contig[0].message
    assert "Xã C (C)" in contig[0].message


def test_disconnected_second_group(graph: nx.Graph) -> None:
    check = check_plan(make_units(), [["A", "B", "D"], ["C", "E"], ["F"]], load_ruleset("nq35_2023"),
                       graph=graph)  # fmt: skip
    assert kinds(check) == ["contiguity"]
    assert check.violations[0].new_unit == "g2"


def test_node_missing_from_graph(graph: nx.Graph) -> None:
    graph.remove_node("D")
    check = check_plan(make_units(), [["A", "B", "D"], ["C"], ["E"], ["F"]], load_ruleset("nq35_2023"),
                       graph=graph)  # fmt: skip
    assert kinds(check) == ["contiguity"]
    assert "not in the adjacency graph" in check.violations[0].message


def test_floor_miss(graph: nx.Graph) -> None:
    check = check_plan(make_units(), [["A", "B"], ["D", "E"], ["C"], ["F"]], load_ruleset("nq35_2023"),
                       graph=graph)  # fmt: skip
    assert kinds(check) == ["floor"]
    v = check.violations[0]
    assert v.new_unit == "g1" and v.codes == ("A", "B")
    # NQ 35 floor (assumption): leave the must-arrange scope, 70 % population and 20 % area
    assert "Xã A (A)" in v.message and "population 4,000 < 5,600" in v.message
    assert "area 15" not in v.message
    assert "assumption: 70% population, 20% area — NQ 1211/2016 Art. 3" in v.message


def test_must_arrange_left_alone_and_exemption(graph: nx.Graph) -> None:
    rs = load_ruleset("nq35_2023")
    grouping = [["A"], ["B", "C"], ["D"], ["E"], ["F"]]
    check = check_plan(make_units(), grouping, rs, graph=graph)
    assert kinds(check) == ["must_arrange"]
    v = check.violations[0]
    assert v.codes == ("A",) and "Xã A (A) must be arranged" in v.message
    assert "NQ 35/2023 Art. 1(2)(a)" in v.message
    # exempt: declared, or arranged in 2019–2021
    assert check_plan(make_units(), grouping, rs, graph=graph, exemptions={"A": "isolated"}).ok
    units = make_units(A={"arranged_2019_2021": True})
    assert check_plan(units, grouping, rs, graph=graph).ok


def test_seat_must_be_a_member(graph: nx.Graph) -> None:
    check = check_plan(make_units(), [["A", "B", "D"], ["C"], ["E"], ["F"]], load_ruleset("nq35_2023"),
                       graph=graph, seats={"g1": "C", "g9": "E"})  # fmt: skip
    assert kinds(check) == ["seat", "seat"]
    assert any("seat Xã C (C) is not one of its members" in v.message for v in check.violations)


def test_new_unit_takes_kind_of_its_seat(graph: nx.Graph) -> None:
    # NQ 35 floors (70 % population, 20 % area): thị trấn 5,600 / 2.8 km²; xã 5,600 / 6 km²
    units = make_units({"A": (2.0, 5000), "B": (2.0, 4000), "C": (40, 9000), "D": (30, 8000),
                        "E": (30, 8000), "F": (30, 8000)},
                       A={"unit_type": "thi_tran"})  # fmt: skip
    rs = load_ruleset("nq35_2023")
    grouping = [["A", "B"], ["C"], ["D"], ["E"], ["F"]]
    assert check_plan(units, grouping, rs, graph=graph, seats={"g1": "A"}).ok
    check = check_plan(units, grouping, rs, graph=graph, seats={"g1": "B"})
    assert kinds(check) == ["floor"] and "area 4.00 km² < 6.00 km²" in check.violations[0].message
    # under NQ 76 a thị trấn seat gives a xã: 16,000 / 30 km² (2 members, no waiver)
    check76 = check_plan(units, [["A", "B", "C", "D", "E", "F"]], load_ruleset("nq76_2025"), graph=graph)
    assert check76.ok  # 6 members: waived


def test_waiver_two_versus_three_members(graph: nx.Graph) -> None:
    rs = load_ruleset("nq76_2025")  # floor 16,000 / 30 km²; waiver from 3 members
    check2 = check_plan(make_units(), [["A", "B"], ["D", "E"], ["C", "F"]], rs, graph=graph)
    # two-member units below the orientation: NQ 76 Art. 5(3) exceptions, listed, not refused
    assert check2.ok and [v.kind for v in check2.exceptions] == ["exception", "exception"]
    assert all("Art. 5(3)" in v.message and "Standing Committee" in v.message for v in check2.exceptions)
    hard = load_ruleset("nq76_2025", overrides={"allow_exceptions": False})
    check2 = check_plan(make_units(), [["A", "B"], ["D", "E"], ["C", "F"]], hard, graph=graph)
    assert kinds(check2) == ["floor", "floor"]
    assert all("reach 3 members for the waiver" in v.message for v in check2.violations)
    check3 = check_plan(make_units(), [["A", "B", "D"], ["E"], ["C", "F"]], rs, graph=graph)
    # A+B+D waived (3 members); E alone meets NQ 1211 (8,000 / 30 km²): not in scope (Art. 2(3))
    assert check3.ok
    assert check_plan(make_units(), [["A", "B", "D", "E"], ["C", "F"]], rs, graph=graph).ok


def test_waiver_off_in_user_ruleset(graph: nx.Graph, tmp_path: Path) -> None:
    p = tmp_path / "nowaiver.toml"
    p.write_text('extends = "nq76_2025"\nwaiver_min_members = 0\n', encoding="utf-8")
    grouping = [["A", "B", "D"], ["C", "F"], ["E"]]
    with_waiver = check_plan(make_units(), grouping, load_ruleset("nq76_2025"), graph=graph)
    assert with_waiver.ok  # A+B+D waived; E meets NQ 1211 and may stay alone
    check = check_plan(make_units(), grouping, load_ruleset(p), graph=graph)
    assert kinds(check) == ["floor"]
    floor = next(v for v in check.violations if v.kind == "floor")
    assert floor.codes == ("A", "B", "D") and "population 10,000 < 16,000" in floor.message
    assert "waiver" not in floor.message


def test_single_units_under_nq76(graph: nx.Graph, tmp_path: Path) -> None:
    big = {**SIZES, "E": (50.0, 20000)}
    rs = load_ruleset("nq76_2025")
    grouping = [["A", "B", "D"], ["E"], ["C", "F"]]
    assert check_plan(make_units(big), grouping, rs, graph=graph).ok  # E meets 16,000 / 30 alone
    p = tmp_path / "nosingles.toml"
    p.write_text(
        'extends = "nq76_2025"\nsingles_must_meet_floor = true\nallow_single_if_meets = false\n',
        encoding="utf-8",
    )
    check = check_plan(make_units(big), grouping, load_ruleset(p), graph=graph)
    assert kinds(check) == ["single"] and check.violations[0].codes == ("E",)


def test_floors_override(graph: nx.Graph) -> None:
    rs35 = load_ruleset("nq35_2023")
    grouping = [["A", "B", "D"], ["C"], ["E"], ["F"]]
    check = check_plan(make_units(), grouping, rs35, graph=graph, floors_override=(8000, 35.0))
    # every new unit, units left alone included: E (30 km²) fails
    assert kinds(check) == ["floor"] and check.violations[0].codes == ("E",)
    assert "area 30.00 km² < 35.00 km²" in check.violations[0].message
    assert "what-if" in check.violations[0].message
    # no exceptions: an exempt unit left alone must reach the override floor too
    units = make_units(A={"arranged_2019_2021": True})
    grouping_a = [["A"], ["B", "C"], ["D", "E"], ["F"]]
    assert check_plan(units, grouping_a, rs35, graph=graph).ok
    check = check_plan(units, grouping_a, rs35, graph=graph, floors_override=(5000, 10.0))
    assert kinds(check) == ["floor"] and check.violations[0].codes == ("A",)
    rs76 = load_ruleset("nq76_2025")
    grouping76 = [["A", "B", "D", "E"], ["C", "F"]]
    check = check_plan(make_units(), grouping76, rs76, graph=graph, floors_override=(18000, 10.0))
    assert kinds(check) == ["floor"]  # no waiver under an override: C+F 17,500 < 18,000
    assert check.violations[0].codes == ("C", "F")
    # an override also decides which NQ 76 singles may stay
    check = check_plan(make_units(), [["A", "B", "D"], ["E"], ["C", "F"]], rs76, graph=graph,
                       floors_override=(8000, 10.0))  # fmt: skip
    assert check.ok, check.summary()


def test_summary_and_frame(graph: nx.Graph) -> None:
    check = check_plan(make_units(), [["A", "C"], ["B"], ["D"], ["E"], ["F"]], load_ruleset("nq35_2023"),
                       graph=graph)  # fmt: skip
    text = check.summary()
    assert text.startswith(f"plan has {len(check.violations)} violations")
    assert "[contiguity]" in text and "[must_arrange]" in text
    frame = check.to_frame()
    assert list(frame.columns) == ["kind", "new_unit", "codes", "message"]
    assert len(frame) == len(check.violations)
    with pytest.raises(PlanError, match="plan breaks"):
        check.raise_if_failed()


def test_bad_grouping_type(graph: nx.Graph) -> None:
    with pytest.raises(TypeError):
        check_plan(make_units(), ["AB", "C"], load_ruleset("nq35_2023"), graph=graph)


def test_vietnamese_messages_name_units(graph: nx.Graph) -> None:
    units = make_units(A={"population": 12143, "area_km2": 6.72})
    rs = load_ruleset("nq35_2023")
    check = check_plan(units, [["A", "C"], ["B"], ["D", "E"], ["F"]], rs, graph=graph, lang="vi")
    assert check.lang == "vi"
    by_kind = {v.kind: v.message for v in check.violations}
    assert "Xã A (A)" in by_kind["contiguity"] and "không liền một khối" in by_kind["contiguity"]
    assert by_kind["must_arrange"].startswith("Xã B (B) thuộc diện phải sắp xếp")
    assert "được giữ nguyên" in by_kind["must_arrange"]
    assert "liền kề" in by_kind["must_arrange"]
    text = check.summary()
    assert text.startswith(f"phương án sắp xếp có {len(check.violations)} vi phạm")
    assert "[liền kề]" in text and "[thuộc diện phải sắp xếp]" in text
    assert check.summary(lang="en").startswith("plan has")
    with pytest.raises(PlanError, match="phương án sắp xếp vi phạm"):
        check.raise_if_failed()


def test_vietnamese_floor_message_formats_numbers(graph: nx.Graph) -> None:
    units = make_units(A={"population": 12143, "area_km2": 6.72})
    check = check_plan(units, [["A"], ["B", "C"], ["D", "E"], ["F"]], load_ruleset("nq35_2023"),
                       graph=graph, floors_override=(20000, 50.0), lang="vi")  # fmt: skip
    msgs = {v.new_unit: v.message for v in check.violations if v.kind == "floor"}
    assert "Xã A (A)" in msgs["g1"] and "trụ sở đặt tại Xã A (A)" in msgs["g1"]
    assert "chưa đạt quy mô dân số (12.143 người < 20.000 người)" in msgs["g1"]
    assert "chưa đạt quy mô diện tích (6,72 km² < 50,00 km²)" in msgs["g1"]
    assert "đơn vị mới g2 (Xã B (B), Xã C (C))" in msgs["g2"]


def test_vietnamese_partition_and_seat_messages(graph: nx.Graph) -> None:
    mapping = {"A": "n1", "B": "n1", "C": "n2", "D": "n3", "E": "n3"}
    check = check_plan(make_units(), mapping, load_ruleset("nq35_2023"), graph=graph,
                       seats={"n1": "C", "n9": "A"}, lang="vi")  # fmt: skip
    texts = [v.message for v in check.violations]
    assert any("chưa được xếp vào đơn vị mới nào (Xã F (F))" in t for t in texts)
    assert any("trụ sở đặt tại Xã C (C)" in t for t in texts)
    assert any("đơn vị mới n9" in t for t in texts)


def test_vietnamese_ok_summary_and_bad_lang(graph: nx.Graph) -> None:
    grouping = [["A", "B", "D"], ["C"], ["E"], ["F"]]
    rs = load_ruleset("nq35_2023")
    check = check_plan(make_units(), grouping, rs, graph=graph, lang="vi")
    assert check.ok
    assert check.summary().startswith("phương án sắp xếp hợp lệ: 6 đơn vị hành chính → 4 đơn vị mới")
    with pytest.raises(ValueError, match="lang"):
        check_plan(make_units(), grouping, rs, graph=graph, lang="fr")  # type: ignore[arg-type]


# --- scenario constraints: one family each ---------------------------------------------------
GOOD = [["A", "B", "D"], ["C"], ["E"], ["F"]]


def _check(graph: nx.Graph, grouping: Any, lang: str = "en", **constraints: Any) -> PlanCheck:
    parents = {c: ("P1", "Huyện Một") if c in "ABDE" else ("P2", "Huyện Hai") for c in SIZES}
    units = make_units(**{c: {"parent_code": p, "parent_name": n} for c, (p, n) in parents.items()})
    return check_plan(units, grouping, load_ruleset("nq35_2023"), graph=graph, lang=lang,  # type: ignore[arg-type]
                      constraints=PlanConstraints(**constraints))  # fmt: skip


def test_constraints_hold_on_a_valid_plan(graph: nx.Graph) -> None:
    check = _check(graph, GOOD, locked=frozenset({"C", "E"}), forced_pairs=(("A", "D"),),
                   forbidden_pairs=(("D", "E"),), fixed_seats=frozenset({"D"}), max_members=3,
                   max_population=12000, max_area_km2=40.0, stay_within_parent=True)  # fmt: skip
    assert check.ok, check.summary()


def test_lock_violation_names_the_unit(graph: nx.Graph) -> None:
    check = _check(graph, [["A", "B", "D", "E"], ["C"], ["F"]], locked=frozenset({"E"}))
    assert kinds(check) == ["lock"]
    v = check.violations[0]
    assert v.codes == ("E",) and "Xã E (E) is locked" in v.message
    vi = _check(graph, [["A", "B", "D", "E"], ["C"], ["F"]], lang="vi", locked=frozenset({"E"}))
    assert "Xã E (E) được khóa giữ nguyên" in vi.violations[0].message


def test_pairs(graph: nx.Graph) -> None:
    check = _check(graph, GOOD, forced_pairs=(("D", "E"),), forbidden_pairs=(("A", "B"),))
    assert kinds(check) == ["pair", "pair"]
    forced, forbidden = check.violations
    assert forced.codes == ("D", "E") and "must be in the same new unit" in forced.message
    assert forbidden.new_unit == "g1" and "Xã A (A) and Xã B (B) must be in different" in forbidden.message


def test_ceilings(graph: nx.Graph) -> None:
    check = _check(graph, GOOD, max_members=2, max_population=9000, max_area_km2=34.0)
    # C (9,000 people, 40 km²) and F stay alone as the ruleset allows: no ceiling for them
    assert [(v.kind, v.new_unit) for v in check.violations] == [("ceiling", "g1")] * 3
    assert "3 members above the maximum 2" in check.violations[0].message
    assert "population 10,000 above the maximum 9,000" in check.violations[1].message
    assert "area 35.00 km² above the maximum 34.00 km²" in check.violations[2].message


def test_stay_within_parent_and_fixed_seat(graph: nx.Graph) -> None:
    grouping = [["A", "B", "C"], ["D", "E"], ["F"]]
    check = _check(graph, grouping, stay_within_parent=True, fixed_seats=frozenset({"B"}))
    assert kinds(check) == ["parent", "seat"]
    parent = next(v for v in check.violations if v.kind == "parent")
    assert parent.new_unit == "g1" and "Huyện Một, Huyện Hai" in parent.message
    seat = next(v for v in check.violations if v.kind == "seat")
    assert seat.codes == ("B",) and "must be the seat" in seat.message


def test_moving_a_locked_unit_through_the_plan_edit_gives_a_lock_violation(graph: nx.Graph) -> None:
    from sapxep.units.plan_edit import move_unit

    plan = plan_from_mapping({"A": "n1", "B": "n1", "D": "n1", "C": "n2", "E": "n3", "F": "n4"})
    units = make_units()
    rs = load_ruleset("nq35_2023")
    locks = PlanConstraints(locked=frozenset({"E"}))
    assert check_plan(units, plan, rs, graph=graph, constraints=locks).ok
    edited = move_unit(plan, "E", "n1", graph=graph, population=units.set_index("code")["population"])
    check = check_plan(units, edited, rs, graph=graph, constraints=locks, lang="vi")
    assert [(v.kind, v.codes) for v in check.violations] == [("lock", ("E",))]
    assert "Xã E (E)" in check.violations[0].message


def test_families_compose_and_verify_uses_them(graph: nx.Graph) -> None:
    from sapxep.optimization.problem import PlanProblem
    from sapxep.optimization.verify import plan_violations
    from sapxep.units.checks import FAMILIES, check_locks

    assert check_locks in FAMILIES
    codes = tuple(SIZES)
    problem = PlanProblem(codes=codes, population=tuple(SIZES[c][1] for c in codes),
                          area_ha=tuple(int(SIZES[c][0] * 100) for c in codes), graph=graph,
                          pop_floor=(0,) * 6, area_floor_ha=(0,) * 6, locked=frozenset({"E"}),
                          names=tuple(f"Xã {c}" for c in codes))  # fmt: skip
    seat_of = [codes.index(c) for c in ("D", "D", "C", "D", "D", "F")]  # E joins D's unit
    (message,) = plan_violations(problem, seat_of)
    assert message.startswith("Xã E (E) is locked")
