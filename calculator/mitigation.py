"""Mitigation-phase ROI: which fixes pay back, how fast, and in what order (seed 001 §5).

Each mitigation action (seed 001 §5 phases 1–4, with reductions from §3) reduces one or
more cost components by a fraction, costs an investment spread over its duration, and saves
money from the moment it ends.  :func:`evaluate_plan` simulates the monthly cash flow of
every action alone, of every phase and of the chosen plan, over a horizon, and ranks them
by ROI.  The rules (one function each below) are stated on the methodology page
(``calculator/methodology/mitigation.md``).

Public API: :class:`ActionSpec`, :data:`DEFAULT_ACTIONS`, :class:`MitigationInputs`,
:func:`evaluate_plan` → :class:`MitigationResult`, :func:`seed_headline`,
:func:`key_figures`; ranges (issue 12): :func:`plan_uncertainty` → :class:`PlanUncertainty`
(P10 / P50 / P90 of NPV, payback, ROI, investment and savings, the NPV tornado, the basis),
:func:`uncertainty_json`, :func:`format_likely`, :func:`format_likely_payback`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field, field_validator, model_validator

from calculator.common import COMPONENTS, ComponentCosts, InputModel, ProjectedCosts, Stage
from calculator.forecast import ForecastInputs, forecast
from calculator.uncertainty import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    Basis,
    Range,
    Source,
    Spreads,
    TornadoBar,
    Uncertain,
    around,
    changed_paths,
    draw,
    field_bounds,
    format_likely,
    numeric_fields,
    quantiles,
    tornado,
)

Component = Literal["inference", "storage", "training", "operations"]
Variant = Literal["low", "base", "high"]
VARIANTS: tuple[Variant, ...] = ("low", "base", "high")

WEEKS_PER_YEAR = 52.0
WEEKS_PER_MONTH = WEEKS_PER_YEAR / 12.0
"""Weeks in an average month (52 weeks / 12 months)."""

STEPS_PER_MONTH = 30
"""Sub-steps per month of the internal time grid (≈ one per day), so an action of one
week has a visible investment period and payback is resolved to about a day."""

PHASE_NAMES: dict[int, str] = {
    1: "Quick wins",
    2: "Model optimization",
    3: "Architecture refactoring",
    4: "Fundamental redesign",
}
"""Seed 001 §5 phase titles."""

PHASE_INVESTMENT_USD: dict[int, tuple[float, float]] = {
    1: (0.0, 5_000.0),
    2: (20_000.0, 80_000.0),
    3: (150_000.0, 400_000.0),
    4: (500_000.0, 2_000_000.0),
}
"""Investment range of each phase, USD (seed 001 §5 phase headings)."""

PHASE_DURATION_WEEKS: dict[int, tuple[float, float]] = {
    1: (1.0, 2.0),
    2: (3.0, 6.0),
    3: (13.0, 26.0),
    4: (52.0, 78.0),
}
"""Duration range of an action of each phase, weeks.

Seed 001 §5: phase 1 "Week 1-2" → 1–2 weeks; phase 2 "Week 3-8" together with the
headline's "4-8 week timeline" for phases 1–2 → 3–6 weeks; phase 3 "Month 3-6" → 3–6
months (13–26 weeks); phase 4 "Month 6-18" but the headline's "12-18 month timeline" →
12–18 months (52–78 weeks; the headline figure is used)."""

PHASE_ENGINEERS_FTE: dict[int, tuple[float, float]] = {
    1: (0.5, 1.0),
    2: (1.0, 2.0),
    3: (2.0, 3.0),
    4: (3.0, 5.0),
}
"""Engineers working on one action of each phase while it runs, FTE (low, high).

ScaleRisk assumption: seed 001 §5 gives each phase a duration and a cash range but no
headcount.  Phase 1's quick wins are a part-time job for one engineer; model optimization
one or two; refactoring a small team; a redesign a team of three to five.  Editable per
action; the engineering cost is FTE × weeks × the loaded cost per engineer."""

DEFAULT_LOADED_COST_PER_FTE_USD = 180_000.0
"""Fully-loaded yearly cost of one engineer, USD/year (seed 001 §2.5: $180,000)."""

STAGE_INVESTMENT_MULTIPLIER: dict[str, dict[str, float]] = {
    "production": {"low": 1.0, "base": 1.0, "high": 1.0},
    "pilot": {"low": 0.8, "base": 0.75, "high": 0.7},
    "design": {"low": 0.6, "base": 0.5, "high": 0.4},
}
"""Investment multiplier by stage and variant.

