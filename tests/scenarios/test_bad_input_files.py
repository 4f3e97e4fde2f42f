"""Bad-input corpus, files: every input problem of issue 11's "Why" list → exit 2, a message that
names the offending rows/columns/codes and a real fix, and no traceback; unusual but valid input
is read correctly and what was decided is said."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from bad_input_helpers import cli_flags, grid, run, suggested_flags

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _cp1258(text: str) -> bytes:
    """Encode like Windows-1258: a base letter (â ê ô ă ơ ư) followed by a combining tone mark."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        for mark in parts[1:]:
            try:
                out += unicodedata.normalize("NFC", parts[0] + mark).encode("cp1258")
                out += "".join(m for m in parts[1:] if m != mark).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += parts.encode("cp1258")
    return out


def _geojson(tmp_path: Path, gdf, name: str = "units.geojson") -> Path:  # noqa: ANN001
    path = tmp_path / name
    gdf.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    return path


MESSAGES: list[str] = []  # every error message of this corpus, for the flag check at the end


def _bad(capsys: pytest.CaptureFixture[str], *args: object) -> str:
    code, _, err = run(capsys, *map(str, args))
    assert code == 2, err
    MESSAGES.append(err)
    return err


# ------------------------------------------------------------------ tracebacks → messages
def test_utm_geojson_without_crs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "utm.geojson"
    doc = json.loads(grid().to_json())
    doc.pop("crs", None)  # UTM metres, no "crs" member: GDAL reads it as longitude/latitude
    path.write_text(json.dumps(doc), encoding="utf-8")
    err = _bad(capsys, "assess", "--units", path)
    assert "look projected" in err and "--crs EPSG:3405" in err
    assert run(capsys, "assess", "--units", path, "--crs", "EPSG:3405")[0] == 0


def test_zipped_shapefile_missing_shx_and_dbf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grid().to_file(tmp_path / "units.shp")
    archive = tmp_path / "units.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(tmp_path / "units.shp", "units.shp")
        z.write(tmp_path / "units.prj", "units.prj")
    err = _bad(capsys, "assess", "--units", archive)
    assert "missing units.shx, units.dbf" in err


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    from sapxep.geodata import vector

    monkeypatch.setattr(vector, "MAX_UNZIPPED_BYTES", 1000)
    grid().to_file(tmp_path / "units.gpkg")
    archive = tmp_path / "units.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(tmp_path / "units.gpkg", "units.gpkg")
    assert "MB allowed" in _bad(capsys, "assess", "--units", archive)


