"""Real-browser fixtures: `streamlit run` on 127.0.0.1 and Debian's chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = (
    os.environ.get("SCALERISK_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(
    port: int, env: dict[str, str] | None = None, script: Path | None = None
) -> subprocess.Popen:
    """Start the app (or ``script``) exactly as the README does, on loopback only."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script or ROOT / "app.py"),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_healthy(
    port: int, proc: subprocess.Popen, timeout: float = 60, poll_s: float = 0.2
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(poll_s)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    port = free_port()
    history = tmp_path_factory.mktemp("history") / "runs.sqlite"
    proc = start_streamlit(port, {"SCALERISK_HISTORY": str(history)})
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip(
            "chromium not installed (scripts/test.sh installs it with apt-get when run as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    p = context.new_page()
    p.set_default_timeout(60_000)
    yield p
    context.close()


def wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script (DESIGN §9)."""
    page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")
