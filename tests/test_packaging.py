"""Packaging: every source folder installs under ``sapxep.*`` and nothing generic lands at the top."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP_FOLDERS = ("units", "geodata", "optimization", "scenarios", "app_pages")


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_listed_under_sapxep() -> None:
    setuptools = _pyproject()["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    found = set()
    for top in TOP_FOLDERS:
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT).parts
            found.add(".".join(("sapxep", *rel)))
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == set(), "these listed packages have no folder"
    assert all(name.startswith("sapxep.") for name in listed)


def test_package_dir_maps_each_top_folder() -> None:
    package_dir = _pyproject()["tool"]["setuptools"]["package-dir"]
    assert package_dir == {f"sapxep.{top}": top for top in TOP_FOLDERS}


def test_package_data_covers_the_bundled_files() -> None:
    data = _pyproject()["tool"]["setuptools"]["package-data"]
    patterns = dict(data)
    assert "data/*" in patterns["sapxep.geodata"]
    assert any(p.startswith("rules/") for p in patterns["sapxep.units"])
    assert any(p.endswith(".png") for p in patterns["sapxep.app_pages"])


def test_installed_app_entry_is_importable_by_path() -> None:
    from sapxep.app_pages import main

    assert Path(main.__file__).name == "main.py"
    assert (Path(main.__file__).parent / "favicon.png").is_file()
