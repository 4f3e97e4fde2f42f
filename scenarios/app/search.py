"""Search units and scenarios by name, with or without Vietnamese diacritics ("yen luat")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sapxep.units.staffing.templates import fold


def matches(query: str, text: str) -> bool:
    """Return True when every word of ``query`` occurs in ``text``, ignoring case and diacritics."""
    words = fold(query).split()
    target = fold(text)
    return bool(words) and all(w in target for w in words)


def search_units(units: Any, query: str, *, limit: int = 50) -> list[str]:
    """Return the codes of the units whose name or code matches ``query`` (at most ``limit``).

    Parameters
    ----------
    units : pandas.DataFrame
        Units table (``code``, ``name``).
    query : str
        Words to look for; "yen luat" finds "Xã Yên Luật". Empty finds nothing.
    limit : int

    Returns
    -------
    list of str
    """
    if not query or not query.strip():
        return []
    out = []
    for code, name in zip(units["code"].astype(str), units["name"].astype(str), strict=True):
        if matches(query, f"{name} {code}"):
            out.append(code)
            if len(out) >= limit:
                break
    return out


def search_names(names: Iterable[str], query: str) -> list[str]:
    """Return the names (e.g. of scenarios) that match ``query``; all of them when it is empty."""
    items = list(names)
    if not query or not query.strip():
        return items
    return [n for n in items if matches(query, n)]
