"""Fine-tuning what-if: full vs LoRA vs QLoRA — parameters, memory per GPU, FLOPs, time, dollars.

Everything is computed from a decoder-only transformer architecture (Llama family: RMSNorm,
rotary positions, grouped-query attention, gated MLP).  Presets carry the real configs of
common open models; their computed parameter counts equal the published exact counts.

Seed 002 ("Step 4: Leverage Parameter-Efficient Fine-Tuning" and "Case Study: The Enterprise
Fine-Tuning Trap") motivates the page; its LoRA table ("70–700 million trainable parameters,
1–10 %") and its case-study figures are shown beside what the formulas give, never used as
inputs (see :func:`case_study`).

Ranges (issue 12): :func:`finetune_uncertainty` → :class:`FinetuneUncertainty` (P10 / P50 /
P90 of each method's wall time, GPU-hours, dollars, memory per GPU and GPUs needed, the
tornado of the selected method's cost, the basis line), computed on arrays by
:func:`method_samples`; texts: :func:`range_texts`, :func:`drivers_text`; with ranges,
:func:`key_figures` prints each headline with its likely range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError, model_validator

from calculator.common import InputModel
from calculator.errors import InputError, describe_validation_error
from calculator.hardware import Gpu, get_gpu
from calculator.uncertainty import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    MAX_SAMPLES,
    Basis,
    Range,
    TornadoBar,
    Uncertain,
    changed_fields,
    draw,
    field_label,
    numeric_fields,
    quantiles,
    tornado,
    user_spreads,
    validate_spread_paths,
)

INTERCONNECT_FIELDS: tuple[str, ...] = (
    "intra_node_link",
    "intra_node_gbps",
    "gpus_per_node",
    "inter_node_link",
    "inter_node_gbps",
    "interconnect_source",
)
"""The catalogue's interconnect columns (see :mod:`calculator.hardware`)."""

GIB = 2**30
"""Memory unit: GPU memory is sold in GiB (an "80GB" A100 has 80 × 2^30 bytes), so every
memory figure here is in GiB, written "GB" in labels as vendors do."""

# --------------------------------------------------------------------------------------
# Architecture and presets
# --------------------------------------------------------------------------------------


class Architecture(InputModel, frozen=True, extra="forbid"):
    """Decoder-only transformer shape (Llama-style blocks)."""

    layers: int = Field(
        32,
        ge=1,
        le=1024,
        description="Number of decoder layers (num_hidden_layers).",
        json_schema_extra={"label": "Decoder layers"},
    )
    hidden: int = Field(
        4096,
        ge=8,
        le=131072,
        description="Hidden size d_model (hidden_size).",
        json_schema_extra={"label": "Hidden size"},
    )
    intermediate: int = Field(
        11008,
        ge=8,
        le=1_048_576,
        description="MLP inner size (intermediate_size).",
        json_schema_extra={"label": "MLP intermediate size"},
    )
    heads: int = Field(
        32,
        ge=1,
        le=1024,
        description="Attention (query) heads (num_attention_heads).",
        json_schema_extra={"label": "Attention heads"},
    )
    kv_heads: int = Field(
        32,
        ge=1,
        le=1024,
        description="Key/value heads (num_key_value_heads); fewer than the query heads = "
        "grouped-query attention (GQA), 1 = multi-query.",
        json_schema_extra={"label": "Key/value heads"},
    )
    vocab: int = Field(
        32000,
        ge=2,
        le=2_000_000,
        description="Vocabulary size (vocab_size).",
        json_schema_extra={"label": "Vocabulary size"},
    )
    head_dim: int | None = Field(
        None,
        ge=1,
        le=4096,
        description="Per-head size; empty = hidden ÷ heads (as in Llama, Mistral, Qwen2.5).",
    )
    tied_embeddings: bool = Field(
        False, description="Output layer shares the input embedding matrix (tie_word_embeddings)."
    )
    gated_mlp: bool = Field(
        True, description="Gated MLP (SwiGLU: gate, up, down projections) rather than up/down only."
    )
    qkv_bias: bool = Field(
        False, description="q/k/v projections carry biases (Qwen2 / Qwen2.5 do)."
    )

    @model_validator(mode="after")
    def _heads_divide(self) -> Architecture:
        if self.heads % self.kv_heads:
            raise ValueError(
                f"attention heads ({self.heads}) must be a multiple of key/value heads "
                f"({self.kv_heads})"
            )
        if self.head_dim is None and self.hidden % self.heads:
            raise ValueError(
                f"hidden size ({self.hidden}) must be divisible by attention heads ({self.heads}) "
                "unless a head size is given"
            )
        return self

    @property
    def dim_per_head(self) -> int:
        """Per-head size (``head_dim`` or hidden ÷ heads)."""
        return self.head_dim if self.head_dim is not None else self.hidden // self.heads

    @property
    def q_dim(self) -> int:
        """Width of the query projection output, heads × head size."""
        return self.heads * self.dim_per_head

    @property
    def kv_dim(self) -> int:
        """Width of each of the key and value projection outputs, kv_heads × head size."""
        return self.kv_heads * self.dim_per_head


class Preset(BaseModel, frozen=True, extra="forbid"):
    """A named model: its architecture, its published exact parameter count and the source."""

    name: str
    architecture: Architecture
    published_params: int = Field(description="Exact parameter count published for the checkpoint.")
    source: str = Field(description="Where the config and the count come from.")


def _preset(name: str, source: str, published: int, **arch: int | bool) -> Preset:
    return Preset(
        name=name, architecture=Architecture(**arch), published_params=published, source=source
    )


_HF = (
    "https://huggingface.co/{}/blob/main/config.json; "
    "count: the checkpoint's safetensors metadata on the model page"
)
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        _preset(
            "Llama-2-7B",
            _HF.format("meta-llama/Llama-2-7b-hf"),
            6_738_415_616,
            layers=32,
            hidden=4096,
            intermediate=11008,
            heads=32,
            kv_heads=32,
            vocab=32000,
        ),
        _preset(
            "Llama-2-13B",
            _HF.format("meta-llama/Llama-2-13b-hf"),
            13_015_864_320,
            layers=40,
            hidden=5120,
            intermediate=13824,
            heads=40,
            kv_heads=40,
            vocab=32000,
        ),
        _preset(
            "Llama-2-70B",
            _HF.format("meta-llama/Llama-2-70b-hf"),
            68_976_648_192,
            layers=80,
            hidden=8192,
            intermediate=28672,
            heads=64,
            kv_heads=8,
            vocab=32000,
        ),
        _preset(
            "Llama-3-8B",
            _HF.format("meta-llama/Meta-Llama-3-8B"),
            8_030_261_248,
            layers=32,
            hidden=4096,
            intermediate=14336,
            heads=32,
            kv_heads=8,
            vocab=128256,
        ),
        _preset(
            "Llama-3-70B",
            _HF.format("meta-llama/Meta-Llama-3-70B"),
            70_553_706_496,
            layers=80,
            hidden=8192,
            intermediate=28672,
            heads=64,
            kv_heads=8,
            vocab=128256,
        ),
        _preset(
            "Mistral-7B-v0.1",
            _HF.format("mistralai/Mistral-7B-v0.1"),
            7_241_732_096,
            layers=32,
            hidden=4096,
            intermediate=14336,
            heads=32,
            kv_heads=8,
            vocab=32000,
        ),
        _preset(
            "Qwen2.5-7B",
            _HF.format("Qwen/Qwen2.5-7B") + " (model card: 7.61B)",
            7_615_616_512,
            layers=28,
            hidden=3584,
            intermediate=18944,
            heads=28,
            kv_heads=4,
            vocab=152064,
            qkv_bias=True,
        ),
        _preset(
            "Seed-002-7B",
            "seed 002 'Case Study: The Enterprise Fine-Tuning Trap' names only 'a 7B parameter "
            "open-source foundation model'; ScaleRisk takes Llama-2-7B's architecture "
            "(the most fine-tuned open 7B model when such studies were written)",
            6_738_415_616,
            layers=32,
            hidden=4096,
            intermediate=11008,
            heads=32,
            kv_heads=32,
            vocab=32000,
        ),
    )
}
SEED_CASE_MODEL = "Seed-002-7B"


def model_names() -> list[str]:
    """Preset names, for select boxes and ``--list-models``."""
    return list(PRESETS)


def get_preset(name: str) -> Preset:
    """Look a preset up by name, case-insensitively.

    >>> get_preset("llama-3-8b").architecture.kv_heads
    8
    """
    wanted = name.strip().lower()
    for preset in PRESETS.values():
        if preset.name.lower() == wanted:
            return preset
    raise InputError(f"model {name!r} is not a preset; known models: {', '.join(PRESETS)}")


# --------------------------------------------------------------------------------------
# Parameter counts
# --------------------------------------------------------------------------------------

LINEAR_MODULES: tuple[str, ...] = (
    "q_proj",
    "k_proj",
    "v_proj",
    "o_proj",
    "gate_proj",
    "up_proj",
    "down_proj",
)
"""Linear layers of a decoder block, named as in Hugging Face Llama/Mistral/Qwen2 code."""

TargetModule = Literal[
    "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "all-linear"
]


def linear_shapes(arch: Architecture) -> dict[str, tuple[int, int]]:
    """(d_in, d_out) of every linear layer in one decoder block.

    >>> linear_shapes(get_preset("Llama-3-8B").architecture)["k_proj"]
    (4096, 1024)
    """
    h, i = arch.hidden, arch.intermediate
    shapes = {
        "q_proj": (h, arch.q_dim),
        "k_proj": (h, arch.kv_dim),
        "v_proj": (h, arch.kv_dim),
        "o_proj": (arch.q_dim, h),
        "up_proj": (h, i),
        "down_proj": (i, h),
    }
    if arch.gated_mlp:
        shapes["gate_proj"] = (h, i)
    return {name: shapes[name] for name in LINEAR_MODULES if name in shapes}


class ParamCounts(BaseModel, frozen=True, extra="forbid"):
    """Where a model's parameters are."""

    embedding: int = Field(description="Input embedding table, vocab × hidden.")
    lm_head: int = Field(description="Output projection, vocab × hidden (0 when tied).")
    linear_per_layer: int = Field(description="Weights of the block's linear layers (no biases).")
    bias_per_layer: int = Field(description="Biases of the block (q/k/v biases in Qwen2.5).")
    norms_per_layer: int = Field(description="RMSNorm scales of the block (two per block).")
    final_norm: int = Field(description="Final RMSNorm scale.")
    layers: int
    total: int = Field(description="All parameters.")
    block_linear: int = Field(description="All blocks' linear weights: what NF4 quantizes.")
    matmul: int = Field(
        description="Weights used in a matrix multiply per token: block linears + output layer."
    )


def param_counts(arch: Architecture) -> ParamCounts:
    """Count the parameters of ``arch``.

    Parameters
    ----------
    arch : the decoder architecture.

    Returns
    -------
    ParamCounts with the total and its parts.

    Notes
    -----
    Per block: attention :math:`h·d_q + 2h·d_{kv} + d_q·h` (+ :math:`d_q + 2d_{kv}` biases),
    MLP :math:`3hI` gated (:math:`2hI` otherwise), two RMSNorm scales :math:`2h`.
    Total :math:`= L·\\text{block} + Vh\\,(×2 \\text{ untied}) + h` (final norm).

    References
    ----------
    Hugging Face ``modeling_llama.py`` / ``modeling_qwen2.py`` module definitions; the configs
    cited per preset.

    Examples
    --------
    >>> param_counts(get_preset("Llama-2-7B").architecture).total  # published: 6,738,415,616
    6738415616
    """
    shapes = linear_shapes(arch)
    linear = sum(d_in * d_out for d_in, d_out in shapes.values())
    bias = arch.q_dim + 2 * arch.kv_dim if arch.qkv_bias else 0
    norms = 2 * arch.hidden
    embedding = arch.vocab * arch.hidden
    lm_head = 0 if arch.tied_embeddings else embedding
    total = arch.layers * (linear + bias + norms) + embedding + lm_head + arch.hidden
    block_linear = arch.layers * linear
    return ParamCounts(
        embedding=embedding,
        lm_head=lm_head,
        linear_per_layer=linear,
        bias_per_layer=bias,
        norms_per_layer=norms,
        final_norm=arch.hidden,
        layers=arch.layers,
        total=total,
        block_linear=block_linear,
        matmul=block_linear + embedding,  # the output projection is a V×h matmul, tied or not
    )


def expand_targets(arch: Architecture, targets: tuple[str, ...]) -> tuple[str, ...]:
    """Resolve ``all-linear`` and check every target exists in ``arch``.

    ``all-linear`` means every linear layer of the blocks and never the output layer, as in
    PEFT (``target_modules="all-linear"`` excludes the output layer).

    >>> expand_targets(get_preset("Llama-2-7B").architecture, ("all-linear",))[-1]
    'down_proj'
    """
    shapes = linear_shapes(arch)
    if "all-linear" in targets:
        return tuple(shapes)
    missing = [t for t in targets if t not in shapes]
    if missing:
        raise InputError(
            f"target module(s) {', '.join(missing)} do not exist in this architecture "
            f"(it has {', '.join(shapes)})"
        )
    if not targets:
        raise InputError("LoRA needs at least one target module")
    return tuple(name for name in shapes if name in targets)


def lora_params(arch: Architecture, rank: int, targets: tuple[str, ...]) -> int:
    """Trainable LoRA parameters, counted as PEFT counts them.

    Parameters
    ----------
    arch : the architecture.
    rank : LoRA rank r.
    targets : module names (``q_proj`` …) or ``("all-linear",)``.

    Returns
    -------
    int: number of trainable parameters.

    Notes
    -----
    LoRA on a linear layer :math:`W \\in \\mathbb{R}^{d_{out}×d_{in}}` adds
    :math:`A \\in \\mathbb{R}^{r×d_{in}}` and :math:`B \\in \\mathbb{R}^{d_{out}×r}`, no biases
    (PEFT ``bias="none"``): :math:`r(d_{in}+d_{out})` per targeted layer, times the layers.

    References
    ----------
    Hu et al. 2021, "LoRA", §4.1; PEFT ``LoraLayer.update_layer`` (``lora_A``: in→r,
    ``lora_B``: r→out, ``bias=False``).

    Examples
    --------
    >>> lora_params(get_preset("Llama-2-7B").architecture, 8, ("q_proj", "v_proj"))
    4194304
    """
    shapes = linear_shapes(arch)
    names = expand_targets(arch, targets)
    return arch.layers * rank * sum(sum(shapes[n]) for n in names)


# --------------------------------------------------------------------------------------
# Constants (data with a citation)
# --------------------------------------------------------------------------------------

