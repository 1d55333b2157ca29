"""Mitigation ROI: which fixes pay back, how fast, and in what order (seed 001 §5).

Thin page: widgets → :class:`calculator.mitigation.MitigationInputs` → ``evaluate_plan`` → render.
Inputs and spreads go into the session's scenario (:func:`ui.session.publish`); the widgets and
the action table are seeded back from it by :func:`ui.mitigation_state.widget_state` when
absent (a link, a scenario opened).
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from calculator import mitigation as mt
from calculator import risk
from calculator.charts import mitigation as charts
from calculator.common import COMPONENTS, ComponentCosts, format_money
from calculator.errors import InputError, describe_validation_error
from calculator.risk import Answers
from ui import session
from ui.mitigation_state import (
    REASONS,
    SOURCE_ASSESSMENT,
    SOURCE_MANUAL,
    STAGES,
    TABLE,
    VALID,
    widget_state,
)
from ui.widgets import dollars, field_info, number_field, spread_picker

EDITOR_VERSION = "mitigation.editor_version"
SPREAD_PATHS_KEY, SPREAD_SIZE_KEY = "w.mitigation.spreads.paths", "w.mitigation.spreads.size"
PERSIST = {"persist_state": "session"}  # keep values across page switches (Streamlit 1.67)


# Cache keys: JSON; the typed model it was dumped from rides along unhashed (leading
# underscore), so a cache miss computes from it without validating again.
@st.cache_data(max_entries=32, show_spinner=False)
def _evaluate(inputs_json: str, _inputs: mt.MitigationInputs) -> mt.MitigationResult:
    return mt.evaluate_plan(_inputs)


@st.cache_data(max_entries=32, show_spinner=False)
def _ranges(
    inputs_json: str, spreads_json: str, _inputs: mt.MitigationInputs
) -> mt.PlanUncertainty | None:
    """P10–P90 of the plan's headlines (simulation with a fixed seed), NPV tornado, basis."""
    return mt.plan_uncertainty(_inputs, json.loads(spreads_json))


@st.cache_data(max_entries=16, show_spinner=False)
def _from_assessment(answers_json: str, _answers: Answers) -> mt.MitigationInputs:
    """The starting point the assessment's answers give (their assessment, cached)."""
    return risk.mitigation_inputs(_answers)


def assessment_base() -> tuple[mt.MitigationInputs | None, str | None]:
    """(the session's assessment as a starting point, why it cannot be used)."""
    answers = session.scenario().answers
    try:
        return _from_assessment(answers.model_dump_json(), answers), None
    except (ValidationError, InputError, ValueError) as exc:
        reason = describe_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
        return None, reason


@st.cache_data(max_entries=1, show_spinner=False)
def _headline() -> mt.SeedHeadline:
    return mt.seed_headline()


def starting_point() -> tuple[ComponentCosts, ComponentCosts, int, mt.MitigationInputs | None]:
    """Current and projected costs and growth horizon (and the assessment's inputs, if used)."""
    source = st.radio(
        "Starting point",
        [SOURCE_ASSESSMENT, SOURCE_MANUAL],
        key="w.mitigation.source",
        **PERSIST,
        horizontal=True,
        help="Take today's and the projected monthly cost per component from the risk assessment "
        "(its answers in this session), or enter them here.",
    )
    if source == SOURCE_ASSESSMENT:
        base, reason = assessment_base()
        if base is None:
            st.warning(
                f"The assessment answers cannot be used ({reason}); enter the starting point here."
            )
        else:
            if not session.answered():
                st.caption(
                    "The assessment has not been opened this session: its default answers are used."
                )
            frame = pd.DataFrame(
                {
                    "Component": list(COMPONENTS),
                    "Today (USD/month)": [
                        f"${v:,.0f}" for v in base.current_monthly_cost.as_dict().values()
                    ],
                    f"In {base.growth_horizon_months} months, unmitigated (USD/month)": [
                        f"${v:,.0f}" for v in base.projected_monthly_cost.as_dict().values()
                    ],
                }
            )
            st.dataframe(frame, hide_index=True)
            st.caption(
                f"Assessment stage: {base.stage}; growth horizon {base.growth_horizon_months} "
                "months; "
                f"actions that apply to this system: {len(base.applicable)} of "
                f"{len(base.actions)} (the "
                "others are marked *does not apply* in the table below, with why)."
            )
            return (
                base.current_monthly_cost,
                base.projected_monthly_cost,
                base.growth_horizon_months,
                base,
            )
    cols = st.columns(4)
    current, projected = {}, {}
    for col, name in zip(cols, COMPONENTS, strict=True):
        with col:
            current[name] = number_field(
                ComponentCosts,
                name,
                key=f"w.mitigation.current.{name}",
                step=1000.0,
                value=getattr(mt.SEED_EXAMPLE_CURRENT, name),
                label=f"{name.capitalize()} today (USD/month)",
            )
            projected[name] = number_field(
                ComponentCosts,
                name,
                key=f"w.mitigation.projected.{name}",
                step=1000.0,
                value=getattr(mt.SEED_EXAMPLE_PROJECTED, name),
                label=f"{name.capitalize()} projected (USD/month)",
            )
    growth = number_field(
        mt.MitigationInputs,
        "growth_horizon_months",
        key="w.mitigation.growth_months",
        label="Projected after (months)",
    )
    st.caption(
        dollars(
            "Defaults: seed 001 §6 worked example ($25K/month today; "
            f"${mt.SEED_EXAMPLE_PROJECTED.total / 1e3:,.1f}K/month "
            "at 12 months as the assessment projects it — the seed itself quotes $435.5K, see "
            "Methodology)."
        )
    )
    return ComponentCosts(**current), ComponentCosts(**projected), int(growth), None


def spread_controls() -> dict[str, float]:
    """Inputs the user marks as only roughly known, with one ± spread for all of them."""
    return spread_picker(
        title="Ranges: inputs you only know roughly",
        caption="The ranges under the plan's figures always include every action's range "
        "(reduction, cash, duration, engineers; each equally likely anywhere inside it). Mark "
        "here the inputs you are unsure of: each is then drawn between value − spread and value "
        "+ spread, likeliest at your value.",
        label="Inputs with a ± spread",
        options=list(mt.SPREADABLE),
        format_func=lambda p: mt.input_label(p).capitalize(),
        paths_key=SPREAD_PATHS_KEY,
        size_key=SPREAD_SIZE_KEY,
        placeholder="None: only the actions' ranges",
        side_by_side=True,
    )


