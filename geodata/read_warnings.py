"""Turn warnings raised while reading a vector file into problems that name columns and units.

pyogrio/GDAL warn when a GeoJSON property mixes numbers and text, or a Shapefile's
numeric field holds text (read as a wrong number). For columns sapxep uses these become
problems naming the units and a fix; for other columns they are logged.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from typing import Final

import pandas as pd

from sapxep.geodata.columns import COLUMN_ALIASES, header_key
from sapxep.geodata.normalise import CODE_WIDTHS, code_text, is_blank
from sapxep.units.errors import format_codes

logger = logging.getLogger(__name__)

#: pyogrio: a GeoJSON property holding numbers in some features and text in others.
_JSON_WARNING: Final = re.compile(r"Could not parse column '(?P<column>.+)' as JSON")
#: GDAL: a text value in a numeric field (Shapefile DBF, …), read as a wrong number.
_PARSE_WARNING: Final = re.compile(
    r"Value '(?P<value>.*)' of field (?P<field>.+?) parsed incompletely to (?P<type>\w+)"
    r"(?: (?P<result>[^ ]+?))?\.?$"
)
_NUMERIC_COLUMNS: Final = ("population", "area_km2_official", "ethnic_minority_share")
_YES_NO_COLUMNS: Final = (
    "is_mountainous", "border", "island", "coastal_disadvantaged", "red_river_delta",
    "arranged_2019_2021", "arranged_2023_2025",
)  # fmt: skip
_MAX_SHOWN: Final = 8


def _used_column(column: str) -> str | None:
    """Return the canonical column a source column feeds, or None when sapxep ignores it."""
    key = header_key(column)
    for canonical, aliases in COLUMN_ALIASES.items():
        if key in aliases:
            return canonical
    return None


def _type_fix(column: str, canonical: str) -> str:
    if canonical in _NUMERIC_COLUMNS:
        return (
            f"write every value of '{column}' as a plain number (12143, 6.72: no spaces, "
            "thousands separators, decimal commas or units), or leave the cell empty"
        )
    if canonical in _YES_NO_COLUMNS:
        return f"write every value of '{column}' the same way: true/false (or có/không), or empty"
    if canonical in CODE_WIDTHS:
        return f"write every value of '{column}' as text, with its leading zeros (\"08041\")"
    return f"write every value of '{column}' as text"


def _row_label(gdf: pd.DataFrame, i: int) -> str:
    """Unit code of row ``i`` of a raw table, or its 1-based row number."""
    code_col = next((c for c in gdf.columns if _used_column(str(c)) == "code"), None)
    value = gdf[code_col].iloc[i] if code_col is not None else None
    return str(code_text(value, CODE_WIDTHS["code"])) if not is_blank(value) else f"row {i + 1}"


def _is_json_number(value: object) -> bool:
    try:
        parsed = json.loads(str(value))
    except ValueError:
        return False
    return isinstance(parsed, int | float) and not isinstance(parsed, bool)


def _mixed_json_problem(gdf: pd.DataFrame, column: str, canonical: str) -> str:
    """Describe a column that mixes numbers and text (values left as text by pyogrio)."""
    values = gdf[column]
    rows = [i for i, v in enumerate(values) if not is_blank(v)]
    numbers = [i for i in rows if _is_json_number(values.iloc[i])]
    texts = [i for i in rows if i not in set(numbers)]
    # name the odd ones out: the text values in a numeric column, else the smaller group
    odd, kind = (
        (texts, "text")
        if canonical in _NUMERIC_COLUMNS or len(texts) <= len(numbers)
        else (numbers, "numbers")
    )  # fmt: skip

    def label(i: int) -> str:
        # the code column cannot name its own rows: use row numbers there
        return f"row {i + 1}" if canonical == "code" else _row_label(gdf, i)

    shown = format_codes([f"{label(i)} '{values.iloc[i]}'" for i in odd], limit=_MAX_SHOWN)
    return (
        f"column '{column}' mixes numbers and text ({len(numbers)} as numbers, {len(texts)} as "
        f"text; {kind}: {shown}): {_type_fix(column, canonical)}"
    )


def _parse_problem(gdf: pd.DataFrame, column: str, canonical: str, hits: list[re.Match[str]]) -> str:
    """Describe text values GDAL read as (wrong) numbers, with the units that probably hold them."""
    parts = []
    for m in hits[:_MAX_SHOWN]:
        where = ""
        result = m.group("result")
        if result is not None:
            try:
                target = float(result)
            except ValueError:
                target = None
            numeric = pd.to_numeric(gdf[column], errors="coerce")
            rows = [i for i, v in enumerate(numeric) if target is not None and v == target]
            if rows:
                where = f" in {format_codes([_row_label(gdf, i) for i in rows], limit=4)}"
        parts.append(f"'{m.group('value')}' read as {result}{where}")
    more = f", … (+{len(hits) - _MAX_SHOWN} more)" if len(hits) > _MAX_SHOWN else ""
    return (
        f"column '{column}' holds {len(hits)} values that are not {m.group('type')} numbers "
        f"({', '.join(parts)}{more}); they would be read wrongly: {_type_fix(column, canonical)}"
    )


def warning_problems(gdf: pd.DataFrame, caught: list[warnings.WarningMessage], source: str) -> list[str]:
    """Turn warnings raised while reading into problems (columns sapxep uses) or log lines.

    Parameters
    ----------
    gdf : pandas.DataFrame
        The table as read.
    caught : list of warnings.WarningMessage
        Warnings recorded while reading.
    source : str
        File name for log lines.

    Returns
    -------
    list of str
        Problems about columns sapxep uses. A numeric column mixing numbers and text
        is not a problem here: its text values are read by
        :func:`sapxep.geodata.numbers.parse_number_column`, which reports what it cannot read.
    """
    problems: list[str] = []
    parse_hits: dict[str, list[re.Match[str]]] = {}
    columns = [str(c) for c in gdf.columns]
    for w in caught:
        text = str(w.message)
        column: str | None = None
        if m := _JSON_WARNING.search(text):
            column = m.group("column")
        elif m := _PARSE_WARNING.search(text):
            field_ = m.group("field")
            column = next((c for c in columns if field_ == c or field_.endswith(f".{c}")), field_)
            parse_hits.setdefault(column, []).append(m)
            continue
        else:
            column = next((c for c in columns if re.search(rf"\b{re.escape(c)}\b", text)), None)
        canonical = _used_column(column) if column is not None else None
        if column is None or canonical is None:
            logger.warning("%s: %s", source, text)
        elif _JSON_WARNING.search(text) and canonical in _NUMERIC_COLUMNS:
            logger.info("%s: column '%s' mixes numbers and text; reading it as numbers", source, column)
        elif _JSON_WARNING.search(text) and column in gdf.columns:
            problems.append(_mixed_json_problem(gdf, column, canonical))
        else:
            problems.append(f"reading column '{column}': {text}: {_type_fix(column, canonical)}")
    for column, hits in parse_hits.items():
        canonical = _used_column(column)
        if canonical is None or column not in gdf.columns:
            logger.warning("%s: column '%s': %d values are not numbers", source, column, len(hits))
        else:
            problems.append(_parse_problem(gdf, column, canonical, hits))
    return problems
