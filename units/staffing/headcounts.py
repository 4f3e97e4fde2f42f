"""Headcounts of a template's positions and quota lines for one unit.

Split from :mod:`sapxep.units.staffing.templates` (which re-exports these names).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sapxep.units.errors import RulesetError, ScenarioError
from sapxep.units.staffing.templates import COMMUNE_CLASSES, GROUP_OF_CATEGORY

if TYPE_CHECKING:
    from sapxep.units.staffing.templates import OrgTemplate, Position

__all__ = ["position_headcounts", "slot_table"]


def _fixed_headcount(p: Position, *, commune_class: str, params: Mapping[str, int | None]) -> int | None:
    """Headcount of a position that does not depend on the quota (None if it does)."""
    if p.headcount_by_class is not None:
        return int(p.headcount_by_class[commune_class])
    h = p.headcount
    if isinstance(h, int):
        return h
    if isinstance(h, str) and h.startswith("param:"):
        v = params.get(h.removeprefix("param:"))
        return int(v or 0)
    return None


def position_headcounts(
    template: OrgTemplate,
    *,
    unit_type: str,
    commune_class: str,
    cb_cc_quota: int | None = None,
    part_time_quota: int | None = None,
    params: Mapping[str, int | None] | None = None,
) -> dict[str, int]:
    """Return the headcount of every position for one unit.

    Fixed posts (chairs, vice-chairs by class, heads) come first; the rest of the
    cadre + civil-servant quota is split between the ``"remainder"`` positions:
    each gets ``floor(rest / n)`` and the leftover goes one by one in
    ``template.allocation_order`` (a modelling default: the law sets the total only).

    Parameters
    ----------
    template : OrgTemplate
        The structure.
    unit_type : {"xa", "phuong", "thi_tran"}
        Kind of the unit (positions with ``applies_to`` not containing it get 0).
    commune_class : {"I", "II", "III"}
        Class used by class-dependent posts.
    cb_cc_quota : int, optional
        Cadres + civil servants quota. Default for the 2025 template: ``params["total_staff"]``.
    part_time_quota : int, optional
        Part-time workers quota (0 when None).
    params : mapping, optional
        Overrides of ``template.params`` defaults.

    Returns
    -------
    dict of str to int
        Position id -> headcount (0 for positions the unit does not have).

    Raises
    ------
    ScenarioError
        If the class is unknown or the quota is smaller than the fixed posts.
    """
    if commune_class not in COMMUNE_CLASSES:
        raise ScenarioError(f"unknown commune class '{commune_class}'", ["use one of I, II, III"])
    prm: dict[str, int | None] = {**template.param_defaults(), **dict(params or {})}
    if cb_cc_quota is None:
        cb_cc_quota = prm.get("total_staff")
    if cb_cc_quota is None:
        raise ScenarioError(
            f"{template.id}: no cadre + civil-servant quota given",
            ["pass cb_cc_quota (the 2023 template takes it from Decree 33)"],
        )
    out, remainder = _fixed_headcounts(
        template, unit_type=unit_type, commune_class=commune_class,
        part_time_quota=part_time_quota, params=prm,
    )  # fmt: skip
    fixed = sum(out[p] for p in out if GROUP_OF_CATEGORY[template.positions[p].category] == "cb_cc")
    rest = int(cb_cc_quota) - fixed
    if rest < 0:
        raise ScenarioError(
            f"{template.id}: quota {cb_cc_quota} is smaller than the {fixed} fixed posts",
            ["raise the quota (total_staff) or lower the vice-chair / deputy parameters"],
        )
    if remainder:
        order = [p for p in template.allocation_order if p in remainder]
        order += [p for p in remainder if p not in order]
        base, extra = divmod(rest, len(order))
        for i, pid in enumerate(order):
            out[pid] = base + (1 if i < extra else 0)
    return out


def _fixed_headcounts(
    template: OrgTemplate,
    *,
    unit_type: str,
    commune_class: str,
    part_time_quota: int | None,
    params: Mapping[str, int | None],
) -> tuple[dict[str, int], list[str]]:
    """Headcount of every position except the ``"remainder"`` ones (0 for now), and those ids.

    Raises
    ------
    RulesetError
        If a position's headcount is not a number, ``remainder``, ``part_time_quota`` or
        ``param:<name>``.
    """
    out: dict[str, int] = {}
    remainder: list[str] = []
    for p in template.positions.values():
        if unit_type not in p.applies_to:
            out[p.id] = 0
            continue
        if p.headcount == "part_time_quota":
            out[p.id] = int(part_time_quota or 0)
            continue
        if p.headcount == "remainder":
            remainder.append(p.id)
            out[p.id] = 0
            continue
        n = _fixed_headcount(p, commune_class=commune_class, params=params)
        if n is None:
            raise RulesetError(
                f"{template.path}: position {p.id}",
                [
                    f"headcount '{p.headcount}' is not a number, 'remainder', "
                    "'part_time_quota' or 'param:<name>'"
                ],
            )
        out[p.id] = n
    return out, remainder


def slot_table(
    template: OrgTemplate, headcounts: Mapping[str, int], *, unit_type: str
) -> list[dict[str, Any]]:
    """Return the quota lines of one unit from its position headcounts.

    Parameters
    ----------
    template : OrgTemplate
    headcounts : mapping
        Output of :func:`position_headcounts`.
    unit_type : str
        For labels.

    Returns
    -------
    list of dict
        One dict per slot: ``slot, label_vi, category, group, leadership, quota``.
    """
    rows = []
    for s in template.slots.values():
        first = template.positions[s.positions[0]]
        if len(s.positions) == 1:
            label = first.label_for(unit_type)
        else:
            label = template.department_label(first.department, unit_type)
        rows.append(
            {
                "slot": s.id,
                "label_vi": label,
                "category": s.category,
                "group": GROUP_OF_CATEGORY[s.category],
                "leadership": s.leadership,
                "quota": int(sum(headcounts.get(p, 0) for p in s.positions)),
            }
        )
    return rows
