"""Texts of the command-line summaries (``sapxep assess``), Vietnamese and English."""

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
}
