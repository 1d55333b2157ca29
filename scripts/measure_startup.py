"""Measure time from `streamlit run app.py` to the first page rendered in a real browser.

Each repeat starts a fresh server, polls its health endpoint (as a user's browser would be
opened once the server says it is up), loads the page in headless chromium and waits until the
script has finished (``data-test-script-state='notRunning'``) and the page title is shown.
Prints each sample and the median.  Usage: ``.venv/bin/python scripts/measure_startup.py [repeats]``
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, free_port, start_streamlit, wait_healthy  # noqa: E402


def one_start(browser) -> tuple[float, float]:
    """(seconds until the server answers its health check, seconds until the page is rendered)."""
    port = free_port()
    t0 = time.perf_counter()
    proc = start_streamlit(port)
    page = browser.new_page()
    try:
        wait_healthy(port, proc, poll_s=0.02)
        ready = time.perf_counter() - t0
        page.goto(f"http://127.0.0.1:{port}", timeout=60_000)
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_selector(
            "[data-test-script-state='notRunning']", state="attached", timeout=60_000
        )
        return ready, time.perf_counter() - t0
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        samples = [one_start(browser) for _ in range(repeats)]
        browser.close()
    for ready, rendered in samples:
        print(f"server ready {ready:.2f} s · first page rendered {rendered:.2f} s")
    print(
        f"median of {repeats}: server ready {statistics.median(r for r, _ in samples):.2f} s, "
        f"first page rendered {statistics.median(t for _, t in samples):.2f} s"
    )


if __name__ == "__main__":
    main()
