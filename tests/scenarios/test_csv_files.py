"""CSV outputs carry a UTF-8 byte-order mark (Excel on Windows) and read back everywhere."""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd

from sapxep.geodata.tables import read_table
from sapxep.scenarios.cli import main
from sapxep.scenarios.csvfile import csv_bytes, write_csv
from sapxep.units.plan import plan_from_mapping, read_plan_csv


def test_write_csv_has_bom_and_reads_back(tmp_path: Path) -> None:
    plan = plan_from_mapping(pd.Series({"07939": "A", "07942": "A", "07960": "B"}))
    out = write_csv(tmp_path / "plan.csv", plan.to_frame())
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert read_plan_csv(str(out)).assignment.to_dict() == plan.assignment.to_dict()
    frame = pd.DataFrame({"name": ["Xã Thanh Minh", "Phường Hùng Vương"]})
    write_csv(tmp_path / "names.csv", frame)
    assert list(read_table(tmp_path / "names.csv")[0]["name"]) == ["Xã Thanh Minh", "Phường Hùng Vương"]
    assert csv_bytes(frame).startswith(codecs.BOM_UTF8)


def test_assess_csv_opens_in_excel(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    assert main(["assess", "--dataset", "phu_tho_2023", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    df = pd.read_csv(out, dtype=str)
    assert df.columns[0] == "code" and df["name"].str.contains("Phường").any()
