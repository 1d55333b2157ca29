"""Green Money: seed 000's five steps from a throughput gap to dollars and a payback period.

Seed 000 ("The Scaling Penalty") turns a benchmark into a budget line:

1. measure the iteration rate (model runs per sprint);
2. benchmark the scaling penalty (small vs large model on the same machine);
3. time saved = iterations × time difference per iteration;
4. dollars = saved hours × loaded hourly rate;
5. payback = hardware price difference ÷ annual savings.

The *current* machine is the one the team has; the *candidate* is the one it may buy.
Minutes saved per iteration come from the two machines' items/s on the same workload
(or are typed in directly, as the seed's worked example does with "15 minutes").

Physical limits (ScaleRisk, issue 11): the time saved can never exceed the time the iterations
actually run on the slower machine; a typed-in saving is capped at the slower machine's minutes
per iteration; one machine cannot run more than the sprint's calendar hours, so only the
iterations that fit are counted; and when the running time exceeds the sprint's working hours
the result says so (the saving is then an upper bound).  Every such limit is a sentence in
:attr:`GreenMoneyResult.notes`, tied to the figure it qualifies.

The reference machines of seed 000 are kept here as cited data (:data:`REFERENCE_MACHINES`).
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, Field, model_validator

from calculator.common import InputModel
from calculator.uncertainty import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    Z90,
    Basis,
    Range,
    TornadoBar,
    Uncertain,
    changed_fields,
    draw,
    quantiles,
    tornado,
    user_spreads,
    validate_spread_paths,
)

WEEKS_PER_YEAR = 52.0
"""Calendar weeks per year; seed 000 counts 26 two-week sprints a year (12.5 h × 26 = 325 h)."""

SECONDS_PER_MINUTE = 60.0
MINUTES_PER_HOUR = 60.0
HOURS_PER_CALENDAR_WEEK = 168.0
"""7 × 24 h: the most one machine can run in a week (a two-week sprint lasts 336 h)."""
DEFAULT_HOURS_PER_WEEK = 40.0
"""Working hours per week of the engineer who waits: a ScaleRisk assumption (seed 000: none)."""


class ReferenceMachine(BaseModel, frozen=True, extra="forbid"):
    """A machine whose embedding throughput is quoted in a source, with its price."""

    name: str = Field(description="Display name.")
    hardware: str = Field(description="What the machine is.")
    price_usd: float = Field(
        ge=0, description="Purchase price quoted in the source.", json_schema_extra={"unit": "USD"}
    )
    items_per_second: dict[str, float] = Field(
        description="Embedding throughput per model (registry name → items/s).",
        json_schema_extra={"unit": "items/s"},
    )
    also_quoted: dict[str, float] = Field(
        default_factory=dict, description="Other figures the source gives for the same measurement."
    )
    source: str = Field(description="Where the figures come from.")

    def scaling_penalty(self, small: str = "minilm-l6", large: str = "e5-base") -> float:
        """Small-model items/s ÷ large-model items/s on this machine (seed 000)."""
        return scaling_penalty(self.items_per_second[small], self.items_per_second[large])


REFERENCE_MACHINES: dict[str, ReferenceMachine] = {
    m.name: m
    for m in (
        ReferenceMachine(
            name="DGX Spark",
            hardware="NVIDIA DGX Spark (GB10 GPU, 128 GB unified memory)",
            price_usd=4000,
            items_per_second={"minilm-l6": 210.0, "e5-base": 208.0},
            source="seed 000 (000_b38cf59b4a03f35e.txt), 'The Setup' and 'What the Data Shows'; "
            "103,000 e-mails embedded",
        ),
        ReferenceMachine(
            name="M2 Pro",
            hardware="Apple M2 Pro (16 GB RAM, MPS acceleration)",
            price_usd=2500,
            items_per_second={"minilm-l6": 117.0, "e5-base": 75.0},
            also_quoted={"minilm-l6": 116.0},
            source="seed 000 (000_b38cf59b4a03f35e.txt), 'The Setup' and 'What the Data Shows'; "
            "MiniLM-L6 quoted as 116 items/s in the prose and 117 items/s in the list (117 used)",
        ),
    )
}
"""Seed 000's two machines.  Scaling penalties: M2 Pro 117/75 = 1.56×, DGX Spark 210/208 = 1.01×."""

SEED_ITEMS = 103_000
"""Items per iteration in seed 000's benchmark (103,000 e-mails)."""


