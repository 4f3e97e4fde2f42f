"""Where a ruleset is picked by default, it is the one in force for the data, never a repealed one."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from sapxep.geodata.datasets import DATASETS
from sapxep.scenarios.app.datasets import DEFAULT_DATASET, DEFAULT_RULESET, ruleset_names
from sapxep.scenarios.export.excel import dossier_tables
from sapxep.scenarios.run.assess import default_rules_for
from sapxep.units.plan import current_state_plan
from sapxep.units.rules import default_ruleset_for, load_ruleset
from sapxep.units.staffing.quotas import DEFAULT_RULESET as QUOTA_RULESET
from sapxep.units.staffing.quotas import unit_quotas


def test_app_opens_with_the_ruleset_in_force_for_its_dataset() -> None:
    assert default_ruleset_for(DATASETS[DEFAULT_DATASET].state_date) == DEFAULT_RULESET
    assert load_ruleset(DEFAULT_RULESET).repeal is None
    assert ruleset_names()[0] == DEFAULT_RULESET


def test_staffing_quotas_measure_against_the_1211_standards_in_force(phu_tho_2023: gpd.GeoDataFrame) -> None:
    rs = load_ruleset(QUOTA_RULESET)
    assert default_ruleset_for("2025-06-30") == QUOTA_RULESET
    assert rs.repeal is None and rs.standards_basis == "nq1211_2016"
    # the repealed NQ 35/2023 set carried the same standards: the quotas do not move
    units = pd.DataFrame(phu_tho_2023.drop(columns="geometry"))
    pd.testing.assert_frame_equal(unit_quotas(units), unit_quotas(units, ruleset="nq35_2023"))


def test_dossier_tables_default_to_the_ruleset_in_force(phu_tho_2023: gpd.GeoDataFrame) -> None:
    units = phu_tho_2023.head(40)
    plan = current_state_plan(units["code"].astype(str))
    assert default_rules_for(units) == "nq76_2025"
    table, members = dossier_tables(units, plan)
    want_table, want_members = dossier_tables(units, plan, ruleset="nq76_2025")
    pd.testing.assert_frame_equal(table, want_table)
    pd.testing.assert_frame_equal(members, want_members)
    other, _ = dossier_tables(units, plan, ruleset="nq35_2023")
    assert not table.equals(other)  # the default is not the repealed set


def test_a_file_without_districts_is_not_taken_as_pre_reform(tmp_path) -> None:  # noqa: ANN001
    """A blank parent kind is unknown, not 'huyện': xã and phường alone read as today's units."""
    from sapxep.geodata.io import read_units
    from sapxep.units.rules import default_ruleset_for

    path = tmp_path / "today.geojson"
    gpd.GeoDataFrame(
        {"ma": ["00001", "00002"], "ten": ["Xã Một", "Phường Hai"], "dan_so": [30000, 40000]},
        geometry=gpd.GeoSeries.from_wkt(["POLYGON((0 0,1 0,1 1,0 1,0 0))", "POLYGON((1 0,2 0,2 1,1 1,1 0))"]),
        crs=4326,
    ).to_file(path)
    units = read_units(path)
    assert units["parent_kind"].tolist() == ["", ""]
    assert default_rules_for(units) == default_ruleset_for("2025-07-01")
    # a 2025 file naming its province as the parent: still today's units (a province is no huyện)
    gpd.read_file(path).assign(tinh="Tỉnh Phú Thọ").rename(columns={"tinh": "district"}).to_file(path)
    units = read_units(path)
    assert units["parent_name"].tolist() == ["Tỉnh Phú Thọ"] * 2 and units["parent_kind"].tolist() == ["", ""]
    assert default_rules_for(units) == default_ruleset_for("2025-07-01")
    from sapxep.units.schema import parent_kind_from_name

    assert [parent_kind_from_name(n) for n in ("Huyện Lâm Thao", "Lâm Thao", "Quận 1", "Thị xã Phú Thọ")] == [
        "huyen", "", "quan", "thi_xa"]  # fmt: skip
