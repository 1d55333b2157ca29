"""The summary PDF (issue 14): page 1 is an executive summary, the appendices come only on
request, no page is left nearly empty, and a person reads plain words — no internal
identifier, every number with its unit.

The PDFs are read back with pypdf: the text of each page, and each table cell with its
position (a visitor over the text operators), so the key-figures and inputs tables are
checked cell by cell.  Expected figures come from the engines (``risk.assess``,
``finetune.compare_methods``, …) and their own formatters; the identifiers to look for are
derived from the models (enumerated values and field names that have a human label).
"""

from __future__ import annotations

import io
import re
import typing
from datetime import datetime, timezone

import pytest
from pydantic import BaseModel
from pypdf import PdfReader
from pypdf.generic import ContentStream

from bench.models import REGISTRY
from bench.protocol import BenchResult
from calculator import finetune, greenmoney, mitigation, risk, sizing
from calculator.common import format_money
from calculator.mitigation import format_multiple, format_payback
from calculator.report import domains, executive, plain, render
from calculator.report.layout import NEW_PAGE_BELOW, Layout
from calculator.report.sections import APPENDICES, NO_APPENDICES, Summary
from calculator.report.text import count, fmt_value, humane, money
from calculator.scenario import Scenario
from calculator.uncertainty import format_likely

AT = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
MM = 72 / 25.4  # PDF points per mm
RUN = {
    "device": {"kind": "cpu", "name": "AMD EPYC 9R14", "cpu_cores": 2},
    "runs": [
        {
            "model": "minilm-l6",
            "weights": "pretrained",
            "mode": "reference",
            "precision": "fp32",
            "batch_size": 32,
            "items": 100,
            "items_per_second": 27.4,
            "tokens_per_second": 6767.0,
            "p50_batch_ms": 1150.0,
            "p95_batch_ms": 1300.0,
        },
        {
            "model": "e5-base",
            "weights": "synthetic",
            "mode": "reference",
            "precision": "fp32",
            "batch_size": 32,
            "items": 50,
            "items_per_second": 3.3,
            "tokens_per_second": 815.0,
            "p50_batch_ms": 9600.0,
            "p95_batch_ms": 9900.0,
        },
    ],
    "scaling_penalty": 27.4 / 3.3,
}


def everything() -> Scenario:
    """Every what-if opened (the mitigation page at the assessment's starting point) and two
    benchmark runs: every section and every page-1 headline."""
    run = BenchResult.model_validate(RUN)
    return Scenario(
        name="Q3 plan — every what-if",
        sizing=sizing.SizingInputs(),
        finetune=finetune.FinetuneInputs(),
        mitigation=risk.mitigation_inputs(risk.Answers()),
        green_money=greenmoney.GreenMoneyInputs(),
        bench_results=(run, run),
    )


@pytest.fixture(scope="module")
def built():
    """(builder, output) of the report of :func:`everything`, as the CLI builds it."""
    builder = Summary(everything(), generated_at=AT)
    return builder, builder.build()


