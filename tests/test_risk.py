"""Risk assessment (calculator.risk): answers format, calibration, properties, drivers,
recommendations wiring, presets."""

from __future__ import annotations

import itertools
import json
import math

import pytest
from hypothesis import given
from pydantic import ValidationError

from calculator import risk
from calculator.mitigation import MitigationInputs
from calculator.presets import PRESET_NOTES, PRESETS
from calculator.risk import Answers, assess
from tests.strategies import answers, more_growth_pairs, riskier_pairs

EXPONENTIAL = PRESETS["Exponential archetype"]
LINEAR = PRESETS["Linear-scaling archetype"]
SEED6 = PRESETS["Seed 001 §6 recommendation system"]


def _with(a: Answers, **sections: dict) -> Answers:
    d = a.model_dump()
    for k, v in sections.items():
        d[k] = {**d[k], **v} if isinstance(v, dict) else v
    return Answers.model_validate(d)


# --- the answers file ------------------------------------------------------------------


def test_public_format_keys():
    # issue 2: the public answers format
    d = Answers().model_dump(mode="json")
    assert set(d) == {
        "workload",
        "current_monthly_cost_usd",
        "growth",
        "inference",
        "data",
        "models",
        "team",
        "economics",
        "stage",
        "scenario_name",
        "what_if",
        "spreads",  # issue 12: answers marked as uncertain
    }
    assert set(d["economics"]) == {"monthly_budget_usd", "value_per_user_usd"}
    assert set(d["workload"]) == {"monthly_active_users", "requests_per_day"}
    assert set(d["current_monthly_cost_usd"]) == {"inference", "storage", "training", "operations"}
    assert {"users_multiple", "data_multiple", "models_multiple", "horizon_months"} <= set(
        d["growth"]
    )
    assert set(d["inference"]) == {
        "architecture",
        "cache_hit_rate",
        "context_tokens",
        "model_params",
        "gpu_utilization",
    }
    assert set(d["data"]) == {"ingest_tb_per_month", "retention", "pipeline", "monitoring_metrics"}
    assert set(d["models"]) == {"in_production", "retraining", "deploys_per_month"}
    assert set(d["team"]) == {"ml_engineers", "infra_engineers", "loaded_cost_per_fte_usd"}


def test_every_field_has_description_and_numeric_fields_bounds_and_unit():
    for section in (
        risk.Workload,
        risk.CurrentCosts,
        risk.GrowthScenario,
        risk.InferenceAnswers,
        risk.DataAnswers,
        risk.ModelsAnswers,
        risk.TeamAnswers,
    ):
        for name, info in section.model_fields.items():
            assert info.description, f"{section.__name__}.{name}"
            if isinstance(info.default, (int, float)):
                bounds = {type(m).__name__ for m in info.metadata}
                assert {"Ge", "Le"} <= bounds, name
                assert info.json_schema_extra, name
                assert info.json_schema_extra.get("unit"), name


def test_round_trip_and_partial_file_uses_defaults():
    a = SEED6
    assert Answers.model_validate_json(a.model_dump_json()) == a
    partial = Answers.model_validate({"growth": {"users_multiple": 4}})
    assert partial.growth.users_multiple == 4
    assert partial.inference == Answers().inference


@pytest.mark.parametrize(
    "bad",
    [
        {"growth": {"users_multiple": 0}},  # below bound
        {"inference": {"cache_hit_rate": 1.5}},  # above bound
        {"inference": {"architecture": "quantum"}},  # not an option
        {"data": {"colour": "red"}},  # unknown key
        {"models": {"in_production": "many"}},  # wrong type
        {"scenario_name": "x" * 201},  # too long
    ],
)
def test_invalid_answers_rejected(bad):
    with pytest.raises(ValidationError):
        Answers.model_validate(bad)


def test_what_if_carried():
    a = Answers.model_validate({"what_if": {"sizing": {"budget": 1}}, "scenario_name": "Q3"})
    assert json.loads(a.model_dump_json())["what_if"] == {"sizing": {"budget": 1}}