class GreenMoneyInputs(InputModel, frozen=True, extra="forbid"):
    """The five steps' inputs; defaults reproduce seed 000 (M2 Pro → DGX Spark, e5-base)."""

    iterations_per_sprint: int = Field(
        50,
        ge=0,
        le=100_000,
        description="Model runs (experiments) the team executes per sprint. Seed 000: 40–60, 50 "
        "in its example.",
        json_schema_extra={"unit": "runs/sprint", "label": "Iterations per sprint"},
    )
    items_per_iteration: int = Field(
        SEED_ITEMS,
        ge=1,
        le=10_000_000_000,
        description="Items (texts) embedded in one iteration. Seed 000: 103,000 e-mails.",
        json_schema_extra={"unit": "items", "label": "Items per iteration"},
    )
    current_items_per_second: float = Field(
        75.0,
        ge=1e-6,
        le=1e9,
        description="Throughput of the machine you have now on this workload. Seed 000: M2 Pro, "
        "e5-base, 75 items/s.",
        json_schema_extra={"unit": "items/s", "label": "Current machine throughput"},
    )
    candidate_items_per_second: float = Field(
        208.0,
        ge=1e-6,
        le=1e9,
        description="Throughput of the machine you are considering. Seed 000: DGX Spark, e5-base, "
        "208 items/s.",
        json_schema_extra={"unit": "items/s", "label": "Candidate machine throughput"},
    )
    minutes_saved_override: float | None = Field(
        None,
        ge=-1e6,
        le=1e6,
        description="Minutes saved per iteration, typed in directly instead of derived from the "
        "two throughputs "
        "(seed 000's worked example uses a round 15 minutes).",
        json_schema_extra={"unit": "min", "label": "Minutes saved per iteration"},
    )
    sprint_length_weeks: float = Field(
        2.0,
        ge=0.1,
        le=52,
        description="Length of one sprint. Seed 000: 'every two weeks'.",
        json_schema_extra={"unit": "weeks", "label": "Sprint length"},
    )
    sprints_per_year: float = Field(
        26.0,
        ge=0,
        le=365,
        description="Sprints per year; 26 two-week sprints fill 52 weeks (seed 000's 12.5 h → 325 "
        "h/year).",
        json_schema_extra={"unit": "sprints/year", "label": "Sprints per year"},
    )
    hours_per_week: float = Field(
        DEFAULT_HOURS_PER_WEEK,
        gt=0,
        le=HOURS_PER_CALENDAR_WEEK,
        description="Working hours per week of the engineer who waits (ScaleRisk assumption: 40; "
        "seed 000 "
        "gives none). When the iterations run longer than the sprint's working hours, they must "
        "run overnight "
        "or on other machines and the saving is an upper bound.",
        json_schema_extra={"unit": "h/week", "label": "Working hours per week"},
    )
    hourly_rate_usd: float = Field(
        75.0,
        ge=0,
        le=10_000,
        description="Loaded hourly cost of the engineer who waits. Seed 000: $75/h for a "
        "mid-level AI engineer.",
        json_schema_extra={"unit": "USD/h", "label": "Loaded hourly rate"},
    )
    hardware_premium_usd: float = Field(
        1500.0,
        ge=-1e9,
        le=1e9,
        description="Candidate price minus current price. Seed 000: $4,000 DGX Spark − $2,500 M2 "
        "Pro = $1,500.",
        json_schema_extra={"unit": "USD", "label": "Hardware price difference"},
    )
    horizon_weeks: int = Field(
        52,
        ge=1,
        le=520,
        description="How far the savings chart runs.",
        json_schema_extra={"unit": "weeks", "label": "Chart horizon"},
    )
    current_items_per_second_iqr: float | None = Field(
        None,
        ge=0,
        le=1e9,
        description="Interquartile range of the current machine's timed passes (the page sets it "
        "when the figure is a benchmark run); it sets the width of the throughput's range.",
        json_schema_extra={"unit": "items/s", "label": "Current throughput: IQR of the passes"},
    )
    candidate_items_per_second_iqr: float | None = Field(
        None,
        ge=0,
        le=1e9,
        description="Interquartile range of the candidate machine's timed passes (benchmark run).",
        json_schema_extra={"unit": "items/s", "label": "Candidate throughput: IQR of the passes"},
    )
    current_measurement_warning: str | None = Field(
        None,
        max_length=500,
        description="Why the current machine's throughput is not a trustworthy measurement (the "
        "page sets it "
        "when the figure comes from a benchmark run too small or too noisy to trust); repeated "
        "beside the results.",
        json_schema_extra={"label": "Current throughput: measurement warning"},
    )
    candidate_measurement_warning: str | None = Field(
        None,
        max_length=500,
        description="Why the candidate machine's throughput is not a trustworthy measurement (as "
        "above).",
        json_schema_extra={"label": "Candidate throughput: measurement warning"},
    )

    @model_validator(mode="after")
    def _sprints_fit_in_a_year(self) -> GreenMoneyInputs:
        if self.sprint_length_weeks * self.sprints_per_year > WEEKS_PER_YEAR + 1:
            raise ValueError(
                f"{self.sprints_per_year:g} sprints of {self.sprint_length_weeks:g} weeks do not "
                "fit in a year "
                f"({self.sprint_length_weeks * self.sprints_per_year:g} weeks > {WEEKS_PER_YEAR:g})"
            )
        return self


class SavingsPoint(BaseModel, frozen=True):
    """One point of the cumulative-savings chart."""

    week: float = Field(json_schema_extra={"unit": "weeks"})
    cumulative_savings_usd: float = Field(json_schema_extra={"unit": "USD"})
    hardware_premium_usd: float = Field(json_schema_extra={"unit": "USD"})


class FigureNote(BaseModel, frozen=True):
    """A warning sentence and the key figure (its label in :func:`key_figures`) it qualifies."""

    figure: str
    text: str