def pages_text(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ─── reading tables back ────────────────────────────────────────────────────────────────


class Text(typing.NamedTuple):
    text: str
    x: float
    y: float
    size: float


def page_texts(page) -> list[Text]:
    out: list[Text] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            out.append(Text(text.strip(), cm[4] + tm[4], cm[5] + tm[5], size))

    page.extract_text(visitor_text=visit)
    return out


CELL_X = (18 + 1.2) * MM + 2.8  # a table's first column: margin + padding + fpdf's cell margin
HEADINGS = ("Key result", "Key figure", "Input", "Question")


def tables(pdf: bytes) -> list[dict]:
    """Every table whose first heading is one of :data:`HEADINGS`, as ``{"page", "headings",
    "rows"}``; a row is one cell text per column (wrapped lines joined).  A table runs from
    its heading row down to the first text at the paragraph margin (a heading, a note)."""
    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        texts = sorted(page_texts(page), key=lambda t: (-round(t.y, 1), t.x))
        lines: dict[float, list[Text]] = {}
        for t in texts:
            lines.setdefault(round(t.y, 1), []).append(t)
        table = None
        last_y = None
        for y, line in lines.items():
            first = line[0]
            if first.text in HEADINGS and abs(first.x - CELL_X) < 1:
                table = {"page": number, "headings": [t.text for t in line], "rows": []}
                table["xs"] = [t.x for t in line]
                found.append(table)
                last_y = y
                continue
            if table is None:
                continue
            if first.x < CELL_X - 1 or first.size < 8:  # a paragraph, a note, the footer
                table = None
                continue
            gap = last_y - y
            new_row = gap > 1.6 * first.size  # wrapped lines: one line height apart
            if new_row or not table["rows"]:
                table["rows"].append([""] * len(table["xs"]))
            row = table["rows"][-1]
            for t in line:
                col = max(i for i, x in enumerate(table["xs"]) if x <= t.x + 1)
                row[col] = f"{row[col]} {t.text}".strip()
            last_y = y
    return found


BARE_NUMBER = re.compile(r"[-−]?[\d.,]+[kMBT]?(?:\s*[–-]\s*[-−]?[\d.,]+[kMBT]?)?")


def bare_numbers(pdf: bytes) -> list[tuple[int, str, str]]:
    """(page, label, value) of every value cell of a key-figures or inputs table that is a
    number without a unit — except the pure numbers :data:`plain.DIMENSIONLESS` declares."""
    pure = {plain.label(model, name) for model, name in plain.DIMENSIONLESS}
    bad = []
    for table in tables(pdf):
        for row in table["rows"]:
            for i, heading in enumerate(table["headings"]):
                if not heading.startswith(("Value", "Answer")) or i == 0:
                    continue
                label, value = row[i - 1], row[i]
                if BARE_NUMBER.fullmatch(value) and label not in pure:
                    bad.append((table["page"], label, value))
    return bad


def test_the_table_reader_finds_a_bare_number():
    """The checker itself: a unit dropped from one cell of a one-column or two-column table
    is found, a value with its unit is not."""
    lay = Layout("footer")
    lay.pdf.add_page()
    lay.table([("GPU count", "8"), ("Hours", "336 h")], headings=("Input", "Value"))
    lay.para("A paragraph ends the table.")
    lay.pairs([("Epochs", "1 epoch"), ("Link efficiency", "0.7"), ("LoRA rank r", "8")])
    lay.table(
        [("Scalability risk score", "62.6 / 100"), ("Its size across the fits", "77.7M–100M")],
        headings=("Key result", "Value (likely: P10–P90)"),
    )
    assert bare_numbers(lay.output()) == [
        (1, "GPU count", "8"),
        (1, "Link efficiency", "0.7"),
        (1, "Its size across the fits", "77.7M–100M"),
    ]


# ─── identifiers derived from the models ────────────────────────────────────────────────


def _models(model: type[BaseModel]):
    yield model
    for info in model.model_fields.values():
        sub = plain.submodel(info.annotation)
        if sub is not None and sub is not model:
            yield from _models(sub)


INPUT_MODELS = [
    m
    for top in (
        risk.Answers,
        sizing.SizingInputs,
        finetune.FinetuneInputs,
        mitigation.MitigationInputs,
        greenmoney.GreenMoneyInputs,
    )
    for m in _models(top)
]
LABELLED_VALUES: dict[str, str] = {
    **risk.OPTION_LABELS,
    **finetune.OPTION_LABELS,
    **{key: fit.label for key, fit in sizing.FITS.items()},
    **sizing.PURPOSE_LABELS,
    **domains.SIZING.labels,
    **plain.TARGET_LABELS,
    **plain.DEVICE_KINDS,
    **plain.MODES,
    **{key: plain.model_name(key) for key in REGISTRY},
}
"""Every enumerated value that has a display name (value → what a person reads)."""


def internal_identifiers() -> list[str]:
    """What must never reach a reader: every enumerated value with a display name (unless it
    is the label's own first word, as "pilot" → "Pilot", "fp32" → "fp32 (full precision)"),
    every snake_case field name of the input models, and the name-derived label of every
    field whose label the report supplies ("Gpu name", "Horizon months")."""
    words = []
    for value, shown in LABELLED_VALUES.items():
        if shown.split()[0].rstrip(",") not in (value, value.capitalize()):
            words.append(value)
    for model in INPUT_MODELS:
        words += [name for name in model.model_fields if "_" in name]
    for model, name in plain.LABELS:
        raw = name.removesuffix("_usd").replace("_", " ").capitalize()
        if "_" in name and raw != plain.label(model, name):
            words.append(raw)
    return sorted(set(words))


PLURAL_UNITS = sorted(
    {
        unit
        for model in INPUT_MODELS
        for name in model.model_fields
        if (unit := plain.unit(model, name)) and unit.split("/")[0].endswith("s")
    }
)
RAW = {
    "a power of ten as code": re.compile(r"\d(?:\.\d+)?e[+-]?\d+\b"),
    "a fraction as a unit": re.compile(r"\d fraction"),
    "a dollar amount as USD": re.compile(r"\d USD"),
    "JSON": re.compile(r"\{\"|\{\}|\[\]"),
    "a plural after 1": re.compile(
        r"(?<![\d.,])1 (?:" + "|".join(map(re.escape, PLURAL_UNITS)) + r")(?![\w/])"
    ),
}


def leaks(text: str) -> list[str]:
    found = [
        word
        for word in internal_identifiers()
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
    ]
    return found + [f"{why}: {m[0]!r}" for why, rx in RAW.items() for m in [rx.search(text)] if m]


def test_the_identifier_list_covers_what_the_old_report_showed():
    words = internal_identifiers()
    for old in ("besiroglu2024", "zero3", "adamw", "gpus", "Gpu name", "not_applicable"):
        assert old in words
    for english in ("pilot", "production", "none", "full"):  # shown as their own labels
        assert english not in words
    assert leaks("Usable fraction 1 fraction, Epochs 1 epochs, 1.21e21 FLOP, {}") == [
        "a power of ten as code: '1.21e21'",
        "a fraction as a unit: '1 fraction'",
        "JSON: '{}'",
        "a plural after 1: '1 epochs'",
    ]


@pytest.mark.parametrize("full", [False, True], ids=["session", "full"])
def test_no_internal_identifier_reaches_a_reader(built, full):
    """Every page of the report of every section (and of a fresh session's full report)."""
    pdf = built[1].pdf if not full else render(Scenario(), full=True, answered=False).pdf
    for number, text in enumerate(pages_text(pdf), start=1):
        assert leaks(folded(text)) == [], f"page {number}"


def test_key_figures_and_inputs_tables_give_every_number_its_unit(built):
    found = tables(built[1].pdf)
    kinds = {t["headings"][0] for t in found}
    assert {"Key result", "Key figure", "Input", "Question"} <= kinds  # every kind was read
    assert sum(len(t["rows"]) for t in found) > 100
    assert bare_numbers(built[1].pdf) == []


def test_inputs_read_in_words():
    """Fractions as percentages, dollars with $, large counts humane, special values in words
    (each from the field's description)."""
    rows = dict(
        plain.field_rows(
            finetune.FinetuneInputs,
            finetune.FinetuneInputs().model_dump(mode="json"),
            labels=finetune.OPTION_LABELS,
        )
    )
    assert rows["Utilization (MFU)"] == "35%"
    assert rows["Layers with adapters"] == "query and value projections"  # q_proj, v_proj
    assert rows["GPU count"] == "as few as fit in memory"  # 0 = the smallest count that fits
    assert rows["GPU price"] == "the catalogue's price"  # empty = the catalogue price
    assert rows["Epochs"] == "1 epoch"
    assert rows["Dataset size"] == "100M tokens"
    answers = dict(plain.field_rows(risk.Answers, risk.Answers().model_dump(mode="json")))
    assert answers["Inference › Cache hit rate"] == "20%"
    assert answers["Inference › Model size"] == "7B parameters"
    assert answers["Current monthly cost › Inference"] == "$4,000/month"
    assert answers["Growth › User growth"] == "10×"


def test_every_override_names_a_field_the_model_leaves_bare():
    """plain's tables fill gaps only: a field renamed, or given a label or unit on its model,
    makes the override stale, and this test names it."""
    for model, name in [*plain.LABELS, *plain.UNITS, *plain.EMPTY, *plain.VALUES]:
        assert name in model.model_fields, (model.__name__, name)
    for model, name in plain.LABELS:
        extra = model.model_fields[name].json_schema_extra or {}
        assert not extra.get("label"), (model.__name__, name)
    for model, name in plain.UNITS:
        extra = model.model_fields[name].json_schema_extra or {}
        assert not extra.get("unit"), (model.__name__, name)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.35, "fraction", "35%"),  # a fraction is a percentage
        (0.1, "fraction/year", "10%/year"),
        (4_200_000.0, "USD/month", "$4.2M/month"),  # DESIGN.md: "$4.2M/month"
        (1.79, "USD/h", "$1.79/h"),
        (7e9, "parameters", "7B parameters"),  # "7B"
        (1e8, "tokens", "100M tokens"),  # "100M"
        (1.2096e21, "FLOP", "1.21 × 10²¹ FLOP"),
        (3.0, "×", "3×"),
        (1.0, "GPUs", "1 GPU"),
        (2, "deploys/month", "2 deploys/month"),
        (None, "h", "—"),
    ],
)
def test_values_at_a_humane_scale(value, unit, text):
    assert fmt_value(value, unit) == text


