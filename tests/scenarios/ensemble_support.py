"""Helpers for the ensemble tests: a small grid scenario and Dask processes on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "geodata"))
from geodata_grid import raw_grid  # noqa: E402

GRID_TOML = """title = "Lưới thử"
[data]
units_file = "grid.geojson"
[rules]
name = "nq35_2023"
min_population = 3000
min_area_km2 = 0
[plan]
mode = "target-count"
target = [8, 10]
alternatives_min_changed = 3
[objective]
compactness = 1.0
balance = 0.5
[solver]
time_limit_s = 120
deterministic_time_s = 0.3
num_workers = 1
seed = 0
"""


def grid_scenario(folder: Path) -> Path:
    """Write a 6 × 5 grid (30 communes, uneven populations) and a target-count scenario on it."""
    folder.mkdir(parents=True, exist_ok=True)
    g: gpd.GeoDataFrame = raw_grid(6, 5)
    g["population"] = [1000 + (37 * i) % 900 for i in range(len(g))]
    g.to_file(folder / "grid.geojson", driver="GeoJSON")
    path = folder / "grid.toml"
    path.write_text(GRID_TOML, encoding="utf-8")
    return path


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _popen(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as fh:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT)


def start_scheduler(port: int, log: Path) -> subprocess.Popen[bytes]:
    """``dask scheduler`` on 127.0.0.1:port (no dashboard)."""
    proc = _popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--no-dashboard"], log,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"dask scheduler did not start: {log.read_text(errors='replace')}")


def start_worker(port: int, log: Path, name: str) -> subprocess.Popen[bytes]:
    """``dask worker`` (one thread, no nanny: one process to kill) connected to the scheduler."""
    return _popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", f"tcp://127.0.0.1:{port}",
         "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name, "--host", "127.0.0.1",
         "--local-directory", str(log.parent / name)], log,
    )  # fmt: skip


def wait_for_workers(address: str, n: int, timeout_s: float = 90) -> None:
    """Block until the scheduler has ``n`` workers."""
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(n, timeout=timeout_s)


def stop(*procs: subprocess.Popen[bytes]) -> None:
    """Terminate the given processes (and wait for them)."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=20)
