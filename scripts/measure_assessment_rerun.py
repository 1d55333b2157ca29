"""Measure the assessment page's rerun time in AppTest after changing one answer (issue 2: median <
150 ms).

Each sample sets the cache hit rate to a value not seen before (so the assessment and its
charts are recomputed — the honest case for "the user changed an answer") and times
``at.run()`` with ``perf_counter``.  Two warm-up reruns are excluded.  Prints the raw samples,
median, IQR and p95, then the same for reruns that hit the page cache (returning to a
value already seen).

Usage: ``.venv/bin/python scripts/measure_assessment_rerun.py [samples]`` (default 20).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
KEY = "w.assess.inference.cache_hit_rate"


def _summary(label: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    q = statistics.quantiles(ms, n=20) if len(ms) >= 2 else ms * 19
    p25, p75 = statistics.quantiles(ms, n=4)[0], statistics.quantiles(ms, n=4)[2]
    return (
        f"{label}: n={len(ms)} median {statistics.median(ms):.1f} ms, IQR {p25:.1f}–{p75:.1f} ms, "
        f"p95 {q[18]:.1f} ms, min {ms[0]:.1f} ms\n  samples (ms): "
        f"{', '.join(f'{x:.1f}' for x in ms)}"
    )


def measure(n: int = 20) -> tuple[list[float], list[float]]:
    """(recomputing reruns, cached reruns), seconds each."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if at.exception:
        raise SystemExit(f"page raised: {at.exception}")
    values = [round(0.01 * i, 2) for i in range(1, n + 3)]
    fresh: list[float] = []
    for i, v in enumerate(values):
        at.number_input(key=KEY).set_value(v)
        t0 = time.perf_counter()
        at.run()
        dt = time.perf_counter() - t0
        if i >= 2:  # warm-up excluded
            fresh.append(dt)
    cached: list[float] = []
    for v in values[2:]:
        at.number_input(key=KEY).set_value(v)
        t0 = time.perf_counter()
        at.run()
        cached.append(time.perf_counter() - t0)
    if at.exception:
        raise SystemExit(f"page raised: {at.exception}")
    return fresh, cached


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 20
    fresh, cached = measure(n)
    print(_summary("rerun after changing one answer (recomputed)", fresh))
    print(_summary("rerun returning to a previous answer (page cache hit)", cached))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
