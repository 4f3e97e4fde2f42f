"""Former home of the export labels; kept so older imports work.

Everything now lives in the one message catalogue :mod:`sapxep.scenarios.messages`.
"""

from __future__ import annotations

from sapxep.scenarios.messages import DATA_SOURCE, METRIC_LABELS, label, metric_label
from sapxep.scenarios.messages.reports import REPORT_TEXT as TEXT

__all__ = ["DATA_SOURCE", "METRIC_LABELS", "TEXT", "label", "metric_label"]
