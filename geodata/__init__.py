"""Geographic data: reading, validation, CRS, adjacency, dissolve, shape metrics, datasets.

Imports ``units`` only (never ``optimization`` or ``scenarios``).
"""
