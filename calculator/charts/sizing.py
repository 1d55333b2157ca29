"""Charts of the sizing what-if (Altair, no streamlit): iso-FLOP curves, tokens per parameter
by fit across budgets, the cost of starting later (with its likely band), and the tornado of
what moves the cost."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from calculator.charts import palette
from calculator.charts.layout import SUBTITLE_CHARS, decades, finish, lines
from calculator.sizing import FITS, HW_PRICE_PERF_GROWTH, SizingResult, SizingUncertainty, fmt_count


def _points(result: SizingResult) -> pd.DataFrame:
    """Proposal and optima as points on the loss axis (the loss fit's loss); a fine-tune's
    proposal is left out — the curves describe training from scratch."""
    from calculator.sizing import predicted_loss

    fit = FITS[result.loss_fit]
    rows = []
    runs = [
        ("optimum at budget", result.budget_optimum),
        ("recommended (data-bound)" if result.data_limited else "recommended", result.recommended),
    ]
    if result.verdict != "fine-tune":  # a fine-tuned model is not a from-scratch run
        runs.append(("proposal", result.proposal))
    seen: list = []
    for label, alloc in runs:
        if alloc is not None and alloc not in seen:
            seen.append(alloc)
            rows.append(
                {
                    "run": label,
                    "params": alloc.params,
                    "tokens": alloc.tokens,
                    "compute_flops": alloc.compute_flops,
                    "loss": predicted_loss(alloc.params, alloc.tokens, fit),
                    "what": f"{fmt_count(alloc.params, 'params')} on "
                    f"{fmt_count(alloc.tokens, 'tokens')}",
                }
            )
    return pd.DataFrame(rows, columns=["run", "params", "tokens", "compute_flops", "loss", "what"])


_SI_LABEL = (
    "datum.value >= 1e12 ? format(datum.value / 1e12, '~g') + 'T' : "
    "datum.value >= 1e9 ? format(datum.value / 1e9, '~g') + 'B' : "
    "datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + 'M' : "
    "datum.value >= 1e3 ? format(datum.value / 1e3, '~g') + 'k' : format(datum.value, '~g')"
)
"""Vega label expression: 7e9 → '7B' (d3's SI format would say '7G')."""


def iso_flop_chart(result: SizingResult) -> alt.LayerChart:
    """Loss vs parameters (log x) at 0.1×, 1× and 10× the budget, proposal and optimum marked."""
    curves = pd.DataFrame([p.model_dump() for p in result.iso_flop])
    fit = FITS[result.loss_fit]
    subtitle = f"Loss: {fit.label}"
    if result.inputs.fit != result.loss_fit:
        subtitle += " (the 20-token rule defines no loss)"
    subtitles = [subtitle]
    if result.verdict == "fine-tune":
        subtitles.append("Models trained from scratch; the fine-tune is not on these curves.")
    title = alt.TitleParams(
        lines("Iso-FLOP curves: predicted loss vs model size"),
        subtitle=[line for text in subtitles for line in textwrap.wrap(text, SUBTITLE_CHARS)],
        anchor="start",
    )
    if curves.empty:
        curves = pd.DataFrame(columns=["budget_label", "compute_flops", "params", "tokens", "loss"])
    curves["budget"] = (
        curves["budget_label"]
        + " ("
        + curves["compute_flops"].map(lambda c: fmt_count(c, "FLOP"))
        + ")"
    )
    points = _points(result)
    x = alt.X(
        "params:Q",
        scale=alt.Scale(type="log"),
        title="Model parameters N (log scale)",
        axis=alt.Axis(
            labelExpr=_SI_LABEL, values=decades(pd.concat([curves["params"], points["params"]]))
        ),
    )
    y = alt.Y("loss:Q", scale=alt.Scale(zero=False), title="Predicted loss (nats/token)")
    curve_lines = (
        alt.Chart(curves)
        .mark_line()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "budget:N",
                title="Compute budget",
                sort=None,
                scale=alt.Scale(**palette.scale(curves["budget"])),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("budget:N"),
                alt.Tooltip("params:Q", format=".3s", title="parameters"),
                alt.Tooltip("tokens:Q", format=".3s", title="tokens"),
                alt.Tooltip("loss:Q", format=".4f", title="loss (nats/token)"),
            ],
        )
    )
    marks = (
        alt.Chart(points)
        .mark_point(size=160, filled=True)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "run:N", title="Run", legend=alt.Legend(orient="bottom", direction="vertical")
            ),
            color=alt.value("black"),
            tooltip=[
                "run:N",
                "what:N",
                alt.Tooltip("compute_flops:Q", format=".3s", title="FLOP"),
                alt.Tooltip("loss:Q", format=".4f", title="loss (nats/token)"),
            ],
        )
    )
    # height is the plot's own (layout.AUTOSIZE): the title and the legends come on top
    return finish(
        alt.layer(curve_lines, marks).properties(title=title, width="container", height=280)
    )


