"""PDF summary (issue 7): the builder, its text hygiene and the sidebar control.

The PDFs are parsed back with pypdf; expected figures come from the domain modules'
own ``key_figures`` (their oracles are in their tests) or are stated with their source.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from calculator import report
from calculator.report import ReportRequest, build_report, render_report

AT = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
APPENDICES = (
    "Appendix A · Assumptions, formulas and sources",
    "Appendix B · Where the seeds contradict themselves",
    "Appendix C · How to reproduce every figure",
)


def pages_text(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() or "" for page in reader.pages]


def flat(pdf: bytes) -> str:
    """All text with line breaks and repeated spaces folded, so wrapped phrases still match."""
    return re.sub(r"\s+", " ", " ".join(pages_text(pdf)))


def request(**kw) -> ReportRequest:
    return ReportRequest(generated_at=AT, **kw)


# ─── the empty session ──────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def empty():
    return render_report(request())


def test_empty_session_yields_a_valid_report(empty):
    assert empty.pdf.startswith(b"%PDF-")
    text = flat(empty.pdf)
    assert "ScaleRisk" in text
    assert "Untitled scenario" in text
    assert "2026-11-23 09:30 UTC" in text
    assert "no benchmark was run in this session" in text
    for title in APPENDICES:
        assert title in text
    # nothing configured: every computed section is left out and said so on page 1
    assert empty.sections == list(APPENDICES)
    first = re.sub(r"\s+", " ", pages_text(empty.pdf)[0])
    assert "Left out" in first
    assert "Compute-optimal sizing: page not opened in this session" in first


def test_page_numbers_in_the_footer(empty):
    pages = pages_text(empty.pdf)
    n = len(pages)
    assert n >= 4  # title page + 3 appendices
    for i, text in enumerate(pages, start=1):
        assert f"page {i} of {n}" in text


# ─── sections from the session ──────────────────────────────────────────────────────────


def test_opened_what_if_is_included_and_unopened_left_out():
    gm = pytest.importorskip("calculator.greenmoney")
    out = render_report(request(scenario_name="Q3", what_if={"green_money": {}}))
    text = flat(out.pdf)
    assert "Green Money" in out.sections
    assert "Compute-optimal sizing" not in out.sections
    # the key figures the page shows, from the module's own key_figures (seed 000 defaults)
    for label, value in gm.key_figures(gm.green_money(gm.GreenMoneyInputs())):
        assert f"{label} {value}" in text
    # reference machines of seed 000 (210/208 and 117/75 items/s)
    for shown in ("DGX Spark", "M2 Pro", "210 items/s", "75 items/s"):
        assert shown in text


@pytest.mark.parametrize(
    ("key", "title", "module", "inputs"),
    [
        ("sizing", "Compute-optimal sizing", "calculator.sizing", "SizingInputs"),
        ("finetune", "Fine-tuning cost", "calculator.finetune", "FinetuneInputs"),
    ],
)
def test_what_if_shows_inputs_and_key_figures(key, title, module, inputs):
    mod = pytest.importorskip(module)
    domain = next(d for d in report.WHAT_IFS if d.key == key)
    model = getattr(mod, inputs)()
    out = render_report(request(what_if={key: model.model_dump(mode="json")}))
    assert title in out.sections
    assert not [n for n in out.notes if n.startswith(title)]
    text = flat(out.pdf)
    result = getattr(mod, domain.evaluate)(model)
    for label, value in mod.key_figures(result):
        assert re.sub(r"\s+", " ", f"{label} {value}") in text
    assert domain.command in text  # how to reproduce it, in appendix C


def test_full_report_includes_pages_never_opened(empty):
    out = render_report(request(full=True))
    # every domain module is present in this build: nothing is left out, no chart fails
    assert out.notes == []
    for title in (
        "Risk assessment",
        *(d.title for d in report.WHAT_IFS),
        "Green Money",
        *APPENDICES,
    ):
        assert title in out.sections
    text = flat(out.pdf)
    assert "Not opened in this session" in text
    assert "No answers were given in this session" in text
    assert "No benchmark was run in this session; Green Money uses the reference figures." in text
    assert len(pages_text(out.pdf)) > len(pages_text(empty.pdf))


def test_assessment_section_shows_score_band_drivers_and_answers():
    risk = pytest.importorskip("calculator.risk")
    answers = risk.Answers(stage="production")
    result = risk.assess(answers)
    out = render_report(request(answers=answers.model_dump(mode="json")))
    assert "Risk assessment" in out.sections
    text = flat(out.pdf)
    assert f"Risk score: {result.score:.1f} / 100 — {result.band}" in text
    assert re.sub(r"\s+", " ", result.band_meaning) in text
    for label, value in risk.key_figures(result):
        assert f"{label} {value}" in text
    assert result.drivers[0].name in text
    assert "Top recommendations" in text
    assert result.recommendations[0].name in text
    assert "Lifecycle stage Production" in text  # the answers table, option shown by its label
    assert "Cost trajectory" not in text  # chart titles are images, not text …
    assert "over 12 and 36 months" in text  # … the caption says both are there


def test_benchmark_results_are_shown_with_the_machine():
    bench = {
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
    out = render_report(request(bench_results=[bench, bench]))
    text = flat(out.pdf)
    assert "Benchmark and Green Money" in out.sections
    assert "AMD EPYC 9R14 × 2 · cpu · 2 CPU cores" in text  # title page and section
    assert "27.4" in text
    assert "3.3" in text
    assert "e5-base (synthetic weights)" in text
    assert "8.30×" in text  # 27.4 / 3.3 = 8.303
    assert "Earlier runs this session" in text
    assert "python -m bench --models minilm-l6,e5-base --items 100 --mode reference --json" in text


def test_invalid_bench_result_is_noted_not_fatal():
    out = render_report(request(bench_results=[{"device": "nonsense"}]))
    assert out.pdf.startswith(b"%PDF-")
    assert any(n.startswith("Benchmark run 1: not a valid result") for n in out.notes)


def test_invalid_what_if_inputs_are_noted():
    pytest.importorskip("calculator.greenmoney")
    out = render_report(request(what_if={"green_money": {"iterations_per_sprint": -5}}))
    assert "Green Money" not in out.sections
    assert any("iterations_per_sprint" in n for n in out.notes)


def test_appendix_b_lists_only_the_inconsistencies_behind_the_shown_numbers(empty):
    """Oracle: the Affects column of calculator/methodology/inconsistencies.md — seed 002's
    tokens-per-parameter row affects sizing, seed 000's Green Money row the benchmark."""
    sizing_only = flat(build_report(request(what_if={"sizing": {}})))
    appendix_b = sizing_only.split(APPENDICES[1])[-1].split(APPENDICES[2])[0]
    assert "~20 tokens per parameter" in appendix_b
    assert "Green Money" not in appendix_b
    assert "LoRA" not in appendix_b
    assert "the Methodology page lists them all" in appendix_b
    empty_b = flat(empty.pdf).split(APPENDICES[1])[-1].split(APPENDICES[2])[0]
    assert "no seed inconsistency applies" in empty_b


