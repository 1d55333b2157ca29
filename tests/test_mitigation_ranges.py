"""Ranges of the mitigation plan's headlines (issue 12): vectorised cash flow, quantiles, tornado.

Oracles: :func:`calculator.mitigation.evaluate_plan` itself (the point, and a slow loop over
samples substituted into the inputs), hand calculations on a one-action plan, and seed 001 §5's
ranges for the labels.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator import mitigation as mt
from calculator import risk
from calculator.common import COMPONENTS, ComponentCosts
from calculator.uncertainty import draw, point

ONE_MONTH_WEEKS = 52 / 12
HEADLINES = (
    "npv_usd",
    "payback_months",
    "roi_multiple",
    "investment_usd",
    "investment_horizon_usd",
    "savings_horizon_usd",
    "monthly_savings_usd",
)


def action(id="a", *, red=(0.5, 0.5), inv=(4000.0, 4000.0), weeks=None, fte=(0.0, 0.0), **kw):
    weeks = weeks or (ONE_MONTH_WEEKS, ONE_MONTH_WEEKS)
    return mt.ActionSpec(
        id=id,
        name=id,
        phase=kw.pop("phase", 1),
        components=kw.pop("components", ("inference",)),
        reduction_low=red[0],
        reduction_high=red[1],
        investment_low_usd=inv[0],
        investment_high_usd=inv[1],
        duration_weeks_low=weeks[0],
        duration_weeks_high=weeks[1],
        engineers_low=fte[0],
        engineers_high=fte[1],
    )


def flat(*actions, cost=10_000.0, horizon=12, **kw) -> mt.MitigationInputs:
    c = ComponentCosts(inference=cost)
    return mt.MitigationInputs(
        current_monthly_cost=c,
        projected_monthly_cost=c,
        horizon_months=horizon,
        actions=actions,
        **kw,
    )


def page_default() -> mt.MitigationInputs:
    """What the page starts from: the assessment's default answers (12 months, pilot)."""
    answers = risk.Answers()
    return risk.mitigation_inputs_from(answers, risk.assess(answers))


def plan_figures(m: mt.Metrics) -> dict[str, float]:
    """evaluate_plan's plan metrics in plan_samples' conventions (never → inf, no ROI → NaN)."""
    return {
        "npv_usd": m.npv_usd,
        "payback_months": math.inf if m.payback_months is None else m.payback_months,
        "roi_multiple": math.nan if m.roi_multiple is None else m.roi_multiple,
        "investment_usd": m.investment_usd,
        "investment_horizon_usd": m.investment_horizon_usd,
        "savings_horizon_usd": m.savings_horizon_usd,
        "monthly_savings_usd": m.monthly_savings_usd,
    }


def assert_same(got: float, expected: float, scale: float) -> None:
    """Equal to 1e-9 relative (absolute 1e-9 of the plan's money scale near zero)."""
    if math.isnan(expected) or math.isinf(expected):
        assert got == expected or (math.isnan(got) and math.isnan(expected))
    else:
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-9 * scale)


def substituted(inputs: mt.MitigationInputs, values, i: int) -> mt.MitigationInputs:
    """``inputs`` with sample ``i`` written into it: every range collapsed to the sampled value.

    The stage multiplier is folded into the cash and the loaded cost (it multiplies both), so the
    oracle runs at stage production.
    """

    def v(key: str, default: float) -> float:
        return float(values[key][i]) if key in values else default

    mult = v("stage", mt.stage_multiplier(inputs.stage))
    chosen = set(inputs.selected_ids)
    acts = []
    for a in inputs.actions:
        if a.id in chosen:
            r = v(f"{a.id}.reduction", a.reduction("base"))
            c = v(f"{a.id}.cash", a.investment("base")) * mult
            w = v(f"{a.id}.weeks", a.duration_months("base") * mt.WEEKS_PER_MONTH)
            n = v(f"{a.id}.engineers", a.engineers("base"))
            a = a.model_copy(
                update={
                    "reduction_low": r,
                    "reduction_high": r,
                    "investment_low_usd": c,
                    "investment_high_usd": c,
                    "duration_weeks_low": w,
                    "duration_weeks_high": w,
                    "engineers_low": n,
                    "engineers_high": n,
                }
            )
        acts.append(a)
    costs = {
        side: ComponentCosts(
            **{c: v(f"{side}.{c}", getattr(getattr(inputs, side), c)) for c in COMPONENTS}
        )
        for side in ("current_monthly_cost", "projected_monthly_cost")
    }
    return inputs.model_copy(
        update={
            "actions": tuple(acts),
            "stage": "production",
            "loaded_cost_per_fte_usd": v("loaded_cost_per_fte_usd", inputs.loaded_cost_per_fte_usd)
            * mult,
            "discount_rate_annual": v("discount_rate_annual", inputs.discount_rate_annual),
            **costs,
        }
    )


