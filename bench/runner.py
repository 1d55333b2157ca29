"""Run the benchmark: warm-up, timed batches, raw samples, the tuned-mode search.

Measurement (DESIGN.md §7):

* texts are sorted by length, longest first, and cut into batches exactly as
  ``SentenceTransformer.encode`` does; each batch is tokenised, moved to the device,
  embedded under ``torch.inference_mode`` and copied back to the CPU;
* the clock (:func:`time.perf_counter`) is read after a device synchronisation;
* warm-up batches are run first and excluded; every timed batch's seconds are kept;
* the texts are timed in :attr:`BenchConfig.passes` passes (3 by default); a pass's items/s =
  items ÷ Σ its batch seconds, and the run's items/s is the median of the passes, with their
  IQR and relative spread (:func:`bench.stats.relative_spread`) beside it; a run with fewer
  items than a batch, a single pass or passes more than ±10% apart is marked untrusted
  (:func:`bench.stats.trust`);
* tokens/s counts real tokens (attention mask), not padding.

Modes:

* ``reference`` — ``encode()`` semantics: fp32, batch 32 (overridable);
* ``tuned`` — tries the precisions this device supports (and int8 dynamic quantisation on
  CPUs), then batch sizes, on a probe of the texts; every setting's embeddings are compared
  with fp32's on the same texts and a setting whose mean cosine is below
  :data:`bench.protocol.MIN_FIDELITY_COSINE` is rejected; the fastest accepted one runs
  the full workload.

On CUDA out-of-memory the batch is halved and the run continues.

Test hooks (env ``SCALERISK_BENCH_FAULT``, comma-separated): ``crash`` (the process kills
itself with SIGKILL after its first timed batch, like the kernel's OOM killer would),
``slow:SECONDS`` (sleep after each batch), ``oom-above:N`` (raise torch's OOM error for
batches larger than N, to exercise the halving without a GPU).
"""

from __future__ import annotations

import copy
import gc
import os
import signal
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import stats
from bench.corpus import corpus_texts
from bench.device import detect, supported_precisions, torch_device
from bench.models import LoadedModel, get_spec, load, non_embedding_params
from bench.protocol import (
    MIN_FIDELITY_COSINE,
    REFERENCE_BATCH,
    SYNTHETIC_LABEL,
    BenchConfig,
    BenchResult,
    Candidate,
    CandidateEvent,
    DeviceEvent,
    DeviceInfo,
    Event,
    ProgressEvent,
    ResultEvent,
    RunEvent,
    RunResult,
    StatusEvent,
)
from calculator.errors import InputError

Emit = Callable[[Event], None]

FIDELITY_TEXTS = 32  # texts compared with fp32 for each setting
PROBE_REPEATS = 2  # timed passes per accepted tuning candidate (the fastest counts)


