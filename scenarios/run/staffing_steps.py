"""Steps of a staffing run after the analysis: redeployment, leavers and costs, summary.

Split from :mod:`sapxep.scenarios.run.staffing` (``run_staffing`` calls these in order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from sapxep.units.staffing.costs import pick_leavers, staffing_costs
from sapxep.units.staffing.coverage import CAP_ARTICLE, DEADLINE_ARTICLE, add_allowed
from sapxep.units.staffing.redeploy import RedeployResult, redeploy
from sapxep.units.staffing.retirement import month_index
from sapxep.units.staffing.roster import ESTIMATED_LABEL_VI
from sapxep.units.staffing.transition import StaffingAnalysis, project_staff, summary_counts


def redeploy_step(
    analysis: StaffingAnalysis, dist: Mapping[tuple[str, str], float], *, max_km: float, match: bool
) -> tuple[StaffingAnalysis, RedeployResult, pd.DataFrame, pd.DataFrame]:
    """Redeploy surplus civil servants (none into a unit when the Art. 11(2) cap applies)."""
    tpl = analysis.template
    accepts = {s.id: s.accepts for s in tpl.slots.values()}
    any_slots = {s.id for s in tpl.slots.values() if s.accepts_any_civil_servant}
    groups = analysis.groups
    if analysis.options.staff_cap:  # headroom under the cap = pooled - pooled = 0
        groups = groups.assign(deficit=0)
    red = redeploy(
        analysis.pooled, analysis.titles, groups, dist,
        accepts=accepts, accepts_any=any_slots, max_distance_km=max_km, match_titles=match,
    )  # fmt: skip
    nu = analysis.new_units.copy()
    fl = red.flows
    nu["redeployed_out"] = fl.groupby("from_unit")["n"].sum().reindex(nu.index).fillna(0).astype("int64")
    nu["redeployed_in"] = fl.groupby("to_unit")["n"].sum().reindex(nu.index).fillna(0).astype("int64")
    nu["surplus_after_redeployment"] = nu["surplus"] - nu["redeployed_out"]
    nu["deficit_after_redeployment"] = nu["deficit"] - nu["redeployed_in"]
    moved = analysis.pooled.copy()
    if len(red.moves):
        to = red.moves.set_index("person_id")["to_unit"]
        m = moved["person_id"].isin(to.index)
        moved.loc[m, "new_unit"] = moved.loc[m, "person_id"].map(to)
    opt = analysis.options
    proj_after = project_staff(
        moved, analysis.groups[["new_unit", "group", "quota"]],
        start_year=opt.start_year, start_month=opt.start_month, horizon_years=opt.horizon_years,
    )  # fmt: skip
    proj_after = add_allowed(proj_after, deadline_years=opt.horizon_years, cap_applies=opt.staff_cap)
    last = proj_after[proj_after["year_index"] == opt.horizon_years].groupby("new_unit")["surplus"].sum()
    nu["departures_needed"] = last.reindex(nu.index).fillna(0).astype("int64")
    return replace(analysis, new_units=nu), red, moved, proj_after


def cost_step(
    analysis: StaffingAnalysis, moved: pd.DataFrame, proj_after: pd.DataFrame, params: Any
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Leavers (over the norm at the deadline), their packages, and the cost/savings table."""
    opt = analysis.options
    last = proj_after[
        (proj_after["year_index"] == opt.horizon_years) & (proj_after["group"] != "not_assessed")
    ]
    excess = last.rename(columns={"surplus": "n"})[["new_unit", "group", "n"]]
    start = month_index(opt.start_year, opt.start_month)
    working = moved[moved["retirement_month_index"] >= start + 12 * opt.horizon_years]
    leavers = pick_leavers(working, excess)
    g = analysis.groups[analysis.groups["group"] != "not_assessed"]
    posts = g.assign(category=g["group"].map({"cb_cc": "civil_servant", "part_time": "part_time"}))
    posts = posts.rename(columns={"surplus": "n"})[["new_unit", "category", "n"]]
    lead = analysis.leadership.groupby("new_unit")["surplus"].sum()
    lv, per, totals = staffing_costs(
        leavers, analysis.new_units, posts_cut=posts, leaders_losing_post=lead,
        leave_month_index=start, params=params,
    )  # fmt: skip
    keep = ["person_id", "unit_code", "new_unit", "title", "title_label", "category", "birth_year",
            "birth_month", "sex", "months_to_retirement", "insured_years", "monthly_pay_vnd",
            "policy", "package_vnd"]  # fmt: skip
    return per, lv[[c for c in keep if c in lv.columns]], totals


def _vi_number(v: float) -> str:
    return f"{v:,.0f}".replace(",", ".") if abs(v) >= 1000 else f"{v:g}".replace(".", ",")


def cost_summary(totals: Mapping[str, Any], table: pd.DataFrame) -> dict[str, Any]:
    """Return the cost keys of ``summary.json`` (totals, flagged coefficients, sources)."""
    flagged = table[table["flagged"]]
    return {
        **{k: v for k, v in totals.items() if k != "flagged_parameters"},
        "cost_parameters_flagged": [
            f"{r.label_vi} = {_vi_number(r.value)} {r.unit} ({r.article}; {r.confidence_vi})"
            for r in flagged.itertuples()
        ],
        "cost_sources": {r.name: f"{r.article} — {r.source}" for r in table.itertuples() if not r.flagged},
    }


