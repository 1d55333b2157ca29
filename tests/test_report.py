"""PDF summary (issue 7) and comparison (issue 13): the builders, their text hygiene and the
UI controls.

The PDFs are parsed back with pypdf; expected figures come from the domain modules'
own ``key_figures`` (their oracles are in their tests), from :func:`calculator.diff.diff`
(the comparison's deltas), or are stated with their source.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import re
import unicodedata
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from bench.protocol import BenchResult
from calculator import diff, finetune, greenmoney, risk, sizing
from calculator.errors import InputError
from calculator.mitigation import format_payback
from calculator.presets import PRESETS
from calculator.report import build_pdf, compare, domains, render, render_comparison
from calculator.report.layout import SANS, Layout
from calculator.report.markup import markdown_blocks
from calculator.report.plain import figure_text
from calculator.report.sections import APPENDICES, NO_APPENDICES, Summary
from calculator.report.text import clean_text
from calculator.scenario import Scenario, from_answers, parse_scenario

AT = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)


def pages_text(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def flat(pdf: bytes) -> str:
    """All text with line breaks and repeated spaces folded, so wrapped phrases still match."""
    return re.sub(r"\s+", " ", " ".join(pages_text(pdf)))


def shown(label: str, value: str) -> str:
    """An engine key figure as its table row reads (value as printed: plain.figure_text)."""
    return re.sub(r"\s+", " ", f"{label} {figure_text(label, value)}")


def summary(scenario: Scenario | None = None, **kw):
    """The summary of ``scenario``; none: a session that never answered the questionnaire."""
    if scenario is None:
        scenario, kw = Scenario(), {"answered": False, **kw}
    return render(scenario, generated_at=AT, **kw)


def named(name: str) -> Scenario:
    """A scenario of any name, even one longer than a scenario file allows (200 characters):
    the report must hold up without relying on that limit."""
    return Scenario.model_construct(name=name)


# ─── the empty session ──────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def empty():
    return summary()


def test_empty_session_yields_a_valid_report(empty):
    assert empty.pdf.startswith(b"%PDF-")
    text = flat(empty.pdf)
    assert "ScaleRisk" in text
    assert "Untitled scenario" in text
    assert "2026-11-23 09:30 UTC" in text
    assert "no benchmark was run in this session" in text
    for title in APPENDICES:  # only on request (render(appendices=True))
        assert title not in text
    assert re.sub(r"\s+", " ", NO_APPENDICES) in text
    # nothing configured: every computed section is left out and said so on page 1, which is
    # then the whole report (no empty page after it, no contents to list)
    assert empty.sections == []
    assert len(pages_text(empty.pdf)) == 1
    first = re.sub(r"\s+", " ", pages_text(empty.pdf)[0])
    assert "Left out" in first
    assert "Risk assessment: no assessment answers given" in first
    assert "Compute-optimal sizing: page not opened in this session" in first


def test_page_numbers_in_the_footer():
    pages = pages_text(summary(appendices=True).pdf)
    n = len(pages)
    assert n >= 2  # page 1 + the appendices
    for i, text in enumerate(pages, start=1):
        assert f"page {i} of {n}" in text


# ─── sections from the scenario ─────────────────────────────────────────────────────────


def test_opened_what_if_is_included_and_unopened_left_out():
    out = summary(Scenario(name="Q3", green_money=greenmoney.GreenMoneyInputs()), answered=False)
    text = flat(out.pdf)
    assert "Green Money" in out.sections
    assert "Compute-optimal sizing" not in out.sections
    # the key figures the page shows, from the module's own key_figures (seed 000 defaults)
    for label, value in greenmoney.key_figures(
        greenmoney.green_money(greenmoney.GreenMoneyInputs())
    ):
        assert shown(label, value) in text
    # reference machines of seed 000 (210/208 and 117/75 items/s)
    for figure in ("DGX Spark", "M2 Pro", "210 items/s", "75 items/s"):
        assert figure in text


@pytest.mark.parametrize(
    ("page", "module", "inputs"),
    [
        (domains.SIZING, sizing, sizing.SizingInputs),
        (domains.FINETUNE, finetune, finetune.FinetuneInputs),
    ],
    ids=["sizing", "finetune"],
)
def test_what_if_shows_inputs_and_key_figures(page, module, inputs):
    model = inputs()
    out = summary(Scenario(**{page.key: model}), appendices=True)
    assert page.title in out.sections
    assert not [n for n in out.notes if n.startswith(page.title)]
    text = flat(out.pdf)
    result = page.evaluate(model)
    for label, value in module.key_figures(result):
        assert shown(label, value) in text
    assert page.command in text  # how to reproduce it, in appendix C


def test_what_if_ranges_use_the_scenarios_spreads():
    """Oracle: the engine's own key figures with the ranges of the same spreads, so the PDF's
    P10–P90 is the page's; appendix C's command marks the same inputs."""
    inputs = sizing.SizingInputs()
    scenario = Scenario(sizing=inputs, spreads={"sizing": {"dataset_tokens": 0.5}})
    text = flat(summary(scenario, answered=False, appendices=True).pdf)
    result = sizing.evaluate_sizing(inputs)
    ranges = sizing.sizing_uncertainty(inputs, {"dataset_tokens": 0.5})
    plain = sizing.sizing_uncertainty(inputs)
    figures = dict(sizing.key_figures(result, ranges))
    assert figures != dict(sizing.key_figures(result, plain))  # the spread moves a range
    for label, value in figures.items():
        assert shown(label, value) in text
    assert "python -m calculator sizing --input sizing.json --spread dataset_tokens=0.5" in text


def test_inputs_tables_show_choices_by_their_names_not_their_keys():
    """Oracle: the engines' own display names (sizing.FITS labels, finetune.METHOD_LABELS)."""
    out = summary(Scenario(sizing=sizing.SizingInputs(), finetune=finetune.FinetuneInputs()))
    body = flat(out.pdf)  # no appendix: its JSON holds the keys, as data
    fit = sizing.SizingInputs().fit
    assert sizing.FITS[fit].label in body
    assert fit not in body  # e.g. "besiroglu2024"
    assert f"Method {finetune.METHOD_LABELS[finetune.FinetuneInputs().method]}" in body


