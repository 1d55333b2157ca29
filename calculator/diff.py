"""What changed between two scenarios: score, drivers, costs, top actions — and the gates.

The engine behind ``python -m calculator diff BASE.json NEW.json`` (a scaling review as a
pull-request check, after Infracost's usage-file + CI-comment workflow).  Both sides are
evaluated by the same engines as the pages (:func:`calculator.risk.assess`, the forecast);
nothing here computes a figure of its own except the differences.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from calculator.common import COMPONENTS
from calculator.risk import Assessment, assess
from calculator.scenario import Scenario

COST_MONTHS: tuple[int, ...] = (12, 36)
"""Months whose monthly cost is compared (seed 001 §7's two trajectories)."""


class Change(BaseModel, frozen=True, extra="forbid"):
    """One figure on both sides."""

    label: str
    base: float | None
    new: float | None
    unit: str = Field(description="'points', 'USD/month', …")

    @property
    def delta(self) -> float | None:
        """new − base (None when a side lacks the figure)."""
        return None if self.base is None or self.new is None else self.new - self.base

    @property
    def relative(self) -> float | None:
        """(new − base) ÷ base, None when undefined."""
        d = self.delta
        return None if d is None or not self.base else d / self.base


class Gate(BaseModel, frozen=True, extra="forbid"):
    """A phase-gate threshold and whether it tripped."""

    name: str
    threshold: float
    value: float
    tripped: bool


class ScenarioDiff(BaseModel, frozen=True, extra="forbid"):
    """Both scenarios' headlines and the differences."""

    base_name: str
    new_name: str
    score: Change
    band: tuple[str, str]
    drivers: list[Change]
    costs: list[Change] = Field(description="Per component and total, at months 12 and 36.")
    actions: tuple[tuple[str, ...], tuple[str, ...]] = Field(
        description="Top recommended actions, base and new."
    )
    answers_changed: list[str] = Field(description="Dotted paths of answers that differ.")
    gates: list[Gate] = Field(default_factory=list)

    @property
    def tripped(self) -> bool:
        """True when any gate tripped (exit status 1)."""
        return any(g.tripped for g in self.gates)


def _month_cost(result: Assessment, component: str, month: int) -> float:
    t = result.forecast.trajectories["base"]
    if component == "total":
        return sum(t[c][month] for c in COMPONENTS)
    return t[component][month]


def _changed_paths(a: object, b: object, prefix: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b)):
            out += _changed_paths(a.get(key), b.get(key), f"{prefix}{key}.")
        return out
    return [] if a == b else [prefix.rstrip(".")]


def diff(
    base: Scenario,
    new: Scenario,
    fail_if_score_rises: float | None = None,
    fail_if_cost_rises_pct: float | None = None,
) -> ScenarioDiff:
    """Compare two scenarios.

    Parameters
    ----------
    base, new : the scenarios (the old one first).
    fail_if_score_rises : gate — trips when the score rises by more than this many points.
    fail_if_cost_rises_pct : gate — trips when the total monthly cost in month 36 rises by more
        than this many percent.

    Examples
    --------
    >>> from calculator.presets import PRESETS
    >>> from calculator.scenario import from_answers
    >>> d = diff(from_answers(PRESETS["Linear-scaling archetype"]),
    ...          from_answers(PRESETS["Exponential archetype"]), fail_if_score_rises=10)
    >>> round(d.score.delta, 1), d.tripped
    (92.0, True)
    """
    a, b = assess(base.answers), assess(new.answers)
    drivers = {d.name: [d.points, None] for d in a.drivers}
    for d in b.drivers:
        drivers.setdefault(d.name, [None, None])[1] = d.points
    costs = [
        Change(
            label=f"{c} in month {m}",
            base=_month_cost(a, c, m),
            new=_month_cost(b, c, m),
            unit="USD/month",
        )
        for m in COST_MONTHS
        for c in (*COMPONENTS, "total")
    ]
    score = Change(label="Risk score", base=a.score, new=b.score, unit="points")
    gates = []
    if fail_if_score_rises is not None:
        gates.append(
            Gate(
                name="score rise (points)",
                threshold=fail_if_score_rises,
                value=score.delta or 0.0,
                tripped=(score.delta or 0.0) > fail_if_score_rises,
            )
        )
    if fail_if_cost_rises_pct is not None:
        total = next(c for c in costs if c.label == f"total in month {max(COST_MONTHS)}")
        rise = 100 * (total.relative or 0.0)
        gates.append(
            Gate(
                name=f"total monthly cost rise in month {max(COST_MONTHS)} (%)",
                threshold=fail_if_cost_rises_pct,
                value=rise,
                tripped=rise > fail_if_cost_rises_pct,
            )
        )
    return ScenarioDiff(
        base_name=base.name or "base",
        new_name=new.name or "new",
        score=score,
        band=(a.band, b.band),
        drivers=sorted(
            (Change(label=n, base=p[0], new=p[1], unit="points") for n, p in drivers.items()),
            key=lambda c: -abs((c.new or 0.0) - (c.base or 0.0)),
        ),
        costs=costs,
        actions=(
            tuple(r.name for r in a.recommendations[:3]),
            tuple(r.name for r in b.recommendations[:3]),
        ),
        answers_changed=_changed_paths(
            base.answers.model_dump(mode="json"), new.answers.model_dump(mode="json")
        ),
        gates=gates,
    )


