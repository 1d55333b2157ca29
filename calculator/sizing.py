"""Compute-optimal model sizing (Chinchilla) with the dollars a mis-sized run wastes.

Seed 002's argument: teams pick the model size first and then train it on too little data.
Given a compute budget (FLOPs, or a GPU cluster for some hours), the data actually usable,
and the team's proposal (parameters N, training tokens D, trained from scratch or a
fine-tune of an existing model), this module computes the compute-optimal split, the loss
each choice reaches under a published scaling fit, the data-constrained alternative (the
best model for the usable data), the compute (and money) a run the team *can do* would save
while reaching the same loss, and a verdict in plain words.

Waste is only ever measured against a feasible run: when the compute-optimal run of equal
loss needs more tokens than the usable data, the result says so (as data and as a sentence)
and measures waste against the cheapest run that fits the data instead.  For a fine-tune
compute-optimal waste does not apply at all (the model's size was fixed when it was
pre-trained); the result says so and shows what still applies.

Three fits are kept as data in :data:`FITS`: seed 002's 20-tokens-per-parameter rule,
Hoffmann et al. 2022 approach 3, and the Besiroglu et al. 2024 replication.  They
disagree on tokens per parameter at large budgets (seed README, "known inconsistencies");
:func:`evaluate_sizing` reports all three side by side.

>>> r = evaluate_sizing(SizingInputs(compute_mode="flops", compute_flops=5.76e23,
...                                  dataset_tokens=None, proposal_params=None))
>>> round(r.budget_optimum.params / 1e9), round(r.budget_optimum.tokens / 1e12, 2)
(72, 1.33)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, model_validator

from calculator.common import InputModel
from calculator.errors import InputError
from calculator.hardware import get_gpu
from calculator.uncertainty import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    MAX_SAMPLES,
    Basis,
    Range,
    TornadoBar,
    Uncertain,
    changed_paths,
    draw,
    field_label,
    numeric_fields,
    quantiles,
    tornado,
    user_spreads,
    validate_spread_paths,
)

FitName = Literal["rule20", "hoffmann2022", "besiroglu2024"]
Verdict = Literal["over-sized", "under-sized", "near-optimal", "data-bound", "fine-tune"]
Purpose = Literal["pretrain", "finetune"]
Figure = Literal["budget", "data", "waste"]

VERDICT_LABELS: dict[str, str] = {
    "over-sized": "Over-sized and under-trained",
    "under-sized": "Under-sized (over-trained)",
    "near-optimal": "Near-optimal",
    "data-bound": "Limited by data, not wasteful for it",
    "fine-tune": "Fine-tune: compute-optimal waste does not apply",
}
"""Verdicts as a person reads them (page, CLI, PDF)."""

PURPOSE_LABELS: dict[str, str] = {
    "pretrain": "Train a new model from scratch",
    "finetune": "Fine-tune an existing model",
}
"""The two purposes as the page's radio shows them."""

# --------------------------------------------------------------------------- constants


class ScalingFit(BaseModel, frozen=True, extra="forbid"):
    """One scaling law: either a fixed tokens-per-parameter ratio or a parametric loss fit
    ``L(N, D) = E + A/N^α + B/D^β`` (natural-log loss in nats per token)."""

    key: FitName
    label: str
    short: str = Field(description="Name used inside a sentence.")
    kind: Literal["ratio", "parametric"]
    tokens_per_param: float | None = None
    E: float | None = None
    A: float | None = None
    B: float | None = None
    alpha: float | None = None
    beta: float | None = None
    citation: str
    note: str = ""


FITS: dict[str, ScalingFit] = {
    f.key: f
    for f in (
        ScalingFit(
            key="rule20",
            label="20 tokens per parameter (seed 002)",
            short="20-token rule",
            kind="ratio",
            tokens_per_param=20.0,
            citation=(
                "Seed 002 §'Step 2: Apply Compute-Optimal Ratios' (after Hoffmann et al. 2022, "
                "approaches 1 and 2)."
            ),
            note="A rule of thumb: it fixes the ratio D/N but defines no loss.",
        ),
        ScalingFit(
            key="hoffmann2022",
            label="Hoffmann et al. 2022, approach 3",
            short="Hoffmann 2022",
            kind="parametric",
            E=1.69,
            A=406.4,
            B=410.7,
            alpha=0.34,
            beta=0.28,
            citation=(
                "Hoffmann et al., 'Training Compute-Optimal Large Language Models', "
                "arXiv:2203.15556 (2022), eq. 10 / approach 3."
            ),
            note=(
                "The often-quoted constants; they imply far more than 20 tokens per parameter "
                "at large budgets (≈ 93 at Chinchilla's budget), unlike the paper's own 70B/1.4T."
            ),
        ),
        ScalingFit(
            key="besiroglu2024",
            label="Besiroglu et al. 2024 (replication)",
            short="Besiroglu 2024",
            kind="parametric",
            E=1.8169,
            A=482.01,
            B=2085.43,
            alpha=0.3478,
            beta=0.3658,
            citation=(
                "Besiroglu, Erdil, Barnett, You, 'Chinchilla Scaling: A replication attempt', "
                "arXiv:2404.10102 (2024), Table 1."
            ),
            note=(
                "Re-fit of Hoffmann's approach 3 on the paper's own data. Its optimum stays "
                "near seed 002's 20 tokens per parameter but is not constant: ≈ 26 at 1e18 "
                "FLOPs, 18 at Chinchilla's 5.76e23, ≈ 14 at 1e28."
            ),
        ),
    )
}
"""Scaling fits selectable in the UI and CLI (``--fit``)."""

DEFAULT_FIT: FitName = "besiroglu2024"
"""Default fit: the replication defines a loss *and* stays near seed 002's ~20 tokens/param
(≈ 26 at 1e18 FLOPs down to ≈ 14 at 1e28: :func:`tokens_per_param_range`)."""

FLOPS_PER_PARAM_TOKEN = 6.0
"""Training FLOPs per parameter per token, C ≈ 6·N·D (Kaplan et al. 2020 §2.1; Hoffmann 2022)."""

HW_FLOPS_GROWTH = 0.43
"""ML hardware 16-bit FLOP/s growth per year (seed 002 table, Stanford HAI AI Index 2025)."""

HW_PRICE_PERF_GROWTH = 0.30
"""Hardware price-performance (FLOP per dollar) improvement per year (seed 002 table)."""

LATER_MONTHS: tuple[int, ...] = (0, 6, 12, 24)
"""Start delays shown by the hardware-trend what-if (issue 3)."""

NEAR_OPTIMAL_WASTE = 0.10
"""ScaleRisk's choice: a run wasting at most 10 % of its compute is called near-optimal."""

SMALL_MODEL_PARAMS = 1e9
"""ScaleRisk's choice: below 1B parameters a from-scratch model lacks broad base
capabilities, so seed 002's hierarchy (API / LoRA before pretraining) is advised.  Seed 002's
case study calls a 100M model too small for document analysis."""

SEED_TABLE: tuple[tuple[float, float], ...] = (
    (1e9, 50e6),
    (10e9, 500e6),
    (100e9, 5e9),
    (1e12, 50e9),
)
"""Seed 002 §'Step 2': dataset tokens → quoted compute-optimal parameters."""

# --------------------------------------------------------------------------- formulas


def get_fit(name: str) -> ScalingFit:
    """The fit called ``name``; raise :class:`~calculator.errors.InputError` if unknown.

    >>> get_fit("rule20").tokens_per_param
    20.0
    """
    from calculator.errors import InputError

    try:
        return FITS[name]
    except KeyError:
        raise InputError(f"unknown fit {name!r}; choose from: {', '.join(FITS)}") from None


def allocation_exponents(fit: ScalingFit) -> tuple[float, float, float]:
    """Exponents ``a``, ``b`` and coefficient ``G`` of the compute-optimal allocation.

    Parameters
    ----------
    fit : a parametric :class:`ScalingFit`.

    Returns
    -------
    (a, b, G) with ``a + b = 1``.

    Notes
    -----
    Minimising ``L = E + A/N^α + B/D^β`` subject to ``6·N·D = C`` gives
    ``N_opt = G·(C/6)^a``, ``D_opt = G⁻¹·(C/6)^b`` with

    $$a = \\frac{β}{α+β},\\quad b = \\frac{α}{α+β},\\quad
      G = \\left(\\frac{αA}{βB}\\right)^{1/(α+β)}.$$

    References
    ----------
    Hoffmann et al. 2022, appendix D.2 (eq. 4).

    >>> a, b, G = allocation_exponents(FITS["hoffmann2022"])
    >>> round(a, 4), round(b, 4), round(G, 4)
    (0.4516, 0.5484, 1.3447)
    """
    assert fit.kind == "parametric", fit.key
    alpha, beta, A, B = fit.alpha, fit.beta, fit.A, fit.B
    s = alpha + beta
    return beta / s, alpha / s, (alpha * A / (beta * B)) ** (1 / s)


def compute_optimal(compute_flops: float, fit: ScalingFit) -> tuple[float, float]:
    """Compute-optimal parameters and tokens ``(N, D)`` for a budget of ``compute_flops``.

    Notes
    -----
    Ratio rule (D = r·N, C = 6·N·D): ``N = sqrt(C / (6 r))``, ``D = r·N``.
    Parametric fit: ``N = G·(C/6)^a``, ``D = G⁻¹·(C/6)^b`` (:func:`allocation_exponents`).
    Either way ``6·N·D = C``.

    References
    ----------
    Seed 002 §'Step 2'; Hoffmann et al. 2022 appendix D.2.

    >>> n, d = compute_optimal(6 * 20 * 1e18, FITS["rule20"])
    >>> n, d
    (1000000000.0, 20000000000.0)
    """
    x = compute_flops / FLOPS_PER_PARAM_TOKEN
    if fit.kind == "ratio":
        n = math.sqrt(x / fit.tokens_per_param)
        return n, fit.tokens_per_param * n
    a, b, g = allocation_exponents(fit)
    return g * x**a, x**b / g


def optimal_for_tokens(tokens: float, fit: ScalingFit) -> tuple[float, float]:
    """Model size ``(N, D)`` for which ``tokens`` is the compute-optimal amount of data.

    Notes
    -----
    Ratio rule: ``N = D / r``.  Parametric: solve ``D = G⁻¹·x^b`` for ``x = C/6 = (G·D)^{1/b}``,
    then ``N = G·x^a``.

    References
    ----------
    Seed 002 §'Step 2' ("1 billion tokens → roughly 50 million parameters").

    >>> optimal_for_tokens(1e9, FITS["rule20"])
    (50000000.0, 1000000000.0)
    """
    if fit.kind == "ratio":
        return tokens / fit.tokens_per_param, tokens
    a, b, g = allocation_exponents(fit)
    x = (g * tokens) ** (1 / b)
    return g * x**a, tokens