class GreenMoneyResult(BaseModel, frozen=True):
    """Outputs of the five steps, with the physical limits applied."""

    inputs: GreenMoneyInputs
    current_minutes_per_iteration: float = Field(json_schema_extra={"unit": "min"})
    candidate_minutes_per_iteration: float = Field(json_schema_extra={"unit": "min"})
    slower_minutes_per_iteration: float = Field(
        description="Minutes one iteration takes on the slower of the two machines.",
        json_schema_extra={"unit": "min"},
    )
    minutes_saved_per_iteration: float = Field(
        description="Minutes saved per iteration, capped at the slower machine's minutes per "
        "iteration.",
        json_schema_extra={"unit": "min"},
    )
    minutes_saved_uncapped_per_iteration: float = Field(
        description="The saving before the cap: the throughput difference, or the typed-in figure.",
        json_schema_extra={"unit": "min"},
    )
    speedup: float = Field(
        description="Candidate items/s ÷ current items/s.", json_schema_extra={"unit": "×"}
    )
    sprint_working_hours: float = Field(
        description="Sprint length × working hours per week.", json_schema_extra={"unit": "h"}
    )
    sprint_calendar_hours: float = Field(
        description="Sprint length × 168 h: the most one machine can run in a sprint.",
        json_schema_extra={"unit": "h"},
    )
    slower_machine_hours_per_sprint: float = Field(
        description="Running time of all the sprint's iterations on the slower machine (the "
        "waiting time).",
        json_schema_extra={"unit": "h"},
    )
    iterations_counted_per_sprint: float = Field(
        description="Iterations that fit in the sprint's calendar hours on the slower machine (≤ "
        "iterations).",
        json_schema_extra={"unit": "runs/sprint"},
    )
    hours_saved_uncapped_per_sprint: float = Field(
        description="Iterations × uncapped minutes saved ÷ 60, before any physical limit.",
        json_schema_extra={"unit": "h"},
    )
    hours_saved_per_sprint: float = Field(
        description="Hours saved per sprint, never more than the slower machine's running time "
        "nor the sprint's "
        "calendar hours.",
        json_schema_extra={"unit": "h"},
    )
    capped: bool = Field(
        description="A physical limit lowered the saving (typed minutes or sprint length)."
    )
    fits_working_hours: bool = Field(
        description="The counted iterations run within the sprint's working hours on the slower "
        "machine."
    )
    hours_saved_per_year: float = Field(json_schema_extra={"unit": "h"})
    dollars_saved_per_year: float = Field(json_schema_extra={"unit": "USD"})
    payback_weeks: float | None = Field(
        description="Weeks until savings cover the premium; None when there is no saving (never "
        "pays back).",
        json_schema_extra={"unit": "weeks"},
    )
    series: tuple[SavingsPoint, ...]
    notes: tuple[FigureNote, ...] = Field(
        (), description="Warnings, each tied to the figure it qualifies."
    )
    warnings: tuple[str, ...] = Field((), description="The notes' sentences, in figure order.")


def scaling_penalty(small_items_per_second: float, large_items_per_second: float) -> float:
    """Scaling penalty: how many times slower the larger model runs on the same machine.

    Parameters
    ----------
    small_items_per_second, large_items_per_second : float
        Throughput of the small and the large model on one machine, items/s.

    Returns
    -------
    float
        Ratio ≥ 1 when the large model is slower (1.0 = no penalty).

    Notes
    -----
    $$P = \\frac{r_\\text{small}}{r_\\text{large}}$$

    References
    ----------
    Seed 000, "What the Data Shows": M2 Pro 1.56×, DGX Spark 1.01×.

    Examples
    --------
    >>> round(scaling_penalty(117, 75), 2), round(scaling_penalty(210, 208), 2)
    (1.56, 1.01)
    """
    if small_items_per_second <= 0 or large_items_per_second <= 0:
        raise ValueError("throughputs must be positive")
    return small_items_per_second / large_items_per_second


def minutes_per_iteration(items: int | float, items_per_second: float) -> float:
    """Wall-clock minutes to embed ``items`` at ``items_per_second``.

    Notes
    -----
    $$t = \\frac{N}{r \\cdot 60}$$

    References
    ----------
    Seed 000, "What the Data Shows": 103,000 items at 75 items/s → 22.9 minutes.

    Examples
    --------
    >>> round(minutes_per_iteration(103_000, 75), 2)
    22.89
    """
    return items / items_per_second / SECONDS_PER_MINUTE


def hours_saved_per_sprint(iterations_per_sprint: float, minutes_saved: float) -> float:
    """Step 3: hours of waiting saved per sprint.

    Notes
    -----
    $$H_\\text{sprint} = \\frac{n_\\text{iter} \\cdot \\Delta t}{60}$$

    References
    ----------
    Seed 000, "Step 3" and worked example: 50 × 15 min = 12.5 h.

    Examples
    --------
    >>> hours_saved_per_sprint(50, 15)
    12.5
    """
    return iterations_per_sprint * minutes_saved / MINUTES_PER_HOUR


def cap_minutes_saved(minutes_saved: float, slower_minutes: float) -> float:
    """A saving per iteration limited to what the slower machine's iteration takes.

    Notes
    -----
    $$\\Delta t' = \\max(-t_\\text{slow}, \\min(\\Delta t, t_\\text{slow}))$$ with
    $t_\\text{slow} = \\max(t_\\text{cur}, t_\\text{cand})$:
    no faster machine saves more than the whole iteration, no slower one loses more (ScaleRisk).

    Examples
    --------
    >>> cap_minutes_saved(2000, 22.9), cap_minutes_saved(15, 22.9)
    (22.9, 15)
    """
    return max(-slower_minutes, min(minutes_saved, slower_minutes))


def iterations_that_fit(iterations: float, slower_minutes: float, sprint_hours: float) -> float:
    """Iterations the slower machine can run in a sprint, running day and night.

    Notes
    -----
    $$n' = \\min\\left(n, \\frac{60\\,H_\\text{calendar}}{t_\\text{slow}}\\right)$$ with
    $H_\\text{calendar} = 168\\,\\text{h} \\times$ sprint weeks: one machine cannot run longer than
    the sprint lasts, so a team cannot be doing more iterations than that on it (ScaleRisk).

    Examples
    --------
    >>> iterations_that_fit(50, 22.9, 336)
    50
    >>> round(iterations_that_fit(50, 1555, 336), 2)
    12.96
    """
    return min(iterations, sprint_hours * MINUTES_PER_HOUR / slower_minutes)


