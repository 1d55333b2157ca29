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
from typing import Any, Literal

from pydantic import BaseModel, Field

from calculator import forecast as fc
from calculator.common import COMPONENTS, ComponentCosts, Stage
from calculator.forecast import AfterHorizon, Architecture, Pipeline, Retention, Retraining

Band = Literal["low", "elevated", "high", "critical"]


def _f(default: Any, *, ge: float | None = None, le: float | None = None, unit: str | None = None,
       label: str | None = None, description: str) -> Any:
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


class Workload(BaseModel, frozen=True, extra="forbid"):
    """Who uses the system today."""

    monthly_active_users: int = _f(
        10_000, ge=1, le=10_000_000_000, unit="users", label="Monthly active users",
        description="Distinct users per month today (seed 001 §6 variable u). The default, 10,000 users, "
        "is seed 001 §1's example pilot.",
    )
    requests_per_day: int = _f(
        20_000, ge=0, le=1_000_000_000_000, unit="requests/day", label="Requests per day",
        description="Inference requests per day today (seed 001 §7 input 'current request volume'); used for "
        "the cost per request (§4.1 stability test).",
    )


class CurrentCosts(BaseModel, frozen=True, extra="forbid"):
    """Monthly cost per seed 001 §6 component today (defaults: a typical $8K/month pilot, §1)."""

    inference: float = _f(4_000.0, ge=0, le=1e10, unit="USD/month", label="Inference",
                          description="Serving / inference compute per month today (seed 001 §2.1; "
                          "45–65% of the total in production).")
    storage: float = _f(800.0, ge=0, le=1e10, unit="USD/month", label="Storage",
                        description="Raw data, features, checkpoints, logs and telemetry storage per month "
                        "today (seed 001 §2.4).")
    training: float = _f(2_000.0, ge=0, le=1e10, unit="USD/month", label="Training",
                         description="Training and retraining compute per month today (seed 001 §2.3).")
    operations: float = _f(1_200.0, ge=0, le=1e10, unit="USD/month", label="Operations",
                           description="Operations per month today: pipelines, monitoring, deployment tooling "
                           "(seed 001 §2.2, §2.5). Salaries go in the team section.")

    def as_components(self) -> ComponentCosts:
        """The same figures as a :class:`ComponentCosts`."""
        return ComponentCosts(**self.model_dump())


class GrowthScenario(BaseModel, frozen=True, extra="forbid"):
    """Where the system is going."""

    users_multiple: float = _f(10.0, ge=1, le=10_000, unit="×", label="User growth",
                               description="Active users at the horizon ÷ today (seed 001 §6 example: 10×).")
    data_multiple: float = _f(5.0, ge=1, le=10_000, unit="×", label="Data growth",
                              description="Data volume at the horizon ÷ today (seed 001 §6 example: 5×).")
    models_multiple: float = _f(3.0, ge=1, le=1_000, unit="×", label="Model-count growth",
                                description="Models in production at the horizon ÷ today (seed 001 §6 "
                                "example: 5×).")
    horizon_months: int = _f(12, ge=1, le=120, unit="months", label="Growth horizon",
                             description="Months until these multiples are reached (seed 001 §6: 12 months).")
    after_horizon: AfterHorizon = _f("hold", label="After the horizon",
                                     description="After the horizon, hold users, data and models at the "
                                     "multiples above (hold), or keep growing at the same monthly rate "
                                     "(continue). Affects the 36-month trajectory only.")


