"""Risk assessment: questionnaire → 0–100 score, drivers, cost trajectories, recommendations.

Thin page: widgets → :class:`calculator.risk.Answers` (validated here, once) →
:func:`calculator.risk.assess` (cached by the answers' JSON, computed from the typed model) →
render.  The answers and the scenario's name go into the session's typed scenario
(:func:`ui.session.set_answers`); widgets re-seed from it when Streamlit dropped them or a
scenario was opened.
"""

from __future__ import annotations

import functools
import re
from typing import Any, get_args

import pandas as pd
import streamlit as st
from pydantic import BaseModel, ValidationError

from calculator import risk
from calculator.charts import assessment as charts
from calculator.errors import InputError, decode_json, describe_validation_error
from calculator.mitigation import format_multiple, format_payback
from calculator.presets import PRESET_NOTES, PRESETS
from calculator.risk import OPTION_LABELS, Answers
from calculator.uncertainty import format_likely
from ui import session
from ui.widgets import dollars, field_info, number_field, spread_picker, spread_state

KEY = "w.assess"
UPLOAD_KEY = "assess.upload"
MESSAGE_KEY = "assess.upload_message"
SPREAD_PATHS_KEY = f"{KEY}.spreads.paths"
SPREAD_SIZE_KEY = f"{KEY}.spreads.size"

# (tab title, answers key, section model, {field: (step, format)})
SECTIONS: list[tuple[str, str, type[BaseModel], dict[str, tuple[Any, str | None]]]] = [
    (
        "Workload",
        "workload",
        risk.Workload,
        {"monthly_active_users": (1_000, None), "requests_per_day": (1_000, None)},
    ),
    (
        "Current costs",
        "current_monthly_cost_usd",
        risk.CurrentCosts,
        {c: (500.0, "%.0f") for c in ("inference", "storage", "training", "operations")},
    ),
    (
        "Budget",
        "economics",
        risk.EconomicsAnswers,
        {"monthly_budget_usd": (10_000.0, "%.0f"), "value_per_user_usd": (0.1, "%.2f")},
    ),
    (
        "Growth",
        "growth",
        risk.GrowthScenario,
        {
            "users_multiple": (1.0, "%.2f"),
            "data_multiple": (1.0, "%.2f"),
            "models_multiple": (1.0, "%.2f"),
            "horizon_months": (1, None),
            "after_horizon": (None, None),
        },
    ),
    (
        "Inference",
        "inference",
        risk.InferenceAnswers,
        {
            "architecture": (None, None),
            "cache_hit_rate": (0.05, "%.2f"),
            "context_tokens": (500, None),
            "model_params": (1e9, "%.3g"),
            "gpu_utilization": (0.05, "%.2f"),
        },
    ),
    (
        "Data",
        "data",
        risk.DataAnswers,
        {
            "ingest_tb_per_month": (0.5, "%.2f"),
            "retention": (None, None),
            "pipeline": (None, None),
            "monitoring_metrics": (10, None),
        },
    ),
    (
        "Models",
        "models",
        risk.ModelsAnswers,
        {
            "in_production": (1, None),
            "retraining": (None, None),
            "deploys_per_month": (1.0, "%.1f"),
        },
    ),
    (
        "Team",
        "team",
        risk.TeamAnswers,
        {
            "ml_engineers": (0.5, "%.1f"),
            "infra_engineers": (0.5, "%.1f"),
            "loaded_cost_per_fte_usd": (10_000.0, "%.0f"),
        },
    ),
]

BAND_BOX = {"low": st.success, "elevated": st.warning, "high": st.error, "critical": st.error}


def _key(section: str | None, name: str) -> str:
    return f"{KEY}.{section}.{name}" if section else f"{KEY}.{name}"


def _options(model: type[BaseModel], name: str) -> list[str]:
    return list(get_args(model.model_fields[name].annotation))


def _write_state(answers: Answers) -> None:
    """Put every answer into its widget's state (a preset)."""
    data = answers.model_dump()
    for _, section, _, fields in SECTIONS:
        for name in fields:
            st.session_state[_key(section, name)] = data[section][name]
    st.session_state[_key(None, "stage")] = answers.stage
    st.session_state[_key(None, "scenario_name")] = answers.scenario_name
    _write_spreads(answers.spreads)


def _write_spreads(spreads: dict[str, float]) -> None:
    ordered = {p: spreads[p] for p in risk.SPREADABLE if p in spreads}
    st.session_state.update(spread_state(SPREAD_PATHS_KEY, SPREAD_SIZE_KEY, ordered))


