"""Tables shown in the app: metrics and comparison tables formatted in the UI language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sapxep.scenarios.messages import column_label
from sapxep.scenarios.messages import format_number as _fmt_num
from sapxep.scenarios.messages import format_value as _fmt_value


def metrics_frame(metrics: Mapping[str, Any], lang: str = "vi") -> pd.DataFrame:
    """Return metrics as a two-column table (label, value) in display order."""
    from sapxep.scenarios.analysis.metrics import METRIC_KEYS
    from sapxep.scenarios.messages import metric_label

    rows = []
    for k in METRIC_KEYS:
        v = metrics.get(k)
        if v is None:
            continue
        rows.append({"metric": metric_label(k, lang), "value": _fmt_value(v, lang)})
    out = pd.DataFrame(rows, columns=["metric", "value"])
    return out.rename(columns={"metric": column_label("metric", lang), "value": column_label("value", lang)})


def format_table(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Return ``table`` with every cell formatted as text (numbers in the UI language, "—" for
    missing), for display only."""

    def one(v: Any) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return "—"
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e12:
            return _fmt_num(v, 0, lang)
        return _fmt_value(v, lang)

    return table.apply(lambda col: col.map(one)).astype(str)


#: Columns whose values are stored choices, shown by their display name (column -> kind).
VALUE_KINDS: dict[str, str] = {
    "unit_type": "unit_type",
    "terrain": "terrain",
    "terrain_source": "terrain_source",
    "relation": "relation",
    "source": "source",
    "dataset": "dataset",
    "ruleset": "ruleset",
}

#: The columns of the per-unit assessment the app shows, in order.
ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "name",
    "unit_type",
    "terrain",
    "area_km2",
    "area_pct",
    "population",
    "population_pct",
    "meets_standard",
    "must_arrange",
    "exempt_reason",
    "reason",
)


def display_table(
    table: pd.DataFrame,
    lang: str = "vi",
    *,
    columns: tuple[str, ...] | None = None,
    kinds: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Return ``table`` ready to show: chosen columns, values and headers in ``lang``.

    Parameters
    ----------
    table : pandas.DataFrame
    lang : {"vi", "en"}
    columns : tuple of str, optional
        Columns to keep, in order (missing ones are skipped); default all.
    kinds : mapping, optional
        Column -> display-name kind (default :data:`VALUE_KINDS`).
    decimals : mapping, optional
        Column -> decimals of its numbers (default 0 for integers, 2 for other floats).

    Returns
    -------
    pandas.DataFrame
        Text cells (numbers in the language's style, yes/no, display names, "—" for missing),
        headers from the catalogue; the index keeps its values and gets a translated name.
    """
    from sapxep.scenarios.messages import display_name, translate_columns

    kinds = VALUE_KINDS if kinds is None else kinds
    decimals = decimals or {}
    cols = [c for c in (columns or tuple(table.columns)) if c in table.columns]
    out = table[cols].copy()
    for c in cols:
        if c in kinds:
            out[c] = out[c].map(lambda v, k=kinds[c]: display_name(k, v, lang))
        elif c in decimals:
            out[c] = out[c].map(lambda v, d=decimals[c]: "—" if pd.isna(v) else _fmt_num(float(v), d, lang))
        else:
            out[c] = out[c].map(lambda v: _fmt_value(v, lang))
    return translate_columns(out.astype(str), lang)


def new_units_frame(
    units: Any,
    plan: Any,
    ruleset: Any,
    graph: Any,
    new_units: Any,
    checked: Any,
    lang: str = "vi",
    *,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return one row per new unit for the plan page's table (index: new-unit id).

    Columns ``name, n_members, members`` (member names), ``area_km2, area_pct, population,
    population_pct, seat_name, verdict`` (meets / below / waived / unchanged / exception, in
    ``lang``) and
    ``problems`` (number of rule breaches naming the new unit). ``table``: the plan's
    :func:`~sapxep.scenarios.analysis.metrics.new_unit_table` when already computed.
    """
    from sapxep.scenarios.analysis.metrics import new_unit_table
    from sapxep.scenarios.messages import tr

    if table is None:
        table = new_unit_table(units, plan, ruleset=ruleset, graph=graph, new_units=new_units)
    names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    out = table[["name", "n_members", "area_km2", "population", "seat_name"]].copy()
    out["members"] = table["members"].map(lambda m: ", ".join(names.get(c, c) for c in str(m).split(";")))
    for col in ("area_pct", "population_pct"):
        out[col] = table[col] if col in table.columns else float("nan")

    def one(row: pd.Series) -> str:
        if int(row["n_members"]) == 1:
            return tr("unchanged", lang)
        if bool(row.get("waived", False)):
            return tr("waived", lang)
        fails = bool(row.get("fails_population", False)) or bool(row.get("fails_area", False))
        return tr("fails", lang) if fails else tr("meets", lang)

    out["verdict"] = table.apply(one, axis=1)
    excepted = {str(v.new_unit) for v in getattr(checked, "exceptions", [])}
    if excepted:  # NQ 76/2025 Art. 5(3): allowed, but listed for the Standing Committee
        out.loc[out.index.astype(str).isin(excepted), "verdict"] = tr("exception", lang)
    count: dict[str, int] = {}
    for v in getattr(checked, "violations", []):
        if v.new_unit:
            count[str(v.new_unit)] = count.get(str(v.new_unit), 0) + 1
    out["problems"] = [count.get(str(g), 0) for g in out.index]
    out.index = out.index.astype(str)
    return out


_CELL = "padding:0.25rem 0.5rem;border-bottom:1px solid rgba(49,51,63,0.12);vertical-align:top"


def html_table(frame: pd.DataFrame) -> str:
    """Return ``frame`` as a plain HTML table: the index as the first column, every cell escaped.

    Parameters
    ----------
    frame : pandas.DataFrame
        Display cells (text); the index name heads the first column.

    Returns
    -------
    str
        One ``<table>`` with inline styles (no stylesheet needed).
    """
    import html

    def cell(tag: str, value: object, style: str) -> str:
        return f"<{tag} style='{_CELL};{style}'>{html.escape(str(value))}</{tag}>"

    grey = "text-align:left;color:rgba(49,51,63,0.7)"
    head = "".join(cell("th", c, grey) for c in [frame.index.name or "", *frame.columns])
    rows = "".join(
        "<tr>"
        + cell("th", i, "text-align:left;font-weight:normal")
        + "".join(cell("td", v, "text-align:right") for v in row)
        + "</tr>"
        for i, row in zip(frame.index, frame.itertuples(index=False), strict=True)
    )
    return (
        "<table style='border-collapse:collapse;width:100%;font-size:0.875rem'>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )
