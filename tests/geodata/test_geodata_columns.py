"""Column recognition, explicit mapping, Vietnamese numbers and attribute-table reading."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest
from geodata_grid import raw_grid

from sapxep.geodata.columns import area_unit, detect_columns, header_key, parse_column_spec
from sapxep.geodata.io import read_units
from sapxep.geodata.numbers import parse_number_column
from sapxep.geodata.tables import read_table
from sapxep.units.errors import DataValidationError


def cp1258(text: str) -> bytes:
    """Encode NFC text as Windows-1258 does: base letter (with â/ê/ô/ă/ơ/ư) + combining tone mark."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        for mark in marks:
            try:
                head = unicodedata.normalize("NFC", base + mark).encode("cp1258")
                out += head + "".join(m for m in marks if m != mark).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += decomposed.encode("cp1258")
    return out


def test_header_key_drops_diacritics_and_units() -> None:
    assert header_key("Mã xã") == "ma_xa"
    assert header_key("Mã ĐVHC") == "ma_dvhc"
    assert header_key("Diện tích (km²)") == "dien_tich_km2"
    assert header_key(" DÂN SỐ ") == "dan_so"


def test_vietnamese_and_english_headers_are_recognised() -> None:
    m = detect_columns(["Mã xã", "Tên xã", "Dân số", "Diện tích tự nhiên (ha)", "Huyện", "Tỉnh", "Ghi chú"])
    assert m.columns == {
        "Mã xã": "code", "Tên xã": "name", "Dân số": "population",
        "Diện tích tự nhiên (ha)": "area_km2_official", "Huyện": "parent_name", "Tỉnh": "province",
    }  # fmt: skip
    assert m.area_unit == "ha"
    assert detect_columns(["ma_xa", "quy_mo_dan_so", "dien_tich_km2"]).area_unit == "km2"
    assert detect_columns(["MA XA", "mien nui"]).columns == {"MA XA": "code", "mien nui": "is_mountainous"}


def test_explicit_mapping_wins_and_is_checked() -> None:
    spec = parse_column_spec("Số hiệu=code, Số người (2024)=population;DT=area_ha")
    assert spec == {"Số hiệu": "code", "Số người (2024)": "population", "DT": "area_ha"}
    m = detect_columns(["Số hiệu", "Số người (2024)", "DT", "Mã"], explicit=spec)
    assert m.columns["Số hiệu"] == "code" and "Mã" not in m.columns
    assert m.area_unit == "ha"
    with pytest.raises(DataValidationError, match="did you mean 'population'"):
        parse_column_spec("Dân=populaton")
    with pytest.raises(DataValidationError, match="not a header.*Số hiệu"):
        detect_columns(["Số hiệu"], explicit={"So hieu x": "code"})


@pytest.mark.parametrize(
    ("values", "kind", "expected", "noted"),
    [
        (["1.234.567", "12.000"], "integer", [1234567, 12000], False),
        (["16.000", "12.000", "3.000"], "integer", [16000, 12000, 3000], True),  # decided, and said
        (["16,000", "3,000"], "integer", [16000, 3000], True),
        (["12,5", "3,25", "7"], "decimal", [12.5, 3.25, 7.0], False),
        (["1.234,5", "7"], "decimal", [1234.5, 7.0], False),
        (["1,234.5", "7"], "decimal", [1234.5, 7.0], False),
        (["6.720", "1.250"], "decimal", [6.72, 1.25], True),
        (["1 234 567", 12.0], "integer", [1234567, 12], False),
    ],
)
def test_vietnamese_numbers(values, kind, expected, noted) -> None:
    parsed = parse_number_column(values, kind=kind, column="Dân số")
    np.testing.assert_allclose(parsed.values, expected)
    assert (parsed.note is not None) == noted
    assert parsed.bad_rows == []


def test_numbers_that_cannot_be_read_are_named() -> None:
    parsed = parse_number_column(["1.234.567", "1,234.5", "nhiều"], kind="integer", column="x")
    assert parsed.bad_rows == [1, 2]  # the odd convention out, and text


def test_area_unit_from_values() -> None:
    assert area_unit(np.array([1200.0, 3400.0]))[0] == "ha"
    assert area_unit(np.array([12.0, 34.0]))[0] == "km2"
    assert area_unit(np.array([1200.0, 3400.0]), polygon_km2=np.array([12.0, 34.0]))[0] == "ha"


