"""Tests of the CLI wiring: datasets listing, error handling."""

from __future__ import annotations

import json

import pytest

from sapxep.geodata.datasets import DATASETS, dataset_info, dataset_path
from sapxep.scenarios.cli import main
from sapxep.units.errors import DataValidationError


def test_datasets_lists_every_bundled_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["datasets", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_name = {r["name"]: r for r in rows}
    assert by_name["phu_tho_2023"]["n_units"] == 225
    assert by_name["phu_tho_2019"]["n_units"] == 277
    assert set(by_name) == set(DATASETS)


def test_bundled_files_exist_with_attribution() -> None:
    for name, info in DATASETS.items():
        assert dataset_path(name).is_file(), name
        if info.crosswalk_file:
            assert dataset_path(name, "crosswalk").is_file()
    attribution = dataset_path("phu_tho_2023").parent / "ATTRIBUTION.md"
    assert "censusVN2009" in attribution.read_text(encoding="utf-8")


def test_unknown_dataset_names_the_choices() -> None:
    with pytest.raises(DataValidationError, match="phu_tho_2023"):
        dataset_info("ha_noi")


def test_unknown_command_exits_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert "No such command" in err
    assert "Traceback" not in err