def action_table(
    not_applicable: dict[str, str],
) -> tuple[tuple[mt.ActionSpec, ...], tuple[str, ...], tuple[str, ...]]:
    """The editable action table; an invalid edit shows why and keeps the previous plan."""
    if TABLE not in st.session_state:
        st.session_state[TABLE] = mt.actions_to_rows(
            mt.DEFAULT_ACTIONS, not_applicable=tuple(not_applicable)
        )
    version = st.session_state.setdefault(EDITOR_VERSION, 0)
    fixed = pd.DataFrame(st.session_state[TABLE], columns=list(mt.EDITABLE_COLUMNS))
    info = {
        name: mt.ActionSpec.model_fields[name].description for name in mt.ActionSpec.model_fields
    }
    config = {
        "selected": st.column_config.CheckboxColumn(
            "In plan", help="Include this action in the chosen plan."
        ),
        "applies": st.column_config.CheckboxColumn(
            "Applies",
            help="Untick an action that cannot help this system: it is then neither ranked nor "
            "planned. The assessment unticks what is already done or cannot help (listed below "
            "the table, with why).",
        ),
        "phase": st.column_config.NumberColumn(
            "Phase", min_value=1, max_value=4, step=1, help=info["phase"]
        ),
        "id": st.column_config.TextColumn("Id", disabled=True, help=info["id"]),
        "name": st.column_config.TextColumn("Action", help=info["name"], required=True),
        "components": st.column_config.MultiselectColumn(
            "Reduces", options=list(COMPONENTS), help=info["components"], required=True
        ),
        "reduction_low_pct": st.column_config.NumberColumn(
            "Reduction low (%)",
            min_value=0.0,
            max_value=100.0,
            format="%.1f",
            help=info["reduction_low"],
        ),
        "reduction_high_pct": st.column_config.NumberColumn(
            "Reduction high (%)",
            min_value=0.0,
            max_value=100.0,
            format="%.1f",
            help=info["reduction_high"],
        ),
        "investment_low_usd": st.column_config.NumberColumn(
            "Investment low (USD)", min_value=0.0, format="%.0f", help=info["investment_low_usd"]
        ),
        "investment_high_usd": st.column_config.NumberColumn(
            "Investment high (USD)", min_value=0.0, format="%.0f", help=info["investment_high_usd"]
        ),
        "duration_weeks_low": st.column_config.NumberColumn(
            "Duration low (weeks)", min_value=1.0, format="%.1f", help=info["duration_weeks_low"]
        ),
        "duration_weeks_high": st.column_config.NumberColumn(
            "Duration high (weeks)", min_value=1.0, format="%.1f", help=info["duration_weeks_high"]
        ),
        "engineers_low": st.column_config.NumberColumn(
            "Engineers low (FTE)", min_value=0.0, format="%.1f", help=info["engineers_low"]
        ),
        "engineers_high": st.column_config.NumberColumn(
            "Engineers high (FTE)", min_value=0.0, format="%.1f", help=info["engineers_high"]
        ),
        "seed_ref": st.column_config.TextColumn("Source", help=info["seed_ref"]),
        "description": st.column_config.TextColumn(
            "Notes", help=info["description"], width="large"
        ),
    }
    edited = st.data_editor(
        fixed,
        column_config=config,
        hide_index=True,
        num_rows="fixed",
        key=f"mitigation.editor.{version}",
        width="stretch",
    )
    if st.button("Reset the action table to the seed defaults", key="mitigation.reset"):
        st.session_state[TABLE] = mt.actions_to_rows(
            mt.DEFAULT_ACTIONS, not_applicable=tuple(not_applicable)
        )
        st.session_state[EDITOR_VERSION] = version + 1
        st.rerun()
    rows = edited.to_dict(orient="records")
    try:
        result = mt.rows_to_actions(rows)
    except InputError as exc:
        st.error(f"The action table has invalid values, so the previous plan is shown:\n\n{exc}")
        try:
            return mt.rows_to_actions(st.session_state.get(VALID, []))
        except InputError:
            return (
                mt.DEFAULT_ACTIONS,
                tuple(a.id for a in mt.DEFAULT_ACTIONS),
                tuple(not_applicable),
            )
    st.session_state[VALID] = rows
    st.session_state[TABLE] = rows  # edits survive a page switch (the editor's own state does not)
    return result


st.title("Mitigation ROI")
st.write(
    "Which fixes pay back, how fast, and in what order. Seed 001 §5's four mitigation phases, "
    "each action "
    "with the cost components it reduces, a reduction, an investment and a duration, turned into "
    "a monthly "
    "cash flow and ranked by return on investment. Rules and sources: *Methodology → "
    "Mitigation-phase ROI*."
)


def initial(key: str, **kwargs: object) -> dict[str, object]:
    """A widget's default only on first render (the seeded or persisted state wins after)."""
    return {} if key in st.session_state else kwargs


def _seed_state(s) -> dict:
    values = widget_state(s.mitigation, s.spreads.mitigation, assessment_base()[0])
    return values | {EDITOR_VERSION: st.session_state.get(EDITOR_VERSION, 0) + 1}


session.seed_widgets("mitigation", "w.mitigation.source", _seed_state)
note_area = st.container()  # what an opened scenario's inputs became, if not exactly them
st.subheader("Starting point and growth")
current, projected, growth_months, suggested = starting_point()
left, mid, right, last, team = st.columns(5)
with left:
    stage_meta = field_info(mt.MitigationInputs, "stage")
    stage = st.selectbox(
        "Stage",
        STAGES,
        **initial(
            "w.mitigation.stage",
            index=STAGES.index(suggested.stage if suggested else "production"),
        ),
        key="w.mitigation.stage",
        **PERSIST,
        help=str(stage_meta["help"]) + " Multiplier on investment: design ×0.5, pilot ×0.75, "
        "production ×1.",
    )
with mid:
    horizon = number_field(
        mt.MitigationInputs,
        "horizon_months",
        key="w.mitigation.horizon_months",
        step=1,
        value=suggested.horizon_months if suggested else growth_months,
        label="ROI horizon (months)",
    )