def test_windows_1258_semicolon_csv(tmp_path) -> None:
    text = "Mã xã;Tên xã;Dân số\n08041;Xã Đồng Lương;1.234.567\n08044;Phường Nguyễn Huệ;16.000\n"
    path = tmp_path / "a.csv"
    path.write_bytes(cp1258(text))
    table, info = read_table(path)
    assert info.encoding == "cp1258" and info.delimiter == ";"
    assert list(table.columns) == ["Mã xã", "Tên xã", "Dân số"]
    assert table["Tên xã"].tolist() == ["Xã Đồng Lương", "Phường Nguyễn Huệ"]
    assert all(unicodedata.is_normalized("NFC", v) for v in table["Tên xã"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_csv_encodings(tmp_path, encoding) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Mã xã\tDân số\n08041\t1.000\n", encoding=encoding)
    table, _ = read_table(path)
    assert table.loc[0, "Mã xã"] == "08041" and table.loc[0, "Dân số"] == "1.000"


def test_xlsx_title_rows_and_header_row(tmp_path) -> None:
    path = tmp_path / "t.xlsx"
    grid = [["BIỂU TỔNG HỢP DÂN SỐ", None, None], [None, None, None], ["Mã xã", "Tên", "Dân số"],
            ["08041", "Xã A", "1.000"]]  # fmt: skip
    pd.DataFrame(grid).to_excel(path, header=False, index=False)
    table, info = read_table(path)
    assert info.header_row == 3 and list(table.columns) == ["Mã xã", "Tên", "Dân số"]
    assert any("row 3" in n for n in info.notes)
    table, info = read_table(path, header_row=3)
    assert len(table) == 1
    with pytest.raises(DataValidationError, match="--header-row 9"):
        read_table(path, header_row=9)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("M· x·,Tªn x·\n08041,X· §ång L­¬ng\n", "TCVN3"), ("Maõ xaõ,Teân xaõ\n08041,Xaõ Ñoàng Löông\n", "VNI")],
)
def test_legacy_font_encodings_are_refused_naming_columns(tmp_path, text, encoding) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(DataValidationError, match=encoding) as info:
        read_table(path)
    assert "column '" in str(info.value) and "Unicode" in str(info.value)


def test_real_vietnamese_text_is_not_taken_for_legacy(tmp_path) -> None:
    path = tmp_path / "ok.csv"
    names = "Xã Quân Tiên,Phường Biên Thuỷ,Thị trấn Muông Lương,Xã Nguyễn Huệ,Xã Quốc Tuấn"
    path.write_text("Tên\n" + names.replace(",", "\n") + "\n", encoding="utf-8")
    assert len(read_table(path)[0]) == 5


def test_windows_1258_csv_joins_with_no_mapping(tmp_path) -> None:
    units = tmp_path / "units.geojson"
    raw_grid(3, 1).drop(columns=["population"]).to_file(units)
    text = (
        "Mã xã;Tên xã;Dân số;Diện tích tự nhiên (ha);Miền núi\n"
        "00001;Xã Đồng Lương;1.234.567;250,5;có\n00002;Xã Ấp Bắc;16.000;120;không\n"
        "00003;Xã Nguyễn Huệ;9.500;98;\n"
    )
    table = tmp_path / "dan_so.csv"
    table.write_bytes(cp1258(text))
    gdf = read_units(units, attributes=table)
    assert gdf["population"].tolist() == [1234567, 16000, 9500]
    np.testing.assert_allclose(gdf["area_km2_official"], [2.505, 1.20, 0.98])
    assert gdf["terrain"].tolist() == ["mountainous", "lowland", "lowland"]
    notes = " ".join(gdf.attrs["read_notes"])
    assert "cp1258" in notes and "ha to km²" in notes


def test_unusual_headers_work_with_columns(tmp_path) -> None:
    raw = raw_grid(2, 1).rename(columns={"code": "Số hiệu ĐV", "population": "Nhân số 2024"})
    units = tmp_path / "units.geojson"
    raw.to_file(units)
    with pytest.raises(DataValidationError, match="column 'code' is missing"):
        read_units(units)
    gdf = read_units(units, columns="Số hiệu ĐV=code,Nhân số 2024=population")
    assert gdf["code"].tolist() == ["00001", "00002"] and gdf["population"].tolist() == [1000, 1000]
    with pytest.raises(DataValidationError, match="no input file has as a header"):
        read_units(units, columns="Số hiệu ĐV=code,Nhân số 2024=population,Không có=name")


def test_all_thousands_population_is_read_and_stated(tmp_path) -> None:
    raw = raw_grid(2, 1)
    raw["population"] = ["16.000", "12.000"]
    units = tmp_path / "units.geojson"
    raw.to_file(units)
    gdf = read_units(units)
    assert gdf["population"].tolist() == [16000, 12000]
    assert any("thousands separator" in n for n in gdf.attrs["read_notes"])
