"""Mitigation ROI charts (Altair, no streamlit).

* :func:`cumulative_chart` (= :func:`main_chart`) — cumulative net savings over time, one
  line per phase and one for the plan, payback points marked;
* :func:`roi_bar_chart` — actions ranked by ROI at the horizon, as a multiple of the
  investment (symmetric-log axis, because quick wins return hundreds of times their cost
  while a redesign may not return its own within the horizon);
* :func:`npv_tornado_spec` — what moves the plan's NPV: each uncertain input alone at the
  low and the high end of its range (issue 12).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from calculator.charts import palette
from calculator.charts.layout import WIDE_TITLE_CHARS, finish, lines
from calculator.mitigation import (
    MitigationResult,
    PlanUncertainty,
    format_multiple,
    format_payback,
)

TORNADO_BARS = 10
"""Inputs the NPV tornado shows: the largest swings (the rest move the NPV less)."""


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
    names = list(dict.fromkeys(p.series for p in result.series))
    colour = alt.Color(
        "series:N", title="Phase / plan", sort=names, scale=alt.Scale(**palette.scale(names))
    )
    series_lines = (
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
    return finish(
        alt.layer(zero, series_lines, points).properties(
            title=alt.TitleParams(
                lines("Cumulative net savings by phase and for the plan", WIDE_TITLE_CHARS),
                subtitle=f"Savings − investment, base case, {result.horizon_months} months; "
                "◆ = payback",
                anchor="start",
            ),
            width="container",
            height=320,
        )
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
    phases = sorted(set(frame["phase"]))
    chart = (
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
                # every action named: Streamlit's theme drops overlapping labels, and 24 px a
                # bar leaves room for each
                axis=alt.Axis(labelLimit=320, labelOverlap=False),
            ),
            color=alt.Color(
                "phase:N", title="Phase", sort=phases, scale=alt.Scale(**palette.scale(phases))
            ),
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
                anchor="start",
            ),
            width="container",
            height=alt.Step(24),
        )
    )
    return finish(chart)


def main_chart(result: MitigationResult) -> alt.LayerChart:
    """The chart the PDF shows: :func:`cumulative_chart`."""
    return cumulative_chart(result)


def npv_tornado_spec(u: PlanUncertainty, result: MitigationResult | None = None) -> dict:
    """What moves the plan's NPV, as the shared tornado (:mod:`calculator.charts.tornado`):
    each input alone at the low (blue) and the high (red) end of its range, the others at base;
    the :data:`TORNADO_BARS` largest swings, largest on top; a dashed rule at the headline NPV.

    Examples
    --------
    >>> from calculator.mitigation import MitigationInputs, plan_uncertainty
    >>> spec = npv_tornado_spec(plan_uncertainty(MitigationInputs(), n=200))
    >>> spec["title"]["text"], len(spec["layer"][1]["data"]["values"]) // 2
    ("What moves the plan's NPV", 10)
    """
    from calculator.charts.tornado import tornado_spec

    return tornado_spec(
        u.npv_tornado,
        u.npv_usd.point,
        "What moves the plan's NPV",
        f"Plan NPV over {u.horizon_months:,} months (USD)",
        "$,.0f",
        "$~s",
        limit=TORNADO_BARS,
        label_limit=460,
    )
