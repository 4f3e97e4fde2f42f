"""Staff rosters: schema, reading (CSV/XLSX) and validation.

Roster schema (one row per person; English column names, Vietnamese values accepted):

=================  ==========================================================================
``unit_code``      code of the (original) unit the person works in
``person_id``      unique id
``title``          position/title: a code (``chu_tich_ubnd``) or its Vietnamese label
                   (``Chủ tịch UBND``), with or without accents
``category``       cadre | civil_servant | part_time | public_employee
                   (also: cán bộ | công chức | không chuyên trách | viên chức)
``birth_year``     four-digit year
``birth_month``    optional, 1..12 (missing: ``default_birth_month`` is used for retirement)
``sex``            M | F (also: nam | nữ, male | female)
``qualification``  optional free text
``estimated``      optional bool: true for synthetic (estimated) rows
=================  ==========================================================================

Validation collects every problem with its row number (the spreadsheet row: header = 1)
and raises one :class:`sapxep.units.errors.RosterError`. The seeded synthetic roster is
:mod:`sapxep.units.staffing.synthetic` (:func:`synthetic_roster` is re-exported here).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from sapxep.units.errors import RosterError, format_codes
from sapxep.units.staffing.synthetic import synthetic_roster
from sapxep.units.staffing.templates import (
    CATEGORY_LABELS_VI,
    fold,
    title_aliases,
    title_vocabulary,
)

logger = logging.getLogger(__name__)

__all__ = [
    "COLUMNS",
    "ESTIMATED_LABEL_EN",
    "ESTIMATED_LABEL_VI",
    "read_roster",
    "roster_counts",
    "synthetic_roster",
    "validate_roster",
]

REQUIRED: Final[tuple[str, ...]] = (
    "unit_code", "person_id", "title", "category", "birth_year", "sex",
)  # fmt: skip
OPTIONAL: Final[tuple[str, ...]] = ("birth_month", "qualification", "estimated")
COLUMNS: Final[tuple[str, ...]] = REQUIRED + OPTIONAL

#: Vietnamese column headers accepted as synonyms.
COLUMN_ALIASES: Final[dict[str, str]] = {
    "ma_don_vi": "unit_code", "ma_xa": "unit_code", "code": "unit_code",
    "ma_can_bo": "person_id", "id": "person_id",
    "chuc_danh": "title", "chuc_vu": "title", "position": "title",
    "loai": "category", "nhom": "category",
    "nam_sinh": "birth_year", "thang_sinh": "birth_month",
    "gioi_tinh": "sex", "trinh_do": "qualification",
}  # fmt: skip

_CATEGORY_VALUES: Final[dict[str, str]] = {
    **{fold(k): k for k in ("cadre", "civil_servant", "part_time", "public_employee")},
    "civil servant": "civil_servant", "part time": "part_time", "part-time": "part_time",
    "public employee": "public_employee",
    **{fold(v): k for k, v in CATEGORY_LABELS_VI.items()},
    "can bo": "cadre", "cong chuc": "civil_servant", "khong chuyen trach": "part_time",
    "vien chuc": "public_employee",
}  # fmt: skip
_SEX_VALUES: Final[dict[str, str]] = {
    "m": "M", "male": "M", "nam": "M", "f": "F", "female": "F", "nu": "F",
}  # fmt: skip
_TRUE: Final[frozenset[str]] = frozenset({"true", "1", "yes", "x", "co", "y"})

#: Label stamped on every synthetic row and output.
ESTIMATED_LABEL_VI: Final[str] = "SỐ LIỆU ƯỚC TÍNH (danh sách giả lập, không phải dữ liệu thật)"
ESTIMATED_LABEL_EN: Final[str] = "ESTIMATED DATA (synthetic roster, not real staff)"


def _norm_header(h: object) -> str:
    f = fold(str(h)).replace(" ", "_")
    return COLUMN_ALIASES.get(f, f)


def read_roster(
    path: str | Path,
    *,
    unit_codes: Iterable[str] | None = None,
    reference_year: int = 2025,
) -> pd.DataFrame:
    """Read and validate a roster file (CSV or XLSX, first sheet).

    Parameters
    ----------
    path : str or Path
        ``.csv`` (UTF-8, with or without BOM) or ``.xlsx``.
    unit_codes : iterable of str, optional
        Known unit codes; rows naming another code are reported.
    reference_year : int, default 2025
        Year used to judge birth years (age 18–70 in that year is accepted).

    Returns
    -------
    pandas.DataFrame
        The normalised roster (see :func:`validate_roster`).

    Raises
    ------
    RosterError
        If the file cannot be read or any row is invalid (all problems listed).
    """
    p = Path(path)
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            raw = pd.read_excel(p, dtype=str, keep_default_na=False)
        else:
            raw = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise RosterError(f"cannot read roster {p}", [str(exc)]) from exc
    return validate_roster(raw, unit_codes=unit_codes, reference_year=reference_year, source=str(p))


class _RowProblems:
    """Problems found in a roster, grouped by kind, with their spreadsheet row numbers."""

    def __init__(self, rows: pd.Series) -> None:
        self.rows = rows
        self.grouped: dict[str, list[int]] = defaultdict(list)

    def add(self, kind: str, idx: Iterable[Any]) -> None:
        """Record problem ``kind`` at the rows of index labels ``idx`` (nothing if empty)."""
        found = [int(self.rows[i]) for i in idx]
        if found:
            self.grouped[kind].extend(found)

    def raise_if_any(self, source: str, n_rows: int) -> None:
        """Raise one :class:`RosterError` listing every kind of problem with its rows."""
        if not self.grouped:
            return
        n_bad = len({r for v in self.grouped.values() for r in v})
        problems = [f"{kind} (rows {format_codes(sorted(set(r)))})" for kind, r in self.grouped.items()]
        raise RosterError(
            f"{source}: {n_bad} of {n_rows} rows have problems ({len(problems)} kinds)",
            problems,
        )


def _text_frame(raw: pd.DataFrame, source: str) -> pd.DataFrame:
    """Return ``raw`` with canonical headers and stripped text cells ("" = empty).

    Raises
    ------
    RosterError
        If required columns are missing.
    """
    df = raw.copy()
    df.columns = [_norm_header(c) for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise RosterError(
            f"{source}: {len(missing)} required columns missing",
            [
                f"add column(s) {', '.join(missing)}; the roster needs {', '.join(REQUIRED)} "
                f"(optional: {', '.join(OPTIONAL)})"
            ],
        )
    df = df.astype(str).apply(lambda s: s.str.strip())
    return df.replace({"nan": "", "None": "", "<NA>": "", "NaT": ""})


def _check_unit_codes(df: pd.DataFrame, unit_codes: Iterable[str], found: _RowProblems) -> None:
    """Report unknown unit codes; pad numeric codes that lost their leading zeros (in place)."""
    known = {str(c) for c in unit_codes}
    # spreadsheets drop leading zeros ("8041" for "08041"): pad when that finds the code
    widths = {len(c) for c in known if c.isdigit()}
    if len(widths) == 1:
        w = widths.pop()
        pad = df["unit_code"].str.isdigit() & ~df["unit_code"].isin(known)
        padded = df.loc[pad, "unit_code"].str.zfill(w)
        df.loc[pad, "unit_code"] = padded.where(padded.isin(known), df.loc[pad, "unit_code"])
    for code, idx in df[df["unit_code"] != ""].groupby("unit_code").groups.items():
        if code not in known:
            found.add(f"unknown unit code '{code}': use a code of the units table", idx)


def _birth_dates(
    df: pd.DataFrame, found: _RowProblems, *, reference_year: int, min_age: int, max_age: int
) -> tuple[pd.Series, pd.Series]:
    """Return birth years and months (NaN = unknown month) as numbers; report bad ones."""
    by = pd.to_numeric(df["birth_year"].str.replace(r"\.0$", "", regex=True), errors="coerce")
    lo, hi = reference_year - max_age, reference_year - min_age
    bad_by = df.index[(df["birth_year"] != "") & (by.isna() | (by % 1 != 0))]
    found.add("birth_year is not a whole number: write e.g. 1975", bad_by)
    out_by = df.index[by.notna() & ((by < lo) | (by > hi))]
    for i in out_by:
        found.add(
            f"impossible birth year {int(by[i])}: a working person in {reference_year} is born {lo}–{hi}",
            [i],
        )
    if "birth_month" not in df.columns:
        return by, pd.Series(np.nan, index=df.index)
    bm_raw = df["birth_month"].str.replace(r"\.0$", "", regex=True)
    bm = pd.to_numeric(bm_raw, errors="coerce")
    bad_bm = df.index[(bm_raw != "") & (bm.isna() | ~bm.isin(range(1, 13)))]
    found.add("birth_month is not 1..12 (leave empty if unknown)", bad_bm)
    return by, bm


def _coded_values(df: pd.DataFrame, found: _RowProblems) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return sex (M/F), category and title codes (NaN = unknown); report unknown or mismatched ones."""
    filled = lambda col: df[col] != ""  # noqa: E731
    sex = df["sex"].map(lambda v: _SEX_VALUES.get(fold(v)))
    found.add("sex is not M/F (nam/nữ)", df.index[filled("sex") & sex.isna()])

    cat = df["category"].map(lambda v: _CATEGORY_VALUES.get(fold(v)))
    bad_cat = df.index[filled("category") & cat.isna()]
    found.add("category is not cadre / civil_servant / part_time / public_employee", bad_cat)

    aliases = title_aliases()
    vocab = title_vocabulary()
    title = df["title"].map(lambda v: aliases.get(fold(v)))
    for t, idx in df[filled("title") & title.isna()].groupby("title").groups.items():
        found.add(
            f"unknown title '{t}': use a title code or its Vietnamese label (list: `sapxep staffing-titles`)",
            idx,
        )
    ok = title.notna() & cat.notna()
    mismatch = df.index[ok & (title.map(lambda t: vocab[t].category if t in vocab else "") != cat)]
    for i in mismatch:
        found.add(
            f"title '{df.at[i, 'title']}' is a {vocab[title[i]].category} post but category says {cat[i]}",
            [i],
        )
    return sex, cat, title


