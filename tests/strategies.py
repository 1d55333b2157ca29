"""Hypothesis strategies shared by the tests (DESIGN §8)."""

from __future__ import annotations

import math
from typing import Any, get_args

from hypothesis import assume
from hypothesis import strategies as st

from calculator.forecast import Architecture, Pipeline, Retention, Retraining
from calculator.risk import Answers

ORDERED_CHOICES: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("inference", "architecture"): (
        "stateless_cached",
        "stateless_uncached",
        "per_user_finetuned",
        "session_gpu",
        "large_context",
    ),
    ("data", "retention"): ("tiered_sampling", "tiered", "none"),
    ("data", "pipeline"): (
        "batch_partitioned",
        "managed_streaming",
        "self_hosted_streaming",
        "high_cardinality_feature_store",
    ),
    ("models", "retraining"): ("static", "data_dependent", "per_user", "active_learning"),
    ("stage", None): ("design", "pilot", "production"),
}
"""Enumerated answers from least to most risky, in seed 001's order of cost growth
(§2.1 architecture table, §3.6 retention, §2.2 pipelines, §2.3 retraining, §4 lock-in)."""

RISKIER_NUMERIC: dict[tuple[str, str], int] = {
    ("inference", "cache_hit_rate"): -1,  # §3.1: lower hit rate costs more
    ("inference", "context_tokens"): +1,  # §2.1: O(n²) attention
    ("inference", "model_params"): +1,  # §4.3: over-sized models
    ("inference", "gpu_utilization"): -1,  # §4.2: idle capacity
    ("data", "ingest_tb_per_month"): +1,  # §3.6: more data kept
    ("data", "monitoring_metrics"): +1,  # §2.4: cardinality explosion
    ("models", "in_production"): +1,  # §2.5: O(n^1.4)
    ("models", "deploys_per_month"): +1,  # §2.5: versioning and rollouts
    ("team", "ml_engineers"): -1,  # §2.5: less capacity for the overhead
    ("team", "infra_engineers"): -1,
}
"""Numeric answers with the direction the seed calls riskier (+1 higher, −1 lower).  The
growth multiples, horizon, current costs and workload size are the scenario, not risk
answers: the score measures how much faster than linear costs grow."""

for _lit, _key in (
    (Architecture, ("inference", "architecture")),
    (Retention, ("data", "retention")),
    (Pipeline, ("data", "pipeline")),
    (Retraining, ("models", "retraining")),
):
    assert set(get_args(_lit)) == set(ORDERED_CHOICES[_key])

_BOUNDS: dict[tuple[str, str], tuple[float, float, bool]] = {
    ("inference", "cache_hit_rate"): (0.0, 1.0, False),
    ("inference", "context_tokens"): (1, 200_000, True),
    ("inference", "model_params"): (1e6, 1e12, False),
    ("inference", "gpu_utilization"): (0.0, 1.0, False),
    ("data", "ingest_tb_per_month"): (0.0, 1_000.0, False),
    ("data", "monitoring_metrics"): (0, 20_000, True),
    ("models", "in_production"): (1, 500, True),
    ("models", "deploys_per_month"): (0.0, 200.0, False),
    ("team", "ml_engineers"): (0.0, 200.0, False),
    ("team", "infra_engineers"): (0.0, 200.0, False),
}


def _num(lo: float, hi: float, integer: bool) -> st.SearchStrategy[Any]:
    if integer:
        return st.integers(int(lo), int(hi))
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def answers_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """Valid answers as the JSON dict of the public format."""
    money = st.floats(0.0, 1e6, allow_nan=False)
    d: dict[str, Any] = {
        "workload": {
            "monthly_active_users": draw(st.integers(1, 10**8)),
            "requests_per_day": draw(st.integers(0, 10**9)),
        },
        "current_monthly_cost_usd": {
            c: draw(money) for c in ("inference", "storage", "training", "operations")
        },
        "growth": {
            "users_multiple": draw(st.floats(1.0, 1000.0)),
            "data_multiple": draw(st.floats(1.0, 1000.0)),
            "models_multiple": draw(st.floats(1.0, 100.0)),
            "horizon_months": draw(st.integers(1, 60)),
            "after_horizon": draw(st.sampled_from(["hold", "continue"])),
        },
        "inference": {},
        "data": {},
        "models": {},
        "team": {"loaded_cost_per_fte_usd": draw(st.floats(0, 1e6))},
        "stage": draw(st.sampled_from(ORDERED_CHOICES[("stage", None)])),
        "economics": {
            "monthly_budget_usd": draw(st.none() | st.floats(1.0, 1e9)),
            "value_per_user_usd": draw(st.none() | st.floats(0.01, 1e4)),
        },
    }
    for (section, name), (lo, hi, integer) in _BOUNDS.items():
        d[section][name] = draw(_num(lo, hi, integer))
    for (section, name), options in ORDERED_CHOICES.items():
        if name is not None:
            d[section][name] = draw(st.sampled_from(options))
    d["growth"]["horizon_months"] = shortest_continued_horizon(d["growth"])
    return d


