"""From a merger plan to staffing: pooled staff, quotas, surplus, and a retirement projection.

For each new unit the staff of its member units are pooled and compared with the quota of
the new unit:

- **2023 structure** (Decree 33/2023): the new unit takes the kind, terrain and parent of its
  seat unit; its class is a parameter (default: the highest class among its members); the
  quota is Decree 33's for the summed population and area.
- **2025 structure** (Decree 150/2025): no national formula; the size is ``total_staff``
  (default: the documented average, 32) with leadership and departments from the template.

Counting rules (checked by tests): per new unit and quota group (``cb_cc`` = cadres + civil
servants, ``part_time``, ``not_assessed``)::

    kept = min(pooled, quota); surplus = max(0, pooled - quota); deficit = max(0, quota - pooled)
    staff_before = kept + surplus   (not_assessed staff are kept)

The projection follows each pooled person to their statutory retirement month
(:mod:`sapxep.units.staffing.retirement`) with no recruitment and no dismissals, year by year over
the transition period (5 years by default: NQ 76/2025 Art. 11(3); NQ 35/2023 Art. 11 before).
Who the norm covers and the Art. 11(2) cap: :mod:`sapxep.units.staffing.coverage`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from sapxep.units.errors import RosterError, ScenarioError, format_codes
from sapxep.units.plan import MergePlan
from sapxep.units.staffing.coverage import (
    add_allowed,
    coverage_sentence,
    coverage_table,
    transition_columns,
)
from sapxep.units.staffing.headcounts import position_headcounts, slot_table
from sapxep.units.staffing.new_units import new_unit_table
from sapxep.units.staffing.projection import notes_for, project_staff, summary_counts
from sapxep.units.staffing.quotas import DEFAULT_RULESET
from sapxep.units.staffing.retirement import retirement_month_indices
from sapxep.units.staffing.templates import (
    GROUP_LABELS_VI,
    GROUP_OF_CATEGORY,
    OrgTemplate,
    load_template,
)

logger = logging.getLogger(__name__)

__all__ = [
    "StaffingAnalysis",
    "StaffingOptions",
    "analyse_staffing",
    "new_unit_table",
    "pool_staff",
    "project_staff",
    "summary_counts",
]

PART_TIME_SLOT = "khong_chuyen_trach"


@dataclass(frozen=True)
class StaffingOptions:
    """Options of a staffing analysis.

    Attributes
    ----------
    structure : {"2023", "2025"}
        Organisation structure of the new units.
    default_class : {"I", "II", "III"}
        Class of original units whose ``commune_class`` is missing (stated in the output).
    new_class : {"max", "min", "I", "II", "III"}
        Class of a new unit: highest / lowest among members, or fixed.
    horizon_years : int
        Length of the transition period = the deadline to reach the norm (NQ 76/2025
        Art. 11(3), NQ 35/2023 Art. 11: 5 years).
    start_year, start_month : int
        Date the new units start (year 0 of the projection).
    default_birth_month : int
        Birth month assumed when a roster gives only the year (assumption; default January).
    ruleset : str
        Ruleset giving the 1211/27 standards for Decree 33 increments.
    apply_special_factors : bool
        Apply Art. 3a reductions to the standard used for increments (default off).
    params_2025 : dict
        Overrides of the 2025 template parameters (``total_staff``, ``ubnd_vice_chairs``,
        ``hdnd_vice_chairs``, ``deputies_per_department``, ``part_time_quota``).
    staff_cap : bool
        Apply NQ 76/2025 Art. 11(2): no new unit grows beyond its members' pooled staff
        during the transition (so nobody is redeployed into it).
    """

    structure: Literal["2023", "2025"] = "2023"
    default_class: str = "II"
    new_class: str = "max"
    horizon_years: int = 5
    start_year: int = 2025
    start_month: int = 1
    default_birth_month: int = 1
    ruleset: str = DEFAULT_RULESET
    apply_special_factors: bool = False
    params_2025: dict[str, int | None] = field(default_factory=dict)
    staff_cap: bool = False

    def __post_init__(self) -> None:
        problems = []
        if self.structure not in ("2023", "2025"):
            problems.append(f"structure '{self.structure}': use 2023 or 2025")
        if self.default_class not in ("I", "II", "III"):
            problems.append(f"default class '{self.default_class}': use I, II or III")
        if self.new_class not in ("max", "min", "I", "II", "III"):
            problems.append(f"new-unit class rule '{self.new_class}': use max, min, I, II, III")
        if not 0 <= self.horizon_years <= 40:
            problems.append(f"horizon {self.horizon_years} years: use 0..40")
        if not 1 <= self.start_month <= 12 or not 1 <= self.default_birth_month <= 12:
            problems.append("months must be 1..12")
        if problems:
            raise ScenarioError("invalid staffing options", problems)


@dataclass(frozen=True)
class StaffingAnalysis:
    """Result of :func:`analyse_staffing`.

    Attributes
    ----------
    options : StaffingOptions
    template : OrgTemplate
    new_units : pandas.DataFrame
        One row per new unit (index ``new_unit``): members, seat, kind, class and its
        source, size, quotas, pooled/kept/surplus/deficit, projection summary.
    titles : pandas.DataFrame
        One row per new unit and quota line (slot): ``pooled, quota, kept, surplus,
        deficit``; not-assessed titles with ``quota`` NaN.
    groups : pandas.DataFrame
        One row per new unit and quota group.
    leadership : pandas.DataFrame
        Leadership slots only (e.g. three chairs -> one).
    projection : pandas.DataFrame
        One row per new unit, group and year.
    pooled : pandas.DataFrame
        The roster rows of the plan with ``new_unit, slot, group, retirement_month_index``.
    headcounts : dict
        new_unit -> position headcounts (for org charts).
    estimated_roster : bool
        True when the roster is synthetic (any row with ``estimated``).
    notes : list of str
        Assumptions to show with the results (Vietnamese).
    coverage : pandas.DataFrame
        Who the norm covers (:func:`sapxep.units.staffing.coverage.coverage_table`).
    """

    options: StaffingOptions
    template: OrgTemplate
    new_units: pd.DataFrame
    titles: pd.DataFrame
    groups: pd.DataFrame
    leadership: pd.DataFrame
    projection: pd.DataFrame
    pooled: pd.DataFrame
    headcounts: dict[str, dict[str, int]]
    estimated_roster: bool
    notes: list[str]
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)


def _slot_quotas(
    tpl: OrgTemplate, nu: pd.DataFrame, options: StaffingOptions
) -> tuple[pd.DataFrame, dict[str, dict[str, int]]]:
    params = {**tpl.param_defaults(), **options.params_2025}
    rows, heads = [], {}
    for g, r in nu.iterrows():
        pt = r["quota_part_time"]
        pt_q = None if pd.isna(pt) else int(pt)
        h = position_headcounts(
            tpl,
            unit_type=str(r["unit_type"]),
            commune_class=str(r["commune_class"]),
            cb_cc_quota=int(r["quota_cb_cc"]),
            part_time_quota=pt_q,
            params=params,
        )
        heads[str(g)] = h
        for s in slot_table(tpl, h, unit_type=str(r["unit_type"])):
            rows.append({"new_unit": g, **s})
        if pt_q is not None and PART_TIME_SLOT not in tpl.slots:
            rows.append(
                {
                    "new_unit": g, "slot": PART_TIME_SLOT, "category": "part_time",
                    "label_vi": "Người hoạt động không chuyên trách", "group": "part_time",
                    "leadership": False, "quota": pt_q,
                }
            )  # fmt: skip
    return pd.DataFrame(rows), heads


def _balance(pooled: pd.Series, quota: pd.Series) -> pd.DataFrame:
    df = pd.DataFrame({"pooled": pooled, "quota": quota})
    df["pooled"] = df["pooled"].fillna(0).astype("int64")
    assessed = df["quota"].notna()
    q = df["quota"].fillna(0)
    df["kept"] = np.where(assessed, np.minimum(df["pooled"], q), df["pooled"]).astype("int64")
    df["surplus"] = np.where(assessed, np.maximum(0, df["pooled"] - q), 0).astype("int64")
    df["deficit"] = np.where(assessed, np.maximum(0, q - df["pooled"]), 0).astype("int64")
    return df


def pool_staff(
    roster: pd.DataFrame,
    plan: MergePlan,
    template: OrgTemplate,
    *,
    part_time_assessed: bool,
    default_birth_month: int = 1,
) -> pd.DataFrame:
    """Attach each roster row of the plan's units to its new unit, quota line and group.

    Parameters
    ----------
    roster : pandas.DataFrame
        A validated roster.
    plan : MergePlan
    template : OrgTemplate
    part_time_assessed : bool
        Whether part-time workers count against a quota.
    default_birth_month : int, default 1
        Used where ``birth_month`` is missing.

    Returns
    -------
    pandas.DataFrame
        Roster rows of the plan's units with ``new_unit, slot, group,
        retirement_month_index``.

    Raises
    ------
    RosterError
        If no roster row belongs to the plan's units.
    """
    r = roster[roster["unit_code"].isin(plan.assignment.index)].copy()
    if r.empty and len(roster):
        raise RosterError(
            "the roster has no staff in the plan's units",
            [
                f"roster unit codes {format_codes(sorted(roster['unit_code'].unique()))} do not "
                "match the plan: use a roster of the same dataset"
            ],
        )
    r["new_unit"] = r["unit_code"].map(plan.assignment).astype(str)
    s_of_t = template.slot_of_title()
    r["slot"] = r["title"].map(s_of_t).fillna("")
    r["group"] = r["category"].map(GROUP_OF_CATEGORY)
    pt = r["category"] == "part_time"
    if part_time_assessed:
        r.loc[pt, "slot"] = r.loc[pt, "slot"].replace("", PART_TIME_SLOT)
    else:
        r.loc[pt, "group"] = "not_assessed"
    r.loc[r["slot"] == "", "group"] = "not_assessed"
    bm = r["birth_month"].astype("Int64").fillna(default_birth_month).astype(int)
    r["retirement_month_index"] = retirement_month_indices(r["birth_year"], bm, r["sex"])
    return r


def analyse_staffing(
    units: pd.DataFrame,
    plan: MergePlan,
    roster: pd.DataFrame,
    *,
    options: StaffingOptions | None = None,
) -> StaffingAnalysis:
    """Pool the staff of each new unit, compare with its quota and project retirements.

    Parameters
    ----------
    units : pandas.DataFrame
        Units table.
    plan : MergePlan
        The merger plan.
    roster : pandas.DataFrame
        A validated roster (:func:`sapxep.units.staffing.roster.validate_roster` or the synthetic one).
    options : StaffingOptions, optional

    Returns
    -------
    StaffingAnalysis

    Raises
    ------
    ScenarioError
        Bad options or plan codes missing from the units table.
    RosterError
        If the roster has no staff in the plan's units.
    """
    opt = options or StaffingOptions()
    tpl = load_template(opt.structure)
    nu = new_unit_table(units, plan, options=opt)
    slots, heads = _slot_quotas(tpl, nu, opt)
    pt_assessed = bool(nu["quota_part_time"].notna().any())
    pooled = pool_staff(
        roster, plan, tpl, part_time_assessed=pt_assessed,
        default_birth_month=opt.default_birth_month,
    )  # fmt: skip

    titles = _title_balance(slots, pooled)
    groups = _group_balance(slots, pooled)
    leadership = titles[titles["leadership"]].drop(columns=["leadership"]).reset_index(drop=True)
    proj = project_staff(
        pooled, groups[["new_unit", "group", "quota"]],
        start_year=opt.start_year, start_month=opt.start_month, horizon_years=opt.horizon_years,
    )  # fmt: skip
    nu = _with_staff_columns(nu, groups, proj, opt)
    cov = coverage_table(pooled, tpl)
    proj = add_allowed(proj, deadline_years=opt.horizon_years, cap_applies=opt.staff_cap)

    estimated = bool(roster.get("estimated", pd.Series(False)).astype(bool).any())
    notes = notes_for(opt, tpl, nu, estimated, pooled, roster) + [coverage_sentence(cov)]
    logger.info(
        "staffing %s: %d new units, %d staff pooled, quota %d, surplus %d now, %d in year %d",
        opt.structure, len(nu), len(pooled), int(groups["quota"].fillna(0).sum()),
        int(groups["surplus"].sum()), int(proj[proj["year_index"] == opt.horizon_years]["surplus"].sum()),
        opt.horizon_years,
    )  # fmt: skip
    return StaffingAnalysis(
        options=opt, template=tpl, new_units=nu, titles=titles, groups=groups,
        leadership=leadership, projection=proj, pooled=pooled, headcounts=heads,
        estimated_roster=estimated, notes=notes, coverage=cov,
    )  # fmt: skip


def _title_balance(slots: pd.DataFrame, pooled: pd.DataFrame) -> pd.DataFrame:
    """Per new unit and quota line: ``pooled, quota, kept, surplus, deficit`` (see the module docs).

    Staff not assessed against a quota get one line per title, with ``quota`` NaN and all kept.
    """
    sq = slots.set_index(["new_unit", "slot"])
    pc = pooled[pooled["group"] != "not_assessed"].groupby(["new_unit", "slot"]).size()
    titles = _balance(pc.reindex(sq.index), sq["quota"].astype(float))
    titles = sq[["label_vi", "category", "group", "leadership"]].join(titles).reset_index()
    na = pooled[pooled["group"] == "not_assessed"]
    if len(na):
        extra = (
            (
                na.groupby(["new_unit", "title"]).agg(
                    pooled=("person_id", "size"),
                    label_vi=("title_label", "first"),
                    category=("category", "first"),
                )
            )
            .reset_index()
            .rename(columns={"title": "slot"})
        )
        extra = extra.assign(group="not_assessed", leadership=False, quota=np.nan)
        extra["kept"], extra["surplus"], extra["deficit"] = extra["pooled"], 0, 0
        titles = pd.concat([titles, extra[titles.columns]], ignore_index=True)
    titles["group_vi"] = titles["group"].map(GROUP_LABELS_VI)
    return titles


def _group_balance(slots: pd.DataFrame, pooled: pd.DataFrame) -> pd.DataFrame:
    """Per new unit and quota group: ``pooled, quota, kept, surplus, deficit, group_vi``."""
    gq = slots.groupby(["new_unit", "group"])["quota"].sum().astype(float)
    gp = pooled.groupby(["new_unit", "group"]).size()
    idx = gq.index.union(gp.index)
    groups = _balance(gp.reindex(idx), gq.reindex(idx)).reset_index()
    groups["group_vi"] = groups["group"].map(GROUP_LABELS_VI)
    return groups


def _with_staff_columns(
    nu: pd.DataFrame, groups: pd.DataFrame, proj: pd.DataFrame, opt: StaffingOptions
) -> pd.DataFrame:
    """Add the staff totals, ``surplus_y<k>``, ``year_quota_reached`` and the transition columns."""
    tot = groups.groupby("new_unit")[["pooled", "kept", "surplus", "deficit"]].sum()
    nu = nu.join(tot.rename(columns={"pooled": "staff_before"}))
    by_year = proj.groupby(["new_unit", "year_index"])["surplus"].sum().unstack()
    for k in by_year.columns:
        nu[f"surplus_y{k}"] = by_year[k].reindex(nu.index).fillna(0).astype("int64")
    reached = {}
    for g, row in by_year.iterrows():
        zero = [k for k in by_year.columns if row[k] == 0]
        reached[g] = opt.start_year + zero[0] if zero else pd.NA
    nu["year_quota_reached"] = pd.array([reached.get(g, pd.NA) for g in nu.index], dtype="Int64")
    for c in ("staff_before", "kept", "surplus", "deficit"):
        nu[c] = nu[c].fillna(0).astype("int64")
    return transition_columns(
        nu, groups, proj, start_year=opt.start_year, deadline_years=opt.horizon_years,
        cap_applies=opt.staff_cap,
    )  # fmt: skip
