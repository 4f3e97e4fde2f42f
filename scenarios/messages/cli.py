"""Texts of the command-line summaries (``sapxep assess``, ``sapxep plan``), Vietnamese and English."""

from __future__ import annotations

from typing import Final

CLI_TEXT: Final[dict[str, tuple[str, str]]] = {
    "cli_assess_ruleset": ("Bộ tiêu chuẩn {name}: {title}", "Ruleset {name}: {title}"),
    "cli_assess_counts": (
        "Dữ liệu {source}: {n_units} đơn vị; {n_below} chưa đạt tiêu chuẩn; {n_must} thuộc diện phải "
        "sắp xếp ({n_must_exempt} được miễn); {n_exempt} đơn vị có lý do miễn.",
        "Data {source}: {n_units} units; {n_below} below their standard; {n_must} must be arranged "
        "({n_must_exempt} of them exempt); {n_exempt} units have an exemption.",
    ),
    "cli_assess_must": ("Phải sắp xếp ({n}): {units}", "Must be arranged ({n}): {units}"),
    "cli_assess_exempt": ("Thuộc diện nhưng được miễn: {units}", "In scope but exempt: {units}"),
    "cli_assess_terrain_default": (
        "Địa hình: {n} đơn vị chưa có dữ liệu, dùng mặc định của bộ dữ liệu (cột terrain_source = default).",
        "Terrain: {n} units have no terrain data and use the dataset default "
        "(column terrain_source = default).",
    ),
    "cli_assess_terrain_proxy": (
        "Địa hình: {n} đơn vị theo nguồn gián tiếp (cột terrain_source = proxy; nguồn và độ tin cậy "
        "trong geodata/data/ATTRIBUTION.md).",
        "Terrain: {n} units from a proxy source (column terrain_source = proxy; source and confidence "
        "in geodata/data/ATTRIBUTION.md).",
    ),
    "cli_note": ("Lưu ý: {note}", "Note: {note}"),
    "cli_plan_summary": (
        "{status}: {n_before} → {n_after} {units} (cách tối ưu tối đa {gap} %); "
        "{merged}/{total} đơn vị thuộc diện phải sắp xếp đã được sắp xếp; "
        "{failing} đơn vị mới chưa đạt khi kiểm tra lại; {secs} giây",
        "{status}: {n_before} → {n_after} {units} (at most {gap}% from the optimum), "
        "{merged}/{total} must-arrange units merged, {failing} new units failing the check, {secs}s",
    ),
    "cli_status_OPTIMAL": ("Tối ưu (đã chứng minh)", "OPTIMAL"),
    "cli_status_FEASIBLE": ("Khả thi (chưa chứng minh tối ưu)", "FEASIBLE"),
    "cli_status_CANCELLED": ("Đã dừng theo yêu cầu (phương án tốt nhất đến lúc dừng)", "CANCELLED"),
    "cli_status_UNKNOWN": ("Chưa rõ", "UNKNOWN"),
    "cli_units_commune": ("đơn vị", "units"),
    "cli_units_district": ("đơn vị cấp huyện", "districts (huyện)"),
    "cli_units_province": ("tỉnh", "provinces (tỉnh)"),
    "cli_plan_check": ("  kiểm tra lại: {message}", "  check: {message}"),
    "cli_plan_within_provinces": (
        "đơn vị mới có thể vượt ranh giới huyện nhưng không vượt ranh giới tỉnh "
        "(cho phép bằng --cross-provinces)",
        "new units may cross districts but stay inside provinces (--cross-provinces to allow)",
    ),
    "cli_tolerated": ("Đã chấp nhận: {item}", "tolerated: {item}"),
    "cli_plan_exception": (
        "  trường hợp đặc biệt (NQ 76/2025 Điều 5 khoản 3, cần Ủy ban Thường vụ Quốc hội xem xét): {message}",
        "  exception (NQ 76/2025 Art. 5(3), cần Ủy ban Thường vụ Quốc hội xem xét): {message}",
    ),
    "cli_clean_done": (
        "Đã làm sạch {n} đơn vị: xử lý {overlap} km² chồng lấn; lấp {filled} khe hở ({filled_km2} km²), "
        "giữ {kept} khe hở lớn ({kept_km2} km²); sửa {repaired} hình học; gộp {dissolved} đơn vị nhiều mảnh",
        "cleaned {n} units: {overlap} km² of overlaps resolved, {filled} gaps filled ({filled_km2} km²), "
        "{kept} gaps kept ({kept_km2} km²), {repaired} geometries repaired, "
        "{dissolved} multipart units dissolved",
    ),
    "cli_clean_changed": (
        "{n} đơn vị thay đổi; thay đổi lớn nhất {pct} % diện tích một đơn vị",
        "{n} units changed; largest change {pct}% of a unit's area",
    ),
    "cli_clean_warning": ("Cảnh báo: {warning}", "warning: {warning}"),
    "cli_clean_wrote": (
        "Đã ghi {out} và báo cáo từng đơn vị {report}",
        "wrote {out} and the per-unit report {report}",
    ),
    "cli_wrote": ("Đã ghi {files} vào {out}", "wrote {files} to {out}"),
    "cli_saved": ("Đã lưu phương án «{name}» trong {workspace}", "saved scenario '{name}' in {workspace}"),
}
