"""The Green Money widgets (benchmark page) ↔ :class:`calculator.greenmoney.GreenMoneyInputs`.

The page compares two machines' throughputs on one workload model.  Each machine offers a
:class:`Figure` per model — quoted by seed 000, or measured by a benchmark run (with the
run's IQR and, when it is not trusted, why) — or a typed figure (:data:`CUSTOM`).
:func:`figure_of` is that choice → inputs step; :func:`widget_state` is the inverse of the
whole widget → inputs mapping (issue 13), used to seed the widgets when they are absent (a
session restored from a link, a scenario opened from the library or a file).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bench.protocol import RunResult
from calculator.greenmoney import GreenMoneyInputs
from ui.widgets import spread_state

K = "w.green_money."
CUSTOM = "Custom throughput"
DEFAULT_WORKLOAD = "e5-base"
DEFAULT_MACHINES = {"current": "M2 Pro (seed 000)", "candidate": "DGX Spark (seed 000)"}
NUMBERS = (
    "iterations_per_sprint",
    "items_per_iteration",
    "sprint_length_weeks",
    "sprints_per_year",
    "hours_per_week",
    "hourly_rate_usd",
    "hardware_premium_usd",
    "horizon_weeks",
)
"""Fields whose widget key is ``w.green_money.<field>`` and whose value goes in unchanged."""


class Figure(NamedTuple):
    """One machine's throughput on one model, as Green Money's inputs take it."""

    items_per_second: float
    iqr: float | None = None
    warning: str | None = None


def measured_figure(run: RunResult) -> Figure:
    """A benchmark run's figure: its median, its passes' IQR, and why it is not trusted.

    >>> run = RunResult(model="m", weights="pretrained", mode="reference", precision="fp32",
    ...                 batch_size=8, items=100, items_per_second=3.3, tokens_per_second=800.0,
    ...                 p50_batch_ms=1.0, p95_batch_ms=1.0)
    >>> measured_figure(run).warning is not None  # one pass: not trusted
    True
    """
    warning = None if run.trusted else (run.trust_note or "measured in a single pass.")
    return Figure(run.items_per_second, run.items_per_second_iqr, warning)


def inputs_figure(inputs: GreenMoneyInputs, role: str) -> Figure:
    """The figure ``inputs`` carry for ``role`` ("current" or "candidate")."""
    return Figure(
        getattr(inputs, f"{role}_items_per_second"),
        getattr(inputs, f"{role}_items_per_second_iqr"),
        getattr(inputs, f"{role}_measurement_warning"),
    )


def _pick(
    table: dict[str, dict[str, Figure]], workload: str, role: str, wanted: Figure
) -> str | None:
    """The machine (its default first) whose figure on ``workload`` is ``wanted``."""
    order = [DEFAULT_MACHINES[role], *(m for m in table if m != DEFAULT_MACHINES[role])]
    return next((m for m in order if table.get(m, {}).get(workload) == wanted), None)


def widget_state(
    inputs: GreenMoneyInputs,
    spreads: dict[str, float],
    table: dict[str, dict[str, Figure]],
    workloads: list[str],
) -> dict[str, Any]:
    """Session-state values of the Green Money widgets that give back ``inputs`` and
    ``spreads``.  ``table`` is machine → model → :class:`Figure` (what the page offers);
    ``workloads`` the models it offers.  The workload and machines are the first (the
    default workload first) whose figures are the inputs' throughputs; a throughput no machine
    offers becomes a typed one (:data:`CUSTOM`), which carries no IQR or warning.

    >>> table = {"A": {"e5-base": Figure(3.3)}, "B": {"e5-base": Figure(208.0)}}
    >>> s = widget_state(GreenMoneyInputs(current_items_per_second=3.3,
    ...     candidate_items_per_second=99.0), {}, table, ["e5-base"])
    >>> s["w.green_money.current"], s["w.green_money.candidate"]
    ('A', 'Custom throughput')
    """
    wanted = {role: inputs_figure(inputs, role) for role in DEFAULT_MACHINES}
    order = [DEFAULT_WORKLOAD, *(w for w in workloads if w != DEFAULT_WORKLOAD)]
    order = [w for w in order if w in workloads]
    best: tuple[int, str, dict[str, str | None]] | None = None
    for workload in order:
        picks = {role: _pick(table, workload, role, wanted[role]) for role in wanted}
        found = sum(p is not None for p in picks.values())
        if best is None or found > best[0]:
            best = (found, workload, picks)
        if found == len(wanted):
            break
    out: dict[str, Any] = {K + name: getattr(inputs, name) for name in NUMBERS} | spread_state(
        K + "spreads.paths", K + "spreads.size", spreads
    )
    if best is not None:
        _, workload, picks = best
        out[K + "model"] = workload
        for role, machine in picks.items():
            out[K + role] = machine or CUSTOM
            out[f"{K}{role}_items_per_second"] = wanted[role].items_per_second
    out[K + "use_override"] = inputs.minutes_saved_override is not None
    if inputs.minutes_saved_override is not None:
        out[K + "minutes_saved"] = inputs.minutes_saved_override
    return out