with right:
    rate = number_field(
        mt.MitigationInputs,
        "discount_rate_annual",
        key="w.mitigation.discount_rate",
        step=0.01,
        label="Discount rate (fraction/year)",
        fmt="%.3f",
    )
with last:
    after = st.radio(
        "After the growth horizon",
        ["hold", "continue"],
        key="w.mitigation.after_growth",
        **PERSIST,
        **initial(
            "w.mitigation.after_growth",
            index=1 if suggested and suggested.after_growth == "continue" else 0,
        ),
        horizontal=True,
        help=field_info(mt.MitigationInputs, "after_growth")["help"],
    )
with team:
    loaded = number_field(
        mt.MitigationInputs,
        "loaded_cost_per_fte_usd",
        key="w.mitigation.loaded_cost",
        step=10_000.0,
        fmt="%.0f",
        label="Loaded cost per engineer (USD/year)",
        value=suggested.loaded_cost_per_fte_usd if suggested else None,
    )

st.subheader("Actions by phase")
st.caption(
    "Every value is editable; the Source and Notes columns say where each default comes from. "
    "Actions without "
    "a seed figure carry a ScaleRisk assumption, marked as such. Investment = cash (each phase's "
    "seed range split "
    "equally among its actions) + engineering time (engineers × weeks × the loaded cost per "
    "engineer; the seed "
    "gives no headcount, so the engineers per phase are a ScaleRisk assumption)."
)
suggested_off = suggested.not_applicable if suggested else {}
reasons = {
    **st.session_state.get(REASONS, {}),
    **suggested_off,
}  # a scenario's own, else the assessment's
actions, selected, off = action_table(suggested_off)
if off:
    with st.expander(f"Does not apply to this system ({len(off)} actions, not ranked)"):
        names = {a.id: a.name for a in actions}
        for action_id in off:
            st.text(
                f"{names[action_id]}: "
                f"{reasons.get(action_id, 'marked as not applying in the table.')}"
            )
try:
    inputs = mt.MitigationInputs(
        current_monthly_cost=current,
        projected_monthly_cost=projected,
        growth_horizon_months=growth_months,
        stage=stage,
        horizon_months=horizon,
        discount_rate_annual=rate,
        after_growth=after,
        loaded_cost_per_fte_usd=loaded,
        actions=actions,
        selected=selected,
        not_applicable={i: reasons.get(i, "marked as not applying in the table") for i in off},
    )
except ValidationError as exc:
    st.error(f"These inputs cannot be evaluated:\n\n{describe_validation_error(exc)}")
    st.stop()

spreads = spread_controls()
seed_note = session.publish("mitigation", inputs, spreads)
if seed_note:
    note_area.info(seed_note, icon=":material/info:")
inputs_json = inputs.model_dump_json()
result = _evaluate(inputs_json, inputs)
ranges = _ranges(inputs_json, json.dumps(spreads, sort_keys=True), inputs)

st.subheader("The chosen plan")
if result.plan is None:
    st.info(
        "No action is selected: tick *In plan* for at least one action to see the plan's total."
    )
