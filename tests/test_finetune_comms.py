"""Fine-tuning communication term: ZeRO / FSDP volumes, links, step time, warnings, properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator import finetune as ft
from calculator.finetune import FinetuneInputs
from calculator.hardware import Gpu, catalogue, get_gpu

PSI = 1e9
"""Ψ: 1 GB of bf16 weights and as many gradient bytes (the ZeRO paper counts elements)."""


def _states(psi: float = PSI) -> ft.ModelStates:
    return ft.ModelStates(
        weights=psi,
        gradients=psi,
        optimizer=6 * psi,
        adapter_weights=0,
        adapter_gradients=0,
        adapter_optimizer=0,
        layer_weights=0,
    )


# --- volumes (Rajbhandari et al. 2020 §7; ring all-reduce 2(n−1)/n) -------------------------


@pytest.mark.parametrize(
    ("sharding", "per_psi"),
    [
        ("none", 2.0),  # ZeRO §7.1: data-parallel all-reduce moves 2Ψ per GPU
        ("zero1", 2.0),  # §7.2.1: reduce-scatter + all-gather, "no additional communication"
        ("zero2", 2.0),  # §7.2.1: the same 2Ψ with one micro-batch per step
        ("zero3", 3.0),  # §7.2.2: 3Ψ, "1.5x" of the baseline
        ("fsdp", 3.0),  # Zhao et al. 2023 §3.2: FULL_SHARD = all-gather ×2 + reduce-scatter
    ],
)
@pytest.mark.parametrize("n", [2, 8, 64])
def test_zero_paper_volumes(sharding, per_psi, n):
    # ring collectives send (n−1)/n of the buffer per GPU (nccl-tests doc/PERFORMANCE.md)
    v = ft.comm_volume("full", _states(), sharding, n)
    assert v.bytes_per_step == pytest.approx(per_psi * PSI * (n - 1) / n)


def test_one_gpu_sends_nothing():
    assert ft.comm_volume("full", _states(), "zero3", 1).bytes_per_step == 0


def test_accumulation_multiplies_only_per_micro_batch_collectives():
    # DDP / ZeRO-1 reduce once per optimizer step; ZeRO-2 reduce-scatters gradients in every
    # micro-batch's backward; ZeRO-3 also re-gathers the weights for each micro-batch.
    f = 7 / 8
    vol = {
        z: ft.comm_volume("full", _states(), z, 8, accumulation=4).bytes_per_step
        for z in ("none", "zero1", "zero2", "zero3")
    }
    assert vol["none"] == pytest.approx(2 * f * PSI)
    assert vol["zero1"] == pytest.approx(2 * f * PSI)
    assert vol["zero2"] == pytest.approx(4 * f * PSI + f * PSI)
    assert vol["zero3"] == pytest.approx(4 * 3 * f * PSI)


def test_lora_reduces_adapters_but_zero3_gathers_the_frozen_base():
    # Llama-2-7B, r = 8 on q/v: 4,194,304 adapter parameters, fp32 gradients (PEFT upcasts):
    # DDP all-reduce = 2 × 7/8 × 4 B × 4,194,304 = 29.4 MB; ZeRO-3 adds the bf16 base all-gathered
    # twice: 2 × 7/8 × (2 × 6,738,415,616 + 4 × 4,194,304) + 7/8 × 4 × 4,194,304
    counts = ft.param_counts(ft.get_preset("Llama-2-7B").architecture)
    s = ft.model_states("lora", counts, 4_194_304, "bf16-mixed", "adamw")
    ddp = ft.comm_volume("lora", s, "none", 8).bytes_per_step
    assert ddp == pytest.approx(2 * 7 / 8 * 4 * 4_194_304)
    z3 = ft.comm_volume("lora", s, "zero3", 8)
    held = 2 * 6_738_415_616 + 4 * 4_194_304
    assert z3.bytes_per_step == pytest.approx(2 * 7 / 8 * held + 7 / 8 * 4 * 4_194_304)
    assert "frozen base" in z3.pattern


def test_qlora_gathers_packed_nf4_weights():
    # QLoRA's ZeRO-3 all-gather moves the 4.127-bit NF4 blocks (Dettmers et al. 2023 §3), so
    # far fewer bytes than LoRA's bf16 base
    counts = ft.param_counts(ft.get_preset("Llama-2-70B").architecture)
    lo = ft.model_states("lora", counts, 1000, "bf16-mixed", "adamw")
    q = ft.model_states("qlora", counts, 1000, "bf16-mixed", "adamw")
    v_lo = ft.comm_volume("lora", lo, "zero3", 8).bytes_per_step
    v_q = ft.comm_volume("qlora", q, "zero3", 8).bytes_per_step
    assert v_q / v_lo == pytest.approx(q.weights / lo.weights, rel=1e-3)
    assert v_q < 0.3 * v_lo


# --- links (datasheets) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gpu", "intra", "inter", "per_node"),
    [
        # NVIDIA A100 datasheet "NVLink 600 GB/s" (both directions) → 300 one way; DGX A100:
        # 8 × ConnectX-6 HDR 200 Gb/s = 8 × 25 = 200 GB/s per node
        ("A100 80GB", 300, 200, 8),
        # NVIDIA H100 datasheet "NVLink 900 GB/s" → 450; DGX H100: 8 × 400 Gb/s = 400 GB/s
        ("H100 80GB", 450, 400, 8),
        # PCI-SIG PCIe 4.0 x16: 16 GT/s × 16 × 128/130 ÷ 8 = 31.5 GB/s; 25 GbE = 3.125 GB/s
        ("RTX 4090 24GB", 16 * 16 * 128 / 130 / 8, 25 / 8, 8),
        # NVIDIA T4 datasheet "32 GB/s" interconnect (PCIe Gen3 x16, both directions) → 16
        ("T4 16GB", 16, 4, 4),
    ],
)
def test_catalogue_interconnect_from_datasheets(gpu, intra, inter, per_node):
    g = get_gpu(gpu)
    assert g.intra_node_gbps == pytest.approx(intra, rel=1e-3)
    assert g.inter_node_gbps == pytest.approx(inter)
    assert g.gpus_per_node == per_node


def test_every_catalogue_gpu_has_a_cited_interconnect():
    for g in catalogue():
        assert "datasheet" in g.interconnect_source or "specifications" in g.interconnect_source
        assert g.inter_node_gbps > 0
        assert (g.intra_node_gbps is None) == (g.gpus_per_node == 1)
    rtx = get_gpu("RTX 4090")
    assert "no NVLink" in rtx.intra_node_link
    assert "PCIe 4.0" in rtx.intra_node_link


def test_collective_link_inside_and_across_nodes():
    a100 = get_gpu("A100 80GB")
    assert a100.collective_link(1).gbps is None
    inside = a100.collective_link(8)
    assert (inside.gbps, inside.nodes, inside.crosses_nodes) == (300, 1, False)
    across = a100.collective_link(9)  # 9 GPUs: 2 nodes; min(300 NVLink, 200 InfiniBand)
    assert (across.gbps, across.nodes, across.crosses_nodes) == (200, 2, True)
    assert get_gpu("RTX 4090").collective_link(63).nodes == 8  # ⌈63 / 8⌉


def test_gpu_needs_intra_link_for_several_per_node():
    with pytest.raises(ValueError, match="bandwidth inside the node"):
        Gpu(
            name="x",
            vendor="v",
            memory_gb=1,
            peak_tflops={"bf16": 1},
            usd_per_hour=0,
            source="s",
            gpus_per_node=4,
            intra_node_gbps=None,
        )


def test_old_gpu_spec_without_interconnect_takes_the_shipped_values():
    # a what-if saved before the interconnect columns existed carries only memory/peak/price
    old = Gpu(
        name="A100 80GB",
        vendor="NVIDIA",
        memory_gb=80,
        peak_tflops={"bf16": 312},
        usd_per_hour=1.79,
        source="saved",
    )
    gpu = FinetuneInputs(gpu_spec=old).resolved_gpu()
    assert gpu.intra_node_gbps == 300
    assert gpu.inter_node_gbps == 200
    custom = Gpu(
        name="Lab GPU",
        vendor="x",
        memory_gb=48,
        peak_tflops={"bf16": 200},
        usd_per_hour=1,
        source="edited",
    )
    # unknown GPU: conservative defaults (PCIe 4.0 x16 inside, 10 GbE = 1.25 GB/s between)
    g = FinetuneInputs(gpu_spec=custom, gpu="Lab GPU").resolved_gpu()
    assert (g.intra_node_gbps, g.inter_node_gbps) == (31.5, 1.25)


def test_overrides_apply():
    i = FinetuneInputs(gpu="RTX 4090", intra_node_gbps=64, inter_node_gbps=50, gpus_per_node=4)
    g = i.resolved_gpu()
    assert (g.intra_node_gbps, g.inter_node_gbps, g.gpus_per_node) == (64, 50, 4)
    assert "overridden" in g.interconnect_source
    with pytest.raises(ft.InputError, match="bandwidth inside the node"):
        FinetuneInputs(gpu="DGX Spark", gpus_per_node=4).resolved_gpu()


# --- step time ---------------------------------------------------------------------------------


def test_step_seconds_between_max_and_sum():
    # φ = 1: perfect overlap (max); φ = 0: none (sum); ScaleRisk's φ = 0.5 halfway
    assert ft.step_seconds(10, 4, 1.0) == 10
    assert ft.step_seconds(10, 4, 0.0) == 14
    assert ft.step_seconds(4, 10, 0.5) == 12


# --- the user's case: 63 × RTX 4090, ZeRO-3 over PCIe / Ethernet, full fine-tune of 70B -------

L, H, I_MLP, KV, V, S = 80, 8192, 28672, 1024, 32000, 2048  # Llama-2-70B config.json
N_BLOCKS = L * (2 * H * H + 2 * H * KV + 3 * H * I_MLP)
N_MM = N_BLOCKS + V * H  # block linears + output layer (Kaplan 2020 N; input embedding a lookup)
FLOP_PER_TOKEN = 6 * N_MM + 12 * L * H * S + 2 * N_BLOCKS + 4 * L * H * S  # §3, with recompute
PARAMS = 68_976_648_192  # meta-llama/Llama-2-70b-hf safetensors metadata


def test_63_rtx_4090_full_70b_is_communication_bound():
    i = FinetuneInputs(model="Llama-2-70B", method="full", gpu="RTX 4090")
    r = ft.evaluate_method(i)
    assert r.gpus_needed == r.gpus_used == 63
    assert r.fits
    c = r.communication
    # independent calculation: ZeRO-3 moves 3 × (62/63) × 2 B × 68.98B = 407.3 GB per GPU per step
    volume = 3 * 62 / 63 * 2 * PARAMS
    assert c.bytes_per_step == pytest.approx(volume)
    # 8 nodes of 8 → bounded by one 25 GbE port per node (catalogue) at 0.7 efficiency: 2.19 GB/s
    t_m = volume / (0.7 * 25 / 8 * 1e9)
    t_c = S * FLOP_PER_TOKEN / (165e12 * 0.35)  # Ada whitepaper 165 TFLOP/s bf16 dense, MFU 0.35
    assert c.communication_s_per_step == pytest.approx(t_m)  # ≈ 186 s
    assert c.compute_s_per_step == pytest.approx(t_c)  # ≈ 20.2 s
    assert c.crosses_nodes
    assert c.nodes == 8
    steps = 1e8 / (63 * S)  # 775 optimizer steps of 129,024 tokens
    wall = steps * (t_m + 0.5 * t_c) / 3600  # t_m > t_c: max + (1 − 0.5) × min
    assert r.wall_hours == pytest.approx(wall)  # ≈ 42.3 h
    assert r.compute_hours == pytest.approx(steps * t_c / 3600)  # ≈ 4.4 h
    assert r.wall_hours > 9 * r.compute_hours
    assert r.cost_usd == pytest.approx(wall * 63 * 0.45)  # catalogue $0.45/GPU-hour
    assert c.bound
    assert c.comm_to_compute > 9
    warning = r.communication_warning
    assert warning is not None
    assert warning in r.warnings
    assert "communication-bound" in warning
    assert "25 Gb/s Ethernet between 8 nodes" in warning
    assert "63 is the fewest RTX 4090 24GB" in warning  # the recommendation says so
    assert "NVLink" in warning
    assert "LoRA" in warning


def test_comparison_exposes_the_warning_per_method():
    c = ft.compare_methods(FinetuneInputs(model="Llama-2-70B", method="full", gpu="RTX 4090"))
    full = c.warnings_by_method["Full fine-tuning"]
    assert any("communication-bound" in w for w in full)
    assert set(full) <= set(c.warnings)
    figs = dict(ft.key_figures(c))
    assert "25 Gb/s Ethernet between 8 nodes" in figs["Interconnect (Full fine-tuning)"]
    assert "90% of wall time" in figs["Communication time (Full fine-tuning)"]


def test_8_a100_nvlink_is_not_communication_bound():
    # 70B full on 8 × A100 80GB (one NVLink node; it does not fit, but the link is what we test):
    # V = 3 × 7/8 × 137.95 GB = 362 GB at 0.7 × 300 GB/s = 1.72 s vs 2,048 × FLOP/token ÷
    # (312e12 × 0.35) = 10.7 s of compute
    r = ft.evaluate_method(
        FinetuneInputs(model="Llama-2-70B", method="full", gpu="A100 80GB", num_gpus=8)
    )
    c = r.communication
    assert not c.crosses_nodes
    assert c.link == "NVLink 3 via NVSwitch"
    assert c.communication_s_per_step == pytest.approx(3 * 7 / 8 * 2 * PARAMS / 210e9)
    assert c.compute_s_per_step == pytest.approx(S * FLOP_PER_TOKEN / (312e12 * 0.35))
    assert c.comm_to_compute == pytest.approx(0.161, abs=0.001)
    assert not c.bound
    assert r.communication_warning is None
    assert not any("communication" in w.lower() for w in r.warnings)


def test_fewest_a100s_for_70b_cross_infiniband_and_stay_compute_bound():
    # 15 A100 80GB = 2 nodes; min(300 NVLink, 200 InfiniBand per node) × 0.7 = 140 GB/s
    r = ft.evaluate_method(FinetuneInputs(model="Llama-2-70B", method="full", gpu="A100 80GB"))
    assert r.gpus_used == 15
    assert r.communication.crosses_nodes
    assert r.communication.effective_gbps == pytest.approx(140)
    assert r.communication.comm_to_compute == pytest.approx(0.258, abs=0.001)
    rtx = ft.evaluate_method(FinetuneInputs(model="Llama-2-70B", method="full", gpu="RTX 4090"))
    assert r.wall_hours < rtx.wall_hours / 3
    assert r.cost_usd < rtx.cost_usd / 3


def test_seed_002_cases():
    # seed 002 case study: full on 8 × A100 (NVLink): 3 × 7/8 × 13.48 GB = 35.4 GB → 0.17 s vs
    # 4.27 s of compute; LoRA on 1 × A100: nothing to exchange
    full = ft.evaluate_method(ft.case_study_inputs(num_gpus=8), "full")
    assert full.communication.bytes_per_step == pytest.approx(3 * 7 / 8 * 2 * 6_738_415_616)
    assert full.communication.comm_to_compute == pytest.approx(0.0395, abs=0.0005)
    assert full.wall_hours / full.compute_hours == pytest.approx(1.02, abs=0.005)
    lora = ft.evaluate_method(ft.case_study_inputs(), "lora")
    assert lora.gpus_used == 1
    assert lora.wall_hours == lora.compute_hours


def test_moderate_communication_gets_a_note():
    # Llama-2-7B full on 5 RTX 4090 in one PCIe node: 32.3 GB per step at 22 GB/s ≈ 1.5 s vs
    # ≈ 2.0 s of compute → not bound, but waiting adds ≥ 25 %
    r = ft.evaluate_method(FinetuneInputs(model="Llama-2-7B", method="full", gpu="RTX 4090"))
    assert not r.communication.bound
    assert r.communication_warning is not None
    assert "longer than its compute" in r.communication_warning


def test_faster_network_shrinks_the_wall_time():
    base = FinetuneInputs(model="Llama-2-70B", method="full", gpu="RTX 4090")
    slow = ft.evaluate_method(base)
    fast = ft.evaluate_method(base.model_copy(update={"inter_node_gbps": 12.5}))  # 100 GbE
    # independent: t_m = 407.3 GB / (0.7 × 12.5 GB/s) = 46.5 s, still 2.3 × the 20.2 s compute
    assert fast.communication.communication_s_per_step == pytest.approx(46.5, abs=0.1)
    assert fast.communication.bound
    assert fast.wall_hours < slow.wall_hours


# --- properties --------------------------------------------------------------------------------

inputs_strategy = st.builds(
    FinetuneInputs,
    model=st.sampled_from(["Llama-2-7B", "Llama-3-8B", "Qwen2.5-7B", "Llama-2-70B"]),
    method=st.sampled_from(ft.METHODS),
    sharding=st.sampled_from(["none", "zero1", "zero2", "zero3", "fsdp"]),
    num_gpus=st.integers(0, 512),
    micro_batch=st.integers(1, 16),
    seq_len=st.sampled_from([512, 2048, 8192]),
    gradient_accumulation=st.integers(1, 64),
    gpu=st.sampled_from([g.name for g in catalogue()]),
    bandwidth_efficiency=st.floats(0.05, 1.0),
    comm_overlap=st.floats(0.0, 1.0),
    dataset_tokens=st.floats(1e6, 1e12),
)


@given(inputs=inputs_strategy)
def test_communication_time_is_finite_and_non_negative(inputs):
    for m in ft.METHODS:
        r = ft.evaluate_method(inputs, m)
        assert math.isfinite(r.communication_hours)
        assert r.communication_hours >= 0
        assert math.isfinite(r.wall_hours)
        assert r.wall_hours >= r.compute_hours  # never below the compute-only time
        assert r.exposed_communication_hours <= r.communication_hours * (1 + 1e-9) + 1e-12


@given(inputs=inputs_strategy, factor=st.floats(0.01, 1.0))
def test_slower_links_never_shorten_the_run(inputs, factor):
    gpu = inputs.resolved_gpu()
    intra = gpu.intra_node_gbps if gpu.intra_node_gbps is not None else 31.5
    fast = inputs.model_copy(
        update={"intra_node_gbps": intra, "inter_node_gbps": gpu.inter_node_gbps}
    )
    slow = inputs.model_copy(
        update={"intra_node_gbps": intra * factor, "inter_node_gbps": gpu.inter_node_gbps * factor}
    )
    for m in ft.METHODS:
        a, b = ft.evaluate_method(fast, m), ft.evaluate_method(slow, m)
        assert b.wall_hours >= a.wall_hours * (1 - 1e-12)
        assert b.compute_hours == pytest.approx(a.compute_hours)


@given(inputs=inputs_strategy, lower=st.floats(0.05, 1.0))
def test_lower_link_efficiency_never_shortens_the_run(inputs, lower):
    worse = inputs.model_copy(
        update={"bandwidth_efficiency": min(lower, inputs.bandwidth_efficiency)}
    )
    for m in ft.METHODS:
        assert ft.evaluate_method(worse, m).wall_hours >= ft.evaluate_method(
            inputs, m
        ).wall_hours * (1 - 1e-12)


@given(c=st.floats(0, 1e6), m=st.floats(0, 1e6), phi=st.floats(0, 1), more=st.floats(0, 1e6))
def test_step_time_bounds_and_monotone(c, m, phi, more):
    t = ft.step_seconds(c, m, phi)
    assert max(c, m) <= t <= c + m + 1e-9 * (c + m)
    assert ft.step_seconds(c, m + more, phi) >= t
