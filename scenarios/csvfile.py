"""The one CSV writer of every CSV table the tool writes: UTF-8 with a byte-order mark, atomic.

Excel on Windows opens a CSV file as the system's ANSI code page unless the file starts with
the UTF-8 byte-order mark; with it, Vietnamese names open intact. Every reader of the tool
(pandas, :func:`sapxep.geodata.tables.read_table`) accepts the mark, and so do LibreOffice,
QGIS and Python's ``utf-8-sig``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from sapxep.units.files import write_text

#: Encoding of every CSV file written (UTF-8 with BOM, for Excel on Windows).
CSV_ENCODING: Final[str] = "utf-8-sig"


def csv_bytes(table: Any, *, index: bool = False) -> bytes:
    """Return a DataFrame as CSV bytes in :data:`CSV_ENCODING` (for downloads)."""
    return str(table.to_csv(index=index)).encode(CSV_ENCODING)


def write_csv(path: str | Path, table: Any, *, index: bool = False) -> Path:
    """Write a DataFrame to ``path`` as CSV in :data:`CSV_ENCODING`, atomically.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return write_text(path, str(table.to_csv(index=index)), encoding=CSV_ENCODING)
