"""The merger plan: which original unit goes to which new unit, and each new unit's seat."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from sapxep.units.errors import PlanError, format_codes


@dataclass(frozen=True)
class MergePlan:
    """A grouping of original units into new units.

    Attributes
    ----------
    assignment : pandas.Series
        Index: original unit ``code`` (str); values: new-unit id (str).
    seats : dict of str to str
        New-unit id -> code of the member unit whose seat (trụ sở) the new unit uses.
    names : dict of str to str
        Optional new-unit id -> proposed name.
    """

    assignment: pd.Series
    seats: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def groups(self) -> dict[str, list[str]]:
        """New-unit id -> sorted member codes."""
        out: dict[str, list[str]] = {}
        for code, gid in self.assignment.items():
            out.setdefault(str(gid), []).append(str(code))
        return {g: sorted(m) for g, m in sorted(out.items())}

    @property
    def n_after(self) -> int:
        """Number of new units."""
        return int(self.assignment.nunique())

    def to_frame(self) -> pd.DataFrame:
        """Return the ``plan.csv`` table: ``code,new_unit,seat_code,new_name``."""
        df = pd.DataFrame(
            {
                "code": self.assignment.index.astype(str),
                "new_unit": self.assignment.astype(str).to_numpy(),
            }
        )
        df["seat_code"] = df["new_unit"].map(lambda g: self.seats.get(g, ""))
        df["new_name"] = df["new_unit"].map(lambda g: self.names.get(g, ""))
        return df


def seat_order(codes: Iterable[str], population: Mapping[str, float] | pd.Series | None = None) -> list[str]:
    """Return ``codes`` in default-seat preference order, the preferred seat first.

    The order is: most populous first; ties (and every unit when ``population`` is None)
    by smallest code. It is the convention of :func:`default_seat` and the optimizer's
    symmetry-breaking rank (``sapxep.optimization.candidates.seat_rank``).

    Parameters
    ----------
    codes : iterable of str
        Unit codes.
    population : mapping or Series, optional
        Code -> population. Without it every unit counts as equally populous.

    Returns
    -------
    list of str
    """
    if population is None:
        return sorted(codes)
    return sorted(codes, key=lambda c: (-float(population[c]), c))


def default_seat(members: Iterable[str], population: Mapping[str, float] | pd.Series | None = None) -> str:
    """Return the default seat (trụ sở) of a new unit: its most populous member.

    Ties, and every case without ``population``, go to the smallest code. This is the one
    definition used by the checks, metrics, staffing, imports, plan edits and the
    optimizer's tie-break.

    Parameters
    ----------
    members : iterable of str
        Member codes of the new unit (at least one).
    population : mapping or Series, optional
        Code -> population of (at least) the members.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``members`` is empty.
    """
    order = seat_order(members, population)
    if not order:
        raise ValueError("a new unit without members has no seat")
    return order[0]


def resolved_seats(
    plan: MergePlan, population: Mapping[str, float] | pd.Series | None = None
) -> dict[str, str]:
    """Return new-unit id -> seat for every new unit: the declared seat, else :func:`default_seat`.

    A declared seat that is not a member is replaced by the default seat.

    Parameters
    ----------
    plan : MergePlan
    population : mapping or Series, optional
        Code -> population.

    Returns
    -------
    dict of str to str
    """
    out: dict[str, str] = {}
    for g, members in plan.groups.items():
        seat = plan.seats.get(g, "")
        out[g] = seat if seat in members else default_seat(members, population)
    return out


def plan_from_mapping(
    grouping: Mapping[str, str] | pd.Series,
    *,
    seats: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> MergePlan:
    """Build a :class:`MergePlan` from a code -> new-unit mapping.

    Parameters
    ----------
    grouping : mapping or Series
        Original code -> new-unit id.
    seats : mapping, optional
        New-unit id -> seat code. Missing seats are left empty.
    names : mapping, optional
        New-unit id -> name.

    Returns
    -------
    MergePlan

    Raises
    ------
    PlanError
        If a seat names a code that is not a member of its new unit.
    """
    s = pd.Series(grouping, dtype=object) if not isinstance(grouping, pd.Series) else grouping
    s = pd.Series(s.astype(str).to_numpy(), index=s.index.astype(str), name="new_unit")
    seats_d = {str(k): str(v) for k, v in (seats or {}).items()}
    bad = [f"{g}: seat {c}" for g, c in seats_d.items() if c and (c not in s.index or s[c] != g)]
    if bad:
        raise PlanError(
            f"{len(bad)} seats are not members of their new unit",
            [f"seats {format_codes(bad)}: choose a seat among the new unit's members"],
        )
    return MergePlan(s, seats_d, {str(k): str(v) for k, v in (names or {}).items()})


def current_state_plan(codes: Iterable[str]) -> MergePlan:
    """The "plan" of units as they are: every unit its own new unit, seated at itself.

    Used to analyse existing units with the plan tools (e.g. ``sapxep staffing --dataset``:
    a 2025 commune checked against the 2025 norms without a merger).

    Parameters
    ----------
    codes : iterable of str
        Unit codes.

    Returns
    -------
    MergePlan
        New-unit id = code, seat = code.
    """
    codes = [str(c) for c in codes]
    return plan_from_mapping(dict(zip(codes, codes, strict=True)), seats={c: c for c in codes})


def read_plan_csv(path: str) -> MergePlan:
    """Read a ``plan.csv`` (``code,new_unit[,seat_code][,new_name]``) into a :class:`MergePlan`.

    Parameters
    ----------
    path : str
        CSV path.

    Returns
    -------
    MergePlan

    Raises
    ------
    PlanError
        If columns are missing or a code appears twice.
    """
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise PlanError(f"cannot read plan {path}", [str(exc)]) from exc
    problems = []
    for col in ("code", "new_unit"):
        if col not in df.columns:
            problems.append(f"column '{col}' is missing: the file needs code,new_unit[,seat_code]")
    if problems:
        raise PlanError(f"{path}: not a plan file", problems)
    dup = df.loc[df["code"].duplicated(), "code"]
    if len(dup):
        raise PlanError(
            f"{path}: {len(dup)} codes appear more than once",
            [f"codes {format_codes(dup)} (rows {format_codes(dup.index + 2)}): keep one row each"],
        )
    seats: dict[str, str] = {}
    if "seat_code" in df.columns:
        for g, c in zip(df["new_unit"], df["seat_code"], strict=True):
            if c:
                seats[g] = c
    names: dict[str, str] = {}
    if "new_name" in df.columns:
        names = {g: n for g, n in zip(df["new_unit"], df["new_name"], strict=True) if n}
    return plan_from_mapping(pd.Series(df["new_unit"].to_numpy(), index=df["code"]), seats=seats, names=names)
