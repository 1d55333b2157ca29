"""Component cost forecast: how each cost component grows with users, data and models.

Seed 001 §6 writes the monthly cost of an AI system as

    C(u, d, m) = C_inference(u) + C_storage(d, t) + C_training(m, d) + C_ops(u, m)

and §2 tabulates how each component grows per pattern (architecture, retention, pipeline,
retraining, team).  ScaleRisk calibrates every constant ``k_i`` on today's bill, so each
component is *today's cost × a growth multiple*; the multiples are one function each below.
Every exponent has a low / base / high value taken from the seed's ranges; the low and
high variants give the uncertainty band on the trajectories.

Operations: the seed's ``C_ops = k4·(u·m)^β`` with β = 1.4–1.8 gives 4K × 50^1.5 ≈ $1.41M for
its own worked example, which quotes $89K.  ScaleRisk keeps the seed's structure
(load × models) but puts the super-linear exponent on the number of models only — the
engineering overhead O(n^1.4) measured in §2.5 — and lets the load grow with the data
pipeline's own law from §2.2 (linear for partitioned batch and managed streaming):
``C_ops = C_ops,0 · max(U, D)^e_pipe · M^β_m``.  See :func:`operations_multiple`.

Public API: :class:`ForecastInputs`, :func:`forecast` → :class:`Forecast`.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from calculator.common import COMPONENTS, ComponentCosts, ProjectedCosts

Architecture = Literal[
    "stateless_cached", "stateless_uncached", "per_user_finetuned", "session_gpu", "large_context"
]
Retention = Literal["none", "tiered", "tiered_sampling"]
Pipeline = Literal[
    "batch_partitioned",
    "managed_streaming",
    "self_hosted_streaming",
    "high_cardinality_feature_store",
]
Retraining = Literal["static", "data_dependent", "per_user", "active_learning"]
AfterHorizon = Literal["hold", "continue"]
Variant = Literal["low", "base", "high"]
Growth = Literal["linear", "super-linear", "exponential"]

VARIANTS: tuple[Variant, ...] = ("low", "base", "high")
TRAJECTORY_MONTHS = 36
"""Length of the monthly trajectories (seed 001 §7: 12- and 36-month trajectories)."""

# ---------------------------------------------------------------------------------------
# Constants (data with a citation).  Exponent triples are (low, base, high).
# ---------------------------------------------------------------------------------------

INFERENCE_GROWTH_PER_10X_USERS: dict[str, tuple[float, float]] = {
    "stateless_cached": (10.0, 15.0),
    "stateless_uncached": (8.0, 12.0),
    "per_user_finetuned": (25.0, 50.0),
    "session_gpu": (30.0, 60.0),
    "large_context": (50.0, 120.0),
}
"""Inference cost growth for 10× users, by architecture (seed 001 §2.1 table)."""


def exponent_per_10x(factor: float) -> float:
    """Power-law exponent of a cost that grows ``factor``-fold for 10× users.

    Parameters
    ----------
    factor : cost multiple for a 10× growth of its driver.

    Returns
    -------
    float : ``e`` such that cost ∝ driver^e.

    Notes
    -----
    $10^e = \\text{factor} \\Rightarrow e = \\log_{10}(\\text{factor})$.

    References
    ----------
    Seed 001 §2.1 ("Cost Growth (10x Users)").

    Examples
    --------
    >>> round(exponent_per_10x(25.0), 3)   # per-user fine-tuned, low end
    1.398
    """
    return math.log10(factor)


def _inference_exponents() -> dict[str, tuple[float, float, float]]:
    """(low, base, high) inference exponents per architecture from the §2.1 ranges.

    Stateless architectures: base 1.0 — seed 001 §6's own formula ``k1·u·(1−cache)`` is
    linear and lies inside both stateless ranges.  Others: base = geometric midpoint of the
    §2.1 range (the range is multiplicative, so its centre is √(lo·hi)).
    """
    out: dict[str, tuple[float, float, float]] = {}
    for arch, (lo, hi) in INFERENCE_GROWTH_PER_10X_USERS.items():
        base = 1.0 if arch.startswith("stateless") else exponent_per_10x(math.sqrt(lo * hi))
        out[arch] = (exponent_per_10x(lo), base, exponent_per_10x(hi))
    return out


INFERENCE_EXPONENT: dict[str, tuple[float, float, float]] = _inference_exponents()
"""Exponent of inference cost in the user multiple, (low, base, high), seed 001 §2.1 / §6."""

TRAINING_ALPHA: tuple[float, float, float] = (1.2, 1.3, 1.6)
"""α of ``C_training = k3·m·d^α``: range 1.2–1.6, base 1.3 as in the worked example (seed 001
§6)."""

RETRAINING_USER_EXPONENT: dict[str, tuple[float, float, float]] = {
    "per_user": (1.0, exponent_per_10x(25.0), exponent_per_10x(25.0)),
    "active_learning": (1.0, exponent_per_10x(50.0), exponent_per_10x(50.0)),
}
"""User exponent of retraining cost (seed 001 §2.3): per-user $8k → $200k (25×) and active
learning $8k → $400k (50×) for 10× users; low end 1.0 because the seed says per-user grows
"linearly or worse" and active learning is exponential only "if feedback volume scales
super-linearly"."""