def validate_roster(
    raw: pd.DataFrame,
    *,
    unit_codes: Iterable[str] | None = None,
    reference_year: int = 2025,
    min_age: int = 18,
    max_age: int = 70,
    source: str = "roster",
) -> pd.DataFrame:
    """Validate and normalise a roster table; collect every problem, raise once.

    Checks: required columns; empty cells; unknown unit codes (numeric codes that lost
    their leading zeros in a spreadsheet are padded when that matches); duplicate person ids;
    birth years that are not a number or give an age outside ``min_age..max_age`` in
    ``reference_year``; birth months outside 1..12; unknown sex, category or title; a title
    whose category differs from the ``category`` column.

    Parameters
    ----------
    raw : pandas.DataFrame
        As read (strings); column names may use the Vietnamese aliases.
    unit_codes : iterable of str, optional
        Known unit codes.
    reference_year : int, default 2025
    min_age, max_age : int, default 18 and 70
        Plausible working ages in ``reference_year``.
    source : str
        Name used in the error summary.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit_code, person_id, title, title_label, category, birth_year,
        birth_month (Int64, <NA> = unknown), sex (M/F), qualification, estimated (bool)``,
        plus ``row`` (spreadsheet row number).

    Raises
    ------
    RosterError
        Listing every problem with row numbers.
    """
    df = _text_frame(raw, source)
    rows = pd.Series(np.arange(len(df)) + 2, index=df.index)
    found = _RowProblems(rows)
    for col in REQUIRED:
        found.add(f"empty '{col}': fill it in", df.index[df[col] == ""])
    if unit_codes is not None:
        _check_unit_codes(df, unit_codes, found)
    dup = df[(df["person_id"] != "") & df["person_id"].duplicated(keep=False)]
    for pid, idx in dup.groupby("person_id").groups.items():
        found.add(f"person_id '{pid}' appears more than once: ids must be unique", idx)
    by, bm = _birth_dates(df, found, reference_year=reference_year, min_age=min_age, max_age=max_age)
    sex, cat, title = _coded_values(df, found)
    found.raise_if_any(source, len(df))
    est = (
        df["estimated"].map(lambda v: fold(v) in _TRUE)
        if "estimated" in df.columns
        else pd.Series(False, index=df.index)
    )
    vocab = title_vocabulary()
    out = pd.DataFrame(
        {
            "unit_code": df["unit_code"].astype(str),
            "person_id": df["person_id"].astype(str),
            "title": title.astype(str),
            "title_label": title.map(lambda t: vocab[t].label_vi),
            "category": cat.astype(str),
            "birth_year": by.astype("int64"),
            "birth_month": pd.array(bm, dtype="Int64"),
            "sex": sex.astype(str),
            "qualification": df.get("qualification", pd.Series("", index=df.index)).astype(str),
            "estimated": est.astype(bool),
            "row": rows.astype("int64"),
        }
    ).reset_index(drop=True)
    logger.info("roster %s: %d persons in %d units", source, len(out), out["unit_code"].nunique())
    return out


def roster_counts(roster: pd.DataFrame, by: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Count persons by unit, category and title.

    Parameters
    ----------
    roster : pandas.DataFrame
        A validated roster.
    by : mapping, optional
        unit_code -> group id (e.g. new unit); default: the unit code itself.

    Returns
    -------
    pandas.DataFrame
        Columns ``unit, category, title, n``.
    """
    unit = roster["unit_code"].map(by) if by is not None else roster["unit_code"]
    return (
        roster.assign(unit=unit)
        .groupby(["unit", "category", "title"], sort=True)
        .size()
        .rename("n")
        .reset_index()
    )
