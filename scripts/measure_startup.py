"""Measure time from `streamlit run app.py` to the first page rendered in a real browser.

Each repeat starts a fresh server, then polls the URL with headless chromium until the
script has finished (``data-test-script-state='notRunning'``) and the page title is shown.
Prints each sample and the median.  Usage: ``.venv/bin/python scripts/measure_startup.py [repeats]``
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, free_port, start_streamlit  # noqa: E402


def one_start(browser) -> float:
    port = free_port()
    t0 = time.perf_counter()
    proc = start_streamlit(port)
    page = browser.new_page()
    try:
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}", timeout=2000)
                break
            except PlaywrightError:
                time.sleep(0.05)
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_selector("[data-test-script-state='notRunning']", state="attached", timeout=60_000)
        return time.perf_counter() - t0
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        samples = [one_start(browser) for _ in range(repeats)]
        browser.close()
    for s in samples:
        print(f"start → first page rendered: {s:.2f} s")
    print(f"median of {repeats}: {statistics.median(samples):.2f} s")


if __name__ == "__main__":
    main()