class BenchError(RuntimeError):
    """A benchmark failure with an error ``kind`` of the protocol (oom, crash …)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


FAULTS = {"crash": None, "slow": float, "oom-above": int}
"""The test hooks of ``SCALERISK_BENCH_FAULT`` and the type of their value (None: no value)."""


def _faults() -> dict[str, str]:
    """The test hooks asked for; a malformed variable is an :class:`InputError` naming it."""
    out = {}
    for item in os.environ.get("SCALERISK_BENCH_FAULT", "").split(","):
        if not item.strip():
            continue
        key, _, value = item.strip().partition(":")
        if key not in FAULTS:
            raise InputError(
                f"SCALERISK_BENCH_FAULT: unknown hook {key[:40]!r}; known: {', '.join(FAULTS)}"
            )
        kind = FAULTS[key]
        try:
            if kind is not None and value and not kind(value) >= 0:
                raise ValueError
        except ValueError:
            raise InputError(
                f"SCALERISK_BENCH_FAULT: {key} takes a non-negative {kind.__name__}, "
                f"not {value[:40]!r}"
            ) from None
        if key == "oom-above" and not value:
            raise InputError(
                "SCALERISK_BENCH_FAULT: oom-above needs a batch size, e.g. oom-above:8"
            )
        out[key] = value
    return out


# --- one setting on one model -----------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    precision: str  # fp32 | fp16 | bf16 | int8
    batch_size: int

    @property
    def label(self) -> str:
        name = "int8 dynamic" if self.precision == "int8" else self.precision
        return f"{name}, batch {self.batch_size}"


@dataclass
class Timing:
    """Raw samples of one timed pass."""

    batch_seconds: list[float]
    batch_sizes: list[int]
    lengths: list[int]  # real tokens per text, in processing order
    final_batch_size: int
    embeddings: Any = None  # torch tensor in input order, when kept

    @property
    def seconds(self) -> float:
        return sum(self.batch_seconds)

    @property
    def items(self) -> int:
        return sum(self.batch_sizes)


def _sync(device: str) -> None:
    import torch

    if device == "cuda":
        torch.cuda.synchronize()
    elif device == "mps":
        torch.mps.synchronize()


def _is_oom(exc: BaseException) -> bool:
    import torch

    oom_types = tuple(
        t
        for t in (
            getattr(torch, "OutOfMemoryError", None),
            getattr(torch.cuda, "OutOfMemoryError", None),
        )
        if t
    )
    return isinstance(exc, oom_types) or "out of memory" in str(exc).lower()


def variant(loaded: LoadedModel, precision: str, device: str) -> Any:
    """The model in ``precision`` (a copy unless fp32)."""
    import torch

    model = loaded.model
    if precision == "fp32":
        return model
    if precision == "int8":
        if device != "cpu":
            raise InputError("int8 dynamic quantisation runs on the CPU only")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return torch.ao.quantization.quantize_dynamic(
                copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8
            )
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}[precision]
    return copy.deepcopy(model).to(dtype)


def _preprocess(model: Any, texts: list[str]) -> dict:
    if hasattr(model, "preprocess"):
        return model.preprocess(texts)
    return model.tokenize(texts)  # sentence-transformers < 6


def encode_timed(
    model: Any,
    texts: list[str],
    batch_size: int,
    device: str,
    *,
    keep_embeddings: bool = False,
    on_batch: Callable[[int, float], None] | None = None,
    on_oom: Callable[[int, int], None] | None = None,
) -> Timing:
    """Embed ``texts`` batch by batch as ``encode()`` would, timing each batch.

    Texts are sorted longest first (by characters, like ``encode``); each batch's time
    covers tokenisation, transfer, forward pass and the copy back, read after a device
    synchronisation.  On out-of-memory the batch size is halved and the same texts retried.
    """
    import torch

    faults = _faults()
    oom_above = int(faults["oom-above"]) if "oom-above" in faults else None
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    timing = Timing([], [], [], batch_size)
    chunks: list[Any] = []
    start = 0
    bs = batch_size
    while start < len(order):
        idx = order[start : start + bs]
        batch = [texts[i] for i in idx]
        try:
            t0 = time.perf_counter()
            features = _preprocess(model, batch)
            mask = features["attention_mask"]
            if oom_above is not None and len(batch) > oom_above:
                raise torch.OutOfMemoryError(
                    "CUDA out of memory (injected by SCALERISK_BENCH_FAULT)"
                )
            features = {k: (v.to(device) if hasattr(v, "to") else v) for k, v in features.items()}
            with torch.inference_mode():
                emb = model(features)["sentence_embedding"]
            emb = emb.float().cpu()
            _sync(device)
            t1 = time.perf_counter()
        except Exception as exc:  # noqa: BLE001 — only OOM is handled, the rest re-raised
            if not _is_oom(exc):
                raise
            del exc
            if device == "cuda":
                torch.cuda.empty_cache()
            if bs == 1:
                raise BenchError("oom", "out of memory even at batch size 1") from None
            old, bs = bs, max(1, bs // 2)
            if on_oom:
                on_oom(old, bs)
            continue
        timing.batch_seconds.append(t1 - t0)
        timing.batch_sizes.append(len(batch))
        timing.lengths.extend(int(n) for n in mask.sum(dim=1).tolist())
        if keep_embeddings:
            chunks.append((idx, emb))
        start += len(batch)
        if on_batch:
            on_batch(start, t1 - t0)
        if "slow" in faults:
            time.sleep(float(faults["slow"] or 0.2))
        if "crash" in faults:
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)
    timing.final_batch_size = bs
    if keep_embeddings:
        dim = chunks[0][1].shape[1]
        out = torch.empty(len(texts), dim)
        for idx, emb in chunks:
            out[idx] = emb
        timing.embeddings = out
    return timing


def mean_cosine(a: Any, b: Any) -> float:
    """Mean row-wise cosine similarity of two embedding matrices (torch tensors)."""
    import torch

    return float(torch.nn.functional.cosine_similarity(a.float(), b.float(), dim=1).mean())


# --- memory -------------------------------------------------------------------------------


def _reset_peak(device: str) -> None:
    if device == "cuda":
        import torch

        torch.cuda.reset_peak_memory_stats()
    elif device == "cpu":
        try:  # Linux ≥ 4.0: "5" resets the peak resident set size (VmHWM)
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass


def _peak_mb(device: str) -> float | None:
    if device == "cuda":
        import torch

        return torch.cuda.max_memory_allocated() / 2**20
    if device == "mps":
        import torch

        return torch.mps.driver_allocated_memory() / 2**20
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


# --- the benchmark ------------------------------------------------------------------------


@dataclass
class RunContext:
    config: BenchConfig
    device: DeviceInfo
    emit: Emit
    step: int = 0
    steps: int = 1
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def dev(self) -> str:
        return torch_device(self.device)

    def progress(self, model: str, phase: str, done: int, total: int, started: float) -> None:
        elapsed = time.perf_counter() - started
        eta = elapsed / done * (total - done) if done else None
        self.emit(
            ProgressEvent(
                model=model,
                phase=phase,
                done=done,
                total=total,
                elapsed_s=round(elapsed, 3),
                eta_s=None if eta is None else round(eta, 3),
                step=self.step,
                steps=self.steps,
            )
        )

    def status(self, message: str) -> None:
        self.emit(StatusEvent(message=message))


def _timed_run(
    ctx: RunContext,
    name: str,
    model: Any,
    texts: list[str],
    setting: Setting,
    phase: str,
    keep: bool = False,
    warmup: bool = True,
    *,
    offset: int = 0,
    total: int | None = None,
    started: float | None = None,
) -> Timing:
    """One timed pass; progress counts ``offset`` items already done out of ``total``."""
    dev = "cpu" if setting.precision == "int8" else ctx.dev
    total = len(texts) if total is None else total
    if warmup:  # excluded from the measurement: lazy initialisation, kernel selection, allocator
        warm = texts[: (setting.batch_size if dev != "cpu" else min(setting.batch_size, 8))]
        ctx.progress(name, "warmup", 0, total, time.perf_counter())
        encode_timed(model, warm, setting.batch_size, dev)
    started = time.perf_counter() if started is None else started

    def on_oom(old: int, new: int) -> None:
        ctx.status(f"{name}: out of memory at batch {old}; continuing at batch {new}")

    return encode_timed(
        model,
        texts,
        setting.batch_size,
        dev,
        keep_embeddings=keep,
        on_batch=lambda done, _s: ctx.progress(name, phase, offset + done, total, started),
        on_oom=on_oom,
    )


def _search_space(ctx: RunContext, weights: str = "pretrained") -> tuple[list[str], int, list[int]]:
    """(precisions to try, batch used for the precision stage, batch sizes for the second stage)."""
    cfg, dev = ctx.config, ctx.device
    precisions = list(supported_precisions(dev))
    if dev.kind == "cpu":
        base, batches = 16, [8, 32]
        if weights == "pretrained":
            # int8 is judged by its fidelity, which random weights cannot show: their embeddings
            # are nearly parallel (int8 kept cosine 0.9997 on synthetic e5-base, 0.925 on MiniLM)
            precisions.append("int8")
    elif dev.kind == "mps":
        base, batches = 64, [32, 128]
    else:
        base, batches = 128, [64, 256, 512]
    if cfg.precision:
        precisions = [cfg.precision]
    if cfg.batch_size:
        base, batches = cfg.batch_size, []
    return precisions, base, batches


def tune(
    ctx: RunContext, loaded: LoadedModel, texts: list[str]
) -> tuple[Setting, float | None, Any]:
    """Search the fastest setting whose fidelity holds; returns (setting, cosine, model)."""
    name = loaded.spec.name
    precisions, base, batches = _search_space(ctx, loaded.weights)
    probe_n = min(
        len(texts), FIDELITY_TEXTS if ctx.device.kind == "cpu" else 8 * max([base, *batches])
    )
    step = max(1, len(texts) // probe_n)
    probe = texts[::step][:probe_n]
    fid_texts = probe[:FIDELITY_TEXTS]
    ctx.status(f"{name}: tuning on {len(probe)} texts (fidelity vs fp32 on {len(fid_texts)})")
    reference = encode_timed(
        loaded.model, fid_texts, REFERENCE_BATCH, ctx.dev, keep_embeddings=True
    ).embeddings

    probe_is_fid = probe == fid_texts

    def trial(model: Any, s: Setting) -> Candidate:
        dev = "cpu" if s.precision == "int8" else ctx.dev
        try:
            # First pass on the fidelity texts: embeddings compared with fp32's, and (on a CPU,
            # where the probe is those texts) the first timing sample; it also warms the setting up.
            ctx.progress(name, "fidelity", 0, len(fid_texts), time.perf_counter())
            first = encode_timed(model, fid_texts, s.batch_size, dev, keep_embeddings=True)
            fid = mean_cosine(first.embeddings, reference)
            ok = fid >= MIN_FIDELITY_COSINE
            batch = first.final_batch_size
            ips = stats.rate(first.items, first.seconds) if probe_is_fid else 0.0
            # best of PROBE_REPEATS passes: the least-disturbed one (background load
            # only slows down)
            passes = PROBE_REPEATS - probe_is_fid if ok else (0 if probe_is_fid else 1)
            for _ in range(passes):
                t = _timed_run(
                    ctx, name, model, probe, Setting(s.precision, batch), "tuning", warmup=False
                )
                ips, batch = max(ips, stats.rate(t.items, t.seconds)), t.final_batch_size
            reasons = [] if ok else [f"mean cosine {fid:.4f} < {MIN_FIDELITY_COSINE} to fp32"]
            if batch != s.batch_size:
                reasons.append(f"out of memory at batch {s.batch_size}; ran at batch {batch}")
            ran = Setting(s.precision, batch)
            c = Candidate(
                model=name,
                setting=ran.label,
                precision=s.precision,
                batch_size=batch,
                items_per_second=ips,
                fidelity_cosine=fid,
                accepted=ok,
                reason="; ".join(reasons),
            )
        except (RuntimeError, NotImplementedError) as exc:  # BenchError is a RuntimeError
            c = Candidate(
                model=name,
                setting=s.label,
                precision=s.precision,
                batch_size=s.batch_size,
                accepted=False,
                reason=str(exc)
                if isinstance(exc, BenchError)
                else f"not supported here: {str(exc).splitlines()[0][:160]}",
            )
        ctx.candidates.append(c)
        ctx.emit(CandidateEvent(candidate=c))
        return c

    best: tuple[float, Setting, float, Any] | None = None
    for p in precisions:
        model = variant(loaded, p, ctx.dev)
        c = trial(model, Setting(p, base))
        if c.accepted and c.items_per_second and (best is None or c.items_per_second > best[0]):
            best = (c.items_per_second, Setting(p, c.batch_size), c.fidelity_cosine or 1.0, model)
        else:
            del model
        gc.collect()
    if best is None:
        raise BenchError("crash", f"{name}: no setting passed the fidelity guard")
    tried = {best[1].batch_size}
    ceiling = min(
        [c.batch_size for c in ctx.candidates if c.model == name and "out of memory" in c.reason],
        default=None,
    )
    for b in batches:
        if b in tried or (ceiling is not None and b > ceiling):
            continue
        c = trial(best[3], Setting(best[1].precision, b))
        tried.update({b, c.batch_size})
        if c.accepted and c.items_per_second and c.items_per_second > best[0]:
            best = (
                c.items_per_second,
                Setting(c.precision, c.batch_size),
                c.fidelity_cosine or 1.0,
                best[3],
            )
    return best[1], best[2], best[3]


def run_model(
    ctx: RunContext, loaded: LoadedModel, texts: list[str]
) -> tuple[RunResult, list[int]]:
    """Benchmark one loaded model on ``texts`` in the configured mode; also the real token
    lengths."""
    cfg, spec = ctx.config, loaded.spec
    fidelity: float | None = None
    if cfg.mode == "tuned":
        setting, fidelity, model = tune(ctx, loaded, texts)
        ctx.status(f"{spec.name}: fastest accepted setting {setting.label}")
    else:
        setting = Setting(cfg.precision or "fp32", cfg.batch_size or REFERENCE_BATCH)
        model = variant(loaded, setting.precision, ctx.dev)
        if setting.precision != "fp32":
            fid_texts = texts[:: max(1, len(texts) // FIDELITY_TEXTS)][:FIDELITY_TEXTS]
            ctx.progress(spec.name, "fidelity", 0, len(fid_texts), time.perf_counter())
            ref = encode_timed(
                loaded.model, fid_texts, REFERENCE_BATCH, ctx.dev, keep_embeddings=True
            )
            got = encode_timed(model, fid_texts, setting.batch_size, ctx.dev, keep_embeddings=True)
            fidelity = mean_cosine(got.embeddings, ref.embeddings)
    dev = "cpu" if setting.precision == "int8" else ctx.dev
    gc.collect()
    _reset_peak(dev)
    timings: list[Timing] = []
    started = time.perf_counter()
    for k in range(cfg.passes):  # warm-up before the first pass only; later passes are warm
        timings.append(
            _timed_run(
                ctx,
                spec.name,
                model,
                texts,
                setting,
                "timed",
                warmup=k == 0,
                offset=k * len(texts),
                total=cfg.passes * len(texts),
                started=started,
            )
        )
        setting = Setting(setting.precision, timings[-1].final_batch_size)  # keep an OOM halving
    first = timings[0]
    rates = [stats.rate(t.items, t.seconds) for t in timings]
    ips = stats.median(rates)
    seconds = first.items / ips  # the median pass's duration
    flops = (
        stats.forward_flops(first.lengths, spec.config, non_embedding_params(spec.config)) / seconds
    )
    peak = ctx.device.peak_flops.get(setting.precision)
    tokens = sum(first.lengths)
    batch_seconds = [b for t in timings for b in t.batch_seconds]
    return RunResult(
        model=spec.name,
        weights=loaded.weights,
        mode=cfg.mode,
        precision=setting.precision,
        batch_size=timings[-1].final_batch_size,
        items=first.items,
        items_per_second=ips,
        tokens_per_second=stats.rate(tokens, seconds),
        p50_batch_ms=stats.percentile(batch_seconds, 50) * 1e3,
        p95_batch_ms=stats.percentile(batch_seconds, 95) * 1e3,
        peak_memory_mb=_peak_mb(dev),
        achieved_flops=flops,
        peak_flops_share=flops / peak if peak else None,
        fidelity_cosine=fidelity,
        mean_tokens=tokens / first.items,
        batch_seconds=tuple(batch_seconds),
        hf_id=spec.hf_id,
        total_seconds=sum(t.seconds for t in timings),
        params=loaded.params,
        passes=len(timings),
        pass_items_per_second=tuple(rates),
        items_per_second_iqr=stats.iqr(rates),
        items_per_second_spread=stats.relative_spread(rates),
    ), first.lengths


def run_benchmark(
    config: BenchConfig, emit: Emit, model_paths: dict[str, str] | None = None
) -> BenchResult:
    """Run ``config`` end to end, emitting protocol events; returns the :class:`BenchResult`.

    Raises :class:`InputError` (bad corpus, unknown model, missing device) before any model
    is loaded, and :class:`BenchError` for failures during the run.
    """
    specs = [get_spec(name) for name in config.models]
    # a large corpus takes a while to build (about 40 s for a million generated texts): say so
    what = "reading the corpus" if config.corpus_path else "generating the corpus"
    emit(StatusEvent(message=f"{what}: {config.items:,} texts"))
    texts, source = corpus_texts(config.items, config.corpus_path, config.corpus_field, config.seed)
    emit(StatusEvent(message="starting: loading torch"))
    device = detect(config.device)
    emit(DeviceEvent(device=device))
    ctx = RunContext(config=config, device=device, emit=emit, steps=len(specs))
    runs: list[RunResult] = []
    lengths: dict[str, Any] = {}
    for ctx.step, spec in enumerate(specs):
        ctx.status(f"loading {spec.name}")
        loaded = load(
            spec, ctx.dev, path=(model_paths or {}).get(spec.name), offline=config.offline
        )
        label = (
            SYNTHETIC_LABEL
            if loaded.weights == "synthetic"
            else f"pretrained weights ({loaded.source.kind})"
        )
        ctx.status(f"loaded {spec.name}: {label}")
        prefixed = [spec.passage_prefix + t for t in texts] if spec.passage_prefix else texts
        run, run_lengths = run_model(ctx, loaded, prefixed)
        runs.append(run)
        lengths[spec.name] = {
            **stats.length_summary(run_lengths, spec.max_seq_length),
            "histogram": stats.histogram(run_lengths),
        }
        emit(RunEvent(run=run))
        del loaded
        gc.collect()
        if ctx.dev == "cuda":
            import torch

            torch.cuda.empty_cache()
    penalty = (
        stats.scaling_penalty(runs[0].items_per_second, runs[-1].items_per_second)
        if len(runs) >= 2
        else None
    )
    corpus = {"source": source, "items": len(texts), "token_lengths": lengths}
    result = BenchResult(
        device=device,
        runs=tuple(runs),
        scaling_penalty=penalty,
        corpus=corpus,
        candidates=tuple(ctx.candidates),
    )
    emit(ResultEvent(result=result))
    return result
