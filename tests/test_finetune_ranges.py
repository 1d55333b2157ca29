"""Fine-tuning ranges (issue 12): P10 / P50 / P90 of every headline, the tornado, the basis.

Oracles: the scalar formula itself (:func:`calculator.finetune.evaluate_method`, sample by
sample), closed forms of the log-normal inputs (hand calculations in the comments), and the
properties P10 ≤ P50 ≤ P90, collapse without spread, reproducibility and finiteness.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import finetune as ft
from calculator.finetune import FinetuneInputs
from calculator.uncertainty import Z90, draw, point

SEED_CASE = ft.case_study_inputs()  # Seed-002-7B LoRA, 2B tokens, one A100 80GB
COMM_BOUND = FinetuneInputs(model="Llama-2-70B", method="full", gpu="RTX 4090")  # 63 GPUs
CASES = {
    "seed-002-7b-lora": SEED_CASE,
    "llama-2-70b-full-rtx4090": COMM_BOUND,
    "default": FinetuneInputs(),
    "qlora-ddp-accum": FinetuneInputs(
        model="Llama-3-8B",
        method="qlora",
        sharding="none",
        gradient_accumulation=4,
        num_gpus=4,
        gpu="L4 24GB",
    ),
    "zero2-fp32-8bit": FinetuneInputs(
        model="Mistral-7B-v0.1",
        method="full",
        sharding="zero2",
        precision="fp32",
        optimizer="adamw-8bit",
        gpu="H100 80GB",
        gradient_checkpointing=False,
        flash_attention=False,
        seq_len=1024,
    ),
    "across-nodes-price": FinetuneInputs(
        model="Llama-3-70B", method="full", gpu="A100 40GB", usd_per_hour=2.5, num_gpus=24
    ),
}
HEADLINES = ("wall_hours", "gpu_hours", "cost_usd", "memory_gb", "gpus_needed", "gpus_used")
# every numeric input the formula reads; whole-number ones are rounded when drawn
SPREAD_ALL = {
    "dataset_tokens": 0.5,
    "epochs": 0.3,
    "seq_len": 0.4,
    "micro_batch": 0.5,
    "rank": 0.5,
    "gradient_accumulation": 0.5,
    "overhead_gb": 0.8,
    "inter_node_gbps": 0.3,
    "intra_node_gbps": 0.3,
}


def scalar(r: ft.MethodResult) -> dict[str, float]:
    """The scalar result's headlines, as :func:`ft.method_samples` names them."""
    return {
        "wall_hours": r.wall_hours,
        "gpu_hours": r.gpu_hours,
        "cost_usd": r.cost_usd,
        "memory_gb": r.memory.total,
        "gpus_needed": math.nan if r.gpus_needed is None else float(r.gpus_needed),
        "gpus_used": float(r.gpus_used),
    }


# --- the vectorised formula is the scalar one ---------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("method", ft.METHODS)
def test_samples_at_the_point_equal_evaluate_method(name, method):
    # oracle: evaluate_method on the same inputs; same operations in the same order → equal
    inputs = CASES[name]
    unc = ft.uncertain_inputs(inputs, SPREAD_ALL)
    got = ft.method_samples(inputs, method, point(unc))
    want = scalar(ft.evaluate_method(inputs, method))
    for key in HEADLINES:
        assert got[key][0] == pytest.approx(want[key], rel=1e-12, nan_ok=True), key


@pytest.mark.parametrize("name", list(CASES))
def test_point_values_are_the_formula_exactly(name):
    inputs = CASES[name]
    u = ft.finetune_uncertainty(inputs, n=200)
    for m in ft.METHODS:
        r = ft.evaluate_method(inputs, m)
        ranges = u.methods[m]
        assert ranges.wall_hours.point == r.wall_hours
        assert ranges.gpu_hours.point == r.gpu_hours
        assert ranges.cost_usd.point == r.cost_usd
        assert ranges.memory_gb.point == r.memory.total
        assert ranges.gpus_used.point == r.gpus_used
        assert (ranges.gpus_needed is None) == (r.gpus_needed is None)


