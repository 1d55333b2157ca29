"""PDF summary of a session: one document a CFO can read and an engineer can reproduce.

``build_report(ReportRequest(...)) -> bytes`` lays out, with fpdf2 and the vendored DejaVu
fonts (``calculator/fonts``, so ×, ≈, € and non-Latin scenario names render):

1. a title page (product, date, scenario name, the benchmark machine, what is included);
2. the assessment (score, band and its meaning, drivers and trajectory charts,
   recommendations, the answers);
3. every what-if the user opened (sizing, fine-tuning, mitigation ROI): inputs, key
   figures (``key_figures``), the page's main chart (``main_chart``); pages never opened
   are left out unless ``full=True``, which fills them with the model defaults;
4. the latest benchmark runs and Green Money with the reference machines;
5. an appendix: the methodology texts (assumptions, formulas, sources), the seed
   inconsistencies and how to reproduce every figure (CLI commands + the answers JSON).

Charts are the pages' own Altair charts rendered to PNG by vl-convert (no browser) and
cached by spec.  Domain modules are imported only for the sections shown; invalid inputs
leave their section out with a note on page 1, and a chart that fails to render becomes a
note, never a failed report.  Text is wrapped by :meth:`Layout.wrap` (linear time; fpdf2's
own line breaker is quadratic per line).  User text (the scenario
name) is sanitised by :func:`clean_text` and never interpreted as markup.
"""

from __future__ import annotations

import importlib
import io
import json
import re
import struct
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from calculator import methodology
from calculator.errors import InputError, describe_validation_error, validate_model

PRODUCT = "ScaleRisk"
SUBTITLE = "Scalability risk and AI-infrastructure cost summary"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
SANS, MONO = "DejaVu", "DejaVuMono"
SCENARIO_MAX_CHARS = 160
"""Longest scenario name shown on the title page; the footer shows at most 50 characters."""


# ─── request ────────────────────────────────────────────────────────────────────────────


class ReportRequest(BaseModel, frozen=True, extra="forbid"):
    """Everything the report shows; mirrors the session-state contract of the app."""

    scenario_name: str = Field(
        "", description="Free text naming the scenario (sanitised before display)."
    )
    generated_at: datetime = Field(
        default_factory=lambda: datetime.now(timezone.utc),
        description="Timestamp printed on the title page.",
    )
    answers: dict[str, Any] | None = Field(
        None,
        description="Assessment answers (calculator.risk.Answers as JSON); None when never given.",
    )
    what_if: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Page (sizing, finetune, mitigation, green_money) → its inputs as JSON.",
    )
    bench_results: list[dict[str, Any]] = Field(
        default_factory=list,
        description="bench.protocol.BenchResult JSON of the session's runs, newest last.",
    )
    full: bool = Field(False, description="Include pages never opened, filled with their defaults.")


@dataclass
class ReportOutput:
    """The PDF plus what went into it: section titles shown and notes on what was left out."""

    pdf: bytes
    sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ─── text hygiene ───────────────────────────────────────────────────────────────────────

_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MISSING_GLYPH = "\ufffd"


@lru_cache(maxsize=1)
def _covered_codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(FONT_DIR / "DejaVuSans.ttf").getBestCmap())


def clean_text(text: object, max_chars: int | None = None, *, keep_newlines: bool = False) -> str:
    """Make untrusted text safe to print: no control/format characters, no markup meaning.

    Control, format (bidi overrides, zero-width), private-use and unassigned characters
    are dropped; runs of whitespace collapse to one space; characters the vendored font
    cannot draw become U+FFFD; text longer than ``max_chars`` is cut with an ellipsis.
    The result is printed as plain text (never parsed as HTML or Markdown).

    >>> clean_text("Q3\\x00 plan\\u202e <b>**x**</b>\\n\\tend")
    'Q3 plan <b>**x**</b> end'
    >>> clean_text("Сценарий × 2 ≈ €5", max_chars=12)
    'Сценарий ×…'
    >>> clean_text("中文")
    '��'
    """
    covered = _covered_codepoints()
    out = []
    for ch in str(text):
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) in _DROP_CATEGORIES:
            continue
        else:
            out.append(ch if ord(ch) in covered else MISSING_GLYPH)
    joined = "".join(out)
    if keep_newlines:
        cleaned = "\n".join(re.sub(r" +", " ", line).strip() for line in joined.split("\n"))
    else:
        cleaned = re.sub(r" +", " ", joined).strip()
    if max_chars is not None and len(cleaned) > max_chars:
        cleaned = cleaned[: max_chars - 1].rstrip() + "…"
    return cleaned


def display_text(text: object, max_chars: int | None = None) -> str:
    """:func:`clean_text`, then right-to-left runs put in visual order (fpdf2 draws glyphs
    left to right unless text shaping, which needs uharfbuzz, is on).

    >>> display_text("Plan שלום"), display_text("שלום plan")
    ('Plan םולש', 'םולש plan')
    """
    cleaned = clean_text(text, max_chars)
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in cleaned):
        return cleaned
    from fpdf.bidi import BidiParagraph
    from fpdf.enums import TextDirection

    # the document is left to right: RTL runs are reversed in place, never the whole line
    return BidiParagraph(cleaned, base_direction=TextDirection.LTR).get_reordered_string()


def json_listing(data: Any) -> str:
    """Indented JSON for the PDF: exact data (copy-paste gives it back), with every character
    the font cannot draw, and every invisible format character, written as a ``\\uXXXX`` escape.

    >>> json_listing({"name": "Q3 計\u202e"})
    '{\\n  "name": "Q3 \\\\u8a08\\\\u202e"\\n}'
    """
    covered = _covered_codepoints()

    def escape(ch: str) -> str:
        if ord(ch) in covered and unicodedata.category(ch) not in _DROP_CATEGORIES:
            return ch
        return json.dumps(ch)[1:-1] if ord(ch) > 0xFFFF else f"\\u{ord(ch):04x}"

    text = _compact_json(data, 0)
    return "".join(ch if ch.isascii() else escape(ch) for ch in text)


def _compact_json(value: Any, indent: int, width: int = 100, lead: int = 0) -> str:
    """JSON indented by two spaces, but any object or array that fits in ``width`` columns kept
    on one line (a plain ``indent=2`` dump of the mitigation actions runs to pages).

    >>> lines = _compact_json({"a": [1, 2], "b": {"c": "x" * 100}}, 0).splitlines()
    >>> lines[:3], lines[3].startswith('    "c": "xxx'), lines[-2:]
    (['{', '  "a": [1, 2],', '  "b": {'], True, ['  }', '}'])
    """
    flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if (
        not isinstance(value, (dict, list))
        or not value
        or indent + lead + len(flat) <= width
        and indent > 0
    ):
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        keys = {k: json.dumps(k, ensure_ascii=False) + ": " for k in value}
        items = [
            f"{pad}{keys[k]}{_compact_json(v, indent + 2, width, len(keys[k]))}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + _compact_json(v, indent + 2, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def fmt_value(value: Any, unit: str | None = None) -> str:
    """Format an input or result value for a table cell, with its unit.

    >>> fmt_value(1234567.0, "USD/month"), fmt_value(6666.67)
    ('1,234,567 USD/month', '6,667')
    >>> fmt_value(0.000123), fmt_value(12.3456), fmt_value(True), fmt_value(None)
    ('0.000123', '12.35', 'yes', '—')
    >>> fmt_value(["a", "b"])
    'a, b'
    """
    if value is None:
        text = "—"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, int) or (
        isinstance(value, float) and value.is_integer() and abs(value) < 1e15
    ):
        text = f"{value:,.0f}"
    elif isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1e3 else f"{value:.4g}"
    elif isinstance(value, (list, tuple)):
        text = (
            ", ".join(
                str(v.get("name") or v.get("id") or fmt_value(v))
                if isinstance(v, dict)
                else fmt_value(v)
                for v in value
            )
            or "none"
        )
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    else:
        text = str(value)
    return f"{text} {unit}" if unit and value is not None else text