def optimal_for_params(params: float, fit: ScalingFit) -> tuple[float, float]:
    """Compute-optimal number of training tokens ``(N, D)`` for a model of ``params``.

    Notes
    -----
    Ratio rule: ``D = r·N``.  Parametric: ``x = (N/G)^{1/a}``, ``D = G⁻¹·x^b``.

    >>> optimal_for_params(7e9, FITS["rule20"])
    (7000000000.0, 140000000000.0)
    """
    if fit.kind == "ratio":
        return params, fit.tokens_per_param * params
    a, b, g = allocation_exponents(fit)
    x = (params / g) ** (1 / a)
    return params, x**b / g


def predicted_loss(params: float, tokens: float, fit: ScalingFit) -> float | None:
    """Predicted pre-training loss ``L(N, D)`` (nats/token); ``None`` for the ratio rule.

    Notes
    -----
    $$L(N, D) = E + \\frac{A}{N^α} + \\frac{B}{D^β}$$

    References
    ----------
    Hoffmann et al. 2022 eq. 2; Besiroglu et al. 2024 eq. 1.

    >>> round(predicted_loss(70e9, 1.4e12, FITS["hoffmann2022"]), 4)
    1.9366
    >>> predicted_loss(70e9, 1.4e12, FITS["rule20"]) is None
    True
    """
    if fit.kind == "ratio":
        return None
    return fit.E + fit.A / params**fit.alpha + fit.B / tokens**fit.beta


def _frontier(fit: ScalingFit) -> tuple[float, float]:
    """``(K, γ)`` of the compute-optimal frontier ``L*(C) = E + K·(C/6)^(-γ)``.

    Substituting N_opt, D_opt into L: ``A/N^α = A·G^-α·x^-aα``, ``B/D^β = B·G^β·x^-bβ`` and
    ``aα = bβ = αβ/(α+β) = γ``, so ``K = A·G^-α + B·G^β``.
    """
    a, _, g = allocation_exponents(fit)
    return fit.A * g**-fit.alpha + fit.B * g**fit.beta, a * fit.alpha


def compute_for_loss(loss: float, fit: ScalingFit) -> float:
    """FLOPs a compute-optimal model needs to reach ``loss`` (inverse of the frontier).

    Notes
    -----
    $$L^*(C) = E + K\\,(C/6)^{-γ},\\quad γ = \\frac{αβ}{α+β},\\quad K = A G^{-α} + B G^{β}$$
    so ``C = 6·((L − E)/K)^(−1/γ)``.  Only losses above ``E`` (the irreducible loss) are
    reachable.

    >>> fit = FITS["besiroglu2024"]
    >>> n, d = compute_optimal(1e21, fit)
    >>> round(compute_for_loss(predicted_loss(n, d, fit), fit) / 1e21, 9)
    1.0
    """
    k, gamma = _frontier(fit)
    if loss <= fit.E:
        return math.inf
    return FLOPS_PER_PARAM_TOKEN * ((loss - fit.E) / k) ** (-1 / gamma)


def equal_loss_compute(params: float, tokens: float, fit: ScalingFit) -> float:
    """Compute a compute-optimal run needs to do as well as a run with ``params``, ``tokens``.

    Notes
    -----
    Parametric fit: ``C_eq = compute_for_loss(L(N, D))`` — the cheapest run reaching the same
    loss.  Ratio rule (no loss): a run is credited with the compute-optimal run on its scarcer
    resource, ``m = min(N, D/r)``, ``C_eq = 6·r·m²`` — the seed 002 reading ("10 million tokens
    is nowhere near sufficient to train 7B parameters … scale down the model").  This counts
    the surplus resource as worthless, so it is an upper bound on the waste.

    >>> equal_loss_compute(7e9, 2e9, FITS["rule20"]) == 6 * 20 * (2e9 / 20) ** 2
    True
    """
    if fit.kind == "ratio":
        m = min(params, tokens / fit.tokens_per_param)
        return FLOPS_PER_PARAM_TOKEN * fit.tokens_per_param * m * m
    return compute_for_loss(predicted_loss(params, tokens, fit), fit)


def training_flops(params: float, tokens: float) -> float:
    """Training compute ``C ≈ 6·N·D`` in FLOPs (Kaplan et al. 2020 §2.1).

    >>> training_flops(70e9, 1.4e12)
    5.88e+23
    """
    return FLOPS_PER_PARAM_TOKEN * params * tokens


def wasted_share(params: float, tokens: float, fit: ScalingFit) -> float:
    """Share of a run's compute that a compute-optimal run reaching the same result saves.

    Notes
    -----
    ``waste = 1 − C_eq / (6·N·D)``, clamped at 0 (rounding), with ``C_eq`` from
    :func:`equal_loss_compute`.

    >>> wasted_share(7e9, 2e9, FITS["rule20"])  # seed 002 case study: 7B on 2B tokens
    0.9857142857142858
    """
    c = training_flops(params, tokens)
    return max(0.0, 1.0 - equal_loss_compute(params, tokens, fit) / c)


def feasible_equal_loss(
    params: float, tokens: float, fit: ScalingFit, max_tokens: float | None = None
) -> tuple[float, float] | None:
    """Cheapest run ``(N, D)`` with ``D ≤ max_tokens`` that does as well as (params, tokens).

    Parameters
    ----------
    params, tokens : the proposal's ``N_p`` and ``D_p``.
    fit : the scaling fit.
    max_tokens : the usable tokens ``D_max``; ``None`` when data is not a constraint.

    Returns
    -------
    ``(N*, D*)``, or ``None`` when no run on at most ``max_tokens`` tokens reaches the
    proposal's result (possible only when the proposal itself trains on more tokens).

    Notes
    -----
    Parametric fit: minimise ``6·N·D`` subject to ``L(N, D) = L_p = L(N_p, D_p)`` and
    ``D ≤ D_max``.  Without the data limit the answer is the compute-optimal run of equal
    loss ``(N_eq, D_eq)`` (:func:`compute_for_loss`).  Along the iso-loss curve write
    ``u = B/D^β`` and ``c = L_p − E``; then
    ``ln C = const − (1/α)·ln(c − u) − (1/β)·ln u`` is convex in ``u`` (and ``u`` falls as
    ``D`` grows), so when ``D_eq > D_max`` the constrained minimum sits on the boundary:

    $$D^* = D_\\text{max},\\qquad
      N^* = \\left(\\frac{A}{L_p - E - B/D_\\text{max}^β}\\right)^{1/α}$$

    which exists only when ``L_p > E + B/D_max^β`` (the loss of an infinitely large model on
    ``D_max`` tokens).  When the proposal trains on all the usable data (``D_p = D_max``)
    and is larger than the data-optimal model, ``N* = N_p``: no cheaper run on that data
    reaches its loss.

    Ratio rule (no loss): the proposal is credited with ``m = min(N_p, D_p/r)``
    (:func:`equal_loss_compute`), the run ``(m, r·m)``; it is feasible when ``r·m ≤ D_max``.

    References
    ----------
    Hoffmann et al. 2022 eq. 2 and appendix D.2; Besiroglu et al. 2024 eq. 1.

    Seed 002's case study from scratch: 7B on all of 2B tokens needs 8.29B tokens for the
    equal-loss optimum, so the cheapest run on 2B tokens is the proposal itself:

    >>> fit = FITS["besiroglu2024"]
    >>> n, d = feasible_equal_loss(7e9, 2e9, fit, max_tokens=2e9)
    >>> round(n / 1e9, 6), d
    (7.0, 2000000000.0)
    >>> n, d = feasible_equal_loss(7e9, 2e9, fit)            # unlimited data
    >>> fmt_count(n), fmt_count(d)
    ('346M', '8.29B')
    """
    if fit.kind == "ratio":
        m = min(params, tokens / fit.tokens_per_param)
        d = fit.tokens_per_param * m
        if max_tokens is not None and d > max_tokens * (1 + 1e-12):
            return None
        return m, d
    n_eq, d_eq = compute_optimal(equal_loss_compute(params, tokens, fit), fit)
    if max_tokens is None or d_eq <= max_tokens:
        return n_eq, d_eq
    headroom = predicted_loss(params, tokens, fit) - fit.E - fit.B / max_tokens**fit.beta
    if headroom <= 0:
        return None
    return (fit.A / headroom) ** (1 / fit.alpha), max_tokens


def data_optimal_alternative(tokens: float, fit: ScalingFit) -> tuple[float, float]:
    """The best model for a fixed amount of data: the N whose compute-optimal D is ``tokens``.

    Notes
    -----
    With ``D`` fixed, ``L(N, D) = E + A/N^α + B/D^β`` (Hoffmann et al. 2022 eq. 2) falls
    monotonically in ``N``, towards ``E + B/D^β`` as ``N → ∞``: "the loss-minimising model
    for the data" does not exist, a bigger one is always (slightly) better and always more
    expensive.  ScaleRisk therefore defines the data-constrained alternative as the
    compute-optimal allocation at that ``D``: the model for which ``D`` is exactly the
    compute-optimal amount of data (:func:`optimal_for_tokens`),

    $$x = (G\\,D)^{1/b},\\qquad N_D = G\\,x^{a}\\qquad(\\text{rule: } N_D = D/20).$$

    Every larger model on the same data buys a lower loss at a worse exchange rate than
    the frontier offers (it sits on the ``N``-heavy side of its iso-FLOP curve), every
    smaller one leaves data unused.  Comparing the proposal with ``N_D`` on the **same**
    usable data shows what the proposal's extra compute buys.

    References
    ----------
    Seed 002 §"Step 2" ("1 billion tokens → roughly 50 million parameters") and case study
    ("2B tokens supports roughly a 100M parameter model optimally"); Hoffmann et al. 2022
    appendix D.2; Besiroglu et al. 2024.

    >>> fmt_count(data_optimal_alternative(2e9, FITS["rule20"])[0])   # seed 002 case study
    '100M'
    >>> fmt_count(data_optimal_alternative(2e9, FITS["besiroglu2024"])[0])
    '77.7M'
    """
    return optimal_for_tokens(tokens, fit)


def tokens_per_param_range(
    fit: ScalingFit, lo_flops: float = 1e18, hi_flops: float = 1e28
) -> tuple[float, float]:
    """Compute-optimal tokens per parameter of ``fit`` at ``lo_flops`` and at ``hi_flops``.

    Notes
    -----
    ``D_opt/N_opt = G⁻²·(C/6)^(b−a)`` (:func:`allocation_exponents`): constant only when
    ``α = β``.  For Besiroglu et al. 2024 ``b − a = −0.025``, so the ratio falls slowly
    with compute — near seed 002's 20, not equal to it.

    >>> [round(x, 1) for x in tokens_per_param_range(FITS["besiroglu2024"])]
    [25.7, 14.4]
    >>> [round(x) for x in tokens_per_param_range(FITS["hoffmann2022"], 1e18, 1e26)]
    [26, 153]
    """
    out = []
    for c in (lo_flops, hi_flops):
        n, d = compute_optimal(c, fit)
        out.append(d / n)
    return out[0], out[1]


def cluster_flops(
    gpu_count: int, hours: float, availability: float, peak_flops: float, mfu: float
) -> float:
    """FLOP budget of a cluster: ``count × hours × 3600 × availability × peak × MFU``.

    References
    ----------
    Seed 002 §'Step 1' ("a cluster available 60 % of the time is a 60 % cluster").

    >>> cluster_flops(8, 336, 1.0, 312e12, 0.4) / 1e21
    1.20766464
    """
    return gpu_count * hours * 3600.0 * availability * peak_flops * mfu