class InferenceAnswers(BaseModel, frozen=True, extra="forbid"):
    """How predictions are served."""

    architecture: Architecture = _f(
        "stateless_uncached", label="Serving architecture",
        description="Seed 001 §2.1: stateless API with cache (10–15× cost per 10× users), stateless without "
        "cache (8–12×), per-user fine-tuned models (25–50×), session-held GPUs (30–60×), large context "
        "windows (50–120×, O(n²) attention).",
    )
    cache_hit_rate: float = _f(
        0.2, ge=0, le=1, unit="fraction", label="Cache hit rate",
        description="Share of requests answered from a cache, 0–1 (0 if not implemented; seed 001 §7). "
        "Seed 001 §6 applies (1 − hit rate) to the projected inference cost; §3.1 reached 0.67.",
    )
    context_tokens: int = _f(
        2_000, ge=1, le=10_000_000, unit="tokens", label="Context length",
        description="Typical prompt + context length per request. Attention is O(n²) in it: 100 → 8,000 "
        "tokens gave 64× memory and 100–150× cost (seed 001 §2.1).",
    )
    model_params: float = _f(
        7e9, ge=1e3, le=1e13, unit="parameters", label="Model size",
        description="Parameters of the main served model (seed 001 §7 input 'model size'; §4.3: a model "
        "with 1/5 of the complexity often keeps > 95% of the accuracy).",
    )
    gpu_utilization: float = _f(
        0.35, ge=0, le=1, unit="fraction", label="GPU utilization",
        description="Average GPU utilization during inference, 0–1. Seed 001 §4.2: 40–60% is good for online "
        "serving, 70–90% for batch; below 30% you pay for idle capacity.",
    )


class DataAnswers(BaseModel, frozen=True, extra="forbid"):
    """How data flows and is kept."""

    ingest_tb_per_month: float = _f(
        0.5, ge=0, le=1_000_000, unit="TB/month", label="Data ingest",
        description="New data stored per month today (seed 001 §7 input 'storage growth rate'; §3.6 IoT "
        "example: 5 TB/month).",
    )
    retention: Retention = _f(
        "none", label="Retention policy",
        description="Seed 001 §3.6 / §4.4: none (everything kept forever: storage grows with time even at "
        "flat ingest), tiered (hot → warm → cold lifecycle rules), tiered + sampling/aggregation.",
    )
    pipeline: Pipeline = _f(
        "batch_partitioned", label="Data pipeline",
        description="Seed 001 §2.2: partitioned batch (linear), managed streaming such as Pub/Sub or "
        "Kinesis (near-linear), self-hosted streaming such as Kafka with manual sharding (exponential), "
        "feature store with high-cardinality joins (O(n log n) or worse).",
    )
    monitoring_metrics: int = _f(
        50, ge=0, le=10_000_000, unit="metrics", label="Monitoring metrics",
        description="Custom monitoring metrics tracked (seed 001 §2.4: 50 metrics grew to 300–500 with "
        "per-customer, geographic and A/B dimensions — a 60–100× telemetry increase).",
    )


class ModelsAnswers(BaseModel, frozen=True, extra="forbid"):
    """What is in production and how it is kept fresh."""

    in_production: int = _f(2, ge=1, le=100_000, unit="models", label="Models in production",
                            description="Models in production today (seed 001 §7; §2.5: engineering effort "
                            "grows as O(n^1.4) in this number).")
    retraining: Retraining = _f(
        "data_dependent", label="Retraining strategy",
        description="Seed 001 §2.3 for 10× users: static schedule ($8k → $8k), data-dependent ($8k → $80k), "
        "per-user personalisation ($8k → $200k), active-learning loops ($8k → $400k).",
    )
    deploys_per_month: float = _f(2.0, ge=0, le=10_000, unit="deploys/month", label="Deploys per month",
                                  description="Model deployments per month (seed 001 §7 input 'deployment "
                                  "frequency'; §2.5: versioning, A/B tests, rollbacks).")


class TeamAnswers(BaseModel, frozen=True, extra="forbid"):
    """Who runs it."""

    ml_engineers: float = _f(2.0, ge=0, le=100_000, unit="FTE", label="ML engineers",
                             description="ML engineers working on the system (seed 001 §7 input 'team size').")
    infra_engineers: float = _f(1.0, ge=0, le=100_000, unit="FTE", label="Infrastructure engineers",
                                description="Infrastructure / platform engineers working on the system.")
    loaded_cost_per_fte_usd: float = _f(180_000.0, ge=0, le=10_000_000, unit="USD/year",
                                        label="Loaded cost per engineer",
                                        description="Fully-loaded yearly cost of one engineer (seed 001 §2.5: "
                                        "$180,000).")