def shortest_continued_horizon(growth: dict[str, Any]) -> int:
    """The growth's horizon, lengthened where "continue" would carry a multiple past its bound
    by month 36 (risk.GrowthScenario's rule: m^(36/h) ≤ bound)."""
    if growth["after_horizon"] != "continue":
        return growth["horizon_months"]
    bounds = {"users_multiple": 1e4, "data_multiple": 1e4, "models_multiple": 1e3}
    need = max(36 * math.log(growth[k]) / math.log(b) for k, b in bounds.items())
    return min(120, max(growth["horizon_months"], math.ceil(need - 1e-9)))


def answers() -> st.SearchStrategy[Answers]:
    """Valid :class:`Answers`."""
    return answers_dicts().map(Answers.model_validate)


@st.composite
def riskier_pairs(draw: st.DrawFn) -> tuple[Answers, Answers, str]:
    """(answers, the same answers with one answer moved toward riskier, which answer)."""
    d = draw(answers_dicts())
    keys = list(RISKIER_NUMERIC) + list(ORDERED_CHOICES)
    section, name = draw(st.sampled_from(keys))
    riskier = {k: (dict(v) if isinstance(v, dict) else v) for k, v in d.items()}
    if (section, name) in ORDERED_CHOICES:
        options = ORDERED_CHOICES[(section, name)]
        current = d[section] if name is None else d[section][name]
        later = options[options.index(current) :]
        new = draw(st.sampled_from(later))
    else:
        lo, hi, integer = _BOUNDS[(section, name)]
        current = d[section][name]
        if RISKIER_NUMERIC[(section, name)] > 0:
            new = draw(_num(current, hi, integer))
        else:
            new = draw(_num(lo, current, integer))
    if name is None:
        riskier[section] = new
    else:
        riskier[section][name] = new
    return (
        Answers.model_validate(d),
        Answers.model_validate(riskier),
        f"{section}.{name or ''}".rstrip("."),
    )


GROWTH_MULTIPLES: dict[str, float] = {
    "users_multiple": 1000.0,
    "data_multiple": 1000.0,
    "models_multiple": 100.0,
}
"""Growth multiples and the upper bound the strategies draw them from."""


@st.composite
def more_growth_pairs(draw: st.DrawFn) -> tuple[Answers, Answers, str]:
    """(answers, the same answers growing faster, what changed): a larger growth multiple, a shorter
    horizon for the same multiples (a higher monthly growth rate), "continue" instead of "hold", or
    a     lower budget ceiling."""
    d = draw(answers_dicts())
    faster = {k: (dict(v) if isinstance(v, dict) else v) for k, v in d.items()}
    g = faster["growth"]
    which = draw(
        st.sampled_from(
            [*GROWTH_MULTIPLES, "horizon_months", "after_horizon", "monthly_budget_usd"]
        )
    )
    if which in GROWTH_MULTIPLES:
        g[which] = draw(st.floats(g[which], GROWTH_MULTIPLES[which]))
    elif which == "horizon_months":
        g[which] = draw(st.integers(1, g[which]))
    elif which == "after_horizon":
        g[which] = "continue"
    else:  # a tighter budget (no budget is another basis, "structure only", not an infinite budget)
        budget = d["economics"]["monthly_budget_usd"] or 1e9
        d["economics"] = {**d["economics"], "monthly_budget_usd": budget}
        faster["economics"] = {**d["economics"], "monthly_budget_usd": draw(st.floats(1.0, budget))}
    # faster growth that continues past what the tool models is refused (GrowthScenario)
    assume(g["horizon_months"] >= shortest_continued_horizon(g))
    return Answers.model_validate(d), Answers.model_validate(faster), which


@st.composite
def green_money_inputs(draw: st.DrawFn) -> Any:
    """Valid :class:`calculator.greenmoney.GreenMoneyInputs` over the whole declared input space
    (every bound of the model, ``minutes_saved_override`` included; sprints fit in a year)."""
    from calculator.greenmoney import WEEKS_PER_YEAR, GreenMoneyInputs

    def positive(hi: float) -> st.SearchStrategy[float]:
        return st.floats(0, hi, exclude_min=True, allow_nan=False, allow_infinity=False)

    weeks = draw(st.floats(0.1, 52))
    return GreenMoneyInputs(
        iterations_per_sprint=draw(st.integers(0, 100_000)),
        items_per_iteration=draw(st.integers(1, 10_000_000_000)),
        current_items_per_second=draw(st.floats(1e-6, 1e9)),
        candidate_items_per_second=draw(st.floats(1e-6, 1e9)),
        minutes_saved_override=draw(st.none() | st.floats(-1e6, 1e6)),
        sprint_length_weeks=weeks,
        sprints_per_year=draw(st.floats(0, min(365.0, (WEEKS_PER_YEAR + 1) / weeks * (1 - 1e-9)))),
        hours_per_week=draw(positive(168)),
        hourly_rate_usd=draw(st.floats(0, 10_000)),
        hardware_premium_usd=draw(st.floats(-1e9, 1e9)),
        horizon_weeks=draw(st.integers(1, 520)),
    )
