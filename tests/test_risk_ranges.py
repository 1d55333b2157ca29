"""Ranges of the assessment (issue 12): P10–P90 of the score and the costs, tornadoes, basis.

Oracles: the scalar engine (``assess``, ``forecast``) — the simulation's samples must be what
the scalar formulas give at the same inputs — and the order statistics' own properties.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

from calculator import forecast as fc
from calculator import risk
from calculator.common import COMPONENTS
from calculator.presets import PRESETS
from calculator.risk import Answers, assess, assess_ranges, score_samples, uncertain_answers
from calculator.uncertainty import draw, point
from tests.strategies import answers

SEED6 = PRESETS["Seed 001 §6 recommendation system"]
BUDGETED = Answers(economics={"monthly_budget_usd": 150_000.0})  # crosses within 36 months


@pytest.mark.parametrize("a", [Answers(), SEED6, BUDGETED, *PRESETS.values()])
def test_every_sample_at_its_point_gives_the_headline(a):
    # oracle: assess(), whose score is rounded to tenths by allocate_points
    inputs = uncertain_answers(a)
    assert float(score_samples(a, point(inputs))[0]) == pytest.approx(assess(a).score, abs=0.05)
    r = assess_ranges(a, n=200)
    f = assess(a).forecast
    for month in risk.RANGE_MONTHS:
        total = sum(f.trajectories["base"][c][month] for c in COMPONENTS)
        assert r.cost[month]["total"].point == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("variant", ["low", "high"])
def test_all_exponents_at_one_end_match_the_scalar_forecast(variant):
    # oracle: forecast()'s low / high variant, written with scalar code
    inp = risk._forecast_inputs(SEED6)
    end = 0 if variant == "low" else 2
    values = {k: np.array([v[end]]) for k, v in fc.exponent_ranges(inp).items()}
    t = fc.trajectory_samples(inp, values, 36)
    f = fc.forecast(inp, 36)
    for c in COMPONENTS:
        assert t[c][0].tolist() == pytest.approx(f.trajectories[variant][c], rel=1e-9)


def test_user_spread_samples_equal_a_slow_scalar_loop():
    # oracle: assess() on the answers rewritten with each sampled value, one at a time
    a = SEED6.model_copy(update={"spreads": {"growth.users_multiple": 0.4}})
    inputs = [u for u in uncertain_answers(a) if u.source == "your spread"]
    values = draw(inputs, 20, seed=7)
    users = values["growth.users_multiple"]
    fast = score_samples(a, values)  # exponents at their point values
    for u, s in zip(users, fast, strict=True):
        slow = assess(
            a.model_copy(update={"growth": a.growth.model_copy(update={"users_multiple": u})})
        )
        assert float(s) == pytest.approx(slow.score, abs=0.05)


@settings(max_examples=60, deadline=None)
@given(answers())
def test_ranges_are_ordered_finite_and_bounded(a):
    r = assess_ranges(a, n=300)
    assert r.score.p10 <= r.score.p50 <= r.score.p90
    assert 0 <= r.score.p10
    assert r.score.p90 <= 100
    assert 0 <= r.share_critical <= 1
    for month in risk.RANGE_MONTHS:
        for c, rng in r.cost[month].items():
            assert math.isfinite(rng.p90), c
            assert 0 <= rng.p10 <= rng.p50 <= rng.p90, c
    assert all(lo <= hi for lo, hi in zip(r.band_p10, r.band_p90, strict=True))
    swings = [b.swing for b in r.score_tornado]
    assert swings == sorted(swings, reverse=True)


def test_wider_spread_never_narrows_the_cost_range():
    # triangular draws scale linearly with the spread around the value (inverse CDF), and the
    # 36-month cost rises with user growth, so the P10–P90 width grows with the spread
    widths = []
    for spread in (0.0, 0.1, 0.3, 0.6):
        a = SEED6.model_copy(update={"spreads": {"growth.users_multiple": spread}})
        c = assess_ranges(a, n=2000).cost[36]["total"]
        widths.append(c.p90 - c.p10)
    assert widths == sorted(widths)


def test_same_seed_same_range_and_converged_at_the_default_size():
    a = SEED6
    assert assess_ranges(a) == assess_ranges(a)
    one, other = assess_ranges(a, seed=1), assess_ranges(a, seed=2)
    for attr in ("p10", "p90"):  # convergence at 4,000 samples (methodology page)
        x, y = getattr(one.cost[36]["total"], attr), getattr(other.cost[36]["total"], attr)
        assert abs(x - y) / x < 0.02  # measured: max−min over ten seeds 0.7% (P10), 1.1% (P90)


def test_seed_example_point_inside_its_likely_range():
    # seed 001 §6: $730,329 at 12 months (calculator's own figure, methodology page)
    r = assess_ranges(SEED6).cost[12]["total"]
    assert r.point == pytest.approx(730_329, abs=1)
    assert r.p10 <= r.point <= r.p90


def test_tornado_bar_is_the_score_with_one_input_at_an_end():
    a = SEED6
    inputs = uncertain_answers(a)
    bar = assess_ranges(a, n=100).score_tornado[0]
    moved = {u.key: np.array([u.low if u.key == bar.key else u.base]) for u in inputs}
    assert float(score_samples(a, moved)[0]) == pytest.approx(bar.low)


def test_spreads_must_name_numeric_answers_with_fractions():
    with pytest.raises(ValueError, match="only numeric answers"):
        Answers(spreads={"growth.horizon_months": 0.2})
    with pytest.raises(ValueError, match="between 0 and 1"):
        Answers(spreads={"growth.users_multiple": 1.5})


def test_basis_names_the_spread_and_the_assumption():
    a = Answers(spreads={"growth.users_multiple": 0.3})
    basis = assess_ranges(a, n=100).basis
    assert basis.startswith("How sure: from formulas only")
    assert "user growth (± spread)" in basis
    assert "growth exponents (seed 001 ranges)" in basis
