"""bench.stats on known samples (oracles: numpy's percentile, hand arithmetic, seed 000)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench import stats

samples = st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1, max_size=50)


@pytest.mark.parametrize(
    ("xs", "q", "expected"),
    [
        ([1, 2, 3, 4], 50, 2.5),  # numpy.percentile([1,2,3,4], 50) = 2.5
        ([10, 20, 30, 40, 50], 95, 48.0),  # rank 0.95·4 = 3.8 → 40 + 0.8·10
        ([5], 95, 5.0),  # one sample is every percentile
        ([3, 1, 2], 0, 1.0),  # minimum
        ([3, 1, 2], 100, 3.0),  # maximum
    ],
)
def test_percentile_known_samples(xs, q, expected):
    assert stats.percentile(xs, q) == pytest.approx(expected)


@given(samples, st.floats(min_value=0, max_value=100))
def test_percentile_matches_numpy_linear(xs, q):
    # oracle: numpy's default ("linear", Hyndman & Fan definition 7)
    assert stats.percentile(xs, q) == pytest.approx(float(np.percentile(xs, q)), rel=1e-9, abs=1e-9)


@given(samples)
def test_percentiles_are_ordered_and_bounded(xs):
    p50, p95 = stats.percentile(xs, 50), stats.percentile(xs, 95)
    assert min(xs) <= p50 <= p95 <= max(xs)


def test_percentile_rejects_bad_input():
    with pytest.raises(ValueError, match="no samples"):
        stats.percentile([], 50)
    with pytest.raises(ValueError, match="q must"):
        stats.percentile([1.0], 101)


def test_median_and_iqr():
    assert stats.median([0.2, 0.1, 0.4, 0.3]) == pytest.approx(0.25)  # (0.2 + 0.3) / 2
    assert stats.iqr([1, 2, 3, 4, 5, 6, 7, 8, 9]) == pytest.approx(4.0)  # p75 = 7, p25 = 3


def test_rate():
    # 100 items over batches of 1.5 s + 2.5 s → 25 items/s
    assert stats.rate(100, 1.5 + 2.5) == pytest.approx(25.0)
    with pytest.raises(ValueError, match="positive"):
        stats.rate(1, 0)


def test_forward_flops_independent_count():
    # independent calculation for e5-base (L = 12, d = 768, N = 85,054,464 non-embedding params),
    # two sequences of 100 and 200 real tokens:
    #   weights:   2 · 85,054,464 · (100 + 200)            = 51,032,678,400
    #   attention: 4 · 12 · 768 · (100² + 200²) = 36,864 · 50,000 = 1,843,200,000
    config = {"num_hidden_layers": 12, "hidden_size": 768}
    assert stats.forward_flops([100, 200], config, 85_054_464) == pytest.approx(52_875_878_400)


def test_forward_flops_counts_real_tokens_only():
    config = {"num_hidden_layers": 2, "hidden_size": 8}
    one = stats.forward_flops([10], config, 1000)
    assert stats.forward_flops([10, 10], config, 1000) == pytest.approx(2 * one)
    assert stats.forward_flops([20], config, 1000) > 2 * one  # attention is quadratic in length


@pytest.mark.parametrize(
    ("small", "large", "expected"),
    [
        (117, 75, 1.56),  # seed 000: M2 Pro, MiniLM 117 items/s, e5-base 75 items/s → "1.56x"
        (210, 208, 1.01),  # seed 000: DGX Spark 210 / 208 → "1.01x"
    ],
)
def test_scaling_penalty_reproduces_seed(small, large, expected):
    assert stats.scaling_penalty(small, large) == pytest.approx(expected, abs=0.005)


def test_scaling_penalty_rejects_zero():
    with pytest.raises(ValueError, match="positive"):
        stats.scaling_penalty(1.0, 0.0)


def test_length_summary_and_histogram():
    out = stats.length_summary([10, 30, 256, 256], max_length=256)
    assert out["mean"] == pytest.approx(138.0)  # (10 + 30 + 256 + 256) / 4
    assert out["p50"] == pytest.approx(143.0)  # (30 + 256) / 2
    assert out["truncated_share"] == pytest.approx(0.5)
    assert out["min"] == 10
    assert out["max"] == 256
    assert out["count"] == 4
    assert stats.histogram([0, 31, 32, 100], bin_width=32) == [(0, 2), (32, 1), (96, 1)]
    assert sum(c for _, c in stats.histogram([5] * 7 + [500])) == 8
    assert math.isclose(stats.length_summary([7])["p95"], 7)


# ---------------------------------------------------------------- trust (issue 11 item 3)
@pytest.mark.parametrize(
    ("xs", "expected"),
    [
        ([90, 100, 105], 0.10),  # median 100; farthest pass 90 is 10 below: ±10%
        ([100, 100, 100], 0.0),  # identical passes
        ([80, 100, 101], 0.20),  # median 100; 80 is 20 below
        ([42.0], 0.0),  # one pass: no spread measurable (trust() treats a single pass as unknown)
    ],
)
def test_relative_spread_hand_computed(xs, expected):
    assert stats.relative_spread(xs) == pytest.approx(expected)


@given(st.lists(st.floats(min_value=0.01, max_value=1e4), min_size=1, max_size=20))
def test_every_pass_lies_within_median_times_one_plus_minus_spread(xs):
    s, mid = stats.relative_spread(xs), stats.median(xs)
    assert all(mid * (1 - s) - 1e-9 * mid <= x <= mid * (1 + s) + 1e-9 * mid for x in xs)


@pytest.mark.parametrize(
    ("items", "batch", "passes", "spread", "trusted", "phrase"),
    [
        (100, 32, 3, 0.04, True, "Median of 3 timed passes"),
        (100, 32, 3, 0.10, True, "within ±10.0%"),  # the limit itself is accepted
        (32, 32, 3, 0.0, True, "Median of 3"),  # exactly one full batch
        (
            16,
            32,
            3,
            0.01,
            False,
            "only 16 items timed, fewer than one full batch of 32",
        ),  # issue 11's run
        (1, 32, 3, 0.0, False, "only 1 item timed"),  # issue 11's 1-item run
        (100, 32, 3, 0.25, False, "differ by up to ±25%"),
        (100, 32, 1, 0.0, False, "single timed pass"),  # one pass cannot show its spread
        (100, 32, 1, None, False, "single timed pass"),  # runs stored before repeated passes
    ],
)
def test_trust_rule(items, batch, passes, spread, trusted, phrase):
    ok, note = stats.trust(items, batch, passes, spread)
    assert ok is trusted
    assert phrase.lower() in note.lower()
    assert note[0].isupper()
    assert note.endswith(".")


def test_small_and_noisy_run_gives_both_reasons():
    ok, note = stats.trust(16, 32, 3, 0.3)
    assert not ok
    assert "fewer than one full batch" in note
    assert "±30%" in note
