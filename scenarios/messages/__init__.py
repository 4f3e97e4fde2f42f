"""The one message catalogue of sapxep: every text a user sees, in Vietnamese and English.

The texts live in per-area tables (data, not code), each ``key -> (Vietnamese, English)``:

- :mod:`.app` — the app's pages;
- :mod:`.upload` — the app's upload flow (mapping, preview, cleaning);
- :mod:`.cli` — the command-line summaries;
- :mod:`.reports` — comparisons and exports (maps, Excel, Word), and the metric labels;
- :mod:`.columns` — table column headers (``col_<column>``);
- :mod:`.names` — display names of datasets, rulesets, unit types, terrains, relations,
  sources and job titles.

A key is defined in one table only (a test checks it). :func:`tr` returns a text,
:func:`metric_label` a metric's label, :func:`column_label` a column header,
:func:`display_name` the name of a closed choice; :func:`format_number` writes numbers the
way the language does (``16.000,5`` in Vietnamese).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sapxep.scenarios.messages.app import APP_TEXT
from sapxep.scenarios.messages.cli import CLI_TEXT
from sapxep.scenarios.messages.columns import COLUMN_LABELS
from sapxep.scenarios.messages.ensemble import ENSEMBLE_APP_TEXT, ENSEMBLE_TEXT
from sapxep.scenarios.messages.names import NAMES
from sapxep.scenarios.messages.reports import DATA_SOURCE, METRIC_LABELS, REPORT_TEXT
from sapxep.scenarios.messages.upload import TARGET_TEXT, UPLOAD_TEXT
from sapxep.units.choices import LANGS

__all__ = [
    "CATALOGUE",
    "DATA_SOURCE",
    "METRIC_LABELS",
    "column_label",
    "display_name",
    "format_number",
    "format_value",
    "label",
    "metric_label",
    "tr",
    "translate_columns",
]

#: Every text by key: the area tables merged (column headers under ``col_<column>``).
CATALOGUE: Final[dict[str, tuple[str, str]]] = {
    **APP_TEXT,
    **CLI_TEXT,
    **REPORT_TEXT,
    **ENSEMBLE_TEXT,
    **ENSEMBLE_APP_TEXT,
    **UPLOAD_TEXT,
    **TARGET_TEXT,
    **{f"col_{k}": v for k, v in COLUMN_LABELS.items()},
}


def _index(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    return 0 if lang == "vi" else 1


def tr(key: str, lang: str = "vi", /, **values: object) -> str:
    """Return the text ``key`` in ``lang`` with ``values`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`CATALOGUE` (or of :data:`METRIC_LABELS`); an unknown key is returned as
        is, so a missing text shows up (and the browser test's word list catches it) instead of
        crashing a page.
    lang : {"vi", "en"}
    **values
        Fields for ``str.format``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``lang`` is not ``"vi"`` or ``"en"``.
    """
    i = _index(lang)
    pair = CATALOGUE.get(key) or METRIC_LABELS.get(key)
    if pair is None:
        return key
    return pair[i].format(**values) if values else pair[i]


#: The name the exports use for :func:`tr`.
label = tr


def metric_label(key: str, lang: str = "vi") -> str:
    """Return the label of a metric key (the key itself if unknown)."""
    pair = METRIC_LABELS.get(key)
    return pair[_index(lang)] if pair else key


def column_label(col: str, lang: str = "vi") -> str:
    """Return the header of a table column in ``lang`` (the column name when unknown)."""
    pair = CATALOGUE.get(f"col_{col}")
    return col if pair is None else pair[_index(lang)]


def translate_columns(df: Any, lang: str = "vi") -> Any:
    """Return a DataFrame with its column headers (and index name) in ``lang``."""
    out = df.rename(columns={c: column_label(str(c), lang) for c in df.columns})
    if out.index.name:
        out.index.name = column_label(str(out.index.name), lang)
    return out


def display_name(kind: str, value: object, lang: str = "vi") -> str:
    """Return the display name of a closed choice (dataset, ruleset, unit type, terrain, ...).

    Parameters
    ----------
    kind : str
        A key of :data:`sapxep.scenarios.messages.names.NAMES` (``"dataset"``, ``"ruleset"``,
        ``"unit_type"``, ``"terrain"``, ``"relation"``, ``"source"``, ``"mode"``, ...).
    value : object
        The stored value, e.g. ``"phu_tho_2023"`` or ``"lowland"``.
    lang : {"vi", "en"}

    Returns
    -------
    str
        The name; an uploaded dataset ``upload:<file>`` shows its file name; an unknown value
        is returned as text ("—" when missing).
    """
    i = _index(lang)
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "—"
    text = str(value)
    if kind == "dataset" and text.startswith("upload:"):
        return text.removeprefix("upload:")
    if kind == "ruleset" and "@" in text:  # a ruleset's rules for a level: "nq76_2025@province"
        base, level = text.rsplit("@", 1)
        return f"{display_name('ruleset', base, lang)} — {display_name('level', level, lang).lower()}"
    if kind == "dataset" and "/" in text:
        from sapxep.scenarios.dataset_views import view_label

        return view_label(text, lang)
    table: Mapping[str, tuple[str, str]] = NAMES.get(kind, {})
    pair = table.get(text)
    return pair[i] if pair else text


def format_number(x: float, decimals: int = 0, lang: str = "vi") -> str:
    """Return ``x`` with thousands separators in the language's style ("—" for NaN).

    Vietnamese writes ``16.000,5``; English ``16,000.5``.
    """
    if x != x:  # NaN
        return "—"
    s = f"{x:,.{decimals}f}"
    if lang == "en":
        return s
    return s.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def format_value(v: Any, lang: str = "vi") -> str:
    """Return a table cell as text: numbers via :func:`format_number`, yes/no for booleans."""
    if v is None or (isinstance(v, float) and v != v) or type(v).__name__ in {"NAType", "NaTType"}:
        return "—"
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        v = v.item()
    if isinstance(v, bool):
        return tr("yes" if v else "no", lang)
    if isinstance(v, int):
        return format_number(float(v), 0, lang)
    if isinstance(v, float):
        return format_number(v, 0 if abs(v) >= 1000 or v.is_integer() else 2, lang)
    return str(v)
