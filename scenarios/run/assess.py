"""Assess units against a ruleset: load data, run ``sapxep.units.assessment``, write the table.

Shared by ``sapxep assess`` and the app.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import pandas as pd

from sapxep.geodata.notes import in_language
from sapxep.geodata.vector import write_vector
from sapxep.scenarios.csvfile import write_csv
from sapxep.scenarios.messages import tr
from sapxep.units.assessment import AssessmentSummary, assess_units, summarize_assessment
from sapxep.units.errors import DataValidationError, ScenarioError, format_codes
from sapxep.units.rules import Ruleset, load_ruleset

logger = logging.getLogger(__name__)

OUTPUT_SUFFIXES = (".csv", ".geojson", ".gpkg")

#: Columns first in every written table (the rest of the assessment follows).
OUTPUT_COLUMNS = (
    "code", "name", "unit_type", "area_km2", "area_source", "population", "area_pct",
    "population_pct", "meets_standard", "must_arrange", "exempt", "reason",
)  # fmt: skip


@dataclass(frozen=True)
class AssessmentResult:
    """Everything an assessment produced.

    Attributes
    ----------
    units : GeoDataFrame
        The units table assessed.
    ruleset : Ruleset
    table : DataFrame
        Output of :func:`sapxep.units.assessment.assess_units`.
    summary : AssessmentSummary
    source : str
        Dataset name or units file.
    """

    units: gpd.GeoDataFrame
    ruleset: Ruleset
    table: pd.DataFrame
    summary: AssessmentSummary
    source: str


def read_exemptions(path: str | Path) -> dict[str, str]:
    """Read a CSV of user-declared exemptions ``code,reason``.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    dict of str to str
        Code -> reason.

    Raises
    ------
    ScenarioError
        Unreadable file, missing columns or empty reasons (all listed).
    """
    p = Path(path)
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(f"cannot read exemptions {p}", [f"{exc}: give a CSV code,reason"]) from None
    missing = [c for c in ("code", "reason") if c not in df.columns]
    if missing:
        raise ScenarioError(
            f"{p}: not an exemptions file",
            [f"column '{c}' is missing: the file needs columns code,reason" for c in missing],
        )
    empty = df.loc[df["reason"].str.strip() == "", "code"]
    if len(empty):
        raise ScenarioError(
            f"{p}: {len(empty)} exemptions without a reason",
            [f"codes {format_codes(empty)}: state the special factor (NQ 35/2023 Art. 3)"],
        )
    return dict(zip(df["code"].str.strip(), df["reason"].str.strip(), strict=True))


def load_units_for_assessment(
    *, dataset: str | None = None, units_path: str | Path | None = None,
    attributes: str | Path | None = None, province: str | None = None,
    read_options: Mapping[str, Any] | None = None,
) -> tuple[gpd.GeoDataFrame, str]:  # fmt: skip
    """Load a bundled dataset or a user units file.

    Parameters
    ----------
    dataset : str, optional
        Bundled dataset name (exclusive with ``units_path``).
    units_path : str or Path, optional
        Units file (GeoJSON, GeoPackage, …).
    attributes : str or Path, optional
        Attribute table joined by code: with ``units_path`` before normalising; with
        ``dataset`` over the loaded dataset (non-empty cells override, new columns added).
    province : str, optional
        Keep one province (code or name, diacritics optional).
    read_options : mapping, optional
        Extra :func:`sapxep.geodata.io.read_units` options (``columns``, ``crs``,
        ``layer``, ``header_row``, tolerances). Topology problems of a units file are
        warnings here (``gdf.attrs["topology_warnings"]``): assessment needs no
        adjacency; islands are ignored unless ``island_policy`` is given.

    Returns
    -------
    (GeoDataFrame, str)
        Units table and a label of its source.

    Raises
    ------
    ScenarioError
        Neither or both sources given.
    DataValidationError
        From :mod:`sapxep.geodata.io` when the data is bad.
    """
    from sapxep.geodata.io import load_dataset, read_units

    problems = []
    if (dataset is None) == (units_path is None):
        problems.append("give exactly one of --dataset NAME or --units FILE")
    if problems:
        raise ScenarioError("bad input options", problems)
    if dataset is not None:
        units = load_dataset(dataset, province=province)
        if attributes is not None:
            from sapxep.geodata.attributes import override_attributes

            opts = dict(read_options or {})
            units = override_attributes(
                units, attributes, columns=opts.get("columns"), header_row=opts.get("header_row")
            )
            return units, f"{dataset} + {Path(attributes).name}"
        return units, dataset
    assert units_path is not None
    tolerant: dict[str, Any] = {"topology": "warn", "island_policy": "ignore", **(read_options or {})}
    return read_units(units_path, attributes=attributes, province=province, **tolerant), str(units_path)


def default_rules_for(units: pd.DataFrame, *, dataset: str | None = None) -> str:
    """Return the built-in ruleset in force for the state of the units.

    The state's date comes from the bundled dataset's ``state_date``; for a user file, data
    with thị trấn or district parents is taken as the state before the two-tier reform
    (2025-06-30), other data as the state after it (2025-07-01).

    Parameters
    ----------
    units : DataFrame
    dataset : str, optional
        Bundled dataset name.

    Returns
    -------
    str
    """
    from sapxep.geodata.datasets import DATASETS
    from sapxep.units.rules import default_ruleset_for

    info = DATASETS.get(dataset or "")
    if info is not None and info.state_date:
        return default_ruleset_for(info.state_date)
    pre_reform = (units["unit_type"] == "thi_tran").any() or (
        "parent_kind" in units.columns and units["parent_kind"].isin(["huyen", "quan", "thi_xa"]).any()
    )
    return default_ruleset_for("2025-06-30" if pre_reform else "2025-07-01")


def run_assessment(
    *,
    dataset: str | None = None,
    units_path: str | Path | None = None,
    attributes: str | Path | None = None,
    rules: str | Path | None = None,
    exemptions: dict[str, str] | None = None,
    lang: Literal["vi", "en"] = "vi",
    province: str | None = None,
    level: str = "commune",
    read_options: Mapping[str, Any] | None = None,
) -> AssessmentResult:
    """Load units and a ruleset and assess every unit.

    Parameters
    ----------
    dataset, units_path, attributes
        See :func:`load_units_for_assessment`.
    rules : str or Path, optional
        Ruleset name or TOML file; default the ruleset in force for the data's state
        (:func:`default_rules_for`).
    exemptions : dict, optional
        Code -> reason (user-declared special factors).
    lang : {"vi", "en"}
    province : str, optional
        Keep one province (code or name, diacritics optional).
    read_options : mapping, optional
        See :func:`load_units_for_assessment`.
    level : {"commune", "district", "province"}, default "commune"
        Assess the units of this level, formed by dissolving by parent code
        (:func:`sapxep.geodata.levels.units_at_level`) under the ruleset's level rules; a
        dataset's ``attributes`` are then keyed by the level's codes.

    Returns
    -------
    AssessmentResult

    Raises
    ------
    ScenarioError, RulesetError, DataValidationError
    """
    if lang not in ("vi", "en"):
        raise ScenarioError("bad --lang", [f"--lang {lang!r}: use vi or en"])
    # at district/province level a dataset's attribute table is keyed by the level's codes
    level_attributes = dataset is not None and attributes is not None and level != "commune"
    units, source = load_units_for_assessment(
        dataset=dataset,
        units_path=units_path,
        attributes=None if level_attributes else attributes,
        province=province,
        read_options=read_options,
    )
    ruleset = load_ruleset(rules if rules is not None else default_rules_for(units, dataset=dataset))
    if level != "commune":
        from sapxep.geodata.levels import units_at_level
        from sapxep.units.rules.level_rules import ruleset_for_level

        ruleset = ruleset_for_level(ruleset, level)  # type: ignore[arg-type]
        units = units_at_level(units, level)  # type: ignore[arg-type]
    if level_attributes:
        from sapxep.geodata.attributes import override_attributes

        opts = dict(read_options or {})
        units = override_attributes(units, attributes, columns=opts.get("columns"),  # type: ignore[arg-type]
                                    header_row=opts.get("header_row"))  # fmt: skip
        source = f"{dataset} + {Path(str(attributes)).name}"
    table = assess_units(units, ruleset, exemptions=exemptions, lang=lang)
    summary = summarize_assessment(table)
    logger.info("assessment of %s under %s done", source, ruleset.name)
    return AssessmentResult(units, ruleset, table, summary, source)


def output_table(result: AssessmentResult) -> pd.DataFrame:
    """Return the assessment with :data:`OUTPUT_COLUMNS` first and a ``ruleset`` column."""
    t = result.table
    cols = list(OUTPUT_COLUMNS) + [c for c in t.columns if c not in OUTPUT_COLUMNS]
    out = t[cols].reset_index(drop=True)
    out["ruleset"] = result.ruleset.name
    return out


def write_assessment(result: AssessmentResult, path: str | Path) -> Path:
    """Write the per-unit table as CSV (UTF-8), GeoJSON or GeoPackage.

    Parameters
    ----------
    result : AssessmentResult
    path : str or Path
        ``.csv``, ``.geojson`` or ``.gpkg``.

    Returns
    -------
    Path

    Raises
    ------
    ScenarioError
        Unsupported suffix or unwritable path.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise ScenarioError(f"cannot write {p}", [f"--out must end in {', '.join(OUTPUT_SUFFIXES)}"])
    table = output_table(result)
    try:
        if suffix == ".csv":
            write_csv(p, table)
        else:
            geom = result.units[["code", "geometry"]].copy()
            geom["code"] = geom["code"].astype(str)
            gdf = gpd.GeoDataFrame(
                table.merge(geom, on="code", how="left"), geometry="geometry", crs=result.units.crs
            )
            write_vector(gdf, p, layer="assessment")
    except OSError as exc:
        raise ScenarioError(
            f"cannot write {p}", [f"{exc}: check the folder exists and is writable"]
        ) from None
    logger.info("wrote %d rows to %s", len(table), p)
    return p