def hours_saved_per_year(hours_per_sprint: float, sprints_per_year: float) -> float:
    """Hours saved per year.

    Notes
    -----
    $$H_\\text{year} = H_\\text{sprint} \\cdot s$$

    References
    ----------
    Seed 000, worked example: 12.5 h × 26 sprints = 325 h.

    Examples
    --------
    >>> hours_saved_per_year(12.5, 26)
    325.0
    """
    return hours_per_sprint * sprints_per_year


def dollars_saved_per_year(hours_per_year: float, hourly_rate_usd: float) -> float:
    """Step 4: avoided waiting in dollars per year at the loaded hourly rate.

    Notes
    -----
    $$D = H_\\text{year} \\cdot w$$

    References
    ----------
    Seed 000, "Step 4": 325 h × $75/h = $24,375.

    Examples
    --------
    >>> dollars_saved_per_year(325, 75)
    24375
    """
    return hours_per_year * hourly_rate_usd


def payback_weeks(premium_usd: float, dollars_per_year: float) -> float | None:
    """Step 5: weeks until the annual savings cover the hardware price difference.

    Parameters
    ----------
    premium_usd : float
        Candidate price minus current price, USD (≤ 0: the candidate costs no more).
    dollars_per_year : float
        Savings per year, USD.

    Returns
    -------
    float or None
        Weeks; 0 when the candidate costs no more and saves time; None when there is no
        saving (it never pays back).

    Notes
    -----
    $$T = \\frac{\\Delta p}{D} \\cdot 52\\ \\text{weeks}$$

    References
    ----------
    Seed 000, "Step 5": $1,500 ÷ $24,375/year ≈ 0.062 years ≈ 3.2 weeks ("three weeks").

    Examples
    --------
    >>> round(payback_weeks(1500, 24375), 2)
    3.2
    >>> payback_weeks(1500, 0) is None
    True
    """
    if dollars_per_year <= 0:
        return None
    weeks = max(premium_usd, 0.0) / dollars_per_year * WEEKS_PER_YEAR
    return weeks if math.isfinite(weeks) else None  # a saving too small to measure never pays back


def savings_series(
    dollars_per_year: float, premium_usd: float, horizon_weeks: int
) -> tuple[SavingsPoint, ...]:
    """Cumulative savings week by week, beside the premium, for the payback chart.

    Notes
    -----
    $$S(w) = D \\cdot \\frac{w}{52}$$ for $w = 0 … W$ (savings accrue evenly through the year).

    Examples
    --------
    >>> [round(p.cumulative_savings_usd) for p in savings_series(5200, 100, 2)]
    [0, 100, 200]
    """
    per_week = dollars_per_year / WEEKS_PER_YEAR
    return tuple(
        SavingsPoint(
            week=float(w), cumulative_savings_usd=per_week * w, hardware_premium_usd=premium_usd
        )
        for w in range(horizon_weeks + 1)
    )


def green_money(inputs: GreenMoneyInputs) -> GreenMoneyResult:
    """Run seed 000's five steps within the physical limits.

    Parameters
    ----------
    inputs : GreenMoneyInputs

    Returns
    -------
    GreenMoneyResult

    Notes
    -----
    $$\\Delta t = \\frac{N}{60}\\left(\\frac{1}{r_\\text{cur}} - \\frac{1}{r_\\text{cand}}\\right)$$
    (or the override, capped by :func:`cap_minutes_saved`), then
    $H_\\text{sprint} = n'\\,\\Delta t / 60$ with $n'$ from :func:`iterations_that_fit`, so that
    $H_\\text{sprint} \\le \\min(n\\,t_\\text{slow}/60,\\ 168 \\times \\text{weeks})$; then
    :func:`hours_saved_per_year`, :func:`dollars_saved_per_year`, :func:`payback_weeks`.
    A note is added beside the figure each limit changes, when the running time exceeds the
    sprint's working hours (weeks × hours per week), when a throughput carries a measurement
    warning, and when the payback comes in under a day.

    References
    ----------
    Seed 000, "Step 1" … "Step 5" and the worked example; the limits are ScaleRisk's (issue 11).

    Examples
    --------
    Seed 000's worked example, with its round 15 minutes:

    >>> r = green_money(GreenMoneyInputs(minutes_saved_override=15))
    >>> r.hours_saved_per_sprint, r.hours_saved_per_year, r.dollars_saved_per_year
    (12.5, 325.0, 24375.0)
    >>> round(r.payback_weeks, 1)
    3.2

    The same from the seed's own throughputs (75 → 208 items/s, 103,000 items):

    >>> r = green_money(GreenMoneyInputs())
    >>> round(r.minutes_saved_per_iteration, 2), round(r.dollars_saved_per_year)
    (14.64, 23783)
    >>> round(r.payback_weeks, 2)
    3.28
    """
    n = inputs.iterations_per_sprint
    current = minutes_per_iteration(inputs.items_per_iteration, inputs.current_items_per_second)
    candidate = minutes_per_iteration(inputs.items_per_iteration, inputs.candidate_items_per_second)
    slower = max(current, candidate)
    raw = (
        current - candidate
        if inputs.minutes_saved_override is None
        else inputs.minutes_saved_override
    )
    saved = cap_minutes_saved(raw, slower)
    calendar = inputs.sprint_length_weeks * HOURS_PER_CALENDAR_WEEK
    working = inputs.sprint_length_weeks * inputs.hours_per_week
    counted = iterations_that_fit(n, slower, calendar)
    per_sprint = hours_saved_per_sprint(counted, saved)
    per_year = hours_saved_per_year(per_sprint, inputs.sprints_per_year)
    dollars = dollars_saved_per_year(per_year, inputs.hourly_rate_usd)
    weeks = payback_weeks(inputs.hardware_premium_usd, dollars)
    limits = _Limits(
        inputs=inputs,
        current=current,
        candidate=candidate,
        slower=slower,
        raw=raw,
        saved=saved,
        calendar=calendar,
        working=working,
        counted=counted,
        per_sprint=per_sprint,
        payback=weeks,
    )
    notes = limits.notes()
    return GreenMoneyResult(
        inputs=inputs,
        current_minutes_per_iteration=current,
        candidate_minutes_per_iteration=candidate,
        slower_minutes_per_iteration=slower,
        minutes_saved_per_iteration=saved,
        minutes_saved_uncapped_per_iteration=raw,
        speedup=inputs.candidate_items_per_second / inputs.current_items_per_second,
        sprint_working_hours=working,
        sprint_calendar_hours=calendar,
        slower_machine_hours_per_sprint=hours_saved_per_sprint(n, slower),
        iterations_counted_per_sprint=counted,
        hours_saved_uncapped_per_sprint=hours_saved_per_sprint(n, raw),
        hours_saved_per_sprint=per_sprint,
        capped=saved != raw or counted < n,
        fits_working_hours=limits.run_hours <= working,
        hours_saved_per_year=per_year,
        dollars_saved_per_year=dollars,
        payback_weeks=weeks,
        series=savings_series(dollars, inputs.hardware_premium_usd, inputs.horizon_weeks),
        notes=notes,
        warnings=tuple(note.text for note in notes),
    )


