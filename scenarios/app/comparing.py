"""The compare page for leaders: a summary in words, differences with better/worse marks, and the
agreement of two scenarios explained (the ARI/VI figures stay for a details panel)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

from sapxep.scenarios.messages import format_number, format_value, metric_label, tr

#: Which way is better for a metric: +1 higher, -1 lower; metrics not listed are not judged
#: (how many units to keep is a policy choice, not better or worse).
METRIC_DIRECTION: Final[dict[str, int]] = {
    "n_fail_population": -1,
    "n_fail_area": -1,
    "n_fail_any": -1,
    "must_arrange_resolved": +1,
    "must_arrange_unresolved": -1,
    "area_km2_min": +1,
    "population_min": +1,
    "compactness_mean": +1,
    "compactness_min": +1,
    "seat_distance_km_max": -1,
    "seat_distance_km_mean": -1,
    "n_cross_parent": -1,
    "surplus_now": -1,
    "surplus_year5": -1,
}
#: Metrics named in the summary sentence, in order.
SUMMARY_KEYS: Final[tuple[str, ...]] = (
    "n_after",
    "n_fail_any",
    "must_arrange_unresolved",
    "n_cross_parent",
    "seat_distance_km_max",
    "surplus_now",
)


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool | str):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def mark(key: str, a: Any, b: Any) -> str:
    """Return "better" when ``b`` beats ``a`` on metric ``key``, "worse" when not, "" if not judged."""
    d = METRIC_DIRECTION.get(key)
    x, y = _num(a), _num(b)
    if d is None or x is None or y is None or abs(y - x) < 1e-9:
        return ""
    return "better" if (y - x) * d > 0 else "worse"


def metrics_with_difference(metrics: pd.DataFrame, a: str, b: str, lang: str = "vi") -> pd.DataFrame:
    """Return the metrics of every scenario with the difference B − A and a better/worse mark.

    Parameters
    ----------
    metrics : pandas.DataFrame
        :attr:`sapxep.scenarios.analysis.compare.Comparison.metrics` (index: metric keys and
        ``ruleset``; columns: scenario names).
    a, b : str
        The two scenarios whose difference is shown.
    lang : {"vi", "en"}

    Returns
    -------
    pandas.DataFrame
        Text cells; index: metric labels; columns: the scenarios, then difference and mark.
    """
    from sapxep.scenarios.messages import column_label, display_name

    rows = []
    for key in metrics.index:
        values = metrics.loc[key]
        if key == "ruleset":
            cells = {n: display_name("ruleset", values[n], lang) for n in metrics.columns}
            rows.append({"": metric_label(key, lang), **cells, "diff": "", "mark": ""})
            continue
        if all(_num(v) is None for v in values):
            continue
        cells = {n: format_value(values[n], lang) for n in metrics.columns}
        x, y = _num(values[a]), _num(values[b])
        diff = ""
        if x is not None and y is not None:
            d = y - x
            decimals = 0 if float(d).is_integer() else 2
            diff = ("+" if d > 0 else "") + format_number(d, decimals, lang) if abs(d) > 1e-9 else "0"
        m = mark(str(key), x, y)
        rows.append(
            {
                "": metric_label(str(key), lang),
                **cells,
                "diff": diff,
                "mark": tr(f"mark_{m}", lang) if m else "",
            }
        )
    out = pd.DataFrame(rows).set_index("")
    out.index.name = tr("metric", lang)
    return out.rename(
        columns={"diff": column_label("difference", lang) + " (B − A)", "mark": column_label("mark", lang)}
    )


def summary_words(metrics: pd.DataFrame, a: str, b: str, lang: str = "vi") -> str:
    """Return one paragraph: how scenario ``b`` differs from ``a`` on the main metrics."""
    parts = []
    for key in SUMMARY_KEYS:
        if key not in metrics.index:
            continue
        x, y = _num(metrics.at[key, a]), _num(metrics.at[key, b])
        if x is None or y is None:
            continue
        d = y - x
        decimals = 0 if float(d).is_integer() else 1
        if abs(d) < 1e-9:
            parts.append(
                tr("sum_same", lang, what=tr(f"sum_label_{key}", lang), v=format_number(y, decimals, lang))
            )
        else:
            word = tr("sum_more", lang) if d > 0 else tr("sum_less", lang)
            m = mark(key, x, y)
            judged = tr(f"sum_{m}", lang) if m else ""
            parts.append(
                tr("sum_diff", lang, what=tr(f"sum_label_{key}", lang), v=format_number(y, decimals, lang),
                   word=word, d=format_number(abs(d), decimals, lang), judged=judged).rstrip()
            )  # fmt: skip
    if not parts:
        return tr("sum_nothing", lang, b=b, a=a)
    return tr("sum_head", lang, b=b, a=a) + "; ".join(parts) + "."


def agreement_words(pair: Mapping[str, Any], n_units: int, lang: str = "vi") -> str:
    """Return the agreement of two scenarios in words (share of old units grouped alike)."""
    n_changed = pair.get("n_changed")
    if n_changed is None or n_units <= 0:
        return tr("agree_other_data", lang)
    alike = n_units - int(n_changed)
    pct = 100.0 * alike / n_units
    return tr(
        "agree_words", lang, alike=alike, n=n_units, pct=format_number(pct, 0, lang), changed=int(n_changed)
    )