WIDGET_KEYS = (
    *(_key(section, name) for _, section, _, fields in SECTIONS for name in fields),
    _key(None, "stage"),
    _key(None, "scenario_name"),
    SPREAD_PATHS_KEY,
)


def _restore_missing_state() -> None:
    """Re-seed widgets whose state is absent (a scenario opened from a link, the library or a
    file dropped them) from the session's typed scenario; nothing to do on most reruns."""
    scenario = session.current()
    if scenario is None or all(k in st.session_state for k in WIDGET_KEYS):
        return
    answers = scenario.answers
    data = answers.model_dump()
    for _, section, _, fields in SECTIONS:
        for name in fields:
            st.session_state.setdefault(_key(section, name), data[section][name])
    st.session_state.setdefault(_key(None, "stage"), answers.stage)
    st.session_state.setdefault(_key(None, "scenario_name"), scenario.name)
    if SPREAD_PATHS_KEY not in st.session_state:
        _write_spreads(answers.spreads)


def _apply_preset() -> None:
    name = st.session_state.get("assess.preset")
    if name in PRESETS:
        _write_state(PRESETS[name])
        st.session_state[MESSAGE_KEY] = ("success", f"Preset applied: {name}.")


def _on_upload() -> None:
    """Validate the uploaded file once (a scenario file, or an old answers file); only a
    valid file replaces the session's scenario, and every page re-seeds from it."""
    from calculator.scenario import parse_scenario

    file = st.session_state.get(UPLOAD_KEY)
    if file is None:
        return
    try:
        scenario = parse_scenario(decode_json(file.getvalue(), file.name))
    except InputError as exc:
        reason = str(exc) if str(exc).startswith(file.name) else f"{file.name}: {exc}"
        st.session_state[MESSAGE_KEY] = (
            "error",
            f"{reason}\n\nYour current scenario is unchanged.",
        )
        return
    session.seed(scenario)
    st.session_state[MESSAGE_KEY] = ("success", f"Scenario loaded from {file.name}.")


def _widget(section: str, model: type[BaseModel], name: str, step: Any, fmt: str | None) -> Any:
    key = _key(section, name)
    if step is None:  # an enumerated answer
        info = field_info(model, name)
        options = _options(model, name)
        if key not in st.session_state or st.session_state[key] not in options:
            st.session_state[key] = info["default"]
        return st.selectbox(
            info["label"],
            options,
            format_func=lambda o: OPTION_LABELS.get(o, o),
            help=info["help"],
            key=key,
            persist_state="session",
        )
    return number_field(model, name, key=key, step=step, fmt=fmt)


# Cache key: the answers' JSON; the typed answers it was dumped from ride along unhashed
# (the leading underscore), so a cache miss computes from them without validating again.
@st.cache_data(max_entries=64, show_spinner=False)
def _assess(answers_json: str, _answers: Answers) -> risk.Assessment:
    """Assessment of the answers (cache key: their JSON)."""
    return risk.assess(_answers)


@st.cache_data(max_entries=64, show_spinner=False)
def _ranges(answers_json: str, _answers: Answers) -> risk.AssessmentRanges:
    """P10–P90 of the score and costs (simulation with a fixed seed), tornadoes, basis."""
    return risk.assess_ranges(_answers, _assess(answers_json, _answers))


@st.cache_data(max_entries=64, show_spinner=False)
def _chart_specs(answers_json: str, _answers: Answers) -> dict[str, dict]:
    """Vega-Lite specs of the page's charts (built once per set of answers)."""
    return charts.page_specs(_assess(answers_json, _answers), _ranges(answers_json, _answers))


def _spread_controls() -> dict[str, float]:
    """Answers the user marks as uncertain, with one ± spread for all of them."""
    return spread_picker(
        title="Answers you are unsure of",
        caption="Mark answers you only know roughly: the ranges on the right then include them "
        "(each drawn between value − spread and value + spread, likeliest at your value).",
        label="Unsure answers",
        options=list(risk.SPREADABLE),
        format_func=risk.answer_label,
        paths_key=SPREAD_PATHS_KEY,
        size_key=SPREAD_SIZE_KEY,
        placeholder="None: only the seed's ranges",
    )


def _likely(r: risk.Range, fmt: Any) -> str:
    """Caption text for a headline's range."""
    return format_likely(r, fmt)


def _money(x: float) -> str:
    """Monthly dollars that fit a metric box: ``$143K/month``, ``$8,000/month``, ``$1.2M/month``."""
    return f"{risk.format_money(x)}/month"