STORAGE_TIME_SLOPE_PER_YEAR: dict[str, tuple[float, float, float]] = {
    "none": (12.0 / 24.0, 12.0 / 18.0, 12.0 / 12.0),
    "tiered": (0.5, 0.5, 0.5),
    "tiered_sampling": (0.0, 0.0, 0.0),
}
"""Growth of retained volume per year of elapsed time, per unit of ingest rate.

* ``tiered``: 0.5/year — seed 001 §6 multiplies storage by 1.5 "(lifecycle)" over its
  12-month example.
* ``none``: nothing is deleted, so the stored volume is ingest × age and grows by one year
  of ingest per year; relative growth = 12 / age.  Base age 18 months (the §3.6 / §4.4 IoT
  example: 90 TB after 18 months), low 24, high 12 months (ScaleRisk assumption for the band).
* ``tiered_sampling``: 0 — sampling and aggregation keep the retained volume proportional
  to the ingest rate ("costs stabilized", §3.6)."""

PIPELINE_LOAD_EXPONENT: dict[str, tuple[float, float, float]] = {
    "batch_partitioned": (1.0, 1.0, 1.0),
    "managed_streaming": (math.log(3.75) / math.log(12.5), 1.0, 1.0),
    "self_hosted_streaming": (
        math.log(15.0) / math.log(12.5),
        exponent_per_10x(15.0),
        exponent_per_10x(15.0),
    ),
    "high_cardinality_feature_store": (1.1, 1.2, 1.5),
}
"""Exponent of pipeline / operations load in the load multiple (seed 001 §2.2).

* batch, partitioned: linear ("costs grow proportionally with data volume").
* managed streaming: "near-linear" → base 1.0; low from the Pub/Sub example ($45K for
  12.5× events on a $12K base = 3.75×: log 3.75 / log 12.5 ≈ 0.52).
* self-hosted streaming: Kafka $12K → $180K (15×) for 10× customers / 12.5× events:
  log₁₀15 ≈ 1.18 per users (base, high), log 15 / log 12.5 ≈ 1.07 per events (low).
* high-cardinality feature store: "O(n log n) or worse"; the seed gives no figure.
  ScaleRisk assumption: low 1.1 (n log n over a 10× step at 10⁵–10⁷ users ≈ 1.08),
  base 1.2, high 1.5 ("or worse")."""

ENGINEERING_EXPONENT: tuple[float, float, float] = (
    math.log(45.0 / 2.5) / math.log(50.0 / 5.0),
    1.4,
    1.8,
)
"""β_m, exponent of operations effort in the number of models: base 1.4 (seed 001 §2.5,
O(n^1.4)); low ≈ 1.26, what §2.5's own data imply (2.5 FTE at 5 models → 45 FTE at 50);
high 1.8, the top of §6's β range."""

LINEAR_BAND = 1.2
"""A component growing ≤ 1.2× its linear reference is *linear*: seed 001 §4.1's cost-per-
request stability test allows ±20%."""

EXPONENTIAL_BAND = 3.0
"""A component growing > 3× its linear reference is *exponential*: seed 001 §1 calls a
3–5× multiplier over linear "exponential growth"; between the two it is *super-linear*."""


# ---------------------------------------------------------------------------------------
# Inputs and results
# ---------------------------------------------------------------------------------------


