"""Compute-optimal model sizing (Chinchilla) with the dollars a mis-sized run wastes.

Seed 002's argument: teams pick the model size first and then train it on too little data.
Given a compute budget (FLOPs, or a GPU cluster for some hours), the data actually usable,
and the team's proposal (parameters N, training tokens D), this module computes the
compute-optimal split, the loss each choice reaches under a published scaling fit, the
compute (and money) a compute-optimal model would need to match the proposal, and a
verdict in plain words.

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
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from calculator.hardware import get_gpu

FitName = Literal["rule20", "hoffmann2022", "besiroglu2024"]
Verdict = Literal["over-sized", "under-sized", "near-optimal"]

# --------------------------------------------------------------------------- constants


class ScalingFit(BaseModel, frozen=True, extra="forbid"):
    """One scaling law: either a fixed tokens-per-parameter ratio or a parametric loss fit
    ``L(N, D) = E + A/N^α + B/D^β`` (natural-log loss in nats per token)."""

    key: FitName
    label: str
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
            note="Re-fit of Hoffmann's approach 3 on the paper's own data; agrees with ≈ 20 "
            "tokens per parameter.",
        ),
    )
}
"""Scaling fits selectable in the UI and CLI (``--fit``)."""

DEFAULT_FIT: FitName = "besiroglu2024"
"""Default fit: the replication defines a loss *and* agrees with seed 002's ~20 tokens/param."""

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


def _fraction(default: float, description: str, label: str):
    return Field(
        default,
        gt=0,
        le=1,
        description=description,
        json_schema_extra={"unit": "fraction", "label": label},
    )


class SizingInputs(BaseModel, frozen=True, extra="forbid"):
    """Inputs of the compute-optimal sizing what-if (issue 3).  Defaults: seed 002's case
    study — 2B tokens, a proposed 7B model, 8 A100s for two weeks."""

    fit: FitName = Field(DEFAULT_FIT, description="Scaling law used for the optimum and the loss.")
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
        gt=0,
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
    """What the proposal wastes compared with the compute-optimal run of equal loss."""

    equal_loss_flops: float = Field(json_schema_extra={"unit": "FLOP"})
    wasted_flops: float = Field(json_schema_extra={"unit": "FLOP"})
    wasted_share: float = Field(json_schema_extra={"unit": "fraction"})
    wasted_usd: float = Field(json_schema_extra={"unit": "USD"})
    optimal_params_same_compute: float = Field(
        description="Compute-optimal N at the proposal's own compute.",
        json_schema_extra={"unit": "parameters"},
    )
    size_ratio: float = Field(
        description="Proposal N over that optimum.", json_schema_extra={"unit": "×"}
    )


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
    proposal: Allocation | None
    equal_loss_optimum: Allocation | None = Field(
        description="The compute-optimal run that does as well as the proposal (its cost is "
        "what the proposal should have cost)."
    )
    waste: Waste | None
    verdict: Verdict | None
    verdict_text: str
    advice: str | None
    warnings: list[str]
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


