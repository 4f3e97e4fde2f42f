"""Table column headers: ``col_<column>`` -> (Vietnamese, English)."""

from __future__ import annotations

from typing import Final

COLUMN_LABELS: Final[dict[str, tuple[str, str]]] = {
    "label_vi": ("Chức danh", "Title"),
    "group_vi": ("Nhóm", "Group"),
    "pooled": ("Hiện có", "Pooled"),
    "quota": ("Định mức", "Quota"),
    "kept": ("Bố trí", "Kept"),
    "surplus": ("Dôi dư", "Surplus"),
    "deficit": ("Thiếu", "Deficit"),
    "staff": ("Số người", "Staff"),
    "year": ("Năm", "Year"),
    "person_id": ("Mã cán bộ", "Person"),
    "title": ("Chức danh", "Title"),
    "from_unit": ("Từ đơn vị", "From"),
    "to_unit": ("Đến đơn vị", "To"),
    "to_slot": ("Vị trí", "Post"),
    "distance_km": ("Khoảng cách (km)", "Distance (km)"),
    "metric": ("Chỉ tiêu", "Metric"),
    "value": ("Giá trị", "Value"),
    "redeployed": ("Số người điều động", "Redeployed"),
}