def test_engine_figures_at_a_humane_scale():
    assert humane("1.21e21 FLOP") == "1.21 × 10²¹ FLOP"
    assert humane("4,194,304 (0.062% of 6,738,415,616)") == "4.19M (0.062% of 6.74B)"
    assert humane("$1,464,904; likely $1,231,399–$1,705,386") == "$1.46M; likely $1.23M–$1.71M"
    assert humane("$143,153/month, 2,048 tokens") == "$143,153/month, 2,048 tokens"
    assert count(998_000) == "998,000"
    assert count(999_999) == "1M"  # three significant figures
    assert money(998_999.4) == "$998,999"


# ─── page 1 ─────────────────────────────────────────────────────────────────────────────


def test_page_one_is_the_executive_summary(built):
    """Oracle: the engines' results for the same inputs, in their own formatters."""
    builder, out = built
    scenario = everything()
    page1 = folded(pages_text(out.pdf)[0])
    result = risk.assess(scenario.answers)
    ranges = risk.assess_ranges(scenario.answers, result)
    # header: product, scenario name, date
    assert page1.startswith("ScaleRisk · Executive summary 2026-11-23 09:30 UTC")
    assert "Q3 plan — every what-if" in page1
    # score, band, its likely range and its meaning in one sentence
    likely_score = format_likely(ranges.score, lambda x: f"{x:.1f}").removeprefix("likely ")
    assert f"{result.score:.1f} / 100 {result.band.capitalize()}" in page1
    assert f"Risk score, likely {likely_score} (P10–P90)" in page1
    assert folded(result.band_meaning).split(". ")[0] in page1
    # total monthly cost in months 12 and 36 with their likely ranges
    for month in (12, 36):
        r = ranges.cost[month]["total"]
        low, high = format_money(r.p10), format_money(r.p90)
        assert f"In month {month} {money(r.point)}/month {low}–{high}" in page1
    # the month-12 base case is the assessment's own projection (horizon 12 months)
    assert ranges.cost[12]["total"].point == pytest.approx(result.projected_monthly_cost.total)
    # the top three actions: savings, payback, ROI multiple
    for r in result.recommendations[:3]:
        payback = format_payback(r.payback_months, r.horizon_months)
        assert (
            f"{r.name} {money(r.monthly_savings_usd)}/month {payback} "
            f"{format_multiple(r.roi_multiple)}"
        ) in page1
    assert result.recommendations[3].name not in page1.split("Top 3 actions")[1].split("What-if")[0]
    # the fine-tune headline: method, cost, hours, GPUs
    sel = finetune.compare_methods(scenario.finetune).selected
    assert f"LoRA of Llama-2-7B: ${sel.cost_usd:,.0f} (likely" in page1
    assert f"{finetune.fmt_hours(sel.wall_hours)} (likely" in page1
    assert f"on {sel.gpus_used} × {sel.gpu_name}" in page1
    # the sizing headline: verdict and the proposal's cost
    sized = sizing.evaluate_sizing(scenario.sizing)
    assert sized.verdict_label in page1
    assert f"costs {sizing.fmt_usd(sized.proposal.cost_usd)}" in page1
    # the mitigation plan and Green Money
    plan = mitigation.evaluate_plan(scenario.mitigation).plan
    saves = f"saves {money(plan.monthly_savings_usd)}/month for {money(plan.investment_usd)}"
    assert saves in page1
    money_figures = dict(greenmoney.key_figures(greenmoney.green_money(scenario.green_money)))
    assert money_figures["Savings per year"].split(";")[0] in page1
    # the benchmark: items/s of each model and the scaling penalty
    assert "all-MiniLM-L6-v2 27.4 items/s" in page1
    assert "e5-base-v2 (synthetic weights) 3.3 items/s" in page1
    assert f"scaling penalty {27.4 / 3.3:.2f}×" in page1
    # the figures are those the sections computed, once
    assert builder.computed["assessment"].result == result


