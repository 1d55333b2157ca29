"""pages/mitigation.py through AppTest: starting point, stage, horizon, action table, ranges."""

from __future__ import annotations

import json

import pyarrow as pa

from calculator import mitigation as mt
from calculator.common import format_money

PAGE = "pages/mitigation.py"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at) -> list:
    return list(at.get("arrow_vega_lite_chart")) + list(at.get("vega_lite_chart"))


def manual_flat_inference(at, cost: float = 10_000.0):
    """Switch to entered costs: inference flat at ``cost``, the rest 0."""
    at.radio(key="w.mitigation.source").set_value("Enter here").run()
    for name in ("inference", "storage", "training", "operations"):
        value = cost if name == "inference" else 0.0
        at.number_input(key=f"w.mitigation.current.{name}").set_value(value)
        at.number_input(key=f"w.mitigation.projected.{name}").set_value(value)
    at.run()


def only_caching(at):
    """Keep only *Enable caching* in the plan, through the table's stored rows."""
    at.session_state["mitigation.table"] = mt.actions_to_rows(
        mt.DEFAULT_ACTIONS, selected=("enable_caching",)
    )
    at.session_state["mitigation.editor_version"] = 1
    at.run()


def test_defaults_come_from_the_assessment(app_test):
    from calculator import risk

    at = app_test(PAGE)
    what_if = at.session_state["scenario"].mitigation.model_dump(mode="json")
    answers = risk.Answers()
    suggested = risk.mitigation_inputs_from(answers, risk.assess(answers))
    # oracle: the assessment's own costs, stage and applicable actions feed the page
    assert what_if["current_monthly_cost"] == suggested.current_monthly_cost.model_dump(mode="json")
    assert what_if["stage"] == suggested.stage
    assert what_if["selected"] == list(suggested.selected_ids)
    assert (
        what_if["not_applicable"] == suggested.not_applicable
    )  # issue 11: never ranked nor planned
    assert (
        what_if["horizon_months"] == answers.growth.horizon_months == 12
    )  # issue 11: starts from the assessment's
    assert what_if["loaded_cost_per_fte_usd"] == answers.team.loaded_cost_per_fte_usd
    expected = dict(mt.key_figures(mt.evaluate_plan(mt.MitigationInputs.model_validate(what_if))))
    got = metrics(at)
    assert expected["Plan investment"].startswith(got["Plan investment"] + " (")
    assert got["Plan ROI at 12 months"] == expected["Plan ROI at 12 months"]
    assert len(charts(at)) == 3  # cumulative, NPV tornado (issue 12), ROI bars
    assert any("not reproduced" in w.value for w in at.warning)  # seed headline 2.1× not reproduced
    assert len(at.dataframe) >= 4


def test_hand_computed_caching_plan(app_test):
    at = app_test(PAGE)
    manual_flat_inference(at)
    at.selectbox(key="w.mitigation.stage").set_value("production")
    at.number_input(key="w.mitigation.horizon_months").set_value(12).run()
    only_caching(at)
    assert not at.exception
    got = metrics(at)
    # independent calculation (seed 001 §5 caching 30–60% → 45%; phase 1 $0–5K ÷ 4 → $625;
    # 1.5 weeks;
    # engineering 0.75 FTE × 1.5 weeks × $180,000 / 52 = $3,894): investment $4,519;
    # savings 0.45 × 10,000 = $4,500/month from 1.5 × 12/52 = 0.346 months;
    # ROI_12 = 4,500 × (12 − 0.346) / 4,519 = 11.6 → "12×";
    # payback 0.346 + 4,519/4,500 = 1.35 months
    assert got["Plan investment"] == "$4,519"
    assert any(
        "$625 cash outlay" in c.value and "$3,894 engineering time" in c.value for c in at.caption
    )
    assert got["Plan savings at today's cost"] == "$4,500/month"
    assert got["Plan ROI at 12 months"] == "12×"
    assert got["Plan payback"] == "1.4 months"
    what_if = at.session_state["scenario"].mitigation.model_dump(mode="json")
    assert what_if["horizon_months"] == 12
    assert what_if["selected"] == ["enable_caching"]


def test_design_stage_halves_the_investment(app_test):
    at = app_test(PAGE)
    manual_flat_inference(at)
    only_caching(at)
    at.selectbox(key="w.mitigation.stage").set_value("design").run()
    # seed 001 executive summary: 40–60% less during initial development → ×0.5 of $625 + $3,894
    assert metrics(at)["Plan investment"] == "$2,260"  # ($625 + $3,894) × 0.5
    assert at.session_state["scenario"].mitigation.stage == "design"


def test_invalid_edit_keeps_the_previous_plan(app_test):
    at = app_test(PAGE)
    before = metrics(at)
    rows = mt.actions_to_rows(mt.DEFAULT_ACTIONS)
    rows[0]["reduction_low_pct"] = 90.0  # above its high end (60%)
    at.session_state["mitigation.table"] = rows
    at.session_state["mitigation.editor_version"] = 1
    at.run()
    assert not at.exception
    assert any(
        "Enable caching: reduction low (90%) must not exceed high (60%)" in e.value
        for e in at.error
    )
    assert metrics(at) == before  # previous plan kept