class _Limits(BaseModel, frozen=True):
    """The intermediate figures of :func:`green_money`, turned into plain-language notes."""

    inputs: GreenMoneyInputs
    current: float
    candidate: float
    slower: float
    raw: float
    saved: float
    calendar: float
    working: float
    counted: float
    per_sprint: float
    payback: float | None

    @property
    def run_hours(self) -> float:
        """Running time of the counted iterations on the slower machine."""
        return self.counted * self.slower / MINUTES_PER_HOUR

    @property
    def slower_name(self) -> str:
        return "current" if self.current >= self.candidate else "candidate"

    def notes(self) -> tuple[FigureNote, ...]:
        i = self.inputs
        out: list[FigureNote] = []
        for role, ips, reason in (
            ("current", i.current_items_per_second, i.current_measurement_warning),
            ("candidate", i.candidate_items_per_second, i.candidate_measurement_warning),
        ):
            if reason and reason.strip():
                out.append(
                    FigureNote(
                        figure=MINUTES_SAVED,
                        text=(
                            f"The {role} machine's throughput ({ips:,.1f} items/s) is not a "
                            "trustworthy measurement: "
                            f"{_sentence(reason)} Every figure here rests on it, so treat them as "
                            "provisional until a "
                            "larger, steadier run confirms it."
                        ),
                    )
                )
        if self.saved != self.raw:
            what = "saved" if self.raw > 0 else "lost"
            out.append(
                FigureNote(
                    figure=MINUTES_SAVED,
                    text=(
                        f"You typed {abs(self.raw):,.1f} minutes {what} per iteration, but one "
                        "iteration takes only "
                        f"{self.slower:,.1f} minutes on the slower machine, so no more than that "
                        f"can be {what}: "
                        f"ScaleRisk counts {abs(self.saved):,.1f} minutes."
                    ),
                )
            )
        weeks = f"{i.sprint_length_weeks:g}-week sprint"
        if self.counted < i.iterations_per_sprint:
            needed = i.iterations_per_sprint * self.slower / MINUTES_PER_HOUR
            uncapped = i.iterations_per_sprint * self.raw / MINUTES_PER_HOUR
            out.append(
                FigureNote(
                    figure=HOURS_PER_SPRINT,
                    text=(
                        f"On the {self.slower_name} machine the {i.iterations_per_sprint:,} "
                        "iterations would run for "
                        f"{needed:,.0f} hours, more than the {self.calendar:,.0f} hours a {weeks} "
                        "lasts even day and night, "
                        "so they cannot all happen in one sprint. ScaleRisk counts only the "
                        f"{self.counted:,.1f} iterations that fit, "
                        f"which save {self.per_sprint:,.1f} hours rather than {uncapped:,.0f} "
                        "hours."
                    ),
                )
            )
        if self.run_hours > self.working:
            out.append(
                FigureNote(
                    figure=HOURS_PER_SPRINT,
                    text=(
                        f"These iterations run for {self.run_hours:,.0f} hours on the "
                        f"{self.slower_name} machine, more than "
                        f"the {self.working:,.0f} working hours in a {weeks} "
                        f"({i.hours_per_week:g} hours a week): they have "
                        "to run overnight or on other machines, and nobody waits through all of "
                        "that, so the hours and "
                        f"dollars saved are an upper bound (one engineer's {self.working:,.0f} "
                        "working hours cost "
                        f"${self.working * i.hourly_rate_usd:,.0f} a sprint at "
                        f"${i.hourly_rate_usd:,.0f} an hour)."
                    ),
                )
            )
        if self.payback is not None and 0 < self.payback * 7 < 1:
            out.append(
                FigureNote(
                    figure=PAYBACK,
                    text=(
                        f"The ${i.hardware_premium_usd:,.0f} price difference would be paid back "
                        "in under a day "
                        f"(about {self.payback * HOURS_PER_CALENDAR_WEEK:,.1f} hours): a payback "
                        "that fast usually means an "
                        "input overstates the saving, so check the throughputs and the iterations "
                        "per sprint before "
                        "relying on it."
                    ),
                )
            )
        return tuple(out)