else:
    plan = result.plan
    u = ranges
    assert u is not None  # a plan has ranges
    top = st.columns(3)
    top[0].metric("Plan savings at today's cost", f"${plan.monthly_savings_usd:,.0f}/month")
    top[0].caption(dollars(mt.format_likely(u.monthly_savings_usd, format_money) + "/month"))
    top[1].metric(
        f"Plan ROI at {horizon:,} months",
        mt.format_multiple(plan.roi_multiple),
        help="Savings ÷ investment accrued within the horizon; 1× breaks even.",
    )
    if u.roi_multiple is not None:
        top[1].caption(mt.format_likely(u.roi_multiple, mt.format_multiple))
    top[2].metric(f"Plan NPV over {horizon:,} months", mt.format_usd(plan.npv_usd))
    top[2].caption(
        dollars(
            mt.format_likely(u.npv_usd, format_money)
            + (
                f"; negative in {u.share_npv_negative:.0%} of simulations"
                if 0 < u.share_npv_negative
                else ""
            )
        )
    )
    low = st.columns(2)
    low[0].metric("Plan payback", mt.format_payback(plan.payback_months, horizon))
    low[0].caption(mt.format_likely_payback(u.payback_months, horizon))
    low[1].metric(
        "Plan investment",
        f"${plan.investment_usd:,.0f}",
        help=f"${plan.cash_usd:,.0f} cash outlay + ${plan.engineering_usd:,.0f} engineering time.",
    )
    low[1].caption(dollars(mt.format_likely(u.investment_usd, format_money)))
    st.caption(
        dollars(
            f"Investment: ${plan.cash_usd:,.0f} cash outlay (the seed's ranges) + "
            f"${plan.engineering_usd:,.0f} engineering time (engineers × weeks × "
            f"${loaded:,.0f} per engineer-year)."
        )
    )
    st.caption(
        f"Base case, stage {stage} (investment ×{result.stage_multiplier:g}). ROI = savings ÷ "
        f"investment, both accrued within {horizon:,} months (1× breaks even). *Likely*: P10–P90 "
        f"of {u.samples:,} simulations (seed {u.seed}) over every action's range and your ± "
        "spreads. With every range at its pessimistic / optimistic end at once, the plan's ROI is "
        f"{mt.format_multiple(plan.low.roi_multiple)} – "
        f"{mt.format_multiple(plan.high.roi_multiple)}."
    )
    st.caption(dollars(u.basis))
    for warning in result.warnings:
        st.warning(dollars(warning), icon=":material/warning:")

st.altair_chart(charts.cumulative_chart(result), width="stretch")

if ranges is not None and ranges.npv_tornado:
    st.vega_lite_chart(charts.npv_tornado_spec(ranges), width="stretch")
    st.caption(
        "Each uncertain input moved alone to the low and the high end of its range, the others at "
        f"their base values; the {charts.TORNADO_BARS} largest swings, largest on top. Narrow the "
        "ranges at the top first: they decide whether the plan pays."
    )
    with st.expander(f"The {len(ranges.inputs)} uncertain inputs and their ranges"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Input": x.label,
                        "Low": f"{x.low:,.4g}",
                        "Base": f"{x.base:,.4g}",
                        "High": f"{x.high:,.4g}",
                        "Shape": x.kind,
                        "From": x.reference or x.source,
                    }
                    for x in ranges.inputs
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(
            "Uniform: the seed gives a range and no likelier value inside it. Triangular: your "
            "± spread, likeliest at your value. Reductions, cash and durations: seed 001 §5 (a "
            "phase's cash split equally among its actions); engineers: ScaleRisk assumption."
        )

st.subheader("Phases ranked by ROI")
st.dataframe(pd.DataFrame(mt.group_rows(result)), hide_index=True, width="stretch")
st.caption(
    "Each phase with its selected actions carried out together; the plan row is every selected "
    "action "
    "together, so its savings are less than the sum of the phases' (reductions combine "
    "multiplicatively)."
)

st.subheader("Actions ranked by ROI")
st.dataframe(pd.DataFrame(mt.action_rows(result)), hide_index=True, width="stretch")
st.caption(
    "Each action alone. An action that saves nothing has ROI 0×; one with no investment has no "
    "ROI. "
    "The Check column flags results beyond what is plausible."
)
st.altair_chart(charts.roi_bar_chart(result), width="stretch")

st.subheader("The seed's headline, recomputed from its own inputs")
headline = _headline()
st.write(
    dollars(
        f"Seed 001 §5 quotes a median ROI of **{headline.quoted_phase12}×** for phases 1–2 (4–8 "
        "weeks, $40–120K, "
        f"$400–900K annual savings) against **{headline.quoted_phase4}×** for phase 4 (12–18 "
        "months, $0.8–2.5M, "
        "$2–4M annual savings)."
    )
)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Reading": r.name,
                "Phases 1–2 (×)": f"{r.phase12:.2f}",
                "Phase 4 (×)": f"{r.phase4:.2f}",
                "Reproduces 8.2× / 2.1×": f"{'yes' if r.matches_phase12 else 'no'} / "
                f"{'yes' if r.matches_phase4 else 'no'}",
                "How": r.description,
            }
            for r in headline.readings
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.warning(dollars(headline.note))
