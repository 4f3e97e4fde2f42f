"""Staff rosters: schema, reading (CSV/XLSX), validation and a seeded synthetic generator.

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
and raises one :class:`sapxep.units.errors.RosterError`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from sapxep.units.errors import RosterError, ScenarioError, format_codes
from sapxep.units.staffing.ages import AgeProfile, draw_age, load_age_profile
from sapxep.units.staffing.headcounts import position_headcounts
from sapxep.units.staffing.quotas import unit_quotas
from sapxep.units.staffing.retirement import retirement_age_months, retirement_month_index
from sapxep.units.staffing.templates import (
    CATEGORY_LABELS_VI,
    fold,
    load_template,
    title_aliases,
    title_vocabulary,
)

logger = logging.getLogger(__name__)

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
    rows = pd.Series(np.arange(len(df)) + 2, index=df.index)
    grouped: dict[str, list[int]] = defaultdict(list)

    def add(kind: str, idx: Iterable[Any]) -> None:
        found = [int(rows[i]) for i in idx]
        if found:
            grouped[kind].extend(found)

    df = df.replace({"nan": "", "None": "", "<NA>": "", "NaT": ""})
    for col in REQUIRED:
        add(f"empty '{col}': fill it in", df.index[df[col] == ""])
    filled = lambda col: df[col] != ""  # noqa: E731

    if unit_codes is not None:
        known = {str(c) for c in unit_codes}
        # spreadsheets drop leading zeros ("8041" for "08041"): pad when that finds the code
        widths = {len(c) for c in known if c.isdigit()}
        if len(widths) == 1:
            w = widths.pop()
            pad = df["unit_code"].str.isdigit() & ~df["unit_code"].isin(known)
            padded = df.loc[pad, "unit_code"].str.zfill(w)
            df.loc[pad, "unit_code"] = padded.where(padded.isin(known), df.loc[pad, "unit_code"])
        for code, idx in df[filled("unit_code")].groupby("unit_code").groups.items():
            if code not in known:
                add(f"unknown unit code '{code}': use a code of the units table", idx)

    dup = df[filled("person_id") & df["person_id"].duplicated(keep=False)]
    for pid, idx in dup.groupby("person_id").groups.items():
        add(f"person_id '{pid}' appears more than once: ids must be unique", idx)

    by = pd.to_numeric(df["birth_year"].str.replace(r"\.0$", "", regex=True), errors="coerce")
    lo, hi = reference_year - max_age, reference_year - min_age
    bad_by = df.index[filled("birth_year") & (by.isna() | (by % 1 != 0))]
    add("birth_year is not a whole number: write e.g. 1975", bad_by)
    out_by = df.index[by.notna() & ((by < lo) | (by > hi))]
    for i in out_by:
        add(
            f"impossible birth year {int(by[i])}: a working person in {reference_year} is born {lo}–{hi}",
            [i],
        )

    if "birth_month" in df.columns:
        bm_raw = df["birth_month"].str.replace(r"\.0$", "", regex=True)
        bm = pd.to_numeric(bm_raw, errors="coerce")
        bad_bm = df.index[(bm_raw != "") & (bm.isna() | ~bm.isin(range(1, 13)))]
        add("birth_month is not 1..12 (leave empty if unknown)", bad_bm)
    else:
        bm = pd.Series(np.nan, index=df.index)

    sex = df["sex"].map(lambda v: _SEX_VALUES.get(fold(v)))
    add("sex is not M/F (nam/nữ)", df.index[filled("sex") & sex.isna()])

    cat = df["category"].map(lambda v: _CATEGORY_VALUES.get(fold(v)))
    bad_cat = df.index[filled("category") & cat.isna()]
    add("category is not cadre / civil_servant / part_time / public_employee", bad_cat)

    aliases = title_aliases()
    vocab = title_vocabulary()
    title = df["title"].map(lambda v: aliases.get(fold(v)))
    for t, idx in df[filled("title") & title.isna()].groupby("title").groups.items():
        add(
            f"unknown title '{t}': use a title code or its Vietnamese label (list: `sapxep staffing-titles`)",
            idx,
        )
    ok = title.notna() & cat.notna()
    mismatch = df.index[ok & (title.map(lambda t: vocab[t].category if t in vocab else "") != cat)]
    for i in mismatch:
        add(
            f"title '{df.at[i, 'title']}' is a {vocab[title[i]].category} post but category says {cat[i]}",
            [i],
        )

    if grouped:
        n_rows = len({r for v in grouped.values() for r in v})
        problems = [f"{kind} (rows {format_codes(sorted(set(r)))})" for kind, r in grouped.items()]
        raise RosterError(
            f"{source}: {n_rows} of {len(df)} rows have problems ({len(problems)} kinds)",
            problems,
        )
    est = (
        df["estimated"].map(lambda v: fold(v) in _TRUE)
        if "estimated" in df.columns
        else pd.Series(False, index=df.index)
    )
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


# ---------------------------------------------------------------------------
# Synthetic roster
# ---------------------------------------------------------------------------

_QUALIFICATIONS: Final[dict[str, tuple[tuple[str, ...], tuple[float, ...]]]] = {
    "cadre": (("Đại học", "Thạc sĩ", "Cao đẳng"), (0.78, 0.17, 0.05)),
    "civil_servant": (("Đại học", "Thạc sĩ", "Cao đẳng"), (0.85, 0.08, 0.07)),
    "part_time": (("Trung cấp", "Cao đẳng", "Đại học", "THPT"), (0.35, 0.15, 0.3, 0.2)),
    "public_employee": (("Đại học", "Cao đẳng"), (0.8, 0.2)),
}


def synthetic_roster(
    units: pd.DataFrame,
    *,
    seed: int = 0,
    reference_year: int = 2025,
    reference_month: int = 1,
    default_class: str = "II",
    ruleset: str | Any = "nq35_2023",
    quotas: pd.DataFrame | None = None,
    vacancy_rate: float = 0.0,
    age_profile: AgeProfile | str | Path | None = None,
) -> pd.DataFrame:
    """Generate an estimated roster that fills every unit to its Decree 33/2023 quota.

    Each unit gets exactly the headcount of every position of the 2023 template for its
    class (cadre posts; the civil-servant rest of the quota split between the six titles;
    part-time workers up to the part-time quota). Ages are drawn from the age bands of
    ``age_profile`` (an assumption, see ``units/templates/roster_age_profile.toml``), below
    the statutory retirement age at the reference date;
    sex and qualification from fixed plausible shares. Rows carry ``estimated = True``.

    Parameters
    ----------
    units : pandas.DataFrame
        Units table.
    seed : int, default 0
        Seed of the random generator (same seed, same roster).
    reference_year, reference_month : int
        Date at which everyone is of working age.
    default_class : {"I", "II", "III"}, default "II"
        Class where ``commune_class`` is missing.
    ruleset : str or Ruleset, default "nq35_2023"
    quotas : pandas.DataFrame, optional
        Output of :func:`sapxep.units.staffing.quotas.unit_quotas` (computed if not given).
    vacancy_rate : float, default 0.0
        Probability that a civil-servant or part-time post is left vacant (0 = every unit
        filled exactly to its quota). Cadre posts are always filled.
    age_profile : AgeProfile or path, optional
        Age bands and shares by category (default: the bundled, labelled assumption).

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`validate_roster`; ``estimated`` is True, ``qualification``
        plausible, ``row`` numbers of the generated table.
    """
    if not 0.0 <= vacancy_rate < 1.0:
        raise ScenarioError(f"vacancy rate {vacancy_rate} is out of range", ["use a share in [0, 1)"])
    rng = np.random.default_rng(seed)
    prof = age_profile if isinstance(age_profile, AgeProfile) else load_age_profile(age_profile)
    tpl = load_template("2023")
    q = quotas if quotas is not None else unit_quotas(units, default_class=default_class, ruleset=ruleset)
    ref = reference_year * 12 + reference_month - 1
    recs: list[dict[str, Any]] = []
    for code, qr in q.iterrows():
        counts = position_headcounts(
            tpl,
            unit_type=str(qr["unit_type"]),
            commune_class=str(qr["commune_class"]),
            cb_cc_quota=int(qr["quota_cb_cc"]),
            part_time_quota=int(qr["quota_part_time"]),
        )
        n = 0
        for pid, k in counts.items():
            pos = tpl.positions[pid]
            share_f = prof.women.get(pos.category, 0.4)
            amin = prof.leader_min_age if pos.leadership else prof.lower[0]
            for _ in range(k):
                if vacancy_rate and pos.category != "cadre" and rng.random() < vacancy_rate:
                    continue
                n += 1
                sex = "F" if pid == "chu_tich_hoi_phu_nu" or rng.random() < share_f else "M"
                if pid == "chu_tich_hoi_ccb":
                    sex = "M" if rng.random() < 0.9 else "F"
                # an age below the statutory retirement age at the reference date
                amax = retirement_age_months(sex, reference_year) / 12.0
                for _attempt in range(20):
                    age = draw_age(rng, prof, pos.category, amin=amin, amax=amax)
                    born = ref - int(age * 12)
                    by, bm = born // 12, born % 12 + 1
                    if retirement_month_index(by, bm, sex) >= ref:
                        break
                else:  # pragma: no cover - the bound above makes this unreachable
                    by, bm = (ref - int(amin * 12)) // 12, (ref - int(amin * 12)) % 12 + 1
                quals, probs = _QUALIFICATIONS[pos.category]
                recs.append(
                    {
                        "unit_code": str(code),
                        "person_id": f"UT-{code}-{n:03d}",
                        "title": pid,
                        "title_label": pos.label_for(str(qr["unit_type"])),
                        "category": pos.category,
                        "birth_year": by,
                        "birth_month": bm,
                        "sex": sex,
                        "qualification": str(rng.choice(quals, p=probs)),
                        "estimated": True,
                    }
                )
    out = pd.DataFrame(recs)
    out["birth_year"] = out["birth_year"].astype("int64")
    out["birth_month"] = out["birth_month"].astype("Int64")
    out["row"] = np.arange(len(out), dtype="int64") + 2
    logger.info(
        "synthetic roster (ESTIMATED, seed %d): %d persons in %d units",
        seed,
        len(out),
        out["unit_code"].nunique(),
    )
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