def _allocation(n: float, d: float, fit: ScalingFit, inp: SizingInputs) -> Allocation:
    c = training_flops(n, d)
    hours = gpu_hours(c, inp.peak_flops, inp.mfu)
    return Allocation(
        params=n,
        tokens=d,
        compute_flops=c,
        tokens_per_param=d / n,
        loss=predicted_loss(n, d, fit),
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
    """'$1,234' (no cents above $100; '$1.2e15' beyond a trillion).

    >>> fmt_usd(1234.5), fmt_usd(12.345), fmt_usd(1.2e15)
    ('$1,234', '$12.35', '$1.2e15')
    """
    if abs(x) >= 1e12:
        return "$" + fmt_count(x) if abs(x) < 1e15 else f"${x:.3g}".replace("e+", "e")
    return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"


def _verdict_text(verdict: Verdict, prop: Allocation, waste: Waste, fit: ScalingFit) -> str:
    n_opt = fmt_count(waste.optimal_params_same_compute, "parameters")
    base = (
        f"For the proposal's own compute ({fmt_count(prop.compute_flops, 'FLOP')}) the "
        f"compute-optimal model has about {n_opt}; the proposal has "
        f"{fmt_count(prop.params, 'parameters')} ({waste.size_ratio:.2g}× that)."
    )
    if verdict == "near-optimal":
        return f"Near-optimal. {base} It wastes {waste.wasted_share:.0%} of its compute."
    saved = (
        f"A compute-optimal run would reach the same "
        f"{'loss' if fit.kind == 'parametric' else 'result'} with "
        f"{1 - waste.wasted_share:.0%} of the compute: {waste.wasted_share:.0%} "
        f"({fmt_usd(waste.wasted_usd)}) is wasted."
    )
    if verdict == "over-sized":
        return f"Over-sized and under-trained. {base} {saved}"
    return (
        f"Under-sized (over-trained). {base} {saved} Training a small model past the optimum "
        "can still pay off when inference cost dominates."
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
    the data holds, then the data optimum), the proposal with its waste and verdict, seed
    002's hierarchy advice when the recommended model is small, the fits side by side and
    the hardware-trend what-if.

    References
    ----------
    Seed 002 (steps 1–3 and the case study); Hoffmann et al. 2022; Besiroglu et al. 2024.

    >>> r = evaluate_sizing(SizingInputs())          # seed 002 case study defaults
    >>> r.verdict, fmt_count(r.recommended.params), r.data_limited
    ('over-sized', '77.7M', True)
    """
    fit = FITS[inputs.fit]
    loss_fit = fit if fit.kind == "parametric" else FITS[DEFAULT_FIT]
    budget = budget_of(inputs)
    usable = inputs.usable_tokens
    warnings: list[str] = []

    budget_opt = _allocation(*compute_optimal(budget, fit), fit, inputs) if budget else None
    data_opt = _allocation(*optimal_for_tokens(usable, fit), fit, inputs) if usable else None
    data_limited = bool(budget_opt and data_opt and budget_opt.tokens > data_opt.tokens)
    recommended = data_opt if data_limited or budget_opt is None else budget_opt
    if data_limited:
        warnings.append(
            f"The budget's compute-optimal run needs {fmt_count(budget_opt.tokens, 'tokens')}, "
            f"more than the {fmt_count(usable, 'usable tokens')}: data is the binding constraint, "
            f"so the recommended run is the optimal size for the data and uses "
            f"{data_opt.compute_flops / budget:.1%} of the budget."
        )

    proposal = waste = verdict = equal_run = None
    verdict_text = "No proposal given."
    if inputs.proposal_params is not None:
        d_p = inputs.proposal_tokens if inputs.proposal_tokens is not None else usable
        proposal = _allocation(inputs.proposal_params, d_p, fit, inputs)
        c_eq = equal_loss_compute(proposal.params, proposal.tokens, fit)
        share = wasted_share(proposal.params, proposal.tokens, fit)
        n_same = compute_optimal(proposal.compute_flops, fit)[0]
        waste = Waste(
            equal_loss_flops=c_eq,
            wasted_flops=share * proposal.compute_flops,
            wasted_share=share,
            wasted_usd=share * proposal.cost_usd,
            optimal_params_same_compute=n_same,
            size_ratio=proposal.params / n_same,
        )
        equal_run = _allocation(*compute_optimal(c_eq, fit), fit, inputs)
        verdict = classify(share, waste.size_ratio)
        verdict_text = _verdict_text(verdict, proposal, waste, fit)
        if budget and proposal.compute_flops > budget * (1 + 1e-9):
            warnings.append(
                f"The proposal needs {fmt_count(proposal.compute_flops, 'FLOP')}, "
                f"{proposal.compute_flops / budget:.2g}× the budget."
            )
        if usable and proposal.tokens > usable * (1 + 1e-9):
            warnings.append(
                f"The proposal trains on {fmt_count(proposal.tokens, 'tokens')}, more than the "
                f"{fmt_count(usable, 'usable tokens')} (dataset × usable fraction × epochs)."
            )

    advice = None
    if recommended is not None and recommended.params < SMALL_MODEL_PARAMS:
        advice = (
            f"The data supports only about {fmt_count(recommended.params, 'parameters')} "
            "trained from scratch — too small for broad base capabilities. Follow seed 002's "
            "hierarchy: don't pretrain; use an off-the-shelf model or API (with retrieval over "
            "your documents), and if that is not enough, fine-tune an existing model with "
            "LoRA/QLoRA. Seed 002's case study: 2B tokens support ~100M parameters, so LoRA on a "
            "7B model (1× A100, three days) replaced a full fine-tune."
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
        waste=waste,
        verdict=verdict,
        verdict_text=verdict_text,
        advice=advice,
        warnings=warnings,
        fit_comparison=compared,
        fit_spread=max(ratios) / min(ratios) if ratios else None,
        tokens_per_param_curve=curve,
        iso_flop=iso_flop_curves(ref, loss_fit) if ref else [],
        later=later,
        later_of=later_of,
    )


def key_figures(result: SizingResult) -> list[tuple[str, str]]:
    """Headline figures (label, value with unit) for the PDF report.

    >>> dict(key_figures(evaluate_sizing(SizingInputs())))["Verdict"]
    'over-sized'
    """
    out: list[tuple[str, str]] = [("Scaling fit", result.fit_label)]
    if result.budget_flops:
        out.append(("Compute budget", fmt_count(result.budget_flops, "FLOP")))
    if result.usable_tokens:
        out.append(("Usable data", fmt_count(result.usable_tokens, "tokens")))
    if result.recommended:
        r = result.recommended
        out.append(
            (
                "Recommended model",
                f"{fmt_count(r.params, 'parameters')} on {fmt_count(r.tokens, 'tokens')}",
            )
        )
    if result.proposal and result.waste:
        p, w = result.proposal, result.waste
        out += [
            ("Proposal", f"{fmt_count(p.params, 'parameters')} on {fmt_count(p.tokens, 'tokens')}"),
            ("Verdict", result.verdict or ""),
            ("Compute wasted", f"{w.wasted_share:.0%} ({fmt_usd(w.wasted_usd)})"),
            ("Proposal cost", f"{fmt_usd(p.cost_usd)}, {p.days:.3g} days"),
        ]
    if result.later:
        out.append(
            (
                f"Cost of {result.later_of} in 12 months",
                fmt_usd(next(r.cost_usd for r in result.later if r.months == 12)),
            )
        )
    return out
