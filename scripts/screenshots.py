"""Screenshots of every page in a real browser, at several widths, for looking at what ships.

Starts ``streamlit run app.py`` on a free loopback port, opens each page in headless chromium,
waits until the script has finished, and writes one full-page PNG per page and width.

Usage::

    .venv/bin/python scripts/screenshots.py [--out DIR] [--widths 1280,1440] [--pages
    assessment,sizing]
        [--preset "Exponential archetype"] [--tab "What moves it"]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, free_port, start_streamlit, wait_healthy  # noqa: E402

PAGES = {
    "assessment": "Risk assessment",
    "sizing": "Compute-optimal sizing",
    "finetune": "Fine-tuning cost",
    "mitigation": "Mitigation ROI",
    "benchmark": "Live benchmark",
    "scenarios": "Saved scenarios",
    "methodology": "Methodology",
}
"""Page file name → its title in the sidebar (pages are opened by clicking, so the session is
kept)."""


def settle(page) -> None:
    """Wait until the script run is over and charts have drawn."""
    page.wait_for_selector(
        "[data-test-script-state='notRunning']", state="attached", timeout=120_000
    )
    page.wait_for_timeout(1500)


def shoot(page, path: Path, width: int) -> None:
    """Full-length PNG: the app scrolls inside its own container, so the viewport grows to fit
    it."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section.main, "
        "body')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16_000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out/screenshots", help="folder for the PNGs")
    parser.add_argument(
        "--widths", default="1280,1440", help="viewport widths in px, comma-separated"
    )
    parser.add_argument("--pages", default=",".join(PAGES), help="pages, comma-separated")
    parser.add_argument(
        "--preset", default=None, help="assessment preset to select first (by its display name)"
    )
    parser.add_argument(
        "--tab", default=None, help="tab to open on each page before the shot (by its label)"
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_streamlit(port)
    try:
        wait_healthy(port, proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for width in (int(w) for w in args.widths.split(",")):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
                settle(page)
                if args.preset:
                    page.get_by_label("Start from a preset").click()
                    page.get_by_role("option", name=args.preset).click()
                    settle(page)
                    if page.get_by_role("button", name="Apply preset").count():
                        page.get_by_role("button", name="Apply preset").click()
                        settle(page)
                for name in args.pages.split(","):
                    page.locator("[data-testid=stSidebarNav]").get_by_text(
                        PAGES[name], exact=True
                    ).click()
                    settle(page)
                    suffix = ""
                    if args.tab and page.get_by_role("tab", name=args.tab).count():
                        page.get_by_role("tab", name=args.tab).first.click()
                        page.wait_for_timeout(1500)
                        suffix = "-" + "".join(c if c.isalnum() else "-" for c in args.tab.lower())
                    path = out / f"{name}{suffix}-{width}.png"
                    shoot(page, path, width)
                    print(path)
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
