"""Staffing of a saved scenario for the app: run, tables, org chart, projection."""

from __future__ import annotations

from typing import Any

import pandas as pd


def scenario_staffing(
    workspace: Any,
    name: str,
    *,
    structure: str | None = None,
    roster_file: tuple[str, bytes] | None = None,
    units: Any = None,
) -> Any:
    """Run the staffing analysis of a saved scenario (:func:`sapxep.scenarios.run.staffing.run_staffing`).

    Parameters
    ----------
    workspace : Workspace
    name : str
        Scenario name.
    structure : {"2023", "2025"}, optional
        Default: by the scenario's ruleset (2025 for nq76_2025 and later).
    roster_file : (name, bytes), optional
        An uploaded roster (CSV/XLSX); default a synthetic roster labelled as estimated.
    units : GeoDataFrame, optional
        Units of the scenario's dataset (default the workspace copy).

    Returns
    -------
    scenarios.run.staffing.StaffingResult

    Raises
    ------
    RosterError, PlanError, ScenarioError
        With every problem listed.
    """
    import tempfile
    from pathlib import Path

    from sapxep.scenarios.run.staffing import run_staffing

    sc_plan = workspace.plan(name)
    if units is None:
        units = workspace.units(workspace.info(name).dataset)
    rules = str(workspace.info(name).ruleset or "") or None  # sets the Art. 11(2) cap
    if roster_file is None:
        return run_staffing((units, sc_plan), structure=structure, plan_ruleset=rules)
    with tempfile.TemporaryDirectory(prefix="sapxep-roster-") as tmp:
        path = Path(tmp) / Path(roster_file[0]).name
        path.write_bytes(roster_file[1])
        return run_staffing((units, sc_plan), structure=structure, roster=path, plan_ruleset=rules)


def staffing_summary_table(result: Any) -> pd.DataFrame:
    """Return the ``staffing_summary`` table (key, value) stored with a scenario.

    Keys include those :mod:`sapxep.scenarios.analysis.compare` reads: ``staff_before``, ``staff_after``
    (the quota after the merger), ``surplus_now``, ``surplus_year5`` and the cost keys.
    """
    return staffing_tables(result)["staffing_summary"]


def org_chart_png(result: Any, new_unit: str, *, lang: str = "vi") -> bytes:  # noqa: ARG001
    """Render the org chart of one new unit to PNG bytes (:mod:`sapxep.units.staffing.orgchart`)."""
    import tempfile
    from pathlib import Path

    from sapxep.units.staffing.orgchart import org_graph, render_org_chart

    a = result.analysis
    row = a.new_units.loc[new_unit]
    graph = org_graph(
        a.template,
        a.headcounts[str(new_unit)],
        unit_type=str(row["unit_type"]),
        unit_label=f"{row['name']} (loại {row['commune_class']})",
    )
    with tempfile.TemporaryDirectory(prefix="sapxep-org-") as tmp:
        path = render_org_chart(graph, Path(tmp) / "org.png", estimated=a.estimated_roster, dpi=90)
        return Path(path).read_bytes()


def projection_by_year(result: Any, new_unit: str | None = None) -> pd.DataFrame:
    """Return the staffing projection per year (all new units, or one): staff, quota, surplus.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``staff``, ``quota``, ``surplus``, ``deficit`` (summed over
        groups).
    """
    p = result.analysis.projection
    if new_unit is not None:
        p = p[p["new_unit"].astype(str) == str(new_unit)]
    start = int(result.analysis.options.start_year)
    cols = [c for c in ("staff", "quota", "surplus", "deficit") if c in p.columns]
    out = p.groupby("year_index")[cols].sum()
    out.index = out.index.astype(int) + start
    out.index.name = "year"
    return out


def staffing_tables(result: Any) -> dict[str, pd.DataFrame]:
    """Return the staffing tables stored with a scenario.

    The one conversion: :func:`sapxep.scenarios.run.staffing_outputs.stored_staffing_tables`.
    """
    from sapxep.scenarios.workspace.staffing_tables import staffing_tables as stored

    return stored(result)


def redeployment_table(result: Any, lang: str = "vi") -> pd.DataFrame:
    """Return the redeployment list with names instead of codes, headers in ``lang``.

    Job-title codes (``tu_phap_ho_tich``) become their titles, new-unit ids the new units'
    names; each person is described by title and former unit, with the staff id kept.
    """
    from sapxep.scenarios.messages import translate_columns

    moves = result.redeployment.moves
    a = result.analysis
    titles = dict(zip(a.titles["slot"].astype(str), a.titles["label_vi"].astype(str), strict=True))
    roster = result.roster
    if "title_label" in roster.columns:
        titles.update(zip(roster["title"].astype(str), roster["title_label"].astype(str), strict=True))
    unit_names = {str(g): str(n) for g, n in a.new_units["name"].items()}
    out = pd.DataFrame(
        {
            "person_id": moves["person_id"].astype(str) if "person_id" in moves else [],
            "title": moves["title"].astype(str).map(lambda x: titles.get(x, x)) if "title" in moves else [],
            "from_unit": moves["from_unit"].astype(str).map(lambda x: unit_names.get(x, x))
            if len(moves)
            else [],
            "to_unit": moves["to_unit"].astype(str).map(lambda x: unit_names.get(x, x)) if len(moves) else [],
            "to_slot": moves["to_slot"].astype(str).map(lambda x: titles.get(x, x))
            if "to_slot" in moves
            else [],
            "distance_km": moves["distance_km"].round(1) if "distance_km" in moves else [],
        }
    )
    return translate_columns(out, lang)
