"""Map exports: PNG/PDF/SVG files, label placement, before/after and comparison sheets."""

from __future__ import annotations

import shutil
import subprocess
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from sapxep.scenarios.export import export_scenario
from sapxep.scenarios.export.maps import (
    before_after_figure,
    colour_groups,
    export_comparison_map,
    plan_figure,
    save_figure,
)
from sapxep.scenarios.workspace.importing import import_scenario
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.plan import plan_from_mapping


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    w = Workspace(tmp_path_factory.mktemp("maps") / "ws.gpkg")
    import_scenario(w, "NQ 828", dataset="phu_tho_2019", ruleset="nq35_2023")
    plan = w.plan("NQ 828")
    a = plan.assignment.copy()
    a["07939"] = "07960"
    w.save("Biến thể", plan_from_mapping(a, seats=plan.seats, names=plan.names),
           units=w.units("phu_tho_2019"), dataset="phu_tho_2019")  # fmt: skip
    return w


def _name_labels(fig) -> list:
    return [t for ax in fig.axes for t in ax.texts if t.get_zorder() == 6 and t.get_visible()]


def test_plan_map_labels_do_not_collide(ws: Workspace) -> None:
    sc = ws.load("NQ 828")
    units = ws.units("phu_tho_2019")
    fig = plan_figure(units, sc.new_units, title="Thử nghiệm", dpi=72)
    renderer = fig.canvas.get_renderer()
    texts = _name_labels(fig)
    names = [t for t in texts if not t.get_text().isdigit()]
    numbers = [t for t in texts if t.get_text().isdigit()]
    # every new unit has its full name on the map or a number listed in the index
    assert len(names) + len(numbers) == 225
    assert len(numbers) <= 0.2 * 225
    assert {t.get_text().replace("\n", " ") for t in names} <= set(sc.new_units["name"])
    index = " ".join(t.get_text() for t in fig.texts)
    for t in numbers:
        assert f"{t.get_text()}. " in index
    assert min(t.get_fontsize() for t in names) >= 4.5  # legible when printed on A4
    boxes = np.array([t.get_window_extent(renderer).extents for t in names])
    overlaps = [
        (names[i].get_text(), names[j].get_text())
        for i, j in combinations(range(len(boxes)), 2)
        if (min(boxes[i, 2], boxes[j, 2]) - max(boxes[i, 0], boxes[j, 0]) > 0.5
            and min(boxes[i, 3], boxes[j, 3]) - max(boxes[i, 1], boxes[j, 1]) > 0.5)
    ]  # fmt: skip
    assert overlaps == []
    ax = fig.axes[0]
    frame = ax.bbox
    assert all(frame.x0 - 1 <= b[0] and b[2] <= frame.x1 + 1 for b in boxes[: len(names)])
    assert fig._suptitle.get_text() == "Thử nghiệm"
    assert len(fig.legends) == 1
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"Đơn vị hành chính cấp xã mới", "Ranh giới đơn vị cũ", "Trụ sở đơn vị mới"} <= set(legend)
    assert any("Nguồn dữ liệu" in t.get_text() for t in fig.texts)
    assert any(t.get_text() == "B" for t in ax.texts)  # north arrow
    assert any(t.get_text().endswith(" km") for t in ax.texts)  # scale bar


def test_neighbours_get_different_colours(ws: Workspace) -> None:
    from sapxep.geodata.crs import metric_crs

    nu = ws.load("NQ 828").new_units
    m = nu.to_crs(metric_crs(nu))
    colours = colour_groups(m)
    left, right = m.sindex.query(m.geometry.buffer(10), predicate="intersects")
    pairs = [(i, j) for i, j in zip(left, right, strict=True) if i < j]
    assert len(pairs) > 300
    assert all(colours[i] != colours[j] for i, j in pairs)


@pytest.mark.slow
def test_export_png_pdf_svg(ws: Workspace, tmp_path: Path) -> None:
    png = export_scenario(ws, "NQ 828", "png", tmp_path / "map.png", dpi=300)
    with Image.open(png) as im:
        assert im.format == "PNG"
        assert im.size == (2481, 3507) or im.size == (2481, 3508)  # A4 portrait at 300 dpi
        assert round(im.info["dpi"][0]) == 300
        arr = np.asarray(im.convert("RGB"))
        assert (arr.std(axis=(0, 1)) > 20).all()  # not blank
    pdf = export_scenario(ws, "NQ 828", "pdf", tmp_path / "map.pdf", lang="en")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    fig = plan_figure(ws.units("phu_tho_2019"), ws.load("NQ 828").new_units, labels=False)
    svg = save_figure(fig, tmp_path / "map.svg")
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "</svg>" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")],
                       check=True)  # fmt: skip
        pages = sorted(tmp_path.glob("page*.png"))
        assert len(pages) == 1
        with Image.open(pages[0]) as im:
            assert im.size[1] > im.size[0]  # portrait


