"""How every chart fits its box (no streamlit, no Altair at import: plain data).

Streamlit's Vega theme leaves a chart no padding (a title's glyphs are clipped at the top,
a rotated axis title at the left), cuts axis labels at 100 px and hides every other label
of a crowded axis (``labelOverlap``), and Vega cuts legend labels at 160 px; and a chart left
at Streamlit's default ``autosize: fit`` squeezes its title, axes and legends into
``height``, so a long rotated axis title or a tall legend flattens the plot.  Every chart
therefore sets, through :func:`frame` (a spec dict) or :func:`finish` (an Altair chart):

* :data:`AUTOSIZE` — fit the width to the column, keep ``height`` as the plot's own;
* :data:`PADDING` — room for the glyphs at the edges of the drawing;
* :data:`CONFIG` — axis labels and legend labels at their full length (each chart that
  needs a bound sets its own ``labelLimit``), no label dropped from a category axis.

Long titles are wrapped into lines (:func:`lines`) that fit the narrowest column a chart is
shown in (≈ 400 px: half the main area at 1280 px), instead of being cut with "…".
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import altair as alt

AUTOSIZE: dict[str, str] = {"type": "fit-x", "contains": "padding"}
PADDING: dict[str, int] = {"top": 10, "right": 14, "bottom": 8, "left": 8}
CONFIG: dict[str, Any] = {
    "axis": {"labelLimit": 0},
    "axisBand": {"labelOverlap": False},
    "axisPoint": {"labelOverlap": False},
    "legend": {"labelLimit": 0},
}
TITLE_CHARS = 46
"""Characters per title line of a chart in a column (bold, ≈ 16 px in the page's theme: ≈ 400
px, the narrowest column at 1280 px)."""
WIDE_TITLE_CHARS = 70
"""Characters per title line of a chart across the main area (≥ 800 px at 1280 px; the PDF's
560 px at its 13 px title font)."""
SUBTITLE_CHARS = 62
"""Characters per subtitle line (≈ 12 px) of a chart in a column."""
WIDE_SUBTITLE_CHARS = 96
"""Characters per subtitle line of a chart across the main area."""


def lines(text: str, width: int = TITLE_CHARS) -> str | list[str]:
    """``text`` as it is when it fits ``width`` characters, else as a list of lines (Vega draws a
    list as a multi-line title instead of cutting it).

    Examples
    --------
    >>> lines("Actions ranked by ROI")
    'Actions ranked by ROI'
    >>> lines("Cost of the proposal if started later (price-performance +30 %/year)")
    ['Cost of the proposal if started later', '(price-performance +30 %/year)']
    """
    wrapped = textwrap.wrap(text, width, break_on_hyphens=False)
    return text if len(wrapped) <= 1 else wrapped


def frame(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` (a top-level Vega-Lite dict) with :data:`AUTOSIZE`, :data:`PADDING` and
    :data:`CONFIG` (the spec's own settings win).

    Examples
    --------
    >>> s = frame({"mark": "bar", "config": {"legend": {"orient": "bottom"}}})
    >>> s["autosize"]["type"], s["padding"]["top"], s["config"]["legend"]
    ('fit-x', 10, {'labelLimit': 0, 'orient': 'bottom'})
    """
    config = {k: dict(v) for k, v in CONFIG.items()}
    for key, value in spec.get("config", {}).items():
        config[key] = {**config.get(key, {}), **value} if isinstance(value, dict) else value
    return {"autosize": dict(AUTOSIZE), "padding": dict(PADDING), **spec, "config": config}


def finish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """An Altair chart with :data:`AUTOSIZE`, :data:`PADDING` and :data:`CONFIG` (a copy)."""
    import altair as alt

    out = chart.properties(
        autosize=alt.AutoSizeParams(**AUTOSIZE), padding=alt.Padding(**PADDING)
    ).copy()
    out.config = alt.Config.from_dict(CONFIG)
    return out


def decades(values: Iterable[float]) -> list[float]:
    """Powers of ten spanning the positive ``values``: a log axis's ticks and its domain, one
    label per order of magnitude (no minor-tick clutter).

    Examples
    --------
    >>> decades([3.3, 27.0, 210.0])
    [1.0, 10.0, 100.0, 1000.0]
    >>> decades([])
    []
    """
    positive = [v for v in values if v > 0 and math.isfinite(v)]
    if not positive:
        return []
    lo, hi = math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))
    return [10.0**k for k in range(lo, max(hi, lo + 1) + 1)]