def test_every_inconsistency_names_sections_that_exist():
    from calculator import methodology

    full = methodology.inconsistencies(methodology.AFFECTS.values())
    rows = [line for line in full.splitlines() if line.startswith("| 0")]
    assert len(rows) == 13  # the table's rows, each affecting at least one known section
    assert set(methodology.AFFECTS.values()) <= set(dict(methodology.SECTIONS))


def test_appendix_reproduces_the_session_as_an_answers_file():
    req = request(scenario_name="Repro", what_if={"green_money": {"hourly_rate_usd": 90.0}})
    text = flat(build_report(req))
    assert "python -m calculator report scenario.json -o summary.pdf" in text
    assert "python -m calculator sizing" not in text  # sizing not shown, so not to reproduce
    assert '"scenario_name": "Repro"' in text
    assert '"hourly_rate_usd": 90.0' in text
    assert report.answers_file(req)["what_if"] == {"green_money": {"hourly_rate_usd": 90.0}}


# ─── Unicode and hostile text ───────────────────────────────────────────────────────────


def test_unicode_text_is_extracted():
    name = "Сценарий Ω: 3 × GPU ≈ €12k"
    text = flat(build_report(request(scenario_name=name)))
    assert name in text
    for ch in "×≈€":
        assert ch in text


def test_right_to_left_name_is_drawn_in_visual_order():
    text = flat(build_report(request(scenario_name="Plan שלום")))
    assert "Plan םולש" in text  # visual order: the Hebrew word is drawn right to left


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
    return len(pages_text(build_report(request(scenario_name="Plain name"))))


@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_scenario_names_do_not_break_layout(name, baseline_pages):
    pdf = build_report(request(scenario_name=name))
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
    text = flat(build_report(request(scenario_name=name)))
    assert "<b>bold</b> <script>alert(1)</script> **md** __u__ --s--" in text


def test_long_names_are_truncated_on_the_title_page():
    text = pages_text(build_report(request(scenario_name="Budget " * 3000)))[0]
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
    assert report.clean_text(raw) == clean


def test_clean_text_truncates_with_an_ellipsis():
    assert report.clean_text("abcdef", max_chars=4) == "abc…"
    assert len(report.clean_text("y" * 1000, max_chars=160)) == 160


# ─── methodology Markdown → PDF blocks ─────────────────────────────────────────────────


def test_markdown_blocks_cover_the_methodology_syntax():
    md = (
        "## Formula\n\nThe cost is $C = k \\times u^{1.4}$ per **month**.\n\n"
        "$$\nD \\approx 20\\,N\n$$\n\n- first\n  continued\n- second\n\n"
        "| a | b |\n|---|---:|\n| 1 | $\\beta$ |\n\n```\nscalerisk assess a.json\n```\n"
    )
    blocks = report.markdown_blocks(md)
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
    lay = report.Layout("footer")
    lay.pdf.add_page()
    rows = [(f"row {i}", f"{i * 1.5:.1f} USD") for i in range(120)]
    lay.table(rows, headings=("Question", "Answer"))
    pages = pages_text(lay.output())
    assert len(pages) >= 3
    assert all(p.count("Question") == 1 for p in pages)  # heading repeated on every page
    joined = "\n".join(pages)
    assert all(f"row {i} " in joined or f"row {i}\n" in joined for i in range(120))