@pytest.mark.parametrize("name", list(CASES))
def test_scalar_loop_oracle_on_drawn_samples(name):
    """Oracle: evaluate_method on ``inputs.model_copy(update=sample)`` for 20 drawn samples."""
    inputs = CASES[name]
    unc = ft.uncertain_inputs(inputs, SPREAD_ALL)
    values = draw(unc, 20, seed=7)
    for method in ft.METHODS:
        got = ft.method_samples(inputs, method, values)
        for j in range(20):
            update = {
                k: int(round(v[j])) if k in ft.INTEGER_PATHS else float(v[j])
                for k, v in values.items()
            }
            want = scalar(ft.evaluate_method(inputs.model_copy(update=update), method))
            for key in HEADLINES:
                assert got[key][j] == pytest.approx(want[key], rel=1e-12, nan_ok=True), (
                    method,
                    j,
                    key,
                )


def test_samples_move_the_gpu_count_across_its_boundary():
    # the seed case without checkpointing: a micro-batch keeps 9.7 GB of activations, so full
    # fine-tuning needs 2, 3, 3, 4, 5 A100s at micro-batch 2…6 (evaluate_method); a ±50 %
    # spread around 4 crosses those counts, each checked against the scalar search
    inputs = ft.case_study_inputs(gradient_checkpointing=False)
    values = draw(ft.uncertain_inputs(inputs, {"micro_batch": 0.5}), 400, seed=1)
    got = ft.method_samples(inputs, "full", values)["gpus_needed"]
    assert set(got.tolist()) == {2.0, 3.0, 4.0, 5.0}
    for mb, gpus in ((2, 2), (3, 3), (4, 3), (5, 4), (6, 5)):
        assert set(got[np.rint(values["micro_batch"]) == mb].tolist()) <= {float(gpus)}


# --- ranges: order, collapse, presets, reproducibility -------------------------------------


def all_ranges(u: ft.FinetuneUncertainty):
    for m in u.methods.values():
        for key in ("wall_hours", "gpu_hours", "cost_usd", "memory_gb", "gpus_used"):
            yield getattr(m, key)
        if m.gpus_needed is not None:
            yield m.gpus_needed


@pytest.mark.parametrize("name", list(CASES))
def test_p10_le_p50_le_p90(name):
    u = ft.finetune_uncertainty(CASES[name], SPREAD_ALL, n=1000)
    for r in all_ranges(u):
        assert r.p10 <= r.p50 <= r.p90


@pytest.mark.parametrize("name", ["seed-002-7b-lora", "llama-2-70b-full-rtx4090"])
def test_point_inside_p10_p90_on_the_presets(name):
    u = ft.finetune_uncertainty(CASES[name])
    for key in ("wall_hours", "gpu_hours", "cost_usd"):
        r = getattr(u.selected, key)
        assert r.p10 <= r.point <= r.p90, key


def test_seed_case_figures():
    # Seed-002-7B LoRA: 8.74e19 FLOP / (312e12 × 0.35) = 222.4 h on one A100 (test_finetune);
    # hours ∝ 1/MFU alone (one GPU, nothing to communicate), MFU log-normal ×/÷ 1.3, so
    # P10 ≈ 222.4 / 1.3 = 171 h and P90 ≈ 222.4 × 1.3 = 289 h (sampling: ±2 %)
    h = ft.finetune_uncertainty(SEED_CASE).selected.wall_hours
    assert h.point == pytest.approx(222.37, abs=0.01)
    assert h.p10 == pytest.approx(222.37 / 1.3, rel=0.03)
    assert h.p90 == pytest.approx(222.37 * 1.3, rel=0.03)
    assert h.p50 == pytest.approx(222.37, rel=0.02)


def test_cost_is_lognormal_with_both_factors():
    # independent: cost = hours × price, both log-normal and independent, so the cost is
    # log-normal with σ = √(σ_MFU² + σ_price²), σ = ln(factor) / z90; P90 ÷ median =
    # exp(√(ln²1.3 + ln²1.25)) = 1.411
    c = ft.finetune_uncertainty(FinetuneInputs()).selected.cost_usd
    ratio = math.exp(math.hypot(math.log(1.3), math.log(1.25)))
    assert ratio == pytest.approx(1.411, abs=1e-3)
    assert c.p90 / c.p50 == pytest.approx(ratio, rel=0.03)
    assert c.p50 / c.p10 == pytest.approx(ratio, rel=0.03)
    assert Z90 == pytest.approx(1.2816, abs=1e-4)


