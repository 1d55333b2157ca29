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

The reference machines of seed 000 are kept here as cited data (:data:`REFERENCE_MACHINES`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

WEEKS_PER_YEAR = 52.0
"""Calendar weeks per year; seed 000 counts 26 two-week sprints a year (12.5 h × 26 = 325 h)."""

SECONDS_PER_MINUTE = 60.0
MINUTES_PER_HOUR = 60.0


class ReferenceMachine(BaseModel, frozen=True, extra="forbid"):
    """A machine whose embedding throughput is quoted in a source, with its price."""

    name: str = Field(description="Display name.")
    hardware: str = Field(description="What the machine is.")
    price_usd: float = Field(ge=0, description="Purchase price quoted in the source.", json_schema_extra={"unit": "USD"})
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
"""Seed 000's two machines.  Their scaling penalties: M2 Pro 117/75 = 1.56×, DGX Spark 210/208 = 1.01×."""

SEED_ITEMS = 103_000
"""Items per iteration in seed 000's benchmark (103,000 e-mails)."""


class GreenMoneyInputs(BaseModel, frozen=True, extra="forbid"):
    """The five steps' inputs; defaults reproduce seed 000 (M2 Pro → DGX Spark, e5-base)."""

    iterations_per_sprint: int = Field(
        50, ge=0, le=100_000,
        description="Model runs (experiments) the team executes per sprint. Seed 000: 40–60, 50 in its example.",
        json_schema_extra={"unit": "runs/sprint", "label": "Iterations per sprint"},
    )
    items_per_iteration: int = Field(
        SEED_ITEMS, ge=1, le=10_000_000_000,
        description="Items (texts) embedded in one iteration. Seed 000: 103,000 e-mails.",
        json_schema_extra={"unit": "items", "label": "Items per iteration"},
    )
    current_items_per_second: float = Field(
        75.0, gt=0, le=1e9,
        description="Throughput of the machine you have now on this workload. Seed 000: M2 Pro, e5-base, 75 items/s.",
        json_schema_extra={"unit": "items/s", "label": "Current machine throughput"},
    )
    candidate_items_per_second: float = Field(
        208.0, gt=0, le=1e9,
        description="Throughput of the machine you are considering. Seed 000: DGX Spark, e5-base, 208 items/s.",
        json_schema_extra={"unit": "items/s", "label": "Candidate machine throughput"},
    )
    minutes_saved_override: float | None = Field(
        None, ge=-1e6, le=1e6,
        description="Minutes saved per iteration, typed in directly instead of derived from the two throughputs "
        "(seed 000's worked example uses a round 15 minutes).",
        json_schema_extra={"unit": "min", "label": "Minutes saved per iteration"},
    )
    sprint_length_weeks: float = Field(
        2.0, gt=0, le=52,
        description="Length of one sprint. Seed 000: 'every two weeks'.",
        json_schema_extra={"unit": "weeks", "label": "Sprint length"},
    )
    sprints_per_year: float = Field(
        26.0, ge=0, le=365,
        description="Sprints per year; 26 two-week sprints fill 52 weeks (seed 000's 12.5 h → 325 h/year).",
        json_schema_extra={"unit": "sprints/year", "label": "Sprints per year"},
    )
    hourly_rate_usd: float = Field(
        75.0, ge=0, le=10_000,
        description="Loaded hourly cost of the engineer who waits. Seed 000: $75/h for a mid-level AI engineer.",
        json_schema_extra={"unit": "USD/h", "label": "Loaded hourly rate"},
    )
    hardware_premium_usd: float = Field(
        1500.0, ge=-1e9, le=1e9,
        description="Candidate price minus current price. Seed 000: $4,000 DGX Spark − $2,500 M2 Pro = $1,500.",
        json_schema_extra={"unit": "USD", "label": "Hardware price difference"},
    )
    horizon_weeks: int = Field(
        52, ge=1, le=520,
        description="How far the savings chart runs.",
        json_schema_extra={"unit": "weeks", "label": "Chart horizon"},
    )

    @model_validator(mode="after")
    def _sprints_fit_in_a_year(self) -> GreenMoneyInputs:
        if self.sprint_length_weeks * self.sprints_per_year > WEEKS_PER_YEAR + 1:
            raise ValueError(
                f"{self.sprints_per_year:g} sprints of {self.sprint_length_weeks:g} weeks do not fit in a year "
                f"({self.sprint_length_weeks * self.sprints_per_year:g} weeks > {WEEKS_PER_YEAR:g})"
            )
        return self


class SavingsPoint(BaseModel, frozen=True):
    """One point of the cumulative-savings chart."""

    week: float = Field(json_schema_extra={"unit": "weeks"})
    cumulative_savings_usd: float = Field(json_schema_extra={"unit": "USD"})
    hardware_premium_usd: float = Field(json_schema_extra={"unit": "USD"})


class GreenMoneyResult(BaseModel, frozen=True):
    """Outputs of the five steps."""

    inputs: GreenMoneyInputs
    current_minutes_per_iteration: float = Field(json_schema_extra={"unit": "min"})
    candidate_minutes_per_iteration: float = Field(json_schema_extra={"unit": "min"})
    minutes_saved_per_iteration: float = Field(json_schema_extra={"unit": "min"})
    speedup: float = Field(description="Candidate items/s ÷ current items/s.", json_schema_extra={"unit": "×"})
    hours_saved_per_sprint: float = Field(json_schema_extra={"unit": "h"})
    hours_saved_per_year: float = Field(json_schema_extra={"unit": "h"})
    dollars_saved_per_year: float = Field(json_schema_extra={"unit": "USD"})
    payback_weeks: float | None = Field(
        description="Weeks until savings cover the premium; None when there is no saving (never pays back).",
        json_schema_extra={"unit": "weeks"},
    )
    series: tuple[SavingsPoint, ...]


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
    return max(premium_usd, 0.0) / dollars_per_year * WEEKS_PER_YEAR


def savings_series(dollars_per_year: float, premium_usd: float, horizon_weeks: int) -> tuple[SavingsPoint, ...]:
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
        SavingsPoint(week=float(w), cumulative_savings_usd=per_week * w, hardware_premium_usd=premium_usd)
        for w in range(horizon_weeks + 1)
    )