Seed 001 executive summary: "Mitigation costs 40-60% less when implemented during initial
development vs post-deployment".  §5's investment ranges are for *existing* systems, so
production = 1; design = 1 − 0.4…0.6 (0.6 in the pessimistic *low* variant, 0.5 base, 0.4
in the optimistic *high* variant); pilot is taken halfway between (ScaleRisk assumption,
the seed names no pilot figure).  The seed's other claim, "5-10x cheaper" (§4, §8), is not
applied: it contradicts the 40–60% (= 1.7–2.5×) and refers to re-architecture after lock-in
(see the methodology page)."""


class ActionSpec(InputModel, frozen=True, extra="forbid"):
    """One mitigation action: what it reduces, by how much, what it costs and how long it takes."""

    id: str = Field(
        min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$", description="Stable identifier."
    )
    name: str = Field(min_length=1, max_length=120, description="Action name shown in tables.")
    phase: int = Field(ge=1, le=4, description="Mitigation phase 1–4 (seed 001 §5).")
    seed_ref: str = Field("", max_length=300, description="Where the defaults come from.")
    components: tuple[Component, ...] = Field(
        min_length=1, description="Cost components the reduction applies to (seed 001 §6)."
    )
    reduction_low: float = Field(
        ge=0,
        le=1,
        description="Low end of the cost reduction on each component, as a fraction.",
        json_schema_extra={"unit": "fraction"},
    )
    reduction_high: float = Field(
        ge=0,
        le=1,
        description="High end of the cost reduction on each component, as a fraction.",
        json_schema_extra={"unit": "fraction"},
    )
    investment_low_usd: float = Field(
        ge=0,
        le=1e9,
        description="Low end of the one-off investment.",
        json_schema_extra={"unit": "USD"},
    )
    investment_high_usd: float = Field(
        ge=0,
        le=1e9,
        description="High end of the one-off investment.",
        json_schema_extra={"unit": "USD"},
    )
    duration_weeks_low: float = Field(
        ge=1,
        le=520,
        description="Shortest time to implement; savings start when it ends.",
        json_schema_extra={"unit": "weeks"},
    )
    duration_weeks_high: float = Field(
        ge=1,
        le=520,
        description="Longest time to implement; savings start when it ends.",
        json_schema_extra={"unit": "weeks"},
    )
    engineers_low: float | None = Field(
        None,
        ge=0,
        le=10_000,
        description="Fewest engineers the action needs while it runs (FTE); "
        "default: the phase's (ScaleRisk assumption).",
        json_schema_extra={"unit": "FTE"},
    )
    engineers_high: float | None = Field(
        None,
        ge=0,
        le=10_000,
        description="Most engineers the action needs while it runs (FTE); "
        "default: the phase's (ScaleRisk assumption).",
        json_schema_extra={"unit": "FTE"},
    )
    description: str = Field(
        "", max_length=1000, description="What the action is, and the source of its numbers."
    )

    @model_validator(mode="after")
    def _default_engineers(self) -> ActionSpec:
        """Missing engineer counts take the phase's range (:data:`PHASE_ENGINEERS_FTE`)."""
        lo, hi = PHASE_ENGINEERS_FTE[self.phase]
        if self.engineers_low is None:
            lo = lo if self.engineers_high is None else min(lo, self.engineers_high)
            object.__setattr__(self, "engineers_low", lo)
        if self.engineers_high is None:
            object.__setattr__(self, "engineers_high", max(hi, self.engineers_low))
        return self

    @field_validator("components")
    @classmethod
    def _unique_components(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("components must not repeat")
        return tuple(c for c in COMPONENTS if c in value)

    @model_validator(mode="after")
    def _ordered_ranges(self) -> ActionSpec:
        for lo, hi, what, fmt in (
            (self.reduction_low, self.reduction_high, "reduction", "{:.0%}"),
            (self.investment_low_usd, self.investment_high_usd, "investment", "${:,.0f}"),
            (self.duration_weeks_low, self.duration_weeks_high, "duration", "{:g} weeks"),
            (self.engineers_low, self.engineers_high, "engineers", "{:g} FTE"),
        ):
            if lo > hi:
                raise ValueError(
                    f"{what} low ({fmt.format(lo)}) must not exceed high ({fmt.format(hi)})"
                )
        return self

    def reduction(self, variant: Variant) -> float:
        """Reduction fraction of ``variant`` (low → low end, high → high end, base → midpoint)."""
        return _pick(self.reduction_low, self.reduction_high, variant, rising=True)

    def investment(self, variant: Variant) -> float:
        """Investment (USD, before the stage multiplier); the pessimistic *low* variant pays the
        high end."""
        return _pick(self.investment_low_usd, self.investment_high_usd, variant, rising=False)

    def duration_months(self, variant: Variant) -> float:
        """Duration in months; the pessimistic *low* variant takes the longest."""
        return (
            _pick(self.duration_weeks_low, self.duration_weeks_high, variant, rising=False)
            / WEEKS_PER_MONTH
        )

    def engineers(self, variant: Variant) -> float:
        """Engineers (FTE) while it runs; the pessimistic *low* variant needs the most."""
        return _pick(
            float(self.engineers_low or 0.0),
            float(self.engineers_high or 0.0),
            variant,
            rising=False,
        )

    def engineering_usd(self, variant: Variant, loaded_cost_per_fte_usd: float) -> float:
        """Engineering time the action takes, in dollars (before the stage multiplier).

        Notes
        -----
        $E = n_\\text{FTE} \\cdot w \\cdot c_\\text{FTE} / 52$, with $w$ the duration in weeks
        and $c_\\text{FTE}$ the loaded yearly cost of one engineer (seed 001 §2.5: $180,000).

        Examples
        --------
        >>> a = DEFAULT_ACTIONS[0]   # enable caching: 0.75 FTE for 1.5 weeks (base)
        >>> round(a.engineering_usd("base", 180_000))
        3894
        """
        weeks = self.duration_months(variant) * WEEKS_PER_MONTH
        return self.engineers(variant) * weeks * loaded_cost_per_fte_usd / WEEKS_PER_YEAR


def _pick(lo: float, hi: float, variant: Variant, *, rising: bool) -> float:
    """Value of a range for a variant: midpoint for base; ``rising`` → high variant takes ``hi``."""
    if variant == "base":
        return (lo + hi) / 2
    take_hi = (variant == "high") == rising
    return hi if take_hi else lo


def _action(
    id: str,
    name: str,
    phase: int,
    components: tuple[str, ...],
    reduction: tuple[float, float],
    seed_ref: str,
    description: str,
    n_in_phase: int,
) -> ActionSpec:
    """Default action with the phase's investment split equally and the phase's duration."""
    inv_lo, inv_hi = PHASE_INVESTMENT_USD[phase]
    dur_lo, dur_hi = PHASE_DURATION_WEEKS[phase]
    return ActionSpec(
        id=id,
        name=name,
        phase=phase,
        seed_ref=seed_ref,
        components=components,  # type: ignore[arg-type]
        reduction_low=reduction[0],
        reduction_high=reduction[1],
        investment_low_usd=inv_lo / n_in_phase,
        investment_high_usd=inv_hi / n_in_phase,
        duration_weeks_low=dur_lo,
        duration_weeks_high=dur_hi,
        description=description,
    )


_NO_SEED_FIGURE = (
    "The seed gives no cost-reduction figure for this action; the range is a ScaleRisk default "
    "(assumption) — replace it with your own estimate."
)

DEFAULT_ACTIONS: tuple[ActionSpec, ...] = (
    # Phase 1: quick wins (seed 001 §5: week 1-2, $0-5K; split equally over its 4 actions)
    _action(
        "enable_caching",
        "Enable caching",
        1,
        ("inference",),
        (0.30, 0.60),
        "seed 001 §5 phase 1; §3.1",
        "Redis/Memcached (or semantic) cache for deterministic predictions: 30–60% cost reduction "
        "(§5). §3.1's chatbot example: 67% hit rate, $18,000 → $6,500/month (−64%).",
        4,
    ),
    _action(
        "lifecycle_policies",
        "Data lifecycle policies",
        1,
        ("storage",),
        (0.60, 0.80),
        "seed 001 §5 phase 1; §3.6",
        "S3 lifecycle rules (Standard → IA → Glacier → delete): 60–80% storage cost reduction "
        "(§5). "
        "§3.6's IoT example: $2,070 → $340/month (−84%).",
        4,
    ),
    _action(
        "right_size_compute",
        "Right-size compute",
        1,
        ("inference", "training"),
        (0.20, 0.40),
        "seed 001 §5 phase 1; §4.2",
        "Analyse utilisation, downgrade over-provisioned instances: 20–40% cost reduction (§5), "
        "applied "
        "to compute (inference and training). §4.2's example: 18% → 65% GPU utilisation, −75%.",
        4,
    ),
    _action(
        "batch_requests",
        "Batch similar requests",
        1,
        ("inference",),
        (0.15, 0.30),
        "seed 001 §5 phase 1; §3.4",
        "Group requests by latency tolerance: 15–30% cost reduction (§5); §3.4 batch inference "
        "windows.",
        4,
    ),
    # Phase 2: model optimization (week 3-8, $20-80K)
    _action(
        "quantization",
        "Quantization (INT8/FP16)",
        2,
        ("inference",),
        (0.30, 0.50),
        "seed 001 §5 phase 2; §3.2",
        "Convert models to INT8/FP16: 2–4× speedup, 30–50% cost reduction (§5).",
        4,
    ),
    _action(
        "pruning",
        "Pruning",
        2,
        ("inference",),
        (0.10, 0.20),
        "seed 001 §5 phase 2 (size only); §3.2",
        "Remove unnecessary weights. The seed gives a size reduction only (20–40% in §5, 30–50% in "
        "§3.2), not a cost reduction; unstructured sparsity rarely speeds up dense GPU kernels, so "
        "the "
        "default takes half of §5's size reduction: 10–20% of inference cost (ScaleRisk "
        "assumption).",
        4,
    ),
    _action(
        "distillation",
        "Distillation",
        2,
        ("inference",),
        (0.50, 0.70),
        "seed 001 §5 phase 2; §3.2",
        "Train compact student models: 50–70% cost reduction with acceptable accuracy loss (§5). "
        "§3.2's BERT-large → DistilBERT + INT8 example: $24,000 → $3,200/month.",
        4,
    ),
    _action(
        "adaptive_routing",
        "Adaptive routing",
        2,
        ("inference",),
        (0.40, 0.60),
        "seed 001 §5 phase 2; §3.5",
        "Tiered model ensemble, confidence-based routing: 40–60% cost reduction (§5); §3.5 fraud "
        "example "
        "$8,000 vs $75,000/month.",
        4,
    ),
    # Phase 3: architecture refactoring (month 3-6, $150-400K)
    _action(
        "managed_services",
        "Migrate to managed services",
        3,
        ("operations",),
        (0.20, 0.40),
        "seed 001 §5 phase 3; §2.2",
        "Replace self-hosted Kafka with Pub/Sub, self-managed inference with SageMaker. "
        + _NO_SEED_FIGURE
        + " §2.2's pipeline example ($180,000 → $45,000/month, −75%) concerns one pipeline, a part "
        "of "
        "operations; default 20–40% of operations.",
        4,
    ),
    _action(
        "feature_store",
        "Feature store",
        3,
        ("training", "operations"),
        (0.10, 0.20),
        "seed 001 §5 phase 3; §2.2",
        "Centralise feature computation and reuse it across models. "
        + _NO_SEED_FIGURE
        + " Default 10–20% of training and operations.",
        4,
    ),
    _action(
        "edge_inference",
        "Edge inference",
        3,
        ("inference",),
        (0.20, 0.50),
        "seed 001 §5 phase 3; §3.3",
        "Move appropriate workloads to client devices. "
        + _NO_SEED_FIGURE
        + " §3.3's health-app example "
        "replaced $22,000/month of inference by $4,000/month CDN (−82%) for a workload that moved "
        "entirely; only part of a typical workload can move, so the default is 20–50% of "
        "inference.",
        4,
    ),
    _action(
        "micro_batch_pipelines",
        "Micro-batch pipelines",
        3,
        ("operations",),
        (0.10, 0.30),
        "seed 001 §5 phase 3; §3.4",
        "Replace real-time pipelines with micro-batch where acceptable. "
        + _NO_SEED_FIGURE
        + " Default 10–30% of operations, by analogy with phase 1 batching (15–30%, §5; §3.4).",
        4,
    ),
    # Phase 4: fundamental redesign (month 6-18, $500K-2M)
    _action(
        "architecture_replacement",
        "Model architecture replacement",
        4,
        ("inference", "training"),
        (0.30, 0.50),
        "seed 001 §5 phase 4; §2.1",
        "Migrate from transformers to efficient alternatives (Mamba, RWKV), removing the O(n²) "
        "attention "
        "term (§2.1). " + _NO_SEED_FIGURE + " Default 30–50% of inference and training.",
        3,
    ),
    _action(
        "federated_learning",
        "Federated learning",
        4,
        ("training",),
        (0.20, 0.40),
        "seed 001 §5 phase 4; §3.3",
        "Distributed training on user devices (§3.3, McMahan et al. 2017). "
        + _NO_SEED_FIGURE
        + " Default 20–40% of training.",
        3,
    ),
    _action(
        "platform_migration",
        "AI-optimized platform migration",
        4,
        ("inference", "training"),
        (0.20, 0.40),
        "seed 001 §5 phase 4",
        "Move from general-purpose to AI-optimized infrastructure (TPUs, Inferentia). "
        + _NO_SEED_FIGURE
        + " Default 20–40% of inference and training.",
        3,
    ),
)
"""The 15 actions of seed 001 §5 with reductions from §5/§3.  Investment: each phase's §5
range divided equally among its actions (so selecting a whole phase reproduces the phase's
range); duration: the phase's (see :data:`PHASE_DURATION_WEEKS`)."""


SEED_EXAMPLE_CURRENT = ComponentCosts(
    inference=12_000.0, storage=3_000.0, training=6_000.0, operations=4_000.0
)
"""Seed 001 §6 worked example, current state: $25K/month split $12K / $3K / $6K / $4K."""

SEED_EXAMPLE_FORECAST = ForecastInputs(
    current=SEED_EXAMPLE_CURRENT,
    users_multiple=10.0,
    data_multiple=5.0,
    models_multiple=5.0,
    horizon_months=12,
    architecture="stateless_cached",
    cache_hit_rate=0.3,
    retention="tiered",
    pipeline="batch_partitioned",
    retraining="data_dependent",
)
"""Seed 001 §6 worked example as forecast inputs: 10× users, 5× data, 5× models in 12 months,
30% caching, lifecycle policy (tiered), data-dependent retraining."""

SEED_EXAMPLE_PROJECTED: ProjectedCosts = forecast(SEED_EXAMPLE_FORECAST, months=12).projected[
    "base"
]
"""Seed 001 §6 worked example at 12 months as the assessment computes it (one baseline
everywhere): $84K inference, $22.5K storage, $243.1K training, $380.7K operations =
$730.3K/month.  The seed quotes $435.5K with $89K operations, which its own formula does
not give (see the inconsistencies page)."""


class MitigationInputs(InputModel, frozen=True, extra="forbid"):
    """Starting point, growth scenario, actions and financial settings of a mitigation plan."""

    current_monthly_cost: ComponentCosts = Field(
        SEED_EXAMPLE_CURRENT,
        description="Monthly cost per component today (USD/month); default: seed 001 §6 "
        "worked example ($25K/month).",
    )
    projected_monthly_cost: ProjectedCosts = Field(
        SEED_EXAMPLE_PROJECTED,
        description="Monthly cost per component at the end of the growth horizon, without "
        "mitigation (USD/month); default: seed 001 §6's example projected at 12 months by the "
        "assessment's "
        "component forecast ($730.3K/month).",
    )
    growth_horizon_months: int = Field(
        12,
        ge=1,
        le=120,
        description="Months over which cost grows from today's to the projected figure.",
        json_schema_extra={"unit": "months"},
    )
    stage: Stage = Field(
        "production",
        description="Lifecycle stage: mitigation costs 40–60% less during initial development "
        "than after deployment (seed 001 executive summary).",
    )
    horizon_months: int = Field(
        36,
        ge=1,
        le=120,
        description="Months of cash flow over which ROI, payback and NPV are computed.",
        json_schema_extra={"unit": "months"},
    )
    discount_rate_annual: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Annual discount rate for the net present value.",
        json_schema_extra={"unit": "fraction/year"},
    )
    after_growth: Literal["hold", "continue"] = Field(
        "hold",
        description="After the growth horizon, hold cost at the projected level (default) or "
        "continue "
        "growing at the same monthly rate.",
    )
    loaded_cost_per_fte_usd: float = Field(
        DEFAULT_LOADED_COST_PER_FTE_USD,
        ge=0,
        le=10_000_000,
        description="Fully-loaded yearly cost of one engineer; prices the engineering time each "
        "action takes "
        "(seed 001 §2.5: $180,000).",
        json_schema_extra={"unit": "USD/year"},
    )
    actions: tuple[ActionSpec, ...] = Field(
        DEFAULT_ACTIONS, min_length=1, description="The actions considered."
    )
    selected: tuple[str, ...] | None = Field(
        None, description="Ids of the actions in the chosen plan; None = all applicable actions."
    )
    not_applicable: dict[str, str] = Field(
        default_factory=dict,
        description="Actions that do not apply to this system (id → why); they are "
        "never ranked, recommended or part of the plan.",
    )

    @field_validator("projected_monthly_cost", mode="before")
    @classmethod
    def _projection_from_costs(cls, value: object) -> object:
        """A plain :class:`ComponentCosts` given as the projection is read as one."""
        if isinstance(value, ComponentCosts) and not isinstance(value, ProjectedCosts):
            return value.model_dump()
        return value

    @model_validator(mode="after")
    def _check_ids(self) -> MitigationInputs:
        ids = [a.id for a in self.actions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"action ids must be unique; repeated: {', '.join(dupes)}")
        for what, given in (
            ("selected", self.selected or ()),
            ("not applicable", tuple(self.not_applicable)),
        ):
            unknown = [s for s in given if s not in ids]
            if unknown:
                raise ValueError(f"{what} actions not found: {', '.join(unknown)}")
        return self

    @property
    def applicable(self) -> tuple[ActionSpec, ...]:
        """The actions that apply, in action order."""
        return tuple(a for a in self.actions if a.id not in self.not_applicable)

    @property
    def selected_ids(self) -> tuple[str, ...]:
        """Ids in the plan (selected and applicable), in action order."""
        chosen = set(self.selected) if self.selected is not None else None
        return tuple(a.id for a in self.applicable if chosen is None or a.id in chosen)


