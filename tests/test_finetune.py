"""Fine-tuning what-if: parameter counts, LoRA counts, memory, FLOPs, time, case study."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from calculator import finetune as ft
from calculator.finetune import Architecture, FinetuneInputs

# --- parameter counts ------------------------------------------------------------------

PUBLISHED = [
    # Exact counts from each checkpoint's safetensors metadata on its Hugging Face model page
    # (config.json gives the architecture); Llama-2 paper Table 1 rounds them to 7B/13B/70B.
    ("Llama-2-7B", 6_738_415_616),  # meta-llama/Llama-2-7b-hf
    ("Llama-2-13B", 13_015_864_320),  # meta-llama/Llama-2-13b-hf
    ("Llama-2-70B", 68_976_648_192),  # meta-llama/Llama-2-70b-hf
    ("Llama-3-8B", 8_030_261_248),  # meta-llama/Meta-Llama-3-8B
    ("Llama-3-70B", 70_553_706_496),  # meta-llama/Meta-Llama-3-70B
    ("Mistral-7B-v0.1", 7_241_732_096),  # mistralai/Mistral-7B-v0.1
    ("Qwen2.5-7B", 7_615_616_512),  # Qwen/Qwen2.5-7B (model card: 7.61B, q/k/v biases)
    ("Seed-002-7B", 6_738_415_616),  # seed 002 case study, taken as Llama-2-7B
]


@pytest.mark.parametrize(("name", "published"), PUBLISHED)
def test_preset_parameter_count_equals_published(name, published):
    preset = ft.get_preset(name)
    assert ft.param_counts(preset.architecture).total == published
    assert preset.published_params == published


def test_llama2_7b_count_by_hand():
    # independent calculation: 32 × (4·4096² + 3·4096·11008 + 2·4096) + 2·32000·4096 + 4096
    expected = 32 * (4 * 4096**2 + 3 * 4096 * 11008 + 2 * 4096) + 2 * 32000 * 4096 + 4096
    assert expected == 6_738_415_616
    assert ft.param_counts(ft.get_preset("Llama-2-7B").architecture).total == expected


def test_tied_embeddings_drop_one_table():
    # independent calculation: tying removes the V×h output matrix
    arch = ft.get_preset("Llama-3-8B").architecture
    tied = arch.model_copy(update={"tied_embeddings": True})
    assert ft.param_counts(arch).total - ft.param_counts(tied).total == 128256 * 4096


@pytest.mark.parametrize("name", ["Llama-2-7B", "Llama-3-8B", "Qwen2.5-7B"])
def test_counts_match_transformers_modules(name):
    """Oracle: the Hugging Face implementation itself, instantiated without memory (meta device).

    Also derives LoRA counts the way PEFT builds adapters: for each targeted ``nn.Linear``,
    ``lora_A = Linear(in_features, r, bias=False)`` and ``lora_B = Linear(r, out_features,
    bias=False)`` (peft/tuners/lora/layer.py ``update_layer``).
    """
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    a = ft.get_preset(name).architecture
    common = dict(
        hidden_size=a.hidden,
        intermediate_size=a.intermediate,
        num_hidden_layers=a.layers,
        num_attention_heads=a.heads,
        num_key_value_heads=a.kv_heads,
        vocab_size=a.vocab,
        tie_word_embeddings=a.tied_embeddings,
    )
    config = (
        transformers.Qwen2Config(**common) if a.qkv_bias else transformers.LlamaConfig(**common)
    )
    with torch.device("meta"):
        model = transformers.AutoModelForCausalLM.from_config(config)
    assert sum(p.numel() for p in model.parameters()) == ft.param_counts(a).total
    for targets in (("q_proj", "v_proj"), ("all-linear",)):
        names = ft.expand_targets(a, targets)
        peft_like = sum(
            16 * (m.in_features + m.out_features)
            for full_name, m in model.named_modules()
            if isinstance(m, torch.nn.Linear) and full_name.rsplit(".", 1)[-1] in names
        )
        assert ft.lora_params(a, 16, targets) == peft_like


# --- LoRA trainable parameters -------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "rank", "targets", "expected"),
    [
        # PEFT print_trainable_parameters() for Llama-2-7b-hf, LoraConfig(r=8, q_proj/v_proj):
        # "trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.0622";
        # independent: 32 layers × 2 modules × 8 × (4096 + 4096) = 4,194,304
        ("Llama-2-7B", 8, ("q_proj", "v_proj"), 4_194_304),
        # Mistral-7B r=8 q/v: 32 × 8 × ((4096+4096) + (4096+1024)) = 3,407,872
        # (PEFT: "trainable params: 3,407,872 || all params: 7,245,139,968")
        ("Mistral-7B-v0.1", 8, ("q_proj", "v_proj"), 3_407_872),
        # Llama-3-8B r=16 all-linear: 32 × 16 × (2·8192 + 2·5120 + 3·18432) = 41,943,040
        # (PEFT: "trainable params: 41,943,040 || all params: 8,072,204,288 || trainable%: 0.5196")
        ("Llama-3-8B", 16, ("all-linear",), 41_943_040),
        # Llama-2-7B r=64 all-linear: 32 × 64 × (4·8192 + 3·15104) = 159,907,840 (2.4 %)
        ("Llama-2-7B", 64, ("all-linear",), 159_907_840),
        # Qwen2.5-7B r=8 q/k/v/o (d_kv = 4 × 128 = 512):
        # 28 × 8 × (2·7168 + 2·(3584+512)) = 5,046,272
        ("Qwen2.5-7B", 8, ("q_proj", "k_proj", "v_proj", "o_proj"), 5_046_272),
    ],
)
def test_lora_params_equal_peft(model, rank, targets, expected):
    assert ft.lora_params(ft.get_preset(model).architecture, rank, targets) == expected


def test_seed_002_lora_range_is_far_too_high():
    # seed 002 table: LoRA on a 7B model trains "70-700 million (1-10 %)"; the real default
    # is 0.06 %
    r = ft.evaluate_method(FinetuneInputs(model="Llama-2-7B", method="lora", rank=8))
    assert r.trainable_params < 70e6 / 10
    assert r.trainable_share == pytest.approx(4_194_304 / 6_738_415_616)


archs = st.builds(
    Architecture,
    layers=st.integers(1, 96),
    hidden=st.sampled_from([256, 512, 1024, 2048, 4096, 8192]),
    intermediate=st.integers(64, 32768),
    heads=st.sampled_from([8, 16, 32, 64]),
    kv_heads=st.sampled_from([1, 2, 4, 8]),
    vocab=st.integers(100, 200_000),
    tied_embeddings=st.booleans(),
    gated_mlp=st.booleans(),
    qkv_bias=st.booleans(),
)
target_sets = st.sampled_from(
    [("q_proj", "v_proj"), ("all-linear",), ("o_proj", "down_proj"), ("k_proj",)]
)


@given(arch=archs, rank=st.integers(1, 512), targets=target_sets)
def test_trainable_params_linear_in_rank(arch, rank, targets):
    # LoRA adds r·(d_in + d_out) per module: exactly proportional to r
    assert ft.lora_params(arch, rank, targets) == rank * ft.lora_params(arch, 1, targets)


def test_unknown_target_is_a_clear_error():
    plain = Architecture(gated_mlp=False)
    with pytest.raises(ft.InputError, match="gate_proj"):
        ft.lora_params(plain, 8, ("gate_proj",))


# --- memory ------------------------------------------------------------------------------


def test_mixed_precision_adamw_is_16_bytes_per_param():
    # EleutherAI "Transformer Math 101": 2 (weights) + 2 (gradients) + 4 (master) + 4 + 4 (Adam)
    assert ft.bytes_per_param_full("bf16-mixed", "adamw") == 16
    assert ft.bytes_per_param_full("fp32", "adamw") == 16  # 4 + 4 + 8
    counts = ft.param_counts(ft.get_preset("Llama-2-7B").architecture)
    s = ft.model_states("full", counts, counts.total, "bf16-mixed", "adamw")
    assert s.weights + s.gradients + s.optimizer == 16 * 6_738_415_616


@pytest.mark.parametrize(
    ("optimizer", "expected"),
    [
        ("adamw-8bit", 2 + 2 + 4 + 2),  # Transformer Math 101: 8-bit optimizer = 4 master + 2
        ("sgd-momentum", 2 + 2 + 4 + 4),  # Transformer Math 101: SGD = 4 master + 4 momentum
    ],
)
def test_other_optimizers_bytes(optimizer, expected):
    assert ft.bytes_per_param_full("bf16-mixed", optimizer) == expected


def test_nf4_double_quant_bits():
    # Dettmers et al. 2023 §3: 4 bits + 8/64 + 32/(64·256) = 4.127 bits per parameter
    assert ft.NF4_BITS_PER_PARAM == pytest.approx(4 + 0.127, abs=1e-3)


def test_qlora_weights_by_hand():
    # Llama-2-7B: 6,476,005,376 block linear weights at 4.127/8 bytes + the rest
    # (embeddings 2 × 131,072,000, norms 266,240) at 2 bytes
    counts = ft.param_counts(ft.get_preset("Llama-2-7B").architecture)
    assert counts.block_linear == 32 * (4 * 4096**2 + 3 * 4096 * 11008)
    s = ft.model_states("qlora", counts, 0, "bf16-mixed", "adamw")
    expected = (
        counts.block_linear * (4 + 8 / 64 + 32 / (64 * 256)) / 8
        + (counts.total - counts.block_linear) * 2
    )
    assert s.weights == pytest.approx(expected)


@given(arch=archs, precision=st.sampled_from(["bf16-mixed", "fp16-mixed", "fp32"]))
def test_base_weight_memory_qlora_lt_lora_le_full(arch, precision):
    counts = ft.param_counts(arch)
    w = {m: ft.model_states(m, counts, 1000, precision, "adamw").weights for m in ft.METHODS}
    assert w["qlora"] < w["lora"] <= w["full"]


@given(
    arch=archs,
    method=st.sampled_from(ft.METHODS),
    sharding=st.sampled_from(["zero3", "fsdp", "zero2", "zero1"]),
    n=st.integers(1, 4096),
)
def test_more_gpus_never_need_more_memory_per_gpu(arch, method, sharding, n):
    counts = ft.param_counts(arch)
    trainable = counts.total if method == "full" else ft.lora_params(arch, 8, ("q_proj", "v_proj"))
    states = ft.model_states(method, counts, trainable, "bf16-mixed", "adamw")
    acts = ft.activation_bytes(arch, 1024, 1, checkpointing=True)
    now = ft.memory_per_gpu(states, acts, 1.0, sharding, n).total
    more = ft.memory_per_gpu(states, acts, 1.0, sharding, n + 1).total
    assert more <= now + 1e-9


def test_zero_stages_by_hand():
    # Rajbhandari et al. 2020 Fig. 1 (Ψ = 7.5B, N = 64, K = 12): DDP 16Ψ = 120 GB,
    # ZeRO-1 4Ψ + 12Ψ/N = 31.4 GB, ZeRO-2 2Ψ + 14Ψ/N = 16.6 GB, ZeRO-3 16Ψ/N = 1.9 GB.
    psi = 7.5e9
    s = ft.ModelStates(
        weights=2 * psi,
        gradients=2 * psi,
        optimizer=12 * psi,
        adapter_weights=0,
        adapter_gradients=0,
        adapter_optimizer=0,
        layer_weights=0,
    )
    per = {
        z: ft.memory_per_gpu(s, 0, 0, z, 64).total * ft.GIB / 1e9
        for z in ("none", "zero1", "zero2", "zero3")
    }
    assert per["none"] == pytest.approx(120)
    assert per["zero1"] == pytest.approx(31.4, abs=0.05)
    assert per["zero2"] == pytest.approx(16.6, abs=0.05)
    assert per["zero3"] == pytest.approx(1.875)


@pytest.mark.parametrize(
    ("s", "b", "h", "a"), [(2048, 1, 12288, 96), (512, 8, 1024, 16), (4096, 2, 4096, 32)]
)
def test_activation_formula_reduces_to_korthikanti(s, b, h, a):
    # Korthikanti et al. 2022 eq. (1): per-layer activations sbh(34 + 5as/h) for a GPT-3 block
    gpt = Architecture(
        layers=1, hidden=h, intermediate=4 * h, heads=a, kv_heads=a, vocab=100, gated_mlp=False
    )
    got = ft.layer_activation_bytes(gpt, s, b, flash_attention=False, dropout_masks=True)
    assert got == pytest.approx(s * b * h * (34 + 5 * a * s / h))


def test_activations_llama_block_by_hand():
    # Llama-2-7B block, fused attention: sbh(2+2+4+2) + sb(2h + 8I) + 4sbh + 4·sb·a (lse)
    s, b, h, i, a = 2048, 1, 4096, 11008, 32
    expected = s * b * h * 10 + s * b * (2 * h + 8 * i) + 4 * s * b * h + 4 * s * b * a
    arch = ft.get_preset("Llama-2-7B").architecture
    assert ft.layer_activation_bytes(arch, s, b) == expected


def test_checkpointing_and_gqa_cut_activations():
    arch = ft.get_preset("Llama-2-70B").architecture
    full = ft.activation_bytes(arch, 4096, 1, checkpointing=False)
    ckpt = ft.activation_bytes(arch, 4096, 1, checkpointing=True)
    assert ckpt < full / 5
    mha = arch.model_copy(update={"kv_heads": arch.heads})
    assert ft.layer_activation_bytes(arch, 4096, 1) < ft.layer_activation_bytes(mha, 4096, 1)


def test_min_gpus_is_the_smallest_that_fits():
    inputs = FinetuneInputs(model="Llama-2-70B", method="full", gpu="A100 80GB", sharding="zero3")
    r = ft.evaluate_method(inputs)
    assert r.gpus_needed is not None
    assert r.gpus_needed > 8
    below = ft.evaluate_method(inputs.model_copy(update={"num_gpus": r.gpus_needed - 1}))
    assert not below.fits
    assert r.fits
    assert r.memory.total <= 80


def test_no_sharding_full_70b_fits_nowhere():
    r = ft.evaluate_method(FinetuneInputs(model="Llama-2-70B", method="full", sharding="none"))
    assert r.gpus_needed is None
    assert not r.fits
    assert "does not fit on any number" in r.warnings[0]


# --- FLOPs, time, cost -------------------------------------------------------------------


def test_flops_by_hand():
    # independent: full = (6·N_mm + 12·L·d_q·s)·D, N_mm = block linears + output layer
    arch = ft.get_preset("Llama-2-7B").architecture
    c = ft.param_counts(arch)
    n_mm = 32 * (4 * 4096**2 + 3 * 4096 * 11008) + 32000 * 4096
    d, s = 1e9, 2048
    full = ft.training_flops("full", arch, c, c.total, s, d, checkpointing=False)
    assert full.total_model == pytest.approx((6 * n_mm + 12 * 32 * 4096 * s) * d)
    lora = ft.training_flops("lora", arch, c, 4_194_304, s, d, checkpointing=False)
    assert lora.total_model == pytest.approx((4 * n_mm + 12 * 32 * 4096 * s + 6 * 4_194_304) * d)
    # recomputation adds one forward of the blocks: ≈ +33 % for full fine-tuning
    ck = ft.training_flops("full", arch, c, c.total, s, d, checkpointing=True)
    assert ck.total_executed / ck.total_model == pytest.approx(4 / 3, abs=0.02)


def test_wall_time_cost_by_hand():
    inputs = FinetuneInputs(
        model="Llama-2-7B",
        method="lora",
        gpu="H100 80GB",
        num_gpus=2,
        dataset_tokens=5e8,
        epochs=2,
        mfu=0.4,
        gradient_checkpointing=False,
    )
    r = ft.evaluate_method(inputs)
    # independent: FLOPs ÷ (2 × 989e12 × 0.4) seconds of compute; price $2.99/GPU-h (catalogue)
    hours = r.flops.total_executed / (2 * 989e12 * 0.4) / 3600
    assert r.flops.tokens == 1e9
    assert r.compute_hours == pytest.approx(hours)
    # the wall time adds the ZeRO-3 all-gathers of the frozen base not hidden behind compute
    assert r.wall_hours == pytest.approx(hours + r.exposed_communication_hours)
    assert r.cost_usd == pytest.approx(r.wall_hours * 2 * 2.99)
    q = ft.evaluate_method(inputs.model_copy(update={"qlora_slowdown": 1.5}), "qlora")
    assert q.compute_hours == pytest.approx(1.5 * r.compute_hours)


def test_wall_time_is_compute_time_without_communication():
    # one GPU: nothing to exchange (ZeRO paper §7: collectives only between data-parallel ranks)
    r = ft.evaluate_method(FinetuneInputs(model="Llama-2-7B", method="lora", num_gpus=1))
    assert r.communication.bytes_per_step == 0
    assert r.communication_hours == 0
    assert r.wall_hours == r.compute_hours
    assert ft.fmt_communication(r) == "none (one GPU)"


def test_price_override_and_edited_gpu():
    base = FinetuneInputs(gpu="A100 80GB")
    assert ft.evaluate_method(
        base.model_copy(update={"usd_per_hour": 3.58})
    ).cost_usd == pytest.approx(2 * ft.evaluate_method(base).cost_usd)
    edited = ft.Gpu(
        name="Lab GPU",
        vendor="x",
        memory_gb=20,
        peak_tflops={"bf16": 100},
        usd_per_hour=1,
        source="edited",
    )
    r = ft.evaluate_method(base.model_copy(update={"gpu_spec": edited, "gpu": "Lab GPU"}))
    assert r.gpu_memory_gb == 20
    assert r.gpu_name == "Lab GPU"


# --- comparison, warnings, case study ----------------------------------------------------


def test_compare_methods_default():
    c = ft.compare_methods(FinetuneInputs())
    full, lora, qlora = (c.methods[m] for m in ft.METHODS)
    assert full.trainable_params == c.params.total == c.published_params
    assert qlora.memory.total < lora.memory.total < full.memory_single_gpu.total
    assert any("QLoRA is slower than LoRA" in w for w in c.warnings)
    assert c.case_study is None


def test_long_context_warns_activations_dominate():
    c = ft.compare_methods(
        FinetuneInputs(
            model="Llama-3-8B",
            method="qlora",
            seq_len=32768,
            gradient_checkpointing=False,
            gpu="H200",
        )
    )
    assert any("Activations are" in w for w in c.warnings)
    assert c.selected.activation_share > 0.5


def test_nothing_fits_warning():
    c = ft.compare_methods(FinetuneInputs(model="Llama-3-70B", gpu="T4", sharding="none"))
    assert not any(r.fits for r in c.methods.values())
    assert any(w.startswith("Nothing fits") for w in c.warnings)


def test_case_study_quotes_and_explanation():
    c = ft.compare_methods(ft.case_study_inputs())
    assert c.case_study is not None
    full, lora = c.case_study.rows
    # seed 002: $150,000 / (8 GPUs × 14 days × 24 h) = $55.80; $2,000 / (1 × 3 × 24) = $27.78
    assert full.quoted_usd_per_gpu_hour == pytest.approx(150_000 / 2688)
    assert lora.quoted_usd_per_gpu_hour == pytest.approx(2000 / 72)
    # computed with the quoted GPU counts; implied utilization = FLOPs / (GPUs × peak × days)
    assert full.computed_gpus == 8
    assert lora.computed_gpus == 1
    r = ft.evaluate_method(ft.case_study_inputs(num_gpus=8), "full")
    assert full.implied_mfu == pytest.approx(r.flops.total_executed / (8 * 312e12 * 14 * 86400))
    assert full.computed_usd < full.quoted_usd / 100
    assert any("$55.80" in line for line in c.case_study.explanation)


def test_key_figures():
    figs = dict(ft.key_figures(ft.compare_methods(FinetuneInputs(method="full"))))
    # every parameter is trained: 6,738,415,616 of 6,738,415,616 (published count)
    assert (
        figs["Trainable parameters (Full fine-tuning)"] == "6,738,415,616 (100% of 6,738,415,616)"
    )
    assert figs["Cost full / LoRA / QLoRA"].count("$") == 3
    # full fine-tuning of a 7B model needs 2 A100 80GB (16 B/param ≈ 100 GB) on one NVLink node
    assert figs["Interconnect (Full fine-tuning)"].startswith(
        "NVLink 3 via NVSwitch inside one node"
    )
    assert "of transfers" in figs["Communication time (Full fine-tuning)"]
    assert figs["Compute time (Full fine-tuning)"].endswith(" h")


def test_case_study_time_states_both_readings():
    # independent: 8.57e19 model FLOPs / (8 × 312e12 × 0.35) / 86,400 s = 1.14 days; with
    # checkpointing 1.14e20 executed → 1.51 days; LoRA on 1 A100 in 3 days: 8.74e19 /
    # (312e12 × 3 × 86,400) = 108 %, without recompute 5.93e19 / … = 73 %
    c = ft.compare_methods(ft.case_study_inputs())
    full, lora = c.case_study.rows
    assert full.computed_model_days == pytest.approx(1.136, abs=0.005)
    assert full.computed_compute_days == pytest.approx(1.507, abs=0.005)
    assert full.computed_compute_days < full.computed_days < 1.02 * full.computed_compute_days
    assert lora.implied_mfu == pytest.approx(1.081, abs=0.002)
    assert lora.implied_mfu_model == pytest.approx(0.734, abs=0.002)
    time = c.case_study.explanation[1]
    assert "1.1 days for the model FLOPs alone" in time
    assert "1.5 with gradient checkpointing" in time
    assert "108% utilization with gradient checkpointing" in time
    assert "73% without it" in time


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"model": "GPT-5"}, "unknown model"),
        ({"model": "custom"}, "needs an architecture"),
        (
            {"model": "custom", "architecture": {"heads": 32, "kv_heads": 5}},
            "multiple of key/value heads",
        ),
        ({"targets": []}, "at least one"),
        ({"mfu": 0}, "greater than or equal to 0.01"),
    ],
)
def test_invalid_inputs(data, message):
    with pytest.raises(ValidationError, match=message):
        FinetuneInputs.model_validate(data)


def test_custom_architecture_equals_preset():
    arch = ft.get_preset("Mistral-7B-v0.1").architecture
    c = ft.compare_methods(FinetuneInputs(model="custom", architecture=arch))
    assert c.params.total == 7_241_732_096
    assert c.published_params is None
    assert not math.isnan(c.selected.cost_usd)
