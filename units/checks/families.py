"""One function per rule family: ``check_<family>(units, plan, ctx) -> list[Violation]``.

Each family looks at one kind of rule and returns the violations it finds, naming the units
(GerryChain's ``Validator`` composes constraint functions the same way).
:func:`sapxep.units.checks.check_plan` runs :data:`FAMILIES` in order.

* ``check_partition``: every unit in exactly one new unit, no unknown codes.
* ``check_seats``: a declared seat is a member; ``fixed_seats`` units are seats.
* ``check_contiguity``: the members of a new unit induce a connected subgraph.
* ``check_floors``: a new unit reaches ``population >= population_min`` and
  ``area_km2 >= area_min_km2`` of its seat's floor unless waived; a unit allowed to stay
  alone (or locked, must-arrange or forbidden to stay alone) is not measured. Where the
  ruleset allows it (NQ 76/2025 Art. 5(3)), a merged unit below its floor is reported with
  kind ``exception`` (listed for the Standing Committee, not a violation).
* ``check_must_arrange``: a must-arrange unit left alone; a unit left alone when singles are
  forbidden (kind ``single``).
* ``check_locks``: a locked unit is alone.
* ``check_pairs``: forced pairs together, forbidden pairs apart.
* ``check_ceilings``: ``n_members <= max_members``, ``population <= max_population``,
  ``area_km2 <= max_area_km2`` (a unit allowed to stay alone is exempt).
* ``check_parents``: with ``stay_within_parent``, a new unit's members share one parent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import networkx as nx

from sapxep.units.checks.context import CheckContext, PlanGroups, UnitFacts
from sapxep.units.checks.messages import fmt_area, fmt_pop, label, labels, msg
from sapxep.units.checks.result import Violation
from sapxep.units.errors import DataValidationError, format_codes
from sapxep.units.rules import article_en

#: Tolerance for area comparisons (km²): sums of floats are not exact.
AREA_EPS_KM2 = 1e-9

Family = Callable[[UnitFacts, PlanGroups, CheckContext], list[Violation]]


def _group_label(gid: str, units: UnitFacts, ctx: CheckContext) -> str:
    return msg(ctx.lang, "label", gid=gid, members=labels(ctx.members[gid], units.names, lang=ctx.lang))


def check_partition(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:
    """Every unit of the table in exactly one new unit; no unknown codes."""
    lang, names = ctx.lang, units.names
    out: list[Violation] = []
    counts = Counter(c for members in plan.groups.values() for c in members)
    dup = sorted(c for c, n in counts.items() if n > 1)
    if dup:
        where = {c: sorted(g for g, m in plan.groups.items() if c in m) for c in dup}
        detail = "; ".join(
            msg(lang, "dup_item", unit=label(c, names), groups=", ".join(where[c])) for c in dup[:8]
        )
        out.append(Violation("partition", "", tuple(dup), msg(lang, "dup", n=len(dup), detail=detail)))
    for gid, members in plan.groups.items():
        unknown = sorted({c for c in members if c not in units.known})
        if unknown:
            text = msg(lang, "unknown", gid=gid, codes=format_codes(unknown, lang=lang))
            out.append(Violation("partition", gid, tuple(unknown), text))
    missing = sorted(units.known - set(counts))
    if missing:
        text = msg(lang, "missing", n=len(missing), units=labels(missing, names, lang=lang))
        out.append(Violation("partition", "", tuple(missing), text))
    return out


def check_seats(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:
    """A declared seat is a member of its new unit; every ``fixed_seats`` unit is a seat."""
    lang, names = ctx.lang, units.names
    out: list[Violation] = []
    for gid in sorted(set(plan.declared_seats) - set(plan.groups)):
        seat = plan.declared_seats[gid]
        out.append(Violation("seat", gid, (seat,), msg(lang, "seat_empty", gid=gid)))
    for gid, members in ctx.members.items():
        seat = plan.declared_seats.get(gid, "")
        if seat and seat not in members:
            text = msg(lang, "seat_not_member", gid=gid, seat=label(seat, names),
                       members=labels(members, names, lang=lang))  # fmt: skip
            out.append(Violation("seat", gid, (seat,), text))
    where = {c: g for g, members in ctx.members.items() for c in members}
    for code in sorted(ctx.constraints.fixed_seats):
        fgid = where.get(code)
        if fgid is not None and ctx.seats[fgid] != code:
            text = msg(lang, "fixed_seat", unit=label(code, names), gid=fgid,
                       seat=label(ctx.seats[fgid], names))  # fmt: skip
            out.append(Violation("seat", fgid, (code,), text))
    return out


def check_contiguity(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:  # noqa: ARG001 - family signature
    """The members of each new unit induce a connected subgraph of ``ctx.graph``."""
    lang, names = ctx.lang, units.names
    out: list[Violation] = []
    for gid, members in ctx.members.items():
        if len(members) < 2:
            continue
        absent = [c for c in members if c not in ctx.graph]
        if absent:
            text = msg(lang, "absent", label=_group_label(gid, units, ctx),
                       units=labels(absent, names, lang=lang))  # fmt: skip
            out.append(Violation("contiguity", gid, tuple(absent), text))
            continue
        sub = ctx.graph.subgraph(members)
        if nx.is_connected(sub):
            continue
        parts = sorted((sorted(p) for p in nx.connected_components(sub)), key=len, reverse=True)
        shown = " | ".join(labels(p, names, limit=4, lang=lang) for p in parts)
        text = msg(lang, "split", label=_group_label(gid, units, ctx), n=len(parts), parts=shown)
        out.append(Violation("contiguity", gid, tuple(members), text))
    return out


def _measured(code_or_members: list[str], ctx: CheckContext) -> bool:
    """Whether a new unit is held to the floors (a single may be exempt or reported elsewhere)."""
    if len(code_or_members) > 1:
        return True
    code = code_or_members[0]
    return not (ctx.is_free_single(code) or code in ctx.must_arrange or ctx.singles_forbidden)


def check_floors(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:  # noqa: ARG001 - family signature
    """Each measured new unit reaches the population and area floor of its seat."""
    lang, names = ctx.lang, units.names
    out: list[Violation] = []
    for gid, members in ctx.members.items():
        if not _measured(members, ctx):
            continue
        seat = ctx.seats[gid]
        try:
            fl = ctx.group_floor(seat, members)
        except DataValidationError as exc:
            out.append(Violation("floor", gid, (seat,), f"{_group_label(gid, units, ctx)}: {exc}"))
            continue
        if fl.waived:
            continue
        p_sum = sum(units.population[c] for c in members)
        a_sum = sum(units.area_km2[c] for c in members)
        short: list[str] = []
        if p_sum < fl.population_min:
            short.append(msg(lang, "short_pop", value=fmt_pop(p_sum, lang),
                             minimum=fmt_pop(fl.population_min, lang)))  # fmt: skip
        if a_sum < fl.area_min_km2 - AREA_EPS_KM2:
            short.append(msg(lang, "short_area", value=fmt_area(a_sum, lang),
                             minimum=fmt_area(fl.area_min_km2, lang)))  # fmt: skip
        if not short:
            continue
        article = fl.article if lang == "vi" or not fl.article else article_en(fl.article)
        if ctx.allow_exceptions and len(members) >= 2:
            exc_art = ctx.exception_article if lang == "vi" else article_en(ctx.exception_article)
            text = msg(lang, "exception", label=_group_label(gid, units, ctx), seat=label(seat, names),
                       short=msg(lang, "and").join(short), article=article, exception=exc_art)  # fmt: skip
            out.append(Violation("exception", gid, tuple(members), text))
            continue
        hint = ""
        if ctx.waiver_min_members and fl.unit_type in ctx.waiver_unit_types:
            hint = msg(lang, "waiver", k=ctx.waiver_min_members)
        text = msg(lang, "floor", label=_group_label(gid, units, ctx), seat=label(seat, names),
                   short=msg(lang, "and").join(short), article=article, hint=hint)  # fmt: skip
        out.append(Violation("floor", gid, tuple(members), text))
    return out


def check_must_arrange(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:  # noqa: ARG001 - family signature
    """A must-arrange unit left alone; a unit left alone when singles are forbidden."""
    lang, names = ctx.lang, units.names
    out: list[Violation] = []
    for gid, members in ctx.members.items():
        if len(members) != 1:
            continue
        code = members[0]
        if code in ctx.must_arrange:
            reason = ctx.must_arrange[code]
            reason = reason.rstrip(".") if lang == "vi" else reason
            text = (
                msg(lang, "must_arrange", unit=label(code, names), reason=reason)
                if reason
                else msg(lang, "must_arrange_plain", unit=label(code, names))
            )
            out.append(Violation("must_arrange", gid, (code,), text))
        elif ctx.singles_forbidden and not ctx.is_free_single(code):
            text = msg(lang, "single", unit=label(code, names), ruleset=ctx.ruleset_name)
            out.append(Violation("single", gid, (code,), text))
    return out


def check_locks(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:  # noqa: ARG001 - family signature
    """A locked unit stays alone (unchanged)."""
    lang, names = ctx.lang, units.names
    out: list[Violation] = []
    for gid, members in ctx.members.items():
        if len(members) < 2:
            continue
        for code in sorted(ctx.constraints.locked.intersection(members)):
            others = labels([c for c in members if c != code], names, lang=lang)
            text = msg(lang, "lock", unit=label(code, names), gid=gid, others=others)
            out.append(Violation("lock", gid, (code,), text))
    return out


def check_pairs(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:  # noqa: ARG001 - family signature
    """Forced pairs share a new unit; forbidden pairs do not."""
    lang, names = ctx.lang, units.names
    where = {c: g for g, members in ctx.members.items() for c in members}
    out: list[Violation] = []
    for a, b in ctx.constraints.forced_pairs:
        ga, gb = where.get(a), where.get(b)
        if ga is not None and gb is not None and ga != gb:
            text = msg(lang, "forced", a=label(a, names), b=label(b, names), ga=ga, gb=gb)
            out.append(Violation("pair", "", (a, b), text))
    for a, b in ctx.constraints.forbidden_pairs:
        ga = where.get(a)
        if ga is not None and ga == where.get(b):
            text = msg(lang, "forbidden", a=label(a, names), b=label(b, names), gid=ga)
            out.append(Violation("pair", ga, (a, b), text))
    return out


def check_ceilings(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:  # noqa: ARG001 - family signature
    """A new unit stays within ``max_members``, ``max_population`` and ``max_area_km2``."""
    lang, c = ctx.lang, ctx.constraints
    out: list[Violation] = []
    for gid, members in ctx.members.items():
        if len(members) == 1 and ctx.is_free_single(members[0]):
            continue
        over: list[tuple[str, str]] = []
        if c.max_members is not None and len(members) > c.max_members:
            over.append((msg(lang, "over_members", value=len(members)), str(c.max_members)))
        pop = sum(units.population[m] for m in members)
        if c.max_population is not None and pop > c.max_population:
            over.append((msg(lang, "over_pop", value=fmt_pop(pop, lang)), fmt_pop(c.max_population, lang)))
        area = sum(units.area_km2[m] for m in members)
        if c.max_area_km2 is not None and area > c.max_area_km2 + AREA_EPS_KM2:
            over.append((msg(lang, "over_area", value=fmt_area(area, lang)), fmt_area(c.max_area_km2, lang)))
        for what, maximum in over:
            text = msg(lang, "ceiling", label=_group_label(gid, units, ctx), what=what, maximum=maximum)
            out.append(Violation("ceiling", gid, tuple(members), text))
    return out


def check_parents(units: UnitFacts, plan: PlanGroups, ctx: CheckContext) -> list[Violation]:  # noqa: ARG001 - family signature
    """With ``stay_within_parent``, the members of a new unit share one parent."""
    if not ctx.constraints.stay_within_parent or not units.parents:
        return []
    lang = ctx.lang
    out: list[Violation] = []
    for gid, members in ctx.members.items():
        parents = sorted({units.parents.get(m, "") for m in members})
        if len(parents) < 2:
            continue
        shown = ", ".join(units.parent_names.get(p, p) or p for p in parents)
        text = msg(lang, "parent", label=_group_label(gid, units, ctx), n=len(parents), parents=shown)
        out.append(Violation("parent", gid, tuple(members), text))
    return out


#: The families :func:`sapxep.units.checks.check_plan` runs, in report order.
FAMILIES: tuple[Family, ...] = (
    check_partition,
    check_seats,
    check_contiguity,
    check_must_arrange,
    check_floors,
    check_locks,
    check_pairs,
    check_ceilings,
    check_parents,
)