class Metrics(BaseModel, frozen=True, extra="forbid"):
    """Cash-flow results of one action, phase or plan under one variant."""

    investment_usd: float = Field(
        description="Total investment after the stage multiplier (USD): cash outlay "
        "plus engineering time."
    )
    cash_usd: float = Field(
        description="Cash outlay part of the investment (seed 001 §5 ranges), USD."
    )
    engineering_usd: float = Field(
        description="Engineering-time part of the investment (FTE × weeks × loaded cost), USD."
    )
    monthly_savings_usd: float = Field(
        description="Savings per month once done, at today's cost (USD/month)."
    )
    savings_horizon_usd: float = Field(description="Savings accrued within the horizon (USD).")
    investment_horizon_usd: float = Field(description="Investment spent within the horizon (USD).")
    payback_months: float | None = Field(
        description="Months until cumulative net cash flow turns non-negative for good; "
        "None = not within the horizon."
    )
    roi: float | None = Field(
        description="ROI at the horizon, (savings − investment) / investment; None = undefined (no "
        "investment)."
    )
    roi_12: float | None = Field(description="ROI at 12 months.")
    roi_36: float | None = Field(description="ROI at 36 months.")
    roi_multiple: float | None = Field(
        description="Savings ÷ investment accrued by the horizon (×); None = no investment."
    )
    roi_multiple_12: float | None = Field(
        description="Savings ÷ investment accrued in the first 12 months (×)."
    )
    npv_usd: float = Field(description="Net present value of the cash flow over the horizon (USD).")


class ActionResult(Metrics, frozen=True, extra="forbid"):
    """One action evaluated alone (base variant flattened; low/high variants attached)."""

    id: str
    name: str
    phase: int
    seed_ref: str
    components: tuple[str, ...]
    selected: bool
    reduction: float = Field(description="Base reduction fraction on each of its components.")
    duration_months: float = Field(description="Base duration (months).")
    engineers: float = Field(description="Base engineers while it runs (FTE).")
    low: Metrics
    high: Metrics
    warnings: tuple[str, ...] = Field((), description="Plausibility warnings, in words.")


class GroupResult(Metrics, frozen=True, extra="forbid"):
    """A phase or the whole plan: its selected actions evaluated together."""

    name: str
    phase: int | None = Field(description="Phase number; None for the plan.")
    action_ids: tuple[str, ...]
    low: Metrics
    high: Metrics
    warnings: tuple[str, ...] = Field((), description="Plausibility warnings, in words.")


class ExcludedAction(BaseModel, frozen=True, extra="forbid"):
    """An action left out because it does not apply to this system."""

    id: str
    name: str
    phase: int
    reason: str


class CashFlowPoint(BaseModel, frozen=True, extra="forbid"):
    """One month of one series (a phase or the plan), base variant."""

    series: str
    month: int
    investment_usd: float
    savings_usd: float
    net_usd: float
    cumulative_net_usd: float


class MitigationResult(BaseModel, frozen=True, extra="forbid"):
    """Ranked actions and phases, the plan total and the monthly cash-flow series."""

    actions: list[ActionResult] = Field(
        description="Applicable actions, each alone, ranked by ROI at the horizon."
    )
    excluded: list[ExcludedAction] = Field(
        default_factory=list, description="Actions that do not apply, with why."
    )
    phases: list[GroupResult] = Field(
        description="Phases with at least one selected action, ranked by ROI."
    )
    plan: GroupResult | None = Field(
        description="All selected actions together; None when nothing is selected."
    )
    series: list[CashFlowPoint] = Field(
        description="Monthly cash flow of each phase and of the plan."
    )
    baseline_monthly_usd: list[float] = Field(
        description="Unmitigated total cost for months 1..horizon."
    )
    horizon_months: int
    discount_rate_annual: float
    stage: Stage
    stage_multiplier: float
    loaded_cost_per_fte_usd: float
    warnings: tuple[str, ...] = Field(
        (), description="Plausibility warnings on the plan, in words."
    )


# ---------------------------------------------------------------------------------------
# Formulas, one function each
# ---------------------------------------------------------------------------------------


COST_CEILING_USD = 1e15
"""Guard for "continue" growth extrapolated far past the horizon: a monthly cost is capped
here (USD/month) rather than overflowing to infinity."""


def baseline_cost(
    current: float, projected: float, growth_months: int, month: int, after: str = "hold"
) -> float:
    """Unmitigated monthly cost of one component in month ``month``.

    Parameters
    ----------
    current, projected : USD/month today and at ``growth_months``.
    growth_months : months over which cost moves from ``current`` to ``projected``.
    month : 1-based month index.
    after : "hold" keeps ``projected`` after ``growth_months``; "continue" keeps the growth rate.

    Returns
    -------
    float : USD/month.

    Notes
    -----
    Geometric interpolation (constant monthly growth rate):
    $c(m) = c_0 \\, (c_p / c_0)^{\\min(m, G)/G}$ (or $m/G$ with "continue").  When either
    end is 0 a geometric path is undefined; linear interpolation is used instead.

    References
    ----------
    Seed 001 §6 (12-month component projection), §7 (12- and 36-month trajectories).

    Examples
    --------
    >>> round(baseline_cost(100.0, 400.0, 12, 6), 6)   # halfway: √4 = 2×
    200.0
    >>> round(baseline_cost(100.0, 400.0, 12, 24), 6)  # held after the horizon
    400.0
    >>> round(baseline_cost(100.0, 400.0, 12, 24, "continue"), 6)
    1600.0
    """
    x = month / growth_months
    if after == "hold":
        x = min(x, 1.0)
    if current > 0 and projected > 0:  # in log space: no overflow for tiny or huge ratios
        log_cost = math.log(current) + x * (math.log(projected) - math.log(current))
        return math.exp(min(log_cost, math.log(COST_CEILING_USD)))
    return max(0.0, current + (projected - current) * x)


def combined_reduction(reductions: Sequence[float]) -> float:
    """Combined cost reduction of several reductions on the same component.

    Notes
    -----
    Reductions act one after the other on what is left:
    $R = 1 - \\prod_i (1 - r_i)$, so two 50% cuts leave 25% (R = 75%), never below 0%.

    References
    ----------
    Issue 5 (ScaleRisk): "reductions on the same component combine multiplicatively".

    Examples
    --------
    >>> combined_reduction([0.5, 0.5])
    0.75
    >>> combined_reduction([])
    0.0
    """
    remaining = 1.0
    for r in reductions:
        remaining *= 1.0 - r
    return 1.0 - remaining


def stage_multiplier(stage: str, variant: Variant = "base") -> float:
    """Investment multiplier for doing the work at ``stage`` instead of after deployment.

    Notes
    -----
    See :data:`STAGE_INVESTMENT_MULTIPLIER`: production 1, pilot 0.75 (0.8–0.7), design 0.5
    (0.6–0.4), i.e. 40–60% less during initial development.

    References
    ----------
    Seed 001 executive summary ("Mitigation costs 40-60% less when implemented during
    initial development vs post-deployment").

    Examples
    --------
    >>> stage_multiplier("design"), stage_multiplier("production")
    (0.5, 1.0)
    """
    return STAGE_INVESTMENT_MULTIPLIER[stage][variant]


def roi(savings_usd: float, investment_usd: float) -> float | None:
    """Return on investment as a fraction: $(S - I)/I$; None (undefined) when $I = 0$.

    Notes
    -----
    Zero savings give −1 (−100%): all of the investment is lost.

    Examples
    --------
    >>> roi(300.0, 100.0)
    2.0
    >>> roi(0.0, 100.0)
    -1.0
    >>> roi(50.0, 0.0) is None
    True
    """
    if investment_usd <= 0:
        return None
    return (savings_usd - investment_usd) / investment_usd


def return_multiple(savings_usd: float, investment_usd: float) -> float | None:
    """ROI as a multiple: savings ÷ investment, $S/I$; None (undefined) when $I = 0$.

    Notes
    -----
    The multiple a budget owner reads ("8.2×" in seed 001 §5): 1× breaks even, below 1× loses
    money.  It ranks exactly as the net ROI $(S - I)/I$ = multiple − 1 (:func:`roi`).

    References
    ----------
    Seed 001 §5 (median ROI of 8.2× for phases 1–2, 2.1× for phase 4).

    Examples
    --------
    >>> return_multiple(300.0, 100.0), return_multiple(0.0, 100.0)
    (3.0, 0.0)
    >>> return_multiple(5.0, 0.0) is None
    True
    """
    if investment_usd <= 0:
        return None
    return savings_usd / investment_usd


def npv(cash_flows: Sequence[float], annual_rate: float) -> float:
    """Net present value of monthly cash flows (month 1 first), end-of-month convention.

    Notes
    -----
    $r_m = (1 + r)^{1/12} - 1$, $\\mathrm{NPV} = \\sum_{m=1}^{H} CF_m / (1 + r_m)^m$.

    Examples
    --------
    >>> round(npv([-100.0, 110.0], 0.0), 6)
    10.0
    >>> round(npv([0.0] * 11 + [110.0], 0.1), 6)  # one year at 10%
    100.0
    """
    rm = (1.0 + annual_rate) ** (1.0 / 12.0) - 1.0
    factors = (1.0 + rm) ** -np.arange(1, len(cash_flows) + 1, dtype=float)
    return float(np.dot(np.asarray(cash_flows, dtype=float), factors))


def payback_months(cumulative: Sequence[float], step_months: float = 1.0) -> float | None:
    """Time at which cumulative net cash flow turns non-negative for good.

    Parameters
    ----------
    cumulative : cumulative net cash flow at the end of each step (starting from 0 before step 1).
    step_months : length of a step in months.

    Returns
    -------
    float | None : months (linear interpolation within the crossing step); 0 when it is never
    negative; None when it is negative at the end.

    Notes
    -----
    The last crossing from < 0 to ≥ 0 counts, so a later phase whose investment drags the
    plan back below zero moves the payback out.  Hence ROI > 0 at the horizon ⇒ payback ≤
    horizon.

    Examples
    --------
    >>> payback_months([-100.0, -50.0, 0.0, 50.0])
    3.0
    >>> payback_months([-100.0, 100.0])
    1.5
    >>> payback_months([-100.0, -50.0]) is None
    True
    """
    cum = np.concatenate([[0.0], np.asarray(cumulative, dtype=float)])
    if len(cum) == 1:
        return 0.0
    if cum[-1] < 0:
        return None
    negative = np.nonzero(cum < 0)[0]
    if len(negative) == 0:
        return 0.0
    k = int(negative[-1])  # last negative point; cum[k+1] >= 0
    before, after = cum[k], cum[k + 1]
    frac = -before / (after - before)
    return float((k + frac) * step_months)


