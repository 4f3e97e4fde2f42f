"""Texts of the app's pages: key -> (Vietnamese, English)."""

from __future__ import annotations

from typing import Final

APP_TEXT: Final[dict[str, tuple[str, str]]] = {
    # key: (vi, en)
    "app_title": ("sapxep — Sắp xếp đơn vị hành chính cấp xã", "sapxep — commune merger planner"),
    "language": ("Ngôn ngữ", "Language"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "ruleset_pick": ("Bộ tiêu chuẩn (nghị quyết)", "Ruleset (resolution)"),
    "province_pick": ("Tỉnh, thành phố", "Province or city"),
    "province_all": ("Cả nước", "Whole country"),
    "level_pick": ("Cấp đơn vị hành chính", "Administrative level"),
    "workspace": ("Tệp làm việc", "Workspace"),
    "page_data": ("Dữ liệu", "Data"),
    "page_plan": ("Phương án", "Plan"),
    "page_compare": ("So sánh", "Compare"),
    "page_staffing": ("Nhân sự", "Staffing"),
    "page_export": ("Xuất tệp", "Export"),
    "data_source": ("Nguồn dữ liệu", "Data source"),
    "source_bundled": ("Dữ liệu có sẵn", "Bundled dataset"),
    "source_upload": ("Tải tệp lên", "Upload files"),
    "upload_help": (
        "Tệp ranh giới xã (GeoJSON, GeoPackage, Shapefile nén .zip, FlatGeobuf); tối đa {mb} MB.",
        "Unit boundaries (GeoJSON, GeoPackage, zipped Shapefile, FlatGeobuf); at most {mb} MB.",
    ),
    "upload_attr_help": (
        "Bảng thuộc tính (CSV/XLSX, nối theo cột code), không bắt buộc",
        "Attribute table (CSV/XLSX joined by code), optional",
    ),
    "upload_too_big": (
        "Tệp {name} lớn {size:.1f} MB, vượt giới hạn {mb} MB.",
        "File {name} is {size:.1f} MB, over the {mb} MB limit.",
    ),
    "upload_ok": ("Đã nạp {n} đơn vị từ {name}.", "Loaded {n} units from {name}."),
    "validation_report": ("Báo cáo kiểm tra dữ liệu", "Validation report"),
    "n_units": ("Số đơn vị", "Units"),
    "n_meets": ("Đạt tiêu chuẩn", "Meet the standard"),
    "n_short": ("Chưa đạt", "Fall short"),
    "n_must": ("Phải sắp xếp", "Must be arranged"),
    "n_exempt": ("Không phải sắp xếp (đặc thù)", "Exempt"),
    "cat_meets": ("Đạt tiêu chuẩn", "Meets the standard"),
    "cat_short": ("Chưa đạt (không bắt buộc)", "Falls short (not required)"),
    "cat_must": ("Phải sắp xếp", "Must be arranged"),
    "cat_exempt": ("Đặc thù, không sắp xếp", "Exempt (special factor)"),
    "hover_area": ("Diện tích", "Area"),
    "hover_pop": ("Dân số", "Population"),
    "hover_pct": ("so với tiêu chuẩn", "of standard"),
    "hover_new_unit": ("Đơn vị mới", "New unit"),
    "compliance_map": ("Bản đồ mức đạt tiêu chuẩn", "Compliance map"),
    "unit_inputs": ("Thông tin từng đơn vị (có thể sửa)", "Per-unit inputs (editable)"),
    "unit_inputs_help": (
        "Địa hình, yếu tố đặc thù và phân loại xã làm thay đổi tiêu chuẩn áp dụng. "
        "Bấm «Lưu» để ghi vào tệp làm việc.",
        "Terrain, special factors and class change the law's numbers. "
        "Press «Save» to store them in the workspace.",
    ),
    "show_tables": ("Hiện bảng sửa thông tin và bảng đánh giá", "Show the input and assessment tables"),
    "save_edits": ("Lưu thay đổi", "Save edits"),
    "edits_saved": ("Đã lưu {n} thay đổi vào tệp làm việc.", "Saved {n} edits to the workspace."),
    "edits_none": ("Không có thay đổi.", "No edits."),
    "col_exemption": ("Yếu tố đặc thù (lý do)", "Special factor (reason)"),
    "col_class": ("Loại xã", "Class"),
    "col_border": ("Biên giới", "Border"),
    "col_island": ("Hải đảo", "Island"),
    "col_coastal": ("Ven biển đặc biệt khó khăn", "Disadvantaged coastal"),
    "col_ethnic": ("Tỷ lệ dân tộc thiểu số (0–1)", "Ethnic-minority share (0–1)"),
    "col_area": ("Diện tích (km²)", "Area (km²)"),
    "assessment_table": ("Đánh giá từng đơn vị", "Per-unit assessment"),
    "no_data": ("Chưa có dữ liệu.", "No data loaded."),
    "not_ready": (
        "Chức năng này chưa sẵn sàng trong bản cài đặt hiện tại: {what}",
        "This feature is not available in this installation yet: {what}",
    ),
    # plan page
    "mode": ("Chế độ", "Mode"),
    "mode_max-units": ("Giữ nhiều đơn vị nhất (ít sáp nhập nhất)", "Keep the most units"),
    "mode_target-count": ("Số đơn vị mới cho trước", "Target number of new units"),
    "mode_repair": ("Sửa tối thiểu (chỉ đơn vị phải sắp xếp)", "Minimal repair"),
    "w_compactness": ("Trọng số: độ gọn", "Weight: compactness"),
    "w_balance": ("Trọng số: cân bằng dân số", "Weight: population balance"),
    "w_parents": ("Trọng số: giữ nguyên cấp huyện", "Weight: keep districts whole"),
    "stay_within_parent": ("Không vượt ranh giới cấp huyện", "Stay within districts"),
    "stage_load": ("nạp dữ liệu", "loading"),
    "stage_solve": ("đang giải", "solving"),
    "stage_greedy": ("phương án khởi đầu", "warm start"),
    "stage_solution": ("lời giải mới", "new solution"),
    "stage_done": ("xong", "done"),
    "stage_check": ("kiểm tra lại", "re-checking"),
    "stage_dissolve": ("gộp ranh giới", "dissolving"),
    "best_so_far": ("số đơn vị mới / cận", "new units / bound"),
    "target": ("Mục tiêu", "Target"),
    "weights": ("Trọng số", "Weights"),
    "time_limit": ("Thời gian tối đa (giây)", "Time limit (s)"),
    "locks": ("Khóa đơn vị", "Locks"),
    "lock_units": ("Giữ nguyên (không sắp xếp)", "Keep unchanged"),
    "lock_pairs": ("Bắt buộc nhập chung", "Must merge together"),
    "locked_list": ("Đang khóa {n} đơn vị: ", "{n} locked units: "),
    "pair_pending": ("Cặp nhập chung, đơn vị thứ nhất: ", "Merge pair, first unit: "),
    "lock_click_mode": ("Bấm bản đồ để", "Clicking the map"),
    "click_nothing": ("Chỉ xem", "Only inspects"),
    "click_lock": ("Khóa / mở khóa đơn vị", "Locks / unlocks a unit"),
    "click_pair": ("Chọn cặp nhập chung", "Picks a merge pair"),
    "click_edit": ("Chọn đơn vị để sửa", "Picks a unit to edit"),
    "run": ("Chạy tối ưu", "Run optimizer"),
    "cancel": ("Hủy", "Cancel"),
    "running": ("Đang tính phương án…", "Computing a plan…"),
    "cancelled": ("Đã hủy.", "Cancelled."),
    "cancelling": (
        "Đang hủy, giữ lại phương án tốt nhất đã tìm được…",
        "Cancelling, keeping the best plan found so far…",
    ),
    "cancelled_no_plan": (
        "Đã hủy trước khi tìm được phương án nào.",
        "Cancelled before any plan was found.",
    ),
    "run_cancelled": (
        "Đã hủy — phương án tốt nhất đến lúc hủy: {n} đơn vị mới.",
        "Cancelled — best plan so far: {n} new units.",
    ),
    "run_done": ("Xong: {n} đơn vị mới.", "Done: {n} new units."),
    "plan_map": ("Bản đồ phương án", "Plan map"),
    "metrics": ("Chỉ số", "Metrics"),
    "infeasible": ("Không tìm được phương án", "No plan found"),
    "check_ok": ("Phương án đạt mọi quy định.", "The plan meets every rule."),
    "check_bad": ("Phương án vi phạm {n} quy định:", "The plan breaks {n} rules:"),
    "manual_edits": ("Chỉnh sửa thủ công", "Manual edits"),
    "edit_move": ("Chuyển đơn vị", "Move a unit"),
    "edit_split": ("Tách đơn vị mới", "Split a new unit"),
    "edit_seat": ("Đổi trụ sở", "Change a seat"),
    "unit": ("Đơn vị", "Unit"),
    "to_new_unit": ("sang đơn vị mới", "to new unit"),
    "members_out": ("Các xã tách ra", "Members to split off"),
    "apply": ("Áp dụng", "Apply"),
    "undo": ("Hoàn tác", "Undo"),
    "redo": ("Làm lại", "Redo"),
    "scenario_name": ("Tên phương án", "Scenario name"),
    "save_scenario": ("Lưu phương án", "Save scenario"),
    "saved": ("Đã lưu phương án «{name}».", "Saved scenario «{name}»."),
    "no_plan": (
        "Chưa có phương án. Hãy chạy tối ưu hoặc mở một phương án đã lưu.",
        "No plan yet. Run the optimizer or open a saved scenario.",
    ),
    "open_scenario": ("Mở phương án đã lưu", "Open a saved scenario"),
    "open": ("Mở", "Open"),
    # progress and verdict in words
    "progress_start": ("Đang khởi động…", "Starting…"),
    "progress_stage_load": ("Đang nạp dữ liệu và dựng mô hình…", "Loading data and building the model…"),
    "progress_stage_solve": ("Đang tìm phương án…", "Searching for plans…"),
    "progress_stage_check": ("Đang kiểm tra lại phương án theo quy định…", "Re-checking the plan…"),
    "progress_stage_dissolve": ("Đang gộp ranh giới các đơn vị mới…", "Drawing the new units…"),
    "progress_stage_metrics": ("Đang tính các chỉ số…", "Computing the metrics…"),
    "progress_stage_done": ("Xong.", "Done."),
    "progress_first_plan": ("đã có phương án khởi đầu: {n} đơn vị mới", "first plan: {n} new units"),
    "progress_upper_bound": ("không thể giữ quá {n} đơn vị mới", "at most {n} new units are possible"),
    "progress_found": ("đã tìm được {n} phương án", "{n} plans found"),
    "progress_gap": (
        "phương án tốt nhất cách tối ưu tối đa {gap} %",
        "the best is at most {gap} % from the optimum",
    ),
    "verdict_optimal": (
        "Phương án tối ưu: đã chứng minh không có phương án tốt hơn với các thiết lập này.",
        "Optimal: no better plan exists for these settings (proven).",
    ),
    "verdict_gap": (
        "Phương án tốt; có thể còn phương án tốt hơn, chênh lệch tối đa {gap} % "
        "(tăng thời gian tối đa để thu hẹp).",
        "A good plan; a better one may exist, at most {gap} % better (allow more time to narrow it).",
    ),
    "verdict_cancelled": (
        "Phương án tốt nhất tìm được trước khi hủy; chưa chứng minh được là tối ưu.",
        "The best plan found before cancelling; not proven optimal.",
    ),
    "verdict_unknown": ("Phương án chỉnh sửa thủ công.", "A manually edited plan."),
    "verdict_rules_ok": ("Đạt mọi quy định đã chọn.", "It meets every chosen rule."),
    "verdict_rules_bad": (
        "Vi phạm {n} quy định (xem danh sách và viền đỏ trên bản đồ).",
        "It breaks {n} rules (see the list and the red outlines on the map).",
    ),
    "verdict_standards_ok": ("Mọi đơn vị mới đạt tiêu chuẩn.", "Every new unit meets the standard."),
    "verdict_standards_bad": (
        "{n} đơn vị mới chưa đạt tiêu chuẩn.",
        "{n} new units fall short of the standard.",
    ),
    "impossible": ("Thiết lập này không thể thực hiện được", "These settings cannot be met"),
    "impossible_target_high": (
        "Mục tiêu {n} đơn vị mới lớn hơn số đơn vị hiện có ({units}): giảm mục tiêu.",
        "The target of {n} new units exceeds the {units} existing units: lower the target.",
    ),
    "impossible_target_parents": (
        "Mục tiêu {n} đơn vị mới nhỏ hơn số huyện ({parents}) trong khi chọn «Không vượt ranh giới "
        "cấp huyện» (mỗi huyện giữ ít nhất một đơn vị): đặt mục tiêu từ {parents} trở lên hoặc bỏ "
        "chọn ô đó.",
        "A target of {n} new units is below the number of districts ({parents}) while staying "
        "within districts (each keeps at least one unit): set the target to {parents} or more, or "
        "untick that box.",
    ),
    "impossible_pair_parents": (
        "Cặp nhập chung {pair} thuộc hai huyện khác nhau trong khi chọn «Không vượt ranh giới cấp "
        "huyện»: bỏ cặp hoặc bỏ chọn ô đó.",
        "The merge pair {pair} spans two districts while staying within districts: drop the pair "
        "or untick that box.",
    ),
    "impossible_pair_locked": (
        "Cặp nhập chung {pair} có đơn vị đang được khóa giữ nguyên: bỏ khóa hoặc bỏ cặp.",
        "The merge pair {pair} contains a unit locked as unchanged: unlock it or drop the pair.",
    ),
    # errors in words (scenarios/app/explain.py)
    "staff_coverage_note": (
        "Định mức áp dụng cho {covered} cán bộ, công chức của bộ máy chính quyền; {outside} người khác "
        "(không thuộc định mức) được tính ở cả trước và sau sắp xếp nhưng không so với định mức. Dôi dư "
        "và thiếu tính theo từng chức danh: {surplus} người dôi dư, {deficit} chỗ còn thiếu.",
        "The norm covers {covered} cadres and civil servants of the local government; {outside} other "
        "people (outside the norm) are counted before and after but not measured against it. Surplus and "
        "shortfall are counted post by post: {surplus} surplus, {deficit} posts short.",
    ),
    "more_problems": ("Xem thêm {n} mục", "{n} more"),
    "err_details": ("Chi tiết kỹ thuật (để báo lỗi)", "Technical details (for a bug report)"),
    "err_infeasible_title": (
        "Không có phương án nào thỏa mọi điều kiện đã đặt",
        "No plan meets every setting",
    ),
    "err_infeasible_advice": (
        "Bỏ bớt khóa hoặc cặp nhập chung, bỏ chọn «Không vượt ranh giới cấp huyện», hoặc đổi mục "
        "tiêu số đơn vị.",
        "Drop some locks or merge pairs, untick «Stay within districts», or change the target.",
    ),
    "err_solver_title": (
        "Chưa tìm được phương án trong thời gian cho phép",
        "No plan found in the time allowed",
    ),
    "err_solver_advice": (
        "Tăng «Thời gian tối đa», bỏ bớt khóa hoặc cặp nhập chung, hoặc chọn chế độ «Sửa tối thiểu».",
        "Allow more time, drop some locks or merge pairs, or choose «Minimal repair».",
    ),
    "err_plan_title": ("Không thực hiện được chỉnh sửa", "The edit cannot be made"),
    "err_plan_advice": (
        "Chọn đơn vị mới giáp ranh với đơn vị cần chuyển; khi tách, giữ lại ít nhất một đơn vị.",
        "Pick a new unit that touches the unit; when splitting, leave at least one member.",
    ),
    "err_scenario_title": ("Thiết lập chưa hợp lệ", "The settings are not valid"),
    "err_scenario_advice": ("Sửa các mục được nêu rồi chạy lại.", "Fix the listed items and run again."),
    "err_data_title": ("Dữ liệu chưa hợp lệ", "The data are not valid"),
    "err_data_advice": (
        "Sửa tệp theo danh sách vấn đề (cột, dòng, mã) rồi tải lên lại.",
        "Fix the file as listed (columns, rows, codes) and upload it again.",
    ),
    "err_roster_title": ("Danh sách cán bộ chưa hợp lệ", "The staff roster is not valid"),
    "err_roster_advice": ("Sửa tệp danh sách theo các mục được nêu.", "Fix the roster file as listed."),
    "err_ruleset_title": ("Bộ tiêu chuẩn chưa hợp lệ", "The ruleset is not valid"),
    "err_ruleset_advice": (
        "Chọn bộ tiêu chuẩn khác hoặc sửa tệp.",
        "Choose another ruleset or fix its file.",
    ),
    "err_workspace_title": (
        "Không đọc hoặc ghi được tệp làm việc",
        "The workspace cannot be read or written",
    ),
    "err_workspace_advice": (
        "Kiểm tra tệp làm việc (đường dẫn ở thanh bên) hoặc chọn tên khác.",
        "Check the workspace file (path in the sidebar) or choose another name.",
    ),
    "err_name_taken_title": ("Tên phương án đã có", "The scenario name is taken"),
    "err_name_taken_advice": (
        "Chọn tên khác, hoặc bấm «Ghi đè» để thay phương án cũ.",
        "Choose another name, or press «Overwrite» to replace the old scenario.",
    ),
    "err_other_title": ("Đã xảy ra lỗi", "Something went wrong"),
    "err_other_advice": (
        "Thử lại; nếu lỗi lặp lại, gửi chi tiết kỹ thuật cho người hỗ trợ.",
        "Try again; if it recurs, send the technical details to support.",
    ),
    "draft_not_saved": (
        "Chưa lưu được bản nháp vào tệp làm việc:",
        "The draft could not be kept in the workspace:",
    ),
    # plan map and table
    "seconds": ("{s} giây", "{s} s"),
    "legend_nu_boundary": ("Ranh giới đơn vị mới", "New-unit boundary"),
    "legend_breach": ("Vi phạm quy định", "Breaks a rule"),
    "legend_edit": ("Vừa chỉnh sửa", "Just edited"),
    "legend_selected": ("Đơn vị mới đang chọn", "Selected new unit"),
    "legend_locked": ("Đơn vị khóa giữ nguyên", "Locked unit"),
    "legend_pending": ("Đơn vị thứ nhất của cặp", "First unit of the pair"),
    "legend_found": ("Kết quả tìm kiếm", "Search result"),
    "n_new_units_of": ("{n} đơn vị mới từ {m} đơn vị", "{n} new units from {m} units"),
    "search_units": ("Tìm xã, phường, thị trấn", "Find a unit"),
    "search_hint": ("gõ có dấu hoặc không dấu, ví dụ: yen luat", "with or without diacritics, e.g. yen luat"),
    "search_found": ("Tìm thấy {n}: ", "Found {n}: "),
    "show_names": ("Hiện tên", "Show names"),
    "map_colour_note": (
        "Mỗi màu là một đơn vị mới (hai đơn vị mới giáp nhau có màu khác nhau). Bấm một xã để xem "
        "đơn vị mới của nó; bấm một dòng của bảng để tô viền đơn vị mới đó trên bản đồ.",
        "Each colour is one new unit (touching new units differ). Click a unit to see its new unit; "
        "click a table row to outline that new unit on the map.",
    ),
    "new_units_table": ("Danh sách {n} đơn vị mới", "The {n} new units"),
    "n_members_of": ("gồm {n} đơn vị cũ", "{n} old units"),
    "name_taken": (
        "Đã có phương án tên «{name}». Chọn tên khác, hoặc bấm «Ghi đè» để thay phương án cũ.",
        "A scenario named «{name}» exists. Choose another name, or press «Overwrite» to replace it.",
    ),
    "overwrite": ("Ghi đè", "Overwrite"),
    "rename_unit": ("Tên đơn vị mới", "Name of the new unit"),
    "exception": ("Trường hợp đặc biệt", "Exception"),
    "exceptions_title": (
        "{n} đơn vị mới là trường hợp đặc biệt, phải báo cáo Ủy ban Thường vụ Quốc hội "
        "(NQ 76/2025 Điều 5 khoản 3):",
        "{n} new units are exceptions to report to the NA Standing Committee (Res. 76/2025 Art. 5(3)):",
    ),
    # compare page
    "compare_a": ("Phương án gốc (A)", "Baseline (A)"),
    "compare_b": ("So với phương án (B)", "Compared scenario (B)"),
    "compare_summary": ("Tóm tắt", "Summary"),
    "sum_head": ("Phương án «{b}» so với «{a}»: ", "Scenario “{b}” against “{a}”: "),
    "sum_nothing": ("Chưa có chỉ số để so sánh «{b}» với «{a}».", "No metrics to compare “{b}” with “{a}”."),
    "sum_same": ("{what}: như nhau ({v})", "{what}: the same ({v})"),
    "sum_diff": ("{what}: {v}, {word} {d} {judged}", "{what}: {v}, {d} {word} {judged}"),
    "sum_more": ("nhiều hơn", "more"),
    "mark_better": ("▲ tốt hơn", "▲ better"),
    "mark_worse": ("▼ kém hơn", "▼ worse"),
    "sum_label_n_after": ("số đơn vị sau sắp xếp", "units after the arrangement"),
    "sum_label_n_fail_any": ("số đơn vị mới chưa đạt tiêu chuẩn", "new units below the standard"),
    "sum_label_must_arrange_unresolved": (
        "số đơn vị thuộc diện phải sắp xếp nhưng chưa được sắp xếp",
        "units that must be arranged but are left alone",
    ),
    "sum_label_n_cross_parent": (
        "số đơn vị mới vượt ranh giới cấp huyện cũ",
        "new units across old district lines",
    ),
    "sum_label_seat_distance_km_max": (
        "khoảng cách xa nhất đến trụ sở (km)",
        "longest distance to the seat (km)",
    ),
    "sum_label_surplus_now": ("số cán bộ dôi dư khi sắp xếp", "surplus staff at the merger"),
    "sum_less": ("ít hơn", "fewer"),
    "sum_better": ("(tốt hơn)", "(better)"),
    "sum_worse": ("(kém hơn)", "(worse)"),
    "marks_note": (
        "Cột chênh lệch = B − A. «▲ tốt hơn»: B tốt hơn A, «▼ kém hơn»: B kém hơn A (ít đơn vị "
        "chưa đạt tiêu chuẩn, ít đơn vị vượt ranh giới huyện, khoảng cách đến trụ sở ngắn, đơn vị "
        "gọn hơn, ít dôi dư là tốt hơn). Số đơn vị sau sắp xếp không được đánh giá tốt hay kém: "
        "đó là chủ trương.",
        "Difference = B − A. «▲ better»: B better than A, «▼ worse»: B worse (fewer units below "
        "the standard, fewer units across district lines, shorter distances to the seat, more "
        "compact units, less surplus staff are better). The number of units is not judged: it is "
        "a policy choice.",
    ),
    "diff_map": ("Bản đồ khác biệt giữa A và B", "Difference map of A and B"),
    "legend_changed_fill": ("Đơn vị cũ được gộp khác nhau", "Old unit grouped differently"),
    "legend_same_fill": ("Đơn vị cũ được gộp giống nhau", "Old unit grouped alike"),
    "legend_a_boundary": ("Ranh giới đơn vị mới của A", "New-unit boundary in A"),
    "legend_b_boundary": ("Ranh giới đơn vị mới của B", "New-unit boundary in B"),
    "agreement": ("Mức giống nhau", "Agreement"),
    "agree_words": (
        "{alike} trên {n} đơn vị cũ ({pct} %) được gộp giống nhau ở A và B; {changed} đơn vị cũ được "
        "gộp khác nhau (tô đỏ trên bản đồ).",
        "{alike} of {n} old units ({pct} %) are grouped alike in A and B; {changed} are grouped "
        "differently (red on the map).",
    ),
    "agree_other_data": (
        "Hai phương án dùng hai bộ dữ liệu khác nhau: không so từng đơn vị được.",
        "The two scenarios use different datasets: units cannot be matched.",
    ),
    "agree_stats": ("Chỉ số thống kê về mức giống nhau", "Agreement statistics"),
    "agree_stats_help": (
        "Chỉ số Rand hiệu chỉnh (ARI): 1 là hai phương án gộp y hệt nhau, 0 là giống nhau không hơn "
        "ngẫu nhiên. Biến thiên thông tin (VI, bit): 0 là y hệt, càng lớn càng khác.",
        "Adjusted Rand index (ARI): 1 means identical groupings, 0 no more alike than chance. "
        "Variation of information (VI, bits): 0 means identical, larger means more different.",
    ),
    "each_map": ("Bản đồ từng phương án", "Each scenario's map"),
    "manage": ("Quản lý phương án đã lưu", "Manage saved scenarios"),
    "search_scenarios": ("Tìm phương án", "Find a scenario"),
    "rename": ("Đổi tên", "Rename"),
    "duplicate": ("Nhân bản", "Duplicate"),
    "delete": ("Xóa", "Delete"),
    "rename_to": ("Tên mới", "New name"),
    "confirm_delete": ("Tôi chắc chắn muốn xóa «{name}»", "I am sure I want to delete “{name}”"),
    "renamed": ("Đã đổi tên thành «{name}».", "Renamed to “{name}”."),
    "duplicated": ("Đã tạo bản sao «{name}».", "Copied as “{name}”."),
    "deleted": ("Đã xóa «{name}».", "Deleted “{name}”."),
    "copy_suffix": ("(bản sao)", "(copy)"),
    "n_units_short": ("{n} đơn vị", "{n} units"),
    "no_class": ("Chưa phân loại", "Not classified"),
    "uploader_drop": ("Kéo thả tệp vào đây", "Drag and drop a file here"),
    "uploader_browse": ("Chọn tệp", "Browse files"),
    # staffing page
    "structure": ("Cơ cấu tổ chức", "Organisation structure"),
    "roster_help": ("Tệp danh sách cán bộ (CSV hoặc Excel)", "Staff roster file (CSV or Excel)"),
    "estimated_roster": (
        "SỐ LIỆU ƯỚC TÍNH: chưa có danh sách cán bộ thật, dùng danh sách mô phỏng theo định mức.",
        "ESTIMATED FIGURES: no real staff roster; a simulated roster built from the quotas is used.",
    ),
    "method_notes": ("Ghi chú về phương pháp và giả định", "Notes on the method and assumptions"),
    "save_staffing": ("Lưu kết quả nhân sự vào phương án", "Save the staffing results with the scenario"),
    "redeploy_caption": (
        "{n} người cần điều động sang đơn vị khác (chỉ xét nơi cách tối đa {km} km).",
        "{n} people to redeploy to another unit (only places within {km} km are considered).",
    ),
    # compare / staffing / export
    "scenarios_pick": ("Chọn 2–4 phương án", "Pick 2–4 scenarios"),
    "import_history": ("Nhập quyết định 2019→2020 (NQ 828)", "Import the 2019→2020 decision (NQ 828)"),
    "imported": ("Đã nhập «{name}».", "Imported «{name}»."),
    "differences": ("Khác biệt", "Differences"),
    "diff_legend": (
        "Viền đỏ: {n} đơn vị cũ được gộp khác nhau giữa các phương án (màu xám: giống nhau).",
        "Red outline: {n} original units grouped differently (grey: grouped alike).",
    ),
    "no_scenarios": ("Chưa có phương án nào được lưu.", "No saved scenarios yet."),
    "org_chart": ("Sơ đồ tổ chức", "Org chart"),
    "quotas": ("Định mức và dôi dư", "Quotas and surplus"),
    "projection": ("Dự báo 5 năm", "5-year projection"),
    "redeployment": ("Danh sách bố trí lại", "Redeployment list"),
    "roster": ("Danh sách cán bộ (tệp)", "Staff roster (file)"),
    "downloads": ("Tải về", "Downloads"),
    "choose": ("Chọn…", "Choose…"),
    "exp_map_pdf": ("Bản đồ phương án (PDF)", "Plan map (PDF)"),
    "exp_map_png": ("Bản đồ phương án (PNG)", "Plan map (PNG)"),
    "exp_map_svg": ("Bản đồ phương án (SVG)", "Plan map (SVG)"),
    "exp_before_after_pdf": ("Bản đồ trước/sau (PDF)", "Before/after map (PDF)"),
    "exp_gpkg": ("GeoPackage (QGIS)", "GeoPackage (QGIS)"),
    "exp_geojson": ("GeoJSON", "GeoJSON"),
    "exp_shp": ("Shapefile (.zip)", "Shapefile (.zip)"),
    "exp_kml": ("KML (Google Earth)", "KML (Google Earth)"),
    "exp_xlsx": ("Phụ lục Excel (hồ sơ đề án)", "Excel appendix (dossier)"),
    "exp_docx": ("Dự thảo đề án (Word)", "Draft proposal (Word)"),
    "exp_plan_csv": ("Bảng phương án plan.csv", "Plan table plan.csv"),
    "exp_compare_pdf": ("Bảng so sánh các phương án (PDF)", "Comparison sheet (PDF)"),
    "exp_missing": ("chưa cài đặt", "not installed"),
    "exp_compare_pick": ("So sánh với (cùng bộ dữ liệu)", "Compare with (same dataset)"),
    "download": ("Tải {what}", "Download {what}"),
}
