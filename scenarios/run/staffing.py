"""Run the staffing analysis of a merger plan and write its tables (``sapxep staffing``).

A *plan directory* holds ``plan.csv`` (``code,new_unit,seat_code``) and ``scenario.toml``
naming the data: ``dataset = "phu_tho_2023"`` (top level or under ``[data]``) or
``units_file = "units.gpkg"`` (relative to the directory; optional ``attributes``,
``province``, ``default_terrain``). An optional ``[staffing]`` table sets defaults for the
options below; ``metrics.json`` is read if present and echoed in ``summary.json``.

Outputs (``out_dir``): ``summary.json``, ``new_units.csv``, ``titles.csv``,
``leadership.csv``, ``projection.csv``, ``redeployment.csv``, ``redeployment_flows.csv``,
``unit_quotas.csv``, ``roster_used.csv``, ``staffing.xlsx`` (all of them as sheets),
``per_unit/<new_unit>.csv`` and ``orgcharts/<new_unit>.svg`` for the first ``charts`` new
units, and ``README.txt``. When the roster is synthetic every table has
``estimated = true`` and the README, workbook and charts say so.

``summary.json`` keys: ``staff_before`` (pooled staff of the plan's units), ``staff_kept``,
``quota_after``, ``surplus_now``, ``deficit_now`` (``staff_before = staff_kept +
surplus_now``), ``surplus_year5`` (surplus at the end of the horizon with retirements only),
``redeployed`` (civil servants moved; ``<= deficit_now``), ``redeploy_supply``,
``redeploy_demand``, ``surplus_after_redeployment``, ``surplus_year5_after_redeployment``,
``estimated_roster`` (true for the synthetic roster) with ``estimated_label``,
``default_class``, ``units_with_default_class``, ``new_class_rule``,
``new_units_at_quota_by_year``, ``not_assessed``, ``reconciles``, ``notes`` (Vietnamese),
``sources``, ``metrics`` (from ``metrics.json``), ``elapsed_s``.
"""

from __future__ import annotations

import json
import logging
import math
import time
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from sapxep.units.errors import PlanError, ScenarioError
from sapxep.units.plan import MergePlan, read_plan_csv, resolved_seats
from sapxep.units.staffing.orgchart import org_graph, render_org_chart
from sapxep.units.staffing.quotas import unit_quotas
from sapxep.units.staffing.redeploy import RedeployResult, redeploy
from sapxep.units.staffing.roster import (
    ESTIMATED_LABEL_EN,
    ESTIMATED_LABEL_VI,
    read_roster,
    synthetic_roster,
    validate_roster,
)
from sapxep.units.staffing.transition import (
    StaffingAnalysis,
    StaffingOptions,
    analyse_staffing,
    project_staff,
    summary_counts,
)

logger = logging.getLogger(__name__)

#: Tables too long for a quick workbook: written as CSV only.
_CSV_ONLY = frozenset({"roster_used"})

_STAFFING_KEYS = {
    "structure", "default_class", "new_class", "horizon_years", "start_year", "start_month",
    "default_birth_month", "ruleset", "max_distance_km", "match_titles", "seed",
}  # fmt: skip


@dataclass(frozen=True)
class StaffingResult:
    """Outcome of :func:`run_staffing`.

    Attributes
    ----------
    analysis : StaffingAnalysis
        Pooled staff, quotas, surplus, projection.
    redeployment : RedeployResult
        Moves of surplus civil servants.
    projection_after : pandas.DataFrame
        The projection with the redeployment applied.
    unit_quotas : pandas.DataFrame
        Decree 33 quotas of the original units.
    roster : pandas.DataFrame
        The roster used (synthetic when ``estimated_roster``).
    summary : dict
        What ``summary.json`` holds.
    files : list of Path
        Files written (empty when no ``out_dir``).
    """

    analysis: StaffingAnalysis
    redeployment: RedeployResult
    projection_after: pd.DataFrame
    unit_quotas: pd.DataFrame
    roster: pd.DataFrame
    summary: dict[str, Any]
    files: list[Path] = field(default_factory=list)