def test_full_report_includes_pages_never_opened(empty):
    out = summary(full=True)
    # every domain module is present in this build: nothing is left out, no chart fails
    assert out.notes == []
    for title in ("Risk assessment", *(d.title for d in domains.WHAT_IFS), "Green Money"):
        assert title in out.sections
    assert not set(APPENDICES) & set(out.sections)  # full fills pages; appendices are apart
    text = flat(out.pdf)
    assert "Not opened in this session" in text
    assert "No answers were given in this session" in text
    assert "No benchmark was run in this session; Green Money uses the reference figures." in text
    assert len(pages_text(out.pdf)) > len(pages_text(empty.pdf))


def test_assessment_section_shows_score_band_drivers_and_answers():
    answers = risk.Answers(stage="production")
    result = risk.assess(answers)
    out = summary(Scenario(answers=answers))
    assert "Risk assessment" in out.sections
    text = flat(out.pdf)
    assert f"Risk score: {result.score:.1f} / 100 — {result.band}" in text
    assert re.sub(r"\s+", " ", result.band_meaning) in text
    for label, value in risk.key_figures(result):
        assert shown(label, value) in text
    assert result.drivers[0].name in text
    assert "Top recommendations" in text
    assert result.recommendations[0].name in text
    assert "Lifecycle stage Production" in text  # the answers table, option shown by its label
    assert "No answers were given" not in text
    assert "Cost trajectory" not in text  # chart titles are images, not text …
    assert "over 12 and 36 months" in text  # … the caption says both are there


BENCH = {
    "device": {"kind": "cpu", "name": "AMD EPYC 9R14 × 2", "cpu_cores": 2},
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
    "scaling_penalty": 27.4 / 3.3,  # small ÷ large items/s (seed 000's definition)
}


