"""Age structure of the synthetic roster: bands and shares by category, as data.

The bundled profile (``units/templates/roster_age_profile.toml``) is a labelled assumption
(no national age table of commune officials was found); any file of the same shape can
replace it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sapxep.units.errors import RosterError

__all__ = ["AgeProfile", "draw_age", "load_age_profile"]


@dataclass(frozen=True)
class AgeProfile:
    """Age structure of the synthetic roster (``units/templates/roster_age_profile.toml``).

    Attributes
    ----------
    lower : tuple of float
        Lower bound of each age band (years); the last band ends at the retirement age.
    shares : dict
        category -> share of each band (sums to 1).
    women : dict
        category -> share of women.
    leader_min_age : float
        Youngest age of a leadership post.
    label_vi, source, confidence : str
        What it is (an assumption) and where its shape comes from.
    """

    lower: tuple[float, ...]
    shares: dict[str, tuple[float, ...]]
    women: dict[str, float]
    leader_min_age: float
    label_vi: str
    source: str
    confidence: str


def load_age_profile(path: str | Path | None = None) -> AgeProfile:
    """Read an age profile (default: the bundled assumption).

    Raises
    ------
    RosterError
        If the file is unreadable, a share list has the wrong length or does not sum to 1.
    """
    import tomllib
    from importlib import resources

    if path is None:
        text = (resources.files("sapxep.units") / "templates" / "roster_age_profile.toml").read_text(
            encoding="utf-8"
        )
        where = "roster_age_profile.toml"
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RosterError(f"cannot read age profile {where}", [str(exc)]) from exc
    try:
        d = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RosterError(f"cannot read age profile {where}", [str(exc)]) from exc
    lower = tuple(float(x) for x in d.get("bands", {}).get("lower", ()))
    problems = []
    shares: dict[str, tuple[float, ...]] = {}
    for cat in ("cadre", "civil_servant", "part_time"):
        sh = tuple(float(x) for x in d.get("shares", {}).get(cat, ()))
        if len(sh) != len(lower) or not lower:
            problems.append(f"[shares] {cat}: give one share per band in [bands] lower ({len(lower)})")
        elif abs(sum(sh) - 1.0) > 1e-6:
            problems.append(f"[shares] {cat}: shares sum to {sum(sh):.3f}, not 1")
        shares[cat] = sh
    if list(lower) != sorted(lower):
        problems.append("[bands] lower must be increasing")
    if problems:
        raise RosterError(f"{where}: malformed age profile", problems)
    meta = d.get("meta", {})
    return AgeProfile(
        lower=lower,
        shares=shares,
        women={k: float(v) for k, v in d.get("women", {}).items()},
        leader_min_age=float(d.get("leadership", {}).get("min_age", 35)),
        label_vi=str(meta.get("label_vi", "")),
        source=str(meta.get("source", "")),
        confidence=str(meta.get("confidence", "assumption")),
    )


def draw_age(
    rng: np.random.Generator, profile: AgeProfile, category: str, *, amin: float, amax: float
) -> float:
    """Draw an age in ``[amin, amax)``: a band by its share, then uniform within the band."""
    lo = np.array(profile.lower, dtype=float)
    hi = np.append(lo[1:], amax)
    lo_c, hi_c = np.clip(lo, amin, amax), np.clip(hi, amin, amax)
    w = np.array(profile.shares[category], dtype=float) * (hi_c > lo_c)
    if w.sum() <= 0:
        return float(rng.uniform(amin, amax))
    k = int(rng.choice(len(w), p=w / w.sum()))
    return float(rng.uniform(lo_c[k], hi_c[k]))
