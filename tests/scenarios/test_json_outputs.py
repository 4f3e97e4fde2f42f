"""Every JSON the CLI writes or prints is strict JSON (no NaN / Infinity), via one writer."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sapxep.scenarios.cli import main
from sapxep.scenarios.jsonfile import json_text, jsonable, write_json
from sapxep.scenarios.workspace.store import Workspace


def _no_constants(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def strict_loads(text: str) -> Any:
    """Parse JSON the way a strict (RFC 8259) parser does: NaN/Infinity are errors."""
    return json.loads(text, parse_constant=_no_constants)


def test_writer_turns_non_finite_numbers_into_null(tmp_path: Path):
    value = {
        "nan": float("nan"),
        "inf": np.float64("inf"),
        "ninf": -math.inf,
        "np_int": np.int64(3),
        "na": pd.NA,
        "nested": [1.5, (float("nan"), "Phú Thọ")],
        "series": pd.Series([1.0, np.nan], index=["a", "b"]),
        "path": tmp_path,
    }
    back = strict_loads(write_json(value, tmp_path / "x.json").read_text(encoding="utf-8"))
    assert back["nan"] is None and back["inf"] is None and back["ninf"] is None
    assert back["np_int"] == 3 and back["na"] is None
    assert back["nested"] == [1.5, [None, "Phú Thọ"]]
    assert back["series"] == {"a": 1.0, "b": None}
    assert back["path"] == str(tmp_path)
    assert "Phú Thọ" in json_text(value)  # UTF-8 kept, not \\u-escaped
    assert jsonable({1: {2}}) == {"1": [2]}
    with pytest.raises(ValueError, match="NaN"):
        strict_loads('{"a": NaN}')


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(args)
    out = capsys.readouterr().out
    assert code == 0, (args, out)
    return out


@pytest.mark.slow
def test_every_json_the_cli_writes_is_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    ws = str(tmp_path / "ws.gpkg")
    printed: dict[str, str] = {}
    printed["assess --json"] = _run(
        ["assess", "--dataset", "phu_tho_2023", "--out", str(tmp_path / "assess.geojson"), "--json"], capsys
    )
    for name, floor in (("A", "16000"), ("B", "20000")):
        _run(["plan", "--dataset", "phu_tho_2023", "--rules", "nq35_2023", "--time-limit", "3",
              "--workers", "1", "--min-population", floor, "--min-area", "0", "--cross-parents",
              "--out", str(tmp_path / f"run{name}"), "--save", name, "--workspace", ws,
              "--quiet"], capsys)  # fmt: skip
    printed["staffing --json"] = _run(
        ["staffing", str(tmp_path / "runA"), "--out", str(tmp_path / "staff"), "--charts", "0", "--json"],
        capsys,
    )
    printed["scenario list --json"] = _run(["scenario", "list", "--json", "--workspace", ws], capsys)
    printed["scenario show --json"] = _run(["scenario", "show", "A", "--json", "--workspace", ws], capsys)
    # metrics with non-finite numbers (a gap without a bound, say) stay valid JSON in the workspace
    store = Workspace(ws)
    store.update("B", metrics={**store.load("B").metrics, "gap": float("nan"), "bound": math.inf})
    printed["scenario show B --json"] = _run(["scenario", "show", "B", "--json", "--workspace", ws], capsys)
    printed["datasets --json"] = _run(["datasets", "--json"], capsys)
    _run(["compare", "A", "B", "--out", str(tmp_path / "cmp.xlsx"), "--workspace", ws], capsys)

    for what, text in printed.items():
        strict_loads(text)  # raises on NaN/Infinity
        assert "NaN" not in text and "Infinity" not in text, what
    files = sorted(tmp_path.rglob("*.json")) + sorted(tmp_path.rglob("*.geojson"))
    names = {p.name for p in files}
    assert {"metrics.json", "summary.json", "assess.geojson"} <= names, names
    for p in files:
        strict_loads(p.read_text(encoding="utf-8"))
    show = strict_loads(printed["scenario show --json"])
    assert show["name"] == "A" and isinstance(show["metrics"], dict)
    assert [s["name"] for s in strict_loads(printed["scenario list --json"])] == ["A", "B"]
    metrics_b = strict_loads(printed["scenario show B --json"])["metrics"]
    assert metrics_b["gap"] is None and metrics_b["bound"] is None
