"""Contract between the benchmark engine, its subprocess wrapper and the UI.

Light on purpose: pydantic only, no torch, so the page can import it at start-up.

``python -m bench --jsonl …`` writes one JSON object per line on stdout, each with an
``event`` key:

* ``{"event": "device", "device": DeviceInfo}``
* ``{"event": "status", "message": str}`` — e.g. "loading e5-base (synthetic weights)"
* ``{"event": "progress", "model": str, "phase": "warmup"|"timed"|"fidelity",
     "done": int, "total": int, "elapsed_s": float, "eta_s": float | null}``
* ``{"event": "run", "run": RunResult}`` — one per model (and per tuned setting)
* ``{"event": "result", "result": BenchResult}`` — last event of a successful run
* ``{"event": "error", "kind": "input"|"oom"|"crash"|"busy"|"cancelled", "message": str}``
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Precision = Literal["fp32", "fp16", "bf16"]
Mode = Literal["reference", "tuned"]


class BenchConfig(BaseModel, frozen=True, extra="forbid"):
    """What to benchmark; the same model backs the CLI flags and the page widgets."""

    models: tuple[str, ...] = Field(
        ("minilm-l6", "e5-base"), min_length=1, description="Registry names of the models to run, small first."
    )
    items: int = Field(
        100, ge=1, le=1_000_000, description="Texts embedded per model (timed; warm-up excluded).",
        json_schema_extra={"unit": "items"},
    )
    corpus_path: str | None = Field(
        None, description="Your own texts: .txt (one per line), .csv or .jsonl. Empty: generated email-like corpus."
    )
    corpus_field: str | None = Field(None, description="Column (.csv) or field (.jsonl) holding the text.")
    mode: Mode = Field(
        "reference",
        description="reference: plain SentenceTransformer.encode (fp32, batch 32), comparable to seed 000; "
        "tuned: fastest setting this device supports whose embeddings keep cosine ≥ 0.999 to fp32.",
    )
    batch_size: int | None = Field(None, ge=1, le=4096, description="Override the batch size.", json_schema_extra={"unit": "items"})
    precision: Precision | None = Field(None, description="Override the precision.")
    device: Literal["auto", "cpu", "cuda", "mps"] = Field("auto", description="Where to run.")
    seed: int = Field(0, description="Seed of the generated corpus.")


class DeviceInfo(BaseModel, frozen=True):
    kind: Literal["cuda", "mps", "cpu"]
    name: str
    memory_gb: float | None = None
    compute_capability: str | None = None
    cpu_cores: int | None = None
    features: tuple[str, ...] = ()
    peak_flops: dict[str, float] = Field(default_factory=dict, description="Dense peak FLOP/s by dtype where known.")
    torch_version: str | None = None


class RunResult(BaseModel, frozen=True):
    model: str
    weights: Literal["pretrained", "synthetic"]
    mode: Mode
    precision: Precision
    batch_size: int
    items: int
    items_per_second: float
    tokens_per_second: float
    p50_batch_ms: float
    p95_batch_ms: float
    peak_memory_mb: float | None = None
    achieved_flops: float | None = None
    peak_flops_share: float | None = None
    fidelity_cosine: float | None = None
    mean_tokens: float | None = None
    batch_seconds: tuple[float, ...] = ()


class BenchResult(BaseModel, frozen=True):
    device: DeviceInfo
    runs: tuple[RunResult, ...]
    scaling_penalty: float | None = Field(
        None, description="items/s of the first (small) model ÷ items/s of the last (large) model (seed 000)."
    )
    corpus: dict = Field(default_factory=dict, description="Corpus summary: source, items, token-length stats.")
