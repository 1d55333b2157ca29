"""``scalerisk finetune``: full vs LoRA vs QLoRA memory, GPUs, time and dollars.

Examples::

    python -m calculator finetune --model Llama-2-7B --method lora --rank 8 \\
        --targets q_proj,v_proj --json
    python -m calculator finetune --layers 32 --hidden 4096 --intermediate 14336 --heads 32 \\
        --kv-heads 8 --vocab 128256 --method qlora --gpu "L4 24GB"
    python -m calculator finetune --model Llama-2-70B --method full --gpu "RTX 4090"  # comms-bound
    python -m calculator finetune --model Llama-2-70B --method full --gpu "RTX 4090" \\
        --inter-node-gbps 50
    python -m calculator finetune --list-models
    python -m calculator finetune --case-study --spread dataset_tokens=0.5 --spread seq_len=0.25

Ranges (issue 12): every run also simulates ``--samples`` draws (default 16,000, at least 100;
seed ``--seed``, default 2026, so the page, the CLI and the PDF agree) with MFU ×/÷ 1.3, the
GPU price ×/÷ 1.25, the link efficiency over nccl-tests' 0.44–0.76, the overlap over
0.25–0.75 and the QLoRA slowdown ×/÷ 1.15, plus the inputs marked ``--spread PATH=FRACTION``
(± FRACTION of the value, triangular).  Text output adds "likely P10–P90" rows under wall
time, GPU-hours and cost (memory and GPUs too when a spread moves them), the three inputs
that move the selected method's cost most, and the basis line; ``--json`` adds ``ranges``
and ``sensitivity``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import ValidationError

from calculator import finetune as ft
from calculator.cli.argtypes import add_simulation_arguments
from calculator.errors import InputError, describe_validation_error, load_model_file
from calculator.hardware import catalogue
from calculator.uncertainty import TornadoBar

ARCH_FLAGS = ("layers", "hidden", "intermediate", "heads", "kv_heads", "vocab")
LABEL_WIDTH = 42


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "finetune",
        help="fine-tuning memory, GPUs, time and cost: full vs LoRA vs QLoRA",
        description="Memory per GPU, GPUs needed, FLOPs, GPU-hours and dollars for full, LoRA "
        "and QLoRA fine-tuning of a decoder-only transformer.",
    )
    model = p.add_argument_group("model (a preset, or all six architecture flags)")
    model.add_argument("--model", help="preset name (see --list-models)")
    model.add_argument("--layers", type=int, help="decoder layers")
    model.add_argument("--hidden", type=int, help="hidden size")
    model.add_argument("--intermediate", type=int, help="MLP intermediate size")
    model.add_argument("--heads", type=int, help="attention heads")
    model.add_argument("--kv-heads", type=int, help="key/value heads (GQA)")
    model.add_argument("--vocab", type=int, help="vocabulary size")
    model.add_argument("--head-dim", type=int, help="per-head size (default hidden ÷ heads)")
    model.add_argument(
        "--tied-embeddings", action="store_true", help="output layer shares the embedding"
    )
    model.add_argument("--plain-mlp", action="store_true", help="non-gated MLP (up/down only)")
    model.add_argument("--qkv-bias", action="store_true", help="q/k/v projections have biases")
    m = p.add_argument_group("method and training")
    m.add_argument(
        "--method", choices=ft.METHODS, default=None, help="full, lora or qlora (default lora)"
    )
    m.add_argument("--rank", type=int, help="LoRA rank (default 8)")
    m.add_argument(
        "--targets", help="comma-separated target modules, or all-linear (default q_proj,v_proj)"
    )
    m.add_argument("--precision", choices=("bf16-mixed", "fp16-mixed", "fp32"))
    m.add_argument("--optimizer", choices=tuple(ft.OPTIMIZER_STATE_BYTES))
    m.add_argument("--seq-len", type=int, help="tokens per sequence (default 2048)")
    m.add_argument("--micro-batch", type=int, help="sequences per GPU per step (default 1)")
    m.add_argument("--no-checkpointing", action="store_true", help="disable gradient checkpointing")
    m.add_argument(
        "--no-flash-attention", action="store_true", help="attention stores the s×s matrix"
    )
    m.add_argument("--sharding", choices=("none", "zero1", "zero2", "zero3", "fsdp"))
    m.add_argument("--gpus", type=int, help="GPUs to use (default: the fewest that fit)")
    m.add_argument("--tokens", type=float, help="dataset tokens (default 1e8)")
    m.add_argument("--epochs", type=float, help="passes over the dataset (default 1)")
    h = p.add_argument_group("hardware and assumptions")
    h.add_argument("--gpu", help="GPU from the catalogue (see --list-gpus; default 'A100 80GB')")
    h.add_argument("--usd-per-hour", type=float, help="override the GPU's price per hour")
    h.add_argument("--mfu", type=float, help=f"achieved utilization (default {ft.DEFAULT_MFU})")
    h.add_argument(
        "--qlora-slowdown",
        type=float,
        help=f"QLoRA ÷ LoRA step time (default {ft.DEFAULT_QLORA_SLOWDOWN})",
    )
    h.add_argument(
        "--overhead-gb",
        type=float,
        help=f"framework overhead per GPU (default {ft.DEFAULT_OVERHEAD_GB})",
    )
    c = p.add_argument_group("communication (ZeRO / FSDP traffic over the interconnect)")
    c.add_argument(
        "--grad-accum",
        type=int,
        metavar="N",
        help="micro-batches per optimizer step (gradient accumulation, default 1)",
    )
    c.add_argument(
        "--bandwidth-efficiency",
        type=float,
        metavar="F",
        help=f"achieved ÷ datasheet link bandwidth (default {ft.DEFAULT_BANDWIDTH_EFFICIENCY})",
    )
    c.add_argument(
        "--comm-overlap",
        type=float,
        metavar="F",
        help="share of the shorter of compute and communication hidden: 1 = step is "
        f"the longer, 0 = their sum (default {ft.DEFAULT_COMM_OVERLAP})",
    )
    c.add_argument(
        "--intra-node-gbps",
        type=float,
        metavar="GB/s",
        help="override the link inside a node, GB/s per GPU per direction",
    )
    c.add_argument(
        "--inter-node-gbps",
        type=float,
        metavar="GB/s",
        help="override the link between nodes, GB/s per node per direction",
    )
    c.add_argument("--gpus-per-node", type=int, metavar="N", help="override the GPUs per node")
    r = p.add_argument_group("ranges (P10–P90 of a seeded simulation)")
    add_simulation_arguments(
        r,
        "mark an input as uncertain by ± FRACTION of its value, e.g. dataset_tokens=0.5 "
        "(repeatable; 0 = known exactly; marking mfu, usd_per_hour, bandwidth_efficiency, "
        "comm_overlap or qlora_slowdown replaces its assumed range; any of: "
        f"{', '.join(ft.SPREADABLE)})",
    )
    p.add_argument(
        "--input",
        metavar="FILE",
        help="JSON file of inputs (`scalerisk schema finetune`); flags override it",
    )
    p.add_argument("--case-study", action="store_true", help="start from seed 002's case study")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--list-models", action="store_true", help="list the model presets and exit")
    p.add_argument("--list-gpus", action="store_true", help="list the GPU catalogue and exit")
    p.set_defaults(func=run)


FLAG_FIELDS = {
    "method": "method",
    "rank": "rank",
    "precision": "precision",
    "optimizer": "optimizer",
    "seq_len": "seq_len",
    "micro_batch": "micro_batch",
    "sharding": "sharding",
    "gpus": "num_gpus",
    "tokens": "dataset_tokens",
    "epochs": "epochs",
    "gpu": "gpu",
    "usd_per_hour": "usd_per_hour",
    "mfu": "mfu",
    "qlora_slowdown": "qlora_slowdown",
    "overhead_gb": "overhead_gb",
    "grad_accum": "gradient_accumulation",
    "bandwidth_efficiency": "bandwidth_efficiency",
    "comm_overlap": "comm_overlap",
    "intra_node_gbps": "intra_node_gbps",
    "inter_node_gbps": "inter_node_gbps",
    "gpus_per_node": "gpus_per_node",
}


def build_inputs(args: argparse.Namespace) -> ft.FinetuneInputs:
    """Turn parsed flags (and an optional ``--input`` file) into :class:`FinetuneInputs`."""
    if args.input:
        data: dict[str, Any] = load_model_file(args.input, ft.FinetuneInputs).model_dump()
    elif args.case_study:
        data = ft.case_study_inputs().model_dump()
    else:
        data = {}
    given = [f for f in ARCH_FLAGS if getattr(args, f) is not None]
    if args.model and given:
        raise InputError("give either --model or the architecture flags, not both")
    if given:
        missing = [f"--{f.replace('_', '-')}" for f in ARCH_FLAGS if getattr(args, f) is None]
        if missing:
            raise InputError(f"a custom architecture also needs {', '.join(missing)}")
        arch = {f: getattr(args, f) for f in ARCH_FLAGS}
        arch.update(
            head_dim=args.head_dim,
            tied_embeddings=args.tied_embeddings,
            gated_mlp=not args.plain_mlp,
            qkv_bias=args.qkv_bias,
        )
        data.update(model="custom", architecture=arch)
    elif args.model:
        data.update(model=ft.get_preset(args.model).name, architecture=None)
    elif not (args.input or args.case_study):
        raise InputError(
            "give --model NAME (see --list-models) or a custom architecture "
            "(--layers --hidden --intermediate --heads --kv-heads --vocab)"
        )
    for flag, field in FLAG_FIELDS.items():
        value = getattr(args, flag)
        if value is not None:
            data[field] = value
    if args.targets is not None:
        data["targets"] = tuple(t.strip() for t in args.targets.split(",") if t.strip())
    if args.no_checkpointing:
        data["gradient_checkpointing"] = False
    if args.no_flash_attention:
        data["flash_attention"] = False
    try:
        return ft.FinetuneInputs.model_validate(data)
    except ValidationError as exc:
        raise InputError("invalid inputs:\n" + describe_validation_error(exc)) from None


def method_json(r: ft.MethodResult) -> dict[str, Any]:
    """The JSON object of one method's result."""
    return {
        "method": r.method,
        "total_params": r.total_params,
        "trainable_params": r.trainable_params,
        "trainable_share": r.trainable_share,
        "memory_gb": r.memory.as_dict(),
        "gpu_memory_gb": r.gpu_memory_gb,
        "fits": r.fits,
        "gpus_needed": r.gpus_needed,
        "gpus_used": r.gpus_used,
        "flops": r.flops.total_executed,
        "flops_model": r.flops.total_model,
        "flops_formula": r.flops.formula,
        "tokens": r.flops.tokens,
        "wall_hours": r.wall_hours,
        "compute_hours": r.compute_hours,
        "communication_hours": r.communication_hours,
        "exposed_communication_hours": r.exposed_communication_hours,
        "communication": {
            **r.communication.model_dump(mode="json"),
            "communication_bound": r.communication.bound,
        },
        "gpu_hours": r.gpu_hours,
        "cost_usd": r.cost_usd,
        "usd_per_gpu_hour": r.usd_per_gpu_hour,
        "warnings": list(r.warnings),
    }


