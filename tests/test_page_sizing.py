"""pages/sizing.py through AppTest: inputs drive the verdict, metrics and session state."""

from __future__ import annotations

import pytest

from ui.gpu_catalogue import default_rows, validate_rows

PAGE = "pages/sizing.py"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def in_order(at) -> list[tuple[str, str]]:
    """(element type, label or text) of the results in page order, to check placement."""
    out = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if child.type in ("metric", "warning", "info", "error", "success", "subheader"):
                out.append((child.type, str(getattr(child, "label", None) or child.value)))
            walk(child)

    walk(at.main)
    return out


def test_defaults_show_case_study_as_a_fine_tune(app_test):
    at = app_test(PAGE)
    # seed 002 case study: "fine-tune a 7B parameter open-source foundation model" on 2B tokens,
    # 8 A100 for two weeks → compute-optimal waste does not apply; the data says don't pretrain
    assert not at.error
    assert at.info[0].value.startswith("Fine-tuning an existing 7B model")
    assert any("hierarchy" in i.value for i in at.info)
    got = metrics(at)
    assert got["Usable data (tokens)"] == "2B"
    # Besiroglu 2024: the size for which 2B tokens is optimal (tests/test_sizing.py)
    assert got["From scratch, data supports (params)"] == "77.7M"
    assert got["Compute budget (FLOP)"] == "1.21e21"  # 8 × 336 h × 3600 × 312e12 × 0.4
    assert got["Full fine-tune compute (FLOP)"] == "8.4e19"  # 6 × 7e9 × 2e9
    assert got["Full fine-tune cost (USD)"] == "$335"  # 186.97 A100-hours × $1.79
    assert got["Compute-optimal waste"] == "n/a"
    assert "Compute wasted (%)" not in got
    assert any("does not apply to a fine-tune" in i.value for i in at.info)
    links = at.get("page_link")
    assert links
    assert "Fine-tuning cost page" in links[0].proto.label
    what_if = at.session_state["scenario"].sizing.model_dump(mode="json")
    assert what_if["proposal_params"] == 7e9
    assert what_if["purpose"] == "finetune"
    assert what_if["gpu_name"] == "A100 80GB"
    assert any("disagree" in w.value for w in at.warning)  # fit-disagreement callout
    assert len(at.get("arrow_vega_lite_chart")) >= 1 or len(at.get("vega_lite_chart")) >= 1


def test_case_study_from_scratch_shows_the_feasible_comparison(app_test):
    at = app_test(PAGE)
    at.radio(key="w.sizing.purpose").set_value("pretrain").run()
    assert not at.exception
    got = metrics(at)
    # tests/test_sizing.py: the equal-loss optimum needs 8.29B tokens > 2B usable → 0 % wasted
    assert got["Compute wasted (%)"] == "0%"
    assert got["Money wasted (USD)"] == "$0.00"
    assert got["Same result, cheapest (USD)"] == "$335"  # the proposal itself
    assert got["Data-optimal model (params)"] == "77.7M"
    assert got["Its loss (nats/token)"] == "3.51"
    assert got["Your model's loss (nats/token)"] == "2.82"
    assert got["Extra cost of your model (USD)"] == "$331"
    assert at.info[0].value.startswith("Limited by data")
    assert at.session_state["scenario"].sizing.purpose == "pretrain"
    # every warning sits right under the figures it qualifies
    order = in_order(at)
    waste_at = order.index(("metric", "Same result, cheapest (USD)"))
    kind, text = order[waste_at + 1]
    assert kind == "warning"
    assert "not waste" in text
    assert "8.29B tokens" in text
    data_at = order.index(("metric", "Tokens per parameter"))
    assert order[data_at + 1][0] == "warning"
    assert "data, not compute, is the limit" in order[data_at + 1][1]
    assert any("0.69 lower (better)" in m.value for m in at.markdown)


def test_log_sliders_and_fit_drive_results(app_test):
    at = app_test(PAGE)
    at.radio(key="w.sizing.purpose").set_value("pretrain").run()
    at.selectbox(key="w.sizing.fit").set_value("rule20").run()
    at.select_slider(key="w.sizing.dataset_tokens").set_value(1e10).run()
    assert not at.exception
    # seed 002 table: 10B tokens → 500M parameters under the 20-token rule
    assert metrics(at)["Recommended (params)"] == "500M"
    at.slider(key="w.sizing.usable_fraction").set_value(0.5).run()
    assert metrics(at)["Usable data (tokens)"] == "5B"  # seed 002 step 1: noise halves the data
    assert at.session_state["scenario"].sizing.fit == "rule20"
    assert at.session_state["scenario"].sizing.usable_fraction == 0.5