CASES = {
    "seed example, 36 months": mt.MitigationInputs(),
    "seed example, 12 months, design": mt.MitigationInputs(horizon_months=12, stage="design"),
    "seed example, 120 months, continue": mt.MitigationInputs(
        horizon_months=120, after_growth="continue"
    ),
    "quick wins only": mt.MitigationInputs(
        selected=tuple(a.id for a in mt.DEFAULT_ACTIONS if a.phase == 1), horizon_months=6
    ),
    "shrinking costs, a zero component": mt.MitigationInputs(
        current_monthly_cost=ComponentCosts(inference=50_000.0, storage=0.0, training=8_000.0),
        projected_monthly_cost=ComponentCosts(inference=20_000.0, storage=4_000.0),
        growth_horizon_months=7,
    ),
    "one-month action, hand-checkable": flat(action(), discount_rate_annual=0.0),
}


# ─── the point: the vectorised formula is evaluate_plan's ──────────────────────────────


@pytest.mark.parametrize("inputs", CASES.values(), ids=CASES.keys())
def test_vectorised_point_is_evaluate_plan(inputs):
    # oracle: evaluate_plan's plan (the scalar daily-grid loop)
    expected = plan_figures(mt.evaluate_plan(inputs).plan)
    got = mt.plan_samples(inputs, point(mt.plan_inputs(inputs)))
    for key in HEADLINES:
        assert_same(float(got[key][0]), expected[key], expected["investment_usd"] + 1.0)
    # with all samples at the point (no draw), every sample is the point
    many = {k: np.repeat(v, 5) for k, v in point(mt.plan_inputs(inputs)).items()}
    for key in HEADLINES:
        assert np.array_equal(
            mt.plan_samples(inputs, many)[key], np.repeat(got[key], 5), equal_nan=True
        )


@pytest.mark.parametrize("inputs", CASES.values(), ids=CASES.keys())
def test_range_points_are_evaluate_plans_figures(inputs):
    plan = mt.evaluate_plan(inputs).plan
    u = mt.plan_uncertainty(inputs, n=200)
    assert u.npv_usd.point == plan.npv_usd  # exactly: the same function
    assert u.payback_months.point == plan.payback_months
    assert (u.roi_multiple.point if u.roi_multiple else None) == plan.roi_multiple
    assert u.investment_usd.point == plan.investment_usd
    assert u.savings_horizon_usd.point == plan.savings_horizon_usd
    assert u.monthly_savings_usd.point == plan.monthly_savings_usd


@pytest.mark.parametrize(
    ("inputs", "spreads"),
    [
        (mt.MitigationInputs(), {"current_monthly_cost.inference": 0.4}),
        (
            mt.MitigationInputs(horizon_months=24, stage="design"),
            {
                "projected_monthly_cost.operations": 0.5,
                "discount_rate_annual": 0.5,
                "loaded_cost_per_fte_usd": 0.3,
            },
        ),
        (page_default(), {}),
    ],
    ids=["seed example + cost spread", "design, three spreads", "page default"],
)
def test_samples_match_a_slow_loop_over_evaluate_plan(inputs, spreads):
    # oracle: evaluate_plan on the inputs with each sampled value written in (20 samples)
    values = draw(mt.plan_inputs(inputs, spreads), 20, seed=7)
    got = mt.plan_samples(inputs, values)
    for i in range(20):
        expected = plan_figures(mt.evaluate_plan(substituted(inputs, values, i)).plan)
        for key in HEADLINES:
            assert_same(float(got[key][i]), expected[key], expected["investment_usd"] + 1.0)