def summary_lines(result: AssessmentResult, *, lang: Literal["vi", "en"] = "vi") -> list[str]:
    """Return a human-readable summary (one string per line)."""
    s = result.summary
    rs = result.ruleset
    names = result.table["name"].to_dict()
    must = [f"{names[c]} ({c})" for c in s.must_arrange_codes]
    exempt_must = result.table.loc[result.table["must_arrange"] & result.table["exempt"]]
    notes = rs.notes if lang == "vi" else rs.notes_en
    lines = [
        tr("cli_assess_ruleset", lang, name=rs.name, title=rs.title),
        tr("cli_assess_counts", lang, source=result.source, n_units=s.n_units, n_below=s.n_below_standard,
           n_must=s.n_must_arrange, n_must_exempt=s.n_must_arrange_exempt, n_exempt=s.n_exempt),
        tr("cli_assess_must", lang, n=s.n_to_arrange,
           units=format_codes(must, limit=40, lang=lang) if must else "—"),
    ]  # fmt: skip
    if len(exempt_must):
        exempt = format_codes([f"{n} ({c})" for c, n in exempt_must["name"].items()], limit=40, lang=lang)
        lines.append(tr("cli_assess_exempt", lang, units=exempt))
    if s.n_terrain_default:
        lines.append(tr("cli_assess_terrain_default", lang, n=s.n_terrain_default))
    n_proxy = int((result.table["terrain_source"] == "proxy").sum())
    if n_proxy:
        lines.append(tr("cli_assess_terrain_proxy", lang, n=n_proxy))
    lines += _doubt_lines(result, lang)
    lines += [tr("cli_note", lang, note=n) for n in notes]
    lines += _data_lines(result.units, lang)
    return lines