class ForecastInputs(BaseModel, frozen=True, extra="forbid"):
    """What the component forecast needs: today's costs, the growth scenario, the patterns."""

    current: ComponentCosts = Field(description="Monthly cost per component today (USD/month).")
    users_multiple: float = Field(
        10.0, ge=1, le=1e4, description="Active users at the horizon ÷ today."
    )
    data_multiple: float = Field(
        5.0, ge=1, le=1e4, description="Data volume at the horizon ÷ today."
    )
    models_multiple: float = Field(
        5.0, ge=1, le=1e3, description="Models in production at the horizon ÷ today."
    )
    horizon_months: int = Field(
        12, ge=1, le=120, description="Months until the growth multiples are reached."
    )
    after_horizon: AfterHorizon = Field(
        "hold", description="After the horizon: hold the multiples or keep growing."
    )
    architecture: Architecture = "stateless_cached"
    cache_hit_rate: float = Field(0.0, ge=0, le=1)
    retention: Retention = "tiered"
    pipeline: Pipeline = "batch_partitioned"
    retraining: Retraining = "data_dependent"


class ComponentGrowth(BaseModel, frozen=True, extra="forbid"):
    """One component at the growth horizon, with its classification."""

    component: str
    current_usd: float = Field(description="Today, USD/month.")
    projected_usd: dict[str, float] = Field(
        description="At the horizon, USD/month, per variant (low/base/high)."
    )
    multiple: float = Field(description="Base projected ÷ today's cost of this component.")
    linear_reference: float = Field(
        description="Multiple of the component's own driver(s) if it grew linearly."
    )
    ratio_to_linear: float = Field(description="Base multiple ÷ linear reference.")
    classification: Growth
    formula: str = Field(description="The growth law applied, in words.")


class Forecast(BaseModel, frozen=True, extra="forbid"):
    """Projection at the horizon and monthly trajectories (months 0…36) per variant."""

    months: list[int]
    trajectories: dict[str, dict[str, list[float]]] = Field(
        description="variant → component → USD/month for each month in ``months``."
    )
    naive_linear: list[float] = Field(
        description="Today's total × user multiple at each month, USD/month."
    )
    projected: dict[str, ProjectedCosts] = Field(
        description="variant → component costs at the horizon."
    )
    naive_linear_monthly_usd: float = Field(
        description="Naive linear projection at the horizon, USD/month."
    )
    components: list[ComponentGrowth]


# ---------------------------------------------------------------------------------------
# Growth laws, one function each
# ---------------------------------------------------------------------------------------


def scenario_multiple(
    final_multiple: float, month: float, horizon_months: int, after: AfterHorizon = "hold"
) -> float:
    """Growth multiple reached at ``month`` on the way to ``final_multiple`` at the horizon.

    Parameters
    ----------
    final_multiple : multiple reached at ``horizon_months`` (≥ 1).
    month : months from today (≥ 0).
    horizon_months : the growth horizon.
    after : "hold" keeps the final multiple after the horizon; "continue" keeps compounding.

    Returns
    -------
    float : the multiple at ``month``.

    Notes
    -----
    Constant monthly growth rate (geometric interpolation):
    $x(t) = X^{\\tau/H}$ with $\\tau = \\min(t, H)$ ("hold") or $\\tau = t$ ("continue").

    References
    ----------
    Seed 001 §7 (12- and 36-month trajectories from user growth assumptions).

    Examples
    --------
    >>> round(scenario_multiple(10.0, 6, 12), 3)   # √10 half-way
    3.162
    >>> scenario_multiple(10.0, 24, 12), round(scenario_multiple(10.0, 24, 12, "continue"), 6)
    (10.0, 100.0)
    """
    tau = month if after == "continue" else min(month, horizon_months)
    return final_multiple ** (tau / horizon_months)


def inference_multiple(users: float, cache_hit_rate: float, exponent: float) -> float:
    """Inference cost multiple: ``C_inference = k1 · u^e · (1 − cache_rate)``.

    Parameters
    ----------
    users : user multiple.
    cache_hit_rate : share of requests served from cache (0–1).
    exponent : user exponent of the architecture (:data:`INFERENCE_EXPONENT`).

    Returns
    -------
    float : projected ÷ today's inference cost.

    Notes
    -----
    $m_{inf} = U^{e}(1-h)$.  Following seed 001 §6, ``k1·u`` is calibrated on today's bill
    and the cache hit rate applies to the projected volume ("$12K × 10 × 0.7 (caching)").

    References
    ----------
    Seed 001 §6 (formula, worked example), §2.1 (architecture exponents).

    Examples
    --------
    >>> round(12_000 * inference_multiple(10.0, 0.3, 1.0), 6)   # seed 001 §6: $84K
    84000.0
    """
    return users**exponent * (1.0 - cache_hit_rate)


