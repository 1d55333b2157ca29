"""The mitigation page's widgets ↔ :class:`calculator.mitigation.MitigationInputs` (issue 13).

:func:`widget_state` is the inverse of the page's widget → inputs mapping: the widget values
and the action table's rows that make ``pages/mitigation.py`` publish the given inputs again.
The page seeds its widgets with it when they are absent (a session restored from a link, a
scenario opened from the library or a file).
"""

from __future__ import annotations

from typing import Any

from calculator import mitigation as mt
from calculator.common import COMPONENTS
from ui.widgets import spread_state

K = "w.mitigation."
TABLE = "mitigation.table"
"""Last valid rows of the action table (plain session state, not a widget)."""
VALID = "mitigation.valid"
REASONS = "mitigation.reasons"
"""Action id → why it does not apply, for actions the assessment does not explain itself."""
SOURCE_ASSESSMENT, SOURCE_MANUAL = "From the risk assessment", "Enter here"
STAGES = ["design", "pilot", "production"]


def from_assessment(inputs: mt.MitigationInputs, base: mt.MitigationInputs | None) -> bool:
    """True when ``inputs``' starting point is the assessment's (``base``, from its answers)."""
    return base is not None and (
        inputs.current_monthly_cost,
        inputs.projected_monthly_cost,
        inputs.growth_horizon_months,
    ) == (base.current_monthly_cost, base.projected_monthly_cost, base.growth_horizon_months)


def widget_state(
    inputs: mt.MitigationInputs, spreads: dict[str, float], base: mt.MitigationInputs | None
) -> dict[str, Any]:
    """Session-state values of the mitigation page's widgets and action table that give back
    ``inputs`` and ``spreads``.  ``base`` is the starting point the session's assessment
    answers give (None when they cannot be used): when ``inputs`` start from it, the page's
    starting point is the assessment, else the figures are entered on the page.

    >>> s = widget_state(mt.MitigationInputs(stage="design"), {}, None)
    >>> s["w.mitigation.source"], s["w.mitigation.stage"], len(s["mitigation.table"])
    ('Enter here', 'design', 15)
    """
    rows = mt.actions_to_rows(inputs.actions, inputs.selected, tuple(inputs.not_applicable))
    out: dict[str, Any] = {
        K + "source": SOURCE_ASSESSMENT if from_assessment(inputs, base) else SOURCE_MANUAL,
        K + "growth_months": inputs.growth_horizon_months,
        K + "stage": inputs.stage,
        K + "horizon_months": inputs.horizon_months,
        K + "discount_rate": inputs.discount_rate_annual,
        K + "after_growth": inputs.after_growth,
        K + "loaded_cost": inputs.loaded_cost_per_fte_usd,
        TABLE: rows,
        VALID: rows,
        REASONS: dict(inputs.not_applicable),
        **spread_state(K + "spreads.paths", K + "spreads.size", spreads),
    }
    for c in COMPONENTS:
        out[f"{K}current.{c}"] = getattr(inputs.current_monthly_cost, c)
        out[f"{K}projected.{c}"] = getattr(inputs.projected_monthly_cost, c)
    return out
