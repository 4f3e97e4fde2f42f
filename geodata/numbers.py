"""Numbers as Vietnamese officials write them: ``1.234.567`` people, ``12,5`` km².

Vietnamese documents use ``.`` to group thousands and ``,`` as the decimal mark;
software exports often use the English convention. A value such as ``16.000`` is
ambiguous on its own, so a column is decided **as a whole**
(:func:`parse_number_column`): the unambiguous values fix the convention, and when
every value is ambiguous the kind of column decides (a population is a whole number,
so ``16.000`` is sixteen thousand). The decision is returned as a note for the
output, never taken silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from sapxep.geodata.notes import Note
from sapxep.units.errors import format_codes

NumberKind = Literal["integer", "decimal"]
Convention = Literal["vi", "en", "plain"]

#: Spaces people put inside numbers (normal, no-break, thin, narrow no-break).
_SPACES: Final = re.compile(r"[\s\u00a0\u2009\u202f']")
_PLAIN: Final = re.compile(r"^[+-]?\d+$")
_VI_FULL: Final = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d+$")
_EN_FULL: Final = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$|^[+-]?\d+\.\d+$")
_AMBIGUOUS: Final = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")
_NUMBER_CHARS: Final = re.compile(r"^[+-]?[\d.,]+$")


@dataclass(frozen=True)
class ParsedColumn:
    """A text column read as numbers.

    Attributes
    ----------
    values : pandas.Series
        Floats (NaN for blank cells and for cells that are not numbers).
    convention : {"vi", "en", "plain"}
        ``vi``: ``.`` groups thousands, ``,`` is the decimal mark; ``en``: the reverse;
        ``plain``: digits only (or numbers stored as numbers).
    note : str or None
        What was decided for an ambiguous column, for the output; None if nothing
        needed deciding.
    bad_rows : list of int
        0-based rows whose text is not a number (or mixes both conventions).
    """

    values: pd.Series
    convention: Convention
    note: str | None
    bad_rows: list[int]


def _clean(text: str) -> str:
    return _SPACES.sub("", text.strip())


def parse_number(text: object, convention: Convention) -> float:
    """Read one value under a convention.

    Parameters
    ----------
    text : object
        A cell: a number is returned as float, text is parsed.
    convention : {"vi", "en", "plain"}
        How to read ``.`` and ``,`` (see :class:`ParsedColumn`); "plain" reads like "en".

    Returns
    -------
    float
        NaN when blank or not a number.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return math.nan
    if isinstance(text, int | float | np.integer | np.floating) and not isinstance(text, bool):
        return float(text)
    s = _clean(str(text))
    if not s or not _NUMBER_CHARS.match(s):
        return math.nan
    s = s.replace(".", "").replace(",", ".") if convention == "vi" else s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        return math.nan


def _evidence(s: str) -> str:
    """Classify one cleaned value: plain, vi, en, ambiguous, or bad."""
    if _PLAIN.match(s):
        return "plain"
    if _AMBIGUOUS.match(s):
        return "ambiguous"
    if _VI_FULL.match(s):
        return "vi"
    if _EN_FULL.match(s):
        return "en"
    return "bad"


def parse_number_column(
    values: pd.Series | Sequence[object], *, kind: NumberKind, column: str = "", labels: Sequence[str] = ()
) -> ParsedColumn:
    """Read a column of numbers written either the Vietnamese or the English way.

    Parameters
    ----------
    values : pandas.Series or sequence
        Cells (text or numbers).
    kind : {"integer", "decimal"}
        "integer" (population): a value such as ``16.000`` or ``16,000`` can only be
        sixteen thousand. "decimal" (areas, shares): in an all-ambiguous column ``,``
        is the Vietnamese decimal comma (``1,234`` = 1.234) and ``.`` a decimal point
        (``1.234`` = 1.234).
    column : str
        Column name used in the note.
    labels : sequence of str
        Row labels (unit codes) used in the note; default row numbers.

    Returns
    -------
    ParsedColumn
    """
    cells = list(values)
    texts = [
        None
        if c is None or (isinstance(c, float) and math.isnan(c)) or (isinstance(c, str) and not c.strip())
        else c
        for c in cells
    ]
    kinds = []
    for c in texts:
        if c is None:
            kinds.append("blank")
        elif isinstance(c, int | float | np.integer | np.floating) and not isinstance(c, bool):
            kinds.append("plain")
        else:
            kinds.append(_evidence(_clean(str(c))))
    has_vi, has_en = "vi" in kinds, "en" in kinds
    ambiguous = [i for i, k in enumerate(kinds) if k == "ambiguous"]
    bad = [i for i, k in enumerate(kinds) if k == "bad"]
    note = None
    label = [str(x) for x in labels] if labels else [f"row {i + 1}" for i in range(len(cells))]
    if has_vi and has_en:
        # both conventions in one column: the minority is what is wrong
        n_vi, n_en = kinds.count("vi"), kinds.count("en")
        minority = "en" if n_vi >= n_en else "vi"
        bad += [i for i, k in enumerate(kinds) if k == minority]
        convention: Convention = "vi" if minority == "en" else "en"
    elif has_vi:
        convention = "vi"
    elif has_en:
        convention = "en"
    elif ambiguous:
        convention = _decide_ambiguous([str(texts[i]) for i in ambiguous], kind)
        example = _clean(str(texts[ambiguous[0]]))
        reading = parse_number(example, convention)
        shown = format_codes([label[i] for i in ambiguous], limit=4)
        note = Note(
            f"column '{column}': {len(ambiguous)} values such as '{example}' ({shown}) could be read "
            f"two ways; no value settles which, so '{example}' was read as {reading:g} "
            f"({_meaning(example, kind)}). "
            "If that is wrong, write the numbers without separators",
            f"cột '{column}': {len(ambiguous)} giá trị dạng '{example}' ({shown}) có thể hiểu theo hai "
            f"cách; không giá trị nào giúp phân biệt nên '{example}' được đọc là {reading:g} "
            f"({_meaning_vi(example, kind)}). Nếu sai, hãy ghi số không có dấu phân cách",
        )
    else:
        convention = "plain"
    parsed = pd.Series(
        [parse_number(c, convention) for c in texts],
        index=values.index if isinstance(values, pd.Series) else None,
    )
    if kind == "integer":
        for i in ambiguous:  # "16.000" and "16,000" are both sixteen thousand people
            parsed.iloc[i] = float(re.sub(r"[.,]", "", _clean(str(texts[i]))))
    for i in bad:
        parsed.iloc[i] = math.nan
    return ParsedColumn(parsed.astype(float), convention, note, sorted(set(bad)))


def _meaning(example: str, kind: NumberKind) -> str:
    mark = "dot" if "." in example else "comma"
    if kind == "integer":
        return f"{mark} = thousands separator"
    return f"{mark} = decimal mark"


def _meaning_vi(example: str, kind: NumberKind) -> str:
    mark = "dấu chấm" if "." in example else "dấu phẩy"
    return f"{mark} là dấu phân cách hàng nghìn" if kind == "integer" else f"{mark} là dấu thập phân"


def _decide_ambiguous(texts: list[str], kind: NumberKind) -> Convention:
    """Decide how to read a column in which every formatted value looks like ``d.ddd``."""
    uses_comma = any("," in t for t in texts)
    if kind == "integer":  # a whole number: the separator can only group thousands
        return "en" if uses_comma else "vi"
    # "1,234" in a decimal column: Vietnamese decimal comma; "1.234": decimal point
    return "vi" if uses_comma else "en"