def storage_multiple(data: float, months_elapsed: float, slope_per_year: float) -> float:
    """Storage cost multiple: ``C_storage = k2 · d · t · retention_policy``.

    Parameters
    ----------
    data : data-volume (ingest) multiple.
    months_elapsed : months from today.
    slope_per_year : growth of retained volume per year (:data:`STORAGE_TIME_SLOPE_PER_YEAR`).

    Returns
    -------
    float : projected ÷ today's storage cost.

    Notes
    -----
    $m_{sto} = D \\cdot (1 + s \\, t/12)$.

    References
    ----------
    Seed 001 §6 ("$3K × 5 × 1.5 (lifecycle)"), §2.4, §3.6, §4.4.

    Examples
    --------
    >>> 3_000 * storage_multiple(5.0, 12, 0.5)   # seed 001 §6: $22.5K
    22500.0
    """
    return data * (1.0 + slope_per_year * months_elapsed / 12.0)


def training_multiple(
    models: float,
    data: float,
    users: float,
    alpha: float,
    user_exponent: float | None,
    static: bool = False,
) -> float:
    """Training cost multiple: ``C_training = k3 · m · d^α`` (or the §2.3 user law).

    Parameters
    ----------
    models, data, users : growth multiples.
    alpha : data exponent (:data:`TRAINING_ALPHA`).
    user_exponent : per-user / active-learning exponent (:data:`RETRAINING_USER_EXPONENT`) or None.
    static : static schedule — cost per model does not grow (seed 001 §2.3).

    Returns
    -------
    float : projected ÷ today's training cost.

    Notes
    -----
    Static: $M$.  Data-dependent: $M \\cdot D^{\\alpha}$.  Per-user / active learning:
    $M \\cdot \\max(D^{\\alpha}, U^{\\gamma})$ (the larger of the data-driven and the user-driven
    law).

    References
    ----------
    Seed 001 §6 (formula, α = 1.2–1.6, worked example), §2.3 (retraining strategies).

    Examples
    --------
    >>> # seed 001 §6: ≈ $243K (the seed rounds to $240K)
    >>> round(6_000 * training_multiple(5.0, 5.0, 10.0, 1.3, None))
    243098
    """
    if static:
        return models
    per_model = data**alpha
    if user_exponent is not None:
        per_model = max(per_model, users**user_exponent)
    return models * per_model


def operations_multiple(
    users: float, data: float, models: float, load_exponent: float, model_exponent: float
) -> float:
    """Operations cost multiple: load × models, super-linear in the number of models.

    Parameters
    ----------
    users, data, models : growth multiples.
    load_exponent : pipeline law of the load (:data:`PIPELINE_LOAD_EXPONENT`).
    model_exponent : β_m, engineering overhead in the number of models
    (:data:`ENGINEERING_EXPONENT`).

    Returns
    -------
    float : projected ÷ today's operations cost.

    Notes
    -----
    $m_{ops} = \\max(U, D)^{e_{pipe}} \\cdot M^{\\beta_m}$.

    The seed's $k_4 (u\\,m)^{\\beta}$ with β = 1.4–1.8 applies the exponential exponent to
    users too: 4K × 50^1.5 ≈ $1.41M for its example, ≈ 16× its quoted $89K (which would
    need β ≈ 0.79, i.e. *sub*-linear — contradicting "Exponential").  β on users would also
    make every batch or managed pipeline exponential, against §2.2.  ScaleRisk keeps the
    seed's product of load and models, takes the super-linear exponent on models from the
    measured engineering overhead O(n^1.4) (§2.5) and the load's exponent from the
    pipeline's own law (§2.2).  Load = the larger of user and data growth (events grow with
    users, batch volume with data).  For the §6 example (batch pipeline): 4K × 10 × 5^1.4
    ≈ $380.7K.

    References
    ----------
    Seed 001 §6 (C_ops), §2.5 (O(n^1.4)), §2.2 (pipelines).

    Examples
    --------
    >>> round(4_000 * operations_multiple(10.0, 5.0, 5.0, 1.0, 1.4))
    380731
    """
    return max(users, data) ** load_exponent * models**model_exponent


