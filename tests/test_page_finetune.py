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
    assert at.session_state["scenario"].finetune.model == "Llama-2-7B"
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
    assert at.session_state["scenario"].finetune.method == "full"


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
    assert at.session_state["scenario"].finetune.dataset_tokens == 2e9
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
    assert not at.exception
    assert not at.error
    assert at.session_state["scenario"].finetune.architecture.kv_heads == 8


def test_nothing_fits_warning(app_test):
    at = app_test(PAGE)
    at.selectbox(key="w.finetune.model").set_value("Llama-3-70B").run()
    at.selectbox(key="w.finetune.sharding").set_value("none").run()
    at.selectbox(key="w.finetune.gpu").set_value("T4 16GB").run()
    assert not at.exception
    assert any(w.value.startswith("Nothing fits") for w in at.warning)
    assert metrics(at)["GPUs needed"] == "none fit"


def test_communication_bound_warning_beside_the_time(app_test):
    at = app_test(PAGE)
    at.radio(key="w.finetune.method").set_value("full").run()
    at.selectbox(key="w.finetune.model").set_value("Llama-2-70B").run()
    at.selectbox(key="w.finetune.gpu").set_value("RTX 4090 24GB").run()
    assert not at.exception
    got = metrics(at)
    # 63 × RTX 4090 over 25 GbE between 8 nodes: 42.3 h wall for 4.4 h of compute
    # (independent calculation in tests/test_finetune_comms.py)
    assert got["GPUs needed"] == "63"
    assert got["Compute time"] == "4.4 h"
    assert got["Wall time"] == "42.3 h"
    assert got["Communication time"] == "40.1 h"
    bound = [w.value for w in at.warning if "communication-bound" in w.value]
    assert len(bound) == 1  # shown once, beside the time figures
    captions = " ".join(c.value for c in at.caption)
    assert "25 Gb/s Ethernet between 8 nodes" in captions
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert "Wall time by method (hours)" in [c["title"]["text"] for c in charts]


def test_nvlink_a100_not_bound_and_sliders(app_test):
    at = app_test(PAGE)
    at.radio(key="w.finetune.method").set_value("full").run()
    assert not at.exception
    # Llama-2-7B full on 2 A100 80GB inside one NVLink node: communication is small
    assert not any("communication-bound" in w.value for w in at.warning)
    at.slider(key="w.finetune.bandwidth_efficiency").set_value(0.05).run()
    at.slider(key="w.finetune.comm_overlap").set_value(0.0).run()
    assert not at.exception
    what_if = at.session_state["scenario"].finetune.model_dump(mode="json")
    assert what_if["bandwidth_efficiency"] == 0.05
    assert what_if["comm_overlap"] == 0.0


def test_human_labels_only(app_test):
    at = app_test(PAGE)
    labels = [s.label for s in at.selectbox] + [r.label for r in at.radio]
    shown = " ".join(labels + [str(o) for s in at.selectbox for o in s.options])
    for internal in ("adamw", "bf16-mixed", "zero3", "Gpu", "gpus"):
        assert internal not in shown, internal
    assert "AdamW (fp32 states)" in shown
    assert "ZeRO-3" in shown
    assert "GPU" in shown


def test_catalogue_rows_from_an_older_session_keep_working(app_test):
    # rows kept before the interconnect columns existed: the shipped values fill them in
    from ui.gpu_catalogue import BASE_COLUMNS, default_rows

    at = app_test()
    at.session_state["gpu_catalogue"] = [{c: r[c] for c in BASE_COLUMNS} for r in default_rows()]
    at.switch_page(PAGE).run()
    assert not at.exception
    at.selectbox(key="w.finetune.gpu").set_value("RTX 4090 24GB").run()
    assert not at.exception
    spec = at.session_state["scenario"].finetune.gpu_spec
    assert spec.inter_node_gbps == 3.125
    assert spec.gpus_per_node == 8


# --- ranges (issue 12) ----------------------------------------------------------------------


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_likely_ranges_tornado_and_basis(app_test):
    from calculator import finetune as ft

    at = app_test(PAGE)
    u = ft.finetune_uncertainty(ft.FinetuneInputs())  # the page's defaults, same seed
    text = captions(at)
    h = u.selected.wall_hours
    # a short metric value, the range in the caption under it
    assert metrics(at)["Wall time"] == "11.1 h"
    assert f"likely {h.p10:,.1f}–{h.p90:,.1f} h (P10–P90)" in text
    assert "GPU·h (P10–P90)" in text
    assert "likely \\$" in text  # the cost range, its dollars escaped for Markdown
    assert "How sure: from formulas only" in text
    assert "P10–P90 of 16,000 simulations (seed 2026)" in text
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    tornado = next(c for c in charts if c["title"]["text"] == "What moves the LoRA cost most")
    inputs = {row["input"] for row in tornado["layer"][0]["data"]["values"]}
    assert inputs == {"Utilization (MFU)", "GPU price"}  # one GPU: nothing else moves it
    # memory and GPUs do not move without a spread on a memory input: no range under them
    assert "GB (P10–P90)" not in text


def test_marking_inputs_uncertain(app_test):
    at = app_test(PAGE)
    at.multiselect(key="w.finetune.spreads.paths").set_value(["seq_len", "dataset_tokens"]).run()
    assert not at.exception
    text = captions(at)
    assert "GB (P10–P90)" in text  # sequence length moves the activations
    assert "sequence length (± spread)" in text
    assert "dataset size (± spread)" in text
    at.slider(key="w.finetune.spreads.size").set_value(60).run()
    assert not at.exception
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    tornado = next(c for c in charts if c["title"]["text"] == "What moves the LoRA cost most")
    assert "Dataset size" in {row["input"] for row in tornado["layer"][0]["data"]["values"]}
    # the likely table by method, in the "Time and cost" tab
    frames = [df.value for df in at.dataframe]
    likely = next(f for f in frames if "Cost" in f.columns and "Wall time" in f.columns
                  and "Fits" not in f.columns)  # fmt: skip
    assert list(likely["Method"]) == ["Full fine-tuning", "LoRA", "QLoRA"]
    assert all(v.startswith("$") for v in likely["Cost"])