def gpu_hours(flops: float, peak_flops: float, mfu: float) -> float:
    """GPU-hours to deliver ``flops`` at ``peak × MFU`` FLOP/s per GPU.

    >>> gpu_hours(3600 * 1e12, 1e12, 1.0)
    1.0
    """
    return flops / (peak_flops * mfu * 3600.0)


def calendar_days(hours_of_gpu: float, gpu_count: int, availability: float) -> float:
    """Wall-clock days for ``hours_of_gpu`` on ``gpu_count`` GPUs at ``availability`` of the time.

    >>> calendar_days(48, 2, 1.0)
    1.0
    """
    return hours_of_gpu / (gpu_count * availability) / 24.0


def later_factor(months: float, annual_rate: float) -> float:
    """Factor by which a quantity that improves ``annual_rate`` per year shrinks after ``months``.

    Notes
    -----
    ``f = (1 + rate)^(−months/12)``.  With seed 002's +30 %/year price-performance the cost
    of a fixed number of FLOPs falls to ``1.3^(-1) ≈ 0.77`` after a year; with +43 %/year
    FLOP/s the same run on as many newer GPUs takes ``1/1.43 ≈ 0.70`` of the time.

    >>> round(later_factor(12, HW_PRICE_PERF_GROWTH), 4)
    0.7692
    >>> round(later_factor(24, HW_FLOPS_GROWTH), 4)
    0.489
    """
    return (1.0 + annual_rate) ** (-months / 12.0)


def seed_table(fit: ScalingFit | None = None) -> list[tuple[float, float]]:
    """Seed 002's table recomputed: (dataset tokens, compute-optimal parameters).

    >>> [f"{d:.0e} → {n:.0e}" for d, n in seed_table()]
    ['1e+09 → 5e+07', '1e+10 → 5e+08', '1e+11 → 5e+09', '1e+12 → 5e+10']
    """
    fit = fit or FITS["rule20"]
    return [(d, optimal_for_tokens(d, fit)[0]) for d, _ in SEED_TABLE]


# --------------------------------------------------------------------------- models

_DEFAULT_GPU = get_gpu("A100 80GB")


def _count(default: float | None, lo: float, hi: float, description: str, unit: str, label: str):
    return Field(
        default,
        ge=lo,
        le=hi,
        description=description,
        json_schema_extra={"unit": unit, "label": label},
    )


MIN_FRACTION = 0.01
"""Lower bound of every share the sizing inputs take (usable data, availability, MFU): 1%.
Below it no real run is configured, and the formulas divide by it (a usable fraction of
1e-300 made the tokens per parameter a division by zero, an MFU of 1e-300 printed "inf days")."""


def _fraction(default: float, description: str, label: str):
    return Field(
        default,
        ge=MIN_FRACTION,
        le=1,
        description=description,
        json_schema_extra={"unit": "fraction", "label": label},
    )


class SizingInputs(InputModel, frozen=True, extra="forbid"):
    """Inputs of the compute-optimal sizing what-if (issue 3).  Defaults: seed 002's case
    study — 2B tokens of internal documents, a 7B open-source foundation model to be
    fine-tuned (``purpose="finetune"``), 8 A100s for two weeks."""

    fit: FitName = Field(DEFAULT_FIT, description="Scaling law used for the optimum and the loss.")
    purpose: Purpose = Field(
        "finetune",
        description="What the proposal is. Training a new model from scratch: compute-optimal "
        "(Chinchilla) sizing and its waste apply. Fine-tuning an existing foundation model: "
        "they do not — the model's size was fixed when it was pre-trained — and the page shows "
        "what still applies (cost, time, budget). Seed 002's case study fine-tunes a 7B model.",
        json_schema_extra={"label": "What the team proposes"},
    )
    dataset_tokens: float | None = _count(
        2e9,
        1e3,
        1e15,
        "Tokens in the training set after processing; leave empty when data is not a constraint.",
        "tokens",
        "Dataset size",
    )
    usable_fraction: float = _fraction(
        1.0,
        "Share of the dataset that is genuinely useful (seed 002 step 1: a 1B-token set "
        "that is 50 % noise is 500M effective tokens).",
        "Usable fraction",
    )
    epochs: float = Field(
        1.0,
        ge=1,
        le=100,
        description="Passes over the usable data allowed. Repeated tokens are counted as new ones; "
        "up to ~4 epochs are nearly as good as fresh data (Muennighoff et al. 2023).",
        json_schema_extra={"unit": "epochs", "label": "Epochs allowed"},
    )
    compute_mode: Literal["flops", "gpus", "none"] = Field(
        "gpus", description="How the compute budget is given: a FLOP count, a GPU cluster, or none."
    )
    compute_flops: float | None = _count(
        1e21, 1e12, 1e30, "Total training compute available.", "FLOP", "Compute budget"
    )
    gpu_name: str = Field(_DEFAULT_GPU.name, description="GPU type (from the catalogue).")
    gpu_peak_tflops: float = Field(
        _DEFAULT_GPU.peak_flops("bf16") / 1e12,
        ge=1e-3,
        le=1e5,
        description="Dense bf16/fp16 peak of one GPU (catalogue value, editable).",
        json_schema_extra={"unit": "TFLOP/s", "label": "Peak per GPU"},
    )
    gpu_usd_per_hour: float = Field(
        _DEFAULT_GPU.usd_per_hour,
        ge=0,
        le=1e4,
        description="Price of one GPU-hour (catalogue value, editable).",
        json_schema_extra={"unit": "USD/h", "label": "Price per GPU-hour"},
    )
    gpu_count: int = Field(
        8,
        ge=1,
        le=1_000_000,
        description="GPUs in the cluster.",
        json_schema_extra={"unit": "GPUs", "label": "GPU count"},
    )
    hours: float = Field(
        336.0,
        gt=0,
        le=1e5,
        description="Wall-clock hours the cluster is reserved.",
        json_schema_extra={"unit": "h", "label": "Hours"},
    )
    availability: float = _fraction(
        1.0,
        "Share of those hours the cluster is really yours (seed 002 step 1: "
        "'a cluster available 60 % of the time is a 60 % cluster').",
        "Availability",
    )
    mfu: float = _fraction(
        0.4,
        "Model FLOPs utilisation: achieved training FLOP/s over the dense peak "
        "(30–50 % is typical for well-tuned LLM training).",
        "Achieved utilisation (MFU)",
    )
    proposal_params: float | None = _count(
        7e9,
        1e3,
        1e14,
        "Parameters of the model the team proposes; empty for no proposal.",
        "parameters",
        "Proposed model size",
    )
    proposal_tokens: float | None = _count(
        None,
        1e3,
        1e15,
        "Tokens the proposal trains on; empty = all usable data × epochs allowed.",
        "tokens",
        "Proposed training tokens",
    )

    @model_validator(mode="after")
    def _check(self) -> SizingInputs:
        if self.compute_mode == "flops" and self.compute_flops is None:
            raise ValueError("compute_mode 'flops' needs compute_flops")
        if (
            self.proposal_params is not None
            and self.proposal_tokens is None
            and self.dataset_tokens is None
        ):
            raise ValueError("a proposal needs its training tokens (or a dataset size to train on)")
        if (
            self.compute_mode == "none"
            and self.dataset_tokens is None
            and self.proposal_params is None
        ):
            raise ValueError("give a compute budget, a dataset size or a proposal")
        return self

    @property
    def usable_tokens(self) -> float | None:
        """Effective tokens: dataset × usable fraction × epochs (seed 002 step 1)."""
        if self.dataset_tokens is None:
            return None
        return self.dataset_tokens * self.usable_fraction * self.epochs

    @property
    def peak_flops(self) -> float:
        return self.gpu_peak_tflops * 1e12


class Allocation(BaseModel, frozen=True, extra="forbid"):
    """One training run: size, data, compute, loss, and its price on the chosen GPUs."""

    params: float = Field(
        description="Model parameters N.", json_schema_extra={"unit": "parameters"}
    )
    tokens: float = Field(description="Training tokens D.", json_schema_extra={"unit": "tokens"})
    compute_flops: float = Field(description="C = 6·N·D.", json_schema_extra={"unit": "FLOP"})
    tokens_per_param: float = Field(
        description="D / N.", json_schema_extra={"unit": "tokens/parameter"}
    )
    loss: float | None = Field(
        description="Predicted loss (none for the ratio rule).",
        json_schema_extra={"unit": "nats/token"},
    )
    gpu_hours: float = Field(json_schema_extra={"unit": "GPU-h"})
    days: float = Field(
        description="Wall-clock days on the cluster.", json_schema_extra={"unit": "days"}
    )
    cost_usd: float = Field(json_schema_extra={"unit": "USD"})


class Waste(BaseModel, frozen=True, extra="forbid"):
    """What a from-scratch proposal wastes: the compute that the cheapest run the team can do
    (within the usable data) would not need to reach the same loss."""

    counterfactual_flops: float | None = Field(
        description="Compute of the cheapest run on at most the usable data that does as well "
        "as the proposal (none when no such run exists).",
        json_schema_extra={"unit": "FLOP"},
    )
    wasted_flops: float = Field(json_schema_extra={"unit": "FLOP"})
    wasted_share: float = Field(
        description="Share of the proposal's compute that run saves (0 when none exists).",
        json_schema_extra={"unit": "fraction"},
    )
    wasted_usd: float = Field(json_schema_extra={"unit": "USD"})
    equal_loss_flops: float = Field(
        description="Compute of the compute-optimal run of equal loss, ignoring the data limit.",
        json_schema_extra={"unit": "FLOP"},
    )
    equal_loss_tokens_needed: float = Field(
        description="Training tokens that compute-optimal run needs.",
        json_schema_extra={"unit": "tokens"},
    )
    tokens_available: float | None = Field(
        description="Usable tokens (none when data is not a constraint).",
        json_schema_extra={"unit": "tokens"},
    )
    equal_loss_exceeds_data: bool = Field(
        description="True when the compute-optimal run of equal loss needs more tokens than "
        "are usable: its saving is then not counted as waste."
    )
    upper_bound: bool = Field(
        description="True for the 20-token rule: it defines no loss and counts surplus "
        "parameters or tokens as worthless, so its waste is an upper bound."
    )
    unconstrained_share: float = Field(
        description="Share the compute-optimal run of equal loss would save with unlimited "
        "data; equals wasted_share when it fits the usable data.",
        json_schema_extra={"unit": "fraction"},
    )
    optimal_params_same_compute: float = Field(
        description="Compute-optimal N at the proposal's own compute.",
        json_schema_extra={"unit": "parameters"},
    )
    size_ratio: float = Field(
        description="Proposal N over that optimum.", json_schema_extra={"unit": "×"}
    )


