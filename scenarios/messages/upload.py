"""Texts of the app's upload flow (pick file → mapping and preview → clean → use): key -> (vi, en)."""

from __future__ import annotations

from typing import Final

UPLOAD_TEXT: Final[dict[str, tuple[str, str]]] = {
    "upload_header_row": (
        "Dòng tiêu đề của bảng thuộc tính (0 = tự nhận biết)",
        "Header row of the attribute table (0 = detect)",
    ),
    "upload_crs": (
        "Hệ tọa độ của tệp, nếu tệp không ghi (ví dụ EPSG:3405 là VN-2000 múi 48)",
        "Coordinate system of the file if it does not say (e.g. EPSG:3405, VN-2000 zone 48N)",
    ),
    "upload_mapping": ("Các cột đã nhận biết (sửa nếu sai)", "Columns recognised (correct them if wrong)"),
    "upload_mapping_help": (
        "Mỗi dòng là một cột của tệp; chọn ý nghĩa của cột ở ô «Dùng làm». Cột để trống không được dùng.",
        "One row per column of the file; choose what it means under 'Used as'. Empty = not used.",
    ),
    "upload_col_file": ("Tệp", "File"),
    "upload_col_header": ("Cột trong tệp", "Column in the file"),
    "upload_col_target": ("Dùng làm", "Used as"),
    "upload_col_example": ("Ví dụ", "Example"),
    "upload_preview": (
        "Xem trước (10 dòng đầu, như sẽ được đọc)",
        "Preview (first 10 rows, as they will be read)",
    ),
    "upload_missing": (
        "Chưa có cột: {cols}. Chọn cột tương ứng ở bảng trên.",
        "Missing: {cols}. Choose them above.",
    ),
    "upload_notes": ("Những điều đã tự xác định khi đọc tệp", "What was decided while reading"),
    "upload_clean": ("Làm sạch ranh giới (chồng lấn, khe hở)", "Clean boundaries (overlaps, gaps)"),
    "upload_cleaned": (
        "Đã làm sạch: {overlap:.2f} km² chồng lấn được xử lý, {gaps} khe hở được lấp; thay đổi lớn nhất "
        "{pct:.1f}% diện tích một đơn vị. Tệp đã làm sạch thay cho tệp tải lên.",
        "Cleaned: {overlap:.2f} km² of overlaps resolved, {gaps} gaps filled; largest change {pct:.1f}% "
        "of a unit's area. The cleaned file replaces the upload.",
    ),
    "upload_clean_report": ("Tải báo cáo làm sạch (CSV)", "Download the cleaning report (CSV)"),
    "upload_max_change": ("Thay đổi diện tích tối đa cho phép (%)", "Largest allowed area change (%)"),
    "upload_use": ("Kiểm tra và dùng dữ liệu này", "Validate and use this data"),
    "upload_topology_warn": (
        "Ranh giới còn {n} loại lỗi (chồng lấn, khe hở); vẫn dùng được, nhưng nên làm sạch "
        "trước khi lập phương án.",
        "The boundaries still have {n} kinds of problems (overlaps, gaps); usable, but clean "
        "them before planning.",
    ),
    "upload_version_kept": (
        "Đã có phương án dùng dữ liệu cùng tên; dữ liệu mới được lưu thành phiên bản riêng ({key}).",
        "Saved scenarios use data of the same name; the new data is kept as a separate version ({key}).",
    ),
}

#: Display names of the columns an upload's header can be mapped to (``target_<column>``).
TARGET_TEXT: Final[dict[str, tuple[str, str]]] = {
    "target_": ("— (không dùng)", "— (not used)"),
    "target_ignore": ("Bỏ qua", "Ignore"),
    "target_code": ("Mã đơn vị hành chính", "Unit code"),
    "target_name": ("Tên đơn vị", "Unit name"),
    "target_unit_type": ("Loại đơn vị (xã/phường/thị trấn)", "Unit type (commune/ward/township)"),
    "target_parent_code": ("Mã đơn vị cấp huyện", "District code"),
    "target_parent_name": ("Tên đơn vị cấp huyện", "District name"),
    "target_parent_kind": ("Loại đơn vị cấp huyện", "District type"),
    "target_province_code": ("Mã tỉnh", "Province code"),
    "target_province": ("Tên tỉnh", "Province name"),
    "target_population": ("Dân số (người)", "Population (persons)"),
    "target_area_km2_official": ("Diện tích tự nhiên (km²)", "Natural area (km²)"),
    "target_area_ha": ("Diện tích tự nhiên (ha)", "Natural area (ha)"),
    "target_terrain": ("Địa hình (miền núi/đồng bằng)", "Terrain (mountainous/lowland)"),
    "target_is_mountainous": ("Miền núi, vùng cao (có/không)", "Mountainous (yes/no)"),
    "target_ethnic_minority_share": ("Tỷ lệ người dân tộc thiểu số", "Ethnic-minority share"),
    "target_border": ("Xã biên giới (có/không)", "Border unit (yes/no)"),
    "target_island": ("Hải đảo (có/không)", "Island (yes/no)"),
    "target_coastal_disadvantaged": ("Bãi ngang ven biển (có/không)", "Disadvantaged coastal (yes/no)"),
    "target_red_river_delta": ("Đồng bằng sông Hồng (có/không)", "Red River Delta (yes/no)"),
    "target_commune_class": ("Phân loại đơn vị hành chính (I/II/III)", "Unit class (I/II/III)"),
    "target_arranged_2019_2021": ("Đã sắp xếp giai đoạn 2019–2021", "Arranged in 2019–2021"),
    "target_arranged_2023_2025": ("Đã sắp xếp giai đoạn 2023–2025", "Arranged in 2023–2025"),
    "target_exemption_reason": ("Lý do đặc thù (không sắp xếp)", "Special factor (exemption)"),
}
