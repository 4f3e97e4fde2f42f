"""Import existing plans: a CSV mapping (old code -> new unit) or the 2019→2020 crosswalk.

The bundled crosswalk ``geodata/data/phu_tho_2019_to_2020_mapping.csv`` records the
real merger of NQ 828/NQ-UBTVQH14 (277 → 225 units of Phú Thọ on 2020-01-01), so the
past decision can be compared with proposals on the ``phu_tho_2019`` dataset.

Split units. A grouping gives each old unit exactly one new unit, but a crosswalk may
split an old unit between several new units (``relation = partial_split``): Phường
Trường Thịnh (07939) went to Xã Thanh Minh (0.82 km², 1,546 people), Phường Hùng
Vương (1.80 km², 2,846 people) and Phường Phong Châu (1.16 km², 1,684 people). The
import assigns a split unit to the new unit that received the most people (parsed from
the GSO note; by area when people are not given), here Phường Hùng Vương (07942), and
records the choice in the scenario description. Areas and populations of the receiving
units are therefore those of whole old units, not of the exact 2020 boundaries.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from sapxep.units.errors import PlanError, format_codes
from sapxep.units.plan import MergePlan, default_seat, plan_from_mapping

logger = logging.getLogger(__name__)

#: Column aliases recognised in a mapping CSV: (old code, new unit, seat, new name).
OLD_CODE_COLUMNS = ("code", "old_code", "ma_cu", "ma_xa", "unit_code")
NEW_UNIT_COLUMNS = ("new_unit", "new_code", "ma_moi", "group", "group_id")
SEAT_COLUMNS = ("seat_code", "seat", "tru_so")
NEW_NAME_COLUMNS = ("new_name", "ten_moi", "new_unit_name")


@dataclass(frozen=True)
class ImportedPlan:
    """A plan read from a file, with notes on the choices made.

    Attributes
    ----------
    plan : MergePlan
    notes : tuple of str
        Human-readable notes (e.g. how split units were assigned).
    source : str
        Where the plan came from (file path or ``"crosswalk"``).
    """

    plan: MergePlan
    notes: tuple[str, ...] = ()
    source: str = ""


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).lower().strip()
    for prefix in ("phường ", "thị trấn ", "xã "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return " ".join(text.split())


def _vn_number(text: str) -> float:
    """Parse a Vietnamese-formatted number: ``"2.846"`` -> 2846, ``"0,82"`` -> 0.82."""
    return float(text.replace(".", "").replace(",", "."))


_SPLIT_PART = re.compile(
    r"(?P<area>[\d.,]+)\s*km2 diện tích tự nhiên,\s*(?P<pop>[\d.,]+)\s*người"
    r"(?:\s+còn lại)?\s+của\s+(?:phường|xã|thị trấn)\s+(?P<src>.+?)\s+vào\s+"
    r"(?:phường|xã|thị trấn)\s+(?P<dst>[^,;.]+?)(?=,|;|\.\s|$)",
    re.IGNORECASE,
)


def split_shares(note: str) -> dict[str, tuple[float, float]]:
    """Parse a GSO note about a split unit into the parts each receiver got.

    Parameters
    ----------
    note : str
        E.g. ``"Điều chỉnh 0,82 km2 diện tích tự nhiên, 1.546 người của phường Trường
        Thịnh vào xã Thanh Minh, …"``.

    Returns
    -------
    dict of str to (float, float)
        Normalised receiver name (without type prefix, lower case) -> (area km², people).
    """
    out: dict[str, tuple[float, float]] = {}
    for m in _SPLIT_PART.finditer(unicodedata.normalize("NFC", note)):
        out[_norm(m["dst"])] = (_vn_number(m["area"]), _vn_number(m["pop"]))
    return out


def _pick_seats(assignment: pd.Series, units: pd.DataFrame | None) -> dict[str, str]:
    """Seat = the member whose code equals the new-unit id, else :func:`default_seat`.

    A crosswalk that keeps an old code as the new unit's code names its seat that way.
    Codes missing from ``units`` count as population 0.
    """
    seats: dict[str, str] = {}
    pop = (
        dict(zip(units["code"].astype(str), units["population"], strict=True))
        if units is not None and "population" in units
        else None
    )
    for g, members in assignment.groupby(assignment.to_numpy()).groups.items():
        codes = [str(c) for c in members]
        g = str(g)
        if g in codes:
            seats[g] = g
        else:
            seats[g] = default_seat(codes, None if pop is None else {c: pop.get(c, 0) for c in codes})
    return seats


def plan_from_crosswalk(
    crosswalk: str | Path | pd.DataFrame | None = None,
    *,
    units: pd.DataFrame | None = None,
) -> ImportedPlan:
    """Build the plan of a historical crosswalk (``old_code, …, new_code, …, relation``).

    Parameters
    ----------
    crosswalk : path or DataFrame, optional
        Default: the bundled Phú Thọ 2019→2020 crosswalk.
    units : DataFrame, optional
        Units table of the *old* state (e.g. ``load_dataset("phu_tho_2019")``): used to
        check codes and choose seats by population.

    Returns
    -------
    ImportedPlan
        New units are the new codes; names are the new names; seats are the old unit
        that kept the new code (else the most populous member). Split old units go to
        the receiver of most people (see module notes).

    Raises
    ------
    PlanError
        If columns are missing, or codes do not match ``units``.
    """
    df, source = _load_crosswalk(crosswalk)
    notes: list[str] = []
    assignment: dict[str, str] = {}
    for old, rows in df.groupby("old_code", sort=False):
        targets = list(dict.fromkeys(rows["new_code"].astype(str)))
        if len(targets) == 1:
            assignment[str(old)] = targets[0]
            continue
        assignment[str(old)], note = _assign_split(str(old), rows, targets)
        notes.append(note)
    s = pd.Series(assignment, dtype=object)
    if units is not None:
        _check_codes(s, units, source)
    names = dict(zip(df["new_code"].astype(str), df["new_name"].astype(str), strict=True))
    names = {g: n for g, n in names.items() if g in set(s) and n}
    plan = plan_from_mapping(s, seats=_pick_seats(s, units), names=names)
    for n in notes:
        logger.info("crosswalk import: %s", n)
    return ImportedPlan(plan=plan, notes=tuple(notes), source=source)


def _load_crosswalk(crosswalk: str | Path | pd.DataFrame | None) -> tuple[pd.DataFrame, str]:
    """Read (or copy) a crosswalk table with every optional column present, and its source.

    Raises
    ------
    PlanError
        If ``old_code`` or ``new_code`` is missing.
    """
    if crosswalk is None:
        from sapxep.geodata.datasets import dataset_path

        crosswalk = dataset_path("phu_tho_2019", "crosswalk")
    source = "crosswalk" if isinstance(crosswalk, pd.DataFrame) else str(crosswalk)
    df = crosswalk.copy() if isinstance(crosswalk, pd.DataFrame) else _read_csv(Path(crosswalk))
    missing = [c for c in ("old_code", "new_code") if c not in df.columns]
    if missing:
        raise PlanError(
            f"{source}: not a crosswalk",
            [f"column '{c}' is missing: a crosswalk needs old_code,new_code[,relation]"
             for c in missing],
        )  # fmt: skip
    for c in ("old_name", "new_name", "relation", "gso_note"):
        if c not in df.columns:
            df[c] = ""
    return df, source


def _assign_split(old: str, rows: pd.DataFrame, targets: list[str]) -> tuple[str, str]:
    """The new unit an old unit split among ``targets`` goes to, and the (Vietnamese) note saying so.

    The receiver of most people by the GSO note's shares (then most area), else the first
    listed target when the note has no figures.
    """
    shares: dict[str, tuple[float, float]] = {}
    for note in rows["gso_note"].astype(str):
        shares.update(split_shares(note))
    by_target = {}
    for t, tname in zip(rows["new_code"].astype(str), rows["new_name"].astype(str), strict=True):
        by_target[t] = shares.get(_norm(tname), (float("nan"), float("nan")))
    known = {t: v for t, v in by_target.items() if v[1] == v[1]}  # not NaN
    if known:
        chosen = max(known, key=lambda t: (known[t][1], known[t][0]))
        basis = "nhận nhiều dân nhất"
    else:
        chosen = targets[0]
        basis = "đơn vị nêu đầu tiên, ghi chú không có số liệu"
    old_name = str(rows["old_name"].iloc[0])
    name_of = dict(zip(rows["new_code"].astype(str), rows["new_name"].astype(str), strict=True))

    def share(t: str) -> str:
        if t not in known:
            return ""
        area, pop = known[t]
        area_vi = f"{area:g}".replace(".", ",")
        pop_vi = f"{pop:,.0f}".replace(",", ".")
        return f" ({area_vi} km², {pop_vi} người)"

    parts = ", ".join(f"{name_of[t]} {t}{share(t)}" for t in targets)
    note = f"{old_name} {old} được chia cho {parts}; gán toàn bộ vào {name_of[chosen]} {chosen} ({basis})."
    return chosen, note


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise PlanError(f"cannot read {path}", [str(exc)]) from exc


def _check_codes(assignment: pd.Series, units: pd.DataFrame, source: str) -> None:
    codes = pd.Index(units["code"].astype(str))
    idx = pd.Index(assignment.index.astype(str))
    problems = []
    missing = codes.difference(idx)
    if len(missing):
        problems.append(f"units {format_codes(missing)} are not in the mapping: add a row each")
    extra = idx.difference(codes)
    if len(extra):
        problems.append(
            f"codes {format_codes(extra)} are not units of this dataset: check the dataset or "
            "the codes (zero-padded, e.g. 07939)"
        )
    if problems:
        raise PlanError(f"{source}: the mapping does not match the units", problems)


def _column(df: pd.DataFrame, aliases: tuple[str, ...]) -> str | None:
    lower = {c.strip().lower(): c for c in df.columns}
    for a in aliases:
        if a in lower:
            return lower[a]
    return None


def plan_from_csv(path: str | Path, *, units: pd.DataFrame | None = None) -> ImportedPlan:
    """Read a plan from a CSV mapping old codes to new units.

    Accepted layouts: ``plan.csv`` (``code,new_unit[,seat_code]``), any CSV with an old
    code column (``code``/``old_code``) and a new-unit column (``new_unit``/``new_code``),
    optionally ``seat_code`` and ``new_name``; a crosswalk with a ``relation`` column is
    read with :func:`plan_from_crosswalk` (split units handled).

    Parameters
    ----------
    path : str or pathlib.Path
        CSV file (UTF-8).
    units : DataFrame, optional
        Units table to check the codes against (and pick seats by population).

    Returns
    -------
    ImportedPlan

    Raises
    ------
    PlanError
        If columns are missing, a code appears twice with different new units (outside a
        crosswalk), or codes do not match ``units``.
    """
    path = Path(path)
    df = _read_csv(path)
    if {"old_code", "new_code", "relation"} <= set(df.columns):
        return plan_from_crosswalk(df.assign(), units=units)
    old_col = _column(df, OLD_CODE_COLUMNS)
    new_col = _column(df, NEW_UNIT_COLUMNS)
    problems = []
    if old_col is None:
        problems.append(f"no old-code column: name one of {', '.join(OLD_CODE_COLUMNS)}")
    if new_col is None:
        problems.append(f"no new-unit column: name one of {', '.join(NEW_UNIT_COLUMNS)}")
    if problems:
        raise PlanError(f"{path}: not a mapping file (columns: {', '.join(df.columns)})", problems)
    assert old_col is not None and new_col is not None
    df[old_col] = df[old_col].str.strip()
    df[new_col] = df[new_col].str.strip()
    blank = df.index[(df[old_col] == "") | (df[new_col] == "")]
    if len(blank):
        problems.append(f"rows {format_codes(blank + 2)} have an empty code or new unit: fill them")
    dedup = df.drop_duplicates([old_col, new_col])
    dup = dedup.loc[dedup[old_col].duplicated(), old_col]
    if len(dup):
        problems.append(
            f"codes {format_codes(dup.unique())} are mapped to several new units: keep one row "
            "each (or use a crosswalk with a 'relation' column)"
        )
    if problems:
        raise PlanError(f"{path}: {len(problems)} problems", problems)
    dedup = dedup[dedup[old_col] != ""]
    s = pd.Series(dedup[new_col].to_numpy(), index=dedup[old_col].to_numpy(), dtype=object)
    if units is not None:
        _check_codes(s, units, str(path))
    seat_col = _column(df, SEAT_COLUMNS)
    name_col = _column(df, NEW_NAME_COLUMNS)
    seats = _pick_seats(s, units)
    if seat_col is not None:
        for g, c in zip(dedup[new_col], dedup[seat_col], strict=True):
            if c:
                seats[g] = c
    names: dict[str, str] = {}
    if name_col is not None:
        names = {g: n for g, n in zip(dedup[new_col], dedup[name_col], strict=True) if n}
    return ImportedPlan(plan=plan_from_mapping(s, seats=seats, names=names), notes=(), source=str(path))


def import_scenario(
    workspace: Any,
    name: str,
    *,
    dataset: str,
    source: str | Path = "crosswalk",
    units: gpd.GeoDataFrame | None = None,
    author: str = "",
    description: str = "",
    ruleset: str = "",
    if_exists: str = "error",
) -> Any:
    """Import a plan into a workspace as a scenario (with metrics).

    Parameters
    ----------
    workspace : Workspace or path
        Target workspace.
    name : str
        Scenario name.
    dataset : str
        Dataset whose units the plan groups (e.g. ``"phu_tho_2019"`` for the crosswalk).
    source : path or "crosswalk"
        A mapping CSV, or ``"crosswalk"`` for the bundled 2019→2020 crosswalk.
    units : GeoDataFrame, optional
        Units of ``dataset``; default the workspace copy, else ``load_dataset(dataset)``.
    author, description, ruleset, if_exists
        Stored with the scenario (``ruleset`` is used for metrics when given).

    Returns
    -------
    ScenarioInfo

    Raises
    ------
    PlanError
        If the mapping does not match the units.
    """
    from sapxep.scenarios.analysis.metrics import plan_metrics
    from sapxep.scenarios.workspace.store import Workspace

    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    if units is None:
        if ws.has_units(dataset):
            units = ws.units(dataset)
        else:
            from sapxep.geodata.io import load_dataset

            units = load_dataset(dataset)
    if str(source) == "crosswalk":
        imported = plan_from_crosswalk(None, units=units)
        kind = "crosswalk"
    else:
        imported = plan_from_csv(source, units=units)
        kind = "import"
    desc = " ".join([description, *imported.notes]).strip()
    metrics = plan_metrics(units, imported.plan, ruleset=ruleset or None)
    return ws.save(
        name,
        imported.plan,
        units=units,
        dataset=dataset,
        metrics=metrics,
        status="imported",
        source=kind if kind == "crosswalk" else f"import:{Path(str(source)).name}",
        author=author,
        description=desc,
        ruleset=ruleset,
        if_exists=if_exists,  # type: ignore[arg-type]
    )