def _money(x: float | None) -> str:
    return "—" if x is None else f"${x:,.0f}"


def _points(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def _signed(change: Change) -> str:
    d = change.delta
    if d is None:
        return "new" if change.base is None else "gone"
    text = f"{'+' if d >= 0 else '−'}${abs(d):,.0f}" if change.unit == "USD/month" else f"{d:+.1f}"
    rel = change.relative
    return text + (
        f" ({100 * rel:+.0f}%)" if rel is not None and change.unit == "USD/month" else ""
    )


def to_markdown(d: ScenarioDiff) -> str:
    """A ready pull-request comment: headline, costs, drivers, actions, gates."""
    lines = [
        f"### ScaleRisk: {d.base_name} → {d.new_name}",
        "",
        f"**Risk score {_points(d.score.base)} → {_points(d.score.new)}** ({_signed(d.score)}; "
        f"{d.band[0]} → {d.band[1]})",
        "",
        "| Monthly cost | "
        + d.base_name.replace("|", "/")
        + " | "
        + d.new_name.replace("|", "/")
        + " | Change |",
        "|---|---:|---:|---:|",
        *[
            f"| {c.label} | {_money(c.base)} | {_money(c.new)} | {_signed(c)} |"
            for c in d.costs
            if c.label.startswith("total") or c.delta
        ],
        "",
        "| Driver (points) | Base | New | Change |",
        "|---|---:|---:|---:|",
        *[
            f"| {c.label} | {_points(c.base)} | {_points(c.new)} | {_signed(c)} |"
            for c in d.drivers
            if c.delta != 0
        ][:8],
        "",
        f"Top actions: {', '.join(d.actions[0]) or '—'} → {', '.join(d.actions[1]) or '—'}",
        f"Answers changed: {', '.join(d.answers_changed) or 'none'}",
    ]
    for g in d.gates:
        lines.append(
            f"{'❌' if g.tripped else '✅'} Gate {g.name}: {g.value:+.1f} (limit {g.threshold:g})"
        )
    return "\n".join(lines)


def to_text(d: ScenarioDiff) -> str:
    """Plain text for a terminal."""
    lines = [
        f"{d.base_name} → {d.new_name}",
        f"Risk score: {_points(d.score.base)} → {_points(d.score.new)} ({_signed(d.score)}; "
        f"{d.band[0]} → {d.band[1]})",
        "Monthly cost:",
        *[
            f"  {c.label:<26} {_money(c.base):>14} → {_money(c.new):>14}  {_signed(c)}"
            for c in d.costs
        ],
        "Drivers that moved (points):",
        *[
            f"  {c.label:<40} {_points(c.base):>6} → {_points(c.new):>6}  {_signed(c)}"
            for c in d.drivers
            if c.delta != 0
        ],
        f"Top actions: {', '.join(d.actions[0]) or '—'} → {', '.join(d.actions[1]) or '—'}",
        f"Answers changed: {', '.join(d.answers_changed) or 'none'}",
    ]
    lines += [
        f"Gate {g.name}: {g.value:+.1f} (limit {g.threshold:g}) — "
        f"{'TRIPPED' if g.tripped else 'ok'}"
        for g in d.gates
    ]
    return "\n".join(lines)


def to_json(d: ScenarioDiff) -> dict:
    """The ``--json`` object (deltas included)."""

    def change(c: Change) -> dict:
        return {**c.model_dump(), "delta": c.delta, "relative": c.relative}

    return {
        "base": d.base_name,
        "new": d.new_name,
        "score": change(d.score),
        "band": {"base": d.band[0], "new": d.band[1]},
        "drivers": [change(c) for c in d.drivers],
        "costs": [change(c) for c in d.costs],
        "actions": {"base": list(d.actions[0]), "new": list(d.actions[1])},
        "answers_changed": d.answers_changed,
        "gates": [g.model_dump() for g in d.gates],
        "tripped": d.tripped,
    }