# ---------------------------------------------------------------------------------------
# Page
# ---------------------------------------------------------------------------------------

st.title("Scalability risk assessment")
st.caption(
    "Answer the questionnaire; the score, drivers, cost trajectories and recommendations update as "
    "you go "
    "(seed 001 §7). Every number is reproducible with `python -m calculator assess answers.json`."
)

_restore_missing_state()
top = st.columns([2, 2, 3])
with top[0]:
    st.text_input(
        "Scenario name",
        key=_key(None, "scenario_name"),
        max_chars=200,
        help=Answers.model_fields["scenario_name"].description,
        persist_state="session",
    )
with top[1]:
    st.selectbox(
        "Start from a preset",
        list(PRESETS),
        key="assess.preset",
        help="The seed's §6 worked example, or an archetype. Replaces all answers.",
        persist_state="session",
    )
    st.button("Apply preset", on_click=_apply_preset, key="assess.apply_preset")
with top[2]:
    st.file_uploader(
        "Upload a scenario (JSON)",
        type=["json"],
        key=UPLOAD_KEY,
        on_change=_on_upload,
        help="A file downloaded from this page, or an answers file (schema: `python -m "
        "calculator schema assess`). Replaces the whole scenario: answers, what-if inputs "
        "and their spreads, benchmark runs.",
    )

message = st.session_state.pop(MESSAGE_KEY, None)
if message:
    (st.error if message[0] == "error" else st.success)(message[1])

left, right = st.columns([2, 3], gap="large")

with left:
    st.subheader("Questionnaire")
    raw: dict[str, Any] = {}
    tabs = st.tabs([title for title, *_ in SECTIONS] + ["Stage"])
    for tab, (_, section, model, fields) in zip(tabs, SECTIONS, strict=False):
        with tab:
            raw[section] = {
                name: _widget(section, model, name, step, fmt)
                for name, (step, fmt) in fields.items()
            }
    with tabs[-1]:
        info = field_info(Answers, "stage")
        stage_key = _key(None, "stage")
        if stage_key not in st.session_state:
            st.session_state[stage_key] = info["default"]
        raw["stage"] = st.radio(
            info["label"],
            list(get_args(Answers.model_fields["stage"].annotation)),
            format_func=lambda o: OPTION_LABELS.get(o, o),
            help=info["help"],
            key=stage_key,
            horizontal=True,
            persist_state="session",
        )
    raw["spreads"] = _spread_controls()
name = str(st.session_state.get(_key(None, "scenario_name")) or "")  # max_chars: ≤ 200

try:
    answers = Answers.model_validate(raw)
except ValidationError as exc:  # widgets are bounded, so this is a safety net
    with right:
        st.error("Some answers are invalid:\n\n" + describe_validation_error(exc))
    st.stop()

scenario = session.set_answers(answers, name)


def _scenario_file(scenario: Any) -> str:
    """The scenario file's text (built only when the user downloads it, off the script thread:
    the scenario is passed in, never read from the session there; None: the default one)."""
    from calculator.scenario import Scenario, to_json

    return to_json(scenario if scenario is not None else Scenario())


with left:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "scenario"
    st.download_button(
        "Download scenario (JSON)",
        functools.partial(_scenario_file, scenario),
        file_name=f"{slug}.json",
        mime="application/json",
        key="assess.download",
        on_click="ignore",
        help="The answers with the what-if pages' inputs, their spreads and this session's "
        "benchmark runs: upload it here to restore the whole scenario. "
        "`python -m calculator assess` and `report` read it.",
    )

key_json = answers.model_dump_json()
result = _assess(key_json, answers)
specs = _chart_specs(key_json, answers)
ranges = _ranges(key_json, answers)