# ─── hand calculation ──────────────────────────────────────────────────────────────────


def test_one_action_range_by_hand():
    # independent calculation: a one-month action, $4,000, no engineers, reduction uniform
    # 40–60% of a flat $10,000/month, 12 months, no discounting.  Savings = r × $10,000 × 11
    # months, linear in r, so their P10 / P90 are those of r: 0.42 / 0.58 → $46,200 / $63,800.
    # Payback = 1 + 4,000 / (r × 10,000),
    # decreasing in r: P10 at r = 0.58 → 1.690 months, P90 at r = 0.42 → 1.952 months.
    inputs = flat(action(red=(0.4, 0.6)), discount_rate_annual=0.0)
    u = mt.plan_uncertainty(inputs)
    assert u.savings_horizon_usd.p10 == pytest.approx(46_200, rel=5e-3)
    assert u.savings_horizon_usd.p90 == pytest.approx(63_800, rel=5e-3)
    assert u.npv_usd.point == pytest.approx(0.5 * 10_000 * 11 - 4_000)
    assert u.payback_months.p10 == pytest.approx(1 + 4_000 / 5_800, rel=5e-3)
    assert u.payback_months.p90 == pytest.approx(1 + 4_000 / 4_200, rel=5e-3)
    assert u.payback_months.never_share == 0
    assert u.investment_usd.p10 == u.investment_usd.p90 == 4_000  # fixed: collapses
    # tornado: the reduction is the only input that moves; NPV at its ends = r × 110,000 − 4,000
    (bar,) = u.npv_tornado
    assert bar.key == "a.reduction"
    assert (bar.low, bar.high) == (pytest.approx(40_000), pytest.approx(62_000))


def test_payback_never_is_counted_as_later_than_any_payback():
    # independent calculation: 5 samples, one never → P10 at rank 0.4 → 1.4; P50 at rank 2 → 3;
    # P90 at rank 3.6 falls between 4 and never → never (None); 1 of 5 never = 20%
    r = mt.payback_range(np.array([3.0, 1.0, np.inf, 2.0, 4.0]), 2.0)
    assert (r.p10, r.p50, r.p90, r.never_share) == (pytest.approx(1.4), 3.0, None, 0.2)
    assert mt.payback_range(np.full(4, np.inf), None).as_dict() == {
        "p10": None,
        "p50": None,
        "p90": None,
        "never_share": 1.0,
    }
    # finite samples: numpy's linear quantiles
    x = np.random.default_rng(1).uniform(0, 10, 101)
    r = mt.payback_range(x, 5.0)
    assert [r.p10, r.p50, r.p90] == pytest.approx(list(np.quantile(x, [0.1, 0.5, 0.9])))


def test_a_plan_that_pays_back_in_some_samples_only():
    # a 12-week action over a 6-month horizon that pays back at its base values only just: cash
    # $20K–$80K; payback = 2.77 + I / $15,000 months → never within 6 months when I > $48.5K
    inputs = flat(
        action(red=(0.5, 0.5), inv=(20_000.0, 80_000.0), weeks=(12.0, 12.0)),
        cost=30_000.0,
        horizon=6,
    )
    u = mt.plan_uncertainty(inputs)
    share = (80_000 - (6 - 12 / mt.WEEKS_PER_MONTH) * 15_000) / 60_000  # uniform cash above $48.5K
    assert u.payback_months.never_share == pytest.approx(share, abs=0.03)
    assert u.payback_months.p10 is not None
    assert u.payback_months.p90 is None
    assert "never pay back" in mt.format_likely_payback(u.payback_months, 6)


