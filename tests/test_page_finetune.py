"""AppTest of the fine-tuning page: inputs → metrics, warnings, session contract, errors."""

from __future__ import annotations

import json

PAGE = "pages/finetune.py"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_default_render_and_what_if(app_test):
    at = app_test(PAGE)
    got = metrics(at)
    # PEFT default r=8 on q/v of Llama-2-7B
    assert got["Trainable parameters"] == "4,194,304"
    assert got["GPUs needed"] == "1"
    assert at.session_state["what_if"]["finetune"]["model"] == "Llama-2-7B"
    assert any("QLoRA is slower" in w.value for w in at.warning)
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [c["title"]["text"] for c in charts]
    assert "Memory per GPU by component (Llama-2-7B)" in titles
    assert "Training cost by method (USD)" in titles


def test_full_fine_tuning_changes_results(app_test):
    at = app_test(PAGE)
    at.radio(key="w.finetune.method").set_value("full").run()
    assert not at.exception
    got = metrics(at)
    assert got["Trainable parameters"] == "6,738,415,616"  # every parameter
    assert got["GPUs needed"] == "2"  # 16 B/param × 6.74B ≈ 100 GB > 80 GB, ZeRO-3 over 2
    assert at.session_state["what_if"]["finetune"]["method"] == "full"


def test_rank_and_targets(app_test):
    at = app_test(PAGE)
    at.selectbox(key="w.finetune.model").set_value("Llama-3-8B").run()
    at.number_input(key="w.finetune.rank").set_value(16).run()
    at.multiselect(key="w.finetune.targets").set_value(["all-linear"]).run()
    assert not at.exception
    # PEFT, Llama-3-8B r=16 all-linear: 41,943,040 trainable
    assert metrics(at)["Trainable parameters"] == "41,943,040"


def test_case_study_button(app_test):
    at = app_test(PAGE)
    at.button(key="finetune.load_case").click().run()
    assert not at.exception
    assert at.session_state["what_if"]["finetune"]["dataset_tokens"] == 2e9
    text = " ".join(str(m.value) for m in at.markdown)
    assert "$55.80" in text  # seed 002: $150,000 / 2,688 GPU-hours


def test_custom_architecture_error_keeps_state(app_test):
    at = app_test(PAGE)
    at.selectbox(key="w.finetune.model").set_value("custom").run()
    assert not at.exception
    at.number_input(key="w.finetune.arch.kv_heads").set_value(5).run()
    assert not at.exception
    assert any("multiple of key/value heads" in e.value for e in at.error)
    at.number_input(key="w.finetune.arch.kv_heads").set_value(8).run()
    assert not at.exception and not at.error
    assert at.session_state["what_if"]["finetune"]["architecture"]["kv_heads"] == 8


def test_nothing_fits_warning(app_test):
    at = app_test(PAGE)
    at.selectbox(key="w.finetune.model").set_value("Llama-3-70B").run()
    at.selectbox(key="w.finetune.sharding").set_value("none").run()
    at.selectbox(key="w.finetune.gpu").set_value("T4 16GB").run()
    assert not at.exception
    assert any(w.value.startswith("Nothing fits") for w in at.warning)
    assert metrics(at)["GPUs needed"] == "none fit"
