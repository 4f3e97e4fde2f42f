"""The distributed engine: a Dask client on a local cluster or on an existing one.

Ensembles and sweeps hand their tasks (one CP-SAT solve each) to Dask distributed. By
default a :class:`distributed.LocalCluster` with one single-threaded worker *process* per
task slot runs on this machine; ``scheduler="tcp://HOST:PORT"`` connects to a cluster
started elsewhere (``dask scheduler`` / ``dask worker``, Kubernetes, Slurm/PBS through
dask-jobqueue); a scenario can name it in ``[engine] scheduler = "tcp://HOST:PORT"``.
Dask schedules, and re-runs the task of a worker that died; this project adds no queue or
retry loop of its own.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sapxep.units.errors import ScenarioError

logger = logging.getLogger(__name__)


def scheduler_address(config: Any, given: str | None = None) -> str | None:
    """The scheduler to use: ``given`` (``--scheduler``), else the scenario's ``[engine] scheduler``.

    Raises
    ------
    ScenarioError
        ``[engine] scheduler`` is not a text such as ``"tcp://10.0.0.5:8786"``.
    """
    if given:
        return given
    engine = getattr(config, "extra", {}).get("engine", {}) or {}
    value = engine.get("scheduler") if isinstance(engine, dict) else None
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ScenarioError(
            "[engine] scheduler must be an address",
            [f'got {value!r}: write e.g. scheduler = "tcp://10.0.0.5:8786"'],
        )
    return value


def local_worker_count(workers_per_task: int = 1, n_workers: int | None = None) -> int:
    """Worker processes of the default local cluster.

    Parameters
    ----------
    workers_per_task : int
        CP-SAT threads of one task; each Dask worker runs one task at a time.
    n_workers : int, optional
        Explicit count (wins).

    Returns
    -------
    int
        ``n_workers``, or the cores divided by ``workers_per_task`` (at least 1).
    """
    if n_workers is not None:
        return max(1, int(n_workers))
    return max(1, (os.cpu_count() or 1) // max(1, workers_per_task))


@contextmanager
def dask_client(
    scheduler: str | None = None,
    *,
    n_workers: int | None = None,
    workers_per_task: int = 1,
) -> Iterator[Any]:
    """Open a Dask client; close it (and the local cluster) on exit.

    Parameters
    ----------
    scheduler : str, optional
        Address of an existing scheduler (``tcp://127.0.0.1:8786``). Without it a
        ``LocalCluster`` is started with ``threads_per_worker=1`` and worker processes.
    n_workers : int, optional
        Local worker processes (default :func:`local_worker_count`).
    workers_per_task : int
        CP-SAT threads per task (sizes the local cluster).

    Yields
    ------
    distributed.Client

    Raises
    ------
    ScenarioError
        The scheduler cannot be reached.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise ScenarioError(
                f"cannot reach the Dask scheduler at {scheduler}",
                [f"{exc}; start one with `dask scheduler` and `dask worker {scheduler}`, "
                 "or leave out --scheduler to use a local cluster"],
            ) from None  # fmt: skip
        logger.info("connected to Dask scheduler %s", scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    n = local_worker_count(workers_per_task, n_workers)
    cluster = LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
        scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR,
    )  # fmt: skip
    client = Client(cluster)
    logger.info("local Dask cluster: %d worker processes", n)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