class DataAlternative(BaseModel, frozen=True, extra="forbid"):
    """The proposal next to the data-constrained alternative: the compute-optimal model for
    the usable data (:func:`data_optimal_alternative`), both on that same data."""

    model: Allocation = Field(description="The data-optimal model on the usable tokens.")
    loss_fit: FitName = Field(description="Fit whose loss the comparison uses.")
    proposal_loss: float = Field(json_schema_extra={"unit": "nats/token"})
    alternative_loss: float = Field(json_schema_extra={"unit": "nats/token"})
    loss_gap: float = Field(
        description="Alternative's loss minus the proposal's: positive when the proposal "
        "reaches the lower loss.",
        json_schema_extra={"unit": "nats/token"},
    )
    extra_flops: float = Field(
        description="Proposal's compute minus the alternative's (negative: the alternative "
        "costs more).",
        json_schema_extra={"unit": "FLOP"},
    )
    extra_usd: float = Field(json_schema_extra={"unit": "USD"})
    compute_ratio: float = Field(
        description="Proposal's compute over the alternative's.", json_schema_extra={"unit": "×"}
    )
    text: str = Field(description="The comparison in one or two sentences.")


class FigureNote(BaseModel, frozen=True, extra="forbid"):
    """A warning sentence and the figure it qualifies (the page shows it next to that figure)."""

    figure: Figure
    text: str


class FitPoint(BaseModel, frozen=True, extra="forbid"):
    fit: FitName
    compute_flops: float
    params: float
    tokens: float
    tokens_per_param: float


class IsoPoint(BaseModel, frozen=True, extra="forbid"):
    budget_label: str
    compute_flops: float
    params: float
    tokens: float
    loss: float


class LaterRun(BaseModel, frozen=True, extra="forbid"):
    months: int = Field(json_schema_extra={"unit": "months"})
    cost_usd: float = Field(json_schema_extra={"unit": "USD"})
    days: float = Field(json_schema_extra={"unit": "days"})


class SizingResult(BaseModel, frozen=True, extra="forbid"):
    """Everything the sizing page, the CLI and the PDF show."""

    inputs: SizingInputs
    fit_label: str
    loss_fit: FitName = Field(description="Fit whose loss the iso-FLOP chart shows.")
    budget_flops: float | None
    usable_tokens: float | None
    budget_optimum: Allocation | None
    data_optimum: Allocation | None
    recommended: Allocation | None
    data_limited: bool
    proposal: Allocation | None = Field(
        description="The team's run; for a fine-tune its loss is none (the fits describe "
        "training from scratch)."
    )
    equal_loss_optimum: Allocation | None = Field(
        description="The compute-optimal run that does as well as the proposal, ignoring the "
        "data limit (it may need more tokens than are usable: see waste)."
    )
    counterfactual: Allocation | None = Field(
        description="The cheapest run on at most the usable data that does as well as the "
        "proposal: what waste is measured against."
    )
    data_alternative: DataAlternative | None = Field(
        description="The proposal next to the compute-optimal model for the usable data."
    )
    waste: Waste | None = Field(description="None for a fine-tune or without a proposal.")
    verdict: Verdict | None
    verdict_label: str | None
    verdict_text: str
    advice: str | None
    notes: tuple[FigureNote, ...] = Field(description="Every warning with the figure it qualifies.")
    warnings: tuple[str, ...] = Field(description="The warning sentences of notes, in order.")
    fit_comparison: list[FitPoint]
    fit_spread: float | None = Field(
        description="Largest over smallest compute-optimal tokens per parameter among the "
        "fits at the budget (1 = the fits agree).",
        json_schema_extra={"unit": "×"},
    )
    tokens_per_param_curve: list[FitPoint]
    iso_flop: list[IsoPoint]
    later: list[LaterRun]
    later_of: str = Field(description="Which run the hardware-trend what-if prices.")


# --------------------------------------------------------------------------- evaluation


def _allocation(
    n: float, d: float, fit: ScalingFit, inp: SizingInputs, *, with_loss: bool = True
) -> Allocation:
    c = training_flops(n, d)
    hours = gpu_hours(c, inp.peak_flops, inp.mfu)
    return Allocation(
        params=n,
        tokens=d,
        compute_flops=c,
        tokens_per_param=d / n,
        loss=predicted_loss(n, d, fit) if with_loss else None,
        gpu_hours=hours,
        days=calendar_days(hours, inp.gpu_count, inp.availability),
        cost_usd=hours * inp.gpu_usd_per_hour,
    )


def budget_of(inp: SizingInputs) -> float | None:
    """The FLOP budget of the inputs: given directly, from the cluster, or none."""
    if inp.compute_mode == "flops":
        return inp.compute_flops
    if inp.compute_mode == "gpus":
        return cluster_flops(inp.gpu_count, inp.hours, inp.availability, inp.peak_flops, inp.mfu)
    return None


def fit_comparison(compute: float) -> list[FitPoint]:
    """Compute-optimal N, D and tokens per parameter of every fit at ``compute`` — the trap.

    >>> [round(p.tokens_per_param) for p in fit_comparison(5.76e23)]
    [20, 93, 18]
    """
    out = []
    for fit in FITS.values():
        n, d = compute_optimal(compute, fit)
        out.append(
            FitPoint(fit=fit.key, compute_flops=compute, params=n, tokens=d, tokens_per_param=d / n)
        )
    return out


def iso_flop_curves(compute: float, fit: ScalingFit, points: int = 41) -> list[IsoPoint]:
    """Loss along iso-FLOP curves (C fixed, N varied, D = C/(6N)) at 0.1×, 1× and 10× ``compute``.

    N spans two decades either side of the compute-optimal N at the middle budget.
    """
    n_mid, _ = compute_optimal(compute, fit)
    out = []
    for mult, label in ((0.1, "0.1× budget"), (1.0, "budget"), (10.0, "10× budget")):
        c = compute * mult
        for i in range(points):
            n = n_mid * 10 ** (-2 + 4 * i / (points - 1))
            d = c / (FLOPS_PER_PARAM_TOKEN * n)
            out.append(
                IsoPoint(
                    budget_label=label,
                    compute_flops=c,
                    params=n,
                    tokens=d,
                    loss=predicted_loss(n, d, fit),
                )
            )
    return out


def classify(share: float, size_ratio: float) -> Verdict:
    """Verdict from the wasted share and proposal N over the compute-optimal N at its compute.

    >>> classify(0.05, 3.0), classify(0.5, 3.0), classify(0.5, 0.2)
    ('near-optimal', 'over-sized', 'under-sized')
    """
    if share <= NEAR_OPTIMAL_WASTE:
        return "near-optimal"
    return "over-sized" if size_ratio > 1 else "under-sized"


def fmt_count(x: float, unit: str = "") -> str:
    """Human count: 7e9 → '7B', 1.4e12 → '1.4T', 5.76e23 → '5.76e23'.

    >>> fmt_count(7e9, "params"), fmt_count(1.4e12), fmt_count(5.76e23, "FLOP"), fmt_count(512)
    ('7B params', '1.4T', '5.76e23 FLOP', '512')
    """
    ax = abs(x)
    if ax >= 1e15 or (0 < ax < 1e-3):
        s = f"{x:.3g}".replace("e+", "e")
    else:
        for div, suf in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"), (1, "")):
            if ax >= div or div == 1:
                s = f"{x / div:.3g}{suf}"
                break
    return f"{s} {unit}".strip()


def fmt_usd(x: float) -> str:
    """'$1,234' (no cents above $100; '$1.2M' from a million; '$1.2e15' beyond a trillion).

    >>> fmt_usd(1234.5), fmt_usd(12.345), fmt_usd(1.44e8), fmt_usd(1.2e15)
    ('$1,234', '$12.35', '$144M', '$1.2e15')
    """
    if abs(x) >= 1e6:
        return "$" + fmt_count(x) if abs(x) < 1e15 else f"${x:.3g}".replace("e+", "e")
    return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"


def fmt_loss(x: float) -> str:
    """A predicted loss for a person: two decimals and its unit.

    >>> fmt_loss(2.824230)
    '2.82 nats/token'
    """
    return f"{x:.2f} nats/token"


def fmt_share(x: float) -> str:
    """A share of compute or budget: '79%', '7.0%', 'under 0.1%'.

    >>> fmt_share(0.7949), fmt_share(0.0696), fmt_share(0.00077), fmt_share(0.0)
    ('79%', '7.0%', 'under 0.1%', '0%')
    """
    if x <= 0:
        return "0%"
    if x < 0.001:
        return "under 0.1%"
    return f"{x:.1%}" if x < 0.1 else f"{x:.0%}"


def _times(x: float) -> str:
    return f"{x:.2g}×" if x < 100 else f"{x:,.0f}×"


def _run(a: Allocation) -> str:
    return f"{fmt_count(a.params, 'parameters')} on {fmt_count(a.tokens, 'tokens')}"


def _counterfactual_waste(
    prop: Allocation, fit: ScalingFit, usable: float | None
) -> tuple[float | None, float]:
    """(compute of the feasible equal-loss run or None, wasted share in [0, 1])."""
    run = feasible_equal_loss(prop.params, prop.tokens, fit, usable)
    if run is None:
        return None, 0.0
    c = training_flops(*run)
    return c, min(1.0, max(0.0, 1.0 - c / prop.compute_flops))


def _waste(prop: Allocation, fit: ScalingFit, usable: float | None) -> Waste:
    c_eq = equal_loss_compute(prop.params, prop.tokens, fit)
    _, d_eq = compute_optimal(c_eq, fit)
    c_cf, share = _counterfactual_waste(prop, fit, usable)
    n_same = compute_optimal(prop.compute_flops, fit)[0]
    return Waste(
        counterfactual_flops=c_cf,
        wasted_flops=share * prop.compute_flops,
        wasted_share=share,
        wasted_usd=share * prop.cost_usd,
        equal_loss_flops=c_eq,
        equal_loss_tokens_needed=d_eq,
        tokens_available=usable,
        equal_loss_exceeds_data=usable is not None and d_eq > usable * (1 + 1e-9),
        upper_bound=fit.kind == "ratio",
        unconstrained_share=wasted_share(prop.params, prop.tokens, fit),
        optimal_params_same_compute=n_same,
        size_ratio=prop.params / n_same,
    )


