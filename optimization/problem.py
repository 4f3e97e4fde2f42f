"""The optimizer's input: a frozen, integer-only description of one planning problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from sapxep.units.errors import ScenarioError, format_codes


@dataclass(frozen=True, eq=False)
class PlanProblem:
    """A region's units, their integer weights, the adjacency graph and every hard rule.

    All sequences are aligned with ``codes``. Populations are persons, areas are
    hectares (``round(km2 * 100)``), coordinates metres in a projected CRS.

    Attributes
    ----------
    codes : tuple of str
        Unit codes (graph node ids).
    population : tuple of int
        Persons per unit.
    area_ha : tuple of int
        Natural area per unit, hectares.
    graph : networkx.Graph
        Adjacency between codes; every code must be a node.
    pop_floor : tuple of int
        Population a new unit must reach when this unit is its seat.
    area_floor_ha : tuple of int
        Area (ha) a new unit must reach when this unit is its seat (0 = no floor).
    waiver_min_members : tuple of int or None
        When the new unit seated here has at least this many members, its floors are
        waived (``None`` = never). Must be ``>= 2``.
    alone_ok : frozenset of str
        Units that may stay alone (unchanged) without meeting the new-unit floors
        (e.g. units that already meet their standard, or exempted units).
    must_arrange : frozenset of str
        Units that must be merged with at least one other unit.
    locked : frozenset of str
        Units kept unchanged: alone, their own seat, floors not checked.
    forced_pairs : tuple of (str, str)
        Pairs that must end in the same new unit.
    forbidden_pairs : tuple of (str, str)
        Pairs that must end in different new units.
    parents : tuple of str
        Parent (district) code of every unit.
    stay_within_parent : bool
        New units may not cross parents.
    fixed_seats : frozenset of str
        Units that must be the seat of their new unit.
    max_members, max_population, max_area_ha : int or None
        Optional ceilings for new units (a unit left alone is exempt when allowed).
    xy_m : tuple of (int, int) or None
        Coordinates (metres) for compactness and radius pruning; ``None`` = use graph hops.
    ward : tuple of bool, optional
        Units that are wards (phường). With ``ward_pop_floor``: a ward joining a new unit
        seated at ``j`` makes it a ward (NQ 76/2025 Art. 1(3)).
    ward_pop_floor : tuple of int, optional
        Population floor of the new unit seated at ``j`` once a ward joins (0 = none).
    exceptions_allowed : bool
        NQ 76/2025 Art. 5(3): a new unit of two or more members below its (not waived)
        floor is allowed as an exception; the solver minimises their number first.
    names : tuple of str
        Display names for messages (defaults to codes).
    parent_names : mapping of str to str
        Parent code -> display name.
    """

    codes: tuple[str, ...]
    population: tuple[int, ...]
    area_ha: tuple[int, ...]
    graph: nx.Graph
    pop_floor: tuple[int, ...]
    area_floor_ha: tuple[int, ...]
    waiver_min_members: tuple[int | None, ...] | None = None
    alone_ok: frozenset[str] = frozenset()
    must_arrange: frozenset[str] = frozenset()
    locked: frozenset[str] = frozenset()
    forced_pairs: tuple[tuple[str, str], ...] = ()
    forbidden_pairs: tuple[tuple[str, str], ...] = ()
    parents: tuple[str, ...] | None = None
    stay_within_parent: bool = False
    fixed_seats: frozenset[str] = frozenset()
    max_members: int | None = None
    max_population: int | None = None
    max_area_ha: int | None = None
    xy_m: tuple[tuple[int, int], ...] | None = None
    ward: tuple[bool, ...] | None = None
    ward_pop_floor: tuple[int, ...] | None = None
    exceptions_allowed: bool = False
    names: tuple[str, ...] | None = None
    parent_names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.codes)
        problems: list[str] = []
        if len(set(self.codes)) != n:
            problems.append("codes are not unique")
        for attr in ("population", "area_ha", "pop_floor", "area_floor_ha"):
            seq = getattr(self, attr)
            if len(seq) != n:
                problems.append(f"{attr} has {len(seq)} values for {n} codes")
            elif any(int(v) != v or v < 0 for v in seq):
                problems.append(f"{attr} must hold non-negative integers")
        for attr in ("waiver_min_members", "parents", "xy_m", "names", "ward", "ward_pop_floor"):
            seq = getattr(self, attr)
            if seq is not None and len(seq) != n:
                problems.append(f"{attr} has {len(seq)} values for {n} codes")
        if self.waiver_min_members is not None and any(
            w is not None and w < 2 for w in self.waiver_min_members
        ):
            problems.append("waiver_min_members must be >= 2 (or None)")
        known = set(self.codes)
        missing = [c for c in self.codes if c not in self.graph]
        if missing:
            problems.append(f"codes missing from the graph: {format_codes(missing)}")
        for attr in ("alone_ok", "must_arrange", "locked", "fixed_seats"):
            unknown = sorted(set(getattr(self, attr)) - known)
            if unknown:
                problems.append(f"{attr}: unknown codes {format_codes(unknown)}")
        for attr in ("forced_pairs", "forbidden_pairs"):
            for a, b in getattr(self, attr):
                if a not in known or b not in known:
                    problems.append(f"{attr}: pair ({a}, {b}) names unknown codes")
                elif a == b:
                    problems.append(f"{attr}: pair ({a}, {b}) pairs a unit with itself")
        if self.stay_within_parent and self.parents is None:
            problems.append("stay_within_parent needs parents")
        for attr in ("max_members", "max_population", "max_area_ha"):
            v = getattr(self, attr)
            if v is not None and v < 1:
                problems.append(f"{attr} must be >= 1 or None, got {v}")
        if problems:
            raise ScenarioError("invalid planning problem", problems)

    # -- convenience -----------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of units."""
        return len(self.codes)

    @property
    def index(self) -> dict[str, int]:
        """Code -> position."""
        return {c: i for i, c in enumerate(self.codes)}

    def name_of(self, i: int) -> str:
        """Display name of unit ``i`` with its code, e.g. ``"Xã A (00001)"``."""
        if self.names is None:
            return self.codes[i]
        return f"{self.names[i]} ({self.codes[i]})"

    def parent_of(self, i: int) -> str:
        """Parent code of unit ``i`` ("" when unknown)."""
        return "" if self.parents is None else self.parents[i]

    def parent_label(self, i: int) -> str:
        """Display name of unit ``i``'s parent."""
        p = self.parent_of(i)
        return str(self.parent_names.get(p, p))

    def floor_population(self, seat: int, members: Sequence[int]) -> int:
        """Population floor of the new unit seated at ``seat`` with these ``members``.

        ``pop_floor[seat]``, raised to ``ward_pop_floor[seat]`` when a ward joins a non-ward seat
        (NQ 76/2025 Art. 1(3): the new unit is then a ward).
        """
        floor = self.pop_floor[seat]
        ward, wfloor = self.ward, self.ward_pop_floor
        if ward is None or wfloor is None or ward[seat] or wfloor[seat] <= 0:
            return floor
        if any(ward[i] for i in members if i != seat):
            floor = max(floor, wfloor[seat])
        return floor

    def meets_floor(self, seat: int, members: Sequence[int], pop: int, area_ha: int) -> bool:
        """Whether a new unit of ``pop`` people and ``area_ha`` seated at ``seat`` meets its floors."""
        return pop >= self.floor_population(seat, members) and area_ha >= self.area_floor_ha[seat]

    def waiver_of(self, j: int) -> int | None:
        """Members needed to waive the floors of a new unit seated at ``j``."""
        return None if self.waiver_min_members is None else self.waiver_min_members[j]

    def neighbors(self) -> list[list[int]]:
        """Adjacency lists by position (sorted)."""
        idx = self.index
        return [sorted(idx[v] for v in self.graph.neighbors(c) if v in idx) for c in self.codes]

    def forbidden_partners(self) -> dict[int, set[int]]:
        """Positions each unit may not share a new unit with (from ``forbidden_pairs``)."""
        idx = self.index
        out: dict[int, set[int]] = {}
        for a, b in self.forbidden_pairs:
            out.setdefault(idx[a], set()).add(idx[b])
            out.setdefault(idx[b], set()).add(idx[a])
        return out
