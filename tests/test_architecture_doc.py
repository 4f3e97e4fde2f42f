"""docs/ARCHITECTURE.md lists every module of the packages with a line saying what it holds."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app_pages", "units", "geodata", "optimization", "scenarios")


def test_every_module_has_a_line_in_the_tree() -> None:
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    tree = doc.split("## The tree, one line per module", 1)[1].split("```")[1]
    listed = {m.group(1) for m in re.finditer(r"^(\S+\.py)\s+\S", tree, flags=re.M)}
    modules = {"app.py"} | {
        p.relative_to(ROOT).as_posix() for top in PACKAGES for p in (ROOT / top).rglob("*.py")
    }
    assert sorted(modules - listed) == [], "add these modules to the tree in docs/ARCHITECTURE.md"
    assert sorted(listed - modules) == [], "these listed modules no longer exist"
