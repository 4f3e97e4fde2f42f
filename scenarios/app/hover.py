"""Hover texts and labels of units and new units on the app's maps."""

from __future__ import annotations

import pandas as pd

from sapxep.scenarios.messages import format_number as _fmt_num
from sapxep.scenarios.messages import tr
from sapxep.units.plan import MergePlan, default_seat


def unit_hover(units: pd.DataFrame, assessment: pd.DataFrame | None, lang: str = "vi") -> pd.Series:
    """Return the HTML hover text of each unit: name, area, population, % of standard.

    Parameters
    ----------
    units : pandas.DataFrame
        Units table.
    assessment : pandas.DataFrame, optional
        :func:`sapxep.units.assessment.assess_units` output (adds the % of standard).
    lang : {"vi", "en"}

    Returns
    -------
    pandas.Series
        Indexed by code.
    """
    u = units.set_index(units["code"].astype(str))
    a = assessment.reindex(u.index) if assessment is not None else None
    out = {}
    for code, rec in u.iterrows():
        area, pop = float(rec["area_km2"]), float(rec["population"])
        line_a = f"{tr('hover_area', lang)}: {_fmt_num(area, 2, lang)} km²"
        line_p = f"{tr('hover_pop', lang)}: {_fmt_num(pop, 0, lang)}"
        if a is not None and "area_pct" in a.columns:
            line_a += f" ({_fmt_num(float(a.at[code, 'area_pct']), 0, lang)}% {tr('hover_pct', lang)})"
            line_p += f" ({_fmt_num(float(a.at[code, 'population_pct']), 0, lang)}% {tr('hover_pct', lang)})"
        out[code] = f"<b>{rec['name']}</b> ({code})<br>{line_a}<br>{line_p}"
    return pd.Series(out, dtype=object)


def new_unit_labels(plan: MergePlan, units: pd.DataFrame) -> dict[str, str]:
    """Return new-unit id -> a readable label: its name (or the seat's name) and member count."""
    names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    pop = dict(zip(units["code"].astype(str), units["population"], strict=True))
    out = {}
    for g, members in plan.groups.items():
        seat = plan.seats.get(g) or default_seat(members, pop)
        base = plan.names.get(g) or names.get(seat, seat)
        out[g] = f"{base} [{g}] ({len(members)})"
    return out


def plan_hover(plan: MergePlan, units: pd.DataFrame, lang: str = "vi") -> pd.Series:
    """Return the hover text of each original unit on a plan map."""
    u = units.set_index(units["code"].astype(str))
    a = plan.assignment.astype(str)
    pop = u["population"].astype(float).groupby(a.reindex(u.index)).sum()
    area = u["area_km2"].astype(float).groupby(a.reindex(u.index)).sum()
    labels = new_unit_labels(plan, units)
    names, groups = u["name"].astype(str).to_dict(), a.to_dict()
    words = {w: tr(f"hover_{w}", lang) for w in ("new_unit", "area", "pop")}
    out = {}
    for code in u.index:
        g = groups.get(code, "")
        seat = " ★" if plan.seats.get(g) == code else ""
        out[code] = (
            f"<b>{names[code]}</b> ({code}){seat}<br>"
            f"{words['new_unit']}: {labels.get(g, g)}<br>"
            f"{words['area']}: {_fmt_num(float(area.get(g, float('nan'))), 2, lang)} km²"
            f" · {words['pop']}: {_fmt_num(float(pop.get(g, float('nan'))), 0, lang)}"
        )
    return pd.Series(out, dtype=object)
