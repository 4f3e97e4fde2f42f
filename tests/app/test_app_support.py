"""Pure helpers behind the app (``sapxep.scenarios.app`` and the plan undo stack)."""

from __future__ import annotations

import threading
import time

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely

from sapxep.scenarios.app.colours import compliance_category, differing_units, group_colours
from sapxep.scenarios.app.edits import move_unit, neighbouring_new_units, set_seat, split_new_unit
from sapxep.scenarios.app.geometry import boundary_lines, lonlat_extent, union_lines, units_geojson
from sapxep.scenarios.app.history import PlanHistory
from sapxep.scenarios.app.hover import unit_hover
from sapxep.scenarios.app.jobs import BackgroundJob, JobCancelled
from sapxep.scenarios.app.planning import plan_config
from sapxep.scenarios.app.tables import format_table, html_table, metrics_frame
from sapxep.scenarios.app.unit_inputs import (
    EDITABLE_COLUMNS,
    apply_unit_edits,
    diff_unit_edits,
    editable_frame,
)
from sapxep.scenarios.app.uploads import check_upload_sizes
from sapxep.scenarios.messages import tr
from sapxep.scenarios.messages.app import APP_TEXT
from sapxep.units.errors import PlanError
from sapxep.units.plan import plan_from_mapping
from sapxep.units.plan_edit import plans_equal


@pytest.fixture
def grid() -> gpd.GeoDataFrame:
    """A 3x2 grid of unit squares, codes a..f (row-major), with a rook graph.

    ::

        a b c
        d e f
    """
    codes = list("abcdef")
    geoms = [
        shapely.box(105 + 0.1 * c, 21 + 0.1 * r, 105.1 + 0.1 * c, 21.1 + 0.1 * r)
        for r in range(2)
        for c in range(3)
    ]
    return gpd.GeoDataFrame(
        {
            "code": codes,
            "name": [f"Xã {c.upper()}" for c in codes],
            "area_km2": [10.0] * 6,
            "population": [1000, 2000, 3000, 4000, 5000, 6000],
            "terrain": ["lowland"] * 6,
        },
        geometry=geoms,
        crs=4326,
    )


@pytest.fixture
def graph() -> nx.Graph:
    return nx.Graph([("a", "b"), ("b", "c"), ("d", "e"), ("e", "f"), ("a", "d"), ("b", "e"), ("c", "f")])


@pytest.fixture
def plan():  # noqa: ANN201
    """{a,b,d} seated at b, {c,f} seated at f, {e} alone."""
    return plan_from_mapping(
        {"a": "G1", "b": "G1", "d": "G1", "c": "G2", "f": "G2", "e": "G3"},
        seats={"G1": "b", "G2": "f", "G3": "e"},
    )


def test_tr_languages_and_unknown_key() -> None:
    assert tr("page_data") == "Dữ liệu"
    assert tr("page_data", "en") == "Data"
    assert tr("run_done", "en", n=3) == "Done: 3 new units."
    assert tr("no_such_key", "en") == "no_such_key"
    assert all(len(pair) == 2 and all(pair) for pair in APP_TEXT.values())


def test_units_geojson_ids_and_rounding(grid: gpd.GeoDataFrame) -> None:
    gj = units_geojson(grid, decimals=3)
    assert [f["id"] for f in gj["features"]] == list("abcdef")
    coords = gj["features"][0]["geometry"]["coordinates"][0]
    assert all(round(x, 3) == x for pt in coords for x in pt)
    with pytest.raises(KeyError, match="feature id"):
        units_geojson(grid, id_column="nope")


def test_boundary_lines_and_extent(grid: gpd.GeoDataFrame) -> None:
    lons, lats = boundary_lines(grid)
    assert np.isnan(lons).sum() == np.isnan(lats).sum() == 6 and len(lons) == len(lats) == 6 * 6
    assert np.isnan(lons[5::6]).all()  # each square's 5 points, then a gap
    assert lonlat_extent(grid) == pytest.approx((105.0, 21.0, 105.3, 21.2))
    ulons, _ = union_lines(grid, ["a", "b"])
    assert np.isnan(ulons).sum() == 1


