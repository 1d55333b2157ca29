"""Saved scenarios page (AppTest): save, open, duplicate, compare (issue 13)."""

from __future__ import annotations

import pytest

from calculator.library import Library
from calculator.presets import PRESETS
from calculator.risk import assess
from calculator.scenario import from_answers

SEED6 = PRESETS["Seed 001 §6 recommendation system"]


@pytest.fixture
def library(tmp_path, monkeypatch):
    path = tmp_path / "scalerisk.sqlite3"
    monkeypatch.setenv("SCALERISK_HISTORY", str(path))
    return Library(path)


def test_save_the_current_scenario(app_test, library):
    at = app_test()  # the assessment publishes the answers
    at.text_input(key="w.assess.scenario_name").set_value("Pilot")
    at.run()
    at.switch_page("pages/scenarios.py")
    at.run()
    assert not at.exception
    assert at.text_input(key="w.scenarios.save_name").value == "Pilot"
    at.button(key="scenarios.save").click()
    at.run()
    assert [s.name for s in library.list()] == ["Pilot"]
    assert any("Saved as Pilot" in s.value for s in at.success)


def test_compare_shows_both_scores_and_the_difference(app_test, library):
    library.save(from_answers(SEED6))
    at = app_test("pages/scenarios.py")
    assert not at.exception
    table = next(df.value for df in at.dataframe if "Figure" in df.value.columns)
    seed6 = assess(SEED6).score
    current = assess(from_answers(PRESETS["Seed 001 §6 recommendation system"]).answers)
    assert f"{seed6:,.1f}" in table[SEED6.scenario_name][0]
    assert current.score == seed6
    assert "Current scenario (unsaved)" in table.columns


def test_open_makes_it_the_current_scenario(app_test, library):
    library.save(from_answers(SEED6))
    at = app_test("pages/scenarios.py")
    at.button(key="scenarios.open").click()
    at.run()
    assert not at.exception
    scenario = at.session_state["scenario"]
    assert scenario == from_answers(SEED6)  # what was saved, typed
    assert (
        at.number_input(key="w.assess.growth.users_multiple").value == SEED6.growth.users_multiple
    )


def test_duplicate_then_delete(app_test, library):
    library.save(from_answers(SEED6))
    at = app_test("pages/scenarios.py")
    at.button(key="scenarios.duplicate").click()
    at.run()
    assert sorted(s.name for s in library.list()) == sorted(
        [SEED6.scenario_name, f"{SEED6.scenario_name} (copy)"]
    )
    at.button(key="scenarios.delete_go").click()
    at.run()
    assert not at.exception
    assert len(library.list()) == 1