def classify(ratio_to_linear: float) -> Growth:
    """Linear / super-linear / exponential from the ratio of a multiple to its linear reference.

    Parameters
    ----------
    ratio_to_linear : projected multiple ÷ the multiple of its driver(s).

    Returns
    -------
    str : "linear" (≤ 1.2), "super-linear" (≤ 3) or "exponential" (> 3).

    References
    ----------
    Seed 001 §4.1 (±20% unit-cost stability), §1 (3–5× over linear = exponential).

    Examples
    --------
    >>> classify(0.7), classify(1.62), classify(4.0)
    ('linear', 'super-linear', 'exponential')
    """
    if ratio_to_linear <= LINEAR_BAND:
        return "linear"
    if ratio_to_linear <= EXPONENTIAL_BAND:
        return "super-linear"
    return "exponential"


# ---------------------------------------------------------------------------------------
# The forecast
# ---------------------------------------------------------------------------------------


def component_multiples(
    inp: ForecastInputs, month: float, variant: Variant = "base"
) -> dict[str, float]:
    """Growth multiple of each component at ``month`` for one variant.

    Parameters
    ----------
    inp : :class:`ForecastInputs`.
    month : months from today (0 → all multiples 1).
    variant : "low", "base" or "high" exponents.

    Returns
    -------
    dict : component → multiple of today's cost.

    Notes
    -----
    Users, data and models move along :func:`scenario_multiple`; the cache saving phases in
    geometrically, $(1-h)^{\\tau/H}$, so month 0 is today's bill.

    References
    ----------
    Seed 001 §6, §2.

    Examples
    --------
    >>> inp = ForecastInputs(current=ComponentCosts(inference=1.0))
    >>> component_multiples(inp, 0)["inference"]
    1.0
    """
    i = VARIANTS.index(variant)
    h, after = inp.horizon_months, inp.after_horizon
    u = scenario_multiple(inp.users_multiple, month, h, after)
    d = scenario_multiple(inp.data_multiple, month, h, after)
    m = scenario_multiple(inp.models_multiple, month, h, after)
    cache_keep = scenario_multiple(1.0 / max(1.0 - inp.cache_hit_rate, 1e-9), month, h, "hold")
    user_exp = RETRAINING_USER_EXPONENT.get(inp.retraining)
    return {
        "inference": inference_multiple(u, 0.0, INFERENCE_EXPONENT[inp.architecture][i])
        / cache_keep,
        "storage": storage_multiple(d, month, STORAGE_TIME_SLOPE_PER_YEAR[inp.retention][i]),
        "training": training_multiple(
            m,
            d,
            u,
            TRAINING_ALPHA[i],
            None if user_exp is None else user_exp[i],
            inp.retraining == "static",
        ),
        "operations": operations_multiple(
            u, d, m, PIPELINE_LOAD_EXPONENT[inp.pipeline][i], ENGINEERING_EXPONENT[i]
        ),
    }


def _formula(inp: ForecastInputs, component: str) -> str:
    """Human-readable growth law of one component (base variant)."""
    if component == "inference":
        e = INFERENCE_EXPONENT[inp.architecture][1]
        return (
            f"users^{e:.2f} × (1 − cache hit rate {inp.cache_hit_rate:.0%}) — §6, §2.1 "
            f"{inp.architecture}"
        )
    if component == "storage":
        s = STORAGE_TIME_SLOPE_PER_YEAR[inp.retention][1]
        return f"data × (1 + {s:.2f} × years elapsed) — §6, retention {inp.retention}"
    if component == "training":
        if inp.retraining == "static":
            return "models (static schedule: constant per model) — §2.3"
        law = f"models × data^{TRAINING_ALPHA[1]}"
        if inp.retraining in RETRAINING_USER_EXPONENT:
            gamma = RETRAINING_USER_EXPONENT[inp.retraining][1]
            law = f"models × max(data^{TRAINING_ALPHA[1]}, users^{gamma:.2f})"
        return f"{law} — §6, §2.3 {inp.retraining}"
    e = PIPELINE_LOAD_EXPONENT[inp.pipeline][1]
    return (
        f"max(users, data)^{e:.2f} × models^{ENGINEERING_EXPONENT[1]} — §6 read with §2.5, "
        f"§2.2 {inp.pipeline}"
    )


def linear_reference(inp: ForecastInputs, component: str) -> float:
    """Multiple a component would show if it grew linearly with its own driver(s).

    Inference ∝ users, storage ∝ data, training ∝ models × data, operations ∝ models ×
    max(users, data) (seed 001 §6's variables of each component).

    Examples
    --------
    >>> inp = ForecastInputs(current=ComponentCosts(), users_multiple=10, data_multiple=5,
    ...                      models_multiple=5)
    >>> [linear_reference(inp, c) for c in ("inference", "storage", "training", "operations")]
    [10.0, 5.0, 25.0, 50.0]
    """
    u, d, m = inp.users_multiple, inp.data_multiple, inp.models_multiple
    return {"inference": u, "storage": d, "training": m * d, "operations": m * max(u, d)}[component]


