"""Renders of the print outputs kept as test artefacts: the PDF map, the comparison sheet and
the Word draft, each page as a PNG in ``test-artifacts/exports/`` (looked at by a person;
the test checks the pages exist, have the paper's shape and are not blank)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sapxep.scenarios.export import export_scenario
from sapxep.scenarios.export.maps import export_comparison_map
from sapxep.scenarios.run.staffing import run_staffing
from sapxep.scenarios.workspace.importing import import_scenario
from sapxep.scenarios.workspace.staffing_tables import staffing_tables
from sapxep.scenarios.workspace.store import Workspace
from sapxep.units.plan import plan_from_mapping

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "exports"
PDFTOPPM = shutil.which("pdftoppm")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    w = Workspace(tmp_path_factory.mktemp("renders") / "ws.gpkg")
    import_scenario(w, "NQ 828", dataset="phu_tho_2019", ruleset="nq35_2023", author="Tổ công tác")
    plan = w.plan("NQ 828")
    a = plan.assignment.copy()
    a["07939"] = "07960"
    w.save("Biến thể", plan_from_mapping(a, seats=plan.seats, names=plan.names),
           units=w.units("phu_tho_2019"), dataset="phu_tho_2019")  # fmt: skip
    return w


def _pages(pdf: Path, stem: str, dpi: int = 80) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run([str(PDFTOPPM), "-r", str(dpi), "-png", str(pdf), str(ARTIFACTS / stem)], check=True,
                   timeout=300)  # fmt: skip
    return sorted(ARTIFACTS.glob(f"{stem}-*.png"))


def _not_blank(png: Path) -> float:
    with Image.open(png) as im:
        grey = np.asarray(im.convert("L"))
    return float((grey < 200).mean())


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (Debian poppler-utils) is not installed")
def test_map_and_comparison_renders(ws: Workspace, tmp_path: Path) -> None:
    pdf = export_scenario(ws, "NQ 828", "pdf", tmp_path / "ban_do.pdf")
    [page] = _pages(pdf, "map_a4")
    with Image.open(page) as im:
        assert im.size[1] > im.size[0]  # Phú Thọ is tall: A4 portrait
    assert _not_blank(page) > 0.08
    a3 = export_scenario(ws, "NQ 828", "pdf", tmp_path / "a3.pdf", paper="A3", orientation="landscape")
    [page] = _pages(a3, "map_a3_landscape", dpi=50)
    with Image.open(page) as im:
        assert im.size[0] / im.size[1] == pytest.approx(420 / 297, rel=0.02)
    cmp = export_comparison_map(ws, ["NQ 828", "Biến thể"], tmp_path / "so_sanh.pdf")
    [page] = _pages(cmp, "comparison")
    assert _not_blank(page) > 0.05


@pytest.mark.skipif(PDFTOPPM is None or SOFFICE is None,
                    reason="needs pdftoppm and LibreOffice (libreoffice-writer-nogui)")  # fmt: skip
def test_word_draft_renders(ws: Workspace, tmp_path: Path) -> None:
    # with a staffing run attached, the draft has its staffing and cost sections to look at
    res = run_staffing((ws.units("phu_tho_2019"), ws.plan("NQ 828")))
    ws.set_tables("NQ 828", staffing_tables(res))
    docx = export_scenario(ws, "NQ 828", "docx", tmp_path / "de_an.docx")
    subprocess.run([str(SOFFICE), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, timeout=300, capture_output=True)  # fmt: skip
    pages = _pages(tmp_path / "de_an.pdf", "word_draft", dpi=60)
    assert len(pages) >= 4
    for page in pages:
        with Image.open(page) as im:
            assert im.size[0] / im.size[1] == pytest.approx(210 / 297, rel=0.02)  # A4 portrait
        assert _not_blank(page) > 0.005


@pytest.mark.skipif(PDFTOPPM is None or SOFFICE is None,
                    reason="needs pdftoppm and LibreOffice (libreoffice-calc-nogui)")  # fmt: skip
def test_excel_appendix_renders(ws: Workspace, tmp_path: Path) -> None:
    xlsx = export_scenario(ws, "NQ 828", "xlsx", tmp_path / "phu_luc.xlsx")
    run = subprocess.run([str(SOFFICE), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                          str(xlsx)], timeout=300, capture_output=True)  # fmt: skip
    if run.returncode != 0 or not (tmp_path / "phu_luc.pdf").exists():
        pytest.skip("LibreOffice Calc is not installed")
    pages = _pages(tmp_path / "phu_luc.pdf", "excel_appendix", dpi=60)
    assert pages and _not_blank(pages[0]) > 0.005
