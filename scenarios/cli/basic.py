"""CLI commands: ``datasets`` and ``app``."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import typer

from sapxep.geodata.datasets import DATASETS
from sapxep.scenarios.jsonfile import json_text
from sapxep.units.errors import ScenarioError


def datasets(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the bundled datasets with unit counts and vintage."""
    if as_json:
        rows = [
            {
                "name": d.name, "n_units": d.n_units, "n_provinces": d.n_provinces,
                "vintage": d.vintage, "title": d.title, "description": d.description,
                "subset_of": d.subset_of, "province": d.province,
            }
            for d in DATASETS.values()
        ]  # fmt: skip
        typer.echo(json_text(rows))
        return
    for d in DATASETS.values():
        provinces = f", {d.n_provinces} provinces" if d.n_provinces and d.n_provinces > 1 else ""
        typer.echo(f"{d.name:14} {d.n_units:>6} units{provinces}  {d.title}")
        typer.echo(f"{'':14} vintage: {d.vintage}")
        if d.subset_of:
            typer.echo(f"{'':14} subset of {d.subset_of} (province {d.province})")
        if d.description:
            typer.echo(f"{'':14} {d.description}")


def launch_app(
    port: int = typer.Option(8501, help="Port to serve on."),
    address: str = typer.Option("127.0.0.1", help="Address to bind (127.0.0.1 = this machine)."),
) -> None:
    """Launch the Streamlit app on the bundled data, fully offline."""
    # Only the file's path: the UI (and streamlit) is imported by the served app, not by the CLI.
    spec = importlib.util.find_spec("sapxep.app_pages.main")
    if spec is None or spec.origin is None:
        raise ScenarioError("the app is not installed", ["reinstall sapxep: pip install sapxep"])
    app_py = Path(spec.origin).resolve()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app_py),
        "--server.headless", "true",
        "--server.address", address,
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.maxUploadSize", "50",
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip
    typer.echo(f"sapxep app: http://{address}:{port}")
    sys.stdout.flush()
    if os.name == "posix":
        # Replace this process so Ctrl+C and kill reach Streamlit directly.
        os.execv(sys.executable, cmd)
    raise typer.Exit(subprocess.call(cmd))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("datasets")(datasets)
    app.command("app")(launch_app)
