"""Tests of ``sapxep assess`` (run in-process through ``sapxep.scenarios.cli.main``)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from sapxep.scenarios.cli import main


def test_assess_dataset_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.csv"
    assert main(["assess", "--dataset", "phu_tho_2023", "--rules", "nq35_2023", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "225 đơn vị" in text and "Xã Minh Tiến (08041)" in text
    assert "Giả định" in text  # the NQ 35 new-unit assumption is printed
    df = pd.read_csv(out, dtype={"code": str})
    assert len(df) == 225
    expected = ["code", "name", "area_km2", "population", "area_pct", "population_pct", "meets_standard",
                "must_arrange", "reason", "area_source", "exempt", "terrain_source"]  # fmt: skip
    for col in expected:
        assert col in df.columns, col
    row = df.set_index("code").loc["08041"]
    assert bool(row["must_arrange"]) and not bool(row["exempt"])
    assert "NQ 35/2023" in row["reason"]
    assert set(df["area_source"]) <= {"official", "polygon"}
    assert df["must_arrange"].sum() >= 1


def test_assess_json_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["assess", "--dataset", "phu_tho_2023", "--rules", "nq76_2025", "--json", "--lang", "en"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"] == "nq76_2025"
    assert data["summary"]["n_units"] == 225 == len(data["units"])
    assert not any("UNVERIFIED" in n for n in data["notes_en"])
    assert all(s["url"].startswith("http") for s in data["sources"])
    by_code = {u["code"]: u for u in data["units"]}
    assert "NQ 76/2025 Art. 2(3)" in by_code["08041"]["reason"]
    assert "in scope of the arrangement" in by_code["08041"]["reason"]


def test_assess_geojson_and_gpkg(tmp_path: Path) -> None:
    for suffix in (".geojson", ".gpkg"):
        out = tmp_path / f"a{suffix}"
        assert main(["assess", "--dataset", "phu_tho_2023", "--out", str(out), "--lang", "en"]) == 0
        gdf = gpd.read_file(out)
        assert len(gdf) == 225 and gdf.geometry.notna().all()
        assert "must_arrange" in gdf.columns


def test_assess_user_units_file_and_ruleset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sapxep.geodata.io import load_dataset

    units = load_dataset("phu_tho_2023")
    small = units[units["parent_name"] == "Huyện Đoan Hùng"]
    path = tmp_path / "doan_hung.geojson"
    small[["code", "name", "parent_name", "population", "area_km2", "geometry"]].to_file(path)
    rules = tmp_path / "mine.toml"
    rules.write_text('extends = "nq35_2023"\ntitle = "Mine"\n', encoding="utf-8")
    exemptions = tmp_path / "ex.csv"
    exemptions.write_text("code,reason\n08041,boundary unchanged since 1945\n", encoding="utf-8")
    out = tmp_path / "a.csv"
    argv = ["assess", "--units", str(path), "--rules", str(rules), "--exemptions", str(exemptions),
            "--out", str(out), "--lang", "en"]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    df = pd.read_csv(out, dtype={"code": str}).set_index("code")
    assert len(df) == len(small)
    assert bool(df.loc["08041", "must_arrange"]) and bool(df.loc["08041", "exempt"])
    assert "boundary unchanged since 1945" in df.loc["08041", "reason"]
    assert "Ruleset mine: Mine" in capsys.readouterr().out


def test_assess_units_with_attributes(tmp_path: Path) -> None:
    from sapxep.geodata.io import load_dataset

    units = load_dataset("phu_tho_2023")
    small = units[units["parent_name"] == "Huyện Đoan Hùng"]
    path = tmp_path / "doan_hung.gpkg"
    small[["code", "name", "parent_name", "population", "area_km2", "geometry"]].to_file(path)
    attrs = tmp_path / "attrs.csv"
    attrs.write_text("code,terrain,ethnic_minority_share\n08041,mountainous,0.42\n", encoding="utf-8")
    out = tmp_path / "a.csv"
    argv = [
        "assess",
        "--units",
        str(path),
        "--attributes",
        str(attrs),
        "--out",
        str(out),
        "--lang",
        "en",
        "--rules",
        "nq35_2023",
    ]
    assert main(argv) == 0
    df = pd.read_csv(out, dtype={"code": str}).set_index("code")
    row = df.loc["08041"]
    assert row["terrain"] == "mountainous" and row["terrain_source"] == "data"
    # mountainous xã with 42 % ethnic minority: 5,000 x 45 % = 2,250 people, 50 km²
    assert (row["population_min"], row["area_min_km2"]) == (2250, 50.0)
    # population 122 % (not < 70 %), but area 13 % < 20 % and population < 300 %: rule c
    assert bool(row["must_arrange"])
    assert row["must_arrange_rule"] == "nq35_p1_commune_small_area"
    others = df.drop(index="08041")
    assert (others["terrain_source"] == "default").all()


def test_assess_dataset_with_attributes_and_default_rules(tmp_path: Path) -> None:
    # --attributes over a bundled dataset: Xã Trung Sơn (98.2 km², 5,432 people) as mountainous
    attrs = tmp_path / "attrs.csv"
    attrs.write_text("code,terrain\n08311,mountainous\n", encoding="utf-8")
    out = tmp_path / "a.csv"
    assert main(["assess", "--dataset", "phu_tho_2023", "--attributes", str(attrs), "--out", str(out)]) == 0
    df = pd.read_csv(out, dtype={"code": str}, keep_default_na=False).set_index("code")
    assert (df["ruleset"] == "nq76_2025").all()  # default: in force for the 2023 state
    row = df.loc["08311"]
    assert row["terrain"] == "mountainous" and row["terrain_source"] == "data"
    # meets NQ 1211 (5,000 / 50 km²) though below the Art. 5 orientation (100 km²): stays
    assert not bool(row["must_arrange"]) and "không thuộc phạm vi sắp xếp" in row["reason"]
    # the bundled terrain proxy: source named per unit
    assert set(df["terrain_source"]) == {"data", "proxy", "default"}
    proxy = df[df["terrain_source"] == "proxy"]
    assert proxy["reason"].str.contains("theo nguồn gián tiếp").all()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["assess"], "exactly one of --dataset NAME or --units FILE"),
        (["assess", "--dataset", "phu_tho_2023", "--units", "x.geojson"], "exactly one of"),
        (["assess", "--dataset", "phu_tho_2023", "--attributes", "a.csv"], "attribute file not found"),
        (["assess", "--dataset", "phu_tho_2023", "--lang", "fr"], "--lang 'fr'"),
        (["assess", "--dataset", "phu_tho_2023", "--out", "a.xlsx"], ".csv, .geojson, .gpkg"),
        (["assess", "--dataset", "ha_noi"], "unknown dataset 'ha_noi'"),
        (["assess", "--dataset", "phu_tho_2023", "--rules", "nq99"], "unknown ruleset 'nq99'"),
        (["assess", "--units", "no/such/file.geojson"], "not found"),
        (["assess", "--dataset", "phu_tho_2023", "--bogus"], "No such option"),
    ],
)
def test_bad_arguments_exit_2_with_message(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "Traceback" not in err


def test_bad_ruleset_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "bad.toml"
    rules.write_text('extends = "nq76_2025"\nwaiver_min_member = 3\nphuong_context = "x"\n', encoding="utf-8")
    assert main(["assess", "--dataset", "phu_tho_2023", "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert "2 problems" in err and "waiver_min_members" in err and "phuong_context" in err


def test_bad_exemptions_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ex = tmp_path / "ex.csv"
    ex.write_text("code,reason\n08041,\n", encoding="utf-8")
    assert main(["assess", "--dataset", "phu_tho_2023", "--exemptions", str(ex)]) == 2
    assert "without a reason" in capsys.readouterr().err
    ex.write_text("code,reason\n99999,isolated\n", encoding="utf-8")
    assert main(["assess", "--dataset", "phu_tho_2023", "--exemptions", str(ex)]) == 2
    assert "unknown codes 99999" in capsys.readouterr().err