def test_no_action_selected(app_test):
    at = app_test(PAGE)
    at.session_state["mitigation.table"] = mt.actions_to_rows(mt.DEFAULT_ACTIONS, selected=())
    at.session_state["mitigation.editor_version"] = 1
    at.run()
    assert not at.exception
    assert any("No action is selected" in i.value for i in at.info)
    assert at.session_state["scenario"].mitigation.selected == ()


def test_values_survive_a_page_switch(app_test):
    at = app_test(PAGE)
    at.number_input(key="w.mitigation.horizon_months").set_value(18).run()  # issue 11: any horizon
    at.switch_page("pages/methodology.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "Plan ROI at 18 months" in metrics(at)


def test_entered_costs_survive_a_page_switch(app_test):
    at = app_test(PAGE)
    manual_flat_inference(at, 20_000.0)
    at.switch_page("pages/methodology.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.session_state["scenario"].mitigation.current_monthly_cost.inference == 20_000.0


def test_not_applicable_action_is_listed_with_why_but_not_ranked(app_test):
    # issue 11: at a 0.6 cache hit rate "Enable caching" was unticked yet ranked #1
    # with $5,400/month
    at = app_test()  # the landing page: the mitigation table is not built yet
    at.number_input(key="w.assess.inference.cache_hit_rate").set_value(0.6).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    ranked = next(d.value for d in at.dataframe if "Action" in d.value.columns)
    assert "Enable caching" not in list(ranked["Action"])
    assert len(ranked) > 5
    assert any("Enable caching: Already caching 60%" in t.value for t in at.text)


# ─── ranges and what drives them (issue 12) ────────────────────────────────────────────


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_ranges_under_the_metrics_and_the_npv_tornado(app_test):
    at = app_test(PAGE)
    inputs = at.session_state["scenario"].mitigation
    # oracle: the library's own ranges and texts for the page's inputs
    u = mt.plan_uncertainty(inputs)
    texts = captions(at)
    npv_text = mt.format_likely(u.npv_usd, format_money).replace("$", "\\$")
    assert any(t.startswith(npv_text) for t in texts)
    assert mt.format_likely_payback(u.payback_months, inputs.horizon_months) in texts
    assert mt.format_likely(u.roi_multiple, mt.format_multiple) in texts
    assert u.basis in [t.replace("\\$", "$") for t in texts]
    assert any("P10–P90 of 16,000 simulations (seed 2026)" in t for t in texts)
    # the tornado: bars sorted by swing, labels naming the range and its source
    spec = next(c for c in charts(at) if "What moves" in json.dumps(c.proto.spec))
    data = json.loads(spec.proto.spec)
    assert data["title"]["text"] == "What moves the plan's NPV"
    rows = [
        row
        for ds in spec.proto.datasets
        for row in pa.ipc.open_stream(ds.data.data).read_all().to_pylist()
    ] + [row for layer in data.get("layer", []) for row in layer.get("data", {}).get("values", [])]
    # the shared tornado has one row per end of each bar: keep the first of each input
    bars = list({row["input"]: row for row in reversed(rows) if "swing" in row}.values())[::-1]
    assert [b["input"] for b in bars] == [b.label for b in u.npv_tornado[: len(bars)]]
    assert bars[0]["swing"] >= bars[-1]["swing"]


def test_spread_widens_the_npv_range(app_test):
    at = app_test(PAGE)
    before = mt.plan_uncertainty(at.session_state["scenario"].mitigation)
    at.multiselect(key="w.mitigation.spreads.paths").set_value(
        ["projected_monthly_cost.operations"]
    )
    at.slider(key="w.mitigation.spreads.size").set_value(50).run()
    assert not at.exception
    inputs = at.session_state["scenario"].mitigation
    after = mt.plan_uncertainty(inputs, {"projected_monthly_cost.operations": 0.5})
    assert after.npv_usd.p90 - after.npv_usd.p10 > before.npv_usd.p90 - before.npv_usd.p10
    texts = captions(at)
    assert any(
        mt.format_likely(after.npv_usd, format_money).replace("$", "\\$") in t for t in texts
    )
    assert any("projected operations cost (± spread)" in t for t in texts)


def test_hand_computed_caching_plan_has_its_ranges(app_test):
    at = app_test(PAGE)
    manual_flat_inference(at)
    at.number_input(key="w.mitigation.horizon_months").set_value(12).run()
    only_caching(at)
    assert not at.exception
    # independent calculation: caching saves 30–60% of $10,000 = $3,000–$6,000/month, uniform →
    # P10–P90 of the savings $3,300–$5,700/month
    assert any(t == "likely \\$3.3K–\\$5.7K/month" for t in captions(at))
