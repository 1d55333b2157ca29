"""The report's chart PNGs: requested as soon as a section's results are known, rendered by
:data:`calculator.chart_png.WORKERS` while the text is laid out, cached by chart and input.

A chart is named by its function's path (``"calculator.charts.sizing:main_chart"``), not
imported: the chart modules load Altair and pandas (≈ 0.8 s of a cold CLI run), which only
the worker processes need.  ``tests/test_report.py`` checks that every path resolves.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from concurrent.futures import Future

PNG_SCALE = 2.0
"""Device pixels per CSS pixel of the chart PNGs (sharp on paper, about 190 dpi at natural size)."""
MM_PER_CSS_PX = 0.3
_PNG_CACHE: OrderedDict[str, bytes] = OrderedDict()
_PNG_CACHE_MAX = 64
CHART_TIMEOUT_S = 60.0
"""A worker that has not answered by then is given up; the chart is rendered in-process."""


class Chart(NamedTuple):
    """One chart of the report: its title (the image's alt text), the chart function as
    ``module:name`` and the function's arguments (pydantic models or JSON values)."""

    title: str
    function: str
    args: tuple[Any, ...]


class ChartPngs:
    """The report's chart PNGs, built and rendered while the text is laid out.

    Sections :meth:`request` their charts as soon as their results are computed (before any
    layout): each becomes a job for :data:`calculator.chart_png.WORKERS`, and :meth:`png`
    collects its PNG when the layout reaches it.  PNGs are cached by chart function and
    input, so a rebuilt report reuses them.  A worker that fails or is missing costs time,
    never a chart: the chart is then built and rendered in this process, where a chart that
    cannot be built raises its own error (a note in the report).
    """

    def __init__(self) -> None:
        self.pending: dict[str, Future[bytes]] = {}

    def request(self, charts: Sequence[Chart]) -> None:
        from calculator.chart_png import WORKERS, chart_job, job_key

        for chart in charts:
            job = chart_job(chart.function, chart.args, PNG_SCALE)
            if job is None:
                continue  # built in this process when laid out
            key = job_key(job)
            if key not in _PNG_CACHE and key not in self.pending:
                self.pending[key] = WORKERS.submit(job)

    def png(self, chart: Chart) -> bytes:
        from calculator.chart_png import chart_job, job_key, render_chart, render_job

        job = chart_job(chart.function, chart.args, PNG_SCALE)
        if job is None:
            return render_chart(chart.function, chart.args, PNG_SCALE)
        key = job_key(job)
        if key in _PNG_CACHE:
            _PNG_CACHE.move_to_end(key)
            return _PNG_CACHE[key]
        future = self.pending.pop(key, None)
        try:
            png = future.result(timeout=CHART_TIMEOUT_S) if future else render_job(job)
        except Exception:  # noqa: BLE001 - the worker failed: build it here, errors and all
            png = render_job(job)
        _PNG_CACHE[key] = png
        while len(_PNG_CACHE) > _PNG_CACHE_MAX:
            _PNG_CACHE.popitem(last=False)
        return png


def clear_cache() -> None:
    """Forget every cached PNG (the next report renders its charts again)."""
    _PNG_CACHE.clear()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    return struct.unpack(">II", png[16:24])
