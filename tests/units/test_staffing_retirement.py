"""Statutory retirement ages at the edges of the Decree 135/2020 roadmap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sapxep.units.errors import ScenarioError
from sapxep.units.staffing.retirement import (
    month_index,
    retirement_age_months,
    retirement_date,
    retirement_month_index,
)


@pytest.mark.parametrize(
    ("sex", "year", "months"),
    [
        ("M", 2020, 720), ("M", 2021, 723), ("M", 2022, 726), ("M", 2027, 741),
        ("M", 2028, 744), ("M", 2035, 744),
        ("F", 2020, 660), ("F", 2021, 664), ("F", 2022, 668), ("F", 2034, 716),
        ("F", 2035, 720), ("F", 2045, 720),
    ],
)  # fmt: skip
def test_roadmap_ages(sex, year, months):
    assert retirement_age_months(sex, year) == months


@pytest.mark.parametrize(
    ("born", "sex", "expected"),
    [
        # men: first roadmap year, month boundary of 2021/2022 (Decree 135 appendix I)
        ((1961, 1), "M", (2021, 4, 723)),
        ((1961, 9), "M", (2021, 12, 723)),
        ((1961, 10), "M", (2022, 4, 726)),
        ((1962, 6), "M", (2022, 12, 726)),
        ((1962, 7), "M", (2023, 4, 729)),
        # men: end point 2028 (62 years)
        ((1966, 3), "M", (2027, 12, 741)),
        ((1966, 4), "M", (2028, 4, 744)),
        ((1970, 5), "M", (2032, 5, 744)),
        # before the roadmap
        ((1960, 1), "M", (2020, 1, 720)),
        ((1965, 8), "F", (2020, 8, 660)),
        # women: first roadmap year and end point 2035 (60 years)
        ((1966, 1), "F", (2021, 5, 664)),
        ((1975, 4), "F", (2034, 12, 716)),
        ((1975, 5), "F", (2035, 5, 720)),
        ((1980, 1), "F", (2040, 1, 720)),
        # same birth, different sex
        ((1970, 6), "M", (2032, 6, 744)),
        ((1970, 6), "F", (2027, 10, 688)),
    ],
)
def test_retirement_dates(born, sex, expected):
    assert retirement_date(*born, sex) == expected


@given(
    st.integers(min_value=1955, max_value=2005),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["M", "F"]),
)
def test_retirement_is_the_age_of_its_year_and_monotone(year, month, sex):
    born = month_index(year, month)
    m = retirement_month_index(year, month, sex)
    assert m - born == retirement_age_months(sex, m // 12)
    # one month younger never retires earlier
    ny, nm = (year, month + 1) if month < 12 else (year + 1, 1)
    assert retirement_month_index(ny, nm, sex) >= m


def test_bad_sex_or_month():
    with pytest.raises(ScenarioError, match="unknown sex"):
        retirement_date(1970, 1, "X")
    with pytest.raises(ScenarioError, match="birth month"):
        retirement_date(1970, 13, "M")
