"""Display names of stored values: kind -> value -> (Vietnamese, English).

The values are what files and the workspace hold (``phu_tho_2023``, ``lowland``, ``merged``);
users see these names instead (:func:`sapxep.scenarios.messages.display_name`).
"""

from __future__ import annotations

from typing import Final

NAMES: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "dataset": {
        "phu_tho_2023": ("Phú Thọ 2020–2024 (225 đơn vị)", "Phú Thọ 2020–2024 (225 units)"),
        "phu_tho_2019": (
            "Phú Thọ trước 2020 (277 đơn vị)",
            "Phú Thọ before 2020 (277 units)",
        ),
        "vietnam_2019": ("Cả nước 2019 (11.163 đơn vị)", "Viet Nam 2019 (11,163 units)"),
        "vietnam_2025": (
            "Cả nước từ 07/2025 (3.321 đơn vị)",
            "Viet Nam from 7/2025 (3,321 units)",
        ),
        "phu_tho_2025": (
            "Phú Thọ từ 07/2025 (148 đơn vị)",
            "Phú Thọ from 7/2025 (148 units)",
        ),
    },
    "ruleset": {
        "nq35_2023": ("NQ 35/2023 (2023–2025)", "Res. 35/2023 (2023–2025)"),
        "nq35_2026": ("NQ 35/2023 (2026–2030, tham khảo)", "Res. 35/2023 (2026–2030, reference)"),
        "nq76_2025": ("NQ 76/2025 (sắp xếp 2025)", "Res. 76/2025 (2025 arrangement)"),
        "nq112_2026": ("NQ 112/2025 (từ 2026)", "Res. 112/2025 (from 2026)"),
    },
    "unit_type": {
        "xa": ("Xã", "Commune"),
        "phuong": ("Phường", "Ward"),
        "thi_tran": ("Thị trấn", "Township"),
        "dac_khu": ("Đặc khu", "Special zone"),
        "huyen": ("Huyện", "District"),
        "quan": ("Quận", "Urban district"),
        "thi_xa": ("Thị xã", "Town"),
        "thanh_pho": ("Thành phố thuộc tỉnh", "Provincial city"),
        "tinh": ("Tỉnh", "Province"),
        "thanh_pho_tw": ("Thành phố trực thuộc trung ương", "Centrally-run city"),
    },
    "level": {
        "commune": ("Cấp xã", "Commune level"),
        "district": ("Cấp huyện", "District level"),
        "province": ("Cấp tỉnh", "Province level"),
    },
    "terrain": {
        "lowland": ("Đồng bằng", "Lowland"),
        "mountainous": ("Miền núi, vùng cao", "Mountainous"),
    },
    "terrain_source": {
        "data": ("Theo dữ liệu", "From the data"),
        "default": ("Mặc định của bộ dữ liệu", "Dataset default"),
        "assumed": ("Giả định", "Assumed"),
        "proxy": ("Ước tính theo độ cao, mật độ (thay thế)", "Estimated from elevation and density (proxy)"),
    },
    "relation": {
        "merged": ("Nhập", "Merged"),
        "unchanged_or_renamed": ("Giữ nguyên hoặc đổi tên", "Unchanged or renamed"),
        "partial_split": ("Tách một phần", "Partly split"),
        "unchanged": ("Giữ nguyên", "Unchanged"),
    },
    "source": {
        "optimizer": ("Tối ưu hóa", "Optimizer"),
        "manual": ("Chỉnh sửa thủ công", "Manual edits"),
        "crosswalk": ("Quyết định thực tế (bảng đối chiếu mã)", "Actual decision (code crosswalk)"),
        "import": ("Nhập từ tệp", "Imported file"),
        "copy": ("Bản sao", "Copy"),
    },
    "mode": {
        "max-units": ("Giữ nhiều đơn vị nhất (ít sáp nhập nhất)", "Keep the most units"),
        "target-count": ("Số đơn vị mới cho trước", "Target number of new units"),
        "repair": ("Sửa tối thiểu (chỉ đơn vị phải sắp xếp)", "Minimal repair"),
    },
    "structure": {
        "2023": ("Cơ cấu theo NĐ 33/2023", "Structure of Decree 33/2023"),
        "2025": ("Cơ cấu theo NĐ 150/2025", "Structure of Decree 150/2025"),
    },
    "category": {
        "meets": ("Đạt tiêu chuẩn", "Meets the standard"),
        "short": ("Chưa đạt (không bắt buộc)", "Falls short (not required)"),
        "must": ("Phải sắp xếp", "Must be arranged"),
        "exempt": ("Đặc thù, không sắp xếp", "Exempt (special factor)"),
    },
}