def _overlap(a: np.ndarray, b: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Length of the overlap of each interval [a, b] with [lo, hi]."""
    return np.clip(np.minimum(b, hi) - np.maximum(a, lo), 0.0, None)


def _grid(months: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fine time grid: step starts, ends (months) and the 1-based month of each step."""
    n = months * STEPS_PER_MONTH
    k = np.arange(n, dtype=float)
    return k / STEPS_PER_MONTH, (k + 1) / STEPS_PER_MONTH, (np.arange(n) // STEPS_PER_MONTH) + 1


def simulate_steps(
    actions: Sequence[ActionSpec], inputs: MitigationInputs, variant: Variant, months: int
) -> tuple[np.ndarray, np.ndarray]:
    """Investment and savings (USD per step, :data:`STEPS_PER_MONTH` steps a month) of ``actions``
    together.

    Notes
    -----
    All actions start at month 0.  Investment $I$ = cash outlay + engineering time
    (:meth:`ActionSpec.engineering_usd`), times the stage multiplier, is spread evenly over
    the duration $D$; the reduction $r$ applies from $D$ on.  In each step,
    component $c$ saves $b_c(m) \\, [1 - \\prod_i (1 - f_i r_i)]$ per month, where $f_i$ is
    the share of the step after action $i$ ended (0 or 1 except in one step) and $b_c(m)$
    is :func:`baseline_cost` of the step's month.

    Examples
    --------
    >>> inp = MitigationInputs(current_monthly_cost=ComponentCosts(inference=1000.0),
    ...     projected_monthly_cost=ComponentCosts(inference=1000.0))
    >>> inv, sav = simulate_steps([DEFAULT_ACTIONS[0]], inp, "base", 2)
    >>> # $625 cash + $3,894 engineering
    >>> round(float(inv.sum()), 2), round(float(sav[-1]) * STEPS_PER_MONTH, 2)
    (4519.23, 450.0)
    """
    start, end, month = _grid(months)
    dt = 1.0 / STEPS_PER_MONTH
    mult = stage_multiplier(inputs.stage, variant)
    invest = np.zeros_like(start)
    remaining = {c: np.ones_like(start) for c in COMPONENTS}
    for a in actions:
        d = a.duration_months(variant)
        total = a.investment(variant) + a.engineering_usd(variant, inputs.loaded_cost_per_fte_usd)
        invest += total * mult * _overlap(start, end, 0.0, d) / d
        after = _overlap(start, end, d, math.inf) / dt
        for c in a.components:
            remaining[c] *= 1.0 - after * a.reduction(variant)
    savings = np.zeros_like(start)
    cur, proj = inputs.current_monthly_cost, inputs.projected_monthly_cost
    for c in COMPONENTS:
        base = np.array(
            [
                baseline_cost(
                    getattr(cur, c),
                    getattr(proj, c),
                    inputs.growth_horizon_months,
                    m,
                    inputs.after_growth,
                )
                for m in range(1, months + 1)
            ]
        )
        savings += base[month - 1] * (1.0 - remaining[c]) * dt
    return invest, savings


def to_months(per_step: np.ndarray) -> np.ndarray:
    """Sum a per-step series into months."""
    return per_step.reshape(-1, STEPS_PER_MONTH).sum(axis=1)


def monthly_savings_now(
    actions: Sequence[ActionSpec], current: ComponentCosts, variant: Variant = "base"
) -> float:
    """Savings per month of ``actions`` once done, at today's cost (USD/month).

    Notes
    -----
    $\\sum_c c_0 \\, [1 - \\prod_{i \\ni c} (1 - r_i)]$ (see :func:`combined_reduction`).

    Examples
    --------
    >>> # caching saves 45%
    >>> round(monthly_savings_now(DEFAULT_ACTIONS[:1], ComponentCosts(inference=1000.0)), 6)
    450.0
    """
    total = 0.0
    for c in COMPONENTS:
        total += getattr(current, c) * combined_reduction(
            [a.reduction(variant) for a in actions if c in a.components]
        )
    return total


def _metrics(
    actions: Sequence[ActionSpec], inputs: MitigationInputs, variant: Variant
) -> tuple[Metrics, np.ndarray]:
    """Metrics of ``actions`` together under ``variant``, plus the monthly (investment, savings)
    over the horizon."""
    h = inputs.horizon_months
    inv_s, sav_s = simulate_steps(actions, inputs, variant, max(h, 36))
    inv, sav = to_months(inv_s), to_months(sav_s)
    n = h * STEPS_PER_MONTH
    mult = stage_multiplier(inputs.stage, variant)
    cash = sum(a.investment(variant) for a in actions) * mult
    engineering = (
        sum(a.engineering_usd(variant, inputs.loaded_cost_per_fte_usd) for a in actions) * mult
    )
    metrics = Metrics(
        investment_usd=cash + engineering,
        cash_usd=cash,
        engineering_usd=engineering,
        monthly_savings_usd=monthly_savings_now(actions, inputs.current_monthly_cost, variant),
        savings_horizon_usd=float(sav[:h].sum()),
        investment_horizon_usd=float(inv[:h].sum()),
        payback_months=payback_months(np.cumsum(sav_s[:n] - inv_s[:n]), 1.0 / STEPS_PER_MONTH),
        roi=roi(float(sav[:h].sum()), float(inv[:h].sum())),
        roi_12=roi(float(sav[:12].sum()), float(inv[:12].sum())),
        roi_36=roi(float(sav[:36].sum()), float(inv[:36].sum())),
        roi_multiple=return_multiple(float(sav[:h].sum()), float(inv[:h].sum())),
        roi_multiple_12=return_multiple(float(sav[:12].sum()), float(inv[:12].sum())),
        npv_usd=npv(sav[:h] - inv[:h], inputs.discount_rate_annual),
    )
    return metrics, np.stack([inv[:h], sav[:h]])


PLAUSIBLE_FIRST_YEAR_MULTIPLE = 100.0
"""A return above 100× its investment within the first year is flagged: seed 001 §5's best
median is 8.2×, and its largest example saving (§4.2: −75% of $20,000/month for a right-size)
pays its phase-1 budget ($5K at most) back about 36× in a year ($15,000/month saved)."""

PLAUSIBLE_MIN_PAYBACK_MONTHS = 1.0 / 30.0
"""A payback under a day (1/30 month) is flagged: no fix is designed, built and deployed in a
day."""

PLAUSIBLE_MAX_REDUCTION = 0.90
"""A combined reduction above 90% of a component is flagged: the largest reduction in seed
001's examples is 87% (§3.2: $24,000 → $3,200/month)."""


def plausibility_warnings(
    m: Metrics, actions: Sequence[ActionSpec], subject: str
) -> tuple[str, ...]:
    """Plain-language warnings for results outside what is commercially or physically plausible.

    Parameters
    ----------
    m : base-case metrics of ``actions`` together.
    actions : the actions.
    subject : how the sentence names them ("This action", "The plan", "Phase 2").

    Returns
    -------
    tuple : one sentence per check that trips — a first-year return above
    :data:`PLAUSIBLE_FIRST_YEAR_MULTIPLE`, a payback under :data:`PLAUSIBLE_MIN_PAYBACK_MONTHS`,
    a combined reduction of a component above :data:`PLAUSIBLE_MAX_REDUCTION`.

    Notes
    -----
    Savings can never exceed the cost they act on: reductions combine as
    $1 - \\prod_i (1 - r_i) \\le 1$ (:func:`combined_reduction`), so the third check flags the
    approach to that limit instead.

    Examples
    --------
    >>> m = Metrics(investment_usd=100.0, cash_usd=100.0, engineering_usd=0.0,
    ...     monthly_savings_usd=10_000.0, savings_horizon_usd=120_000.0,
    ...     investment_horizon_usd=100.0, payback_months=0.01, roi=1199.0,
    ...     roi_12=1199.0, roi_36=1199.0, roi_multiple=1200.0, roi_multiple_12=1200.0, npv_usd=0.0)
    >>> for w in plausibility_warnings(m, DEFAULT_ACTIONS[:1], "This action"):
    ...     print(w.split(":")[0])
    This action returns 1,200× its investment in the first year
    This action pays back in under a day
    """
    out: list[str] = []
    first_year = m.roi_multiple_12
    if first_year is not None and first_year > PLAUSIBLE_FIRST_YEAR_MULTIPLE:
        out.append(
            f"{subject} returns {format_multiple(first_year)} its investment in the first year: "
            "more than "
            f"{PLAUSIBLE_FIRST_YEAR_MULTIPLE:,.0f}× is beyond any example in the seed (its best "
            "median is 8.2×). "
            "Check the reduction, the engineering time and the cost it acts on before relying on "
            "it."
        )
    if (
        m.payback_months is not None
        and m.investment_usd > 0
        and m.payback_months < PLAUSIBLE_MIN_PAYBACK_MONTHS
    ):
        out.append(
            f"{subject} pays back in under a day: no fix is designed, built and deployed that "
            "fast. "
            "Check that its investment counts the work it takes."
        )
    for c in COMPONENTS:
        combined = combined_reduction([a.reduction("base") for a in actions if c in a.components])
        if combined > PLAUSIBLE_MAX_REDUCTION:
            out.append(
                f"{subject} removes {combined:.0%} of the {c} cost, more than the 87% of the "
                "seed's largest "
                "example (§3.2): overlapping actions rarely stack fully, so expect less."
            )
    return tuple(out)


def _rank_key(m: Metrics) -> tuple[int, float, float]:
    """Sort key: undefined ROI with savings (free money) first, then ROI, then faster payback."""
    if m.roi is None:
        group, value = (0, 0.0) if m.savings_horizon_usd > 0 else (2, 0.0)
    else:
        group, value = 1, -m.roi
    payback = m.payback_months if m.payback_months is not None else math.inf
    return group, value, payback


def evaluate_plan(inputs: MitigationInputs) -> MitigationResult:
    """Evaluate every action alone, each phase and the chosen plan; rank by ROI.

    Parameters
    ----------
    inputs : :class:`MitigationInputs`.

    Returns
    -------
    :class:`MitigationResult` : actions ranked by ROI at the horizon (all actions, each
    alone, flagged ``selected``), phases with selected actions ranked by ROI (the phase's
    selected actions together), the plan (all selected together) and monthly cash flows.

    Notes
    -----
    Rules (methodology page): reductions on a component combine multiplicatively
    (:func:`combined_reduction`); investment spreads over the duration, savings start when
    it ends (:func:`simulate_steps`); ROI $= (S_H - I_H)/I_H$ with $S_H, I_H$ accrued by the
    horizon (:func:`roi`); payback (:func:`payback_months`); NPV (:func:`npv`); low / base /
    high from the ranges; stage multiplier on investment (:func:`stage_multiplier`).

    References
    ----------
    Seed 001 §5 (phases, ranges), §3 (reductions), executive summary (stage).

    Examples
    --------
    >>> inp = MitigationInputs(
    ...     current_monthly_cost=ComponentCosts(inference=10_000.0, storage=2_000.0),
    ...     projected_monthly_cost=ComponentCosts(inference=40_000.0, storage=8_000.0))
    >>> res = evaluate_plan(inp)
    >>> res.actions[0].phase, [g.phase for g in res.phases], res.plan.roi < res.phases[0].roi
    (1, [1, 2, 3, 4], True)
    """
    selected = set(inputs.selected_ids)
    results: list[ActionResult] = []
    for a in inputs.applicable:
        base, _ = _metrics([a], inputs, "base")
        low, _ = _metrics([a], inputs, "low")
        high, _ = _metrics([a], inputs, "high")
        results.append(
            ActionResult(
                **base.model_dump(),
                id=a.id,
                name=a.name,
                phase=a.phase,
                seed_ref=a.seed_ref,
                components=a.components,
                selected=a.id in selected,
                reduction=a.reduction("base"),
                duration_months=a.duration_months("base"),
                engineers=a.engineers("base"),
                low=low,
                high=high,
                warnings=plausibility_warnings(base, [a], "This action"),
            )
        )
    results.sort(key=_rank_key)
    excluded = [
        ExcludedAction(id=a.id, name=a.name, phase=a.phase, reason=inputs.not_applicable[a.id])
        for a in inputs.actions
        if a.id in inputs.not_applicable
    ]

    chosen = [a for a in inputs.applicable if a.id in selected]
    groups: list[tuple[str, int | None, list[ActionSpec]]] = [
        (f"Phase {p}: {PHASE_NAMES[p]}", p, [a for a in chosen if a.phase == p])
        for p in sorted(PHASE_NAMES)
    ]
    groups = [g for g in groups if g[2]]
    if chosen:
        groups.append(("Plan", None, chosen))
    evaluated: list[GroupResult] = []
    series: list[CashFlowPoint] = []
    for name, phase, acts in groups:
        base, flows = _metrics(acts, inputs, "base")
        low, _ = _metrics(acts, inputs, "low")
        high, _ = _metrics(acts, inputs, "high")
        evaluated.append(
            GroupResult(
                **base.model_dump(),
                name=name,
                phase=phase,
                action_ids=tuple(a.id for a in acts),
                low=low,
                high=high,
                warnings=plausibility_warnings(
                    base, acts, "The plan" if phase is None else f"Phase {phase}"
                ),
            )
        )
        cumulative = np.cumsum(flows[1] - flows[0])
        for m in range(inputs.horizon_months):
            series.append(
                CashFlowPoint(
                    series=name,
                    month=m + 1,
                    investment_usd=float(flows[0, m]),
                    savings_usd=float(flows[1, m]),
                    net_usd=float(flows[1, m] - flows[0, m]),
                    cumulative_net_usd=float(cumulative[m]),
                )
            )
    plan = evaluated.pop() if chosen else None
    evaluated.sort(key=_rank_key)
    cur, proj = inputs.current_monthly_cost, inputs.projected_monthly_cost
    baseline = [
        sum(
            baseline_cost(
                getattr(cur, c),
                getattr(proj, c),
                inputs.growth_horizon_months,
                m,
                inputs.after_growth,
            )
            for c in COMPONENTS
        )
        for m in range(1, inputs.horizon_months + 1)
    ]
    return MitigationResult(
        actions=results,
        excluded=excluded,
        phases=evaluated,
        plan=plan,
        series=series,
        baseline_monthly_usd=baseline,
        horizon_months=inputs.horizon_months,
        discount_rate_annual=inputs.discount_rate_annual,
        stage=inputs.stage,
        stage_multiplier=stage_multiplier(inputs.stage),
        loaded_cost_per_fte_usd=inputs.loaded_cost_per_fte_usd,
        warnings=plan.warnings if plan is not None else (),
    )


# ---------------------------------------------------------------------------------------
# The seed's headline, recomputed from its own inputs
# ---------------------------------------------------------------------------------------

SEED_HEADLINE_QUOTED: dict[str, float] = {"phase12": 8.2, "phase4": 2.1}
"""Median ROI quoted by seed 001 §5 for phase 1–2 interventions and phase 4 redesigns (×)."""

SEED_HEADLINE_INPUTS: dict[str, dict[str, tuple[float, float]]] = {
    "phase12": {
        "weeks": (4.0, 8.0),
        "investment_usd": (40_000.0, 120_000.0),
        "annual_savings_usd": (400_000.0, 900_000.0),
    },
    "phase4": {
        "weeks": (52.0, 78.0),
        "investment_usd": (800_000.0, 2_500_000.0),
        "annual_savings_usd": (2_000_000.0, 4_000_000.0),
    },
}
"""Seed 001 §5 last paragraph: phases 1–2 "4-8 week timeline, $40-120K investment,
$400-900K annual savings"; phase 4 "12-18 month timeline, $800K-2.5M investment, $2-4M
annual savings"."""

HEADLINE_TOLERANCE = 0.05
"""A reading "reproduces" a quoted figure when within ±5% of it."""


class HeadlineReading(BaseModel, frozen=True, extra="forbid"):
    """One way of turning the seed's ranges into an ROI figure for phases 1–2 and phase 4."""

    name: str
    description: str
    phase12: float = Field(description="Phases 1–2 figure (×).")
    phase4: float = Field(description="Phase 4 figure (×).")
    matches_phase12: bool = Field(description="Within ±5% of the quoted 8.2×.")
    matches_phase4: bool = Field(description="Within ±5% of the quoted 2.1×.")


class SeedHeadline(BaseModel, frozen=True, extra="forbid"):
    """The seed's quoted ROI figures next to what its own inputs give."""

    quoted_phase12: float
    quoted_phase4: float
    readings: list[HeadlineReading]
    note: str = Field(
        description="Plain-language verdict: which readings reproduce the quoted figures."
    )


def _headline_plan(which: str, horizon: int) -> Metrics:
    """Seed headline ranges as one synthetic action run through the cash-flow engine."""
    spec = SEED_HEADLINE_INPUTS[which]
    s_lo, s_hi = spec["annual_savings_usd"]
    action = ActionSpec(
        id=which,
        name=which,
        phase=4 if which == "phase4" else 2,
        components=("inference",),
        reduction_low=s_lo / s_hi,
        reduction_high=1.0,
        investment_low_usd=spec["investment_usd"][0],
        investment_high_usd=spec["investment_usd"][1],
        duration_weeks_low=spec["weeks"][0],
        duration_weeks_high=spec["weeks"][1],
        engineers_low=0.0,
        engineers_high=0.0,  # the seed's own figures: its investment is all there is
    )
    cost = ComponentCosts(inference=s_hi / 12.0)
    inputs = MitigationInputs(
        current_monthly_cost=cost,
        projected_monthly_cost=cost,
        horizon_months=horizon,
        discount_rate_annual=0.0,
        actions=(action,),
    )
    metrics, _ = _metrics([action], inputs, "base")
    return metrics


def seed_headline() -> SeedHeadline:
    """Recompute seed 001 §5's headline (8.2× vs 2.1×) from the seed's own ranges.

    Returns
    -------
    :class:`SeedHeadline` : the quoted figures, several readings of the seed's inputs and a
    note saying plainly which readings reproduce the quoted figures.

    Notes
    -----
    Readings, each with $S$ = annual savings and $I$ = investment from
    :data:`SEED_HEADLINE_INPUTS`:

    1. simple multiple $S/I$ at the arithmetic midpoints;
    2. $S/I$ at the geometric midpoints ($\\sqrt{lo \\cdot hi}$);
    3. net first-year ROI $(S - I)/I$ at the arithmetic midpoints;
    4–5. this calculator's ROI at 12 and 36 months (investment over the midpoint timeline,
       savings from its end; :func:`evaluate_plan`'s rules).

    The seed's figures are medians over 31 projects, which ranges cannot reproduce exactly.

    References
    ----------
    Seed 001 §5, last paragraph.

    Examples
    --------
    >>> h = seed_headline()
    >>> round(h.readings[0].phase12, 3), round(h.readings[0].phase4, 3)
    (8.125, 1.818)
    """
    mid = {k: {f: sum(v) / 2 for f, v in d.items()} for k, d in SEED_HEADLINE_INPUTS.items()}
    geo = {
        k: {f: math.sqrt(v[0] * v[1]) for f, v in d.items()}
        for k, d in SEED_HEADLINE_INPUTS.items()
    }

    def multiple(vals: dict[str, float]) -> float:
        return vals["annual_savings_usd"] / vals["investment_usd"]

    rows: list[tuple[str, str, float, float]] = [
        (
            "Annual savings ÷ investment (midpoints)",
            "S/I with S, I at the middle of the seed's ranges: $650K/$80K and $3M/$1.65M.",
            multiple(mid["phase12"]),
            multiple(mid["phase4"]),
        ),
        (
            "Annual savings ÷ investment (geometric midpoints)",
            "S/I with S, I at the geometric middle √(low·high) of the ranges.",
            multiple(geo["phase12"]),
            multiple(geo["phase4"]),
        ),
        (
            "Net first-year ROI (midpoints)",
            "(S − I)/I: savings net of the investment, one year of savings.",
            multiple(mid["phase12"]) - 1,
            multiple(mid["phase4"]) - 1,
        ),
    ]
    for horizon in (12, 36):
        p12, p4 = _headline_plan("phase12", horizon), _headline_plan("phase4", horizon)
        rows.append(
            (
                f"This calculator's ROI at {horizon} months",
                "(S − I)/I with the investment spread over the midpoint timeline (6 weeks; 15 "
                "months) and "
                f"savings from its end, over {horizon} months.",
                p12.roi if p12.roi is not None else float("nan"),
                p4.roi if p4.roi is not None else float("nan"),
            )
        )
    q12, q4 = SEED_HEADLINE_QUOTED["phase12"], SEED_HEADLINE_QUOTED["phase4"]

    def close(x: float, q: float) -> bool:
        return abs(x - q) <= HEADLINE_TOLERANCE * q

    readings = [
        HeadlineReading(
            name=n,
            description=d,
            phase12=a,
            phase4=b,
            matches_phase12=close(a, q12),
            matches_phase4=close(b, q4),
        )
        for n, d, a, b in rows
    ]
    both = [r.name for r in readings if r.matches_phase12 and r.matches_phase4]
    first = readings[0]

    def verdict(x: float, q: float, ok: bool) -> str:
        return f"{x:.1f}× (quoted {q}×, {'reproduced' if ok else 'not reproduced'})"

    lines = [
        "Annual savings ÷ investment at the seed's own midpoints gives "
        f"{verdict(first.phase12, q12, first.matches_phase12)} for phases 1–2 and "
        f"{verdict(first.phase4, q4, first.matches_phase4)} for phase 4.",
    ]
    if both:
        lines.append(
            "Readings that reproduce both quoted figures within ±5%: " + "; ".join(both) + "."
        )
    else:
        lines.append("No single reading reproduces both quoted figures within ±5%.")
    lines.append(
        "The seed quotes medians over 31 projects, which its ranges cannot pin down; its phases "
        "1–2 "
        "investment ($40–120K) also differs from the sum of its phase 1 and 2 ranges ($20–85K), "
        "and its "
        "phase 4 investment ($0.8–2.5M) from the phase 4 heading ($0.5–2M). Counting "
        "implementation time, "
        "phases 1–2 pay back in weeks while phase 4 saves nothing in its first year."
    )
    return SeedHeadline(
        quoted_phase12=q12, quoted_phase4=q4, readings=readings, note=" ".join(lines)
    )


# ---------------------------------------------------------------------------------------
# Headline figures for the PDF
# ---------------------------------------------------------------------------------------


def format_multiple(value: float | None) -> str:
    """A return multiple as text, with thousands separators: "12×", "1,193×", "0.4×".

    Examples
    --------
    >>> format_multiple(12.3), format_multiple(1192.9), format_multiple(0.42), format_multiple(None)
    ('12×', '1,193×', '0.4×', 'no investment')
    """
    if value is None:
        return "no investment"
    return f"{value:,.0f}×" if value >= 10 else f"{value:,.1f}×"


def format_payback(months: float | None, horizon: int) -> str:
    """Payback as text: months, or weeks / days when under a month, or "not within N months".

    Examples
    --------
    >>> [format_payback(m, h) for m, h in ((2.345, 36), (0.5, 36), (0.02, 36), (None, 12))]
    ['2.3 months', '2.2 weeks', 'under a day', 'not within 12 months']
    """
    if months is None:
        return f"not within {horizon:,} months"
    if months >= 1:
        return f"{months:,.1f} months"
    weeks = months * WEEKS_PER_MONTH
    if weeks >= 1:
        return f"{weeks:,.1f} weeks"
    days = weeks * 7
    return f"{days:,.1f} days" if days >= 1 else "under a day"


def key_figures(
    result: MitigationResult, ranges: PlanUncertainty | None = None
) -> list[tuple[str, str]]:
    """Headline results as (label, formatted value with unit) for the page and the PDF; with
    ``ranges`` the plan's figures carry their likely range (P10–P90).

    Examples
    --------
    >>> inp = MitigationInputs(current_monthly_cost=ComponentCosts(inference=10_000.0),
    ...     projected_monthly_cost=ComponentCosts(inference=10_000.0), selected=("enable_caching",))
    >>> dict(key_figures(evaluate_plan(inp)))["Plan investment"]
    '$4,519 ($625 cash + $3,894 engineering time)'
    """
    h = result.horizon_months
    figures: list[tuple[str, str]] = []
    if result.plan is not None:
        p = result.plan
        u = ranges

        def likely(text: str | None) -> str:
            return "" if text is None else f"; {text}"

        figures += [
            (
                "Plan savings at today's cost",
                f"${p.monthly_savings_usd:,.0f}/month"
                + likely(u and format_likely(u.monthly_savings_usd, format_usd)),
            ),
            (
                "Plan payback",
                format_payback(p.payback_months, h)
                + likely(u and format_likely_payback(u.payback_months, h)),
            ),
            (
                f"Plan ROI at {h:,} months",
                format_multiple(p.roi_multiple)
                + likely(u and u.roi_multiple and format_likely(u.roi_multiple, format_multiple)),
            ),
            (
                "Plan investment",
                f"${p.investment_usd:,.0f} (${p.cash_usd:,.0f} cash + "
                f"${p.engineering_usd:,.0f} engineering time)"
                + likely(u and format_likely(u.investment_usd, format_usd)),
            ),
            (
                f"Plan NPV over {h:,} months",
                format_usd(p.npv_usd) + likely(u and format_likely(u.npv_usd, format_usd)),
            ),
        ]
    if result.actions:
        top = result.actions[0]
        figures.append(
            (
                "Best action by ROI",
                f"{top.name} (phase {top.phase}, {format_multiple(top.roi_multiple)})",
            )
        )
    if result.phases:
        best = result.phases[0]
        figures.append(("Best phase by ROI", f"{best.name} ({format_multiple(best.roi_multiple)})"))
    return figures


# ---------------------------------------------------------------------------------------
# Editable table rows and display rows (shared by the page, CLI and PDF)
# ---------------------------------------------------------------------------------------

EDITABLE_COLUMNS: tuple[str, ...] = (
    "selected",
    "applies",
    "phase",
    "id",
    "name",
    "components",
    "reduction_low_pct",
    "reduction_high_pct",
    "investment_low_usd",
    "investment_high_usd",
    "duration_weeks_low",
    "duration_weeks_high",
    "engineers_low",
    "engineers_high",
    "seed_ref",
    "description",
)
"""Columns of the editable action table (percentages for readability)."""


def actions_to_rows(
    actions: Sequence[ActionSpec],
    selected: Sequence[str] | None = None,
    not_applicable: Sequence[str] = (),
) -> list[dict[str, object]]:
    """Action specs as editable table rows (reductions in percent).

    Examples
    --------
    >>> row = actions_to_rows(DEFAULT_ACTIONS[:1])[0]
    >>> row["reduction_low_pct"], row["reduction_high_pct"], row["selected"], row["applies"]
    (30.0, 60.0, True, True)
    """
    chosen = set(selected) if selected is not None else None
    return [
        {
            "selected": (chosen is None or a.id in chosen) and a.id not in not_applicable,
            "applies": a.id not in not_applicable,
            "phase": a.phase,
            "id": a.id,
            "name": a.name,
            "components": list(a.components),
            "reduction_low_pct": round(a.reduction_low * 100, 6),
            "reduction_high_pct": round(a.reduction_high * 100, 6),
            "investment_low_usd": a.investment_low_usd,
            "investment_high_usd": a.investment_high_usd,
            "duration_weeks_low": a.duration_weeks_low,
            "duration_weeks_high": a.duration_weeks_high,
            "engineers_low": a.engineers_low,
            "engineers_high": a.engineers_high,
            "seed_ref": a.seed_ref,
            "description": a.description,
        }
        for a in actions
    ]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def rows_to_actions(
    rows: Sequence[dict[str, object]],
) -> tuple[tuple[ActionSpec, ...], tuple[str, ...], tuple[str, ...]]:
    """Editable table rows back to (actions, selected ids, ids that do not apply);
    :class:`InputError` naming the row.

    Examples
    --------
    >>> rows = actions_to_rows(DEFAULT_ACTIONS, not_applicable=("pruning",))
    >>> acts, sel, off = rows_to_actions(rows)
    >>> acts == DEFAULT_ACTIONS, len(sel), off
    (True, 14, ('pruning',))
    >>> bad = actions_to_rows(DEFAULT_ACTIONS[:1]); bad[0]["reduction_low_pct"] = 90.0
    >>> rows_to_actions(bad)
    Traceback (most recent call last):
    ...
    calculator.errors.InputError: Enable caching: reduction low (90%) must not exceed high (60%)
    """
    from pydantic import ValidationError

    from calculator.errors import InputError, describe_validation_error

    actions: list[ActionSpec] = []
    selected: list[str] = []
    off: list[str] = []
    problems: list[str] = []
    for i, row in enumerate(rows):
        label = str(row.get("name") or row.get("id") or f"row {i + 1}")
        optional = (
            "seed_ref",
            "description",
            "selected",
            "applies",
            "engineers_low",
            "engineers_high",
        )
        empty = [c for c in EDITABLE_COLUMNS if c not in optional and _missing(row.get(c))]
        if empty:
            problems.append(f"{label}: empty cell(s): {', '.join(empty)}")
            continue
        bad_pct = [
            f"{c.replace('_pct', '').replace('_', ' ')} must be 0–100% (got {row[c]}%)"
            for c in ("reduction_low_pct", "reduction_high_pct")
            if not 0 <= float(row[c]) <= 100
        ]  # type: ignore[arg-type]
        if bad_pct:
            problems.append(f"{label}: {'; '.join(bad_pct)}")
            continue
        comps = row["components"]
        if isinstance(comps, str):
            comps = [c.strip() for c in comps.split(",") if c.strip()]
        data = {
            "id": row["id"],
            "name": row["name"],
            "phase": row["phase"],
            "seed_ref": row.get("seed_ref") or "",
            "description": row.get("description") or "",
            "components": tuple(comps or ()),  # type: ignore[call-overload]
            "reduction_low": float(row["reduction_low_pct"]) / 100,  # type: ignore[arg-type]
            "reduction_high": float(row["reduction_high_pct"]) / 100,  # type: ignore[arg-type]
            "investment_low_usd": row["investment_low_usd"],
            "investment_high_usd": row["investment_high_usd"],
            "duration_weeks_low": row["duration_weeks_low"],
            "duration_weeks_high": row["duration_weeks_high"],
        }
        for c in ("engineers_low", "engineers_high"):
            if not _missing(row.get(c)):
                data[c] = row[c]
        try:
            action = ActionSpec.model_validate(data)
        except ValidationError as exc:
            reason = describe_validation_error(exc).replace("(top level): ", "")
            problems.append(f"{label}: {reason}")
            continue
        actions.append(action)
        applies = bool(row.get("applies", True))
        if not applies:
            off.append(action.id)
        elif bool(row.get("selected", True)):
            selected.append(action.id)
    if problems:
        raise InputError("\n".join(problems))
    ids = [a.id for a in actions]
    if len(set(ids)) != len(ids):
        raise InputError("action ids must be unique")
    if not actions:
        raise InputError("the action table is empty")
    return tuple(actions), tuple(selected), tuple(off)


def action_rows(result: MitigationResult) -> list[dict[str, object]]:
    """Ranked actions as display rows: the decision first (savings, payback, ROI), then the
    detail."""
    h = result.horizon_months
    return [
        {
            "Rank": i + 1,
            "Action": a.name,
            "Saves (USD/month)": f"${a.monthly_savings_usd:,.0f}",
            "Payback": format_payback(a.payback_months, h),
            f"ROI at {h:,} months": format_multiple(a.roi_multiple),
            "Investment (USD)": f"${a.investment_usd:,.0f}",
            "In plan": a.selected,
            "Phase": a.phase,
            "Engineering time (USD)": f"${a.engineering_usd:,.0f}",
            "Reduces": ", ".join(a.components),
            f"ROI range at {h:,} months": (
                f"{format_multiple(a.low.roi_multiple)} – {format_multiple(a.high.roi_multiple)}"
            ),
            f"NPV over {h:,} months (USD)": f"${a.npv_usd:,.0f}",
            "Check": " ".join(a.warnings),
            "Source": a.seed_ref,
        }
        for i, a in enumerate(result.actions)
    ]


def group_rows(result: MitigationResult) -> list[dict[str, object]]:
    """Ranked phases, then the plan, as display rows (the decision first)."""
    h = result.horizon_months
    groups = list(result.phases) + ([result.plan] if result.plan is not None else [])
    return [
        {
            "Rank": "plan" if g.phase is None else str(i + 1),
            "Phase": g.name,
            "Saves (USD/month)": f"${g.monthly_savings_usd:,.0f}",
            "Payback": format_payback(g.payback_months, h),
            f"ROI at {h:,} months": format_multiple(g.roi_multiple),
            "Investment (USD)": f"${g.investment_usd:,.0f}",
            "Engineering time (USD)": f"${g.engineering_usd:,.0f}",
            "Actions": len(g.action_ids),
            f"ROI range at {h:,} months": (
                f"{format_multiple(g.low.roi_multiple)} – {format_multiple(g.high.roi_multiple)}"
            ),
            f"NPV over {h:,} months (USD)": f"${g.npv_usd:,.0f}",
            "Check": " ".join(g.warnings),
        }
        for i, g in enumerate(groups)
    ]


# ---------------------------------------------------------------------------------------
# Ranges and what drives them (issue 12)
# ---------------------------------------------------------------------------------------

SPREADABLE: tuple[str, ...] = (
    *(f"current_monthly_cost.{c}" for c in COMPONENTS),
    *(f"projected_monthly_cost.{c}" for c in COMPONENTS),
    "discount_rate_annual",
    "loaded_cost_per_fte_usd",
)
"""Inputs of :class:`MitigationInputs` that may carry a ± spread: every continuous number the
plan's cash flow reads.  The horizons are whole months (not spread); each action's reduction,
cash, duration and engineers have ranges of their own already."""

ASSUMED_REDUCTIONS: frozenset[str] = frozenset(
    {
        "pruning",
        "managed_services",
        "feature_store",
        "edge_inference",
        "micro_batch_pipelines",
        "architecture_replacement",
        "federated_learning",
        "platform_migration",
    }
)
"""Default actions whose reduction range is a ScaleRisk assumption, not a seed figure
(methodology page, default actions table)."""


def input_label(path: str) -> str:
    """What a person reads for an input's dotted path.

    Examples
    --------
    >>> input_label("current_monthly_cost.inference"), input_label("discount_rate_annual")
    ("today's inference cost", 'discount rate')
    """
    section, _, name = path.rpartition(".")
    if section == "current_monthly_cost":
        return f"today's {name} cost"
    if section == "projected_monthly_cost":
        return f"projected {name} cost"
    names = {
        "discount_rate_annual": "discount rate",
        "loaded_cost_per_fte_usd": "loaded cost per engineer",
        "growth_horizon_months": "growth horizon",
        "horizon_months": "ROI horizon",
    }
    return names.get(path, path.replace("_", " "))


def plan_actions(inputs: MitigationInputs) -> list[ActionSpec]:
    """The actions of the chosen plan (selected and applicable), in action order."""
    chosen = set(inputs.selected_ids)
    return [a for a in inputs.applicable if a.id in chosen]


def _span(lo: float, hi: float, fmt: str) -> str:
    """``"30–60%"``-style text of a range in ``fmt`` (one value when both ends print alike)."""
    a, b = fmt.format(lo), fmt.format(hi)
    unit = ""
    for suffix in ("%", " weeks", " FTE"):
        if a.endswith(suffix) and b.endswith(suffix):
            a, unit = a[: -len(suffix)], suffix
            b = b[: -len(suffix)]
    return f"{a}{unit}" if a == b else f"{a}–{b}{unit}"


def plan_inputs(
    inputs: MitigationInputs, spreads: Mapping[str, float] | None = None
) -> list[Uncertain]:
    """The plan's uncertain inputs: each action's four ranges, the stage discount, your spreads.

    Parameters
    ----------
    inputs : the plan.
    spreads : dotted path (one of :data:`SPREADABLE`) → ± spread as a fraction (0–1).

    Returns
    -------
    list : per selected action (in action order) its reduction, cash investment, duration
    (weeks) and engineers (FTE), each **uniform** over its range (keys ``<id>.reduction``,
    ``<id>.cash``, ``<id>.weeks``, ``<id>.engineers``); the stage multiplier (key ``stage``,
    uniform over seed 001's 40–60% discount, unless the stage is production); each marked
    input **triangular** around its value (key: its path).

    Raises
    ------
    ValueError : a path that cannot carry a spread, or a spread outside 0–1.

    Notes
    -----
    Uniform because the seed gives each range without a likelier value inside it (seed 001 §5:
    "30-60%"); the base (the headline's value) is the midpoint, as in :func:`evaluate_plan`.
    A range is labelled with where it comes from: the seed, a ScaleRisk assumption (engineers,
    reductions without a seed figure) or "your table" when it differs from the default.

    Examples
    --------
    >>> inp = MitigationInputs(selected=("enable_caching",))
    >>> for u in plan_inputs(inp)[:2]:
    ...     print(u.label)
    Enable caching: reduction (seed 001 §5: 30–60%)
    Enable caching: cash (seed 001 §5: $0–$1,250)
    """
    values = Spreads(values=dict(spreads or {})).values
    bad = [p for p in values if p not in SPREADABLE]
    if bad:
        raise ValueError(
            f"{', '.join(sorted(bad))} cannot carry a spread; inputs that can: "
            + ", ".join(SPREADABLE)
        )
    defaults = {a.id: a for a in DEFAULT_ACTIONS}
    out: list[Uncertain] = []
    for a in plan_actions(inputs):
        default = defaults.get(a.id)
        rows: tuple[tuple[str, str, float, float, tuple[str, str], bool, str], ...] = (
            (
                "reduction",
                "reduction",
                a.reduction_low,
                a.reduction_high,
                ("reduction_low", "reduction_high"),
                a.id in ASSUMED_REDUCTIONS,
                "{:.0%}",
            ),
            (
                "cash",
                "cash",
                a.investment_low_usd,
                a.investment_high_usd,
                ("investment_low_usd", "investment_high_usd"),
                False,
                "${:,.0f}",
            ),
            (
                "weeks",
                "duration",
                a.duration_weeks_low,
                a.duration_weeks_high,
                ("duration_weeks_low", "duration_weeks_high"),
                False,
                "{:g} weeks",
            ),
            (
                "engineers",
                "engineers",
                float(a.engineers_low or 0.0),
                float(a.engineers_high or 0.0),
                ("engineers_low", "engineers_high"),
                True,
                "{:g} FTE",
            ),
        )
        for key, what, lo, hi, fields, assumed, fmt in rows:
            edited = default is None or any(getattr(a, f) != getattr(default, f) for f in fields)
            source: Source = "your spread" if edited else "assumption" if assumed else "seed range"
            where = {
                "your spread": "your table",
                "assumption": "ScaleRisk assumption",
                "seed range": "seed 001 §5",
            }[source]
            reference = {
                "your spread": "your action table",
                "assumption": "ScaleRisk assumption"
                + (" (no seed figure)" if key == "reduction" else " (PHASE_ENGINEERS_FTE)"),
                "seed range": a.seed_ref if key == "reduction" else f"seed 001 §5 phase {a.phase}",
            }
            out.append(
                Uncertain(
                    key=f"{a.id}.{key}",
                    label=f"{a.name}: {what} ({where}: {_span(lo, hi, fmt)})",
                    kind="uniform",
                    low=lo,
                    base=(lo + hi) / 2,
                    high=hi,
                    source=source,
                    reference=reference[source],
                    floor=lo,
                    ceiling=hi,
                )
            )
    if inputs.stage != "production":
        m = STAGE_INVESTMENT_MULTIPLIER[inputs.stage]
        design = inputs.stage == "design"
        out.append(
            Uncertain(
                key="stage",
                label=f"Stage multiplier on investment: ×{m['high']:g}–{m['low']:g} ("
                + ("seed 001 summary: 40–60% less" if design else "ScaleRisk assumption")
                + ")",
                kind="uniform",
                low=m["high"],
                base=m["base"],
                high=m["low"],
                source="seed range" if design else "assumption",
                reference="seed 001 executive summary"
                if design
                else "ScaleRisk assumption: halfway between design and production",
                floor=m["high"],
                ceiling=m["low"],
            )
        )
    fields = numeric_fields(MitigationInputs)
    for path, spread in values.items():
        if spread <= 0:
            continue
        value: float = float(_path_value(inputs, path))
        lo, hi = field_bounds(fields[path])
        label = input_label(path)
        out.append(
            around(
                path,
                f"{label[0].upper()}{label[1:]} (your ± {spread:.0%})",
                value,
                spread,
                floor=lo,
                ceiling=hi,
            )
        )
    return out


def _path_value(model: BaseModel, path: str) -> object:
    value: object = model
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _baseline_months(
    current: np.ndarray, projected: np.ndarray, growth_months: int, months: int, after: str
) -> np.ndarray:
    """:func:`baseline_cost` of months 1..``months`` for each row, plus a 0 column (padding)."""
    x = np.arange(1, months + 1) / growth_months
    if after == "hold":
        x = np.minimum(x, 1.0)
    c0, cp = current[:, None], projected[:, None]
    geometric = (c0 > 0) & (cp > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        l0 = np.log(np.where(geometric, c0, 1.0))
        lp = np.log(np.where(geometric, cp, 1.0))
    cost = np.where(
        geometric,
        np.exp(np.minimum(l0 + x * (lp - l0), math.log(COST_CEILING_USD))),
        np.maximum(0.0, c0 + (cp - c0) * x),
    )
    return np.concatenate([cost, np.zeros((cost.shape[0], 1))], axis=1)


def _prefix(x: np.ndarray) -> np.ndarray:
    """Cumulative sums along axis 1 with a leading 0: ``out[:, j] = x[:, :j].sum(1)``."""
    return np.concatenate([np.zeros((x.shape[0], 1)), np.cumsum(x, axis=1)], axis=1)


def plan_samples(
    inputs: MitigationInputs, values: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The plan's headline figures for each row of ``values``: :func:`evaluate_plan` on arrays.

    Parameters
    ----------
    inputs : the plan (every input not in ``values`` takes its value here).
    values : arrays by key (:func:`plan_inputs`' keys), all of one length or length 1.

    Returns
    -------
    dict : arrays of ``npv_usd``, ``payback_months`` (``inf`` = not within the horizon),
    ``roi_multiple`` (NaN = no investment), ``investment_usd`` (cash + engineering, after the
    stage multiplier), ``investment_horizon_usd``, ``savings_horizon_usd`` and
    ``monthly_savings_usd`` (at today's cost).

    Notes
    -----
    The same grid and rules as :func:`simulate_steps` (30 steps a month; investment spread over
    the duration; reduction from its end; reductions combined multiplicatively), without
    looping over the grid.  Per sample, with the actions sorted by the step $e_j$ in which
    each ends and $P_j = \\prod_{l \\le j} (1 - r_l)$, the savings of component $c$ accrued
    before step $K$ are
    $$S_c(K) = \\sum_{j:\\, e_j < K} \\big( P_{j-1} r_j \\,[B_c(K) - B_c(e_j + 1)]
    + \\delta_j \\big),$$
    with $B_c(K) = \\sum_{k<K} b_c(m_k) / 30$ the cumulative baseline and $\\delta_j$ the
    correction of the one step in which action $j$ ends part-way; investment
    $I(K) = \\sum_{j:\\, e_j < K} I_j + (K/30) \\sum_{j:\\, e_j \\ge K} I_j / D_j$.  Net cash
    flow is linear between month boundaries and the ends of these steps, so payback is the
    last crossing of zero of that piecewise-linear line (:func:`payback_months`).  A test
    checks every figure against :func:`evaluate_plan` on the same values.

    Examples
    --------
    >>> inp = MitigationInputs(selected=("enable_caching",))
    >>> s = plan_samples(inp, {"enable_caching.reduction": np.array([0.3, 0.6])})
    >>> bool(s["npv_usd"][0] < s["npv_usd"][1])
    True
    """
    acts = plan_actions(inputs)
    if not acts:
        raise ValueError("the plan has no action: select at least one")
    n = max([int(np.size(v)) for v in values.values()] + [1])

    def col(key: str, default: float) -> np.ndarray:
        v = values.get(key)
        return np.broadcast_to(np.asarray(default if v is None else v, dtype=float), (n,))

    def cols(suffix: str, default: Callable[[ActionSpec], float]) -> np.ndarray:
        return np.stack([col(f"{a.id}.{suffix}", default(a)) for a in acts], axis=1)

    h, per = inputs.horizon_months, STEPS_PER_MONTH
    steps, dt, rows = h * per, 1.0 / per, np.arange(n)[:, None]
    red = cols("reduction", lambda a: a.reduction("base"))
    cash = cols("cash", lambda a: a.investment("base"))
    weeks = cols("weeks", lambda a: (a.duration_weeks_low + a.duration_weeks_high) / 2)
    fte = cols("engineers", lambda a: a.engineers("base"))
    mult = col("stage", stage_multiplier(inputs.stage))
    loaded = col("loaded_cost_per_fte_usd", inputs.loaded_cost_per_fte_usd)
    rate = col("discount_rate_annual", inputs.discount_rate_annual)

    d = weeks / WEEKS_PER_MONTH  # months, as ActionSpec.duration_months
    eng = fte * (d * WEEKS_PER_MONTH) * loaded[:, None] / WEEKS_PER_YEAR
    cash_sum, eng_sum = np.zeros(n), np.zeros(n)
    for j in range(len(acts)):
        cash_sum, eng_sum = cash_sum + cash[:, j], eng_sum + eng[:, j]
    total = (cash + eng) * mult[:, None]

    now = np.zeros(n)
    for c in COMPONENTS:
        remaining = np.ones(n)
        for j, a in enumerate(acts):
            if c in a.components:
                remaining = remaining * (1.0 - red[:, j])
        now = now + col(f"current_monthly_cost.{c}", getattr(inputs.current_monthly_cost, c)) * (
            1.0 - remaining
        )

    # the step in which each action ends (its after-fraction is 0 before, 1 after)
    e = np.floor(d * per)
    e = np.where((e + 1.0) / per <= d, e + 1.0, e)
    e = np.where(e / per > d, e - 1.0, e)
    frac = np.clip((e + 1.0) / per - np.maximum(e / per, d), 0.0, None) / dt
    order = np.argsort(e, axis=1, kind="stable")
    E = np.take_along_axis(e, order, axis=1).astype(np.int64)
    L = E + 1
    f_s = np.take_along_axis(frac, order, axis=1)
    tot_s = np.take_along_axis(total, order, axis=1)
    rate_s = tot_s / np.take_along_axis(d, order, axis=1)

    # evaluation points: month boundaries, and the start and end of each action's last step
    K = np.concatenate(
        [
            np.broadcast_to(np.arange(h + 1) * per, (n, h + 1)),
            np.minimum(E, steps),
            np.minimum(L, steps),
        ],
        axis=1,
    )
    width, count = steps + 2, len(acts)
    flat = (np.minimum(L, steps + 1) + rows * width).ravel()
    idx = np.searchsorted(flat, (K + rows * width).ravel(), side="right").reshape(K.shape)
    idx = idx - rows * count  # number of actions with e_j < K

    at = idx + rows * (count + 1)  # flat index into the [n, count + 1] prefix sums

    def gather(prefix: np.ndarray) -> np.ndarray:
        return prefix.ravel()[at]

    ct, cr = _prefix(tot_s), _prefix(rate_s)
    invested = gather(ct) + (K / per) * (cr[:, -1:] - gather(cr))

    # actions ending in the same step form a group; its partial step is corrected once
    first = np.concatenate([np.ones((n, 1), dtype=bool), E[:, 1:] != E[:, :-1]], axis=1)
    starts = np.flatnonzero(first)
    start_rows = starts // count
    q_e = (np.minimum(E, steps) // per).ravel()[starts]  # month of each group's step
    q_k = K // per
    part_k = (K - q_k * per) * dt
    lc = np.minimum(L, steps)
    q_l = lc // per
    part_l = (lc - q_l * per) * dt
    saved = np.zeros(K.shape)
    for c in COMPONENTS:
        on = np.array([c in a.components for a in acts])
        if not on.any():
            continue
        r_s = np.take_along_axis(red * on, order, axis=1)
        b = _baseline_months(
            np.atleast_1d(
                values.get(f"current_monthly_cost.{c}", getattr(inputs.current_monthly_cost, c))
            ).astype(float),
            np.atleast_1d(
                values.get(f"projected_monthly_cost.{c}", getattr(inputs.projected_monthly_cost, c))
            ).astype(float),
            inputs.growth_horizon_months,
            h,
            inputs.after_growth,
        )
        cum_b = _prefix(b)
        if b.shape[0] == 1:  # one baseline for every sample: plain indexing
            b_k = cum_b[0][q_k] + b[0][q_k] * part_k
            b_l = cum_b[0][q_l] + b[0][q_l] * part_l
            b_e = b[0][q_e]
        else:
            b_k = np.take_along_axis(cum_b, q_k, 1) + np.take_along_axis(b, q_k, 1) * part_k
            b_l = np.take_along_axis(cum_b, q_l, 1) + np.take_along_axis(b, q_l, 1) * part_l
            b_e = b[start_rows, q_e]
        p = np.cumprod(1.0 - r_s, axis=1)
        p_prev = np.concatenate([np.ones((n, 1)), p[:, :-1]], axis=1)
        coef = p_prev * r_s
        tie = np.multiply.reduceat((1.0 - f_s * r_s).ravel(), starts)
        delta = np.zeros(n * count)
        delta[starts] = b_e * dt * p_prev.ravel()[starts] * (1.0 - tie)
        extra = _prefix(delta.reshape(n, count) - coef * b_l)
        saved += b_k * gather(_prefix(coef)) + gather(extra)

    net = saved - invested
    monthly = net[:, 1 : h + 1] - net[:, :h]
    rm = (1.0 + rate) ** (1.0 / 12.0) - 1.0
    npv_usd = (monthly * (1.0 + rm[:, None]) ** -np.arange(1, h + 1, dtype=float)).sum(axis=1)

    # payback: the last crossing of zero of the piecewise-linear cumulative net cash flow
    o = np.argsort(K, axis=1, kind="stable")
    ks, fs = np.take_along_axis(K, o, 1).astype(float), np.take_along_axis(net, o, 1)
    negative = fs < 0
    last = fs.shape[1] - 1 - np.argmax(negative[:, ::-1], axis=1)
    j = np.minimum(last, fs.shape[1] - 2)[:, None]
    f0, f1 = np.take_along_axis(fs, j, 1)[:, 0], np.take_along_axis(fs, j + 1, 1)[:, 0]
    k0, k1 = np.take_along_axis(ks, j, 1)[:, 0], np.take_along_axis(ks, j + 1, 1)[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = k0 + np.where(f1 > f0, -f0 / (f1 - f0), 0.0) * (k1 - k0)
    payback = np.where(fs[:, -1] < 0, np.inf, np.where(negative.any(axis=1), crossing / per, 0.0))
    savings_h, invest_h = saved[:, h], invested[:, h]
    with np.errstate(divide="ignore", invalid="ignore"):
        multiple = np.where(invest_h > 0, savings_h / invest_h, np.nan)
    return {
        "npv_usd": npv_usd,
        "payback_months": payback,
        "roi_multiple": multiple,
        "investment_usd": cash_sum * mult + eng_sum * mult,
        "investment_horizon_usd": invest_h,
        "savings_horizon_usd": savings_h,
        "monthly_savings_usd": now,
    }


class PaybackRange(BaseModel, frozen=True, extra="forbid"):
    """Payback's point value and P10 / P50 / P90, in months; None = not within the horizon."""

    point: float | None = Field(
        description="The base case's payback (None: not within the horizon)."
    )
    p10: float | None
    p50: float | None
    p90: float | None
    never_share: float = Field(
        description="Share of the simulations that do not pay back within the horizon."
    )

    def as_dict(self) -> dict[str, float | None]:
        """``{"p10", "p50", "p90", "never_share"}`` for the CLI's JSON (null: not within it)."""
        return {"p10": self.p10, "p50": self.p50, "p90": self.p90, "never_share": self.never_share}


def payback_range(samples: np.ndarray, point: float | None) -> PaybackRange:
    """Quantiles of payback samples, counting "never" (``inf``) as later than any payback.

    Notes
    -----
    Linear interpolation between order statistics, like :func:`calculator.uncertainty.quantiles`,
    with never = $+\\infty$: a quantile that falls on a sample that never pays back, or between
    one and a finite payback, is "never" (None).  So "P90: never" reads "more than 10% of the
    simulations do not pay back within the horizon".

    Examples
    --------
    >>> r = payback_range(np.array([1.0, 2.0, 3.0, 4.0, np.inf]), 2.5)
    >>> r.p10, r.p50, r.p90, r.never_share
    (1.4, 3.0, None, 0.2)
    """
    x = np.sort(np.where(np.isnan(samples), np.inf, np.asarray(samples, dtype=float)))
    if x.size == 0:
        return PaybackRange(point=point, p10=point, p50=point, p90=point, never_share=0.0)

    def q(p: float) -> float | None:
        pos = p * (x.size - 1)
        lo, hi = math.floor(pos), math.ceil(pos)
        if not math.isfinite(x[hi]):
            return None
        return float(x[lo] + (x[hi] - x[lo]) * (pos - lo))

    return PaybackRange(
        point=point,
        p10=q(0.1),
        p50=q(0.5),
        p90=q(0.9),
        never_share=float(np.mean(~np.isfinite(x))),
    )


class PlanUncertainty(BaseModel, frozen=True, extra="forbid"):
    """The plan's headlines as P10 / P50 / P90 of a simulation, and what moves its NPV."""

    samples: int
    seed: int
    horizon_months: int
    inputs: tuple[Uncertain, ...] = Field(description="The uncertain inputs and their ranges.")
    npv_usd: Range = Field(description="NPV of the plan's cash flow over the horizon (USD).")
    payback_months: PaybackRange
    roi_multiple: Range | None = Field(
        description="Savings ÷ investment accrued by the horizon (×); None when the base case "
        "invests nothing (simulations without investment are left out)."
    )
    investment_usd: Range = Field(description="Total investment, cash + engineering time (USD).")
    savings_horizon_usd: Range = Field(description="Savings accrued within the horizon (USD).")
    monthly_savings_usd: Range = Field(description="Savings per month at today's cost (USD/month).")
    share_npv_negative: float = Field(description="Share of the simulations with a negative NPV.")
    npv_tornado: tuple[TornadoBar, ...] = Field(
        description="Swing of the NPV per uncertain input, largest first."
    )
    basis: str = Field(description="How sure: what is assumed, what the user gave.")


def plan_uncertainty(
    inputs: MitigationInputs,
    spreads: Mapping[str, float] | None = None,
    n: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> PlanUncertainty | None:
    """P10 / P50 / P90 of the plan's NPV, payback, ROI, investment and savings; NPV tornado; basis.

    Parameters
    ----------
    inputs : the plan.
    spreads : inputs the user only knows roughly: path (:data:`SPREADABLE`) → ± fraction.
    n, seed : samples and the random generator's seed (fixed: the same range everywhere).

    Returns
    -------
    :class:`PlanUncertainty`, or None when no action is selected.

    Notes
    -----
    Uncertain inputs: :func:`plan_inputs` (each range uniform, each spread triangular).  The
    points are :func:`evaluate_plan`'s plan figures (the formula on the base inputs); the
    simulation (:func:`plan_samples`) never changes them.  Payback quantiles count "never" as
    later than any payback (:func:`payback_range`).  The tornado moves one input to its low and
    high end with the others at base (:func:`calculator.uncertainty.tornado`).

    References
    ----------
    Seed 001 §5 (reduction, investment and duration ranges), executive summary (stage).

    Examples
    --------
    >>> u = plan_uncertainty(MitigationInputs(), n=500)
    >>> u.npv_usd.p10 <= u.npv_usd.point <= u.npv_usd.p90
    True
    """
    acts = plan_actions(inputs)
    if not acts:
        return None
    uncertain = plan_inputs(inputs, spreads)
    sims = plan_samples(inputs, draw(uncertain, n, seed))
    base, _ = _metrics(acts, inputs, "base")
    marked = [u for u in uncertain if u.key in SPREADABLE]
    edited = list(
        dict.fromkeys(
            u.key.rsplit(".", 1)[0]
            for u in uncertain
            if u.source == "your spread" and u.key not in SPREADABLE
        )
    )
    names = {a.id: a.name for a in acts}
    marked_keys = {u.key for u in marked}
    changed = [p for p in changed_paths(inputs, MitigationInputs()) if p not in marked_keys]
    costs = [p for p in changed if "monthly_cost." in p]
    given_changed = (["the starting costs"] if costs else []) + [
        input_label(p) for p in changed if p not in costs
    ]
    assumed = ["each action's reduction, cash and duration (seed 001 §5 ranges)"]
    if any(u.source == "assumption" for u in uncertain):
        assumed.append("engineers per action and reductions without a seed figure (ScaleRisk)")
    return PlanUncertainty(
        samples=n,
        seed=seed,
        horizon_months=inputs.horizon_months,
        inputs=tuple(uncertain),
        npv_usd=quantiles(sims["npv_usd"], base.npv_usd),
        payback_months=payback_range(sims["payback_months"], base.payback_months),
        roi_multiple=None
        if base.roi_multiple is None
        else quantiles(sims["roi_multiple"], base.roi_multiple),
        investment_usd=quantiles(sims["investment_usd"], base.investment_usd),
        savings_horizon_usd=quantiles(sims["savings_horizon_usd"], base.savings_horizon_usd),
        monthly_savings_usd=quantiles(sims["monthly_savings_usd"], base.monthly_savings_usd),
        share_npv_negative=float(np.mean(sims["npv_usd"] < 0)),
        npv_tornado=tuple(tornado(lambda v: plan_samples(inputs, v)["npv_usd"], uncertain)),
        basis=Basis(
            assumed=tuple(assumed),
            given=(
                *(f"{input_label(u.key)} (± spread)" for u in marked),
                *(f"{names[i]}'s ranges" for i in edited),
                *given_changed,
            ),
        ).sentence(),
    )


def format_usd(usd: float) -> str:
    """Whole dollars with the sign first: ``"$6,190,732"``, ``"-$896,436"``.

    Examples
    --------
    >>> format_usd(6_190_731.96), format_usd(-896_436.2)
    ('$6,190,732', '-$896,436')
    """
    return f"{'-' if round(usd) < 0 else ''}${abs(usd):,.0f}"


def format_likely_payback(r: PaybackRange, horizon: int) -> str:
    """``"likely 1.2–1.6 months"``, ``"likely 8.0 months – not within 12 months"``.

    Examples
    --------
    >>> format_likely_payback(PaybackRange(point=1.3, p10=1.2, p50=1.3, p90=1.6, never_share=0), 36)
    'likely 1.2–1.6 months'
    >>> format_likely_payback(PaybackRange(point=9, p10=8, p50=9, p90=None, never_share=0.2), 12)
    'likely 8.0 months – not within 12 months (20% of simulations never pay back)'
    >>> never = PaybackRange(point=None, p10=None, p50=None, p90=None, never_share=1)
    >>> format_likely_payback(never, 12)
    'likely not within 12 months (no simulation pays back within the horizon)'
    """
    lo, hi = format_payback(r.p10, horizon), format_payback(r.p90, horizon)
    if r.never_share == 1:
        return f"likely {lo} (no simulation pays back within the horizon)"
    if lo == hi:
        text = f"likely {lo}"
    elif r.p10 is not None and r.p90 is not None and lo.split()[-1] == hi.split()[-1]:
        text = f"likely {lo.rsplit(' ', 1)[0]}–{hi}"
    else:
        text = f"likely {lo} – {hi}"
    if r.never_share > 0:
        text += f" ({r.never_share:.0%} of simulations never pay back)"
    return text


def uncertainty_json(u: PlanUncertainty) -> dict[str, Any]:
    """The CLI's ``ranges`` and ``sensitivity`` objects (finite JSON; null: payback not within H).

    Examples
    --------
    >>> out = uncertainty_json(plan_uncertainty(MitigationInputs(), n=200))
    >>> sorted(out["ranges"])[:4], sorted(out["ranges"]["npv_usd"])
    (['basis', 'horizon_months', 'investment_usd', 'monthly_savings_usd'], ['p10', 'p50', 'p90'])
    """
    return {
        "ranges": {
            "samples": u.samples,
            "seed": u.seed,
            "horizon_months": u.horizon_months,
            "npv_usd": u.npv_usd.as_dict(),
            "payback_months": u.payback_months.as_dict(),
            "roi_multiple": None if u.roi_multiple is None else u.roi_multiple.as_dict(),
            "investment_usd": u.investment_usd.as_dict(),
            "savings_horizon_usd": u.savings_horizon_usd.as_dict(),
            "monthly_savings_usd": u.monthly_savings_usd.as_dict(),
            "share_npv_negative": u.share_npv_negative,
            "basis": u.basis,
        },
        "sensitivity": [
            {
                "input": b.label,
                "key": b.key,
                "source": b.source,
                "input_low": b.input_low,
                "input_high": b.input_high,
                "npv_low_usd": b.low,
                "npv_high_usd": b.high,
                "swing_usd": b.swing,
            }
            for b in u.npv_tornado
        ],
    }