# --- calibration (issue 2) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arch", "pipeline", "retraining"),
    list(
        itertools.product(
            ["per_user_finetuned", "session_gpu", "large_context"],
            ["self_hosted_streaming", "high_cardinality_feature_store"],
            ["per_user", "active_learning"],
        )
    ),
)
def test_exponential_on_every_axis_scores_above_85(arch, pipeline, retraining):
    # issue 2 calibration: the seed's exponential patterns on every axis → > 85 ("imminent budget
    # crisis", §7)
    a = _with(
        EXPONENTIAL,
        inference={"architecture": arch},
        data={"pipeline": pipeline},
        models={"retraining": retraining},
    )
    r = assess(a)
    assert r.score > 85
    assert r.band == "critical"


@pytest.mark.parametrize(
    ("pipeline", "retraining", "users"),
    list(
        itertools.product(
            ["batch_partitioned", "managed_streaming"], ["static", "data_dependent"], [2, 10, 100]
        )
    ),
)
def test_linear_patterns_at_design_stage_score_below_30(pipeline, retraining, users):
    # issue 2 calibration: all linear-scaling patterns (seed 001 §3) at design stage → < 30
    a = _with(
        LINEAR,
        data={"pipeline": pipeline},
        models={"retraining": retraining},
        growth={"users_multiple": users, "data_multiple": users},
    )
    r = assess(a)
    assert r.score < 30
    assert r.band == "low"


def test_presets_land_in_expected_bands():
    assert assess(EXPONENTIAL).band == "critical"
    assert assess(LINEAR).band == "low"
    assert set(PRESET_NOTES) == set(PRESETS)


def test_seed6_preset_reproduces_worked_example():
    r = assess(SEED6)
    p = r.projected_monthly_cost
    # seed 001 §6: inference $84K, storage $22.5K, training 6000 × 5 × 5^1.3 = $243.1K, naive $250K
    assert (p.inference, p.storage) == (pytest.approx(84_000), pytest.approx(22_500))
    assert p.training == pytest.approx(243_098, abs=1)
    assert r.naive_linear_monthly_usd == pytest.approx(250_000)
    # operations by ScaleRisk's reading: 4000 × 10 × 5^1.4 (see test_forecast)
    assert p.operations == pytest.approx(4_000 * 10 * 5**1.4)
    assert r.cost_multiple_vs_linear == pytest.approx(p.total / 250_000)
    assert r.cost_multiple_vs_linear > 1.74  # seed quotes 1.74× with its $89K ops


# --- properties ------------------------------------------------------------------------


@given(answers())
def test_score_bounded_finite_and_drivers_sum(a):
    r = assess(a)
    assert math.isfinite(r.score)
    assert 0 <= r.score <= 100
    assert sum(d.points for d in r.drivers) == pytest.approx(r.score, abs=1e-9)
    assert all(d.points >= 0 and d.raw > 0 for d in r.drivers)
    assert r.band == risk.band_of(r.score)[0]


@given(riskier_pairs())
def test_riskier_answer_never_lowers_score(pair):
    safer, riskier, which = pair
    assert assess(riskier).score >= assess(safer).score, which


# --- drivers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "driver"),
    [
        ({"inference": {"cache_hit_rate": 0.0}}, "No/low caching"),
        ({"inference": {"architecture": "per_user_finetuned"}}, "Per-user models"),
        ({"inference": {"architecture": "session_gpu"}}, "Session-held GPUs"),
        ({"inference": {"architecture": "large_context"}}, "O(n²) context growth"),
        ({"data": {"retention": "none"}}, "No data lifecycle"),
        ({"data": {"pipeline": "self_hosted_streaming"}}, "Self-hosted streaming"),
        ({"data": {"pipeline": "high_cardinality_feature_store"}}, "High-cardinality joins"),
        ({"models": {"retraining": "active_learning"}}, "Active-learning retraining"),
        ({"models": {"in_production": 20}}, "Engineering overhead O(n^1.4)"),
        ({"inference": {"gpu_utilization": 0.1}}, "Low GPU utilization"),
        ({"stage": "production"}, "Late-stage lock-in"),
        ({"data": {"monitoring_metrics": 500}}, "Monitoring cardinality"),
    ],
)
def test_each_seed_pattern_appears_as_named_driver(change, driver):
    before = {d.name: d.raw for d in assess(LINEAR).drivers}
    after = assess(_with(LINEAR, **change))
    named = {d.name: d for d in after.drivers}
    assert driver in named
    assert named[driver].points > 0
    assert named[driver].why
    assert named[driver].seed_ref
    assert named[driver].raw > before.get(driver, 0.0)
    assert after.score > assess(LINEAR).score