Method = Literal["full", "lora", "qlora"]
METHODS: tuple[Method, ...] = ("full", "lora", "qlora")
METHOD_LABELS = {"full": "Full fine-tuning", "lora": "LoRA", "qlora": "QLoRA"}
Precision = Literal["bf16-mixed", "fp16-mixed", "fp32"]
Optimizer = Literal["adamw", "adamw-8bit", "sgd-momentum"]
Sharding = Literal["none", "zero1", "zero2", "zero3", "fsdp"]
PRECISION_LABELS = {
    "bf16-mixed": "bf16 mixed precision",
    "fp16-mixed": "fp16 mixed precision",
    "fp32": "fp32 (full precision)",
}
OPTIMIZER_LABELS = {
    "adamw": "AdamW (fp32 states)",
    "adamw-8bit": "8-bit AdamW",
    "sgd-momentum": "SGD with momentum",
}
SHARDING_LABELS = {
    "none": "None (DDP)",
    "zero1": "ZeRO-1",
    "zero2": "ZeRO-2",
    "zero3": "ZeRO-3",
    "fsdp": "FSDP (full shard)",
}
OPTION_LABELS: dict[str, str] = {
    **METHOD_LABELS,
    **PRECISION_LABELS,
    **OPTIMIZER_LABELS,
    **SHARDING_LABELS,
}
"""Display names of every enumerated input (for pages, CLI text and the PDF's input table)."""

PRECISIONS: dict[str, dict[str, float | str | bool]] = {
    # weight / gradient / activation bytes, the peak-FLOP/s dtype, and whether an fp32
    # master copy of trainable weights is kept (mixed precision: Micikevicius et al. 2018).
    "bf16-mixed": {"bytes": 2, "peak": "bf16", "master": True},
    "fp16-mixed": {"bytes": 2, "peak": "fp16", "master": True},
    "fp32": {"bytes": 4, "peak": "fp32", "master": False},
}
"""Bytes per weight/gradient/activation value by precision."""

OPTIMIZER_STATE_BYTES: dict[str, int] = {
    "adamw": 8,  # fp32 momentum + fp32 variance
    "adamw-8bit": 2,  # bitsandbytes 8-bit momentum + 8-bit variance (Dettmers et al. 2022)
    "sgd-momentum": 4,  # fp32 momentum
}
"""Optimizer-state bytes per trainable parameter, without the fp32 master copy.

Source: EleutherAI, "Transformer Math 101" (Anthony, Biderman, Schoelkopf 2023), *Model
states → Optimizer states*: AdamW 12 bytes = 4 master + 4 momentum + 4 variance; 8-bit
(bitsandbytes) 6 = 4 master + 1 + 1; SGD with momentum 8 = 4 master + 4 momentum."""

MASTER_BYTES = 4
"""fp32 master copy of trainable weights under mixed precision (Transformer Math 101)."""

ADAPTER_BYTES = 4
"""LoRA adapter weights and gradients are fp32: PEFT upcasts adapters to float32 by default
(``autocast_adapter_dtype=True``), so they need no separate master copy."""

NF4_BITS = 4.0
NF4_BLOCK = 64
DQ_BLOCK = 256
NF4_BITS_PER_PARAM = NF4_BITS + 8 / NF4_BLOCK + 32 / (NF4_BLOCK * DQ_BLOCK)
"""NF4 with double quantization: 4 bits + 8-bit block constants per 64 weights + one fp32
constant per 256 blocks = 4.127 bits/param (Dettmers et al. 2023, "QLoRA", §3 Double
Quantization: constants cost 32/64 = 0.5 bit/param without and 8/64 + 32/(64·256) = 0.127
bit/param with double quantization).  Only block linear weights are quantized; embeddings,
output layer, norms and biases stay in the 16-bit compute dtype (bitsandbytes replaces
``nn.Linear`` only, and transformers keeps the output layer unquantized)."""

DEFAULT_MFU = 0.35
"""Achieved fraction of peak.  Chowdhery et al. 2022 (PaLM) Table 3 report 46.2 % MFU for
a large, tuned pre-training run; single-node fine-tuning with small micro-batches and the
Hugging Face stack usually runs lower.  0.35 is ScaleRisk's assumption, editable."""

DEFAULT_QLORA_SLOWDOWN = 1.39
"""QLoRA step time ÷ LoRA step time.  Raschka 2023, "Practical Tips for Finetuning LLMs
Using LoRA" (Ahead of AI): QLoRA saved 33 % memory at the cost of 39 % longer runtime
(dequantizing NF4 weights in every forward and backward matmul).  Editable."""

DEFAULT_OVERHEAD_GB = 1.0
"""Per-GPU memory not held by tensors: CUDA context, cuBLAS/cuDNN/NCCL workspaces and
allocator slack; the CUDA context alone takes several hundred MB and is invisible to the
PyTorch caching allocator (PyTorch docs, "CUDA semantics → Memory management").  ScaleRisk's
assumption, editable."""

DEFAULT_BANDWIDTH_EFFICIENCY = 0.7
"""Achieved collective ("bus") bandwidth ÷ the link's datasheet bandwidth per direction.

Measured with nccl-tests ``all_reduce_perf`` (bus bandwidth as defined in nccl-tests
``doc/PERFORMANCE.md``): 8 × A100-SXM4-80GB on NVLink/NVSwitch reach ≈ 200 GB/s
(NVIDIA/nccl-tests issue 149) and 208 GB/s (issue 178) of 300 GB/s per direction,
0.67–0.69; NCCL's own topology model rates a PCIe 4.0 x16 path 24 GB/s of 31.5 (0.76,
issue 307's log); 8 × RTX 5090 on PCIe 5.0 reach 28 GB/s of 63 (0.44, NVIDIA/nccl issue
1639, where the NCCL maintainer notes that PCIe systems are bounded by what the CPU and
memory deliver).  0.7 is representative for NVLink and InfiniBand and optimistic for
consumer cards without peer-to-peer.  ScaleRisk's assumption, editable."""

DEFAULT_COMM_OVERLAP = 0.5
"""Share of the shorter of (compute, communication) hidden behind the longer one.

Both ZeRO (Rajbhandari et al. 2020, §7 and DeepSpeed's ``overlap_comm``) and PyTorch FSDP
(Zhao et al. 2023, §3.3–3.4: backward and forward prefetching, rate limiter) overlap
collectives with computation, but not completely: the first all-gather and the last
reduce-scatter of a step are exposed, the optimizer step waits for gradients, and NCCL
kernels compete with compute for SMs and memory bandwidth.  1 would be perfect overlap
(step = max), 0 none (step = sum); ScaleRisk assumes half, editable."""

# --------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------


class FinetuneInputs(InputModel, frozen=True, extra="forbid"):
    """Everything the fine-tuning what-if needs (page, CLI and JSON files)."""

    model: str = Field(
        "Llama-2-7B",
        description="Preset model name, or 'custom' to use the architecture given below.",
    )
    architecture: Architecture | None = Field(
        None, description="Custom architecture; required when model is 'custom', ignored otherwise."
    )
    method: Method = Field(
        "lora",
        description="full: train every weight; LoRA: frozen 16-bit base + low-rank adapters; "
        "QLoRA: frozen 4-bit NF4 base (double quantization) + adapters.",
    )
    rank: int = Field(
        8,
        ge=1,
        le=4096,
        description="LoRA rank r (PEFT default 8).",
        json_schema_extra={"label": "LoRA rank r"},
    )
    targets: tuple[TargetModule, ...] = Field(
        ("q_proj", "v_proj"),
        description="Linear layers that get adapters; PEFT's default for Llama is q_proj, v_proj; "
        "'all-linear' = every block linear layer (QLoRA paper's choice).",
    )
    precision: Precision = Field(
        "bf16-mixed",
        description="Training precision: 16-bit mixed (fp32 master weights) or pure fp32.",
    )
    optimizer: Optimizer = Field(
        "adamw", description="AdamW (fp32 states), 8-bit AdamW (bitsandbytes) or SGD with momentum."
    )
    micro_batch: int = Field(
        1,
        ge=1,
        le=4096,
        description="Sequences per GPU per forward/backward pass.",
        json_schema_extra={"unit": "sequences", "label": "Micro-batch"},
    )
    seq_len: int = Field(
        2048,
        ge=16,
        le=1_048_576,
        description="Tokens per training sequence.",
        json_schema_extra={"unit": "tokens", "label": "Sequence length"},
    )
    gradient_checkpointing: bool = Field(
        True,
        description="Recompute each layer's activations in the backward pass: "
        "far less activation memory for one extra forward pass.",
    )
    flash_attention: bool = Field(
        True,
        description="Fused attention (FlashAttention / SDPA) that never stores the "
        "s × s attention matrix.",
    )
    sharding: Sharding = Field(
        "zero3",
        description="How model states are split across GPUs: none (DDP: full copy per GPU), "
        "ZeRO-1 (optimizer), ZeRO-2 (+gradients), ZeRO-3 / FSDP full-shard (+weights).",
    )
    num_gpus: int = Field(
        0,
        ge=0,
        le=100_000,
        description="GPUs to train on; 0 = the smallest count whose memory fits.",
        json_schema_extra={"unit": "GPUs", "label": "GPU count"},
    )
    dataset_tokens: float = Field(
        1e8,
        gt=0,
        le=1e14,
        description="Training tokens in the dataset.",
        json_schema_extra={"unit": "tokens", "label": "Dataset size"},
    )
    epochs: float = Field(
        1.0,
        gt=0,
        le=1000,
        description="Passes over the dataset.",
        json_schema_extra={"label": "Epochs"},
    )
    gpu: str = Field(
        "A100 80GB",
        description="GPU from the shared catalogue.",
        json_schema_extra={"label": "GPU"},
    )
    gpu_spec: Gpu | None = Field(
        None,
        description="The GPU as edited in the app's catalogue (memory, peak, price, "
        "interconnect); empty = the shipped catalogue entry named by gpu.",
        json_schema_extra={"label": "GPU as edited"},
    )
    usd_per_hour: float | None = Field(
        None,
        ge=0,
        le=1000,
        description="Price per GPU-hour; empty = the catalogue price.",
        json_schema_extra={"unit": "USD/h", "label": "GPU price"},
    )
    mfu: float = Field(
        DEFAULT_MFU,
        ge=0.01,
        le=1,
        description="Achieved fraction of the GPU's dense peak FLOP/s on the FLOPs executed "
        "(including recomputation). PaLM reported 0.46 at scale; fine-tuning runs lower.",
        json_schema_extra={"label": "Utilization (MFU)"},
    )
    qlora_slowdown: float = Field(
        DEFAULT_QLORA_SLOWDOWN,
        ge=1,
        le=10,
        description="QLoRA step time ÷ LoRA step time from NF4 dequantization "
        "(Raschka 2023 measured 1.39).",
        json_schema_extra={"unit": "×", "label": "QLoRA slowdown vs LoRA"},
    )
    overhead_gb: float = Field(
        DEFAULT_OVERHEAD_GB,
        ge=0,
        le=100,
        description="Per-GPU memory outside tensors: CUDA context, library workspaces, "
        "allocator slack.",
        json_schema_extra={"unit": "GB", "label": "Framework overhead"},
    )
    gradient_accumulation: int = Field(
        1,
        ge=1,
        le=4096,
        description="Micro-batches each GPU runs before one optimizer step. Global batch = "
        "micro-batch × sequence length × GPUs × this. DDP and ZeRO-1 communicate once per "
        "optimizer step; ZeRO-2 reduces gradients and ZeRO-3 / FSDP also gathers weights "
        "every micro-batch.",
        json_schema_extra={"unit": "micro-batches", "label": "Gradient accumulation"},
    )
    bandwidth_efficiency: float = Field(
        DEFAULT_BANDWIDTH_EFFICIENCY,
        ge=0.01,
        le=1,
        description="Achieved collective bandwidth ÷ the link's datasheet bandwidth. "
        "8 × A100 on NVLink reach about 0.67–0.69 in NCCL's all-reduce test; PCIe "
        "consumer cards without peer-to-peer often less.",
        json_schema_extra={"label": "Link efficiency"},
    )
    comm_overlap: float = Field(
        DEFAULT_COMM_OVERLAP,
        ge=0,
        le=1,
        description="Share of the shorter of compute and communication hidden behind the "
        "other: 1 = perfect overlap (step time = the longer one), 0 = none (their sum).",
        json_schema_extra={"label": "Communication overlap"},
    )
    intra_node_gbps: float | None = Field(
        None,
        gt=0,
        le=100_000,
        description="Override the GPU's link bandwidth inside a node, per GPU, per direction; "
        "empty = the catalogue's.",
        json_schema_extra={"unit": "GB/s", "label": "Bandwidth inside a node (override)"},
    )
    inter_node_gbps: float | None = Field(
        None,
        gt=0,
        le=100_000,
        description="Override the bandwidth between nodes, per node, per direction (all its "
        "compute NICs together); empty = the catalogue's.",
        json_schema_extra={"unit": "GB/s", "label": "Bandwidth between nodes (override)"},
    )
    gpus_per_node: int | None = Field(
        None,
        ge=1,
        le=1024,
        description="Override the GPUs per node; empty = the catalogue's.",
        json_schema_extra={"unit": "GPUs", "label": "GPUs per node (override)"},
    )

    @model_validator(mode="after")
    def _model_known(self) -> FinetuneInputs:
        if self.model.strip().lower() == "custom":
            if self.architecture is None:
                raise ValueError("model 'custom' needs an architecture")
        elif self.model.strip().lower() not in {n.lower() for n in PRESETS}:
            raise ValueError(f"unknown model {self.model!r}; known: {', '.join(PRESETS)}, custom")
        if not self.targets:
            raise ValueError("at least one LoRA target module is needed")
        return self

    def resolved_architecture(self) -> Architecture:
        """The architecture used: the preset's or the custom one."""
        if self.model.strip().lower() == "custom":
            assert self.architecture is not None  # checked by the validator
            return self.architecture
        return get_preset(self.model).architecture

    def resolved_gpu(self) -> Gpu:
        """The GPU used: the edited spec (merged over the shipped entry) or the catalogue's,
        with the price override applied.

        >>> edited = Gpu(name="A100 80GB", vendor="NVIDIA", memory_gb=80,
        ...              peak_tflops={"bf16": 300}, usd_per_hour=1.0, source="edited")
        >>> FinetuneInputs(gpu_spec=edited).resolved_gpu().peak_tflops["fp16"]
        300.0
        """
        if self.gpu_spec is not None:
            spec = self.gpu_spec
            try:
                base: Gpu | None = get_gpu(spec.name)
            except InputError:
                base = None
            shipped: dict[str, float] = dict(base.peak_tflops) if base else {}
            peaks = {**shipped, **spec.peak_tflops}
            if "bf16" in spec.peak_tflops and "fp16" not in spec.peak_tflops:
                peaks["fp16"] = spec.peak_tflops["bf16"]
            update: dict[str, object] = {"peak_tflops": peaks}
            if base is not None:  # interconnect fields the spec does not set: the shipped ones
                update.update(
                    {
                        f: getattr(base, f)
                        for f in INTERCONNECT_FIELDS
                        if f not in spec.model_fields_set
                    }
                )
            gpu = Gpu.model_validate({**spec.model_dump(), **update})
        else:
            gpu = get_gpu(self.gpu)
        overrides: dict[str, object] = {}
        if self.usd_per_hour is not None:
            overrides["usd_per_hour"] = self.usd_per_hour
        for f in ("intra_node_gbps", "inter_node_gbps", "gpus_per_node"):
            if getattr(self, f) is not None:
                overrides[f] = getattr(self, f)
        if set(overrides) - {"usd_per_hour"}:
            overrides["interconnect_source"] = (
                gpu.interconnect_source + "; overridden in the inputs"
            )
        if overrides:
            try:
                gpu = Gpu.model_validate({**gpu.model_dump(), **overrides})
            except ValidationError as exc:
                raise InputError(describe_validation_error(exc).replace("\n", "; ")) from None
        return gpu


