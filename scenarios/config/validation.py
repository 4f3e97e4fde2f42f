"""Field readers that collect problems, and checks of a section without data.

Each reader takes the raw TOML value, a ``where`` label (``"[plan] locks"``) and the list of
problems; it appends a message when the value is wrong and returns a safe default, so a
file's every problem is reported at once.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from sapxep.scenarios.config.model import PlanConfig


def suggest(key: str, allowed: list[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest allowed name, or ``""``."""
    close = difflib.get_close_matches(key, allowed, n=1)
    if not close:
        close = [a for a in allowed if a.lower() == key.lower()]
    return f" (did you mean '{close[0]}'?)" if close else ""


def near_name(key: str, known: list[str]) -> str | None:
    """Return the known name ``key`` is a near-miss of (case or a typo away), or None.

    Stricter than :func:`suggest` (similarity >= 0.75 after lower-casing), so that real
    extension sections such as ``[staffing]`` or ``[costs]`` are not taken for typos.
    """
    if key in known:
        return None
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.75)
    return close[0] if close else None


def unknown_keys(table: Mapping[str, Any], cls: type, where: str, problems: list[str]) -> None:
    """Append a problem for every key of ``table`` that is not a field of ``cls``."""
    allowed = [f.name for f in fields(cls)]
    for k in table:
        if k not in allowed:
            problems.append(
                f"[{where}] unknown key '{k}'{suggest(k, allowed)}; allowed: {', '.join(allowed)}"
            )


def as_text(v: Any, where: str, problems: list[str]) -> str:
    """Return ``v`` if it is text, else record a problem and return ``""``."""
    if not isinstance(v, str):
        problems.append(f"{where} must be text, got {v!r}")
        return ""
    return v


def opt_number(v: Any, where: str, problems: list[str], *, integer: bool, minimum: float) -> Any:
    """Return ``v`` if it is a finite number (an integer if ``integer``) >= ``minimum``, or None.

    ``None`` stays ``None``; anything else wrong records a problem and gives ``None``.
    """
    if v is None:
        return None
    ok_types = (int,) if integer else (int, float)
    if isinstance(v, bool) or not isinstance(v, ok_types):
        problems.append(f"{where} must be {'an integer' if integer else 'a number'}, got {v!r}")
        return None
    if not math.isfinite(v):
        problems.append(f"{where} must be a finite number, got {v!r}")
        return None
    if v < minimum:
        problems.append(f"{where} must be >= {minimum:g}, got {v!r}")
        return None
    return v


def opt_float(v: Any, where: str, problems: list[str], *, minimum: float) -> float | None:
    """Like :func:`opt_number` for a float."""
    n = opt_number(v, where, problems, integer=False, minimum=minimum)
    return None if n is None else float(n)


def codes(v: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    """Return a list of unit codes as a tuple of text, or record a problem and return ``()``."""
    if not isinstance(v, list) or not all(isinstance(c, str | int) for c in v):
        problems.append(f"{where} must be a list of unit codes (text), got {v!r}")
        return ()
    return tuple(str(c) for c in v)


def pairs(v: Any, where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    """Return ``[[a, b], ...]`` as a tuple of code pairs; record every malformed pair."""
    out = []
    if not isinstance(v, list):
        problems.append(f"{where} must be a list of [code, code] pairs, got {v!r}")
        return ()
    for k, pair in enumerate(v):
        if not isinstance(pair, list) or len(pair) != 2:
            problems.append(f"{where}[{k}] must be [code, code], got {pair!r}")
            continue
        a, b = str(pair[0]), str(pair[1])
        if a == b:
            problems.append(f"{where}[{k}] pairs unit {a} with itself")
            continue
        out.append((a, b))
    return tuple(out)


def plan_contradictions(p: PlanConfig) -> list[str]:
    """Contradictions inside the [plan] section, found without data.

    Locked units in forced pairs or given as fixed seats of others, pairs both forced and
    forbidden, units both locked and exempt-free forced, duplicated entries.
    """
    out: list[str] = []
    locks = set(p.locks)
    dup = sorted({c for c in p.locks if p.locks.count(c) > 1})
    if dup:
        out.append(f"[plan] locks lists {', '.join(dup)} more than once")
    for a, b in p.forced_pairs:
        for c in (a, b):
            if c in locks:
                other = b if c == a else a
                out.append(
                    f"[plan] unit {c} is locked (unchanged) but forced together with {other}: "
                    "remove the lock or the pair"
                )
    forced = {frozenset(pr) for pr in p.forced_pairs}
    for a, b in p.forbidden_pairs:
        if frozenset((a, b)) in forced:
            out.append(f"[plan] units {a} and {b} are both forced together and forbidden")
    for a, b in p.forced_pairs:
        if a in p.fixed_seats and b in p.fixed_seats:
            out.append(
                f"[plan] units {a} and {b} are forced together but both fixed as seats "
                "(a new unit has one seat)"
            )
    return out