def test_design_stage_has_no_lock_in_and_production_more_than_pilot():
    pts = {s: assess(_with(EXPONENTIAL, stage=s)) for s in ("design", "pilot", "production")}
    assert "Late-stage lock-in" not in {d.name for d in pts["design"].drivers}
    assert pts["design"].score < pts["pilot"].score < pts["production"].score


def test_saturation_formula():
    # independent calculation: 100 (1 − e^(−95/50)) = 85.04
    assert risk.saturate(95) == pytest.approx(85.043, abs=1e-3)
    assert risk.saturate(1e9) <= 100


def test_engineers_needed_anchor():
    # seed 001 §2.5 anchor: 5 models → 2.5 FTE; 50 models → 2.5 × 10^1.4 = 62.8 (seed quotes 45,
    # see methodology)
    assert risk.engineers_needed(5) == pytest.approx(2.5)
    assert risk.engineers_needed(50) == pytest.approx(2.5 * 10**1.4)


# --- recommendations -------------------------------------------------------------------


def test_recommendations_ranked_by_roi_and_name_seed_pattern():
    r = assess(EXPONENTIAL)
    assert 1 <= len(r.recommendations) <= risk.TOP_RECOMMENDATIONS
    rois = [x.roi for x in r.recommendations]
    assert rois == sorted(rois, reverse=True)
    assert all(
        x.seed_ref.startswith("seed 001") and 0 < x.reduction < 1 and x.monthly_savings_usd > 0
        for x in r.recommendations
    )
    assert any(x.addresses for x in r.recommendations)


def test_mitigation_inputs_drop_what_does_not_apply():
    inp = risk.mitigation_inputs_from(LINEAR, assess(LINEAR))
    assert isinstance(inp, MitigationInputs)
    ids = {a.id for a in inp.applicable}
    # cache at 67% ≥ 60%, retention tiered+sampling, managed streaming, static retraining
    assert not ids & {
        "enable_caching",
        "lifecycle_policies",
        "managed_services",
        "federated_learning",
    }
    assert all(inp.not_applicable[i] for i in ("enable_caching", "lifecycle_policies"))
    assert inp.stage == "design"
    assert inp.growth_horizon_months == LINEAR.growth.horizon_months
    # issue 11: the mitigation horizon starts from the assessment's (18 months here), any number
    # accepted
    assert inp.horizon_months == 18
    assert inp.loaded_cost_per_fte_usd == LINEAR.team.loaded_cost_per_fte_usd
    assert inp.projected_monthly_cost == assess(LINEAR).projected_monthly_cost
    exp_ids = {
        a.id for a in risk.mitigation_inputs_from(EXPONENTIAL, assess(EXPONENTIAL)).applicable
    }
    assert {
        "enable_caching",
        "lifecycle_policies",
        "managed_services",
        "architecture_replacement",
        "federated_learning",
        "micro_batch_pipelines",
    } <= exp_ids


def test_summary_json_keys():
    s = risk.summary_json(assess(SEED6))
    assert {"score", "band", "drivers", "projection"} <= set(s)
    assert set(s["projection"]) >= {
        "naive_linear_monthly_usd",
        "projected_monthly_usd",
        "components",
    }
    assert s["projection"]["projected_monthly_usd"] == pytest.approx(
        sum(s["projection"]["components"].values())
    )
    json.dumps(s)


def test_key_figures_have_units():
    figs = dict(risk.key_figures(assess(SEED6)))
    assert figs["Naive linear projection"] == "$250,000/month"
    assert figs["Scalability risk score"].endswith("(elevated)")


# --- decision-grade score (issue 11) ---------------------------------------------------------


def _score_at(a: Answers, **growth) -> float:
    return assess(_with(a, growth=growth)).score


