"""Green Money's ranges (issue 12): P10–P90 of hours, dollars and payback; tornado; basis.

Oracle: the scalar engine ``green_money`` — every simulated sample must be what it gives for
the same inputs — and the log-normal's own quantiles for the throughput spreads.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings

from calculator import greenmoney as gm
from calculator.cli import main
from calculator.greenmoney import GreenMoneyInputs, green_money, green_money_uncertainty
from calculator.uncertainty import draw, point
from tests.strategies import green_money_inputs


@pytest.mark.parametrize(
    "inputs",
    [
        GreenMoneyInputs(),  # seed 000: M2 Pro 75 → DGX Spark 208 items/s
        GreenMoneyInputs(minutes_saved_override=15),  # seed 000's round 15 minutes
        GreenMoneyInputs(current_items_per_second=1.1039),  # issue 11's 16-item run
        GreenMoneyInputs(candidate_items_per_second=60),  # the candidate is slower
    ],
)
def test_every_sample_at_its_point_gives_the_headline(inputs):
    r = green_money(inputs)
    s = gm.savings_samples(inputs, point(gm.uncertain_inputs(inputs)))
    assert float(s["hours_per_sprint"][0]) == pytest.approx(r.hours_saved_per_sprint, rel=1e-12)
    assert float(s["dollars_per_year"][0]) == pytest.approx(r.dollars_saved_per_year, rel=1e-12)
    expected = math.inf if r.payback_weeks is None else r.payback_weeks
    assert float(s["payback_weeks"][0]) == pytest.approx(expected, rel=1e-12)


def test_samples_equal_a_slow_scalar_loop():
    inputs = GreenMoneyInputs()
    unc = gm.uncertain_inputs(inputs, {"hourly_rate_usd": 0.3})
    values = draw(unc, 20, seed=5)
    fast = gm.savings_samples(inputs, values)["dollars_per_year"]
    for i in range(20):
        one = inputs.model_copy(update={k: float(v[i]) for k, v in values.items()})
        assert fast[i] == pytest.approx(green_money(one).dollars_saved_per_year, rel=1e-9)


def test_measured_iqr_sets_the_throughput_range():
    # log-normal with median m and P75 = m + IQR/2: P90 = m·exp(1.2816·ln((m + IQR/2)/m)/0.6745)
    inputs = GreenMoneyInputs(current_items_per_second=27.0, current_items_per_second_iqr=1.0)
    (u,) = [x for x in gm.uncertain_inputs(inputs) if x.key == "current_items_per_second"]
    sigma = math.log(27.5 / 27.0) / 0.6744897501960817
    assert u.high == pytest.approx(27.0 * math.exp(1.2815515655446004 * sigma))
    basis = green_money_uncertainty(inputs, n=200).basis
    assert "from measurements on this machine" in basis


@settings(max_examples=80, deadline=None)
@given(green_money_inputs())
def test_ranges_are_ordered_finite_and_within_the_physical_cap(inputs):
    r = green_money(inputs)
    u = green_money_uncertainty(inputs, n=300)
    for rng in (u.hours_saved_per_sprint, u.dollars_saved_per_year, u.payback_weeks):
        assert rng.p10 <= rng.p50 <= rng.p90
        assert all(math.isfinite(x) for x in rng.as_dict().values())
    # no sample saves more hours than a sprint lasts (issue 11's cap holds in every draw)
    assert u.hours_saved_per_sprint.p90 <= inputs.sprint_length_weeks * 168 * (1 + 1e-9)
    assert 0 <= u.share_never_pays_back <= 1
    assert r.dollars_saved_per_year == u.dollars_saved_per_year.point


def test_seed_example_point_inside_its_likely_range():
    u = green_money_uncertainty(GreenMoneyInputs())
    d = u.dollars_saved_per_year
    assert d.point == pytest.approx(
        23_783, abs=1
    )  # seed 000's throughputs: 14.64 min × 50 × 26 × $75
    assert d.p10 < d.point < d.p90
    assert u.tornado[0].key == "iterations_per_sprint"  # seed 000's 40–60 moves it most


def test_a_slower_candidate_never_pays_back_in_most_draws():
    u = green_money_uncertainty(GreenMoneyInputs(candidate_items_per_second=60))
    assert u.share_never_pays_back > 0.9
    assert gm.range_texts(u)[gm.PAYBACK].startswith("likely never")


def test_cli_json_carries_ranges(capsys):
    assert main(["greenmoney", "--json", "--samples", "500", "--seed", "9"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = green_money_uncertainty(GreenMoneyInputs(), n=500, seed=9)
    assert data["ranges"]["dollars_saved_per_year"] == expected.dollars_saved_per_year.as_dict()
    assert data["sensitivity"][0]["key"] == expected.tornado[0].key


def test_cli_rejects_a_spread_on_an_unknown_input(capsys):
    assert main(["greenmoney", "--spread", "sprint_length_weeks=0.2"]) == 2
    assert "cannot carry a spread" in capsys.readouterr().err


def test_same_seed_same_range():
    assert green_money_uncertainty(GreenMoneyInputs()) == green_money_uncertainty(
        GreenMoneyInputs()
    )
    assert np.isfinite(green_money_uncertainty(GreenMoneyInputs()).payback_weeks.p90)