class Answers(BaseModel, frozen=True, extra="forbid"):
    """The assessment questionnaire; its JSON is the public answers file (issue 2).

    Defaults describe a typical pilot: 10,000 users and $8K/month (seed 001 §1), growing
    10× in users, 5× in data and 3× in models over 12 months.
    """

    workload: Workload = Field(default_factory=Workload, description="Who uses the system today.")
    current_monthly_cost_usd: CurrentCosts = Field(default_factory=CurrentCosts,
                                                   description="Monthly cost per component today (USD/month).")
    growth: GrowthScenario = Field(default_factory=GrowthScenario, description="The growth scenario.")
    inference: InferenceAnswers = Field(default_factory=InferenceAnswers, description="How predictions are served.")
    data: DataAnswers = Field(default_factory=DataAnswers, description="How data flows and is kept.")
    models: ModelsAnswers = Field(default_factory=ModelsAnswers, description="Models in production.")
    team: TeamAnswers = Field(default_factory=TeamAnswers, description="Who runs the system.")
    stage: Stage = _f("pilot", label="Lifecycle stage",
                      description="Design, pilot or production. Seed 001 §4: architectural lock-in makes fixes "
                      "5–10× more expensive once in production; the executive summary: 40–60% cheaper during "
                      "initial development.")
    scenario_name: str = Field("", max_length=200, description="Free-text name of this scenario (report title).")
    what_if: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="What-if page inputs carried in the same file (name → that page's input model as JSON).",
    )


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
    (40.0, "elevated", "Some costs will grow faster than the business; fix the top drivers before scaling further."),
    (-math.inf, "low", "Costs should scale close to linearly; keep the patterns that make them so."),
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

COST_MULTIPLE_FULL = 3.0
"""Projected ÷ naive linear at which the cost-multiple term is full: seed 001 §1 calls a
3–5× multiplier over linear exponential."""

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
    "cost_multiple": 15.0,
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
    reduction: float = Field(description="Expected reduction on each of its components (base, fraction).")
    monthly_savings_usd: float = Field(description="Savings at today's cost once done, USD/month.")
    investment_usd: float = Field(description="One-off investment after the stage multiplier, USD.")
    payback_months: float | None
    roi: float | None = Field(description="ROI at 36 months, fraction.")
    addresses: str = Field("", description="Name of the driver this action works on, if any.")


class Assessment(BaseModel, frozen=True, extra="forbid"):
    """Everything the assessment page, the CLI and the report show."""

    score: float = Field(description="Scalability risk score, 0–100.")
    band: Band
    band_meaning: str
    drivers: list[Driver] = Field(description="Drivers with points > 0, largest first.")
    current_monthly_cost: ComponentCosts
    projected_monthly_cost: ComponentCosts = Field(description="Base case at the growth horizon.")
    projected_low: ComponentCosts
    projected_high: ComponentCosts
    naive_linear_monthly_usd: float = Field(description="Today's total × user multiple (seed 001 §6).")
    cost_multiple_vs_linear: float = Field(description="Projected base total ÷ naive linear.")
    horizon_months: int
    forecast: fc.Forecast
    cost_per_1k_requests_now_usd: float | None
    cost_per_1k_requests_projected_usd: float | None
    engineers_now_fte: float
    engineers_needed_fte: float = Field(description="FTE at the horizon's model count by §2.5's O(n^1.4).")
    recommendations: list[Recommendation]


# ---------------------------------------------------------------------------------------
# Scoring formulas, one function each
# ---------------------------------------------------------------------------------------


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return min(max(x, lo), hi)