def _waste_note(
    prop: Allocation,
    waste: Waste,
    eq: Allocation,
    cf: Allocation | None,
    fit: ScalingFit,
    loss_fit: ScalingFit,
) -> str | None:
    """The sentence that qualifies the waste figure, or None when it needs none."""
    usable = waste.tokens_available
    notes = []
    if waste.equal_loss_exceeds_data and usable is not None:
        missing = (
            f"A compute-optimal run of the same loss ({fmt_count(eq.params, 'parameters')}) "
            f"would need {fmt_count(eq.tokens, 'tokens')} — "
            f"{_times(eq.tokens / usable)} the {fmt_count(usable, 'tokens')} you can use"
        )
        if cf is None:
            notes.append(
                f"No waste is claimed: no run on your {fmt_count(usable, 'usable tokens')} reaches "
                f"the proposal's loss, because the proposal itself trains on "
                f"{fmt_count(prop.tokens, 'tokens')}, more data than you have."
            )
        elif waste.wasted_share < 0.005:
            notes.append(
                f"No compute is wasted on the data you have: no cheaper run on "
                f"{fmt_count(usable, 'tokens')} reaches the same loss. {missing}, so the "
                f"{fmt_share(waste.unconstrained_share)} "
                f"({fmt_usd(waste.unconstrained_share * prop.cost_usd)}) it would save is the "
                "value of more data, not waste."
            )
        else:
            notes.append(
                f"{missing}, so waste is measured against the cheapest run your data allows "
                f"instead: {_run(cf)}, which reaches the same loss with "
                f"{fmt_share(1 - waste.wasted_share)} of the compute."
            )
    if fit.kind == "ratio" and waste.wasted_share >= 0.005:  # qualify a waste the rule claims
        cross = feasible_equal_loss(prop.params, prop.tokens, loss_fit, usable)
        cross_share = (
            0.0 if cross is None else max(0.0, 1 - training_flops(*cross) / prop.compute_flops)
        )
        m = cf or eq
        notes.append(
            f"Upper bound: the 20-token rule defines no loss and counts every parameter or token "
            f"beyond its 20 : 1 ratio as worthless — here it credits the proposal with no more "
            f"than a {fmt_count(m.params)}-parameter model on {fmt_count(m.tokens, 'tokens')}. "
            f"By the {loss_fit.short} loss fit the same proposal wastes "
            f"{fmt_share(cross_share)} of its compute"
            + (" on your data." if usable is not None else ".")
        )
    return " ".join(notes) or None


def _alternative(
    prop: Allocation, alt: Allocation, usable: float, loss_fit: ScalingFit, borrowed: bool
) -> DataAlternative:
    l_p = predicted_loss(prop.params, prop.tokens, loss_fit)
    l_a = predicted_loss(alt.params, alt.tokens, loss_fit)
    gap = l_a - l_p
    extra_flops = prop.compute_flops - alt.compute_flops
    extra_usd = prop.cost_usd - alt.cost_usd
    which = f" ({loss_fit.short} fit; the 20-token rule defines no loss)" if borrowed else ""
    trained = (
        ""
        if abs(prop.tokens - usable) <= 1e-9 * usable
        else f", trained on {fmt_count(prop.tokens, 'tokens')},"
    )
    head = (
        f"With your {fmt_count(usable, 'usable tokens')}, the data-optimal model — "
        f"{fmt_count(alt.params, 'parameters')}, compute-optimal for exactly that data — reaches "
        f"a predicted loss{which} of {fmt_loss(l_a)} for {fmt_usd(alt.cost_usd)} of compute. "
        f"Your {fmt_count(prop.params)} model{trained} reaches {fmt_loss(l_p)}"
    )
    if abs(gap) < 0.005:
        tail = f", the same, for {fmt_usd(prop.cost_usd)}."
    elif gap > 0:
        tail = (
            f" — {gap:.2f} lower (better) — for {fmt_usd(prop.cost_usd)}: the extra "
            f"{fmt_usd(extra_usd)} ({_times(prop.compute_flops / alt.compute_flops)} the compute) "
            f"buys {gap:.2f} nats/token."
        )
    else:
        tail = (
            f" — {-gap:.2f} higher (worse) — for {fmt_usd(prop.cost_usd)}: the data-optimal "
            f"model's lower loss costs {fmt_usd(-extra_usd)} more."
            if extra_usd < 0
            else f" — {-gap:.2f} higher (worse) — for {fmt_usd(prop.cost_usd)}, more than the "
            "data-optimal model costs."
        )
    return DataAlternative(
        model=alt,
        loss_fit=loss_fit.key,
        proposal_loss=l_p,
        alternative_loss=l_a,
        loss_gap=gap,
        extra_flops=extra_flops,
        extra_usd=extra_usd,
        compute_ratio=prop.compute_flops / alt.compute_flops,
        text=head + tail,
    )


def _verdict_text(
    verdict: Verdict, prop: Allocation, waste: Waste, cf: Allocation | None, fit: ScalingFit
) -> str:
    n_opt = fmt_count(waste.optimal_params_same_compute, "parameters")
    base = (
        f"For the proposal's own compute ({fmt_count(prop.compute_flops, 'FLOP')}) the "
        f"compute-optimal model has about {n_opt}; the proposal has "
        f"{fmt_count(prop.params, 'parameters')} ({waste.size_ratio:.2g}× that)."
    )
    usable = waste.tokens_available
    if verdict == "data-bound":
        assert usable is not None
        if cf is None:
            return (
                f"Limited by data. The proposal trains on {fmt_count(prop.tokens, 'tokens')} but "
                f"only {fmt_count(usable, 'tokens')} are usable, and no run on that data reaches "
                "its predicted loss: get the data first, or size the model for the data you have."
            )
        cheaper = (
            "no cheaper run reaches it"
            if waste.wasted_share < 0.005
            else f"the cheapest run that reaches it still needs "
            f"{fmt_share(1 - waste.wasted_share)} of the compute"
        )
        return (
            f"Limited by data, not wasteful for it. With {fmt_count(usable, 'usable tokens')} the "
            f"{fmt_count(prop.params)} model reaches a predicted loss of {fmt_loss(prop.loss)} and "
            f"{cheaper}. A compute-optimal run of the same loss would need "
            f"{fmt_count(waste.equal_loss_tokens_needed, 'tokens')} "
            f"({_times(waste.equal_loss_tokens_needed / usable)} your data). The real question "
            "is whether its lower loss is worth its cost next to the model your data supports "
            "(see the comparison with the data-optimal model)."
        )
    if verdict == "near-optimal":
        return f"Near-optimal. {base} It wastes {fmt_share(waste.wasted_share)} of its compute."
    who = (
        "The cheapest run your data allows"
        if waste.equal_loss_exceeds_data
        else "A compute-optimal run"
    )
    if fit.kind == "ratio":
        saved = (
            f"{who} ({_run(cf)}) would match it by the rule's count (an upper bound) with "
            f"{fmt_share(1 - waste.wasted_share)} of the compute: up to "
            f"{fmt_share(waste.wasted_share)} ({fmt_usd(waste.wasted_usd)}) is wasted."
        )
    else:
        saved = (
            f"{who} ({_run(cf)}) would reach the same loss with "
            f"{fmt_share(1 - waste.wasted_share)} of the compute: "
            f"{fmt_share(waste.wasted_share)} ({fmt_usd(waste.wasted_usd)}) is wasted."
        )
    if verdict == "over-sized":
        return f"Over-sized and under-trained. {base} {saved}"
    return (
        f"Under-sized (over-trained). {base} {saved} Training a small model past the optimum "
        "can still pay off when inference cost dominates."
    )


def _finetune_text(prop: Allocation, inp: SizingInputs, budget: float | None) -> str:
    fits = (
        f", {fmt_share(prop.compute_flops / budget)} of your compute budget"
        if budget and prop.compute_flops <= budget * (1 + 1e-9)
        else ""
    )
    return (
        f"Fine-tuning an existing {fmt_count(prop.params)} model: compute-optimal (Chinchilla) "
        "sizing and waste do not apply — they compare models trained from scratch, and this "
        "model's size was fixed when it was pre-trained. What still applies: a full fine-tune on "
        f"{fmt_count(prop.tokens, 'tokens')} costs 6 × {fmt_count(prop.params)} × "
        f"{fmt_count(prop.tokens)} = {fmt_count(prop.compute_flops, 'FLOP')} — "
        f"{fmt_usd(prop.cost_usd)} and {prop.days:.2g} days on {inp.gpu_count} × {inp.gpu_name}"
        f"{fits}. LoRA and QLoRA cost less; compare them on the Fine-tuning cost page."
    )


