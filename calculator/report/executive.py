"""Page 1 of the summary: what a CFO reads in a minute, in words and figures.

The score and band with their likely range and meaning, the total monthly cost in months 12
and 36 with their likely ranges, the top three actions with their savings, payback and ROI
multiple, then one line per what-if the scenario carries (fine-tuning, sizing, mitigation
plan, Green Money) and the benchmark.  Every figure is a result the sections computed
(:class:`calculator.report.sections.Summary` computes each once and hands it here) in the
engine's own formatters; nothing is computed or typed here beyond choosing and joining.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bench.protocol import BenchResult
from calculator import finetune, mitigation, risk, sizing
from calculator.common import format_money
from calculator.mitigation import format_multiple, format_payback
from calculator.report.plain import DEVICE_KINDS, model_name
from calculator.report.text import clean_text, humane, money
from calculator.uncertainty import Range, format_likely

TOP_ACTIONS = 3
COST_MONTHS = (12, 36)
BAND_COLOURS: dict[str, tuple[int, int, int]] = {
    "low": (30, 120, 60),
    "elevated": (180, 110, 0),
    "high": (200, 70, 20),
    "critical": (170, 20, 20),
}
"""Colour of each band's name on page 1 (green → red)."""


def likely(r: Range | None, fmt: Any = format_money) -> str:
    """A range's P10–P90 without the word "likely" (the column says so); "—" without one."""
    return "—" if r is None else format_likely(r, fmt).removeprefix("likely ")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (a band's meaning is one or two sentences).

    >>> first_sentence("Costs grow. Fix it.  Now."), first_sentence("No full stop")
    ('Costs grow.', 'No full stop')
    """
    text = clean_text(text)
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def score_line(result: risk.Assessment, ranges: risk.AssessmentRanges) -> tuple[str, str, str]:
    """(score, band, likely range) as printed: ``62.6 / 100``, ``Elevated``, ``62.6–65.0``."""
    return (
        f"{result.score:.1f} / 100",
        clean_text(result.band).capitalize(),
        likely(ranges.score, lambda x: f"{x:.1f}"),
    )


def cost_rows(result: risk.Assessment, ranges: risk.AssessmentRanges) -> list[tuple[str, str, str]]:
    """(when, total monthly cost, likely range): today, then months 12 and 36 (the
    simulation's point value is the forecast's base case, as in the assessment's figures)."""
    rows = [
        (
            "Today",
            f"{money(result.current_monthly_cost.total)}/month",
            "as answered",
        )
    ]
    for month in COST_MONTHS:
        r = ranges.cost.get(month, {}).get("total")
        if r is None:
            continue
        rows.append((f"In month {month}", f"{money(r.point)}/month", likely(r)))
    return rows


def linear_note(result: risk.Assessment) -> str:
    """The naive projection beside the forecast, in one sentence."""
    return (
        f"A naive linear projection (today's cost × user growth) gives "
        f"{money(result.naive_linear_monthly_usd)}/month in month {result.horizon_months}."
    )


def action_rows(result: risk.Assessment, n: int = TOP_ACTIONS) -> list[tuple[str, ...]]:
    """The top ``n`` recommendations: action, savings, payback, ROI multiple, investment."""
    return [
        (
            clean_text(r.name),
            f"{money(r.monthly_savings_usd)}/month",
            format_payback(r.payback_months, r.horizon_months),
            format_multiple(r.roi_multiple),
            money(r.investment_usd),
        )
        for r in result.recommendations[:n]
    ]


def _bracket(value: str) -> str:
    """An engine figure ``"X; likely Y"`` as ``"X (likely Y)"``.

    >>> _bracket("$23,783; likely $19,430–$28,469"), _bracket("14.6 min")
    ('$23,783 (likely $19,430–$28,469)', '14.6 min')
    """
    head, sep, tail = value.partition("; likely ")
    return f"{head} (likely {tail})" if sep else value


def _paren(texts: Mapping[str, str], key: str) -> str:
    """`` (likely …)`` from an engine's ``range_texts``, or nothing."""
    text = texts.get(key)
    return f" ({text})" if text else ""


def finetune_headline(
    result: finetune.FinetuneComparison, ranges: finetune.FinetuneUncertainty
) -> str:
    """Method, model, cost, wall time and GPUs of the selected fine-tune."""
    sel = result.selected
    texts = finetune.range_texts(ranges)
    method = finetune.METHOD_LABELS[sel.method]
    head = f"{method} of {clean_text(result.inputs.model, 60)}"
    if sel.gpus_needed is None:
        return f"{head}: does not fit in the memory of any count of {clean_text(sel.gpu_name)}"
    return (
        f"{head}: {humane(f'${sel.cost_usd:,.0f}')}{_paren(texts, 'cost_usd')}, "
        f"{finetune.fmt_hours(sel.wall_hours)}{_paren(texts, 'wall_hours')} "
        f"on {sel.gpus_used:,} × {clean_text(sel.gpu_name)} ({sel.gpu_hours:,.0f} GPU·h)"
    )


def sizing_headline(result: sizing.SizingResult, ranges: sizing.SizingUncertainty) -> str:
    """The verdict, the proposal's cost and days, and the model the data supports."""
    texts = sizing.range_texts(ranges)
    parts = [clean_text(result.verdict_label or "No verdict (no proposal)")]
    if result.proposal is not None:
        p = result.proposal
        parts.append(
            f"the proposal ({sizing.fmt_count(p.params)} parameters on "
            f"{sizing.fmt_count(p.tokens)} tokens) costs {sizing.fmt_usd(p.cost_usd)}"
            f"{_paren(texts, 'proposal_usd')} and takes {p.days:.3g} days"
        )
    if result.recommended is not None:
        rec = result.recommended
        run = f"{sizing.fmt_count(rec.params)} parameters on {sizing.fmt_count(rec.tokens)} tokens"
        parts.append(
            f"the data supports {run} from scratch"
            if result.verdict == "fine-tune"
            else f"recommended: {run}"
        )
    return "; ".join(parts)


def mitigation_headline(
    result: mitigation.MitigationResult, ranges: mitigation.PlanUncertainty
) -> str:
    """The plan's savings, investment, payback and ROI multiple at its horizon."""
    p, h = result.plan, result.horizon_months
    if p is None:
        return "No action applies"
    return (
        f"The plan ({len(p.action_ids)} actions) saves {money(p.monthly_savings_usd)}/month "
        f"for {money(p.investment_usd)}; payback {format_payback(p.payback_months, h)}, "
        f"ROI {format_multiple(p.roi_multiple)} at {h:,} months"
    )


def green_money_headline(figures: Sequence[tuple[str, str]]) -> str:
    """Savings per year and payback, from the section's own key figures
    (:func:`calculator.greenmoney.key_figures`)."""
    shown = dict(figures)
    parts = []
    if "Savings per year" in shown:
        parts.append(f"Saves {_bracket(humane(shown['Savings per year']))} a year")
    if "Payback" in shown:
        parts.append(f"payback {_bracket(humane(shown['Payback']))}")
    return "; ".join(parts) or "No figure"


def machine_text(run: BenchResult) -> str:
    """``AMD EPYC 9R14 · CPU · 2 CPU cores · 128 GB · torch 2.13.0``."""
    dev = run.device
    bits = [clean_text(dev.name, 120), DEVICE_KINDS.get(dev.kind, clean_text(dev.kind))]
    if dev.cpu_cores:
        bits.append(f"{dev.cpu_cores} CPU cores")
    if dev.memory_gb:
        bits.append(f"{dev.memory_gb:,.0f} GB")
    if dev.torch_version:
        bits.append(f"torch {clean_text(dev.torch_version, 30)}")
    return " · ".join(bits)


def benchmark_headline(run: BenchResult) -> str:
    """Items/s of each model of the latest run and its scaling penalty."""
    models = [
        f"{model_name(r.model, r.hf_id)}"
        + (" (synthetic weights)" if r.weights == "synthetic" else "")
        + f" {r.items_per_second:,.1f} items/s"
        for r in run.runs
    ]
    text = "; ".join(models) or "No model ran"
    if run.scaling_penalty:
        text += f"; scaling penalty {run.scaling_penalty:.2f}×"
        if run.scaling_penalty_trusted is False:
            text += " (not trustworthy: see the benchmark section)"
    return f"{text} — on {machine_text(run)}"