def test_non_utf8_scenario_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kịch_bản.toml"
    path.write_bytes(_cp1258('title = "Phương án thử"\n[data]\ndataset = "phu_tho_2023"\n'))
    err = _bad(capsys, "plan", path, "--out", tmp_path / "out")
    assert "not UTF-8" in err and "line 1" in err


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_non_finite_floor(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    err = _bad(capsys, "plan", "--dataset", "phu_tho_2023", "--rules", "nq76_2025", "--min-area", value,
               "--out", tmp_path / "out")  # fmt: skip
    assert "min_area_km2 must be a finite number" in err


def test_out_onto_a_folder_and_plan_out_onto_a_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "table.csv"
    folder.mkdir()
    assert "is a folder" in _bad(capsys, "assess", "--dataset", "phu_tho_2023", "--out", folder)
    afile = tmp_path / "plan_here"
    afile.write_text("keep me", encoding="utf-8")
    err = _bad(capsys, "plan", "--dataset", "phu_tho_2023", "--rules", "nq76_2025", "--out", afile)
    assert "existing file" in err and afile.read_text(encoding="utf-8") == "keep me"


# ------------------------------------------------------------------ silently wrong → read right, and said
def test_population_in_whole_thousands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gdf = grid().astype({"population": object})
    gdf["population"] = ["16.000", "12.000", "9.000"] * 3
    path = _geojson(tmp_path, gdf)
    code, out, err = run(capsys, "assess", "--units", path, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert {u["population"] for u in doc["units"]} == {16000, 12000, 9000}
    assert any("thousands separator" in n for n in doc["read_notes"])
    code, out, _ = run(capsys, "assess", "--units", path)  # Vietnamese summary says it too
    assert code == 0 and "được đọc là 16000 (dấu chấm là dấu phân cách hàng nghìn)" in out


def test_population_mixing_conventions_names_the_rows(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    gdf = grid().astype({"population": object})
    gdf["population"] = ["1.234.567", "1,234,567", "nhiều", *["5.000"] * 6]
    err = _bad(capsys, "assess", "--units", _geojson(tmp_path, gdf))
    assert "not numbers" in err and "00002 '1,234,567'" in err and "00003 'nhiều'" in err


# ------------------------------------------------------------------ dead ends → ways through
def test_vietnamese_headers_and_windows_1258_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = _geojson(tmp_path, grid().drop(columns=["population"]).rename(columns={"code": "Mã xã"}))
    text = "Mã xã;Tên xã;Dân số;Diện tích (km2)\n" + "".join(
        f"{k:05d};Xã Ô {k};{k * 1_000_000 + 234_567:,};{k},5\n".replace(",", ".").replace(".5\n", ",5\n")
        for k in range(1, 10)
    )
    attrs = tmp_path / "dan_so.csv"
    attrs.write_bytes(_cp1258(text))
    code, out, err = run(capsys, "assess", "--units", units, "--attributes", attrs, "--json")
    assert code == 0, err
    doc = json.loads(out)
    pops = {u["code"]: u["population"] for u in doc["units"]}
    assert pops["00001"] == 1_234_567 and pops["00009"] == 9_234_567
    assert {u["code"]: u["area_km2"] for u in doc["units"]}["00002"] == 2.5
    assert any("cp1258" in n for n in doc["read_notes"])


def test_unusual_headers_need_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gdf = grid().rename(columns={"code": "Số hiệu ĐV", "population": "Nhân số (2024)"})
    path = _geojson(tmp_path, gdf)
    err = _bad(capsys, "assess", "--units", path)
    assert "column 'code' is missing" in err and "column 'population' is missing" in err
    assert '--columns "YOUR HEADER=code"' in err
    cols = "Số hiệu ĐV=code,Nhân số (2024)=population"
    assert run(capsys, "assess", "--units", path, "--columns", cols)[0] == 0
    assert "did you mean 'population'" in _bad(capsys, "assess", "--units", path, "--columns",
                                                "Số hiệu ĐV=code,Nhân số (2024)=populaton")  # fmt: skip


def test_xlsx_with_title_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = _geojson(tmp_path, grid())
    book = tmp_path / "bieu.xlsx"
    rows = [["BIỂU TỔNG HỢP", None], [None, None], ["Mã xã", "Dân số"],
            *[[f"{k:05d}", f"{k}.000"] for k in range(1, 10)]]  # fmt: skip
    pd.DataFrame(rows).to_excel(book, header=False, index=False)
    code, out, err = run(capsys, "assess", "--units", units, "--attributes", book, "--json")
    assert code == 0, err
    assert {u["population"] for u in json.loads(out)["units"]} == {k * 1000 for k in range(1, 10)}
    assert "--header-row 40" in _bad(capsys, "assess", "--units", units, "--attributes", book,
                                     "--header-row", "40")  # fmt: skip


def test_unreadable_csv_and_legacy_encodings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = _geojson(tmp_path, grid())
    legacy = tmp_path / "tcvn3.csv"
    legacy.write_bytes("M· x·,Tªn x·\n00001,X· §ång L­¬ng\n".encode("cp1252"))
    err = _bad(capsys, "assess", "--units", units, "--attributes", legacy)
    assert "TCVN3" in err and "column 'M· x·'" in err
    garbage = tmp_path / "rác.csv"
    garbage.write_bytes(bytes(range(256)) * 4)
    _bad(capsys, "assess", "--units", units, "--attributes", garbage)


def test_uncleaned_file_is_assessed_with_warnings(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = _geojson(tmp_path, grid(overlap_m=300))
    code, out, err = run(capsys, "assess", "--units", path, "--json")
    assert code == 0, err
    assert any("overlap" in w for w in json.loads(out)["warnings"])


def test_new_units_stay_in_their_province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    left, right = grid(2, 2, population=4000, province="25"), grid(2, 2, population=4000, province="26")
    right["geometry"] = right.translate(xoff=2000)
    right["code"] = [f"{k:05d}" for k in range(5, 9)]
    units = _geojson(tmp_path, pd.concat([left, right], ignore_index=True))
    out = tmp_path / "plan"
    args = ["--rules", "nq76_2025", "--min-population", "7000", "--min-area", "0", "--cross-parents",
            "--time-limit", "5", "--workers", "1", "--quiet", "--no-gpkg", "--out", out]  # fmt: skip
    code, stdout, err = run(capsys, "plan", "--units", units, *args)
    assert code == 0, err
    assert "không vượt ranh giới tỉnh (cho phép bằng --cross-provinces)" in stdout
    plan = pd.read_csv(out / "plan.csv", dtype=str)
    province = {f"{k:05d}": ("25" if k <= 4 else "26") for k in range(1, 9)}
    spans = plan.groupby("new_unit")["code"].agg(lambda c: {province[x] for x in c})
    assert all(len(s) == 1 for s in spans), spans


def test_every_flag_a_message_suggests_exists() -> None:
    assert MESSAGES, "run with the rest of the module"
    flags = cli_flags()
    suggested = set().union(*(suggested_flags(m) for m in MESSAGES))
    assert suggested and suggested <= flags, suggested - flags


def test_scenario_file_columns_and_tolerances(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gdf = grid().rename(columns={"code": "Số hiệu ĐV", "population": "Nhân số (2024)"})
    units = _geojson(tmp_path, gdf)
    scenario = tmp_path / "kich_ban.toml"
    scenario.write_text(
        f'[data]\nunits_file = "{units.name}"\noverlap_tol_km2 = 0.5\ngap_tol_km2 = 0.5\n'
        '[data.columns]\n"Số hiệu ĐV" = "code"\n"Nhân số (2024)" = "populaton"\n'
        '[rules]\nname = "nq76_2025"\nmin_population = 9000\nmin_area_km2 = 0\n',
        encoding="utf-8",
    )
    err = _bad(capsys, "plan", scenario, "--out", tmp_path / "p")
    assert "[data] columns" in err and "did you mean 'population'" in err
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace("populaton", "population"), encoding="utf-8"
    )
    args = ["--out", tmp_path / "p", "--time-limit", "3", "--workers", "1", "--quiet", "--no-gpkg"]
    code, _, err = run(capsys, "plan", scenario, *args)
    assert code == 0, err
    saved = (tmp_path / "p" / "scenario.toml").read_text(encoding="utf-8")
    assert "Số hiệu ĐV" in saved and "overlap_tol_km2 = 0.5" in saved


def test_clean_refuses_points_naming_the_unit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gdf = grid(2, 1)
    gdf.loc[0, "geometry"] = gdf.geometry.iloc[0].centroid
    err = _bad(capsys, "clean", _geojson(tmp_path, gdf), "--out", tmp_path / "c.geojson")
    assert "00001 (Point)" in err and not (tmp_path / "c.geojson").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"code,population\n", "no rows under its headers"),
        (b"", "cannot read the attribute table"),
        (b"\xef\xbb\xbf", "cannot read the attribute table"),
    ],  # fmt: skip
)
def test_empty_attribute_tables(tmp_path: Path, capsys, content: bytes, expected: str) -> None:  # noqa: ANN001
    attrs = tmp_path / "attrs.csv"
    attrs.write_bytes(content)
    assert expected in _bad(capsys, "assess", "--units", _geojson(tmp_path, grid()), "--attributes", attrs)
