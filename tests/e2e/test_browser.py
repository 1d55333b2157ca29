"""One real-browser smoke test (DESIGN §9): `streamlit run` + Debian's chromium.

Fills the questionnaire, sees the score and its charts change, checks that answers survive
a page switch, and downloads the PDF summary from the sidebar.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e

SCORE = re.compile(r"(\d+(?:\.\d)?) / 100")


def read_score(page) -> float:
    # the score metric (an SVG chart title also carries "… / 100", and is not an HTML element)
    text = page.locator("[data-testid='stMetricValue']").filter(has_text=SCORE).first.inner_text()
    return float(SCORE.search(text).group(1))


def wait_for_score(page, accept, timeout_s: float = 60) -> float:
    """Poll the shown score until ``accept(score)``: a rerun starts a moment after the click."""
    deadline = time.monotonic() + timeout_s
    while True:
        wait_idle(page)
        score = read_score(page)
        if accept(score) or time.monotonic() > deadline:
            return score
        page.wait_for_timeout(200)


def test_questionnaire_score_charts_page_switch_and_pdf(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("heading", name="Scalability risk assessment").wait_for()
    before = read_score(page)
    assert 0 <= before <= 100
    page.locator(".vega-embed").nth(1).wait_for()  # the score gauge and the drivers chart

    # Riskier answer: per-user fine-tuned models on the Inference tab (seed 001 §2.1).
    page.get_by_role("tab", name="Inference").click()
    page.get_by_role("combobox", name="Serving architecture").click()
    page.get_by_role("option", name=re.compile("per-user", re.I)).first.click()
    after = wait_for_score(page, lambda score: score != before)
    assert after > before  # seed 001 §2.1: per-user models grow 25–50× per 10× users

    # Answers survive a visit to another page.
    page.get_by_role("link", name="Compute-optimal sizing").click()
    wait_idle(page)
    page.get_by_role("heading", name=re.compile("Compute-optimal", re.I)).first.wait_for()
    page.get_by_role("link", name="Risk assessment").click()
    assert wait_for_score(page, lambda score: score == after) == after

    # PDF summary from the sidebar.
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("button", name=re.compile("Build PDF summary")).click()
    wait_idle(page)
    with page.expect_download() as download_info:
        sidebar.get_by_role("button", name=re.compile("Download", re.I)).click()
    path = download_info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_reload_keeps_the_scenario_and_a_link_opens_it_elsewhere(browser, page, app_url):
    """Issue 13: the scenario lives in the URL — a reload and a shared link both restore it."""
    page.goto(app_url)
    wait_idle(page)
    before = read_score(page)
    page.get_by_role("tab", name="Inference").click()
    page.get_by_role("combobox", name="Serving architecture").click()
    page.get_by_role("option", name=re.compile("per-user", re.I)).first.click()
    after = wait_for_score(page, lambda score: score != before)
    page.wait_for_function("() => location.search.includes('s=')")

    page.reload()
    assert wait_for_score(page, lambda score: score == after) == after

    # the sidebar's share link, opened in a fresh browser context (another machine)
    page.get_by_role("button", name=re.compile("Share this scenario")).click()
    link = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
    assert link.startswith(app_url)
    assert "?s=" in link
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        fresh = other.new_page()
        fresh.set_default_timeout(60_000)
        fresh.goto(link)
        assert wait_for_score(fresh, lambda score: score == after) == after
    finally:
        other.close()
