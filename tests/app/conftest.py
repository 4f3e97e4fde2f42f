"""The app under AppTest on a fresh workspace in a temporary folder (shared by the app tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app; a test module may set ``APP_TIMEOUT_S`` (hang guard per run, default 120 s)."""
    monkeypatch.setenv("SAPXEP_WORKSPACE", str(tmp_path / "ws.gpkg"))
    monkeypatch.chdir(tmp_path)
    return AppTest.from_file(APP, default_timeout=getattr(request.module, "APP_TIMEOUT_S", 120))