# --------------------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------------------

MEMORY_COMPONENTS: tuple[str, ...] = (
    "weights",
    "gradients",
    "optimizer",
    "adapters",
    "adapter_optimizer",
    "activations",
    "overhead",
)
MEMORY_LABELS = {
    "weights": "Weights",
    "gradients": "Gradients",
    "optimizer": "Optimizer states",
    "adapters": "LoRA adapters (weights + gradients)",
    "adapter_optimizer": "Adapter optimizer states",
    "activations": "Activations",
    "overhead": "Framework overhead",
}


class ModelStates(BaseModel, frozen=True, extra="forbid"):
    """Unsharded model-state bytes of a method (whole model, one replica)."""

    weights: float
    gradients: float
    optimizer: float
    adapter_weights: float
    adapter_gradients: float
    adapter_optimizer: float
    layer_weights: float = Field(
        description="Bytes of one decoder layer's weights (ZeRO-3 gather unit)."
    )


def bytes_per_param_full(precision: Precision, optimizer: Optimizer) -> float:
    """Model-state bytes per parameter of full fine-tuning (weights + gradients + optimizer).

    Notes
    -----
    Mixed precision: :math:`2 + 2 + (4_{master} + s_{opt})`; fp32: :math:`4 + 4 + s_{opt}`.

    References
    ----------
    EleutherAI "Transformer Math 101" (2023), *Model states*: "16 bytes per parameter" for
    mixed-precision AdamW.

    Examples
    --------
    >>> bytes_per_param_full("bf16-mixed", "adamw")
    16.0
    """
    p = PRECISIONS[precision]
    master = MASTER_BYTES if p["master"] else 0
    return float(2 * float(p["bytes"]) + master + OPTIMIZER_STATE_BYTES[optimizer])


def model_states(
    method: Method, counts: ParamCounts, trainable: int, precision: Precision, optimizer: Optimizer
) -> ModelStates:
    """Bytes of weights, gradients and optimizer states for ``method`` (one full replica).

    Notes
    -----
    * full: every parameter at :func:`bytes_per_param_full`.
    * LoRA: frozen base at the compute precision (2 or 4 bytes), no base gradients or
      optimizer states; adapters fp32 weights + fp32 gradients + optimizer states.
    * QLoRA: as LoRA, but block linear weights at :data:`NF4_BITS_PER_PARAM` ÷ 8 bytes.

    Examples
    --------
    >>> c = param_counts(get_preset("Llama-2-7B").architecture)
    >>> round(model_states("full", c, c.total, "bf16-mixed", "adamw").weights / 1e9, 2)
    13.48
    """
    p = PRECISIONS[precision]
    wb = float(p["bytes"])
    per_layer = counts.linear_per_layer + counts.bias_per_layer + counts.norms_per_layer
    if method == "full":
        master = MASTER_BYTES if p["master"] else 0
        return ModelStates(
            weights=counts.total * wb,
            gradients=counts.total * wb,
            optimizer=counts.total * (master + OPTIMIZER_STATE_BYTES[optimizer]),
            adapter_weights=0.0,
            adapter_gradients=0.0,
            adapter_optimizer=0.0,
            layer_weights=per_layer * wb,
        )
    if method == "lora":
        weights = counts.total * wb
        layer = per_layer * wb
    else:  # qlora
        nf4 = NF4_BITS_PER_PARAM / 8
        weights = counts.block_linear * nf4 + (counts.total - counts.block_linear) * wb
        layer = counts.linear_per_layer * nf4 + (per_layer - counts.linear_per_layer) * wb
    return ModelStates(
        weights=weights,
        gradients=0.0,
        optimizer=0.0,
        adapter_weights=trainable * ADAPTER_BYTES,
        adapter_gradients=trainable * ADAPTER_BYTES,
        adapter_optimizer=trainable * OPTIMIZER_STATE_BYTES[optimizer],
        layer_weights=layer + trainable / counts.layers * ADAPTER_BYTES,
    )


def layer_activation_bytes(
    arch: Architecture,
    seq_len: int,
    micro_batch: int,
    *,
    flash_attention: bool = True,
    lora_modules: int = 0,
    rank: int = 0,
    value_bytes: int = 2,
    dropout_masks: bool = False,
) -> float:
    """Activation bytes one decoder layer keeps for the backward pass (no recomputation).

    Parameters
    ----------
    arch : architecture; seq_len : s; micro_batch : b.
    flash_attention : fused attention stores no s×s matrices.
    lora_modules, rank : targeted linear layers per block and LoRA rank (each stores its
        b·s·r intermediate).
    value_bytes : 2 for 16-bit activations, 4 for fp32.
    dropout_masks : add the two 1-byte dropout masks of a GPT-3-style block (Llama-family
        models train without dropout).

    Notes
    -----
    Korthikanti et al. 2022 §4.1 (16-bit, no tensor parallelism): per layer
    :math:`sbh(34 + 5as/h)` = attention :math:`11sbh + 5as^2b`, MLP :math:`19sbh`, norms
    :math:`4sbh`.  The same bookkeeping for a Llama block (values of ``value_bytes`` = 2):

    * attention: input :math:`2sbh`, Q :math:`2sbd_q`, K and V :math:`4sbd_{kv}` (GQA makes
      these smaller), attention output :math:`2sbd_q`; without fused attention the
      softmax output, its dropout mask and output :math:`5as^2b`; with it the log-sum-exp
      :math:`4sba`;
    * gated MLP: input :math:`2sbh`, gate and up outputs, SiLU output and their product
      :math:`8sbI` (plain MLP: activation input and output :math:`4sbI`);
    * two RMSNorm inputs :math:`4sbh`;
    * optional dropout masks :math:`2sbh`; LoRA intermediates :math:`2sbr` per adapter.

    For a GPT-3 block (h = d_q = d_kv, I = 4h, no fused attention, dropout) this equals
    Korthikanti's :math:`sbh(34 + 5as/h)` exactly.

    Examples
    --------
    >>> gpt = Architecture(layers=1, hidden=1024, intermediate=4096, heads=16, kv_heads=16,
    ...                    vocab=100, gated_mlp=False)
    >>> s, b, h, a = 512, 2, 1024, 16
    >>> got = layer_activation_bytes(gpt, s, b, flash_attention=False, dropout_masks=True)
    >>> got == s*b*h*(34 + 5*a*s/h)
    True
    """
    s, b, h, i = seq_len, micro_batch, arch.hidden, arch.intermediate
    k = value_bytes / 2  # formula below is written for 2-byte values
    sb = s * b
    attention = k * sb * (2 * h + 2 * arch.q_dim + 4 * arch.kv_dim + 2 * arch.q_dim)
    if flash_attention:
        attention += 4 * sb * arch.heads  # fp32 log-sum-exp per row and head
    else:
        attention += k * 5 * arch.heads * s * s * b
    mlp = k * sb * (2 * h + (8 if arch.gated_mlp else 4) * i)
    norms = k * 4 * sb * h
    dropout = 2 * sb * h if dropout_masks else 0
    adapters = k * 2 * sb * rank * lora_modules
    return attention + mlp + norms + dropout + adapters


def head_activation_bytes(
    arch: Architecture, seq_len: int, micro_batch: int, value_bytes: int = 2
) -> float:
    """Activation bytes outside the blocks: final norm and output-layer inputs, fp32 logits.

    Notes
    -----
    :math:`2sbh` (final norm input) + :math:`2sbh` (output layer input) + :math:`4sbV` (logits
    in fp32 for the cross-entropy), Korthikanti et al. 2022 §4.1.

    Examples
    --------
    >>> round(head_activation_bytes(get_preset("Llama-3-8B").architecture, 2048, 1) / 2**30, 2)
    1.01
    """
    k = value_bytes / 2
    sb = seq_len * micro_batch
    return k * 4 * sb * arch.hidden + 4 * sb * arch.vocab


def activation_bytes(
    arch: Architecture,
    seq_len: int,
    micro_batch: int,
    *,
    checkpointing: bool,
    flash_attention: bool = True,
    lora_modules: int = 0,
    rank: int = 0,
    value_bytes: int = 2,
) -> float:
    """Peak activation bytes per GPU for one micro-batch.

    Notes
    -----
    Without checkpointing: :math:`L · a_{layer} + a_{head}`.  With full (per-layer)
    checkpointing only each layer's input is kept, :math:`2sbh` per layer (Korthikanti et al.
    2022 §5, "full recomputation"), plus one layer's activations alive while it is
    recomputed: :math:`L · 2sbh + a_{layer} + a_{head}`.

    Examples
    --------
    >>> arch = get_preset("Llama-2-7B").architecture
    >>> full = activation_bytes(arch, 2048, 1, checkpointing=False)
    >>> ckpt = activation_bytes(arch, 2048, 1, checkpointing=True)
    >>> round(full / 2**30, 2), round(ckpt / 2**30, 2)
    (9.66, 1.07)
    """
    layer = layer_activation_bytes(
        arch,
        seq_len,
        micro_batch,
        flash_attention=flash_attention,
        lora_modules=lora_modules,
        rank=rank,
        value_bytes=value_bytes,
    )
    head = head_activation_bytes(arch, seq_len, micro_batch, value_bytes)
    if checkpointing:
        kept = arch.layers * (value_bytes * seq_len * micro_batch * arch.hidden)
        return kept + layer + head
    return arch.layers * layer + head


def _gb(description: str) -> float:
    """A memory-component field in GB (GiB)."""
    return Field(description=description, json_schema_extra={"unit": "GB"})


class MemoryBreakdown(BaseModel, frozen=True, extra="forbid"):
    """Memory per GPU by component, GB (= GiB, 2^30 bytes)."""

    weights: float = _gb("Model weights held by this GPU (base weights for LoRA/QLoRA).")
    gradients: float = _gb("Gradients of trained weights (full fine-tuning).")
    optimizer: float = _gb("Optimizer states incl. fp32 master weights (full fine-tuning).")
    adapters: float = _gb("LoRA adapter weights and gradients (fp32).")
    adapter_optimizer: float = _gb("Optimizer states of the adapters.")
    activations: float = _gb("Activations kept for the backward pass.")
    overhead: float = _gb("CUDA context, workspaces, allocator slack.")

    @property
    def total(self) -> float:
        """Sum of all components, GB."""
        return sum(getattr(self, name) for name in MEMORY_COMPONENTS)

    def as_dict(self) -> dict[str, float]:
        """Component → GB, plus ``total``."""
        out = {name: getattr(self, name) for name in MEMORY_COMPONENTS}
        out["total"] = self.total
        return out


def memory_per_gpu(
    states: ModelStates, activations: float, overhead_gb: float, sharding: Sharding, gpus: int
) -> MemoryBreakdown:
    """Memory per GPU when model states are sharded over ``gpus`` GPUs.

    Notes
    -----
    ZeRO stages (Rajbhandari et al. 2020, §5): stage 1 divides optimizer states by
    :math:`N`, stage 2 also gradients, stage 3 also weights; PyTorch FSDP ``FULL_SHARD`` is
    stage 3 (Zhao et al. 2023).  Stage 3 gathers full layers before use; with one layer
    prefetched that is a buffer :math:`B = \\min(2 W_{layer}, W)`, so weights per GPU are
    :math:`B + (W - B)/N` (= :math:`W` at :math:`N=1`).  Activations and overhead are per
    GPU and not sharded (data parallelism: each GPU runs its own micro-batch).

    Examples
    --------
    >>> s = ModelStates(weights=8*GIB, gradients=8*GIB, optimizer=8*GIB, adapter_weights=0,
    ...                 adapter_gradients=0, adapter_optimizer=0, layer_weights=0)
    >>> memory_per_gpu(s, 0, 0, "zero2", 4).as_dict()["total"]
    12.0
    """
    n = max(gpus, 1)
    stage = {"none": 0, "zero1": 1, "zero2": 2, "zero3": 3, "fsdp": 3}[sharding]
    opt_div = n if stage >= 1 else 1
    grad_div = n if stage >= 2 else 1
    if stage >= 3:
        whole = states.weights + states.adapter_weights
        buffer = min(2 * states.layer_weights, whole)
        share = (buffer + (whole - buffer) / n) / whole if whole else 1.0
    else:
        share = 1.0
    return MemoryBreakdown(
        weights=states.weights * share / GIB,
        gradients=states.gradients / grad_div / GIB,
        optimizer=states.optimizer / opt_div / GIB,
        adapters=(states.adapter_weights * share + states.adapter_gradients / grad_div) / GIB,
        adapter_optimizer=states.adapter_optimizer / opt_div / GIB,
        activations=activations / GIB,
        overhead=overhead_gb,
    )


MAX_GPUS = 100_000


def min_gpus(
    states: ModelStates,
    activations: float,
    overhead_gb: float,
    sharding: Sharding,
    capacity_gb: float,
) -> int | None:
    """Smallest GPU count whose per-GPU memory fits ``capacity_gb`` (None: no count does).

    Notes
    -----
    Per-GPU memory is :math:`R + S/N` (replicated part R, sharded part S, see
    :func:`memory_per_gpu`), so :math:`N = \\lceil S / (C - R) \\rceil` when :math:`C > R`.

    Examples
    --------
    >>> s = ModelStates(weights=8*GIB, gradients=8*GIB, optimizer=48*GIB, adapter_weights=0,
    ...                 adapter_gradients=0, adapter_optimizer=0, layer_weights=0)
    >>> min_gpus(s, 4*GIB, 1.0, "zero3", 40.0), min_gpus(s, 4*GIB, 1.0, "none", 40.0)
    (2, None)
    """
    one = memory_per_gpu(states, activations, overhead_gb, sharding, 1).total
    if one <= capacity_gb:
        return 1
    if sharding == "none":
        return None
    big = memory_per_gpu(states, activations, overhead_gb, sharding, MAX_GPUS).total
    # total(N) = R + S/N  ⇒ solve from two evaluations.
    sharded = (one - big) / (1 - 1 / MAX_GPUS)
    replicated = one - sharded
    if capacity_gb <= replicated:
        return None
    n = max(1, math.ceil(sharded / (capacity_gb - replicated) - 1e-9))
    while (
        n <= MAX_GPUS
        and memory_per_gpu(states, activations, overhead_gb, sharding, n).total > capacity_gb
    ):
        n += 1
    return n if n <= MAX_GPUS else None


