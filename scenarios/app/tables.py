"""Tables shown in the app: metrics and comparison tables formatted in the UI language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sapxep.scenarios.messages import column_label
from sapxep.scenarios.messages import format_number as _fmt_num
from sapxep.scenarios.messages import format_value as _fmt_value


def metrics_frame(metrics: Mapping[str, Any], lang: str = "vi") -> pd.DataFrame:
    """Return metrics as a two-column table (label, value) in display order."""
    from sapxep.scenarios.analysis.metrics import METRIC_KEYS
    from sapxep.scenarios.messages import metric_label

    rows = []
    for k in METRIC_KEYS:
        v = metrics.get(k)
        if v is None:
            continue
        rows.append({"metric": metric_label(k, lang), "value": _fmt_value(v, lang)})
    out = pd.DataFrame(rows, columns=["metric", "value"])
    return out.rename(columns={"metric": column_label("metric", lang), "value": column_label("value", lang)})


def format_table(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Return ``table`` with every cell formatted as text (numbers in the UI language, "—" for
    missing), for display only."""

    def one(v: Any) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return "—"
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e12:
            return _fmt_num(v, 0, lang)
        return _fmt_value(v, lang)

    return table.apply(lambda col: col.map(one)).astype(str)