def _read_scenario(plan_dir: Path) -> dict[str, Any]:
    path = plan_dir / "scenario.toml"
    if not path.is_file():
        raise ScenarioError(
            f"{plan_dir}: no scenario.toml",
            ['add scenario.toml with dataset = "phu_tho_2023" (or units_file = "…")'],
        )
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"cannot read {path}", [str(exc)]) from exc


def load_plan_dir(plan_dir: str | Path) -> tuple[pd.DataFrame, MergePlan, dict[str, Any]]:
    """Read the units, the plan and the scenario settings of a plan directory.

    Parameters
    ----------
    plan_dir : str or Path
        Folder with ``plan.csv`` and ``scenario.toml`` (``metrics.json`` optional).

    Returns
    -------
    tuple
        ``(units GeoDataFrame, MergePlan, info)`` where ``info`` has ``dataset`` or
        ``units_file``, the ``[staffing]`` table and ``metrics`` (if any).

    Raises
    ------
    ScenarioError
        If files are missing or the data is not named.
    PlanError
        If ``plan.csv`` is malformed.
    """
    from sapxep.geodata.io import load_dataset, read_units

    d = Path(plan_dir)
    if not (d / "plan.csv").is_file():
        raise ScenarioError(f"{d}: no plan.csv", ["run `sapxep plan` or write code,new_unit,seat_code"])
    cfg = _read_scenario(d)
    data = dict(cfg.get("data", {}))
    for k in ("dataset", "units_file", "units", "attributes", "province", "default_terrain"):
        if k in cfg and k not in data:
            data[k] = cfg[k]
    dataset = str(data.get("dataset", "") or "")
    units_file = str(data.get("units_file", "") or data.get("units", "") or "")
    if bool(dataset) == bool(units_file):
        raise ScenarioError(
            f"{d / 'scenario.toml'}: data not named",
            ['give exactly one of dataset = "phu_tho_2023" or units_file = "path"'],
        )
    province = str(data.get("province", "") or "") or None
    terrain = str(data.get("default_terrain", "") or "") or None
    if dataset:
        units = load_dataset(dataset, province=province, default_terrain=terrain)
    else:
        up = Path(units_file)
        up = up if up.is_absolute() else d / up
        attrs = data.get("attributes")
        ap = None
        if attrs:
            ap = Path(str(attrs))
            ap = ap if ap.is_absolute() else d / ap
        units = read_units(
            up, attributes=ap, province=province, default_terrain=terrain or "lowland",
            island_policy="links",
        )  # fmt: skip
    plan = read_plan_csv(str(d / "plan.csv"))
    extra = sorted(set(units["code"].astype(str)) - set(plan.assignment.index))
    if extra:
        raise PlanError(
            f"{d / 'plan.csv'}: {len(extra)} units of the data are not in the plan",
            [
                f"add rows for {', '.join(extra[:12])}{' …' if len(extra) > 12 else ''} "
                "(a unit left alone is its own new unit)"
            ],
        )
    metrics = {}
    if (d / "metrics.json").is_file():
        try:
            metrics = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ScenarioError(f"cannot read {d / 'metrics.json'}", [str(exc)]) from exc
    staffing = dict(cfg.get("staffing", {}))
    unknown = sorted(set(staffing) - _STAFFING_KEYS)
    if unknown:
        raise ScenarioError(
            f"{d / 'scenario.toml'}: unknown [staffing] keys",
            [f"{', '.join(unknown)}: allowed are {', '.join(sorted(_STAFFING_KEYS))}"],
        )
    info = {"dataset": dataset, "units_file": units_file, "staffing": staffing, "metrics": metrics}
    return units, plan, info


