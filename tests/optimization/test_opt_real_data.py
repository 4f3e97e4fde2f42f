"""The real Phú Thọ dataset in every mode: valid plans, re-checked by ``check_plan``."""

from __future__ import annotations

import pytest

from sapxep.scenarios.config import ScenarioConfig, scenario_from_dict
from sapxep.scenarios.run.prepare import PreparedScenario, prepare_scenario
from sapxep.scenarios.run.scenario import run_scenario
from sapxep.units.errors import InfeasibleError


def config(**plan) -> ScenarioConfig:
    rules = plan.pop("rules", {"name": "nq35_2023"})
    return scenario_from_dict(
        {
            "data": {"dataset": "phu_tho_2023"},
            "rules": rules,
            "plan": plan,
            # a deterministic work limit, so a loaded machine gets the same plan (60 s is only a safety net)
            "solver": {"time_limit_s": 60, "deterministic_time_s": 4, "num_workers": 1, "seed": 0},
        }
    )


@pytest.fixture(scope="module")
def prepared() -> PreparedScenario:
    return prepare_scenario(config(mode="max-units"))


def _valid(result) -> None:
    m = result.metrics
    assert result.check.ok, [v.message for v in result.check.violations]
    assert m["n_new_units_failing"] == 0
    assert m["must_arrange_merged"] == m["must_arrange_total"] > 0
    assert m["n_before"] == 225 and len(result.plan.assignment) == 225
    assert m["status"] in ("OPTIMAL", "FEASIBLE")
    assert 0 <= m["gap"] <= 1
    assert len(result.new_units) == m["n_after"]
    assert result.new_units["population"].sum() == result.units["population"].sum()


def test_max_units_real(prepared: PreparedScenario) -> None:
    res = run_scenario(config(mode="max-units"), prepared=prepared)
    _valid(res)
    m = res.metrics
    assert m["best_bound"] >= m["objective"] == m["n_after"]
    # fewest mergers: at least every unit that may stay alone plus one per merged pair
    assert m["n_after"] >= 225 - m["must_arrange_total"]


def test_target_count_real(prepared: PreparedScenario) -> None:
    res = run_scenario(config(mode="target-count", target=[55, 60]), prepared=prepared)
    _valid(res)
    assert 55 <= res.metrics["n_after"] <= 60


def test_repair_real(prepared: PreparedScenario) -> None:
    res = run_scenario(config(mode="repair"), prepared=prepared)
    _valid(res)
    m = res.metrics
    assert m["objective"] == m["n_units_touched"]
    assert m["n_units_touched"] <= 2 * m["must_arrange_total"]


def test_population_override_every_unit_meets_it(prepared: PreparedScenario) -> None:
    cfg = config(mode="max-units", rules={"name": "nq35_2023", "min_population": 16000,
                                          "min_area_km2": 0})  # fmt: skip
    res = run_scenario(cfg, prepared=prepared)
    assert res.check.ok
    assert res.new_units["population"].min() >= 16000
    assert res.metrics["n_after"] >= 60


def test_infeasible_real_case_names_units_and_parent(prepared: PreparedScenario) -> None:
    cfg = config(mode="max-units", stay_within_parent=True,
                 rules={"name": "nq35_2023", "min_population": 100000})  # fmt: skip
    with pytest.raises(InfeasibleError) as exc:
        run_scenario(cfg, prepared=prepared)
    text = str(exc.value)
    assert "cannot reach 100,000 people" in text
    assert "Xã " in text and "within the parent Huyện " in text