def _sentence(text: str) -> str:
    """``text`` stripped, with a full stop when it has no closing punctuation."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def format_payback(weeks: float | None) -> str:
    """Payback as text in weeks, days, or "under a day"; "immediately"; "never (no time saved)".

    Examples
    --------
    >>> format_payback(3.2), format_payback(0.5), format_payback(0.03)
    ('3.2 weeks', '3.5 days', 'under a day')
    >>> format_payback(0.0), format_payback(None)
    ('immediately', 'never (no time saved)')
    """
    if weeks is None:
        return "never (no time saved)"
    if weeks == 0:
        return "immediately"
    if weeks >= 1:
        return f"{weeks:,.1f} weeks"
    if weeks * 7 >= 1:
        return f"{weeks * 7:,.1f} days"
    return "under a day"


MINUTES_SAVED = "Minutes saved per iteration"
HOURS_PER_SPRINT = "Hours saved per sprint"
RUN_TIME = "Run time, slower machine"
PAYBACK = "Payback"


def figure_rows(result: GreenMoneyResult) -> list[tuple[str, str, tuple[str, ...]]]:
    """Headline results as (label, short value with unit, the notes that qualify it), for the page.

    Examples
    --------
    >>> [(label, value) for label, value, _ in figure_rows(green_money(GreenMoneyInputs()))][2]
    ('Run time, slower machine', '19.1 h')
    """
    figures = [
        (MINUTES_SAVED, f"{result.minutes_saved_per_iteration:,.1f} min"),
        (HOURS_PER_SPRINT, f"{result.hours_saved_per_sprint:,.1f} h"),
        (RUN_TIME, f"{result.slower_machine_hours_per_sprint:,.1f} h"),
        ("Hours saved per year", f"{result.hours_saved_per_year:,.0f} h"),
        ("Savings per year", f"${result.dollars_saved_per_year:,.0f}"),
        (PAYBACK, format_payback(result.payback_weeks)),
    ]
    return [
        (label, value, tuple(n.text for n in result.notes if n.figure == label))
        for label, value in figures
    ]


def range_texts(u: GreenMoneyUncertainty) -> dict[str, str]:
    """Figure label → its likely range ("likely $19,553–$28,590"), for the page, CLI and PDF.

    Examples
    --------
    >>> range_texts(green_money_uncertainty(GreenMoneyInputs(), n=200))[PAYBACK][:7]
    'likely '
    """
    hours, dollars = u.hours_saved_per_sprint, u.dollars_saved_per_year
    out = {
        HOURS_PER_SPRINT: f"likely {hours.p10:,.1f}–{hours.p90:,.1f} h",
        "Savings per year": f"likely ${dollars.p10:,.0f}–${dollars.p90:,.0f}",
        PAYBACK: format_payback_range(u.payback_weeks),
    }
    if 0 < u.share_never_pays_back < 1:
        out[PAYBACK] += f"; never in {u.share_never_pays_back:.0%} of simulations"
    return out


def key_figures(
    result: GreenMoneyResult, ranges: GreenMoneyUncertainty | None = None
) -> list[tuple[str, str]]:
    """Headline results as (label, value with unit), for the PDF and the CLI; every warning
    follows the figure it qualifies as a ("Note", sentence) row; with ``ranges`` each headline
    carries its likely range (P10–P90).

    Examples
    --------
    >>> figures = dict(key_figures(green_money(GreenMoneyInputs(minutes_saved_override=15))))
    >>> figures["Savings per year"]
    '$24,375'
    """
    out: list[tuple[str, str]] = []
    likely = {} if ranges is None else range_texts(ranges)
    for label, value, notes in figure_rows(result):
        out.append((label, f"{value}; {likely[label]}" if label in likely else value))
        out.extend(("Note", text) for text in notes)
    return out


class SeedFigure(BaseModel, frozen=True):
    """A figure seed 000 quotes beside what its own inputs give."""

    claim: str
    quoted: str
    computed: str
    note: str


def seed_roundings() -> tuple[SeedFigure, ...]:
    """Seed 000's quoted figures beside what its own inputs give (page and methodology).

    Examples
    --------
    >>> [f.quoted for f in seed_roundings()][:2]
    ['14.7 min', '15 min']
    """
    ref = REFERENCE_MACHINES
    m2, spark = ref["M2 Pro"].items_per_second, ref["DGX Spark"].items_per_second
    e5_gap = minutes_per_iteration(SEED_ITEMS, m2["e5-base"]) - minutes_per_iteration(
        SEED_ITEMS, spark["e5-base"]
    )
    m2_prose = ref["M2 Pro"].also_quoted["minilm-l6"]
    exact = green_money(GreenMoneyInputs())
    sprint_hours = {
        name: 50 * minutes_per_iteration(SEED_ITEMS, ips["e5-base"]) / MINUTES_PER_HOUR
        for name, ips in (("spark", spark), ("m2", m2))
    }
    rows = (
        (
            "e5-base time difference per 103,000-item iteration",
            "14.7 min",
            f"{e5_gap:.2f} min",
            "22.9 − 8.2 of the rounded times; exact 22.89 − 8.25",
        ),
        (
            "minutes saved per iteration in the worked example",
            "15 min",
            f"{e5_gap:.2f} min",
            "the example rounds 14.64 up to 15",
        ),
        (
            "hours saved per sprint (50 iterations)",
            "12.5 h (and '12 hours' earlier)",
            f"{exact.hours_saved_per_sprint:.1f} h",
            "50 × 15 min = 12.5 h; 50 × 14.64 min = 12.2 h",
        ),
        (
            "50 e5-base iterations: DGX Spark / M2 Pro",
            "~7 h / ~19 h",
            f"{sprint_hours['spark']:.1f} h / {sprint_hours['m2']:.1f} h",
            "rounded to whole hours in the seed",
        ),
        (
            "dollars per year at $75/h, 26 sprints",
            "$24,375 (325 h)",
            f"${exact.dollars_saved_per_year:,.0f} ({exact.hours_saved_per_year:.0f} h)",
            "follows from the rounded 15 min",
        ),
        (
            "payback of the $1,500 premium",
            "three weeks",
            f"{exact.payback_weeks:.2f} weeks (3.2 with 15 min)",
            "$1,500 ÷ $24,375 × 52 = 3.2 weeks",
        ),
        (
            "M2 Pro MiniLM-L6 throughput",
            "117 items/s (list) and 116 items/s (prose)",
            "117 used",
            "103,000 ÷ 117 = 14.67 min, the quoted 14.7",
        ),
        (
            "DGX Spark speed-up on MiniLM-L6",
            "1.80×",
            f"{spark['minilm-l6'] / m2['minilm-l6']:.2f}× (210/117), "
            f"{spark['minilm-l6'] / m2_prose:.2f}× (210/116)",
            "neither throughput gives exactly 1.80",
        ),
        (
            "DGX Spark speed-up on e5-base",
            "2.78×",
            f"{spark['e5-base'] / m2['e5-base']:.2f}× (208/75)",
            "208/75 = 2.773, rounds to 2.77",
        ),
        (
            "scaling penalty M2 Pro / DGX Spark",
            "1.56× / 1.01×",
            f"{ref['M2 Pro'].scaling_penalty():.2f}× / {ref['DGX Spark'].scaling_penalty():.2f}×",
            "117/75 and 210/208; with 116 the M2 Pro penalty is 1.55×",
        ),
    )
    return tuple(SeedFigure(claim=c, quoted=q, computed=v, note=n) for c, q, v, n in rows)


# ---------------------------------------------------------------------------------------
# Ranges (issue 12)
# ---------------------------------------------------------------------------------------

QUOTED_THROUGHPUT_SPREAD = 1.10
"""P90 ÷ median of a throughput known only as one quoted figure (seed 000's machines, a typed
figure): ×/÷ 1.10, the ±10% within which ScaleRisk trusts a measured run's passes
(:mod:`bench.stats`).  ScaleRisk's assumption."""

