"""argparse ``type=`` helpers: numbers checked at the command line, with one-sentence errors."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def number(
    lo: float | None = None,
    hi: float | None = None,
    *,
    integer: bool = False,
    positive: bool = False,
    unit: str = "",
) -> Callable[[str], float]:
    """A parser accepting a finite number (an integer if ``integer``) in ``[lo, hi]``.

    ``positive`` also rejects 0.  Errors name the value and the accepted range.

    >>> number(0, 1)("0.25")
    0.25
    >>> number(1, 120, integer=True)("36")
    36
    """
    kind = "whole number" if integer else "number"

    def parse(text: str) -> float:
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind}") from None
        if not math.isfinite(value) or (positive and value <= 0):
            raise argparse.ArgumentTypeError(f"{text!r} must be a positive, finite {kind}")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            span = (
                f"{lo:g}–{hi:g}"
                if lo is not None and hi is not None
                else (f"≥ {lo:g}" if lo is not None else f"≤ {hi:g}")
            )
            raise argparse.ArgumentTypeError(
                f"{text!r} is outside {span}{' ' + unit if unit else ''}"
            )
        return value

    return parse


def spread(text: str) -> tuple[str, float]:
    """``PATH=FRACTION`` (an input marked uncertain by ± FRACTION of its value).

    >>> spread("growth.users_multiple=0.3")
    ('growth.users_multiple', 0.3)
    """
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not PATH=FRACTION (e.g. growth.users_multiple=0.3)"
        )
    return path.strip(), number(0, 1, unit="(a fraction: 0.3 = ±30%)")(value)


def add_simulation_arguments(parser: argparse._ActionsContainer, spread_help: str) -> None:
    """``--samples N``, ``--seed S`` and ``--spread PATH=FRACTION`` (repeatable): the ranges'
    simulation, the same on every engine CLI (issue 12)."""
    from calculator.uncertainty import DEFAULT_SAMPLES, DEFAULT_SEED, MAX_SAMPLES

    parser.add_argument(
        "--samples",
        type=number(100, MAX_SAMPLES, integer=True),
        default=DEFAULT_SAMPLES,
        metavar="N",
        help=f"simulations behind the ranges, 100–{MAX_SAMPLES:,} (default {DEFAULT_SAMPLES:,})",
    )
    parser.add_argument(
        "--seed",
        type=number(0, 2**32 - 1, integer=True),
        default=DEFAULT_SEED,
        metavar="S",
        help=f"random seed of the simulation (default {DEFAULT_SEED}: the page's ranges)",
    )
    parser.add_argument(
        "--spread",
        type=spread,
        action="append",
        default=[],
        metavar="PATH=FRACTION",
        help=spread_help,
    )
