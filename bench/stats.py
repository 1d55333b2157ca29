"""Statistics of a benchmark run: percentiles, throughput, achieved FLOP/s, scaling penalty.

Pure Python (no torch, no numpy) so that the page and the tests can use it freely.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) with linear interpolation between order statistics.

    Notes
    -----
    Rank $r = (n - 1)\\,q/100$, $f = \\lfloor r\\rfloor$, $c = \\lceil r\\rceil$; value
    $x_f + (r - f)(x_c - x_f)$ on the sorted samples (Hyndman & Fan 1996, definition 7; numpy's
    default).

    Examples
    --------
    >>> percentile([1, 2, 3, 4], 50)
    2.5
    >>> percentile([10, 20, 30, 40, 50], 95)
    48.0
    """
    if not samples:
        raise ValueError("percentile of no samples")
    if not 0 <= q <= 100:
        raise ValueError("q must lie in [0, 100]")
    xs = sorted(samples)
    rank = (len(xs) - 1) * q / 100
    lo, hi = math.floor(rank), math.ceil(rank)
    return xs[lo] + (rank - lo) * (xs[hi] - xs[lo])


def median(samples: Sequence[float]) -> float:
    """Median (50th percentile).

    >>> median([3, 1, 2])
    2.0
    """
    return float(percentile(samples, 50))


def iqr(samples: Sequence[float]) -> float:
    """Inter-quartile range, p75 − p25.

    >>> iqr([1, 2, 3, 4, 5])
    2.0
    """
    return float(percentile(samples, 75) - percentile(samples, 25))


MAX_TRUSTED_SPREAD = 0.10
"""Passes may lie at most ±10% from their median for a run to be trusted (issue 11)."""
MIN_TRUSTED_PASSES = 2
"""A single pass cannot show its own spread."""


def relative_spread(samples: Sequence[float]) -> float:
    """Largest distance of a sample from the median, as a share of the median.

    Notes
    -----
    $s = \\max_i |r_i - \\tilde r| / \\tilde r$ with $\\tilde r$ the median: every pass lies within
    $\\tilde r\\,(1 \\pm s)$, so "a spread of ±10%" is $s \\le 0.10$.

    Examples
    --------
    >>> relative_spread([90, 100, 105])
    0.1
    >>> relative_spread([42.0])
    0.0
    """
    mid = median(samples)
    if mid <= 0:
        raise ValueError("median must be positive")
    return max(abs(x - mid) for x in samples) / mid


def trust(items: int, batch_size: int, passes: int, spread: float | None) -> tuple[bool, str]:
    """Whether a run's throughput may feed a verdict, and why (one or more sentences).

    A run is trusted when it timed at least one full batch (``items ≥ batch_size``), in at
    least :data:`MIN_TRUSTED_PASSES` passes, all within ±:data:`MAX_TRUSTED_SPREAD` of their
    median (:func:`relative_spread`).  Runs stored before passes were repeated count as one
    pass with an unknown spread.

    Examples
    --------
    >>> trust(100, 32, 3, 0.04)
    (True, 'Median of 3 timed passes, all within ±4.0% of it.')
    >>> trust(1, 32, 3, 0.0)[0], trust(100, 32, 1, None)[0], trust(100, 32, 3, 0.25)[0]
    (False, False, False)
    """
    reasons = []
    if items < batch_size:
        reasons.append(
            f"only {items:,} item{'s' if items != 1 else ''} timed, fewer than one full batch of "
            f"{batch_size}: the device never ran at full load, so this says little about real work "
            f"(run {batch_size} items or more; 100 or more is better)."
        )
    if passes < MIN_TRUSTED_PASSES or spread is None:
        reasons.append(
            "measured in a single timed pass, so how much it varies is unknown (repeat it: 3 "
            "passes "
            "or more)."
        )
    elif spread > MAX_TRUSTED_SPREAD:
        reasons.append(
            f"its {passes} timed passes differ by up to ±{spread:.0%} around their median, more "
            f"than the ±{MAX_TRUSTED_SPREAD:.0%} ScaleRisk accepts: the machine was probably busy "
            "with other work (run it again on a quiet machine)."
        )
    if reasons:
        text = " ".join(reasons)
        return False, text[0].upper() + text[1:]
    return True, f"Median of {passes} timed passes, all within ±{spread:.1%} of it."


