"""Code size (issue 9): no source module over 500 lines, no function over 80 lines.

A module's size is its number of lines; a function's runs from its ``def`` line to the end
of its body, docstring included (nested functions and methods are counted on their own too).
Modules that hold only data tables may be longer; they are listed in :data:`DATA_TABLES`
and a test checks that they hold nothing but data.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("units", "geodata", "optimization", "scenarios", "app_pages")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# Modules that hold only data (exempt from the module limit, not from the function limit).
DATA_TABLES = frozenset(
    {
        # the vi/en message catalogue: one dict literal of texts per module
        "scenarios/messages/app.py",
        "scenarios/messages/columns.py",
        "scenarios/messages/ensemble.py",
        "scenarios/messages/names.py",
        "scenarios/messages/reports.py",
        "scenarios/messages/upload.py",
    }
)


def _modules() -> list[tuple[str, str]]:
    """(path relative to the repository, source) of every module of the packages."""
    out = []
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            out.append((path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")))
    return out


def _is_data(node: ast.stmt) -> bool:
    """Whether a module-level statement is a docstring, an import or an assignment of a literal."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return True
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        try:
            ast.literal_eval(node.value)
        except ValueError:
            return False
        return True
    return False


def test_modules_are_at_most_500_lines() -> None:
    too_long = [
        f"{rel}: {src.count(chr(10))} lines"
        for rel, src in _modules()
        if rel not in DATA_TABLES and src.count("\n") > MAX_MODULE_LINES
    ]
    assert too_long == [], "split these modules (one module per job):\n" + "\n".join(too_long)


def test_functions_are_at_most_80_lines() -> None:
    too_long = []
    for rel, src in _modules():
        for node in ast.walk(ast.parse(src, filename=rel)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if n > MAX_FUNCTION_LINES:
                    too_long.append(f"{rel}:{node.lineno} {node.name}: {n} lines")
    assert too_long == [], "split these functions into named helpers:\n" + "\n".join(too_long)


def test_data_tables_hold_only_data() -> None:
    not_data = []
    for rel in sorted(DATA_TABLES):
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"), filename=rel)
        not_data += [f"{rel}:{node.lineno}" for node in tree.body if not _is_data(node)]
    assert not_data == [], "move code out of these data modules (or drop them from DATA_TABLES)"