def result_json(c: ft.FinetuneComparison) -> dict[str, Any]:
    """JSON of a comparison: the selected method's figures at top level, all three under
    ``methods``."""
    out = method_json(c.selected)
    out.update(
        model=c.inputs.model,
        gpu=c.selected.gpu_name,
        published_params=c.published_params,
        inputs=c.inputs.model_dump(mode="json"),
        methods={m: method_json(r) for m, r in c.methods.items()},
        warnings=list(c.warnings),
    )
    if c.case_study is not None:
        out["case_study"] = c.case_study.model_dump(mode="json")
    return out


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


def _method_ranges_json(m: ft.MethodRanges) -> dict[str, Any]:
    out: dict[str, Any] = {
        key: None if getattr(m, key) is None else getattr(m, key).as_dict()
        for key in ft.HEADLINE_LABELS
    }
    out["share_none_fit"] = m.share_none_fit
    return out


def ranges_json(u: ft.FinetuneUncertainty) -> dict[str, Any]:
    """``ranges`` ({p10, p50, p90} of the selected method's headlines at top level, every
    method's under ``methods``), ``sensitivity_of`` and ``sensitivity`` (tornado bars)."""
    ranges: dict[str, Any] = {"samples": u.samples, "seed": u.seed}
    ranges.update(_method_ranges_json(u.selected))
    ranges["memory_moves"] = u.memory_moves
    ranges["basis"] = u.basis
    ranges["methods"] = {m: _method_ranges_json(r) for m, r in u.methods.items()}
    return {
        "ranges": ranges,
        "sensitivity_of": u.tornado_of,
        "sensitivity": sensitivity_json(u.tornado),
    }


