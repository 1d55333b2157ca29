"""Green Money (seed 000's five steps) and the benchmark charts."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from calculator.charts import benchmark as charts
from calculator.greenmoney import (
    REFERENCE_MACHINES,
    GreenMoneyInputs,
    format_payback,
    green_money,
    key_figures,
    minutes_per_iteration,
    payback_weeks,
    scaling_penalty,
    seed_roundings,
)

SEED_EXAMPLE = GreenMoneyInputs(minutes_saved_override=15)  # seed 000 "For my setup: … 15 minutes saved"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("hours_saved_per_sprint", 12.5),  # seed 000 worked example: 50 × 15 min = 12.5 h per sprint
        ("hours_saved_per_year", 325.0),  # seed 000: "= 325 hours per year" (12.5 × 26)
        ("dollars_saved_per_year", 24_375.0),  # seed 000: "at $75/hour = $24,375"
    ],
)
def test_seed_worked_example(field, expected):
    assert getattr(green_money(SEED_EXAMPLE), field) == pytest.approx(expected)


def test_seed_payback_about_three_weeks():
    # seed 000: "$1,500 hardware premium pays for itself in three weeks";
    # independent: 1,500 / 24,375 × 52 = 3.2 weeks
    assert green_money(SEED_EXAMPLE).payback_weeks == pytest.approx(1500 / 24375 * 52)
    assert round(green_money(SEED_EXAMPLE).payback_weeks) == 3


@pytest.mark.parametrize(
    ("items_per_second", "quoted_minutes"),
    [
        (210, 8.2),  # seed 000: DGX Spark MiniLM-L6 8.2 minutes
        (117, 14.7),  # seed 000: M2 Pro MiniLM-L6 14.7 minutes
        (208, 8.2),  # seed 000: DGX Spark e5-base 8.2 minutes (exact 8.25, rounds to 8.3: the seed truncates)
        (75, 22.9),  # seed 000: M2 Pro e5-base 22.9 minutes
    ],
)
def test_minutes_per_iteration_match_seed_to_its_rounding(items_per_second, quoted_minutes):
    assert minutes_per_iteration(103_000, items_per_second) == pytest.approx(quoted_minutes, abs=0.06)


def test_default_inputs_use_the_seed_throughputs_not_its_rounded_15_minutes():
    r = green_money(GreenMoneyInputs())
    # independent: 103,000/60 × (1/75 − 1/208) = 22.8889 − 8.2532 = 14.6357 min
    assert r.minutes_saved_per_iteration == pytest.approx(14.6357, abs=1e-4)
    # 50 × 14.6357 / 60 = 12.196 h/sprint (seed 000 text: "Lost time: 12 hours per sprint")
    assert r.hours_saved_per_sprint == pytest.approx(12.1964, abs=1e-3)
    # × 26 × 75 = 23,782.99 USD/year; payback 1,500 / 23,783 × 52 = 3.28 weeks
    assert r.dollars_saved_per_year == pytest.approx(23_782.99, abs=0.01)
    assert r.payback_weeks == pytest.approx(3.2797, abs=1e-3)
    assert r.speedup == pytest.approx(208 / 75)


def test_reference_machine_scaling_penalties():
    # seed 000: "degraded by 1.56x … The Spark's degraded by 1.01x"
    assert REFERENCE_MACHINES["M2 Pro"].scaling_penalty() == pytest.approx(1.56)
    assert round(REFERENCE_MACHINES["DGX Spark"].scaling_penalty(), 2) == 1.01
    assert REFERENCE_MACHINES["M2 Pro"].also_quoted == {"minilm-l6": 116.0}  # seed 000 prose "116 items per second"
    # seed 000 prices: $4,000 − $2,500 = the $1,500 premium of the worked example
    assert REFERENCE_MACHINES["DGX Spark"].price_usd - REFERENCE_MACHINES["M2 Pro"].price_usd == 1500


def test_seed_roundings_state_where_the_seed_rounds():
    rows = {f.claim: f for f in seed_roundings()}
    assert rows["minutes saved per iteration in the worked example"].computed == "14.64 min"
    assert rows["DGX Spark speed-up on e5-base"].computed.startswith("2.77×")  # 208/75 = 2.7733, seed says 2.78
    assert "$23,783" in rows["dollars per year at $75/h, 26 sprints"].computed


def test_key_figures_have_units():
    figures = dict(key_figures(green_money(SEED_EXAMPLE)))
    assert figures == {
        "Minutes saved per iteration": "15.0 min",
        "Hours saved per sprint": "12.5 h",
        "Hours saved per year": "325 h",
        "Savings per year": "$24,375",
        "Payback": "3.2 weeks",
    }


def test_zero_saving_has_no_payback():
    r = green_money(GreenMoneyInputs(candidate_items_per_second=75.0))  # same machine speed
    assert r.minutes_saved_per_iteration == 0
    assert r.payback_weeks is None
    assert dict(key_figures(r))["Payback"] == "never (no time saved)"


def test_cheaper_and_faster_pays_back_immediately():
    assert payback_weeks(-500, 1000) == 0.0
    assert format_payback(0.0) == "immediately"


def test_sprints_must_fit_in_a_year():
    with pytest.raises(ValidationError, match="do not fit in a year"):
        GreenMoneyInputs(sprint_length_weeks=2, sprints_per_year=52)


def test_scaling_penalty_rejects_non_positive():
    with pytest.raises(ValueError, match="positive"):
        scaling_penalty(100, 0)


# ---------------------------------------------------------------- properties
rates = st.floats(1, 1000)
throughputs = st.floats(0.5, 5000)


@given(a=st.floats(0, 500), b=st.floats(0, 500), rate=rates, iters=st.integers(1, 500))
def test_more_time_saved_means_more_dollars(a, b, rate, iters):
    assume(abs(a - b) > 1e-6)
    lo, hi = sorted((a, b))
    base = dict(hourly_rate_usd=rate, iterations_per_sprint=iters)
    small = green_money(GreenMoneyInputs(minutes_saved_override=lo, **base))
    big = green_money(GreenMoneyInputs(minutes_saved_override=hi, **base))
    assert big.dollars_saved_per_year > small.dollars_saved_per_year


@given(current=throughputs, faster=st.floats(1.01, 100), rate_a=rates, rate_b=rates, premium=st.floats(1, 1e6))
def test_payback_falls_as_rate_rises(current, faster, rate_a, rate_b, premium):
    assume(abs(rate_a - rate_b) > 1e-6)
    lo, hi = sorted((rate_a, rate_b))
    base = dict(current_items_per_second=current, candidate_items_per_second=current * faster,
                hardware_premium_usd=premium)
    slow_pay = green_money(GreenMoneyInputs(hourly_rate_usd=lo, **base)).payback_weeks
    fast_pay = green_money(GreenMoneyInputs(hourly_rate_usd=hi, **base)).payback_weeks
    assert fast_pay < slow_pay


@given(current=throughputs, ratio=st.floats(0.01, 1.0), premium=st.floats(-1e5, 1e5), rate=rates)
def test_no_saving_never_pays_back(current, ratio, premium, rate):
    r = green_money(GreenMoneyInputs(current_items_per_second=current, candidate_items_per_second=current * ratio,
                                     hardware_premium_usd=premium, hourly_rate_usd=rate))
    assert r.minutes_saved_per_iteration <= 1e-9
    assert r.payback_weeks is None or r.minutes_saved_per_iteration > 0
    assert r.dollars_saved_per_year <= 1e-6


@given(current=throughputs, faster=st.floats(1.01, 100), premium=st.floats(1, 1e5), horizon=st.integers(1, 520))
def test_savings_cross_the_premium_at_the_payback_week(current, faster, premium, horizon):
    r = green_money(GreenMoneyInputs(current_items_per_second=current, candidate_items_per_second=current * faster,
                                     hardware_premium_usd=premium, horizon_weeks=horizon))
    assert len(r.series) == horizon + 1
    savings = [p.cumulative_savings_usd for p in r.series]
    assert savings == sorted(savings)
    per_week = r.dollars_saved_per_year / 52
    assert math.isclose(per_week * r.payback_weeks, premium, rel_tol=1e-9)


# ---------------------------------------------------------------- charts
def test_savings_chart_marks_payback_inside_horizon():
    spec = charts.main_chart(green_money(SEED_EXAMPLE)).to_dict()
    assert spec["title"]["subtitle"] == "Payback: 3.2 weeks"
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["line", "rule", "text", "point", "text"]


def test_savings_chart_without_payback_has_no_marker():
    spec = charts.main_chart(green_money(GreenMoneyInputs(candidate_items_per_second=10.0))).to_dict()
    assert len(spec["layer"]) == 3
    assert spec["title"]["subtitle"] == "Payback: never (no time saved)"


def test_comparison_chart_puts_this_run_beside_references_and_past_runs():
    result = {"runs": [{"model": "minilm-l6", "items_per_second": 27.0, "weights": "pretrained"},
                       {"model": "e5-base", "items_per_second": 3.3, "weights": "synthetic"}]}
    past = [{"machine": "Past: laptop", "model": "minilm-l6", "items_per_second": 20.0, "source": "past run"}]
    chart = charts.bench_comparison_chart(result, past)
    data = chart.data
    assert len(data) == 2 + 4 + 1
    assert set(data["machine"]) == {"This machine", "DGX Spark (seed 000)", "M2 Pro (seed 000)", "Past: laptop"}
    penalties = {r["machine"]: r["scaling_penalty"] for r in charts.penalty_rows(data.to_dict("records"))}
    # 27.0/3.3 = 8.18 here; seed 000 117/75 = 1.56 and 210/208 = 1.01; the past run has one model only
    assert penalties == pytest.approx({"This machine": 27 / 3.3, "M2 Pro (seed 000)": 1.56,
                                       "DGX Spark (seed 000)": 210 / 208})
    assert charts.scaling_penalty_chart(charts.penalty_rows(data.to_dict("records"))).to_dict()["layer"]