def read_note_lines(read_notes: Iterable[str], lang: Literal["vi", "en"]) -> list[str]:
    """Lines saying how the input was read, in ``lang``; notes with no Vietnamese wording are
    counted in Vietnamese output, not dropped (never silent).

    Parameters
    ----------
    read_notes : iterable of str
        ``units.attrs["read_notes"]`` (plain strings or :class:`~sapxep.geodata.notes.Note`).
    lang : {"vi", "en"}

    Returns
    -------
    list of str
    """
    notes = list(read_notes)
    if lang == "en":
        return [f"Input: {n}" for n in notes]
    lines = [f"Đọc dữ liệu: {n}" for n in in_language(notes, "vi")]
    if len(lines) < len(notes):
        n = len(notes) - len(lines)
        lines.append(f"Đọc dữ liệu: {n} điều khác đã tự xác định (chi tiết: --lang en).")
    return lines


def _data_lines(units: pd.DataFrame, lang: Literal["vi", "en"]) -> list[str]:
    """Lines on how the input was read and on boundary problems tolerated (never silent)."""
    topology = list(units.attrs.get("topology_warnings", []))
    lines = read_note_lines(units.attrs.get("read_notes", []), lang)
    if lang == "en":
        return lines + [f"Warning (boundaries): {w}" for w in topology]
    lines += [f"Cảnh báo ranh giới (không ảnh hưởng đến đánh giá): {w}" for w in in_language(topology, "vi")]
    if topology:
        lines.append(
            "Cảnh báo: việc đánh giá không cần ranh giới nên vẫn thực hiện; nên làm sạch tệp bằng lệnh "
            "`sapxep clean TỆP --out TỆP_SẠCH` trước khi lập phương án."
        )
    return lines


