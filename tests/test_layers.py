"""Imports go one way: UI → scenarios → {geodata, optimization} → units.

Only the UI imports streamlit, and optimization never sees geometry (no geopandas/shapely).
Checked on every import statement of every module, including imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package -> top-level names its modules must not import
FORBIDDEN: dict[str, set[str]] = {
    "units": {"sapxep.geodata", "sapxep.optimization", "sapxep.scenarios", "sapxep.app_pages",
              "streamlit", "geopandas", "shapely"},
    "geodata": {"sapxep.optimization", "sapxep.scenarios", "sapxep.app_pages", "streamlit"},
    "optimization": {"sapxep.geodata", "sapxep.scenarios", "sapxep.app_pages", "streamlit",
                     "geopandas", "shapely", "pyogrio"},
    "scenarios": {"sapxep.app_pages", "streamlit"},
}  # fmt: skip


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_go_one_way(package: str) -> None:
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[package]):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert bad == []
