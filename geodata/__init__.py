"""Geographic data: reading, validation, CRS, adjacency, dissolve, shape metrics, datasets.

Imports ``units`` only (never ``optimization`` or ``scenarios``).
"""

from sapxep.geodata.adjacency import build_adjacency, connected_components_report
from sapxep.geodata.crs import metric_crs, to_metric
from sapxep.geodata.dissolve import dissolve_plan
from sapxep.geodata.io import load_dataset, read_units
from sapxep.geodata.validate import validate_units

__all__ = [
    "build_adjacency",
    "connected_components_report",
    "dissolve_plan",
    "load_dataset",
    "metric_crs",
    "read_units",
    "to_metric",
    "validate_units",
]
