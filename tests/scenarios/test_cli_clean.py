"""A real province cut from the nationwide 2019 file: assess (warnings), clean (report), plan."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sapxep.geodata.io import load_dataset
from sapxep.scenarios.cli import main


@pytest.fixture(scope="module")
def bac_giang(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bắc Giang (222 units) written as a user's GeoJSON, uncleaned."""
    path = tmp_path_factory.mktemp("bg") / "bac_giang.geojson"
    load_dataset("vietnam_2019", province="Bắc Giang").to_file(path)
    return path


def test_assess_clean_plan_on_an_uncleaned_province(bac_giang: Path, tmp_path: Path, capsys) -> None:
    # assess: topology problems are warnings, the assessment is done
    assert main(["assess", "--units", str(bac_giang), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["units"]) == 222
    assert any("pairs of units overlap" in w for w in doc["warnings"])
    assert any("gaps between units" in w for w in doc["warnings"])

    # clean: refused above the default change limit, naming the units and the flag
    clean = tmp_path / "bg_clean.geojson"
    assert main(["clean", str(bac_giang), "--out", str(clean)]) == 2
    err = capsys.readouterr().err
    assert "--max-change-pct" in err and "07207" in err and "Traceback" not in err
    assert not clean.exists()
    assert main(["clean", str(bac_giang), "--out", str(clean), "--max-change-pct", "15"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Đã làm sạch 222 đơn vị: xử lý ") and "km² chồng lấn" in out and "lấp " in out
    assert "Đã ghi " in out and "báo cáo từng đơn vị" in out
    assert main(["clean", str(bac_giang), "--out", str(clean), "--max-change-pct", "15", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "km² of overlaps resolved" in out and "gaps filled" in out
    report = pd.read_csv(tmp_path / "bg_clean_clean_report.csv", dtype={"code": str}, encoding="utf-8-sig")
    assert len(report) == 222 and report["change_pct"].max() <= 15
    assert {"added_km2", "removed_km2", "change_pct"} <= set(report.columns)

    # plan on the cleaned file: the remaining large gaps (units missing from the source) are tolerated
    plan_dir = tmp_path / "plan"
    argv = ["plan", "--units", str(clean), "--rules", "nq76_2025", "--out", str(plan_dir),
            "--time-limit", "5", "--workers", "1", "--quiet", "--no-gpkg"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Đã chấp nhận: 4 khe hở giữa các đơn vị" in out
    metrics = json.loads((plan_dir / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["n_before"] == 222 and metrics["topology_tolerated"]


def test_clean_never_writes_onto_its_input(bac_giang: Path, capsys) -> None:
    before = bac_giang.read_bytes()
    assert main(["clean", str(bac_giang), "--out", str(bac_giang)]) == 2
    assert "also an input" in capsys.readouterr().err
    assert bac_giang.read_bytes() == before