def exposure(multiple: float) -> float:
    """How strongly growth along one axis amplifies a pattern's points.

    Parameters
    ----------
    multiple : growth multiple of the axis (users, data or models), ≥ 1.

    Returns
    -------
    float : 0.5 with no growth, 1.0 at 10×, 1.5 from 100× (capped).

    Notes
    -----
    $x(g) = \\mathrm{clamp}(0.5 + 0.5\\log_{10} g,\\ 0.5,\\ 1.5)$ — the seed's growth
    figures are stated per 10× users (§2.1–2.3), so a pattern counts in full at 10×.

    References
    ----------
    Seed 001 §2 ("Cost Growth (10x Users)").

    Examples
    --------
    >>> exposure(1.0), exposure(10.0), exposure(1e4)
    (0.5, 1.0, 1.5)
    """
    return _clamp(0.5 + 0.5 * math.log10(max(multiple, 1.0)), 0.5, 1.5)


def log_ramp(value: float, start: float, full: float) -> float:
    """0 at ``start`` or below, 1 at ``full`` or above, linear in log(value) between.

    Examples
    --------
    >>> log_ramp(50, 50, 500), round(log_ramp(158.1, 50, 500), 2), log_ramp(5000, 50, 500)
    (0.0, 0.5, 1.0)
    """
    if value <= start:
        return 0.0
    return _clamp(math.log(value / start) / math.log(full / start))


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