def test_benchmark_results_are_shown_with_the_machine():
    run = BenchResult.model_validate(BENCH)
    out = summary(Scenario(bench_results=(run, run)), answered=False, appendices=True)
    text = flat(out.pdf)
    assert "Benchmark and Green Money" in out.sections
    assert "AMD EPYC 9R14 × 2 · CPU · 2 CPU cores" in text  # page 1 and section
    assert "27.4" in text
    assert "3.3" in text
    # models by their own names (the registry's Hugging Face ids), not the CLI's keys
    assert "all-MiniLM-L6-v2 27.4 items/s" in text
    assert "e5-base-v2 (synthetic weights)" in text
    assert "8.30×" in text  # 27.4 / 3.3 = 8.303
    assert "Earlier runs this session" in text
    assert "python -m bench --models minilm-l6,e5-base --items 100 --mode reference --json" in text


def test_invalid_bench_result_is_rejected_where_the_scenario_enters():
    """The report takes typed runs only; a damaged one is named when the file is read."""
    with pytest.raises(InputError, match=r"bench_results\.0\.device"):
        parse_scenario({"version": 1, "bench_results": [{"device": "nonsense"}]})


def test_invalid_what_if_inputs_are_rejected_where_the_scenario_enters():
    with pytest.raises(InputError, match="iterations_per_sprint"):
        parse_scenario({"what_if": {"green_money": {"iterations_per_sprint": -5}}})


def test_a_what_if_whose_engine_fails_is_left_out_with_a_note(monkeypatch):
    def broken(inputs):
        raise InputError("dataset too small for this purpose")

    def crashing(inputs):
        raise ZeroDivisionError("division by zero")

    pages = (
        dataclasses.replace(domains.SIZING, evaluate=broken),
        dataclasses.replace(domains.FINETUNE, evaluate=crashing),
        domains.MITIGATION,
    )
    monkeypatch.setattr(domains, "WHAT_IFS", pages)
    out = summary(Scenario(sizing=sizing.SizingInputs(), finetune=finetune.FinetuneInputs()))
    assert out.pdf.startswith(b"%PDF-")
    assert "Compute-optimal sizing" not in out.sections
    assert "Compute-optimal sizing: dataset too small for this purpose" in out.notes
    assert any(
        n.startswith("Fine-tuning cost: could not be computed (ZeroDivisionError")
        for n in out.notes
    )


def test_every_chart_the_report_names_exists():
    """Charts are named by path (built in the workers); each must resolve to a function."""
    paths = [
        p
        for page in (*domains.WHAT_IFS, domains.GREEN_MONEY)
        for p in (page.main_chart, page.tornado)
    ]
    paths += [
        domains.THROUGHPUT_CHART,
        "calculator.charts.assessment:drivers_spec",
        "calculator.charts.assessment:trajectory_spec",
        "calculator.charts.assessment:score_tornado_spec",
        "calculator.charts.assessment:cost_tornado_spec",
        "calculator.charts.compare:cost_trajectories_spec",
    ]
    for path in paths:
        module, _, name = path.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), path


def test_appendix_b_lists_only_the_inconsistencies_behind_the_shown_numbers():
    """Oracle: the Affects column of calculator/methodology/inconsistencies.md — seed 002's
    tokens-per-parameter row affects sizing, seed 000's Green Money row the benchmark."""
    sizing_only = flat(
        build_pdf(Scenario(sizing=sizing.SizingInputs()), answered=False, appendices=True)
    )
    appendix_b = sizing_only.split(APPENDICES[1])[-1].split(APPENDICES[2])[0]
    assert "~20 tokens per parameter" in appendix_b
    assert "Green Money" not in appendix_b
    assert "LoRA" not in appendix_b
    assert "the Methodology page lists them all" in appendix_b
    empty_b = flat(summary(appendices=True).pdf).split(APPENDICES[1])[-1].split(APPENDICES[2])[0]
    assert "no seed inconsistency applies" in empty_b


def test_every_inconsistency_names_sections_that_exist():
    from calculator import methodology

    full = methodology.inconsistencies(methodology.AFFECTS.values())
    rows = [line for line in full.splitlines() if line.startswith("| 0")]
    assert len(rows) == 13  # the table's rows, each affecting at least one known section
    assert set(methodology.AFFECTS.values()) <= set(dict(methodology.SECTIONS))


