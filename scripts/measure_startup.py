"""Measure time from `streamlit run app.py` to the first page rendered in a real browser.

Each repeat starts a fresh server, polls its health endpoint (as a user's browser would be
opened once the server says it is up), loads the page in headless chromium and waits until the
script has finished (``data-test-script-state='notRunning'``) and the page title is shown.
Each repeat also starts a one-line Streamlit app (``st.title``) the same way, interleaved, so
the ratio app ÷ bare Streamlit is measured side by side on the same machine state (issue 14:
within 1.25×).  Prints each sample, the medians and the ratio.
Usage: ``.venv/bin/python scripts/measure_startup.py [repeats]``
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, free_port, start_streamlit, wait_healthy  # noqa: E402

BARE_APP = 'import streamlit as st\n\nst.title("Hello")\n'


def one_start(browser, script: Path | None = None) -> tuple[float, float]:
    """(seconds until the server answers its health check, seconds until the page is rendered)."""
    port = free_port()
    t0 = time.perf_counter()
    proc = start_streamlit(port, script=script)
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
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP)
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        app, plain = [], []
        for _ in range(repeats):  # interleaved: app, bare, app, bare …
            app.append(one_start(browser))
            plain.append(one_start(browser, bare))
        browser.close()
    for (ready, rendered), (_, bare_rendered) in zip(app, plain, strict=True):
        print(
            f"app: server ready {ready:.2f} s · first page {rendered:.2f} s   "
            f"bare Streamlit: first page {bare_rendered:.2f} s"
        )
    app_median = statistics.median(t for _, t in app)
    bare_median = statistics.median(t for _, t in plain)
    print(
        f"median of {repeats}: app server ready {statistics.median(r for r, _ in app):.2f} s, "
        f"app first page {app_median:.2f} s, bare Streamlit first page {bare_median:.2f} s "
        f"→ {app_median / bare_median:.2f}×"
    )


if __name__ == "__main__":
    main()
