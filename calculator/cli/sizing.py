"""``scalerisk sizing``: compute-optimal model size for a budget, a dataset or a model size.

Examples::

    python -m calculator sizing --compute-flops 5.76e23 --fit besiroglu2024 --json
    python -m calculator sizing --tokens 2e9             # optimal size for 2B tokens
    python -m calculator sizing --params 7e9 --fit rule20
    python -m calculator sizing --input what_if.json     # full what-if (schema: `schema sizing`)
    echo '{}' | python -m calculator sizing --input -                    # seed 002 case study
    echo '{}' | python -m calculator sizing --input - --purpose pretrain # … trained from scratch

The full what-if's text output starts with the verdict, then the key figures with every
warning indented under the figure it qualifies; ``--json`` carries the same warnings as
``warnings`` (sentences) and ``notes`` (sentence + the figure it qualifies).

Ranges (issue 12): every dollar and day figure carries its likely range, the P10–P90 of
``--samples`` simulations (seed ``--seed``) with MFU ×/÷ 1.3 and the GPU price ×/÷ 1.25 and
the inputs marked with ``--spread PATH=FRACTION`` uncertain; the top three inputs that move the
cost; the recommended size and the waste under each published fit (the spread between fits,
not a simulation).  ``--json`` adds ``ranges`` ({p10, p50, p90} per headline), ``fit_range``
and ``sensitivity`` (the tornado bars); every number in it is finite.

    echo '{}' | python -m calculator sizing --input - --purpose pretrain \
        --spread dataset_tokens=0.5 --spread proposal_params=0.3
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from calculator import sizing
from calculator.cli.argtypes import add_simulation_arguments, number
from calculator.errors import InputError, load_model_file
from calculator.hardware import get_gpu
from calculator.uncertainty import TornadoBar

TOP_DRIVERS = 3
"""Inputs the text output names as moving the cost most."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sizing",
        help="compute-optimal (Chinchilla) model size",
        description="Compute-optimal parameters and tokens for a FLOP budget, the optimal model "
        "size for a dataset, or the optimal training tokens for a model size.",
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--compute-flops",
        type=number(1e12, 1e30, positive=True, unit="FLOP"),
        metavar="C",
        help="training budget in FLOPs",
    )
    what.add_argument(
        "--tokens",
        type=number(1e3, 1e15, positive=True, unit="tokens"),
        metavar="D",
        help="usable training tokens",
    )
    what.add_argument(
        "--params",
        type=number(1e3, 1e14, positive=True, unit="parameters"),
        metavar="N",
        help="model parameters",
    )
    what.add_argument(
        "--input",
        metavar="FILE",
        help="what-if inputs as a JSON file ('-': standard input; '{}' = seed 002's case study, "
        "a fine-tune): run the full what-if",
    )
    p.add_argument(
        "--fit",
        choices=list(sizing.FITS),
        default=sizing.DEFAULT_FIT,
        help=f"scaling fit (default {sizing.DEFAULT_FIT})",
    )
    p.add_argument(
        "--gpu", default="H100 80GB", help="GPU used to price the run (default H100 80GB)"
    )
    p.add_argument(
        "--mfu",
        type=number(0, 1, positive=True),
        default=0.4,
        help="achieved utilisation, 0-1 (default 0.4)",
    )
    p.add_argument(
        "--purpose",
        choices=list(sizing.PURPOSE_LABELS),
        default=None,
        help="with --input: override the file's purpose — pretrain (train from scratch: "
        "compute-optimal waste applies) or finetune (it does not)",
    )
    add_simulation_arguments(
        p,
        "with --input: mark an input as uncertain by ± FRACTION of its value, e.g. "
        "dataset_tokens=0.5 (repeatable; any numeric input the what-if uses: "
        f"{', '.join(sizing.SPREADABLE)})",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run, parser=p)


def solve(args: argparse.Namespace) -> dict:
    """The JSON object for the ``--compute-flops/--tokens/--params`` modes."""
    fit = sizing.get_fit(args.fit)
    if args.compute_flops is not None:
        mode, (n, d) = "compute", sizing.compute_optimal(args.compute_flops, fit)
    elif args.tokens is not None:
        mode, (n, d) = "tokens", sizing.optimal_for_tokens(args.tokens, fit)
    else:
        mode, (n, d) = "params", sizing.optimal_for_params(args.params, fit)
    gpu = get_gpu(args.gpu)
    c = sizing.training_flops(n, d)
    hours = sizing.gpu_hours(c, gpu.peak_flops("bf16"), args.mfu)
    return {
        "fit": fit.key,
        "given": mode,
        "params": n,
        "tokens": d,
        "compute_flops": c,
        "tokens_per_param": d / n,
        "loss": sizing.predicted_loss(n, d, fit),
        "gpu": gpu.name,
        "mfu": args.mfu,
        "gpu_hours": hours,
        "cost_usd": hours * gpu.usd_per_hour,
    }


def sensitivity_json(bars: tuple[TornadoBar, ...]) -> list[dict[str, Any]]:
    """Tornado bars as JSON: each input at its low and high end, the others at base."""
    return [
        {
            "input": b.label,
            "key": b.key,
            "source": b.source,
            "input_low": b.input_low,
            "input_high": b.input_high,
            "low": b.low,
            "high": b.high,
            "swing": b.swing,
        }
        for b in bars
    ]


