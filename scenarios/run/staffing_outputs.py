"""Files and tables of a staffing run: CSV tables, workbook, per-unit files, charts, README.

:func:`staffing_tables` is the ONE conversion of a staffing result into named tables (used
for the workbook, the workspace and the app); :func:`write_staffing` writes them as files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sapxep.scenarios.csvfile import write_csv
from sapxep.scenarios.jsonfile import json_text
from sapxep.units.files import atomic_path, write_text
from sapxep.units.staffing.orgchart import org_graph, render_org_chart
from sapxep.units.staffing.roster import ESTIMATED_LABEL_EN, ESTIMATED_LABEL_VI

if TYPE_CHECKING:
    from sapxep.scenarios.run.staffing import StaffingResult

#: Tables too long for a quick workbook: written as CSV only.
_CSV_ONLY = frozenset({"roster_used"})

#: table name -> workbook sheet name
SHEETS: dict[str, str] = {
    "new_units": "Don_vi_moi",
    "coverage": "Pham_vi_dinh_muc",
    "titles": "Chuc_danh",
    "leadership": "Lanh_dao",
    "groups": "Nhom",
    "projection": "Du_bao",
    "redeployment": "Dieu_dong",
    "redeployment_flows": "Dieu_dong_luong",
    "costs": "Chi_phi",
    "leavers": "Nghi_viec",
    "cost_parameters": "Tham_so_chi_phi",
    "unit_quotas": "Dinh_muc_don_vi_cu",
    "roster_used": "Danh_sach",
}


def _roster_table(result: StaffingResult) -> pd.DataFrame:
    a = result.analysis
    cols = [
        "person_id", "unit_code", "new_unit", "title", "title_label", "category", "slot",
        "group", "birth_year", "birth_month", "sex", "qualification", "retirement_year",
        "retirement_month",
    ]  # fmt: skip
    r = a.pooled.assign(
        retirement_year=a.pooled["retirement_month_index"] // 12,
        retirement_month=a.pooled["retirement_month_index"] % 12 + 1,
    )[cols]
    moved = result.redeployment.moves
    dest = dict(zip(moved["person_id"], moved["to_unit"], strict=True))
    r["redeployed_to"] = [dest.get(pid, "") for pid in r["person_id"]]
    return r


def staffing_tables(result: StaffingResult) -> dict[str, pd.DataFrame]:
    """Return every table of a staffing result, keyed by name (no index: ids are columns).

    Returns
    -------
    dict of str to DataFrame
        ``summary`` (``key, value``: the scalar and list entries of the summary as text),
        ``new_units`` (with its ``new_unit`` column), ``coverage``, ``titles``,
        ``leadership``, ``groups``, ``projection`` (with the ``*_after_redeployment``
        columns), ``redeployment``, ``redeployment_flows``, ``costs``, ``leavers``,
        ``cost_parameters``, ``unit_quotas`` (with ``code``), ``roster_used``.
    """
    a = result.analysis
    proj = a.projection.merge(
        result.projection_after[
            ["new_unit", "group", "year_index", "staff", "surplus", "deficit", "over_allowed"]
        ],
        on=["new_unit", "group", "year_index"], how="left", suffixes=("", "_after_redeployment"),
    )  # fmt: skip
    summary = {
        k: (json_text(v, indent=None) if isinstance(v, dict | list) else v) for k, v in result.summary.items()
    }
    empty = pd.DataFrame()
    return {
        "summary": pd.DataFrame(
            {"key": list(summary), "value": ["" if v is None else str(v) for v in summary.values()]}
        ),
        "new_units": a.new_units.reset_index(),
        "coverage": a.coverage,
        "titles": a.titles,
        "leadership": a.leadership,
        "groups": a.groups,
        "projection": proj,
        "redeployment": result.redeployment.moves,
        "redeployment_flows": result.redeployment.flows,
        "costs": result.costs if result.costs is not None else empty,
        "leavers": result.leavers if result.leavers is not None else empty,
        "cost_parameters": result.cost_parameters if result.cost_parameters is not None else empty,
        "unit_quotas": result.unit_quotas.reset_index(),
        "roster_used": _roster_table(result),
    }


#: Tables kept with a saved scenario (workspace ``sapxep_tables``), stored as ``staffing_<name>``.
STORED_TABLES: tuple[str, ...] = (
    "summary", "new_units", "coverage", "projection", "redeployment", "costs", "cost_parameters",
)  # fmt: skip


def stored_staffing_tables(result: StaffingResult) -> dict[str, pd.DataFrame]:
    """Return the tables of :func:`staffing_tables` kept with a scenario, as ``staffing_<name>``.

    Returns
    -------
    dict of str to DataFrame
        ``staffing_summary`` (``key, value``; :mod:`sapxep.scenarios.analysis.compare` reads
        ``staff_before``, ``staff_after``, ``surplus_now``, ``surplus_year5`` and the cost
        keys from it), ``staffing_new_units`` (with its ``new_unit`` column),
        ``staffing_coverage``, ``staffing_projection``, ``staffing_redeployment``,
        ``staffing_costs``, ``staffing_cost_parameters``.
    """
    tables = staffing_tables(result)
    return {f"staffing_{k}": tables[k] for k in STORED_TABLES if not tables[k].empty or k == "summary"}


def write_staffing(result: StaffingResult, out_dir: str | Path, *, charts: int = 0) -> list[Path]:
    """Write the tables, workbook, per-unit files, charts and README of a staffing run.

    Parameters
    ----------
    result : StaffingResult
    out_dir : str or Path
        Created if needed.
    charts : int, default 0
        Org charts to render (largest new units first).

    Returns
    -------
    list of Path
        Files written (``summary.json`` is written by
        :func:`sapxep.scenarios.run.staffing.run_staffing`).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    a = result.analysis
    est = a.estimated_roster
    tables = staffing_tables(result)
    summary_rows = tables.pop("summary")
    summary_rows = summary_rows[summary_rows["key"] != "notes"]
    files = [write_csv(out / f"{name}.csv", _stamp(df, est)) for name, df in tables.items()]
    per = out / "per_unit"
    per.mkdir(exist_ok=True)
    files += [write_csv(per / f"{g}.csv", _stamp(sub, est)) for g, sub in a.titles.groupby("new_unit")]
    files.append(_write_workbook(result, tables, summary_rows, out / "staffing.xlsx"))
    if charts > 0:
        files += _write_charts(result, out / "orgcharts", charts=charts)
    files.append(_write_readme(result, tables, out / "README.txt", charts=charts))
    return files


