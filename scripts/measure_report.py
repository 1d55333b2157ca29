"""Measure how long the full PDF summary takes to build (issue 7: target < 3 s).

Three figures, each a median over ``--repeat`` builds where it can be repeated:

* ``cold process``: a fresh Python process imports the report and builds once (imports,
  vl-convert's engine start, font parsing and every chart included) — run in a subprocess;
* ``first build, warm process``: libraries imported, chart cache empty (the first click of
  a session in the running app);
* ``warm``: repeated builds in the same process (chart PNGs cached by spec).

The request is a full report (every section, defaults where nothing is configured) plus
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


def full_request():
    from calculator.report import ReportRequest

    return ReportRequest(
        scenario_name="Measure × full report ≈ €", full=True, bench_results=[BENCH, BENCH]
    )


def one_build(clear_cache: bool) -> tuple[float, float, int, int]:
    """(wall s, CPU s of this process, pages, bytes) of one full build."""
    import io

    from pypdf import PdfReader

    from calculator import report

    if clear_cache:
        report._PNG_CACHE.clear()
    t, c = time.perf_counter(), time.process_time()
    out = report.render_report(full_request())
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return wall, cpu, len(PdfReader(io.BytesIO(out.pdf)).pages), len(out.pdf)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--child", choices=("cold",), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "cold":
        t, c = time.perf_counter(), time.process_time()
        from calculator.report import render_report

        render_report(full_request())
        print(time.perf_counter() - t, time.process_time() - c)
        return 0

    cold = []
    for _ in range(max(1, args.repeat // 2)):
        out = subprocess.run(
            [sys.executable, __file__, "--child", "cold"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        cold.append(tuple(float(x) for x in out.stdout.split()[-2:]))
    import altair  # noqa: F401  the app has these loaded before anyone clicks
    import pandas  # noqa: F401

    first = one_build(clear_cache=True)
    first_runs = [first] + [one_build(clear_cache=True) for _ in range(args.repeat - 1)]
    warm = [one_build(clear_cache=False) for _ in range(args.repeat)]
    load = os.getloadavg()[0]

    def med(runs, i):
        return statistics.median(r[i] for r in runs)

    print(
        f"full report: {first[2]} pages, {first[3] / 1024:,.0f} KiB; {os.cpu_count()} CPUs, "
        f"load average {load:.1f} (wall time grows with other processes; CPU time much less)"
    )
    print(
        f"cold process (import + build), median of {len(cold)}: "
        f"wall {med(cold, 0):.2f} s, CPU {med(cold, 1):.2f} s"
    )
    print(
        f"first build in a warm process (chart cache empty; the first also starts vl-convert): "
        f"wall {first[0]:.2f} s; median of {len(first_runs)}: wall {med(first_runs, 0):.2f} s, "
        f"CPU {med(first_runs, 1):.2f} s"
    )
    print(
        f"warm (charts cached), median of {len(warm)}: wall {med(warm, 0):.2f} s "
        f"(min {min(r[0] for r in warm):.2f}, max {max(r[0] for r in warm):.2f}), "
        f"CPU {med(warm, 1):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
