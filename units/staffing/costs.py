"""Cost and savings of a staffing transition, in VND, from cited coefficients.

Every coefficient is a parameter of ``units/templates/costs_2025.toml`` with its article,
source and confidence (``assumption`` and ``user`` values are flagged in outputs). Terms::

    S (monthly pay)        = coefficient(category) x base_salary x (1 + allowance_share)
    package (leaver)       Decree 178/2024 as amended by Decree 67/2025, by months m left to
                           the statutory retirement age at the leaving date:
      m < 24               m x r1 x S                                   (r1 = 1.0 | 0.5)
      24 <= m <= 60        m x r1 x S + y x 5 x S + I                   (y = years early, half-year steps)
      60 < m <= 120        60 x r2 x S + y x 4 x S + I                  (r2 = 0.9 | 0.45)
      m > 120 (resign)     min(m, 60) x r3 x S + 1.5 x S x n + 3 x S    (r3 = 0.8 | 0.4; n = insured years)
      I                    = 4 x S + 0.5 x S x max(0, n - 15)          (insurance years)
    salary retention       = leaders losing their post x position allowance x base x 6 months
                             (NQ 76/2025 Art. 11(4))
    seat relocation        = former seats x user parameter (0 = not counted)
    central support        = communes reduced x 500 million + provinces reduced x 100 billion
                             (NQ 76/2025 Art. 15(2))
    yearly savings         = posts cut x 12 x S x (1 + employer_contribution_rate)

The leavers are the staff still over the norm at the deadline (after retirements and
redeployment): in each new unit, the people closest to retirement leave first.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from sapxep.units.errors import RulesetError, ScenarioError

logger = logging.getLogger(__name__)

FLAGGED: Final[tuple[str, ...]] = ("assumption", "user")
#: How sure a coefficient is, in Vietnamese (for outputs).
CONFIDENCE_VI: Final[dict[str, str]] = {
    "primary": "đã đọc văn bản",
    "cross-checked": "nhiều nguồn thứ cấp khớp nhau",
    "single": "một nguồn thứ cấp",
    "assumption": "giả định",
    "user": "người dùng nhập",
    "không áp dụng": "không áp dụng",
}


@dataclass(frozen=True)
class CostParams:
    """Cost coefficients: ``values`` (name -> number) and ``table`` (one row per parameter)."""

    values: dict[str, float]
    table: pd.DataFrame
    path: str

    def __getitem__(self, key: str) -> float:
        return self.values[key]


def load_cost_params(
    path: str | Path | None = None, *, overrides: Mapping[str, float] | None = None
) -> CostParams:
    """Read the cost coefficients, with user overrides.

    Parameters
    ----------
    path : path, optional
        A TOML file shaped like ``units/templates/costs_2025.toml`` (default: that file).
    overrides : mapping, optional
        ``name -> value``; an overridden value is marked ``confidence = "user"``.

    Returns
    -------
    CostParams

    Raises
    ------
    RulesetError
        If the file is unreadable or a value is not a number.
    ScenarioError
        If an override names an unknown parameter.
    """
    if path is None:
        ref = resources.files("sapxep.units") / "templates" / "costs_2025.toml"
        text, where = ref.read_text(encoding="utf-8"), str(ref)
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RulesetError(f"cannot read cost parameters {where}", [str(exc)]) from exc
    try:
        params = tomllib.loads(text).get("params", {})
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError(f"cannot read cost parameters {where}", [str(exc)]) from exc
    problems = [
        f"[params.{k}] value must be a number"
        for k, t in params.items()
        if not isinstance(t.get("value"), int | float) or isinstance(t.get("value"), bool)
    ]
    if problems:
        raise RulesetError(f"{where}: malformed cost parameters", problems)
    ov = dict(overrides or {})
    unknown = sorted(set(ov) - set(params))
    if unknown:
        raise ScenarioError(
            f"unknown cost parameter(s) {', '.join(unknown)}",
            [f"use one of {', '.join(sorted(params))} (sapxep staffing --cost NAME=VALUE)"],
        )
    rows = []
    for name, t in params.items():
        user = name in ov
        rows.append(
            {
                "name": name,
                "value": float(ov[name]) if user else float(t["value"]),
                "unit": str(t.get("unit", "")),
                "label_vi": str(t.get("label_vi", name)),
                "article": str(t.get("article", "chưa xác định")),
                "source": "entered by the user" if user else str(t.get("source", "")),
                "source_vi": "do người dùng nhập" if user else str(t.get("source_vi", t.get("source", ""))),
                "confidence": "user" if user else str(t.get("confidence", "")),
            }
        )
    table = pd.DataFrame(rows)
    table["confidence_vi"] = table["confidence"].map(CONFIDENCE_VI).fillna(table["confidence"])
    table["flagged"] = table["confidence"].isin(FLAGGED) | table["article"].str.contains("chưa xác định")
    values = dict(zip(table["name"], table["value"], strict=True))
    return CostParams(values=values, table=table, path=where)


def not_applicable(params: CostParams, names: tuple[str, ...], reason: str) -> CostParams:
    """Return ``params`` with ``names`` set to 0 and marked as not applying (``reason`` shown)."""
    t = params.table.copy()
    hit = t["name"].isin(names)
    t.loc[hit, "value"] = 0.0
    t.loc[hit, "confidence"] = "không áp dụng"
    t.loc[hit, "confidence_vi"] = "không áp dụng"
    t.loc[hit, "source"] = reason
    if "source_vi" in t:
        t.loc[hit, "source_vi"] = reason
    t.loc[hit, "flagged"] = True
    return CostParams(values=dict(zip(t["name"], t["value"], strict=True)), table=t, path=params.path)


def monthly_pay(category: pd.Series, p: CostParams) -> pd.Series:
    """Return the monthly pay (VND) used for packages and savings, by staff category."""
    base = p["base_salary_vnd"]
    coef = category.map(
        {"cadre": p["salary_coefficient_cadre"], "civil_servant": p["salary_coefficient_civil_servant"]}
    )
    pay = coef.astype(float) * base * (1.0 + p["allowance_share"])
    part = category == "part_time"
    pay[part] = p["part_time_allowance_coefficient"] * base
    return pay.fillna(0.0)


def _years_early(months: np.ndarray) -> np.ndarray:
    """Whole years plus 0.5 for a remainder of 1–6 months, 1 for 7–11 (Decree 178 rounding)."""
    whole, rem = np.divmod(months, 12)
    return whole + np.where(rem == 0, 0.0, np.where(rem <= 6, 0.5, 1.0))


def leave_packages(leavers: pd.DataFrame, p: CostParams, *, leave_month_index: int) -> pd.DataFrame:
    """Compute the early-leave package of each leaver.

    Parameters
    ----------
    leavers : pandas.DataFrame
        Rows with ``category, birth_year, birth_month, retirement_month_index``.
    p : CostParams
    leave_month_index : int
        Month the leavers leave (``year * 12 + month - 1``).

    Returns
    -------
    pandas.DataFrame
        ``leavers`` with ``months_to_retirement, insured_years, monthly_pay_vnd, policy,
        package_vnd``.
    """
    out = leavers.copy()
    m = (out["retirement_month_index"].astype(int) - leave_month_index).clip(lower=0).to_numpy()
    birth = out["birth_year"].astype(int) * 12 + out["birth_month"].astype("Int64").fillna(1).astype(int) - 1
    age_y = (leave_month_index - birth.to_numpy()) / 12.0
    n = np.maximum(0.0, np.floor(age_y - p["career_start_age"]))
    s = monthly_pay(out["category"], p).to_numpy()
    first = p["leave_within_first_12_months"] >= 1
    r1 = p["early_months_rate_first12"] if first else p["early_months_rate_after12"]
    r2 = p["early_months_rate_5_10_first12"] if first else p["early_months_rate_5_10_after12"]
    r3 = p["resign_months_rate_first12"] if first else p["resign_months_rate_after12"]
    cap = p["resign_months_cap"]
    ins = s * (p["insurance_base_months"] + p["insurance_extra_months_per_year"]
               * np.maximum(0.0, n - p["insurance_base_years"]))  # fmt: skip
    y = _years_early(m)
    max_m = p["early_retirement_max_years"] * 12
    pkg = np.select(
        [m <= 0, m < 24, m <= 60, m <= max_m],
        [0.0, m * r1 * s, m * r1 * s + y * p["early_year_months_2_5"] * s + ins,
         cap * r2 * s + y * p["early_year_months_5_10"] * s + ins],
        default=np.minimum(m, cap) * r3 * s + p["resign_months_per_insurance_year"] * s * n
        + p["resign_job_search_months"] * s,
    )  # fmt: skip
    policy = np.select(
        [m <= 0, m <= max_m], ["nghỉ hưu đúng tuổi", "nghỉ hưu trước tuổi"], default="thôi việc"
    )
    part = (out["category"] == "part_time").to_numpy()
    pkg = np.where(part, p["part_time_leave_support_months"] * s, pkg)
    policy = np.where(part, "thôi việc (không chuyên trách)", policy)
    out["months_to_retirement"] = m.astype("int64")
    out["insured_years"] = n
    out["monthly_pay_vnd"] = s.round()
    out["policy"] = policy
    out["package_vnd"] = pkg.round()
    return out


def pick_leavers(pooled: pd.DataFrame, excess: pd.DataFrame) -> pd.DataFrame:
    """Pick who leaves: per new unit and group, the ``excess`` people closest to retirement.

    Parameters
    ----------
    pooled : pandas.DataFrame
        Staff with ``new_unit, group, retirement_month_index`` (after redeployment).
    excess : pandas.DataFrame
        ``new_unit, group, n``: people over the norm at the deadline.

    Returns
    -------
    pandas.DataFrame
        The chosen rows of ``pooled``.
    """
    need = excess.set_index(["new_unit", "group"])["n"]
    need = need[need > 0]
    if need.empty:
        return pooled.iloc[0:0]
    p = pooled.sort_values(["new_unit", "group", "retirement_month_index", "person_id"], kind="stable")
    rank = p.groupby(["new_unit", "group"]).cumcount()
    limit = pd.Series(list(zip(p["new_unit"], p["group"], strict=True)), index=p.index).map(need)
    return p[rank < limit.fillna(0)]


def staffing_costs(
    leavers: pd.DataFrame,
    new_units: pd.DataFrame,
    *,
    posts_cut: pd.DataFrame,
    leaders_losing_post: pd.Series,
    leave_month_index: int,
    params: CostParams | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Cost and savings per new unit and in total.

    Parameters
    ----------
    leavers : pandas.DataFrame
        From :func:`pick_leavers`.
    new_units : pandas.DataFrame
        Index ``new_unit`` with ``n_members``.
    posts_cut : pandas.DataFrame
        ``new_unit, category, n``: posts removed once every unit is at its norm.
    leaders_losing_post : pandas.Series
        new_unit -> leaders over the leadership lines (salary retention).
    leave_month_index : int
        Month the leavers leave.
    params : CostParams, optional
        Default: :func:`load_cost_params`.

    Returns
    -------
    tuple
        ``(leavers with packages, per-unit table, totals)``; totals keys: ``leavers,
        early_retirements, resignations, cost_packages_vnd, cost_salary_retention_vnd,
        cost_relocation_vnd, cost_one_off_vnd, central_support_vnd, net_one_off_vnd,
        savings_per_year_vnd, payback_years``.
    """
    p = params or load_cost_params()
    lv = leave_packages(leavers, p, leave_month_index=leave_month_index)
    idx = new_units.index
    per = pd.DataFrame(index=idx)
    per["leavers"] = lv.groupby("new_unit").size().reindex(idx).fillna(0).astype("int64")
    per["cost_packages_vnd"] = lv.groupby("new_unit")["package_vnd"].sum().reindex(idx).fillna(0.0)
    lead = leaders_losing_post.reindex(idx).fillna(0).astype("int64")
    per["leaders_losing_post"] = lead
    per["cost_salary_retention_vnd"] = (
        lead * p["position_allowance_coefficient"] * p["base_salary_vnd"] * p["salary_retention_months"]
    )
    former_seats = (new_units["n_members"].astype(int) - 1).clip(lower=0)
    per["cost_relocation_vnd"] = former_seats * p["seat_relocation_vnd"]
    per["central_support_vnd"] = former_seats * p["central_support_per_commune_reduced_vnd"]
    pc = posts_cut.assign(pay=monthly_pay(posts_cut["category"], p).to_numpy())
    pc["save"] = pc["n"] * 12 * pc["pay"] * (1.0 + p["employer_contribution_rate"])
    per["posts_cut"] = pc.groupby("new_unit")["n"].sum().reindex(idx).fillna(0).astype("int64")
    per["savings_per_year_vnd"] = pc.groupby("new_unit")["save"].sum().reindex(idx).fillna(0.0)
    per["cost_one_off_vnd"] = per[
        ["cost_packages_vnd", "cost_salary_retention_vnd", "cost_relocation_vnd"]
    ].sum(axis=1)
    per = per.round(0)
    totals = _cost_totals(lv, per, p)
    logger.info(
        "costs: %d leavers, one-off %.0f VND, support %.0f VND, savings %.0f VND/year",
        totals["leavers"], totals["cost_one_off_vnd"], totals["central_support_vnd"],
        totals["savings_per_year_vnd"],
    )  # fmt: skip
    return lv, per.reset_index(), totals