def run_summary(
    a: StaffingAnalysis,
    red: RedeployResult,
    proj_after: pd.DataFrame,
    info: Mapping[str, Any],
    max_km: float,
    match: bool,
    seed: int,
    dist: Mapping[tuple[str, str], float],
    vacancy_rate: float,
) -> dict[str, Any]:
    """Return ``summary.json`` (without the cost keys): counts, options, notes, sources."""
    s = summary_counts(a)
    h = a.options.horizon_years
    reached = a.new_units["year_quota_reached"]
    by_year = {
        str(a.options.start_year + k): int((reached <= a.options.start_year + k).sum()) for k in range(h + 1)
    }
    after_h = int(proj_after.loc[proj_after["year_index"] == h, "surplus"].sum())
    return {
        "structure": a.options.structure,
        "structure_reason": info.get("structure_reason", ""),
        "plan_ruleset": info.get("ruleset", ""),
        "template": a.template.id,
        "dataset": info.get("dataset", ""),
        "units_file": info.get("units_file", ""),
        "n_units": int(a.new_units["n_members"].sum()),
        **s,
        "staff_after": s["quota_after"],
        "redeployed": red.redeployed,
        "redeploy_supply": red.supply,
        "redeploy_demand": red.demand,
        "surplus_after_redeployment": s["surplus_now"] - red.redeployed,
        "deficit_after_redeployment": s["deficit_now"] - red.redeployed,
        "surplus_year5_after_redeployment": after_h,
        "reconciles": s["staff_before"] == s["staff_kept"] + s["surplus_now"]
        and red.redeployed <= s["deficit_now"],
        **_option_keys(a, seed, vacancy_rate),
        "departures_needed": after_h,
        **_coverage_keys(a),
        "new_units_at_quota_by_year": by_year,
        "new_units_never_at_quota": int(reached.isna().sum()),
        "max_distance_km": max_km,
        "match_titles": match,
        "distances_available": bool(dist),
        "params_2025": (
            {**a.template.param_defaults(), **a.options.params_2025}
            if a.options.structure == "2025"
            else None
        ),
        "notes": _summary_notes(a, info, vacancy_rate, dist),
        "sources": _summary_sources(a),
        "metrics": info.get("metrics", {}),
    }


def _option_keys(a: StaffingAnalysis, seed: int, vacancy_rate: float) -> dict[str, Any]:
    """Summary keys of the roster and the options: estimated label, classes, horizon, cap."""
    h = a.options.horizon_years
    return {
        "estimated_roster": a.estimated_roster,
        "estimated_label": ESTIMATED_LABEL_VI if a.estimated_roster else "",
        "synthetic_seed": seed if a.estimated_roster else None,
        "synthetic_vacancy_rate": vacancy_rate if a.estimated_roster else None,
        "default_class": a.options.default_class,
        "new_class_rule": a.options.new_class,
        "units_with_default_class": int(a.new_units["class_source"].str.contains("default").sum()),
        "horizon_years": h,
        "start_year": a.options.start_year,
        "deadline_year": a.options.start_year + h,
        "staff_cap": a.options.staff_cap,
        "staff_cap_article": CAP_ARTICLE if a.options.staff_cap else "",
    }


def _coverage_keys(a: StaffingAnalysis) -> dict[str, Any]:
    """Summary keys of who the norm covers: ``covered_staff``, ``not_covered_staff``, ``coverage``."""
    return {
        "covered_staff": int(a.coverage.loc[a.coverage["covered"], "staff"].sum()),
        "not_covered_staff": int(a.coverage.loc[~a.coverage["covered"], "staff"].sum()),
        "coverage": [
            {
                "group": r.label_vi,
                "staff": int(r.staff),
                "covered": bool(r.covered),
                "reason": r.reason_vi,
                "source": r.source,
            }
            for r in a.coverage.itertuples()
        ],  # fmt: skip
    }


def _summary_notes(
    a: StaffingAnalysis, info: Mapping[str, Any], vacancy_rate: float, dist: Mapping[tuple[str, str], float]
) -> list[str]:
    """The Vietnamese notes of the summary: structure, analysis notes, vacancies, distances."""
    return (
        [f"Mô hình tổ chức: {info.get('structure_reason', '')}."] * bool(info.get("structure_reason"))
        + a.notes
        + (
            [
                f"Danh sách giả lập để trống ngẫu nhiên {vacancy_rate:.0%} vị trí "
                "công chức, không chuyên trách."
            ]
            if a.estimated_roster and vacancy_rate
            else []
        )
        + ([] if dist else ["Không có khoảng cách giữa trụ sở (thiếu hình học): không điều động."])
    )


def _summary_sources(a: StaffingAnalysis) -> dict[str, str]:
    """Where the quota, structure, retirement, transition, cap, ages and costs come from."""
    return {
        "quota": "NĐ 33/2023/NĐ-CP Điều 6, 33 (units/templates/org_decree33_2023.toml)",
        "structure_2025": "NĐ 150/2025/NĐ-CP (units/templates/org_decree150_2025.toml)",
        "retirement": "BLLĐ 2019 Điều 169; NĐ 135/2020/NĐ-CP",
        "transition": (
            f"{DEADLINE_ARTICLE} (5 năm)" if a.options.staff_cap else "NQ 35/2023/UBTVQH15 Điều 11 (5 năm)"
        ),
        "cap": CAP_ARTICLE if a.options.staff_cap else "",
        "age_profile": "giả định có tham số: units/templates/roster_age_profile.toml",
        "costs": "units/templates/costs_2025.toml (cost_parameters.csv)",
    }
