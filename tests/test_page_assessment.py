"""Assessment page (AppTest): answers → score and drivers, presets, upload, page switches."""

from __future__ import annotations

import json

import pytest

from calculator.presets import PRESETS
from calculator.risk import Answers, assess

K = "w.assess"


def _score(at) -> float:
    (metric,) = [m for m in at.metric if m.label == "Scalability risk score"]
    return float(metric.value.split("/")[0])


def _drivers(at) -> list[str]:
    frames = [df.value for df in at.dataframe if "Driver" in df.value.columns]
    return list(frames[0]["Driver"])


@pytest.fixture
def at(app_test):
    return app_test()  # the assessment page is the default page


def test_defaults_render_and_publish_answers(at):
    assert not at.exception
    assert _score(at) == assess(Answers()).score  # same engine as the CLI
    # the default answers: the session holds no scenario object yet (ui.session.held), so the
    # first page never imports the what-if engines; it is built, equal, on first use
    assert at.session_state["scenario.answered"]
    assert "scenario" not in at.session_state
    at.number_input(key=f"{K}.inference.cache_hit_rate").set_value(0.5).run()
    assert at.session_state["scenario"].answers.inference.cache_hit_rate == 0.5
    assert "No data lifecycle" in _drivers(at)
    # gauge, drivers, two tornadoes, 12- and 36-month trajectories
    assert len(at.get("vega_lite_chart")) == 6


def test_changing_answers_changes_score_and_drivers(at):
    before = _score(at)
    at.selectbox(key=f"{K}.inference.architecture").set_value("large_context")
    at.number_input(key=f"{K}.inference.cache_hit_rate").set_value(0.0)
    at.run()
    assert not at.exception
    expected = Answers.model_validate(
        {"inference": {"architecture": "large_context", "cache_hit_rate": 0.0}}
    )
    assert _score(at) == assess(expected).score > before
    assert "O(n²) context growth" in _drivers(at)
    assert at.session_state["scenario"].answers == expected


def test_apply_preset(at):
    at.selectbox(key="assess.preset").set_value("Exponential archetype")
    at.button(key="assess.apply_preset").click()
    at.run()
    assert not at.exception
    preset = PRESETS["Exponential archetype"]
    assert _score(at) == assess(preset).score
    scenario = at.session_state["scenario"]
    assert scenario.answers == preset.model_copy(update={"scenario_name": ""})
    assert scenario.name == "Exponential archetype"
    assert any("critical" in e.value.lower() for e in at.error)  # band box


def test_bad_upload_shows_error_and_keeps_answers(at):
    at.number_input(key=f"{K}.growth.users_multiple").set_value(4.0)
    at.run()
    kept = at.session_state["scenario"]
    at.file_uploader(key="assess.upload").set_value(
        ("answers.json", b'{"growth": {"users_multiple": 0}}', "application/json")
    )
    at.run()
    assert not at.exception
    assert any("growth.users_multiple" in e.value and "unchanged" in e.value for e in at.error)
    assert at.session_state["scenario"] == kept
    assert at.number_input(key=f"{K}.growth.users_multiple").value == 4.0


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"what_if": {"sizing": {"x": 1}}}', "what_if.sizing"),
        (b'{"version": 1, "spreads": {"sizing": {"fit": 0.3}}}', "fit cannot carry a spread"),
    ],
)
def test_damaged_or_invalid_file_is_a_message_and_loses_nothing(at, data, said):
    at.number_input(key=f"{K}.growth.users_multiple").set_value(4.0)
    at.run()
    kept = at.session_state["scenario"]
    at.file_uploader(key="assess.upload").set_value(("bad.json", data, "application/json"))
    at.run()
    assert not at.exception
    assert any(said in e.value and "unchanged" in e.value for e in at.error)
    assert at.session_state["scenario"] == kept


def test_good_upload_replaces_answers(at):
    from calculator.sizing import SizingInputs

    preset = PRESETS["Seed 001 §6 recommendation system"]
    what_if = {"sizing": {"gpu_count": 64}}
    data = preset.model_copy(update={"what_if": what_if}).model_dump_json().encode()
    at.file_uploader(key="assess.upload").set_value(("seed6.json", data, "application/json"))
    at.run()
    assert not at.exception
    assert any("seed6.json" in s.value for s in at.success)
    assert _score(at) == assess(preset).score
    scenario = at.session_state["scenario"]  # an old answers file: calculator.scenario layout
    assert scenario.name == preset.scenario_name
    assert scenario.sizing == SizingInputs(gpu_count=64)
    assert scenario.answers.workload == preset.workload


def test_switching_pages_keeps_answers(at):
    at.number_input(key=f"{K}.inference.cache_hit_rate").set_value(0.55)
    at.text_input(key=f"{K}.scenario_name").set_value("Q3 review")
    at.selectbox(key=f"{K}.data.retention").set_value("tiered")
    at.radio(key=f"{K}.stage").set_value("production")
    at.run()
    score = _score(at)
    at.switch_page("pages/methodology.py")
    at.run()
    assert not at.exception
    assert at.session_state["scenario"].answers.inference.cache_hit_rate == 0.55
    at.switch_page("pages/assessment.py")
    at.run()
    assert not at.exception
    assert at.number_input(key=f"{K}.inference.cache_hit_rate").value == 0.55
    assert at.session_state["scenario"].name == "Q3 review"
    assert at.text_input(key=f"{K}.scenario_name").value == "Q3 review"
    assert at.selectbox(key=f"{K}.data.retention").value == "tiered"
    assert at.radio(key=f"{K}.stage").value == "production"
    assert _score(at) == score


def test_download_is_the_scenario_file(at):
    from calculator.scenario import parse_scenario, to_json

    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download scenario (JSON)" in labels  # its payload: to_json of the session's scenario
    at.text_input(key=f"{K}.scenario_name").set_value("Q4").run()
    scenario = at.session_state["scenario"]
    assert scenario.name == "Q4"
    assert parse_scenario(json.loads(to_json(scenario))) == scenario  # calculator.scenario


def test_ranges_shown_beside_the_headlines(at):
    from calculator.risk import assess_ranges
    from calculator.uncertainty import format_likely

    r = assess_ranges(Answers())  # same engine, same fixed seed as the page
    captions = " ".join(c.value for c in at.caption)
    assert format_likely(r.score, lambda x: f"{x:.1f}") in captions
    assert "How sure:" in captions
    assert "P10–P90 of 16,000 simulations" in captions


def test_marking_an_answer_uncertain_widens_the_range_and_travels(at):
    at.multiselect(key=f"{K}.spreads.paths").set_value(["growth.users_multiple"])
    at.slider(key=f"{K}.spreads.size").set_value(50)
    at.run()
    assert not at.exception
    assert at.session_state["scenario"].answers.spreads == {"growth.users_multiple": 0.5}
    captions = " ".join(c.value for c in at.caption)
    assert "user growth (± spread)" in captions
    # the file restores it: upload the scenario file into the page
    from calculator.scenario import to_json

    data = to_json(at.session_state["scenario"]).encode()
    at.multiselect(key=f"{K}.spreads.paths").set_value([])
    at.run()
    at.file_uploader(key="assess.upload").set_value(("s.json", data, "application/json"))
    at.run()
    assert at.multiselect(key=f"{K}.spreads.paths").value == ["growth.users_multiple"]
    assert at.slider(key=f"{K}.spreads.size").value == 50