def ranges_json(u: sizing.SizingUncertainty) -> dict[str, Any]:
    """``ranges`` ({p10, p50, p90} per headline, null where it does not apply), ``fit_range``
    (min–max over the published fits and each fit's figures) and ``sensitivity``."""
    ranges: dict[str, Any] = {"samples": u.samples, "seed": u.seed}
    for key in sizing.HEADLINES:
        r = getattr(u, key)
        ranges[key] = None if r is None else r.as_dict()
    ranges["share_moves"] = u.share_moves
    ranges["basis"] = u.basis
    return {
        "ranges": ranges,
        "fit_range": {
            "what": "the spread between the published fits (all else equal), not a simulation",
            "recommended_params": None if u.fit_params is None else u.fit_params.model_dump(),
            "wasted_share": None if u.fit_share is None else u.fit_share.model_dump(),
            "fits": [f.model_dump() for f in u.fits],
        },
        "sensitivity_of": u.tornado_of,
        "sensitivity": sensitivity_json(u.tornado),
    }


def drivers_line(bars: tuple[TornadoBar, ...], of: str) -> str | None:
    """``"What moves the proposal's cost most: MFU ($257–$435), …"`` (top three), or None."""
    moving = [b for b in bars if b.swing > 0][:TOP_DRIVERS]
    if not moving:
        return None
    parts = [
        f"{b.label} ({sizing.fmt_usd(min(b.low, b.high))}–{sizing.fmt_usd(max(b.low, b.high))})"
        for b in moving
    ]
    return f"What moves {of} most: " + "; ".join(parts)


def _full_what_if(args: argparse.Namespace) -> int:
    inputs = load_model_file(args.input, sizing.SizingInputs)
    if args.purpose is not None:
        inputs = sizing.SizingInputs.model_validate(
            {**inputs.model_dump(), "purpose": args.purpose}
        )
    result = sizing.evaluate_sizing(inputs)
    try:
        ranges = sizing.sizing_uncertainty(inputs, dict(args.spread), args.samples, args.seed)
    except ValueError as exc:
        raise InputError(f"--spread: {exc}") from None
    if args.json:
        data = json.loads(result.model_dump_json(exclude={"iso_flop", "tokens_per_param_curve"}))
        data.update(ranges_json(ranges))
        print(json.dumps(data, indent=2, allow_nan=False))
        return 0
    print(result.verdict_text)
    for label, value in sizing.key_figures(result, ranges):
        # a note qualifies the figure above it: indent it under that figure
        print(f"  {label}: {value}" if label == "Note" else f"{label}: {value}")
    if result.advice:
        print(result.advice)
    drivers = drivers_line(ranges.tornado, ranges.tornado_of)
    if drivers:
        print(drivers)
    print(
        f"{ranges.basis} Likely: P10–P90 of {ranges.samples:,} simulations (seed {ranges.seed}); "
        "the range across the fits is the spread between published fits, not a simulation."
    )
    return 0


def run(args: argparse.Namespace) -> int:
    if args.purpose is not None and args.input is None:
        args.parser.error("--purpose needs --input (the other modes size a model from scratch)")
    if args.spread and args.input is None:
        args.parser.error(
            "--spread needs --input (it marks an input of the full what-if; the other modes "
            "carry MFU and price ranges only)"
        )
    if args.input is not None:
        return _full_what_if(args)
    out = solve(args)
    gpu = get_gpu(args.gpu)
    given = {"compute": "the FLOP budget", "tokens": "the tokens", "params": "the model size"}
    cost = sizing.run_cost_uncertainty(
        out["compute_flops"],
        gpu.peak_flops("bf16"),
        args.mfu,
        gpu.usd_per_hour,
        args.samples,
        args.seed,
        given=(given[out["given"]],),
    )
    if args.json:
        out["ranges"] = {
            "samples": cost.samples,
            "seed": cost.seed,
            "gpu_hours": cost.gpu_hours.as_dict(),
            "cost_usd": cost.cost_usd.as_dict(),
            "basis": cost.basis,
        }
        out["sensitivity"] = sensitivity_json(cost.tornado)
        print(json.dumps(out, indent=2, allow_nan=False))
        return 0
    f = sizing.fmt_count
    c = cost.cost_usd
    print(f"fit: {sizing.FITS[out['fit']].label}")
    print(f"params: {f(out['params'], 'parameters')}")
    print(f"tokens: {f(out['tokens'], 'tokens')}")
    print(f"compute: {f(out['compute_flops'], 'FLOP')}")
    print(f"tokens per parameter: {out['tokens_per_param']:.3g}")
    print(
        "loss: "
        + ("not defined by this fit" if out["loss"] is None else f"{out['loss']:.4f} nats/token")
    )
    print(
        f"cost on {out['gpu']} at {out['mfu']:.0%} MFU: {f(out['gpu_hours'], 'GPU-h')}, "
        f"{sizing.fmt_usd(out['cost_usd'])} (likely {sizing.fmt_usd(c.p10)}–"
        f"{sizing.fmt_usd(c.p90)})"
    )
    drivers = drivers_line(cost.tornado, "the cost")
    if drivers:
        print(drivers)
    print(f"{cost.basis} Likely: P10–P90 of {cost.samples:,} simulations (seed {cost.seed}).")
    return 0