def latex_to_text(tex: str) -> str:
    r"""Render simple LaTeX math as readable Unicode text (no TeX engine in a PDF summary).

    >>> latex_to_text(r"C_{ops} = k_4 \times (u \cdot m)^{\beta}")
    'C_ops = k_4 × (u · m)^β'
    >>> latex_to_text(r"\frac{\log(45/2.5)}{\log 10} \approx 1.26")
    '(log(45/2.5))/(log 10) ≈ 1.26'
    >>> latex_to_text(r"D_{opt} \approx 20\,N \text{ tokens}")
    'D_opt ≈ 20 N tokens'
    >>> latex_to_text(r"t = \frac{C}{N_\text{GPU}\cdot\text{peak}\cdot u}\times\sigma_\text{QLoRA}")
    't = C/(N_GPU·peak· u)×σ_QLoRA'
    >>> latex_to_text(r"L = E + \frac{A}{N^{\alpha}} + \dfrac{r_\text{small model}}{103{,}000}")
    'L = E + A/N^α + (r_(small model))/103,000'
    >>> latex_to_text(r"\underbrace{3hI}_{\text{up}} + \begin{cases} 4a & x\\ 5b & y\end{cases}")
    '3hI [up] + either 4a (x) or 5b (y)'
    >>> latex_to_text(r"A\in\mathbb{R}^{r\times d}, QK^\top")
    'A∈ℝ^(r× d), QKᵀ'
    """
    s = tex.replace("{,}", ",")
    s = re.sub(r"\\begin\{cases\}(.*?)\\end\{cases\}", _cases, s, flags=re.S)
    s = re.sub(r"\\mathbb\s*\{([NZQR])\}", lambda m: _BLACKBOARD[m[1]], s)
    s = re.sub(r"\^\s*\\top(?![A-Za-z])", "ᵀ", s)
    s = re.sub(
        r"(?<=[\w.)])\\(log|ln|exp|min|max)(?![A-Za-z])", r" \\\1", s
    )  # "0.5\\log" → "0.5 log"
    for name, repl in _LATEX_SYMBOLS.items():  # first, so "\\cdot\\text{x}" keeps its word boundary
        s = re.sub(r"\\" + name + r"(?![A-Za-z])", repl, s)
    s = re.sub(r"\\(?:,|;|:|!| |quad|qquad)", " ", s).replace("\\\\", "\n")
    s = re.sub(
        r"([_^]?)\\(?:text|mathrm|mathit|mathbf|operatorname|textrm|mbox|mathsf)\s*\{([^{}]*)\}",
        lambda m: m[1] + (f"({m[2]})" if m[1] and " " in m[2].strip() else m[2]),
        s,
    )
    for _ in range(8):  # nested groups, innermost first
        before = s
        s = re.sub(r"\\underbrace\s*\{([^{}]*)\}\s*_\s*\{([^{}]*)\}", r"\1 [\2]", s)
        s = re.sub(r"([_^])\{([^{}]*)\}", lambda m: m[1] + _group(m[2]), s)
        s = re.sub(
            r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}",
            lambda m: f"{_group(m[1])}/{_group(m[2])}",
            s,
        )
        s = re.sub(r"\\sqrt\s*\{([^{}]*)\}", lambda m: "√" + _group(m[1]), s)
        if s == before:
            break
    s = re.sub(r"\\([%$&#_{}])", r"\1", s)
    s = re.sub(r"\\([A-Za-z]+)", r"\1", s).replace("{", "").replace("}", "")
    return re.sub(r"[ \t]+", " ", s).strip()


def _cases(match: re.Match[str]) -> str:
    r"""``\begin{cases} a & c \\ b & d \end{cases}`` as "either a (c) or b (d)"."""
    rows = [row.split("&", 1) for row in match[1].split("\\\\") if row.strip()]
    return "either " + " or ".join(
        f"{row[0].strip()} ({row[1].strip()})" if len(row) == 2 else row[0].strip() for row in rows
    )


_BLACKBOARD = {"N": "ℕ", "Z": "ℤ", "Q": "ℚ", "R": "ℝ"}


def _group(text: str) -> str:
    """``text`` as an operand: bare when it is one token, else in parentheses."""
    text = text.strip()
    return text if re.fullmatch(r"[\w.,′^]+", text) else f"({text})"


_LATEX_SYMBOLS = {
    "times": "×",
    "approx": "≈",
    "cdot": "·",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "pm": "±",
    "infty": "∞",
    "to": "→",
    "rightarrow": "→",
    "Rightarrow": "⇒",
    "ldots": "…",
    "dots": "…",
    "cdots": "⋯",
    "sim": "~",
    "propto": "∝",
    "sum": "Σ",
    "prod": "Π",
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "Delta": "Δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "Sigma": "Σ",
    "tau": "τ",
    "phi": "φ",
    "omega": "ω",
    "log": "log",
    "ln": "ln",
    "exp": "exp",
    "min": "min",
    "max": "max",
    "left": "",
    "right": "",
    "big": "",
    "Big": "",
    "lvert": "|",
    "rvert": "|",
    "lceil": "⌈",
    "rceil": "⌉",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "in": "∈",
    "mid": "|",
    "displaystyle": "",
}