# --------------------------------------------------------------------------------------
# FLOPs, time, cost
# --------------------------------------------------------------------------------------


class FlopsBreakdown(BaseModel, frozen=True, extra="forbid"):
    """Training FLOPs per token and in total."""

    per_token_model: float = Field(
        description="Model FLOPs per token (no recomputation).",
        json_schema_extra={"unit": "FLOP/token"},
    )
    per_token_recompute: float = Field(
        description="Extra FLOPs per token from gradient checkpointing.",
        json_schema_extra={"unit": "FLOP/token"},
    )
    tokens: float = Field(
        description="Tokens processed: dataset tokens × epochs.",
        json_schema_extra={"unit": "tokens"},
    )
    total_model: float = Field(
        description="Model FLOPs for the run.",
        json_schema_extra={"unit": "FLOP"},
    )
    total_executed: float = Field(
        description="FLOPs executed incl. recomputation.",
        json_schema_extra={"unit": "FLOP"},
    )
    formula: str = Field(description="The formula used, in words.")


def training_flops(
    method: Method,
    arch: Architecture,
    counts: ParamCounts,
    trainable: int,
    seq_len: int,
    tokens: float,
    checkpointing: bool,
) -> FlopsBreakdown:
    """Training FLOPs of ``method`` for ``tokens`` tokens.

    Notes
    -----
    A matmul with :math:`N` weights costs :math:`2N` FLOPs per token forward and :math:`4N`
    backward (input and weight gradients), hence :math:`6ND` (Kaplan et al. 2020 §2.1);
    attention scores and their reduction add :math:`12 L d_q s` per token (Chowdhery et al.
    2022, PaLM, App. B).  Frozen weights need no weight gradient, so LoRA/QLoRA cost
    :math:`(4N + 12 L d_q s + 6 N_{adapter}) D`.  Gradient checkpointing re-runs the blocks'
    forward pass: :math:`+ (2N_{blocks} + 4 L d_q s + 2N_{adapter}) D` — +33 % for full,
    +50 % for LoRA.  :math:`N` counts weights used in a matmul (block linears + output
    layer; the input embedding is a lookup).

    Examples
    --------
    >>> arch = get_preset("Llama-2-7B").architecture
    >>> c = param_counts(arch)
    >>> f = training_flops("full", arch, c, c.total, 2048, 1e9, False)
    >>> # 6·N·D + 8 % attention − 2 % embedding lookup
    >>> round(f.total_model / (6 * c.total * 1e9), 2)
    1.06
    """
    attn_fwd = 4 * arch.layers * arch.q_dim * seq_len
    n = counts.matmul
    if method == "full":
        per_token = 6 * n + 3 * attn_fwd
        formula = "6·N·D + 12·L·d_q·s·D (full: forward 2N, backward 4N)"
        adapter_fwd = 0.0
    else:
        per_token = 4 * n + 3 * attn_fwd + 6 * trainable
        formula = "4·N·D + 12·L·d_q·s·D + 6·N_adapter·D (frozen weights: no weight gradients)"
        adapter_fwd = 2 * trainable
    recompute = (2 * counts.block_linear + attn_fwd + adapter_fwd) if checkpointing else 0.0
    if checkpointing:
        formula += " + recompute of the blocks' forward (2·N_blocks + 4·L·d_q·s + 2·N_adapter)·D"
    return FlopsBreakdown(
        per_token_model=per_token,
        per_token_recompute=recompute,
        tokens=tokens,
        total_model=per_token * tokens,
        total_executed=(per_token + recompute) * tokens,
        formula=formula,
    )


def wall_hours(
    flops: float, gpus: int, peak_flops: float, mfu: float, slowdown: float = 1.0
) -> float:
    """Compute hours: executed FLOPs ÷ (GPUs × peak × utilization) × slowdown.

    This is the wall time of a run that never waits for the interconnect; the wall time
    reported adds the communication not hidden behind compute (:func:`communication`).

    Examples
    --------
    >>> round(wall_hours(1e18, 1, 312e12, 0.35), 2)
    2.54
    """
    return flops / (gpus * peak_flops * mfu) * slowdown / 3600


# --------------------------------------------------------------------------------------
# Communication (ZeRO / FSDP traffic over the interconnect)
# --------------------------------------------------------------------------------------


class CommVolume(BaseModel, frozen=True, extra="forbid"):
    """Bytes each GPU sends per optimizer step, and what they are."""

    bytes_per_step: float = Field(
        description="Bytes each GPU sends (and receives) per optimizer step.",
        json_schema_extra={"unit": "B"},
    )
    pattern: str = Field(description="The collectives, in words.")


def comm_volume(
    method: Method, states: ModelStates, sharding: Sharding, gpus: int, accumulation: int = 1
) -> CommVolume:
    """Bytes each GPU sends per optimizer step under data parallelism with ``sharding``.

    Parameters
    ----------
    method : full, lora or qlora (what is trained, hence what is reduced).
    states : the unsharded model-state bytes (:func:`model_states`).
    sharding : none (DDP), zero1, zero2, zero3 or fsdp (= zero3).
    gpus : data-parallel GPUs :math:`n`.
    accumulation : micro-batches per optimizer step :math:`A`.

    Returns
    -------
    CommVolume: bytes per GPU per step and the pattern in words.

    Notes
    -----
    A ring all-reduce of :math:`S` bytes sends :math:`2\\frac{n-1}{n}S` per GPU (a
    reduce-scatter and an all-gather of :math:`\\frac{n-1}{n}S` each; Patarasuk & Yuan
    2009; nccl-tests ``doc/PERFORMANCE.md``).  With :math:`f = \\frac{n-1}{n}`, :math:`G` the
    bytes of the trained gradients, :math:`W_t` of the trained weights, :math:`W` of every
    weight held (frozen base + adapters):

    * DDP: :math:`2fG` once per step (gradients all-reduced at the accumulation boundary);
    * ZeRO-1: :math:`fG + fW_t` — reduce-scatter the gradients, all-gather the updated
      weights: the same :math:`2Ψ` as DDP (Rajbhandari et al. 2020, §7.2.1);
    * ZeRO-2: :math:`A·fG + fW_t` — as ZeRO-1, but gradients are reduce-scattered in every
      micro-batch's backward (DeepSpeed stage 2, FSDP ``SHARD_GRAD_OP``);
    * ZeRO-3 / FSDP full shard: :math:`A·(2fW + fG)` — every micro-batch all-gathers the
      weights for the forward and again for the backward, then reduce-scatters the
      gradients: :math:`3Ψ`, 1.5× DDP (Rajbhandari et al. 2020, §7.2.2; Zhao et al. 2023,
      §3.2).

    Full fine-tuning trains every weight (:math:`G = W_t = W` in the compute precision).
    LoRA / QLoRA train only the adapters, so DDP and ZeRO-1/2 move only the adapters' fp32
    gradients and weights (megabytes); but the module shards the *frozen* base weights
    too under ZeRO-3 / FSDP (see :func:`memory_per_gpu`), so those are all-gathered in
    every forward and backward — for QLoRA in their packed NF4 form (FSDP + QLoRA as in
    Answer.AI's 2024 release).

    Examples
    --------
    >>> psi = 1e9  # 1 GB of bf16 gradients and weights
    >>> s = ModelStates(weights=psi, gradients=psi, optimizer=6 * psi, adapter_weights=0,
    ...                 adapter_gradients=0, adapter_optimizer=0, layer_weights=0)
    >>> [comm_volume("full", s, z, 8).bytes_per_step / psi for z in ("none", "zero1", "zero3")]
    [1.75, 1.75, 2.625]
    """
    n = max(gpus, 1)
    if n == 1:
        return CommVolume(bytes_per_step=0.0, pattern="one GPU: nothing to communicate")
    f = (n - 1) / n
    a = max(accumulation, 1)
    if method == "full":
        grads, trained = states.gradients, states.weights
        what = "gradients"
    else:
        grads, trained = states.adapter_gradients, states.adapter_weights
        what = "adapter gradients"
    every = "every micro-batch" if a == 1 else f"each of the {a} micro-batches"
    if sharding == "none":
        return CommVolume(
            bytes_per_step=2 * f * grads,
            pattern=f"DDP: all-reduce of the {what} once per optimizer step",
        )
    if sharding == "zero1":
        return CommVolume(
            bytes_per_step=f * grads + f * trained,
            pattern=f"ZeRO-1: reduce-scatter of the {what} and all-gather of the updated "
            "weights, once per optimizer step",
        )
    if sharding == "zero2":
        return CommVolume(
            bytes_per_step=a * f * grads + f * trained,
            pattern=f"ZeRO-2: reduce-scatter of the {what} in {every}, all-gather of the "
            "updated weights once per step",
        )
    held = states.weights + states.adapter_weights
    name = "ZeRO-3" if sharding == "zero3" else "FSDP"
    frozen = "" if method == "full" else " (the frozen base too)"
    return CommVolume(
        bytes_per_step=a * (2 * f * held + f * grads),
        pattern=f"{name}: all-gather of the weights{frozen} for the forward and again for "
        f"the backward, and reduce-scatter of the {what}, in {every}",
    )


def step_seconds(compute_s: float, comm_s: float, overlap: float) -> float:
    """Seconds per optimizer step when a share ``overlap`` of the shorter part is hidden.

    Notes
    -----
    :math:`t = \\max(t_c, t_m) + (1 - φ)\\min(t_c, t_m)`: :math:`φ = 1` is perfect overlap
    (the longer of compute and communication), :math:`φ = 0` none (their sum).  It never
    falls below :math:`t_c` and never decreases when :math:`t_m` grows.  See
    :data:`DEFAULT_COMM_OVERLAP` for the sources.

    Examples
    --------
    >>> step_seconds(10.0, 4.0, 0.5), step_seconds(10.0, 4.0, 1.0), step_seconds(10.0, 4.0, 0.0)
    (12.0, 10.0, 14.0)
    """
    return max(compute_s, comm_s) + (1.0 - overlap) * min(compute_s, comm_s)


class CommunicationBreakdown(BaseModel, frozen=True, extra="forbid"):
    """Data-parallel traffic per optimizer step, the link it crosses and what it costs in time."""

    pattern: str = Field(description="Which collectives run, in words.")
    link: str = Field(description="The link that bounds the collectives.")
    link_description: str = Field(description="The link, where it is and its speeds, in words.")
    crosses_nodes: bool = Field(description="True when the GPUs span several nodes.")
    nodes: int = Field(description="Nodes the GPUs span.")
    link_gbps: float | None = Field(
        description="Datasheet bandwidth of that link per direction (None: one GPU).",
        json_schema_extra={"unit": "GB/s"},
    )
    effective_gbps: float | None = Field(
        description="Datasheet bandwidth × link efficiency.", json_schema_extra={"unit": "GB/s"}
    )
    bytes_per_step: float = Field(
        description="Bytes each GPU sends per optimizer step.", json_schema_extra={"unit": "B"}
    )
    global_batch_tokens: float = Field(
        description="Tokens per optimizer step: micro-batch × sequence × GPUs × accumulation.",
        json_schema_extra={"unit": "tokens"},
    )
    steps: float = Field(description="Optimizer steps: tokens ÷ global batch tokens.")
    compute_s_per_step: float = Field(
        description="Compute time per optimizer step.", json_schema_extra={"unit": "s"}
    )
    communication_s_per_step: float = Field(
        description="Transfer time per optimizer step.", json_schema_extra={"unit": "s"}
    )
    step_s: float = Field(
        description="Time per optimizer step with the overlap assumed.",
        json_schema_extra={"unit": "s"},
    )
    overlap: float = Field(description="Share of the shorter part hidden behind the longer.")
    comm_to_compute: float = Field(
        description="Transfer time ÷ compute time per step (> 1: communication-bound)."
    )
    source: str = Field(description="Where the link figures come from.")

    @property
    def bound(self) -> bool:
        """True when a step spends longer on the interconnect than on compute."""
        return self.comm_to_compute > 1.0

    @property
    def share_of_step(self) -> float:
        """Transfer time ÷ step time (≤ 1: with overlap part of it runs beside compute)."""
        return self.communication_s_per_step / self.step_s if self.step_s else 0.0


def describe_link(gpu: Gpu, gpus: int, efficiency: float) -> str:
    """The link a collective over ``gpus`` GPUs crosses, in words with its speeds.

    Examples
    --------
    >>> describe_link(get_gpu("A100 80GB"), 8, 0.7)
    'NVLink 3 via NVSwitch inside one node (300 GB/s per GPU per direction, 210 GB/s achieved)'
    """
    link = gpu.collective_link(gpus)
    if link.gbps is None:
        return "no interconnect (one GPU)"
    achieved = link.gbps * efficiency
    if not link.crosses_nodes:
        return (
            f"{link.link} inside one node ({link.gbps:,.3g} GB/s per GPU per direction, "
            f"{achieved:,.3g} GB/s achieved)"
        )
    return (
        f"{link.link} between {link.nodes} nodes of {gpu.gpus_per_node} GPUs "
        f"({link.gbps:,.3g} GB/s per node per direction, {achieved:,.3g} GB/s achieved)"
    )


def communication(
    method: Method,
    states: ModelStates,
    gpu: Gpu,
    gpus: int,
    inputs: FinetuneInputs,
    flops_per_token: float,
    peak_flops: float,
    slowdown: float = 1.0,
) -> CommunicationBreakdown:
    """Per-step compute and communication time of one method on ``gpus`` GPUs.

    Notes
    -----
    Per optimizer step each GPU processes :math:`T = b·s·A` tokens, so
    :math:`t_c = T·C_\\text{token} / (\\text{peak}·u) × σ` and
    :math:`t_m = V / (B·η)` with :math:`V` from :func:`comm_volume`, :math:`B` the
    bounding link of :meth:`Gpu.collective_link` (the GPU's own link inside one node, the
    slower of it and the node's NICs across nodes) and :math:`η` the link efficiency;
    :math:`t = ` :func:`step_seconds`; steps :math:`= D / (T·n)`.

    Examples
    --------
    >>> i = FinetuneInputs(model="Llama-2-70B", method="full", gpu="RTX 4090", num_gpus=63)
    >>> evaluate_method(i).communication.bound  # 63 consumer cards over 25 GbE
    True
    """
    n = max(gpus, 1)
    vol = comm_volume(method, states, inputs.sharding, n, inputs.gradient_accumulation)
    link = gpu.collective_link(n)
    tokens_per_gpu_step = inputs.micro_batch * inputs.seq_len * inputs.gradient_accumulation
    global_batch = tokens_per_gpu_step * n
    compute_s = tokens_per_gpu_step * flops_per_token / (peak_flops * inputs.mfu) * slowdown
    effective = None if link.gbps is None else link.gbps * inputs.bandwidth_efficiency
    comm_s = (
        0.0
        if not vol.bytes_per_step or effective is None
        else (vol.bytes_per_step / (effective * 1e9))
    )
    return CommunicationBreakdown(
        pattern=vol.pattern,
        link=link.link,
        link_description=describe_link(gpu, n, inputs.bandwidth_efficiency),
        crosses_nodes=link.crosses_nodes,
        nodes=link.nodes,
        link_gbps=link.gbps,
        effective_gbps=effective,
        bytes_per_step=vol.bytes_per_step,
        global_batch_tokens=global_batch,
        steps=inputs.dataset_tokens * inputs.epochs / global_batch,
        compute_s_per_step=compute_s,
        communication_s_per_step=comm_s,
        step_s=step_seconds(compute_s, comm_s, inputs.comm_overlap),
        overlap=inputs.comm_overlap,
        comm_to_compute=comm_s / compute_s if compute_s else 0.0,
        source=gpu.interconnect_source,
    )


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


