"""The app's helpers for progress in words, verdicts, impossible settings, search, drafts and
the re-check of manual edits with the page's locks."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from sapxep.scenarios.app.drafts import load_draft, load_settings, save_draft, save_settings
from sapxep.scenarios.app.edits import check, move_unit
from sapxep.scenarios.app.explain import explain
from sapxep.scenarios.app.history import PlanHistory
from sapxep.scenarios.app.progress import gap_pct, impossible_settings, progress_words, verdict
from sapxep.scenarios.app.search import search_names, search_units
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.errors import InfeasibleError, WorkspaceError
from sapxep.units.plan import plan_from_mapping
from sapxep.units.plan_edit import plans_equal


def test_progress_in_words_has_no_raw_objective() -> None:
    ev = {"event": "solution", "objective": 32801600.0, "best_bound": 34441680.0, "n_solutions": 3}
    text = progress_words(ev, "vi")
    assert "đã tìm được 3 phương án" in text and "cách tối ưu tối đa 4,8 %" in text
    assert "32801600" not in text
    assert "3 plans found" in progress_words(ev, "en")
    assert (
        progress_words({"event": "greedy", "n_units": 120}, "vi")
        == "đã có phương án khởi đầu: 120 đơn vị mới"
    )
    assert gap_pct(10.0, 10.0) == 0.0 and gap_pct(None, 1.0) is None


def test_verdict_words() -> None:
    kind, text = verdict({"status": "OPTIMAL", "n_fail_any": 0}, 0, "vi")
    assert kind == "success" and "tối ưu" in text and "Đạt mọi quy định" in text
    kind, text = verdict({"status": "FEASIBLE", "objective": 95, "best_bound": 100, "n_fail_any": 2}, 1, "en")
    assert kind == "warning" and "5.0 %" in text and "breaks 1 rules" in text and "2 new units" in text


def test_impossible_settings_found_before_solving(phu_tho_2023: gpd.GeoDataFrame) -> None:
    n_parents = phu_tho_2023["parent_code"].nunique()
    msgs = impossible_settings(
        phu_tho_2023, mode="target-count", target=10, stay_within_parent=True, lang="vi"
    )
    assert len(msgs) == 1 and f"số huyện ({n_parents})" in msgs[0]
    assert impossible_settings(phu_tho_2023, mode="target-count", target=10, stay_within_parent=False) == []
    a, b = phu_tho_2023["code"].iloc[0], phu_tho_2023["code"].iloc[-1]
    msgs = impossible_settings(phu_tho_2023, mode="max-units", target=None, stay_within_parent=True,
                               locks=[a], pairs=[(a, b)], lang="en")  # fmt: skip
    assert any("spans two districts" in m for m in msgs) and any("locked" in m for m in msgs)


def test_search_without_diacritics(phu_tho_2023: gpd.GeoDataFrame) -> None:
    found = search_units(phu_tho_2023, "yen luat")
    names = set(phu_tho_2023.set_index("code").loc[found, "name"])
    assert names == {"Xã Yên Luật"}
    assert search_units(phu_tho_2023, "  ") == []
    assert search_names(["Đề xuất 1", "NQ 828 (2019→2020)"], "de xuat") == ["Đề xuất 1"]


def test_a_manual_move_of_a_locked_unit_is_flagged(phu_tho_2023: gpd.GeoDataFrame) -> None:
    from sapxep.geodata.adjacency import build_adjacency
    from sapxep.units.rules import load_ruleset

    units = phu_tho_2023
    graph = build_adjacency(units, island_policy="links")
    codes = units["code"].astype(str).tolist()
    plan = plan_from_mapping({c: c for c in codes})  # every unit alone
    locked = codes[0]
    neighbour = str(next(iter(graph.neighbors(locked))))
    edited = move_unit(plan, locked, neighbour, graph=graph)
    rs = load_ruleset("nq35_2023")
    result = check(units, edited, rs, graph, lang="vi", locks=[locked])
    locks = [v for v in result.violations if v.kind == "lock"]
    assert [v.codes for v in locks] == [(locked,)]
    name = units.set_index("code").at[locked, "name"]
    assert name in locks[0].message
    assert not any(v.kind == "lock" for v in check(units, edited, rs, graph, lang="vi").violations)


def test_draft_and_settings_survive_a_new_session(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws.gpkg")
    assert load_draft(ws, "d").current is None and load_settings(ws, "plan:d") == {}
    p1 = plan_from_mapping({"a": "g1", "b": "g1", "c": "g2"}, seats={"g1": "b", "g2": "c"})
    p2 = plan_from_mapping({"a": "g1", "b": "g2", "c": "g2"}, seats={"g1": "a", "g2": "c"})
    h = PlanHistory()
    h.push(p1, "optimizer")
    h.push(p2, "move b")
    h.undo()
    save_draft(ws, "d", h)
    save_settings(ws, "plan:d", {"plan_mode": "repair", "pairs:d": [["a", "b"]]})
    back = load_draft(Workspace(tmp_path / "ws.gpkg"), "d")
    assert plans_equal(back.current, p1) and back.can_redo and back.labels == ["optimizer", "move b"]
    assert load_settings(ws, "plan:d") == {"plan_mode": "repair", "pairs:d": [["a", "b"]]}


def test_errors_in_words() -> None:
    e = explain(InfeasibleError("no plan", ["units 1, 2 conflict"]), "vi")
    assert e.title.startswith("Không có phương án") and "units 1, 2 conflict" in e.details
    e = explain(WorkspaceError("scenario 'x' already exists in ws.gpkg"), "en")
    assert e.title == "The scenario name is taken"


def test_compare_difference_marks_and_summary() -> None:
    from sapxep.scenarios.app.comparing import agreement_words, mark, metrics_with_difference, summary_words

    metrics = pd.DataFrame(
        {"A": ["nq35_2023", 277, 225, 3, 5.0], "B": ["nq35_2023", 277, 219, 1, 6.5]},
        index=["ruleset", "n_before", "n_after", "n_fail_any", "seat_distance_km_max"],
        dtype=object,
    )
    assert mark("n_fail_any", 3, 1) == "better" and mark("seat_distance_km_max", 5, 6.5) == "worse"
    assert mark("n_after", 225, 219) == ""  # a policy choice, not judged
    table = metrics_with_difference(metrics, "A", "B", "vi")
    assert list(table.columns) == ["A", "B", "Chênh lệch (B − A)", "Tốt hơn / kém hơn"]
    row = table.loc["Đơn vị mới chưa đạt ít nhất một tiêu chuẩn"]
    assert row["Chênh lệch (B − A)"] == "-2" and row["Tốt hơn / kém hơn"] == "▲ tốt hơn"
    assert table.loc["Bộ tiêu chuẩn dùng để đánh giá", "A"].startswith("NQ 35/2023")
    text = summary_words(metrics, "A", "B", "vi")
    assert "số đơn vị sau sắp xếp: 219, ít hơn 6" in text and "(kém hơn)" in text
    assert agreement_words({"n_changed": 12}, 225, "vi").startswith("213 trên 225 đơn vị cũ (95 %)")


def test_renaming_a_new_unit_is_an_undoable_edit() -> None:
    from sapxep.scenarios.app.edits import rename_new_unit

    p1 = plan_from_mapping({"a": "g1", "b": "g1", "c": "g2"})
    p2 = rename_new_unit(p1, "g1", "  Xã Hợp Nhất ")
    assert p2.names["g1"] == "Xã Hợp Nhất" and plans_equal(p1, p2)
    h = PlanHistory()
    h.push(p1, "optimizer")
    h.push(p2, "rename g1")
    assert h.can_undo and h.current.names["g1"] == "Xã Hợp Nhất"