def test_a_row_taller_than_a_page_is_split_between_lines():
    lay = report.Layout("footer")
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
    lay = report.Layout("footer")
    lay.pdf.set_font(report.SANS, size=9)
    lines = lay.wrap(text, width)
    for line in lines:
        assert lay.pdf.get_string_width(line) <= width + 1e-6 or len(line) == 1
    assert "".join("".join(lines).split()) == "".join(text.split())
    assert len(lines) >= text.count("\n") + 1  # explicit line breaks are kept


def test_wrap_breaks_at_spaces_and_cuts_only_overlong_words():
    lay = report.Layout("footer")
    lay.pdf.set_font(report.SANS, size=10)
    width = lay.pdf.get_string_width("alpha beta") + 0.01  # exactly two words fit
    assert lay.wrap("alpha beta alpha beta", width) == ["alpha beta", "alpha beta"]
    long_word = "x" * 200
    parts = lay.wrap(long_word, width)
    assert "".join(parts) == long_word
    assert len(parts) > 1


# ─── answers file → request (used by the CLI) ───────────────────────────────────────────


def test_request_from_answers_validates_every_part():
    pytest.importorskip("calculator.greenmoney")
    with pytest.raises(report.InputError, match="must hold a JSON object"):
        report.request_from_answers([1])
    with pytest.raises(report.InputError, match="scenario_name must be a string"):
        report.request_from_answers({"scenario_name": 3})
    with pytest.raises(report.InputError, match="unknown what_if page 'nope'"):
        report.request_from_answers({"what_if": {"nope": {}}})
    with pytest.raises(report.InputError, match="what_if.green_money has invalid values"):
        report.request_from_answers({"what_if": {"green_money": {"hourly_rate_usd": -1}}})
    req = report.request_from_answers(
        {"scenario_name": "S", "what_if": {"green_money": {}}}, full=True
    )
    assert (req.scenario_name, req.full, req.answers) == ("S", True, None)
    assert req.what_if["green_money"]["items_per_iteration"] == 103_000  # seed 000: 103,000 e-mails


# ─── the sidebar control ────────────────────────────────────────────────────────────────
# Streamlit 1.67's AppTest re-runs only the page script after the first run of an
# st.navigation app (app.py is not re-executed), so the control's interaction is tested in
# a one-file app, and app.py's wiring on its first run.


def _control_app():
    import streamlit as st

    from ui.report import pdf_summary_control

    with st.sidebar:
        pdf_summary_control()


@pytest.fixture
def control():
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


def test_sidebar_builds_the_pdf_on_request(control):
    at = control
    assert not at.sidebar.get("download_button")
    at.session_state["scenario_name"] = "Sidebar × test"
    at.sidebar.button(key="report.build").click().run()
    assert not at.exception
    downloads = at.sidebar.get("download_button")
    assert len(downloads) == 1
    assert downloads[0].proto.label == "Download PDF summary"
    signature, pdf, name, _notes = at.session_state["report.built"]
    assert pdf.startswith(b"%PDF-")
    assert "Sidebar × test" in flat(pdf)
    assert name == "scalerisk-summary-sidebar-test.pdf"


def test_sidebar_full_checkbox_and_stale_pdf(control):
    at = control
    at.sidebar.checkbox(key="w.report.full").check().run()
    at.sidebar.button(key="report.build").click().run()
    assert not at.exception
    assert "full (pages never opened use their defaults)" in flat(
        at.session_state["report.built"][1]
    )
    assert at.sidebar.get("download_button")
    at.session_state["scenario_name"] = "changed"
    at.run()
    assert not at.sidebar.get("download_button")
    assert any("build it again" in c.value for c in at.sidebar.caption)


def test_changed_page_input_hides_the_stale_pdf_at_once(control):
    # the sidebar runs before the page rewrites its what_if entry; a changed w.* widget
    # value is already in the state on that run, so the old PDF is not offered
    at = control
    at.session_state["w.sizing.dataset_tokens"] = 2e9
    at.sidebar.button(key="report.build").click().run()
    assert at.sidebar.get("download_button")
    at.session_state["w.sizing.dataset_tokens"] = 3e9
    at.run()
    assert not at.sidebar.get("download_button")


def test_sidebar_reports_a_bad_session_without_a_traceback(control):
    at = control
    at.session_state["what_if"] = {"green_money": "not a dict"}
    at.sidebar.button(key="report.build").click().run()
    assert not at.exception
    assert at.sidebar.error[0].value.startswith("The PDF summary could not be built")
    assert not at.sidebar.get("download_button")
