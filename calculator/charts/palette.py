"""One colour per series, the same in every chart (no streamlit, no Altair: plain data).

A series is named by the label a reader sees in a legend ("This machine", "Phase 2: Model
optimization", "LoRA"); :func:`colour` maps the name to its colour and :func:`scale` turns a
list of names into a Vega-Lite colour scale, so the page's charts and the PDF's colour a
series alike: this run is red in the throughput chart and in the scaling-penalty chart, phase
2 is the same blue in the cumulative-savings chart and in the ROI ranking.

Names outside the table (past runs, a user's machine) get a colour from :data:`EXTRA`
chosen by a hash of the name, so the same name is the same colour in every chart and every
process (no dependence on the order in which charts meet it).

Examples
--------
>>> colour("This machine") == colour("this run") == THIS_RUN
True
>>> colour("Phase 2") == colour("Phase 2: Model optimization")
True
>>> scale(["low", "high"])
{'domain': ['low', 'high'], 'range': ['#2e7d32', '#ef6c00']}
>>> colour("Run 3 this session") == colour("Run 3 this session") in EXTRA
True
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

THIS_RUN = "#d62728"
"""The benchmark just run on this machine: red, wherever it is drawn."""

LOW_END, HIGH_END = "#1565c0", "#c62828"
"""A headline with an uncertain input at its low end (blue) and at its high end (red)."""

BANDS: dict[str, str] = {
    "low": "#2e7d32",
    "elevated": "#f9a825",
    "high": "#ef6c00",
    "critical": "#b71c1c",
}
"""Risk bands of the score (seed 001 §7)."""

COMPONENTS: dict[str, str] = {
    "inference": "#1565c0",
    "storage": "#6a1b9a",
    "training": "#00838f",
    "operations": "#8d6e63",
}
"""Cost components of the assessment's trajectories."""

MACHINES: dict[str, str] = {
    "This machine": THIS_RUN,
    "this run": THIS_RUN,
    "DGX Spark (seed 000)": "#424242",
    "M2 Pro (seed 000)": "#9e9e9e",
    "reference (seed 000)": "#757575",
    "past run": "#1f77b4",
}
"""Benchmark machines (and the sources they come from): this run red, seed 000's reference
machines in greys, past runs in blues (:data:`EXTRA`)."""

PHASES: dict[str, str] = {
    "Phase 1": "#1b5e20",
    "Phase 2": "#1976d2",
    "Phase 3": "#ef6c00",
    "Phase 4": "#8e24aa",
    "Plan": "#212121",
}
"""Mitigation phases (seed 001 §5) and the plan: a phase's colour does not depend on whether
its chart names it "Phase 2" or "Phase 2: Model optimization"."""

METHODS: dict[str, str] = {
    "Full fine-tuning": "#5d4037",
    "LoRA": "#00897b",
    "QLoRA": "#7cb342",
}
"""Fine-tuning methods."""

MEMORY: dict[str, str] = {
    "Weights": "#3949ab",
    "Gradients": "#e53935",
    "Optimizer states": "#fb8c00",
    "LoRA adapters (weights + gradients)": "#00897b",
    "Adapter optimizer states": "#80cbc4",
    "Activations": "#8e24aa",
    "Framework overhead": "#9e9e9e",
}
"""Memory components of a fine-tune (per GPU)."""

TIME_PARTS: dict[str, str] = {
    "Compute": "#546e7a",
    "Waiting for the interconnect": "#e65100",
}
"""Parts of a fine-tune's wall time."""

FITS: dict[str, str] = {
    "20 tokens per parameter (seed 002)": "#616161",
    "Hoffmann et al. 2022, approach 3": "#d81b60",
    "Besiroglu et al. 2024 (replication)": "#1e88e5",
}
"""Scaling-law fits of the sizing page (by their labels in :data:`calculator.sizing.FITS`)."""

BUDGETS: dict[str, str] = {
    "0.1× budget": "#90caf9",
    "budget": "#1e88e5",
    "10× budget": "#0d47a1",
}
"""Iso-FLOP curves at 0.1×, 1× and 10× the compute budget: light to dark, one hue."""

GREEN_MONEY: dict[str, str] = {
    "Cumulative savings": "#2e7d32",
    "Hardware premium": "#c62828",
}
"""The Green Money chart's two lines."""

EXTRA = ("#1f77b4", "#17becf", "#3f51b5", "#0097a7", "#5c6bc0", "#4fc3f7", "#283593", "#26a69a")
"""Colours for names outside the table (past runs, machines from the history), by hash."""

TABLE: dict[str, str] = {
    **BANDS,
    **COMPONENTS,
    **MACHINES,
    **PHASES,
    **METHODS,
    **MEMORY,
    **TIME_PARTS,
    **FITS,
    **BUDGETS,
    **GREEN_MONEY,
}
"""Every named series and its colour."""

_PREFIX = re.compile(r"^(Phase \d+)\b|^(0\.1× budget|10× budget|budget)\b")


def colour(name: str) -> str:
    """The colour of series ``name``: its own, its prefix's ("Phase 2: …" → "Phase 2",
    "budget (1.2e21 FLOP)" → "budget"), else a stable one from :data:`EXTRA`.

    Examples
    --------
    >>> colour("10× budget (1.21e22 FLOP)") == BUDGETS["10× budget"]
    True
    """
    if name in TABLE:
        return TABLE[name]
    match = _PREFIX.match(name)
    if match:
        return TABLE[match.group(1) or match.group(2)]
    return EXTRA[zlib.crc32(name.encode()) % len(EXTRA)]


def scale(names: Iterable[str]) -> dict[str, list[str]]:
    """A Vega-Lite colour scale (``{"domain", "range"}``) giving each of ``names`` (in legend
    order, duplicates dropped) its :func:`colour`."""
    domain = list(dict.fromkeys(names))
    return {"domain": domain, "range": [colour(n) for n in domain]}
