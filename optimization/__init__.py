"""The merger optimizer: a CP-SAT model plus heuristics.

It receives ids, integer weights and a networkx graph, never geometry, and imports
``units`` only.
"""