def green_money(inputs: GreenMoneyInputs) -> GreenMoneyResult:
    """Run seed 000's five steps.

    Parameters
    ----------
    inputs : GreenMoneyInputs

    Returns
    -------
    GreenMoneyResult

    Notes
    -----
    $$\\Delta t = \\frac{N}{60}\\left(\\frac{1}{r_\\text{current}} - \\frac{1}{r_\\text{candidate}}\\right)$$
    (or the override), then :func:`hours_saved_per_sprint`, :func:`hours_saved_per_year`,
    :func:`dollars_saved_per_year`, :func:`payback_weeks`.

    References
    ----------
    Seed 000, "Step 1" … "Step 5" and the worked example.

    Examples
    --------
    Seed 000's worked example, with its round 15 minutes:

    >>> r = green_money(GreenMoneyInputs(minutes_saved_override=15))
    >>> r.hours_saved_per_sprint, r.hours_saved_per_year, r.dollars_saved_per_year, round(r.payback_weeks, 1)
    (12.5, 325.0, 24375.0, 3.2)

    The same from the seed's own throughputs (75 → 208 items/s, 103,000 items):

    >>> r = green_money(GreenMoneyInputs())
    >>> round(r.minutes_saved_per_iteration, 2), round(r.dollars_saved_per_year), round(r.payback_weeks, 2)
    (14.64, 23783, 3.28)
    """
    current = minutes_per_iteration(inputs.items_per_iteration, inputs.current_items_per_second)
    candidate = minutes_per_iteration(inputs.items_per_iteration, inputs.candidate_items_per_second)
    saved = current - candidate if inputs.minutes_saved_override is None else inputs.minutes_saved_override
    per_sprint = hours_saved_per_sprint(inputs.iterations_per_sprint, saved)
    per_year = hours_saved_per_year(per_sprint, inputs.sprints_per_year)
    dollars = dollars_saved_per_year(per_year, inputs.hourly_rate_usd)
    return GreenMoneyResult(
        inputs=inputs,
        current_minutes_per_iteration=current,
        candidate_minutes_per_iteration=candidate,
        minutes_saved_per_iteration=saved,
        speedup=inputs.candidate_items_per_second / inputs.current_items_per_second,
        hours_saved_per_sprint=per_sprint,
        hours_saved_per_year=per_year,
        dollars_saved_per_year=dollars,
        payback_weeks=payback_weeks(inputs.hardware_premium_usd, dollars),
        series=savings_series(dollars, inputs.hardware_premium_usd, inputs.horizon_weeks),
    )


def format_payback(weeks: float | None) -> str:
    """Payback as text: ``"3.2 weeks"``, ``"immediately"`` or ``"never (no time saved)"``.

    Examples
    --------
    >>> format_payback(3.2), format_payback(0.0), format_payback(None)
    ('3.2 weeks', 'immediately', 'never (no time saved)')
    """
    if weeks is None:
        return "never (no time saved)"
    if weeks == 0:
        return "immediately"
    return f"{weeks:,.1f} weeks"


