"""Retirement projection, notes and headline counts of a staffing analysis.

Split from :mod:`sapxep.units.staffing.transition` (which re-exports these names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sapxep.units.staffing.coverage import CAP_ARTICLE, DEADLINE_ARTICLE
from sapxep.units.staffing.retirement import month_index
from sapxep.units.staffing.templates import OrgTemplate

if TYPE_CHECKING:
    from sapxep.units.staffing.transition import StaffingAnalysis, StaffingOptions


def project_staff(
    pooled: pd.DataFrame,
    group_quota: pd.DataFrame,
    *,
    start_year: int,
    start_month: int = 1,
    horizon_years: int = 5,
) -> pd.DataFrame:
    """Project staff numbers per new unit and group with retirements only.

    Year ``k`` counts the pooled staff still working on the first day of month
    ``start + 12 k`` (year 0 = everyone pooled); quotas stay fixed; nobody is recruited or
    dismissed.

    Parameters
    ----------
    pooled : pandas.DataFrame
        From :func:`pool_staff`.
    group_quota : pandas.DataFrame
        Columns ``new_unit, group, quota`` (NaN = not assessed).
    start_year, start_month : int
    horizon_years : int

    Returns
    -------
    pandas.DataFrame
        Columns ``new_unit, group, year_index, year, staff, retired_in_year, quota, surplus,
        deficit``.
    """
    start = month_index(start_year, start_month)
    base = group_quota[["new_unit", "group", "quota"]].reset_index(drop=True)
    ret = pooled["retirement_month_index"].to_numpy()
    frames = []
    for k in range(horizon_years + 1):
        active = pooled[ret >= start + 12 * k] if k else pooled
        n = active.groupby(["new_unit", "group"]).size().rename("staff")
        f = base.join(n, on=["new_unit", "group"])
        f["staff"] = f["staff"].fillna(0).astype("int64")
        f["year_index"], f["year"] = k, start_year + k
        frames.append(f)
    out = pd.concat(frames, ignore_index=True).sort_values(["new_unit", "group", "year_index"], kind="stable")
    out["retired_in_year"] = (-out.groupby(["new_unit", "group"])["staff"].diff().fillna(0)).astype("int64")
    assessed = out["quota"].notna()
    q = out["quota"].fillna(0)
    out["surplus"] = np.where(assessed, np.maximum(0, out["staff"] - q), 0).astype("int64")
    out["deficit"] = np.where(assessed, np.maximum(0, q - out["staff"]), 0).astype("int64")
    cols = ["new_unit", "group", "year_index", "year", "staff", "retired_in_year", "quota",
            "surplus", "deficit"]  # fmt: skip
    return out[cols].reset_index(drop=True)


def notes_for(
    opt: StaffingOptions,
    tpl: OrgTemplate,
    nu: pd.DataFrame,
    estimated: bool,
    pooled: pd.DataFrame,
    roster: pd.DataFrame,
) -> list[str]:
    """Return the assumptions and rules to print with a staffing analysis (Vietnamese)."""
    notes = []
    if estimated:
        notes.append(
            "SỐ LIỆU ƯỚC TÍNH: danh sách cán bộ là giả lập (mỗi xã đủ định mức NĐ 33/2023; cơ cấu "
            "tuổi là giả định có tham số, units/templates/roster_age_profile.toml), không phải dữ "
            "liệu thật."
        )
    n_def = int(nu["class_source"].str.contains("default").sum())
    notes.append(
        f"Loại đơn vị cũ thiếu dữ liệu được lấy mặc định loại {opt.default_class} "
        f"({n_def}/{len(nu)} đơn vị mới chịu ảnh hưởng). Loại đơn vị mới: "
        + {"max": "loại cao nhất trong các đơn vị hợp nhất", "min": "loại thấp nhất"}.get(
            opt.new_class, f"cố định loại {opt.new_class}"
        )
        + "."
    )
    if opt.structure == "2023":
        notes.append(
            "Định mức theo NĐ 33/2023 (cách hiểu của chúng tôi): cơ bản theo loại + 1 CB,CC và "
            "1 người không chuyên trách cho mỗi 1/2 (phường thuộc quận: 1/3) tiêu chuẩn dân số "
            "vượt và mỗi 100% tiêu chuẩn diện tích vượt (tiêu chuẩn NQ 1211/2016 sửa đổi 27/2022)."
        )
        notes.append("Phân bổ công chức giữa 6 chức danh là giả định mô hình; định mức pháp lý là tổng số.")
    else:
        prm = {**tpl.param_defaults(), **opt.params_2025}
        notes.append(
            "Mô hình 2025 (NĐ 150/2025): không có công thức biên chế toàn quốc; dùng tham số "
            f"tổng biên chế {prm['total_staff']} (bình quân theo CV 03/CV-BCĐ), "
            f"{prm['ubnd_vice_chairs']} Phó Chủ tịch UBND, {prm['deputies_per_department']} cấp "
            "phó mỗi phòng; định mức này là của bộ máy chính quyền (HĐND, UBND, các phòng, Trung "
            "tâm Phục vụ hành chính công). Thống kê thuộc Phòng Kinh tế, nội vụ thuộc Phòng Văn hóa - "
            "Xã hội (NĐ 150/2025)."
        )
    if opt.staff_cap:
        notes.append(
            f"{CAP_ARTICLE}: tổng số cán bộ, công chức của đơn vị mới không vượt quá tổng số của "
            "các đơn vị cũ, nên trong thời gian chuyển tiếp không tuyển mới, không điều động thêm vào "
            f"đơn vị mới; {DEADLINE_ARTICLE}: phải đạt định mức trong {opt.horizon_years} năm (đến "
            f"{opt.start_year + opt.horizon_years})."
        )
    notes.append(
        f"Dự báo nghỉ hưu theo BLLĐ 2019 và NĐ 135/2020, từ {opt.start_month:02d}/{opt.start_year}"
        f" trong {opt.horizon_years} năm, không tuyển mới, không tinh giản; thiếu tháng sinh thì "
        f"lấy tháng {opt.default_birth_month}."
    )
    outside = int((~roster["unit_code"].isin(pooled["unit_code"])).sum())
    if outside:
        notes.append(f"{outside} người trong danh sách thuộc đơn vị ngoài phương án: không tính.")
    return notes


def summary_counts(analysis: StaffingAnalysis) -> dict[str, Any]:
    """Return the headline totals of an analysis (before redeployment).

    Returns
    -------
    dict
        ``staff_before, staff_kept, quota_after, surplus_now, deficit_now, surplus_year5``
        (the last = surplus at the end of the horizon), ``not_assessed``, ``n_new_units``.
    """
    g = analysis.groups
    p = analysis.projection
    h = analysis.options.horizon_years
    return {
        "n_new_units": len(analysis.new_units),
        "staff_before": int(g["pooled"].sum()),
        "staff_kept": int(g["kept"].sum()),
        "quota_after": int(g["quota"].fillna(0).sum()),
        "surplus_now": int(g["surplus"].sum()),
        "deficit_now": int(g["deficit"].sum()),
        "surplus_year5": int(p.loc[p["year_index"] == h, "surplus"].sum()),
        "not_assessed": int(g.loc[g["group"] == "not_assessed", "pooled"].sum()),
    }
