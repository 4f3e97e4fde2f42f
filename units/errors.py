"""Exception hierarchy of sapxep.

Every error the tool raises on bad input derives from :class:`SapxepError`, so the
CLI and the app can catch project errors only and show their message. Messages say
*what* is wrong, *where* (unit codes, row numbers) and *how to fix it*.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal


class SapxepError(Exception):
    """Base class of every error sapxep raises on bad input or impossible requests."""


class ProblemListError(SapxepError, ValueError):
    """An error that carries every problem found, not only the first.

    Parameters
    ----------
    summary : str
        One line saying what was being checked, e.g. ``"units.geojson: 3 problems"``.
    problems : iterable of str
        One message per problem, each naming the offending codes or rows and a fix.
    """

    def __init__(self, summary: str, problems: Iterable[str]) -> None:
        self.summary = summary
        self.problems = list(problems)
        lines = [summary] + [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class DataValidationError(ProblemListError):
    """Unit data (geometry or attributes) failed validation."""


class RulesetError(ProblemListError):
    """A ruleset name is unknown or a ruleset file is malformed."""


class ScenarioError(ProblemListError):
    """A scenario file or its options are invalid or contradictory."""


class RosterError(ProblemListError):
    """A staff roster failed validation."""


class PlanError(ProblemListError):
    """A grouping (plan) is malformed: not a partition, unknown codes, etc."""


class InfeasibleError(ProblemListError):
    """No plan satisfies the rules; ``problems`` explains which units and rules conflict."""


class SolverError(SapxepError):
    """The solver stopped without a plan (e.g. time limit reached before any solution)."""


class WorkspaceError(SapxepError):
    """A workspace file cannot be read or written, or a scenario name is unknown."""


def format_codes(codes: Iterable[object], *, limit: int = 12, lang: Literal["vi", "en"] = "en") -> str:
    """Return a short, human-readable list of codes.

    Parameters
    ----------
    codes : iterable
        Unit codes, row numbers or names.
    limit : int, default 12
        How many to show before summarising the rest as ``"… (+N more)"``.
    lang : {"en", "vi"}, default "en"
        Language of the summary of the rest (``"(+N more)"`` or ``"(+N khác)"``).

    Returns
    -------
    str
        E.g. ``"08041, 08044, 08047"`` or ``"08041, … (+30 more)"``.
    """
    items = [str(c) for c in codes]
    if len(items) <= limit:
        return ", ".join(items)
    more = "khác" if lang == "vi" else "more"
    return ", ".join(items[:limit]) + f", … (+{len(items) - limit} {more})"


def group_same_fix(problems: Iterable[str]) -> list[str]:
    """Merge per-unit problems that share one fix into one line naming every unit.

    ``"Phường A (07888): <fix>"`` and ``"Phường B (07891): <fix>"`` become
    ``"Phường A (07888), Phường B (07891): <fix>"``; every unit stays listed, in the order
    first seen. Problems of another shape are kept as they are.

    Parameters
    ----------
    problems : iterable of str

    Returns
    -------
    list of str
    """
    import re

    units_of: dict[str, list[str]] = {}
    order: list[tuple[str, str]] = []  # ("fix", text) or ("raw", text)
    for p in problems:
        m = re.match(r"^(.+? \([^()]+\)): (.+)$", p, flags=re.S)
        if m is None:
            order.append(("raw", p))
            continue
        label, fix = m.groups()
        if fix not in units_of:
            units_of[fix] = []
            order.append(("fix", fix))
        units_of[fix].append(label)
    return [text if kind == "raw" else f"{', '.join(units_of[text])}: {text}" for kind, text in order]