def test_more_user_growth_never_lowers_the_seed6_score():
    # issue 11: seed 001 §6 preset read 64.5 → 56.5 → 49.9 → 49.0 for 1× → 1,000× users
    scores = [_score_at(SEED6, users_multiple=u) for u in (1, 10, 100, 1000, 10_000)]
    assert scores == sorted(scores)
    assert scores[-1] > scores[0]


@given(more_growth_pairs())
def test_score_never_falls_as_growth_rises(pair):
    slower, faster, which = pair
    assert assess(faster).score >= assess(slower).score, which


@given(answers())
def test_no_recommended_action_is_one_that_does_not_apply(a):
    off = risk.not_applicable_actions(a)
    assert not {r.id for r in assess(a).recommendations} & set(off)


def test_cache_at_60_percent_is_not_recommended():
    # issue 11: at a 0.6 hit rate "Enable caching" was ranked first with $5,400/month of savings
    a = _with(SEED6, inference={"cache_hit_rate": 0.6})
    assert "enable_caching" not in {r.id for r in assess(a).recommendations}
    assert "enable_caching" in risk.mitigation_inputs_from(a, assess(a)).not_applicable


@pytest.mark.parametrize(
    ("budget", "band", "low", "high"),
    [
        # seed 001 §6 preset: $25K today, the base projection passes $50K in month 3 and $2M never
        (20_000, "critical", 85, 100),  # over budget today
        (50_000, "critical", 85, 100),  # crossed within 12 months: "imminent budget crisis" (§7)
        (
            740_000,
            "high",
            70,
            85,
        ),  # $730.3K at month 12, then tiered storage keeps growing: month 13–36
        (2_000_000, None, 0, 70),  # not within 36 months: below 70
    ],
)
def test_budget_anchors_the_top_bands(budget, band, low, high):
    r = assess(_with(SEED6, economics={"monthly_budget_usd": budget}))
    assert low < r.score <= high
    if band:
        assert r.band == band
    assert r.score_basis == "budget"
    assert "budget" in r.score_meaning
    assert sum(d.points for d in r.drivers) == pytest.approx(r.score, abs=1e-9)


def test_budget_crossing_month_matches_the_trajectory():
    r = assess(_with(SEED6, economics={"monthly_budget_usd": 740_000}))
    totals = [
        sum(r.forecast.trajectories["base"][c][t] for c in risk.COMPONENTS)
        for t in r.forecast.months
    ]
    t = r.budget_crossing_month
    # independent check: the first month whose total reaches $740K, and the month before stays under
    assert t is not None
    assert 12 < t <= 36
    assert totals[t] >= 740_000 > totals[t - 1]
    assert r.drivers[0].name == f"Budget reached in month {t}"


def test_without_budget_the_score_says_it_measures_structure():
    r = assess(SEED6)
    assert r.score_basis == "structure"
    assert "No budget was given" in r.score_meaning
    assert r.budget_crossing_month is None
    assert r.budget_peak_share is None


def test_value_per_user_below_cost_per_user_warns():
    # seed 001 §6 preset: $730,329/month for 1M users at 12 months = $0.73/user/month (independent
    # calculation)
    r = assess(_with(SEED6, economics={"value_per_user_usd": 0.5}))
    assert r.cost_per_user_projected_usd == pytest.approx(730_329 / 1_000_000, rel=1e-5)
    assert any("more than the $0.50/month a user is worth" in w for w in r.warnings)
    assert not assess(_with(SEED6, economics={"value_per_user_usd": 5.0})).warnings


def test_growth_above_linear_on_the_seed_example():
    # independent calculation (seed 001 §6, month 12): storage 3K × 5 × 0.5 = 7.5K; training 6K ×
    # (5 × 5^1.3 − 25)
    # = 93.1K; operations 4K × (10 × 5^1.4 − 50) = 180.7K; inference linear → 0.  281.3K ÷ 25K =
    # 11.25
    assert risk.excess_over_linear(SEED6) == pytest.approx(
        (7_500 + 93_098.5 + 180_730.8) / 25_000, rel=1e-4
    )
    assert risk.excess_over_linear(LINEAR) == 0.0