class MethodResult(BaseModel, frozen=True, extra="forbid"):
    """One method's figures."""

    method: Method
    total_params: int = Field(description="Parameters of the base model.")
    trainable_params: int = Field(description="Parameters updated by training.")
    trainable_share: float = Field(description="trainable ÷ total.")
    memory: MemoryBreakdown = Field(description="Memory per GPU at the GPU count used.")
    memory_single_gpu: MemoryBreakdown = Field(description="Memory if one GPU held everything.")
    gpu_name: str = Field(description="The GPU the figures are for.")
    gpu_memory_gb: float = Field(description="Memory of one GPU.", json_schema_extra={"unit": "GB"})
    fits: bool = Field(description="Memory per GPU ≤ GPU memory at the GPU count used.")
    gpus_needed: int | None = Field(description="Smallest GPU count that fits (None: none does).")
    gpus_used: int = Field(description="GPUs the time and cost are for.")
    flops: FlopsBreakdown
    compute_hours: float = Field(
        description="Time the GPUs spend computing: FLOPs ÷ (GPUs × peak × utilization).",
        json_schema_extra={"unit": "h"},
    )
    communication_hours: float = Field(
        description="Time the interconnect spends moving data (part of it runs beside compute).",
        json_schema_extra={"unit": "h"},
    )
    communication: CommunicationBreakdown
    wall_hours: float = Field(
        description="Wall-clock training time: compute + the communication not hidden by overlap.",
        json_schema_extra={"unit": "h"},
    )
    gpu_hours: float = Field(description="GPUs × wall time.", json_schema_extra={"unit": "GPU·h"})
    cost_usd: float = Field(
        description="GPU-hours × price per GPU-hour.",
        json_schema_extra={"unit": "USD"},
    )
    usd_per_gpu_hour: float
    warnings: tuple[str, ...] = Field(
        (), description="Plain-language warnings about this method's figures."
    )
    communication_warning: str | None = Field(
        None,
        description="The warning (also in warnings) about the wall time's communication part, "
        "to show beside the time figures; None when communication matters little.",
    )

    @property
    def activation_share(self) -> float:
        """Activations ÷ total memory per GPU."""
        return self.memory.activations / self.memory.total if self.memory.total else 0.0

    @property
    def exposed_communication_hours(self) -> float:
        """Wall time minus compute time: the hours spent waiting for the interconnect."""
        return self.wall_hours - self.compute_hours


def evaluate_method(inputs: FinetuneInputs, method: Method | None = None) -> MethodResult:
    """All figures for one method (``inputs.method`` unless given).

    Examples
    --------
    >>> r = evaluate_method(FinetuneInputs(model="Llama-2-7B", method="lora", rank=8))
    >>> r.trainable_params, r.gpus_needed
    (4194304, 1)
    """
    method = method or inputs.method
    arch = inputs.resolved_architecture()
    gpu = inputs.resolved_gpu()
    counts = param_counts(arch)
    p = PRECISIONS[inputs.precision]
    if method == "full":
        trainable, modules = counts.total, 0
    else:
        trainable = lora_params(arch, inputs.rank, inputs.targets)
        modules = len(expand_targets(arch, inputs.targets))
    states = model_states(method, counts, trainable, inputs.precision, inputs.optimizer)
    acts = activation_bytes(
        arch,
        inputs.seq_len,
        inputs.micro_batch,
        checkpointing=inputs.gradient_checkpointing,
        flash_attention=inputs.flash_attention,
        lora_modules=modules,
        rank=inputs.rank if method != "full" else 0,
        value_bytes=int(p["bytes"]),
    )
    needed = min_gpus(states, acts, inputs.overhead_gb, inputs.sharding, gpu.memory_gb)
    used = inputs.num_gpus or needed or 1
    memory = memory_per_gpu(states, acts, inputs.overhead_gb, inputs.sharding, used)
    fits = memory.total <= gpu.memory_gb
    tokens = inputs.dataset_tokens * inputs.epochs
    flops = training_flops(
        method, arch, counts, trainable, inputs.seq_len, tokens, inputs.gradient_checkpointing
    )
    slowdown = inputs.qlora_slowdown if method == "qlora" else 1.0
    peak = gpu.peak_flops(str(p["peak"]))
    compute_h = wall_hours(flops.total_executed, used, peak, inputs.mfu, slowdown)
    comm = communication(
        method,
        states,
        gpu,
        used,
        inputs,
        flops.per_token_model + flops.per_token_recompute,
        peak,
        slowdown,
    )
    exposed_s = max(0.0, comm.step_s - comm.compute_s_per_step)
    hours = compute_h + comm.steps * exposed_s / 3600
    result = MethodResult(
        method=method,
        total_params=counts.total,
        trainable_params=trainable,
        trainable_share=trainable / counts.total,
        memory=memory,
        memory_single_gpu=memory_per_gpu(states, acts, inputs.overhead_gb, inputs.sharding, 1),
        gpu_name=gpu.name,
        gpu_memory_gb=gpu.memory_gb,
        fits=fits,
        gpus_needed=needed,
        gpus_used=used,
        flops=flops,
        compute_hours=compute_h,
        communication_hours=comm.steps * comm.communication_s_per_step / 3600,
        communication=comm,
        wall_hours=hours,
        gpu_hours=hours * used,
        cost_usd=hours * used * gpu.usd_per_hour,
        usd_per_gpu_hour=gpu.usd_per_hour,
    )
    return result.model_copy(
        update={
            "warnings": method_warnings(result, inputs),
            "communication_warning": communication_warning(result, inputs),
        }
    )


def method_warnings(r: MethodResult, inputs: FinetuneInputs) -> tuple[str, ...]:
    """Plain-language warnings for one method's result."""
    label = METHOD_LABELS[r.method]
    out: list[str] = []
    if not r.fits:
        if r.gpus_needed is None:
            hint = " Shard the model states (ZeRO-3 / FSDP)," if inputs.sharding == "none" else ""
            out.append(
                f"{label} does not fit on any number of {r.gpu_name} GPUs with these settings "
                f"({r.memory.total:,.1f} GB per GPU, {r.gpu_memory_gb:,.0f} GB available).{hint} "
                "Reduce micro-batch or sequence length, or enable gradient checkpointing."
            )
        else:
            out.append(
                f"{label} needs {r.memory.total:,.1f} GB per GPU on {fmt_gpus(r.gpus_used)} "
                "but one "
                f"{r.gpu_name} has {r.gpu_memory_gb:,.0f} GB: use at least {r.gpus_needed} GPUs."
            )
    comm_note = communication_warning(r, inputs)
    if comm_note:
        out.append(comm_note)
    if r.activation_share > 0.5:
        out.append(
            f"Activations are {r.activation_share:.0%} of {label}'s memory per GPU "
            f"({r.memory.activations:,.1f} GB at {inputs.seq_len:,} tokens × {inputs.micro_batch} "
            "sequences): long context dominates; "
            + (
                "lower the micro-batch or sequence length."
                if inputs.gradient_checkpointing
                else "gradient checkpointing would cut them sharply."
            )
        )
    return tuple(out)


COMM_BOUND_RATIO = 1.0
"""Communication-bound: a step's transfers take longer than its compute (then, with no
overlap, communication is over half of the step)."""
COMM_NOTE_SHARE = 0.25
"""Below the bound, say so when waiting for the interconnect adds ≥ 25 % to the wall time."""


def communication_warning(r: MethodResult, inputs: FinetuneInputs) -> str | None:
    """A plain-language warning when the interconnect, not the GPUs, sets the wall time.

    Communication-bound (transfers per step > compute per step): names the interconnect,
    the traffic and both times, says the GPU count is the memory minimum when the module
    chose it, and suggests what helps.  Otherwise, when waiting adds at least
    :data:`COMM_NOTE_SHARE` to the wall time, a shorter note.  None otherwise.
    """
    c = r.communication
    label = METHOD_LABELS[r.method]
    if c.bytes_per_step <= 0 or c.effective_gbps is None:
        return None
    per_step = (
        f"{fmt_seconds(c.communication_s_per_step)} of transfers against "
        f"{fmt_seconds(c.compute_s_per_step)} of compute"
    )
    where = (
        f"{c.link} between {c.nodes} nodes ({c.effective_gbps:,.3g} GB/s achieved per node)"
        if c.crosses_nodes
        else f"{c.link} ({c.effective_gbps:,.3g} GB/s achieved per GPU)"
    )
    if c.comm_to_compute > COMM_BOUND_RATIO:
        zero3 = inputs.sharding in ("zero3", "fsdp")
        helps = [
            "fewer, larger GPUs that fit in one NVLink node, or nodes joined by InfiniBand"
            if c.crosses_nodes
            else "GPUs joined by NVLink"
        ]
        if zero3:
            helps.append("a larger micro-batch (ZeRO-3 / FSDP re-gather the weights for each one)")
        if r.method == "full":
            helps.append(
                "LoRA or QLoRA (only adapter gradients are reduced"
                + ("; ZeRO-3 still gathers the frozen weights)" if zero3 else ")")
            )
        chosen = (
            f" {r.gpus_used} is the fewest {r.gpu_name} that hold the run in memory: memory "
            "sets that count, the interconnect sets the time."
            if inputs.num_gpus == 0 and r.gpus_needed == r.gpus_used
            else ""
        )
        return (
            f"{label} is communication-bound: each optimizer step moves "
            f"{fmt_bytes(c.bytes_per_step)} per GPU over {where}, {per_step}. The run takes "
            f"{fmt_hours(r.wall_hours)} instead of {fmt_hours(r.compute_hours)}, and the GPUs "
            f"wait for the network {r.exposed_communication_hours / r.wall_hours:.0%} of the "
            f"time.{chosen} What helps: " + "; ".join(helps) + "."
        )
    if r.wall_hours and r.exposed_communication_hours / r.wall_hours >= COMM_NOTE_SHARE:
        return (
            f"{label} takes {r.exposed_communication_hours / r.compute_hours:.0%} longer than "
            f"its compute: each optimizer step moves {fmt_bytes(c.bytes_per_step)} per GPU "
            f"over {where}, {per_step}."
        )
    return None


class CaseStudyRow(BaseModel, frozen=True, extra="forbid"):
    """Seed 002's quoted figures for one method beside the computed ones."""

    method: Method
    quoted_gpus: int
    quoted_days: float
    quoted_usd: float
    quoted_gpu_hours: float
    quoted_usd_per_gpu_hour: float = Field(description="Price per GPU-hour the quote implies.")
    computed_gpus: int
    computed_days: float = Field(description="Wall days, communication included.")
    computed_compute_days: float = Field(description="Days of compute alone (no communication).")
    computed_model_days: float = Field(
        description="Days for the model FLOPs alone (no recomputation, no communication)."
    )
    computed_gpu_hours: float
    computed_usd: float
    computed_memory_gb: float
    computed_fits: bool
    implied_mfu: float = Field(
        description="Utilization at which the computed FLOPs take the quoted days on the "
        "quoted GPUs."
    )
    implied_mfu_model: float = Field(
        description="The same for the model FLOPs alone (no gradient-checkpointing recompute)."
    )


class CaseStudy(BaseModel, frozen=True, extra="forbid"):
    """Seed 002's case study, quoted vs computed, and why they differ."""

    rows: tuple[CaseStudyRow, ...]
    explanation: tuple[str, ...]


SEED_002_QUOTES: dict[str, dict[str, float]] = {
    # seed 002, "Case Study: The Enterprise Fine-Tuning Trap"
    "full": {
        "gpus": 8,
        "days": 14,
        "usd": 150_000,
    },  # "8× A100 GPUs for two weeks", "approximately $150,000"
    "lora": {
        "gpus": 1,
        "days": 3,
        "usd": 2_000,
    },  # "1× A100 for three days", "approximately $2,000"
}
SEED_002_TOKENS = 2e9
"""Seed 002 case study: "roughly 2 billion tokens after processing"."""


def case_study_inputs(**overrides: object) -> FinetuneInputs:
    """The seed 002 case study as inputs: 7B model, 2B tokens, one epoch, A100 80GB.

    The seed states neither epochs, sequence length, batch nor LoRA settings; ScaleRisk
    assumes one epoch, 2,048-token sequences, micro-batch 4, checkpointing, ZeRO-3,
    LoRA r = 8 on q/v (PEFT defaults).  The seed says "A100" without the memory size; the
    80 GB part is taken.
    """
    base = dict(
        model=SEED_CASE_MODEL,
        method="lora",
        rank=8,
        targets=("q_proj", "v_proj"),
        dataset_tokens=SEED_002_TOKENS,
        epochs=1.0,
        gpu="A100 80GB",
        seq_len=2048,
        micro_batch=4,
        gradient_checkpointing=True,
        sharding="zero3",
    )
    base.update(overrides)
    return FinetuneInputs.model_validate(base)