def evaluate_sizing(inputs: SizingInputs) -> SizingResult:
    """Run the sizing what-if.

    Parameters
    ----------
    inputs : :class:`SizingInputs`.

    Returns
    -------
    :class:`SizingResult`: the compute-optimal run for the budget, the optimal size for the
    usable data, the recommended run (the budget optimum unless it needs more tokens than
    the data holds, then the data optimum), and for a proposal trained from scratch: its
    waste against the cheapest run on the usable data that reaches the same loss
    (:func:`feasible_equal_loss`), the compute-optimal run of equal loss and whether it
    needs more data than is usable, the data-constrained alternative
    (:func:`data_optimal_alternative`) on the same data, and a verdict.  For a fine-tune:
    no waste, what still applies (cost, time, budget).  Always: seed 002's hierarchy
    advice when the recommended model is small, the fits side by side, the hardware-trend
    what-if, and every warning with the figure it qualifies.

    References
    ----------
    Seed 002 (steps 1–3 and the case study); Hoffmann et al. 2022; Besiroglu et al. 2024.

    Seed 002's case study (the defaults) is a fine-tune, so no waste is reported:

    >>> r = evaluate_sizing(SizingInputs())
    >>> r.verdict, r.waste, fmt_count(r.recommended.params), r.data_limited
    ('fine-tune', None, '77.7M', True)

    The same 7B on the same 2B tokens trained from scratch is limited by data, not wasteful:

    >>> r = evaluate_sizing(SizingInputs(purpose="pretrain"))
    >>> r.verdict, fmt_share(r.waste.wasted_share), r.waste.equal_loss_exceeds_data
    ('data-bound', '0%', True)
    >>> fmt_count(r.waste.equal_loss_tokens_needed), round(r.data_alternative.loss_gap, 2)
    ('8.29B', 0.69)
    """
    fit = FITS[inputs.fit]
    loss_fit = fit if fit.kind == "parametric" else FITS[DEFAULT_FIT]
    budget = budget_of(inputs)
    usable = inputs.usable_tokens
    notes: list[FigureNote] = []

    def note(figure: Figure, text: str | None) -> None:
        if text:
            notes.append(FigureNote(figure=figure, text=text))

    has_proposal = inputs.proposal_params is not None
    finetune = has_proposal and inputs.purpose == "finetune"
    budget_opt = _allocation(*compute_optimal(budget, fit), fit, inputs) if budget else None
    data_opt = _allocation(*optimal_for_tokens(usable, fit), fit, inputs) if usable else None
    data_limited = bool(budget_opt and data_opt and budget_opt.tokens > data_opt.tokens)
    recommended = data_opt if data_limited or budget_opt is None else budget_opt
    if data_limited and not finetune:
        note(
            "data",
            f"Your compute budget could train a compute-optimal model on "
            f"{fmt_count(budget_opt.tokens, 'tokens')}, but only "
            f"{fmt_count(usable, 'tokens')} are usable: data, not compute, is the limit. The "
            f"recommended model is the one your data supports; it uses "
            f"{fmt_share(data_opt.compute_flops / budget)} of the budget.",
        )

    proposal = waste = verdict = equal_run = counterfactual = alternative = None
    verdict_text = "No proposal given."
    if has_proposal:
        n_p = inputs.proposal_params
        d_p = inputs.proposal_tokens if inputs.proposal_tokens is not None else usable
        proposal = _allocation(n_p, d_p, fit, inputs, with_loss=not finetune)
        if budget and proposal.compute_flops > budget * (1 + 1e-9):
            note(
                "budget",
                f"The proposal needs {fmt_count(proposal.compute_flops, 'FLOP')}, "
                f"{_times(proposal.compute_flops / budget)} your compute budget: it does not fit "
                "in the budget.",
            )
        if usable and proposal.tokens > usable * (1 + 1e-9):
            note(
                "data",
                f"The proposal trains on {fmt_count(proposal.tokens, 'tokens')}, more than the "
                f"{fmt_count(usable, 'usable tokens')} (dataset × usable fraction × epochs): it "
                "needs data you do not have.",
            )
        if finetune:
            verdict = "fine-tune"
            verdict_text = _finetune_text(proposal, inputs, budget)
            note(
                "waste",
                "Compute-optimal (Chinchilla) waste does not apply to a fine-tune: it compares "
                f"models trained from scratch, and the {fmt_count(proposal.params)} model's size "
                "was fixed when it was pre-trained. Compare full fine-tuning, LoRA and QLoRA on "
                "the Fine-tuning cost page.",
            )
        else:
            waste = _waste(proposal, fit, usable)
            equal_run = _allocation(*compute_optimal(waste.equal_loss_flops, fit), fit, inputs)
            run = feasible_equal_loss(proposal.params, proposal.tokens, fit, usable)
            counterfactual = _allocation(*run, fit, inputs) if run else None
            same = run and all(
                math.isclose(a, b, rel_tol=1e-9) for a, b in zip(run, (n_p, d_p), strict=True)
            )
            if same:
                counterfactual = proposal  # no cheaper run on the data: it is the proposal
            if waste.equal_loss_exceeds_data and waste.wasted_share <= NEAR_OPTIMAL_WASTE:
                verdict = "data-bound"
            else:
                verdict = classify(waste.wasted_share, waste.size_ratio)
            verdict_text = _verdict_text(verdict, proposal, waste, counterfactual, fit)
            note(
                "waste",
                _waste_note(proposal, waste, equal_run, counterfactual, fit, loss_fit),
            )
            affordable = data_opt is not None and (
                not budget or data_opt.compute_flops <= budget * (1 + 1e-9)
            )
            if usable and affordable:
                alternative = _alternative(
                    proposal, data_opt, usable, loss_fit, borrowed=fit.kind == "ratio"
                )

    advice = None
    if recommended is not None and recommended.params < SMALL_MODEL_PARAMS:
        supports = (
            f"Your data supports only about {fmt_count(recommended.params, 'parameters')} "
            "trained from scratch — too small for broad base capabilities."
        )
        if finetune:
            advice = (
                f"{supports} Fine-tuning an existing model is the right tier of seed 002's "
                "hierarchy; before a full fine-tune, try an off-the-shelf model or API with "
                "retrieval over your documents, then LoRA/QLoRA. Seed 002's case study (2B "
                "tokens, a 7B foundation model) replaced the full fine-tune with LoRA on one "
                "A100 for three days."
            )
        else:
            advice = (
                f"{supports} Follow seed 002's hierarchy: don't pretrain; use an off-the-shelf "
                "model or API (with retrieval over your documents), and if that is not enough, "
                "fine-tune an existing model with LoRA/QLoRA. Seed 002's case study: 2B tokens "
                "support ~100M parameters, so LoRA on a 7B model (1× A100, three days) replaced a "
                "full fine-tune."
            )

    ref = (
        budget
        or (proposal.compute_flops if proposal else None)
        or (recommended.compute_flops if recommended else None)
    )
    later_run, later_of = (
        (proposal, "the proposal") if proposal else (recommended, "the recommended run")
    )
    later = []
    if later_run is not None:
        later = [
            LaterRun(
                months=m,
                cost_usd=later_run.cost_usd * later_factor(m, HW_PRICE_PERF_GROWTH),
                days=later_run.days * later_factor(m, HW_FLOPS_GROWTH),
            )
            for m in LATER_MONTHS
        ]
    curve = [p for e in range(18, 27) for p in fit_comparison(10.0**e)]
    compared = fit_comparison(ref) if ref else []
    ratios = [p.tokens_per_param for p in compared]
    return SizingResult(
        inputs=inputs,
        fit_label=fit.label,
        loss_fit=loss_fit.key,
        budget_flops=budget,
        usable_tokens=usable,
        budget_optimum=budget_opt,
        data_optimum=data_opt,
        recommended=recommended,
        data_limited=data_limited,
        proposal=proposal,
        equal_loss_optimum=equal_run,
        counterfactual=counterfactual,
        data_alternative=alternative,
        waste=waste,
        verdict=verdict,
        verdict_label=VERDICT_LABELS[verdict] if verdict else None,
        verdict_text=verdict_text,
        advice=advice,
        notes=tuple(notes),
        warnings=tuple(n.text for n in notes),
        fit_comparison=compared,
        fit_spread=max(ratios) / min(ratios) if ratios else None,
        tokens_per_param_curve=curve,
        iso_flop=iso_flop_curves(ref, loss_fit) if ref else [],
        later=later,
        later_of=later_of,
    )


def notes_for(result: SizingResult, *figures: Figure) -> list[str]:
    """The warning sentences that qualify ``figures`` (for placing them next to those figures).

    >>> notes_for(evaluate_sizing(SizingInputs()), "waste")[0].startswith("Compute-optimal")
    True
    """
    return [n.text for n in result.notes if n.figure in figures]


def _no_across(text: str) -> str:
    return text.replace(" across the fits", "")


def key_figures(
    result: SizingResult, ranges: SizingUncertainty | None = None
) -> list[tuple[str, str]]:
    """Headline figures (label, value with unit) for the PDF report and the CLI; every warning
    follows the figure it qualifies as a ("Note", sentence) row; with ``ranges``
    (:func:`sizing_uncertainty`) each money and time headline carries its likely range
    (P10–P90) and the size and waste their range across the published fits.

    >>> dict(key_figures(evaluate_sizing(SizingInputs())))["Verdict"]
    'Fine-tune: compute-optimal waste does not apply'
    >>> u = sizing_uncertainty(SizingInputs(), n=500)
    >>> dict(key_figures(evaluate_sizing(SizingInputs()), u))["Proposal cost"]
    '$335, 0.974 days; likely $239–$473, 0.75–1.3 days'
    """
    likely = {} if ranges is None else range_texts(ranges)

    def with_range(value: str, *keys: str) -> str:
        extra = [likely[k].removeprefix("likely ") for k in keys if k in likely]
        return f"{value}; likely {', '.join(extra)}" if extra else value

    out: list[tuple[str, str]] = [("Scaling fit", result.fit_label)]

    def add_notes(*figures: Figure) -> None:
        out.extend(("Note", text) for text in notes_for(result, *figures))

    finetune = result.verdict == "fine-tune"
    if result.budget_flops:
        out.append(("Compute budget", fmt_count(result.budget_flops, "FLOP")))
    add_notes("budget")
    if result.usable_tokens:
        out.append(("Usable data", fmt_count(result.usable_tokens, "tokens")))
    if result.recommended:
        out.append(
            (
                "Model your data supports from scratch" if finetune else "Recommended model",
                _run(result.recommended),
            )
        )
        if ranges is not None:
            out.append(
                (
                    "Its cost",
                    with_range(fmt_usd(result.recommended.cost_usd), "recommended_usd"),
                )
            )
            if "fit_params" in likely:
                out.append(("Its size across the fits", _no_across(likely["fit_params"])))
    add_notes("data")
    if result.proposal:
        p = result.proposal
        out.append(
            (
                "Proposal",
                f"full fine-tune of a {fmt_count(p.params)} model on "
                f"{fmt_count(p.tokens, 'tokens')}"
                if finetune
                else f"{_run(p)}, trained from scratch",
            )
        )
        out.append(("Verdict", result.verdict_label or ""))
        out.append(
            (
                "Proposal cost",
                with_range(
                    f"{fmt_usd(p.cost_usd)}, {p.days:.3g} days", "proposal_usd", "proposal_days"
                ),
            )
        )
    if finetune:
        out.append(("Compute wasted", "does not apply to a fine-tune"))
    elif result.waste:
        w = result.waste
        up_to = "up to " if w.upper_bound and w.wasted_share > 0 else ""
        out.append(
            (
                "Compute wasted",
                with_range(
                    f"{up_to}{fmt_share(w.wasted_share)} ({fmt_usd(w.wasted_usd)})",
                    "wasted_share",
                    "wasted_usd",
                ),
            )
        )
        if "fit_share" in likely:
            out.append(("Compute wasted across the fits", _no_across(likely["fit_share"])))
        if w.equal_loss_exceeds_data and result.equal_loss_optimum:
            out.append(
                (
                    "Same loss, compute-optimal",
                    f"{_run(result.equal_loss_optimum)} — needs "
                    f"{_times(w.equal_loss_tokens_needed / w.tokens_available)} your usable data",
                )
            )
    add_notes("waste")
    if result.data_alternative:
        a = result.data_alternative
        out += [
            (
                "Data-optimal alternative",
                f"{_run(a.model)}: loss {fmt_loss(a.alternative_loss)}, "
                f"{fmt_usd(a.model.cost_usd)}",
            ),
            ("Proposal's loss on the same data", fmt_loss(a.proposal_loss)),
            ("Compared with the data-optimal model", a.text),
        ]
    if result.later:
        out.append(
            (
                f"Cost of {result.later_of} in 12 months",
                fmt_usd(next(r.cost_usd for r in result.later if r.months == 12)),
            )
        )
    return out


# --------------------------------------------------------------------------- ranges (issue 12)

MFU_FACTOR = 1.3
"""P90 ÷ median of the achieved utilisation: log-normal ×/÷ 1.3 around the input (issue 12:
"nobody knows MFU to better than ±30 %"), capped at 1."""

PRICE_FACTOR = 1.25
"""P90 ÷ median of the price of a GPU-hour: log-normal ×/÷ 1.25 around the catalogue's (or
the user's) price.  ScaleRisk's assumption, not a seed figure: one GPU type's hourly price
varies between clouds, commitments and months by at least this much."""

POSITIVE_FLOOR = 0.01
"""A ± spread on an input that must stay positive (MFU, availability, usable fraction, peak,
hours) stops at 1 % of its value, so a ±100 % spread never divides by zero."""

SPREADABLE: tuple[str, ...] = tuple(numeric_fields(SizingInputs))
"""Every numeric input may carry a ± spread (those the scenario uses: :func:`spreadable_paths`)."""

WASTE_PATHS = frozenset(
    {"dataset_tokens", "usable_fraction", "epochs", "proposal_params", "proposal_tokens"}
)
"""Inputs the wasted share depends on: it compares FLOPs (6·N·D) on the usable tokens, so the
utilisation, prices and cluster do not move it."""

HEADLINES: dict[str, str] = {
    "proposal_usd": "Proposal cost",
    "proposal_days": "Proposal wall-clock days",
    "recommended_usd": "Recommended run's cost",
    "wasted_usd": "Money wasted",
    "wasted_share": "Compute wasted",
}
"""The simulated headlines (keys of :func:`sizing_samples`) as a person reads them."""


