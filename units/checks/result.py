"""The result types of the plan checks: one :class:`Violation` per broken rule, a :class:`PlanCheck`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from sapxep.units.checks.messages import KIND_LABELS_VI, check_lang, msg
from sapxep.units.choices import Lang
from sapxep.units.errors import PlanError

#: Violation kinds, one per rule family (``seat`` also covers ``fixed_seats``; ``pair``
#: covers forced and forbidden pairs).
VIOLATION_KINDS: Final[tuple[str, ...]] = (
    "partition", "seat", "contiguity", "floor", "single", "must_arrange",
    "lock", "pair", "ceiling", "parent", "exception",
)  # fmt: skip


@dataclass(frozen=True)
class Violation:
    """One broken rule.

    Attributes
    ----------
    kind : str
        One of :data:`VIOLATION_KINDS` (the rule family that found it).
    new_unit : str
        The new unit concerned ("" when the problem is not about one new unit).
    codes : tuple of str
        The original units concerned.
    message : str
        What is wrong, naming units by name and code, and how to fix it.
    """

    kind: str
    new_unit: str
    codes: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class PlanCheck:
    """The result of :func:`check_plan`.

    Attributes
    ----------
    ok : bool
        True when there is no violation.
    violations : list of Violation
    n_units : int
        Original units in the units table.
    n_new_units : int
        New units in the plan.
    seats : dict of str to str
        New unit -> seat code actually used (declared or default).
    lang : {"en", "vi"}
        Language of the messages (and default language of :meth:`summary`).
    exceptions : list of Violation
        New units allowed as exceptions (kind ``exception``, NQ 76/2025 Art. 5(3)): they do
        not make the plan fail but must be listed for the Standing Committee.
    """

    ok: bool
    violations: list[Violation] = field(default_factory=list)
    n_units: int = 0
    n_new_units: int = 0
    seats: dict[str, str] = field(default_factory=dict)
    lang: Lang = "en"
    exceptions: list[Violation] = field(default_factory=list)

    def by_kind(self) -> dict[str, int]:
        """Number of violations per kind."""
        return dict(Counter(v.kind for v in self.violations))

    def summary(self, *, lang: Lang | None = None) -> str:
        """Return a short human-readable report (one line, then one line per violation).

        Parameters
        ----------
        lang : {"en", "vi"}, optional
            Language of the report's own lines; default: the language of the check. The
            violation messages stay in the language :func:`check_plan` wrote them in.

        Returns
        -------
        str

        Raises
        ------
        ValueError
            If ``lang`` is not "vi" or "en".
        """
        lang = self.lang if lang is None else lang
        check_lang(lang)
        extra = [f"  - [{KIND_LABELS_VI['exception'] if lang == 'vi' else 'exception'}] {v.message}"
                 for v in self.exceptions]  # fmt: skip
        if self.ok:
            return "\n".join([msg(lang, "ok", n_units=self.n_units, n_new=self.n_new_units), *extra])

        def kind_label(kind: str) -> str:
            return KIND_LABELS_VI.get(kind, kind) if lang == "vi" else kind

        kinds = ", ".join(f"{n} {kind_label(k)}" for k, n in self.by_kind().items())
        lines = [msg(lang, "failed", n=len(self.violations), kinds=kinds)]
        lines += [f"  - [{kind_label(v.kind)}] {v.message}" for v in self.violations]
        return "\n".join(lines + extra)

    def to_frame(self) -> pd.DataFrame:
        """Return the violations as a table ``kind,new_unit,codes,message``."""
        return pd.DataFrame(
            [
                {"kind": v.kind, "new_unit": v.new_unit, "codes": ";".join(v.codes),
                 "message": v.message}
                for v in self.violations
            ],
            columns=["kind", "new_unit", "codes", "message"],
        )  # fmt: skip

    def raise_if_failed(self) -> None:
        """Raise :class:`PlanError` listing every violation when the plan is not ok."""
        if not self.ok:
            raise PlanError(
                msg(self.lang, "breaks", n=len(self.violations)), [v.message for v in self.violations]
            )
