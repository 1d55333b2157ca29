"""Contract between the benchmark engine, its subprocess wrapper and the UI.

Light on purpose: pydantic only, no torch, so the page can import it at start-up.

``python -m bench --jsonl …`` writes one JSON object per line on stdout, each with an
``event`` key — one of the typed models of the :data:`Event` union below, validated once where
the line is read (:class:`bench.process.BenchProcess`):

* ``{"event": "device", "device": DeviceInfo}``
* ``{"event": "status", "message": str}`` — e.g. "loading e5-base (synthetic weights)"
* ``{"event": "progress", "model": str, "phase": "warmup"|"timed"|"fidelity",
     "done": int, "total": int, "elapsed_s": float, "eta_s": float | null}``
  (phase may also be "tuning" while the tuned mode tries settings; extra keys ``step`` /
  ``steps`` give the model's position among the models to run)
* ``{"event": "candidate", "candidate": Candidate}`` — tuned mode: one per setting tried
* ``{"event": "run", "run": RunResult}`` — one per model
* ``{"event": "result", "result": BenchResult}`` — last event of a successful run
* ``{"event": "error", "kind": "input"|"oom"|"crash"|"busy"|"cancelled", "message": str}``
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter, computed_field, field_validator

from bench import stats
from calculator.common import InputModel

Precision = Literal["fp32", "fp16", "bf16"]
#: What a run may end up using: the tuned search also tries int8 dynamic quantisation on CPUs.
RunPrecision = Literal["fp32", "fp16", "bf16", "int8"]
Mode = Literal["reference", "tuned"]

#: Shown wherever a run used random weights in a real model's architecture (DESIGN.md).
SYNTHETIC_LABEL = "architecture-equivalent, synthetic weights — timing only"
#: Reference-mode items/s measured on a 2-vCPU Zen 4 CPU (AVX-512-BF16), 1,000 e-mail-like texts
#: of 247 tokens on average (../shared/DESIGN.md, "Facts about this environment"); the page
#: uses them to estimate how long a CPU run of the chosen size takes.
CPU_REFERENCE_ITEMS_PER_SECOND: dict[str, float] = {"minilm-l6": 27.0, "e5-base": 3.3}
#: Tuned settings whose embeddings fall below this mean cosine to fp32 are rejected.
MIN_FIDELITY_COSINE = 0.999
#: Timed passes over the texts per model by default; the throughput is their median.
DEFAULT_PASSES = 3
#: Reference mode's batch size: ``SentenceTransformer.encode``'s default.  A run of fewer items
#: than its batch is not trusted (:func:`bench.stats.trust`).
REFERENCE_BATCH = 32


class BenchConfig(InputModel, frozen=True, extra="forbid"):
    """What to benchmark; the same model backs the CLI flags and the page widgets."""

    models: tuple[str, ...] = Field(
        ("minilm-l6", "e5-base"),
        min_length=1,
        description="Registry names of the models to run, small first.",
    )
    items: int = Field(
        100,
        ge=1,
        le=1_000_000,
        description="Texts embedded per model (timed; warm-up excluded).",
        json_schema_extra={"unit": "items"},
    )
    corpus_path: str | None = Field(
        None,
        description="Your own texts: .txt (one per line), .csv or .jsonl. Empty: generated "
        "email-like corpus.",
    )
    corpus_field: str | None = Field(
        None, description="Column (.csv) or field (.jsonl) holding the text."
    )
    mode: Mode = Field(
        "reference",
        description="reference: plain SentenceTransformer.encode (fp32, batch 32), comparable to "
        "seed 000; "
        "tuned: fastest setting this device supports whose embeddings keep cosine ≥ 0.999 to fp32.",
    )
    batch_size: int | None = Field(
        None,
        ge=1,
        le=4096,
        description="Override the batch size.",
        json_schema_extra={"unit": "items"},
    )
    precision: Precision | None = Field(None, description="Override the precision.")
    device: Literal["auto", "cpu", "cuda", "mps"] = Field("auto", description="Where to run.")
    passes: int = Field(
        DEFAULT_PASSES,
        ge=1,
        le=20,
        description="Timed passes over the texts per model: throughput is their median, its "
        "spread their IQR. "
        "A run needs 2 or more passes within ±10% of each other, and at least one full batch of "
        "items, to be trusted.",
        json_schema_extra={"unit": "passes"},
    )
    seed: int = Field(0, description="Seed of the generated corpus.")
    offline: bool = Field(
        False,
        description="Never contact the Hugging Face hub: use local weights or the synthetic "
        "stand-in.",
    )

    @field_validator("models")
    @classmethod
    def _known_once_small_to_large(cls, models: tuple[str, ...]) -> tuple[str, ...]:
        """Each model once, smallest first: the scaling penalty (seed 000) is items/s of the
        first ÷ items/s of the last, so a large model first or a repeat makes it meaningless
        (``e5-base,minilm-l6`` gave 0.11×)."""
        from bench.models import REGISTRY, TEST_MODELS  # no torch: plain data

        known = {**REGISTRY, **TEST_MODELS}  # the runner refuses test models outside tests
        unknown = [m for m in models if m not in known]
        if unknown:
            raise ValueError(
                f"unknown model {unknown[0]!r}; known models: "
                + ", ".join(n for n, s in known.items() if not s.hidden)
            )
        repeated = sorted({m for m in models if models.count(m) > 1})
        if repeated:
            raise ValueError(f"each model may be run once; repeated: {', '.join(repeated)}")
        sizes = [known[m].params for m in models]
        if sizes != sorted(sizes):
            order = ", ".join(sorted(models, key=lambda m: known[m].params))
            raise ValueError(
                "models must run smallest first (the scaling penalty divides the first "
                f"model's items/s by the last's); in this order: {order}"
            )
        return models


class DeviceInfo(BaseModel, frozen=True):
    kind: Literal["cuda", "mps", "cpu"]
    name: str
    memory_gb: float | None = None
    compute_capability: str | None = None
    cpu_cores: int | None = None
    features: tuple[str, ...] = ()
    peak_flops: dict[str, float] = Field(
        default_factory=dict, description="Dense peak FLOP/s by dtype where known."
    )
    torch_version: str | None = None


class RunResult(BaseModel, frozen=True):
    model: str
    weights: Literal["pretrained", "synthetic"]
    mode: Mode
    precision: RunPrecision
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
    # Extensions (all optional, defaults keep older payloads valid):
    hf_id: str | None = Field(
        None, description="Hugging Face id of the model (or its architecture)."
    )
    backend: str = Field("torch", description="Inference backend.")
    length_sorted: bool = Field(
        True, description="Texts sorted by length before batching (encode() does this)."
    )
    total_seconds: float | None = Field(
        None, description="Sum of the timed batches.", json_schema_extra={"unit": "s"}
    )
    params: int | None = Field(None, description="Parameter count of the model.")
    # Repeated passes (absent from runs stored before them: one pass, spread unknown).
    passes: int = Field(
        1, ge=1, description="Timed passes over the texts; items_per_second is their median."
    )
    pass_items_per_second: tuple[float, ...] = Field(
        (), description="items/s of each timed pass, in order."
    )
    items_per_second_iqr: float | None = Field(
        None, description="P75 − P25 of the passes' items/s.", json_schema_extra={"unit": "items/s"}
    )
    items_per_second_spread: float | None = Field(
        None,
        description="Largest distance of a pass from the median, as a share of the median (0.1 = "
        "±10%).",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def trusted(self) -> bool:
        """Whether the figure may feed a verdict (:func:`bench.stats.trust`)."""
        return stats.trust(self.items, self.batch_size, self.passes, self.items_per_second_spread)[
            0
        ]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def trust_note(self) -> str:
        """Why the figure is (not) trusted, as a sentence."""
        return stats.trust(self.items, self.batch_size, self.passes, self.items_per_second_spread)[
            1
        ]


class Candidate(BaseModel, frozen=True):
    """One setting tried by the tuned mode's search, with its speed and embedding fidelity."""

    model: str
    setting: str = Field(description="Human-readable setting, e.g. 'bf16, batch 16'.")
    precision: RunPrecision
    batch_size: int
    items_per_second: float | None = None
    fidelity_cosine: float | None = None
    accepted: bool
    reason: str = ""