def test_page_one_lists_the_contents_with_their_pages(built):
    _, out = built
    pages = [folded(p) for p in pages_text(out.pdf)]
    contents = pages[0].split("Contents", 1)[1]
    for title in out.sections:
        if title == "Green Money":  # inside the benchmark's section
            continue
        match = re.search(re.escape(title) + r" page (\d+)", contents)
        assert match, title
        assert title in pages[int(match[1]) - 1]  # the section starts on that page
    assert folded(NO_APPENDICES) in pages[0]
    assert f"page 1 of {len(pages)}" in pages[0]  # the contents never spill onto a page


def test_page_one_without_an_assessment_says_so():
    out = render(Scenario(sizing=sizing.SizingInputs()), answered=False, generated_at=AT)
    page1 = folded(pages_text(out.pdf)[0])
    assert "Risk score: not assessed" in page1
    assert "Top 3 actions" not in page1
    assert sizing.evaluate_sizing(sizing.SizingInputs()).verdict_label in page1
    assert "Left out • Risk assessment: no assessment answers given" in page1


def test_page_one_holds_every_note_even_when_many(monkeypatch):
    """Many notes: page 1 still ends where it should (the contents sum up what does not fit)."""
    monkeypatch.setattr(
        Summary,
        "assessment",
        lambda self: self.notes.extend(f"Note {i}: " + "long reason " * 30 for i in range(30)),
    )
    out = render(everything(), generated_at=AT)
    pages = pages_text(out.pdf)
    assert f"page 1 of {len(pages)}" in pages[0]
    assert "more notes" in folded(pages[0])
    assert "Compute-optimal sizing" in folded(pages[1]) or "Compute-optimal sizing" in "".join(
        pages[1:]
    )