def test_zero_spreads_collapse_every_range_to_its_point():
    known = {
        k: 0.0
        for k in ("mfu", "usd_per_hour", "bandwidth_efficiency", "comm_overlap", "qlora_slowdown")
    }
    for inputs in (SEED_CASE, COMM_BOUND):
        u = ft.finetune_uncertainty(inputs, known, n=300)
        assert u.inputs == ()
        assert u.tornado == ()
        for r in all_ranges(u):
            assert r.p10 == r.p50 == r.p90 == r.point


def test_memory_is_fixed_unless_a_memory_input_is_spread():
    u = ft.finetune_uncertainty(SEED_CASE, n=500)
    assert not u.memory_moves
    for m in u.methods.values():
        assert m.memory_gb.p10 == m.memory_gb.p90 == m.memory_gb.point
        assert m.gpus_needed is not None
        assert m.gpus_needed.p10 == m.gpus_needed.p90 == m.gpus_needed.point
    assert "memory_gb" not in ft.range_texts(u)
    spread = ft.finetune_uncertainty(SEED_CASE, {"seq_len": 0.5, "micro_batch": 0.5}, n=500)
    assert spread.memory_moves
    mem = spread.selected.memory_gb
    assert mem.p10 < mem.p90
    assert mem.p10 <= mem.point <= mem.p90
    assert "memory_gb" in ft.range_texts(spread)
    # GPUs needed are whole counts as drawn (no interpolation)
    g = spread.methods["full"].gpus_needed
    assert g is not None
    assert all(float(x).is_integer() for x in (g.p10, g.p50, g.p90))


def test_reproducible_for_a_fixed_seed():
    a = ft.finetune_uncertainty(COMM_BOUND, {"dataset_tokens": 0.3}, n=800, seed=11)
    b = ft.finetune_uncertainty(COMM_BOUND, {"dataset_tokens": 0.3}, n=800, seed=11)
    c = ft.finetune_uncertainty(COMM_BOUND, {"dataset_tokens": 0.3}, n=800, seed=12)
    assert a == b
    assert a.selected.cost_usd != c.selected.cost_usd
    assert a.selected.cost_usd.point == c.selected.cost_usd.point


# --- the uncertain inputs -----------------------------------------------------------------


def test_default_uncertain_inputs_and_their_ranges():
    unc = {u.key: u for u in ft.uncertain_inputs(FinetuneInputs())}
    mfu, price = unc["mfu"], unc["usd_per_hour"]
    assert (mfu.kind, mfu.low, mfu.base, mfu.high) == ("lognormal", 0.35 / 1.3, 0.35, 0.35 * 1.3)
    # the A100 80GB's catalogue price, ×/÷ 1.25
    assert (price.kind, price.base) == ("lognormal", 1.79)
    assert price.low == pytest.approx(1.79 / 1.25)
    assert price.high == pytest.approx(1.79 * 1.25)
    eff = unc["bandwidth_efficiency"]
    # nccl-tests: 8 × RTX 5090 on PCIe 5.0 at 0.44, NCCL's PCIe 4.0 x16 rating at 0.76
    assert (eff.kind, eff.low, eff.base, eff.high) == ("uniform", 0.44, 0.7, 0.76)
    assert (unc["comm_overlap"].low, unc["comm_overlap"].high) == (0.25, 0.75)
    slow = unc["qlora_slowdown"]
    assert slow.low == pytest.approx(1.39 / 1.15)  # 1.21
    assert slow.high == pytest.approx(1.39 * 1.15)  # 1.60


def test_mfu_capped_at_one_and_values_outside_a_range_stretch_it():
    unc = {u.key: u for u in ft.uncertain_inputs(FinetuneInputs(mfu=0.9, comm_overlap=0.95))}
    assert unc["mfu"].high == 1.0
    assert draw([unc["mfu"]], 2000)["mfu"].max() <= 1.0
    assert (unc["comm_overlap"].low, unc["comm_overlap"].high) == (0.25, 0.95)


