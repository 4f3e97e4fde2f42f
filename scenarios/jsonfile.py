"""The one JSON writer of every JSON the tool writes or prints: strict JSON, UTF-8, atomic.

Strict means what RFC 8259 allows: ``NaN``, ``Infinity`` and ``-Infinity`` (which Python's
``json`` writes by default) become ``null``; numpy and pandas scalars become Python numbers;
``pandas.NA``/``NaT`` become ``null``; dates become ISO 8601 text; paths become text; tuples,
sets and arrays become lists. Anything else is written as its ``str``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import pandas as pd

from sapxep.units.files import write_text


def jsonable(value: Any) -> Any:
    """Return ``value`` as plain JSON data (dict, list, str, int, float, bool, None).

    Parameters
    ----------
    value : Any
        Nested mappings, sequences, numbers (Python, numpy, pandas), text, dates, paths.

    Returns
    -------
    Any
        The same data with every non-finite float replaced by ``None``.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict("records")]
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    return str(value)


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """Return ``value`` as strict JSON text (UTF-8 characters kept, no ``NaN``/``Infinity``).

    Parameters
    ----------
    value : Any
        See :func:`jsonable`.
    indent : int or None, default 2
        Indentation; ``None`` for one line.

    Returns
    -------
    str
    """
    return json.dumps(jsonable(value), ensure_ascii=False, indent=indent, allow_nan=False)


def write_json(value: Any, path: str | Path) -> Path:
    """Write ``value`` as strict, indented UTF-8 JSON to ``path``, atomically.

    Parameters
    ----------
    value : Any
        See :func:`jsonable`.
    path : str or Path
        Target file (its folder must exist).

    Returns
    -------
    Path
        ``path``.
    """
    return write_text(path, json_text(value) + "\n")
