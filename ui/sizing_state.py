"""The sizing page's widgets ↔ :class:`calculator.sizing.SizingInputs` (issue 13).

:func:`widget_state` is the inverse of the page's widget → inputs mapping: the widget values
(and the GPU catalogue row) that make ``pages/sizing.py`` publish the given inputs again.
The page seeds its widgets with it when they are absent (a session restored from a link, a
scenario opened from the library or a file).
"""

from __future__ import annotations

from typing import Any

from calculator.sizing import SizingInputs
from ui.gpu_catalogue import STATE_KEY, catalogue_with
from ui.widgets import clamp, spread_state

K = "w.sizing."
SLIDERS: dict[str, tuple[float, float, float]] = {
    "usable_fraction": (0.05, 1.0, 0.05),
    "availability": (0.05, 1.0, 0.05),
    "mfu": (0.05, 1.0, 0.05),
}
"""(min, max, step) of the page's plain sliders; a value between steps is kept as it is."""
LOG_SLIDERS: dict[str, tuple[int, int, str, float]] = {
    "dataset_tokens": (6, 14, "tokens", 2e9),
    "compute_flops": (15, 27, "FLOP", 1e21),
    "proposal_params": (6, 13, "parameters", 7e9),
    "proposal_tokens": (6, 14, "tokens", 2e9),
}
"""(10-exponent of the first and last step, unit, default) of the log-scale sliders; they
also offer the value they hold, so a scenario's 2.3B stays 2.3B."""


def widget_state(
    inputs: SizingInputs, spreads: dict[str, float], catalogue: list[dict[str, Any]]
) -> dict[str, Any]:
    """Session-state values of the sizing page's widgets that give back ``inputs`` and
    ``spreads``; ``catalogue`` is the session's GPU catalogue (a changed copy is included,
    under ``gpu_catalogue``, when the GPU's peak or price is not the catalogue's).

    Values outside a widget's range are clamped to it (the page then says so).

    >>> s = widget_state(SizingInputs(fit="rule20", compute_mode="none"), {"mfu": 0.2}, [])
    >>> s["w.sizing.fit"], s["w.sizing.compute_mode"], s["w.sizing.spreads.paths"]
    ('rule20', 'none', ['mfu'])
    """
    out: dict[str, Any] = {
        K + "fit": inputs.fit,
        K + "has_data": inputs.dataset_tokens is not None,
        K + "epochs": inputs.epochs,
        K + "compute_mode": inputs.compute_mode,
        K + "gpu": inputs.gpu_name,
        K + "gpu_count": inputs.gpu_count,
        K + "hours": inputs.hours,
        K + "has_proposal": inputs.proposal_params is not None,
        K + "purpose": inputs.purpose,
        K + "proposal_all_data": inputs.proposal_tokens is None,
        **spread_state(K + "spreads.paths", K + "spreads.size", spreads),
    }
    for name, (lo, hi, _) in SLIDERS.items():
        out[K + name] = clamp(getattr(inputs, name), lo, hi)
    for name, (lo_exp, hi_exp, _, _) in LOG_SLIDERS.items():
        value = getattr(inputs, name)
        if value is not None:
            out[K + name] = clamp(value, 10.0**lo_exp, 10.0**hi_exp)
    rows = catalogue_with(
        catalogue,
        inputs.gpu_name,
        {"bf16_tflops": inputs.gpu_peak_tflops, "usd_per_hour": inputs.gpu_usd_per_hour},
    )
    if rows is not None:
        out[STATE_KEY] = rows
    return out
