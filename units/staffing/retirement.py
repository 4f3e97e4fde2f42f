"""Statutory retirement ages (Labour Code 2019 Art. 169, Decree 135/2020/NĐ-CP roadmap).

Roadmap under normal working conditions:

- men: 60 years 3 months in 2021, +3 months each year, until 62 years (reached in 2028);
- women: 55 years 4 months in 2021, +4 months each year, until 60 years (reached in 2035);
- before 2021 (Labour Code 2012): men 60, women 55.

The age that applies is the one of the calendar year in which the person reaches it:
the retirement month is the first month ``M`` (counted from birth) such that
``M = birth + required_age(year of M)``. E.g. a man born 10/1961 would reach 60y3m in
01/2022, but 2022 requires 60y6m, so he retires in 04/2022 (Decree 135/2020 appendix I).

Months are indexed as ``year * 12 + (month - 1)``. A person is counted as working on the
first day of month ``S`` when their retirement month is ``>= S`` (they leave at the end
of the month in which they reach the age).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from sapxep.units.errors import ScenarioError

#: (base age in months in the first roadmap year, step months per year, final age months)
ROADMAP: Final[dict[str, tuple[int, int, int]]] = {
    "M": (60 * 12 + 3, 3, 62 * 12),
    "F": (55 * 12 + 4, 4, 60 * 12),
}
ROADMAP_START_YEAR: Final[int] = 2021
PRE_ROADMAP_AGE_MONTHS: Final[dict[str, int]] = {"M": 60 * 12, "F": 55 * 12}
SOURCE: Final[str] = "Bộ luật Lao động 2019 Điều 169; Nghị định 135/2020/NĐ-CP (lộ trình tuổi nghỉ hưu)"


def _check_sex(sex: str) -> str:
    if sex not in ROADMAP:
        raise ScenarioError(f"unknown sex '{sex}'", ["use 'M' (nam) or 'F' (nữ)"])
    return sex


def retirement_age_months(sex: str, year: int) -> int:
    """Return the statutory retirement age, in months, that applies in ``year``.

    Parameters
    ----------
    sex : {"M", "F"}
    year : int
        Calendar year in which the age is reached.

    Returns
    -------
    int
        E.g. ``retirement_age_months("M", 2021) == 723`` (60 years 3 months).

    Raises
    ------
    ScenarioError
        If ``sex`` is not ``"M"`` or ``"F"``.
    """
    base, step, final = ROADMAP[_check_sex(sex)]
    if year < ROADMAP_START_YEAR:
        return PRE_ROADMAP_AGE_MONTHS[sex]
    return min(final, base + step * (year - ROADMAP_START_YEAR))


def month_index(year: int, month: int) -> int:
    """Return ``year * 12 + month - 1`` (month 1..12)."""
    return year * 12 + (month - 1)


def from_month_index(index: int) -> tuple[int, int]:
    """Return ``(year, month)`` of a month index."""
    return index // 12, index % 12 + 1


def retirement_month_index(birth_year: int, birth_month: int, sex: str) -> int:
    """Return the month index in which a person reaches the statutory retirement age.

    Parameters
    ----------
    birth_year : int
    birth_month : int
        1..12.
    sex : {"M", "F"}

    Returns
    -------
    int
        Month index (see :func:`month_index`); the person works until the end of it.

    Raises
    ------
    ScenarioError
        If ``sex`` or ``birth_month`` is invalid.
    """
    _check_sex(sex)
    if not 1 <= int(birth_month) <= 12:
        raise ScenarioError(f"birth month {birth_month} is not 1..12", ["give a month 1..12"])
    born = month_index(int(birth_year), int(birth_month))
    # The required age never decreases with the year, so scan upwards from the lowest age.
    age = PRE_ROADMAP_AGE_MONTHS[sex]
    while True:
        m = born + age
        need = retirement_age_months(sex, m // 12)
        if need <= age:
            return m
        age = need


def retirement_date(birth_year: int, birth_month: int, sex: str) -> tuple[int, int, int]:
    """Return ``(year, month, age_months)`` of statutory retirement.

    Examples
    --------
    >>> retirement_date(1961, 10, "M")
    (2022, 4, 726)
    """
    idx = retirement_month_index(birth_year, birth_month, sex)
    y, mo = from_month_index(idx)
    return y, mo, idx - month_index(int(birth_year), int(birth_month))


def retirement_month_indices(birth_year: pd.Series, birth_month: pd.Series, sex: pd.Series) -> pd.Series:
    """Vectorised :func:`retirement_month_index` over roster columns.

    Parameters
    ----------
    birth_year, birth_month, sex : pandas.Series
        Same index; months 1..12 (fill missing months before calling).

    Returns
    -------
    pandas.Series of int
    """
    cache: dict[tuple[int, int, str], int] = {}
    out = np.empty(len(birth_year), dtype=np.int64)
    for i, key in enumerate(
        zip(birth_year.astype(int), birth_month.astype(int), sex.astype(str), strict=True)
    ):
        if key not in cache:
            cache[key] = retirement_month_index(*key)
        out[i] = cache[key]
    return pd.Series(out, index=birth_year.index, name="retirement_month_index")