def inline_markdown(text: str) -> str:
    """Strip inline Markdown/LaTeX to plain text (our methodology texts, not user input).

    >>> inline_markdown("**Score** uses `k_4` and $\\\\beta$ — see [seed](http://x).")
    'Score uses k_4 and β — see seed (http://x).'
    """
    text = re.sub(r"\$\$(.+?)\$\$", lambda m: latex_to_text(m.group(1)), text)
    text = re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", lambda m: latex_to_text(m.group(1)), text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = text.replace("`", "").replace("\\$", "$")
    return text


@dataclass(frozen=True)
class Block:
    """One block of a Markdown text: heading, paragraph, bullet, table, math or code."""

    kind: str
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


def markdown_blocks(md: str) -> list[Block]:
    """Split simple Markdown into blocks the PDF can lay out.

    >>> md = "# T\\n\\nSome *text*\\nmore.\\n\\n- a\\n- b\\n\\n|x|y|\\n|-|-|\\n|1|2|\\n\\n$$a$$"
    >>> [b.kind for b in markdown_blocks(md)]
    ['heading', 'paragraph', 'bullet', 'bullet', 'table', 'math']
    >>> markdown_blocks("|x|y|\\n|-|-|\\n|1|2|")[0].rows
    (('x', 'y'), ('1', '2'))
    """
    blocks: list[Block] = []
    lines = md.replace("\r\n", "\n").split("\n")
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", inline_markdown(" ".join(s.strip() for s in para))))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append(Block("code", "\n".join(body)))
        elif stripped.startswith("$$"):
            flush()
            body = [stripped[2:]]
            while not body[-1].rstrip().endswith("$$") and i + 1 < len(lines):
                i += 1
                body.append(lines[i].strip())
            text = " ".join(body).strip()
            text = text[:-2] if text.endswith("$$") else text
            blocks.append(Block("math", latex_to_text(text)))
        elif stripped.startswith("#"):
            flush()
            level = len(stripped) - len(stripped.lstrip("#"))
            blocks.append(Block("heading", inline_markdown(stripped[level:].strip()), level=level))
        elif stripped.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                    rows.append(tuple(inline_markdown(c) for c in cells))
                i += 1
            i -= 1
            width = max(len(r) for r in rows) if rows else 0
            rows = [r + ("",) * (width - len(r)) for r in rows]
            blocks.append(Block("table", rows=tuple(rows)))
        elif re.match(r"^\s*([-*+]|\d+[.)])\s+", line):
            flush()
            indent = len(line) - len(line.lstrip())
            blocks.append(
                Block("bullet", re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", line), level=indent // 2)
            )
        elif stripped.startswith(">"):
            para.append(stripped.lstrip("> "))
        elif not stripped:
            flush()
        elif blocks and blocks[-1].kind == "bullet" and not para and line.startswith("  "):
            last = blocks.pop()
            blocks.append(Block("bullet", last.text + " " + stripped, level=last.level))
        else:
            para.append(line)
        i += 1
    flush()
    return [
        Block(b.kind, inline_markdown(b.text), b.level, b.rows) if b.kind == "bullet" else b
        for b in blocks
    ]


# ─── charts ─────────────────────────────────────────────────────────────────────────────

PNG_SCALE = 2.0
"""Device pixels per CSS pixel of the chart PNGs (sharp on paper, about 190 dpi at natural size)."""
MM_PER_CSS_PX = 0.3
_PNG_CACHE: OrderedDict[str, bytes] = OrderedDict()
_PNG_CACHE_MAX = 64


def warm_up() -> None:
    """Get the first PDF's fixed costs out of the way (once per process, safe from a thread):
    start vl-convert's engine (≈ 1 s) in the chart worker processes, or in this one when
    they are switched off, then import fpdf2 and every section's engine (≈ 0.5 s)."""
    from calculator.chart_png import WARM_UP_SPEC, WORKERS, render

    if WORKERS.size:
        WORKERS.warm_up()
    else:
        render(WARM_UP_SPEC, 1.0)
    import fpdf  # noqa: F401

    for domain in (ASSESSMENT, *WHAT_IFS, GREEN_MONEY):
        load_api(domain)


ChartCall = tuple[str, str, tuple[Any, ...]]
"""(title, chart function as ``module:name``, its arguments): one chart of the report.  The
report never imports the chart modules (Altair and pandas, ≈ 0.8 s): the workers do."""
CHART_TIMEOUT_S = 60.0
"""A worker that has not answered by then is given up; the chart is rendered in-process."""


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

    def request(self, charts: Sequence[ChartCall]) -> None:
        from calculator.chart_png import WORKERS, chart_job, job_key

        for _, chart, args in charts:
            job = chart_job(chart, args, PNG_SCALE)
            if job is None:
                continue  # built in this process when laid out
            key = job_key(job)
            if key not in _PNG_CACHE and key not in self.pending:
                self.pending[key] = WORKERS.submit(job)

    def png(self, chart: str, args: tuple[Any, ...]) -> bytes:
        from calculator.chart_png import chart_job, job_key, render_chart, render_job

        job = chart_job(chart, args, PNG_SCALE)
        if job is None:
            return render_chart(chart, args, PNG_SCALE)
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


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    return struct.unpack(">II", png[16:24])


# ─── domains ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Domain:
    """Where a what-if page's engine lives (the public API names of the brief)."""

    key: str
    title: str
    module: str
    inputs: str
    evaluate: str
    charts: str
    methodology: str
    command: str
    """Shell command reproducing the section from ``<key>.json`` (its inputs) or scenario.json."""
    from_answers: str | None = None
    """``module:function`` deriving default inputs from the assessment answers (full report)."""
    ranges: str | None = None
    """Engine function ``inputs → uncertainty`` (P10–P90, ``.basis``, ``.samples``); the
    domain's ``key_figures(result, ranges)`` then prints each headline with its range."""
    tornado: str | None = None
    """Chart function ``(uncertainty, result) → Vega-Lite spec`` of the domain's tornado."""


WHAT_IFS: tuple[Domain, ...] = (
    Domain(
        "sizing",
        "Compute-optimal sizing",
        "calculator.sizing",
        "SizingInputs",
        "evaluate_sizing",
        "calculator.charts.sizing",
        "sizing",
        "python -m calculator sizing --input sizing.json",
        ranges="sizing_uncertainty",
        tornado="cost_tornado_spec",
    ),
    Domain(
        "finetune",
        "Fine-tuning cost",
        "calculator.finetune",
        "FinetuneInputs",
        "compare_methods",
        "calculator.charts.finetune",
        "finetune",
        "python -m calculator finetune --input finetune.json",
        ranges="finetune_uncertainty",
        tornado="cost_tornado_spec",
    ),
    Domain(
        "mitigation",
        "Mitigation ROI",
        "calculator.mitigation",
        "MitigationInputs",
        "evaluate_plan",
        "calculator.charts.mitigation",
        "mitigation",
        "python -m calculator roi mitigation.json --plan",
        from_answers="calculator.risk:mitigation_inputs",
        ranges="plan_uncertainty",
        tornado="npv_tornado_spec",
    ),
)
GREEN_MONEY = Domain(
    "green_money",
    "Green Money",
    "calculator.greenmoney",
    "GreenMoneyInputs",
    "green_money",
    "calculator.charts.benchmark",
    "benchmark",
    "python -m calculator greenmoney --input green_money.json",
    ranges="green_money_uncertainty",
    tornado="savings_tornado_spec",
)
ASSESSMENT = Domain(
    "assessment",
    "Risk assessment",
    "calculator.risk",
    "Answers",
    "assess",
    "calculator.charts.assessment",
    "assessment",
    "python -m calculator assess scenario.json",
)
WHAT_IF_KEYS = tuple(d.key for d in WHAT_IFS) + (GREEN_MONEY.key,)


@dataclass(frozen=True)
class Api:
    module: Any
    inputs: type[BaseModel]
    evaluate: Callable[..., Any]


def load_api(domain: Domain) -> Api:
    """Import a domain's engine (lazily: only the sections a report shows)."""
    module = importlib.import_module(domain.module)
    return Api(
        module=module,
        inputs=getattr(module, domain.inputs),
        evaluate=getattr(module, domain.evaluate),
    )


def validate_inputs(model: type[BaseModel], data: dict[str, Any] | None, what: str) -> BaseModel:
    """``model`` from JSON data (defaults when None); :class:`InputError` with a readable reason."""
    return validate_model({} if data is None else data, model, source=what)


def field_rows(
    model: type[BaseModel],
    data: dict[str, Any],
    prefix: str = "",
    labels: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(label, value with unit) for every field of ``model`` present in ``data``, nested flattened;
    enumerated values shown by their display name from ``labels`` when given."""
    rows: list[tuple[str, str]] = []
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        label = prefix + str(
            extra.get("label") or info.title or name.replace("_", " ").capitalize()
        )
        value = data[name]
        sub = info.annotation
        if isinstance(value, dict) and isinstance(sub, type) and issubclass(sub, BaseModel):
            rows.extend(field_rows(sub, value, prefix=f"{label} › ", labels=labels))
        elif labels and isinstance(value, str) and value in labels:
            rows.append((label, labels[value]))
        else:
            rows.append((label, fmt_value(value, extra.get("unit"))))
    return rows


def figures_of(api: Api, result: Any) -> list[tuple[str, str]]:
    """The domain's ``key_figures(result)``: (label, value with unit) rows."""
    return [(str(a), str(b)) for a, b in api.module.key_figures(result)]


# ─── layout ─────────────────────────────────────────────────────────────────────────────


PAGE_COUNT_ALIAS = "\x1fnb\x1f"
"""Page-count placeholder made of control characters, which :func:`clean_text` always strips,
so no user text can smuggle fpdf2's default ``{nb}`` substitution into the document."""


def _fpdf_class() -> type:
    from fpdf import FPDF

    class ReportPdf(FPDF):
        footer_text = ""

        def set_font(self, family: str | None = None, style: str = "", size: float = 0) -> None:
            """Glyphs the bold and mono faces lack come from DejaVu Sans, which draws every
            character :func:`clean_text` lets through.  fpdf2 then checks text character by
            character, ≈ 20% of a report's layout time, so the fallback is on only for
            those two faces."""
            super().set_font(family, style, size)
            other_face = self.font_family != SANS.lower() or "B" in self.font_style
            self.set_fallback_fonts([SANS] if other_face else [], exact_match=False)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(SANS, size=7.5)
            self.set_text_color(110)
            self.cell(0, 5, self.footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, f"page {self.page_no()} of {PAGE_COUNT_ALIAS}", align="R")
            self.set_text_color(0)

    return ReportPdf


TABLE_PADDING = 1.2
"""mm between a table cell's border and its text."""
TABLE_HEADING_FILL = (225, 232, 242)
TABLE_RULE = (150, 150, 150)


class Layout:
    """Thin helpers over fpdf2 so sections read as content, not coordinates."""

    def __init__(self, footer_text: str):
        self._widths: dict[tuple[str, str, float, str], float] = {}
        pdf = _fpdf_class()(orientation="P", unit="mm", format="A4")
        pdf.footer_text = footer_text
        pdf.alias_nb_pages(PAGE_COUNT_ALIAS)
        pdf.set_margins(18, 16, 18)
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_font(SANS, "", FONT_DIR / "DejaVuSans.ttf")
        pdf.add_font(SANS, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        pdf.add_font(MONO, "", FONT_DIR / "DejaVuSansMono.ttf")
        pdf.set_title(f"{PRODUCT} summary")
        pdf.set_creator(PRODUCT)
        pdf.set_font(SANS, size=10)
        self.pdf = pdf

    @property
    def width(self) -> float:
        return self.pdf.epw

    def space_left(self) -> float:
        return self.pdf.page_break_trigger - self.pdf.get_y()

    def ensure(self, height: float) -> None:
        if self.space_left() < height:
            self.pdf.add_page()

    def h1(self, text: str, *, new_page: bool = True) -> None:
        if new_page:
            self.pdf.add_page()
        self.pdf.start_section(text, level=0)
        self.pdf.set_font(SANS, "B", 17)
        self.pdf.set_text_color(20, 60, 110)
        self.pdf.multi_cell(0, 9, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0)
        self.pdf.ln(2)
        self.pdf.set_font(SANS, size=10)

    def h2(self, text: str, level: int = 1) -> None:
        self.ensure(40 if level <= 1 else 24)  # never a heading alone at the foot of a page
        self.pdf.ln(2)
        if level <= 1:
            self.pdf.start_section(text, level=1)
        self.pdf.set_font(SANS, "B", 13 if level <= 1 else 11)
        self.pdf.multi_cell(
            0, 7 if level <= 1 else 6, text, align="L", new_x="LMARGIN", new_y="NEXT"
        )
        self.pdf.ln(1)
        self.pdf.set_font(SANS, size=10)

    def para(
        self, text: str, *, size: float = 10, bold: bool = False, color: int | tuple = 0
    ) -> None:
        self.pdf.set_font(SANS, "B" if bold else "", size)
        self.pdf.set_text_color(*(color if isinstance(color, tuple) else (color,)))
        self.lines(text, x=self.pdf.l_margin, width=self.width, line_h=size * 0.5)
        self.pdf.set_text_color(0)
        self.pdf.ln(1.5)
        self.pdf.set_font(SANS, size=10)

    def note(self, text: str) -> None:
        self.para(text, size=9, color=(110, 110, 110))

    def warnings(self, texts: Sequence[str]) -> None:
        """Plausibility warnings, each a sentence in dark red beside the figures they qualify."""
        for text in dict.fromkeys(texts):
            self.para(f"Check: {clean_text(text)}", size=9, color=(150, 30, 30))

    def bullet(self, text: str, level: int = 0) -> None:
        indent = 4 + 5 * level
        self.pdf.set_font(SANS, size=10)
        self.ensure(5)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.cell(4, 5, "•")
        x = self.pdf.l_margin + indent + 4
        self.lines(text, x=x, width=self.width - indent - 4, line_h=5)
        self.pdf.ln(0.8)

    def lines(self, text: str, *, x: float, width: float, line_h: float, align: str = "L") -> None:
        """``text`` wrapped to ``width`` at the current font, one ``cell`` per line from ``x``
        (page breaks happen between lines)."""
        for line in self.wrap(text, width):
            self.pdf.set_x(x)
            self.pdf.cell(width, line_h, line, align=align, new_x="LMARGIN", new_y="NEXT")

    def text_width(self, text: str) -> float:
        """Width of ``text`` in mm at the current font, cached by word: fpdf2 sums glyph
        advances without kerning, so a line's width is the sum of its words' widths."""
        pdf = self.pdf
        key = (pdf.font_family, pdf.font_style, pdf.font_size_pt, text)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = pdf.get_string_width(text)
        return width

    def wrap(self, text: str, width: float) -> list[str]:
        """Greedy word wrap of ``text`` (explicit newlines kept) to ``width`` mm.

        Linear in the text's length, where fpdf2's ``multi_cell`` re-measures the whole line
        for every character it adds (quadratic per line): this is what makes a 30-page
        report lay out in a fraction of a second.  A word wider than the line is cut
        between characters.
        """
        space = self.text_width(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line: list[str] = []
            line_width = 0.0
            for word in paragraph.split(" "):
                if not word:
                    continue
                word_width = self.text_width(word)
                if line and line_width + space + word_width <= width:
                    line.append(word)
                    line_width += space + word_width
                    continue
                if line:
                    lines.append(" ".join(line))
                while word_width > width:
                    head = self._longest_prefix(word, width)
                    lines.append(head)
                    word = word[len(head) :]
                    word_width = self.text_width(word)
                line, line_width = [word], word_width
            lines.append(" ".join(line))
        return lines

    def _longest_prefix(self, word: str, width: float) -> str:
        """The longest prefix of ``word`` that fits ``width`` (at least one character)."""
        used = 0.0
        for i, ch in enumerate(word):
            used += self.text_width(ch)
            if used > width:
                return word[: max(i, 1)]
        return word

    def mono(self, text: str, size: float = 8) -> None:
        """Code / JSON on a grey band, one ``cell`` per line (several times faster than
        ``multi_cell``); only lines too wide for the page go through ``multi_cell``."""
        pdf = self.pdf
        pdf.set_font(MONO, size=size)
        pdf.set_fill_color(244, 245, 247)
        line_h, pad = size * 0.45, 1.5
        inner = self.width - 2 * pad
        pdf.cell(self.width, pad, "", fill=True, new_x="LMARGIN", new_y="NEXT")
        for line in text.split("\n"):
            if pdf.get_string_width(line) <= inner:
                pdf.set_x(pdf.l_margin)
                pdf.cell(pad, line_h, "", fill=True)
                pdf.cell(self.width - pad, line_h, line, fill=True, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.multi_cell(
                    self.width,
                    line_h,
                    line,
                    align="L",
                    fill=True,
                    new_x="LMARGIN",
                    new_y="NEXT",
                    wrapmode="CHAR",
                    padding=(0, pad),
                )
        pdf.cell(self.width, pad, "", fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(SANS, size=10)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        headings: Sequence[str] | None = None,
        col_widths: Sequence[float] | None = None,
        align: Sequence[str] | None = None,
        size: float = 9,
    ) -> None:
        """A table with a shaded heading and a rule under every row; ``col_widths`` are
        proportions of the text width.  A row that does not fit on the page moves to the
        next, with the heading repeated; a row taller than a page is split between lines."""
        if not rows:
            return
        ncols = len(headings or rows[0])
        weights = list(col_widths or [1] * ncols)
        widths = [self.width * w / sum(weights) for w in weights]
        aligns = [a[0] for a in (align or ("LEFT",) * ncols)]  # "LEFT" → "L", "RIGHT" → "R"
        self.ensure(20)
        if headings is not None:
            self._table_row([str(h) for h in headings], widths, aligns, size, heading=True)
        for row in rows:
            self._table_row([str(c) for c in row], widths, aligns, size, headings=headings)
        self.pdf.ln(3)
        self.pdf.set_font(SANS, size=10)

    def fit_columns(self, rows: Sequence[Sequence[str]], size: float) -> list[float]:
        """Column widths (mm) for ``rows``: each column as wide as its longest word (in bold,
        as in the heading), and the rest of the text width shared in proportion to the
        columns' mean text width, so key columns stay narrow and prose gets the room."""
        self.pdf.set_font(SANS, "B", size)
        columns = list(zip(*rows, strict=False))
        least = [
            max(self.text_width(word) for cell in col for word in cell.split() or [""])
            + 2 * TABLE_PADDING
            for col in columns
        ]
        want = [sum(self.text_width(cell) for cell in col) / len(col) for col in columns]
        spare = max(0.0, self.width - sum(least))
        self.pdf.set_font(SANS, size=10)
        return [lo + spare * w / (sum(want) or 1) for lo, w in zip(least, want, strict=True)]

    def _table_row(
        self,
        cells: list[str],
        widths: list[float],
        aligns: list[str],
        size: float,
        *,
        heading: bool = False,
        headings: Sequence[str] | None = None,
    ) -> None:
        pdf, pad, line_h = self.pdf, TABLE_PADDING, size * 0.5
        pdf.set_font(SANS, "B" if heading else "", size)
        wrapped = [self.wrap(c, w - 2 * pad) for c, w in zip(cells, widths, strict=True)]
        done = 0
        total = max(len(w) for w in wrapped)
        while done < total:
            fits = int((self.space_left() - 2 * pad) // line_h)
            if fits < total - done and (fits < 1 or (done == 0 and not heading)):
                pdf.add_page()  # the row moves to a new page (or its rest, when split)
                if headings is not None:
                    self._table_row([str(h) for h in headings], widths, aligns, size, heading=True)
                    pdf.set_font(SANS, size=size)
                fits = int((self.space_left() - 2 * pad) // line_h)
            take = min(total - done, max(fits, 1))
            y, x = pdf.get_y(), pdf.l_margin
            height = take * line_h + 2 * pad
            if heading:
                pdf.set_fill_color(*TABLE_HEADING_FILL)
                pdf.rect(x, y, self.width, height, style="F")
            for lines, width, a in zip(wrapped, widths, aligns, strict=True):
                for i, line in enumerate(lines[done : done + take]):
                    pdf.set_xy(x + pad, y + pad + i * line_h)
                    pdf.cell(width - 2 * pad, line_h, line, align=a)
                x += width
            pdf.set_draw_color(*TABLE_RULE)
            pdf.set_line_width(0.2)
            pdf.line(pdf.l_margin, y + height, pdf.l_margin + self.width, y + height)
            pdf.set_xy(pdf.l_margin, y + height)
            done += take

    def images(self, pngs: Sequence[tuple[bytes, str]], max_height: float = 95) -> None:
        """Charts side by side (one: centred), each at its natural size (1 CSS px = 0.3 mm,
        so chart text is the same size in every chart) within its share of the width."""
        gap = 4.0
        slot = (self.width - gap * (len(pngs) - 1)) / len(pngs)
        sizes = []
        for png, _ in pngs:
            w_px, h_px = png_size(png)
            width = min(slot, w_px / PNG_SCALE * MM_PER_CSS_PX)
            height = width * h_px / w_px
            if height > max_height:
                height, width = max_height, max_height * w_px / h_px
            sizes.append((width, height))
        self.ensure(max(h for _, h in sizes) + 2)
        y = self.pdf.get_y()
        total = sum(w for w, _ in sizes) + gap * (len(pngs) - 1)
        x = self.pdf.l_margin + (self.width - total) / 2
        for (png, title), (width, height) in zip(pngs, sizes, strict=True):
            self.pdf.image(io.BytesIO(png), x=x, y=y, w=width, h=height, alt_text=title)
            x += width + gap
        self.pdf.set_y(y + max(h for _, h in sizes) + 3)

    def markdown(self, md: str) -> None:
        for block in markdown_blocks(md):
            if block.kind == "heading":
                self.h2(block.text, level=max(2, block.level))
            elif block.kind == "paragraph":
                self.para(block.text)
            elif block.kind == "bullet":
                self.bullet(block.text, block.level)
            elif block.kind == "math":
                self.pdf.set_font(SANS, size=10)
                self.lines(block.text, x=self.pdf.l_margin, width=self.width, line_h=5.5, align="C")
                self.pdf.ln(1.5)
            elif block.kind == "code":
                self.mono(block.text)
            elif block.kind == "table" and block.rows:
                self.table(
                    block.rows[1:],
                    headings=block.rows[0],
                    col_widths=self.fit_columns(block.rows, size=8),
                    size=8,
                )

    def output(self) -> bytes:
        return bytes(self.pdf.output())


# ─── sections ───────────────────────────────────────────────────────────────────────────


class _Builder:
    def __init__(self, request: ReportRequest):
        self.req = request
        self.scenario = (
            display_text(request.scenario_name, SCENARIO_MAX_CHARS) or "Untitled scenario"
        )
        short = display_text(request.scenario_name, 50) or "Untitled scenario"
        footer = f"{PRODUCT} summary · {short} · {self._date()}"
        self.lay = Layout(footer)
        self.out = ReportOutput(pdf=b"")
        self.used_methodology: list[str] = []
        self.commands: list[tuple[str, str]] = []  # (title, shell command) per included section
        self.used_answers: dict[str, Any] | None = (
            None  # the inputs each shown section was computed from
        )
        self.used_what_if: dict[str, dict[str, Any]] = {}
        self.bench: list[Any] = []
        self.charts = ChartPngs()

    def _date(self) -> str:
        at = self.req.generated_at
        if at.tzinfo is None:
            return at.strftime("%Y-%m-%d %H:%M")
        return at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    def omit(self, title: str, why: str) -> None:
        self.out.notes.append(f"{title}: {why}")

    def section(self, title: str) -> None:
        self.lay.h1(title)
        self.out.sections.append(title)

    # title ------------------------------------------------------------------------------
    def machine(self) -> str:
        if not self.bench:
            return "no benchmark was run in this session"
        dev = self.bench[-1].device
        bits = [clean_text(dev.name, 120), dev.kind]
        if dev.cpu_cores:
            bits.append(f"{dev.cpu_cores} CPU cores")
        if dev.memory_gb:
            bits.append(f"{dev.memory_gb:,.0f} GB")
        if dev.torch_version:
            bits.append(f"torch {clean_text(dev.torch_version, 30)}")
        return " · ".join(bits)

    def _bench_results(self) -> list[Any]:
        from bench.protocol import BenchResult  # pydantic models only: no torch

        results = []
        for i, raw in enumerate(self.req.bench_results):
            try:
                results.append(BenchResult.model_validate(raw))
            except ValidationError as exc:
                self.omit(
                    f"Benchmark run {i + 1}",
                    f"not a valid result ({describe_validation_error(exc)})",
                )
        return results

    def title_page(self, planned: list[str]) -> None:
        pdf, lay = self.lay.pdf, self.lay
        pdf.add_page()
        pdf.set_y(50)
        pdf.set_font(SANS, "B", 30)
        pdf.set_text_color(20, 60, 110)
        pdf.cell(0, 14, PRODUCT, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
        pdf.set_font(SANS, size=13)
        pdf.cell(0, 8, SUBTITLE, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(10)
        pdf.set_font(SANS, "B", 16)
        pdf.multi_cell(0, 8, self.scenario, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        lay.table(
            [
                ("Scenario", self.scenario),
                ("Generated", self._date()),
                ("Benchmark machine", self.machine()),
                (
                    "Report kind",
                    "full (pages never opened use their defaults)"
                    if self.req.full
                    else "session (only the pages opened in this session)",
                ),
            ],
            col_widths=(45, 135),
            size=9.5,
        )
        lay.h2("Contents")
        for title in planned:
            lay.bullet(title)
        if self.out.notes:
            lay.h2("Left out")
            for n in self.out.notes:
                lay.bullet(n)

    # assessment -------------------------------------------------------------------------
    def assessment(self) -> Callable[[], None] | None:
        answers = self.req.answers
        if answers is None and not self.req.full:
            self.omit(ASSESSMENT.title, "no assessment answers given")
            return None
        try:
            api = load_api(ASSESSMENT)
            model = validate_inputs(api.inputs, answers, "assessment answers")
            result = api.evaluate(model)
        except InputError as exc:
            self.omit(ASSESSMENT.title, str(exc))
            return None

        self.commands.append((ASSESSMENT.title, ASSESSMENT.command))
        # the page's own Vega-Lite specs, handed to vl-convert as they are: wrapping them in
        # Altair objects first costs ≈ 0.25 s per trajectory chart (schema-driven from_dict)
        ranges = api.module.assess_ranges(model, result)
        drivers = ("Risk drivers", f"{ASSESSMENT.charts}:drivers_spec", (result,))
        trajectories = [
            (
                f"Cost trajectory, {months} months",
                f"{ASSESSMENT.charts}:trajectory_spec",
                (result, months, ranges),
            )
            for months in TRAJECTORY_MONTHS
        ]
        tornadoes = [
            (
                "What moves the risk score",
                f"{ASSESSMENT.charts}:score_tornado_spec",
                (ranges, result.score),
            ),
            ("What moves the month-36 cost", f"{ASSESSMENT.charts}:cost_tornado_spec", (ranges,)),
        ]
        self.charts.request([drivers, *trajectories, *tornadoes])
        self.used_answers = {
            k: v for k, v in model.model_dump(mode="json").items() if k not in FILE_KEYS
        }

        def render() -> None:
            self.section(ASSESSMENT.title)
            if answers is None:
                self.lay.note(
                    "No answers were given in this session; the questionnaire's defaults are shown."
                )
            self._assessment_body(api, model, result, ranges, drivers, [*trajectories, *tornadoes])
            self.used_methodology.append(ASSESSMENT.methodology)

        return render

    def _assessment_body(
        self,
        api: Api,
        model: BaseModel,
        result: Any,
        ranges: Any,
        drivers_chart: ChartCall,
        trajectory_charts: list[ChartCall],
    ) -> None:
        lay = self.lay
        lay.para(
            f"Risk score: {fmt_value(float(result.score))} / 100 — {clean_text(result.band)}",
            size=15,
            bold=True,
        )
        lay.para(clean_text(result.band_meaning, keep_newlines=True))
        lay.note(clean_text(result.score_meaning))
        lay.table(
            [(str(a), str(b)) for a, b in api.module.key_figures(result, ranges)],
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
        self._figures([drivers_chart], max_height=65)
        lay.note(
            "Trajectories below: the components stacked (base case), the likely band (P10–P90 of "
            "the simulation) and the naive linear line (today's cost × user growth), over 12 and "
            "36 months."
        )
        for chart in trajectory_charts:
            self._figures([chart], max_height=80)
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
                [_recommendation_row(r) for r in recs],
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
        data = {k: v for k, v in model.model_dump(mode="json").items() if k not in FILE_KEYS}
        lay.table(
            field_rows(type(model), data, labels=api.module.OPTION_LABELS),
            headings=("Question", "Answer"),
            col_widths=(110, 70),
            size=8.5,
        )

    def _figures(
        self,
        charts: Sequence[ChartCall],
        max_height: float = 95,
    ) -> None:
        """Render the charts (side by side when several; PNGs cached by function and input);
        a broken chart becomes a note, never a failed report."""
        pngs = []
        for title, chart, args in charts:
            try:
                pngs.append((self.charts.png(chart, args), title))
            except Exception as exc:  # noqa: BLE001 - a broken chart must not sink the report
                self.lay.note(
                    f"{title} chart could not be rendered "
                    f"({type(exc).__name__}: {clean_text(exc, 200)})."
                )
                self.out.notes.append(f"{title} chart: {type(exc).__name__}: {exc}")
        if pngs:
            self.lay.images(pngs, max_height=max_height)

    # what-ifs ---------------------------------------------------------------------------
    def what_if(self, domain: Domain) -> Callable[[], None] | None:
        data = self.req.what_if.get(domain.key)
        if data is None and not self.req.full:
            self.omit(
                domain.title,
                "page not opened in this session (the full report includes it with default inputs)",
            )
            return None
        try:
            api = load_api(domain)
            derive = None
            if domain.from_answers:
                module, _, name = domain.from_answers.partition(":")
                derive = getattr(importlib.import_module(module), name)
            if data is None and derive is not None:
                model = derive(self.req.answers or {})
            else:
                model = validate_inputs(api.inputs, data, f"{domain.title} inputs")
            result = api.evaluate(model)
        except InputError as exc:
            self.omit(domain.title, str(exc))
            return None
        except Exception as exc:  # noqa: BLE001
            self.omit(domain.title, f"could not be computed ({type(exc).__name__}: {exc})")
            return None

        self.commands.append((domain.title, domain.command))
        self.used_what_if[domain.key] = model.model_dump(mode="json")
        chart = (domain.title, f"{domain.charts}:main_chart", (result,))
        ranges = getattr(api.module, domain.ranges)(model) if domain.ranges else None
        tornado = (
            [
                (
                    f"{domain.title}: what moves it",
                    f"{domain.charts}:{domain.tornado}",
                    (ranges, result),
                )
            ]
            if ranges is not None and domain.tornado
            else []
        )
        self.charts.request([chart, *tornado])

        def render() -> None:
            if domain is GREEN_MONEY:
                self.lay.h2(domain.title)
                self.out.sections.append(domain.title)
            else:
                self.section(domain.title)
            if data is None:
                self.lay.note(
                    "Not opened in this session: the page's default inputs are shown"
                    + (" (starting point from the assessment answers)." if derive else ".")
                )
            figures = (
                figures_of(api, result)
                if ranges is None
                else [(str(a), str(b)) for a, b in api.module.key_figures(result, ranges)]
            )
            heading = "Value" if ranges is None else "Value (likely: P10–P90)"
            self.lay.table(figures, headings=("Key result", heading), col_widths=(95, 85), size=9.5)
            # a domain may already print a warning beside the figure it qualifies (a "Note" row)
            beside = {value for _, value in figures}
            self.lay.warnings([w for w in getattr(result, "warnings", ()) if w not in beside])
            if ranges is not None:
                self.lay.note(
                    clean_text(ranges.basis)
                    + f" Likely: P10–P90 of {ranges.samples:,} simulations (seed {ranges.seed})."
                )
            self._figures([chart])
            if tornado:
                self._figures(tornado, max_height=60)
            self.lay.h2("Inputs", level=2)
            self.lay.table(
                field_rows(type(model), model.model_dump(mode="json")),
                headings=("Input", "Value"),
                col_widths=(110, 70),
                size=8.5,
            )
            self.used_methodology.append(domain.methodology)

        return render

    # benchmark --------------------------------------------------------------------------
    def benchmark(self, green: Callable[[], None] | None) -> Callable[[], None] | None:
        if not self.bench and green is None:
            self.omit(
                "Benchmark", "no benchmark was run in this session (run one on the benchmark page)"
            )
            return None
        throughput = self._throughput_chart()
        self.charts.request([throughput])

        def render() -> None:
            self.section("Benchmark and Green Money")
            if self.bench:
                self._bench_runs()
            else:
                self.lay.note(
                    "No benchmark was run in this session; Green Money uses the reference figures."
                )
            self._reference_machines()
            self._figures([throughput])
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
                clean_text(r.model, 40)
                + (" (synthetic weights)" if r.weights == "synthetic" else ""),
                f"{r.mode}, {r.precision}, batch {r.batch_size}",
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
                f"{clean_text(r.model, 40)}: {clean_text(r.trust_note)}"
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
                        f"{clean_text(r.model, 30)} {r.items_per_second:,.1f} items/s"
                        for r in b.runs
                    ),
                )
                for i, b in enumerate(self.bench[:-1])
            ][-5:]
            self.lay.table(
                rows, headings=("Run", "Machine", "Throughput"), col_widths=(12, 50, 118), size=8
            )

    def _reference_machines(self) -> None:
        refs = _reference_machines()
        self.lay.h2("Reference machines (seed 000)", level=2)
        self.lay.table(refs[1:], headings=refs[0], col_widths=(22, 52, 16, 34, 34, 22), size=8)
        self.lay.note(
            "Seed 000 benchmarked 103,000 e-mails; scaling penalty = MiniLM-L6 items/s ÷ e5-base "
            "items/s on the same machine."
        )

    def _throughput_chart(self) -> ChartCall:
        """The latest run beside the reference machines and this session's earlier runs."""
        raws = [b.model_dump(mode="json") for b in self.bench]
        return ("Embedding throughput", f"{GREEN_MONEY.charts}:session_throughput_chart", (raws,))

    # appendix ---------------------------------------------------------------------------
    def appendix(self) -> None:
        self.section("Appendix A · Assumptions, formulas and sources")
        names = list(dict.fromkeys(self.used_methodology))
        titles = dict(methodology.SECTIONS)
        if not names:
            self.lay.note("No computed section is included, so no formula applies.")
        for name in names:
            self.lay.h2(titles[name])
            self.lay.markdown(methodology.load(name))
        self.section("Appendix B · Where the seeds contradict themselves")
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
        self.section("Appendix C · How to reproduce every figure")
        self._reproduce()

    def _reproduce(self) -> None:
        lay = self.lay
        lay.para(
            "Every number in this summary comes from the ScaleRisk calculator; "
            "the same code runs on "
            "the command line. Save the JSON below as scenario.json, then run:"
        )
        lines = [
            "# this summary",
            "python -m calculator report scenario.json -o summary.pdf"
            + (" --full" if self.req.full else ""),
        ]
        if self.used_what_if:
            lines += [
                "# the what-if inputs: one file per page (sizing.json, …) "
                'from scenario.json\'s "what_if"',
                "python -c \"import json; [json.dump(v, open(k + '.json', 'w')) for k, v in "
                "json.load(open('scenario.json'))['what_if'].items()]\"",
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
            "scenario.json — the assessment answers, the scenario name "
            "and the inputs of every what-if "
            "shown (defaults included, so each figure is reproduced exactly):",
            size=9.5,
        )
        shown = self.req.model_copy(
            update={
                "answers": self.used_answers or self.req.answers,
                "what_if": {**self.req.what_if, **self.used_what_if},
            }
        )
        lay.mono(json_listing(answers_file(shown)), size=7.5)

    # driver -----------------------------------------------------------------------------
    def build(self) -> ReportOutput:
        renderers: list[tuple[str, Callable[[], None]]] = []
        self.bench = self._bench_results()
        assessment = self.assessment()
        if assessment:
            renderers.append((ASSESSMENT.title, assessment))
        for domain in WHAT_IFS:
            r = self.what_if(domain)
            if r:
                renderers.append((domain.title, r))
        green = self.what_if(GREEN_MONEY)
        bench = self.benchmark(green)
        if bench:
            renderers.append(("Benchmark and Green Money", bench))
        planned = [t for t, _ in renderers] + [
            "Appendix A · Assumptions, formulas and sources",
            "Appendix B · Where the seeds contradict themselves",
            "Appendix C · How to reproduce every figure",
        ]
        self.title_page(planned)
        for _, render in renderers:
            render()
        self.appendix()
        self.out.pdf = self.lay.output()
        return self.out


TOP_RECOMMENDATIONS = 5
TRAJECTORY_MONTHS = (12, 36)


def _recommendation_row(r: Any) -> tuple[str, ...]:
    """One row of the recommendations table from a ``calculator.risk.Recommendation``."""
    from calculator.mitigation import format_multiple, format_payback

    return (
        clean_text(r.name) + (f" (addresses: {clean_text(r.addresses)})" if r.addresses else ""),
        f"${r.monthly_savings_usd:,.0f}/month",
        format_payback(r.payback_months, r.horizon_months),
        format_multiple(r.roi_multiple),
        f"${r.investment_usd:,.0f}",
        str(r.phase),
    )


def _reference_machines() -> list[tuple[str, ...]]:
    """Header + rows of seed 000's reference machines (``greenmoney.REFERENCE_MACHINES``)."""
    from calculator.greenmoney import REFERENCE_MACHINES as refs

    rows: list[tuple[str, ...]] = [
        ("Machine", "Hardware", "Price", "MiniLM-L6", "e5-base", "Penalty")
    ]
    for m in dict(refs).values():
        ips = m.items_per_second
        also = "".join(
            f" (also quoted {v:g})" for k, v in m.also_quoted.items() if k == "minilm-l6"
        )
        rows.append(
            (
                m.name,
                m.hardware,
                f"${m.price_usd:,.0f}",
                f"{ips.get('minilm-l6', 0):g} items/s{also}",
                f"{ips.get('e5-base', 0):g} items/s",
                f"{m.scaling_penalty():.2f}×" if "minilm-l6" in ips and "e5-base" in ips else "—",
            )
        )
    return rows


FILE_NAME_MAX_CHARS = 200
"""Scenario names longer than this are shortened in the appendix's answers JSON (the
longest ``calculator.risk.Answers.scenario_name`` accepts)."""


def normalised(request: ReportRequest) -> ReportRequest:
    """Move ``scenario_name`` / ``what_if`` carried inside the answers (the answers file
    format) to the request's own fields; the request's own values win."""
    if not request.answers or not any(k in request.answers for k in FILE_KEYS):
        return request
    answers = {k: v for k, v in request.answers.items() if k not in FILE_KEYS}
    carried = request.answers.get("what_if")
    what_if = {**(carried if isinstance(carried, dict) else {}), **request.what_if}
    name = request.scenario_name or request.answers.get("scenario_name") or ""
    return request.model_copy(
        update={"answers": answers, "what_if": what_if, "scenario_name": str(name)}
    )


def answers_file(request: ReportRequest) -> dict[str, Any]:
    """The JSON the CLI's ``report`` command reads back: answers + scenario name + what-ifs."""
    request = normalised(request)
    data: dict[str, Any] = dict(request.answers or {})
    name = request.scenario_name
    data["scenario_name"] = (
        name if len(name) <= FILE_NAME_MAX_CHARS else name[: FILE_NAME_MAX_CHARS - 1] + "…"
    )
    if request.what_if:
        data["what_if"] = {k: request.what_if[k] for k in sorted(request.what_if)}
    return data


FILE_KEYS = ("scenario_name", "what_if")
"""Keys an answers file may carry beside the assessment answers themselves."""


def request_from_answers(
    data: Any,
    *,
    full: bool = False,
    source: str = "answers file",
    generated_at: datetime | None = None,
) -> ReportRequest:
    """A :class:`ReportRequest` from an answers file (with ``scenario_name`` and ``what_if``).

    Every part is validated against its domain model; the first problem raises
    :class:`InputError` with a sentence naming the key at fault.
    """
    if not isinstance(data, dict):
        raise InputError(f"{source} must hold a JSON object, not {type(data).__name__}")
    if "version" in data:  # the scenario format (calculator.scenario)
        from calculator.scenario import parse_scenario

        try:
            scenario = parse_scenario(data)
        except InputError as exc:
            raise InputError(f"{source}: {exc}") from None
        return request_from_scenario(scenario, full=full, generated_at=generated_at)
    answers = dict(data)
    extras = {k: answers.pop(k) for k in FILE_KEYS if k in answers}
    name = extras.get("scenario_name", "")
    if name is None:
        name = ""
    if not isinstance(name, str):
        raise InputError(f"{source}: scenario_name must be a string, not {type(name).__name__}")
    what_if = extras.get("what_if")
    what_if = {} if what_if is None else what_if
    if not isinstance(what_if, dict):
        raise InputError(f"{source}: what_if must be an object mapping page name to its inputs")
    checked: dict[str, dict[str, Any]] = {}
    for key, inputs in what_if.items():
        domain = next((d for d in (*WHAT_IFS, GREEN_MONEY) if d.key == key), None)
        if domain is None:
            raise InputError(
                f"{source}: unknown what_if page {key!r}; known: {', '.join(WHAT_IF_KEYS)}"
            )
        if not isinstance(inputs, dict):
            raise InputError(f"{source}: what_if.{key} must be an object of inputs")
        model = getattr(importlib.import_module(domain.module), domain.inputs)
        checked[key] = validate_inputs(model, inputs, f"{source}: what_if.{key}").model_dump(
            mode="json"
        )
    has_answers = bool(answers)
    if has_answers:
        from calculator.risk import Answers

        dumped = validate_inputs(Answers, answers, source).model_dump(mode="json")
        answers = {k: v for k, v in dumped.items() if k not in FILE_KEYS}
    return ReportRequest(
        scenario_name=name,
        answers=answers if has_answers else None,
        what_if=checked,
        full=full,
        generated_at=generated_at or datetime.now(timezone.utc),
    )


def request_from_scenario(
    scenario: Any, *, full: bool = False, generated_at: datetime | None = None
) -> ReportRequest:
    """A :class:`ReportRequest` from a validated :class:`calculator.scenario.Scenario`."""
    answers = scenario.answers.model_dump(mode="json")
    return ReportRequest(
        scenario_name=scenario.name,
        answers={k: v for k, v in answers.items() if k not in FILE_KEYS},
        what_if=scenario.what_if(),
        full=full,
        generated_at=generated_at or datetime.now(timezone.utc),
    )


def render_report(request: ReportRequest) -> ReportOutput:
    """Build the PDF and say what went in (section titles) and what was left out (notes)."""
    return _Builder(normalised(request)).build()


def build_report(request: ReportRequest) -> bytes:
    """The PDF summary of ``request`` as bytes (starts with ``%PDF-``)."""
    return render_report(request).pdf
