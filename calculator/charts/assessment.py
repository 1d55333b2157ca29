"""Charts of the risk assessment (no streamlit): score gauge, drivers, cost trajectories.

Each chart is written once as a plain Vega-Lite spec (``*_spec`` → dict): building specs
directly takes well under a millisecond, against ~50–100 ms per chart through Altair's
object model, which matters for the page's rerun budget (issue 2: < 150 ms).  The page
passes the dicts to ``st.vega_lite_chart``; the ``*_chart`` functions wrap the same specs as
Altair charts for the PDF report (``main_chart``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from calculator.charts import palette
from calculator.charts.layout import SUBTITLE_CHARS, frame, lines
from calculator.charts.tornado import tornado_spec
from calculator.common import COMPONENTS
from calculator.risk import BANDS, Assessment, AssessmentRanges

if TYPE_CHECKING:  # altair is imported lazily: the page needs only the specs
    import altair as alt

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
BAND_COLOURS: dict[str, str] = palette.BANDS
COMPONENT_COLOURS: dict[str, str] = palette.COMPONENTS
Spec = dict[str, Any]
LINE_DASHES = ((10, 4), (2, 3), (10, 3, 2, 3))
"""Dash patterns of the naive linear line, the low (P10) total and the high (P90) total:
long dashes, dots, dash-dot — distinct even in a legend symbol."""


def band_ranges() -> list[dict[str, Any]]:
    """The four bands as [start, end] on 0–100 (seed 001 §7 thresholds 70 / 85; 40).

    Examples
    --------
    >>> [(b["band"], b["start"], b["end"]) for b in band_ranges()]
    [('low', 0.0, 40.0), ('elevated', 40.0, 70.0), ('high', 70.0, 85.0), ('critical', 85.0, 100.0)]
    """
    bounds = sorted((max(b, 0.0), name) for b, name, _ in BANDS)
    return [
        {"band": name, "start": start, "end": bounds[i + 1][0] if i + 1 < len(bounds) else 100.0}
        for i, (start, name) in enumerate(bounds)
    ]


def gauge_spec(result: Assessment, ranges: AssessmentRanges | None = None) -> Spec:
    """Bullet gauge: the four bands on 0–100 with the score as a bar and a tick; with
    ``ranges``, a whisker from the score's P10 to its P90."""
    x_scale = {"domain": [0, 100]}
    whisker = (
        []
        if ranges is None
        else [
            {
                "data": {"values": [{"p10": ranges.score.p10, "p90": ranges.score.p90}]},
                "mark": {"type": "rule", "color": "#212121", "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "p10", "type": "quantitative", "scale": x_scale},
                    "x2": {"field": "p90"},
                    "y": {"value": 6},
                    "tooltip": [
                        {"field": "p10", "title": "Score, P10", "format": ".1f"},
                        {"field": "p90", "title": "Score, P90", "format": ".1f"},
                    ],
                },
            }
        ]
    )
    return frame(
        {
            "$schema": SCHEMA,
            "title": f"Scalability risk score: {result.score:.1f} / 100 ({result.band})",
            "height": 40,
            "layer": [
                {
                    "data": {"values": band_ranges()},
                    "mark": {"type": "rect", "opacity": 0.35},
                    "encoding": {
                        "x": {
                            "field": "start",
                            "type": "quantitative",
                            "scale": x_scale,
                            "title": "Scalability risk score (0–100)",
                        },
                        "x2": {"field": "end"},
                        "color": {
                            "field": "band",
                            "type": "nominal",
                            "title": "Band",
                            "sort": list(BAND_COLOURS),
                            "scale": {
                                "domain": list(BAND_COLOURS),
                                "range": list(BAND_COLOURS.values()),
                            },
                            "legend": {"orient": "bottom"},
                        },
                        "tooltip": [
                            {"field": "band", "title": "Band"},
                            {"field": "start", "title": "From"},
                            {"field": "end", "title": "To"},
                        ],
                    },
                },
                {
                    "data": {"values": [{"score": result.score, "zero": 0.0}]},
                    "mark": {"type": "rect", "color": "#212121"},
                    "encoding": {
                        "x": {"field": "zero", "type": "quantitative", "scale": x_scale},
                        "x2": {"field": "score"},
                        "y": {"value": 13},
                        "y2": {"value": 27},
                        "tooltip": [
                            {
                                "field": "score",
                                "type": "quantitative",
                                "title": "Score",
                                "format": ".1f",
                            }
                        ],
                    },
                },
                {
                    "data": {"values": [{"score": result.score}]},
                    "mark": {"type": "rule", "color": "#212121", "strokeWidth": 3},
                    "encoding": {"x": {"field": "score", "type": "quantitative", "scale": x_scale}},
                },
                *whisker,
            ],
        }
    )


