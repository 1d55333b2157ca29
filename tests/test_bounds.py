"""Bounds that mean what they say (issue 15): legal answers never trip a bound meant for
today's costs, and growth continued past the horizon stays inside what the tool models."""

from __future__ import annotations

import itertools
import json
import math
from typing import get_args

import pytest
from pydantic import ValidationError

from calculator import forecast as fc
from calculator import mitigation, risk
from calculator.cli import main
from calculator.common import MAX_PROJECTED_USD, ComponentCosts

TODAY_MAX = 1e10  # ComponentCosts' bound on today's cost per component (USD/month)


def test_no_legal_answers_project_beyond_the_projected_bound():
    # independent calculation: every discrete choice at the largest growth multiples
    f = fc.ForecastInputs.model_fields
    largest = 0.0
    for arch, pipe, ret in itertools.product(
        get_args(f["architecture"].annotation),
        get_args(f["pipeline"].annotation),
        get_args(f["retraining"].annotation),
    ):
        inp = fc.ForecastInputs(
            current=ComponentCosts(
                inference=TODAY_MAX, storage=TODAY_MAX, training=TODAY_MAX, operations=TODAY_MAX
            ),
            users_multiple=1e4,
            data_multiple=1e4,
            models_multiple=1e3,
            architecture=arch,
            pipeline=pipe,
            retraining=ret,
            retention="none",
        )
        for costs in fc.forecast(inp, 36).projected.values():
            largest = max(largest, *costs.as_dict().values())
    assert 1e21 < largest <= MAX_PROJECTED_USD  # ≈ 2.5e21 (common.MAX_PROJECTED_USD's note)


def big_growth() -> risk.Answers:
    # issue 15's file: $2M/month inference today, 10,000× users (legal answers)
    return risk.Answers.model_validate(
        {"current_monthly_cost_usd": {"inference": 2e6}, "growth": {"users_multiple": 1e4}}
    )


def test_projections_above_todays_bound_flow_into_the_plan_and_back_from_json():
    a = big_growth()
    result = risk.assess(a)
    assert result.forecast.projected["high"].inference > TODAY_MAX  # beyond today's bound
    assert type(result).model_validate_json(result.model_dump_json()) == result
    plan = risk.mitigation_inputs(a)
    assert plan.projected_monthly_cost.inference > TODAY_MAX
    assert mitigation.MitigationInputs.model_validate_json(plan.model_dump_json()) == plan


@pytest.mark.parametrize("extra", [[], ["--plan"], ["--json"]])
def test_roi_on_big_growth_answers_exits_0_with_finite_json(capsys, tmp_path, extra):
    path = tmp_path / "big.json"  # the answers, or (--plan) the plan they give
    plan = risk.mitigation_inputs(big_growth())
    path.write_text(plan.model_dump_json() if "--plan" in extra else big_growth().model_dump_json())
    assert main(["roi", str(path), *extra]) == 0
    out = capsys.readouterr().out
    if "--json" in extra:
        json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in --json output"))


def test_continued_growth_past_the_modelled_multiples_is_refused_with_a_reason():
    # 10^4 users in 1 month, continued: (10^4)^36 = 1e144 by month 36 (the trajectory's end)
    with pytest.raises(ValidationError, match=r"reaches ×1e\+144 by month 36"):
        risk.GrowthScenario(users_multiple=1e4, horizon_months=1, after_horizon="continue")
    # the longest legal horizon for ×10⁴ continued: 36 months (m^(36/h) = m ≤ bound)
    ok = risk.GrowthScenario(users_multiple=1e4, horizon_months=36, after_horizon="continue")
    assert ok.users_multiple == 1e4
    # ×10 per month continued: 10^36 — refused; ×10 per 9 months: 10^4 — accepted
    with pytest.raises(ValidationError):
        risk.GrowthScenario(users_multiple=10, horizon_months=1, after_horizon="continue")
    assert risk.GrowthScenario(users_multiple=10, horizon_months=9, after_horizon="continue")


def test_every_continued_trajectory_that_is_accepted_is_finite():
    # with the rule in place, the steepest accepted "continue" growth keeps every cost finite
    g = risk.GrowthScenario(
        users_multiple=1e4,
        data_multiple=1e4,
        models_multiple=1e3,
        horizon_months=36,
        after_horizon="continue",
    )
    a = risk.Answers(
        growth=g,
        current_monthly_cost_usd={c: TODAY_MAX for c in ("inference", "storage", "training")},
    )
    f = risk.assess(a).forecast
    assert all(math.isfinite(x) for t in f.trajectories.values() for xs in t.values() for x in xs)