def test_html_table_escapes_every_cell_and_keeps_the_index() -> None:
    index = pd.Index(["Số đơn vị", "a & b"], name="Chỉ tiêu")
    frame = pd.DataFrame({"Giá trị": ["1.234", "<b>x</b>"]}, index=index)
    body = html_table(frame)
    assert body.count("<tr>") == 3 and "Chỉ tiêu" in body and "Số đơn vị" in body
    assert "&lt;b&gt;x&lt;/b&gt;" in body and "a &amp; b" in body and "<b>" not in body


def test_compliance_category() -> None:
    a = pd.DataFrame(
        {
            "meets_standard": [True, False, False, False, True],
            "must_arrange": [False, True, True, False, True],
            "exempt": [False, False, True, False, False],
        },
        index=list("vwxyz"),
    )
    assert compliance_category(a).tolist() == ["meets", "must", "exempt", "short", "must"]


def test_group_colours_differ_between_neighbours(plan, graph: nx.Graph) -> None:  # noqa: ANN001
    colours = group_colours(plan.assignment, graph)
    a = plan.assignment
    for u, v in graph.edges():
        if a[u] != a[v]:
            assert colours[u] != colours[v]
    assert colours["a"] == colours["b"] == colours["d"]


def test_differing_units_ignore_new_unit_ids(plan) -> None:  # noqa: ANN001
    renamed = plan.assignment.map({"G1": "X", "G2": "Y", "G3": "Z"})
    assert list(differing_units([plan.assignment, renamed])) == []
    other = plan.assignment.copy()
    other["d"] = "G3"
    assert list(differing_units([plan.assignment, other])) == ["a", "b", "d", "e"]


def test_move_unit(plan, graph: nx.Graph) -> None:  # noqa: ANN001
    assert neighbouring_new_units(plan, graph, "d") == ["G3"]
    moved = move_unit(plan, "d", "G3", graph=graph)
    assert moved.groups == {"G1": ["a", "b"], "G2": ["c", "f"], "G3": ["d", "e"]}
    assert moved.seats == {"G1": "b", "G2": "f", "G3": "e"}
    assert plan.assignment["d"] == "G1", "the input plan is not mutated"
    with pytest.raises(PlanError, match="does not touch"):
        move_unit(plan, "a", "G2", graph=graph)
    with pytest.raises(PlanError) as err:
        move_unit(plan, "zz", "G9")
    assert len(err.value.problems) == 2


def test_move_seat_unit_moves_the_seat(plan, graph: nx.Graph) -> None:  # noqa: ANN001
    moved = move_unit(plan, "b", "G2", graph=graph)
    assert moved.seats["G1"] in moved.groups["G1"]
    assert moved.seats["G2"] == "f"


def test_split_and_seat(plan) -> None:  # noqa: ANN001
    split = split_new_unit(plan, "G1", ["a"])
    assert split.n_after == plan.n_after + 1
    assert split.groups["G1-t1"] == ["a"] and split.seats["G1-t1"] == "a"
    assert split.seats["G1"] == "b"
    for bad, msg in (([], "at least one"), (["c"], "not members"), (["a", "b", "d"], "leave at least")):
        with pytest.raises(PlanError) as err:
            split_new_unit(plan, "G1", bad)
        assert msg in " ".join(err.value.problems)
    seated = set_seat(plan, "G1", "a")
    assert seated.seats["G1"] == "a"
    with pytest.raises(PlanError, match="seat"):
        set_seat(plan, "G1", "c")


def test_plan_history_undo_redo(plan) -> None:  # noqa: ANN001
    h = PlanHistory()
    assert h.current is None and not h.can_undo and not h.can_redo
    h.push(plan, "optimizer")
    p2 = split_new_unit(plan, "G1", ["a"])
    h.push(p2, "split")
    h.push(p2, "same plan again: ignored")
    assert len(h.states) == 2
    h.undo()
    assert plans_equal(h.current, plan) and h.can_redo
    p3 = set_seat(plan, "G1", "d")
    h.push(p3, "seat")
    assert not h.can_redo and len(h.states) == 2, "a new edit drops the redo branch"
    h.undo()
    h.redo()
    assert plans_equal(h.current, p3)


