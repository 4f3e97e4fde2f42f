"""Scenario files: parsing, validation that lists every problem, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from sapxep.scenarios.config import (
    ScenarioConfig,
    dump_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_to_toml,
)
from sapxep.scenarios.run.prepare import load_ruleset_for, prepare_scenario
from sapxep.units.errors import ScenarioError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def minimal(**plan) -> dict:
    return {"data": {"dataset": "phu_tho_2023"}, "rules": {"name": "nq35_2023"}, "plan": plan}


def test_defaults_and_types():
    cfg = scenario_from_dict(minimal(mode="target-count", target=[10, 12]))
    assert isinstance(cfg, ScenarioConfig)
    assert cfg.plan.target == (10, 12)
    assert cfg.solver.num_workers == 2 and cfg.plan.stay_within_parent is True


@pytest.mark.parametrize("name", ["max_units", "target_count", "repair"])
def test_examples_load(name):
    cfg = load_scenario(EXAMPLES / f"{name}.toml")
    assert cfg.plan.mode == name.replace("_", "-")


def test_round_trip_keeps_everything(tmp_path):
    doc = minimal(mode="repair", locks=["07888"], forced_pairs=[["08041", "08044"]],
                  exemptions={"08113": "biệt lập"}, max_members=5)  # fmt: skip
    doc["title"] = 'Thử "nghiệm"'
    doc["staffing"] = {"policy": "keep", "quota": {"xa": 22}}
    cfg = scenario_from_dict(doc, base_dir=tmp_path)
    back = load_scenario(dump_scenario(cfg, tmp_path / "s.toml"))
    assert back.plan == cfg.plan
    assert back.rules == cfg.rules and back.data == cfg.data and back.solver == cfg.solver
    assert back.title == cfg.title
    assert back.extra == {"staffing": {"policy": "keep", "quota": {"xa": 22}}}


def test_scenario_to_toml_in_memory_round_trip(tmp_path):
    import tomllib

    doc = minimal(exemptions={"08113": "biệt lập"}, locks=["07888"])
    doc["rules"]["overrides"] = {"waiver_min_members": 3, "new_unit": {"area_pct": 50}}
    doc["notes"] = "Ghi chú\ncó hai dòng"
    cfg = scenario_from_dict(doc, base_dir=tmp_path)
    text = scenario_to_toml(cfg)
    back = scenario_from_dict(tomllib.loads(text), base_dir=tmp_path)
    assert back == cfg
    assert "biệt lập" in text  # Vietnamese written as is, not escaped
    assert dump_scenario(cfg, tmp_path / "s.toml").read_text(encoding="utf-8") == text


def test_every_problem_listed_at_once():
    doc = {
        "data": {"dataset": "phu_tho"},
        "rules": {"name": "nq35"},
        "plan": {"mode": "fastest", "max_members": 0, "locks": "07888"},
        "solver": {"time_limt_s": 3},
        "colour": "red",
    }
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(doc)
    problems = exc.value.problems
    text = "\n".join(problems)
    assert "unknown dataset 'phu_tho'" in text and "did you mean 'phu_tho_20" in text
    assert "unknown ruleset 'nq35'" in text
    assert "unknown mode 'fastest'" in text
    assert "max_members must be >= 1" in text
    assert "locks must be a list" in text
    assert "unknown key 'time_limt_s'" in text and "did you mean 'time_limit_s'" in text
    assert "unknown top-level key 'colour'" in text
    assert len(problems) == 7


def test_contradictory_locks_and_pairs():
    doc = minimal(locks=["07888", "07888"], forced_pairs=[["07888", "07891"], ["08041", "08044"]],
                  forbidden_pairs=[["08044", "08041"]], fixed_seats=["08041", "08044"])  # fmt: skip
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(doc)
    text = str(exc.value)
    assert "locks lists 07888 more than once" in text
    assert "07888 is locked (unchanged) but forced together with 07891" in text
    assert "08044 and 08041 are both forced together and forbidden" in text
    assert "both fixed as seats" in text


def test_target_rules():
    with pytest.raises(ScenarioError, match="needs target"):
        scenario_from_dict(minimal(mode="target-count"))
    with pytest.raises(ScenarioError, match="only used by mode 'target-count'"):
        scenario_from_dict(minimal(mode="max-units", target=5))
    with pytest.raises(ScenarioError, match="1 <= min <= max"):
        scenario_from_dict(minimal(mode="target-count", target=[9, 3]))


def test_exemption_needs_reason():
    with pytest.raises(ScenarioError, match="exemption of 07888 needs a reason"):
        scenario_from_dict(minimal(exemptions={"07888": " "}))


def test_unreadable_and_invalid_toml(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read scenario"):
        load_scenario(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[plan\nmode = 1", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(bad)


def test_unknown_rules_file(tmp_path):
    doc = {"data": {"dataset": "phu_tho_2023"}, "rules": {"file": "nope.toml"}}
    with pytest.raises(ScenarioError, match="ruleset file not found"):
        scenario_from_dict(doc, base_dir=tmp_path)


def test_with_changes_revalidates():
    cfg = scenario_from_dict(minimal())
    assert cfg.with_changes(solver={"time_limit_s": 5}).solver.time_limit_s == 5
    with pytest.raises(ScenarioError):
        cfg.with_changes(plan={"mode": "nope"})


def test_ruleset_overrides_apply():
    cfg = scenario_from_dict(
        {"data": {"dataset": "phu_tho_2023"},
         "rules": {"name": "nq35_2023", "overrides": {"waiver_min_members": 3}}}
    )  # fmt: skip
    assert load_ruleset_for(cfg).waiver_min_members == 3


def test_ruleset_overrides_in_memory(monkeypatch):
    import tempfile

    def no_temp(*_args, **_kwargs):
        raise AssertionError("rule overrides must not go through a temp file")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", no_temp)
    monkeypatch.setattr(tempfile, "mkstemp", no_temp)
    cfg = scenario_from_dict(
        {"data": {"dataset": "phu_tho_2023"},
         "rules": {"name": "nq76_2025", "overrides": {"waiver_min_members": 4}}}
    )  # fmt: skip
    rs = load_ruleset_for(cfg)
    assert rs.waiver_min_members == 4 and rs.name.endswith("_custom")


def test_unknown_codes_and_locked_must_arrange_against_data():
    cfg = scenario_from_dict(minimal(
        locks=["99999", "08041"], forbidden_pairs=[["07888", "12345"]],
        fixed_seats=["00000"], exemptions={"55555": "lý do"},
    ))  # fmt: skip
    with pytest.raises(ScenarioError) as exc:
        prepare_scenario(cfg)
    text = str(exc.value)
    assert "[plan] locks: unknown unit codes 99999" in text
    assert "12345" in text and "00000" in text and "55555" in text
    cfg2 = scenario_from_dict(minimal(locks=["08041"]))
    with pytest.raises(ScenarioError, match=r"Xã Minh Tiến \(08041\) is locked as unchanged but must"):
        prepare_scenario(cfg2)


def test_misspelt_sections_rejected_with_did_you_mean():
    doc = minimal()
    doc["solvr"] = {"time_limit_s": 3}
    doc["Plan"] = {"locks": ["07888"]}  # would silently drop the locks
    doc["staffing"] = {"policy": "keep"}  # a real extension section still passes through
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(doc)
    text = "\n".join(exc.value.problems)
    assert "unknown section [solvr] (did you mean [solver]?)" in text
    assert "unknown section [Plan] (did you mean [plan]?)" in text
    assert len(exc.value.problems) == 2  # both listed at once, [staffing] is fine
    cfg = scenario_from_dict({**minimal(), "staffing": {"policy": "keep"}, "costs": {"x": 1}})
    assert set(cfg.extra) == {"staffing", "costs"}


def test_misspelt_section_in_a_file_exits_2_without_traceback(tmp_path, capsys):
    from sapxep.scenarios.cli import main

    path = tmp_path / "s.toml"
    path.write_text(
        '[data]\ndataset = "phu_tho_2023"\n[rules]\nname = "nq35_2023"\n'
        '[Plan]\nlocks = ["07888"]\n[solvr]\nseed = 1\n',
        encoding="utf-8",
    )
    code = main(["plan", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "[Plan] (did you mean [plan]?)" in err and "[solvr] (did you mean [solver]?)" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
