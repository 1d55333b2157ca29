"""Measure the first *Build PDF summary* of a fresh app in a real browser (issue 7: < 3 s).

Each repeat starts a fresh server (as the README does), opens the first page in headless
chromium, waits 8 s (the app warms the PDF engine 5 s after it opens), ticks *Full report*,
clicks *Build PDF summary* and times until *Download PDF summary* is offered; then it
downloads the PDF and checks it starts with ``%PDF-``.  Chart workers 0 (charts rendered in
the server process) and the default are interleaved, so machine noise hits both alike.
The browser runs on the same machine, as it does for a local user.

Usage: ``.venv/bin/python scripts/measure_pdf_in_app.py [repeats]``
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from calculator.chart_png import default_size  # noqa: E402
from tests.e2e.conftest import CHROMIUM, free_port, start_streamlit, wait_healthy  # noqa: E402

WARM_UP_WAIT_S = 8.0


def one_build(browser, workers: int) -> float:
    """Seconds from the click on *Build PDF summary* to the download button shown."""
    port = free_port()
    proc = start_streamlit(port, env={"SCALERISK_CHART_WORKERS": str(workers)})
    page = browser.new_page()
    try:
        wait_healthy(port, proc)
        page.goto(f"http://127.0.0.1:{port}", timeout=60_000)
        page.get_by_role("button", name="Build PDF summary").wait_for(timeout=60_000)
        time.sleep(WARM_UP_WAIT_S)
        page.get_by_text("Full report").click()
        page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")
        start = time.perf_counter()
        page.get_by_role("button", name="Build PDF summary").click()
        download = page.get_by_role("button", name="Download PDF summary")
        download.wait_for(timeout=60_000)
        seconds = time.perf_counter() - start
        with page.expect_download() as event:
            download.click()
        assert Path(event.value.path()).read_bytes().startswith(b"%PDF-")
        return seconds
    finally:
        page.close()
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    counts = (0, default_size())
    samples: dict[int, list[float]] = {n: [] for n in counts}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(repeats):
            for n in counts:
                samples[n].append(one_build(browser, n))
                print(f"{n} chart worker(s): click → download offered {samples[n][-1]:.2f} s")
        browser.close()
    for n in counts:
        runs = samples[n]
        print(
            f"{n} chart worker(s), median of {len(runs)}: {statistics.median(runs):.2f} s "
            f"(min {min(runs):.2f}, max {max(runs):.2f})"
        )


if __name__ == "__main__":
    main()
