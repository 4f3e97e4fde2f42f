"""Numbers and measures written for readers (Vietnamese by default, or English)."""

from __future__ import annotations

import math

from sapxep.units.choices import Lang


def format_number(x: float, *, decimals: int = 0, lang: Lang = "vi") -> str:
    """Format a number the Vietnamese way (``2.739``, ``6,70``) or the English way.

    Parameters
    ----------
    x : float
    decimals : int, default 0
    lang : {"vi", "en"}

    Returns
    -------
    str
    """
    s = f"{x:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def _pct_label(p: float) -> str:
    # floor, so that 69.9 % shows as 69 % ("below 70 %" stays visibly true)
    return f"{math.floor(round(p, 6))}%"


def _area_label(a: float, lang: Lang) -> str:
    return format_number(a, decimals=2, lang=lang) + " km²"


def _min_area_label(a: float, lang: Lang) -> str:
    dec = 0 if float(a).is_integer() else (1 if round(a, 1) == a else 2)
    return format_number(a, decimals=dec, lang=lang) + " km²"


def _pop_label(p: float, lang: Lang) -> str:
    return format_number(p, lang=lang) + (" người" if lang == "vi" else " people")