# ─── appendices and page use ────────────────────────────────────────────────────────────


def test_appendices_only_on_request():
    """``full`` fills pages never opened; ``appendices`` adds the methodology, the seed
    inconsistencies and the reproduction recipe — independently of each other."""
    plain_full = render(Scenario(), full=True, answered=False, generated_at=AT)
    with_appendices = render(Scenario(), appendices=True, answered=False, generated_at=AT)
    assert not set(APPENDICES) & set(plain_full.sections)
    assert list(APPENDICES) == with_appendices.sections  # nothing else opened
    text = folded(" ".join(pages_text(with_appendices.pdf)))
    assert "python -m calculator report scenario.json -o summary.pdf --appendices" in text
    assert folded(NO_APPENDICES) not in text


def _content_bottoms(pdf: bytes) -> list[float]:
    """Per page, the lowest text or image above the footer, as a share of the page height
    from the top."""
    reader = PdfReader(io.BytesIO(pdf))
    out = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        footer = 14 * MM  # the footer line sits 12 mm from the bottom
        lows = [t.y for t in page_texts(page) if t.y > footer]
        matrix = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"cm":
                matrix = [float(v) for v in operands]
            elif operator == b"Do" and matrix is not None:
                lows.append(matrix[5])  # an image's bottom edge
        out.append(1 - min(lows) / height)
    return out


@pytest.mark.parametrize("appendices", [False, True], ids=["report", "with appendices"])
def test_no_page_is_left_nearly_empty(built, appendices):
    """A section starts a new page only when less than 40% of the page is left, a chart
    shrinks (to 75%) before it moves on: every page but page 1 and the last is filled at
    least to 1 − 40% of its text area."""
    pdf = (
        built[1].pdf
        if not appendices
        else render(everything(), appendices=True, generated_at=AT).pdf
    )
    bottoms = _content_bottoms(pdf)
    top, body = 16 / 297, (297 - 16 - 18) / 297
    least = top + (1 - NEW_PAGE_BELOW) * body - 0.02
    thin = [(i + 2, round(b, 2)) for i, b in enumerate(bottoms[1:-1]) if b < least]
    assert thin == []


def test_the_full_report_is_short():
    """Issue 14: 34–46 pages before; the full report of every section without appendices
    now fits in about a dozen."""
    assert len(pages_text(render(everything(), full=True, generated_at=AT).pdf)) <= 14


def test_benchmark_headline_and_machine_in_words():
    run = BenchResult.model_validate(RUN)
    text = executive.benchmark_headline(run)
    assert text.startswith("all-MiniLM-L6-v2 27.4 items/s; e5-base-v2 (synthetic weights) 3.3")
    assert "AMD EPYC 9R14 · CPU · 2 CPU cores" in text