def test_appendix_reproduces_the_session_as_a_scenario_file():
    scenario = Scenario(name="Repro", green_money=greenmoney.GreenMoneyInputs(hourly_rate_usd=90.0))
    text = flat(build_pdf(scenario, answered=False, appendices=True))
    assert "python -m calculator report scenario.json -o summary.pdf --appendices" in text
    assert "python -m calculator sizing" not in text  # sizing not shown, so not to reproduce
    assert "python -m calculator assess" not in text  # nor the assessment
    assert '"name": "Repro"' in text
    assert '"hourly_rate_usd": 90.0' in text
    builder = Summary(scenario, answered=False)
    builder.build()
    data = builder.reproduction()
    # the scenario file's own content (calculator.scenario.to_json), read back the same way
    assert data["version"] == 1
    assert "answers" not in data  # never answered: the re-run leaves the assessment out too
    assert "bench_results" not in data
    assert parse_scenario(data) == scenario


def test_appendix_json_carries_the_inputs_each_section_used():
    """A full report fills unopened pages with defaults; the appendix carries exactly those."""
    scenario = Scenario(name="full", answers=risk.Answers(stage="production"))
    builder = Summary(scenario, full=True)
    builder.build()
    back = parse_scenario(builder.reproduction())
    assert back.answers == scenario.answers
    assert back.sizing == sizing.SizingInputs()  # the defaults the section was computed from
    # oracle: the mitigation page's starting point from these answers (risk.mitigation_inputs)
    assert back.mitigation == risk.mitigation_inputs(scenario.answers)


# ─── Unicode and hostile text ───────────────────────────────────────────────────────────


def test_unicode_text_is_extracted():
    name = "Сценарий Ω: 3 × GPU ≈ €12k"
    text = flat(build_pdf(Scenario(name=name)))
    assert name in text
    for ch in "×≈€":
        assert ch in text


def test_right_to_left_name_is_drawn_in_visual_order(monkeypatch):
    drawn: list[str] = []
    lines = Layout.lines

    def spy(self, text, **kw):
        drawn.append(text)
        return lines(self, text, **kw)

    monkeypatch.setattr(Layout, "lines", spy)
    pdf = build_pdf(Scenario(name="Plan שלום"))
    assert "Plan םולש" in drawn  # visual order: the Hebrew word is drawn right to left
    # pypdf's extraction puts right-to-left runs back in reading order
    assert "Plan שלום" in pages_text(pdf)[0]


HOSTILE = {
    "very long": "Budget " * 3000,
    "one long word": "x" * 5000,
    "markup": "<b>bold</b> <script>alert(1)</script> **md** __u__ --s-- [l](http://e) $x$",
    "control characters": "ok\x00\x07\x1b[31mred\x1b[0m\r\n\tnext\x7f\u0085",
    "bidi override": "abc\u202edcba\u202c \u200b\u2066zero-width\u2069",
    "page alias": "{nb} of {nb}",
    "pdf syntax": ") Tj ET BT /F1 99 Tf (injected) Tj ET %%EOF",
    "cjk": "計画 2026",
}


@pytest.fixture(scope="module")
def baseline_pages():
    return len(pages_text(build_pdf(named("Plain name"), answered=False, appendices=True)))


