"""One plan-metrics object: the comparison view and the metrics.json view agree."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from sapxep.scenarios.analysis.metrics import METRIC_KEYS, RUN_KEYS, RUN_SIZE_KEYS, measure_plan, plan_metrics
from sapxep.units.checks import check_plan
from sapxep.units.plan import plan_from_mapping
from sapxep.units.rules import load_ruleset


def _units() -> pd.DataFrame:
    sizes = {"A": (5.0, 1000), "B": (10.0, 3000), "C": (40.0, 9000), "D": (20.0, 6000)}
    return pd.DataFrame([
        {"code": c, "name": f"Xã {c}", "unit_type": "xa", "parent_kind": "huyen", "parent_code": "P",
         "terrain": "lowland", "terrain_source": "data", "area_km2": a, "population": p,
         "arranged_2019_2021": False}
        for c, (a, p) in sizes.items()
    ])  # fmt: skip


def test_one_vocabulary_two_views() -> None:
    units, rs = _units(), load_ruleset("nq35_2023")
    graph = nx.Graph([("A", "B"), ("B", "C"), ("A", "D")])
    plan = plan_from_mapping({"A": "n1", "B": "n1", "C": "n2", "D": "n3"})
    check = check_plan(units, plan, rs, graph=graph)
    m = measure_plan(units, plan, ruleset=rs, graph=graph, check=check)
    # A+B (4,000 people) is below the population floor; A and B must be arranged and are merged
    assert (m.n_after, m.n_merged, m.n_unchanged, m.n_units_touched, m.max_members) == (3, 1, 2, 2, 2)
    assert (m.n_fail_population, m.n_fail_any) == (1, 1) and m.n_fail_area in (0, 1)
    assert m.n_new_units_failing == 1 == len({v.new_unit for v in check.violations})
    assert (m.must_arrange_total, m.must_arrange_resolved, m.must_arrange_unresolved) == (2, 2, 0)
    run = {**m.run_counts(), **m.run_sizes()}
    assert list(run) == [*RUN_KEYS, *RUN_SIZE_KEYS]
    assert run["must_arrange_merged"] == m.must_arrange_resolved
    assert run["new_unit_population_min"] == 4000 and run["new_unit_area_km2_max"] == 40.0
    comparison = plan_metrics(units, plan, ruleset=rs, graph=graph)
    assert set(METRIC_KEYS) <= set(comparison) and comparison["n_fail_any"] == m.n_fail_any
    assert comparison["must_arrange_resolved"] == run["must_arrange_merged"]
