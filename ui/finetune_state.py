"""The fine-tuning page's widgets ↔ :class:`calculator.finetune.FinetuneInputs` (issue 13).

:func:`widget_state` is the inverse of the page's widget → inputs mapping: the widget values
(and the GPU catalogue row of ``gpu_spec``) that make ``pages/finetune.py`` publish the given
inputs again.  The page seeds its widgets with it when they are absent (a session restored
from a link, a scenario opened from the library or a file).
"""

from __future__ import annotations

from typing import Any

from calculator import finetune as ft
from calculator.finetune import FinetuneInputs
from ui.gpu_catalogue import STATE_KEY, catalogue_with, gpu_row
from ui.widgets import clamp, spread_state

K = "w.finetune."
CUSTOM = "custom"
ARCH_NUMBERS = ("layers", "hidden", "intermediate", "heads", "kv_heads", "vocab")
ARCH_FLAGS = {"tied": "tied_embeddings", "gated": "gated_mlp", "qkv_bias": "qkv_bias"}
"""Widget suffix (``w.finetune.arch.<suffix>``) → :class:`~calculator.finetune.Architecture`
field, for the custom architecture's checkboxes."""
SLIDERS: dict[str, tuple[float, float, float]] = {
    "mfu": (0.05, 0.8, 0.01),
    "bandwidth_efficiency": (0.05, 1.0, 0.05),
    "comm_overlap": (0.0, 1.0, 0.05),
}
"""(min, max, step) of the page's sliders; a value between steps is kept as it is."""
PLAIN = (
    "method",
    "rank",
    "precision",
    "optimizer",
    "micro_batch",
    "seq_len",
    "sharding",
    "num_gpus",
    "gradient_accumulation",
    "dataset_tokens",
    "epochs",
    "gpu",
    "qlora_slowdown",
    "overhead_gb",
)
"""Fields whose widget key is ``w.finetune.<field>`` and whose value goes in unchanged."""


def widget_state(
    inputs: FinetuneInputs, spreads: dict[str, float], catalogue: list[dict[str, Any]]
) -> dict[str, Any]:
    """Session-state values of the fine-tuning page's widgets that give back ``inputs`` and
    ``spreads``; ``catalogue`` is the session's GPU catalogue (a changed copy is included,
    under ``gpu_catalogue``, when ``gpu_spec`` is not the catalogue's row).

    Values outside a slider's range are clamped to it (the page then says so).

    >>> s = widget_state(FinetuneInputs(method="qlora", targets=("all-linear",)), {}, [])
    >>> s["w.finetune.method"], s["w.finetune.targets"], s["w.finetune.model"]
    ('qlora', ['all-linear'], 'Llama-2-7B')
    """
    custom = inputs.model.strip().lower() == CUSTOM
    out: dict[str, Any] = {
        K + "model": CUSTOM if custom else ft.get_preset(inputs.model).name,
        K + "targets": list(inputs.targets),
        K + "checkpointing": inputs.gradient_checkpointing,
        K + "flash": inputs.flash_attention,
        **{K + name: getattr(inputs, name) for name in PLAIN},
        **spread_state(K + "spreads.paths", K + "spreads.size", spreads),
    }
    for name, (lo, hi, _) in SLIDERS.items():
        out[K + name] = clamp(getattr(inputs, name), lo, hi)
    if inputs.architecture is not None:
        a = inputs.architecture
        out |= {f"{K}arch.{name}": getattr(a, name) for name in ARCH_NUMBERS}
        out |= {f"{K}arch.{key}": getattr(a, field) for key, field in ARCH_FLAGS.items()}
    if inputs.gpu_spec is not None:
        rows = catalogue_with(catalogue, inputs.gpu_spec.name, gpu_row(inputs.gpu_spec))
        if rows is not None:
            out[STATE_KEY] = rows
    return out
