"""Texts of comparisons and exports (maps, Excel, Word): key -> (Vietnamese, English)."""

from __future__ import annotations

from typing import Final

#: Metric key -> (Vietnamese, English).
METRIC_LABELS: Final[dict[str, tuple[str, str]]] = {
    "ruleset": ("Bộ tiêu chuẩn dùng để đánh giá", "Ruleset used"),
    "n_before": ("Số đơn vị trước sắp xếp", "Units before"),
    "n_after": ("Số đơn vị sau sắp xếp", "Units after"),
    "n_merged": ("Số đơn vị mới hình thành do nhập", "New units formed by merging"),
    "n_unchanged": ("Số đơn vị giữ nguyên", "Units left unchanged"),
    "n_fail_population": ("Đơn vị mới chưa đạt quy mô dân số", "New units below the population criterion"),
    "n_fail_area": ("Đơn vị mới chưa đạt diện tích", "New units below the area criterion"),
    "n_fail_any": ("Đơn vị mới chưa đạt ít nhất một tiêu chuẩn", "New units failing any criterion"),
    "must_arrange_total": ("Đơn vị thuộc diện phải sắp xếp", "Units that must be arranged"),
    "must_arrange_resolved": ("— đã được sắp xếp", "— arranged"),
    "must_arrange_unresolved": ("— chưa được sắp xếp", "— left alone"),
    "area_km2_min": ("Diện tích nhỏ nhất (km²)", "Smallest area (km²)"),
    "area_km2_median": ("Diện tích trung vị (km²)", "Median area (km²)"),
    "area_km2_max": ("Diện tích lớn nhất (km²)", "Largest area (km²)"),
    "population_min": ("Dân số nhỏ nhất (người)", "Smallest population"),
    "population_median": ("Dân số trung vị (người)", "Median population"),
    "population_max": ("Dân số lớn nhất (người)", "Largest population"),
    "compactness_mean": ("Độ gọn trung bình (Polsby–Popper)", "Mean compactness (Polsby–Popper)"),
    "compactness_min": ("Độ gọn thấp nhất (Polsby–Popper)", "Lowest compactness (Polsby–Popper)"),
    "seat_distance_km_max": ("Khoảng cách xa nhất đến trụ sở (km)", "Max distance to seat (km)"),
    "seat_distance_km_mean": ("Khoảng cách trung bình đến trụ sở (km)", "Mean distance to seat (km)"),
    "n_cross_parent": ("Đơn vị mới vượt ranh giới cấp huyện", "New units crossing district lines"),
    "staff_before": ("Tổng số người trước sắp xếp", "All people before"),
    "covered_staff": ("Cán bộ, công chức thuộc định mức trước sắp xếp", "Staff covered by the norm, before"),
    "staff_after": ("Định mức cán bộ, công chức sau sắp xếp", "Staff quota after"),
    "surplus_now": ("Số dôi dư khi sắp xếp", "Surplus at merger"),
    "deficit_now": ("Số chỗ còn thiếu so với định mức", "Posts short of the norm"),
    "surplus_year5": ("Số dôi dư sau 5 năm", "Surplus in year 5"),
    "departures_needed": (
        "Số phải nghỉ trước hạn đạt định mức (NQ 76/2025 Điều 11 khoản 3)",
        "Departures needed by the deadline (NQ 76/2025 Art. 11(3))",
    ),
    "cost_one_off_vnd": ("Chi phí một lần (đồng)", "One-off cost (VND)"),
    "central_support_vnd": (
        "Ngân sách trung ương hỗ trợ (NQ 76/2025 Điều 15 khoản 2, đồng)",
        "Central support (NQ 76/2025 Art. 15(2), VND)",
    ),
    "net_one_off_vnd": ("Chi phí một lần sau hỗ trợ (đồng)", "Net one-off cost (VND)"),
    "savings_per_year_vnd": (
        "Tiết kiệm tiền lương mỗi năm khi đạt định mức (đồng)",
        "Yearly salary savings (VND)",
    ),
}

