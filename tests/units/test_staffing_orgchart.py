"""Organisation templates as data, the org graph, its table and rendered chart."""

from __future__ import annotations

import networkx as nx
import pytest

from sapxep.units.errors import RulesetError
from sapxep.units.staffing.headcounts import position_headcounts
from sapxep.units.staffing.orgchart import org_graph, org_table, render_org_chart
from sapxep.units.staffing.templates import load_template


@pytest.mark.parametrize("structure", ["2023", "2025"])
def test_templates_carry_sources(structure):
    tpl = load_template(structure)
    assert tpl.structure == structure
    for p in tpl.positions.values():
        # every position is sourced, or flagged as a modelling assumption / local rule
        assert (
            p.source
            or p.confidence in ("assumption", "local")
            or tpl.departments.get(p.department, {}).get("source")
        ), p.id


def test_2023_structure_titles():
    tpl = load_template("2023")
    cs = [p for p in tpl.positions.values() if p.category == "civil_servant"]
    assert len(cs) == 6  # the six civil-servant titles of Decree 33/2023
    assert "truong_cong_an" not in tpl.positions  # police chief removed in 2023
    assert tpl.quota["cadres_and_civil_servants"]["phuong"] == {"I": 23, "II": 21, "III": 19}


def test_2025_structure_departments():
    tpl = load_template("2025")
    ubnd_depts = {d for d, t in tpl.departments.items() if t["body"] == "ubnd"} - {"lanh_dao_ubnd"}
    assert ubnd_depts == {"van_phong", "phong_kinh_te", "phong_vhxh", "trung_tam_pvhcc"}
    assert tpl.department_label("phong_kinh_te", "xa") == "Phòng Kinh tế"
    assert tpl.department_label("phong_kinh_te", "phuong") == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert tpl.param_defaults()["total_staff"] == 32


def test_org_graph_is_a_tree_with_headcounts():
    tpl = load_template("2023")
    h = position_headcounts(tpl, unit_type="xa", commune_class="I", cb_cc_quota=26,
                            part_time_quota=18)  # fmt: skip
    g = org_graph(tpl, h, unit_type="xa", unit_label="Xã Minh Tiến")
    assert nx.is_arborescence(g)
    assert g.nodes["unit"]["headcount"] == 26 + 18
    leaves = [n for n in g if g.out_degree(n) == 0]
    assert all(g.nodes[n]["kind"] == "position" for n in leaves)
    assert g.nodes["body:ubnd"]["headcount"] == 3 + 14  # leadership + 14 civil servants
    t = org_table(g)
    assert t.iloc[-1]["body"] == "Tổng cộng" and t.iloc[-1]["headcount"] == 44
    assert t.iloc[:-1]["headcount"].sum() == 44
    assert "Phó Chủ tịch UBND" in set(t["position"])


def test_render_svg_and_png(tmp_path):
    tpl = load_template("2025")
    h = position_headcounts(tpl, unit_type="phuong", commune_class="I")
    g = org_graph(tpl, h, unit_type="phuong", unit_label="Phường Việt Trì")
    svg = render_org_chart(g, tmp_path / "a.svg", estimated=True)
    png = render_org_chart(g, tmp_path / "a.png")
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_template():
    with pytest.raises(RulesetError, match="unknown organisation structure"):
        load_template("1999")


def test_pooled_staff_shown_per_quota_line():
    tpl = load_template("2025")
    h = position_headcounts(tpl, unit_type="xa", commune_class="II")
    pooled = {"chu_tich_ubnd": 3, "pho_chu_tich_ubnd": 4, "van_phong": 9, "phong_kinh_te": 8,
              "phong_vhxh": 5, "trung_tam_pvhcc": 0, "chu_tich_hdnd": 3, "pho_chu_tich_hdnd": 2}  # fmt: skip
    g = org_graph(tpl, h, unit_type="xa", unit_label="Xã mới", pooled=pooled)
    assert g.nodes["pos:chu_tich_ubnd"]["pooled"] == 3
    assert g.nodes["dept:van_phong"]["pooled"] == 9 and "pooled" not in g.nodes["pos:chanh_van_phong"]
    assert g.nodes["dept:lanh_dao_ubnd"]["pooled"] == 7
    assert g.nodes["unit"]["pooled"] == sum(pooled.values()) and g.nodes["unit"]["headcount"] == 32
    t = org_table(g)
    assert t.iloc[-1]["pooled"] == 34
    assert set(t.loc[t["department"] == "Văn phòng HĐND và UBND", "pooled"]) == {9}