def seat_distances_km(units: pd.DataFrame, plan: MergePlan) -> dict[tuple[str, str], float]:
    """Return straight-line distances between the seats of the new units (km).

    Uses ``sapxep.geodata.shapes.distance_matrix_km`` on the seat units' representative points.
    New units without a seat use :func:`sapxep.units.plan.default_seat`.

    Parameters
    ----------
    units : GeoDataFrame
        Units with geometry and CRS.
    plan : MergePlan

    Returns
    -------
    dict
        ``(new_unit_a, new_unit_b) -> km`` for a < b.
    """
    from sapxep.geodata.shapes import distance_matrix_km

    u = units.copy()
    u["code"] = u["code"].astype(str)
    pop = u.set_index("code")["population"].astype(float)
    seats = resolved_seats(plan, pop)
    gdf = u[u["code"].isin(set(seats.values()))]
    dm = distance_matrix_km(gdf)
    dm.index = dm.index.astype(str)
    dm.columns = dm.columns.astype(str)
    names = sorted(seats)
    out = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            out[(a, b)] = float(dm.at[seats[a], seats[b]])
    return out


def _options_from(info_staffing: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**dict(info_staffing), **{k: v for k, v in overrides.items() if v is not None}}
    return merged


def run_staffing(
    source: str | Path | tuple[pd.DataFrame, MergePlan],
    *,
    roster: str | Path | pd.DataFrame | None = None,
    structure: str | None = None,
    out_dir: str | Path | None = None,
    default_class: str | None = None,
    new_class: str | None = None,
    horizon_years: int | None = None,
    start_year: int | None = None,
    max_distance_km: float | None = None,
    match_titles: bool | None = None,
    seed: int | None = None,
    vacancy_rate: float = 0.0,
    params_2025: Mapping[str, int | None] | None = None,
    distances_km: Mapping[tuple[str, str], float] | None = None,
    charts: int = 0,
) -> StaffingResult:
    """Analyse the staffing of a plan: pool, quota, surplus, projection, redeployment.

    Parameters
    ----------
    source : path or (units, plan)
        A plan directory (see module docs) or a units table with a :class:`MergePlan`.
    roster : path or DataFrame, optional
        Staff roster (CSV/XLSX or a validated table). Default: a seeded synthetic roster
        filling each original unit to its Decree 33 quota, labelled as estimated.
    structure : {"2023", "2025"}, optional
        Organisation of the new units (default ``"2023"``).
    out_dir : path, optional
        Where to write the outputs; nothing is written when None.
    default_class : {"I", "II", "III"}, optional
        Class of units without ``commune_class`` (default ``"II"``; stated in the output).
    new_class : {"max", "min", "I", "II", "III"}, optional
        Class of a new unit (default ``"max"``: the highest among its members).
    horizon_years, start_year : int, optional
        Projection length (default 5, NQ 35/2023) and first year (default 2025).
    max_distance_km : float, optional
        Longest redeployment move between seats (default 25 km).
    match_titles : bool, optional
        Redeploy only onto the same title / field (default True).
    seed : int, optional
        Seed of the synthetic roster (default 0).
    vacancy_rate : float, default 0.0
        Share of vacant civil-servant / part-time posts in the synthetic roster.
    params_2025 : mapping, optional
        2025 sizes (``total_staff``, ``ubnd_vice_chairs``, ...).
    distances_km : mapping, optional
        Seat distances between new units; computed from geometry when absent (no
        redeployment is possible without geometry or distances).
    charts : int, default 0
        Number of org charts to render (largest new units first).

    Returns
    -------
    StaffingResult

    Raises
    ------
    ScenarioError, PlanError, RosterError, DataValidationError
        On bad input, with every problem listed.
    """
    t0 = time.perf_counter()
    info: dict[str, Any] = {"dataset": "", "units_file": "", "staffing": {}, "metrics": {}}
    if isinstance(source, tuple):
        units, plan = source
    else:
        units, plan, info = load_plan_dir(source)
    opts = _options_from(
        info["staffing"],
        {
            "structure": structure, "default_class": default_class, "new_class": new_class,
            "horizon_years": horizon_years, "start_year": start_year,
            "max_distance_km": max_distance_km, "match_titles": match_titles, "seed": seed,
        },
    )  # fmt: skip
    max_km = float(opts.pop("max_distance_km", 25.0))
    match = bool(opts.pop("match_titles", True))
    seed_v = int(opts.pop("seed", 0))
    opts["structure"] = str(opts.get("structure", "2023"))
    options = StaffingOptions(**opts, params_2025=dict(params_2025 or {}))
    codes = units["code"].astype(str)

    uq = unit_quotas(
        units.drop(columns="geometry", errors="ignore"),
        default_class=options.default_class, ruleset=options.ruleset,
    )  # fmt: skip
    if roster is None:
        staff = synthetic_roster(
            units.drop(columns="geometry", errors="ignore"), seed=seed_v,
            reference_year=options.start_year, reference_month=options.start_month,
            quotas=uq, vacancy_rate=vacancy_rate,
        )  # fmt: skip
    elif isinstance(roster, pd.DataFrame):
        staff = (
            roster
            if "row" in roster.columns
            else validate_roster(roster.astype(str), unit_codes=codes, reference_year=options.start_year)
        )
    else:
        staff = read_roster(roster, unit_codes=codes, reference_year=options.start_year)

    analysis = analyse_staffing(units, plan, staff, options=options)

    if distances_km is None and "geometry" in units.columns:
        distances_km = seat_distances_km(units, plan)
    dist = dict(distances_km or {})
    tpl = analysis.template
    accepts = {s.id: s.accepts for s in tpl.slots.values()}
    any_slots = {s.id for s in tpl.slots.values() if s.accepts_any_civil_servant}
    red = redeploy(
        analysis.pooled, analysis.titles, analysis.groups, dist,
        accepts=accepts, accepts_any=any_slots, max_distance_km=max_km, match_titles=match,
    )  # fmt: skip

    nu = analysis.new_units.copy()
    fl = red.flows
    nu["redeployed_out"] = fl.groupby("from_unit")["n"].sum().reindex(nu.index).fillna(0).astype("int64")
    nu["redeployed_in"] = fl.groupby("to_unit")["n"].sum().reindex(nu.index).fillna(0).astype("int64")
    nu["surplus_after_redeployment"] = nu["surplus"] - nu["redeployed_out"]
    nu["deficit_after_redeployment"] = nu["deficit"] - nu["redeployed_in"]
    analysis = replace(analysis, new_units=nu)

    moved = analysis.pooled.copy()
    if len(red.moves):
        to = red.moves.set_index("person_id")["to_unit"]
        m = moved["person_id"].isin(to.index)
        moved.loc[m, "new_unit"] = moved.loc[m, "person_id"].map(to)
    proj_after = project_staff(
        moved, analysis.groups[["new_unit", "group", "quota"]],
        start_year=options.start_year, start_month=options.start_month,
        horizon_years=options.horizon_years,
    )  # fmt: skip

    summary = _summary(analysis, red, proj_after, info, max_km, match, seed_v, dist, vacancy_rate)
    summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
    result = StaffingResult(analysis, red, proj_after, uq, staff, summary)
    if out_dir is not None:
        files = write_staffing(result, out_dir, charts=charts)
        summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
        (Path(out_dir) / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2, default=_jsonable), encoding="utf-8"
        )
        result = replace(result, files=files)
    logger.info(
        "staffing run: %d staff, quota %d, surplus %d now / %d in year %d, %d redeployed (%.1f s)",
        summary["staff_before"], summary["quota_after"], summary["surplus_now"],
        summary["surplus_year5"], options.horizon_years, summary["redeployed"],
        summary["elapsed_s"],
    )  # fmt: skip
    return result


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if hasattr(obj, "item"):
        return obj.item()
    return str(obj)