def test_unit_edits_roundtrip(grid: gpd.GeoDataFrame) -> None:
    original = editable_frame(grid)
    assert list(original.columns) == ["name", *EDITABLE_COLUMNS]
    edited = original.copy()
    edited.loc["b", "terrain"] = "mountainous"
    edited.loc["c", "commune_class"] = "I"
    diff = diff_unit_edits(original, edited)
    assert list(diff.index) == ["b", "c"]
    out = apply_unit_edits(grid, diff)
    assert out.set_index("code").at["b", "terrain"] == "mountainous"
    assert out.set_index("code").at["c", "commune_class"] == "I"
    assert grid.set_index("code").at["b", "terrain"] == "lowland", "input not mutated"
    assert apply_unit_edits(grid, None) is grid


def test_upload_size_limit() -> None:
    msgs = check_upload_sizes([("a.geojson", 10), ("b.gpkg", 80_000_000)], max_mb=50, lang="en")
    assert msgs == ["File b.gpkg is 80.0 MB, over the 50 MB limit."]


def test_unit_hover_has_name_area_population_and_percent(grid: gpd.GeoDataFrame) -> None:
    a = pd.DataFrame({"area_pct": [50.0] * 6, "population_pct": [120.0] * 6}, index=list("abcdef"))
    h = unit_hover(grid, a, "vi")
    assert h["a"].startswith("<b>Xã A</b> (a)")
    assert "10,00 km² (50% so với tiêu chuẩn)" in h["a"]
    assert "Dân số: 1.000 (120% so với tiêu chuẩn)" in h["a"]


def test_background_job_result_error_and_cancel() -> None:
    job = BackgroundJob(lambda x, on_progress: on_progress({"event": "x"}) or x * 2, args=(21,)).start()
    assert job.wait(5) and job.result == 42 and job.progress == {"event": "x"}

    def boom(on_progress):  # noqa: ANN001, ANN202, ARG001
        raise ValueError("bad")

    job = BackgroundJob(boom).start()
    assert job.wait(5) and isinstance(job.error, ValueError)

    started = threading.Event()

    def slow(on_progress):  # noqa: ANN001, ANN202
        started.set()
        for _ in range(200):
            on_progress({"event": "tick"})
            time.sleep(0.01)
        return "finished"

    job = BackgroundJob(slow).start()
    started.wait(5)
    job.cancel()
    assert job.wait(5)
    assert isinstance(job.error, JobCancelled) and job.result is None


def test_background_job_cooperative_cancel_keeps_the_result() -> None:
    started = threading.Event()

    def slow(on_progress, should_stop):  # noqa: ANN001, ANN202
        started.set()
        best = 0
        for i in range(500):
            if should_stop():
                return ("stopped", best)
            on_progress({"event": "tick"})  # does not raise after cancel
            best = i
            time.sleep(0.01)
        return ("finished", best)

    job = BackgroundJob(slow).start(stop_kw="should_stop")
    assert job.cooperative
    started.wait(5)
    time.sleep(0.05)
    job.cancel()
    assert job.wait(5) and job.cancelled
    assert job.error is None and job.result[0] == "stopped" and job.result[1] > 0
    job.report({"event": "late"})  # a cooperative job's report never raises


def test_format_table_and_metrics_frame() -> None:
    t = pd.DataFrame({"A": [277.0, 0.5, None], "B": [1234567.0, float("nan"), 3.0]})
    out = format_table(t, "vi")
    assert out["A"].tolist() == ["277", "0,50", "—"]
    assert out["B"].tolist() == ["1.234.567", "—", "3"]
    f = metrics_frame({"n_before": 277, "n_after": 137, "staff_before": None}, "en")
    assert f.columns.tolist() == ["Metric", "Value"]
    assert f["Value"].tolist() == ["277", "137"]


def test_plan_config_validates() -> None:
    cfg = plan_config(dataset="phu_tho_2019", ruleset="nq35_2023", mode="target-count",
                         target=150, locks=["08062"], time_limit_s=3)  # fmt: skip
    assert cfg.plan.target == 150 and cfg.plan.locks == ("08062",) and cfg.solver.time_limit_s == 3
    from sapxep.units.errors import ScenarioError

    with pytest.raises(ScenarioError):
        plan_config(dataset="nope", ruleset="nq35_2023")