def _stamp(df: pd.DataFrame, est: bool) -> pd.DataFrame:
    """Return ``df`` with whole-number quotas (empty = not assessed) and an ``estimated`` column."""
    df = df.copy()
    for col in ("quota", "quota_part_time"):
        if col in df.columns:
            df[col] = df[col].astype("Float64").round().astype("Int64")
    df["estimated"] = est
    return df


def _write_workbook(
    result: StaffingResult, tables: dict[str, pd.DataFrame], summary_rows: pd.DataFrame, path: Path
) -> Path:
    """Write ``staffing.xlsx``: notes, summary and one sheet per table (not the CSV-only ones)."""
    est = result.analysis.estimated_roster
    notes = pd.DataFrame({"ghi_chu": ([ESTIMATED_LABEL_VI, ESTIMATED_LABEL_EN] if est else [])
                          + list(result.summary["notes"])})  # fmt: skip
    with atomic_path(path) as tmp_xlsx, pd.ExcelWriter(tmp_xlsx, engine="openpyxl") as xw:
        notes.to_excel(xw, sheet_name="Ghi_chu", index=False)
        summary_rows.to_excel(xw, sheet_name="Tong_hop", index=False)
        for name, df in tables.items():
            if name in _CSV_ONLY:
                continue
            _stamp(df, est).to_excel(xw, sheet_name=SHEETS.get(name, name[:31]), index=False)
    return path


def _write_charts(result: StaffingResult, cdir: Path, *, charts: int) -> list[Path]:
    """Draw the org charts of the ``charts`` new units with the most staff, as SVG."""
    a = result.analysis
    top = a.new_units.sort_values("staff_before", ascending=False).head(charts)
    assessed = a.titles[a.titles["group"] != "not_assessed"]
    files = []
    for g, row in top.iterrows():
        sub = assessed[assessed["new_unit"] == g]
        graph = org_graph(
            a.template, a.headcounts[str(g)], unit_type=str(row["unit_type"]),
            unit_label=f"{row['name']} (loại {row['commune_class']}): định mức / hiện có",
            pooled=dict(zip(sub["slot"], sub["pooled"].astype(int), strict=True)),
        )  # fmt: skip
        files.append(render_org_chart(graph, cdir / f"{g}.svg", estimated=a.estimated_roster))
    return files


def _write_readme(
    result: StaffingResult, tables: dict[str, pd.DataFrame], path: Path, *, charts: int
) -> Path:
    """Write ``README.txt``: what the folder holds, the notes and the counting conventions."""
    a = result.analysis
    est = a.estimated_roster
    lines = [
        "sapxep staffing — kết quả bố trí cán bộ sau sắp xếp",
        "",
        *([ESTIMATED_LABEL_VI, ESTIMATED_LABEL_EN, ""] if est else []),
        f"Mô hình tổ chức: {a.template.title_vi}",
        *[f"- {n}" for n in result.summary["notes"]],
        "",
        "Tệp: summary.json, " + ", ".join(f"{n}.csv" for n in tables) + ", staffing.xlsx,",
        "per_unit/<đơn vị mới>.csv" + (", orgcharts/<đơn vị mới>.svg" if charts > 0 else ""),
        "Quy ước: kept = min(hiện có, định mức); surplus = dôi dư; deficit = thiếu;",
        "staff_before = kept + surplus; year_quota_reached = năm đơn vị mới hết dôi dư chỉ nhờ nghỉ hưu",
        "(trống = chưa đạt trong kỳ chuyển tiếp); *_after_redeployment = sau điều động;",
        "costs.csv: chi phí một lần, hỗ trợ trung ương, tiết kiệm hằng năm (VND);",
        "cost_parameters.csv: mọi hệ số kèm điều khoản, nguồn và độ tin cậy",
        "(flagged = giả định hoặc do người dùng nhập).",
    ]
    write_text(path, "\n".join(lines) + "\n")
    return path