class FitFigure(BaseModel, frozen=True, extra="forbid"):
    """The size and waste of one scenario under one published fit (everything else equal)."""

    fit: FitName
    label: str
    recommended_params: float | None = Field(
        description="Compute-optimal model for the budget or the data, under this fit.",
        json_schema_extra={"unit": "parameters"},
    )
    wasted_share: float | None = Field(
        description="Compute wasted by the proposal under this fit (none: fine-tune, no proposal).",
        json_schema_extra={"unit": "fraction"},
    )
    wasted_usd: float | None = Field(json_schema_extra={"unit": "USD"})
    upper_bound: bool = Field(description="True for the 20-token rule (its waste is a bound).")


class FitSpan(BaseModel, frozen=True, extra="forbid"):
    """Smallest and largest value of a figure across the published fits — the spread between
    fits (model uncertainty), not a simulation."""

    low: float
    high: float
    low_fit: FitName
    high_fit: FitName


class SizingUncertainty(BaseModel, frozen=True, extra="forbid"):
    """The sizing headlines as P10 / P50 / P90 of a simulation, what moves them, and how far
    the published scaling fits disagree."""

    samples: int
    seed: int
    inputs: tuple[Uncertain, ...] = Field(description="The uncertain inputs, as drawn.")
    proposal_usd: Range | None = Field(description="The proposal's cost (none: no proposal).")
    proposal_days: Range | None = Field(description="The proposal's wall-clock days.")
    recommended_usd: Range | None = Field(
        description="The compute-optimal (recommended) run's cost: the budget's optimum, or the "
        "data's when data is the limit (none: neither budget nor data given)."
    )
    wasted_usd: Range | None = Field(description="Money wasted (none: fine-tune, no proposal).")
    wasted_share: Range | None = Field(
        description="Share of compute wasted; FLOP-based, so it moves only with the inputs of "
        "WASTE_PATHS the user marks (otherwise P10 = P50 = P90 = the point)."
    )
    share_moves: bool = Field(description="True when a marked input moves the wasted share.")
    tornado: tuple[TornadoBar, ...] = Field(description="Swings of the cost named by tornado_of.")
    tornado_of: str = Field(description="Which headline the tornado swings (USD).")
    fits: tuple[FitFigure, ...] = Field(description="Size and waste under each published fit.")
    fit_params: FitSpan | None = Field(description="Recommended size: min–max over the fits.")
    fit_share: FitSpan | None = Field(description="Wasted share: min–max over the fits.")
    basis: str = Field(description="How sure: what is assumed, what the user gave.")


def spreadable_paths(inputs: SizingInputs) -> tuple[str, ...]:
    """The numeric inputs this scenario uses (those a ± spread can move).

    >>> spreadable_paths(SizingInputs())[:4]
    ('dataset_tokens', 'usable_fraction', 'epochs', 'gpu_peak_tflops')
    """
    unused = set()
    if inputs.dataset_tokens is None:
        unused |= {"dataset_tokens", "usable_fraction", "epochs"}
    if inputs.compute_mode != "flops":
        unused.add("compute_flops")
    if inputs.compute_mode != "gpus":
        unused.add("hours")
    unused |= {p for p in ("proposal_params", "proposal_tokens") if getattr(inputs, p) is None}
    return tuple(p for p in SPREADABLE if p not in unused)


def _positive(path: str) -> bool:
    """True when the field excludes 0 (``gt=0``)."""
    info = SizingInputs.model_fields[path]
    return any(getattr(m, "gt", None) is not None for m in info.metadata)


def assumed_inputs(mfu: float | None, usd_per_hour: float | None) -> list[Uncertain]:
    """MFU ×/÷ 1.3 (capped at 1) and the GPU-hour price ×/÷ 1.25, log-normal; ``None`` (or a
    free GPU) leaves that one out.

    >>> [(u.key, u.kind, round(u.low, 4), u.high) for u in assumed_inputs(0.4, 1.79)]
    [('mfu', 'lognormal', 0.3077, 0.52), ('gpu_usd_per_hour', 'lognormal', 1.432, 2.2375)]
    """
    out = []
    if mfu is not None:
        out.append(
            Uncertain(
                key="mfu",
                label=field_label(SizingInputs.model_fields["mfu"], "mfu"),
                kind="lognormal",
                low=mfu / MFU_FACTOR,
                base=mfu,
                high=min(mfu * MFU_FACTOR, 1.0),
                source="assumption",
                reference="×/÷ 1.3 around your value (issue 12: not known to better than ±30 %)",
                ceiling=1.0,
            )
        )
    if usd_per_hour is not None and usd_per_hour > 0:
        out.append(
            Uncertain(
                key="gpu_usd_per_hour",
                label=field_label(
                    SizingInputs.model_fields["gpu_usd_per_hour"], "gpu_usd_per_hour"
                ),
                kind="lognormal",
                low=usd_per_hour / PRICE_FACTOR,
                base=usd_per_hour,
                high=usd_per_hour * PRICE_FACTOR,
                source="assumption",
                reference="×/÷ 1.25 around the catalogue's price (ScaleRisk's assumption)",
            )
        )
    return out


def uncertain_inputs(
    inputs: SizingInputs, spreads: Mapping[str, float] | None = None
) -> list[Uncertain]:
    """MFU ×/÷ 1.3 and the GPU-hour price ×/÷ 1.25 (log-normal), then the user's ± spreads.

    An input the user marks replaces its assumed spread (a ±0 spread: "I know it exactly").

    Raises
    ------
    ValueError : a path that is not a numeric input, or one this scenario does not use.

    >>> [(u.key, u.kind, u.source) for u in uncertain_inputs(SizingInputs(), {"epochs": 0.5})]
    [('mfu', 'lognormal', 'assumption'), ('gpu_usd_per_hour', 'lognormal', 'assumption'), \
('epochs', 'triangular', 'your spread')]
    """
    spreads = dict(spreads or {})
    validate_spread_paths(SizingInputs, spreads)
    usable = spreadable_paths(inputs)
    unused = sorted(set(spreads) - set(usable))
    if unused:
        raise ValueError(
            f"{', '.join(unused)} does not enter this what-if; inputs that do: {', '.join(usable)}"
        )
    out = assumed_inputs(
        None if "mfu" in spreads else inputs.mfu,
        None if "gpu_usd_per_hour" in spreads else inputs.gpu_usd_per_hour,
    )
    for u in user_spreads(inputs, {k: v for k, v in spreads.items() if v > 0}):
        if _positive(u.key):
            least = u.base * POSITIVE_FLOOR
            u = Uncertain(
                **{**u.model_dump(), "low": max(u.low, least), "floor": max(u.floor or 0, least)}
            )
        out.append(u)
    return out


def _optimum(compute: np.ndarray, fit: ScalingFit) -> tuple[np.ndarray, np.ndarray]:
    """:func:`compute_optimal` on arrays (same operations, ``np.sqrt`` for ``math.sqrt``)."""
    x = compute / FLOPS_PER_PARAM_TOKEN
    if fit.kind == "ratio":
        n = np.sqrt(x / fit.tokens_per_param)
        return n, fit.tokens_per_param * n
    a, b, g = allocation_exponents(fit)
    return g * x**a, x**b / g


def _feasible_share(
    n_p: np.ndarray, d_p: np.ndarray, fit: ScalingFit, usable: np.ndarray | None
) -> np.ndarray:
    """:func:`_counterfactual_waste`'s share on arrays: ``1 − C(feasible equal-loss run)/C_p``
    clipped to [0, 1], 0 where no run on the usable data reaches the proposal's result."""
    c_p = training_flops(n_p, d_p)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if fit.kind == "ratio":
            r = fit.tokens_per_param
            m = np.minimum(n_p, d_p / r)
            d = r * m
            ok = np.ones_like(c_p, dtype=bool) if usable is None else d <= usable * (1 + 1e-12)
            c = training_flops(m, d)
        else:
            loss = fit.E + fit.A / n_p**fit.alpha + fit.B / d_p**fit.beta
            k, gamma = _frontier(fit)
            c_eq = np.where(
                loss <= fit.E,
                np.inf,
                FLOPS_PER_PARAM_TOKEN * ((loss - fit.E) / k) ** (-1 / gamma),
            )
            n_eq, d_eq = _optimum(c_eq, fit)
            c = training_flops(n_eq, d_eq)
            ok = np.ones_like(c_p, dtype=bool)
            if usable is not None:
                inside = d_eq <= usable
                headroom = loss - fit.E - fit.B / usable**fit.beta
                n_b = (fit.A / np.where(headroom > 0, headroom, 1.0)) ** (1 / fit.alpha)
                c = np.where(inside, c, training_flops(n_b, usable))
                ok = inside | (headroom > 0)
        share = np.fmin(1.0, np.fmax(0.0, 1.0 - c / c_p))
    return np.where(ok, share, 0.0)


