"""How far each headline's P10 and P90 move between random seeds (issue 12's convergence check).

For every headline with a range — the assessment's score and 36-month total cost on each
preset, the fine-tune cost (seed 002 case study, LoRA), the mitigation plan's NPV, the sizing
recommendation's dollars and Green Money's dollars per year — the simulation is run with ten
seeds at the given sample size; the spread of a quantile is (max − min) over the seeds,
relative to its median (score: in points).  The last column is the median time of one
simulation (all ten seeds, after one warm-up call).  Usage::

    python scripts/measure_convergence.py [--samples 16000] [--seeds 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from calculator import finetune, greenmoney, mitigation, risk, sizing  # noqa: E402
from calculator.presets import PRESETS  # noqa: E402
from calculator.uncertainty import Range  # noqa: E402


def headlines() -> dict[str, tuple[Callable[[int, int], Range], bool]]:
    """Headline name → (simulation(n, seed) → Range, is it a score in points)."""
    found: dict[str, tuple[Callable[[int, int], Range], bool]] = {}
    for name, answers in PRESETS.items():
        base = risk.assess(answers)
        found[f"score · {name}"] = (
            lambda n, s, a=answers, b=base: risk.assess_ranges(a, b, n, s).score,
            True,
        )
        found[f"36-month cost · {name}"] = (
            lambda n, s, a=answers, b=base: risk.assess_ranges(a, b, n, s).cost[36]["total"],
            False,
        )
    case = finetune.case_study_inputs()
    found["fine-tune cost · seed 002 LoRA"] = (
        lambda n, s: finetune.finetune_uncertainty(case, n=n, seed=s).selected.cost_usd,
        False,
    )
    plan = risk.mitigation_inputs(PRESETS["Seed 001 §6 recommendation system"])
    found["plan NPV · seed 001 §6"] = (
        lambda n, s: mitigation.plan_uncertainty(plan, n=n, seed=s).npv_usd,
        False,
    )
    found["sizing recommended $ · seed 002"] = (
        lambda n, s: sizing.sizing_uncertainty(sizing.SizingInputs(), n=n, seed=s).recommended_usd,
        False,
    )
    found["Green Money $/year · seed 000"] = (
        lambda n, s: (
            greenmoney.green_money_uncertainty(
                greenmoney.GreenMoneyInputs(), n=n, seed=s
            ).dollars_saved_per_year
        ),
        False,
    )
    return found


def spread(values: list[float], points: bool) -> float:
    """max − min, in points for a score, else in percent of the median."""
    width = max(values) - min(values)
    return width if points else 100 * width / abs(statistics.median(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=None, help="default: the engine's")
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    from calculator.uncertainty import DEFAULT_SAMPLES

    n = args.samples or DEFAULT_SAMPLES
    print(f"N = {n:,} samples, {args.seeds} seeds; spread = max − min over the seeds")
    print(f"{'headline':<52} {'P10':>8} {'P90':>8} {'time':>8}")
    for name, (simulate, points) in headlines().items():
        simulate(n, 0)  # warm-up
        ranges, seconds = [], []
        for seed in range(1, args.seeds + 1):
            start = time.perf_counter()
            ranges.append(simulate(n, seed))
            seconds.append(time.perf_counter() - start)
        unit = " pt" if points else " %"
        p10 = spread([r.p10 for r in ranges], points)
        p90 = spread([r.p90 for r in ranges], points)
        ms = 1000 * statistics.median(seconds)
        print(f"{name:<52} {p10:>6.2f}{unit} {p90:>6.2f}{unit} {ms:>5.0f} ms")


if __name__ == "__main__":
    main()
