"""Scenario runs, workspace store, comparison, exports and the ``sapxep`` CLI.

This is the layer the app and the CLI call; it wires ``geodata`` and
``optimization`` together on top of ``units``.
"""
