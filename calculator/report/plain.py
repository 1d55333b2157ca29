"""Plain words for the PDF: what a person reads for every input, result and benchmark run.

The models declare most labels and units once (``json_schema_extra``: ``label``, ``unit``),
and :func:`field_rows` reads them there.  The tables below fill the gaps the models leave — a
field without a label (``gpu_name`` would read "Gpu name"), a number without a unit (an
efficiency of ``0.7``), an empty value whose meaning the description gives ("empty = the
catalogue price"), an identifier list (``q_proj, v_proj``) — so that no internal identifier
reaches a reader.  They are keyed by model and field, and a test checks that each still names
a field, so a renamed field cannot silently bring the identifier back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from calculator import finetune, mitigation, risk, sizing
from calculator.greenmoney import GreenMoneyInputs
from calculator.report.text import clean_text, field_label, field_unit, fmt_value, humane

Key = tuple[type[BaseModel], str]

LABELS: dict[Key, str] = {
    (sizing.SizingInputs, "gpu_name"): "GPU",
    (finetune.FinetuneInputs, "targets"): "Layers with adapters",
    (mitigation.MitigationInputs, "growth_horizon_months"): "Growth horizon",
    (mitigation.MitigationInputs, "stage"): "Lifecycle stage",
    (mitigation.MitigationInputs, "horizon_months"): "ROI horizon",
    (mitigation.MitigationInputs, "discount_rate_annual"): "Discount rate",
    (mitigation.MitigationInputs, "after_growth"): "After the growth horizon",
    (mitigation.MitigationInputs, "loaded_cost_per_fte_usd"): "Loaded cost per engineer",
    (mitigation.MitigationInputs, "actions"): "Actions considered",
    (mitigation.MitigationInputs, "selected"): "Actions in the plan",
    (mitigation.MitigationInputs, "not_applicable"): "Actions that do not apply",
    (risk.Answers, "spreads"): "Answers known only roughly",
}
"""Fields the models leave without a ``label`` (the words the pages use)."""

UNITS: dict[Key, str] = {
    (finetune.FinetuneInputs, "epochs"): "epochs",
    (finetune.FinetuneInputs, "mfu"): "fraction",
    (finetune.FinetuneInputs, "bandwidth_efficiency"): "fraction",
    (finetune.FinetuneInputs, "comm_overlap"): "fraction",
}
"""Numeric fields the models leave without a ``unit``."""

DIMENSIONLESS: frozenset[Key] = frozenset({(finetune.FinetuneInputs, "rank")})
"""Numeric inputs that are pure numbers (a LoRA rank is a matrix rank): shown bare."""

EMPTY: dict[Key, str] = {
    (finetune.FinetuneInputs, "architecture"): "the named model's",
    (finetune.FinetuneInputs, "gpu_spec"): "the catalogue's entry",
    (finetune.FinetuneInputs, "usd_per_hour"): "the catalogue's price",
    (finetune.FinetuneInputs, "intra_node_gbps"): "the catalogue's",
    (finetune.FinetuneInputs, "inter_node_gbps"): "the catalogue's",
    (finetune.FinetuneInputs, "gpus_per_node"): "the catalogue's",
    (sizing.SizingInputs, "dataset_tokens"): "no data limit",
    (sizing.SizingInputs, "compute_flops"): "no FLOP budget",
    (sizing.SizingInputs, "proposal_params"): "no proposal",
    (sizing.SizingInputs, "proposal_tokens"): "all usable data × the epochs allowed",
    (mitigation.MitigationInputs, "selected"): "every action that applies",
    (GreenMoneyInputs, "minutes_saved_override"): "from the two throughputs",
    (GreenMoneyInputs, "current_items_per_second_iqr"): "not measured",
    (GreenMoneyInputs, "candidate_items_per_second_iqr"): "not measured",
    (GreenMoneyInputs, "current_measurement_warning"): "none",
    (GreenMoneyInputs, "candidate_measurement_warning"): "none",
}
"""What an empty (None) input means, from its description; any other reads "not given"."""
NOT_GIVEN = "not given"

TARGET_LABELS: dict[str, str] = {
    "q_proj": "query",
    "k_proj": "key",
    "v_proj": "value",
    "o_proj": "attention output",
    "gate_proj": "MLP gate",
    "up_proj": "MLP up",
    "down_proj": "MLP down",
    "all-linear": "every linear layer of each block",
}
"""LoRA target modules (``FinetuneInputs.targets``) in words."""

DEVICE_KINDS: dict[str, str] = {"cpu": "CPU", "cuda": "NVIDIA GPU (CUDA)", "mps": "Apple GPU (MPS)"}
MODES: dict[str, str] = {"reference": "reference settings", "tuned": "tuned settings"}
"""Benchmark modes (``bench.protocol.Mode``) in words."""


def targets_text(targets: list[str], _data: Mapping[str, Any]) -> str:
    """``q_proj, v_proj`` → "query and value projections"."""
    names = [TARGET_LABELS.get(t, t) for t in targets]
    if "every linear layer of each block" in names:
        return "every linear layer of each block"
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined} projection{'s' if len(names) > 1 else ''}"


def _action_names(data: Mapping[str, Any]) -> dict[str, str]:
    return {a["id"]: a["name"] for a in data.get("actions", ()) if isinstance(a, dict)}


def selected_text(ids: list[str], data: Mapping[str, Any]) -> str:
    names = _action_names(data)
    return ", ".join(names.get(i, i.replace("_", " ")) for i in ids) or "none"


def not_applicable_text(why: Mapping[str, str], data: Mapping[str, Any]) -> str:
    names = _action_names(data)
    return (
        "\n".join(f"{names.get(i, i.replace('_', ' '))}: {clean_text(w)}" for i, w in why.items())
        or "none"
    )


def gpu_count_text(n: int, _data: Mapping[str, Any]) -> str:
    return "as few as fit in memory" if n == 0 else fmt_value(n, "GPUs")


def answer_spreads_text(spreads: Mapping[str, float], _data: Mapping[str, Any]) -> str:
    return (
        "; ".join(
            f"{path_label(risk.Answers, path)} ±{fmt_value(f, 'fraction')}"
            for path, f in spreads.items()
        )
        or "none"
    )


VALUES: dict[Key, Callable[[Any, Mapping[str, Any]], str]] = {
    (finetune.FinetuneInputs, "targets"): targets_text,
    (finetune.FinetuneInputs, "num_gpus"): gpu_count_text,
    (mitigation.MitigationInputs, "selected"): selected_text,
    (mitigation.MitigationInputs, "not_applicable"): not_applicable_text,
    (risk.Answers, "spreads"): answer_spreads_text,
}
"""Inputs whose value reads better as a sentence: (value, the model's whole dump) → text."""


def label(model: type[BaseModel], name: str) -> str:
    """What a person reads for ``model.name``: the model's label, else :data:`LABELS`."""
    info = model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if extra.get("label") or info.title:
        return field_label(info, name)
    return LABELS.get((model, name)) or field_label(info, name)


def unit(model: type[BaseModel], name: str) -> str | None:
    """``model.name``'s unit: the model's, else :data:`UNITS`."""
    return field_unit(model.model_fields[name]) or UNITS.get((model, name))


def submodel(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (``X``, ``X | None``), else None."""
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def path_label(model: type[BaseModel], path: str) -> str:
    """A dotted input path in words: ``growth.users_multiple`` → "Growth › User growth"."""
    names: list[str] = []
    current: type[BaseModel] | None = model
    for part in path.split("."):
        if current is None or part not in current.model_fields:
            names.append(part.replace("_", " "))
            current = None
            continue
        names.append(label(current, part))
        current = submodel(current.model_fields[part].annotation)
    return " › ".join(names)


def value_text(
    model: type[BaseModel],
    name: str,
    value: Any,
    data: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
) -> str:
    """``model.name``'s ``value`` as a person reads it, with its unit (``data``: the dump
    the value comes from, for fields that refer to their siblings)."""
    key = (model, name)
    if value is None:
        return EMPTY.get(key, NOT_GIVEN)
    if key in VALUES:
        return VALUES[key](value, data)
    if labels and isinstance(value, str) and value in labels:
        return labels[value]
    return fmt_value(value, unit(model, name))


def field_rows(
    model: type[BaseModel],
    data: Mapping[str, Any],
    prefix: str = "",
    labels: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(label, value with unit) for every field of ``model`` present in ``data``, nested models
    flattened ("Growth › User growth"); enumerated values by their display name in ``labels``.
    """
    rows: list[tuple[str, str]] = []
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        text = prefix + label(model, name)
        value = data[name]
        sub = submodel(info.annotation)
        if isinstance(value, dict) and sub is not None:
            rows.extend(field_rows(sub, value, prefix=f"{text} › ", labels=labels))
        else:
            rows.append((text, value_text(model, name, value, data, labels)))
    return rows


# ─── results ────────────────────────────────────────────────────────────────────────────

FIGURE_UNITS: dict[str, str] = {
    "GPUs needed": "GPUs",
    "Its size across the fits": "parameters",
}
"""Engine key figures (label prefix → unit) whose value is a bare number or range."""
_BARE = re.compile(r"[-−]?[\d.,]+[kMBT]?(?:\s*[–-]\s*[-−]?[\d.,]+[kMBT]?)?")


def figure_text(name: str, value: str) -> str:
    """An engine key figure's value as printed: at a humane scale (:func:`humane`), and with
    its unit where the engine gives a bare number (:data:`FIGURE_UNITS`).

    >>> figure_text("GPUs needed (LoRA, A100 80GB)", "1"), figure_text("Budget", "1.21e21 FLOP")
    ('1 GPU', '1.21 × 10²¹ FLOP')
    """
    text = humane(value)
    if _BARE.fullmatch(text.strip()):
        unit_name = next((u for p, u in FIGURE_UNITS.items() if name.startswith(p)), None)
        if unit_name:
            number = text.strip().replace(",", "")
            one = number in ("1", "1.0")
            text = f"{text.strip()} {unit_name[:-1] if one else unit_name}"
    return text


def figure_rows(figures: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, value) rows of an engine's ``key_figures`` as printed."""
    return [(str(a), figure_text(str(a), str(b))) for a, b in figures]


def model_name(key: str, hf_id: str | None = None) -> str:
    """A benchmark model's name as its makers write it: ``minilm-l6`` → ``all-MiniLM-L6-v2``
    (the registry's Hugging Face id, without its organisation), else the run's own id."""
    from bench.models import REGISTRY  # plain data: no torch

    spec = REGISTRY.get(key)
    full = spec.hf_id if spec is not None else hf_id
    return clean_text((full or key).rsplit("/", 1)[-1], 60)
