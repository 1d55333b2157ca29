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
"""

from __future__ import annotations

import argparse
import json

from calculator import sizing
from calculator.cli.argtypes import number
from calculator.errors import load_model_file
from calculator.hardware import get_gpu


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


def run(args: argparse.Namespace) -> int:
    if args.purpose is not None and args.input is None:
        args.parser.error("--purpose needs --input (the other modes size a model from scratch)")
    if args.input is not None:
        inputs = load_model_file(args.input, sizing.SizingInputs)
        if args.purpose is not None:
            inputs = sizing.SizingInputs.model_validate(
                {**inputs.model_dump(), "purpose": args.purpose}
            )
        result = sizing.evaluate_sizing(inputs)
        if args.json:
            print(result.model_dump_json(indent=2, exclude={"iso_flop", "tokens_per_param_curve"}))
        else:
            print(result.verdict_text)
            for label, value in sizing.key_figures(result):
                # a note qualifies the figure above it: indent it under that figure
                print(f"  {label}: {value}" if label == "Note" else f"{label}: {value}")
            if result.advice:
                print(result.advice)
        return 0
    out = solve(args)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    f = sizing.fmt_count
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
        f"{sizing.fmt_usd(out['cost_usd'])}"
    )
    return 0