def _cost_totals(lv: pd.DataFrame, per: pd.DataFrame, p: CostParams) -> dict[str, Any]:
    """Totals of :func:`staffing_costs` from the leavers and the (rounded) per-unit table.

    ``net_one_off = one_off - (support per commune reduced + provinces_reduced x support per
    province)``; ``payback_years = max(net, 0) / savings`` (None without savings).
    """
    province_support = p["provinces_reduced"] * p["central_support_per_province_reduced_vnd"]
    one_off = float(per["cost_one_off_vnd"].sum())
    support = float(per["central_support_vnd"].sum()) + province_support
    savings = float(per["savings_per_year_vnd"].sum())
    net = one_off - support
    totals: dict[str, Any] = {
        "leavers": int(len(lv)),
        "early_retirements": int((lv["policy"] == "nghỉ hưu trước tuổi").sum()),
        "resignations": int(lv["policy"].str.startswith("thôi việc").sum()),
        "cost_packages_vnd": round(float(per["cost_packages_vnd"].sum())),
        "cost_salary_retention_vnd": round(float(per["cost_salary_retention_vnd"].sum())),
        "cost_relocation_vnd": round(float(per["cost_relocation_vnd"].sum())),
        "cost_one_off_vnd": round(one_off),
        "central_support_vnd": round(support),
        "net_one_off_vnd": round(net),
        "posts_cut": int(per["posts_cut"].sum()),
        "savings_per_year_vnd": round(savings),
        "payback_years": round(max(net, 0.0) / savings, 2) if savings > 0 else None,
        "flagged_parameters": sorted(p.table.loc[p.table["flagged"], "name"]),
    }
    return totals
