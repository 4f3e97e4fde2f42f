"""End-to-end test of the app in a real browser (Debian ``chromium`` driven by Playwright).

The app is started with ``sapxep app`` on 127.0.0.1; the test loads the default data, runs a
plan on the 2019 dataset, saves it, imports the real 2019→2020 merger, compares both, and
downloads a PDF map, all in Vietnamese; then it walks every page again in English. On every
page the visible text must hold no English or code word of :data:`CODE_WORDS` (Vietnamese) or
no Vietnamese word of :data:`VIETNAMESE_WORDS` (English), and no traceback. Every request the
browser makes is recorded: none may leave 127.0.0.1. Screenshots of each page go to
``test-artifacts/``. Timings are measured by ``bench/bench_app.py``, not here.

Skipped (with the reason) when Chromium or Playwright is missing, except under ``CI=true``,
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("SAPXEP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 90_000  # generous: the machine may be loaded; timings are the bench's job

#: Words that must not be visible in the Vietnamese UI: English, code names, Streamlit's own
#: English labels, raw values of stored choices, Python leftovers.
CODE_WORDS: tuple[str, ...] = (
    "None", "nan", "NaN", "True", "False", "code", "name", "unit_type", "terrain", "terrain_source",
    "merged_into", "new_unit", "seat_code", "n_members", "n_changed", "same_units", "ari", "vi_bits",
    "lowland", "mountainous", "phuong", "thi_tran", "merged", "partial_split",
    "unchanged_or_renamed", "optimizer", "manual", "crosswalk", "phu_tho_2023", "phu_tho_2019",
    "nq35_2023", "nq76_2025", "SolverError", "InfeasibleError", "WorkspaceError", "ScenarioError",
    "Error", "Traceback", "Select all", "Upload", "Browse files", "Drag and drop", "No results",
    "Choose an option", "Press Enter", "label_vi", "group_vi", "person_id", "from_unit", "to_unit",
    "staffing", "Download", "Running", "Stop", "Deploy",
)  # fmt: skip
#: Vietnamese UI words that must not be visible in the English UI (place names and job titles
#: are proper names and stay Vietnamese).
VIETNAMESE_WORDS: tuple[str, ...] = (
    "Phương án", "Dữ liệu", "Bản đồ", "Tải về", "Lưu", "Hủy", "Chạy tối ưu", "Đơn vị mới",
    "Diện tích", "Dân số", "Trụ sở", "tiêu chuẩn", "Chọn", "Không", "Đạt", "Số đơn vị", "Nhân sự",
    "So sánh", "Xuất tệp", "người", "Định mức", "Dôi dư", "SỐ LIỆU ƯỚC TÍNH", "Bộ tiêu chuẩn",
    "Bộ dữ liệu", "Tệp làm việc", "Ngôn ngữ", "đơn vị", "phương án",
)  # fmt: skip


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright python package is not installed (pip install playwright)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SAPXEP_CHROMIUM)"
    return None


def _require_browser() -> None:
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(f"browser test skipped: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop ``sapxep app`` and the streamlit server it started (one process group)."""
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                proc.wait(timeout=5)
                return
            proc.poll()
            time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``sapxep app`` on a free port with a temporary workspace; yield its URL."""
    _require_browser()
    tmp = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    env = {**os.environ, "SAPXEP_WORKSPACE": str(tmp / "ws.gpkg")}
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sapxep.scenarios", "app", "--port", str(port)],
        cwd=tmp,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # `sapxep app` starts streamlit as a child: stop the whole group
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("the app did not start:\n" + (tmp / "server.log").read_text()[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        _stop_group(proc)
        log.close()


@pytest.fixture(scope="module")
def browser_page(server: str) -> Iterator[tuple[object, list[str]]]:  # noqa: ARG001 - after the app
    """A Chromium page recording every request URL (started once the app is up)."""
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1700}, accept_downloads=True)
        page = context.new_page()
        page.on("request", lambda req: requests.append(req.url))
        page.set_default_timeout(TIMEOUT_MS)
        try:
            yield page, requests
        finally:
            context.close()
            browser.close()


def _shot(page: object, name: str, *, top: bool = True) -> None:
    """Screenshot of the whole page: the viewport grows to the main area's height for the shot."""
    ARTIFACTS.mkdir(exist_ok=True)
    if not top:
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        return
    page.evaluate(
        '() => document.querySelectorAll(\'[data-testid="stMain"], section.main, '
        '[data-testid="stAppViewContainer"]\').forEach(e => e.scrollTo(0, 0))'
    )
    size = page.viewport_size
    height = page.evaluate(
        "() => { const b = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        " return b ? b.getBoundingClientRect().height : 0; }"
    )
    page.set_viewport_size(
        {"width": size["width"], "height": max(size["height"], min(int(height) + 80, 9000))}
    )
    page.wait_for_timeout(700)  # let Plotly finish drawing
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)
    page.wait_for_timeout(200)