# ─── properties of the ranges ──────────────────────────────────────────────────────────


def ranges(u: mt.PlanUncertainty):
    out = [u.npv_usd, u.investment_usd, u.savings_horizon_usd, u.monthly_savings_usd]
    return out + ([u.roi_multiple] if u.roi_multiple else [])


@pytest.mark.parametrize(
    "inputs",
    [mt.MitigationInputs(), page_default(), mt.MitigationInputs(horizon_months=12, stage="design")],
    ids=["seed example (SEED_EXAMPLE_*)", "page default", "design, 12 months"],
)
def test_quantiles_ordered_and_point_inside(inputs):
    u = mt.plan_uncertainty(inputs)
    for r in ranges(u):
        assert r.p10 <= r.p50 <= r.p90
        assert r.p10 <= r.point <= r.p90  # symmetric uniform inputs: the base case lies inside
        assert r.p10 < r.p90  # every range moves
    p = u.payback_months
    inf = math.inf
    lo, mid, hi = (inf if x is None else x for x in (p.p10, p.p50, p.p90))
    assert lo <= mid <= hi
    assert lo <= (inf if p.point is None else p.point) <= hi


def test_seed_example_figures():
    # seed 001 §6 example costs, all 15 actions, 36 months
    # (regression values pinned: DEFAULT_SEED, 16,000 Latin-hypercube samples)
    u = mt.plan_uncertainty(mt.MitigationInputs())
    assert u.samples == 16_000
    assert u.seed == 2026
    assert u.npv_usd.point == pytest.approx(6_190_732, abs=1)
    assert (u.npv_usd.p10, u.npv_usd.p90) == (
        pytest.approx(5_371_969, abs=1),
        pytest.approx(7_075_061, abs=1),
    )
    assert u.payback_months.never_share == 0
    assert 18 < u.payback_months.p10 < u.payback_months.p90 < 22


def test_fixed_ranges_collapse_to_the_point():
    acts = tuple(
        action(f"a{i}", red=(r, r), inv=(c, c), weeks=(w, w), fte=(n, n), components=comps)
        for i, (r, c, w, n, comps) in enumerate(
            [
                (0.3, 1_000.0, 2.0, 0.5, ("inference",)),
                (0.5, 50_000.0, 8.0, 1.0, ("inference", "training")),
                (0.2, 0.0, 30.0, 2.0, ("operations",)),
            ]
        )
    )
    inputs = mt.MitigationInputs(actions=acts, horizon_months=24)
    u = mt.plan_uncertainty(inputs, spreads={"discount_rate_annual": 0.0})
    for r in ranges(u):
        assert r.p10 == pytest.approx(r.point, rel=1e-9)
        assert r.p90 == pytest.approx(r.point, rel=1e-9)
    assert u.payback_months.p10 == pytest.approx(u.payback_months.point, rel=1e-9)
    assert u.npv_tornado == ()


def test_reproducible_for_a_fixed_seed():
    inputs = page_default()
    a, b = mt.plan_uncertainty(inputs), mt.plan_uncertainty(inputs)
    assert a == b
    assert mt.plan_uncertainty(inputs, seed=1).npv_usd != a.npv_usd
    assert mt.plan_uncertainty(inputs, n=500).npv_usd != a.npv_usd


def test_nothing_selected_has_no_range():
    assert mt.plan_uncertainty(mt.MitigationInputs(selected=())) is None


# ─── inputs, labels, spreads, tornado, basis ───────────────────────────────────────────