@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_scenario_names_do_not_break_layout(name, baseline_pages):
    pdf = build_pdf(named(name), answered=False, appendices=True)
    pages = pages_text(pdf)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    # the layout is the same as with a plain name, except that the name's own JSON in the
    # reproduction appendix may take an extra page when it is thousands of characters long
    assert baseline_pages <= len(pages) <= baseline_pages + 1
    body = "\n".join(pages[:-1])  # the appendix's JSON quotes the name escaped, as data
    assert not [c for c in body if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    title_page = pages[0]
    assert f"page 1 of {len(pages)}" in title_page
    assert "{nb}" in title_page or "{nb}" not in name  # shown literally, never substituted
    assert "injected" not in pages[1] or "injected" in name  # stays on the title page and footer


def test_markup_in_a_name_is_shown_literally():
    name = HOSTILE["markup"]
    text = flat(build_pdf(Scenario(name=name)))
    assert "<b>bold</b> <script>alert(1)</script> **md** __u__ --s--" in text


def test_long_names_are_truncated_on_the_title_page():
    text = pages_text(build_pdf(named("Budget " * 3000)))[0]
    assert text.count("Budget") < 60
    assert "…" in text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b\x1bc", "abc"),  # C0 controls dropped
        ("a\u202eb\u200bc\ufeff", "abc"),  # bidi override, zero-width space, BOM (format chars)
        ("a\u2028b\u2029c", "a b c"),  # line / paragraph separators are whitespace
        ("a\n\tb   c", "a b c"),  # whitespace collapsed
        ("\ue000x\U000f0000", "x"),  # private use
        ("計", "\ufffd"),  # not in DejaVu Sans: replacement character, never a blank glyph
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_clean_text_truncates_with_an_ellipsis():
    assert clean_text("abcdef", max_chars=4) == "abc…"
    assert len(clean_text("y" * 1000, max_chars=160)) == 160


# ─── methodology Markdown → PDF blocks ─────────────────────────────────────────────────


def test_markdown_blocks_cover_the_methodology_syntax():
    md = (
        "## Formula\n\nThe cost is $C = k \\times u^{1.4}$ per **month**.\n\n"
        "$$\nD \\approx 20\\,N\n$$\n\n- first\n  continued\n- second\n\n"
        "| a | b |\n|---|---:|\n| 1 | $\\beta$ |\n\n```\nscalerisk assess a.json\n```\n"
    )
    blocks = markdown_blocks(md)
    assert [b.kind for b in blocks] == [
        "heading",
        "paragraph",
        "math",
        "bullet",
        "bullet",
        "table",
        "code",
    ]
    assert blocks[1].text == "The cost is C = k × u^1.4 per month."
    assert blocks[2].text == "D ≈ 20 N"
    assert blocks[3].text == "first continued"
    assert blocks[5].rows == (("a", "b"), ("1", "β"))
    assert blocks[6].text == "scalerisk assess a.json"


def test_table_rows_split_across_pages_with_repeated_heading():
    lay = Layout("footer")
    lay.pdf.add_page()
    rows = [(f"row {i}", f"{i * 1.5:.1f} USD") for i in range(120)]
    lay.table(rows, headings=("Question", "Answer"))
    pages = pages_text(lay.output())
    assert len(pages) >= 3
    assert all(p.count("Question") == 1 for p in pages)  # heading repeated on every page
    joined = "\n".join(pages)
    assert all(f"row {i} " in joined or f"row {i}\n" in joined for i in range(120))


def test_a_row_taller_than_a_page_is_split_between_lines():
    lay = Layout("footer")
    lay.pdf.add_page()
    tall = " ".join(f"line{i:03d}" for i in range(400))  # ≈ 20 lines of 20 words: > 1 page
    lay.table([("tall", tall), ("after", "end")], headings=("Name", "Text"), col_widths=(20, 3))
    pages = pages_text(lay.output())
    assert len(pages) >= 2
    assert all(p.count("Name") == 1 for p in pages)
    joined = " ".join(pages)
    assert all(f"line{i:03d}" in joined for i in range(400))  # nothing lost at the split
    assert "after" in pages[-1]


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("abcdefghij WWW iiii ×≈€ Ωשל") + ["\n"]), max_size=300
    ),
    width=st.floats(min_value=4, max_value=180),
)
def test_wrapped_lines_fit_and_keep_every_word(text, width):
    """Oracle: fpdf2's own get_string_width for each produced line, and the words in order."""
    lay = Layout("footer")
    lay.pdf.set_font(SANS, size=9)
    lines = lay.wrap(text, width)
    for line in lines:
        assert lay.pdf.get_string_width(line) <= width + 1e-6 or len(line) == 1
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert len(lines) >= text.count("\n") + 1  # explicit line breaks are kept


def test_wrap_breaks_at_spaces_and_cuts_only_overlong_words():
    lay = Layout("footer")
    lay.pdf.set_font(SANS, size=10)
    width = lay.pdf.get_string_width("alpha beta") + 0.01  # exactly two words fit
    assert lay.wrap("alpha beta alpha beta", width) == ["alpha beta", "alpha beta"]
    long_word = "x" * 200
    parts = lay.wrap(long_word, width)
    assert "".join(parts) == long_word
    assert len(parts) > 1


# ─── answers files → scenario (what the CLI reads) ──────────────────────────────────────


