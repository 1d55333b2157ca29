"""PDF summaries: one document a CFO can read and an engineer can reproduce.

``render(scenario) -> ReportOutput`` lays out the summary of a typed
:class:`~calculator.scenario.Scenario` (validated where it entered: the app's session, a
file read by :func:`calculator.scenario.parse_scenario`); ``render_comparison(base, new)``
compares two scenarios.  Both are pure functions of their inputs (and the clock, unless
``generated_at`` is given).

Modules, one idea each: :mod:`~.text` (untrusted text made printable, value formatting),
:mod:`~.markup` (the methodology's Markdown and LaTeX), :mod:`~.png` (chart PNGs, rendered in
worker processes and cached), :mod:`~.layout` (fpdf2 layout), :mod:`~.document` (a PDF being
built), :mod:`~.domains` (which engine and charts each what-if section uses),
:mod:`~.plain` (the words a person reads for inputs, results and runs),
:mod:`~.executive` (page 1), :mod:`~.sections` (the summary), :mod:`~.compare` (the
comparison).
"""

from __future__ import annotations

from datetime import datetime

from calculator.report.document import ReportOutput
from calculator.report.sections import Summary
from calculator.scenario import Scenario


def render(
    scenario: Scenario,
    *,
    full: bool = False,
    appendices: bool = False,
    answered: bool = True,
    generated_at: datetime | None = None,
) -> ReportOutput:
    """The summary PDF of ``scenario`` and what went in (section titles) and what was left out
    (notes, also listed on page 1).

    Page 1 is the executive summary (score, costs, top actions, what-if and benchmark
    headlines) and the contents; the sections follow.

    Parameters
    ----------
    scenario : what to summarise; every what-if it carries is a section.
    full : also include the what-if pages the scenario lacks, filled with their defaults.
    appendices : also include the appendices: the methodology texts (assumptions, formulas,
        sources) behind the sections shown, the seed inconsistencies that affect them, and how
        to reproduce every figure (CLI commands and the scenario file).
    answered : False when the questionnaire was never answered (the answers are the
        defaults): the assessment is left out, or shown with a note when ``full``.
    generated_at : the time printed on page 1 (default: now).
    """
    return Summary(
        scenario,
        full=full,
        appendices=appendices,
        answered=answered,
        generated_at=generated_at,
    ).build()


def build_pdf(
    scenario: Scenario,
    *,
    full: bool = False,
    appendices: bool = False,
    answered: bool = True,
    generated_at: datetime | None = None,
) -> bytes:
    """The summary PDF of ``scenario`` as bytes (starts with ``%PDF-``); arguments as
    :func:`render`."""
    return render(
        scenario,
        full=full,
        appendices=appendices,
        answered=answered,
        generated_at=generated_at,
    ).pdf


def render_comparison(
    base: Scenario, new: Scenario, *, generated_at: datetime | None = None
) -> ReportOutput:
    """A PDF comparing two scenarios: the key deltas on page 1 (score and band, costs in
    months 12 and 36, top actions with their payback, fine-tune and sizing headlines where
    both scenarios have them), both cost trajectories in one chart, then what changed in
    the inputs."""
    from calculator.report.compare import Comparison  # the summary never needs it

    return Comparison(base, new, generated_at=generated_at).build()


def warm_up() -> None:
    """Get the first PDF's fixed costs out of the way (once per process, safe from a thread):
    start vl-convert's engine (≈ 1 s) in the chart worker processes, or in this one when
    they are switched off, then import fpdf2 (the engines are imported with this package)."""
    from calculator.chart_png import WARM_UP_SPEC, WORKERS
    from calculator.chart_png import render as render_png

    if WORKERS.size:
        WORKERS.warm_up()
    else:
        render_png(WARM_UP_SPEC, 1.0)
    import fpdf  # noqa: F401


__all__ = ["ReportOutput", "build_pdf", "render", "render_comparison", "warm_up"]