def saturate(raw_points: float) -> float:
    """Bounded score from raw points: ``100·(1 − e^(−S/50))``.

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
    return 100.0 * (1.0 - math.exp(-max(raw_points, 0.0) / SATURATION_POINTS))


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
        current=a.current_monthly_cost_usd.as_components(), users_multiple=g.users_multiple,
        data_multiple=g.data_multiple, models_multiple=g.models_multiple, horizon_months=g.horizon_months,
        after_horizon=g.after_horizon, architecture=a.inference.architecture,
        cache_hit_rate=a.inference.cache_hit_rate, retention=a.data.retention, pipeline=a.data.pipeline,
        retraining=a.models.retraining,
    )


def raw_drivers(a: Answers, cost_multiple: float) -> list[tuple[str, str, float, str, str]]:
    """Raw points of every pattern found in the answers: (id, name, raw, seed_ref, why).

    Parameters
    ----------
    a : the answers.
    cost_multiple : projected (base) ÷ naive linear at the horizon, from the forecast.

    Returns
    -------
    list : one entry per driver with raw > 0 (late-stage lock-in last).

    Notes
    -----
    Each entry is weight × pattern intensity × exposure (:func:`exposure` of users ``xu``,
    data ``xd``); see the methodology page for the table.

    References
    ----------
    Seed 001 §2 (patterns), §3 (linear patterns), §4 (diagnostics, lock-in), §6, §7.
    """
    w = DRIVER_WEIGHTS
    xu, xd = exposure(a.growth.users_multiple), exposure(a.growth.data_multiple)
    inf, data, models = a.inference, a.data, a.models
    out: list[tuple[str, str, float, str, str]] = []

    def add(id_: str, name: str, raw: float, ref: str, why: str) -> None:
        if raw > 0:
            out.append((id_, name, raw, ref, why))

    cache_gap = 1.0 - _clamp(inf.cache_hit_rate / GOOD_CACHE_HIT_RATE)
    add("caching", "No/low caching",
        w["caching"] * cache_gap + (w["uncached_architecture"] * xu if inf.architecture == "stateless_uncached" else 0),
        "seed 001 §3.1, §5 phase 1",
        f"Only {inf.cache_hit_rate:.0%} of requests hit a cache, so every repeated query pays for full inference "
        f"(a 67% hit rate cut §3.1's chatbot from $18,000 to $6,500/month).")
    arch = inf.architecture
    if arch == "per_user_finetuned":
        add("per_user_models", "Per-user models", w["per_user_models"] * xu, "seed 001 §2.1",
            "One fine-tuned model per user multiplies models with users: 25–50× cost per 10× users.")
    if arch == "session_gpu":
        add("session_gpu", "Session-held GPUs", w["session_gpu"] * xu, "seed 001 §2.1",
            "GPUs held for a session sit idle between requests and are allocated per user: 30–60× cost per 10× users.")
    ctx = w["context_length"] * log_ramp(inf.context_tokens, CONTEXT_OK_TOKENS, CONTEXT_FULL_TOKENS)
    add("context", "O(n²) context growth", (w["large_context"] * xu if arch == "large_context" else 0.0) + ctx,
        "seed 001 §2.1",
        f"Attention cost grows with the square of the context ({inf.context_tokens:,} tokens): 100 → 8,000 "
        "tokens meant 64× memory and 100–150× cost; large-context systems grow 50–120× per 10× users.")
    ingest = _clamp(1.0 + 0.25 * math.log10(max(data.ingest_tb_per_month, 1e-6)), 0.5, 1.5)
    if data.retention == "none":
        add("lifecycle", "No data lifecycle", w["no_lifecycle"] * xd * ingest, "seed 001 §3.6, §4.4",
            "Without lifecycle rules every byte is kept at hot-tier prices, so storage grows with time even at "
            "flat traffic (§3.6: $2,070 vs $340/month for the same 90 TB).")
    elif data.retention == "tiered":
        add("lifecycle", "Retention without sampling", w["tiered_no_sampling"] * xd * ingest, "seed 001 §6, §3.6",
            "Tiering slows but does not stop growth: storage still grows 1.5× a year per unit of ingest (§6); "
            "sampling and aggregation keep it flat.")
    if data.pipeline == "self_hosted_streaming":
        add("streaming", "Self-hosted streaming", w["self_hosted_streaming"] * xu, "seed 001 §2.2",
            "Self-hosted Kafka needs manual sharding, replication and rebalancing: $12K → $180K/month for 10× "
            "customers, vs $45K on managed Pub/Sub.")
    if data.pipeline == "high_cardinality_feature_store":
        add("joins", "High-cardinality joins", w["high_cardinality_joins"] * xu, "seed 001 §2.2",
            "Feature joins whose cardinality grows with the user base cost O(n log n) or worse.")
    if models.retraining == "data_dependent":
        add("retraining", "Data-dependent retraining (d^α)", w["data_dependent_retraining"] * xd, "seed 001 §2.3, §6",
            "Retraining on a growing dataset costs d^α with α = 1.2–1.6 (8 → 72 hours for 13× the events in §2.3).")
    elif models.retraining == "per_user":
        add("retraining", "Per-user retraining", w["per_user_retraining"] * xu, "seed 001 §2.3",
            "Continuous per-user fine-tuning grows with the user base: $8k → $200k for 10× users.")
    elif models.retraining == "active_learning":
        add("retraining", "Active-learning retraining", w["active_learning"] * xu, "seed 001 §2.3",
            "Feedback loops retrain on feedback that can grow faster than users: $8k → $400k for 10× users.")
    n_future = models.in_production * a.growth.models_multiple
    fte_now = a.team.ml_engineers + a.team.infra_engineers
    stretch = engineers_needed(n_future) / max(fte_now, 0.5)
    eng = (w["model_count"] * _clamp(math.log(max(n_future, 1.0)) / math.log(50.0), 0.0, 1.5)
           + w["team_stretch"] * _clamp(math.log2(max(stretch, 1.0)) / 3.0)
           + w["deploy_churn"] * _clamp(math.log10(1.0 + models.deploys_per_month) / math.log10(31.0)))
    add("engineering", "Engineering overhead O(n^1.4)", eng, "seed 001 §2.5",
        f"Maintaining {n_future:,.0f} models takes engineering effort growing as n^1.4 (5 → 50 models: "
        f"2.5 → 45 FTE); about {engineers_needed(n_future):,.1f} FTE at the horizon vs {fte_now:,.1f} today.")
    util_gap = _clamp((GPU_UTILIZATION_OK - inf.gpu_utilization) / (GPU_UTILIZATION_OK - GPU_UTILIZATION_FLOOR))
    add("gpu_utilization", "Low GPU utilization", w["gpu_utilization"] * util_gap, "seed 001 §4.2",
        f"At {inf.gpu_utilization:.0%} utilization you pay for idle GPUs (§4.2: 18% on 4× V100 wasted "
        "$15,000/month; right-sizing cut 75%).")
    add("monitoring", "Monitoring cardinality",
        w["monitoring"] * log_ramp(data.monitoring_metrics, MONITORING_BASE_METRICS, 10 * MONITORING_BASE_METRICS) * xu,
        "seed 001 §2.4",
        f"{data.monitoring_metrics:,} metrics × per-customer, geographic and A/B dimensions explode telemetry "
        "cardinality (60–100× points for 10× requests).")
    add("model_size", "Over-sized model", w["model_size"] * log_ramp(inf.model_params, MODEL_SIZE_OK, MODEL_SIZE_FULL),
        "seed 001 §4.3",
        f"A {inf.model_params / 1e9:,.2g}B-parameter model costs more per request than a smaller one that often keeps "
        "> 95% of the accuracy (BERT-large → DistilBERT: 5× fewer parameters).")
    add("cost_multiple", "Cost multiple vs naive linear",
        w["cost_multiple"] * _clamp(math.log(max(cost_multiple, 1.0)) / math.log(COST_MULTIPLE_FULL), 0.0, 1.5),
        "seed 001 §6, §1",
        f"The component projection is {cost_multiple:,.2f}× the naive linear one: costs grow faster than users "
        "(§1: 3–5× over linear is exponential).")
    lock = STAGE_LOCK_IN[a.stage] * LOCK_IN_SHARE * sum(r for _, _, r, _, _ in out)
    add("lock_in", "Late-stage lock-in", lock, "seed 001 §4, executive summary",
        f"At the {a.stage} stage architecture is locked in: fixes cost 5–10× more after production (§4) and "
        "40–60% less during initial development.")
    return out


# ---------------------------------------------------------------------------------------
# Recommendations (from calculator.mitigation)
# ---------------------------------------------------------------------------------------

ACTION_ADDRESSES: dict[str, str] = {
    "enable_caching": "caching", "lifecycle_policies": "lifecycle", "right_size_compute": "gpu_utilization",
    "batch_requests": "gpu_utilization", "quantization": "model_size", "pruning": "model_size",
    "distillation": "model_size", "adaptive_routing": "model_size", "managed_services": "streaming",
    "feature_store": "engineering", "edge_inference": "per_user_models", "micro_batch_pipelines": "streaming",
    "architecture_replacement": "context", "federated_learning": "retraining", "platform_migration": "cost_multiple",
}
"""Driver each mitigation action works on (for the "addresses" column)."""

TOP_RECOMMENDATIONS = 5


def applicable_actions(a: Answers) -> set[str]:
    """Ids of the seed 001 §5 actions that apply to this system.

    Drops what is already done or cannot help: caching at ≥ 60% hit rate (top of §5's
    30–60%); lifecycle policies when a policy exists; right-sizing at ≥ 60% GPU utilization
    (§4.2 target reached); managed services when streaming is already managed; a feature
    store when one exists or with a single model; edge inference for models over 1B
    parameters (§3.3: < 50 MB on devices); micro-batch when pipelines are already batch;
    architecture replacement unless context is large (≥ 4,000 tokens or a large-context
    architecture, §2.1); federated learning unless training is per-user or active-learning.

    Examples
    --------
    >>> sorted(applicable_actions(Answers()) - {"quantization", "pruning", "distillation", "adaptive_routing"})[:4]
    ['batch_requests', 'enable_caching', 'feature_store', 'lifecycle_policies']
    """
    inf, data, models = a.inference, a.data, a.models
    drop: set[str] = set()
    if inf.cache_hit_rate >= 0.6:
        drop.add("enable_caching")
    if data.retention != "none":
        drop.add("lifecycle_policies")
    if inf.gpu_utilization >= 0.6:
        drop.add("right_size_compute")
    if data.pipeline == "managed_streaming":
        drop.add("managed_services")
    if data.pipeline == "high_cardinality_feature_store" or models.in_production * a.growth.models_multiple < 2:
        drop.add("feature_store")
    if inf.model_params > 1e9:
        drop.add("edge_inference")
    if data.pipeline == "batch_partitioned":
        drop.add("micro_batch_pipelines")
    if not (inf.architecture == "large_context" or inf.context_tokens >= 4_000):
        drop.add("architecture_replacement")
    if models.retraining not in ("per_user", "active_learning"):
        drop.add("federated_learning")
    return set(ACTION_ADDRESSES) - drop


def _mitigation_inputs(a: Answers, current: ComponentCosts, projected: ComponentCosts):  # noqa: ANN202
    from calculator import mitigation as mit

    keep = applicable_actions(a)
    actions = tuple(x for x in mit.DEFAULT_ACTIONS if x.id in keep) or mit.DEFAULT_ACTIONS
    return mit.MitigationInputs(
        current_monthly_cost=current, projected_monthly_cost=projected,
        growth_horizon_months=a.growth.horizon_months, stage=a.stage, after_growth=a.growth.after_horizon,
        actions=actions,
    )


def mitigation_inputs_from(answers: Answers, assessment: Assessment):  # noqa: ANN201
    """Mitigation-page inputs for this system: its costs, growth, stage and applicable actions.

    Parameters
    ----------
    answers : the questionnaire.
    assessment : ``assess(answers)``.

    Returns
    -------
    calculator.mitigation.MitigationInputs : current and projected (base) costs, growth
    horizon, stage, after-horizon rule and the actions of :func:`applicable_actions`.

    Examples
    --------
    >>> a = Answers()
    >>> inp = mitigation_inputs_from(a, assess(a))
    >>> inp.stage, inp.growth_horizon_months, "micro_batch_pipelines" in [x.id for x in inp.actions]
    ('pilot', 12, False)
    """
    return _mitigation_inputs(answers, assessment.current_monthly_cost, assessment.projected_monthly_cost)


def recommend(a: Answers, current: ComponentCosts, projected: ComponentCosts, drivers: dict[str, str]) -> list[Recommendation]:
    """Top actions by ROI from :func:`calculator.mitigation.evaluate_plan`.

    Parameters
    ----------
    a : answers; current, projected : component costs; drivers : driver id → name present.

    Returns
    -------
    list : up to :data:`TOP_RECOMMENDATIONS` actions with positive savings, ranked by ROI.
    """
    from calculator import mitigation as mit

    result = mit.evaluate_plan(_mitigation_inputs(a, current, projected))
    out = []
    for r in result.actions:
        if r.monthly_savings_usd <= 0:
            continue
        out.append(Recommendation(
            id=r.id, name=r.name, phase=r.phase, seed_ref=r.seed_ref, components=tuple(r.components),
            reduction=r.reduction, monthly_savings_usd=r.monthly_savings_usd, investment_usd=r.investment_usd,
            payback_months=r.payback_months, roi=r.roi, addresses=drivers.get(ACTION_ADDRESSES.get(r.id, ""), ""),
        ))
        if len(out) == TOP_RECOMMENDATIONS:
            break
    return out


# ---------------------------------------------------------------------------------------
# assess
# ---------------------------------------------------------------------------------------


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
    $S = \\sum_i r_i$ (:func:`raw_drivers`), score $= 100(1 - e^{-S/50})$ (:func:`saturate`),
    points $p_i \\propto r_i$ with $\\sum p_i$ = score (:func:`allocate_points`); projection
    by :func:`calculator.forecast.forecast`; recommendations by
    :func:`calculator.mitigation.evaluate_plan`.

    References
    ----------
    Seed 001 §7 (score, thresholds, ROI-ranked recommendations), §6 (projection).

    Examples
    --------
    >>> r = assess(Answers())
    >>> 0 <= r.score <= 100, r.band, round(sum(d.points for d in r.drivers), 6) == r.score
    (True, 'elevated', True)
    """
    f = fc.forecast(_forecast_inputs(answers))
    current = answers.current_monthly_cost_usd.as_components()
    projected = f.projected["base"]
    naive = f.naive_linear_monthly_usd
    multiple = projected.total / naive if naive > 0 else 1.0
    raws = raw_drivers(answers, multiple)
    score, points = allocate_points(saturate(sum(r for _, _, r, _, _ in raws)), [r for _, _, r, _, _ in raws])
    drivers = sorted(
        (Driver(id=i, name=n, points=p, raw=r, seed_ref=ref, why=why)
         for (i, n, r, ref, why), p in zip(raws, points)),
        key=lambda d: (-d.raw, d.id),
    )
    band, meaning = band_of(score)
    req_month = answers.workload.requests_per_day * 365.0 / 12.0
    u = answers.growth.users_multiple
    return Assessment(
        score=score, band=band, band_meaning=meaning, drivers=drivers,
        current_monthly_cost=current, projected_monthly_cost=projected,
        projected_low=f.projected["low"], projected_high=f.projected["high"],
        naive_linear_monthly_usd=naive, cost_multiple_vs_linear=multiple,
        horizon_months=answers.growth.horizon_months, forecast=f,
        cost_per_1k_requests_now_usd=current.inference / req_month * 1e3 if req_month > 0 else None,
        cost_per_1k_requests_projected_usd=projected.inference / (req_month * u) * 1e3 if req_month > 0 else None,
        engineers_now_fte=answers.team.ml_engineers + answers.team.infra_engineers,
        engineers_needed_fte=engineers_needed(answers.models.in_production * answers.growth.models_multiple),
        recommendations=recommend(answers, current, projected, {d.id: d.name for d in drivers}),
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
        "drivers": [{"name": d.name, "points": d.points, "seed_ref": d.seed_ref, "why": d.why} for d in result.drivers],
        "projection": {
            "horizon_months": result.horizon_months,
            "naive_linear_monthly_usd": result.naive_linear_monthly_usd,
            "projected_monthly_usd": p.total,
            "cost_multiple_vs_linear": result.cost_multiple_vs_linear,
            "components": p.as_dict(),
            "low": result.projected_low.as_dict(),
            "high": result.projected_high.as_dict(),
            "classification": {c.component: c.classification for c in result.forecast.components},
        },
        "current_monthly_usd": result.current_monthly_cost.as_dict(),
        "recommendations": [
            {"id": r.id, "name": r.name, "phase": r.phase, "seed_ref": r.seed_ref, "reduction": r.reduction,
             "monthly_savings_usd": r.monthly_savings_usd, "investment_usd": r.investment_usd,
             "payback_months": r.payback_months, "roi": r.roi}
            for r in result.recommendations
        ],
    }


