"""Tornado chart (no streamlit): how far each uncertain input alone moves a headline.

One bar per input from the headline at the input's low end (blue dot) to the headline at its
high end (red dot), the others at their point values; sorted by swing, largest on top; a dashed
rule at the point value.  The colours are explained in the title's subtitle (a legend would
take width from the labels in a narrow column).
Written as a plain Vega-Lite spec, like the assessment's charts (fast on page reruns).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from calculator.charts.layout import frame, lines
from calculator.charts.palette import HIGH_END, LOW_END
from calculator.uncertainty import TornadoBar

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
MAX_BARS = 8
"""Bars shown: the inputs with the largest swings (the rest move the headline less)."""

LOW_COLOUR, HIGH_COLOUR = LOW_END, HIGH_END
SUBTITLE = ["blue: input at its low end · red: at its high end", "dashed: the headline"]
"""The colour key, in two lines that fit the narrowest column."""


def tornado_rows(bars: Sequence[TornadoBar], limit: int = MAX_BARS) -> list[dict[str, Any]]:
    """Two rows per input that moves the headline (low end, high end), largest swing first.

    Examples
    --------
    >>> b = TornadoBar(key="a", label="A", input_low=1, input_high=3, low=10, high=30,
    ...                source="seed range")
    >>> [(r["end"], r["value"]) for r in tornado_rows([b])]
    [('input at its low end', 10.0), ('input at its high end', 30.0)]
    """
    moving = [b for b in bars if b.swing > 0][:limit]
    return [
        {
            "input": b.label,
            "rank": i,
            "end": end,
            "value": value,
            "input_value": input_value,
            "swing": b.swing,
        }
        for i, b in enumerate(moving)
        for end, value, input_value in (
            ("input at its low end", b.low, b.input_low),
            ("input at its high end", b.high, b.input_high),
        )
    ]


def tornado_spec(
    bars: Sequence[TornadoBar],
    point: float,
    title: str,
    axis_title: str,
    value_format: str = ",.1f",
    axis_format: str | None = None,
    limit: int = MAX_BARS,
    label_limit: int = 220,
) -> dict[str, Any]:
    """Vega-Lite tornado: a bar per input from its low-end to its high-end headline value.

    Parameters
    ----------
    bars : :func:`calculator.uncertainty.tornado`'s bars (sorted by swing).
    point : the headline's point value (drawn as a rule).
    title, axis_title : chart title and the value axis title (with its unit).
    value_format, axis_format : d3 formats for tooltips and the axis (e.g. ``"$,.0f"``, ``"$~s"``).
    limit, label_limit : bars shown (largest swings) and the input labels' width in pixels.

    Examples
    --------
    >>> b = TornadoBar(key="a", label="A", input_low=1, input_high=3, low=10, high=30,
    ...                source="seed range")
    >>> spec = tornado_spec([b], 20.0, "Score", "Score (0–100)")
    >>> len(spec["layer"]), spec["layer"][0]["encoding"]["y"]["field"]
    (3, 'input')
    """
    rows = tornado_rows(bars, limit)
    n = max(len(rows) // 2, 1)
    y = {
        "field": "input",
        "type": "nominal",
        "title": None,
        "sort": {"field": "rank", "order": "ascending"},
        "axis": {"labelLimit": label_limit, "labelOverlap": False},
    }
    axis = {"title": axis_title, **({"format": axis_format} if axis_format else {})}
    tooltip = [
        {"field": "input", "title": "Input"},
        {"field": "end", "title": "Moved to"},
        {"field": "input_value", "type": "quantitative", "title": "Input value", "format": ",.4~g"},
        {"field": "value", "type": "quantitative", "title": "Headline", "format": value_format},
    ]
    return frame(
        {
            "$schema": SCHEMA,
            "title": {
                "text": lines(title),
                "subtitle": SUBTITLE,
                "anchor": "start",
                "subtitleColor": "#616161",
            },
            "height": 26 * n,
            "layer": [
                {
                    "data": {"values": rows},
                    "mark": {
                        "type": "rule",
                        "strokeWidth": 10,
                        "opacity": 0.35,
                        "color": "#616161",
                    },
                    "transform": [
                        {
                            "aggregate": [
                                {"op": "min", "field": "value", "as": "lo"},
                                {"op": "max", "field": "value", "as": "hi"},
                            ],
                            "groupby": ["input", "rank"],
                        }
                    ],
                    "encoding": {
                        "y": y,
                        "x": {
                            "field": "lo",
                            "type": "quantitative",
                            "axis": axis,
                            "scale": {"zero": False},
                        },
                        "x2": {"field": "hi"},
                    },
                },
                {
                    "data": {"values": rows},
                    "mark": {"type": "point", "filled": True, "size": 90},
                    "encoding": {
                        "y": y,
                        "x": {"field": "value", "type": "quantitative"},
                        "color": {
                            "field": "end",
                            "type": "nominal",
                            "title": "Headline with the input at",
                            "scale": {
                                "domain": ["input at its low end", "input at its high end"],
                                "range": [LOW_COLOUR, HIGH_COLOUR],
                            },
                            "legend": None,
                        },
                        "tooltip": tooltip,
                    },
                },
                {
                    "data": {"values": [{"point": point}]},
                    "mark": {"type": "rule", "color": "#212121", "strokeDash": [4, 3]},
                    "encoding": {"x": {"field": "point", "type": "quantitative"}},
                },
            ],
        }
    )
