"""``sapxep staffing --dataset``: existing units checked against the norms without a merger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sapxep.scenarios.cli import app, main
from sapxep.units.plan import current_state_plan


def test_current_state_plan() -> None:
    plan = current_state_plan(["00004", "00008"])
    assert plan.n_after == 2
    assert plan.seats == {"00004": "00004", "00008": "00008"}
    assert plan.groups == {"00004": ["00004"], "00008": ["00008"]}


def test_cli_staffing_on_a_dataset_without_merger(tmp_path: Path) -> None:
    out = tmp_path / "st"
    res = CliRunner().invoke(
        app, ["staffing", "--dataset", "vietnam_2025", "--province", "lai chau", "--out", str(out),
              "--charts", "0", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    s = json.loads(res.output)
    assert s["n_units"] == s["n_new_units"] == 38
    assert s["structure"] == "2025"
    assert (out / "summary.json").exists()


def test_cli_staffing_needs_one_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["staffing", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "PLAN_DIR" in err and "--dataset" in err and "Traceback" not in err