def rate(count: float, seconds: float) -> float:
    """Throughput: ``count`` per second of measured time.

    Notes
    -----
    items/s $= N / \\sum_b t_b$ where $t_b$ are the timed batches (warm-up excluded);
    tokens/s uses the real (unpadded) token count in place of $N$.

    >>> rate(320, 4.0)
    80.0
    """
    if seconds <= 0:
        raise ValueError("measured time must be positive")
    return count / seconds


def forward_flops(
    lengths: Sequence[int], config: dict[str, Any], non_embedding_params: int
) -> float:
    """Useful FLOPs of one encoder forward pass over sequences of the given real lengths.

    Parameters
    ----------
    lengths : real (unpadded) token count of each sequence.
    config : architecture (``num_hidden_layers`` L, ``hidden_size`` d).
    non_embedding_params : N, the parameters of the layers (embedding look-ups are not
        matrix products).

    Returns
    -------
    float — multiply-adds counted as 2 FLOPs.

    Notes
    -----
    $C = \\sum_s \\left(2 N n_s + 4 L d\\, n_s^2\\right)$: $2N$ per token for the weight
    products (Kaplan et al. 2020, Table 1, $C_\\text{forward} \\approx 2N$) plus, per layer,
    $2 n^2 d$ for $QK^\\top$ and $2 n^2 d$ for the weighted sum of $V$ (Kaplan's
    $2 n_\\text{layer} n_\\text{ctx} d_\\text{attn}$ per token counts the first only; an
    encoder attends in both directions).  Padding is not counted: this is useful work,
    so the share of peak it yields is conservative.

    References
    ----------
    Kaplan et al. 2020, "Scaling Laws for Neural Language Models", §2.1 and Table 1.

    Examples
    --------
    >>> forward_flops([10], {"num_hidden_layers": 1, "hidden_size": 4}, 100)
    3600.0
    """
    n_layers, d = config["num_hidden_layers"], config["hidden_size"]
    return float(sum(2 * non_embedding_params * n + 4 * n_layers * d * n * n for n in lengths))


def scaling_penalty(small_items_per_second: float, large_items_per_second: float) -> float:
    """Seed 000's scaling penalty: small model items/s ÷ large model items/s.

    Notes
    -----
    $P = r_\\text{small} / r_\\text{large}$; 1.0 means the larger model costs nothing extra.

    References
    ----------
    Seed 000, "What the Data Shows": M2 Pro 117 / 75 ≈ 1.56×, DGX Spark 210 / 208 ≈ 1.01×.

    Examples
    --------
    >>> round(scaling_penalty(117, 75), 2)
    1.56
    >>> round(scaling_penalty(210, 208), 2)
    1.01
    """
    if large_items_per_second <= 0:
        raise ValueError("large model throughput must be positive")
    return small_items_per_second / large_items_per_second


def length_summary(lengths: Sequence[int], max_length: int | None = None) -> dict[str, float]:
    """Token-length distribution: count, mean, min, p50, p95, max and the share truncated.

    ``lengths`` are real token counts after truncation; a length equal to ``max_length``
    counts as truncated.

    >>> length_summary([10, 20, 30, 40], max_length=40)["truncated_share"]
    0.25
    >>> length_summary([10, 20, 30, 40])["mean"]
    25.0
    """
    if not lengths:
        raise ValueError("no lengths")
    out = {
        "count": float(len(lengths)),
        "mean": sum(lengths) / len(lengths),
        "min": float(min(lengths)),
        "p50": float(percentile(lengths, 50)),
        "p95": float(percentile(lengths, 95)),
        "max": float(max(lengths)),
    }
    if max_length is not None:
        out["truncated_share"] = sum(1 for n in lengths if n >= max_length) / len(lengths)
    return out


def histogram(lengths: Sequence[int], bin_width: int = 32) -> list[tuple[int, int]]:
    """(bin start, count) pairs of the token lengths, bins of ``bin_width`` tokens.

    >>> histogram([1, 5, 40, 70], bin_width=32)
    [(0, 2), (32, 1), (64, 1)]
    """
    counts: dict[int, int] = {}
    for n in lengths:
        start = (n // bin_width) * bin_width
        counts[start] = counts.get(start, 0) + 1
    return sorted(counts.items())
