"""``check_plan``: the rule families of :mod:`sapxep.units.checks.families` run on a units table.

``check_plan`` never trusts the optimizer: it re-checks, from the units table, the graph, the
ruleset and the scenario's constraints alone. Floors are those of
:func:`sapxep.units.rules.new_unit_floor` for the new unit's seat, unless the ruleset's
≥ ``waiver_min_members`` waiver applies. With ``floors_override`` every new unit, including a
unit left alone (exempt or not), must reach the override floor: no waivers, no exceptions
(the same semantics as ``sapxep.scenarios.run.scenario``).

Convention: a new unit without a declared seat is seated at
:func:`sapxep.units.plan.default_seat` (most populous member; ties: smallest code).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import networkx as nx
import pandas as pd

from sapxep.units.assessment import assess_units
from sapxep.units.checks.context import CheckContext, PlanConstraints, PlanGroups, UnitFacts
from sapxep.units.checks.families import FAMILIES
from sapxep.units.checks.messages import check_lang, msg
from sapxep.units.checks.result import PlanCheck, Violation
from sapxep.units.choices import Lang
from sapxep.units.plan import MergePlan
from sapxep.units.rules import Ruleset, new_unit_floor
from sapxep.units.rules.standards import Floor, new_unit_type_of

logger = logging.getLogger(__name__)

PlanLike: TypeAlias = MergePlan | Mapping[str, Any] | pd.Series | Iterable[Iterable[str]]


def _ruleset_rules(
    units: pd.DataFrame,
    assessment: pd.DataFrame,
    ruleset: Ruleset,
    floors_override: tuple[float, float] | None,
    lang: Lang,
) -> dict[str, Any]:
    """The context entries that come from the ruleset and the assessment."""
    table = units.drop(columns=["geometry"], errors="ignore").copy()
    table["code"] = table["code"].astype(str)
    rows = table.set_index("code", drop=False)
    exempt = {str(c) for c in assessment.index[assessment["exempt"].astype(bool)]}
    must_flag = assessment["must_arrange"].astype(bool) & ~assessment["exempt"].astype(bool)
    derived = ruleset.must_arrange_mode == "below_new_unit_floor"
    must: dict[str, str] = {}
    if not (derived and floors_override is not None):
        must = {str(c): str(assessment.at[c, "reason"]) for c in assessment.index[must_flag]}
    if floors_override is not None:
        fixed = Floor(int(floors_override[0]), float(floors_override[1]), False, msg(lang, "override"))
        return {"floor_of": lambda _seat, _n: fixed, "must_arrange": must}
    alone_ok = set(exempt)
    if not ruleset.singles_must_meet_floor:
        alone_ok |= set(rows.index)
    types = rows["unit_type"].astype(str).to_dict()

    def members_floor_of(seat: str, members: list[str]) -> Floor:
        utype = new_unit_type_of([types[m] for m in members], types[seat], ruleset)
        return new_unit_floor(rows.loc[seat].to_dict(), ruleset, n_members=len(members), unit_type=utype)

    return {
        "floor_of": lambda seat, n: new_unit_floor(rows.loc[seat].to_dict(), ruleset, n_members=n),
        "members_floor_of": members_floor_of,
        "allow_exceptions": ruleset.allow_exceptions,
        "exception_article": ruleset.exception_article,
        "must_arrange": must,
        "alone_ok": frozenset(alone_ok),
        "singles_forbidden": ruleset.singles_must_meet_floor and not ruleset.allow_single_if_meets,
        "waiver_min_members": int(ruleset.waiver_min_members or 0),
        "waiver_unit_types": frozenset(ruleset.waiver_unit_types),
    }


def run_checks(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:
    """Run every rule family of :data:`~sapxep.units.checks.families.FAMILIES` in order.

    Parameters
    ----------
    units : UnitFacts
    plan : PlanGroups
    ctx : CheckContext

    Returns
    -------
    list of Violation
    """
    return [v for family in FAMILIES for v in family(units, plan, ctx)]


def check_plan(
    units: pd.DataFrame,
    plan_or_grouping: PlanLike,
    ruleset: Ruleset,
    *,
    graph: nx.Graph,
    seats: Mapping[str, str] | None = None,
    floors_override: tuple[float, float] | None = None,
    exemptions: Mapping[str, str] | None = None,
    constraints: PlanConstraints | None = None,
    lang: Lang = "en",
) -> PlanCheck:
    """Check a grouping of units against the partition, contiguity, legal and scenario rules.

    Parameters
    ----------
    units : DataFrame
        The units table (``code``, ``name``, ``unit_type``, ``area_km2``, ``population``, …;
        ``parent_code`` for ``stay_within_parent``).
    plan_or_grouping : MergePlan, mapping, Series or iterable of iterables
        A :class:`~sapxep.units.plan.MergePlan`, a code -> new-unit mapping/Series, or a list of
        groups of codes (named ``g1``, ``g2``, … in messages).
    ruleset : Ruleset
    graph : networkx.Graph
        Adjacency graph, nodes = codes.
    seats : mapping, optional
        New unit -> seat code; overrides the plan's seats. Default seat:
        :func:`sapxep.units.plan.default_seat`.
    floors_override : (float, float), optional
        ``(min_population, min_area_km2)`` replacing the ruleset's floors for every new unit,
        including units left alone, with no waivers and no exceptions
        (``--min-population/--min-area``). Must-arrange units left alone are still reported,
        except under NQ 76's derived must-arrange (``below_new_unit_floor``), which the
        override replaces.
    exemptions : mapping of str to str, optional
        Code -> reason, as in :func:`sapxep.units.assessment.assess_units`.
    constraints : PlanConstraints, optional
        The scenario's locks, forced/forbidden pairs, fixed seats, ceilings and
        stay-within-parent (e.g. for a manual edit in the app). Default: none.
    lang : {"en", "vi"}, default "en"
        Language of the violation messages and of :meth:`PlanCheck.summary`; Vietnamese
        formats numbers the Vietnamese way (``12.143 người``, ``6,72 km²``) and cites
        articles in Vietnamese.

    Returns
    -------
    PlanCheck

    Raises
    ------
    DataValidationError
        If the units table itself is unusable (missing columns, bad values).
    TypeError
        If ``plan_or_grouping`` is of an unsupported type.
    ValueError
        If ``lang`` is not "vi" or "en".
    """
    check_lang(lang)
    assessment = assess_units(units, ruleset, exemptions=exemptions, lang=lang)
    facts = UnitFacts.from_table(units, names={str(c): str(n) for c, n in assessment["name"].items()})
    groups = PlanGroups.from_plan(plan_or_grouping, seats)
    ctx = CheckContext.resolve(
        facts, groups, graph=graph, ruleset_name=ruleset.name, lang=lang,
        constraints=constraints or PlanConstraints(),
        **_ruleset_rules(units, assessment, ruleset, floors_override, lang),
    )  # fmt: skip
    found = run_checks(facts, groups, ctx)
    violations = [v for v in found if v.kind != "exception"]
    exceptions = [v for v in found if v.kind == "exception"]
    logger.info("checked plan under %s: %d new units, %d violations, %d exceptions", ruleset.name,
                len(groups.groups), len(violations), len(exceptions))  # fmt: skip
    return PlanCheck(
        ok=not violations,
        violations=violations,
        n_units=len(facts.known),
        n_new_units=len(groups.groups),
        seats=dict(ctx.seats),
        lang=lang,
        exceptions=exceptions,
    )
