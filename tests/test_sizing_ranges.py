"""Ranges of the sizing what-if (issue 12): P10–P90 of its dollars and days, the tornado of the
proposal's cost, the spread between the published fits, and the basis line.

Oracles: evaluate_sizing itself (the point; a slow scalar loop over samples), hand
calculations of the log-normal shapes, and seed 002's case study (via tests/test_sizing.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from calculator import sizing
from calculator.sizing import (
    MFU_FACTOR,
    PRICE_FACTOR,
    SizingInputs,
    evaluate_sizing,
    range_texts,
    sizing_samples,
    sizing_uncertainty,
    uncertain_inputs,
)
from calculator.uncertainty import draw, point

CASE_STUDY = SizingInputs()  # seed 002: fine-tune 7B on 2B tokens, 8 × A100 for two weeks
SCRATCH = SizingInputs(purpose="pretrain")

SCENARIOS: list[tuple[str, SizingInputs, dict[str, float]]] = [
    (
        "case study from scratch, cluster inputs spread",
        SCRATCH,
        {
            "dataset_tokens": 0.5,
            "usable_fraction": 0.4,
            "epochs": 0.5,
            "proposal_params": 0.6,
            "gpu_count": 0.5,
            "hours": 0.3,
            "availability": 0.3,
            "gpu_peak_tflops": 0.2,
        },
    ),
    (
        "Besiroglu 2024, 3B on 1B of 2B tokens: waste against the data boundary",
        SizingInputs(purpose="pretrain", proposal_params=3e9, proposal_tokens=1e9),
        {"dataset_tokens": 0.6, "proposal_tokens": 0.9, "proposal_params": 0.5},
    ),
    (
        "20-token rule, 1B on all the data",
        SizingInputs(purpose="pretrain", fit="rule20", proposal_params=1e9),
        {"dataset_tokens": 0.8, "proposal_params": 0.8, "mfu": 0.3},
    ),
    (
        "Hoffmann 2022, FLOP budget, tokens given",
        SizingInputs(
            purpose="pretrain",
            fit="hoffmann2022",
            compute_mode="flops",
            compute_flops=1e22,
            proposal_params=2e9,
            proposal_tokens=1.5e9,
        ),
        {"compute_flops": 0.5, "proposal_tokens": 0.6, "proposal_params": 0.5, "epochs": 0.9},
    ),
    (
        "no data limit, no budget",
        SizingInputs(
            purpose="pretrain",
            dataset_tokens=None,
            compute_mode="none",
            proposal_params=7e9,
            proposal_tokens=1e11,
        ),
        {"proposal_params": 0.8, "proposal_tokens": 0.8, "gpu_usd_per_hour": 0.5},
    ),
    ("fine-tune (case study)", CASE_STUDY, {"dataset_tokens": 0.5, "gpu_count": 0.9}),
    (
        "no proposal",
        SizingInputs(proposal_params=None),
        {"dataset_tokens": 0.5, "hours": 0.5, "availability": 0.5},
    ),
]
IDS = [name for name, _, _ in SCENARIOS]


def figures(r: sizing.SizingResult) -> dict[str, float]:
    """evaluate_sizing's figures under the keys of sizing_samples."""
    out = {}
    if r.proposal:
        out["proposal_usd"], out["proposal_days"] = r.proposal.cost_usd, r.proposal.days
    if r.recommended:
        out["recommended_usd"] = r.recommended.cost_usd
    if r.waste:
        out["wasted_usd"], out["wasted_share"] = r.waste.wasted_usd, r.waste.wasted_share
    return out


