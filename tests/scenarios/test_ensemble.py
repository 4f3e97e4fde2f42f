"""Ensembles on Dask: distinct valid plans, resuming, a separate-process cluster, a killed worker."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from ensemble_support import free_port, grid_scenario, start_scheduler, start_worker, stop, wait_for_workers

from sapxep.scenarios.cli import main
from sapxep.scenarios.config import load_scenario
from sapxep.scenarios.run.ensemble import accepted_tasks, grouping_key, perturbed_weights
from sapxep.scenarios.run.taskstore import TaskStore
from sapxep.units.errors import ScenarioError


def _groupings(folder: Path) -> dict[int, str]:
    a = pd.read_parquet(folder / "assignments.parquet")
    return {int(p): grouping_key(g.set_index("code")["new_unit"]) for p, g in a.groupby("plan")}


def _check_ensemble(folder: Path, n: int) -> None:
    a = pd.read_parquet(folder / "assignments.parquet")
    m = pd.read_parquet(folder / "metrics.parquet")
    assert list(a.columns) == ["plan", "code", "new_unit", "seat_code"]
    assert a["plan"].nunique() == n == len(m)
    assert a.groupby("plan")["code"].nunique().eq(30).all()
    assert len(set(_groupings(folder).values())) == n  # distinct
    assert m["check_ok"].all() and (m["n_new_units_failing"] == 0).all()
    assert m["seed"].is_unique and set(m["plan"]) == set(a["plan"])
    assert {"n_after", "objective", "status", "reproducible", "seed"} <= set(m.columns)


def test_ensemble_cli_distinct_valid_plans_then_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    toml = grid_scenario(tmp_path)
    out = tmp_path / "ens"
    args = ["ensemble", str(toml), "--n", "4", "--out", str(out), "--local-workers", "2", "--round-size", "2"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "4/4 distinct valid plans (4 tasks solved, 0 reused" in text
    _check_ensemble(out, 4)
    m = pd.read_parquet(out / "metrics.parquet")
    assert m["reproducible"].all()
    pairs = pd.read_csv(out / "co_assignment.csv", dtype={"code_a": str, "code_b": str})
    assert len(pairs) == 49 and pairs["frequency"].between(0, 1).all()  # 6 x 5 grid: 49 edges
    dist = pd.read_csv(out / "metric_distributions.csv", index_col="metric")
    assert dist.loc["n_after", "count"] == 4 and dist.loc["n_after", "min"] <= dist.loc["n_after", "max"]
    before = _groupings(out)
    # An interrupted run: the last task's record is missing; the rerun solves only that one.
    (out / "tasks" / "000003.json").unlink()
    assert main(args) == 0
    assert "(1 tasks solved, 3 reused" in capsys.readouterr().out
    assert _groupings(out) == before
    # Asking for more plans adds tasks, keeping the finished ones.
    assert main([*args[:3], "5", *args[4:]]) == 0
    assert "(1 tasks solved, 4 reused" in capsys.readouterr().out
    _check_ensemble(out, 5)


def test_rerun_with_another_scenario_is_refused(tmp_path: Path):
    store = TaskStore(tmp_path)
    store.check_manifest({"scenario": {"a": 1}, "n": 3}, same=("scenario",))
    store.check_manifest({"scenario": {"a": 1}, "n": 9}, same=("scenario",))
    with pytest.raises(ScenarioError, match="different run") as info:
        store.check_manifest({"scenario": {"a": 2}, "n": 3}, same=("scenario",))
    assert any("another --out" in p for p in info.value.problems)


def test_accepted_plans_skip_duplicates_invalid_and_failures():
    recs = {
        0: {"outcome": "plan", "grouping": "a"},
        1: {"outcome": "plan", "grouping": "a"},
        2: {"outcome": "failed", "grouping": ""},
        3: {"outcome": "invalid", "grouping": "b"},
        4: {"outcome": "plan", "grouping": "c"},
        5: {"outcome": "plan", "grouping": "d"},
    }
    assert accepted_tasks(recs) == [0, 4, 5]
    assert accepted_tasks(recs, 2) == [0, 4]


def test_perturbed_weights_keep_zeros_and_task_zero(tmp_path: Path):
    cfg = load_scenario(grid_scenario(tmp_path))
    assert perturbed_weights(cfg, 0, 0, 0.3)["compactness"] == 1.0
    w1, w2 = perturbed_weights(cfg, 1, 0, 0.3), perturbed_weights(cfg, 2, 0, 0.3)
    assert w1 != w2 and w1 == perturbed_weights(cfg, 1, 0, 0.3)
    assert w1["parents"] == 0.0 and w1["compactness"] > 0


def test_bad_options_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    toml = grid_scenario(tmp_path)
    assert main(["ensemble", str(toml), "--n", "0", "--out", str(tmp_path / "e"), "--round-size", "0",
                 "--local-workers", "1"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "--n must be >= 1" in err and "--round-size must be >= 1" in err
    assert main(["ensemble", str(toml), "--n", "2", "--out", str(tmp_path / "e"),
                 "--scheduler", f"tcp://127.0.0.1:{free_port()}"]) == 2  # fmt: skip
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
    # the scenario can name the scheduler instead of --scheduler
    dead = f"tcp://127.0.0.1:{free_port()}"
    text = toml.read_text(encoding="utf-8") + f'\n[engine]\nscheduler = "{dead}"\n'
    toml.write_text(text, encoding="utf-8")
    assert main(["ensemble", str(toml), "--n", "2", "--out", str(tmp_path / "e2")]) == 2
    assert f"cannot reach the Dask scheduler at {dead}" in capsys.readouterr().err


def test_separate_scheduler_and_worker_give_the_local_plans(tmp_path: Path):
    toml = grid_scenario(tmp_path)
    port = free_port()
    sched = start_scheduler(port, tmp_path / "scheduler.log")
    worker = start_worker(port, tmp_path / "worker.log", "w1")
    try:
        address = f"tcp://127.0.0.1:{port}"
        wait_for_workers(address, 1)
        remote = tmp_path / "remote"
        assert main(["ensemble", str(toml), "--n", "3", "--out", str(remote), "--scheduler", address,
                     "--round-size", "3"]) == 0  # fmt: skip
    finally:
        stop(worker, sched)
    local = tmp_path / "local"
    assert main(["ensemble", str(toml), "--n", "3", "--out", str(local), "--local-workers", "1",
                 "--round-size", "3"]) == 0  # fmt: skip
    _check_ensemble(remote, 3)
    assert _groupings(remote) == _groupings(local)
    ma = pd.read_parquet(remote / "metrics.parquet").set_index("plan")
    mb = pd.read_parquet(local / "metrics.parquet").set_index("plan")
    assert ma["seed"].equals(mb["seed"]) and (ma["num_workers"] == 1).all()
    assert ma["objective"].equals(mb["objective"])


def test_killing_a_worker_process_still_completes_the_ensemble(tmp_path: Path):
    toml = grid_scenario(tmp_path)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    sched = start_scheduler(port, tmp_path / "scheduler.log")
    workers = [start_worker(port, tmp_path / f"w{i}.log", f"w{i}") for i in (1, 2)]
    out = tmp_path / "ens"
    run = None
    try:
        wait_for_workers(address, 2)
        run = subprocess.Popen(
            [sys.executable, "-m", "sapxep.scenarios", "ensemble", str(toml), "--n", "6", "--out", str(out),
             "--scheduler", address, "--round-size", "6"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not list((out / "tasks").glob("*.json")):
            assert run.poll() is None, run.communicate()
            time.sleep(0.2)
        workers[0].kill()  # tasks still running there are re-run by Dask on the other worker
        workers[0].wait(timeout=20)
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr.decode()
    finally:
        if run is not None and run.poll() is None:
            run.kill()
        stop(*workers, sched)
    assert "6/6 distinct valid plans" in stdout.decode()
    _check_ensemble(out, 6)
    tasks = pd.read_parquet(out / "tasks.parquet")
    assert len(tasks) == 6 and tasks["accepted"].all()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["workers_per_task"] == 1


@pytest.mark.slow
def test_twenty_plans_of_the_phu_tho_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    example = Path(__file__).resolve().parents[2] / "examples" / "target_count.toml"
    out = tmp_path / "ens"
    assert main(["ensemble", str(example), "--n", "20", "--out", str(out), "--local-workers", "2",
                 "--deterministic-time", "1", "--time-limit", "300"]) == 0  # fmt: skip
    assert "20/20 distinct valid plans" in capsys.readouterr().out
    a = pd.read_parquet(out / "assignments.parquet")
    assert a["plan"].nunique() == 20 and a.groupby("plan")["code"].nunique().eq(225).all()
    assert len(set(_groupings(out).values())) == 20
    m = pd.read_parquet(out / "metrics.parquet")
    assert m["check_ok"].all() and m["n_after"].between(60, 70).all()
    pairs = pd.read_csv(out / "co_assignment.csv", dtype={"code_a": str, "code_b": str})
    assert pairs["frequency"].between(0, 1).all() and len(pairs) > 225
