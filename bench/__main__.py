"""``python -m bench`` — the live embedding benchmark's command line.

    python -m bench [--models minilm-l6,e5-base] [--items N] [--passes P] [--corpus PATH]
                    [--corpus-field F] [--mode reference|tuned] [--batch-size B]
                    [--precision fp32|fp16|bf16]
                    [--device auto|cpu|cuda|mps] [--offline] [--json | --jsonl]
                    [--history PATH | --no-history]
    python -m bench history [--csv] [--json] [--compare ID ID …] [--history PATH]
    python -m bench device [--json]

Throughput is the median of ``--passes`` timed passes (default 3) with its IQR; a run with fewer
items than one batch, a single pass, or passes more than ±10% apart is reported as not
trustworthy (``trusted`` / ``trust_note`` in the JSON).

Exit codes: 0 done; 1 failed during the run; 2 bad input (corpus, model, option);
75 another benchmark is running; 130 cancelled.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from typing import Any

from pydantic import ValidationError

from bench.process import EXIT_BUSY, EXIT_CANCELLED, EXIT_INPUT, BenchLock
from bench.protocol import (
    SYNTHETIC_LABEL,
    BenchConfig,
    BenchResult,
    CandidateEvent,
    ErrorEvent,
    Event,
    ProgressEvent,
    RunEvent,
    StatusEvent,
)
from calculator.errors import InputError, describe_validation_error


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with one line, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def build_run_parser() -> argparse.ArgumentParser:
    defaults = BenchConfig()
    p = _Parser(
        prog="python -m bench",
        description=(
            "Benchmark a small and a large embedding model on this machine and report the scaling "
            "penalty "
            "(seed 000). Sub-commands: 'history' and 'device' (python -m bench history --help)."
        ),
    )
    p.add_argument(
        "--models",
        default=",".join(defaults.models),
        help="comma-separated registry names, small first (default: %(default)s)",
    )
    p.add_argument(
        "--items", type=int, default=defaults.items, help="texts per model (default: %(default)s)"
    )
    p.add_argument(
        "--passes",
        type=int,
        default=defaults.passes,
        help="timed passes per model; items/s is their median (default: %(default)s)",
    )
    p.add_argument(
        "--corpus", metavar="PATH", help="your texts: .txt (one per line), .csv or .jsonl"
    )
    p.add_argument(
        "--corpus-field", metavar="F", help="column (.csv) or field (.jsonl) with the text"
    )
    p.add_argument("--mode", choices=("reference", "tuned"), default="reference")
    p.add_argument("--batch-size", type=int, metavar="B")
    p.add_argument("--precision", choices=("fp32", "fp16", "bf16"))
    p.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="auto")
    p.add_argument("--seed", type=int, default=0, help="seed of the generated corpus")
    p.add_argument("--offline", action="store_true", help="never contact the Hugging Face hub")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the result as one JSON document")
    out.add_argument("--jsonl", action="store_true", help="stream JSON-lines events on stdout")
    p.add_argument("--history", metavar="PATH", help="SQLite history file (default: user data dir)")
    p.add_argument("--no-history", action="store_true", help="do not store this run")
    p.add_argument("--config-json", help=argparse.SUPPRESS)  # the app passes a whole BenchConfig
    return p


def config_from_args(args: argparse.Namespace) -> BenchConfig:
    if args.config_json:
        return BenchConfig.model_validate_json(args.config_json)
    return BenchConfig(
        models=tuple(m.strip() for m in args.models.split(",") if m.strip()),
        items=args.items,
        passes=args.passes,
        corpus_path=args.corpus,
        corpus_field=args.corpus_field,
        mode=args.mode,
        batch_size=args.batch_size,
        precision=args.precision,
        device=args.device,
        seed=args.seed,
        offline=args.offline,
    )


class ProgressBar:
    """A one-line progress bar on stderr (redrawn in place on a terminal, sparse lines
    otherwise)."""

    def __init__(self, stream: Any = None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._last_key: tuple | None = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, StatusEvent):
            self._line(event.message, newline=True)
        elif isinstance(event, CandidateEvent):
            c = event.candidate
            verdict = "ok" if c.accepted else f"rejected: {c.reason}"
            ips = f"{c.items_per_second:.1f} items/s" if c.items_per_second else "—"
            fid = f", cosine {c.fidelity_cosine:.5f}" if c.fidelity_cosine is not None else ""
            self._line(f"  tried {c.setting}: {ips}{fid} ({verdict})", newline=True)
        elif isinstance(event, ProgressEvent):
            done, total = event.done, event.total
            width = 24
            filled = int(width * done / total) if total else width
            eta = f" ETA {event.eta_s:.0f} s" if event.eta_s is not None else ""
            text = (
                f"[{event.model}] {event.phase:<7} |{'█' * filled}{'·' * (width - filled)}| "
                f"{done}/{total} {event.elapsed_s:.1f} s{eta}"
            )
            if self.tty:
                self._line(text, newline=False)
            else:  # one line per phase and per quarter
                key = (event.model, event.phase, 4 * done // max(total, 1))
                if key != self._last_key:
                    self._last_key = key
                    self._line(text, newline=True)
        elif isinstance(event, RunEvent):
            r = event.run
            self._line(
                f"[{r.model}] {throughput_text(r.model_dump())} ({r.precision}, "
                f"batch {r.batch_size})",
                newline=True,
            )
            if not r.trusted:
                self._line(f"  not trustworthy: {r.trust_note}", newline=True)

    def _line(self, text: str, newline: bool) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + text + ("\n" if newline else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _jsonl(event: Event) -> None:
    sys.stdout.write(event.model_dump_json() + "\n")
    sys.stdout.flush()


def throughput_text(run: dict) -> str:
    """'27.0 items/s (median of 3 passes, IQR 0.4)', or the bare figure for a single pass.

    >>> throughput_text({"items_per_second": 27.0, "passes": 3, "items_per_second_iqr": 0.42})
    '27.0 items/s (median of 3 passes, IQR 0.42)'
    """
    text = f"{run['items_per_second']:.1f} items/s"
    if run.get("passes", 1) > 1 and run.get("items_per_second_iqr") is not None:
        text += f" (median of {run['passes']} passes, IQR {run['items_per_second_iqr']:.2g})"
    return text


def format_result(result: BenchResult) -> str:
    """Human-readable summary table of a result."""
    lines = [
        f"Device: {result.device.name} ({result.device.kind})",
        f"Corpus: {result.corpus.get('source', '?')}",
        "",
    ]
    head = (
        f"{'model':<10} {'weights':<10} {'mode':<9} {'prec':<5} {'batch':>5} {'items':>6} "
        f"{'items/s':>9} "
        f"{'IQR':>7} {'passes':>6} {'tokens/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'peak MB':>8} "
        f"{'cosine':>8} "
        f"{'% peak':>7} {'trusted':>7}"
    )
    lines += [head, "-" * len(head)]
    for r in result.runs:
        cos = f"{r.fidelity_cosine:.5f}" if r.fidelity_cosine is not None else "—"
        share = f"{100 * r.peak_flops_share:.1f}" if r.peak_flops_share is not None else "—"
        mem = f"{r.peak_memory_mb:.0f}" if r.peak_memory_mb is not None else "—"
        iqr = f"{r.items_per_second_iqr:.2g}" if r.items_per_second_iqr is not None else "—"
        lines.append(
            f"{r.model:<10} {r.weights:<10} {r.mode:<9} {r.precision:<5} {r.batch_size:>5} "
            f"{r.items:>6} "
            f"{r.items_per_second:>9.1f} {iqr:>7} {r.passes:>6} {r.tokens_per_second:>9.0f} "
            f"{r.p50_batch_ms:>8.1f} {r.p95_batch_ms:>8.1f} {mem:>8} {cos:>8} {share:>7} "
            f"{'yes' if r.trusted else 'NO':>7}"
        )
    if any(r.weights == "synthetic" for r in result.runs):
        lines.append(f"\nsynthetic = {SYNTHETIC_LABEL}")
    lines.append("\nitems/s = median of the timed passes; IQR = P75 − P25 of the passes' items/s.")
    for r in result.runs:
        if not r.trusted:
            lines.append(f"{r.model} not trustworthy: {r.trust_note}")
    if result.scaling_penalty is not None:
        mark = "" if result.scaling_penalty_trusted else "  NOT TRUSTWORTHY (see above)"
        lines.append(
            f"\nScaling penalty ({result.runs[0].model} ÷ {result.runs[-1].model} items/s): "
            f"{result.scaling_penalty:.2f}×{mark}  (seed 000: M2 Pro 1.56×, DGX Spark 1.01×)"
        )
    return "\n".join(lines)


def _on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def run_main(argv: list[str]) -> int:
    args = build_run_parser().parse_args(argv)
    emit_error = (
        (lambda kind, msg: _jsonl(ErrorEvent(kind=kind, message=msg)))
        if args.jsonl
        else (lambda kind, msg: print(f"bench: error: {msg}", file=sys.stderr))
    )
    try:
        config = config_from_args(args)
    except ValidationError as exc:
        emit_error("input", "invalid options:\n" + describe_validation_error(exc))
        return EXIT_INPUT
    lock = BenchLock()
    if not lock.acquire():
        emit_error(
            "busy", "Another benchmark is already running on this machine; wait for it to finish."
        )
        return EXIT_BUSY
    signal.signal(signal.SIGTERM, _on_sigterm)
    bar = ProgressBar()

    def emit(event: Event) -> None:
        if args.jsonl:
            _jsonl(event)
        else:
            bar(event)

    try:
        from bench.runner import BenchError, run_benchmark  # imports torch lazily

        started = time.perf_counter()
        try:
            result = run_benchmark(config, emit)
        except InputError as exc:
            emit_error("input", str(exc))
            return EXIT_INPUT
        except BenchError as exc:
            emit_error(exc.kind, str(exc))
            return 1
        if not args.no_history:
            from bench.history import History

            try:
                History(args.history).add(result, config)
            except Exception as exc:  # noqa: BLE001 — a history failure must not lose the result
                print(
                    f"bench: warning: could not store the run in the history: {exc}",
                    file=sys.stderr,
                )
        if args.json:
            print(result.model_dump_json(indent=2))
        elif not args.jsonl:
            print(format_result(result))
            print(f"\n({time.perf_counter() - started:.0f} s in all)", file=sys.stderr)
        return 0
    except KeyboardInterrupt:
        emit_error("cancelled", "Benchmark cancelled.")
        return EXIT_CANCELLED
    except Exception as exc:  # noqa: BLE001 — one clear line, the traceback on stderr
        import traceback

        traceback.print_exc(file=sys.stderr)
        emit_error("crash", f"The benchmark failed: {type(exc).__name__}: {exc}")
        return 1
    finally:
        lock.release()


def history_main(argv: list[str]) -> int:
    from bench.history import History, dumps, summary_line

    p = _Parser(
        prog="python -m bench history", description="List, compare or export stored benchmark runs."
    )
    p.add_argument("--history", metavar="PATH", help="SQLite history file (default: user data dir)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="CSV, one line per model run")
    fmt.add_argument("--json", action="store_true", help="JSON list of stored runs")
    p.add_argument(
        "--compare", type=int, nargs="+", metavar="ID", help="compare these runs (first = baseline)"
    )
    p.add_argument("--limit", type=_positive_int, help="newest N runs only (N ≥ 1)")
    args = p.parse_args(argv)
    history = History(args.history)
    try:
        return _history_output(args, history, dumps, summary_line)
    except InputError as exc:
        print(f"bench history: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    finally:
        for problem in history.unreadable:
            print(f"bench history: warning: stored run {problem} (left out)", file=sys.stderr)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def _history_output(args: argparse.Namespace, history: Any, dumps: Any, summary_line: Any) -> int:
    if args.compare:
        try:
            rows = history.compare(args.compare)
        except KeyError as exc:
            print(f"bench history: error: {exc.args[0]}", file=sys.stderr)
            return EXIT_INPUT
        if args.csv:
            import csv

            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        else:
            for r in rows:
                rel = f"{r['relative_to_first']:.2f}×" if r["relative_to_first"] else "—"
                print(
                    f"#{r['run_id']} {r['machine']} {r['model']} {r['mode']} {r['precision']}: "
                    f"{r['items_per_second']:.1f} items/s ({rel} of #{args.compare[0]})"
                )
        return 0
    if args.csv:
        sys.stdout.write(history.to_csv())
        return 0
    entries = history.list(args.limit)
    if args.json:
        print(dumps(entries))
    elif not entries:
        print(f"No runs stored in {history.path} yet.")
    else:
        for e in entries:
            print(summary_line(e))
    return 0


def device_main(argv: list[str]) -> int:
    p = _Parser(
        prog="python -m bench device",
        description="Detect the accelerator this benchmark would use.",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="auto")
    args = p.parse_args(argv)
    from bench.device import detect

    try:
        info = detect(args.device)
    except InputError as exc:
        print(f"bench device: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if args.json:
        print(info.model_dump_json())
    else:
        print(f"{info.kind}: {info.name}")
        for key in ("memory_gb", "compute_capability", "cpu_cores", "torch_version"):
            if getattr(info, key) is not None:
                print(f"  {key}: {getattr(info, key)}")
        print(f"  features: {', '.join(info.features) or '—'}")
        if info.peak_flops:
            print(
                "  peak: "
                + ", ".join(f"{k} {v / 1e12:.1f} TFLOP/s" for k, v in info.peak_flops.items())
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "history":
        return history_main(argv[1:])
    if argv and argv[0] == "device":
        return device_main(argv[1:])
    return run_main(argv)


if __name__ == "__main__":
    sys.exit(main())
