"""Texts of ensemble reports (CLI, Excel sheet, map, app panel): key -> (Vietnamese, English)."""

from __future__ import annotations

from typing import Final

ENSEMBLE_TEXT: Final[dict[str, tuple[str, str]]] = {
    "ens_sheet": ("Tập hợp phương án", "Ensemble"),
    "ens_title": (
        "Vị trí của phương án “{name}” trong {n} phương án hợp lệ khác nhau",
        "Where “{name}” falls among {n} distinct valid plans",
    ),
    "ens_note": (
        "Tập hợp gồm {n} phương án hợp lệ khác nhau của cùng kịch bản, lập với các hạt giống ngẫu nhiên "
        "và trọng số mục tiêu thay đổi. Thứ hạng phần trăm: tỷ lệ phương án trong tập hợp có giá trị "
        "nhỏ hơn (tính một nửa số phương án bằng giá trị).",
        "The ensemble holds {n} distinct valid plans of the same scenario, drawn with different random "
        "seeds and perturbed objective weights. Percentile: share of the ensemble's plans with a smaller "
        "value (counting half of those with an equal value).",
    ),
    "ens_metric": ("Chỉ tiêu", "Metric"),
    "ens_value": ("Phương án", "This plan"),
    "ens_p5": ("Phân vị 5%", "5th percentile"),
    "ens_p50": ("Trung vị", "Median"),
    "ens_p95": ("Phân vị 95%", "95th percentile"),
    "ens_percentile": ("Thứ hạng phần trăm", "Percentile"),
    "ens_groups_title": (
        "Các đơn vị mới của phương án và tần suất xuất hiện trong tập hợp",
        "The plan's new units and how often they occur in the ensemble",
    ),
    "ens_new_unit": ("Đơn vị mới", "New unit"),
    "ens_members": ("Các đơn vị hợp thành", "Members"),
    "ens_n_members": ("Số đơn vị hợp thành", "Members (count)"),
    "ens_frequency": ("Tần suất xuất hiện", "Frequency"),
    "ens_weakest": ("Tần suất thấp nhất của một cặp liền kề", "Weakest adjacent pair"),
    "ens_rare": ("Hiếm gặp", "Rare"),
    "ens_yes": ("Có", "Yes"),
    "ens_no": ("Không", "No"),
    "ens_map_title": (
        "Tần suất hai đơn vị liền kề cùng thuộc một đơn vị mới và độ ổn định của từng đơn vị",
        "How often adjacent units share a new unit, and how stable each unit's grouping is",
    ),
    "ens_stability": (
        "Độ ổn định (tỷ lệ phương án có nhóm phổ biến nhất)",
        "Stability (share of plans with its most common grouping)",
    ),
    "ens_coassign": ("Tần suất cùng đơn vị mới", "Co-assignment frequency"),
    "ens_plan_outline": ("Ranh giới đơn vị mới của phương án", "New-unit borders of the plan"),
    "ens_n_plans": ("{n} phương án", "{n} plans"),
}

#: The app's ensemble page.
ENSEMBLE_APP_TEXT: Final[dict[str, tuple[str, str]]] = {
    "page_ensemble": ("Tập hợp phương án", "Ensemble"),
    "ens_folder": ("Thư mục tập hợp phương án", "Ensemble folder"),
    "ens_folder_help": (
        "Thư mục do lệnh sapxep ensemble tạo ra (có assignments.parquet và metrics.parquet).",
        "A folder written by sapxep ensemble (with assignments.parquet and metrics.parquet).",
    ),
    "ens_no_folder": (
        "Chưa có tập hợp phương án: chạy lệnh sapxep ensemble KỊCH_BẢN.toml --n 200 --out THƯ_MỤC rồi "
        "nhập thư mục ở trên.",
        "No ensemble yet: run sapxep ensemble SCENARIO.toml --n 200 --out FOLDER, "
        "then enter the folder above.",
    ),
    "ens_pick": ("Phương án đã lưu cần đánh giá", "Saved scenario to place"),
    "ens_no_scenario": (
        "Chưa có phương án đã lưu cho cùng dữ liệu: bản đồ dưới đây chỉ cho thấy tập hợp.",
        "No saved scenario of the same data: the map shows the ensemble only.",
    ),
    "ens_n_rare": ("Số đơn vị mới hiếm gặp", "Rare new units"),
    "ens_n_plans_label": ("Số phương án trong tập hợp", "Plans in the ensemble"),
}
