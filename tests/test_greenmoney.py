"""Green Money (seed 000's five steps) and the benchmark charts."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from calculator.charts import benchmark as charts
from calculator.greenmoney import (
    REFERENCE_MACHINES,
    GreenMoneyInputs,
    figure_rows,
    format_payback,
    green_money,
    key_figures,
    minutes_per_iteration,
    payback_weeks,
    scaling_penalty,
    seed_roundings,
)
from tests.strategies import green_money_inputs

SEED_EXAMPLE = GreenMoneyInputs(
    minutes_saved_override=15
)  # seed 000 "For my setup: … 15 minutes saved"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (
            "hours_saved_per_sprint",
            12.5,
        ),  # seed 000 worked example: 50 × 15 min = 12.5 h per sprint
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
        # seed 000: DGX Spark e5-base 8.2 minutes (exact 8.25, rounds to 8.3: the seed truncates)
        (208, 8.2),
        (75, 22.9),  # seed 000: M2 Pro e5-base 22.9 minutes
    ],
)
def test_minutes_per_iteration_match_seed_to_its_rounding(items_per_second, quoted_minutes):
    assert minutes_per_iteration(103_000, items_per_second) == pytest.approx(
        quoted_minutes, abs=0.06
    )


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
    assert REFERENCE_MACHINES["M2 Pro"].also_quoted == {
        "minilm-l6": 116.0
    }  # seed 000 prose "116 items per second"
    # seed 000 prices: $4,000 − $2,500 = the $1,500 premium of the worked example
    assert (
        REFERENCE_MACHINES["DGX Spark"].price_usd - REFERENCE_MACHINES["M2 Pro"].price_usd == 1500
    )


def test_seed_roundings_state_where_the_seed_rounds():
    rows = {f.claim: f for f in seed_roundings()}
    assert rows["minutes saved per iteration in the worked example"].computed == "14.64 min"
    assert rows["DGX Spark speed-up on e5-base"].computed.startswith(
        "2.77×"
    )  # 208/75 = 2.7733, seed says 2.78
    assert "$23,783" in rows["dollars per year at $75/h, 26 sprints"].computed


def test_key_figures_have_units():
    figures = dict(key_figures(green_money(SEED_EXAMPLE)))
    assert figures == {
        "Minutes saved per iteration": "15.0 min",
        "Hours saved per sprint": "12.5 h",
        # seed 000: "M2 Pro: ~19 hours" for 50 e5-base iterations; 50 × 103,000 / 75 /
        # 3,600 = 19.07 h
        "Run time, slower machine": "19.1 h",
        "Hours saved per year": "325 h",
        "Savings per year": "$24,375",
        "Payback": "3.2 weeks",
    }
    # the seed's own example is physically possible: no limit applies, no warning is raised
    r = green_money(SEED_EXAMPLE)
    assert (r.capped, r.fits_working_hours, r.notes, r.warnings) == (False, True, (), ())
    assert "Note" not in dict(key_figures(r))


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
def test_more_time_saved_means_more_dollars_up_to_the_whole_iteration(a, b, rate, iters):
    assume(abs(a - b) > 1e-6)
    lo, hi = sorted((a, b))
    base = dict(hourly_rate_usd=rate, iterations_per_sprint=iters)
    small = green_money(GreenMoneyInputs(minutes_saved_override=lo, **base))
    big = green_money(GreenMoneyInputs(minutes_saved_override=hi, **base))
    assert big.dollars_saved_per_year >= small.dollars_saved_per_year
    # strictly more below the cap: one M2 Pro iteration lasts 103,000 / 75 / 60 = 22.89 min
    # (seed 000)
    if lo < big.slower_minutes_per_iteration:
        assert big.dollars_saved_per_year > small.dollars_saved_per_year


@given(
    current=throughputs,
    faster=st.floats(1.01, 100),
    rate_a=rates,
    rate_b=rates,
    premium=st.floats(1, 1e6),
)
def test_payback_falls_as_rate_rises(current, faster, rate_a, rate_b, premium):
    assume(abs(rate_a - rate_b) > 1e-6)
    lo, hi = sorted((rate_a, rate_b))
    base = dict(
        current_items_per_second=current,
        candidate_items_per_second=current * faster,
        hardware_premium_usd=premium,
    )
    slow_pay = green_money(GreenMoneyInputs(hourly_rate_usd=lo, **base)).payback_weeks
    fast_pay = green_money(GreenMoneyInputs(hourly_rate_usd=hi, **base)).payback_weeks
    assert fast_pay < slow_pay


@given(current=throughputs, ratio=st.floats(0.01, 1.0), premium=st.floats(-1e5, 1e5), rate=rates)
def test_no_saving_never_pays_back(current, ratio, premium, rate):
    r = green_money(
        GreenMoneyInputs(
            current_items_per_second=current,
            candidate_items_per_second=current * ratio,
            hardware_premium_usd=premium,
            hourly_rate_usd=rate,
        )
    )
    assert r.minutes_saved_per_iteration <= 1e-9
    assert r.payback_weeks is None or r.minutes_saved_per_iteration > 0
    assert r.dollars_saved_per_year <= 1e-6


@given(
    current=throughputs,
    faster=st.floats(1.01, 100),
    premium=st.floats(1, 1e5),
    horizon=st.integers(1, 520),
)
def test_savings_cross_the_premium_at_the_payback_week(current, faster, premium, horizon):
    r = green_money(
        GreenMoneyInputs(
            current_items_per_second=current,
            candidate_items_per_second=current * faster,
            hardware_premium_usd=premium,
            horizon_weeks=horizon,
        )
    )
    assert len(r.series) == horizon + 1
    savings = [p.cumulative_savings_usd for p in r.series]
    assert savings == sorted(savings)
    per_week = r.dollars_saved_per_year / 52
    assert math.isclose(per_week * r.payback_weeks, premium, rel_tol=1e-9)


# ---------------------------------------------------------------- charts
def test_savings_chart_marks_payback_inside_horizon():
    spec = charts.main_chart(green_money(SEED_EXAMPLE)).to_dict()
    assert spec["title"]["subtitle"] == "Payback: 3.2 weeks"
    marks = [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]
    # savings line, break-even rule + label, the payback point, then a dotted vertical rule
    # labelled at the top (a label beside the point overlapped the axis ticks)
    assert marks == ["line", "rule", "text", "point", "rule", "text"]


def test_savings_chart_without_payback_has_no_marker():
    spec = charts.main_chart(
        green_money(GreenMoneyInputs(candidate_items_per_second=10.0))
    ).to_dict()
    assert len(spec["layer"]) == 3
    assert spec["title"]["subtitle"] == "Payback: never (no time saved)"


def test_comparison_chart_puts_this_run_beside_references_and_past_runs():
    result = {
        "runs": [
            {"model": "minilm-l6", "items_per_second": 27.0, "weights": "pretrained"},
            {"model": "e5-base", "items_per_second": 3.3, "weights": "synthetic"},
        ]
    }
    past = [
        {
            "machine": "Past: laptop",
            "model": "minilm-l6",
            "items_per_second": 20.0,
            "source": "past run",
        }
    ]
    chart = charts.bench_comparison_chart(result, past)
    data = chart.data
    assert len(data) == 2 + 4 + 1
    assert set(data["machine"]) == {
        "This machine",
        "DGX Spark (seed 000)",
        "M2 Pro (seed 000)",
        "Past: laptop",
    }
    penalties = {
        r["machine"]: r["scaling_penalty"] for r in charts.penalty_rows(data.to_dict("records"))
    }
    # 27.0/3.3 = 8.18 here; seed 000 117/75 = 1.56 and 210/208 = 1.01; the past run has one
    # model only
    assert penalties == pytest.approx(
        {"This machine": 27 / 3.3, "M2 Pro (seed 000)": 1.56, "DGX Spark (seed 000)": 210 / 208}
    )
    assert charts.scaling_penalty_chart(charts.penalty_rows(data.to_dict("records"))).to_dict()[
        "layer"
    ]


# ---------------------------------------------------------------- physical limits (issue 11 item 3)
# Issue 11: "'This machine, latest run' against the DGX Spark gave 1,289 hours saved per two-week
# sprint (a sprint has 336 hours), $2.5M a year, payback '0.0 weeks' — from a run of 16 items."
# Back-solved current throughput: 1,289 h × 60 / 50 = 1,546.8 min saved; + 103,000 / 208 / 60 =
# 8.253 min
# on the Spark → 1,555.0 min per iteration → 103,000 / (1,555.0 × 60) = 1.1039 items/s.
ISSUE_RUN = GreenMoneyInputs(current_items_per_second=1.1039)


def test_issue_run_reproduces_the_uncapped_figure():
    r = green_money(ISSUE_RUN)
    # independent: 50 × 103,000/60 × (1/1.1039 − 1/208) / 60 = 1,289.0 h (the issue's figure)
    assert r.hours_saved_uncapped_per_sprint == pytest.approx(1289.0, abs=0.5)
    # 50 × 103,000 / 1.1039 / 3,600 = 1,295.9 h of running on the current machine
    assert r.slower_machine_hours_per_sprint == pytest.approx(1295.9, abs=0.1)


def test_issue_run_is_capped_to_the_iterations_that_fit_in_the_sprint():
    r = green_money(ISSUE_RUN)
    # 2 weeks × 168 h = 336 h; one iteration 1,555.0 min → 336 × 60 / 1,555.0 = 12.96 iterations fit
    assert r.sprint_calendar_hours == 336
    assert r.iterations_counted_per_sprint == pytest.approx(12.96, abs=0.01)
    # they save 12.96 × 1,546.8 / 60 = 334.2 h ≤ 336 h and ≤ 1,295.9 h of waiting
    assert r.hours_saved_per_sprint == pytest.approx(334.2, abs=0.1)
    assert r.hours_saved_per_sprint <= min(336, r.slower_machine_hours_per_sprint)
    assert r.capped
    assert not r.fits_working_hours
    notes = {label: n for label, _, n in figure_rows(r)}
    text = " ".join(notes["Hours saved per sprint"])
    assert "would run for 1,296 hours, more than the 336 hours a 2-week sprint lasts" in text
    assert "rather than 1,289" in text
    # 2 weeks × 40 h = 80 working hours; $75 × 80 = $6,000 of one engineer's time per sprint
    assert "more than the 80 working hours in a 2-week sprint" in text
    assert "upper bound" in text
    assert "$6,000 a sprint" in text


def test_issue_run_payback_is_under_a_day_with_a_warning():
    r = green_money(ISSUE_RUN)
    # 334.2 h × 26 × $75 = $651,7xx a year; $1,500 / $651,7xx × 52 weeks × 168 h = 20.1 hours
    assert r.dollars_saved_per_year == pytest.approx(334.2 * 26 * 75, rel=1e-3)
    assert r.payback_weeks * 168 == pytest.approx(20.1, abs=0.1)
    rows = {label: (value, notes) for label, value, notes in figure_rows(r)}
    value, notes = rows["Payback"]
    assert value == "under a day"  # not the issue's "0.0 weeks"
    assert "paid back in under a day (about 20.1 hours)" in notes[0]


def test_untrusted_measurement_is_repeated_beside_the_figures():
    reason = "Only 16 items timed, fewer than one full batch of 32"
    r = green_money(ISSUE_RUN.model_copy(update={"current_measurement_warning": reason}))
    rows = {label: notes for label, _, notes in figure_rows(r)}
    assert rows["Minutes saved per iteration"][0].startswith(
        "The current machine's throughput (1.1 items/s) is not a trustworthy measurement: Only 16 "
        "items"
    )
    assert rows["Minutes saved per iteration"][0] in r.warnings
    keyed = key_figures(r)  # the PDF/CLI table: the note follows the figure it qualifies
    i = keyed.index(("Minutes saved per iteration", "1,546.8 min"))
    assert keyed[i + 1][0] == "Note"
    assert "not a trustworthy measurement" in keyed[i + 1][1]


@pytest.mark.parametrize(
    ("override", "counted", "word"),
    [
        (
            2000.0,
            22.889,
            "saved",
        ),  # one M2 Pro iteration: 103,000 / 75 / 60 = 22.889 min (seed 000)
        (-2000.0, -22.889, "lost"),  # a slower candidate cannot lose more than a whole iteration
    ],
)
def test_typed_minutes_are_capped_at_the_slower_iteration(override, counted, word):
    r = green_money(GreenMoneyInputs(minutes_saved_override=override))
    assert r.minutes_saved_per_iteration == pytest.approx(counted, abs=1e-3)
    assert r.minutes_saved_uncapped_per_iteration == override
    assert r.capped
    # 50 × 22.889 / 60 = 19.07 h: exactly the waiting time on the M2 Pro
    assert abs(r.hours_saved_per_sprint) == pytest.approx(r.slower_machine_hours_per_sprint)
    note = dict((label, notes) for label, _, notes in figure_rows(r))[
        "Minutes saved per iteration"
    ][0]
    assert f"You typed 2,000.0 minutes {word} per iteration" in note
    assert "takes only 22.9 minutes on the slower machine" in note


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        (3.2, "3.2 weeks"),  # seed 000 worked example
        (1.0, "1.0 weeks"),
        (0.5, "3.5 days"),  # 0.5 × 7
        (1 / 7, "1.0 days"),
        (
            0.031,
            "under a day",
        ),  # issue 11's $2.5M a year: $1,500 / $2.5M × 52 = 0.031 weeks ("0.0 weeks")
        (0.0, "immediately"),
        (None, "never (no time saved)"),
    ],
)
def test_payback_reads_in_weeks_days_or_under_a_day(weeks, expected):
    assert format_payback(weeks) == expected


def test_iterations_beyond_working_hours_but_within_the_sprint_are_an_upper_bound():
    # 50 iterations at 10 items/s: 50 × 103,000 / 10 / 3,600 = 143.1 h — over 80 working
    # hours, under 336
    r = green_money(GreenMoneyInputs(current_items_per_second=10.0))
    assert not r.capped
    assert not r.fits_working_hours
    assert r.hours_saved_per_sprint == pytest.approx(r.hours_saved_uncapped_per_sprint)
    (note,) = dict((label, notes) for label, _, notes in figure_rows(r))["Hours saved per sprint"]
    assert "run for 143 hours on the current machine, more than the 80 working hours" in note
    # 60 working hours a week: 120 h a sprint, still under 143 h; 80 hours a week: 160 h, it fits
    assert not green_money(r.inputs.model_copy(update={"hours_per_week": 60})).fits_working_hours
    assert green_money(r.inputs.model_copy(update={"hours_per_week": 80})).warnings == ()


@settings(max_examples=300, deadline=None)
@given(green_money_inputs())
def test_hours_saved_never_exceed_the_slower_machines_waiting_time(inputs):
    """Issue 11 done-criterion: hours per sprint ≤ the slower machine's waiting time, over the whole
    input space (minutes_saved_override included), and ≤ the sprint's calendar hours."""
    r = green_money(inputs)
    slower_rate = min(inputs.current_items_per_second, inputs.candidate_items_per_second)
    # independent: iterations × items ÷ the slower rate, in hours
    waiting = inputs.iterations_per_sprint * inputs.items_per_iteration / slower_rate / 3600
    calendar = inputs.sprint_length_weeks * 7 * 24
    tol = 1e-9
    assert r.slower_machine_hours_per_sprint == pytest.approx(waiting, rel=1e-9)
    assert abs(r.hours_saved_per_sprint) <= waiting * (1 + tol)
    assert abs(r.hours_saved_per_sprint) <= calendar * (1 + tol)
    assert abs(r.minutes_saved_per_iteration) <= r.slower_minutes_per_iteration * (1 + tol)
    for value in (r.hours_saved_per_sprint, r.hours_saved_per_year, r.dollars_saved_per_year):
        assert math.isfinite(value)
    assert r.payback_weeks is None or (math.isfinite(r.payback_weeks) and r.payback_weeks >= 0)
    # every limit that lowered the figure, and every overrun of the working hours, is said in words
    if r.capped:
        assert any(
            n.figure in ("Minutes saved per iteration", "Hours saved per sprint") for n in r.notes
        )
    if not r.fits_working_hours:
        assert any("working hours" in w for w in r.warnings)
    assert list(r.warnings) == [n.text for n in r.notes]


def test_penalty_chart_marks_an_untrusted_run():
    # issue 11: the 1-item run's 1.98× must not read like a measurement; 19.8 / 10.0 = 1.98
    untrusted = {
        "runs": [
            {"model": "minilm-l6", "items_per_second": 19.8, "trusted": False},
            {"model": "e5-base", "items_per_second": 10.0, "trusted": False},
        ]
    }
    rows = charts.penalty_rows(charts.rows_from_bench_result(untrusted) + charts.reference_rows())
    by_machine = {r["machine"]: r for r in rows}
    assert by_machine["This machine"]["label"] == "1.98× (not trustworthy)"
    assert by_machine["This machine"]["trusted"] is False
    assert by_machine["M2 Pro (seed 000)"]["label"] == "1.56×"  # seed 000's quoted figure, no mark
    spec = charts.scaling_penalty_chart(rows).to_dict()
    assert spec["layer"][0]["encoding"]["opacity"]["condition"]["test"] == "datum.trusted"
