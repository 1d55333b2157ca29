"""A PDF being built: its layout, its charts, the sections shown and the notes on what was
left out — shared by the summary (:mod:`~calculator.report.sections`) and the comparison
(:mod:`~calculator.report.compare`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from pydantic import BaseModel

from calculator.report.layout import Layout
from calculator.report.png import Chart, ChartPngs
from calculator.report.text import clean_text


class ReportOutput(BaseModel, frozen=True):
    """The PDF plus what went into it: section titles shown and notes on what was left out."""

    pdf: bytes
    sections: list[str] = []
    notes: list[str] = []


def stamp(at: datetime) -> str:
    """``2026-11-23 09:30 UTC`` (a naive time is printed as it is, without a zone)."""
    if at.tzinfo is None:
        return at.strftime("%Y-%m-%d %H:%M")
    return at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


class Document:
    """Sections, notes and charts of one PDF; subclasses lay out the content."""

    def __init__(self, footer: str, title: str, generated_at: datetime | None) -> None:
        self.generated_at = generated_at or datetime.now(timezone.utc)
        self.date = stamp(self.generated_at)
        self.lay = Layout(f"{footer} · {self.date}", title=title)
        self.charts = ChartPngs()
        self.sections: list[str] = []
        self.notes: list[str] = []

    def omit(self, title: str, why: str) -> None:
        """Note that ``title`` is left out, and why (listed on page 1)."""
        self.notes.append(f"{title}: {why}")

    def section(self, title: str) -> None:
        """Start a section (a bookmark, and listed in the output): on a new page when less
        than 40% of this one is left, else below a rule (:meth:`Layout.h1`)."""
        self.lay.h1(title)
        self.sections.append(title)

    def figures(self, charts: Sequence[Chart], max_height: float = 95) -> None:
        """Render the charts (side by side when several; PNGs cached by function and input);
        a broken chart becomes a note, never a failed report."""
        pngs = []
        for chart in charts:
            try:
                pngs.append((self.charts.png(chart), chart.title))
            except Exception as exc:  # noqa: BLE001 - a broken chart must not sink the report
                self.lay.note(
                    f"{chart.title} chart could not be rendered "
                    f"({type(exc).__name__}: {clean_text(exc, 200)})."
                )
                self.notes.append(f"{chart.title} chart: {type(exc).__name__}: {exc}")
        if pngs:
            self.lay.images(pngs, max_height=max_height)

    def output(self) -> ReportOutput:
        return ReportOutput(pdf=self.lay.output(), sections=self.sections, notes=self.notes)