def test_old_answers_files_become_scenarios_for_the_report():
    """The CLI reads every file with parse_scenario; an old answers file without answers
    leaves the assessment out, as the app does before the questionnaire is answered."""
    from calculator.cli.report import answered

    data = {"scenario_name": "S", "what_if": {"green_money": {}}}
    scenario = parse_scenario(data)
    assert scenario.name == "S"
    assert scenario.green_money.items_per_iteration == 103_000  # seed 000: 103,000 e-mails
    assert not answered(data)
    assert answered({"stage": "pilot"})
    assert answered({"version": 1, "answers": {}})
    assert not answered({"version": 1, "name": "x"})
    out = summary(scenario, answered=answered(data), full=True)
    assert "No answers were given in this session" in flat(out.pdf)


# ─── the comparison ─────────────────────────────────────────────────────────────────────

LINEAR = from_answers(PRESETS["Linear-scaling archetype"]).model_copy(
    update={
        "name": "Linear plan",
        "sizing": sizing.SizingInputs(),
        "finetune": finetune.FinetuneInputs(),
    }
)
EXPONENTIAL = from_answers(PRESETS["Exponential archetype"]).model_copy(
    update={
        "name": "Exponential plan",
        "sizing": sizing.SizingInputs(dataset_tokens=5e9, fit="hoffmann2022"),
        "finetune": finetune.FinetuneInputs(method="qlora"),
    }
)


@pytest.fixture(scope="module")
def comparison():
    return render_comparison(LINEAR, EXPONENTIAL, generated_at=AT)


def test_comparison_page_one_holds_the_key_deltas(comparison):
    """Oracle: calculator.diff.diff (the `diff` command's engine) for every delta."""
    d = diff.diff(LINEAR, EXPONENTIAL)
    page1 = re.sub(r"\s+", " ", pages_text(comparison.pdf)[0])
    assert comparison.sections == ["Scenario comparison", "What changed"]
    assert (
        f"Risk score {d.score.base:.1f} / 100 {d.score.new:.1f} / 100 +{d.score.delta:.1f} points"
        in page1
    )
    assert f"Risk band {d.band[0].capitalize()} {d.band[1].capitalize()}" in page1
    for month in (12, 36):
        total = next(c for c in d.costs if c.label == f"total in month {month}")
        # independent calculation: diff.py's delta and relative change
        change = f"+${total.delta:,.0f} (+{100 * total.relative:.0f}%)"
        assert f"${total.base:,.0f}/month ${total.new:,.0f}/month {change}" in page1
    a, b = risk.assess(LINEAR.answers), risk.assess(EXPONENTIAL.answers)
    for name, result in ((d.actions[0][0], a), (d.actions[1][0], b)):
        rec = next(r for r in result.recommendations if r.name == name)
        assert f"{name} (payback {format_payback(rec.payback_months, rec.horizon_months)})" in page1
    assert "2026-11-23 09:30 UTC" in page1
    assert sum(len(p.images) for p in PdfReader(io.BytesIO(comparison.pdf)).pages[:1]) == 1


def test_comparison_shows_fine_tune_and_sizing_headlines(comparison):
    """Oracle: the engines' own results for each side."""
    page1 = re.sub(r"\s+", " ", pages_text(comparison.pdf)[0])
    fa = finetune.compare_methods(LINEAR.finetune).selected
    fb = finetune.compare_methods(EXPONENTIAL.finetune).selected
    assert f"Fine-tuning cost ${fa.cost_usd:,.0f} (LoRA) ${fb.cost_usd:,.0f} (QLoRA)" in page1
    sa, sb = sizing.evaluate_sizing(LINEAR.sizing), sizing.evaluate_sizing(EXPONENTIAL.sizing)
    assert f"Proposal cost ${sa.proposal.cost_usd:,.0f} ${sb.proposal.cost_usd:,.0f}" in page1
    assert "Sizing verdict" in page1


