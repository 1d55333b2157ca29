"""pages/sizing.py through AppTest: inputs drive the verdict, metrics and session state."""

from __future__ import annotations

import pytest

from ui.gpu_catalogue import default_rows, validate_rows

PAGE = "pages/sizing.py"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_defaults_show_case_study(app_test):
    at = app_test(PAGE)
    # seed 002 case study: 7B model on 2B tokens, 8 A100 for two weeks → over-sized, don't pretrain
    assert "Over-sized and under-trained" in at.error[0].value
    assert any("hierarchy" in i.value for i in at.info)
    got = metrics(at)
    assert got["Usable data (tokens)"] == "2B"
    assert (
        got["Recommended (params)"] == "77.7M"
    )  # Besiroglu 2024: size for which 2B tokens is optimal
    assert got["Compute budget (FLOP)"] == "1.21e21"  # 8 × 336 h × 3600 × 312e12 × 0.4
    assert got["Compute wasted (%)"] == "79%"
    what_if = at.session_state["what_if"]["sizing"]
    assert what_if["proposal_params"] == 7e9
    assert what_if["gpu_name"] == "A100 80GB"
    assert any("disagree" in w.value for w in at.warning)  # fit-disagreement callout
    assert len(at.get("arrow_vega_lite_chart")) >= 1 or len(at.get("vega_lite_chart")) >= 1


def test_log_sliders_and_fit_drive_results(app_test):
    at = app_test(PAGE)
    at.selectbox(key="w.sizing.fit").set_value("rule20").run()
    at.select_slider(key="w.sizing.dataset_tokens").set_value(1e10).run()
    assert not at.exception
    # seed 002 table: 10B tokens → 500M parameters under the 20-token rule
    assert metrics(at)["Recommended (params)"] == "500M"
    at.slider(key="w.sizing.usable_fraction").set_value(0.5).run()
    assert metrics(at)["Usable data (tokens)"] == "5B"  # seed 002 step 1: noise halves the data
    assert at.session_state["what_if"]["sizing"]["fit"] == "rule20"
    assert at.session_state["what_if"]["sizing"]["usable_fraction"] == 0.5


def test_flop_budget_and_near_optimal_proposal(app_test):
    at = app_test(PAGE)
    at.checkbox(key="w.sizing.has_data").uncheck().run()
    at.radio(key="w.sizing.compute_mode").set_value("flops").run()
    at.select_slider(key="w.sizing.compute_flops").set_value(6e23).run()
    # Besiroglu 2024 at 6e23 FLOP: N_opt ≈ 7.4e10 → the 70B option of the log slider
    at.select_slider(key="w.sizing.proposal_params").set_value(7e10).run()
    # without a dataset the proposal's tokens are set directly
    at.select_slider(key="w.sizing.proposal_tokens").set_value(1.5e12).run()
    assert not at.exception
    assert at.success
    assert at.success[0].value.startswith("Near-optimal")
    assert metrics(at)["Compute budget (FLOP)"] == "6e23"


def test_cluster_inputs_change_budget(app_test):
    at = app_test(PAGE)
    at.number_input(key="w.sizing.gpu_count").set_value(16).run()
    at.slider(key="w.sizing.availability").set_value(0.6).run()
    # 16 × 336 h × 3600 × 312e12 × 0.4 × 0.6 = 1.449e21 FLOP
    assert metrics(at)["Compute budget (FLOP)"] == "1.45e21"
    at.selectbox(key="w.sizing.gpu").set_value("H100 80GB").run()
    assert at.session_state["what_if"]["sizing"]["gpu_peak_tflops"] == 989


def test_edited_catalogue_is_used(app_test):
    at = app_test()
    rows = default_rows()
    rows[1]["usd_per_hour"] = 10.0  # A100 80GB repriced by the user
    at.session_state["gpu_catalogue"] = rows
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert at.session_state["what_if"]["sizing"]["gpu_usd_per_hour"] == 10.0


def test_state_survives_page_switch(app_test):
    at = app_test(PAGE)
    at.select_slider(key="w.sizing.proposal_params").set_value(3e9).run()
    at.switch_page("pages/methodology.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.session_state["what_if"]["sizing"]["proposal_params"] == 3e9


def test_no_budget_no_proposal(app_test):
    at = app_test(PAGE)
    at.radio(key="w.sizing.compute_mode").set_value("none").run()
    at.checkbox(key="w.sizing.has_proposal").uncheck().run()
    assert not at.exception
    assert "Compute budget (FLOP)" not in metrics(at)
    assert any("No proposal" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"memory_gb": -1}, "greater than 0"),
        ({"bf16_tflops": 0}, "bf16_tflops must be greater than 0"),
        ({"name": ""}, "needs a name"),
        ({"name": "H100 80GB"}, "appears twice"),
        ({"usd_per_hour": float("nan")}, "usd_per_hour"),
    ],
)
def test_catalogue_validation(edit, message):
    rows = default_rows()
    rows[0].update(edit)
    gpus, kept, errors = validate_rows(rows)
    assert len(gpus) == len(rows) - 1 == len(kept)
    assert len(errors) == 1
    assert message in errors[0]