def sizing_samples(inputs: SizingInputs, values: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """:func:`evaluate_sizing`'s money and time headlines on arrays of input samples.

    Parameters
    ----------
    inputs : the scenario; an input missing from ``values`` keeps its value.
    values : input path → samples (e.g. :func:`~calculator.uncertainty.draw`'s).

    Returns
    -------
    dict : ``proposal_usd``, ``proposal_days`` (with a proposal), ``recommended_usd`` (with a
    budget or data), ``wasted_usd`` and ``wasted_share`` (for a proposal trained from scratch),
    each an array as long as the samples.

    Notes
    -----
    The same formulas in the same order as :func:`evaluate_sizing`: usable tokens
    ``D·f·epochs``; budget ``count·h·3600·a·peak·MFU`` (or the FLOPs given); cost
    ``6ND/(peak·MFU·3600)·price``; days ``GPU-h/(count·a)/24``; the recommended run is the
    data's optimum where the budget's needs more tokens than are usable; waste against the
    cheapest run on the usable data of equal loss (:func:`feasible_equal_loss`).  GPU counts
    are rounded to whole GPUs.

    >>> s = sizing_samples(SizingInputs(), {"mfu": np.array([0.2, 0.4])})
    >>> [round(float(x), 2) for x in s["proposal_usd"]]  # 6·7e9·2e9/(312e12·MFU·3600)·$1.79
    [669.34, 334.67]
    """
    fit = FITS[inputs.fit]
    size = max((np.size(v) for v in values.values()), default=1)

    def get(path: str) -> np.ndarray:
        return np.asarray(values[path] if path in values else getattr(inputs, path), dtype=float)

    peak = get("gpu_peak_tflops") * 1e12
    mfu, price, availability = get("mfu"), get("gpu_usd_per_hour"), get("availability")
    count = np.maximum(1.0, np.rint(get("gpu_count")))
    usable = (
        None
        if inputs.dataset_tokens is None
        else get("dataset_tokens") * get("usable_fraction") * get("epochs")
    )

    def priced(n: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hours = gpu_hours(training_flops(n, d), peak, mfu)
        return hours * price, calendar_days(hours, count, availability)

    budget = None
    if inputs.compute_mode == "flops":
        budget = get("compute_flops")
    elif inputs.compute_mode == "gpus":
        budget = cluster_flops(count, get("hours"), availability, peak, mfu)
    out: dict[str, np.ndarray] = {}
    rec = None
    if budget is not None:
        rec = _optimum(budget, fit)
        if usable is not None:
            data = optimal_for_tokens(usable, fit)
            limited = rec[1] > data[1]
            rec = (np.where(limited, data[0], rec[0]), np.where(limited, data[1], rec[1]))
    elif usable is not None:
        rec = optimal_for_tokens(usable, fit)
    if rec is not None:
        out["recommended_usd"] = priced(*rec)[0]
    if inputs.proposal_params is not None:
        n_p = get("proposal_params")
        d_p = get("proposal_tokens") if inputs.proposal_tokens is not None else usable
        out["proposal_usd"], out["proposal_days"] = priced(n_p, d_p)
        if inputs.purpose == "pretrain":
            out["wasted_share"] = _feasible_share(n_p, d_p, fit, usable)
            out["wasted_usd"] = out["wasted_share"] * out["proposal_usd"]
    return {k: np.broadcast_to(np.asarray(v, dtype=float), (size,)) for k, v in out.items()}


def _fit_figures(inputs: SizingInputs) -> tuple[FitFigure, ...]:
    out = []
    for key, fit in FITS.items():
        r = evaluate_sizing(SizingInputs.model_validate({**inputs.model_dump(), "fit": key}))
        out.append(
            FitFigure(
                fit=key,
                label=fit.label,
                recommended_params=r.recommended.params if r.recommended else None,
                wasted_share=r.waste.wasted_share if r.waste else None,
                wasted_usd=r.waste.wasted_usd if r.waste else None,
                upper_bound=fit.kind == "ratio",
            )
        )
    return tuple(out)


def _span(figures: tuple[FitFigure, ...], attr: str) -> FitSpan | None:
    pairs = [(getattr(f, attr), f.fit) for f in figures if getattr(f, attr) is not None]
    if not pairs:
        return None
    (lo, lo_fit), (hi, hi_fit) = min(pairs), max(pairs)
    return FitSpan(low=lo, high=hi, low_fit=lo_fit, high_fit=hi_fit)


def _reference_inputs(inputs: SizingInputs) -> SizingInputs:
    """The defaults with the chosen GPU's catalogue peak and price: what the user did not give."""
    try:
        gpu = get_gpu(inputs.gpu_name)
    except InputError:
        return SizingInputs()
    return SizingInputs(
        gpu_peak_tflops=gpu.peak_flops("bf16") / 1e12, gpu_usd_per_hour=gpu.usd_per_hour
    )


def _lower(label: str) -> str:
    """A label inside a sentence: 'Achieved utilisation (MFU)' → 'achieved …', 'GPU count' kept.

    >>> _lower("Price per GPU-hour"), _lower("GPU count")
    ('price per GPU-hour', 'GPU count')
    """
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def sizing_uncertainty(
    inputs: SizingInputs,
    spreads: Mapping[str, float] | None = None,
    n: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> SizingUncertainty:
    """P10 / P50 / P90 of the proposal's cost and days, the recommended run's cost and the waste;
    a tornado of the proposal's cost; the size and waste under each published fit; the basis.

    Parameters
    ----------
    inputs : the scenario (:class:`SizingInputs`).
    spreads : input path → ± spread as a fraction (0.3 = ±30 %), triangular around the value.
    n, seed : samples and random seed (the page, CLI and PDF use the defaults).

    Notes
    -----
    MFU is log-normal ×/÷ 1.3 (P10 / P90) around the input (issue 12) and the GPU-hour price
    ×/÷ 1.25 (ScaleRisk's assumption); inputs the user marks are triangular around their
    values (:func:`uncertain_inputs`).  Headlines are :func:`sizing_samples` on the draws;
    every point is :func:`evaluate_sizing`'s own figure.  The wasted share is FLOP-based:
    it moves only when a marked input of :data:`WASTE_PATHS` moves it, else its range is the
    point.  The fits' disagreement is model uncertainty, reported apart (``fits``,
    ``fit_params``, ``fit_share``): each fit's figure with all else equal, min–max — the
    spread between published fits, not a simulation.

    >>> u = sizing_uncertainty(SizingInputs(), n=1000)
    >>> c = u.proposal_usd
    >>> c.p10 < c.point < c.p90, u.wasted_share, u.tornado[0].key
    (True, None, 'mfu')
    """
    if not 1 <= n <= MAX_SAMPLES:
        raise ValueError(f"samples must be 1–{MAX_SAMPLES:,}, not {n}")
    spreads = dict(spreads or {})
    result = evaluate_sizing(inputs)
    unc = uncertain_inputs(inputs, spreads)
    s = sizing_samples(inputs, draw(unc, n, seed))
    p, rec, w = result.proposal, result.recommended, result.waste
    moving = {u.key for u in unc if not u.fixed}
    share_moves = bool(w and moving & WASTE_PATHS)
    share = None
    if w is not None:
        share = (
            quantiles(s["wasted_share"], w.wasted_share)
            if share_moves
            else Range(
                point=w.wasted_share, p10=w.wasted_share, p50=w.wasted_share, p90=w.wasted_share
            )
        )
    key = "proposal_usd" if p else "recommended_usd" if rec else None
    bars = tornado(lambda v: sizing_samples(inputs, v)[key], unc) if key else []
    figures = _fit_figures(inputs)
    fields = numeric_fields(SizingInputs)
    used = spreadable_paths(inputs)
    changed_keys = [k for k in changed_paths(inputs, _reference_inputs(inputs)) if k in used]
    changed = [_lower(field_label(fields[k], k)) for k in changed_keys]
    marked = [_lower(u.label) + " (± spread)" for u in unc if u.source == "your spread"]
    keys = {u.key for u in unc if u.source == "assumption"}
    assumed = []
    if "mfu" in keys:
        assumed.append(f"MFU ×/÷ {MFU_FACTOR:g}")
    if "gpu_usd_per_hour" in keys:
        assumed.append(
            f"GPU price ×/÷ {PRICE_FACTOR:g}"
            + ("" if "gpu_usd_per_hour" in changed_keys else " around the catalogue's")
        )
    assumed.append(f"scaling fit ({FITS[inputs.fit].short}; others in the fit range)")
    return SizingUncertainty(
        samples=n,
        seed=seed,
        inputs=tuple(unc),
        proposal_usd=quantiles(s["proposal_usd"], p.cost_usd) if p else None,
        proposal_days=quantiles(s["proposal_days"], p.days) if p else None,
        recommended_usd=quantiles(s["recommended_usd"], rec.cost_usd) if rec else None,
        wasted_usd=quantiles(s["wasted_usd"], w.wasted_usd) if w else None,
        wasted_share=share,
        share_moves=share_moves,
        tornado=tuple(bars),
        tornado_of={
            "proposal_usd": "the proposal's cost",
            "recommended_usd": "the recommended run's cost",
        }.get(key or "", ""),
        fits=figures,
        fit_params=_span(figures, "recommended_params"),
        fit_share=_span(figures, "wasted_share"),
        basis=Basis(
            assumed=tuple(assumed),
            given=tuple(marked + [c for c in changed if c + " (± spread)" not in marked]),
            measured=(),
        ).sentence(),
    )


def range_texts(u: SizingUncertainty) -> dict[str, str]:
    """Headline key → its likely range ("likely $237–$473"), only for ranges that move; and
    ``fit_params`` / ``fit_share``: the spread between the fits ("77.7M–100M across the fits").

    >>> t = range_texts(sizing_uncertainty(SizingInputs(), n=500))
    >>> sorted(t)
    ['fit_params', 'proposal_days', 'proposal_usd', 'recommended_usd']
    >>> t["fit_params"]
    '77.7M–100M across the fits'
    """
    out = {}
    formats = {
        "proposal_usd": fmt_usd,
        "recommended_usd": fmt_usd,
        "wasted_usd": fmt_usd,
        "proposal_days": lambda x: f"{x:.2g}",
        "wasted_share": lambda x: fmt_share(0.0 if x < 1e-9 else x),  # rounding noise is 0
    }
    for key, fmt in formats.items():
        r = getattr(u, key)
        if r is None or (key == "wasted_share" and not u.share_moves):
            continue
        lo, hi = fmt(r.p10), fmt(r.p90)
        if lo != hi:  # a range that rounds to one figure adds nothing
            out[key] = f"likely {lo}–{hi}" + (" days" if key == "proposal_days" else "")
    for key, fmt in (("fit_params", fmt_count), ("fit_share", fmt_share)):
        span = getattr(u, key)
        if span is not None:
            lo, hi = fmt(span.low), fmt(span.high)
            out[key] = f"{lo} under every fit" if lo == hi else f"{lo}–{hi} across the fits"
            if key == "fit_share" and FITS[span.high_fit].kind == "ratio" and span.high > 0:
                out[key] += f" ({FITS[span.high_fit].short}: an upper bound)"
    return out


class RunCostUncertainty(BaseModel, frozen=True, extra="forbid"):
    """GPU-hours and cost of one run of known compute, with MFU and price uncertain (the CLI's
    ``--compute-flops`` / ``--tokens`` / ``--params`` modes)."""

    samples: int
    seed: int
    gpu_hours: Range
    cost_usd: Range
    tornado: tuple[TornadoBar, ...] = Field(description="Swings of the cost.")
    basis: str


def run_cost_uncertainty(
    compute_flops: float,
    peak_flops: float,
    mfu: float,
    usd_per_hour: float,
    n: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    given: tuple[str, ...] = (),
) -> RunCostUncertainty:
    """P10 / P50 / P90 of ``GPU-h = C/(peak·MFU·3600)`` and ``cost = GPU-h × price``
    (``given``: what the user gave, for the basis line).

    Notes
    -----
    MFU ×/÷ 1.3 and price ×/÷ 1.25, log-normal (:func:`assumed_inputs`): the cost is then
    log-normal too, its P90 ÷ median ``exp(√(ln²1.3 + ln²1.25)) ≈ 1.41``.

    >>> u = run_cost_uncertainty(3e19, 989e12, 0.5, 2.99)
    >>> round(u.cost_usd.point, 2), round(u.cost_usd.p90 / u.cost_usd.p50, 1)
    (50.39, 1.4)
    """
    if not 1 <= n <= MAX_SAMPLES:
        raise ValueError(f"samples must be 1–{MAX_SAMPLES:,}, not {n}")
    unc = assumed_inputs(mfu, usd_per_hour)

    def evaluate(v: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        m = np.asarray(v.get("mfu", mfu), dtype=float)
        hours = gpu_hours(compute_flops, peak_flops, m)
        return {"hours": hours, "cost": hours * np.asarray(v.get("gpu_usd_per_hour", usd_per_hour))}

    s = evaluate(draw(unc, n, seed))
    hours = gpu_hours(compute_flops, peak_flops, mfu)
    return RunCostUncertainty(
        samples=n,
        seed=seed,
        gpu_hours=quantiles(np.broadcast_to(s["hours"], (n,)), hours),
        cost_usd=quantiles(np.broadcast_to(s["cost"], (n,)), hours * usd_per_hour),
        tornado=tuple(tornado(lambda v: evaluate(v)["cost"], unc)),
        basis=Basis(
            assumed=(f"MFU ×/÷ {MFU_FACTOR:g}", f"GPU price ×/÷ {PRICE_FACTOR:g}"),
            given=given,
        ).sentence(),
    )