def test_before_after_and_comparison(ws: Workspace, tmp_path: Path) -> None:
    units = ws.units("phu_tho_2019")
    fig = before_after_figure(units, ws.load("NQ 828").new_units, lang="en", title="B/A", dpi=60)
    titles = [ax.get_title() for ax in fig.axes]
    assert "Current: 277 units" in titles and "After: 225 units" in titles
    district_labels = [t.get_text() for t in fig.axes[0].texts if t.get_zorder() == 6]
    assert len(district_labels) >= 12  # the 13 districts of Phú Thọ, named
    out = save_figure(fig, tmp_path / "ba.png", dpi=60)
    with Image.open(out) as im:
        assert im.size[0] > im.size[1]  # landscape
    sheet = export_comparison_map(ws, ["NQ 828", "Biến thể"], tmp_path / "cmp.pdf", lang="vi")
    assert sheet.read_bytes()[:5] == b"%PDF-"
    from sapxep.scenarios.export.maps import comparison_figure

    scs = [ws.load("NQ 828"), ws.load("Biến thể")]
    changed = [None, pd.Index(["07939", "07942", "07960"])]
    fig = comparison_figure(units, [(s.name, s.new_units) for s in scs], changed=changed, dpi=50)
    assert [ax.get_title().splitlines()[0] for ax in fig.axes] == ["NQ 828", "Biến thể"]
    assert fig.axes[1].get_title().splitlines()[2] == "khác phương án NQ 828: 3 đơn vị cũ"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[-1] == "Đơn vị cũ được gộp khác nhau giữa các phương án"
    # a new unit with the same members has the same colour in both panels
    same = (scs[0].new_units["members"] == scs[1].new_units["members"]).to_numpy()
    assert same.sum() == 223
    fc0 = fig.axes[0].collections[0].get_facecolor()
    fc1 = fig.axes[1].collections[0].get_facecolor()
    assert (fc0[same] == fc1[same]).all()
    ba = export_scenario(ws, "NQ 828", "png", tmp_path / "ba2.png", dpi=50, kind="before_after")
    assert ba.stat().st_size > 10_000


def test_plan_map_print_layout(ws: Workspace) -> None:
    """Title with the province and the scenario as named; a legend entry per class; A3 and
    orientation honoured; a location inset; the key lists every numbered name."""
    from sapxep.scenarios.export.maps import map_titles

    units = ws.units("phu_tho_2019")
    title, sub = map_titles(units, "NQ 828", 225, 277, "vi")
    assert title == "BẢN ĐỒ PHƯƠNG ÁN SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP XÃ TỈNH PHÚ THỌ"
    assert "«" not in sub and "NQ 828" in sub and "225" in sub
    fig = plan_figure(units, ws.load("NQ 828").new_units, title=title, subtitle=sub, dpi=50,
                      paper="A3", orientation="landscape")  # fmt: skip
    assert tuple(round(x, 2) for x in fig.get_size_inches()) == (16.54, 11.69)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:6] == ["Đơn vị hành chính cấp xã mới", "Đơn vị giữ nguyên (không sắp xếp)",
                          "Ranh giới đơn vị hành chính mới", "Ranh giới đơn vị cũ",
                          "Ranh giới cấp huyện cũ", "Trụ sở đơn vị mới"]  # fmt: skip
    assert any(ax.get_title() == "Vị trí trong cả nước" for ax in fig.axes)
    texts = [t.get_text() for t in fig.texts]
    numbered = [t for ax in fig.axes for t in ax.texts if t.get_text().isdigit() and t.get_zorder() == 6]
    if numbered:
        assert "Tên các đơn vị ghi bằng số trên bản đồ:" in texts
        assert legend[-1] == "Số thứ tự tên đơn vị (xem bảng)"
        for t in numbered:
            assert any(x.startswith(f"{t.get_text()}. ") for x in texts)
    with pytest.raises(ValueError, match="paper"):
        plan_figure(units, ws.load("NQ 828").new_units, paper="A5", labels=False)


def test_location_inset_shows_the_units_state() -> None:
    """2025 datasets get the 34 provinces of 1 July 2025 on the location inset, older ones 63."""
    from sapxep.scenarios.export.cartography import _province_outlines
    from sapxep.scenarios.export.maps import dataset_vintage

    assert dataset_vintage("vietnam_2025") == "2025"
    assert dataset_vintage("phu_tho_2023") == "2019" and dataset_vintage("upload:x.gpkg") == "2019"
    assert len(_province_outlines("2025")) == 34
    assert len(_province_outlines("2019")) == 63
