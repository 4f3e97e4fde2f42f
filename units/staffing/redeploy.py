"""Redeploy surplus civil servants to new units with deficits (OR-Tools min-cost flow).

Network (capacities in persons, costs in 0.1 km)::

    source -> U[u]        cap = cadre+civil-servant surplus of unit u
    U[u]   -> S[u, s]     cap = surplus of quota line s in u
    S[u,s] -> T[u, t]     cap = civil servants with title t on line s in u
    T[u,t] -> D[v, s']    if distance(u, v) <= max_distance_km and t fits s'; cost = distance
    D[v,s']-> V[v]        cap = deficit of civil-servant line s' in v
    V[v]   -> sink        cap = cadre+civil-servant deficit of unit v

"t fits s'" means ``t`` is accepted by line ``s'`` (the same title in the 2023 structure; the
department that took over the field in 2025) or, with ``match_titles=False`` or a line that
accepts any civil servant, any civil-servant title (a title change costs ``retitle_cost_km``
extra). The maximum flow of minimum cost is found, so as many people as possible are
placed, as close as possible. Only civil servants move: cadres hold elected posts and part-
time workers are local. Distances come in as numbers; this module does not know geometry.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from ortools.graph.python import min_cost_flow

from sapxep.units.errors import SolverError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RedeployResult:
    """Outcome of :func:`redeploy`.

    Attributes
    ----------
    flows : pandas.DataFrame
        ``from_unit, to_unit, title, from_slot, to_slot, n, distance_km``.
    moves : pandas.DataFrame
        One row per person moved: ``person_id, title, from_unit, to_unit, to_slot,
        distance_km`` (youngest first within each flow).
    redeployed : int
        Persons moved.
    supply, demand : int
        Redeployable surplus and fillable deficit before moving.
    remaining_surplus, remaining_deficit : pandas.Series
        Per new unit, cadre + civil-servant group after moving.
    max_distance_km : float
    match_titles : bool
    """

    flows: pd.DataFrame
    moves: pd.DataFrame
    redeployed: int
    supply: int
    demand: int
    remaining_surplus: pd.Series
    remaining_deficit: pd.Series
    max_distance_km: float
    match_titles: bool


def redeploy(
    pooled: pd.DataFrame,
    titles: pd.DataFrame,
    groups: pd.DataFrame,
    distances_km: Mapping[tuple[str, str], float],
    *,
    accepts: Mapping[str, tuple[str, ...]],
    accepts_any: frozenset[str] | set[str] = frozenset(),
    max_distance_km: float = 25.0,
    match_titles: bool = True,
    retitle_cost_km: float = 50.0,
) -> RedeployResult:
    """Move surplus civil servants to deficit units within a distance limit.

    Parameters
    ----------
    pooled : pandas.DataFrame
        Pooled roster (``person_id, new_unit, title, category, slot, group, birth_year,
        birth_month``).
    titles : pandas.DataFrame
        Per new unit and slot: ``new_unit, slot, category, surplus, deficit``.
    groups : pandas.DataFrame
        Per new unit and group: ``new_unit, group, surplus, deficit``.
    distances_km : mapping
        ``(from_unit, to_unit) -> km`` between new-unit seats (either order is looked up);
        pairs absent are treated as too far.
    accepts : mapping
        Slot -> roster titles counted on that line.
    accepts_any : set of str
        Slots any civil-servant title may fill.
    max_distance_km : float, default 25
        Longest move allowed.
    match_titles : bool, default True
        Only move a person to a line that accepts their title (plus ``accepts_any`` lines).
    retitle_cost_km : float, default 50
        Extra cost of a title change when allowed (prefers same-title moves).

    Returns
    -------
    RedeployResult

    Raises
    ------
    SolverError
        If OR-Tools reports a failure (should not happen on valid input).
    """
    people = pooled[(pooled["category"] == "civil_servant") & (pooled["group"] == "cb_cc")]
    avail = people.groupby(["new_unit", "slot", "title"]).size()
    g = groups[groups["group"] == "cb_cc"].set_index("new_unit")
    unit_surplus, unit_deficit = g["surplus"].astype(int), g["deficit"].astype(int)
    cs_slots = titles[(titles["category"] == "civil_servant") & (titles["group"] == "cb_cc")]
    net = _FlowNetwork()
    supply_total = net.add_supply(
        unit_surplus, cs_slots[cs_slots["surplus"] > 0].set_index(["new_unit", "slot"])["surplus"], avail
    )
    demand_total = net.add_demand(
        unit_deficit, cs_slots[cs_slots["deficit"] > 0].set_index(["new_unit", "slot"])["deficit"]
    )
    net.add_transfers(
        avail, distances_km, accepts=accepts, accepts_any=accepts_any,
        max_distance_km=max_distance_km, match_titles=match_titles, retitle_cost_km=retitle_cost_km,
    )  # fmt: skip
    fl = net.solve(supply_total, demand_total)
    out_n = fl.groupby("from_unit")["n"].sum() if len(fl) else pd.Series(dtype="int64")
    in_n = fl.groupby("to_unit")["n"].sum() if len(fl) else pd.Series(dtype="int64")
    redeployed = int(fl["n"].sum()) if len(fl) else 0
    logger.info(
        "redeployment: %d of %d surplus civil servants moved to %d deficit places (<= %.0f km)",
        redeployed, supply_total, demand_total, max_distance_km,
    )  # fmt: skip
    return RedeployResult(
        flows=fl, moves=_pick_people(people, fl), redeployed=redeployed, supply=supply_total,
        demand=demand_total,
        remaining_surplus=(unit_surplus - out_n.reindex(unit_surplus.index).fillna(0)).astype("int64"),
        remaining_deficit=(unit_deficit - in_n.reindex(unit_deficit.index).fillna(0)).astype("int64"),
        max_distance_km=max_distance_km, match_titles=match_titles,
    )  # fmt: skip


_FLOW_COLUMNS = ["from_unit", "to_unit", "title", "from_slot", "to_slot", "n", "distance_km"]


class _FlowNetwork:
    """The min-cost-flow network of :func:`redeploy` (see the module docs), nodes keyed by tuples.

    Node keys: ``("src",)``, ``("sink",)``, ``("U", u)``, ``("S", u, slot)``, ``("T", u, title)``,
    ``("D", v, slot)``, ``("V", v)``. ``transfers`` maps each T -> D arc to
    ``(from_unit, to_unit, title, from_slot, to_slot, distance_km)``.
    """

    def __init__(self) -> None:
        self.smcf = min_cost_flow.SimpleMinCostFlow()
        self.ids: dict[tuple, int] = {}
        self.src, self.sink = self.node(("src",)), self.node(("sink",))
        self.transfers: dict[int, tuple[str, str, str, str, str, float]] = {}

    def node(self, key: tuple) -> int:
        """Return the node id of ``key``, adding the node on first use."""
        if key not in self.ids:
            self.ids[key] = len(self.ids)
        return self.ids[key]

    def arc(self, tail: tuple, head: tuple, capacity: int, cost: int = 0) -> int:
        """Add an arc ``tail -> head`` and return its id."""
        return self.smcf.add_arc_with_capacity_and_unit_cost(
            self.node(tail), self.node(head), int(capacity), int(cost)
        )

    def add_supply(self, unit_surplus: pd.Series, sup_lines: pd.Series, avail: pd.Series) -> int:
        """Add source -> U -> S -> T for every unit with a surplus; return the total supply.

        ``cap(source -> U[u]) = min(surplus of u, surplus of its civil-servant lines)``.
        """
        supply_total = 0
        for u in [u for u in unit_surplus.index if unit_surplus[u] > 0]:
            lines = sup_lines[sup_lines.index.get_level_values(0) == u]
            cap_u = min(int(unit_surplus[u]), int(lines.sum()))
            if cap_u <= 0:
                continue
            supply_total += cap_u
            self.arc(("src",), ("U", u), cap_u)
            for (_, s), sur in lines.items():
                self.arc(("U", u), ("S", u, s), int(sur))
                for (_, _, t), n in avail[
                    (avail.index.get_level_values(0) == u) & (avail.index.get_level_values(1) == s)
                ].items():
                    self.arc(("S", u, s), ("T", u, t), int(n))
        return supply_total

    def add_demand(self, unit_deficit: pd.Series, dem_lines: pd.Series) -> int:
        """Add D -> V -> sink for every unit with a deficit; return the total demand."""
        demand_total = 0
        for v in [v for v in unit_deficit.index if unit_deficit[v] > 0]:
            lines = dem_lines[dem_lines.index.get_level_values(0) == v]
            cap_v = min(int(unit_deficit[v]), int(lines.sum()))
            if cap_v <= 0:
                continue
            demand_total += cap_v
            self.arc(("V", v), ("sink",), cap_v)
            for (_, s), d in lines.items():
                self.arc(("D", v, s), ("V", v), int(d))
        return demand_total

    def add_transfers(
        self,
        avail: pd.Series,
        distances_km: Mapping[tuple[str, str], float],
        *,
        accepts: Mapping[str, tuple[str, ...]],
        accepts_any: frozenset[str] | set[str],
        max_distance_km: float,
        match_titles: bool,
        retitle_cost_km: float,
    ) -> None:
        """Add T[u, t] -> D[v, s'] for seats within ``max_distance_km`` where ``t`` may fill ``s'``.

        ``cost = round(10 * distance) + (0 if t fits s' else round(10 * retitle_cost_km))``.
        """
        t_nodes = [k for k in self.ids if k[0] == "T"]
        d_nodes = [k for k in self.ids if k[0] == "D"]
        for _, u, t in t_nodes:
            from_slot = next(s for (uu, s, tt) in avail.index if uu == u and tt == t)
            for _, v, s2 in d_nodes:
                if u == v:
                    continue
                dist = distances_km.get((u, v), distances_km.get((v, u)))
                if dist is None or dist > max_distance_km:
                    continue
                fits = t in accepts.get(s2, ()) or s2 in accepts_any
                if not fits and match_titles:
                    continue
                cost = round(dist * 10) + (0 if fits else round(retitle_cost_km * 10))
                a = self.arc(("T", u, t), ("D", v, s2), 10**6, int(cost))
                self.transfers[a] = (u, v, t, from_slot, s2, float(dist))

    def solve(self, supply_total: int, demand_total: int) -> pd.DataFrame:
        """Find the maximum flow of minimum cost; return the flows on transfer arcs.

        Raises
        ------
        SolverError
            If OR-Tools does not report OPTIMAL.
        """
        flows = []
        if self.transfers:
            smcf = self.smcf
            smcf.set_node_supply(self.src, supply_total)
            smcf.set_node_supply(self.sink, -demand_total)
            status = smcf.solve_max_flow_with_min_cost()
            if status != smcf.OPTIMAL:
                raise SolverError(f"min-cost flow failed with status {status}")
            for a, (u, v, t, s1, s2, dist) in self.transfers.items():
                f = smcf.flow(a)
                if f > 0:
                    flows.append(
                        {"from_unit": u, "to_unit": v, "title": t, "from_slot": s1,
                         "to_slot": s2, "n": int(f), "distance_km": round(dist, 2)}
                    )  # fmt: skip
        return pd.DataFrame(flows, columns=_FLOW_COLUMNS)


def _pick_people(people: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    """Choose who moves in each flow: the youngest first (longest remaining service)."""
    cols = ["person_id", "title", "from_unit", "to_unit", "to_slot", "distance_km"]
    if flows.empty:
        return pd.DataFrame(columns=cols)
    order = people.assign(_bm=people["birth_month"].astype("Int64").fillna(1)).sort_values(
        ["birth_year", "_bm", "person_id"], ascending=[False, False, True]
    )
    taken: set[str] = set()
    recs = []
    for f in flows.itertuples(index=False):
        cand = order[(order["new_unit"] == f.from_unit) & (order["title"] == f.title)]
        cand = cand[~cand["person_id"].isin(taken)].head(f.n)
        for pid in cand["person_id"]:
            taken.add(pid)
            recs.append(
                {"person_id": pid, "title": f.title, "from_unit": f.from_unit,
                 "to_unit": f.to_unit, "to_slot": f.to_slot, "distance_km": f.distance_km}
            )  # fmt: skip
    return pd.DataFrame(recs, columns=cols)
