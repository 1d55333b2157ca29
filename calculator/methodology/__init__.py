"""Methodology texts (Markdown with LaTeX), one file per domain, shown on the methodology
page and in the PDF appendix.  Order of :data:`SECTIONS` is the order on the page."""

from __future__ import annotations

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