def excess_over_linear(inp: ForecastInputs, month: float) -> dict[str, float]:
    """Cost above linear growth at ``month``, per component, in multiples of that component today.

    Parameters
    ----------
    inp : :class:`ForecastInputs`.
    month : months from today.

    Returns
    -------
    dict : component → how much more than linear it grows, in multiples of its cost today
    (base variant; users $u$, data $d$, models $m$ at ``month``):

    * inference: $u^e - u$ (the cache factor is a saving, not a growth pattern, so it is left
      out, as :func:`forecast` does to classify inference);
    * storage: $d \\cdot s\\,t/12$ (the retention's growth with time);
    * training: $m \\max(d^\\alpha - d,\\ u^\\gamma - u)$ for per-user / active-learning
      retraining, $m (d^\\alpha - d)$ for data-dependent, 0 for a static schedule;
    * operations: $x^{e}\\,m^{\\beta} - x\\,m$ with $x = \\max(u, d)$.

    Notes
    -----
    Each term is a law with exponents ≥ 1 minus the same law with exponents 1, so it is zero
    for linear growth and non-decreasing in every growth multiple, in every exponent (riskier
    answers) and, for fixed multiples, in the monthly growth rate (a shorter horizon).  A law
    that is the larger of two drivers is compared driver by driver: subtracting the linear
    value of the maximum would let more data lower the excess of user-driven retraining.

    References
    ----------
    Seed 001 §6 (component laws), §1 (costs growing faster than users).

    Examples
    --------
    >>> inp = ForecastInputs(current=ComponentCosts(), users_multiple=10, data_multiple=5,
    ...     models_multiple=5, cache_hit_rate=0.3)
    >>> {c: round(x, 2) for c, x in excess_over_linear(inp, 12).items()}   # seed 001 §6 example
    {'inference': 0.0, 'storage': 2.5, 'training': 15.52, 'operations': 45.18}
    """
    return {c: float(x[0]) for c, x in excess_terms(inp, {}, month).items()}


def forecast(inp: ForecastInputs, months: int = TRAJECTORY_MONTHS) -> Forecast:
    """Project every component to the horizon and along monthly trajectories.

    Parameters
    ----------
    inp : :class:`ForecastInputs`.
    months : trajectory length (months 0…``months``).

    Returns
    -------
    :class:`Forecast`.

    Notes
    -----
    $C_c(t) = C_{c,0} \\cdot m_c(t)$ with the multiples of :func:`component_multiples`;
    naive linear $= C_0 \\cdot U(t)$ (seed 001 §6 "Naive linear projection").

    References
    ----------
    Seed 001 §6 (component model and worked example), §7 (trajectories).

    Examples
    --------
    >>> f = forecast(ForecastInputs(current=ComponentCosts(inference=12_000, storage=3_000,
    ...     training=6_000, operations=4_000), cache_hit_rate=0.3))
    >>> base = f.projected["base"]
    >>> f.naive_linear_monthly_usd, round(base.inference), round(base.storage)
    (250000.0, 84000, 22500)
    """
    grid = list(range(months + 1))
    cur = inp.current.as_dict()
    traj: dict[str, dict[str, list[float]]] = {}
    projected: dict[str, ProjectedCosts] = {}
    for v in VARIANTS:
        series: dict[str, list[float]] = {c: [] for c in COMPONENTS}
        for t in grid:
            mult = component_multiples(inp, t, v)
            for c in COMPONENTS:
                series[c].append(cur[c] * mult[c])
        traj[v] = series
        at_h = component_multiples(inp, inp.horizon_months, v)
        projected[v] = ProjectedCosts(**{c: cur[c] * at_h[c] for c in COMPONENTS})
    total0 = inp.current.total
    naive = [
        total0 * scenario_multiple(inp.users_multiple, t, inp.horizon_months, inp.after_horizon)
        for t in grid
    ]
    base_mult = component_multiples(inp, inp.horizon_months, "base")
    comps = []
    for c in COMPONENTS:
        lin = linear_reference(inp, c)
        # the cache factor is a saving, not a growth pattern: classify inference without it
        pattern_mult = (
            base_mult[c] / (1.0 - inp.cache_hit_rate)
            if c == "inference" and inp.cache_hit_rate < 1
            else base_mult[c]
        )
        ratio = pattern_mult / lin
        comps.append(
            ComponentGrowth(
                component=c,
                current_usd=cur[c],
                projected_usd={v: getattr(projected[v], c) for v in VARIANTS},
                multiple=base_mult[c],
                linear_reference=lin,
                ratio_to_linear=ratio,
                classification=classify(ratio),
                formula=_formula(inp, c),
            )
        )
    return Forecast(
        months=grid,
        trajectories=traj,
        naive_linear=naive,
        projected=projected,
        naive_linear_monthly_usd=total0 * inp.users_multiple,
        components=comps,
    )