def _summary(
    a: StaffingAnalysis,
    red: RedeployResult,
    proj_after: pd.DataFrame,
    info: Mapping[str, Any],
    max_km: float,
    match: bool,
    seed: int,
    dist: Mapping[tuple[str, str], float],
    vacancy_rate: float,
) -> dict[str, Any]:
    s = summary_counts(a)
    h = a.options.horizon_years
    reached = a.new_units["year_quota_reached"]
    by_year = {
        str(a.options.start_year + k): int((reached <= a.options.start_year + k).sum()) for k in range(h + 1)
    }
    out: dict[str, Any] = {
        "structure": a.options.structure,
        "template": a.template.id,
        "dataset": info.get("dataset", ""),
        "units_file": info.get("units_file", ""),
        "n_units": int(a.new_units["n_members"].sum()),
        **s,
        "redeployed": red.redeployed,
        "redeploy_supply": red.supply,
        "redeploy_demand": red.demand,
        "surplus_after_redeployment": s["surplus_now"] - red.redeployed,
        "deficit_after_redeployment": s["deficit_now"] - red.redeployed,
        "surplus_year5_after_redeployment": int(
            proj_after.loc[proj_after["year_index"] == h, "surplus"].sum()
        ),
        "reconciles": s["staff_before"] == s["staff_kept"] + s["surplus_now"]
        and red.redeployed <= s["deficit_now"],
        "estimated_roster": a.estimated_roster,
        "estimated_label": ESTIMATED_LABEL_VI if a.estimated_roster else "",
        "synthetic_seed": seed if a.estimated_roster else None,
        "synthetic_vacancy_rate": vacancy_rate if a.estimated_roster else None,
        "default_class": a.options.default_class,
        "new_class_rule": a.options.new_class,
        "units_with_default_class": int(a.new_units["class_source"].str.contains("default").sum()),
        "horizon_years": h,
        "start_year": a.options.start_year,
        "new_units_at_quota_by_year": by_year,
        "new_units_never_at_quota": int(reached.isna().sum()),
        "max_distance_km": max_km,
        "match_titles": match,
        "distances_available": bool(dist),
        "params_2025": (
            {**a.template.param_defaults(), **a.options.params_2025}
            if a.options.structure == "2025"
            else None
        ),
        "notes": a.notes
        + (
            [
                f"Danh sách giả lập để trống ngẫu nhiên {vacancy_rate:.0%} vị trí "
                "công chức, không chuyên trách."
            ]
            if a.estimated_roster and vacancy_rate
            else []
        )
        + ([] if dist else ["Không có khoảng cách giữa trụ sở (thiếu hình học): không điều động."]),
        "sources": {
            "quota": "NĐ 33/2023/NĐ-CP Điều 6, 33 (units/templates/org_decree33_2023.toml)",
            "structure_2025": "NĐ 150/2025/NĐ-CP (units/templates/org_decree150_2025.toml)",
            "retirement": "BLLĐ 2019 Điều 169; NĐ 135/2020/NĐ-CP",
            "transition": "NQ 35/2023/UBTVQH15 Điều 11 (5 năm)",
        },
        "metrics": info.get("metrics", {}),
    }
    return out


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
        Files written (``summary.json`` is written by :func:`run_staffing`).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    a = result.analysis
    est = a.estimated_roster
    files: list[Path] = []

    def stamp(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        for col in ("quota", "quota_part_time"):
            if col in df.columns:  # whole numbers; empty = not assessed
                df[col] = df[col].astype("Float64").round().astype("Int64")
        df["estimated"] = est
        return df

    proj = a.projection.merge(
        result.projection_after[["new_unit", "group", "year_index", "staff", "surplus", "deficit"]],
        on=["new_unit", "group", "year_index"], how="left", suffixes=("", "_after_redeployment"),
    )  # fmt: skip
    roster_cols = [
        "person_id", "unit_code", "new_unit", "title", "title_label", "category", "slot",
        "group", "birth_year", "birth_month", "sex", "qualification", "retirement_year",
        "retirement_month",
    ]  # fmt: skip
    r = a.pooled.assign(
        retirement_year=a.pooled["retirement_month_index"] // 12,
        retirement_month=a.pooled["retirement_month_index"] % 12 + 1,
    )[roster_cols]
    moved = result.redeployment.moves
    dest = dict(zip(moved["person_id"], moved["to_unit"], strict=True))
    r["redeployed_to"] = [dest.get(pid, "") for pid in r["person_id"]]
    tables: dict[str, tuple[str, pd.DataFrame]] = {
        "new_units": ("Don_vi_moi", a.new_units.reset_index()),
        "titles": ("Chuc_danh", a.titles),
        "leadership": ("Lanh_dao", a.leadership),
        "groups": ("Nhom", a.groups),
        "projection": ("Du_bao", proj),
        "redeployment": ("Dieu_dong", moved),
        "redeployment_flows": ("Dieu_dong_luong", result.redeployment.flows),
        "unit_quotas": ("Dinh_muc_don_vi_cu", result.unit_quotas.reset_index()),
        "roster_used": ("Danh_sach", r),
    }
    for name, (_, df) in tables.items():
        p = out / f"{name}.csv"
        stamp(df).to_csv(p, index=False, encoding="utf-8")
        files.append(p)
    per = out / "per_unit"
    per.mkdir(exist_ok=True)
    for g, sub in a.titles.groupby("new_unit"):
        p = per / f"{g}.csv"
        stamp(sub).to_csv(p, index=False, encoding="utf-8")
        files.append(p)

    summary_rows = [
        {"key": k, "value": json.dumps(v, ensure_ascii=False, default=_jsonable)
         if isinstance(v, dict | list) else v}
        for k, v in result.summary.items() if k != "notes"
    ]  # fmt: skip
    notes = pd.DataFrame({"ghi_chu": ([ESTIMATED_LABEL_VI, ESTIMATED_LABEL_EN] if est else [])
                          + list(result.summary["notes"])})  # fmt: skip
    xlsx = out / "staffing.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xw:
        notes.to_excel(xw, sheet_name="Ghi_chu", index=False)
        pd.DataFrame(summary_rows).to_excel(xw, sheet_name="Tong_hop", index=False)
        for name, (sheet, df) in tables.items():
            if name in _CSV_ONLY:
                continue
            stamp(df).to_excel(xw, sheet_name=sheet, index=False)
    files.append(xlsx)

    if charts > 0:
        cdir = out / "orgcharts"
        top = a.new_units.sort_values("staff_before", ascending=False).head(charts)
        assessed = a.titles[a.titles["group"] != "not_assessed"]
        for g, row in top.iterrows():
            sub = assessed[assessed["new_unit"] == g]
            graph = org_graph(
                a.template, a.headcounts[str(g)], unit_type=str(row["unit_type"]),
                unit_label=f"{row['name']} (loại {row['commune_class']}): định mức / hiện có",
                pooled=dict(zip(sub["slot"], sub["pooled"].astype(int), strict=True)),
            )  # fmt: skip
            files.append(render_org_chart(graph, cdir / f"{g}.svg", estimated=est))

    readme = out / "README.txt"
    lines = [
        "sapxep staffing — kết quả bố trí cán bộ sau sắp xếp",
        "",
        *([ESTIMATED_LABEL_VI, ESTIMATED_LABEL_EN, ""] if est else []),
        f"Mô hình tổ chức: {a.template.title_vi}",
        *[f"- {n}" for n in result.summary["notes"]],
        "",
        "Tệp: summary.json, new_units.csv, titles.csv, leadership.csv, groups.csv, projection.csv,",
        "redeployment.csv, redeployment_flows.csv, unit_quotas.csv, roster_used.csv, staffing.xlsx,",
        "per_unit/<đơn vị mới>.csv" + (", orgcharts/<đơn vị mới>.svg" if charts > 0 else ""),
        "Quy ước: kept = min(hiện có, định mức); surplus = dôi dư; deficit = thiếu;",
        "staff_before = kept + surplus; year_quota_reached = năm đơn vị mới hết dôi dư chỉ nhờ nghỉ hưu",
        "(trống = chưa đạt trong kỳ chuyển tiếp); *_after_redeployment = sau điều động.",
    ]
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files.append(readme)
    return files


def options_dict(result: StaffingResult) -> dict[str, Any]:
    """Return the options of a run as a plain dict (for reports)."""
    return asdict(result.analysis.options)