class BenchResult(BaseModel, frozen=True):
    device: DeviceInfo
    runs: tuple[RunResult, ...]
    scaling_penalty: float | None = Field(
        None,
        description="items/s of the first (small) model ÷ items/s of the last (large) model (seed "
        "000).",
    )
    corpus: dict = Field(
        default_factory=dict, description="Corpus summary: source, items, token-length stats."
    )
    candidates: tuple[Candidate, ...] = Field(
        (), description="Tuned mode: every setting tried, accepted or not."
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scaling_penalty_trusted(self) -> bool | None:
        """Whether the scaling penalty may feed a verdict: both runs trusted (None without one)."""
        if self.scaling_penalty is None or not self.runs:
            return None
        return self.runs[0].trusted and self.runs[-1].trusted

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scaling_penalty_note(self) -> str:
        """Why the scaling penalty is not trusted (empty when it is, or when there is none)."""
        if self.scaling_penalty_trusted is not False:
            return ""
        bad = [r for r in dict.fromkeys((self.runs[0], self.runs[-1])) if not r.trusted]
        return "Not trustworthy: " + " ".join(f"{r.model}: {r.trust_note}" for r in bad)


# ---------------------------------------------------------------- events (one union)
class DeviceEvent(BaseModel, frozen=True, extra="forbid"):
    """The device the benchmark runs on (first event)."""

    event: Literal["device"] = "device"
    device: DeviceInfo


class StatusEvent(BaseModel, frozen=True, extra="forbid"):
    """A status line, e.g. "loading e5-base (synthetic weights)"."""

    event: Literal["status"] = "status"
    message: str


class ProgressEvent(BaseModel, frozen=True, extra="forbid"):
    """Progress of one phase of one model."""

    event: Literal["progress"] = "progress"
    model: str
    phase: Literal["warmup", "timed", "fidelity", "tuning"]
    done: int
    total: int
    elapsed_s: float
    eta_s: float | None = None
    step: int = Field(0, description="The model's position among the models to run.")
    steps: int = 1


class CandidateEvent(BaseModel, frozen=True, extra="forbid"):
    """Tuned mode: one setting tried."""

    event: Literal["candidate"] = "candidate"
    candidate: Candidate


class RunEvent(BaseModel, frozen=True, extra="forbid"):
    """One model finished."""

    event: Literal["run"] = "run"
    run: RunResult


class ResultEvent(BaseModel, frozen=True, extra="forbid"):
    """The last event of a successful run."""

    event: Literal["result"] = "result"
    result: BenchResult


ErrorKind = Literal["input", "oom", "crash", "busy", "cancelled"]


class ErrorEvent(BaseModel, frozen=True, extra="forbid"):
    """The last event of a failed run."""

    event: Literal["error"] = "error"
    kind: ErrorKind
    message: str


Event = Annotated[
    DeviceEvent
    | StatusEvent
    | ProgressEvent
    | CandidateEvent
    | RunEvent
    | ResultEvent
    | ErrorEvent,
    Field(discriminator="event"),
]
"""Every line ``python -m bench --jsonl`` writes: validated once where it is read
(:mod:`bench.process`), typed everywhere after."""

EVENTS: TypeAdapter[Event] = TypeAdapter(Event)
"""``EVENTS.validate_json(line)`` → the typed event (``ValidationError`` for anything else)."""

FINAL_EVENTS = ("result", "error")
"""Events that end a run."""
