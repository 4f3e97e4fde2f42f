"""Acceptance of issue 10: a 2025 plan under NQ 76 has 2025 kinds and names and lists Art. 5(3) exceptions."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from sapxep.scenarios.cli import main


def test_plan_nq76_target_66_kinds_names_and_exceptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    argv = ["plan", "--dataset", "phu_tho_2023", "--rules", "nq76_2025", "--mode", "target-count",
            "--target", "66", "--time-limit", "8", "--workers", "1", "--seed", "1",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    text = capsys.readouterr().out
    new = gpd.read_file(out / "plan.gpkg", layer="new_units")
    assert len(new) == 66
    assert set(new["unit_type"]) <= {"xa", "phuong"}  # NQ 76 Art. 1(3): no thị trấn after 2025
    assert not new["name"].str.startswith("Thị trấn").any()
    assert new["name"].is_unique  # Art. 7(2)(c)
    # the kind follows the members: a phường among them gives a phường
    units = gpd.read_file(out / "plan.gpkg", layer="units")
    has_ward = units.groupby("new_unit")["unit_type"].agg(lambda t: "phuong" in set(t))
    kinds = new.set_index("new_unit")["unit_type"]
    assert ((kinds == "phuong") == has_ward.reindex(kinds.index)).all()
    # names kept in plan.csv for save / compare / export
    plan = pd.read_csv(out / "plan.csv", dtype=str, keep_default_na=False)
    assert (plan["new_name"] != "").all() and not plan["new_name"].str.startswith("Thị trấn").any()
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert m["check_ok"] and set(m["new_unit_types"]) <= {"xa", "phuong"}
    # Art. 5(3) exceptions: listed (metrics and output), each a 2-member unit for the Standing Committee
    assert m["n_exceptions"] == len(m["exceptions"])
    assert text.count("trường hợp đặc biệt (NQ 76/2025 Điều 5 khoản 3") == m["n_exceptions"]


def test_plan_speaks_vietnamese_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    # 110 new units: many two-member units below the orientation, i.e. NQ 76 Art. 5(3) exceptions
    argv = ["plan", "--dataset", "phu_tho_2023", "--rules", "nq76_2025", "--mode", "target-count",
            "--target", "110", "--deterministic-time", "4", "--time-limit", "300", "--workers", "1",
            "--seed", "1", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    text, err = capsys.readouterr()
    first = text.splitlines()[0]
    assert first.startswith(("Tối ưu", "Khả thi")) and "225 → 110 đơn vị" in first
    assert "đơn vị thuộc diện phải sắp xếp đã được sắp xếp" in first and "giây" in first
    assert f"Đã ghi metrics.json, plan.csv, plan.gpkg, scenario.toml vào {out}" in text
    for english in ("must-arrange", "wrote", "note:", "Input:", "objective", "warm start", "exception ("):
        assert english not in text + err
    # Art. 5(3) exceptions listed in the output and in metrics.json, in Vietnamese
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert m["n_exceptions"] == len(m["exceptions"]) > 0
    for msg in m["exceptions"]:
        assert "Điều 5 khoản 3" in msg and "Ủy ban Thường vụ Quốc hội xem xét" in msg
    assert text.count("trường hợp đặc biệt (NQ 76/2025 Điều 5 khoản 3") == m["n_exceptions"]


def test_scenario_file_attributes_over_a_dataset(tmp_path: Path) -> None:
    # [data] attributes with a bundled dataset: Xã Trung Sơn as mountainous meets NQ 1211 and stays
    (tmp_path / "terrain.csv").write_text("code,terrain\n08311,mountainous\n", encoding="utf-8")
    (tmp_path / "s.toml").write_text(
        '[data]\ndataset = "phu_tho_2023"\nattributes = "terrain.csv"\n[rules]\nname = "nq76_2025"\n'
        '[plan]\nmode = "max-units"\n[solver]\ntime_limit_s = 3\nnum_workers = 1\n',
        encoding="utf-8",
    )
    out = tmp_path / "run"
    assert main(["plan", str(tmp_path / "s.toml"), "--out", str(out)]) == 0
    units = gpd.read_file(out / "plan.gpkg", layer="units").set_index("code")
    assert units.loc["08311", "terrain"] == "mountainous" and units.loc["08311", "terrain_source"] == "data"
    assert (units["new_unit"] == units.loc["08311", "new_unit"]).sum() == 1  # not in scope: unchanged
    assert set(units["terrain_source"]) == {"data", "proxy", "default"}  # per unit, where terrain came from


def test_repealed_ruleset_is_named_in_plan_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    argv = ["plan", "--dataset", "phu_tho_2023", "--rules", "nq35_2023", "--time-limit", "3",
            "--workers", "1", "--no-gpkg", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    assert "hết hiệu lực từ 15/04/2025" in capsys.readouterr().out
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert m["ruleset_repealed"].startswith("hết hiệu lực từ 15/04/2025")
    assert any("15/04/2025" in n for n in m["ruleset_notes"])
    # without --rules a dataset gets the ruleset in force for its state, never a repealed one
    assert main(["plan", "--dataset", "phu_tho_2023", "--time-limit", "2", "--workers", "1", "--no-gpkg",
                 "--out", str(tmp_path / "d")]) == 0  # fmt: skip
    assert json.loads((tmp_path / "d" / "metrics.json").read_text(encoding="utf-8"))["ruleset"] == "nq76_2025"


def test_no_exceptions_flag_makes_the_orientation_hard(tmp_path: Path) -> None:
    out = tmp_path / "run"
    argv = ["plan", "--dataset", "phu_tho_2023", "--rules", "nq76_2025", "--mode", "max-units",
            "--time-limit", "3", "--workers", "1", "--no-gpkg", "--no-exceptions",
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert m["ruleset"] == "nq76_2025_custom" and m["n_exceptions"] == 0 and m["check_ok"]
    assert any("allow_exceptions=False" in n for n in m["ruleset_notes"])