def tokens_per_param_chart(result: SizingResult) -> alt.LayerChart:
    """Compute-optimal tokens per parameter implied by each fit from 1e18 to 1e26 FLOPs."""
    df = pd.DataFrame([p.model_dump() for p in result.tokens_per_param_curve])
    df["fit_label"] = df["fit"].map(lambda k: FITS[k].label)
    x = alt.X(
        "compute_flops:Q",
        scale=alt.Scale(type="log"),
        title="Compute budget (FLOP, log scale)",
        axis=alt.Axis(format=".0e", values=decades(df["compute_flops"])),
    )
    y = alt.Y("tokens_per_param:Q", title="Compute-optimal tokens per parameter")
    fit_lines = (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "fit_label:N",
                title="Fit",
                sort=list(dict.fromkeys(df["fit_label"])),
                scale=alt.Scale(**palette.scale(df["fit_label"])),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("fit_label:N", title="fit"),
                alt.Tooltip("compute_flops:Q", format=".2e", title="FLOP"),
                alt.Tooltip("tokens_per_param:Q", format=".1f", title="tokens/param"),
                alt.Tooltip("params:Q", format=".3s", title="N_opt"),
            ],
        )
    )
    layers = [fit_lines]
    if result.budget_flops:
        rule = pd.DataFrame({"compute_flops": [result.budget_flops]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(strokeDash=[4, 4])
            .encode(
                x=x,
                tooltip=[alt.Tooltip("compute_flops:Q", format=".2e", title="your budget (FLOP)")],
            )
        )
    # The plot keeps its 280 px (layout.AUTOSIZE): under Streamlit's default ``autosize: fit``
    # the rotated y title, longer than what the title and legend left of ``height``, squeezed
    # the plot to a flat line with a bare "0" on the y-axis.
    return finish(
        alt.layer(*layers).properties(
            title=alt.TitleParams(
                lines("Where the fits disagree: tokens per parameter at the optimum"),
                anchor="start",
            ),
            width="container",
            height=280,
        )
    )


def cost_later_chart(
    result: SizingResult, ranges: SizingUncertainty | None = None
) -> alt.Chart | alt.LayerChart:
    """Cost of the same run started 0/6/12/24 months later (seed 002 hardware trend); with
    ``ranges`` each bar carries the run's likely band (P10–P90, scaled by the same factor)."""
    df = pd.DataFrame(
        [r.model_dump() for r in result.later], columns=["months", "cost_usd", "days"]
    )
    df["start"] = df["months"].map(lambda m: "now" if m == 0 else f"in {m} months")
    band = None
    if ranges is not None:
        band = ranges.proposal_usd if result.proposal is not None else ranges.recommended_usd
    tooltip = [
        alt.Tooltip("start:N"),
        alt.Tooltip("cost_usd:Q", format="$,.0f", title="cost (USD)"),
        alt.Tooltip("days:Q", format=".3g", title="wall-clock days"),
    ]
    if band is not None and band.point > 0:
        scale = df["cost_usd"] / band.point  # the later factor: cost × 1.3^(−months/12)
        df["p10"], df["p90"] = band.p10 * scale, band.p90 * scale
        tooltip += [
            alt.Tooltip("p10:Q", format="$,.0f", title="likely from (P10)"),
            alt.Tooltip("p90:Q", format="$,.0f", title="likely to (P90)"),
        ]
    x = alt.X("start:N", sort=None, title="Start of the run", axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(x=x, y=alt.Y("cost_usd:Q", title="Training cost (USD)"), tooltip=tooltip)
    )
    title = lines(f"Cost of {result.later_of} if started later")
    subtitle = [f"Price-performance +{HW_PRICE_PERF_GROWTH:.0%}/year (seed 002)"]
    props = {"width": "container", "height": 240}
    if "p10" not in df:
        return finish(
            bars.properties(
                title=alt.TitleParams(title, subtitle=subtitle, anchor="start"), **props
            )
        )
    whiskers = (
        alt.Chart(df)
        .mark_errorbar(ticks={"size": 16}, color="#212121", thickness=1.5)
        .encode(x=x, y=alt.Y("p10:Q", title="Training cost (USD)"), y2="p90:Q", tooltip=tooltip)
    )
    return finish(
        alt.layer(bars, whiskers).properties(
            title=alt.TitleParams(
                title,
                subtitle=[*subtitle, "Whiskers: likely range (P10–P90)"],
                anchor="start",
            ),
            **props,
        )
    )


def cost_tornado_spec(ranges: SizingUncertainty, result: SizingResult) -> dict:
    """Which uncertain input moves the proposal's cost (or the recommended run's) most."""
    from calculator.charts.tornado import tornado_spec

    run = result.proposal or result.recommended
    return tornado_spec(
        ranges.tornado,
        run.cost_usd if run else 0.0,
        f"What moves {ranges.tornado_of or 'the cost'} most",
        "Cost (USD)",
        "$,.2f" if run and run.cost_usd < 100 else "$,.0f",
        "$~s",
    )


def main_chart(result: SizingResult) -> alt.LayerChart:
    """The chart the PDF shows for the sizing page: the iso-FLOP curves."""
    return iso_flop_chart(result)