with right:
    st.subheader(name or "Results")
    c1, c2 = st.columns([1, 2])
    c1.metric(
        "Scalability risk score",
        f"{result.score:.1f} / 100",
        help="0–100; > 70 requires immediate "
        "intervention, > 85 imminent budget crisis (seed 001 §7).",
    )
    c1.caption(
        _likely(ranges.score, lambda x: f"{x:.1f}")
        + (
            f"; above 85 in {ranges.share_critical:.0%} of simulations"
            if ranges.share_critical
            else ""
        )
    )
    with c2:
        BAND_BOX[result.band](f"**{result.band.capitalize()}** — {result.band_meaning}")
    st.vega_lite_chart(specs["gauge"], width="stretch")
    st.caption(dollars(result.score_meaning))
    for warning in result.warnings:
        st.warning(dollars(warning), icon=":material/warning:")

    h = result.horizon_months
    m = st.columns(2) + st.columns(2)
    m[0].metric("Cost today", _money(result.current_monthly_cost.total))
    m[1].metric(
        f"Projected at {h} months (base)",
        _money(result.projected_monthly_cost.total),
        help=f"With every constant at the low / high end of the seed's ranges at once: "
        f"{_money(result.projected_low.total)} – {_money(result.projected_high.total)}. The likely "
        "range "
        f"below is the P10–P90 of {ranges.samples:,} simulations.",
    )
    m[2].metric(
        f"Naive linear at {h} months",
        _money(result.naive_linear_monthly_usd),
        help="Today's total × user growth (seed 001 §6).",
    )
    m[3].metric(
        "Growth above linear, 12 months",
        f"{result.excess_over_linear:,.1f}×",
        help="How much more the components cost in 12 months than if each grew only in step with "
        "its own "
        "users, data and models, in multiples of today's total bill (seed 001 §6, §1). Projected ÷ "
        "naive "
        f"linear is {result.cost_multiple_vs_linear:,.2f}×.",
    )
    st.caption(
        dollars(
            f"Monthly cost in month 12: {risk.format_money(ranges.cost[12]['total'].point)}, "
            f"{_likely(ranges.cost[12]['total'], risk.format_money)}; in month 36: "
            f"{risk.format_money(ranges.cost[36]['total'].point)}, "
            f"{_likely(ranges.cost[36]['total'], risk.format_money)} (P10–P90 of "
            f"{ranges.samples:,} simulations)."
        )
    )
    st.caption(ranges.basis)
    m2 = st.columns(2)
    m2[0].metric(
        "Cost per user",
        f"${result.cost_per_user_now_usd:,.2f} → ${result.cost_per_user_projected_usd:,.2f}",
        help="USD per active user per month, today → at the horizon"
        + (
            ""
            if result.value_per_user_usd is None
            else f"; a user is worth ${result.value_per_user_usd:,.2f}/month (Budget tab)"
        )
        + ".",
    )
    if result.budget_monthly_usd is not None:
        crossing = result.budget_crossing_month
        m2[1].metric(
            "Budget ceiling",
            _money(result.budget_monthly_usd),
            delta=(
                "not reached in 36 months"
                if crossing is None
                else "exceeded today"
                if crossing == 0
                else f"reached in month {crossing}"
            ),
            delta_color="normal" if crossing is None else "inverse",
            help=f"The projection peaks at {result.budget_peak_share:.0%} of the budget within 36 "
            "months.",
        )

    t_drivers, t_moves, t12, t36, t_comp, t_rec = st.tabs(
        [
            "Drivers",
            "What moves it",
            "12-month trajectory",
            "36-month trajectory",
            "Components",
            "Recommendations",
        ]
    )
    with t_moves:
        st.caption(
            "Each uncertain input moved alone to the low and the high end of its range, the others "
            "at "
            "their values: the longer the bar, the more the result hangs on that input."
        )
        st.vega_lite_chart(specs["score_tornado"], width="stretch")
        st.vega_lite_chart(specs["cost_tornado"], width="stretch")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Input": u.label,
                        "Range": f"{u.low:,.3g} – {u.high:,.3g}",
                        "Used": f"{u.base:,.3g}",
                        "From": u.reference or "your ± spread",
                    }
                    for u in ranges.inputs
                    if not u.fixed
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(
            "Seed ranges are drawn likeliest at the value the seed's own example uses; your ± "
            "spreads "
            "likeliest at your answer (Methodology → Ranges)."
        )
    with t_drivers:
        st.vega_lite_chart(specs["drivers"], width="stretch")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Driver": d.name,
                        "Points": d.points,
                        "Source": d.seed_ref,
                        "Why it costs money": d.why,
                    }
                    for d in result.drivers
                ],
                columns=["Driver", "Points", "Source", "Why it costs money"],
            ),
            hide_index=True,
            width="stretch",
            column_config={"Points": st.column_config.NumberColumn(format="%.1f")},
        )
        st.caption(
            "Points sum to the score. Weights are ScaleRisk's (the seed names the patterns and the "
            "70/85 "
            "thresholds, not a formula); see the methodology page."
        )
    with t12:
        st.vega_lite_chart(specs["t12"], width="stretch")
    with t36:
        st.vega_lite_chart(specs["t36"], width="stretch")
        st.caption(
            f"After month {h}: growth {OPTION_LABELS[answers.growth.after_horizon].lower()} "
            "(Growth tab). Storage without sampling keeps growing with time either way (seed 001 "
            "§4.4)."
        )
    with t_comp:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Component": c.component,
                        "Today (USD/month)": c.current_usd,
                        f"Base at {h} months (USD/month)": c.projected_usd["base"],
                        "Low (USD/month)": c.projected_usd["low"],
                        "High (USD/month)": c.projected_usd["high"],
                        "Multiple (×)": c.multiple,
                        "Vs linear (×)": c.ratio_to_linear,
                        "Growth": c.classification,
                        "Law": c.formula,
                    }
                    for c in result.forecast.components
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={
                col: st.column_config.NumberColumn(format="$%,.0f")
                for col in (
                    "Today (USD/month)",
                    f"Base at {h} months (USD/month)",
                    "Low (USD/month)",
                    "High (USD/month)",
                )
            }
            | {
                "Multiple (×)": st.column_config.NumberColumn(format="%.2f"),
                "Vs linear (×)": st.column_config.NumberColumn(format="%.2f"),
            },
        )
        st.caption(
            "Linear: ≤ 1.2× the component's own linear growth (seed 001 §4.1, ±20%); exponential: "
            "> 3× "
            "(§1: 3–5×); super-linear between."
        )
        st.info(
            dollars(
                "**Operations model.** Seed 001 §6 writes C_ops = k₄·(u·m)^β with β = 1.4–1.8, "
                "which gives "
                "$4K × 50^1.5 ≈ $1.41M for its own example, yet quotes $89K. ScaleRisk keeps the "
                "product of load and "
                "models but applies the super-linear exponent to the number of models only — the "
                "engineering overhead "
                "O(n^1.4) measured in §2.5 — and grows the load with the pipeline's own law "
                "(§2.2): "
                "C_ops = C_ops,0 · max(users×, data×)^e_pipe · models×^1.4 (band 1.26–1.8)."
            )
        )
        c3, c4 = st.columns(2)
        if result.cost_per_1k_requests_now_usd is not None:
            c3.metric(
                "Inference cost per 1,000 requests",
                f"${result.cost_per_1k_requests_now_usd:,.2f} → "
                f"${result.cost_per_1k_requests_projected_usd:,.2f}",
                help="Today → at the horizon, assuming requests grow with users (seed 001 §4.1: "
                "investigate "
                "if it rises > 30%).",
            )
        c4.metric(
            "Engineers (FTE): today → needed at the horizon",
            f"{result.engineers_now_fte:,.1f} → {result.engineers_needed_fte:,.1f}",
            help="2.5 FTE at 5 models, growing as O(n^1.4) (seed 001 §2.5).",
        )
    with t_rec:
        if result.recommendations:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Rank": i + 1,
                            "Action": r.name,
                            "Saves (USD/month)": r.monthly_savings_usd,
                            "Payback": format_payback(r.payback_months, r.horizon_months),
                            f"ROI at {r.horizon_months:,} months": format_multiple(r.roi_multiple),
                            "Investment (USD)": r.investment_usd,
                            "Of which engineering (USD)": r.engineering_usd,
                            "Phase": r.phase,
                            "Works on": r.addresses,
                            "Reduces": ", ".join(r.components),
                            "Expected reduction": f"{r.reduction:.0%}",
                            "Seed pattern": r.seed_ref,
                        }
                        for i, r in enumerate(result.recommendations)
                    ]
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    c: st.column_config.NumberColumn(format="$%,.0f")
                    for c in ("Saves (USD/month)", "Investment (USD)", "Of which engineering (USD)")
                },
            )
            st.caption(
                dollars(
                    f"Ranked by ROI (savings ÷ investment) over the {h}-month growth horizon. "
                    "Investment = the seed's "
                    "cash range + engineering time (engineers × weeks × "
                    f"${answers.team.loaded_cost_per_fte_usd:,.0f} "
                    "per engineer-year, Team tab). Actions that do not apply to these answers are "
                    "left out. The "
                    "Mitigation ROI page deepens this."
                )
            )
            for w in dict.fromkeys(w for r in result.recommendations for w in r.warnings):
                st.warning(dollars(w), icon=":material/warning:")
            st.page_link(
                "pages/mitigation.py", label="Open the mitigation plan", icon=":material/savings:"
            )
        else:
            st.info("No mitigation action applies with positive savings.")

with st.expander("About the presets"):
    for name, note in PRESET_NOTES.items():
        st.markdown(dollars(f"**{name}.** {note}"))