def key_figures(result: GreenMoneyResult) -> list[tuple[str, str]]:
    """Headline results as (label, value with unit), for the page and the PDF.

    Examples
    --------
    >>> dict(key_figures(green_money(GreenMoneyInputs(minutes_saved_override=15))))["Savings per year"]
    '$24,375'
    """
    return [
        ("Minutes saved per iteration", f"{result.minutes_saved_per_iteration:,.1f} min"),
        ("Hours saved per sprint", f"{result.hours_saved_per_sprint:,.1f} h"),
        ("Hours saved per year", f"{result.hours_saved_per_year:,.0f} h"),
        ("Savings per year", f"${result.dollars_saved_per_year:,.0f}"),
        ("Payback", format_payback(result.payback_weeks)),
    ]


class SeedFigure(BaseModel, frozen=True):
    """A figure seed 000 quotes beside what its own inputs give."""

    claim: str
    quoted: str
    computed: str
    note: str


def seed_roundings() -> tuple[SeedFigure, ...]:
    """Seed 000's quoted figures beside what its own inputs give (shown on the page and methodology).

    Examples
    --------
    >>> [f.quoted for f in seed_roundings()][:2]
    ['14.7 min', '15 min']
    """
    ref = REFERENCE_MACHINES
    m2, spark = ref["M2 Pro"].items_per_second, ref["DGX Spark"].items_per_second
    e5_gap = minutes_per_iteration(SEED_ITEMS, m2["e5-base"]) - minutes_per_iteration(SEED_ITEMS, spark["e5-base"])
    m2_prose = ref["M2 Pro"].also_quoted["minilm-l6"]
    exact = green_money(GreenMoneyInputs())
    sprint_hours = {name: 50 * minutes_per_iteration(SEED_ITEMS, ips["e5-base"]) / MINUTES_PER_HOUR
                    for name, ips in (("spark", spark), ("m2", m2))}
    rows = (
        ("e5-base time difference per 103,000-item iteration",
         "14.7 min",
         f"{e5_gap:.2f} min",
         "22.9 − 8.2 of the rounded times; exact 22.89 − 8.25"),
        ("minutes saved per iteration in the worked example",
         "15 min",
         f"{e5_gap:.2f} min",
         "the example rounds 14.64 up to 15"),
        ("hours saved per sprint (50 iterations)",
         "12.5 h (and '12 hours' earlier)",
         f"{exact.hours_saved_per_sprint:.1f} h",
         "50 × 15 min = 12.5 h; 50 × 14.64 min = 12.2 h"),
        ("50 e5-base iterations: DGX Spark / M2 Pro",
         "~7 h / ~19 h",
         f"{sprint_hours['spark']:.1f} h / {sprint_hours['m2']:.1f} h",
         "rounded to whole hours in the seed"),
        ("dollars per year at $75/h, 26 sprints",
         "$24,375 (325 h)",
         f"${exact.dollars_saved_per_year:,.0f} ({exact.hours_saved_per_year:.0f} h)",
         "follows from the rounded 15 min"),
        ("payback of the $1,500 premium",
         "three weeks",
         f"{exact.payback_weeks:.2f} weeks (3.2 with 15 min)",
         "$1,500 ÷ $24,375 × 52 = 3.2 weeks"),
        ("M2 Pro MiniLM-L6 throughput",
         "117 items/s (list) and 116 items/s (prose)",
         "117 used",
         "103,000 ÷ 117 = 14.67 min, the quoted 14.7"),
        ("DGX Spark speed-up on MiniLM-L6",
         "1.80×",
         f"{spark['minilm-l6'] / m2['minilm-l6']:.2f}× (210/117), {spark['minilm-l6'] / m2_prose:.2f}× (210/116)",
         "neither throughput gives exactly 1.80"),
        ("DGX Spark speed-up on e5-base",
         "2.78×",
         f"{spark['e5-base'] / m2['e5-base']:.2f}× (208/75)",
         "208/75 = 2.773, rounds to 2.77"),
        ("scaling penalty M2 Pro / DGX Spark",
         "1.56× / 1.01×",
         f"{ref['M2 Pro'].scaling_penalty():.2f}× / {ref['DGX Spark'].scaling_penalty():.2f}×",
         "117/75 and 210/208; with 116 the M2 Pro penalty is 1.55×"),
    )
    return tuple(SeedFigure(claim=c, quoted=q, computed=v, note=n) for c, q, v, n in rows)
