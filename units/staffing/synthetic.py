"""A seeded synthetic staff roster filling every unit to its Decree 33/2023 quota (ESTIMATED).

Rows have the columns of :func:`sapxep.units.staffing.roster.validate_roster` with
``estimated = True``; ages come from the labelled assumption
``units/templates/roster_age_profile.toml`` (:mod:`sapxep.units.staffing.ages`).
Split from :mod:`sapxep.units.staffing.roster`, which re-exports :func:`synthetic_roster`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from sapxep.units.errors import ScenarioError
from sapxep.units.staffing.ages import AgeProfile, draw_age, load_age_profile
from sapxep.units.staffing.headcounts import position_headcounts
from sapxep.units.staffing.quotas import DEFAULT_RULESET, unit_quotas
from sapxep.units.staffing.retirement import retirement_age_months, retirement_month_index
from sapxep.units.staffing.templates import OrgTemplate, load_template

logger = logging.getLogger(__name__)

__all__ = ["synthetic_roster"]

_QUALIFICATIONS: Final[dict[str, tuple[tuple[str, ...], tuple[float, ...]]]] = {
    "cadre": (("Đại học", "Thạc sĩ", "Cao đẳng"), (0.78, 0.17, 0.05)),
    "civil_servant": (("Đại học", "Thạc sĩ", "Cao đẳng"), (0.85, 0.08, 0.07)),
    "part_time": (("Trung cấp", "Cao đẳng", "Đại học", "THPT"), (0.35, 0.15, 0.3, 0.2)),
    "public_employee": (("Đại học", "Cao đẳng"), (0.8, 0.2)),
}


def _draw_sex(rng: np.random.Generator, pid: str, share_f: float) -> str:
    """Draw the sex of a person in post ``pid`` (women's union chair: F; veterans' chair: 90 % M)."""
    sex = "F" if pid == "chu_tich_hoi_phu_nu" or rng.random() < share_f else "M"
    if pid == "chu_tich_hoi_ccb":
        sex = "M" if rng.random() < 0.9 else "F"
    return sex


def _draw_birth(
    rng: np.random.Generator,
    prof: AgeProfile,
    category: str,
    sex: str,
    *,
    amin: float,
    ref: int,
    reference_year: int,
) -> tuple[int, int]:
    """Draw a birth (year, month) giving an age below the statutory retirement age at ``ref``.

    ``ref`` is the reference date as a month index (``year * 12 + month - 1``).
    """
    amax = retirement_age_months(sex, reference_year) / 12.0
    for _attempt in range(20):
        age = draw_age(rng, prof, category, amin=amin, amax=amax)
        born = ref - int(age * 12)
        by, bm = born // 12, born % 12 + 1
        if retirement_month_index(by, bm, sex) >= ref:
            return by, bm
    # pragma: no cover - the bound above makes this unreachable
    return (ref - int(amin * 12)) // 12, (ref - int(amin * 12)) % 12 + 1


def _unit_staff(
    rng: np.random.Generator,
    prof: AgeProfile,
    tpl: OrgTemplate,
    code: str,
    qr: pd.Series,
    *,
    vacancy_rate: float,
    ref: int,
    reference_year: int,
) -> list[dict[str, Any]]:
    """Return the synthetic staff of one unit (quota row ``qr``), one dict per person."""
    counts = position_headcounts(
        tpl,
        unit_type=str(qr["unit_type"]),
        commune_class=str(qr["commune_class"]),
        cb_cc_quota=int(qr["quota_cb_cc"]),
        part_time_quota=int(qr["quota_part_time"]),
    )
    recs: list[dict[str, Any]] = []
    for pid, k in counts.items():
        pos = tpl.positions[pid]
        share_f = prof.women.get(pos.category, 0.4)
        amin = prof.leader_min_age if pos.leadership else prof.lower[0]
        for _ in range(k):
            if vacancy_rate and pos.category != "cadre" and rng.random() < vacancy_rate:
                continue
            sex = _draw_sex(rng, pid, share_f)
            by, bm = _draw_birth(
                rng, prof, pos.category, sex, amin=amin, ref=ref, reference_year=reference_year
            )
            quals, probs = _QUALIFICATIONS[pos.category]
            recs.append(
                {
                    "unit_code": code,
                    "person_id": f"UT-{code}-{len(recs) + 1:03d}",
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
    return recs


def synthetic_roster(
    units: pd.DataFrame,
    *,
    seed: int = 0,
    reference_year: int = 2025,
    reference_month: int = 1,
    default_class: str = "II",
    ruleset: str | Any = DEFAULT_RULESET,
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
    ruleset : str or Ruleset, default :data:`~sapxep.units.staffing.quotas.DEFAULT_RULESET`
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
    recs = [
        rec
        for code, qr in q.iterrows()
        for rec in _unit_staff(
            rng,
            prof,
            tpl,
            str(code),
            qr,
            vacancy_rate=vacancy_rate,
            ref=ref,
            reference_year=reference_year,
        )  # fmt: skip
    ]
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