def close(a: float, b: float) -> bool:
    """Equal up to floating-point rounding (a wasted share of 1e-15 is a rounded 0)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize(("name", "inputs", "spreads"), SCENARIOS, ids=IDS)
def test_samples_at_the_point_are_evaluate_sizings_figures(name, inputs, spreads):
    # oracle: evaluate_sizing on the same inputs
    expected = figures(evaluate_sizing(inputs))
    got = sizing_samples(inputs, point(uncertain_inputs(inputs, spreads)))
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert close(float(got[key][0]), value), key
    u = sizing_uncertainty(inputs, spreads, n=200)
    for key, value in expected.items():
        assert getattr(u, key).point == value, key  # the headline itself, exactly


@pytest.mark.parametrize(("name", "inputs", "spreads"), SCENARIOS, ids=IDS)
def test_vectorised_samples_equal_a_scalar_loop(name, inputs, spreads):
    # oracle: evaluate_sizing on the inputs with each sample's values substituted (slow loop)
    unc = uncertain_inputs(inputs, spreads)
    values = draw(unc, 20, seed=7)
    got = sizing_samples(inputs, values)
    for i in range(20):
        data = inputs.model_dump()
        for key, samples in values.items():
            data[key] = int(np.rint(samples[i])) if key == "gpu_count" else float(samples[i])
        expected = figures(evaluate_sizing(SizingInputs.model_validate(data)))
        assert set(got) == set(expected)
        for key, value in expected.items():
            assert close(float(got[key][i]), value), (key, i)


@pytest.mark.parametrize(("name", "inputs", "spreads"), SCENARIOS, ids=IDS)
def test_quantiles_are_ordered_and_finite(name, inputs, spreads):
    u = sizing_uncertainty(inputs, spreads, n=1000)
    for key in sizing.HEADLINES:
        r = getattr(u, key)
        if r is not None:
            assert all(math.isfinite(x) for x in (r.point, r.p10, r.p50, r.p90)), key
            assert r.p10 <= r.p50 <= r.p90, key


def test_case_study_cost_is_log_normal_of_mfu_and_price():
    # hand calculation: cost = 6ND/(peak·MFU·3600)·price, MFU ×/÷ 1.3 and price ×/÷ 1.25 at
    # P10/P90, independent log-normals → cost P90/median = exp(√(ln²1.3 + ln²1.25)) = 1.4112;
    # days ∝ 1/MFU only → P90/median = 1.3.  Point: $334.67, 0.9738 days (tests/test_sizing.py)
    u = sizing_uncertainty(CASE_STUDY)
    factor = math.exp(math.hypot(math.log(1.3), math.log(1.25)))
    assert factor == pytest.approx(1.4112, abs=1e-4)
    c, d = u.proposal_usd, u.proposal_days
    assert c.point == pytest.approx(334.6688, abs=1e-3)
    assert c.p50 == pytest.approx(c.point, rel=0.02)
    assert c.p90 == pytest.approx(c.point * factor, rel=0.03)
    assert c.p10 == pytest.approx(c.point / factor, rel=0.03)
    assert d.p90 == pytest.approx(d.point * 1.3, rel=0.03)
    assert d.p10 == pytest.approx(d.point / 1.3, rel=0.03)
    assert u.wasted_usd is None  # a fine-tune: no compute-optimal waste
    assert u.wasted_share is None


def test_tornado_of_the_case_study_cost():
    # hand calculation: cost ∝ price / MFU → MFU at 0.4/1.3 gives $334.67 × 1.3 = $435.07,
    # at 0.52 gives $334.67 / 1.3 = $257.44; price ×/÷ 1.25 gives $267.74 and $418.34
    u = sizing_uncertainty(CASE_STUDY, n=200)
    bars = {b.key: b for b in u.tornado}
    assert [b.key for b in u.tornado] == ["mfu", "gpu_usd_per_hour"]
    assert bars["mfu"].low == pytest.approx(334.6688 * MFU_FACTOR, abs=1e-3)
    assert bars["mfu"].high == pytest.approx(334.6688 / MFU_FACTOR, abs=1e-3)
    assert bars["gpu_usd_per_hour"].low == pytest.approx(334.6688 / PRICE_FACTOR, abs=1e-3)
    assert bars["gpu_usd_per_hour"].high == pytest.approx(334.6688 * PRICE_FACTOR, abs=1e-3)
    assert u.tornado_of == "the proposal's cost"


def test_tornado_of_the_recommended_run_without_a_proposal():
    u = sizing_uncertainty(SizingInputs(proposal_params=None), {"dataset_tokens": 0.5}, n=200)
    assert u.proposal_usd is None
    assert u.tornado_of == "the recommended run's cost"
    # the data-optimal model's cost grows with the data (N and D both grow): D dominates
    assert u.tornado[0].key == "dataset_tokens"


def test_fixed_inputs_collapse_to_the_point():
    # ±0 on MFU and price: nothing is uncertain, every range is its point
    u = sizing_uncertainty(SCRATCH, {"mfu": 0, "gpu_usd_per_hour": 0}, n=300)
    assert u.inputs == ()
    assert u.tornado == ()
    for key in sizing.HEADLINES:
        r = getattr(u, key)
        for q in (r.p10, r.p50, r.p90):
            assert close(q, r.point), key
    assert not set(range_texts(u)) & set(sizing.HEADLINES)  # no "likely" text for a point


def test_wasted_share_is_flop_based():
    # rule: 7B on 2B tokens wastes 1 − 1/70 (seed 002 case study, tests/test_sizing.py); MFU and
    # price change the dollars, not the FLOPs, so the share collapses to the point …
    inputs = SizingInputs(purpose="pretrain", fit="rule20")
    u = sizing_uncertainty(inputs, n=1000)
    assert not u.share_moves
    s = u.wasted_share
    assert s.point == s.p10 == s.p50 == s.p90 == pytest.approx(1 - 1 / 70)
    assert u.wasted_usd.p10 < u.wasted_usd.point < u.wasted_usd.p90
    # … while a spread on the model size moves it: m = D/20 = 1e8 while N ≥ 1e8, share
    # 1 − 6·20·m²/(6·N·D) = 1 − 1e8/N falls as N shrinks
    u = sizing_uncertainty(inputs, {"proposal_params": 0.5}, n=1000)
    assert u.share_moves
    assert u.wasted_share.p10 < u.wasted_share.point
    assert 1 - 1e8 / 3.5e9 <= u.wasted_share.p10  # N ≥ 3.5e9 (7e9 − 50 %)
    assert "wasted_share" in range_texts(u)


def test_fit_range_is_each_fits_own_figure():
    # seed 002 case study from scratch: the data-optimal size is 2e9/20 = 100M by the rule
    # (seed 002) and 77.7M by Besiroglu 2024; the rule's waste 1 − 1/70, Besiroglu's 0 (data-bound)
    u = sizing_uncertainty(SCRATCH, n=200)
    by_fit = {f.fit: f for f in u.fits}
    assert set(by_fit) == set(sizing.FITS)
    for key, fit in by_fit.items():
        r = evaluate_sizing(SizingInputs(purpose="pretrain", fit=key))
        assert fit.recommended_params == r.recommended.params
        assert fit.wasted_share == r.waste.wasted_share
        assert fit.upper_bound == (key == "rule20")
    assert u.fit_params.high == pytest.approx(1e8)
    assert (u.fit_params.high_fit, u.fit_params.low_fit) == ("rule20", "besiroglu2024")
    assert sizing.fmt_count(u.fit_params.low) == "77.7M"
    assert u.fit_share.low == pytest.approx(0, abs=1e-9)
    assert u.fit_share.high == pytest.approx(1 - 1 / 70)
    texts = range_texts(u)
    assert texts["fit_params"] == "77.7M–100M across the fits"
    assert texts["fit_share"] == "0%–99% across the fits (20-token rule: an upper bound)"
    # a fine-tune has no waste under any fit
    assert sizing_uncertainty(CASE_STUDY, n=200).fit_share is None


def test_reproducible_for_a_fixed_seed():
    a = sizing_uncertainty(SCRATCH, {"dataset_tokens": 0.4}, n=500, seed=11)
    b = sizing_uncertainty(SCRATCH, {"dataset_tokens": 0.4}, n=500, seed=11)
    c = sizing_uncertainty(SCRATCH, {"dataset_tokens": 0.4}, n=500, seed=12)
    assert a == b
    assert a.proposal_usd != c.proposal_usd
    assert a.proposal_usd.point == c.proposal_usd.point


def test_user_spread_replaces_the_assumed_one():
    unc = {u.key: u for u in uncertain_inputs(CASE_STUDY, {"mfu": 0.2})}
    assert unc["mfu"].kind == "triangular"
    assert unc["mfu"].source == "your spread"
    assert (unc["mfu"].low, unc["mfu"].high) == pytest.approx((0.32, 0.48))
    assert unc["gpu_usd_per_hour"].kind == "lognormal"


def test_full_spread_on_a_positive_input_stays_positive():
    # ±100 % on MFU would reach 0 (division by zero): it stops at the field's bound,
    # sizing.MIN_FRACTION = 1 % (above 1 % of the value, 0.004)
    u = sizing_uncertainty(CASE_STUDY, {"mfu": 1.0, "usable_fraction": 1.0}, n=500)
    mfu = next(i for i in u.inputs if i.key == "mfu")
    assert mfu.low == pytest.approx(0.01)
    assert all(math.isfinite(b.low) and math.isfinite(b.high) for b in u.tornado)
    assert math.isfinite(u.proposal_usd.p90)


@pytest.mark.parametrize(
    ("inputs", "spreads", "message"),
    [
        (CASE_STUDY, {"nonsense": 0.2}, "do not exist or are not numbers"),
        (CASE_STUDY, {"fit": 0.2}, "do not exist or are not numbers"),
        (CASE_STUDY, {"compute_flops": 0.2}, "compute_flops does not enter this what-if"),
        (SizingInputs(compute_mode="flops"), {"hours": 0.2}, "hours does not enter"),
        (CASE_STUDY, {"proposal_tokens": 0.2}, "proposal_tokens does not enter"),
    ],
)
def test_bad_spreads_are_refused(inputs, spreads, message):
    with pytest.raises(ValueError, match=message):
        sizing_uncertainty(inputs, spreads, n=100)


def test_bad_sample_count_is_refused():
    with pytest.raises(ValueError, match="samples"):
        sizing_uncertainty(CASE_STUDY, n=0)


def test_basis_names_what_is_assumed_and_what_was_given():
    u = sizing_uncertainty(CASE_STUDY, n=100)
    assert u.basis == (
        "How sure: from formulas only; assumed: MFU ×/÷ 1.3, GPU price ×/÷ 1.25 around the "
        "catalogue's, scaling fit (Besiroglu 2024; others in the fit range)."
    )
    # a changed input and a marked one are "given"; an H100 priced from the catalogue is not
    inputs = SizingInputs(gpu_name="H100 80GB", gpu_peak_tflops=989, gpu_usd_per_hour=2.99, mfu=0.5)
    u = sizing_uncertainty(inputs, {"dataset_tokens": 0.3}, n=100)
    assert "you gave dataset size (± spread), achieved utilisation (MFU);" in u.basis
    assert "price" not in u.basis.split("assumed")[0]
    repriced = SizingInputs(gpu_usd_per_hour=5.0)
    assert "you gave price per GPU-hour" in sizing_uncertainty(repriced, n=100).basis


def test_run_cost_uncertainty_matches_the_cli_formula():
    # tests/test_cli_sizing.py: 3e19 FLOP on an H100 at 50 % MFU = 16.85 GPU-h × $2.99 = $50.39;
    # P90/median ≈ 1.4112 (see test_case_study_cost_is_log_normal_of_mfu_and_price)
    u = sizing.run_cost_uncertainty(3e19, 989e12, 0.5, 2.99)
    assert u.cost_usd.point == pytest.approx(50.39, abs=0.01)
    assert u.gpu_hours.point == pytest.approx(16.852, rel=1e-3)
    assert u.cost_usd.p90 / u.cost_usd.p50 == pytest.approx(1.4112, rel=0.04)
    assert u.gpu_hours.p90 / u.gpu_hours.p50 == pytest.approx(1.3, rel=0.04)
    assert [b.key for b in u.tornado] == ["mfu", "gpu_usd_per_hour"]


def test_key_figures_carry_the_ranges():
    result = evaluate_sizing(SCRATCH)
    u = sizing_uncertainty(SCRATCH)
    rows = dict(sizing.key_figures(result, u))
    likely = range_texts(u)
    assert rows["Proposal cost"] == (
        f"$335, 0.974 days; likely {likely['proposal_usd'].removeprefix('likely ')}, "
        f"{likely['proposal_days'].removeprefix('likely ')}"
    )
    assert rows["Its cost"].startswith("$3.71; likely $")
    assert rows["Its size across the fits"] == "77.7M–100M"
    assert rows["Compute wasted"] == "0% ($0.00)"  # nothing marked moves the share: no range
    # without ranges the rows are as before
    assert "Its cost" not in dict(sizing.key_figures(result))


def test_methodology_quotes_the_case_studys_ranges():
    from pathlib import Path

    text = (Path(sizing.__file__).parent / "methodology" / "sizing.md").read_text()
    likely = range_texts(sizing_uncertainty(CASE_STUDY))
    assert likely["proposal_usd"].replace("$", "\\$") in text  # likely $237–$473
    assert likely["proposal_days"] in text
    assert "Ranges and what drives them" in text
