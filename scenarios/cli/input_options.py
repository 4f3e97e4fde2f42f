"""Options the commands share.

``--layer``, ``--crs``, ``--columns``, ``--header-row``, ``--overlap-tol``, ``--gap-tol``,
``--skip-topology-check`` and ``--island-policy``: the fixes the data messages suggest, for every
command that reads a planner's units file; ``--lang``: the language of what a command prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from sapxep.units.choices import ISLAND_POLICIES
from sapxep.units.errors import ScenarioError

LayerOption = Annotated[str | None, typer.Option("--layer", help="Layer of the units file (GeoPackage).")]
CrsOption = Annotated[
    str | None,
    typer.Option("--crs", help="Coordinate system of the units file if it does not say, e.g. EPSG:3405."),
]
ColumnsOption = Annotated[
    str | None,
    typer.Option("--columns", help='Map headers to columns: "Mã xã=code,Dân số=population,DT=area_ha".'),
]
HeaderRowOption = Annotated[
    int | None, typer.Option("--header-row", help="Row (1-based) of the attribute table's headers.")
]
OverlapTolOption = Annotated[
    float | None, typer.Option("--overlap-tol", help="Tolerated overlap between two units, km² (0.01).")
]
GapTolOption = Annotated[
    float | None, typer.Option("--gap-tol", help="Tolerated gap between units, km² (0.01).")
]
SkipTopologyOption = Annotated[
    bool, typer.Option("--skip-topology-check", help="Do not check overlaps, gaps and islands.")
]
LangOption = Annotated[
    str, typer.Option("--lang", help="Language of the printed summary and messages: vi or en.")
]
IslandPolicyOption = Annotated[
    str | None, typer.Option("--island-policy", help="Units without neighbour: error, links or ignore.")
]


def check_lang(lang: str) -> None:
    """Refuse a ``--lang`` other than ``vi`` or ``en``.

    Raises
    ------
    ScenarioError
        Naming the value and the two accepted.
    """
    if lang not in ("vi", "en"):
        raise ScenarioError(f"--lang {lang!r} is not a language", ["use --lang vi or --lang en"])


def data_table_options(opts: dict[str, Any]) -> dict[str, Any]:
    """Turn :func:`read_options` output into keys of a scenario's ``[data]`` table.

    Parameters
    ----------
    opts : dict
        Output of :func:`read_options`.

    Returns
    -------
    dict
        ``columns`` as a table, paths as absolute text, ``check_topology``, tolerances.
    """
    from sapxep.geodata.columns import parse_column_spec

    out = dict(opts)
    if "columns" in out:
        out["columns"] = parse_column_spec(out["columns"])
    if "attributes" in out:
        out["attributes"] = str(Path(out["attributes"]).resolve())
    return out


def read_options(
    *,
    layer: str | None = None,
    crs: str | None = None,
    columns: str | None = None,
    attributes: Path | str | None = None,
    header_row: int | None = None,
    overlap_tol: float | None = None,
    gap_tol: float | None = None,
    skip_topology_check: bool = False,
    island_policy: str | None = None,
) -> dict[str, Any]:
    """Turn the shared options into keyword arguments of :func:`sapxep.geodata.io.read_units`.

    Returns
    -------
    dict
        Only the options given.

    Raises
    ------
    ScenarioError
        A value out of range (every problem at once).
    """
    problems = []
    if header_row is not None and header_row < 1:
        problems.append(f"--header-row {header_row}: rows count from 1")
    for flag, value in (("--overlap-tol", overlap_tol), ("--gap-tol", gap_tol)):
        if value is not None and not value >= 0:
            problems.append(f"{flag} {value}: give an area ≥ 0 in km²")
    if island_policy is not None and island_policy not in ISLAND_POLICIES:
        problems.append(f"--island-policy {island_policy!r}: use one of {', '.join(ISLAND_POLICIES)}")
    if problems:
        raise ScenarioError("bad input options", problems)
    given = {
        "layer": layer, "crs": crs, "columns": columns, "attributes": attributes, "header_row": header_row,
        "overlap_tol_km2": overlap_tol, "gap_tol_km2": gap_tol, "island_policy": island_policy,
    }  # fmt: skip
    opts = {k: v for k, v in given.items() if v is not None}
    if skip_topology_check:
        opts["check_topology"] = False
    return opts