def drivers_spec(result: Assessment) -> Spec:
    """Horizontal bars: each driver's points (they sum to the score)."""
    rows = [
        {"driver": d.name, "points": d.points, "seed": d.seed_ref, "why": d.why}
        for d in result.drivers
    ]
    return frame(
        {
            "$schema": SCHEMA,
            "title": f"Score drivers ({result.score:.1f} points in total)",
            "height": max(60, 26 * len(rows)),
            "data": {"values": rows},
            "mark": {"type": "bar", "color": "#c62828"},
            "encoding": {
                "x": {"field": "points", "type": "quantitative", "title": "Points of the score"},
                "y": {
                    "field": "driver",
                    "type": "nominal",
                    "sort": "-x",
                    "title": None,
                    "axis": {"labelLimit": 260},
                },
                "tooltip": [
                    {"field": "driver", "title": "Driver"},
                    {"field": "points", "type": "quantitative", "title": "Points", "format": ".1f"},
                    {"field": "seed", "title": "Source"},
                    {"field": "why", "title": "Why it costs money"},
                ],
            },
        }
    )


def trajectory_rows(
    result: Assessment, months: int, ranges: AssessmentRanges | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(base components per month, long form; naive / low / high / base totals per month) for
    0…``months``.

    With ``ranges`` the band (low, high) is the simulation's P10–P90 of the total; without,
    the forecast's all-low / all-high exponents.

    Examples
    --------
    >>> from calculator.risk import Answers, assess
    >>> comp, totals = trajectory_rows(assess(Answers()), 12)
    >>> len(comp), len(totals), totals[0]["naive"]
    (52, 13, 8000.0)
    """
    f = result.forecast
    n = min(months, f.months[-1]) + 1
    comp = [
        {"month": f.months[t], "component": c, "usd": f.trajectories["base"][c][t], "order": i}
        for i, c in enumerate(COMPONENTS)
        for t in range(n)
    ]
    totals = [
        {
            "month": f.months[t],
            "naive": f.naive_linear[t],
            **{
                v: sum(f.trajectories[v][c][t] for c in COMPONENTS) for v in ("low", "base", "high")
            },
        }
        for t in range(n)
    ]
    if ranges is not None:
        for t, row in enumerate(totals):
            row["low"], row["high"] = ranges.band_p10[t], ranges.band_p90[t]
    return comp, totals


def trajectory_spec(
    result: Assessment, months: int = 12, ranges: AssessmentRanges | None = None
) -> Spec:
    """Stacked area of the base case by component, the likely band of the total (P10–P90 of the
    simulation when ``ranges`` is given), naive linear line."""
    comp, totals = trajectory_rows(result, months, ranges)
    low_label, high_label = (
        ("total, P10", "total, P90") if ranges else ("total, low", "total, high")
    )
    line_rows = [
        {"month": r["month"], "line": label, "usd": r[key]}
        for r in totals
        for key, label in (("naive", "naive linear"), ("low", low_label), ("high", high_label))
    ]
    band_name = "likely band (P10–P90)" if ranges else "low–high band"
    x = {
        "field": "month",
        "type": "quantitative",
        "title": "Months from today",
        "scale": {"domain": [0, totals[-1]["month"]]},
    }
    usd = {"type": "quantitative", "title": "Cost (USD/month)", "axis": {"format": "$~s"}}
    money = {"type": "quantitative", "format": "$,.0f"}
    return frame(
        {
            "$schema": SCHEMA,
            "title": {
                "text": f"Monthly cost over {months} months",
                "subtitle": lines(
                    f"Components (base case), {band_name}, naive linear", SUBTITLE_CHARS
                ),
                "anchor": "start",
            },
            "height": 320,
            "resolve": {"scale": {"color": "independent"}},
            "layer": [
                {
                    "data": {"values": totals},
                    "mark": {"type": "area", "opacity": 0.18, "color": "#424242"},
                    "encoding": {
                        "x": x,
                        "y": {"field": "low", **usd},
                        "y2": {"field": "high"},
                        "tooltip": [
                            {"field": "month", "title": "Month"},
                            {
                                "field": "low",
                                "title": f"{low_label.capitalize()} (USD/month)",
                                **money,
                            },
                            {"field": "base", "title": "Total, base (USD/month)", **money},
                            {
                                "field": "high",
                                "title": f"{high_label.capitalize()} (USD/month)",
                                **money,
                            },
                        ],
                    },
                },
                {
                    "data": {"values": comp},
                    "mark": {"type": "area", "opacity": 0.85},
                    "encoding": {
                        "x": x,
                        "y": {"field": "usd", "stack": "zero", **usd},
                        "color": {
                            "field": "component",
                            "type": "nominal",
                            "title": "Component (base case)",
                            "sort": list(COMPONENTS),
                            "scale": palette.scale(COMPONENTS),
                        },
                        "order": {"field": "order", "type": "quantitative"},
                        "tooltip": [
                            {"field": "month", "title": "Month"},
                            {"field": "component", "title": "Component"},
                            {"field": "usd", "title": "USD/month", **money},
                        ],
                    },
                },
                {
                    "data": {"values": line_rows},
                    "mark": {"type": "line", "strokeWidth": 2, "color": "#212121"},
                    "encoding": {
                        "x": x,
                        "y": {"field": "usd", "type": "quantitative"},
                        "strokeDash": {
                            "field": "line",
                            "type": "nominal",
                            "title": "Lines",
                            "scale": {
                                "domain": ["naive linear", low_label, high_label],
                                "range": [list(d) for d in LINE_DASHES],
                            },
                            # a 36 px symbol shows each dash pattern whole (a short one made
                            # the low and the high total look alike)
                            "legend": {"symbolSize": 1296, "symbolStrokeWidth": 2},
                        },
                        "tooltip": [
                            {"field": "month", "title": "Month"},
                            {"field": "line", "title": "Line"},
                            {"field": "usd", "title": "USD/month", **money},
                        ],
                    },
                },
            ],
        }
    )


def score_tornado_spec(ranges: AssessmentRanges, score: float) -> Spec:
    """Which uncertain input moves the risk score most (each to its low and high end)."""
    return tornado_spec(
        ranges.score_tornado,
        score,
        "What moves the risk score most",
        "Risk score (0–100)",
    )


def cost_tornado_spec(ranges: AssessmentRanges) -> Spec:
    """Which uncertain input moves the 36-month monthly cost most."""
    return tornado_spec(
        ranges.cost_tornado,
        ranges.cost[36]["total"].point,
        "What moves the monthly cost in month 36 most",
        "Monthly cost in month 36 (USD/month)",
        "$,.0f",
        "$~s",
    )


def page_specs(result: Assessment, ranges: AssessmentRanges | None = None) -> dict[str, Spec]:
    """All specs the assessment page shows: gauge, drivers, 12- and 36-month trajectories and,
    with ``ranges``, the two tornado charts."""
    specs = {
        "gauge": gauge_spec(result, ranges),
        "drivers": drivers_spec(result),
        "t12": trajectory_spec(result, 12, ranges),
        "t36": trajectory_spec(result, 36, ranges),
    }
    if ranges is not None:
        specs["score_tornado"] = score_tornado_spec(ranges, result.score)
        specs["cost_tornado"] = cost_tornado_spec(ranges)
    return specs


def gauge_chart(result: Assessment) -> alt.LayerChart:
    """:func:`gauge_spec` as an Altair chart."""
    import altair as alt

    return alt.LayerChart.from_dict(gauge_spec(result), validate=False)


def drivers_chart(result: Assessment) -> alt.Chart:
    """:func:`drivers_spec` as an Altair chart."""
    import altair as alt

    return alt.Chart.from_dict(drivers_spec(result), validate=False)


def trajectory_chart(result: Assessment, months: int = 12) -> alt.LayerChart:
    """:func:`trajectory_spec` as an Altair chart."""
    import altair as alt

    return alt.LayerChart.from_dict(trajectory_spec(result, months), validate=False)


def main_chart(result: Assessment) -> alt.VConcatChart:
    """The chart the PDF shows for the assessment: drivers above the 36-month trajectory."""
    import altair as alt

    top, bottom = drivers_spec(result), trajectory_spec(result, 36)
    for part in (top, bottom):
        for key in ("$schema", "autosize", "padding", "config"):  # top level only
            part.pop(key)
    spec = frame(
        {
            "$schema": SCHEMA,
            "vconcat": [top, bottom],
            "resolve": {"scale": {"color": "independent"}},
        }
    )
    spec.pop("autosize")  # Vega-Lite fits single and layered views only
    return alt.VConcatChart.from_dict(spec)
