"""One real-browser smoke test (DESIGN §9): `streamlit run` + Debian's chromium.

Fills the questionnaire, sees the score and its charts change, checks that answers survive
a page switch, and downloads the PDF summary from the sidebar.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

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


def linked_scenario(page):
    """The scenario the page's URL carries now (``?s=…``), or None."""
    from calculator.errors import InputError
    from calculator.scenario import from_link

    text = page.evaluate("() => new URLSearchParams(location.search).get('s')")
    try:
        return from_link(text) if text else None
    except InputError:
        return None


def wait_for_link(page, accept, timeout_s: float = 60):
    """Poll the URL's scenario until ``accept(scenario)`` (the link follows each rerun)."""
    deadline = time.monotonic() + timeout_s
    while True:
        wait_idle(page)
        scenario = linked_scenario(page)
        if (scenario is not None and accept(scenario)) or time.monotonic() > deadline:
            return scenario
        page.wait_for_timeout(200)


def test_a_changed_what_if_input_survives_a_reload(page, app_url):
    """Issue 13: the sizing page re-seeds its widgets from the scenario the link restores."""
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("link", name="Compute-optimal sizing").click()
    wait_idle(page)
    page.get_by_role("heading", name=re.compile("Compute-optimal", re.I)).first.wait_for()
    gpus = page.get_by_role("spinbutton", name=re.compile("GPU count"))
    assert gpus.input_value() == "8"  # seed 002's case study: 8 A100s (SizingInputs default)
    gpus.fill("24")
    gpus.press("Enter")
    linked = wait_for_link(page, lambda s: s.sizing is not None and s.sizing.gpu_count == 24)
    assert linked.sizing.gpu_count == 24
    page.reload()
    wait_idle(page)
    page.get_by_role("heading", name=re.compile("Compute-optimal", re.I)).first.wait_for()
    gpus = page.get_by_role("spinbutton", name=re.compile("GPU count"))
    expect(gpus).to_have_value("24")  # polls: the input is drawn a moment after the script ran


def test_a_linked_scenario_keeps_values_between_widget_steps(page, app_url):
    """A link's sizing inputs between the sliders' steps (2.3B tokens, 35 % usable, MFU 0.33)
    come back unchanged from the browser after another input is edited there."""
    from calculator.scenario import to_link
    from tests.test_session import SCENARIO

    page.goto(app_url)  # a server that has run app.py once (see the report: a cold server
    wait_idle(page)  # serves /sizing as a plain page before st.navigation has run)
    page.goto(f"{app_url}/sizing?s={to_link(SCENARIO)}")  # a fresh session on the link
    wait_idle(page)
    page.get_by_role("heading", name=re.compile("Compute-optimal", re.I)).first.wait_for()
    gpus = page.get_by_role("spinbutton", name=re.compile("GPU count"))
    expect(gpus).to_have_value(str(SCENARIO.sizing.gpu_count))
    gpus.fill("20")
    gpus.press("Enter")
    linked = wait_for_link(page, lambda s: s.sizing.gpu_count == 20)
    assert linked.sizing == SCENARIO.sizing.model_copy(update={"gpu_count": 20})
