"""Staffing after a merger: org-structure templates, quotas, rosters, retirement, transition.

Modules: :mod:`~sapxep.units.staffing.templates` (structures as data), :mod:`~sapxep.units.staffing.quotas`
(Decree 33/2023), :mod:`~sapxep.units.staffing.roster` (schema, validation, synthetic roster),
:mod:`~sapxep.units.staffing.retirement` (Labour Code 2019 roadmap), :mod:`~sapxep.units.staffing.orgchart`
(graph, table, chart), :mod:`~sapxep.units.staffing.transition` (pooling, surplus, projection),
:mod:`~sapxep.units.staffing.coverage` (who the norm covers; NQ 76 Art. 11 cap and deadline),
:mod:`~sapxep.units.staffing.costs` (Decree 178/67 packages, retention, support, savings),
:mod:`~sapxep.units.staffing.redeploy` (min-cost flow). Nothing here imports geodata.
"""

from __future__ import annotations

from sapxep.units.staffing.ages import load_age_profile
from sapxep.units.staffing.costs import load_cost_params, staffing_costs
from sapxep.units.staffing.coverage import coverage_table
from sapxep.units.staffing.headcounts import position_headcounts
from sapxep.units.staffing.orgchart import org_graph, org_table, render_org_chart
from sapxep.units.staffing.quotas import Decree33Quota, decree33_quota, unit_quotas
from sapxep.units.staffing.retirement import retirement_age_months, retirement_date
from sapxep.units.staffing.roster import read_roster, validate_roster
from sapxep.units.staffing.synthetic import synthetic_roster
from sapxep.units.staffing.templates import (
    OrgTemplate,
    default_structure,
    load_template,
)
from sapxep.units.staffing.transition import (
    StaffingAnalysis,
    StaffingOptions,
    analyse_staffing,
    summary_counts,
)

__all__ = [
    "Decree33Quota",
    "OrgTemplate",
    "StaffingAnalysis",
    "StaffingOptions",
    "analyse_staffing",
    "coverage_table",
    "decree33_quota",
    "default_structure",
    "load_age_profile",
    "load_cost_params",
    "load_template",
    "org_graph",
    "org_table",
    "position_headcounts",
    "read_roster",
    "render_org_chart",
    "retirement_age_months",
    "retirement_date",
    "staffing_costs",
    "summary_counts",
    "synthetic_roster",
    "unit_quotas",
    "validate_roster",
]