def test_comparison_what_changed_lists_every_input_difference(comparison):
    d = diff.diff(LINEAR, EXPONENTIAL)
    changed = flat(comparison.pdf).split("What changed")[-1]
    assert d.answers_changed  # the presets differ in many answers
    assert "Lifecycle stage Design Production" in changed  # risk.OPTION_LABELS, not "design"
    assert "Dataset size 2B tokens 5B tokens" in changed  # at a humane scale
    # choices by their names: sizing.FITS labels, finetune.METHOD_LABELS — never the keys
    assert f"{sizing.FITS['besiroglu2024'].label} {sizing.FITS['hoffmann2022'].label}" in changed
    assert "Method LoRA QLoRA" in changed
    for key in ("besiroglu2024", "hoffmann2022", "qlora", "current_monthly_cost_usd"):
        assert key not in flat(comparison.pdf)


def test_comparison_lists_changed_spreads():
    data = LINEAR.model_dump(mode="json")
    data["spreads"] = {"sizing": {"dataset_tokens": 0.5}}
    data["answers"]["spreads"] = {"growth.users_multiple": 0.3}
    new = parse_scenario(data)  # validated, as a file would be
    text = flat(render_comparison(LINEAR, new, generated_at=AT).pdf).split("What changed")[-1]
    assert "± spread on Dataset size — ±50%" in text
    assert "± spread on Growth › User growth — ±30%" in text  # the answers table's label


def test_comparison_of_a_scenario_with_itself_changes_nothing():
    out = render_comparison(LINEAR, LINEAR, generated_at=AT)
    text = flat(out.pdf)
    assert "no change" in text
    assert "changed" not in text.replace("What changed", "")
    assert "The same in both scenarios." in text  # the answers
    assert "The same inputs in both scenarios: Compute-optimal sizing, Fine-tuning cost." in text


def test_comparison_notes_what_only_one_side_has():
    base = LINEAR.model_copy(update={"finetune": None})
    out = render_comparison(base, EXPONENTIAL, generated_at=AT)
    assert any(
        n.startswith("Fine-tuning cost: only Exponential plan has its inputs") for n in out.notes
    )
    assert "Fine-tuning cost $" not in flat(out.pdf)
    # what changed: the new side's fine-tuning inputs beside "—"
    assert "Method — QLoRA" in flat(out.pdf)


def test_comparison_rows_read_worse_better_and_same():
    """Oracle: the definition — change = new − base; a rise in cost or score is worse."""
    up = compare.number_row("Cost", 100.0, 150.0, str, money=True)
    assert (up.change, up.tone) == ("+$50 (+50%)", "worse")
    down = compare.number_row("Cost", 150.0, 100.0, str, money=True)
    assert (down.change, down.tone) == ("−$50 (−33%)", "better")
    same = compare.number_row("Score", 42.0, 42.0, str)
    assert (same.change, same.tone) == ("no change", None)
    assert compare.text_row("Band", "Low", "Low").tone is None
    assert compare.text_row("Action", "a", "b").tone == "changed"


def test_comparison_names_are_shown_as_text():
    hostile = LINEAR.model_copy(update={"name": HOSTILE["markup"]})
    text = flat(render_comparison(hostile, named(HOSTILE["control characters"])).pdf)
    assert "<b>bold</b> <script>alert(1)</script>" in text
    assert "\x1b" not in text


# ─── the sidebar control ────────────────────────────────────────────────────────────────
# Streamlit 1.67's AppTest re-runs only the page script after the first run of an
# st.navigation app (app.py is not re-executed), so the control's interaction is tested in
# a one-file app, and app.py's wiring on its first run.  The session's scenario comes from
# ui.scenario_link.current_scenario (the contract the control reads), set by each test.


def _control_app():
    import streamlit as st

    from ui.report import pdf_summary_control

    with st.sidebar:
        pdf_summary_control()


@pytest.fixture
def session(monkeypatch):
    """The session's scenario as ``ui.report.session_scenario`` returns it (None: never
    answered)."""
    import ui.report

    state: dict[str, Scenario | None] = {"scenario": None}
    monkeypatch.setattr(
        ui.report, "session_scenario", lambda: (state["scenario"], state["scenario"] is not None)
    )
    return state


@pytest.fixture
def control(session):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_control_app, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def test_app_shows_the_pdf_control_in_the_sidebar(app_test):
    at = app_test()
    assert at.sidebar.button(key="report.build").label == "Build PDF summary"
    assert at.sidebar.checkbox(key="w.report.full").label == "Full report"
    assert not at.sidebar.get("download_button")  # nothing built until asked


