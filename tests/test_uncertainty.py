"""The sampler of calculator.uncertainty: Latin hypercube strata and the inverse CDFs."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator.uncertainty import Uncertain, normal_quantile


def make(kind, low, base, high):
    return Uncertain(
        key="x", label="X", kind=kind, low=low, base=base, high=high, source="seed range"
    )


@pytest.mark.parametrize("n", [1, 7, 1000])
def test_uniform_draws_fill_every_stratum_once(n):
    # Latin hypercube (McKay et al. 1979): exactly one draw in each of the n equal strata
    x = make("uniform", 0.0, 0.5, 1.0).sample(np.random.default_rng(3), n)
    assert sorted(np.floor(x * n).astype(int).tolist()) == list(range(n))


@given(st.floats(0.001, 0.999))
def test_normal_quantile_matches_the_standard_library(p):
    # independent oracle: statistics.NormalDist().inv_cdf (Wichura's AS241)
    expected = statistics.NormalDist().inv_cdf(p)
    assert float(normal_quantile(np.array([p]))[0]) == pytest.approx(expected, abs=1e-8)


@given(
    st.floats(-100, 100),
    st.floats(0.01, 50),
    st.floats(0.01, 50),
    st.floats(0.001, 0.999),
)
def test_triangular_inverse_cdf_inverts_the_cdf(a, left, right, u):
    # independent calculation: the triangular CDF, F(x) = (x−a)²/((b−a)(c−a)) below the mode c,
    # 1 − (b−x)²/((b−a)(b−c)) above it
    c, b = a + left, a + left + right
    x = float(make("triangular", a, c, b).inverse_cdf(np.array([u]))[0])
    cdf = (x - a) ** 2 / ((b - a) * (c - a)) if x <= c else 1 - (b - x) ** 2 / ((b - a) * (b - c))
    assert cdf == pytest.approx(u, abs=1e-9)


def test_lognormal_quantiles_are_its_low_and_high():
    # the input's definition: median = base, P10 = low, P90 = high (symmetric factor 1.3)
    u = make("lognormal", 0.35 / 1.3, 0.35, 0.35 * 1.3)
    assert u.inverse_cdf(np.array([0.1, 0.5, 0.9])).tolist() == pytest.approx(
        [0.35 / 1.3, 0.35, 0.35 * 1.3], rel=1e-8
    )
    x = u.sample(np.random.default_rng(1), 16_000)
    assert np.quantile(x, [0.1, 0.9]).tolist() == pytest.approx([0.35 / 1.3, 0.35 * 1.3], rel=1e-3)