def render_text(c: ft.FinetuneComparison, u: ft.FinetuneUncertainty | None = None) -> str:
    """Human-readable summary: the comparison table (with "likely" P10–P90 rows when ``u``
    is given), what moves the cost most, the basis line, warnings and the case study."""
    lines = [
        f"{c.inputs.model}: {c.params.total:,} parameters"
        + (f" (published {c.published_params:,})" if c.published_params else ""),
        "",
    ]
    head = f"{'':{LABEL_WIDTH}}" + "".join(f"{ft.METHOD_LABELS[m]:>18}" for m in ft.METHODS)
    lines.append(head)

    def row(label: str, fn: Any) -> None:
        lines.append(
            f"{label:{LABEL_WIDTH}}" + "".join(f"{fn(c.methods[m]):>18}" for m in ft.METHODS)
        )

    texts = {m: ft.range_texts(u, m) for m in ft.METHODS} if u is not None else {}

    def likely(key: str) -> None:
        """A "likely (P10–P90)" row under the figure ``key``, where any method has one."""
        if any(key in t for t in texts.values()):
            lines.append(
                f"{'  likely (P10–P90)':{LABEL_WIDTH}}"
                + "".join(
                    f"  {texts[m].get(key, '').removeprefix('likely '):>16}" for m in ft.METHODS
                )
            )

    row("trainable params", lambda r: f"{r.trainable_params:,}")
    row("trainable share", lambda r: f"{r.trainable_share:.3%}")
    for comp in ft.MEMORY_COMPONENTS:
        row(
            f"  {ft.MEMORY_LABELS[comp]} (GB)",
            lambda r, comp=comp: f"{getattr(r.memory, comp):,.2f}",
        )
    row("memory per GPU (GB)", lambda r: f"{r.memory.total:,.2f}")
    likely("memory_gb")
    row("fits", lambda r: "yes" if r.fits else "no")
    row("GPUs needed", lambda r: "none fit" if r.gpus_needed is None else str(r.gpus_needed))
    likely("gpus_needed")
    row("GPUs used", lambda r: str(r.gpus_used))
    row("FLOPs", lambda r: f"{r.flops.total_executed:.3g}")
    row("compute time", lambda r: ft.fmt_hours(r.compute_hours))
    row("communication (transfers)", lambda r: ft.fmt_hours(r.communication_hours))
    row("  of which not hidden", lambda r: ft.fmt_hours(r.exposed_communication_hours))
    row("  bytes per GPU per step", lambda r: ft.fmt_bytes(r.communication.bytes_per_step))
    row("  transfers / compute per step", lambda r: f"{r.communication.comm_to_compute:,.2f}×")

    row("wall time", lambda r: ft.fmt_hours(r.wall_hours))
    likely("wall_hours")
    row("GPU-hours", lambda r: f"{r.gpu_hours:,.1f}")
    likely("gpu_hours")
    row("cost (USD)", lambda r: f"${r.cost_usd:,.0f}")
    likely("cost_usd")
    sel = c.selected
    lines.append(f"\nselected method: {ft.METHOD_LABELS[sel.method]} on {sel.gpu_name}")
    lines.append(f"interconnect: {sel.communication.link_description}")
    lines.append(f"communication: {sel.communication.pattern}")
    lines.append(
        f"per optimizer step: {ft.fmt_seconds(sel.communication.compute_s_per_step)} compute, "
        f"{ft.fmt_seconds(sel.communication.communication_s_per_step)} transfers, "
        f"{ft.fmt_seconds(sel.communication.step_s)} with {sel.communication.overlap:.0%} overlap; "
        f"{sel.communication.steps:,.0f} steps of "
        f"{sel.communication.global_batch_tokens:,.0f} tokens"
    )
    if u is not None:
        drivers = ft.drivers_text(u)
        if drivers:
            lines.append(drivers)
        lines.append(f"{u.basis} Likely: P10–P90 of {u.samples:,} simulations (seed {u.seed}).")
    for w in c.warnings:
        lines.append(f"warning: {w}")
    if c.case_study is not None:
        lines.append("\nseed 002 case study (quoted vs computed):")
        for r in c.case_study.rows:
            lines.append(
                f"  {ft.METHOD_LABELS[r.method]}: quoted {r.quoted_gpus} GPU × "
                f"{r.quoted_days:g} days, ${r.quoted_usd:,.0f}; computed {r.computed_gpus} GPU × "
                f"{r.computed_days:,.1f} days, "
                f"${r.computed_usd:,.0f}"
            )
        lines.extend(f"  - {e}" for e in c.case_study.explanation)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.list_models:
        for p in ft.PRESETS.values():
            a = p.architecture
            print(
                f"{p.name:18} {p.published_params:>16,} params  L={a.layers} h={a.hidden} "
                f"I={a.intermediate} heads={a.heads} kv={a.kv_heads} V={a.vocab}"
            )
        return 0
    if args.list_gpus:
        for g in catalogue():
            intra = (
                g.intra_node_link
                if g.intra_node_gbps is None
                else f"{g.intra_node_link}, {g.intra_node_gbps:g} GB/s per GPU"
            )
            print(
                f"{g.name:28} {g.memory_gb:>6g} GB  {g.peak_flops('bf16') / 1e12:>7g} TFLOP/s  "
                f"${g.usd_per_hour:.2f}/h  | {g.gpus_per_node} per node: {intra} "
                f"| between nodes: {g.inter_node_link}, {g.inter_node_gbps:g} GB/s per node"
            )
        return 0
    inputs = build_inputs(args)
    result = ft.compare_methods(inputs)
    try:
        ranges = ft.finetune_uncertainty(inputs, dict(args.spread), args.samples, args.seed)
    except ValueError as exc:
        raise InputError(f"--spread: {exc}") from None
    if args.json:
        data = result_json(result)
        data.update(ranges_json(ranges))
        print(json.dumps(data, indent=2, allow_nan=False))
    else:
        print(render_text(result, ranges))
    return 0
