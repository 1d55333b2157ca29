"""Mitigation ROI charts (Altair, no streamlit).

* :func:`cumulative_chart` (= :func:`main_chart`) — cumulative net savings over time, one
  line per phase and one for the plan, payback points marked;
* :func:`roi_bar_chart` — actions ranked by ROI at the horizon, as a multiple of the
  investment (symmetric-log axis, because quick wins return hundreds of times their cost
  while a redesign may not return its own within the horizon);
* :func:`npv_tornado_chart` — what moves the plan's NPV: each uncertain input alone at the
  low and the high end of its range (issue 12).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from calculator.common import format_money
from calculator.mitigation import (
    MitigationResult,
    PlanUncertainty,
    format_multiple,
    format_payback,
)

TORNADO_BARS = 10
"""Inputs the NPV tornado shows: the largest swings (the rest move the NPV less)."""

LOW_COLOUR, HIGH_COLOUR = "#1565c0", "#c62828"


def cumulative_frame(result: MitigationResult) -> pd.DataFrame:
    """Long table month × series of cumulative net savings (USD), with month 0 at 0.

    Examples
    --------
    >>> from calculator.mitigation import MitigationInputs, evaluate_plan
    >>> df = cumulative_frame(evaluate_plan(MitigationInputs(horizon_months=12)))
    >>> sorted(df["series"].unique())[-1], int(df["month"].max())
    ('Plan', 12)
    """
    rows = [
        {"series": p.series, "month": p.month, "cumulative_net_usd": p.cumulative_net_usd}
        for p in result.series
    ]
    for name in dict.fromkeys(p.series for p in result.series):
        rows.append({"series": name, "month": 0, "cumulative_net_usd": 0.0})
    return pd.DataFrame(rows, columns=["series", "month", "cumulative_net_usd"]).sort_values(
        ["series", "month"]
    )


def payback_frame(result: MitigationResult) -> pd.DataFrame:
    """One row per phase / plan whose payback falls within the horizon."""
    groups = list(result.phases) + ([result.plan] if result.plan is not None else [])
    rows = [
        {
            "series": g.name,
            "payback_months": g.payback_months,
            "cumulative_net_usd": 0.0,
            "label": f"{g.name}: payback {format_payback(g.payback_months, result.horizon_months)}",
        }
        for g in groups
        if g.payback_months is not None
    ]
    return pd.DataFrame(rows, columns=["series", "payback_months", "cumulative_net_usd", "label"])


def cumulative_chart(result: MitigationResult) -> alt.LayerChart:
    """Cumulative net savings (savings − investment, USD) per phase and for the plan, with paybacks.

    Examples
    --------
    >>> from calculator.mitigation import MitigationInputs, evaluate_plan
    >>> spec = cumulative_chart(evaluate_plan(MitigationInputs(horizon_months=12))).to_dict()
    >>> spec["title"]["text"]
    'Cumulative net savings by phase and for the plan'
    """
    frame = cumulative_frame(result)
    colour = alt.Color("series:N", title="Phase / plan")
    lines = (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=alt.X(
                "month:Q",
                title="Month",
                scale=alt.Scale(domain=[0, result.horizon_months], nice=False),
            ),
            y=alt.Y(
                "cumulative_net_usd:Q",
                title="Cumulative net savings (USD)",
                axis=alt.Axis(format="$~s"),
            ),
            color=colour,
            strokeDash=alt.condition(
                alt.datum.series == "Plan", alt.value([1, 0]), alt.value([4, 2])
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("month:Q", title="Month"),
                alt.Tooltip("cumulative_net_usd:Q", title="Cumulative net (USD)", format="$,.0f"),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="grey").encode(y="y:Q")
    points = (
        alt.Chart(payback_frame(result))
        .mark_point(size=90, filled=True, shape="diamond")
        .encode(
            x="payback_months:Q",
            y="cumulative_net_usd:Q",
            color=colour,
            tooltip=[alt.Tooltip("label:N", title="Payback")],
        )
    )
    return alt.layer(zero, lines, points).properties(
        title=alt.TitleParams(
            "Cumulative net savings by phase and for the plan",
            subtitle=f"Savings − investment, base case, {result.horizon_months} months; "
            "◆ = payback",
        ),
        width="container",
        height=320,
    )


def roi_frame(result: MitigationResult) -> pd.DataFrame:
    """Actions in rank order with ROI as a multiple (undefined ROI left out of the bars)."""
    rows = [
        {
            "rank": i + 1,
            "action": f"{a.name} (phase {a.phase})",
            "phase": f"Phase {a.phase}",
            "roi_multiple": a.roi_multiple,
            "roi_label": format_multiple(a.roi_multiple),
            "payback": format_payback(a.payback_months, result.horizon_months),
            "investment_usd": a.investment_usd,
            "selected": a.selected,
        }
        for i, a in enumerate(result.actions)
    ]
    return pd.DataFrame(rows)


def roi_bar_chart(result: MitigationResult) -> alt.Chart:
    """Actions ranked by ROI at the horizon (savings ÷ investment, symlog axis), coloured by phase.

    Examples
    --------
    >>> from calculator.mitigation import MitigationInputs, evaluate_plan
    >>> roi_bar_chart(evaluate_plan(MitigationInputs())).to_dict()["encoding"]["x"]["title"]
    'ROI at 36 months (savings ÷ investment, ×; log scale)'
    """
    frame = roi_frame(result)
    frame = frame[frame["roi_multiple"].notna()]
    order = list(frame["action"])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "roi_multiple:Q",
                title=f"ROI at {result.horizon_months:,} months "
                "(savings ÷ investment, ×; log scale)",
                scale=alt.Scale(type="symlog", constant=1),
                axis=alt.Axis(
                    values=[0, 1, 10, 100, 1_000, 10_000],
                    format=",.0f",
                    labelExpr="datum.label + '×'",
                ),
            ),
            y=alt.Y(
                "action:N",
                title="Action",
                sort=order,
                axis=alt.Axis(labelLimit=320, labelOverlap=False),
            ),
            color=alt.Color("phase:N", title="Phase"),
            opacity=alt.condition(alt.datum.selected, alt.value(1.0), alt.value(0.35)),
            tooltip=[
                alt.Tooltip("action:N", title="Action"),
                alt.Tooltip("roi_label:N", title="ROI"),
                alt.Tooltip("payback:N", title="Payback"),
                alt.Tooltip("investment_usd:Q", title="Investment (USD)", format="$,.0f"),
            ],
        )
        .properties(
            title=alt.TitleParams(
                "Actions ranked by ROI",
                subtitle="Each action alone, base case; faded = not in the plan",
            ),
            width="container",
            height=alt.Step(22),
        )
    )


def main_chart(result: MitigationResult) -> alt.LayerChart:
    """The chart the PDF shows: :func:`cumulative_chart`."""
    return cumulative_chart(result)


def tornado_frame(u: PlanUncertainty, limit: int = TORNADO_BARS) -> pd.DataFrame:
    """One row per input that moves the NPV (largest swing first): NPV at its low and high end.

    Examples
    --------
    >>> from calculator.mitigation import MitigationInputs, plan_uncertainty
    >>> df = tornado_frame(plan_uncertainty(MitigationInputs(), n=200))
    >>> len(df), bool((df["swing"].diff().dropna() <= 0).all())
    (10, True)
    """
    bars = [b for b in u.npv_tornado if b.swing > 0][:limit]
    rows = [
        {
            "rank": i,
            "input": b.label,
            "npv_low_end": b.low,
            "npv_high_end": b.high,
            "lo": min(b.low, b.high),
            "hi": max(b.low, b.high),
            "swing": b.swing,
            "input_low": b.input_low,
            "input_high": b.input_high,
            "text_low": format_money(b.low),
            "text_high": format_money(b.high),
        }
        for i, b in enumerate(bars)
    ]
    columns = ["rank", "input", "npv_low_end", "npv_high_end", "lo", "hi", "swing"]
    columns += ["input_low", "input_high", "text_low", "text_high"]
    return pd.DataFrame(rows, columns=columns)


def npv_tornado_chart(u: PlanUncertainty) -> alt.LayerChart:
    """What moves the plan's NPV: a bar per input from its low-end to its high-end NPV.

    Each input alone at the low end (blue dot) and the high end (red dot) of its range, every
    other input at its base value (:func:`calculator.uncertainty.tornado`); sorted by swing,
    largest on top; a dashed rule at the headline NPV.

    Examples
    --------
    >>> from calculator.mitigation import MitigationInputs, plan_uncertainty
    >>> spec = npv_tornado_chart(plan_uncertainty(MitigationInputs(), n=200)).to_dict()
    >>> spec["title"]["text"], spec["layer"][0]["encoding"]["y"]["sort"]["field"]
    ("What moves the plan's NPV", 'rank')
    """
    frame = tornado_frame(u)
    y = alt.Y(
        "input:N",
        title=None,
        sort=alt.EncodingSortField("rank", order="ascending"),
        axis=alt.Axis(labelLimit=460, labelOverlap=False, labelFontSize=12),
    )
    x_title = f"Plan NPV over {u.horizon_months:,} months (USD)"
    tooltip = [
        alt.Tooltip("input:N", title="Input"),
        alt.Tooltip("text_low:N", title="NPV, input at its low end"),
        alt.Tooltip("text_high:N", title="NPV, input at its high end"),
        alt.Tooltip("input_low:Q", title="Low end", format=",.4~g"),
        alt.Tooltip("input_high:Q", title="High end", format=",.4~g"),
    ]
    base = alt.Chart(frame)
    span = base.mark_bar(height=12, color="#9e9e9e", opacity=0.45).encode(
        y=y,
        x=alt.X("lo:Q", title=x_title, axis=alt.Axis(format="$~s"), scale=alt.Scale(zero=False)),
        x2="hi:Q",
        tooltip=tooltip,
    )
    low = base.mark_point(filled=True, size=90, color=LOW_COLOUR, opacity=1).encode(
        y=y, x="npv_low_end:Q", tooltip=tooltip
    )
    high = base.mark_point(filled=True, size=90, color=HIGH_COLOUR, opacity=1).encode(
        y=y, x="npv_high_end:Q", tooltip=tooltip
    )
    headline = (
        alt.Chart(pd.DataFrame({"npv": [u.npv_usd.point]}))
        .mark_rule(color="#212121", strokeDash=[4, 3])
        .encode(x="npv:Q")
    )
    return alt.layer(span, low, high, headline).properties(
        title=alt.TitleParams(
            "What moves the plan's NPV",
            subtitle="Each input alone at the low (blue) and the high (red) end of its range, "
            "the others at base; dashed: the headline NPV",
            anchor="start",
        ),
        width="container",
        height=alt.Step(26),
    )


def npv_tornado_pdf(ranges: PlanUncertainty, result: MitigationResult) -> alt.LayerChart:
    """:func:`npv_tornado_chart` with the PDF's ``(ranges, result)`` signature."""
    return npv_tornado_chart(ranges)