Z75 = 0.6744897501960817
"""Standard-normal quantile of 0.75: a log-normal's P75 ÷ median = e^(σ·z75)."""

SEED_ITERATIONS = (40.0, 50.0, 60.0)
"""Seed 000: 40–60 model runs per sprint, 50 in its worked example."""

SPREADABLE: tuple[str, ...] = (
    "iterations_per_sprint",
    "items_per_iteration",
    "current_items_per_second",
    "candidate_items_per_second",
    "sprints_per_year",
    "hourly_rate_usd",
    "hardware_premium_usd",
)
"""Inputs a user may mark with a ± spread."""


class GreenMoneyUncertainty(BaseModel, frozen=True, extra="forbid"):
    """Green Money's headlines as P10 / P50 / P90 of a simulation, and what moves them."""

    samples: int
    seed: int
    inputs: tuple[Uncertain, ...]
    hours_saved_per_sprint: Range
    dollars_saved_per_year: Range
    payback_weeks: Range = Field(
        description="Weeks; samples that never pay back count as later than any that do."
    )
    share_never_pays_back: float
    tornado: tuple[TornadoBar, ...] = Field(description="Swings of the dollars saved per year.")
    basis: str


def _throughput_input(role: str, ips: float, iqr: float | None) -> Uncertain:
    """Log-normal around a throughput: from the passes' IQR when measured, else ×/÷ 1.10.

    Notes
    -----
    A measured run's passes give P25 and P75; for a log-normal with median $m$,
    $\\sigma = \\ln\\bigl((m + \\mathrm{IQR}/2) / m\\bigr) / z_{0.75}$ and P10 / P90 =
    $m\\,e^{\\mp 1.2816\\,\\sigma}$.

    Examples
    --------
    >>> u = _throughput_input("current", 100.0, None)
    >>> round(u.low, 2), u.high, u.source
    (90.91, 110.00000000000001, 'assumption')
    """
    label = f"{role.capitalize()} machine's throughput"
    if iqr:
        sigma = math.log((ips + iqr / 2) / ips) / Z75
        factor = math.exp(Z90 * sigma)
        ref = "the benchmark's timed passes (median, IQR)"
        source = "seed range"  # measured spread: shown as "measured" in the basis
    else:
        factor = QUOTED_THROUGHPUT_SPREAD
        ref = "one quoted figure: ×/÷ 1.10 (ScaleRisk)"
        source = "assumption"
    return Uncertain(
        key=f"{role}_items_per_second",
        label=label,
        reference=ref,
        kind="lognormal",
        low=ips / factor,
        base=ips,
        high=ips * factor,
        source=source,
        floor=1e-6,
    )


def uncertain_inputs(
    inputs: GreenMoneyInputs, spreads: dict[str, float] | None = None
) -> list[Uncertain]:
    """Both throughputs, seed 000's 40–60 iterations (when its 50 is kept), the user's spreads."""
    spreads = dict(spreads or {})
    validate_spread_paths(GreenMoneyInputs, spreads)
    unknown = sorted(set(spreads) - set(SPREADABLE))
    if unknown:
        raise ValueError(f"these inputs cannot carry a spread: {', '.join(unknown)}")
    out = [
        _throughput_input(
            role,
            getattr(inputs, f"{role}_items_per_second"),
            getattr(inputs, f"{role}_items_per_second_iqr"),
        )
        for role in ("current", "candidate")
        if f"{role}_items_per_second" not in spreads
    ]
    if (
        inputs.iterations_per_sprint == SEED_ITERATIONS[1]
        and "iterations_per_sprint" not in spreads
    ):
        lo, base, hi = SEED_ITERATIONS
        out.append(
            Uncertain(
                key="iterations_per_sprint",
                label="Iterations per sprint",
                reference="seed 000: 40–60",
                kind="triangular",
                low=lo,
                base=base,
                high=hi,
                source="seed range",
            )
        )
    out += user_spreads(inputs, {k: v for k, v in spreads.items() if v > 0})
    return out