def test_a_marked_input_replaces_its_assumed_range():
    unc = {u.key: u for u in ft.uncertain_inputs(FinetuneInputs(), {"mfu": 0.2, "epochs": 0})}
    assert unc["mfu"].kind == "triangular"
    assert unc["mfu"].source == "your spread"
    assert (unc["mfu"].low, unc["mfu"].high) == pytest.approx((0.28, 0.42))
    assert "epochs" not in unc  # ±0: known exactly


def test_spread_on_an_empty_override_uses_the_gpu_figure():
    # usd_per_hour empty = the catalogue's $1.79; a ±20 % spread is triangular around it
    (u,) = [u for u in ft.uncertain_inputs(FinetuneInputs(), {"usd_per_hour": 0.2})
            if u.key == "usd_per_hour"]  # fmt: skip
    assert (u.low, u.base, u.high) == pytest.approx((1.432, 1.79, 2.148))


def test_whole_number_inputs_get_whole_bounds_and_positive_ones_a_floor():
    unc = {
        u.key: u
        for u in ft.uncertain_inputs(FinetuneInputs(), {"rank": 0.3, "dataset_tokens": 1.0})
    }
    assert (unc["rank"].low, unc["rank"].high) == (6.0, 10.0)  # 8 ± 2.4 → 5.6, 10.4 rounded
    assert unc["dataset_tokens"].low == pytest.approx(1e6)  # 1 % of 1e8, never 0


def test_link_inputs_left_out_when_nothing_communicates():
    # every method on one GPU (the count is fixed at 1): link efficiency and overlap move
    # nothing, so they are not drawn and not named in the basis
    one = FinetuneInputs(num_gpus=1)
    keys = [u.key for u in ft.uncertain_inputs(one, communicates=False)]
    assert "bandwidth_efficiency" not in keys
    u = ft.finetune_uncertainty(one, n=200)
    assert "link efficiency" not in u.basis
    assert "bandwidth_efficiency" not in [x.key for x in u.inputs]


@pytest.mark.parametrize(
    ("spreads", "message"),
    [
        ({"nonsense": 0.2}, "nonsense"),
        ({"gpu": 0.2}, "gpu"),
        ({"architecture": 0.2}, "architecture"),
    ],
)
def test_bad_spread_paths_name_the_path(spreads, message):
    with pytest.raises(ValueError, match=message):
        ft.finetune_uncertainty(FinetuneInputs(), spreads)


def test_gpus_per_node_spread_needs_a_link_inside_the_node():
    with pytest.raises(ValueError, match="one GPU per node"):
        ft.uncertain_inputs(FinetuneInputs(gpu="DGX Spark (GB10)"), {"gpus_per_node": 0.5})


def test_samples_bounds():
    with pytest.raises(ValueError, match="samples"):
        ft.finetune_uncertainty(FinetuneInputs(), n=0)


# --- tornado, basis, texts ----------------------------------------------------------------


def test_tornado_sorted_by_swing_with_hand_checked_ends():
    u = ft.finetune_uncertainty(FinetuneInputs())
    swings = [b.swing for b in u.tornado]
    assert swings == sorted(swings, reverse=True)
    bars = {b.key: b for b in u.tornado}
    cost = u.selected.cost_usd.point
    # one GPU, nothing communicated: cost ∝ 1 / MFU and ∝ price, so the MFU bar ends at
    # cost × 1.3 (MFU ÷ 1.3) and cost ÷ 1.3, the price bar at cost ÷ 1.25 and cost × 1.25
    assert bars["mfu"].low == pytest.approx(cost * 1.3)
    assert bars["mfu"].high == pytest.approx(cost / 1.3)
    assert bars["usd_per_hour"].low == pytest.approx(cost / 1.25)
    assert bars["usd_per_hour"].high == pytest.approx(cost * 1.25)
    assert bars["qlora_slowdown"].swing == 0  # LoRA selected: the QLoRA slowdown moves nothing
    assert u.tornado_of == "LoRA cost"


def test_comm_bound_tornado_led_by_link_efficiency():
    # 63 RTX 4090s over 25 GbE: transfers are 9.2× compute per step (test_finetune_comms), so
    # the link efficiency moves the cost most and MFU least
    u = ft.finetune_uncertainty(COMM_BOUND)
    assert u.tornado[0].key == "bandwidth_efficiency"
    assert u.tornado[0].low > u.tornado[0].high  # a slower link costs more
    assert ft.drivers_text(u).startswith(
        "What moves the Full fine-tuning cost most: Link efficiency"
    )


