"""Each new unit of a plan described with its seat, kind, class and quota (NĐ 33/2023 or 2025).

The new unit takes the kind, terrain and parent of its seat unit (the plan's seat, else
:func:`sapxep.units.plan.default_seat`); its class follows ``StaffingOptions.new_class``;
its Decree 33 quota is computed for the summed population and area, and under the 2025
structure its size is ``total_staff``. Split from :mod:`sapxep.units.staffing.transition`,
which re-exports :func:`new_unit_table`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from sapxep.units.errors import ScenarioError, format_codes
from sapxep.units.plan import MergePlan, default_seat
from sapxep.units.staffing.quotas import (
    decree33_quota,
    new_unit_class,
    resolve_class,
    unit_standard_values,
)
from sapxep.units.staffing.templates import load_template

if TYPE_CHECKING:
    from sapxep.units.staffing.transition import StaffingOptions

__all__ = ["new_unit_table"]


def new_unit_table(
    units: pd.DataFrame,
    plan: MergePlan,
    *,
    options: StaffingOptions,
) -> pd.DataFrame:
    """Describe each new unit of a plan and compute its quota.

    Parameters
    ----------
    units : pandas.DataFrame
        Units table.
    plan : MergePlan
        Grouping of the units' codes.
    options : StaffingOptions

    Returns
    -------
    pandas.DataFrame
        Index ``new_unit``; columns ``name, members, n_members, seat_code, seat_source,
        unit_type, terrain, parent_kind, population, area_km2, member_classes,
        commune_class, class_source, population_std, area_std_km2, extra_population,
        extra_area, quota_cb_cc, quota_part_time`` (``quota_part_time`` is <NA> when not
        assessed).

    Raises
    ------
    ScenarioError
        If plan codes are missing from the units table (all listed).
    """
    u = _units_by_code(units, plan)
    tpl_params = {**load_template("2025").param_defaults(), **options.params_2025}
    rows = [
        _new_unit_row(g, members, u, plan, options=options, tpl_params=tpl_params)
        for g, members in plan.groups.items()
    ]
    out = pd.DataFrame(rows).set_index("new_unit")
    out["quota_part_time"] = pd.array(out["quota_part_time"], dtype="Int64")
    return out


def _units_by_code(units: pd.DataFrame, plan: MergePlan) -> pd.DataFrame:
    """The units table without geometry, indexed by ``code`` (str, kept as a column).

    Raises
    ------
    ScenarioError
        If plan codes are missing from the units table (all listed).
    """
    u = units.drop(columns="geometry", errors="ignore").copy()
    u["code"] = u["code"].astype(str)
    u = u.set_index("code", drop=False)
    missing = sorted(set(plan.assignment.index) - set(u.index))
    if missing:
        raise ScenarioError(
            f"{len(missing)} plan codes are not in the units table",
            [f"codes {format_codes(missing)}: the plan and the units must be the same dataset"],
        )
    return u


def _member_classes(sub: pd.DataFrame, options: StaffingOptions) -> tuple[list[str], str, str]:
    """Classes of the members (defaults filled), the new unit's class and where it comes from."""
    classes = [
        resolve_class(c, options.default_class)
        for c in sub.get("commune_class", pd.Series("", index=sub.index))
    ]
    cls, csrc = new_unit_class([c for c, _ in classes], options.new_class)
    if all(s == "default" for _, s in classes):
        csrc = f"{csrc}; member classes = default {options.default_class}"
    elif any(s == "default" for _, s in classes):
        csrc = f"{csrc}; some member classes = default {options.default_class}"
    return [c for c, _ in classes], cls, csrc


def _new_unit_row(
    g: str,
    members: list[str],
    u: pd.DataFrame,
    plan: MergePlan,
    *,
    options: StaffingOptions,
    tpl_params: Mapping[str, int | None],
) -> dict[str, Any]:
    """One row of :func:`new_unit_table`: the new unit ``g`` formed from ``members``."""
    sub = u.loc[members]
    seat = plan.seats.get(g, "")
    seat_source = "plan"
    if not seat:
        seat = default_seat(members, sub["population"].astype(float))
        seat_source = "most populous member (no seat in plan)"
    srow = u.loc[seat].copy()
    classes, cls, csrc = _member_classes(sub, options)
    pop = float(sub["population"].astype(float).sum())
    area = float(sub["area_km2"].astype(float).sum())
    srow["population"], srow["area_km2"] = pop, area
    st = unit_standard_values(
        srow, ruleset=options.ruleset, apply_special_factors=options.apply_special_factors
    )
    q = decree33_quota(
        unit_type=str(srow["unit_type"]),
        commune_class=cls,
        population=pop,
        area_km2=area,
        population_std=st.population_std,
        area_std_km2=st.area_std_km2,
        phuong_in_quan=str(srow.get("parent_kind", "")) == "quan",
        class_source=csrc,
        basis=st.basis,
    )
    q_pt: int | None
    if options.structure == "2023":
        q_cb, q_pt = q.cadres_civil_servants, q.part_time
    else:
        q_cb = int(tpl_params["total_staff"] or 0)
        q_pt = tpl_params.get("part_time_quota")
    return {
        "new_unit": g,
        "name": plan.names.get(g, "") or str(srow.get("name", g)),
        "members": ";".join(members),
        "n_members": len(members),
        "seat_code": seat,
        "seat_source": seat_source,
        "unit_type": str(srow["unit_type"]),
        "terrain": str(srow.get("terrain", "")),
        "parent_kind": str(srow.get("parent_kind", "")),
        "population": round(pop),
        "area_km2": round(area, 3),
        "member_classes": ";".join(classes),
        "commune_class": cls,
        "class_source": csrc,
        "population_std": st.population_std,
        "area_std_km2": st.area_std_km2,
        "standard_basis": st.basis,
        "extra_population": q.extra_population,
        "extra_area": q.extra_area,
        "quota_cb_cc": int(q_cb),
        "quota_part_time": q_pt,
    }