#: Other texts: key -> (Vietnamese, English).
REPORT_TEXT: Final[dict[str, tuple[str, str]]] = {
    "metric": ("Chỉ tiêu", "Metric"),
    "scenario": ("Phương án", "Scenario"),
    "similarity": ("Mức tương đồng", "Similarity"),
    "ari": ("Chỉ số Rand hiệu chỉnh (ARI)", "Adjusted Rand index (ARI)"),
    "vi_bits": ("Biến thiên thông tin (VI, bit)", "Variation of information (VI, bits)"),
    "n_changed": ("Số đơn vị cũ thay đổi nhóm", "Original units grouped differently"),
    "diff": ("Khác biệt", "Differences"),
    "code": ("Mã", "Code"),
    "diff_code": ("Mã ĐVHC cũ", "Old code"),
    "diff_name": ("Tên ĐVHC cũ", "Old unit"),
    "diff_joined": ("Đơn vị nhập thêm vào cùng nhóm", "Units that joined its group"),
    "diff_left": ("Đơn vị rời khỏi nhóm", "Units that left its group"),
    "old_code": ("Mã ĐVHC cũ", "Old code"),
    "old_name": ("Tên ĐVHC cũ", "Old unit"),
    "new_unit": ("Đơn vị mới", "New unit"),
    "new_code": ("Mã đơn vị mới", "New unit id"),
    "new_name": ("Tên đơn vị mới", "New unit name"),
    "members": ("Các đơn vị hợp thành", "Member units"),
    "seat": ("Trụ sở", "Seat"),
    "seat_code": ("Mã đơn vị đặt trụ sở", "Seat unit code"),
    "district": ("Huyện/thị xã/thành phố", "District"),
    "unit_type": ("Loại", "Type"),
    "area_km2": ("Diện tích tự nhiên (km²)", "Natural area (km²)"),
    "population": ("Quy mô dân số (người)", "Population"),
    "area_pct": ("Diện tích so với tiêu chuẩn (%)", "Area, % of standard"),
    "population_pct": ("Dân số so với tiêu chuẩn (%)", "Population, % of standard"),
    "before": ("Trước sắp xếp", "Before"),
    "after": ("Sau sắp xếp", "After"),
    "total": ("Tổng cộng", "Total"),
    "stt": ("STT", "No."),
    "legend_new_units": ("Đơn vị hành chính cấp xã mới", "New commune-level units"),
    "legend_old_boundary": ("Ranh giới đơn vị cũ", "Old unit boundary"),
    "legend_seat": ("Trụ sở đơn vị mới", "Seat of the new unit"),
    "legend_changed": (
        "Đơn vị cũ được gộp khác nhau giữa các phương án",
        "Original units grouped differently between scenarios",
    ),
    "legend_units": ("Đơn vị hành chính cấp xã", "Commune-level units"),
    "legend_title": ("Chú giải", "Legend"),
    "legend_unchanged": ("Đơn vị giữ nguyên (không sắp xếp)", "Unit left unchanged"),
    "legend_new_boundary": ("Ranh giới đơn vị hành chính mới", "Boundary of a new unit"),
    "legend_district": ("Ranh giới cấp huyện cũ", "Former district boundary"),
    "legend_zoom": ("Vùng phóng to trong khung", "Area shown enlarged in the frame"),
    "legend_numbered": ("Số thứ tự tên đơn vị (xem bảng)", "Numbered name (see the key)"),
    "label_key": ("Tên các đơn vị ghi bằng số trên bản đồ:", "Names numbered on the map:"),
    "location_title": ("Vị trí trong cả nước", "Location in Viet Nam"),
    "archipelago_hoang_sa": ("QĐ. Hoàng Sa", "Hoang Sa (Paracel) Is."),
    "archipelago_truong_sa": ("QĐ. Trường Sa", "Truong Sa (Spratly) Is."),
    "map_heading": (
        "BẢN ĐỒ PHƯƠNG ÁN SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP XÃ",
        "MAP OF THE COMMUNE-LEVEL ARRANGEMENT SCENARIO",
    ),
    "map_heading_province": (
        "BẢN ĐỒ PHƯƠNG ÁN SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP XÃ {province}",
        "COMMUNE-LEVEL ARRANGEMENT SCENARIO, {province}",
    ),
    "map_scenario_line": (
        "Phương án: {title} — sau sắp xếp {n_after} đơn vị (hiện trạng {n_before} đơn vị)",
        "Scenario: {title} — {n_after} units after ({n_before} today)",
    ),
    "comparison_heading_province": (
        "SO SÁNH CÁC PHƯƠNG ÁN SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP XÃ {province}",
        "COMPARISON OF ARRANGEMENT SCENARIOS, {province}",
    ),
    "changed_vs_first": ("khác phương án {first}: {n} đơn vị cũ", "vs {first}: {n} changed"),
    "map_before": ("Hiện trạng: {n} đơn vị", "Current: {n} units"),
    "map_after": ("Sau sắp xếp: {n} đơn vị", "After: {n} units"),
    "map_title": ("Phương án sắp xếp ĐVHC cấp xã «{name}»", "Commune merger scenario “{name}”"),
    "sheet_title": ("So sánh các phương án sắp xếp", "Scenario comparison"),
    "source_note": (
        "Nguồn dữ liệu: {source}. Lập bằng sapxep, {date}.",
        "Data: {source}. Made with sapxep, {date}.",
    ),
    "dossier_title": (
        "PHỤ LỤC: DANH SÁCH ĐƠN VỊ HÀNH CHÍNH CẤP XÃ HÌNH THÀNH SAU SẮP XẾP",
        "APPENDIX: COMMUNE-LEVEL UNITS FORMED BY THE ARRANGEMENT",
    ),
    "standard": ("Tiêu chuẩn", "Standard"),
    "meets": ("Đạt", "Meets"),
    "fails": ("Chưa đạt", "Below"),
    "unchanged": ("Giữ nguyên", "Unchanged"),
    "waived": ("Miễn tiêu chuẩn", "Waived"),
    "waived_below": (
        "Chưa đạt, thuộc trường hợp không bắt buộc đạt tiêu chuẩn",
        "Below, but the criteria are waived for this merger",
    ),
    "fails_population": ("Chưa đạt dân số", "Below the population criterion"),
    "fails_area": ("Chưa đạt diện tích", "Below the area criterion"),
    "fails_both": ("Chưa đạt dân số và diện tích", "Below both criteria"),
    "people": ("người", "people"),
    "sheet_appendix": ("Phụ lục", "Appendix"),
    "sheet_arranged": ("Đơn vị sắp xếp", "Arranged units"),
    "sheet_lineage": ("Mã cũ - mới", "Lineage"),
    "sheet_metrics": ("Chỉ tiêu", "Metrics"),
    "arranged_title": (
        "DANH SÁCH ĐƠN VỊ HÀNH CHÍNH CẤP XÃ HÌNH THÀNH DO SẮP XẾP",
        "NEW UNITS FORMED BY THE ARRANGEMENT",
    ),
    "lineage_old_code": ("Mã ĐVHC cũ", "Old code"),
    "lineage_old_name": ("Tên ĐVHC cũ", "Old unit"),
    "lineage_parent_name": ("Thuộc huyện/thị xã/thành phố", "District"),
    "lineage_new_unit": ("Mã đơn vị mới", "New unit id"),
    "lineage_new_name": ("Tên đơn vị mới", "New unit name"),
    "lineage_seat_code": ("Mã đơn vị đặt trụ sở", "Seat unit code"),
    "lineage_is_seat": ("Nơi đặt trụ sở", "Seat"),
    "lineage_n_members": ("Số đơn vị hợp thành", "Members"),
    "lineage_relation": ("Hình thức", "Relation"),
    "relation_unchanged": ("Giữ nguyên", "Unchanged"),
    "relation_seat": ("Nhập, đặt trụ sở đơn vị mới", "Merged, seat of the new unit"),
    "relation_merged_into": ("Nhập vào đơn vị mới", "Merged into the new unit"),
    "status": ("Đánh giá", "Assessment"),
    "lineage": ("Quan hệ mã cũ → mới", "Old → new code lineage"),
    "proposal_title": (
        "ĐỀ ÁN SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP XÃ",
        "PROPOSAL FOR THE ARRANGEMENT OF COMMUNE-LEVEL UNITS",
    ),
    "draft": ("(Dự thảo — phương án: {name})", "(Draft — scenario: {name})"),
    "summary": ("1. Tóm tắt phương án", "1. Summary"),
    "changes": ("2. Danh sách đơn vị hành chính hình thành do nhập", "2. New units formed by merging"),
    "map": ("3. Bản đồ phương án", "3. Map"),
    "impact": ("1. Đánh giá tác động", "1. Impact"),
    "staffing": ("2. Cán bộ, công chức và chi phí", "2. Staff and costs"),
    "impact_cross_parent": (
        "- Số đơn vị mới vượt ranh giới cấp huyện cũ: {n}.",
        "- New units crossing former district lines: {n}.",
    ),
    "impact_seat_distance": (
        "- Khoảng cách theo đường thẳng từ đơn vị hợp thành đến trụ sở đơn vị mới: xa nhất {max} km, "
        "trung bình {mean} km.",
        "- Straight-line distance from member units to the new seat: at most {max} km, {mean} km on average.",
    ),
    "impact_fail": (
        "- Số đơn vị mới chưa đạt ít nhất một tiêu chuẩn (không kể trường hợp được miễn): {n}.",
        "- New units below at least one criterion (waived cases excluded): {n}.",
    ),
    "impact_must_arrange": (
        "- Đơn vị thuộc diện phải sắp xếp: {total}; còn chưa được sắp xếp trong phương án: {left}.",
        "- Units that must be arranged: {total}; left alone by the scenario: {left}.",
    ),
    "no_staffing": (
        "Chưa có kết quả tính toán cán bộ, công chức cho phương án này.",
        "No staffing results saved for this scenario.",
    ),
    "need_placeholder": (
        "[Sự cần thiết của việc sắp xếp: nêu hiện trạng, yêu cầu của địa phương — phần do cơ quan "
        "soạn thảo viết.]",
        "[Why the arrangement is needed: current situation and local requirements — for the drafter "
        "to write.]",
    ),
    "implementation_placeholder": (
        "[Tổ chức thực hiện: tiến độ, trách nhiệm của các cơ quan, kiến nghị — phần do cơ quan "
        "soạn thảo viết.]",
        "[Implementation: timetable, responsibilities, proposals — for the drafter to write.]",
    ),
    "appendix_heading": ("PHỤ LỤC", "APPENDIX"),
    "appendix_caption": (
        "Các đơn vị hành chính hình thành do nhập và mức đạt tiêu chuẩn",
        "New units formed by merging and how they meet the criteria",
    ),
    "template_note": (
        "Ghi chú của bản dự thảo: bố cục theo mẫu đề án; {source}. Số liệu do sapxep tính từ bộ dữ "
        "liệu và bộ tiêu chuẩn đã nêu.",
        "Draft note: outline after the dossier template; {source}. Figures computed by sapxep from "
        "the stated dataset and ruleset.",
    ),
    "author": ("Người lập", "Author"),
    "created": ("Ngày lập", "Created"),
    "dataset": ("Bộ dữ liệu", "Dataset"),
    "ruleset": ("Bộ tiêu chuẩn", "Ruleset"),
    "description": ("Ghi chú", "Notes"),
    "scale_km": ("km", "km"),
    "north": ("B", "N"),
}


#: Default data-source note of the bundled datasets (geodata/data/ATTRIBUTION.md).
DATA_SOURCE: Final[dict[str, str]] = {
    "vi": "ranh giới CSDL hành chính 2013 (choisy/censusVN2009, MIT); mã và tên ĐVHC: "
    "Tổng cục Thống kê; dân số: Tổng điều tra dân số 2019 (TCTK)",
    "en": "boundaries: 2013 administrative database (choisy/censusVN2009, MIT); unit codes "
    "and names: General Statistics Office; population: 2019 census (GSO)",
}