# ---------------------------------------------------------------------------------------
# Samples: the same laws on arrays (the uncertainty engine's forecast)
# ---------------------------------------------------------------------------------------

EXPONENT_LABELS: dict[str, str] = {
    "exp.inference": "Inference growth exponent",
    "exp.storage_slope": "Storage growth with time",
    "exp.training_alpha": "Training data exponent α",
    "exp.retraining_gamma": "Retraining user exponent",
    "exp.pipeline": "Pipeline load exponent",
    "exp.engineering": "Engineering exponent in models",
}
"""What a person reads for each exponent the simulation draws."""

EXPONENT_SOURCES: dict[str, str] = {
    "exp.inference": "seed 001 §2.1, §6",
    "exp.storage_slope": "seed 001 §3.6, §6",
    "exp.training_alpha": "seed 001 §6",
    "exp.retraining_gamma": "seed 001 §2.3",
    "exp.pipeline": "seed 001 §2.2",
    "exp.engineering": "seed 001 §2.5, §6",
}
"""Where each exponent's range comes from."""


def exponent_ranges(inp: ForecastInputs) -> dict[str, tuple[float, float, float]]:
    """(low, base, high) of every growth exponent that applies to ``inp`` (the seed's ranges).

    Examples
    --------
    >>> exponent_ranges(ForecastInputs(current=ComponentCosts()))["exp.training_alpha"]
    (1.2, 1.3, 1.6)
    """
    out = {
        "exp.inference": INFERENCE_EXPONENT[inp.architecture],
        "exp.storage_slope": STORAGE_TIME_SLOPE_PER_YEAR[inp.retention],
        "exp.pipeline": PIPELINE_LOAD_EXPONENT[inp.pipeline],
        "exp.engineering": ENGINEERING_EXPONENT,
    }
    if inp.retraining != "static":
        out["exp.training_alpha"] = TRAINING_ALPHA
    if inp.retraining in RETRAINING_USER_EXPONENT:
        out["exp.retraining_gamma"] = RETRAINING_USER_EXPONENT[inp.retraining]
    return out


