"""Reading a planner's attribute table (CSV or XLSX) as it comes.

* **Encoding** (CSV): UTF-8 with or without BOM, UTF-16 (BOM, or zero bytes), else
  Windows-1258, whose tone marks are combining characters: every text is normalised
  to NFC. Text in the legacy font encodings TCVN3 (ABC) and VNI, which no maintained
  Python library converts, is detected and refused naming the columns.
* **Delimiter** (CSV): comma, semicolon, tab or ``|``, sniffed from the first lines.
* **Header row**: title rows above the header (common in XLSX reports) are skipped by
  taking the first of the top rows whose cells look most like known headers; or
  ``header_row=N`` (1-based) says which row it is.

Every cell is read as text; numbers are read later, column by column
(:mod:`sapxep.geodata.numbers`).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd

from sapxep.geodata.columns import COLUMN_ALIASES, header_key
from sapxep.geodata.notes import Note
from sapxep.units.errors import DataValidationError

logger = logging.getLogger(__name__)

EXCEL_SUFFIXES: Final = (".xlsx", ".xlsm", ".xls")
#: Rows searched for the header when none is given.
_HEADER_SEARCH_ROWS: Final = 30
#: Characters of the TCVN3 (ABC) font encoding that are no Vietnamese letter in cp1252/1258.
_TCVN3_MARKS: Final = re.compile(r"[A-Za-z][¸µ¶·¹¨¾»¼½Æ©ÊÇÈÉË®¤¡¢£¥¦§ª«¬]|[®§][a-zA-Z]")
#: VNI: tone and vowel marks typed as separate Latin-1 letters after a vowel (ø ù û õ ï; õ reads
#: as ơ under Windows-1258), ö for ư, "aâ"/"eâ"/"oâ" for the circumflex, ñ/Ñ for đ/Đ.
_VNI_MARKS: Final = re.compile(
    r"[aeiouyAEIOUY][øùûõïØÙÛÕÏ]|[aeiyAEIY][ơƠ]|[A-Za-z][öÖ]|[öÖ][A-Za-z]|[aeoAEO][âÂ]"
    r"|(?<![A-Za-z])[ñÑ][a-zA-Z]"
)
_KNOWN_KEYS: Final = frozenset(a for aliases in COLUMN_ALIASES.values() for a in aliases)


@dataclass(frozen=True)
class TableRead:
    """What :func:`read_table` found out about a file.

    Attributes
    ----------
    encoding : str
        Encoding used (CSV) or ``"xlsx"``.
    delimiter : str
        CSV delimiter ("" for XLSX).
    header_row : int
        1-based row of the header.
    notes : list of str
        Decisions for the output (encoding, delimiter, skipped title rows).
    """

    encoding: str
    delimiter: str
    header_row: int
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding) for the bytes of a CSV file."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    sample = data[:4000]
    if sample and sample.count(0) > len(sample) // 4:
        enc = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            f"{name}: cannot tell the text encoding",
            [f"byte {exc.start} is not UTF-8, UTF-16 or Windows-1258: save the file as 'CSV UTF-8' in Excel"],
        ) from None


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sum(ln.count(d) for ln in lines) for d in ",;\t|"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _score_header(cells: list[object]) -> tuple[int, int]:
    """(known headers, non-empty cells) of a row."""
    texts = [c for c in cells if isinstance(c, str) and c.strip()]
    known = sum(1 for c in texts if header_key(c) in _KNOWN_KEYS)
    return known, len(texts)


def _find_header_row(grid: pd.DataFrame) -> int:
    """Return the 0-based header row: most known headers among the top rows, else widest row."""
    best, best_score = 0, (-1, -1)
    for i in range(min(len(grid), _HEADER_SEARCH_ROWS)):
        score = _score_header(list(grid.iloc[i]))
        if score > best_score:
            best, best_score = i, score
    if best_score[0] == 0:  # nothing recognised: the first row that is as wide as the widest
        widths = [_score_header(list(grid.iloc[i]))[1] for i in range(min(len(grid), _HEADER_SEARCH_ROWS))]
        best = next((i for i, w in enumerate(widths) if w == max(widths)), 0)
    return best


def _nfc_cell(value: object) -> object:
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value).strip()
        return text if text else None
    return value


def _frame_from_grid(grid: pd.DataFrame, header_row: int | None, name: str) -> tuple[pd.DataFrame, int]:
    """Cut a header-less grid at its header row; return the table and the 1-based header row."""
    grid = grid.dropna(how="all").dropna(axis=1, how="all")
    if grid.empty:
        raise DataValidationError(f"{name}: the table is empty", ["give a header row and one row per unit"])
    if header_row is not None:
        # header_row counts rows of the file, including empty ones
        if header_row - 1 not in grid.index:
            raise DataValidationError(
                f"{name}: --header-row {header_row} is empty or beyond the table",
                [f"rows with content: {grid.index.min() + 1}–{grid.index.max() + 1}"],
            )
        pos = list(grid.index).index(header_row - 1)
    else:
        pos = _find_header_row(grid.reset_index(drop=True))
    heads = [_nfc_cell(c) for c in grid.iloc[pos]]
    names, seen = [], set()
    for j, h in enumerate(heads):
        label = str(h) if h is not None else f"column {j + 1}"
        while label in seen:
            label += "_"
        seen.add(label)
        names.append(label)
    body = grid.iloc[pos + 1 :].copy()
    body.columns = names
    body = body.map(_nfc_cell).reset_index(drop=True)
    body = body.astype(object).where(body.notna(), None)
    return body, int(grid.index[pos]) + 1


def _legacy_columns(df: pd.DataFrame) -> dict[str, str]:
    """Columns whose header or text looks like TCVN3 or VNI; -> encoding name."""
    found = {}
    for col in df.columns:
        values = " ".join(str(v) for v in df[col].head(200) if isinstance(v, str))
        for enc, marks in (("TCVN3 (ABC)", _TCVN3_MARKS), ("VNI", _VNI_MARKS)):
            if marks.search(str(col)) or len(marks.findall(values)) >= 2:
                found[str(col)] = enc
                break
    return found


def read_table(path: str | Path, *, header_row: int | None = None) -> tuple[pd.DataFrame, TableRead]:
    """Read a CSV or XLSX attribute table with every cell as text (NFC) or None.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.csv`` (or ``.txt``/``.tsv``) or ``.xlsx``/``.xlsm``/``.xls`` (first sheet).
    header_row : int, optional
        1-based row holding the headers; default: detected.

    Returns
    -------
    tuple of (pandas.DataFrame, TableRead)

    Raises
    ------
    DataValidationError
        Missing or unreadable file, unknown encoding, legacy TCVN3/VNI text (naming
        the columns), an empty table or a header row beyond it.
    """
    p = Path(path)
    if not p.is_file():
        raise DataValidationError(f"{p}: attribute file not found", ["check the path"])
    notes: list[str] = []
    try:
        if p.suffix.lower() in EXCEL_SUFFIXES:
            grid = pd.read_excel(p, header=None, dtype=object)
            encoding, delimiter = "xlsx", ""
        else:
            text, encoding = _decode(p.read_bytes(), p.name)
            delimiter = _sniff_delimiter(text)
            grid = pd.read_csv(io.StringIO(text), header=None, dtype=str, sep=delimiter,
                               keep_default_na=False, skip_blank_lines=False,
                               engine="python")  # fmt: skip
            grid = grid.map(lambda v: None if isinstance(v, str) and not v.strip() else v)
            if encoding not in ("utf-8", "utf-8-sig"):
                notes.append(
                    Note(f"{p.name}: read as {encoding} text", f"{p.name}: đọc theo bảng mã {encoding}")
                )
            if delimiter != ",":
                shown = {"\t": "tab", ";": "dấu chấm phẩy", "|": "dấu |"}.get(delimiter, delimiter)
                notes.append(
                    Note(
                        f"{p.name}: columns separated by {delimiter!r}",
                        f"{p.name}: các cột cách nhau bởi {shown}",
                    )
                )
    except ImportError:
        raise DataValidationError(
            f"{p.name}: old Excel format (.xls) cannot be read here",
            ["open it in Excel or LibreOffice and save it as .xlsx (or CSV UTF-8)"],
        ) from None
    except (OSError, ValueError, KeyError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError(
            f"{p}: cannot read the attribute table",
            [f"{exc}; give a CSV (UTF-8, UTF-16 or Windows-1258) or an XLSX file with a header row"],
        ) from None
    table, row = _frame_from_grid(grid, header_row, p.name)
    if row > 1 and header_row is None:
        notes.append(
            Note(
                f"{p.name}: headers taken from row {row} (rows above skipped); set --header-row to change",
                f"{p.name}: lấy dòng {row} làm tiêu đề (bỏ qua các dòng phía trên); đổi bằng --header-row",
            )
        )
    legacy = _legacy_columns(table)
    if legacy:
        raise DataValidationError(
            f"{p.name}: text in a legacy Vietnamese font encoding",
            [
                f"column '{col}' looks like {enc} text (e.g. '{_example(table, col)}')"
                for col, enc in legacy.items()
            ]
            + [
                "convert the file to Unicode first (e.g. UniKey → Công cụ chuyển mã, "
                "source TCVN3 or VNI Windows, target Unicode), then save it as CSV UTF-8"
            ],
        )
    logger.info("read %d rows × %d columns from %s (%s)", len(table), table.shape[1], p.name, encoding)
    return table, TableRead(encoding, delimiter, row, notes)


def _example(table: pd.DataFrame, col: str) -> str:
    for v in table[col]:
        if isinstance(v, str) and (_TCVN3_MARKS.search(v) or _VNI_MARKS.search(v)):
            return v[:30]
    return col[:30]


def restore_leading_zeros(keys: pd.Series, unit_codes: set[str]) -> pd.Series:
    """Zero-pad codes that lost their leading zeros (e.g. in a spreadsheet).

    Parameters
    ----------
    keys : pandas.Series
        Codes as text.
    unit_codes : set of str
        The codes they should match.

    Returns
    -------
    pandas.Series
        A key made of digits that is not a unit code, but is one once zero-padded
        to the (single) length of the unit codes, is replaced by the padded code.
    """
    widths = {len(c) for c in unit_codes if c.isdigit()}
    if len(widths) != 1:
        return keys
    width = widths.pop()

    def fix(key: str) -> str:
        if key in unit_codes or not key.isdigit() or len(key) >= width:
            return key
        padded = key.zfill(width)
        return padded if padded in unit_codes else key

    fixed = keys.map(fix)
    n_fixed = int((fixed != keys).sum())
    if n_fixed:
        logger.info("zero-padded %d attribute codes to %d digits", n_fixed, width)
    return fixed


__all__ = ["TableRead", "read_table", "restore_leading_zeros"]