def _wait_idle(page: object) -> None:
    """Wait until Streamlit finished the current run (no 'Running…' status widget)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )


def _goto_page(page: object, url: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    page.wait_for_selector('[data-testid="stHeading"]')
    _wait_idle(page)


def _select(page: object, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    _wait_idle(page)


def _outside(requests: list[str]) -> list[str]:
    out = []
    for u in requests:
        p = urlparse(u)
        if p.scheme in {"data", "blob", "about"}:
            continue
        if p.hostname != "127.0.0.1":
            out.append(u)
    return out


def _nav(page: object, title: str) -> None:
    """Go to a page through the sidebar (client-side: the session is kept)."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    page.get_by_role("heading", name=title).first.wait_for()
    _wait_idle(page)


def _visible_text(page: object) -> str:
    """The rendered text of the sidebar and the main area (what a user can read)."""
    parts = []
    for sel in ('[data-testid="stSidebar"]', '[data-testid="stMain"]'):
        loc = page.locator(sel)
        if loc.count():
            parts.append(loc.first.inner_text())
    return "\n".join(parts)


def _bad_words(text: str, words: tuple[str, ...]) -> list[str]:
    """The words of ``words`` found in ``text`` as whole words (case-sensitive)."""
    return [w for w in words if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]


def _check_page(page: object, name: str, words: tuple[str, ...]) -> None:
    """Fail on an exception box or on any of ``words`` in the visible text; keep a screenshot."""
    _wait_idle(page)
    _shot(page, name)
    text = _visible_text(page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.txt").write_text(text, encoding="utf-8")
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: a traceback is shown"
    bad = _bad_words(text, words)
    assert not bad, f"{name}: words that do not belong to the page's language: {bad}"


def test_end_to_end_offline(server: str, browser_page: tuple[object, list[str]]) -> None:
    page, requests = browser_page

    # 1. default data: the Phú Thọ 2023 compliance map, in Vietnamese
    page.goto(server)
    page.get_by_text("Số đơn vị").first.wait_for()
    page.locator(".js-plotly-plot .choroplethlocation").first.wait_for()
    assert page.get_by_text("Phải sắp xếp").first.is_visible()
    assert page.get_by_text("225", exact=True).first.is_visible()
    _check_page(page, "01-data", CODE_WORDS)
    # hover: name, area, population and % of the standard
    page.wait_for_timeout(800)
    box = page.locator(".js-plotly-plot").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for()
    text = hover.text_content() or ""
    assert "Diện tích" in text and "Dân số" in text and "% so với tiêu chuẩn" in text, text
    _shot(page, "01a-data-hover")
    # the editable per-unit inputs
    page.get_by_text("Hiện bảng sửa thông tin và bảng đánh giá").click()
    page.get_by_role("button", name="Lưu thay đổi").wait_for()
    _check_page(page, "01b-data-tables", CODE_WORDS)

    # 2. the 2019 dataset (the historical merger is on it)
    _select(page, "Bộ dữ liệu", "Phú Thọ trước 2020 (277 đơn vị)")
    page.get_by_text("277", exact=True).first.wait_for()

    # 3. plan: short run, then save
    _nav(page, "Phương án")
    _check_page(page, "02a-plan-empty", CODE_WORDS)
    limit = page.get_by_label("Thời gian tối đa (giây)")
    limit.fill("3")
    limit.press("Enter")
    _wait_idle(page)
    page.get_by_role("button", name="Chạy tối ưu").click()
    # live progress with a cancel button while the solver runs
    page.get_by_text("Đang tính phương án").first.wait_for(timeout=10_000)
    assert page.get_by_role("button", name="Hủy").is_visible()
    page.screenshot(path=str(ARTIFACTS / "02b-plan-running.png"))
    page.get_by_text("Xong:").first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for()
    _wait_idle(page)
    assert page.get_by_text("Bản đồ phương án").first.is_visible()
    _check_page(page, "02c-plan-result", CODE_WORDS)
    # lock a unit by clicking the map (the optimizer is not re-run by map clicks)
    page.get_by_text("Khóa / mở khóa đơn vị").click()
    _wait_idle(page)
    page.wait_for_timeout(1500)  # the chart re-mounts after the rerun
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for(state="visible")
    box = plot.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("Đang khóa 1 đơn vị").first.wait_for()
    _wait_idle(page)
    assert not page.get_by_text("Đang tính phương án").first.is_visible()
    page.get_by_label("Tên phương án").fill("Đề xuất 1")
    page.get_by_label("Tên phương án").press("Enter")
    _wait_idle(page)
    page.get_by_role("button", name="Lưu phương án").click()
    page.get_by_text("Đã lưu phương án «Đề xuất 1»").first.wait_for()
    _check_page(page, "02d-plan-saved", CODE_WORDS)

    # 4. compare with the imported real 2019→2020 merger
    _nav(page, "So sánh")
    page.get_by_role("button", name="Nhập quyết định 2019→2020 (NQ 828)").click()
    page.get_by_text("Đã nhập «NQ 828 (2019→2020)»").first.wait_for(timeout=60_000)
    _wait_idle(page)
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.get_by_text("Số đơn vị sau sắp xếp").first.is_visible()
    _check_page(page, "03-compare", CODE_WORDS)

    # 5. staffing of the saved plan
    _nav(page, "Nhân sự")
    page.get_by_text("Sơ đồ tổ chức").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stImage"] img').first.wait_for(timeout=60_000)
    _check_page(page, "04-staffing", CODE_WORDS)

    # 5a. the ensemble page (no ensemble folder yet: it says what to do)
    _nav(page, "Tập hợp phương án")
    _check_page(page, "04a-ensemble", CODE_WORDS)

    # 6. export: download the PDF map
    _nav(page, "Xuất tệp")
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="Bản đồ phương án (PDF)").click()
    pdf = Path(dl.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:20]
    assert dl.value.suggested_filename.endswith(".pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "map.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):  # a PNG of the downloaded map, to look at (Debian poppler-utils)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(ARTIFACTS / "map.pdf"),
                        str(ARTIFACTS / "05a-map-pdf")], check=True, timeout=120)  # fmt: skip
    _check_page(page, "05-export", CODE_WORDS)

    # 7. every page again in English
    page.get_by_role("radio", name="English").click()
    page.get_by_role("heading", name="Export").first.wait_for()
    _check_page(page, "10-export-en", VIETNAMESE_WORDS)
    for i, title in enumerate(("Data", "Plan", "Compare", "Staffing", "Ensemble"), start=11):
        _nav(page, title)
        page.wait_for_timeout(1500)
        _check_page(page, f"{i}-{title.lower()}-en", VIETNAMESE_WORDS)

    assert _outside(requests) == [], f"requests left the machine: {_outside(requests)}"
    assert any("/_stcore/" in u for u in requests)
