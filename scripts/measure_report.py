"""Measure how long the full PDF summary takes to build (issue 7: target < 3 s).

Figures, each a median over ``--repeat`` builds, chart renderers side by side in one run
(interleaved, so machine noise hits each alike):

* ``first build``: libraries imported and chart workers started (the app starts them in the
  background after its first page), chart cache empty — the first click of a session —
  with 0 (charts rendered in this process), 1 and 2 chart worker processes;
* ``cold process``: a fresh Python process starts the workers, imports the report and
  builds once, as ``python -m calculator report`` does — 0 and the default workers;
* ``warm``: repeated builds in the same process (chart PNGs cached by spec).

The scenario is a full report (every section, defaults where nothing is configured) plus
two benchmark results.  Usage: ``python scripts/measure_report.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH = {
    "device": {"kind": "cpu", "name": "this machine", "cpu_cores": os.cpu_count()},
    "runs": [
        {
            "model": "minilm-l6",
            "weights": "pretrained",
            "mode": "reference",
            "precision": "fp32",
            "batch_size": 32,
            "items": 100,
            "items_per_second": 27.0,
            "tokens_per_second": 6700.0,
            "p50_batch_ms": 1150.0,
            "p95_batch_ms": 1300.0,
        },
        {
            "model": "e5-base",
            "weights": "synthetic",
            "mode": "reference",
            "precision": "fp32",
            "batch_size": 32,
            "items": 50,
            "items_per_second": 3.3,
            "tokens_per_second": 815.0,
            "p50_batch_ms": 9600.0,
            "p95_batch_ms": 9900.0,
        },
    ],
    "scaling_penalty": 27.0 / 3.3,
}


def full_scenario():
    from bench.protocol import BenchResult
    from calculator.scenario import Scenario

    run = BenchResult.model_validate(BENCH)
    return Scenario(name="Measure × full report ≈ €", bench_results=(run, run))


def build_full():
    """The full report of :func:`full_scenario`, as a session never answered builds it."""
    from calculator import report

    return report.render(full_scenario(), full=True, answered=False)


def one_build(clear_cache: bool) -> tuple[float, float, int, int]:
    """(wall s, CPU s of this process, pages, bytes) of one full build."""
    import io

    from pypdf import PdfReader

    from calculator.report import png

    if clear_cache:
        png.clear_cache()
    t, c = time.perf_counter(), time.process_time()
    out = build_full()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return wall, cpu, len(PdfReader(io.BytesIO(out.pdf)).pages), len(out.pdf)


def cold_build(workers: int) -> tuple[float, float]:
    """(wall s, CPU s of the parent) of a fresh process doing what the CLI does."""
    env = {**os.environ, "SCALERISK_CHART_WORKERS": str(workers)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", "cold"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env=env,
    )
    wall, cpu = (float(x) for x in out.stdout.split()[-2:])
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--child", choices=("cold",), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "cold":
        t, c = time.perf_counter(), time.process_time()
        from calculator.report import warm_up

        warm_up()  # as calculator/cli/report.py does, once the scenario is read
        build_full()
        print(time.perf_counter() - t, time.process_time() - c)
        return 0

    import altair  # noqa: F401  the app has these loaded before anyone clicks
    import pandas  # noqa: F401

    from calculator import chart_png

    sizes = (0, 1, 2)
    pools = {n: chart_png.PngWorkers(n) for n in sizes}
    for pool in pools.values():
        pool.warm_up()
    chart_png.render(chart_png.WARM_UP_SPEC, 1.0)  # the in-process engine too
    time.sleep(3)  # let every engine finish starting, as the app's 5 s warm-up does
    first: dict[int, list] = {n: [] for n in sizes}
    for _ in range(args.repeat):
        for n in sizes:
            chart_png.WORKERS = pools[n]
            first[n].append(one_build(clear_cache=True))
    chart_png.WORKERS = pools[chart_png.default_size()]
    warm = [one_build(clear_cache=False) for _ in range(args.repeat)]
    default = chart_png.default_size()
    cold: dict[int, list] = {0: [], default: []}
    for _ in range(max(1, args.repeat // 2)):
        for n in cold:
            cold[n].append(cold_build(n))
    for pool in pools.values():
        pool.close()
    load = os.getloadavg()[0]

    def med(runs, i=0):
        return statistics.median(r[i] for r in runs)

    pages, size = first[0][0][2], first[0][0][3]
    print(
        f"full report: {pages} pages, {size / 1024:,.0f} KiB; {os.cpu_count()} CPUs, "
        f"load average {load:.1f} (wall time grows with other processes)"
    )
    base = med(first[0])
    for n in sizes:
        print(
            f"first build, {n} chart worker(s), median of {len(first[n])}: "
            f"wall {med(first[n]):.2f} s (min {min(r[0] for r in first[n]):.2f}, "
            f"max {max(r[0] for r in first[n]):.2f}), CPU of this process "
            f"{med(first[n], 1):.2f} s; {base / med(first[n]):.2f}× in-process speed"
        )
    print(
        f"warm (charts cached), median of {len(warm)}: wall {med(warm):.2f} s "
        f"(min {min(r[0] for r in warm):.2f}, max {max(r[0] for r in warm):.2f})"
    )
    for n, runs in cold.items():
        print(
            f"cold process (start, import, build), {n} chart worker(s), median of {len(runs)}: "
            f"wall {med(runs):.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
