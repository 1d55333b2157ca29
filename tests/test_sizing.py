"""calculator.sizing: compute-optimal sizing, loss, waste, verdict, hardware trend."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from calculator import sizing
from calculator.charts import sizing as charts
from calculator.sizing import FITS, SizingInputs, evaluate_sizing

PARAMETRIC = ["hoffmann2022", "besiroglu2024"]
ALL_FITS = list(FITS)
CHINCHILLA_FLOPS = 5.76e23  # Hoffmann et al. 2022 §4: Chinchilla's training budget

budgets = st.floats(min_value=1e15, max_value=1e28)
counts = st.floats(min_value=1e5, max_value=1e13)


# ----------------------------------------------------------------------------- oracles


@pytest.mark.parametrize(("tokens", "quoted_params"), sizing.SEED_TABLE)
def test_seed_table_reproduced(tokens, quoted_params):
    # seed 002 §"Step 2": 1B → 50M, 10B → 500M, 100B → 5B, 1T → 50B (20 tokens/param)
    n, d = sizing.optimal_for_tokens(tokens, FITS["rule20"])
    assert n == pytest.approx(quoted_params)
    assert d == tokens


def test_seed_table_function_matches_quotes():
    # seed 002 §"Step 2" list, recomputed by code
    got = [x for row in sizing.seed_table() for x in row]
    assert got == pytest.approx([x for row in sizing.SEED_TABLE for x in row])


def test_seed_case_study_two_billion_tokens_is_about_100m():
    # seed 002 case study: "2B tokens supports roughly a 100M parameter model optimally"
    # independent calculation: 2e9 / 20 = 1e8
    assert sizing.optimal_for_tokens(2e9, FITS["rule20"])[0] == pytest.approx(1e8)


def test_hoffmann_approach3_at_chinchilla_budget():
    # independent calculation (Hoffmann 2022 approach-3 constants, C = 5.76e23):
    #   α+β = 0.62, a = 0.28/0.62 = 0.45161, b = 0.54839
    #   αA/(βB) = 138.176/114.996 = 1.20157; G = 1.20157^(1/0.62) = e^(0.18363/0.62) = 1.34471
    #   C/6 = 9.6e22, log10 = 22.98227; a·log10 = 10.37909 → 10^10.37909 = 2.39377e10
    #   N_opt = 1.34471 × 2.39377e10 = 3.2190e10 (32.2B); D_opt = 9.6e22 / 3.2190e10 = 2.9823e12
    #   tokens/param = 92.6.  Hoffmann report ~70B/1.4T for Chinchilla itself: that choice
    #   follows approaches 1 and 2 (≈ 20 tokens/param); the published approach-3 constants
    #   put the optimum at less than half the size on twice the data.
    n, d = sizing.compute_optimal(CHINCHILLA_FLOPS, FITS["hoffmann2022"])
    assert n == pytest.approx(3.2190e10, rel=1e-3)
    assert d == pytest.approx(2.9823e12, rel=1e-3)
    assert d / n == pytest.approx(92.6, rel=1e-3)


def test_besiroglu_replication_at_chinchilla_budget():
    # independent calculation (Besiroglu 2024 constants, C = 5.76e23):
    #   α+β = 0.7136, a = 0.3658/0.7136 = 0.51261, b = 0.48739
    #   αA/(βB) = 167.643/762.850 = 0.219759; G = e^(−1.515225/0.7136) = 0.119630
    #   a·log10(9.6e22) = 0.51261 × 22.98227 = 11.78099 → 6.0395e11
    #   N_opt = 0.119630 × 6.0395e11 = 7.2250e10 (72B); D_opt = 9.6e22 / 7.2250e10 = 1.3287e12
    #   ≈ Chinchilla's 70B / 1.4T (Hoffmann 2022), 18.4 tokens/param
    n, d = sizing.compute_optimal(CHINCHILLA_FLOPS, FITS["besiroglu2024"])
    assert n == pytest.approx(7.225e10, rel=1e-3)
    assert d == pytest.approx(1.3287e12, rel=1e-3)
    assert d / n == pytest.approx(18.39, rel=1e-3)


def test_rule20_at_chinchilla_budget():
    # independent calculation: N = sqrt(5.76e23 / 120) = sqrt(4.8e21) = 6.9282e10;
    # D = 20 N = 1.3856e12
    n, d = sizing.compute_optimal(CHINCHILLA_FLOPS, FITS["rule20"])
    assert n == pytest.approx(6.9282e10, rel=1e-4)
    assert d == pytest.approx(1.38564e12, rel=1e-4)


@pytest.mark.parametrize(
    ("fit", "expected"),
    [
        # independent calculation: 1.69 + 406.4/70e9^0.34 + 410.7/1.4e12^0.28
        #   = 1.69 + 406.4/4862.6 + 410.7/2516.7 = 1.69 + 0.08358 + 0.16319 = 1.9366
        ("hoffmann2022", 1.9366),
        # 1.8169 + 482.01/70e9^0.3478 + 2085.43/1.4e12^0.3658 = 1.8169 + 0.0838 + 0.0729 = 1.9736
        ("besiroglu2024", 1.9736),
    ],
)
def test_loss_of_chinchilla_70b_on_1_4t(fit, expected):
    assert sizing.predicted_loss(70e9, 1.4e12, FITS[fit]) == pytest.approx(expected, abs=2e-4)


def test_rule20_defines_no_loss():
    # the 20-token rule is a ratio, not a loss model (methodology "What 'loss' means")
    assert sizing.predicted_loss(7e9, 2e9, FITS["rule20"]) is None


def test_tokens_per_param_trap_at_chinchilla_budget():
    # seed README "known inconsistencies": approach-3 constants ≈ 93 tokens/param, replication ≈ 18
    got = {p.fit: p.tokens_per_param for p in sizing.fit_comparison(CHINCHILLA_FLOPS)}
    assert got == pytest.approx(
        {"rule20": 20.0, "hoffmann2022": 92.6, "besiroglu2024": 18.39}, rel=1e-3
    )


def test_rule20_waste_case_study():
    # seed 002 case study 7B on 2B tokens, rule20: scarcer resource m = 2e9/20 = 1e8 params,
    # C_eq = 120 × 1e16 = 1.2e18; proposal 6 × 7e9 × 2e9 = 8.4e19;
    # waste = 1 − 1.2e18/8.4e19 = 0.98571
    assert sizing.equal_loss_compute(7e9, 2e9, FITS["rule20"]) == pytest.approx(1.2e18)
    assert sizing.wasted_share(7e9, 2e9, FITS["rule20"]) == pytest.approx(1 - 1 / 70)


def test_cluster_budget_and_cost():
    # independent calculation: 8 A100 (312 TFLOP/s) × 336 h × 3600 s × 0.4 MFU = 1.2077e21 FLOP,
    # 2,688 GPU-hours × $1.79 = $4,811.52, 14 days (seed 002: "8× A100 GPUs for two weeks")
    r = evaluate_sizing(SizingInputs(proposal_params=None))
    assert r.budget_flops == pytest.approx(1.20766464e21)
    assert r.budget_optimum.gpu_hours == pytest.approx(2688)
    assert r.budget_optimum.cost_usd == pytest.approx(4811.52)
    assert r.budget_optimum.days == pytest.approx(14)


def test_availability_shrinks_budget_and_stretches_time():
    # seed 002 step 1: "a GPU cluster only available 60 % of the time is a 60 % cluster"
    full = evaluate_sizing(SizingInputs())
    part = evaluate_sizing(SizingInputs(availability=0.6))
    assert part.budget_flops == pytest.approx(0.6 * full.budget_flops)
    assert part.proposal.days == pytest.approx(full.proposal.days / 0.6)
    assert part.proposal.cost_usd == pytest.approx(full.proposal.cost_usd)


def test_usable_tokens_is_fraction_times_epochs():
    # seed 002 step 1: "a 1B-token dataset that is 50 % noise is effectively 500M tokens"
    r = evaluate_sizing(
        SizingInputs(dataset_tokens=1e9, usable_fraction=0.5, fit="rule20", proposal_params=None)
    )
    assert r.usable_tokens == pytest.approx(5e8)
    assert r.data_optimum.params == pytest.approx(2.5e7)  # 5e8 / 20
    r2 = evaluate_sizing(
        SizingInputs(dataset_tokens=1e9, usable_fraction=0.5, epochs=4, proposal_params=None)
    )
    assert r2.usable_tokens == pytest.approx(2e9)


@pytest.mark.parametrize(
    ("months", "cost", "time"),
    [
        # seed 002: price-performance +30 %/yr, FLOP/s +43 %/yr;
        # 1.3^-0.5 = 0.87706, 1.43^-0.5 = 0.83624
        (6, 0.87706, 0.83624),
        (12, 1 / 1.3, 1 / 1.43),
        (24, 1 / 1.69, 1 / 2.0449),
    ],
)
def test_hardware_trend(months, cost, time):
    assert sizing.later_factor(months, sizing.HW_PRICE_PERF_GROWTH) == pytest.approx(cost, rel=1e-4)
    assert sizing.later_factor(months, sizing.HW_FLOPS_GROWTH) == pytest.approx(time, rel=1e-4)
    r = evaluate_sizing(SizingInputs())
    later = {x.months: x for x in r.later}
    assert later[months].cost_usd == pytest.approx(r.proposal.cost_usd * cost, rel=1e-4)
    assert later[months].days == pytest.approx(r.proposal.days * time, rel=1e-4)


def test_hw_growth_matches_seed_doubling_time():
    # seed 002: "+43 % per year, doubling roughly every 1.9 years" — 1.43^1.9 = 1.97
    assert (1 + sizing.HW_FLOPS_GROWTH) ** 1.9 == pytest.approx(2, rel=0.02)


# ----------------------------------------------------------------------------- closed forms


@pytest.mark.parametrize("fit", PARAMETRIC)
def test_allocation_exponents_identities(fit):
    # Hoffmann 2022 app. D.2: a = β/(α+β), b = α/(α+β), a + b = 1
    f = FITS[fit]
    a, b, g = sizing.allocation_exponents(f)
    assert a == pytest.approx(f.beta / (f.alpha + f.beta))
    assert a + b == pytest.approx(1)
    assert g == pytest.approx((f.alpha * f.A / (f.beta * f.B)) ** (1 / (f.alpha + f.beta)))


@pytest.mark.parametrize("fit", PARAMETRIC)
def test_optimum_minimises_loss_on_iso_flop_curve(fit):
    # dL/dN = 0 along 6ND = C at N_opt: neighbours on the same iso-FLOP curve have higher loss
    f = FITS[fit]
    n, d = sizing.compute_optimal(1e22, f)
    best = sizing.predicted_loss(n, d, f)
    for k in (0.8, 0.95, 1.05, 1.25):
        assert sizing.predicted_loss(n * k, d / k, f) > best


@pytest.mark.parametrize("fit", ALL_FITS)
def test_inverse_functions_round_trip(fit):
    f = FITS[fit]
    n, d = sizing.compute_optimal(3e21, f)
    assert sizing.optimal_for_tokens(d, f) == pytest.approx((n, d), rel=1e-9)
    assert sizing.optimal_for_params(n, f) == pytest.approx((n, d), rel=1e-9)


# ----------------------------------------------------------------------------- properties


@pytest.mark.parametrize("fit", ALL_FITS)
@given(c=budgets, k=st.floats(min_value=1.01, max_value=1e3))
def test_optimum_grows_with_compute(fit, c, k):
    n1, d1 = sizing.compute_optimal(c, FITS[fit])
    n2, d2 = sizing.compute_optimal(c * k, FITS[fit])
    assert n2 > n1
    assert d2 > d1


@pytest.mark.parametrize("fit", ALL_FITS)
@given(c=budgets)
def test_six_n_d_equals_c(fit, c):
    n, d = sizing.compute_optimal(c, FITS[fit])
    assert 6 * n * d == pytest.approx(c, rel=1e-9)


@pytest.mark.parametrize("fit", PARAMETRIC)
@given(n=counts, d=counts, k=st.floats(min_value=1.01, max_value=100))
def test_loss_falls_as_n_or_d_grows(fit, n, d, k):
    f = FITS[fit]
    base = sizing.predicted_loss(n, d, f)
    assert sizing.predicted_loss(n * k, d, f) < base
    assert sizing.predicted_loss(n, d * k, f) < base
    assert base > f.E


@pytest.mark.parametrize("fit", ALL_FITS)
@given(n=counts, d=counts)
def test_waste_is_non_negative_and_below_one(fit, n, d):
    share = sizing.wasted_share(n, d, FITS[fit])
    assert 0 <= share < 1


@pytest.mark.parametrize("fit", ALL_FITS)
@given(c=budgets)
def test_waste_is_zero_at_the_optimum(fit, c):
    n, d = sizing.compute_optimal(c, FITS[fit])
    assert sizing.wasted_share(n, d, FITS[fit]) == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("fit", ALL_FITS)
@given(c=budgets, k=st.floats(min_value=1.5, max_value=100))
def test_waste_grows_as_the_size_leaves_the_optimum(fit, c, k):
    f = FITS[fit]
    n, d = sizing.compute_optimal(c, f)
    assume(n / k**2 > 1)
    near = sizing.wasted_share(n * k, d / k, f)
    far = sizing.wasted_share(n * k * k, d / (k * k), f)
    assert 0 < near < far
    assert sizing.wasted_share(n / k, d * k, f) > 0


@pytest.mark.parametrize("fit", PARAMETRIC)
@given(c=budgets)
def test_frontier_inverse(fit, c):
    f = FITS[fit]
    n, d = sizing.compute_optimal(c, f)
    assert sizing.compute_for_loss(sizing.predicted_loss(n, d, f), f) == pytest.approx(c, rel=1e-6)


# ----------------------------------------------------------------------------- evaluate_sizing


def test_case_study_defaults_verdict_and_advice():
    # seed 002 case study: 7B on 2B tokens is over-sized; the data supports ~100M → don't pretrain
    r = evaluate_sizing(SizingInputs())
    assert r.verdict == "over-sized"
    assert r.data_limited
    assert r.recommended == r.data_optimum
    assert r.recommended.params < sizing.SMALL_MODEL_PARAMS
    assert "LoRA" in r.advice
    assert "API" in r.advice
    # equal-loss run: same loss as the proposal, 6ND = C_eq, cost = (1 − waste) × proposal cost
    eq = r.equal_loss_optimum
    assert eq.loss == pytest.approx(r.proposal.loss, rel=1e-9)
    assert eq.compute_flops == pytest.approx(r.waste.equal_loss_flops, rel=1e-9)
    assert eq.cost_usd == pytest.approx(r.proposal.cost_usd * (1 - r.waste.wasted_share), rel=1e-9)
    assert r.waste.wasted_usd == pytest.approx(r.proposal.cost_usd * r.waste.wasted_share)


@pytest.mark.parametrize("fit", ALL_FITS)
def test_proposal_at_the_optimum_is_near_optimal(fit):
    n, d = sizing.compute_optimal(1e22, FITS[fit])
    r = evaluate_sizing(
        SizingInputs(
            fit=fit,
            compute_mode="flops",
            compute_flops=1e22,
            dataset_tokens=None,
            proposal_params=n,
            proposal_tokens=d,
        )
    )
    assert r.verdict == "near-optimal"
    assert r.waste.wasted_share == pytest.approx(0, abs=1e-9)
    assert r.advice is None  # tens of billions of parameters: not small
    assert r.warnings == []


def test_small_model_is_under_sized():
    r = evaluate_sizing(
        SizingInputs(
            compute_mode="flops",
            compute_flops=1e22,
            dataset_tokens=None,
            proposal_params=1e8,
            proposal_tokens=1e22 / 6e8,
        )
    )
    assert r.verdict == "under-sized"
    assert "Under-sized" in r.verdict_text


def test_budget_bound_when_data_is_plentiful():
    r = evaluate_sizing(SizingInputs(dataset_tokens=1e13, proposal_params=None))
    assert not r.data_limited
    assert r.recommended == r.budget_optimum


def test_warnings_when_proposal_exceeds_budget_or_data():
    r = evaluate_sizing(
        SizingInputs(
            compute_mode="flops", compute_flops=1e20, proposal_params=7e9, proposal_tokens=1e10
        )
    )
    text = " ".join(r.warnings)
    assert "× the budget" in text
    assert "more than the 2B usable tokens" in text


def test_rule20_result_uses_besiroglu_loss_for_charts():
    r = evaluate_sizing(SizingInputs(fit="rule20"))
    assert r.proposal.loss is None
    assert r.loss_fit == "besiroglu2024"
    assert all(p.loss > 0 for p in r.iso_flop)


def test_fit_spread_flags_the_trap():
    r = evaluate_sizing(SizingInputs(compute_mode="flops", compute_flops=CHINCHILLA_FLOPS))
    assert r.fit_spread == pytest.approx(92.6 / 18.39, rel=1e-3)


@pytest.mark.parametrize(
    "bad",
    [
        {"compute_mode": "flops", "compute_flops": None},
        {"dataset_tokens": None, "proposal_tokens": None},
        {"usable_fraction": 0},
        {"mfu": 1.5},
        {"fit": "kaplan2020"},
        {"unknown": 1},
    ],
)
def test_invalid_inputs_rejected(bad):
    with pytest.raises(ValidationError):
        SizingInputs(**bad)


def test_get_fit_unknown_is_input_error():
    from calculator.errors import InputError

    with pytest.raises(InputError, match="choose from"):
        sizing.get_fit("kaplan")


def test_key_figures_have_units():
    figures = dict(sizing.key_figures(evaluate_sizing(SizingInputs())))
    assert figures["Verdict"] == "over-sized"
    assert figures["Compute budget"].endswith("FLOP")
    assert figures["Recommended model"] == "77.7M parameters on 2B tokens"
    assert figures["Compute wasted"].startswith("79% ($")


def test_iso_flop_curves_have_minimum_at_the_optimum():
    r = evaluate_sizing(
        SizingInputs(
            compute_mode="flops", compute_flops=1e22, proposal_params=None, dataset_tokens=None
        )
    )
    mid = [p for p in r.iso_flop if p.budget_label == "budget"]
    best = min(mid, key=lambda p: p.loss)
    assert best.params == pytest.approx(r.budget_optimum.params, rel=0.15)
    assert {p.budget_label for p in r.iso_flop} == {"0.1× budget", "budget", "10× budget"}


@pytest.mark.parametrize("fit", ALL_FITS)
def test_charts_build_with_titles_and_axis_titles(fit):
    r = evaluate_sizing(SizingInputs(fit=fit))
    axis_titles = {
        charts.main_chart: ("Model parameters N (log scale)", "Predicted loss (nats/token)"),
        charts.tokens_per_param_chart: (
            "Compute budget (FLOP, log scale)",
            "Compute-optimal tokens per parameter",
        ),
        charts.cost_later_chart: ("Start of the run", "Training cost (USD)"),
    }
    for make, titles in axis_titles.items():
        spec = make(r).to_dict()
        assert spec["title"]
        for title in titles:
            assert f"'title': '{title}'" in str(spec)
    spec = charts.main_chart(r).to_dict()
    datasets = spec["datasets"].values()
    assert any(any(row.get("run") == "proposal" for row in rows) for rows in datasets)


def test_main_chart_without_budget_or_proposal():
    r = evaluate_sizing(SizingInputs(compute_mode="none", proposal_params=None))
    assert r.budget_flops is None
    assert r.recommended == r.data_optimum
    assert math.isfinite(r.iso_flop[0].loss)
    charts.main_chart(r).to_dict()