def _doubt_lines(result: AssessmentResult, lang: Literal["vi", "en"]) -> list[str]:
    """Lines naming the suspect populations and the undetermined verdicts (never silent)."""
    s, t = result.summary, result.table
    lines: list[str] = []
    if s.n_population_suspect:
        sus = t[t["population_suspect"].astype(bool)]
        items = [f"{n} ({c}): {p}" for c, n, p in zip(sus.index, sus["name"], sus["population"], strict=True)]
        listed = format_codes(items, limit=15, lang=lang)
        lines.append(
            (
                f"Dân số nghi vấn ({s.n_population_suspect} đơn vị, không dùng để đánh giá dân số; cột "
                f"population_suspect; cung cấp số liệu bằng --attributes): {listed}"
            )
            if lang == "vi"
            else (
                f"Suspect populations ({s.n_population_suspect} units, not used in population checks; column "
                f"population_suspect; supply values with --attributes): {listed}"
            )
        )
    if s.n_undetermined:
        lines.append(
            f"Chưa xác định: {s.n_undetermined} đơn vị (cột determined = false)."
            if lang == "vi"
            else f"Undetermined: {s.n_undetermined} units (column determined = false)."
        )
    return lines


def summary_json(result: AssessmentResult, *, out: str | None = None) -> dict[str, Any]:
    """Return a JSON-ready dict: ruleset, summary, notes, sources and the per-unit rows."""
    rs = result.ruleset
    table = output_table(result)
    return {
        "ruleset": rs.name,
        "title": rs.title,
        "source": result.source,
        "summary": result.summary.to_dict(),
        "notes": list(rs.notes),
        "notes_en": list(rs.notes_en),
        "sources": [
            {"rule": s.rule, "article": s.article, "url": s.url, "confidence": s.confidence}
            for s in rs.sources
        ],
        "out": out,
        "read_notes": list(result.units.attrs.get("read_notes", [])),
        "warnings": list(result.units.attrs.get("topology_warnings", [])),
        "units": table.to_dict("records"),
    }


__all__ = [
    "AssessmentResult",
    "DataValidationError",
    "load_units_for_assessment",
    "output_table",
    "read_exemptions",
    "run_assessment",
    "summary_json",
    "summary_lines",
    "write_assessment",
]