def key_figures(result: Assessment) -> list[tuple[str, str]]:
    """Headline results as (label, value with unit) for the PDF report.

    Examples
    --------
    >>> dict(key_figures(assess(Answers())))["Naive linear projection"]
    '$80,000/month'
    """
    h = result.horizon_months
    figs = [
        ("Scalability risk score", f"{result.score:.1f} / 100 ({result.band})"),
        ("Current cost", f"${result.current_monthly_cost.total:,.0f}/month"),
        (f"Projected cost at {h} months", f"${result.projected_monthly_cost.total:,.0f}/month "
         f"(${result.projected_low.total:,.0f}–${result.projected_high.total:,.0f})"),
        ("Naive linear projection", f"${result.naive_linear_monthly_usd:,.0f}/month"),
        ("Cost multiple vs linear", f"{result.cost_multiple_vs_linear:.2f}×"),
    ]
    if result.drivers:
        figs.append(("Top driver", f"{result.drivers[0].name} ({result.drivers[0].points:.1f} points)"))
    if result.recommendations:
        r = result.recommendations[0]
        figs.append(("Best action by ROI", f"{r.name} (phase {r.phase}, saves ${r.monthly_savings_usd:,.0f}/month)"))
    return figs


__all__ = [
    "Answers", "Assessment", "Driver", "Recommendation", "assess", "key_figures", "mitigation_inputs_from",
    "summary_json", "COMPONENTS",
]
