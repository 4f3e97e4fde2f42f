"""Apply a column mapping to a raw table and join an attribute table to the units.

:func:`map_table` renames the recognised (or explicitly mapped) columns to the
units-table names of :mod:`sapxep.geodata.columns`, reads numbers written the
Vietnamese or English way (:mod:`sapxep.geodata.numbers`) and converts hectares to
km². Every decision that could be wrong is returned as a note for the output.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from sapxep.geodata.columns import ColumnMapping, area_unit, detect_columns
from sapxep.geodata.normalise import CODE_WIDTHS, code_text, is_blank, nfc
from sapxep.geodata.notes import Note, sourced
from sapxep.geodata.numbers import NumberKind, parse_number_column
from sapxep.geodata.tables import restore_leading_zeros
from sapxep.units.errors import format_codes

logger = logging.getLogger(__name__)

#: Numeric columns of the units table and how their values are read.
NUMBER_KINDS: dict[str, NumberKind] = {
    "population": "integer",
    "area_km2_official": "decimal",
    "ethnic_minority_share": "decimal",
}


def _labels(df: pd.DataFrame) -> list[str]:
    if "code" not in df.columns:
        return [f"row {i + 1}" for i in range(len(df))]
    return [
        f"row {i + 1}" if is_blank(v) else str(code_text(v, CODE_WIDTHS["code"]))
        for i, v in enumerate(df["code"])
    ]


def _read_numbers(
    out: pd.DataFrame, mapping: ColumnMapping, *, source: str, polygon_km2: np.ndarray | None
) -> list[str]:
    """Parse the numeric columns of ``out`` in place; return notes for the output."""
    notes: list[str] = []
    labels = _labels(out)
    for canonical, kind in NUMBER_KINDS.items():
        if canonical not in out.columns:
            continue
        header = mapping.source_of(canonical) or canonical
        raw = out[canonical]
        parsed = parse_number_column(raw, kind=kind, column=header, labels=labels)
        values = parsed.values.to_numpy(dtype=float, copy=True)
        if parsed.note:
            notes.append(sourced(source, parsed.note))
        if canonical == "ethnic_minority_share":
            percent = raw.map(lambda v: isinstance(v, str) and v.strip().endswith("%")).to_numpy()
            values[percent] = values[percent] / 100.0
            if np.nanmax(values, initial=0.0) > 1.0 and not percent.any():
                values = values / 100.0
                notes.append(
                    Note(
                        f"{source}: column '{header}' read as percentages (values above 1)",
                        f"{source}: cột '{header}' được hiểu là phần trăm (có giá trị lớn hơn 1)",
                    )
                )
        if canonical == "area_km2_official" and np.isfinite(values).any():
            unit = mapping.area_unit
            if unit is None:
                unit, why = area_unit(values, polygon_km2=polygon_km2)
                notes.append(
                    Note(
                        f"{source}: column '{header}' has no unit in its header: read as {unit} ({why})",
                        f"{source}: tiêu đề cột '{header}' không ghi đơn vị: đọc là {_unit_vi(unit)} ({why})",
                    )
                )
            if unit == "ha":
                values = values / 100.0
                notes.append(
                    Note(
                        f"{source}: column '{header}' converted from ha to km² (÷ 100)",
                        f"{source}: cột '{header}' đổi từ ha sang km² (chia 100)",
                    )
                )
        column = pd.Series(values, index=out.index, dtype=object)
        bad = np.zeros(len(out), dtype=bool)
        bad[parsed.bad_rows] = True
        column[bad] = raw[bad]  # validation names what could not be read
        out[canonical] = column if bad.any() else pd.Series(values, index=out.index)
    return notes


def _unit_vi(unit: str) -> str:
    return "ha" if unit == "ha" else "km²"


def map_table(
    df: pd.DataFrame,
    *,
    explicit: Mapping[str, str] | None = None,
    source: str = "",
    polygon_km2: np.ndarray | Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, ColumnMapping, list[str]]:
    """Rename recognised columns to the units-table names and read their numbers.

    Parameters
    ----------
    df : pandas.DataFrame
        A raw table (a geometry column is kept as it is).
    explicit : mapping, optional
        ``{header: target}`` (:func:`sapxep.geodata.columns.parse_column_spec`); only
        headers present in ``df`` are applied.
    source : str
        File name for notes.
    polygon_km2 : numpy.ndarray or mapping, optional
        Polygon areas of the rows (or by unit code), used to tell km² from ha when
        the header does not say.

    Returns
    -------
    tuple of (pandas.DataFrame, ColumnMapping, list of str)
        The renamed copy (unmapped columns kept under their names), the mapping, and
        notes for the output.
    """
    geometry = getattr(df, "_geometry_column_name", None)
    headers = [c for c in df.columns if c != geometry]
    present = {k: v for k, v in (explicit or {}).items() if _has_header(headers, k)}
    mapping = detect_columns(headers, explicit=present, source=source)
    renamed = {h: c for h, c in mapping.columns.items() if h != c}
    # a column already named like a target that another header now feeds steps aside
    clashes = {c: f"{c} (unused)" for c in renamed.values() if c in df.columns and c not in renamed}
    out = df.rename(columns={**clashes, **renamed}).copy()
    if "code" in out.columns:
        out["code"] = out["code"].map(lambda v: code_text(nfc(v), CODE_WIDTHS["code"]))
    notes: list[str] = [sourced(source, n) for n in mapping.notes]
    if isinstance(polygon_km2, Mapping):
        codes = out["code"] if "code" in out.columns else pd.Series([None] * len(out))
        polygon_km2 = np.array([polygon_km2.get(c, np.nan) for c in codes], dtype=float)
    number_notes = _read_numbers(out, mapping, source=source, polygon_km2=polygon_km2)
    return out, mapping, notes + number_notes


def _has_header(headers: list[object], given: str) -> bool:
    from sapxep.geodata.columns import header_key

    return given in headers or header_key(given) in {header_key(h) for h in headers}


def unmatched_headers(explicit: Mapping[str, str], *tables: pd.DataFrame) -> list[str]:
    """Return the headers of an explicit mapping that none of the tables has."""
    return [k for k in explicit if not any(_has_header(list(t.columns), k) for t in tables)]


def join_attributes(
    gdf: pd.DataFrame, attributes: pd.DataFrame, *, source: str = ""
) -> tuple[pd.DataFrame, list[str]]:
    """Join a mapped attribute table to mapped units by ``code``.

    Non-empty attribute cells override the unit file's values; new columns are added.

    Parameters
    ----------
    gdf : pandas.DataFrame or geopandas.GeoDataFrame
        Units after :func:`map_table` (a ``code`` column).
    attributes : pandas.DataFrame
        Attribute table after :func:`map_table`.
    source : str
        File name used in messages.

    Returns
    -------
    tuple of (DataFrame, list of str)
        The joined copy and the problems found (no code column, blank or duplicate
        codes, codes not among the units), each naming rows or codes.
    """
    where = f"{source}: " if source else ""
    if "code" not in attributes.columns:
        return gdf, [
            f"{where}the attribute table has no code column (headers: "
            f'{", ".join(map(str, attributes.columns))}): name it with --columns "HEADER=code"'
        ]
    if "code" not in gdf.columns:
        return gdf, [f"{where}the units have no code column to join the attribute table on"]
    problems = []
    attrs = attributes.copy()
    blank = attrs["code"].map(is_blank)
    if blank.any():
        rows = [i + 2 for i in np.flatnonzero(blank.to_numpy())]
        problems.append(f"{where}{len(rows)} rows have no code (lines {format_codes(rows)})")
    attrs = attrs.loc[~blank.to_numpy(dtype=bool)]
    if attrs.empty:
        return gdf, problems + [f"{where}the attribute table has no rows under its headers"]
    attrs["code"] = attrs["code"].astype(str)
    dup = attrs["code"][attrs["code"].duplicated()]
    if len(dup):
        problems.append(
            f"{where}codes appear more than once in the attribute table: "
            f"{format_codes(dict.fromkeys(dup))}: keep one row per code"
        )
        attrs = attrs.drop_duplicates("code")
    unit_codes = gdf["code"].map(lambda v: "" if is_blank(v) else str(v).strip())
    attrs["code"] = restore_leading_zeros(attrs["code"], set(unit_codes))
    unknown = sorted(set(attrs["code"]) - set(unit_codes))
    if unknown:
        problems.append(
            f"{where}{len(unknown)} codes of the attribute table are not among the units "
            f"({format_codes(unknown)}): correct or remove those rows (codes are text: keep "
            "leading zeros)"
        )
    table = attrs.set_index("code")
    out = gdf.copy()
    lookup = unit_codes.to_numpy()
    for col in table.columns:
        values = table[col].reindex(lookup).to_numpy(dtype=object)
        given = ~pd.Series(values).map(is_blank).to_numpy()
        target = next((c for c in out.columns if str(c).lower() == str(col).lower()), None)
        if target is None:
            out[col] = pd.Series(np.where(given, values, None), index=out.index, dtype=object)
        else:
            merged = out[target].astype(object).to_numpy(copy=True)
            merged[given] = values[given]
            out[target] = pd.Series(merged, index=out.index, dtype=object)
    return out, problems
