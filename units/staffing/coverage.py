"""Who the norm covers, and the NQ 76/2025 Art. 11 transition constraints.

Before/after tables count the same people on both sides: every pooled person is either in a
quota line of the structure (covered by the norm) or in a ``[coverage]`` group of the
template (Party committee, Fatherland Front and mass organisations, military commander,
part-time workers, public employees), listed with the reason and source.

NQ 76/2025/UBTVQH15 Art. 11 (read in the text, issue 10):

- (2) the staff of a new commune-level unit may not exceed the total of its members' staff
  at the arrangement: the cap is the pooled number, so nobody is added to a new unit during
  the transition (no recruitment, no redeployment into it);
- (3) the norm has to be reached within five years: the staff still over the norm at the
  deadline after retirements must leave (early retirement or resignation) by then.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from sapxep.units.staffing.templates import CATEGORY_LABELS_VI, OrgTemplate

CAP_ARTICLE: Final[str] = "NQ 76/2025/UBTVQH15 Điều 11 khoản 2"
DEADLINE_ARTICLE: Final[str] = "NQ 76/2025/UBTVQH15 Điều 11 khoản 3"
RETENTION_ARTICLE: Final[str] = "NQ 76/2025/UBTVQH15 Điều 11 khoản 4"


def coverage_table(pooled: pd.DataFrame, template: OrgTemplate) -> pd.DataFrame:
    """Count the pooled staff by what the norm says about them.

    Parameters
    ----------
    pooled : pandas.DataFrame
        From :func:`sapxep.units.staffing.transition.pool_staff` (``group, title, category``).
    template : OrgTemplate

    Returns
    -------
    pandas.DataFrame
        One row per group: ``coverage, label_vi, covered, staff, reason_vi, source``; the
        covered rows first (one per assessed quota group), ``staff`` sums to ``len(pooled)``.
    """
    rows = []
    assessed = pooled[pooled["group"] != "not_assessed"]
    for cat, n in assessed.groupby("category").size().items():
        rows.append(
            {
                "coverage": f"dinh_muc_{cat}",
                "label_vi": f"{CATEGORY_LABELS_VI.get(str(cat), str(cat))} trong định mức",
                "covered": True,
                "staff": int(n),
                "reason_vi": f"so với định mức của {template.title_vi}",
                "source": template.path.rsplit("/", 1)[-1],
            }
        )
    na = pooled[pooled["group"] == "not_assessed"]
    if len(na):
        gid = [
            template.coverage_group(str(t), str(c)) for t, c in zip(na["title"], na["category"], strict=True)
        ]
        for g, n in pd.Series(gid, dtype=str).value_counts(sort=False).items():
            info = template.coverage.get(str(g), {})
            rows.append(
                {
                    "coverage": str(g),
                    "label_vi": str(info.get("label_vi", "Chức danh khác ngoài định mức")),
                    "covered": False,
                    "staff": int(n),
                    "reason_vi": str(info.get("reason_vi", "chức danh không có trong định mức của mô hình")),
                    "source": str(info.get("source", "")),
                }
            )
    cols = ["coverage", "label_vi", "covered", "staff", "reason_vi", "source"]
    return pd.DataFrame(rows, columns=cols)


def coverage_sentence(cov: pd.DataFrame) -> str:
    """Return one plain Vietnamese sentence saying who the norm covers and who it does not."""
    inside = int(cov.loc[cov["covered"], "staff"].sum())
    outside = cov[~cov["covered"]]
    text = f"Định mức áp dụng cho {inside} người (cán bộ, công chức của bộ máy chính quyền)."
    if len(outside):
        parts = "; ".join(f"{r.label_vi}: {r.staff} người ({r.reason_vi})" for r in outside.itertuples())
        text += (
            f" Không thuộc định mức ({int(outside['staff'].sum())} người, vẫn được tính ở cả hai "
            f"phía trước và sau sắp xếp): {parts}."
        )
    return text


def transition_columns(
    new_units: pd.DataFrame,
    groups: pd.DataFrame,
    projection: pd.DataFrame,
    *,
    start_year: int,
    deadline_years: int,
    cap_applies: bool,
) -> pd.DataFrame:
    """Add the Art. 11(2) cap and the Art. 11(3) deadline to the new-unit table.

    Columns added: ``cap_art11_2`` (pooled assessed staff; <NA> when the cap does not apply),
    ``deadline_year``, ``over_norm_at_deadline`` (assessed staff still over the norm at the
    deadline, retirements only) and ``meets_norm_by_deadline``.
    """
    nu = new_units.copy()
    assessed = groups[groups["group"] != "not_assessed"].groupby("new_unit")["pooled"].sum()
    cap = assessed.reindex(nu.index).fillna(0).astype("int64")
    nu["cap_art11_2"] = pd.array(cap if cap_applies else [pd.NA] * len(nu), dtype="Int64")
    nu["deadline_year"] = start_year + deadline_years
    last = projection[projection["year_index"] == deadline_years].groupby("new_unit")["surplus"].sum()
    nu["over_norm_at_deadline"] = last.reindex(nu.index).fillna(0).astype("int64")
    nu["meets_norm_by_deadline"] = nu["over_norm_at_deadline"] == 0
    return nu


def add_allowed(projection: pd.DataFrame, *, deadline_years: int, cap_applies: bool) -> pd.DataFrame:
    """Add the staff each new unit may have in each year of the transition.

    ``allowed`` = the Art. 11(2) cap (the pooled staff of year 0) before the deadline (<NA>
    when the cap does not apply), the norm from the deadline on (Art. 11(3));
    ``over_allowed`` = ``max(0, staff - allowed)``: the people who must leave by then.
    """
    p = projection.copy()
    year0 = p[p["year_index"] == 0].set_index(["new_unit", "group"])["staff"]
    cap = pd.Series(list(zip(p["new_unit"], p["group"], strict=True)), index=p.index).map(year0).astype(float)
    before = p["year_index"] < deadline_years
    allowed = cap.where(before & cap_applies, p["quota"].astype(float).where(~before))
    p["allowed"] = allowed.round().astype("Int64")
    p["over_allowed"] = (p["staff"] - p["allowed"]).clip(lower=0).fillna(0).astype("int64")
    return p