def trajectory_samples(
    inp: ForecastInputs, values: dict[str, np.ndarray], months: int = TRAJECTORY_MONTHS
) -> dict[str, np.ndarray]:
    """Monthly cost of every component for each sample: component → array (samples × months
    0…``months``).

    Parameters
    ----------
    inp : :class:`ForecastInputs` (everything not in ``values``).
    values : samples by key — exponents (``exp.*``, :func:`exponent_ranges`), growth multiples
        (``users_multiple``, ``data_multiple``, ``models_multiple``), ``cache_hit_rate`` and today's
        costs (``current.inference`` …).  Keys left out take their point value.
    months : trajectory length.

    Notes
    -----
    The laws of :func:`component_multiples`, on arrays: with every sample at its point value
    the result equals :func:`forecast`'s base trajectory (a test checks it).

    Examples
    --------
    >>> inp = ForecastInputs(current=ComponentCosts(inference=12_000, storage=3_000, training=6_000,
    ...     operations=4_000), cache_hit_rate=0.3)
    >>> t = trajectory_samples(inp, {"exp.training_alpha": np.array([1.2, 1.3, 1.6])}, 12)
    >>> [round(float(x)) for x in t["training"][:, 12]]   # seed 001 §6: 6K × 5 × 5^α
    [206959, 243098, 393979]
    """
    n = max([len(v) for v in values.values()] + [1])
    t = np.arange(months + 1, dtype=float)[None, :]
    h = float(inp.horizon_months)
    tau = t if inp.after_horizon == "continue" else np.minimum(t, h)

    def get(key: str, default: float) -> np.ndarray:
        return np.asarray(values.get(key, np.full(n, default)), dtype=float)[:, None]

    def log_path(key: str, final: float) -> np.ndarray:
        return np.log(get(key, final)) * (tau / h)  # ln(multiple^(τ/h)); multiples are ≥ 1

    ranges = exponent_ranges(inp)

    def exponent(key: str) -> np.ndarray:
        return get(key, ranges[key][1]) if key in ranges else np.zeros((n, 1))

    # In log space (x^e = e^(e·ln x)): one exp per component instead of nested powers.
    lu, ld, lm = (
        log_path("users_multiple", inp.users_multiple),
        log_path("data_multiple", inp.data_multiple),
        log_path("models_multiple", inp.models_multiple),
    )
    hit = np.minimum(get("cache_hit_rate", inp.cache_hit_rate), 1.0 - 1e-9)
    log_keep = np.log1p(-hit) * (np.minimum(t, h) / h)
    inference = np.exp(lu * exponent("exp.inference") + log_keep)
    storage = np.exp(ld) * (1.0 + exponent("exp.storage_slope") * t / 12.0)
    if inp.retraining == "static":
        training = np.exp(lm) * np.ones_like(t)
    else:
        log_per_model = ld * exponent("exp.training_alpha")
        if inp.retraining in RETRAINING_USER_EXPONENT:
            log_per_model = np.maximum(log_per_model, lu * exponent("exp.retraining_gamma"))
        training = np.exp(lm + log_per_model)
    operations = np.exp(
        np.maximum(lu, ld) * exponent("exp.pipeline") + lm * exponent("exp.engineering")
    )
    cur = inp.current.as_dict()
    mult = {
        "inference": inference,
        "storage": storage,
        "training": training,
        "operations": operations,
    }
    return {
        c: get(f"current.{c}", cur[c]) * np.broadcast_to(mult[c], (n, months + 1))
        for c in COMPONENTS
    }


def excess_terms(
    inp: ForecastInputs, values: dict[str, np.ndarray], month: float
) -> dict[str, np.ndarray]:
    """The terms of :func:`excess_over_linear` per component, on arrays of samples (see there)."""
    n = max([len(v) for v in values.values()] + [1])
    ranges = exponent_ranges(inp)
    h, after = inp.horizon_months, inp.after_horizon
    tau = (month if after == "continue" else min(month, h)) / h

    def get(key: str, default: float) -> np.ndarray:
        return np.asarray(values.get(key, np.full(n, default)), dtype=float)

    def exponent(key: str) -> np.ndarray:
        return get(key, ranges[key][1]) if key in ranges else np.zeros(n)

    u = get("users_multiple", inp.users_multiple) ** tau
    d = get("data_multiple", inp.data_multiple) ** tau
    m = get("models_multiple", inp.models_multiple) ** tau
    x = np.maximum(u, d)
    training = np.zeros(n)
    if inp.retraining != "static":
        training = d ** exponent("exp.training_alpha") - d
        if inp.retraining in RETRAINING_USER_EXPONENT:
            training = np.maximum(training, u ** exponent("exp.retraining_gamma") - u)
    excess = {
        "inference": u ** exponent("exp.inference") - u,
        "storage": d * exponent("exp.storage_slope") * month / 12.0,
        "training": m * training,
        "operations": x ** exponent("exp.pipeline") * m ** exponent("exp.engineering") - x * m,
    }
    return {c: np.maximum(excess[c], 0.0) for c in COMPONENTS}


def excess_samples(inp: ForecastInputs, values: dict[str, np.ndarray], month: float) -> np.ndarray:
    """Cost above linear growth at ``month`` ÷ today's total, per sample
    (:func:`excess_over_linear` on arrays).

    Examples
    --------
    >>> inp = ForecastInputs(current=ComponentCosts(inference=12_000, storage=3_000, training=6_000,
    ...     operations=4_000), users_multiple=10, data_multiple=5, models_multiple=5,
    ...     cache_hit_rate=0.3)
    >>> [round(float(x), 2) for x in excess_samples(inp, {}, 12)]   # seed 001 §6: 11.25
    [11.25]
    """
    terms = excess_terms(inp, values, month)
    n = len(terms["inference"])
    cur = {
        c: np.asarray(values.get(f"current.{c}", np.full(n, v)), dtype=float)
        for c, v in inp.current.as_dict().items()
    }
    total = sum(cur.values())
    weighted = sum(cur[c] * terms[c] for c in COMPONENTS)
    return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), 0.0)
