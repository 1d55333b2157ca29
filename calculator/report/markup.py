"""The methodology texts' Markdown and LaTeX as blocks and plain Unicode text for the PDF
(no TeX engine: simple math reads as ``C_ops = k_4 × (u · m)^β``).

Only for our own texts: user text is never parsed as markup (:mod:`calculator.report.text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


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
