"""Exemptions from arranging: already arranged in an earlier period, or a special factor the user declares.

A unit arranged in a period the ruleset names (``exempt_if_arranged_in``, NQ 35/2023 Art. 3(2))
is exempt. A declared reason (``exemption_reason`` column or ``--exemptions``) is matched to
the ruleset's grounds by its words (:func:`exemption_grounds_of`): accepted when it names one
of them (NQ 35/2023 Art. 3(1); NQ 76/2025 Art. 3 keeps two), otherwise noted as rejected.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from sapxep.units.choices import Lang
from sapxep.units.rules import Ruleset, article_en
from sapxep.units.rules.existing_units import _flag

_PERIOD_LABEL = {"2019_2021": "2019–2021", "2023_2025": "2023–2025"}

_GROUND_WORDS: dict[str, tuple[str, ...]] = {
    "stable_since_1945": ("1945",),
    "planned_urban": ("do thi", "urban"),
    "isolated": ("biet lap", "isolated", "giao thong", "transport"),
    "defence_security": ("quoc phong", "an ninh", "chu quyen", "defence", "defense", "security",
                         "sovereignty"),
    "culture": ("lich su", "van hoa", "dan toc", "ton giao", "tin nguong", "phong tuc", "tap quan",
                "history", "cultur", "ethnic", "religio", "custom"),
}  # fmt: skip


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def exemption_grounds_of(reason: str) -> tuple[str, ...]:
    """Return the special-factor grounds a declared exemption reason names (by its words).

    Grounds: ``isolated``, ``defence_security``, ``stable_since_1945``, ``culture``,
    ``planned_urban`` (NQ 35/2023 Art. 3(1); NQ 76/2025 Art. 3 keeps the first two).

    Parameters
    ----------
    reason : str
        Free text in Vietnamese (with or without diacritics) or English.

    Returns
    -------
    tuple of str
    """
    plain = _plain(reason)
    return tuple(g for g, words in _GROUND_WORDS.items() if any(w in plain for w in words))


def _declared_exemption(ruleset: Ruleset, declared: str, lang: Lang) -> tuple[str, str]:
    """Return ``(accepted reason, rejection note)`` for a user-declared exemption."""
    vi = lang == "vi"
    g = ruleset.exemption_grounds
    art = ruleset.declared_exemption_article if vi else article_en(ruleset.declared_exemption_article)
    named = exemption_grounds_of(declared)
    accepted = g is None or any(x in dict(g.grounds) for x in named) or (not named and g.accept_unclassified)
    if accepted:
        if vi:
            return f"yếu tố đặc thù do người dùng khai báo: {declared}" + (f" ({art})" if art else ""), ""
        return f"special factor declared by the user: {declared}" + (f" ({art})" if art else ""), ""
    assert g is not None
    allowed = "; ".join(d for _, d in g.grounds)
    if vi:
        return "", (f"Lý do khai báo \"{declared}\" không thuộc các trường hợp không bắt buộc sắp xếp "
                    f"của {art} ({allowed}) — không được miễn.")  # fmt: skip
    return "", (f"The declared reason \"{declared}\" is not one of the grounds of {art} "
                f"({', '.join(k for k, _ in g.grounds)}) — not exempt.")  # fmt: skip


def exemption(
    rec: Mapping[str, Any],
    ruleset: Ruleset,
    declared: str,
    lang: Lang,
) -> tuple[str, str]:
    """Return why a unit is exempt (``""`` = not exempt) and a note on a rejected declared reason.

    Parameters
    ----------
    rec : mapping
        One row of the units table (``arranged_2019_2021``, ``arranged_2023_2025`` flags).
    ruleset : Ruleset
    declared : str
        The reason the user declared for this unit (``""`` = none).
    lang : {"vi", "en"}
        Language of both texts.

    Returns
    -------
    tuple of (str, str)
        ``(exempt_reason, rejection_note)``: the accepted reasons joined by ``"; "``, and the
        note saying why a declared reason was not accepted (``""`` when none was rejected).
    """
    vi = lang == "vi"
    reasons: list[str] = []
    for period in ruleset.exempt_if_arranged_in:
        if _flag(rec, f"arranged_{period}"):
            label = _PERIOD_LABEL.get(period, period)
            reasons.append(
                f"đã sắp xếp giai đoạn {label} ({ruleset.exemption_article})"
                if vi
                else f"already arranged in {label} ({article_en(ruleset.exemption_article)})"
            )
    rejected = ""
    if declared and ruleset.honour_declared_exemptions:
        ok, rejected = _declared_exemption(ruleset, declared, lang)
        if ok:
            reasons.append(ok)
    return "; ".join(reasons), rejected


__all__ = ["exemption", "exemption_grounds_of"]
