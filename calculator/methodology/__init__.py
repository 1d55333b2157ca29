"""Methodology texts (Markdown with LaTeX), one file per domain, shown on the methodology
page and in the PDF appendix.  Order of :data:`SECTIONS` is the order on the page."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

SECTIONS: tuple[tuple[str, str], ...] = (
    ("assessment", "Scalability risk assessment"),
    ("sizing", "Compute-optimal sizing"),
    ("finetune", "Fine-tuning: full vs LoRA vs QLoRA"),
    ("mitigation", "Mitigation-phase ROI"),
    ("benchmark", "Live benchmark and Green Money"),
    ("inconsistencies", "Where the seeds contradict themselves"),
)


def load(name: str) -> str | None:
    """Markdown of section ``name`` or None when it has not been written."""
    path = resources.files(__package__) / f"{name}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


AFFECTS = {
    "Assessment": "assessment",
    "Sizing": "sizing",
    "Fine-tuning": "finetune",
    "Mitigation ROI": "mitigation",
    "Benchmark": "benchmark",
}
"""Names in the inconsistencies table's *Affects* column → the section (key of SECTIONS)."""


def inconsistencies(shown: Iterable[str]) -> str | None:
    """The seed-inconsistencies text with only the table rows whose *Affects* column names
    one of the ``shown`` sections (the PDF lists those that affect the numbers it shows);
    None when no row applies.

    >>> text = inconsistencies(["sizing"])
    >>> [line.split("|")[2].strip() for line in text.splitlines() if line.startswith("| 0")]
    ['Sizing']
    >>> inconsistencies([]) is None
    True
    """
    shown = set(shown)
    lines = load("inconsistencies").splitlines()
    kept, rows = [], 0
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        is_row = line.startswith("|") and not set(line) <= set("|- ") and cells[0] != "Seed"
        if is_row:
            sections = {AFFECTS[name.strip()] for name in cells[1].split(",")}
            if not sections & shown:
                continue
            rows += 1
        kept.append(line)
    return "\n".join(kept) if rows else None