def _case_time_text(
    inputs: FinetuneInputs,
    gpu: Gpu,
    full: CaseStudyRow,
    lora: CaseStudyRow,
    r_full: MethodResult,
    r_lora: MethodResult,
) -> str:
    """The case study's "Time" sentence, with and without gradient-checkpointing recompute."""
    tokens = f"{inputs.dataset_tokens * inputs.epochs / 1e9:,.1f}B tokens"
    mfu = f"{inputs.mfu:.0%}"
    if inputs.gradient_checkpointing:
        full_time = (
            f"{full.computed_model_days:,.1f} days for the model FLOPs alone "
            f"({fmt_flops(r_full.flops.total_model)} FLOP, ≈ 6·N·D) and "
            f"{full.computed_compute_days:,.1f} with gradient checkpointing's recompute "
            f"({fmt_flops(r_full.flops.total_executed)} FLOP)"
        )
    else:
        executed = fmt_flops(r_full.flops.total_executed)
        full_time = f"{full.computed_compute_days:,.1f} days ({executed} FLOP)"
    comm = r_full.communication
    added = full.computed_days / full.computed_compute_days - 1 if full.computed_compute_days else 0
    comm_text = (
        f"; {SHARDING_LABELS[inputs.sharding]} traffic over {comm.link} adds {added:.0%} "
        f"({full.computed_days:,.2f} days)"
        if comm.communication_s_per_step > 0
        else ""
    )
    text = (
        f"Time: {tokens} of full fine-tuning on {full.quoted_gpus} {gpu.name} at {mfu} "
        f"utilization take {full_time}{comm_text}. Two weeks on {full.quoted_gpus} GPUs would "
        f"mean only {full.implied_mfu:.1%} utilization (or about "
        f"{inputs.mfu / full.implied_mfu if full.implied_mfu else 0:,.0f} epochs). "
    )
    if inputs.gradient_checkpointing:
        text += (
            f"The LoRA quote (3 days on 1 GPU) implies {lora.implied_mfu:.0%} utilization with "
            f"gradient checkpointing ({fmt_flops(r_lora.flops.total_executed)} FLOP) and "
            f"{lora.implied_mfu_model:.0%} without it ({fmt_flops(r_lora.flops.total_model)} FLOP)"
        )
        if lora.implied_mfu > 1 >= lora.implied_mfu_model:
            text += (
                ": above the GPU's peak with checkpointing, so reachable only without it, at a "
                "utilization few fine-tuning runs sustain."
            )
        elif lora.implied_mfu_model > 1:
            text += ": above the GPU's peak either way, so not achievable."
        else:
            text += "."
    else:
        text += f"The LoRA quote (3 days on 1 GPU) implies {lora.implied_mfu:.0%} utilization" + (
            ": above the GPU's peak, so not achievable." if lora.implied_mfu > 1 else "."
        )
    return text


def case_study(inputs: FinetuneInputs) -> CaseStudy:
    """Compare seed 002's quoted case-study figures with the computed ones.

    Each quoted row is recomputed with the quoted GPU count and the other settings of
    ``inputs``; the quote's implied price per GPU-hour and implied utilization show where
    the gap comes from.

    Examples
    --------
    >>> cs = case_study(case_study_inputs())
    >>> round(cs.rows[0].quoted_usd_per_gpu_hour, 2)  # $150,000 / (8 × 14 × 24 GPU-h)
    55.8
    """
    gpu = inputs.resolved_gpu()
    peak = gpu.peak_flops(str(PRECISIONS[inputs.precision]["peak"]))
    rows = []
    results = []
    for method, q in SEED_002_QUOTES.items():
        r = evaluate_method(inputs.model_copy(update={"num_gpus": int(q["gpus"])}), method)  # type: ignore[arg-type]
        results.append(r)
        quoted_hours = q["gpus"] * q["days"] * 24
        quoted_flop_capacity = q["gpus"] * peak * q["days"] * 86400
        implied = r.flops.total_executed / quoted_flop_capacity
        slowdown = inputs.qlora_slowdown if method == "qlora" else 1.0
        model_hours = wall_hours(r.flops.total_model, r.gpus_used, peak, inputs.mfu, slowdown)
        rows.append(
            CaseStudyRow(
                method=method,  # type: ignore[arg-type]
                quoted_gpus=int(q["gpus"]),
                quoted_days=q["days"],
                quoted_usd=q["usd"],
                quoted_gpu_hours=quoted_hours,
                quoted_usd_per_gpu_hour=q["usd"] / quoted_hours,
                computed_gpus=r.gpus_used,
                computed_days=r.wall_hours / 24,
                computed_compute_days=r.compute_hours / 24,
                computed_model_days=model_hours / 24,
                computed_gpu_hours=r.gpu_hours,
                computed_usd=r.cost_usd,
                computed_memory_gb=r.memory.total,
                computed_fits=r.fits,
                implied_mfu=implied,
                implied_mfu_model=r.flops.total_model / quoted_flop_capacity,
            )
        )
    full, lora = rows
    explanation = (
        f"Price: the quotes imply ${full.quoted_usd_per_gpu_hour:,.2f} per GPU-hour (full: "
        f"${full.quoted_usd:,.0f} ÷ {full.quoted_gpu_hours:,.0f} GPU-h) and "
        f"${lora.quoted_usd_per_gpu_hour:,.2f} (LoRA: ${lora.quoted_usd:,.0f} ÷ "
        f"{lora.quoted_gpu_hours:,.0f} GPU-h); one {gpu.name} costs "
        f"${gpu.usd_per_hour:,.2f} per hour in the catalogue. Neither quote follows from its "
        "own GPUs × days.",
        _case_time_text(inputs, gpu, full, lora, *results),
        "Compute: LoRA removes the weight gradients of frozen weights, about one third of the "
        "FLOPs per token (4·N·D instead of 6·N·D), not 90–99 % as the seed's table "
        "('relative compute cost 1–10 %') says. The computed LoRA run takes "
        f"{lora.computed_gpu_hours:,.0f} GPU-h against {full.computed_gpu_hours:,.0f} for full: "
        "LoRA's saving is memory (one GPU instead of several), not FLOPs.",
        "Trainable parameters: the seed's '70–700 million (1–10 %)' is far above LoRA's real "
        f"count; rank {inputs.rank} on {', '.join(inputs.targets)} trains "
        f"{lora_params(inputs.resolved_architecture(), inputs.rank, inputs.targets):,} parameters.",
    )
    return CaseStudy(rows=tuple(rows), explanation=explanation)


class FinetuneComparison(BaseModel, frozen=True, extra="forbid"):
    """Full vs LoRA vs QLoRA for the same model, data and hardware."""

    inputs: FinetuneInputs
    architecture: Architecture
    params: ParamCounts
    published_params: int | None = Field(
        description="Published exact count of the preset (None: custom)."
    )
    selected: MethodResult = Field(description="The method chosen in the inputs.")
    methods: dict[str, MethodResult] = Field(description="full, lora and qlora results.")
    warnings: tuple[str, ...] = Field(
        description="Every method's warnings, then the comparison's own, as plain sentences."
    )
    case_study: CaseStudy | None = None

    @property
    def warnings_by_method(self) -> dict[str, tuple[str, ...]]:
        """Method label → that method's warnings (for notes beside each method's figures).

        >>> c = compare_methods(FinetuneInputs(model="Llama-2-70B", method="full", gpu="RTX 4090"))
        >>> any("communication-bound" in w for w in c.warnings_by_method["Full fine-tuning"])
        True
        """
        return {METHOD_LABELS[m]: self.methods[m].warnings for m in METHODS}


def compare_methods(inputs: FinetuneInputs) -> FinetuneComparison:
    """Evaluate full, LoRA and QLoRA side by side for ``inputs``.

    Examples
    --------
    >>> c = compare_methods(FinetuneInputs(model="Llama-2-7B"))
    >>> [c.methods[m].gpus_needed for m in ("full", "lora", "qlora")]
    [2, 1, 1]
    """
    arch = inputs.resolved_architecture()
    methods = {m: evaluate_method(inputs, m) for m in METHODS}
    warnings: list[str] = []
    for m in METHODS:
        warnings.extend(methods[m].warnings)
    lora, qlora = methods["lora"], methods["qlora"]
    if qlora.gpu_hours > lora.gpu_hours:
        warnings.append(
            f"QLoRA is slower than LoRA: {qlora.gpu_hours:,.1f} GPU-h "
            f"({fmt_hours(qlora.wall_hours)} on {fmt_gpus(qlora.gpus_used)}) against "
            f"{lora.gpu_hours:,.1f} GPU-h ({fmt_hours(lora.wall_hours)} on {lora.gpus_used}), "
            f"×{inputs.qlora_slowdown:.2f} per step for dequantizing NF4 weights; "
            f"it saves {lora.memory_single_gpu.total - qlora.memory_single_gpu.total:,.1f} GB of "
            "unsharded memory. Prefer LoRA where it fits."
        )
    if not any(r.fits for r in methods.values()):
        warnings.append(
            f"Nothing fits on {inputs.num_gpus or 'any number of'} {methods['full'].gpu_name} "
            "GPU(s) with these "
            "settings: shorten sequences, lower the micro-batch, enable checkpointing, shard, "
            "or pick a GPU with more memory."
        )
    preset = None if inputs.model.strip().lower() == "custom" else get_preset(inputs.model)
    study = case_study(inputs) if preset is not None and preset.name == SEED_CASE_MODEL else None
    return FinetuneComparison(
        inputs=inputs,
        architecture=arch,
        params=param_counts(arch),
        published_params=preset.published_params if preset else None,
        selected=methods[inputs.method],
        methods=methods,
        warnings=tuple(warnings),
        case_study=study,
    )


# --------------------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------------------


def fmt_params(n: float) -> str:
    """``6738415616`` → ``'6.74B'``.

    >>> fmt_params(6738415616), fmt_params(4194304)
    ('6.74B', '4.19M')
    """
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= div:
            return f"{n / div:.2f}{suffix}"
    return f"{n:.0f}"


def fmt_hours(h: float) -> str:
    """Hours as ``'5.2 h'`` or ``'3.4 days'``.

    >>> fmt_hours(5.25), fmt_hours(80)
    ('5.2 h', '3.3 days')
    """
    return f"{h:,.1f} h" if h < 48 else f"{h / 24:,.1f} days"


def fmt_flops(x: float, digits: int = 2) -> str:
    """FLOPs in short scientific form: ``'8.6e19'``.

    >>> fmt_flops(8.5727e19), fmt_flops(1.1378e20), fmt_flops(5.7066e19, 3)
    ('8.6e19', '1.1e20', '5.71e19')
    """
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def gpu_summary(gpu: Gpu) -> str:
    """One line on a GPU: memory, peak, price and interconnect.

    >>> gpu_summary(get_gpu("RTX 4090"))  # doctest: +NORMALIZE_WHITESPACE
    '24 GB · 165 TFLOP/s bf16 dense · $0.45/GPU-hour · 8 per node on PCIe 4.0 x16, no NVLink or
    P2P (31.5 GB/s per GPU per direction) · between nodes 25 Gb/s Ethernet (3.12 GB/s per node)'
    """
    head = (
        f"{gpu.memory_gb:,.0f} GB · {gpu.peak_flops('bf16') / 1e12:,.4g} TFLOP/s bf16 dense · "
        f"${gpu.usd_per_hour:,.2f}/GPU-hour"
    )
    if gpu.gpus_per_node == 1 or gpu.intra_node_gbps is None:
        node = "one GPU per node"
    else:
        node = (
            f"{gpu.gpus_per_node} per node on {gpu.intra_node_link} "
            f"({gpu.intra_node_gbps:,.3g} GB/s per GPU per direction)"
        )
    return (
        f"{head} · {node} · between nodes {gpu.inter_node_link} "
        f"({gpu.inter_node_gbps:,.3g} GB/s per node)"
    )


def fmt_gpus(n: int) -> str:
    """``'1 GPU'``, ``'63 GPUs'``.

    >>> fmt_gpus(1), fmt_gpus(63)
    ('1 GPU', '63 GPUs')
    """
    return f"{n:,} GPU" + ("" if n == 1 else "s")


def fmt_seconds(sec: float) -> str:
    """Seconds as ``'0.17 s'``, ``'19.7 s'``, ``'3.1 min'`` or ``'2.0 h'``.

    >>> fmt_seconds(0.1684), fmt_seconds(19.73), fmt_seconds(186.2), fmt_seconds(7300)
    ('0.17 s', '19.7 s', '3.1 min', '2.0 h')
    """
    if sec < 1:
        return f"{sec:.2g} s"
    if sec < 120:
        return f"{sec:,.1f} s"
    if sec < 7200:
        return f"{sec / 60:,.1f} min"
    return f"{sec / 3600:,.1f} h"


def fmt_bytes(n: float) -> str:
    """Bytes in decimal units, as link bandwidths are quoted: ``'407 GB'``, ``'33.6 MB'``.

    >>> fmt_bytes(4.07e11), fmt_bytes(3.36e7), fmt_bytes(1.2e12)
    ('407 GB', '33.6 MB', '1.2 TB')
    """
    for div, suffix in ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if abs(n) >= div:
            return f"{n / div:,.3g} {suffix}"
    return f"{n:,.0f} B"


def fmt_communication(r: MethodResult) -> str:
    """The communication time of a result for display: ``'40.1 h'`` or ``'none (one GPU)'``.

    >>> fmt_communication(evaluate_method(FinetuneInputs()))
    'none (one GPU)'
    """
    if r.communication.bytes_per_step <= 0:
        return "none (one GPU)" if r.gpus_used == 1 else "none"
    return fmt_hours(r.communication_hours)


def _comm_figure(r: MethodResult) -> str:
    """``'36.1 h of transfers, 37.9 h not hidden (90 % of wall time)'`` or ``'none (one GPU)'``."""
    if r.communication.bytes_per_step <= 0:
        return fmt_communication(r)
    share = r.exposed_communication_hours / r.wall_hours if r.wall_hours else 0.0
    return (
        f"{fmt_hours(r.communication_hours)} of transfers, "
        f"{fmt_hours(r.exposed_communication_hours)} "
        f"not hidden ({share:.0%} of wall time)"
    )


def key_figures(
    result: FinetuneComparison, ranges: FinetuneUncertainty | None = None
) -> list[tuple[str, str]]:
    """Headline figures for the PDF report: (label, value with unit); with ``ranges`` (from
    :func:`finetune_uncertainty`) the wall time, GPU-hours, cost — and memory and GPUs when a
    spread moves them — carry their likely range (P10–P90).

    >>> figs = dict(key_figures(compare_methods(FinetuneInputs())))
    >>> figs["Trainable parameters (LoRA)"]
    '4,194,304 (0.062% of 6,738,415,616)'
    """
    figs = _key_figures(result)
    if ranges is None:
        return figs
    likely = range_texts(ranges)
    label = METHOD_LABELS[result.selected.method]
    where = {
        f"Memory per GPU ({label})": "memory_gb",
        f"GPUs needed ({label}, {result.selected.gpu_name})": "gpus_needed",
        f"Wall time ({label})": "wall_hours",
        f"GPU-hours ({label})": "gpu_hours",
        f"Cost ({label})": "cost_usd",
    }
    return [
        (name, f"{value}; {likely[where[name]]}" if likely.get(where.get(name, "")) else value)
        for name, value in figs
    ]


