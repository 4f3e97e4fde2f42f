"""Pure helpers for the Streamlit UI: texts, GeoJSON for Plotly, map categories, manual edits.

Nothing here imports streamlit; the app (``app.py``, ``app_pages/``) turns widgets into calls of
these functions and of the rest of :mod:`scenarios`, then renders the results.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
import pandas as pd

from sapxep.units.errors import SapxepError
from sapxep.units.plan import MergePlan, default_seat
from sapxep.units.plan_edit import (  # noqa: F401 - re-exported for the app's pages
    move_unit,
    neighbouring_new_units,
    plans_equal,
    set_seat,
    split_new_unit,
)

logger = logging.getLogger(__name__)


#: The dataset and ruleset the app opens with.
DEFAULT_DATASET: Final[str] = "phu_tho_2023"
DEFAULT_RULESET: Final[str] = "nq35_2023"
#: Datasets offered in the app (the nationwide file is for per-province CLI runs).
APP_DATASETS: Final[tuple[str, ...]] = ("phu_tho_2023", "phu_tho_2019")

#: Per-unit inputs the user may edit (they change the law's numbers), with their kinds.
EDITABLE_COLUMNS: Final[dict[str, str]] = {
    "terrain": "choice",
    "commune_class": "choice",
    "exemption_reason": "text",
    "border": "bool",
    "island": "bool",
    "coastal_disadvantaged": "bool",
    "ethnic_minority_share": "float",
}

#: Map categories of the compliance map, in legend order.
COMPLIANCE_CATEGORIES: Final[tuple[str, ...]] = ("meets", "short", "must", "exempt")
COMPLIANCE_COLOURS: Final[dict[str, str]] = {
    "meets": "#2e7d32",
    "short": "#f9a825",
    "must": "#c62828",
    "exempt": "#78909c",
}

#: A qualitative palette for new units (neighbouring new units get different colours).
GROUP_PALETTE: Final[tuple[str, ...]] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)

# ---------------------------------------------------------------------------------------------
# UI texts (Vietnamese by default, English on request)
# ---------------------------------------------------------------------------------------------

UI_TEXT: Final[dict[str, tuple[str, str]]] = {
    # key: (vi, en)
    "app_title": ("sapxep — Sắp xếp đơn vị hành chính cấp xã", "sapxep — commune merger planner"),
    "language": ("Ngôn ngữ", "Language"),
    "dataset": ("Bộ dữ liệu", "Dataset"),
    "ruleset": ("Bộ tiêu chuẩn (nghị quyết)", "Ruleset (resolution)"),
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
    "col_code": ("Mã", "Code"),
    "col_name": ("Tên", "Name"),
    "col_terrain": ("Địa hình", "Terrain"),
    "col_exemption": ("Yếu tố đặc thù (lý do)", "Special factor (reason)"),
    "col_class": ("Loại xã", "Class"),
    "col_border": ("Biên giới", "Border"),
    "col_island": ("Hải đảo", "Island"),
    "col_coastal": ("Ven biển đặc biệt khó khăn", "Disadvantaged coastal"),
    "col_ethnic": ("Tỷ lệ dân tộc thiểu số (0–1)", "Ethnic-minority share (0–1)"),
    "terrain_lowland": ("Đồng bằng", "Lowland"),
    "terrain_mountainous": ("Miền núi", "Mountainous"),
    "col_area": ("Diện tích (km²)", "Area (km²)"),
    "col_population": ("Dân số", "Population"),
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
    "new_unit": ("Đơn vị mới", "New unit"),
    "members_out": ("Các xã tách ra", "Members to split off"),
    "seat": ("Trụ sở", "Seat"),
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
    "scenario": ("Phương án", "Scenario"),
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


def tr(key: str, lang: str = "vi", /, **values: object) -> str:
    """Return the UI text ``key`` in ``lang`` with ``values`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`UI_TEXT`; an unknown key is returned as is (so a missing text shows up
        in the UI instead of crashing it).
    lang : {"vi", "en"}
        Language; anything but ``"en"`` gives Vietnamese.
    **values
        Fields for ``str.format``.

    Returns
    -------
    str
    """
    pair = UI_TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


# ---------------------------------------------------------------------------------------------
# GeoJSON for Plotly choropleths
# ---------------------------------------------------------------------------------------------


def units_geojson(gdf: Any, *, id_column: str = "code", decimals: int = 5) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection of ``gdf`` with ``feature.id`` = ``id_column``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Units (or dissolved new units); reprojected to EPSG:4326 if needed.
    id_column : str, default "code"
        Column whose values become the feature ids (Plotly ``featureidkey="id"``).
    decimals : int, default 5
        Coordinates are rounded to this many decimals (about 1 m) to keep the page light.

    Returns
    -------
    dict
        GeoJSON with only ``id`` on each feature (no properties).

    Raises
    ------
    KeyError
        If ``id_column`` is missing.
    """
    import shapely

    if id_column not in gdf.columns:
        raise KeyError(f"column '{id_column}' is missing; the GeoJSON needs it as feature id")
    g = gdf[[id_column, "geometry"]]
    if g.crs is not None and g.crs.to_epsg() != 4326:
        g = g.to_crs(4326)
    geoms = shapely.set_precision(g.geometry.to_numpy(), 10.0**-decimals, mode="pointwise")
    features = []
    for uid, geom in zip(g[id_column].astype(str), geoms, strict=True):
        if geom is None or geom.is_empty:
            continue
        features.append({"type": "Feature", "id": uid, "properties": {}, "geometry": geom.__geo_interface__})
    # round-trip through json so the dict holds plain lists (hashable for caching, small)
    return json.loads(json.dumps({"type": "FeatureCollection", "features": features}))


# ---------------------------------------------------------------------------------------------
# Map categories
# ---------------------------------------------------------------------------------------------


def compliance_category(assessment: pd.DataFrame) -> pd.Series:
    """Return each unit's compliance map category.

    Parameters
    ----------
    assessment : pandas.DataFrame
        The output of :func:`sapxep.units.assessment.assess_units` (columns ``meets_standard``,
        ``must_arrange``, ``exempt``).

    Returns
    -------
    pandas.Series
        Same index, values in :data:`COMPLIANCE_CATEGORIES`: ``must`` (must be arranged and
        not exempt), ``exempt`` (a special factor or an earlier arrangement exempts it),
        ``meets`` (meets the standard), ``short`` (falls short, not required to merge).
    """

    def flag(col: str) -> pd.Series:
        if col not in assessment.columns:
            return pd.Series(False, index=assessment.index)
        return assessment[col].fillna(False).astype(bool)

    must, exempt, meets = flag("must_arrange"), flag("exempt"), flag("meets_standard")
    out = pd.Series("short", index=assessment.index, dtype=object, name="category")
    out[meets] = "meets"
    out[exempt] = "exempt"
    out[must & ~exempt] = "must"
    return out


def group_colours(assignment: pd.Series, graph: nx.Graph | None = None) -> pd.Series:
    """Return a palette index per original unit so that neighbouring new units differ.

    Parameters
    ----------
    assignment : pandas.Series
        Original code -> new-unit id.
    graph : networkx.Graph, optional
        Adjacency of the original units; without it new units get colours in id order.

    Returns
    -------
    pandas.Series
        Original code -> integer in ``range(len(GROUP_PALETTE))``.
    """
    groups = sorted(set(assignment.astype(str)))
    n = len(GROUP_PALETTE)
    if graph is None:
        colour = {g: i % n for i, g in enumerate(groups)}
    else:
        quotient = nx.Graph()
        quotient.add_nodes_from(groups)
        a = assignment.astype(str)
        for u, v in graph.edges():
            gu, gv = a.get(str(u)), a.get(str(v))
            if gu is not None and gv is not None and gu != gv:
                quotient.add_edge(gu, gv)
        raw = nx.greedy_color(quotient, strategy="largest_first")
        colour = {g: c % n for g, c in raw.items()}
    return assignment.astype(str).map(colour).astype(int)


def differing_units(assignments: Iterable[pd.Series]) -> pd.Index:
    """Return the codes whose co-members differ between plans.

    A unit "differs" when the set of original units it is grouped with is not the same in every
    plan (renaming the new units does not count).

    Parameters
    ----------
    assignments : iterable of pandas.Series
        Original code -> new-unit id, one per plan (on the same original units).

    Returns
    -------
    pandas.Index
        Sorted codes.
    """
    member_sets: list[dict[str, frozenset[str]]] = []
    for a in assignments:
        a = a.astype(str)
        groups: dict[str, set[str]] = {}
        for code, g in a.items():
            groups.setdefault(g, set()).add(str(code))
        member_sets.append({str(c): frozenset(groups[g]) for c, g in a.items()})
    if not member_sets:
        return pd.Index([], dtype=object)
    codes = set(member_sets[0])
    for m in member_sets[1:]:
        codes &= set(m)
    diff = [c for c in codes if len({m[c] for m in member_sets}) > 1]
    return pd.Index(sorted(diff), dtype=object)


# ---------------------------------------------------------------------------------------------
# Manual edits of a plan (each returns a new MergePlan; inputs are never mutated)
# ---------------------------------------------------------------------------------------------


# The operations live in :mod:`sapxep.units.plan_edit` (imported above for the app's pages).


# ---------------------------------------------------------------------------------------------
# Long work in a background thread (the page polls it; map clicks never re-run it)
# ---------------------------------------------------------------------------------------------


class JobCancelled(Exception):  # noqa: N818 - a signal, not an error
    """Raised inside a non-cooperative :class:`BackgroundJob` after the user pressed cancel."""


@dataclass
class BackgroundJob:
    """A function running in a daemon thread, with progress, result and cancellation.

    The function is called as ``fn(*args, on_progress=job.report, **kwargs)``. ``report``
    stores the latest progress event. Cancellation comes in two kinds:

    - cooperative (``start(stop_kw=...)``): the function also gets ``cancel_event.is_set``
      (thread-safe) as its stop callback, polls it, and ends on its own terms, e.g. returning
      the best result found so far; ``report`` never raises.
    - otherwise, once :meth:`cancel` was called ``report`` raises :class:`JobCancelled`,
      which stops the function at its next progress report (CP-SAT passes the exception out
      of its solution callback and stops the search); any partial result is lost.

    Attributes
    ----------
    fn : callable
    args, kwargs : tuple, dict
    progress : object
        The latest progress event (whatever the function reports).
    result : object
        The return value once done.
    error : Exception or None
        The exception the function raised, if any.
    cooperative : bool
        True when the function was given a stop callback (see :meth:`start`).
    """

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    progress: Any = None
    result: Any = None
    error: Exception | None = None
    started_at: float = 0.0
    finished_at: float = 0.0
    cancel_event: threading.Event = field(default_factory=threading.Event)
    cooperative: bool = False
    _thread: threading.Thread | None = None
    _done: threading.Event = field(default_factory=threading.Event)

    def start(self, *, progress_kw: str | None = "on_progress", stop_kw: str | None = None) -> BackgroundJob:
        """Start the thread (once) and return self.

        Parameters
        ----------
        progress_kw : str or None, default "on_progress"
            Keyword under which the function gets :meth:`report` (None: not passed).
        stop_kw : str or None, default None
            Keyword under which the function gets a thread-safe stop callback
            (``cancel_event.is_set``); the job is then :attr:`cooperative` and :meth:`report`
            no longer raises :class:`JobCancelled`.
        """
        if self._thread is not None:
            return self
        kwargs = dict(self.kwargs)
        if progress_kw:
            kwargs[progress_kw] = self.report
        if stop_kw:
            kwargs[stop_kw] = self.cancel_event.is_set
            self.cooperative = True

        def target() -> None:
            try:
                self.result = self.fn(*self.args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - handed to the UI thread, shown there
                self.error = exc
            finally:
                self.finished_at = time.monotonic()
                self._done.set()

        self.started_at = time.monotonic()
        self._thread = threading.Thread(target=target, name="sapxep-job", daemon=True)
        self._thread.start()
        return self

    def report(self, event: Any = None) -> None:
        """Store a progress event (a dict is merged into the previous one).

        Raises
        ------
        JobCancelled
            Once :meth:`cancel` was called, unless the job is :attr:`cooperative`.
        """
        if self.cancel_event.is_set() and not self.cooperative:
            raise JobCancelled("cancelled by the user")
        if isinstance(event, Mapping):
            merged = dict(self.progress) if isinstance(self.progress, Mapping) else {}
            merged.update(event)
            self.progress = merged
        else:
            self.progress = event

    def cancel(self) -> None:
        """Ask the job to stop (at its next stop poll, or else its next progress report)."""
        self.cancel_event.set()

    @property
    def done(self) -> bool:
        """True once the function returned or raised."""
        return self._done.is_set()

    @property
    def cancelled(self) -> bool:
        """True once :meth:`cancel` was called."""
        return self.cancel_event.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until done (or ``timeout_s``); return :attr:`done`."""
        return self._done.wait(timeout_s)

    @property
    def elapsed_s(self) -> float:
        """Seconds since start (until the end once done)."""
        if not self.started_at:
            return 0.0
        end = self.finished_at if self.done else time.monotonic()
        return end - self.started_at


# ---------------------------------------------------------------------------------------------
# Outlines and extents for maps
# ---------------------------------------------------------------------------------------------


def boundary_lines(gdf: Any, *, decimals: int = 5) -> tuple[list[float | None], list[float | None]]:
    """Return the polygon outlines of ``gdf`` as Plotly line coordinates.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons (e.g. dissolved new units); reprojected to EPSG:4326 if needed.
    decimals : int, default 5
        Rounding of the coordinates.

    Returns
    -------
    (lons, lats) : tuple of lists
        Rings joined with ``None`` separators (one ``go.Scattergeo`` trace draws them all).
    """
    import shapely

    g = gdf if gdf.crs is None or gdf.crs.to_epsg() == 4326 else gdf.to_crs(4326)
    lons: list[float | None] = []
    lats: list[float | None] = []
    for geom in g.geometry:
        if geom is None or geom.is_empty:
            continue
        bnd = shapely.get_parts(geom.boundary)
        for ring in bnd:
            xy = shapely.get_coordinates(ring).round(decimals)
            lons.extend(xy[:, 0].tolist())
            lats.extend(xy[:, 1].tolist())
            lons.append(None)
            lats.append(None)
    return lons, lats


def lonlat_extent(*gdfs: Any) -> tuple[float, float, float, float]:
    """Return the common (minx, miny, maxx, maxy) of the given layers in degrees."""
    boxes = []
    for g in gdfs:
        g = g if g.crs is None or g.crs.to_epsg() == 4326 else g.to_crs(4326)
        boxes.append(g.total_bounds)
    return (
        float(min(b[0] for b in boxes)),
        float(min(b[1] for b in boxes)),
        float(max(b[2] for b in boxes)),
        float(max(b[3] for b in boxes)),
    )


# ---------------------------------------------------------------------------------------------
# Per-unit edits (terrain, special factors, class) stored in the workspace
# ---------------------------------------------------------------------------------------------


def editable_frame(units: pd.DataFrame) -> pd.DataFrame:
    """Return the editable per-unit inputs: ``code, name`` and :data:`EDITABLE_COLUMNS`.

    Parameters
    ----------
    units : pandas.DataFrame
        Units table.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``; missing columns get their schema default.
    """
    out = pd.DataFrame({"name": units["name"].astype(str).to_numpy()}, index=units["code"].astype(str))
    out.index.name = "code"
    for col, kind in EDITABLE_COLUMNS.items():
        if col in units.columns:
            vals = units[col].to_numpy()
        else:
            vals = {"bool": False, "float": float("nan")}.get(kind, "")
        out[col] = vals
    for col, kind in EDITABLE_COLUMNS.items():
        if kind == "bool":
            out[col] = out[col].fillna(False).astype(bool)
        elif kind == "float":
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
        else:
            out[col] = out[col].fillna("").astype(str)
    return out


def diff_unit_edits(original: pd.DataFrame, edited: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of ``edited`` whose editable inputs differ from ``original``.

    Parameters
    ----------
    original, edited : pandas.DataFrame
        Both from :func:`editable_frame` (same index).

    Returns
    -------
    pandas.DataFrame
        Changed rows only, columns :data:`EDITABLE_COLUMNS`.
    """
    cols = list(EDITABLE_COLUMNS)
    a = original.reindex(edited.index)[cols]
    b = edited[cols]
    changed = pd.Series(False, index=b.index)
    for c in cols:
        x, y = a[c], b[c]
        if EDITABLE_COLUMNS[c] == "float":
            same = (x == y) | (x.isna() & y.isna())
        else:
            same = x.astype(str) == y.astype(str)
        changed |= ~same.fillna(False).astype(bool)
    return b[changed]


def apply_unit_edits(units: Any, edits: pd.DataFrame | None) -> Any:
    """Return a copy of ``units`` with per-unit edits applied (``units`` is not mutated).

    Edited terrain sets ``terrain_source = "data"``.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Units table.
    edits : pandas.DataFrame or None
        Indexed by code, columns among :data:`EDITABLE_COLUMNS`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``units`` itself when there are no edits, else an edited copy.
    """
    if edits is None or edits.empty:
        return units
    out = units.copy()
    pos = pd.Series(range(len(out)), index=out["code"].astype(str))
    rows = pos.reindex(edits.index).dropna().astype(int)
    for col in edits.columns:
        if col not in EDITABLE_COLUMNS:
            continue
        vals = edits.loc[rows.index, col].to_numpy()
        if col not in out.columns:
            out[col] = {"bool": False, "float": float("nan")}.get(EDITABLE_COLUMNS[col], "")
        out.iloc[rows.to_numpy(), out.columns.get_loc(col)] = vals
    if "terrain" in edits.columns and "terrain_source" in out.columns:
        changed = out["terrain"].astype(str).to_numpy() != units["terrain"].astype(str).to_numpy()
        out.loc[changed, "terrain_source"] = "data"
    return out


def read_unit_edits(workspace: Any, dataset: str, base: pd.DataFrame) -> pd.DataFrame:
    """Return the per-unit edits of ``dataset`` stored in ``workspace`` (empty if none).

    The edited units table is stored as the workspace's units of ``dataset``; the edits are
    its differences from ``base`` in :data:`EDITABLE_COLUMNS`.
    """
    try:
        if not workspace.has_units(dataset):
            return editable_frame(base).iloc[:0][list(EDITABLE_COLUMNS)]
        stored = workspace.units(dataset)
    except SapxepError as exc:  # an unreadable workspace means "no edits" here
        logger.warning("cannot read unit edits of %s: %s", dataset, exc)
        return editable_frame(base).iloc[:0][list(EDITABLE_COLUMNS)]
    orig = editable_frame(base)
    new = editable_frame(stored)
    new = new[new.index.isin(orig.index)]
    return diff_unit_edits(orig, new)


def save_unit_edits(workspace: Any, dataset: str, units: Any) -> None:
    """Store the (edited) units table of ``dataset`` in the workspace, replacing older edits."""
    workspace.put_units(dataset, units, replace=True)


def adjacency_graph(units: Any) -> nx.Graph:
    """Return the adjacency graph of the units (islands are linked to their nearest unit)."""
    from sapxep.geodata.adjacency import build_adjacency

    return build_adjacency(units, island_policy="links")


def ruleset_names() -> list[str]:
    """Return the bundled ruleset names, the default first."""
    from sapxep.units.rules import list_rulesets

    names = list(list_rulesets())
    return sorted(names, key=lambda n: (n != DEFAULT_RULESET, n))


# ---------------------------------------------------------------------------------------------
# Uploads and hover texts
# ---------------------------------------------------------------------------------------------


def check_upload_sizes(files: Iterable[tuple[str, int]], *, max_mb: float, lang: str = "vi") -> list[str]:
    """Return one message per file larger than ``max_mb`` megabytes.

    Parameters
    ----------
    files : iterable of (name, size_bytes)
    max_mb : float
    lang : {"vi", "en"}

    Returns
    -------
    list of str
    """
    out = []
    for name, size in files:
        mb = size / 1e6
        if mb > max_mb:
            out.append(tr("upload_too_big", lang, name=name, size=mb, mb=max_mb))
    return out


def read_uploaded_units(
    units_file: tuple[str, bytes], attributes_file: tuple[str, bytes] | None = None
) -> Any:
    """Read an uploaded unit file (and optional attribute table) into a units table.

    The bytes are written to a temporary folder and read with :func:`sapxep.geodata.io.read_units`,
    which validates everything and raises one error listing every problem.

    Parameters
    ----------
    units_file : (name, bytes)
        GeoJSON, GeoPackage, zipped Shapefile or FlatGeobuf.
    attributes_file : (name, bytes), optional
        CSV or XLSX joined by ``code``.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    DataValidationError
        With every problem found.
    """
    import tempfile
    from pathlib import Path

    from sapxep.geodata.io import read_units

    with tempfile.TemporaryDirectory(prefix="sapxep-upload-") as tmp:
        name, data = units_file
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        attr_path = None
        if attributes_file is not None:
            attr_path = Path(tmp) / ("attr-" + Path(attributes_file[0]).name)
            attr_path.write_bytes(attributes_file[1])
        return read_units(path, attributes=attr_path, island_policy="links")


def _fmt_num(x: float, decimals: int, lang: str) -> str:
    if x != x:  # NaN
        return "—"
    s = f"{x:,.{decimals}f}"
    if lang == "en":
        return s
    return s.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def unit_hover(units: pd.DataFrame, assessment: pd.DataFrame | None, lang: str = "vi") -> pd.Series:
    """Return the HTML hover text of each unit: name, area, population, % of standard.

    Parameters
    ----------
    units : pandas.DataFrame
        Units table.
    assessment : pandas.DataFrame, optional
        :func:`sapxep.units.assessment.assess_units` output (adds the % of standard).
    lang : {"vi", "en"}

    Returns
    -------
    pandas.Series
        Indexed by code.
    """
    u = units.set_index(units["code"].astype(str))
    a = assessment.reindex(u.index) if assessment is not None else None
    out = {}
    for code, rec in u.iterrows():
        area, pop = float(rec["area_km2"]), float(rec["population"])
        line_a = f"{tr('hover_area', lang)}: {_fmt_num(area, 2, lang)} km²"
        line_p = f"{tr('hover_pop', lang)}: {_fmt_num(pop, 0, lang)}"
        if a is not None and "area_pct" in a.columns:
            line_a += f" ({_fmt_num(float(a.at[code, 'area_pct']), 0, lang)}% {tr('hover_pct', lang)})"
            line_p += f" ({_fmt_num(float(a.at[code, 'population_pct']), 0, lang)}% {tr('hover_pct', lang)})"
        out[code] = f"<b>{rec['name']}</b> ({code})<br>{line_a}<br>{line_p}"
    return pd.Series(out, dtype=object)


# ---------------------------------------------------------------------------------------------
# Scenario configuration from the plan page's widgets, and the run
# ---------------------------------------------------------------------------------------------


def plan_config(
    *,
    dataset: str,
    ruleset: str,
    mode: str = "max-units",
    target: int | tuple[int, int] | None = None,
    compactness: float = 0.0,
    balance: float = 0.0,
    parents: float = 0.0,
    time_limit_s: float = 10.0,
    locks: Iterable[str] = (),
    forced_pairs: Iterable[tuple[str, str]] = (),
    stay_within_parent: bool = True,
    num_workers: int = 2,
    title: str = "",
) -> Any:
    """Return the :class:`sapxep.scenarios.config.ScenarioConfig` of the plan page's choices.

    The config is validated like a scenario file (every problem raised at once).

    Raises
    ------
    ScenarioError
        With every problem of the choices.
    """
    from sapxep.scenarios.config import scenario_from_dict

    d: dict[str, Any] = {
        "title": title or f"{dataset} / {ruleset} / {mode}",
        "data": {"dataset": dataset} if not dataset.startswith("upload:") else {},
        "rules": {"name": ruleset},
        "plan": {
            "mode": mode,
            "stay_within_parent": bool(stay_within_parent),
            "locks": sorted({str(c) for c in locks}),
            "forced_pairs": [list(p) for p in forced_pairs],
        },
        "objective": {"compactness": compactness, "balance": balance, "parents": parents},
        "solver": {"time_limit_s": float(time_limit_s), "num_workers": int(num_workers)},
    }
    if mode == "target-count" and target is not None:
        d["plan"]["target"] = list(target) if isinstance(target, tuple) else int(target)
    if dataset.startswith("upload:"):
        d["data"] = {"units_file": dataset.removeprefix("upload:")}
    return scenario_from_dict(d)


def run_plan(
    config: Any,
    units: Any,
    graph: nx.Graph,
    ruleset: Any,
    *,
    on_progress: Any = None,
    should_stop: Callable[[], bool] | None = None,
) -> Any:
    """Run the optimizer on the given (possibly edited) units (see ``run_scenario``).

    Parameters
    ----------
    on_progress : callable, optional
        Receives the progress dicts.
    should_stop : callable, optional
        Thread-safe cancellation (e.g. ``threading.Event().is_set``): once true the search
        stops and the best plan so far is returned with ``metrics["cancelled"] is True``.

    Returns
    -------
    scenarios.run.scenario.RunResult

    Raises
    ------
    SolverError
        Among others: cancelled before any plan was found.
    """
    from sapxep.scenarios.run.scenario import prepare_scenario, run_scenario

    if on_progress is not None:
        on_progress({"event": "stage", "stage": "load"})
    prep = prepare_scenario(config, units=units, graph=graph, ruleset=ruleset)
    return run_scenario(config, on_progress=on_progress, prepared=prep, should_stop=should_stop)


def progress_fraction(event: Mapping[str, Any] | None, elapsed_s: float, time_limit_s: float) -> float:
    """Return a 0..1 progress estimate from the latest progress event and the time spent."""
    if not event:
        return 0.02
    stage = event.get("stage")
    if event.get("event") == "done" or stage in ("check", "dissolve"):
        return 0.97
    frac = 0.05 + 0.9 * min(1.0, elapsed_s / max(time_limit_s, 0.1))
    return float(min(0.95, frac))


def plan_key(plan: MergePlan) -> str:
    """Return a short hash identifying a plan's grouping and seats (a cache key)."""
    import hashlib

    return hashlib.sha1(plan.to_frame().to_csv(index=False).encode()).hexdigest()[:16]


def new_unit_labels(plan: MergePlan, units: pd.DataFrame) -> dict[str, str]:
    """Return new-unit id -> a readable label: its name (or the seat's name) and member count."""
    names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    pop = dict(zip(units["code"].astype(str), units["population"], strict=True))
    out = {}
    for g, members in plan.groups.items():
        seat = plan.seats.get(g) or default_seat(members, pop)
        base = plan.names.get(g) or names.get(seat, seat)
        out[g] = f"{base} [{g}] ({len(members)})"
    return out


def plan_hover(plan: MergePlan, units: pd.DataFrame, lang: str = "vi") -> pd.Series:
    """Return the hover text of each original unit on a plan map."""
    u = units.set_index(units["code"].astype(str))
    a = plan.assignment.astype(str)
    pop = u["population"].astype(float).groupby(a.reindex(u.index)).sum()
    area = u["area_km2"].astype(float).groupby(a.reindex(u.index)).sum()
    labels = new_unit_labels(plan, units)
    out = {}
    for code in u.index:
        g = a.get(code, "")
        seat = " ★" if plan.seats.get(g) == code else ""
        out[code] = (
            f"<b>{u.at[code, 'name']}</b> ({code}){seat}<br>"
            f"{tr('hover_new_unit', lang)}: {labels.get(g, g)}<br>"
            f"{tr('hover_area', lang)}: {_fmt_num(float(area.get(g, float('nan'))), 2, lang)} km²"
            f" · {tr('hover_pop', lang)}: {_fmt_num(float(pop.get(g, float('nan'))), 0, lang)}"
        )
    return pd.Series(out, dtype=object)


def dissolve(units: Any, plan: MergePlan) -> Any:
    """Return the dissolved new units of a plan (:func:`sapxep.geodata.dissolve.dissolve_plan`)."""
    from sapxep.geodata.dissolve import dissolve_plan

    return dissolve_plan(units, plan)


def check(units: Any, plan: MergePlan, ruleset: Any, graph: nx.Graph, *, lang: str = "vi") -> Any:
    """Re-check a plan against the rules (:func:`sapxep.units.checks.check_plan`), messages in ``lang``."""
    from sapxep.units.checks import check_plan

    return check_plan(
        units, plan, ruleset, graph=graph, seats=plan.seats or None, lang="en" if lang == "en" else "vi"
    )


def comparison_metrics(
    units: Any, plan: MergePlan, ruleset: Any, graph: nx.Graph, new_units: Any
) -> dict[str, Any]:
    """Return the comparison metrics of a plan (:func:`sapxep.scenarios.analysis.metrics.plan_metrics`)."""
    from sapxep.scenarios.analysis.metrics import plan_metrics

    return plan_metrics(units, plan, ruleset=ruleset, graph=graph, new_units=new_units)


def metrics_frame(metrics: Mapping[str, Any], lang: str = "vi") -> pd.DataFrame:
    """Return metrics as a two-column table (label, value) in display order."""
    from sapxep.scenarios.analysis.metrics import METRIC_KEYS
    from sapxep.scenarios.i18n import metric_label

    rows = []
    for k in METRIC_KEYS:
        v = metrics.get(k)
        if v is None:
            continue
        rows.append({"metric": metric_label(k, lang), "value": _fmt_value(v, lang)})
    out = pd.DataFrame(rows, columns=["metric", "value"])
    return out.rename(columns={"metric": column_label("metric", lang), "value": column_label("value", lang)})


def _fmt_value(v: Any, lang: str) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return _fmt_num(float(v), 0, lang)
    if isinstance(v, float):
        return _fmt_num(v, 0 if abs(v) >= 1000 else 2, lang)
    return str(v)


# ---------------------------------------------------------------------------------------------
# Workspace helpers
# ---------------------------------------------------------------------------------------------


def scenario_names(workspace: Any, dataset: str | None = None) -> list[str]:
    """Return the saved scenario names (of ``dataset`` only, when given), newest first."""
    try:
        infos = workspace.list()
    except SapxepError as exc:  # a missing/new workspace simply has none
        logger.info("no scenarios in %s: %s", workspace, exc)
        return []
    infos = [i for i in infos if dataset is None or i.dataset == dataset]
    return [i.name for i in sorted(infos, key=lambda i: i.updated, reverse=True)]


def save_scenario(
    workspace: Any,
    name: str,
    plan: MergePlan,
    *,
    units: Any,
    dataset: str,
    ruleset: str,
    new_units: Any = None,
    metrics: Mapping[str, Any] | None = None,
    config: Any = None,
    source: str = "manual",
) -> Any:
    """Save a plan as a named scenario in the workspace (the config TOML when known).

    Returns
    -------
    scenarios.workspace.store.ScenarioInfo

    Raises
    ------
    WorkspaceError
        If the name is empty or already taken.
    """
    toml = ""
    if config is not None:
        import tempfile
        from pathlib import Path

        from sapxep.scenarios.config import dump_scenario

        with tempfile.TemporaryDirectory() as tmp:
            toml = dump_scenario(config, Path(tmp) / "scenario.toml").read_text(encoding="utf-8")
    return workspace.save(
        name,
        plan,
        units=units,
        dataset=dataset,
        new_units=new_units,
        config_toml=toml,
        metrics=dict(metrics or {}),
        source=source,
        ruleset=ruleset,
        if_exists="error",
    )


#: Name of the imported real 2019→2020 merger (NQ 828/NQ-UBTVQH14) in the workspace.
HISTORY_SCENARIO: Final[str] = "NQ 828 (2019→2020)"
HISTORY_DATASET: Final[str] = "phu_tho_2019"


def import_history(workspace: Any, *, ruleset: str = "") -> Any:
    """Import (or re-import) the real 2019→2020 merger of Phú Thọ as a scenario.

    Returns
    -------
    scenarios.workspace.store.ScenarioInfo
    """
    from sapxep.scenarios.workspace.importing import import_scenario

    return import_scenario(
        workspace,
        HISTORY_SCENARIO,
        dataset=HISTORY_DATASET,
        source="crosswalk",
        ruleset=ruleset,
        if_exists="replace",
    )


def scenario_infos(workspace: Any) -> dict[str, Any]:
    """Return name -> ScenarioInfo of every saved scenario (empty for a new workspace)."""
    try:
        return {i.name: i for i in workspace.list()}
    except SapxepError as exc:  # a missing/new workspace simply has none
        logger.info("no scenarios in %s: %s", workspace, exc)
        return {}


def workspace_token(workspace: Any) -> str:
    """Return a token that changes whenever the workspace file changes (a cache key)."""
    from pathlib import Path

    p = Path(workspace.path)
    try:
        st_ = p.stat()
    except OSError:
        return "none"
    return f"{st_.st_mtime_ns}-{st_.st_size}"


def format_table(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Return ``table`` with every cell formatted as text (numbers in the UI language, "—" for
    missing), for display only."""

    def one(v: Any) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return "—"
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e12:
            return _fmt_num(v, 0, lang)
        return _fmt_value(v, lang)

    return table.apply(lambda col: col.map(one)).astype(str)


# ---------------------------------------------------------------------------------------------
# Staffing of a saved scenario
# ---------------------------------------------------------------------------------------------


def scenario_staffing(
    workspace: Any,
    name: str,
    *,
    structure: str = "2023",
    roster_file: tuple[str, bytes] | None = None,
    units: Any = None,
) -> Any:
    """Run the staffing analysis of a saved scenario (:func:`sapxep.scenarios.run.staffing.run_staffing`).

    Parameters
    ----------
    workspace : Workspace
    name : str
        Scenario name.
    structure : {"2023", "2025"}
    roster_file : (name, bytes), optional
        An uploaded roster (CSV/XLSX); default a synthetic roster labelled as estimated.
    units : GeoDataFrame, optional
        Units of the scenario's dataset (default the workspace copy).

    Returns
    -------
    scenarios.run.staffing.StaffingResult

    Raises
    ------
    RosterError, PlanError, ScenarioError
        With every problem listed.
    """
    import tempfile
    from pathlib import Path

    from sapxep.scenarios.run.staffing import run_staffing

    sc_plan = workspace.plan(name)
    if units is None:
        units = workspace.units(workspace.info(name).dataset)
    if roster_file is None:
        return run_staffing((units, sc_plan), structure=structure)
    with tempfile.TemporaryDirectory(prefix="sapxep-roster-") as tmp:
        path = Path(tmp) / Path(roster_file[0]).name
        path.write_bytes(roster_file[1])
        return run_staffing((units, sc_plan), structure=structure, roster=path)


def staffing_summary_table(result: Any) -> pd.DataFrame:
    """Return the ``staffing_summary`` table (key, value) stored with a scenario.

    Keys include those :mod:`sapxep.scenarios.analysis.compare` reads: ``staff_before``, ``staff_after``
    (the quota after the merger), ``surplus_now`` and ``surplus_year5``.
    """
    s = dict(result.summary)
    s.setdefault("staff_after", s.get("quota_after"))
    rows = [
        {"key": k, "value": v} for k, v in s.items() if v is None or isinstance(v, int | float | str | bool)
    ]
    return pd.DataFrame(rows, columns=["key", "value"]).astype({"key": str})


def org_chart_png(result: Any, new_unit: str, *, lang: str = "vi") -> bytes:  # noqa: ARG001
    """Render the org chart of one new unit to PNG bytes (:mod:`sapxep.units.staffing.orgchart`)."""
    import tempfile
    from pathlib import Path

    from sapxep.units.staffing.orgchart import org_graph, render_org_chart

    a = result.analysis
    row = a.new_units.loc[new_unit]
    graph = org_graph(
        a.template,
        a.headcounts[str(new_unit)],
        unit_type=str(row["unit_type"]),
        unit_label=f"{row['name']} (loại {row['commune_class']})",
    )
    with tempfile.TemporaryDirectory(prefix="sapxep-org-") as tmp:
        path = render_org_chart(graph, Path(tmp) / "org.png", estimated=a.estimated_roster, dpi=90)
        return Path(path).read_bytes()


def projection_by_year(result: Any, new_unit: str | None = None) -> pd.DataFrame:
    """Return the staffing projection per year (all new units, or one): staff, quota, surplus.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``staff``, ``quota``, ``surplus``, ``deficit`` (summed over
        groups).
    """
    p = result.analysis.projection
    if new_unit is not None:
        p = p[p["new_unit"].astype(str) == str(new_unit)]
    start = int(result.analysis.options.start_year)
    cols = [c for c in ("staff", "quota", "surplus", "deficit") if c in p.columns]
    out = p.groupby("year_index")[cols].sum()
    out.index = out.index.astype(int) + start
    out.index.name = "year"
    return out


def metric_text(key: str, lang: str = "vi") -> str:
    """Return the label of a comparison metric (:func:`sapxep.scenarios.i18n.metric_label`)."""
    from sapxep.scenarios.i18n import metric_label

    return metric_label(key, lang)


def staffing_tables(result: Any) -> dict[str, pd.DataFrame]:
    """Return the staffing tables stored with a scenario (summary, new units, projection,
    redeployment)."""
    a = result.analysis
    return {
        "staffing_summary": staffing_summary_table(result),
        "staffing_new_units": a.new_units.reset_index(),
        "staffing_projection": a.projection,
        "staffing_redeployment": result.redeployment.moves,
    }


# ---------------------------------------------------------------------------------------------
# Exports as bytes for download buttons
# ---------------------------------------------------------------------------------------------

#: Export id -> (export format, map kind, file suffix, MIME type).
EXPORTS: Final[dict[str, tuple[str, str, str, str]]] = {
    "map_pdf": ("pdf", "plan", ".pdf", "application/pdf"),
    "map_png": ("png", "plan", ".png", "image/png"),
    "map_svg": ("svg", "plan", ".svg", "image/svg+xml"),
    "before_after_pdf": ("pdf", "before_after", "-truoc-sau.pdf", "application/pdf"),
    "gpkg": ("gpkg", "plan", ".gpkg", "application/geopackage+sqlite3"),
    "geojson": ("geojson", "plan", ".geojson", "application/geo+json"),
    "shp": ("shp", "plan", "-shp.zip", "application/zip"),
    "kml": ("kml", "plan", ".kml", "application/vnd.google-earth.kml+xml"),
    "xlsx": ("xlsx", "plan", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (
        "docx",
        "plan",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}

#: The module each export format needs (a format is offered only when it is installed).
_EXPORT_MODULES: Final[dict[str, str]] = {
    "pdf": "sapxep.scenarios.export.maps",
    "png": "sapxep.scenarios.export.maps",
    "svg": "sapxep.scenarios.export.maps",
    "gpkg": "sapxep.scenarios.export.gis",
    "geojson": "sapxep.scenarios.export.gis",
    "shp": "sapxep.scenarios.export.gis",
    "kml": "sapxep.scenarios.export.gis",
    "xlsx": "sapxep.scenarios.export.excel",
    "docx": "sapxep.scenarios.export.docx",
}


def export_available(export_id: str) -> bool:
    """Return whether the module behind an export is installed."""
    import importlib.util

    fmt = EXPORTS[export_id][0]
    try:
        return importlib.util.find_spec(_EXPORT_MODULES[fmt]) is not None
    except ModuleNotFoundError:
        return False


def safe_file_stem(name: str) -> str:
    """Return a file-name-safe version of a scenario name (keeps Vietnamese letters)."""
    import re

    stem = re.sub(r"[^\w.-]+", "_", name, flags=re.UNICODE).strip("._")
    return stem or "scenario"


def export_bytes(
    workspace_path: str, name: str, export_id: str, *, lang: str = "vi", dpi: int = 200
) -> bytes:
    """Export a saved scenario and return the file's bytes.

    Parameters
    ----------
    workspace_path : str
        Workspace file.
    name : str
        Scenario name.
    export_id : str
        A key of :data:`EXPORTS`.
    lang : {"vi", "en"}
    dpi : int
        Resolution of PNG maps.

    Returns
    -------
    bytes

    Raises
    ------
    WorkspaceError
        Unknown scenario or format.
    """
    import tempfile
    from pathlib import Path

    from sapxep.scenarios.export import export_scenario

    fmt, kind, suffix, _ = EXPORTS[export_id]
    with tempfile.TemporaryDirectory(prefix="sapxep-export-") as tmp:
        out = Path(tmp) / (safe_file_stem(name) + suffix)
        written = export_scenario(workspace_path, name, fmt, out, lang=lang, dpi=dpi, kind=kind)
        return Path(written).read_bytes()


def comparison_pdf_bytes(workspace_path: str, names: list[str], *, lang: str = "vi") -> bytes:
    """Return the comparison sheet of 2–6 scenarios on one dataset as PDF bytes."""
    import tempfile
    from pathlib import Path

    from sapxep.scenarios.export.maps import export_comparison_map
    from sapxep.scenarios.workspace.store import Workspace

    with tempfile.TemporaryDirectory(prefix="sapxep-export-") as tmp:
        out = Path(tmp) / "so-sanh.pdf"
        written = export_comparison_map(Workspace(workspace_path), names, out, lang=lang, fmt="pdf")
        return Path(written).read_bytes()


def plan_csv_bytes(workspace: Any, name: str) -> bytes:
    """Return the ``plan.csv`` (code,new_unit,seat_code) of a saved scenario."""
    return workspace.plan(name).to_frame().to_csv(index=False).encode("utf-8")


def union_lines(units: Any, codes: Iterable[str]) -> tuple[list[float | None], list[float | None]]:
    """Return the outline of the union of some units (e.g. the units that differ between plans)."""
    import geopandas as gpd

    sub = units[units["code"].astype(str).isin({str(c) for c in codes})]
    if sub.empty:
        return [], []
    merged = gpd.GeoDataFrame(geometry=[sub.geometry.union_all()], crs=units.crs)
    return boundary_lines(merged)


#: Column headers of the staffing tables: column -> (vi, en).
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


def column_label(col: str, lang: str = "vi") -> str:
    """Return the header of a table column in ``lang`` (the column name when unknown)."""
    pair = COLUMN_LABELS.get(col)
    return col if pair is None else pair[1 if lang == "en" else 0]


def translate_columns(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Return ``df`` with its column headers (and index name) in ``lang``."""
    out = df.rename(columns={c: column_label(str(c), lang) for c in df.columns})
    if out.index.name:
        out.index.name = column_label(str(out.index.name), lang)
    return out


# ---------------------------------------------------------------------------------------------
# Undo / redo of plan edits
# ---------------------------------------------------------------------------------------------


@dataclass
class PlanHistory:
    """An undo/redo stack of plans (the current plan is ``states[pos]``)."""

    states: list[MergePlan] = field(default_factory=list)
    pos: int = -1
    labels: list[str] = field(default_factory=list)

    @property
    def current(self) -> MergePlan | None:
        """The current plan, or None."""
        return self.states[self.pos] if 0 <= self.pos < len(self.states) else None

    def push(self, plan: MergePlan, label: str = "") -> None:
        """Make ``plan`` current, dropping the redo branch."""
        if plans_equal(plan, self.current):
            return
        del self.states[self.pos + 1 :]
        del self.labels[self.pos + 1 :]
        self.states.append(plan)
        self.labels.append(label)
        self.pos = len(self.states) - 1

    def reset(self, plan: MergePlan, label: str = "") -> None:
        """Start a new history at ``plan``."""
        self.states, self.labels, self.pos = [plan], [label], 0

    @property
    def can_undo(self) -> bool:
        """True when there is an earlier plan."""
        return self.pos > 0

    @property
    def can_redo(self) -> bool:
        """True when an undone plan can be restored."""
        return self.pos < len(self.states) - 1

    def undo(self) -> None:
        """Step back one plan."""
        if self.can_undo:
            self.pos -= 1

    def redo(self) -> None:
        """Step forward one plan."""
        if self.can_redo:
            self.pos += 1
