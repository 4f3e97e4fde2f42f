"""``sapxep clean``: repair the topology of a units file and write it with a per-unit report.

Shared by the CLI and the app. Reads the file with its columns mapped (so a planner's
own headers work), runs :func:`sapxep.geodata.clean.clean_units`, checks the result the
way ``plan`` will read it, and writes the cleaned file and the report atomically.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sapxep.geodata.clean import CleanResult, clean_units
from sapxep.geodata.io import read_raw_units
from sapxep.geodata.normalise import normalise_units
from sapxep.geodata.validate import validate_topology, validate_units
from sapxep.geodata.vector import WRITE_DRIVERS, write_vector
from sapxep.scenarios.csvfile import CSV_ENCODING
from sapxep.units.choices import Lang
from sapxep.units.errors import DataValidationError
from sapxep.units.files import atomic_path, check_output_path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CleanRun:
    """What :func:`run_clean` did.

    Attributes
    ----------
    result : CleanResult
    out : Path
        The cleaned units file.
    report_path : Path
        The per-unit report (CSV, UTF-8 with BOM for Excel).
    notes : list of str
        Decisions taken on the input and output (columns, numbers, gaps kept).
    remaining : list of str
        Problems the cleaned file still has (topology checks at the default
        tolerances, attribute problems), as warnings.
    """

    result: CleanResult
    out: Path
    report_path: Path
    notes: list[str]
    remaining: list[str]


def default_report_path(out: str | Path) -> Path:
    """Return ``<out stem>_clean_report.csv`` next to ``out``."""
    p = Path(out)
    return p.with_name(f"{p.stem}_clean_report.csv")


def run_clean(
    path: str | Path,
    out: str | Path,
    *,
    report: str | Path | None = None,
    gap_tol_km2: float = 1.0,
    max_change_pct: float = 10.0,
    read_options: Mapping[str, Any] | None = None,
) -> CleanRun:
    """Clean a units file and write the cleaned file and its report.

    Parameters
    ----------
    path : str or Path
        Units file (any format :func:`sapxep.geodata.io.read_units` reads).
    out : str or Path
        Cleaned file: ``.geojson``, ``.gpkg`` or ``.fgb``; never the input.
    report : str or Path, optional
        Per-unit report CSV; default :func:`default_report_path`.
    gap_tol_km2, max_change_pct : float
        See :func:`sapxep.geodata.clean.clean_units`.
    read_options : mapping, optional
        ``layer``, ``crs``, ``columns``, ``attributes``, ``header_row`` for reading.

    Returns
    -------
    CleanRun

    Raises
    ------
    DataValidationError, CleanRefusedError, OutputPathError
        Nothing is written then.
    """
    opts = dict(read_options or {})
    out_p = check_output_path(out, inputs=[path, opts.get("attributes")])
    report_p = check_output_path(
        report or default_report_path(out_p), inputs=[path, out_p], option="--report"
    )
    if out_p.suffix.lower() not in WRITE_DRIVERS:
        raise DataValidationError(
            f"--out {out_p}: cannot write this format", [f"give a file ending in {', '.join(WRITE_DRIVERS)}"]
        )
    raw, notes = read_raw_units(path, **opts)
    result = clean_units(raw, gap_tol_km2=gap_tol_km2, max_change_pct=max_change_pct)
    units = normalise_units(result.units)
    remaining = validate_units(units, check_topology=False)
    remaining += validate_topology(units, island_policy="ignore")
    write_vector(result.units, out_p)
    with atomic_path(report_p) as tmp:
        result.report.to_csv(tmp, index=False, encoding=CSV_ENCODING)
    logger.info("cleaned %s -> %s (%d units)", Path(path).name, out_p.name, len(result.units))
    return CleanRun(result, out_p, report_p, [*notes, *result.notes], remaining)


def summary_lines(run: CleanRun, lang: Lang = "vi") -> list[str]:
    """Lines the CLI prints after cleaning, in ``lang`` (``vi`` or ``en``)."""
    from sapxep.scenarios.messages import format_number, tr
    from sapxep.scenarios.run.assess import read_note_lines

    s = run.result.summary
    rep = run.result.report
    changed = rep[(rep["added_km2"] + rep["removed_km2"]) > 1e-6]

    def num(x: Any, d: int = 3) -> str:
        return format_number(float(x), d, lang)

    lines = [
        tr("cli_clean_done", lang, n=s["n_units"], overlap=num(s["overlap_km2"]), filled=s["gaps_filled"],
           filled_km2=num(s["gaps_filled_km2"]), kept=s["gaps_left"], kept_km2=num(s["gaps_left_km2"]),
           repaired=s["n_repaired"], dissolved=s["n_dissolved"]),
        tr("cli_clean_changed", lang, n=len(changed), pct=num(s["max_change_pct"], 2)),
    ]  # fmt: skip
    top = rep.sort_values("change_pct", ascending=False).head(5)
    for r in top.itertuples():
        lines.append(
            f"  {r.code} {r.name}: +{num(r.added_km2)} / -{num(r.removed_km2)} km² ({num(r.change_pct, 2)} %)"
        )
    lines += read_note_lines(run.notes, lang)
    lines += [tr("cli_clean_warning", lang, warning=w) for w in run.remaining]
    lines.append(tr("cli_clean_wrote", lang, out=run.out, report=run.report_path))
    return lines