def test_inputs_are_the_seed_ranges_uniform():
    inputs = mt.MitigationInputs(selected=("enable_caching", "pruning"), stage="design")
    by_key = {u.key: u for u in mt.plan_inputs(inputs)}
    # seed 001 §5 phase 1: caching 30–60%; $0–5K split over 4 actions; 1–2 weeks;
    # 0.5–1 FTE (assumption)
    cache = by_key["enable_caching.reduction"]
    assert (cache.kind, cache.low, cache.base, cache.high, cache.source) == (
        "uniform",
        0.3,
        pytest.approx(0.45),
        0.6,
        "seed range",
    )
    assert cache.label == "Enable caching: reduction (seed 001 §5: 30–60%)"
    assert by_key["enable_caching.cash"].label == "Enable caching: cash (seed 001 §5: $0–$1,250)"
    assert (
        by_key["enable_caching.weeks"].label == "Enable caching: duration (seed 001 §5: 1–2 weeks)"
    )
    eng = by_key["enable_caching.engineers"]
    assert eng.label == "Enable caching: engineers (ScaleRisk assumption: 0.5–1 FTE)"
    assert eng.source == "assumption"
    # pruning's cost reduction has no seed figure (half of §5's size reduction)
    assert by_key["pruning.reduction"].source == "assumption"
    # executive summary: 40–60% less at design → ×0.4–0.6, base 0.5
    stage = by_key["stage"]
    assert (stage.low, stage.base, stage.high, stage.source) == (0.4, 0.5, 0.6, "seed range")
    assert "stage" not in {u.key for u in mt.plan_inputs(mt.MitigationInputs())}


def test_edited_ranges_are_labelled_as_yours():
    first = mt.DEFAULT_ACTIONS[0].model_copy(update={"reduction_low": 0.2, "reduction_high": 0.5})
    inputs = mt.MitigationInputs(actions=(first, *mt.DEFAULT_ACTIONS[1:]), selected=(first.id,))
    u = mt.plan_uncertainty(inputs, n=200)
    red = next(x for x in u.inputs if x.key == "enable_caching.reduction")
    assert red.label == "Enable caching: reduction (your table: 20–50%)"
    assert red.source == "your spread"
    assert "Enable caching's ranges" in u.basis


def test_spreads():
    inputs = mt.MitigationInputs()
    plain = mt.plan_uncertainty(inputs)
    wide = mt.plan_uncertainty(inputs, spreads={"projected_monthly_cost.operations": 0.5})
    assert wide.npv_usd.p90 - wide.npv_usd.p10 > plain.npv_usd.p90 - plain.npv_usd.p10
    assert wide.npv_usd.point == plain.npv_usd.point  # a spread never moves the headline
    ops = next(u for u in wide.inputs if u.key == "projected_monthly_cost.operations")
    assert (ops.kind, ops.source, ops.label) == (
        "triangular",
        "your spread",
        "Projected operations cost (your ± 50%)",
    )
    assert ops.low == pytest.approx(0.5 * inputs.projected_monthly_cost.operations)
    assert "projected operations cost (± spread)" in wide.basis
    assert wide.npv_tornado[0].key == "projected_monthly_cost.operations"  # it drives the NPV now
    with pytest.raises(ValueError, match="horizon_months cannot carry a spread"):
        mt.plan_inputs(inputs, {"horizon_months": 0.2})
    with pytest.raises(ValueError, match="between 0 and 1"):
        mt.plan_inputs(inputs, {"discount_rate_annual": 1.5})


def test_tornado_sorted_and_checked_against_evaluate_plan():
    inputs = mt.MitigationInputs()
    u = mt.plan_uncertainty(inputs, n=200)
    swings = [b.swing for b in u.npv_tornado]
    assert swings == sorted(swings, reverse=True)
    assert len(u.npv_tornado) == 4 * len(mt.DEFAULT_ACTIONS)  # every range moves
    # oracle: evaluate_plan with the top input alone at its low end (the others at base)
    top = u.npv_tornado[0]
    values = {top.key: np.array([top.input_low])}
    low = mt.evaluate_plan(substituted(inputs, values, 0)).plan.npv_usd
    assert top.low == pytest.approx(low, rel=1e-9)
    assert top.label.startswith("Migrate to managed services: reduction (ScaleRisk assumption")