def test_basis_names_assumed_given_and_nothing_measured():
    u = ft.finetune_uncertainty(SEED_CASE, {"dataset_tokens": 0.3}, n=200)
    assert u.basis.startswith("How sure: from formulas only; you gave dataset size (± spread)")
    assert "micro-batch" in u.basis  # changed from the defaults by the case study (4, not 1)
    assert "assumed: MFU ×/÷ 1.3, GPU price from the catalogue ×/÷ 1.25" in u.basis
    assert "measurements" not in u.basis


def test_texts_and_key_figures_carry_the_range():
    u = ft.finetune_uncertainty(SEED_CASE)
    t = ft.range_texts(u)
    # 222 h is over 48 h: days, as fmt_hours writes the point (9.3 days)
    assert t["wall_hours"] == (
        f"likely {u.selected.wall_hours.p10 / 24:,.1f}–{u.selected.wall_hours.p90 / 24:,.1f} days"
    )
    assert t["cost_usd"].startswith("likely $")
    figs = dict(ft.key_figures(ft.compare_methods(SEED_CASE), u))
    assert figs["Wall time (LoRA)"].startswith("9.3 days on 1 GPU; likely ")
    assert figs["Cost (LoRA)"].startswith("$398; likely $")
    assert "likely" not in figs["Memory per GPU (LoRA)"]  # nothing moves memory here
    assert dict(ft.key_figures(ft.compare_methods(SEED_CASE)))["Cost (LoRA)"] == "$398"


def test_runs_in_milliseconds():
    import time

    ft.finetune_uncertainty(SEED_CASE)
    start = time.perf_counter()
    ft.finetune_uncertainty(SEED_CASE)
    # ~5 ms on this machine's 2 vCPUs; a generous bound so a busy CI never flakes
    assert time.perf_counter() - start < 0.5


# --- property: finite everywhere inside the declared bounds --------------------------------

finetune_inputs = st.builds(
    FinetuneInputs,
    model=st.sampled_from(["Llama-2-7B", "Llama-2-70B", "Llama-3-8B", "Qwen2.5-7B"]),
    method=st.sampled_from(ft.METHODS),
    rank=st.integers(1, 256),
    sharding=st.sampled_from(["none", "zero1", "zero2", "zero3", "fsdp"]),
    precision=st.sampled_from(["bf16-mixed", "fp16-mixed", "fp32"]),
    micro_batch=st.integers(1, 16),
    seq_len=st.integers(16, 16384),
    gradient_checkpointing=st.booleans(),
    num_gpus=st.sampled_from([0, 0, 1, 2, 8, 64, 1000]),
    dataset_tokens=st.floats(1e3, 1e12),
    epochs=st.floats(0.01, 100),
    gpu=st.sampled_from(["A100 80GB", "RTX 4090 24GB", "T4 16GB", "DGX Spark (GB10)"]),
    mfu=st.floats(0.01, 1.0),
    qlora_slowdown=st.floats(1.0, 10.0),
    overhead_gb=st.floats(0.0, 20.0),
    gradient_accumulation=st.integers(1, 64),
    bandwidth_efficiency=st.floats(0.01, 1.0),
    comm_overlap=st.floats(0.0, 1.0),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=finetune_inputs, spread=st.floats(0.0, 1.0))
def test_finite_and_ordered_over_the_input_space(inputs, spread):
    spreads = {"dataset_tokens": spread, "seq_len": spread, "mfu": spread, "overhead_gb": spread}
    u = ft.finetune_uncertainty(inputs, spreads, n=200)
    for r in all_ranges(u):
        values = (r.point, r.p10, r.p50, r.p90)
        assert all(math.isfinite(v) for v in values)
        assert r.p10 <= r.p50 <= r.p90
    assert all(math.isfinite(b.low) and math.isfinite(b.high) for b in u.tornado)
    assert 0.0 <= u.selected.share_none_fit <= 1.0
    assert np.isfinite(u.selected.cost_usd.point)
