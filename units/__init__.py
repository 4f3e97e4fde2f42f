"""Domain layer of sapxep: administrative units, legal standards, plans, staffing.

This package is the bottom of the import graph: it never imports ``geodata``,
``optimization``, ``scenarios`` or streamlit.
"""
