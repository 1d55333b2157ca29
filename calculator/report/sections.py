"""The summary PDF of one scenario, section by section.

1. page 1, the executive summary (:mod:`~calculator.report.executive`): product, scenario and
   date in a compact header; the score and band with their likely range and meaning; the
   total monthly cost in months 12 and 36 with their likely ranges; the top three actions
   (savings, payback, ROI multiple); one headline per what-if and the benchmark; then the
   contents (with page numbers) and what was left out;
2. the assessment (score, band and its meaning, drivers and trajectory charts,
   recommendations, the answers);
3. every what-if the scenario carries (sizing, fine-tuning, mitigation ROI): key figures with
   their likely range, the page's main chart and tornado, the inputs; pages never opened are
   left out unless ``full``, which fills them with the model defaults;
4. the benchmark runs and Green Money with the reference machines;
5. with ``appendices``: the methodology texts (assumptions, formulas, sources), the seed
   inconsistencies behind the figures shown, and how to reproduce every figure (CLI commands
   and the scenario file).

Every section's results are computed once, and its charts requested, before any layout, so
the chart workers render while the text is laid out and page 1 shows the very figures of the
sections.  A section whose engine fails is left out with a note on page 1.  A section starts
a new page only when less than 40% of the page is left (:meth:`Layout.h1`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import BaseModel

from calculator import methodology, risk
from calculator.errors import InputError
from calculator.greenmoney import REFERENCE_MACHINES
from calculator.mitigation import format_multiple, format_payback
from calculator.report import domains, executive
from calculator.report.document import Document, ReportOutput
from calculator.report.domains import (
    ASSESSMENT_COMMAND,
    ASSESSMENT_TITLE,
    BENCHMARK_TITLE,
    FINETUNE,
    GREEN_MONEY,
    MITIGATION,
    SIZING,
    THROUGHPUT_CHART,
    WhatIf,
)
from calculator.report.layout import PRODUCT, SANS, TABLE_RULE
from calculator.report.plain import MODES, field_rows, figure_rows, model_name
from calculator.report.png import Chart
from calculator.report.text import clean_text, display_text, json_listing, money
from calculator.scenario import Scenario

SUBTITLE = "Scalability risk and AI-infrastructure cost summary"
SCENARIO_MAX_CHARS = 160
"""Longest scenario name shown on page 1; the footer shows at most 50 characters."""
NAME_MAX_CHARS = next(m.max_length for m in Scenario.model_fields["name"].metadata)
"""Longest name a scenario file holds (the appendix's JSON shortens a longer one)."""
TOP_RECOMMENDATIONS = 5
TRAJECTORY_MONTHS = (12, 36)
APPENDICES = (
    "Appendix A · Assumptions, formulas and sources",
    "Appendix B · Where the seeds contradict themselves",
    "Appendix C · How to reproduce every figure",
)
NO_APPENDICES = (
    "Appendices not included (assumptions, formulas and sources; where the seeds contradict "
    "themselves; how to reproduce every figure): build the report with Appendices "
    "(python -m calculator report scenario.json --appendices)."
)
SPLIT_COMMAND = (
    "python -c \"import json; s = json.load(open('scenario.json')); "
    "[json.dump(s[k], open(k + '.json', 'w')) for k in ('answers', 'sizing', 'finetune', "
    "'mitigation', 'green_money') if s.get(k)]\""
)
"""Writes one file per part of scenario.json (answers.json, sizing.json, …)."""

Render = Callable[[], None]


class Computed(NamedTuple):
    """One section's inputs and results, computed once: its layout and page 1 read them."""

    inputs: Any
    result: Any
    ranges: Any
    figures: list[tuple[str, str]]
    """The engine's ``key_figures(result, ranges)``."""


def page_spreads(scenario: Scenario, page: WhatIf) -> dict[str, float]:
    """The page's inputs marked as only roughly known (input path → ± fraction)."""
    return dict(getattr(scenario.spreads, page.key))


def scenario_title(name: str, max_chars: int = SCENARIO_MAX_CHARS) -> str:
    """The scenario's name as printed (cleaned, shortened), or "Untitled scenario"."""
    return display_text(name, max_chars) or "Untitled scenario"


class Summary(Document):
    """The summary of ``scenario``: :meth:`build` computes every section, then lays them out.

    ``answered`` False means the questionnaire was never answered (the scenario's answers
    are the defaults): the assessment is then left out, or shown with a note when ``full``.
    ``appendices`` adds the methodology, the seed inconsistencies and the reproduction recipe.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        full: bool = False,
        appendices: bool = False,
        answered: bool = True,
        generated_at: datetime | None = None,
    ) -> None:
        super().__init__(
            f"{PRODUCT} summary · {scenario_title(scenario.name, 50)}",
            f"{PRODUCT} summary",
            generated_at,
        )
        self.scenario, self.full, self.answered = scenario, full, answered
        self.appendices = appendices
        self.title = scenario_title(scenario.name)
        self.bench = scenario.bench_results
        self.used_methodology: list[str] = []
        self.commands: list[tuple[str, str]] = []  # (title, shell command) per included section
        self.assessed = False  # the assessment is shown
        self.used_inputs: dict[str, BaseModel] = {}  # page → the inputs its section used
        self.computed: dict[str, Computed] = {}  # "assessment" or page key → its results

    # page 1 -----------------------------------------------------------------------------
    def machine(self) -> str:
        if not self.bench:
            return "no benchmark was run in this session"
        return executive.machine_text(self.bench[-1])

    def kind(self) -> str:
        kind = (
            "full (pages never opened use their defaults)"
            if self.full
            else "session (only the pages opened in this session)"
        )
        return kind + ("; with appendices" if self.appendices else "")

    def executive_page(self, sections: bool) -> None:
        """Page 1: the header, the key figures of every computed section, then the contents
        (drawn when the document is complete, so each entry carries its page number)."""
        pdf, lay = self.lay.pdf, self.lay
        pdf.add_page()
        pdf.set_font(SANS, "B", 12)
        pdf.set_text_color(20, 60, 110)
        pdf.cell(0, 6, f"{PRODUCT} · Executive summary")
        pdf.set_font(SANS, size=8.5)
        pdf.set_text_color(90)
        pdf.set_x(pdf.l_margin)
        pdf.cell(0, 6, self.date, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
        pdf.set_font(SANS, "B", 14)
        lay.lines(self.title, x=pdf.l_margin, width=lay.width, line_h=6.5)
        pdf.ln(0.5)
        lay.para(
            f"{SUBTITLE} · Report kind: {self.kind()} · Benchmark machine: {self.machine()}",
            size=8,
            color=90,
        )
        self._rule()
        done = self.computed.get("assessment")
        if done is not None:
            if not self.answered:
                lay.note("No answers were given in this session: the questionnaire's defaults.")
            self._exec_assessment(done)
        else:
            lay.para(
                "Risk score: not assessed — no assessment answers were given (answer the "
                "questionnaire on the Assessment page, or build the full report).",
                size=9.5,
                bold=True,
            )
        self._exec_headlines()
        if sections:  # the contents are drawn once their page numbers are known
            pdf.insert_toc_placeholder(self._contents, pages=1)
        else:  # nothing follows page 1: no page break, and no contents to number
            self._contents(pdf, [])

    def _rule(self) -> None:
        pdf = self.lay.pdf
        pdf.ln(1)
        pdf.set_draw_color(*TABLE_RULE)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + self.lay.width, pdf.get_y())
        pdf.ln(3)

    def _exec_assessment(self, done: Computed) -> None:
        pdf, lay = self.lay.pdf, self.lay
        result, ranges = done.result, done.ranges
        score, band, spread = executive.score_line(result, ranges)
        y = pdf.get_y()
        pdf.set_font(SANS, "B", 22)
        pdf.set_text_color(20, 60, 110)
        pdf.cell(46, 10, score)
        pdf.set_font(SANS, "B", 15)
        pdf.set_text_color(*executive.BAND_COLOURS.get(result.band, (0, 0, 0)))
        pdf.cell(40, 10, band, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(90)
        pdf.set_font(SANS, size=8.5)
        pdf.cell(86, 4.5, f"Risk score, likely {spread} (P10–P90)", new_x="LMARGIN", new_y="NEXT")
        left_end = pdf.get_y()
        pdf.set_text_color(0)
        pdf.set_font(SANS, size=9.5)
        pdf.set_y(y + 1)
        lay.lines(
            executive.first_sentence(result.band_meaning),
            x=pdf.l_margin + 90,
            width=lay.width - 90,
            line_h=4.8,
        )
        pdf.set_y(max(left_end, pdf.get_y()) + 3)
        lay.table(
            executive.cost_rows(result, ranges),
            headings=("Total monthly cost", "Base case", "Likely (P10–P90)"),
            col_widths=(45, 45, 90),
            align=("LEFT", "RIGHT", "LEFT"),
            size=9,
        )
        pdf.ln(-1.5)
        lay.note(executive.linear_note(result))
        rows = executive.action_rows(result)
        if rows:
            horizon = result.recommendations[0].horizon_months
            lay.table(
                rows,
                headings=(
                    f"Top {len(rows)} actions",
                    "Saves",
                    "Payback",
                    f"ROI at {horizon:,} months",
                    "Investment",
                ),
                col_widths=(66, 30, 30, 26, 28),
                align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
                size=8.5,
            )
        else:
            lay.note("No recommended action applies to these answers.")

    def _exec_headlines(self) -> None:
        rows: list[tuple[str, str]] = []
        makers = (
            (FINETUNE, lambda c: executive.finetune_headline(c.result, c.ranges)),
            (SIZING, lambda c: executive.sizing_headline(c.result, c.ranges)),
            (MITIGATION, lambda c: executive.mitigation_headline(c.result, c.ranges)),
            (GREEN_MONEY, lambda c: executive.green_money_headline(c.figures)),
        )
        for page, make in makers:
            done = self.computed.get(page.key)
            if done is not None:
                rows.append((page.title, make(done)))
        if self.bench:
            rows.append(("Benchmark (latest run)", executive.benchmark_headline(self.bench[-1])))
        if rows:
            self.lay.table(
                rows,
                headings=("What-if", "Headline (likely: P10–P90)"),
                col_widths=(38, 142),
                size=8.5,
            )

    def _contents(self, pdf: Any, outline: list[Any]) -> None:
        """The contents, with page numbers and links, and the notes on what was left out —
        drawn into the rest of page 1 once the document is laid out; lines that would not
        fit are summed up in one, never pushed onto a page of their own."""
        lay = self.lay
        pdf.set_auto_page_break(False)
        bottom = pdf.page_break_trigger
        pdf.ln(1)
        entries = [s for s in outline if s.level == 0]
        if entries:
            pdf.set_font(SANS, "B", 12)
            pdf.cell(0, 7, "Contents", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(SANS, size=9.5)
        for section in entries:
            if pdf.get_y() + 5 > bottom:
                break
            link = pdf.add_link(page=section.page_number)
            pdf.set_x(pdf.l_margin + 4)
            pdf.cell(lay.width - 24, 5, clean_text(section.name, 120), link=link)
            pdf.cell(20, 5, f"page {section.page_number}", align="R", link=link)
            pdf.ln(5)
        lines: list[tuple[str, float, int | tuple[int, int, int]]] = []
        if self.notes:
            lines.append(("Left out", 9.5, 0))
            lines += [(f"• {clean_text(n, 240)}", 8.5, 0) for n in self.notes]
        if not self.appendices:
            lines.append((NO_APPENDICES, 8.5, (110, 110, 110)))
        pdf.ln(1.5)
        for i, (text, size, colour) in enumerate(lines):
            pdf.set_font(SANS, "B" if text == "Left out" else "", size)
            wrapped = lay.wrap(text, lay.width - 4)
            if pdf.get_y() + len(wrapped) * size * 0.5 > bottom:
                pdf.set_font(SANS, size=8.5)
                pdf.set_x(pdf.l_margin + 4)
                pdf.cell(0, 4.5, f"… and {len(lines) - i} more notes (see the command's output).")
                break
            pdf.set_text_color(*(colour if isinstance(colour, tuple) else (colour,)))
            lay.lines(text, x=pdf.l_margin + 4, width=lay.width - 4, line_h=size * 0.5)
            pdf.set_text_color(0)
            pdf.ln(0.6)
        pdf.set_auto_page_break(True, margin=18)

    # assessment -------------------------------------------------------------------------
    def assessment(self) -> Render | None:
        if not self.answered and not self.full:
            self.omit(ASSESSMENT_TITLE, "no assessment answers given")
            return None
        answers = self.scenario.answers
        try:
            result = risk.assess(answers)
            ranges = risk.assess_ranges(answers, result)
            figures = risk.key_figures(result, ranges)
        except Exception as exc:  # noqa: BLE001 - one section, never the whole report
            self.omit(ASSESSMENT_TITLE, f"could not be computed ({type(exc).__name__}: {exc})")
            return None
        self.assessed = True
        self.computed["assessment"] = Computed(answers, result, ranges, figures)
        self.commands.append((ASSESSMENT_TITLE, ASSESSMENT_COMMAND))
        # the page's own Vega-Lite specs, handed to vl-convert as they are: wrapping them in
        # Altair objects first costs ≈ 0.25 s per trajectory chart (schema-driven from_dict)
        drivers = Chart("Risk drivers", "calculator.charts.assessment:drivers_spec", (result,))
        trajectories = [
            Chart(
                f"Cost trajectory, {months} months",
                "calculator.charts.assessment:trajectory_spec",
                (result, months, ranges),
            )
            for months in TRAJECTORY_MONTHS
        ]
        tornadoes = [
            Chart(
                "What moves the risk score",
                "calculator.charts.assessment:score_tornado_spec",
                (ranges, result.score),
            ),
            Chart(
                "What moves the month-36 cost",
                "calculator.charts.assessment:cost_tornado_spec",
                (ranges,),
            ),
        ]
        self.charts.request([drivers, *trajectories, *tornadoes])

        def render() -> None:
            self.section(ASSESSMENT_TITLE)
            if not self.answered:
                self.lay.note(
                    "No answers were given in this session; the questionnaire's defaults are shown."
                )
            self._assessment_body(
                answers, result, ranges, figures, drivers, [*trajectories, *tornadoes]
            )
            self.used_methodology.append("assessment")

        return render

    def _assessment_body(
        self,
        answers: risk.Answers,
        result: risk.Assessment,
        ranges: risk.AssessmentRanges,
        figures: list[tuple[str, str]],
        drivers_chart: Chart,
        trajectory_charts: list[Chart],
    ) -> None:
        lay = self.lay
        lay.para(
            f"Risk score: {result.score:.1f} / 100 — {clean_text(result.band)}",
            size=15,
            bold=True,
        )
        lay.para(clean_text(result.band_meaning, keep_newlines=True))
        lay.note(clean_text(result.score_meaning))
        lay.table(
            figure_rows(figures),
            headings=("Key figure", "Value (likely: P10–P90)"),
            col_widths=(80, 100),
        )
        lay.note(
            clean_text(ranges.basis)
            + f" Likely: P10–P90 of {ranges.samples:,} simulations (seed {ranges.seed}); the "
            "tornado charts below the trajectories move one input at a time to the ends of its "
            "range."
        )
        lay.warnings(result.warnings)
        self.figures([drivers_chart], max_height=65)
        lay.note(
            "Trajectories below: the components stacked (base case), the likely band (P10–P90 of "
            "the simulation) and the naive linear line (today's cost × user growth), over 12 and "
            "36 months."
        )
        for chart in trajectory_charts:
            self.figures([chart], max_height=80)
        if result.drivers:
            lay.h2("What drives the score", level=2)
            lay.table(
                [
                    (
                        clean_text(d.name),
                        f"{d.points:.1f}",
                        clean_text(d.why),
                        clean_text(d.seed_ref),
                    )
                    for d in result.drivers
                ],
                headings=("Driver", "Points", "Why it costs money", "Source"),
                col_widths=(42, 14, 98, 26),
                align=("LEFT", "RIGHT", "LEFT", "LEFT"),
                size=8,
            )
        recs = result.recommendations[:TOP_RECOMMENDATIONS]
        if recs:
            lay.h2("Top recommendations")
            lay.table(
                [recommendation_row(r) for r in recs],
                headings=(
                    "Action",
                    "Saves",
                    "Payback",
                    f"ROI at {recs[0].horizon_months:,} months",
                    "Investment",
                    "Phase",
                ),
                col_widths=(62, 27, 27, 24, 27, 13),
                align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
                size=8,
            )
        lay.h2("Answers")
        data = answers.model_dump(mode="json", exclude={"scenario_name", "what_if"})
        lay.pairs(field_rows(risk.Answers, data, labels=risk.OPTION_LABELS), ("Question", "Answer"))

    # what-ifs ---------------------------------------------------------------------------
    def what_if(self, page: WhatIf) -> Render | None:
        given = getattr(self.scenario, page.key)
        if given is None and not self.full:
            self.omit(
                page.title,
                "page not opened in this session (the full report includes it with default inputs)",
            )
            return None
        spreads = page_spreads(self.scenario, page)
        try:
            inputs = given if given is not None else page.defaults(self.scenario)
            result = page.evaluate(inputs)
            ranges = page.uncertainty(inputs, spreads or None)
            figures = [(str(a), str(b)) for a, b in page.key_figures(result, ranges)]
        except InputError as exc:  # the engine's own check of a combination of inputs
            self.omit(page.title, str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - one section, never the whole report
            self.omit(page.title, f"could not be computed ({type(exc).__name__}: {exc})")
            return None
        marks = "".join(f" --spread {path}={fraction:g}" for path, fraction in spreads.items())
        self.commands.append((page.title, page.command + marks))
        self.used_inputs[page.key] = inputs
        self.computed[page.key] = Computed(inputs, result, ranges, figures)
        chart = Chart(page.title, page.main_chart, (result,))
        tornado = Chart(f"{page.title}: what moves it", page.tornado, (ranges, result))
        self.charts.request([chart, tornado])

        def render() -> None:
            if page is GREEN_MONEY:  # inside the benchmark's section
                self.lay.h2(page.title)
                self.sections.append(page.title)
            else:
                self.section(page.title)
            if given is None:
                self.lay.note(
                    "Not opened in this session: the page's default inputs are shown"
                    + (" (starting point from the assessment answers)." if page.derived else ".")
                )
            self.lay.table(
                figure_rows(figures),
                headings=("Key result", "Value (likely: P10–P90)"),
                col_widths=(95, 85),
                size=9.5,
            )
            # a domain may already print a warning beside the figure it qualifies (a "Note" row)
            beside = {value for _, value in figures}
            self.lay.warnings([w for w in getattr(result, "warnings", ()) if w not in beside])
            self.lay.note(
                clean_text(ranges.basis)
                + f" Likely: P10–P90 of {ranges.samples:,} simulations (seed {ranges.seed})."
            )
            self.figures([chart])
            self.figures([tornado], max_height=60)
            self.lay.h2("Inputs", level=2)
            self.lay.pairs(
                field_rows(type(inputs), inputs.model_dump(mode="json"), labels=page.labels)
            )
            self.used_methodology.append(page.methodology)

        return render

    # benchmark --------------------------------------------------------------------------
    def benchmark(self, green: Render | None) -> Render | None:
        if not self.bench and green is None:
            self.omit(
                "Benchmark", "no benchmark was run in this session (run one on the benchmark page)"
            )
            return None
        # the latest run beside the reference machines and this session's earlier runs
        throughput = Chart(
            "Embedding throughput",
            THROUGHPUT_CHART,
            ([b.model_dump(mode="json") for b in self.bench],),
        )
        self.charts.request([throughput])

        def render() -> None:
            self.section(BENCHMARK_TITLE)
            if self.bench:
                self._bench_runs()
            else:
                self.lay.note(
                    "No benchmark was run in this session; Green Money uses the reference figures."
                )
            self._reference_machines()
            self.figures([throughput])
            if green is not None:
                green()
            if "benchmark" not in self.used_methodology:
                self.used_methodology.append("benchmark")

        return render

    def _bench_runs(self) -> None:
        latest = self.bench[-1]
        self.lay.h2("Latest benchmark run")
        self.lay.para(f"Machine: {self.machine()}")
        rows = [
            (
                model_name(r.model, r.hf_id)
                + (" (synthetic weights)" if r.weights == "synthetic" else ""),
                f"{MODES.get(r.mode, r.mode)}, {r.precision}, batch {r.batch_size}",
                f"{r.items:,}",
                f"{r.items_per_second:,.1f} ± {r.items_per_second_iqr / 2:,.1f}"
                if r.items_per_second_iqr is not None
                else f"{r.items_per_second:,.1f}",
                f"{r.tokens_per_second:,.0f}",
                f"{r.p50_batch_ms:,.1f} / {r.p95_batch_ms:,.1f}",
                "—" if r.fidelity_cosine is None else f"{r.fidelity_cosine:.4f}",
            )
            for r in latest.runs
        ]
        self.lay.table(
            rows,
            headings=(
                "Model",
                "Setting",
                "Items",
                "Items/s",
                "Tokens/s",
                "Batch p50 / p95 (ms)",
                "Cosine to fp32",
            ),
            col_widths=(38, 34, 16, 20, 22, 28, 22),
            align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
            size=8,
        )
        self.lay.note("Items/s: the median of the timed passes ± half their interquartile range.")
        self.lay.warnings(
            [
                f"{model_name(r.model, r.hf_id)}: {clean_text(r.trust_note)}"
                for r in latest.runs
                if not r.trusted
            ]
        )
        if latest.scaling_penalty:
            self.lay.para(
                f"Scaling penalty (items/s of the first model ÷ items/s of the last): "
                f"{latest.scaling_penalty:.2f}×"
                + ("" if latest.scaling_penalty_trusted is not False else " — not trustworthy")
            )
        if len(self.bench) > 1:
            self.lay.h2("Earlier runs this session", level=2)
            rows = [
                (
                    str(i + 1),
                    clean_text(b.device.name, 40),
                    "; ".join(
                        f"{model_name(r.model, r.hf_id)} {r.items_per_second:,.1f} items/s"
                        for r in b.runs
                    ),
                )
                for i, b in enumerate(self.bench[:-1])
            ][-5:]
            self.lay.table(
                rows, headings=("Run", "Machine", "Throughput"), col_widths=(12, 50, 118), size=8
            )

    def _reference_machines(self) -> None:
        refs = reference_machines()
        self.lay.h2("Reference machines (seed 000)", level=2)
        self.lay.table(refs[1:], headings=refs[0], col_widths=(22, 52, 16, 34, 34, 22), size=8)
        small, large = model_name("minilm-l6"), model_name("e5-base")
        self.lay.note(
            f"Seed 000 benchmarked 103,000 e-mails; scaling penalty = {small} items/s ÷ {large} "
            "items/s on the same machine."
        )

    # appendix ---------------------------------------------------------------------------
    def appendix(self) -> None:
        self.section(APPENDICES[0])
        names = list(dict.fromkeys(self.used_methodology))
        titles = dict(methodology.SECTIONS)
        if not names:
            self.lay.note("No computed section is included, so no formula applies.")
        for name in names:
            self.lay.h2(titles[name])
            self.lay.markdown(methodology.load(name))
        self.section(APPENDICES[1])
        affecting = methodology.inconsistencies(names)
        if affecting is None:
            self.lay.note("No computed section is included, so no seed inconsistency applies.")
        else:
            self.lay.note(
                "Only the inconsistencies that affect a section of this summary are listed; "
                "the Methodology page lists them all."
            )
            self.lay.markdown(affecting)
        self.used_methodology.append("inconsistencies")
        self.section(APPENDICES[2])
        self._reproduce()

    def reproduction(self) -> dict[str, Any]:
        """The scenario file (:func:`calculator.scenario.to_json`'s content) of what is shown:
        every what-if with the inputs its section used (defaults included, so each figure is
        reproduced exactly); the answers left out when never given and not shown (so the
        ``report`` command leaves the assessment out again); benchmark runs left out (they
        are measurements: the ``bench`` command re-runs them)."""
        shown = self.scenario.model_copy(update=self.used_inputs)
        exclude: dict[str, Any] = {"bench_results": True}
        if self.answered or self.assessed:  # without the old answers file's own keys
            exclude["answers"] = {"scenario_name", "what_if"}
        else:
            exclude["answers"] = True
        data = shown.model_dump(mode="json", exclude=exclude)
        if len(data["name"]) > NAME_MAX_CHARS:  # a file must be readable back
            data["name"] = data["name"][: NAME_MAX_CHARS - 1] + "…"
        return data

    def _reproduce(self) -> None:
        lay = self.lay
        lay.para(
            "Every number in this summary comes from the ScaleRisk calculator; "
            "the same code runs on "
            "the command line. Save the JSON below as scenario.json, then run:"
        )
        lines = [
            "# this summary",
            "python -m calculator report scenario.json -o summary.pdf --appendices"
            + (" --full" if self.full else ""),
        ]
        if self.commands:
            lines += [
                "# one file per part of scenario.json (answers.json, sizing.json, …)",
                SPLIT_COMMAND,
            ]
        for title, command in self.commands:
            lines += [f"# {title}", command]
        if self.bench:
            runs = self.bench[-1].runs
            models = ",".join(dict.fromkeys(clean_text(r.model, 60) for r in runs))
            items = max((r.items for r in runs), default=100)
            mode = runs[0].mode if runs else "reference"
            lines += [
                "# the latest benchmark, re-run here (throughput depends on the machine)",
                f"python -m bench --models {models} --items {items} --mode {mode} --json",
            ]
        lay.mono("\n".join(lines), size=7.5)
        lay.para(
            "scenario.json — the scenario name, the assessment answers and the inputs of every "
            "what-if shown (defaults included, so each figure is reproduced exactly):",
            size=9.5,
        )
        lay.mono(json_listing(self.reproduction()), size=7.5)

    # driver -----------------------------------------------------------------------------
    def build(self) -> ReportOutput:
        renderers: list[Render] = []
        assessment = self.assessment()
        if assessment:
            renderers.append(assessment)
        for page in domains.WHAT_IFS:
            r = self.what_if(page)
            if r:
                renderers.append(r)
        green = self.what_if(GREEN_MONEY)
        bench = self.benchmark(green)
        if bench:
            renderers.append(bench)
        self.executive_page(bool(renderers) or self.appendices)
        for render in renderers:
            render()
        if self.appendices:
            self.appendix()
        return self.output()


def recommendation_row(r: risk.Recommendation) -> tuple[str, ...]:
    """One row of the recommendations table."""
    return (
        clean_text(r.name) + (f" (addresses: {clean_text(r.addresses)})" if r.addresses else ""),
        f"{money(r.monthly_savings_usd)}/month",
        format_payback(r.payback_months, r.horizon_months),
        format_multiple(r.roi_multiple),
        money(r.investment_usd),
        str(r.phase),
    )


def reference_machines() -> list[tuple[str, ...]]:
    """Header + rows of seed 000's reference machines (``greenmoney.REFERENCE_MACHINES``)."""
    rows: list[tuple[str, ...]] = [
        ("Machine", "Hardware", "Price", model_name("minilm-l6"), model_name("e5-base"), "Penalty")
    ]
    for m in dict(REFERENCE_MACHINES).values():
        ips = m.items_per_second
        also = "".join(
            f" (also quoted {v:g})" for k, v in m.also_quoted.items() if k == "minilm-l6"
        )
        rows.append(
            (
                m.name,
                m.hardware,
                money(m.price_usd),
                f"{ips.get('minilm-l6', 0):g} items/s{also}",
                f"{ips.get('e5-base', 0):g} items/s",
                f"{m.scaling_penalty():.2f}×" if "minilm-l6" in ips and "e5-base" in ips else "—",
            )
        )
    return rows