def _key_figures(result: FinetuneComparison) -> list[tuple[str, str]]:
    """:func:`key_figures` without ranges."""
    sel = result.selected
    label = METHOD_LABELS[sel.method]
    needed = "does not fit" if sel.gpus_needed is None else f"{sel.gpus_needed}"
    pct = sel.trainable_share * 100
    figs = [
        ("Model", f"{result.inputs.model} ({result.params.total:,} parameters)"),
        (
            f"Trainable parameters ({label})",
            # a share as "0.062%" / "100%" ("{:.2g}" alone printed 100 as "1e+02")
            f"{sel.trainable_params:,} ({pct:.2g}% of {sel.total_params:,})"
            if pct < 10
            else f"{sel.trainable_params:,} ({pct:.0f}% of {sel.total_params:,})",
        ),
        (f"Memory per GPU ({label})", f"{sel.memory.total:,.1f} GB of {sel.gpu_memory_gb:,.0f} GB"),
        (f"GPUs needed ({label}, {sel.gpu_name})", needed),
        (f"Training FLOPs ({label})", f"{fmt_flops(sel.flops.total_executed, 3)} FLOP"),
        (f"Wall time ({label})", f"{fmt_hours(sel.wall_hours)} on {fmt_gpus(sel.gpus_used)}"),
        (f"Compute time ({label})", fmt_hours(sel.compute_hours)),
        (f"Communication time ({label})", _comm_figure(sel)),
        (f"Interconnect ({label})", sel.communication.link_description),
        (f"GPU-hours ({label})", f"{sel.gpu_hours:,.0f} GPU·h"),
        (f"Cost ({label})", f"${sel.cost_usd:,.0f}"),
    ]
    figs.append(
        (
            "Cost full / LoRA / QLoRA",
            " / ".join(f"${result.methods[m].cost_usd:,.0f}" for m in METHODS),
        )
    )
    return figs


# --------------------------------------------------------------------------------------
# Ranges (issue 12): every headline with its P10–P90 and what drives it
# --------------------------------------------------------------------------------------

MFU_FACTOR = 1.3
"""P90 ÷ median of the achieved utilization: log-normal ×/÷ 1.3 around the input, capped at 1
(issue 12: "an MFU nobody knows to better than ±30 %").  The same factor as the sizing page."""

PRICE_FACTOR = 1.25
"""P90 ÷ median of the price of a GPU-hour: log-normal ×/÷ 1.25 around the catalogue's (or
your) price.  ScaleRisk's assumption, not a seed figure (the same as the sizing page): one
GPU type's hourly price varies between clouds, commitments and months by at least this much."""

QLORA_SLOWDOWN_FACTOR = 1.15
"""P90 ÷ median of the QLoRA slowdown: log-normal ×/÷ 1.15 around the input, never below 1
(1.21–1.60 around Raschka 2023's 1.39).  One published measurement gives no range, and the
cost of dequantizing NF4 weights depends on the GPU, the kernels and the micro-batch; the
factor is ScaleRisk's assumption."""

BANDWIDTH_EFFICIENCY_RANGE = (0.44, 0.76)
"""Measured range of achieved ÷ datasheet collective bandwidth, drawn uniformly: the lowest
and highest of the nccl-tests figures cited at :data:`DEFAULT_BANDWIDTH_EFFICIENCY` (8 × RTX
5090 on PCIe 5.0, 0.44; NCCL's PCIe 4.0 x16 rating, 0.76).  A value set outside it stretches
the range to include it."""

COMM_OVERLAP_RANGE = (0.25, 0.75)
"""Share of the shorter of compute and communication hidden, drawn uniformly: half of the
way from the default (0.5) to each extreme (0: none, 1: perfect).  The sources at
:data:`DEFAULT_COMM_OVERLAP` say overlap is partial but give no figure, so the range is
ScaleRisk's assumption.  A value set outside it stretches the range to include it."""

POSITIVE_FLOOR = 0.01
"""A ± spread on an input that must stay positive (tokens, epochs, MFU, link efficiency,
bandwidths) stops at 1 % of its value, so a ±100 % spread never divides by zero."""

SPREADABLE: tuple[str, ...] = tuple(numeric_fields(FinetuneInputs))
"""Every numeric input may carry a ± spread (``--spread PATH=FRACTION``, the page's "Mark
inputs as uncertain")."""

INTEGER_PATHS = frozenset(
    p for p, info in numeric_fields(FinetuneInputs).items() if info.annotation in (int, int | None)
)
"""Whole-number inputs: their samples are rounded to the nearest integer before use."""

MEMORY_PATHS = frozenset({"rank", "micro_batch", "seq_len", "overhead_gb", "num_gpus"})
"""Inputs that move the memory per GPU (and, all but the GPU count, the GPUs needed): only a
spread on one of them gives those headlines a range."""

OVERRIDE_PATHS: tuple[str, ...] = (
    "usd_per_hour",
    "intra_node_gbps",
    "inter_node_gbps",
    "gpus_per_node",
)
"""Optional inputs whose empty value means the GPU's own (catalogue) figure."""

HEADLINE_LABELS: dict[str, str] = {
    "wall_hours": "Wall time",
    "gpu_hours": "GPU-hours",
    "cost_usd": "Cost",
    "memory_gb": "Memory per GPU",
    "gpus_needed": "GPUs needed",
}
"""The simulated headlines (fields of :class:`MethodRanges`) as a person reads them."""


class MethodRanges(BaseModel, frozen=True, extra="forbid"):
    """One method's headlines as P10 / P50 / P90 of the simulation beside the point value."""

    method: Method
    wall_hours: Range = Field(description="Wall-clock hours.", json_schema_extra={"unit": "h"})
    gpu_hours: Range = Field(description="GPUs × wall time.", json_schema_extra={"unit": "GPU·h"})
    cost_usd: Range = Field(description="Dollars.", json_schema_extra={"unit": "USD"})
    memory_gb: Range = Field(
        description="Memory per GPU at the GPUs used; P10 = P50 = P90 = the point unless a "
        "spread input moves it (MEMORY_PATHS).",
        json_schema_extra={"unit": "GB"},
    )
    gpus_needed: Range | None = Field(
        description="Smallest GPU count that fits (samples where none fits are left out); "
        "None when none fits at the point value."
    )
    gpus_used: Range = Field(description="GPUs the time and cost are for.")
    share_none_fit: float = Field(description="Share of samples in which no GPU count fits.")


class FinetuneUncertainty(BaseModel, frozen=True, extra="forbid"):
    """Fine-tuning headlines of full, LoRA and QLoRA as ranges, what moves the cost, how sure."""

    samples: int
    seed: int
    inputs: tuple[Uncertain, ...] = Field(description="The uncertain inputs, as drawn.")
    selected: MethodRanges = Field(description="The method chosen in the inputs.")
    methods: dict[str, MethodRanges] = Field(description="full, lora and qlora ranges.")
    memory_moves: bool = Field(
        description="True when a spread input moves memory per GPU or the GPUs needed."
    )
    tornado: tuple[TornadoBar, ...] = Field(
        description="Swing of the selected method's cost per uncertain input, largest first "
        "(inputs that do not move it have swing 0)."
    )
    tornado_of: str = Field(description="The headline the tornado swings, e.g. 'LoRA cost'.")
    basis: str = Field(description="How sure: what is assumed, what the user gave.")


def _positive(path: str) -> bool:
    """True when the field excludes 0 (``gt=0``)."""
    return any(
        getattr(m, "gt", None) is not None for m in FinetuneInputs.model_fields[path].metadata
    )


def _resolved(inputs: FinetuneInputs, gpu: Gpu, path: str) -> Any:
    """The value an input has in the formula: an empty override is the GPU's own figure."""
    value = getattr(inputs, path)
    if value is None and path in OVERRIDE_PATHS:
        return getattr(gpu, path)
    return value


def _label(path: str) -> str:
    return field_label(FinetuneInputs.model_fields[path], path)


def _stretched(value: float, bounds: tuple[float, float]) -> tuple[float, float]:
    return min(bounds[0], value), max(bounds[1], value)


def uncertain_inputs(
    inputs: FinetuneInputs,
    spreads: Mapping[str, float] | None = None,
    communicates: bool = True,
) -> list[Uncertain]:
    """The assumed ranges (MFU, price, link efficiency, overlap, QLoRA slowdown), then yours.

    Parameters
    ----------
    inputs : the what-if.
    spreads : dotted path → ± relative spread of inputs the user marks (triangular around the
        value); a marked input replaces its assumed range, and ±0 means "I know it exactly".
    communicates : include the link efficiency and overlap (False when every method runs on
        one GPU and no spread can change that: then they move nothing).

    Raises
    ------
    ValueError : a path that is not a numeric input, or a GPU count per node on a GPU with no
        link inside a node.

    Examples
    --------
    >>> [(u.key, u.kind) for u in uncertain_inputs(FinetuneInputs(), {"epochs": 0.5})]
    ...  # doctest: +NORMALIZE_WHITESPACE
    [('mfu', 'lognormal'), ('usd_per_hour', 'lognormal'), ('bandwidth_efficiency', 'uniform'),
     ('comm_overlap', 'uniform'), ('qlora_slowdown', 'lognormal'), ('epochs', 'triangular')]
    """
    spreads = dict(spreads or {})
    validate_spread_paths(FinetuneInputs, spreads)
    gpu = inputs.resolved_gpu()
    if spreads.get("gpus_per_node") and gpu.intra_node_gbps is None:
        raise ValueError(
            f"gpus_per_node: {gpu.name} has one GPU per node and no link inside a node; "
            "give intra_node_gbps before spreading the GPUs per node"
        )
    out: list[Uncertain] = []
    if "mfu" not in spreads:
        out.append(
            Uncertain(
                key="mfu",
                label=_label("mfu"),
                kind="lognormal",
                low=inputs.mfu / MFU_FACTOR,
                base=inputs.mfu,
                high=min(inputs.mfu * MFU_FACTOR, 1.0),
                source="assumption",
                reference=f"×/÷ {MFU_FACTOR:g} around your value (issue 12: not known to "
                "better than ±30 %)",
                ceiling=1.0,
            )
        )
    price = gpu.usd_per_hour
    if "usd_per_hour" not in spreads and price > 0:
        out.append(
            Uncertain(
                key="usd_per_hour",
                label=_label("usd_per_hour"),
                kind="lognormal",
                low=price / PRICE_FACTOR,
                base=price,
                high=price * PRICE_FACTOR,
                source="assumption",
                reference=f"×/÷ {PRICE_FACTOR:g} around the "
                + ("catalogue's price" if inputs.usd_per_hour is None else "price you gave")
                + " (ScaleRisk's assumption)",
            )
        )
    if communicates:
        for path, bounds, ref in (
            (
                "bandwidth_efficiency",
                BANDWIDTH_EFFICIENCY_RANGE,
                "nccl-tests all_reduce_perf bus bandwidths (see DEFAULT_BANDWIDTH_EFFICIENCY)",
            ),
            ("comm_overlap", COMM_OVERLAP_RANGE, "ScaleRisk's assumption (ZeRO, FSDP: partial)"),
        ):
            if path in spreads:
                continue
            value = float(getattr(inputs, path))
            lo, hi = _stretched(value, bounds)
            out.append(
                Uncertain(
                    key=path,
                    label=_label(path),
                    kind="uniform",
                    low=lo,
                    base=value,
                    high=hi,
                    source="seed range" if path == "bandwidth_efficiency" else "assumption",
                    reference=f"{lo:g}–{hi:g}: {ref}",
                )
            )
    if "qlora_slowdown" not in spreads:
        s = inputs.qlora_slowdown
        out.append(
            Uncertain(
                key="qlora_slowdown",
                label=_label("qlora_slowdown"),
                kind="lognormal",
                low=max(s / QLORA_SLOWDOWN_FACTOR, 1.0),
                base=s,
                high=min(s * QLORA_SLOWDOWN_FACTOR, 10.0),
                source="assumption",
                reference=f"×/÷ {QLORA_SLOWDOWN_FACTOR:g} around Raschka 2023's 1.39 "
                "(ScaleRisk's assumption)",
                floor=1.0,
                ceiling=10.0,
            )
        )
    filled = inputs.model_copy(
        update={p: _resolved(inputs, gpu, p) for p in OVERRIDE_PATHS if getattr(inputs, p) is None}
    )
    for u in user_spreads(filled, {k: v for k, v in spreads.items() if v > 0}):
        update: dict[str, Any] = {}
        if _positive(u.key):
            least = u.base * POSITIVE_FLOOR
            update = {"low": max(u.low, least), "floor": max(u.floor or 0.0, least)}
        if u.key in INTEGER_PATHS:
            update = {"low": float(round(u.low)), "high": float(round(u.high))}
        out.append(Uncertain(**{**u.model_dump(), **update}) if update else u)
    return out


def _distinct(fn: Any, *keys: np.ndarray) -> np.ndarray:
    """``fn(*key)`` once per distinct row of the integer columns ``keys``, spread back.

    >>> _distinct(lambda a, b: 10 * a + b, np.array([1, 2, 1]), np.array([5, 5, 5])).tolist()
    [15.0, 25.0, 15.0]
    """
    cols = [np.asarray(k, dtype=np.int64) for k in keys]
    lows = [int(c.min()) for c in cols]
    spans = [int(c.max()) - lo + 1 for c, lo in zip(cols, lows, strict=True)]
    if all(span == 1 for span in spans):  # nothing spread: one call
        return np.full(cols[0].shape, float(fn(*lows)))
    if math.prod(spans) < 2**62:  # mixed-radix code: a 1-D unique is much faster than rows
        code = np.zeros(cols[0].shape, dtype=np.int64)
        for c, lo, span in zip(cols, lows, spans, strict=True):
            code = code * span + (c - lo)
        distinct, back = np.unique(code, return_inverse=True)
        rows = []
        for k in distinct.tolist():
            row = []
            for lo, span in zip(reversed(lows), reversed(spans), strict=True):
                k, digit = divmod(k, span)
                row.append(digit + lo)
            rows.append(row[::-1])
    else:
        table, back = np.unique(np.stack(cols, axis=1), axis=0, return_inverse=True)
        rows = table.tolist()
    got = np.array([fn(*row) for row in rows], dtype=float)
    return got[back.reshape(-1)]


