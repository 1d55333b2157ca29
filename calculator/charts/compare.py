"""Chart of two scenarios side by side (no streamlit, no Altair: a plain Vega-Lite spec): the
total monthly cost of each, base case, month by month."""

from __future__ import annotations

from typing import Any

from calculator.common import COMPONENTS
from calculator.risk import Assessment

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
COLOURS = ("#546e7a", "#ef6c00")
"""Base (blue grey), then new (orange)."""


def trajectory_rows(labelled: list[tuple[str, Assessment]]) -> list[dict[str, Any]]:
    """``{"scenario", "month", "usd"}`` rows: each assessment's total monthly cost (base case)
    in every month of its forecast.

    Examples
    --------
    >>> from calculator.risk import Answers, assess
    >>> rows = trajectory_rows([("A", assess(Answers()))])  # today: 4,000 + 800 + 2,000 + 1,200
    >>> rows[0]["scenario"], rows[0]["month"], rows[0]["usd"]
    ('A', 0, 8000.0)
    """
    return [
        {
            "scenario": label,
            "month": m,
            "usd": sum(result.forecast.trajectories["base"][c][m] for c in COMPONENTS),
        }
        for label, result in labelled
        for m in result.forecast.months
    ]


def cost_trajectories_spec(rows: list[dict[str, Any]], labels: list[str]) -> dict[str, Any]:
    """One line per scenario (``labels`` in legend order: base, then new) of the
    :func:`trajectory_rows` rows."""
    return {
        "$schema": SCHEMA,
        "title": {"text": "Total monthly cost, base case", "anchor": "start", "limit": 0},
        "width": 520,
        "height": 190,
        "data": {"values": rows},
        "mark": {"type": "line", "strokeWidth": 2.5, "point": {"size": 14}},
        "encoding": {
            "x": {
                "field": "month",
                "type": "quantitative",
                "title": "Months from today",
                "scale": {"domain": [0, max((r["month"] for r in rows), default=1)], "nice": False},
            },
            "y": {
                "field": "usd",
                "type": "quantitative",
                "title": "Cost (USD/month)",
                "axis": {"format": "$~s"},
            },
            "color": {
                "field": "scenario",
                "type": "nominal",
                "title": None,
                "sort": labels,
                "scale": {"domain": labels, "range": list(COLOURS[: len(labels)])},
                "legend": {"orient": "top", "labelLimit": 320, "direction": "vertical"},
            },
            "tooltip": [
                {"field": "scenario", "title": "Scenario"},
                {"field": "month", "title": "Month"},
                {"field": "usd", "title": "USD/month", "type": "quantitative", "format": "$,.0f"},
            ],
        },
    }