def test_flop_budget_and_near_optimal_proposal(app_test):
    at = app_test(PAGE)
    at.radio(key="w.sizing.purpose").set_value("pretrain").run()
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
    assert at.session_state["scenario"].sizing.gpu_peak_tflops == 989


def test_edited_catalogue_is_used(app_test):
    at = app_test()
    rows = default_rows()
    rows[1]["usd_per_hour"] = 10.0  # A100 80GB repriced by the user
    at.session_state["gpu_catalogue"] = rows
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert at.session_state["scenario"].sizing.gpu_usd_per_hour == 10.0


def test_state_survives_page_switch(app_test):
    at = app_test(PAGE)
    at.select_slider(key="w.sizing.proposal_params").set_value(3e9).run()
    at.switch_page("pages/methodology.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.session_state["scenario"].sizing.proposal_params == 3e9


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


def test_rule20_waste_is_shown_as_an_upper_bound(app_test):
    at = app_test(PAGE)
    at.radio(key="w.sizing.purpose").set_value("pretrain").run()
    at.selectbox(key="w.sizing.fit").set_value("rule20").run()
    assert not at.exception
    # rule: 1 − (6 × 20 × (2e9/20)²)/(6 × 7e9 × 2e9) = 1 − 1/70 = 98.6 % — an upper bound
    assert metrics(at)["Compute wasted (%)"] == "≤ 99%"
    assert any(w.value.startswith("Upper bound") for w in at.warning)


def captions(at) -> list[str]:
    return [c.value.replace("\\$", "$") for c in at.caption]


def specs(at) -> list[dict]:
    import json

    return [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]


def chart_titles(at) -> list[str]:
    out = []
    for spec in specs(at):
        title = spec.get("title")
        out.append(title.get("text") if isinstance(title, dict) else str(title))
    return out


def test_headlines_carry_their_ranges_and_basis(app_test):
    # the case study's ranges: tests/test_sizing_ranges.py (MFU ×/÷ 1.3, price ×/÷ 1.25);
    # the fit range: 77.7M (Besiroglu 2024) – 100M (2e9 / 20, seed 002)
    at = app_test(PAGE)
    assert not at.exception
    got = captions(at)
    assert "77.7M–100M across the fits. Costs $3.71, likely $2.63–$5.25." in got
    assert "Likely $237–$473." in got  # under "Full fine-tune cost (USD)"
    assert "Likely 0.75–1.3 days." in got
    basis = next(c for c in got if c.startswith("How sure:"))
    assert "MFU ×/÷ 1.3" in basis
    assert "not a simulation" in basis
    assert "What moves the proposal's cost most" in chart_titles(at)
    assert metrics(at)["Full fine-tune cost (USD)"] == "$335"  # the metric itself stays short
    # the later-start chart draws the band (P10–P90 whiskers)
    later = next(s for s in specs(at) if "started later" in str(s.get("title")))
    assert any(layer["mark"]["type"] == "errorbar" for layer in later["layer"])


def test_inputs_marked_unsure_widen_the_ranges(app_test):
    at = app_test(PAGE)
    at.radio(key="w.sizing.purpose").set_value("pretrain").run()
    before = captions(at)
    at.multiselect(key="w.sizing.spreads.paths").set_value(["dataset_tokens"]).run()
    at.slider(key="w.sizing.spreads.size").set_value(50).run()
    assert not at.exception
    after = captions(at)
    assert after != before
    basis = next(c for c in after if c.startswith("How sure:"))
    assert "you gave dataset size (± spread)" in basis
    tornado = next(s for s in specs(at) if "What moves" in str(s.get("title")))
    assert "Dataset size" in json_dump(tornado)
    # a marked input the scenario stops using is dropped, not an error
    at.multiselect(key="w.sizing.spreads.paths").set_value(["hours", "dataset_tokens"]).run()
    at.radio(key="w.sizing.compute_mode").set_value("flops").run()
    assert not at.exception
    assert at.multiselect(key="w.sizing.spreads.paths").value == ["dataset_tokens"]


def test_waste_caption_shows_the_fit_range(app_test):
    at = app_test(PAGE)
    at.radio(key="w.sizing.purpose").set_value("pretrain").run()
    # rule: 1 − 1/70 = 98.6 % (an upper bound); Besiroglu 2024: 0 % on the 2B tokens
    assert "0%–99% across the fits (20-token rule: an upper bound)." in captions(at)


def json_dump(spec: dict) -> str:
    import json

    return json.dumps(spec)