def method_samples(
    inputs: FinetuneInputs, method: Method, values: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """:func:`evaluate_method`'s headlines on arrays of inputs (numpy, one row per sample).

    Parameters
    ----------
    inputs : the what-if; an input missing from ``values`` keeps its value here.
    method : full, lora or qlora.
    values : input path → samples (equal lengths, or length 1); whole-number inputs are
        rounded.

    Returns
    -------
    dict : ``wall_hours``, ``compute_hours``, ``gpu_hours``, ``cost_usd``, ``memory_gb``
        (per GPU at the GPUs used), ``gpus_needed`` (NaN where no count fits) and
        ``gpus_used``, one array each.

    Notes
    -----
    The same formula, in the same order of operations, as :func:`evaluate_method`:
    :math:`t_c = F / (n·\\text{peak}·u)·σ`, per step :math:`t = \\max(c, m) + (1-φ)\\min(c, m)`
    with :math:`c = T·C_\\text{token}/(\\text{peak}·u)·σ` and :math:`m = V/(B·η)`, wall time
    :math:`t_c + \\text{steps}·\\max(0, t - c)`, cost = wall × GPUs × price.  Activations,
    trainable parameters, link bandwidths and every time are computed on arrays; the parts
    that are pydantic models (model states per rank, FLOPs per token per sequence length
    and rank, memory and bytes per step per rank and GPU count) once per distinct value
    drawn — one each unless the user spreads those inputs.  The GPUs needed are the
    smallest count that fits, found per sample as :func:`min_gpus` finds it.

    Examples
    --------
    >>> i = FinetuneInputs()
    >>> h = method_samples(i, "lora", {"mfu": np.array([0.35, 0.7])})["wall_hours"]
    >>> bool(h[0] == evaluate_method(i).wall_hours), round(float(h[0] / h[1]), 6)
    (True, 2.0)
    """
    gpu = inputs.resolved_gpu()
    arch = inputs.resolved_architecture()
    counts = param_counts(arch)
    p = PRECISIONS[inputs.precision]
    peak = gpu.peak_flops(str(p["peak"]))
    size = max((np.size(v) for v in values.values()), default=1)

    def get(path: str) -> np.ndarray:
        raw = values[path] if path in values else _resolved(inputs, gpu, path)
        x = np.broadcast_to(np.asarray(np.nan if raw is None else raw, dtype=float), (size,))
        return np.rint(x) if path in INTEGER_PATHS else x

    seq, mb, acc = get("seq_len"), get("micro_batch"), get("gradient_accumulation")
    rank = np.zeros(size) if method == "full" else get("rank")
    modules = 0 if method == "full" else len(expand_targets(arch, inputs.targets))
    states: dict[int, ModelStates] = {}
    trained: dict[int, int] = {}

    def trainable_of(r: int) -> int:
        if r not in trained:
            trained[r] = counts.total if method == "full" else lora_params(arch, r, inputs.targets)
        return trained[r]

    def states_of(r: int) -> ModelStates:
        if r not in states:
            states[r] = model_states(
                method, counts, trainable_of(r), inputs.precision, inputs.optimizer
            )
        return states[r]

    def flops_per_token(s_len: int, r: int) -> float:
        trainable = trainable_of(r)
        f = training_flops(
            method, arch, counts, trainable, s_len, 1.0, inputs.gradient_checkpointing
        )
        return f.per_token_model + f.per_token_recompute

    def held(r: int, g: int) -> float:
        """Model states per GPU on ``g`` GPUs (MemoryBreakdown.total without activations and
        overhead, which it adds last, in that order)."""
        return memory_per_gpu(states_of(r), 0.0, 0.0, inputs.sharding, g).total

    acts = (
        activation_bytes(
            arch,
            seq,  # type: ignore[arg-type]
            mb,  # type: ignore[arg-type]
            checkpointing=inputs.gradient_checkpointing,
            flash_attention=inputs.flash_attention,
            lora_modules=modules,
            rank=rank,  # type: ignore[arg-type]
            value_bytes=int(p["bytes"]),
        )
        / GIB
    )
    overhead = get("overhead_gb")

    def memory_at(idx: np.ndarray, gpus: np.ndarray) -> np.ndarray:
        return _distinct(held, rank[idx], gpus) + acts[idx] + overhead[idx]

    cap = gpu.memory_gb
    every = np.arange(size)
    one = memory_at(every, np.ones(size))
    needed = np.where(one <= cap, 1.0, np.nan)
    if inputs.sharding != "none":  # as min_gpus: total(N) = R + S/N from N = 1 and MAX_GPUS
        big = memory_at(every, np.full(size, MAX_GPUS))
        sharded = (one - big) / (1 - 1 / MAX_GPUS)
        replicated = one - sharded
        pending = (one > cap) & (cap > replicated)
        with np.errstate(divide="ignore", invalid="ignore"):
            guess = np.ceil(sharded / np.where(pending, cap - replicated, 1.0) - 1e-9)
        count = np.where(pending, np.maximum(1.0, guess), 1.0)
        while pending.any():
            idx = np.flatnonzero(pending)
            over = memory_at(idx, count[idx]) > cap
            needed[idx[~over]] = count[idx[~over]]
            pending[idx[~over]] = False
            grow = idx[over]
            count[grow] += 1
            pending[grow[count[grow] > MAX_GPUS]] = False
    num = get("num_gpus")
    used = np.where(num > 0, num, np.where(np.isnan(needed), 1.0, needed))
    memory = memory_at(every, used)

    bytes_per_step = _distinct(
        lambda r, a, g: comm_volume(method, states_of(r), inputs.sharding, g, a).bytes_per_step,
        rank,
        acc,
        used,
    )
    intra, inter, per_node = get("intra_node_gbps"), get("inter_node_gbps"), get("gpus_per_node")
    across = np.minimum(np.where(np.isnan(intra), np.inf, intra), inter)
    link = np.where(used <= 1, np.nan, np.where(used <= per_node, intra, across))
    effective = link * get("bandwidth_efficiency")
    moves = (bytes_per_step > 0) & np.isfinite(effective)
    # bytes / (effective × 1e9), as communication() writes it
    comm_s = np.where(moves, bytes_per_step / (np.where(moves, effective, 1.0) * 1e9), 0.0)

    mfu = get("mfu")
    slowdown = get("qlora_slowdown") if method == "qlora" else np.ones(size)
    per_token = _distinct(flops_per_token, seq, rank)
    step_tokens = mb * seq * acc
    tokens = get("dataset_tokens") * get("epochs")
    compute_h = wall_hours(per_token * tokens, used, peak, mfu, slowdown)  # type: ignore[arg-type]
    compute_s = step_tokens * per_token / (peak * mfu) * slowdown
    step_s = np.maximum(compute_s, comm_s) + (1.0 - get("comm_overlap")) * np.minimum(
        compute_s, comm_s
    )
    steps = tokens / (step_tokens * used)
    hours = compute_h + steps * np.maximum(0.0, step_s - compute_s) / 3600
    return {
        "wall_hours": hours,
        "compute_hours": compute_h,
        "gpu_hours": hours * used,
        "cost_usd": hours * used * get("usd_per_hour"),
        "memory_gb": memory,
        "gpus_needed": needed,
        "gpus_used": used,
    }


def _whole_quantiles(samples: np.ndarray, point_value: float) -> Range:
    """P10 / P50 / P90 of a whole-number headline as drawn values (no interpolation: never
    "1.6 GPUs").  Local to this module: :func:`calculator.uncertainty.quantiles` interpolates."""
    x = np.asarray(samples, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return Range(point=point_value, p10=point_value, p50=point_value, p90=point_value)
    p10, p50, p90 = np.quantile(x, [0.1, 0.5, 0.9], method="inverted_cdf")
    return Range(point=point_value, p10=float(p10), p50=float(p50), p90=float(p90))


def _method_ranges(r: MethodResult, s: Mapping[str, np.ndarray]) -> MethodRanges:
    return MethodRanges(
        method=r.method,
        wall_hours=quantiles(s["wall_hours"], r.wall_hours),
        gpu_hours=quantiles(s["gpu_hours"], r.gpu_hours),
        cost_usd=quantiles(s["cost_usd"], r.cost_usd),
        memory_gb=quantiles(s["memory_gb"], r.memory.total),
        gpus_needed=None
        if r.gpus_needed is None
        else _whole_quantiles(s["gpus_needed"], float(r.gpus_needed)),
        gpus_used=_whole_quantiles(s["gpus_used"], float(r.gpus_used)),
        share_none_fit=float(np.isnan(s["gpus_needed"]).mean()),
    )


def _basis(inputs: FinetuneInputs, unc: list[Uncertain]) -> str:
    """The basis line: assumed ranges, the inputs you gave or marked, nothing measured yet."""
    assumed = []
    for u in unc:
        if u.key == "mfu" and u.source == "assumption":
            assumed.append(f"MFU ×/÷ {MFU_FACTOR:g}")
        elif u.key == "usd_per_hour" and u.source == "assumption":
            where = "from the catalogue" if inputs.usd_per_hour is None else "you gave"
            assumed.append(f"GPU price {where} ×/÷ {PRICE_FACTOR:g}")
        elif u.key == "bandwidth_efficiency" and u.source != "your spread":
            assumed.append(f"link efficiency {u.low:g}–{u.high:g} (nccl-tests)")
        elif u.key == "comm_overlap" and u.source != "your spread":
            assumed.append(f"overlap {u.low:g}–{u.high:g}")
        elif u.key == "qlora_slowdown" and u.source == "assumption":
            assumed.append(f"QLoRA slowdown ×/÷ {QLORA_SLOWDOWN_FACTOR:g}")
    marked = [u.label.lower() + " (± spread)" for u in unc if u.source == "your spread"]
    changed = [
        c for c in changed_fields(inputs, FinetuneInputs()) if c + " (± spread)" not in marked
    ]
    return Basis(assumed=tuple(assumed), given=tuple(marked + changed), measured=()).sentence()


def finetune_uncertainty(
    inputs: FinetuneInputs,
    spreads: Mapping[str, float] | None = None,
    n: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> FinetuneUncertainty:
    """P10 / P50 / P90 of wall time, GPU-hours, dollars, memory per GPU and GPUs needed for
    full, LoRA and QLoRA; the tornado of the selected method's cost; the basis line.

    Parameters
    ----------
    inputs : the what-if.
    spreads : dotted path → ± relative spread of inputs the user marks as uncertain.
    n : samples (1 to MAX_SAMPLES); seed : random seed (fixed: the same range everywhere).

    Notes
    -----
    Uncertain by default (:func:`uncertain_inputs`): MFU log-normal ×/÷ 1.3, the GPU-hour
    price log-normal ×/÷ 1.25, the link efficiency uniform over nccl-tests' measured
    0.44–0.76 and the overlap uniform over 0.25–0.75 (when GPUs communicate), the QLoRA
    slowdown log-normal ×/÷ 1.15; marked inputs triangular around their values.  Each
    sample is evaluated by :func:`method_samples`; each point value is
    :func:`evaluate_method`'s figure on the base inputs, which the simulation never changes.

    Raises
    ------
    ValueError : a bad spread path (see :func:`uncertain_inputs`) or ``n`` out of range.

    Examples
    --------
    >>> u = finetune_uncertainty(FinetuneInputs(), n=500)
    >>> h = u.selected.wall_hours
    >>> h.p10 <= h.point <= h.p90, u.selected.memory_gb.p10 == u.selected.memory_gb.p90
    (True, True)
    """
    if not 1 <= n <= MAX_SAMPLES:
        raise ValueError(f"samples must be between 1 and {MAX_SAMPLES:,} (got {n})")
    spreads = dict(spreads or {})
    points = {m: evaluate_method(inputs, m) for m in METHODS}
    marked = {k for k, v in spreads.items() if v > 0}
    communicates = any(r.gpus_used > 1 for r in points.values()) or bool(
        marked & (MEMORY_PATHS | {"gpus_per_node"})
    )
    unc = uncertain_inputs(inputs, spreads, communicates)
    sims = draw(unc, n, seed)
    methods = {m: _method_ranges(points[m], method_samples(inputs, m, sims)) for m in METHODS}
    bars = tornado(lambda v: method_samples(inputs, inputs.method, v)["cost_usd"], unc)
    return FinetuneUncertainty(
        samples=n,
        seed=seed,
        inputs=tuple(unc),
        selected=methods[inputs.method],
        methods=methods,
        memory_moves=bool(marked & MEMORY_PATHS),
        tornado=tuple(bars),
        tornado_of=f"{METHOD_LABELS[inputs.method]} cost",
        basis=_basis(inputs, unc),
    )


def fmt_hours_range(r: Range) -> str:
    """P10–P90 of hours in the unit :func:`fmt_hours` picks for the point value.

    >>> fmt_hours_range(Range(point=12, p10=9.14, p50=12, p90=14.8))
    '9.1–14.8 h'
    >>> fmt_hours_range(Range(point=80, p10=60, p50=80, p90=120))
    '2.5–5.0 days'
    """
    if r.point < 48:
        return f"{r.p10:,.1f}–{r.p90:,.1f} h"
    return f"{r.p10 / 24:,.1f}–{r.p90 / 24:,.1f} days"


def _short(x: float) -> str:
    """``'12.3'``, ``'2,562'``: one decimal below 100, none from 100 up.

    >>> _short(171.46), _short(12.34)
    ('171', '12.3')
    """
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def range_texts(u: FinetuneUncertainty, method: Method | None = None) -> dict[str, str]:
    """Headline → "likely P10–P90" text of one method (the selected one by default), for the
    page, CLI and PDF; memory and GPUs only when a spread input moves them.

    Examples
    --------
    >>> t = range_texts(finetune_uncertainty(FinetuneInputs(), n=200))
    >>> sorted(t), t["cost_usd"].startswith("likely $")
    (['cost_usd', 'gpu_hours', 'wall_hours'], True)
    """
    m = u.methods[method] if method else u.selected
    out = {
        "wall_hours": f"likely {fmt_hours_range(m.wall_hours)}",
        "gpu_hours": f"likely {_short(m.gpu_hours.p10)}–{_short(m.gpu_hours.p90)} GPU·h",
        "cost_usd": f"likely ${m.cost_usd.p10:,.0f}–${m.cost_usd.p90:,.0f}",
    }
    if m.memory_gb.p10 != m.memory_gb.p90:
        out["memory_gb"] = f"likely {m.memory_gb.p10:,.1f}–{m.memory_gb.p90:,.1f} GB"
    g = m.gpus_needed
    if g is not None and g.p10 != g.p90:
        out["gpus_needed"] = f"likely {g.p10:,.0f}–{g.p90:,.0f}"
    if 0 < m.share_none_fit < 1 or (m.share_none_fit == 1 and g is not None):
        out["gpus_needed"] = (
            out.get("gpus_needed", "likely " + ("none fit" if g is None else f"{g.point:,.0f}"))
            + f" ({m.share_none_fit:.0%} none fit)"
        )
    return out


TOP_DRIVERS = 3
"""Inputs the "what moves the cost most" line names."""


def drivers_text(u: FinetuneUncertainty, top: int = TOP_DRIVERS) -> str | None:
    """``"What moves the LoRA cost most: Utilization (MFU) ($10–$22); …"`` or None.

    >>> drivers_text(finetune_uncertainty(FinetuneInputs(), n=200))[:40]
    'What moves the LoRA cost most: Utilizati'
    """
    moving = [b for b in u.tornado if b.swing > 0][:top]
    if not moving:
        return None
    parts = [f"{b.label} (${min(b.low, b.high):,.0f}–${max(b.low, b.high):,.0f})" for b in moving]
    return f"What moves the {u.tornado_of} most: " + "; ".join(parts)
