"""Scalability risk assessment: questionnaire answers → 0–100 score, drivers, projection, actions.

Seed 001 §7 ("Enterprise Risk Calculator Integration") describes a calculator that takes
an architecture questionnaire and returns a scalability risk score 0–100 (> 70 "typically
require immediate intervention", > 85 "imminent budget crisis"), 12- and 36-month cost
trajectories, and recommendations prioritised by ROI.  The seed gives the inputs and the
thresholds but no scoring formula; ScaleRisk's is stated here and on the methodology page
(``calculator/methodology/assessment.md``):

* each seed pattern found in the answers adds *raw points* (:data:`DRIVER_WEIGHTS`), scaled by
  how much the system will grow along the axis the pattern multiplies (:func:`exposure`);
* the raw total ``S`` saturates into the score, ``score = 100·(1 − e^(−S/50))``
  (:func:`saturate`), which is bounded, finite and increasing;
* the score is split back over the drivers in proportion to their raw points, in tenths,
  so that the points sum exactly to the score (:func:`allocate_points`).

Public API: :class:`Answers`, :func:`assess` → :class:`Assessment`,
:func:`mitigation_inputs_from`, :func:`key_figures`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field, field_validator, model_validator

from calculator import forecast as fc
from calculator import mitigation as mit
from calculator.common import (
    COMPONENTS,
    ComponentCosts,
    InputModel,
    ProjectedCosts,
    Stage,
    format_money,
)
from calculator.forecast import AfterHorizon, Architecture, Pipeline, Retention, Retraining
from calculator.uncertainty import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    Basis,
    Range,
    Spreads,
    TornadoBar,
    Uncertain,
    changed_paths,
    draw,
    field_label,
    format_likely,
    numeric_fields,
    quantiles,
    tornado,
    user_spreads,
)

Band = Literal["low", "elevated", "high", "critical"]


def _f(
    default: Any,
    *,
    ge: float | None = None,
    le: float | None = None,
    unit: str | None = None,
    label: str | None = None,
    description: str,
) -> Any:
    """A pydantic Field with bounds, unit, label and description (the UI's help text)."""
    extra: dict[str, Any] = {}
    if unit:
        extra["unit"] = unit
    if label:
        extra["label"] = label
    return Field(default, ge=ge, le=le, description=description, json_schema_extra=extra or None)


# ---------------------------------------------------------------------------------------
# The answers file (public format, issue 2)
# ---------------------------------------------------------------------------------------

WHAT_IF_PAGES: tuple[str, ...] = ("sizing", "finetune", "mitigation", "green_money")
"""The what-if pages whose inputs an answers file (``what_if``) or a scenario carries."""


class Workload(InputModel, frozen=True, extra="forbid"):
    """Who uses the system today."""

    monthly_active_users: int = _f(
        10_000,
        ge=1,
        le=10_000_000_000,
        unit="users",
        label="Monthly active users",
        description="Distinct users per month today (seed 001 §6 variable u). The default, 10,000 "
        "users, "
        "is seed 001 §1's example pilot.",
    )
    requests_per_day: int = _f(
        20_000,
        ge=0,
        le=1_000_000_000_000,
        unit="requests/day",
        label="Requests per day",
        description="Inference requests per day today (seed 001 §7 input 'current request "
        "volume'); used for "
        "the cost per request (§4.1 stability test).",
    )


class CurrentCosts(InputModel, frozen=True, extra="forbid"):
    """Monthly cost per seed 001 §6 component today (defaults: a typical $8K/month pilot, §1)."""

    inference: float = _f(
        4_000.0,
        ge=0,
        le=1e10,
        unit="USD/month",
        label="Inference",
        description="Serving / inference compute per month today (seed 001 §2.1; "
        "45–65% of the total in production).",
    )
    storage: float = _f(
        800.0,
        ge=0,
        le=1e10,
        unit="USD/month",
        label="Storage",
        description="Raw data, features, checkpoints, logs and telemetry storage per month "
        "today (seed 001 §2.4).",
    )
    training: float = _f(
        2_000.0,
        ge=0,
        le=1e10,
        unit="USD/month",
        label="Training",
        description="Training and retraining compute per month today (seed 001 §2.3).",
    )
    operations: float = _f(
        1_200.0,
        ge=0,
        le=1e10,
        unit="USD/month",
        label="Operations",
        description="Operations per month today: pipelines, monitoring, deployment tooling "
        "(seed 001 §2.2, §2.5). Salaries go in the team section.",
    )

    def as_components(self) -> ComponentCosts:
        """The same figures as a :class:`ComponentCosts`."""
        return ComponentCosts(**self.model_dump())


class GrowthScenario(InputModel, frozen=True, extra="forbid"):
    """Where the system is going."""

    users_multiple: float = _f(
        10.0,
        ge=1,
        le=10_000,
        unit="×",
        label="User growth",
        description="Active users at the horizon ÷ today (seed 001 §6 example: 10×).",
    )
    data_multiple: float = _f(
        5.0,
        ge=1,
        le=10_000,
        unit="×",
        label="Data growth",
        description="Data volume at the horizon ÷ today (seed 001 §6 example: 5×).",
    )
    models_multiple: float = _f(
        3.0,
        ge=1,
        le=1_000,
        unit="×",
        label="Model-count growth",
        description="Models in production at the horizon ÷ today (seed 001 §6 example: 5×).",
    )
    horizon_months: int = _f(
        12,
        ge=1,
        le=120,
        unit="months",
        label="Growth horizon",
        description="Months until these multiples are reached (seed 001 §6: 12 months).",
    )
    after_horizon: AfterHorizon = _f(
        "hold",
        label="After the horizon",
        description="After the horizon, hold users, data and models at the "
        "multiples above (hold), or keep growing at the same monthly rate "
        "(continue). Affects the 36-month trajectory only.",
    )

    @model_validator(mode="after")
    def _continued_growth_stays_modelled(self) -> GrowthScenario:
        """With "continue", each multiple reached by the trajectory's last month must stay
        within the multiple's own bound: ``m^(36/h) ≤ bound`` (otherwise ×10⁴ users in one
        month, continued, would be ×10¹⁴⁴ by month 36 — and the costs infinite)."""
        if self.after_horizon != "continue":
            return self
        months = fc.TRAJECTORY_MONTHS
        for name in ("users_multiple", "data_multiple", "models_multiple"):
            info = GrowthScenario.model_fields[name]
            bound = next(m.le for m in info.metadata if getattr(m, "le", None) is not None)
            multiple = getattr(self, name)
            if math.log(multiple) * months / self.horizon_months > math.log(bound):
                label = info.json_schema_extra["label"].lower()  # type: ignore[index]
                reached = math.exp(min(math.log(multiple) * months / self.horizon_months, 700.0))
                raise ValueError(
                    f"{label} of ×{multiple:,g} over {self.horizon_months} "
                    f"month{'s' if self.horizon_months != 1 else ''}, continued after the "
                    f"horizon, reaches ×{reached:.3g} by month {months}, beyond the "
                    f"×{bound:,} this tool models; hold after the horizon, lengthen the "
                    "horizon or lower the multiple"
                )
        return self


class InferenceAnswers(InputModel, frozen=True, extra="forbid"):
    """How predictions are served."""

    architecture: Architecture = _f(
        "stateless_uncached",
        label="Serving architecture",
        description="Seed 001 §2.1: stateless API with cache (10–15× cost per 10× users), "
        "stateless without "
        "cache (8–12×), per-user fine-tuned models (25–50×), session-held GPUs (30–60×), large "
        "context "
        "windows (50–120×, O(n²) attention).",
    )
    cache_hit_rate: float = _f(
        0.2,
        ge=0,
        le=1,
        unit="fraction",
        label="Cache hit rate",
        description="Share of requests answered from a cache, 0–1 (0 if not implemented; seed 001 "
        "§7). "
        "Seed 001 §6 applies (1 − hit rate) to the projected inference cost; §3.1 reached 0.67.",
    )
    context_tokens: int = _f(
        2_000,
        ge=1,
        le=10_000_000,
        unit="tokens",
        label="Context length",
        description="Typical prompt + context length per request. Attention is O(n²) in it: 100 → "
        "8,000 "
        "tokens gave 64× memory and 100–150× cost (seed 001 §2.1).",
    )
    model_params: float = _f(
        7e9,
        ge=1e3,
        le=1e13,
        unit="parameters",
        label="Model size",
        description="Parameters of the main served model (seed 001 §7 input 'model size'; §4.3: a "
        "model "
        "with 1/5 of the complexity often keeps > 95% of the accuracy).",
    )
    gpu_utilization: float = _f(
        0.35,
        ge=0,
        le=1,
        unit="fraction",
        label="GPU utilization",
        description="Average GPU utilization during inference, 0–1. Seed 001 §4.2: 40–60% is good "
        "for online "
        "serving, 70–90% for batch; below 30% you pay for idle capacity.",
    )


class DataAnswers(InputModel, frozen=True, extra="forbid"):
    """How data flows and is kept."""

    ingest_tb_per_month: float = _f(
        0.5,
        ge=0,
        le=1_000_000,
        unit="TB/month",
        label="Data ingest",
        description="New data stored per month today (seed 001 §7 input 'storage growth rate'; "
        "§3.6 IoT "
        "example: 5 TB/month).",
    )
    retention: Retention = _f(
        "none",
        label="Retention policy",
        description="Seed 001 §3.6 / §4.4: none (everything kept forever: storage grows with time "
        "even at "
        "flat ingest), tiered (hot → warm → cold lifecycle rules), tiered + sampling/aggregation.",
    )
    pipeline: Pipeline = _f(
        "batch_partitioned",
        label="Data pipeline",
        description="Seed 001 §2.2: partitioned batch (linear), managed streaming such as Pub/Sub "
        "or "
        "Kinesis (near-linear), self-hosted streaming such as Kafka with manual sharding "
        "(exponential), "
        "feature store with high-cardinality joins (O(n log n) or worse).",
    )
    monitoring_metrics: int = _f(
        50,
        ge=0,
        le=10_000_000,
        unit="metrics",
        label="Monitoring metrics",
        description="Custom monitoring metrics tracked (seed 001 §2.4: 50 metrics grew to 300–500 "
        "with "
        "per-customer, geographic and A/B dimensions — a 60–100× telemetry increase).",
    )


class ModelsAnswers(InputModel, frozen=True, extra="forbid"):
    """What is in production and how it is kept fresh."""

    in_production: int = _f(
        2,
        ge=1,
        le=100_000,
        unit="models",
        label="Models in production",
        description="Models in production today (seed 001 §7; §2.5: engineering effort "
        "grows as O(n^1.4) in this number).",
    )
    retraining: Retraining = _f(
        "data_dependent",
        label="Retraining strategy",
        description="Seed 001 §2.3 for 10× users: static schedule ($8k → $8k), data-dependent ($8k "
        "→ $80k), "
        "per-user personalisation ($8k → $200k), active-learning loops ($8k → $400k).",
    )
    deploys_per_month: float = _f(
        2.0,
        ge=0,
        le=10_000,
        unit="deploys/month",
        label="Deploys per month",
        description="Model deployments per month (seed 001 §7 input 'deployment "
        "frequency'; §2.5: versioning, A/B tests, rollbacks).",
    )


class TeamAnswers(InputModel, frozen=True, extra="forbid"):
    """Who runs it."""

    ml_engineers: float = _f(
        2.0,
        ge=0,
        le=100_000,
        unit="FTE",
        label="ML engineers",
        description="ML engineers working on the system (seed 001 §7 input 'team size').",
    )
    infra_engineers: float = _f(
        1.0,
        ge=0,
        le=100_000,
        unit="FTE",
        label="Infrastructure engineers",
        description="Infrastructure / platform engineers working on the system.",
    )
    loaded_cost_per_fte_usd: float = _f(
        180_000.0,
        ge=0,
        le=10_000_000,
        unit="USD/year",
        label="Loaded cost per engineer",
        description="Fully-loaded yearly cost of one engineer (seed 001 §2.5: $180,000).",
    )


class EconomicsAnswers(InputModel, frozen=True, extra="forbid"):
    """What the system may cost: the anchor of the score's top bands (optional)."""

    monthly_budget_usd: float | None = Field(
        None,
        ge=1,
        le=1e12,
        description="The most the system may cost per month (all components). Given, the "
        "score's top bands mean the projection crosses it: above 85 within 12 months, 70–85 within "
        "36 months. "
        "Left empty, the score measures how strongly the architecture amplifies growth.",
        json_schema_extra={"unit": "USD/month", "label": "Monthly budget ceiling"},
    )
    value_per_user_usd: float | None = Field(
        None,
        ge=0.01,
        le=1e6,
        description="What one active user is worth per month (revenue or value delivered). "
        "Shown beside the projected cost per user (seed 001 §1: risk is growth driving cost per "
        "user above the "
        "value delivered).",
        json_schema_extra={"unit": "USD/user/month", "label": "Value per user"},
    )


class Answers(InputModel, frozen=True, extra="forbid"):
    """The assessment questionnaire; its JSON is the public answers file (issue 2).

    Defaults describe a typical pilot: 10,000 users and $8K/month (seed 001 §1), growing
    10× in users, 5× in data and 3× in models over 12 months.
    """

    workload: Workload = Field(default_factory=Workload, description="Who uses the system today.")
    current_monthly_cost_usd: CurrentCosts = Field(
        default_factory=CurrentCosts, description="Monthly cost per component today (USD/month)."
    )
    growth: GrowthScenario = Field(
        default_factory=GrowthScenario, description="The growth scenario."
    )
    inference: InferenceAnswers = Field(
        default_factory=InferenceAnswers, description="How predictions are served."
    )
    data: DataAnswers = Field(
        default_factory=DataAnswers, description="How data flows and is kept."
    )
    models: ModelsAnswers = Field(
        default_factory=ModelsAnswers, description="Models in production."
    )
    team: TeamAnswers = Field(default_factory=TeamAnswers, description="Who runs the system.")
    economics: EconomicsAnswers = Field(
        default_factory=EconomicsAnswers,
        description="Budget ceiling and value per user (optional).",
    )
    stage: Stage = _f(
        "pilot",
        label="Lifecycle stage",
        description="Design, pilot or production. Seed 001 §4: architectural lock-in makes fixes "
        "5–10× more expensive once in production; the executive summary: 40–60% cheaper during "
        "initial development.",
    )
    scenario_name: str = Field(
        "", max_length=200, description="Free-text name of this scenario (report title)."
    )
    what_if: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="What-if page inputs carried in the same file (name → that page's input model "
        "as JSON).",
    )
    spreads: dict[str, float] = Field(
        default_factory=dict,
        description="Answers you are unsure of: dotted path (e.g. 'growth.users_multiple') → "
        "± spread as a fraction (0.3 = ±30%). The ranges then include them.",
    )

    @field_validator("what_if")
    @classmethod
    def _known_pages(cls, what_if: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Only the what-if pages that exist (their inputs are checked where they are read:
        :func:`calculator.scenario.from_answers`)."""
        unknown = sorted(set(what_if) - set(WHAT_IF_PAGES))
        if unknown:
            raise ValueError(
                f"unknown page {', '.join(map(repr, unknown))} (known: {', '.join(WHAT_IF_PAGES)})"
            )
        return what_if

    @field_validator("spreads")
    @classmethod
    def _spreads_name_numbers(cls, v: dict[str, float]) -> dict[str, float]:
        Spreads(values=v)  # fractions between 0 and 1
        unknown = sorted(set(v) - set(SPREADABLE))
        if unknown:
            raise ValueError(
                f"only numeric answers can carry a spread; not: {', '.join(unknown)} "
                f"(allowed: {', '.join(SPREADABLE)})"
            )
        return v


OPTION_LABELS: dict[str, str] = {
    "stateless_cached": "Stateless API, cached",
    "stateless_uncached": "Stateless API, no cache",
    "per_user_finetuned": "Per-user fine-tuned models",
    "session_gpu": "Session-held GPUs",
    "large_context": "Large context windows",
    "none": "None (keep everything)",
    "tiered": "Tiered lifecycle (hot → warm → cold)",
    "tiered_sampling": "Tiered + sampling / aggregation",
    "batch_partitioned": "Batch, partitioned (Spark, Dask)",
    "managed_streaming": "Managed streaming (Pub/Sub, Kinesis)",
    "self_hosted_streaming": "Self-hosted streaming (Kafka)",
    "high_cardinality_feature_store": "Feature store, high-cardinality joins",
    "static": "Static schedule",
    "data_dependent": "Data-dependent",
    "per_user": "Per-user personalisation",
    "active_learning": "Active-learning loop",
    "design": "Design",
    "pilot": "Pilot",
    "production": "Production",
    "hold": "Hold at the horizon",
    "continue": "Keep growing",
}
"""Display names of the enumerated answers (UI and summaries)."""


# ---------------------------------------------------------------------------------------
# Scoring constants
# ---------------------------------------------------------------------------------------

SATURATION_POINTS = 50.0
"""Raw points at which the score reaches 63% of 100 (``score = 100(1 − e^(−S/50))``).
ScaleRisk calibration: the seed's all-exponential archetype lands above 85, the all-linear
design-stage archetype below 30 (tests/test_risk.py)."""

BANDS: tuple[tuple[float, Band, str], ...] = (
    (85.0, "critical", "Imminent budget crisis (seed 001 §7: scores > 85)."),
    (70.0, "high", "Requires immediate intervention (seed 001 §7: scores > 70)."),
    (
        40.0,
        "elevated",
        "Some costs will grow faster than the business; fix the top drivers before scaling "
        "further.",
    ),
    (
        -math.inf,
        "low",
        "Costs should scale close to linearly; keep the patterns that make them so.",
    ),
)
"""(exclusive lower bound, band, meaning).  70 and 85 from seed 001 §7; 40 splits low from
elevated (issue 2)."""

GOOD_CACHE_HIT_RATE = 0.67
"""Cache hit rate treated as fully cached: seed 001 §3.1's semantic cache reached 67%."""

GPU_UTILIZATION_OK = 0.40
"""No utilization penalty from 40% up: low end of seed 001 §4.2's online-serving target (40–60%)."""

GPU_UTILIZATION_FLOOR = 0.10
"""Full utilization penalty at 10% or less (seed 001 §4.2: below 30% = paying for idle capacity;
its example ran at 18%)."""

MONITORING_BASE_METRICS = 50.0
"""Seed 001 §2.4: 50 custom metrics is the starting point; 500 the exploded state."""

CONTEXT_OK_TOKENS = 2_000.0
"""Context length below which no O(n²) context points are added (ScaleRisk assumption: a
short prompt; seed 001 §2.1 contrasts 100 with 8,000 tokens)."""

CONTEXT_FULL_TOKENS = 32_000.0
"""Context length at which the context term is full (16× the threshold: 256× attention cost)."""

MODEL_SIZE_OK = 1e8
"""Parameters below which no model-size points are added (seed 001 §4.3: DistilBERT 66M)."""

MODEL_SIZE_FULL = 1e11
"""Parameters at which the model-size term is full (100B)."""

FTE_AT_5_MODELS = 2.5
"""Seed 001 §2.5: 5 models need 2.5 FTE ML engineers (anchor of the O(n^1.4) law)."""

EXCESS_FULL = 10.0
"""Cost above linear growth after 12 months, in multiples of today's bill, at which the
growth term reaches its weight (it keeps growing as log(1 + E) beyond, uncapped).  Seed 001 §6's own
example grows ≈ 11× today's bill above linear in 12 months; §1 calls 3–5× over a linear
projection exponential.  ScaleRisk calibration."""

EXCESS_MONTH = 12
"""Month at which the growth term compares costs with linear growth (seed 001 §6 projects 12
months ahead).  A fixed calendar month, not the growth horizon: the same multiples reached
sooner then never score lower."""

CRISIS_MONTHS = 12
"""With a budget: a projection that crosses it within 12 months scores above 85 ("imminent
budget crisis", seed 001 §7; its forecasting example looks 12 months ahead)."""

INTERVENTION_MONTHS = 36
"""With a budget: crossing it within 36 months (seed 001 §7's long trajectory) scores above 70
("requires immediate intervention")."""

STAGE_LOCK_IN: dict[str, float] = {"design": 0.0, "pilot": 0.5, "production": 1.0}
"""How locked-in the architecture is by stage (seed 001 §4: first 3–6 months are the window;
production fixes cost 5–10× more).  ScaleRisk weights."""

LOCK_IN_SHARE = 0.3
"""Late-stage lock-in adds this share of all other raw points at production (half at pilot)."""

DRIVER_WEIGHTS: dict[str, float] = {
    "caching": 10.0,
    "uncached_architecture": 2.0,
    "per_user_models": 18.0,
    "session_gpu": 20.0,
    "large_context": 24.0,
    "context_length": 6.0,
    "no_lifecycle": 12.0,
    "tiered_no_sampling": 4.0,
    "self_hosted_streaming": 10.0,
    "high_cardinality_joins": 14.0,
    "data_dependent_retraining": 3.0,
    "per_user_retraining": 12.0,
    "active_learning": 16.0,
    "model_count": 12.0,
    "team_stretch": 6.0,
    "deploy_churn": 3.0,
    "gpu_utilization": 8.0,
    "monitoring": 6.0,
    "model_size": 4.0,
    "growth_above_linear": 15.0,
}
"""Maximum raw points of each pattern before its exposure factor (ScaleRisk weights; the
seed names the patterns, not their weights).  Order within an answer follows the seed's
growth figures, so a riskier answer never earns fewer points."""


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


class Driver(BaseModel, frozen=True, extra="forbid"):
    """One cost driver's contribution to the score."""

    id: str
    name: str = Field(description="Seed pattern behind the driver.")
    points: float = Field(description="Share of the score, points (all drivers sum to the score).")
    raw: float = Field(description="Raw points before saturation.")
    seed_ref: str
    why: str = Field(description="One sentence on why it costs money.")


class Recommendation(BaseModel, frozen=True, extra="forbid"):
    """A mitigation action for this system, from :mod:`calculator.mitigation`, ranked by ROI."""

    id: str
    name: str
    phase: int
    seed_ref: str
    components: tuple[str, ...]
    reduction: float = Field(
        description="Expected reduction on each of its components (base, fraction)."
    )
    monthly_savings_usd: float = Field(description="Savings at today's cost once done, USD/month.")
    investment_usd: float = Field(
        description="One-off investment after the stage multiplier, USD: cash outlay "
        "plus engineering time."
    )
    engineering_usd: float = Field(description="Engineering-time part of the investment, USD.")
    payback_months: float | None
    roi: float | None = Field(
        description="Net ROI at the horizon, (savings − investment) ÷ investment."
    )
    roi_multiple: float | None = Field(description="Savings ÷ investment at the horizon (×).")
    horizon_months: int = Field(description="Months over which ROI and payback are computed.")
    addresses: str = Field("", description="Name of the driver this action works on, if any.")
    warnings: tuple[str, ...] = Field((), description="Plausibility warnings, in words.")


ScoreBasis = Literal["structure", "budget"]


class Assessment(BaseModel, frozen=True, extra="forbid"):
    """Everything the assessment page, the CLI and the report show."""

    score: float = Field(description="Scalability risk score, 0–100.")
    band: Band
    band_meaning: str
    score_basis: ScoreBasis = Field(
        description="'budget' when a budget ceiling anchors the bands, else 'structure'."
    )
    score_meaning: str = Field(
        description="What the score measures for these answers, in one sentence."
    )
    drivers: list[Driver] = Field(description="Drivers with points > 0, largest first.")
    current_monthly_cost: ComponentCosts
    projected_monthly_cost: ProjectedCosts = Field(description="Base case at the growth horizon.")
    projected_low: ProjectedCosts
    projected_high: ProjectedCosts
    naive_linear_monthly_usd: float = Field(
        description="Today's total × user multiple (seed 001 §6)."
    )
    cost_multiple_vs_linear: float = Field(description="Projected base total ÷ naive linear.")
    excess_over_linear: float = Field(
        description="Cost above linear growth at month 12, × today's total."
    )
    horizon_months: int
    forecast: fc.Forecast
    budget_monthly_usd: float | None = Field(description="The budget ceiling, USD/month, if given.")
    budget_crossing_month: int | None = Field(
        description="First month (0–36) in which the base projection reaches the budget; None if "
        "it does not."
    )
    budget_peak_share: float | None = Field(
        description="Highest monthly cost within 36 months ÷ the budget (fraction), if a budget is "
        "given."
    )
    cost_per_user_now_usd: float = Field(
        description="Today's total ÷ active users, USD/user/month."
    )
    cost_per_user_projected_usd: float = Field(
        description="Projected total ÷ users at the horizon, USD/user/month."
    )
    value_per_user_usd: float | None = Field(
        description="What a user is worth per month, if given."
    )
    cost_per_1k_requests_now_usd: float | None
    cost_per_1k_requests_projected_usd: float | None
    engineers_now_fte: float
    engineers_needed_fte: float = Field(
        description="FTE at the horizon's model count by §2.5's O(n^1.4)."
    )
    recommendations: list[Recommendation]
    warnings: tuple[str, ...] = Field(
        (), description="Plain-language warnings about these results."
    )


# ---------------------------------------------------------------------------------------
# Scoring formulas, one function each
# ---------------------------------------------------------------------------------------


Num = Any
"""A float, or a numpy array of samples (the scoring formulas are written for both)."""


def exposure(multiple: float) -> float:
    """How strongly growth along one axis amplifies a pattern's points.

    Parameters
    ----------
    multiple : growth multiple of the axis (users, data or models), ≥ 1.

    Returns
    -------
    float : 0.5 with no growth, 1.0 at 10×, 1.5 at 100×, 2.5 at the 10,000× bound —
    never capped, so more growth never scores less (it only saturates in the score).

    Notes
    -----
    $x(g) = 0.5 + 0.5\\log_{10} \\max(g, 1)$ — the seed's growth figures are stated per 10×
    users (§2.1–2.3), so a pattern counts in full at 10×.

    References
    ----------
    Seed 001 §2 ("Cost Growth (10x Users)").

    Examples
    --------
    >>> float(exposure(1.0)), float(exposure(10.0)), float(exposure(1e4))
    (0.5, 1.0, 2.5)
    """
    return 0.5 + 0.5 * np.log10(np.maximum(multiple, 1.0))


def log_ramp(value: Num, start: float, full: float) -> Num:
    """0 at ``start`` or below, 1 at ``full`` or above, linear in log(value) between (floats or
    arrays).

    Examples
    --------
    >>> lo, mid, hi = log_ramp(50, 50, 500), log_ramp(158.1, 50, 500), log_ramp(5000, 50, 500)
    >>> float(lo), round(float(mid), 2), float(hi)
    (0.0, 0.5, 1.0)
    """
    ratio = np.maximum(np.asarray(value, dtype=float) / start, 1.0)
    return np.clip(np.log(ratio) / math.log(full / start), 0.0, 1.0)


def engineers_needed(models: float, exponent: float = fc.ENGINEERING_EXPONENT[1]) -> float:
    """ML engineers needed for ``models`` models in production, O(n^1.4).

    Parameters
    ----------
    models : models in production.
    exponent : 1.4 (seed 001 §2.5; its own data imply ≈ 1.26).

    Returns
    -------
    float : FTE.

    Notes
    -----
    $\\mathrm{FTE}(n) = 2.5\\,(n/5)^{1.4}$, anchored at 5 models → 2.5 FTE.

    References
    ----------
    Seed 001 §2.5 (Shankar et al. 2022).

    Examples
    --------
    >>> round(engineers_needed(20), 1), round(engineers_needed(50), 1)   # seed quotes 15 and 45 FTE
    (17.4, 62.8)
    """
    return FTE_AT_5_MODELS * (models / 5.0) ** exponent


def saturate(raw_points: Num) -> Num:
    """Bounded score from raw points: ``100·(1 − e^(−S/50))`` (a float, or arrays of samples).

    Parameters
    ----------
    raw_points : S ≥ 0, the sum of the drivers' raw points.

    Returns
    -------
    float : score in [0, 100), increasing in S.

    References
    ----------
    ScaleRisk formula; thresholds 70 / 85 from seed 001 §7.

    Examples
    --------
    >>> saturate(0.0), round(saturate(50.0), 1), round(saturate(95.0), 1)
    (0.0, 63.2, 85.0)
    """
    out = 100.0 * (1.0 - np.exp(-np.maximum(raw_points, 0.0) / SATURATION_POINTS))
    return float(out) if np.ndim(out) == 0 else out


def band_of(score: float) -> tuple[Band, str]:
    """Band and its meaning: low < 40 ≤ elevated ≤ 70 < high ≤ 85 < critical.

    References
    ----------
    Seed 001 §7 (70, 85); issue 2 (40).

    Examples
    --------
    >>> band_of(39.9)[0], band_of(40)[0], band_of(70)[0], band_of(70.1)[0], band_of(85.1)[0]
    ('low', 'elevated', 'elevated', 'high', 'critical')
    """
    for bound, band, meaning in BANDS:
        if score > bound or (band == "elevated" and score >= bound):
            return band, meaning
    raise AssertionError("unreachable")  # pragma: no cover


def allocate_points(score: float, raws: list[float]) -> tuple[float, list[float]]:
    """Split ``score`` over drivers in proportion to their raw points, in tenths, exactly.

    Parameters
    ----------
    score : the score (rounded here to one decimal).
    raws : raw points of each driver (≥ 0).

    Returns
    -------
    (score rounded to 0.1, points per driver in tenths) — the points sum to the score.

    Notes
    -----
    Largest-remainder rounding: each driver gets ⌊10·score·rᵢ/S⌋ tenths, the leftover tenths
    go to the largest fractional parts.

    Examples
    --------
    >>> allocate_points(50.0, [1.0, 1.0, 1.0])
    (50.0, [16.7, 16.7, 16.6])
    """
    tenths = int(round(score * 10))
    total = sum(raws)
    if total <= 0 or tenths == 0:
        return tenths / 10, [0.0 for _ in raws]
    shares = [tenths * r / total for r in raws]
    floors = [int(math.floor(s)) for s in shares]
    left = tenths - sum(floors)
    order = sorted(range(len(raws)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return tenths / 10, [f / 10 for f in floors]


# ---------------------------------------------------------------------------------------
# The drivers
# ---------------------------------------------------------------------------------------


def _forecast_inputs(a: Answers) -> fc.ForecastInputs:
    g = a.growth
    return fc.ForecastInputs(
        current=a.current_monthly_cost_usd.as_components(),
        users_multiple=g.users_multiple,
        data_multiple=g.data_multiple,
        models_multiple=g.models_multiple,
        horizon_months=g.horizon_months,
        after_horizon=g.after_horizon,
        architecture=a.inference.architecture,
        cache_hit_rate=a.inference.cache_hit_rate,
        retention=a.data.retention,
        pipeline=a.data.pipeline,
        retraining=a.models.retraining,
    )


def _answer(a: Answers, values: Mapping[str, Num], path: str) -> Num:
    """The answer at dotted ``path``, or its samples from ``values`` when it is uncertain."""
    if path in values:
        return values[path]
    out: Any = a
    for part in path.split("."):
        out = getattr(out, part)
    return out


def driver_points(
    a: Answers, excess: Num, values: Mapping[str, Num] | None = None
) -> dict[str, Num]:
    """Raw points of every seed pattern, by driver id: floats, or arrays of samples.

    Parameters
    ----------
    a : the answers (enumerated answers and every numeric answer not in ``values``).
    excess : cost above linear growth at month 12 ÷ today's total (:func:`excess_over_linear`).
    values : numeric answers by dotted path (e.g. ``"growth.users_multiple"``) given as arrays of
        samples; the formulas broadcast over them.

    Returns
    -------
    dict : driver id → raw points (≥ 0), late-stage lock-in last.

    Notes
    -----
    Each entry is weight × pattern intensity × exposure (:func:`exposure` of users ``xu``,
    data ``xd``); see the methodology page for the table.

    References
    ----------
    Seed 001 §2 (patterns), §3 (linear patterns), §4 (diagnostics, lock-in), §6, §7.

    Examples
    --------
    >>> pts = driver_points(Answers(), 0.0, {"growth.users_multiple": np.array([1.0, 100.0])})
    >>> [round(float(x), 2) for x in pts["caching"]]   # 10 × (1 − 0.2/0.67) + 2 × exposure(users)
    [8.01, 10.01]
    """
    v = values or {}
    w = DRIVER_WEIGHTS
    xu, xd = (
        exposure(_answer(a, v, "growth.users_multiple")),
        exposure(_answer(a, v, "growth.data_multiple")),
    )
    arch, retention, pipeline, retraining = (
        a.inference.architecture,
        a.data.retention,
        a.data.pipeline,
        a.models.retraining,
    )
    zero = 0.0 * xu  # a zero of the samples' shape
    pts: dict[str, Num] = {}
    cache_gap = 1.0 - np.clip(
        _answer(a, v, "inference.cache_hit_rate") / GOOD_CACHE_HIT_RATE, 0.0, 1.0
    )
    pts["caching"] = w["caching"] * cache_gap + (
        w["uncached_architecture"] * xu if arch == "stateless_uncached" else zero
    )
    pts["per_user_models"] = w["per_user_models"] * xu if arch == "per_user_finetuned" else zero
    pts["session_gpu"] = w["session_gpu"] * xu if arch == "session_gpu" else zero
    ctx = w["context_length"] * log_ramp(
        _answer(a, v, "inference.context_tokens"), CONTEXT_OK_TOKENS, CONTEXT_FULL_TOKENS
    )
    pts["context"] = (w["large_context"] * xu if arch == "large_context" else zero) + ctx
    ingest_tb = np.maximum(_answer(a, v, "data.ingest_tb_per_month"), 1e-6)
    ingest = np.clip(1.0 + 0.25 * np.log10(ingest_tb), 0.5, 1.5)
    lifecycle = {"none": w["no_lifecycle"], "tiered": w["tiered_no_sampling"]}.get(retention, 0.0)
    pts["lifecycle"] = lifecycle * xd * ingest
    pts["streaming"] = (
        w["self_hosted_streaming"] * xu if pipeline == "self_hosted_streaming" else zero
    )
    pts["joins"] = (
        w["high_cardinality_joins"] * xu if pipeline == "high_cardinality_feature_store" else zero
    )
    pts["retraining"] = {
        "data_dependent": w["data_dependent_retraining"] * xd,
        "per_user": w["per_user_retraining"] * xu,
        "active_learning": w["active_learning"] * xu,
    }.get(retraining, zero)
    n_future = _answer(a, v, "models.in_production") * _answer(a, v, "growth.models_multiple")
    fte_now = _answer(a, v, "team.ml_engineers") + _answer(a, v, "team.infra_engineers")
    stretch = engineers_needed(n_future) / np.maximum(fte_now, 0.5)
    pts["engineering"] = (
        w["model_count"] * np.clip(np.log(np.maximum(n_future, 1.0)) / math.log(50.0), 0.0, 1.5)
        + w["team_stretch"] * np.clip(np.log2(np.maximum(stretch, 1.0)) / 3.0, 0.0, 1.0)
        + w["deploy_churn"]
        * np.clip(
            np.log10(1.0 + _answer(a, v, "models.deploys_per_month")) / math.log10(31.0), 0.0, 1.0
        )
    )
    util = _answer(a, v, "inference.gpu_utilization")
    pts["gpu_utilization"] = w["gpu_utilization"] * np.clip(
        (GPU_UTILIZATION_OK - util) / (GPU_UTILIZATION_OK - GPU_UTILIZATION_FLOOR), 0.0, 1.0
    )
    pts["monitoring"] = (
        w["monitoring"]
        * log_ramp(
            _answer(a, v, "data.monitoring_metrics"),
            MONITORING_BASE_METRICS,
            10 * MONITORING_BASE_METRICS,
        )
        * xu
    )
    pts["model_size"] = w["model_size"] * log_ramp(
        _answer(a, v, "inference.model_params"), MODEL_SIZE_OK, MODEL_SIZE_FULL
    )
    pts["growth_above_linear"] = (
        w["growth_above_linear"] * np.log1p(excess) / math.log1p(EXCESS_FULL)
    )
    pts["lock_in"] = STAGE_LOCK_IN[a.stage] * LOCK_IN_SHARE * sum(pts.values())
    return pts


def _driver_texts(a: Answers, excess: float) -> dict[str, tuple[str, str, str]]:
    """Driver id → (name, seed reference, why it costs money), for the answers as given."""
    inf, data, models = a.inference, a.data, a.models
    n_future = models.in_production * a.growth.models_multiple
    fte_now = a.team.ml_engineers + a.team.infra_engineers
    retraining = {
        "data_dependent": (
            "Data-dependent retraining (d^α)",
            "seed 001 §2.3, §6",
            "Retraining on a growing dataset costs d^α with α = 1.2–1.6 (8 → 72 hours for 13× the "
            "events in §2.3).",
        ),
        "per_user": (
            "Per-user retraining",
            "seed 001 §2.3",
            "Continuous per-user fine-tuning grows with the user base: $8k → $200k for 10× users.",
        ),
        "active_learning": (
            "Active-learning retraining",
            "seed 001 §2.3",
            "Feedback loops retrain on feedback that can grow faster than users: $8k → $400k for "
            "10× "
            "users.",
        ),
    }.get(
        models.retraining, ("Retraining", "seed 001 §2.3", "Static schedule: constant per model.")
    )
    lifecycle = (
        (
            "No data lifecycle",
            "seed 001 §3.6, §4.4",
            "Without lifecycle rules every byte is kept at hot-tier prices, so storage grows with "
            "time even at "
            "flat traffic (§3.6: $2,070 vs $340/month for the same 90 TB).",
        )
        if data.retention == "none"
        else (
            "Retention without sampling",
            "seed 001 §6, §3.6",
            "Tiering slows but does not stop growth: storage still grows 1.5× a year per unit of "
            "ingest (§6); "
            "sampling and aggregation keep it flat.",
        )
    )
    return {
        "caching": (
            "No/low caching",
            "seed 001 §3.1, §5 phase 1",
            f"Only {inf.cache_hit_rate:.0%} of requests hit a cache, so every repeated query pays "
            "for full "
            "inference (a 67% hit rate cut §3.1's chatbot from $18,000 to $6,500/month).",
        ),
        "per_user_models": (
            "Per-user models",
            "seed 001 §2.1",
            "One fine-tuned model per user multiplies models with users: 25–50× cost per 10× "
            "users.",
        ),
        "session_gpu": (
            "Session-held GPUs",
            "seed 001 §2.1",
            "GPUs held for a session sit idle between requests and are allocated per user: 30–60× "
            "cost "
            "per 10× users.",
        ),
        "context": (
            "O(n²) context growth",
            "seed 001 §2.1",
            f"Attention cost grows with the square of the context ({inf.context_tokens:,} tokens): "
            "100 → "
            "8,000 tokens meant 64× memory and 100–150× cost; large-context systems grow 50–120× "
            "per 10× "
            "users.",
        ),
        "lifecycle": lifecycle,
        "streaming": (
            "Self-hosted streaming",
            "seed 001 §2.2",
            "Self-hosted Kafka needs manual sharding, replication and rebalancing: $12K → "
            "$180K/month for "
            "10× customers, vs $45K on managed Pub/Sub.",
        ),
        "joins": (
            "High-cardinality joins",
            "seed 001 §2.2",
            "Feature joins whose cardinality grows with the user base cost O(n log n) or worse.",
        ),
        "retraining": retraining,
        "engineering": (
            "Engineering overhead O(n^1.4)",
            "seed 001 §2.5",
            f"Maintaining {n_future:,.0f} models takes engineering effort growing as n^1.4 (5 → 50 "
            f"models: 2.5 → 45 FTE); about {engineers_needed(n_future):,.1f} FTE at the horizon vs "
            f"{fte_now:,.1f} today.",
        ),
        "gpu_utilization": (
            "Low GPU utilization",
            "seed 001 §4.2",
            f"At {inf.gpu_utilization:.0%} utilization you pay for idle GPUs (§4.2: 18% on 4× V100 "
            "wasted $15,000/month; right-sizing cut 75%).",
        ),
        "monitoring": (
            "Monitoring cardinality",
            "seed 001 §2.4",
            f"{data.monitoring_metrics:,} metrics × per-customer, geographic and A/B dimensions "
            "explode "
            "telemetry cardinality (60–100× points for 10× requests).",
        ),
        "model_size": (
            "Over-sized model",
            "seed 001 §4.3",
            f"A {inf.model_params / 1e9:,.2g}B-parameter model costs more per request than a "
            "smaller one "
            "that often keeps > 95% of the accuracy (BERT-large → DistilBERT: 5× fewer "
            "parameters).",
        ),
        "growth_above_linear": (
            "Costs growing faster than their drivers",
            "seed 001 §6, §1",
            f"In {EXCESS_MONTH} months the components cost {excess:,.1f}× today's bill more than "
            "if each grew only in step with its own users, data and models (§1: 3–5× over "
            "linear is exponential growth).",
        ),
        "lock_in": (
            "Late-stage lock-in",
            "seed 001 §4, executive summary",
            f"At the {a.stage} stage architecture is locked in: fixes cost 5–10× more after "
            "production (§4) "
            "and 40–60% less during initial development.",
        ),
    }


def raw_drivers(a: Answers, excess: float) -> list[tuple[str, str, float, str, str]]:
    """Raw points of every pattern found in the answers: (id, name, raw, seed_ref, why).

    Returns
    -------
    list : one entry per driver with raw > 0 (late-stage lock-in last), from
    :func:`driver_points` with the texts of :func:`_driver_texts`.
    """
    texts = _driver_texts(a, excess)
    return [
        (i, texts[i][0], float(r), texts[i][1], texts[i][2])
        for i, r in driver_points(a, excess).items()
        if float(r) > 0
    ]


# ---------------------------------------------------------------------------------------
# Recommendations (from calculator.mitigation)
# ---------------------------------------------------------------------------------------

ACTION_ADDRESSES: dict[str, str] = {
    "enable_caching": "caching",
    "lifecycle_policies": "lifecycle",
    "right_size_compute": "gpu_utilization",
    "batch_requests": "gpu_utilization",
    "quantization": "model_size",
    "pruning": "model_size",
    "distillation": "model_size",
    "adaptive_routing": "model_size",
    "managed_services": "streaming",
    "feature_store": "engineering",
    "edge_inference": "per_user_models",
    "micro_batch_pipelines": "streaming",
    "architecture_replacement": "context",
    "federated_learning": "retraining",
    "platform_migration": "growth_above_linear",
}
"""Driver each mitigation action works on (for the "addresses" column)."""

TOP_RECOMMENDATIONS = 5


def not_applicable_actions(a: Answers) -> dict[str, str]:
    """The seed 001 §5 actions that do not apply to this system, each with why (in words).

    Drops what is already done or cannot help: caching at ≥ 60% hit rate (top of §5's
    30–60%); lifecycle policies when a policy exists; right-sizing at ≥ 60% GPU utilization
    (§4.2 target reached); managed services when streaming is already managed; a feature
    store when one exists or with a single model; edge inference for models over 1B
    parameters (§3.3: < 50 MB on devices); micro-batch when pipelines are already batch;
    architecture replacement unless context is large (≥ 4,000 tokens or a large-context
    architecture, §2.1); federated learning unless training is per-user or active-learning.

    Examples
    --------
    >>> off = not_applicable_actions(Answers.model_validate({"inference": {"cache_hit_rate": 0.6}}))
    >>> off["enable_caching"]
    'Already caching 60% of requests, the top of the 30–60% that caching saves (seed 001 §5).'
    """
    inf, data, models = a.inference, a.data, a.models
    off: dict[str, str] = {}
    if inf.cache_hit_rate >= 0.6:
        off["enable_caching"] = (
            f"Already caching {inf.cache_hit_rate:.0%} of requests, the top of the 30–60% "
            "that caching saves (seed 001 §5)."
        )
    if data.retention != "none":
        off["lifecycle_policies"] = "A data lifecycle policy is already in place."
    if inf.gpu_utilization >= 0.6:
        off["right_size_compute"] = (
            f"GPUs already run at {inf.gpu_utilization:.0%} utilization, inside the "
            "seed's target (§4.2)."
        )
    if data.pipeline == "managed_streaming":
        off["managed_services"] = "Streaming already runs on a managed service."
    if data.pipeline == "high_cardinality_feature_store":
        off["feature_store"] = "A feature store is already in place."
    elif models.in_production * a.growth.models_multiple < 2:
        off["feature_store"] = "A single model has no features to share."
    if inf.model_params > 1e9:
        off["edge_inference"] = (
            f"A {inf.model_params / 1e9:,.3g}B-parameter model does not fit on devices "
            "(seed 001 §3.3: under 50 MB)."
        )
    if data.pipeline == "batch_partitioned":
        off["micro_batch_pipelines"] = "Pipelines are already batch."
    if not (inf.architecture == "large_context" or inf.context_tokens >= 4_000):
        off["architecture_replacement"] = (
            f"Contexts of {inf.context_tokens:,} tokens are short: replacing "
            "attention pays off for long contexts (seed 001 §2.1)."
        )
    if models.retraining not in ("per_user", "active_learning"):
        off["federated_learning"] = "Training is not per-user or driven by user feedback."
    return off


def applicable_actions(a: Answers) -> set[str]:
    """Ids of the seed 001 §5 actions that apply to this system (see
    :func:`not_applicable_actions`).

    Examples
    --------
    >>> always = {"quantization", "pruning", "distillation", "adaptive_routing"}
    >>> sorted(applicable_actions(Answers()) - always)[:4]
    ['batch_requests', 'enable_caching', 'feature_store', 'lifecycle_policies']
    """
    return set(ACTION_ADDRESSES) - set(not_applicable_actions(a))


def _mitigation_inputs(
    a: Answers, current: ComponentCosts, projected: ComponentCosts
) -> mit.MitigationInputs:
    return mit.MitigationInputs(
        current_monthly_cost=current,
        projected_monthly_cost=projected,
        growth_horizon_months=a.growth.horizon_months,
        horizon_months=a.growth.horizon_months,
        stage=a.stage,
        after_growth=a.growth.after_horizon,
        loaded_cost_per_fte_usd=a.team.loaded_cost_per_fte_usd,
        not_applicable=not_applicable_actions(a),
    )


def mitigation_inputs_from(answers: Answers, assessment: Assessment) -> mit.MitigationInputs:
    """Mitigation-page inputs for this system: its costs, growth, stage, team cost and what applies.

    Parameters
    ----------
    answers : the questionnaire.
    assessment : ``assess(answers)``.

    Returns
    -------
    calculator.mitigation.MitigationInputs : current and projected (base) costs, growth horizon
    (also the ROI horizon), stage, after-horizon rule, loaded cost per engineer and the actions
    that do not apply (:func:`not_applicable_actions`).

    Examples
    --------
    >>> a = Answers()
    >>> inp = mitigation_inputs_from(a, assess(a))
    >>> inp.stage, inp.horizon_months, "micro_batch_pipelines" in inp.not_applicable
    ('pilot', 12, True)
    """
    return _mitigation_inputs(
        answers, assessment.current_monthly_cost, assessment.projected_monthly_cost
    )


def mitigation_inputs(answers: Answers | dict[str, Any], **overrides: Any) -> mit.MitigationInputs:
    """Mitigation inputs whose starting point is the assessment of ``answers``.

    Parameters
    ----------
    answers : :class:`Answers` or its JSON dict.
    overrides : MitigationInputs fields to replace (e.g. ``horizon_months=36``).

    Raises
    ------
    pydantic.ValidationError : invalid answers or overrides.

    Examples
    --------
    >>> mitigation_inputs({}, horizon_months=36).horizon_months
    36
    """
    ans = answers if isinstance(answers, Answers) else Answers.model_validate(answers)
    base = mitigation_inputs_from(ans, assess(ans))
    if not overrides:
        return base
    return mit.MitigationInputs.model_validate({**base.model_dump(), **overrides})


def recommend(
    a: Answers, current: ComponentCosts, projected: ComponentCosts, drivers: dict[str, str]
) -> list[Recommendation]:
    """Top applicable actions by ROI from :func:`calculator.mitigation.evaluate_plan`.

    Parameters
    ----------
    a : answers; current, projected : component costs; drivers : driver id → name present.

    Returns
    -------
    list : up to :data:`TOP_RECOMMENDATIONS` applicable actions with positive savings, ranked
    by ROI over the growth horizon; actions that do not apply are never listed.
    """
    result = mit.evaluate_plan(_mitigation_inputs(a, current, projected))
    out = []
    for r in result.actions:
        if r.monthly_savings_usd <= 0:
            continue
        out.append(
            Recommendation(
                id=r.id,
                name=r.name,
                phase=r.phase,
                seed_ref=r.seed_ref,
                components=tuple(r.components),
                reduction=r.reduction,
                monthly_savings_usd=r.monthly_savings_usd,
                investment_usd=r.investment_usd,
                engineering_usd=r.engineering_usd,
                payback_months=r.payback_months,
                roi=r.roi,
                roi_multiple=r.roi_multiple,
                horizon_months=result.horizon_months,
                addresses=drivers.get(ACTION_ADDRESSES.get(r.id, ""), ""),
                warnings=r.warnings,
            )
        )
        if len(out) == TOP_RECOMMENDATIONS:
            break
    return out


# ---------------------------------------------------------------------------------------
# The budget anchor
# ---------------------------------------------------------------------------------------


def budget_crossing_month(monthly_totals: list[float], budget_usd: float) -> int | None:
    """First month whose projected total reaches the budget; None when none does.

    Examples
    --------
    >>> budget_crossing_month([100.0, 150.0, 210.0], 200.0)
    2
    >>> budget_crossing_month([100.0], 200.0) is None
    True
    """
    for month, total in enumerate(monthly_totals):
        if total >= budget_usd:
            return month
    return None


def budget_band_score(
    structural_raw: Num, crossing_month: Num | None, peak_share: Num
) -> tuple[Num, Num, Num]:
    """Score when a budget anchors the bands: (score, floor given to the budget, urgency raw
    points).

    Parameters
    ----------
    structural_raw : S, the structural drivers' raw points.
    crossing_month : first month (0–36) the projection reaches the budget, or None (or
        arrays of samples, ``inf`` where it is never reached).
    peak_share : highest monthly cost within 36 months ÷ the budget.

    Returns
    -------
    (score, floor, urgency) : the score; the points the budget holds outright (85, 70 or 0);
    the budget's raw points competing with the drivers for the rest.

    Notes
    -----
    Crossing within 12 months: $85 + 15\\,(1 - e^{-(S + u)/50})$ with urgency
    $u = 5 + 50\\,(12 - t)/12$ — always above 85.  Within 36 months:
    $70 + 15\\,(1 - e^{-(S + u)/50})$ with $u = 5 + 50\\,(36 - t)/24$ — in (70, 85).
    Not within 36 months: $70\\,(1 - e^{-(S + u)/50})$ with $u = 50\\,p^2$ ($p$ the peak
    share) — below 70.  Each branch rises with $S$ and with an earlier crossing, and the
    branches are ordered, so the score never falls as costs rise.

    References
    ----------
    Seed 001 §7 (> 70 immediate intervention, > 85 imminent budget crisis), §1 and §8 (the
    crisis is cost outgrowing what the business can carry).

    Examples
    --------
    >>> [round(budget_band_score(0.0, t, 1.0)[0], 1) for t in (0, 12, 36)]
    [95.0, 86.4, 71.4]
    >>> round(budget_band_score(0.0, None, 0.5)[0], 1)
    15.5
    """
    t = np.asarray(np.inf if crossing_month is None else crossing_month, dtype=float)
    crisis = t <= CRISIS_MONTHS
    soon = ~crisis & (t <= INTERVENTION_MONTHS)
    months = np.where(np.isfinite(t), t, 0.0)
    urgency = np.where(
        crisis,
        5.0 + 50.0 * (CRISIS_MONTHS - months) / CRISIS_MONTHS,
        np.where(
            soon,
            5.0 + 50.0 * (INTERVENTION_MONTHS - months) / (INTERVENTION_MONTHS - CRISIS_MONTHS),
            50.0 * np.minimum(peak_share, 1.0) ** 2,
        ),
    )
    floor = np.where(crisis, 85.0, np.where(soon, 70.0, 0.0))
    span = np.where(crisis | soon, 15.0, 70.0)
    score = floor + span * saturate(structural_raw + urgency) / 100.0
    if np.ndim(score) == 0:
        return float(score), float(floor), float(urgency)
    return score, floor, urgency


def _budget_driver(budget: float, crossing: int | None, peak_share: float) -> tuple[str, str, str]:
    """(name, why) of the budget driver."""
    if crossing == 0:
        return (
            "Over budget today",
            f"Today's bill already exceeds the ${budget:,.0f}/month budget.",
            "your budget; seed 001 §7",
        )
    if crossing is not None:
        when = (
            "within 12 months: an imminent budget crisis"
            if crossing <= CRISIS_MONTHS
            else "within 36 months"
        )
        return (
            f"Budget reached in month {crossing}",
            f"The base projection reaches the ${budget:,.0f}/month budget in month {crossing} "
            f"({when}"
            ", seed 001 §7).",
            "your budget; seed 001 §7",
        )
    return (
        "Budget headroom",
        f"The projection peaks at {peak_share:.0%} of the ${budget:,.0f}/month budget within 36 "
        "months.",
        "your budget; seed 001 §7",
    )


# ---------------------------------------------------------------------------------------
# assess
# ---------------------------------------------------------------------------------------


def excess_over_linear(a: Answers) -> float:
    """Cost above linear growth after :data:`EXCESS_MONTH` months, in multiples of today's total.

    Notes
    -----
    $E = \\sum_c C_{c,0}\\, x_c(12) / \\sum_c C_{c,0}$ with the per-component terms $x_c$ of
    :func:`calculator.forecast.excess_over_linear` (each law minus the same law with exponents 1).
    Non-decreasing in every growth multiple, in
    every riskier answer and in the growth rate — unlike projected ÷ naive linear, whose naive
    line itself grows with users, so that more user growth read as less risk.

    Examples
    --------
    >>> from calculator.presets import PRESETS
    >>> round(excess_over_linear(PRESETS["Seed 001 §6 recommendation system"]), 2)   # seed 001 §6
    11.25
    """
    return float(fc.excess_samples(_forecast_inputs(a), {}, EXCESS_MONTH)[0])


def _score_meaning(budget: float | None) -> str:
    if budget is None:
        return (
            "No budget was given, so the score measures structure only: how strongly this "
            "architecture makes "
            "costs grow faster than users, data and models (seed 001 §2–§4). Enter a monthly "
            "budget to anchor "
            "70 and 85 to when the projection crosses it."
        )
    return (
        f"Anchored to your ${budget:,.0f}/month budget: above 85 means the projection crosses it "
        "within 12 "
        "months, 70–85 within 36 months, below 70 that it stays under it for 36 months."
    )


def assess(answers: Answers) -> Assessment:
    """Score, drivers, projection and recommendations for one set of answers.

    Parameters
    ----------
    answers : :class:`Answers`.

    Returns
    -------
    :class:`Assessment`.

    Notes
    -----
    Structure: $S = \\sum_i r_i$ (:func:`raw_drivers`).  Without a budget the score is
    $100(1 - e^{-S/50})$ (:func:`saturate`); with one, :func:`budget_band_score` places it in
    the band the budget crossing month decides.  Points $p_i \\propto r_i$ with
    $\\sum p_i$ = score (:func:`allocate_points`); the budget driver also holds its band's floor.
    Projection by :func:`calculator.forecast.forecast`; recommendations by
    :func:`calculator.mitigation.evaluate_plan`.

    References
    ----------
    Seed 001 §7 (score, thresholds, ROI-ranked recommendations), §6 (projection), §1 (cost per
    user against value).

    Examples
    --------
    >>> r = assess(Answers())
    >>> points = round(sum(d.points for d in r.drivers), 6)
    >>> 0 <= r.score <= 100, r.band, points == r.score, r.score_basis
    (True, 'elevated', True, 'structure')
    """
    f = fc.forecast(_forecast_inputs(answers))
    current = answers.current_monthly_cost_usd.as_components()
    projected = f.projected["base"]
    naive = f.naive_linear_monthly_usd
    multiple = projected.total / naive if naive > 0 else 1.0
    excess = excess_over_linear(answers)
    raws = raw_drivers(answers, excess)
    structural = sum(r for _, _, r, _, _ in raws)
    budget = answers.economics.monthly_budget_usd
    totals = [sum(f.trajectories["base"][c][t] for c in COMPONENTS) for t in range(len(f.months))]
    crossing = peak_share = None
    if budget is None:
        score, points = allocate_points(saturate(structural), [r for _, _, r, _, _ in raws])
        entries = list(raws)
    else:
        crossing = budget_crossing_month(totals, budget)
        peak_share = max(totals) / budget
        score_raw, floor, urgency = budget_band_score(structural, crossing, peak_share)
        name, why, ref = _budget_driver(budget, crossing, peak_share)
        entries = [*raws, ("budget", name, urgency, ref, why)]
        rest, points = allocate_points(score_raw - floor, [r for _, _, r, _, _ in entries])
        points[-1] = round(points[-1] + floor, 1)
        score = round(rest + floor, 1)
    drivers = sorted(
        (
            Driver(id=i, name=n, points=p, raw=r, seed_ref=ref, why=why)
            for (i, n, r, ref, why), p in zip(entries, points, strict=False)
            if r > 0 or p > 0
        ),
        key=lambda d: (-d.points, -d.raw, d.id),
    )
    band, meaning = band_of(score)
    req_month = answers.workload.requests_per_day * 365.0 / 12.0
    u = answers.growth.users_multiple
    users_now = answers.workload.monthly_active_users
    per_user_now = current.total / users_now
    per_user_then = projected.total / (users_now * u)
    value = answers.economics.value_per_user_usd
    warnings: list[str] = []
    if value is not None and per_user_then > value:
        warnings.append(
            f"At the horizon each user costs ${per_user_then:,.2f}/month, more than the "
            f"${value:,.2f}/month a user "
            "is worth: the system would lose money on every user (seed 001 §1, §8)."
        )
    if crossing == 0:
        warnings.append(
            f"Today's bill (${current.total:,.0f}/month) already exceeds the ${budget:,.0f}/month "
            "budget."
        )
    recommendations = recommend(answers, current, projected, {d.id: d.name for d in drivers})
    warnings += [w for r in recommendations[:1] for w in r.warnings]
    return Assessment(
        score=score,
        band=band,
        band_meaning=meaning,
        score_basis="structure" if budget is None else "budget",
        score_meaning=_score_meaning(budget),
        drivers=drivers,
        current_monthly_cost=current,
        projected_monthly_cost=projected,
        projected_low=f.projected["low"],
        projected_high=f.projected["high"],
        naive_linear_monthly_usd=naive,
        cost_multiple_vs_linear=multiple,
        excess_over_linear=excess,
        horizon_months=answers.growth.horizon_months,
        forecast=f,
        budget_monthly_usd=budget,
        budget_crossing_month=crossing,
        budget_peak_share=peak_share,
        cost_per_user_now_usd=per_user_now,
        cost_per_user_projected_usd=per_user_then,
        value_per_user_usd=value,
        cost_per_1k_requests_now_usd=current.inference / req_month * 1e3 if req_month > 0 else None,
        cost_per_1k_requests_projected_usd=projected.inference / (req_month * u) * 1e3
        if req_month > 0
        else None,
        engineers_now_fte=answers.team.ml_engineers + answers.team.infra_engineers,
        engineers_needed_fte=engineers_needed(
            answers.models.in_production * answers.growth.models_multiple
        ),
        recommendations=recommendations,
        warnings=tuple(warnings),
    )


def summary_json(result: Assessment) -> dict[str, Any]:
    """The CLI's ``--json`` object (issue 2): score, band, drivers, projection, recommendations.

    Examples
    --------
    >>> sorted(summary_json(assess(Answers()))["projection"]["components"])
    ['inference', 'operations', 'storage', 'training']
    """
    p = result.projected_monthly_cost
    return {
        "score": result.score,
        "band": result.band,
        "band_meaning": result.band_meaning,
        "score_basis": result.score_basis,
        "score_meaning": result.score_meaning,
        "drivers": [
            {"name": d.name, "points": d.points, "seed_ref": d.seed_ref, "why": d.why}
            for d in result.drivers
        ],
        "projection": {
            "horizon_months": result.horizon_months,
            "naive_linear_monthly_usd": result.naive_linear_monthly_usd,
            "projected_monthly_usd": p.total,
            "cost_multiple_vs_linear": result.cost_multiple_vs_linear,
            "excess_over_linear": result.excess_over_linear,
            "components": p.as_dict(),
            "low": result.projected_low.as_dict(),
            "high": result.projected_high.as_dict(),
            "classification": {c.component: c.classification for c in result.forecast.components},
        },
        "budget": {
            "monthly_budget_usd": result.budget_monthly_usd,
            "crossing_month": result.budget_crossing_month,
            "peak_share": result.budget_peak_share,
        },
        "unit_economics": {
            "cost_per_user_now_usd": result.cost_per_user_now_usd,
            "cost_per_user_projected_usd": result.cost_per_user_projected_usd,
            "value_per_user_usd": result.value_per_user_usd,
        },
        "current_monthly_usd": result.current_monthly_cost.as_dict(),
        "recommendations": [
            {
                "id": r.id,
                "name": r.name,
                "phase": r.phase,
                "seed_ref": r.seed_ref,
                "reduction": r.reduction,
                "monthly_savings_usd": r.monthly_savings_usd,
                "investment_usd": r.investment_usd,
                "engineering_usd": r.engineering_usd,
                "payback_months": r.payback_months,
                "roi": r.roi,
                "roi_multiple": r.roi_multiple,
                "horizon_months": r.horizon_months,
                "warnings": list(r.warnings),
            }
            for r in result.recommendations
        ],
        "warnings": list(result.warnings),
    }


def key_figures(
    result: Assessment, ranges: AssessmentRanges | None = None
) -> list[tuple[str, str]]:
    """Headline results as (label, value with unit) for the PDF report, each with its likely
    range (P10–P90) when ``ranges`` is given.

    Examples
    --------
    >>> dict(key_figures(assess(Answers())))["Naive linear projection"]
    '$80,000/month'
    """
    h = result.horizon_months

    def likely(r: Range | None, fmt: Callable[[float], str]) -> str:
        return "" if r is None else f"; {format_likely(r, fmt)}"

    cost = {} if ranges is None else {m: c["total"] for m, c in ranges.cost.items()}
    figs = [
        (
            "Scalability risk score",
            f"{result.score:.1f} / 100 ({result.band})"
            + likely(ranges and ranges.score, lambda x: f"{x:.1f}"),
        ),
        ("Current cost", f"${result.current_monthly_cost.total:,.0f}/month"),
        (
            f"Projected cost at {h:,} months",
            f"${result.projected_monthly_cost.total:,.0f}/month"
            + likely(cost.get(h), format_money),
        ),
        *(
            (f"Cost in month {m}", f"${r.point:,.0f}/month{likely(r, format_money)}")
            for m, r in sorted(cost.items())
            if m != h
        ),
        ("Naive linear projection", f"${result.naive_linear_monthly_usd:,.0f}/month"),
        ("Growth above linear in 12 months", f"{result.excess_over_linear:,.1f}× today's bill"),
        (
            "Cost per user",
            f"${result.cost_per_user_now_usd:,.2f} → ${result.cost_per_user_projected_usd:,.2f}"
            "/user/month",
        ),
    ]
    if result.budget_monthly_usd is not None:
        crossing = result.budget_crossing_month
        figs.append(
            (
                "Budget ceiling",
                f"${result.budget_monthly_usd:,.0f}/month — "
                + (
                    "not reached within 36 months"
                    if crossing is None
                    else "exceeded today"
                    if crossing == 0
                    else f"reached in month {crossing}"
                ),
            )
        )
    if result.drivers:
        figs.append(
            ("Top driver", f"{result.drivers[0].name} ({result.drivers[0].points:.1f} points)")
        )
    if result.recommendations:
        r = result.recommendations[0]
        figs.append(
            (
                "Best action by ROI",
                f"{r.name} (phase {r.phase}, saves ${r.monthly_savings_usd:,.0f}/month, "
                f"{mit.format_multiple(r.roi_multiple)} over {r.horizon_months:,} months)",
            )
        )
    return figs


__all__ = [
    "Answers",
    "Assessment",
    "Driver",
    "Recommendation",
    "assess",
    "key_figures",
    "mitigation_inputs",
    "mitigation_inputs_from",
    "summary_json",
    "COMPONENTS",
]


# ---------------------------------------------------------------------------------------
# Ranges: the score and the costs as P10–P90 of a simulation (issue 12)
# ---------------------------------------------------------------------------------------

FORECAST_KEYS: dict[str, str] = {
    "growth.users_multiple": "users_multiple",
    "growth.data_multiple": "data_multiple",
    "growth.models_multiple": "models_multiple",
    "inference.cache_hit_rate": "cache_hit_rate",
    **{f"current_monthly_cost_usd.{c}": f"current.{c}" for c in COMPONENTS},
}
"""Answer path → the key :func:`calculator.forecast.trajectory_samples` reads it under."""

SPREADABLE: tuple[str, ...] = (
    *FORECAST_KEYS,
    "inference.context_tokens",
    "inference.model_params",
    "inference.gpu_utilization",
    "data.ingest_tb_per_month",
    "data.monitoring_metrics",
    "models.in_production",
    "models.deploys_per_month",
    "team.ml_engineers",
    "team.infra_engineers",
    "economics.monthly_budget_usd",
)
"""Answers that may carry a ± spread: every number the score and the projection read."""

RANGE_MONTHS: tuple[int, ...] = (12, 36)
"""Months whose costs get a range (seed 001 §7: 12- and 36-month trajectories)."""


class AssessmentRanges(BaseModel, frozen=True, extra="forbid"):
    """The assessment's headlines as P10 / P50 / P90 of a simulation, and what moves them."""

    samples: int
    seed: int
    inputs: tuple[Uncertain, ...] = Field(description="The uncertain inputs and their ranges.")
    score: Range
    share_critical: float = Field(description="Share of samples scoring above 85.")
    cost: dict[int, dict[str, Range]] = Field(
        description="Month (12, 36 and the growth horizon) → component or 'total' → monthly cost "
        "range (USD/month)."
    )
    band_months: tuple[int, ...]
    band_p10: tuple[float, ...] = Field(description="Total monthly cost, P10, per month.")
    band_p90: tuple[float, ...] = Field(description="Total monthly cost, P90, per month.")
    score_tornado: tuple[TornadoBar, ...]
    cost_tornado: tuple[TornadoBar, ...] = Field(description="Swings of the 36-month total cost.")
    basis: str = Field(description="How sure: what is assumed, what the user gave.")


def uncertain_answers(a: Answers) -> list[Uncertain]:
    """The growth exponents (seed 001's ranges) and the answers the user marked.

    Notes
    -----
    Each exponent is triangular over the seed's range with its mode at the value the seed's
    own worked example uses (α: 1.2–1.6, mode 1.3): the seed says which value it expects, and
    a uniform draw would put the headline below its own P10 wherever that value sits near an
    end of the range.

    Examples
    --------
    >>> [u.key for u in uncertain_answers(Answers())][:2]
    ['exp.inference', 'exp.storage_slope']
    """
    exps = [
        Uncertain(
            key=key,
            label=fc.EXPONENT_LABELS[key],
            reference=fc.EXPONENT_SOURCES[key],
            kind="triangular",
            low=lo,
            base=base,
            high=hi,
            source="seed range",
        )
        for key, (lo, base, hi) in fc.exponent_ranges(_forecast_inputs(a)).items()
    ]
    return exps + user_spreads(a, {p: s for p, s in a.spreads.items() if s > 0})


def answer_label(path: str) -> str:
    """What a person reads for an answer's dotted path ("today's inference cost", "user growth").

    Examples
    --------
    >>> answer_label("current_monthly_cost_usd.inference"), answer_label("growth.users_multiple")
    ("today's inference cost", 'user growth')
    """
    section, _, name = path.rpartition(".")
    if section == "current_monthly_cost_usd":
        return f"today's {name} cost"
    return field_label(numeric_fields(Answers)[path], path).lower()


def _forecast_values(values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {FORECAST_KEYS.get(k, k): v for k, v in values.items()}


def _crossing_months(totals: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """First month whose total reaches the budget, per sample; ``inf`` when none does."""
    reached = totals >= budget[:, None]
    return np.where(reached.any(axis=1), reached.argmax(axis=1), np.inf)


def score_samples(a: Answers, values: Mapping[str, np.ndarray]) -> np.ndarray:
    """The score of :func:`assess` for each sample (before its rounding to tenths).

    Parameters
    ----------
    a : the answers (everything not in ``values``).
    values : samples by key: growth exponents (``exp.*``) and answers by dotted path.

    Notes
    -----
    The same formulas as :func:`assess` — :func:`driver_points` on the excess over linear
    (:func:`calculator.forecast.excess_samples`), saturated, or placed in the band of the
    budget crossing month — written once for arrays; a test checks that every sample at its
    point value gives :func:`assess`'s score.
    """
    inp = _forecast_inputs(a)
    fv = _forecast_values(values)
    excess = fc.excess_samples(inp, fv, EXCESS_MONTH)
    raw = sum(driver_points(a, excess, values).values())
    raw = np.broadcast_to(np.asarray(raw, dtype=float), excess.shape)
    budget = a.economics.monthly_budget_usd
    if budget is None:
        return saturate(raw)
    t = fc.trajectory_samples(inp, fv, INTERVENTION_MONTHS)
    totals = sum(t[c] for c in COMPONENTS)
    b = np.broadcast_to(
        np.asarray(values.get("economics.monthly_budget_usd", budget), dtype=float), excess.shape
    )
    return budget_band_score(raw, _crossing_months(totals, b), totals.max(axis=1) / b)[0]


def _total_cost(a: Answers, values: Mapping[str, np.ndarray], month: int) -> np.ndarray:
    t = fc.trajectory_samples(_forecast_inputs(a), _forecast_values(values), month)
    return sum(t[c][:, month] for c in COMPONENTS)


def assess_ranges(
    a: Answers,
    base: Assessment | None = None,
    n: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> AssessmentRanges:
    """P10 / P50 / P90 of the score and of the 12- and 36-month costs, tornadoes and basis.

    Parameters
    ----------
    a : the answers; ``a.spreads`` marks the answers the user is unsure of.
    base : ``assess(a)`` when the caller has it already (the points come from it).
    n, seed : samples and the random generator's seed (fixed: the same range everywhere).

    Notes
    -----
    Uncertain inputs: each growth exponent triangular over seed 001's range (mode: its worked value)
    (:func:`calculator.forecast.exponent_ranges`), each marked answer triangular around its
    value (:func:`calculator.uncertainty.around`).  The points are :func:`assess`'s figures
    (the formula on the base inputs); the simulation never changes them.  The tornado moves
    one input to its low and high end with the others at base.

    Examples
    --------
    >>> r = assess_ranges(Answers(), n=500)   # doctest: +ELLIPSIS
    >>> total = r.cost[36]["total"]
    >>> r.score.p10 <= r.score.p50 <= r.score.p90, total.p10 <= total.p90
    (True, True)
    """
    base = base or assess(a)
    inputs = uncertain_answers(a)
    values = draw(inputs, n, seed)
    inp = _forecast_inputs(a)
    months = max(RANGE_MONTHS)
    shown = sorted({*RANGE_MONTHS, min(a.growth.horizon_months, months)})
    traj = fc.trajectory_samples(inp, _forecast_values(values), months)
    traj["total"] = sum(traj[c] for c in COMPONENTS)
    f = base.forecast
    point_cost = {
        m: {
            **{c: f.trajectories["base"][c][m] for c in COMPONENTS},
            "total": sum(f.trajectories["base"][c][m] for c in COMPONENTS),
        }
        for m in shown
    }
    cost = {
        m: {c: quantiles(traj[c][:, m], point_cost[m][c]) for c in (*COMPONENTS, "total")}
        for m in shown
    }
    p10, p90 = np.quantile(traj["total"], [0.1, 0.9], axis=0)
    scores = score_samples(a, values)
    marked = [answer_label(u.key) for u in inputs if u.source == "your spread"]
    changed = [answer_label(p) for p in changed_paths(a, Answers())]
    given = [*(f"{m} (± spread)" for m in marked), *(c for c in changed if c not in marked)]
    return AssessmentRanges(
        samples=n,
        seed=seed,
        inputs=tuple(inputs),
        score=quantiles(scores, base.score),
        share_critical=float(np.mean(scores > 85.0)),
        cost=cost,
        band_months=tuple(range(months + 1)),
        band_p10=tuple(float(x) for x in p10),
        band_p90=tuple(float(x) for x in p90),
        score_tornado=tuple(tornado(lambda v: score_samples(a, v), inputs)),
        cost_tornado=tuple(tornado(lambda v: _total_cost(a, v, months), inputs)),
        basis=Basis(
            assumed=("growth exponents (seed 001 ranges)",),
            given=tuple(given),
        ).sentence(),
    )


def ranges_json(r: AssessmentRanges) -> dict[str, Any]:
    """The CLI's ``ranges`` and ``sensitivity`` objects: P10/P50/P90 and the tornado bars.

    Examples
    --------
    >>> out = ranges_json(assess_ranges(Answers(), n=100))
    >>> sorted(out["ranges"]), sorted(out["ranges"]["cost_monthly_usd"])
    (['basis', 'cost_monthly_usd', 'samples', 'score', 'seed', 'share_above_85'], ['12', '36'])
    """

    def bars(tornado_bars: tuple[TornadoBar, ...]) -> list[dict[str, Any]]:
        return [
            {
                "input": b.label,
                "key": b.key,
                "input_low": b.input_low,
                "input_high": b.input_high,
                "low": b.low,
                "high": b.high,
                "swing": b.swing,
            }
            for b in tornado_bars
        ]

    return {
        "ranges": {
            "samples": r.samples,
            "seed": r.seed,
            "score": r.score.as_dict(),
            "share_above_85": r.share_critical,
            "cost_monthly_usd": {
                str(m): {c: v.as_dict() for c, v in costs.items()} for m, costs in r.cost.items()
            },
            "basis": r.basis,
        },
        "sensitivity": bars(r.score_tornado),  # the risk score's swings, largest first
        "sensitivity_cost_month_36": bars(r.cost_tornado),
    }