def test_basis_sentence():
    u = mt.plan_uncertainty(mt.MitigationInputs(), n=200)
    assert u.basis.startswith("How sure: from formulas only; assumed: each action's reduction")
    given = mt.plan_uncertainty(page_default(), n=200).basis
    assert "you gave the starting costs" in given


def test_json_is_finite():
    for inputs in (page_default(), mt.MitigationInputs()):
        data = mt.uncertainty_json(mt.plan_uncertainty(inputs, n=300))
        json.dumps(data, allow_nan=False)  # raises on NaN / inf
        assert set(data["ranges"]["npv_usd"]) == {"p10", "p50", "p90"}
        assert {"input", "npv_low_usd", "npv_high_usd", "swing_usd"} <= set(data["sensitivity"][0])


def test_likely_texts():
    r = mt.plan_uncertainty(mt.MitigationInputs(), n=500)
    assert mt.format_likely_payback(r.payback_months, 36).startswith("likely 18.")
    never = mt.PaybackRange(point=None, p10=None, p50=None, p90=None, never_share=1.0)
    assert mt.format_likely_payback(never, 12) == (
        "likely not within 12 months (no simulation pays back within the horizon)"
    )


# ─── hypothesis: finite, and the point is evaluate_plan's, over the input space ────────

fractions = st.floats(0, 1, allow_nan=False)
money = st.floats(0, 1e6, allow_nan=False)


@st.composite
def plans(draw):
    acts = []
    for i in range(draw(st.integers(1, 5))):
        lo, hi = sorted((draw(fractions), draw(fractions)))
        ilo, ihi = sorted((draw(money), draw(money)))
        wlo, whi = sorted((draw(st.floats(1, 200)), draw(st.floats(1, 200))))
        nlo, nhi = sorted((draw(st.floats(0, 5)), draw(st.floats(0, 5))))
        comps = draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=4, unique=True))
        acts.append(
            action(
                f"a{i}",
                components=tuple(comps),
                red=(lo, hi),
                inv=(ilo, ihi),
                weeks=(wlo, whi),
                fte=(nlo, nhi),
                phase=draw(st.integers(1, 4)),
            )
        )
    costs = [ComponentCosts(**{c: draw(money) for c in COMPONENTS}) for _ in range(2)]
    inputs = mt.MitigationInputs(
        current_monthly_cost=costs[0],
        projected_monthly_cost=costs[1],
        growth_horizon_months=draw(st.integers(1, 36)),
        horizon_months=draw(st.integers(1, 60)),
        stage=draw(st.sampled_from(["design", "pilot", "production"])),
        after_growth=draw(st.sampled_from(["hold", "continue"])),
        discount_rate_annual=draw(fractions),
        actions=tuple(acts),
    )
    spreads = draw(st.dictionaries(st.sampled_from(mt.SPREADABLE), fractions, max_size=3))
    return inputs, spreads


@given(plans())
def test_finite_over_the_input_space(case):
    inputs, spreads = case
    u = mt.plan_uncertainty(inputs, spreads, n=200)
    for r in ranges(u):
        assert all(math.isfinite(x) for x in (r.point, r.p10, r.p50, r.p90))
        assert r.p10 <= r.p50 <= r.p90
    assert 0 <= u.payback_months.never_share <= 1
    json.dumps(mt.uncertainty_json(u), allow_nan=False)
    # the point is evaluate_plan's (the vectorised formula at the base inputs)
    expected = plan_figures(mt.evaluate_plan(inputs).plan)
    got = mt.plan_samples(inputs, point(list(u.inputs)))
    for key in HEADLINES:
        if key == "payback_months":
            continue  # a cumulative flow that touches zero is decided by rounding; checked below
        assert_same(float(got[key][0]), expected[key], expected["investment_usd"] + 1.0)
    if math.isfinite(expected["payback_months"]) and expected["investment_usd"] > 0:
        assert float(got["payback_months"][0]) == pytest.approx(
            expected["payback_months"], rel=1e-6, abs=1e-6
        )