def savings_samples(
    inputs: GreenMoneyInputs, values: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """:func:`green_money`'s hours per sprint, dollars per year and payback weeks on arrays.

    Payback is ``inf`` where a sample saves nothing (it never pays back).
    """

    def get(key: str) -> np.ndarray:
        return np.asarray(values.get(key, getattr(inputs, key)), dtype=float)

    items = get("items_per_iteration")
    current = items / get("current_items_per_second") / SECONDS_PER_MINUTE
    candidate = items / get("candidate_items_per_second") / SECONDS_PER_MINUTE
    slower = np.maximum(current, candidate)
    raw = (
        current - candidate
        if inputs.minutes_saved_override is None
        else np.full_like(slower, inputs.minutes_saved_override)
    )
    saved = np.clip(raw, -slower, slower)
    calendar = inputs.sprint_length_weeks * HOURS_PER_CALENDAR_WEEK
    counted = np.minimum(get("iterations_per_sprint"), calendar * MINUTES_PER_HOUR / slower)
    per_sprint = counted * saved / MINUTES_PER_HOUR
    dollars = per_sprint * get("sprints_per_year") * get("hourly_rate_usd")
    premium = np.maximum(get("hardware_premium_usd"), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weeks = np.where(
            dollars > 0, premium / np.where(dollars > 0, dollars, 1.0) * WEEKS_PER_YEAR, np.inf
        )
    return {"hours_per_sprint": per_sprint, "dollars_per_year": dollars, "payback_weeks": weeks}


def green_money_uncertainty(
    inputs: GreenMoneyInputs,
    spreads: dict[str, float] | None = None,
    n: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> GreenMoneyUncertainty:
    """P10 / P50 / P90 of hours per sprint, dollars per year and payback; tornado; basis.

    Notes
    -----
    Throughputs are log-normal (multiplicative, known to a factor): from a benchmark run's
    passes (median and IQR) or ×/÷ 1.10 around a quoted figure; iterations per sprint
    triangular over seed 000's 40–60 when the seed's 50 is kept; inputs the user marks,
    triangular around the value.  The points are :func:`green_money`'s figures.

    Examples
    --------
    >>> u = green_money_uncertainty(GreenMoneyInputs(), n=500)
    >>> d = u.dollars_saved_per_year
    >>> d.p10 <= d.point <= d.p90
    True
    """
    base = green_money(inputs)
    unc = uncertain_inputs(inputs, spreads)
    s = savings_samples(inputs, draw(unc, n, seed))
    never = ~np.isfinite(s["payback_weeks"])
    payback_point = math.inf if base.payback_weeks is None else base.payback_weeks
    NEVER = 1e308  # noqa: N806 - a finite stand-in for "never", sorted after every real payback
    weeks = np.where(never, NEVER, s["payback_weeks"])
    payback = np.quantile(weeks, [0.1, 0.5, 0.9], method="inverted_cdf")  # no interpolation
    measured = [
        f"the {role} machine's benchmark run, median of its passes"
        for role in ("current", "candidate")
        if getattr(inputs, f"{role}_items_per_second_iqr") is not None
    ]
    changed = [
        c for c in changed_fields(inputs, GreenMoneyInputs()) if not c.endswith("iqr of the passes")
    ]
    marked = [u.label.lower() + " (± spread)" for u in unc if u.source == "your spread"]
    assumed = [
        u.label.lower() + " (×/÷ 1.10 around one quoted figure)"
        for u in unc
        if u.source == "assumption"
    ]
    if any(u.key == "iterations_per_sprint" and u.source == "seed range" for u in unc):
        assumed.append("iterations per sprint (seed 000: 40–60)")
    return GreenMoneyUncertainty(
        samples=n,
        seed=seed,
        inputs=tuple(unc),
        hours_saved_per_sprint=quantiles(s["hours_per_sprint"], base.hours_saved_per_sprint),
        dollars_saved_per_year=quantiles(s["dollars_per_year"], base.dollars_saved_per_year),
        payback_weeks=Range(
            point=payback_point if math.isfinite(payback_point) else NEVER,
            p10=float(payback[0]),
            p50=float(payback[1]),
            p90=float(payback[2]),
        ),
        share_never_pays_back=float(never.mean()),
        tornado=tuple(tornado(lambda v: savings_samples(inputs, v)["dollars_per_year"], unc)),
        basis=Basis(
            assumed=tuple(assumed),
            given=tuple(marked + [c for c in changed if c not in marked]),
            measured=tuple(measured),
        ).sentence(),
    )


def format_payback_range(r: Range) -> str:
    """``"likely 2.9–3.7 weeks"``; ranges that reach "never" say so.

    Examples
    --------
    >>> format_payback_range(Range(point=3.2, p10=2.9, p50=3.2, p90=3.7))
    'likely 2.9 weeks – 3.7 weeks'
    """
    lo = format_payback(r.p10 if r.p10 < 1e300 else None)
    hi = format_payback(r.p90 if r.p90 < 1e300 else None)
    return f"likely {lo}" if lo == hi else f"likely {lo} – {hi}"