def test_sidebar_builds_the_pdf_on_request(control, session):
    at = control
    assert not at.sidebar.get("download_button")
    session["scenario"] = Scenario(name="Sidebar × test")
    at.sidebar.button(key="report.build").click().run()
    assert not at.exception
    downloads = at.sidebar.get("download_button")
    assert len(downloads) == 1
    assert downloads[0].proto.label == "Download PDF summary"
    signature, pdf, name, _notes = at.session_state["report.built"]
    assert pdf.startswith(b"%PDF-")
    assert "Sidebar × test" in flat(pdf)
    assert "Risk assessment" in flat(pdf).split("Contents")[1].split("Appendix")[0]
    assert name == "scalerisk-summary-sidebar-test.pdf"


def test_sidebar_leaves_the_assessment_out_of_a_session_never_answered(control):
    at = control
    at.sidebar.button(key="report.build").click().run()
    assert not at.exception
    _, pdf, name, notes = at.session_state["report.built"]
    assert "Risk assessment: no assessment answers given" in notes
    assert name == "scalerisk-summary.pdf"


def test_sidebar_full_checkbox_and_stale_pdf(control, session):
    at = control
    at.sidebar.checkbox(key="w.report.full").check().run()
    at.sidebar.button(key="report.build").click().run()
    assert not at.exception
    assert "full (pages never opened use their defaults)" in flat(
        at.session_state["report.built"][1]
    )
    assert at.sidebar.get("download_button")
    session["scenario"] = Scenario(name="changed")
    at.run()
    assert not at.sidebar.get("download_button")
    assert any("build it again" in c.value for c in at.sidebar.caption)


def test_changed_page_input_hides_the_stale_pdf_at_once(control):
    # the sidebar runs before the page puts its inputs into the scenario; a changed w.*
    # widget value is already in the state on that run, so the old PDF is not offered
    at = control
    at.session_state["w.sizing.dataset_tokens"] = 2e9
    at.sidebar.button(key="report.build").click().run()
    assert at.sidebar.get("download_button")
    at.session_state["w.sizing.dataset_tokens"] = 3e9
    at.run()
    assert not at.sidebar.get("download_button")


def test_sidebar_reports_a_failed_build_without_a_traceback(control, monkeypatch):
    import calculator.report

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(calculator.report, "render", broken)
    at = control
    at.sidebar.button(key="report.build").click().run()
    assert not at.exception
    assert at.sidebar.error[0].value.startswith("The PDF summary could not be built: no fonts")
    assert not at.sidebar.get("download_button")


# ─── the comparison control (for the Saved scenarios page) ──────────────────────────────


def _compare_app():
    import streamlit as st

    from calculator.presets import PRESETS
    from calculator.scenario import from_answers
    from ui.report import comparison_pdf_control

    base = from_answers(PRESETS["Linear-scaling archetype"])
    new = from_answers(PRESETS[st.session_state.get("new", "Exponential archetype")])
    comparison_pdf_control(base, new, ("Saved plan", "This session"))


def test_comparison_control_builds_the_pdf_on_request():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_compare_app, default_timeout=60)
    at.run()
    assert not at.exception
    assert not at.get("download_button")
    at.button(key="report.compare.build").click().run()
    assert not at.exception
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["Download comparison PDF"]
    _, pdf, name = at.session_state["report.compare.built"]
    assert name == "scalerisk-comparison-saved-plan-vs-this-session.pdf"
    page1 = pages_text(pdf)[0]
    assert "Base: Saved plan" in page1  # the names the page gave, not the files' own
    assert "New: This session" in page1
    at.session_state["new"] = "Linear-scaling archetype"  # another pair: not offered
    at.run()
    assert not at.get("download_button")


def test_comparison_control_reports_a_failed_build(monkeypatch):
    from streamlit.testing.v1 import AppTest

    import calculator.report

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(calculator.report, "render_comparison", broken)
    at = AppTest.from_function(_compare_app, default_timeout=60)
    at.run()
    at.button(key="report.compare.build").click().run()
    assert not at.exception
    assert at.error[0].value == "The comparison PDF could not be built: no fonts"
    assert not at.get("download_button")
