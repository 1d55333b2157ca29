"""What-if: full vs LoRA vs QLoRA fine-tuning — memory per GPU, GPUs, time and dollars.

Thin page: widgets → :class:`calculator.finetune.FinetuneInputs` →
:func:`calculator.finetune.compare_methods` → render.  Ranges (issue 12):
:func:`calculator.finetune.finetune_uncertainty`, cached on the inputs' JSON and the spreads
the user marks ("Mark inputs as uncertain").  Inputs and spreads go into the session's
scenario (:func:`ui.session.publish`); the widgets are seeded back from it by
:func:`ui.finetune_state.widget_state` when absent (a link, a scenario opened).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from calculator import finetune as ft
from calculator.charts import finetune as charts
from calculator.errors import InputError, describe_validation_error
from calculator.finetune import Architecture, FinetuneInputs
from calculator.hardware import Gpu
from ui import session
from ui.finetune_state import ARCH_FLAGS, ARCH_NUMBERS, CUSTOM, SLIDERS, K, widget_state
from ui.gpu_catalogue import STATE_KEY, default_rows, gpu_catalogue_editor
from ui.widgets import dollars, field_info, number_field, spread_picker

TARGET_OPTIONS = [*ft.LINEAR_MODULES, "all-linear"]
_DEFAULT = FinetuneInputs()
DEFAULTS: dict[str, Any] = {
    K + "model": _DEFAULT.model,
    K + "method": _DEFAULT.method,
    K + "targets": list(_DEFAULT.targets),
    K + "precision": _DEFAULT.precision,
    K + "optimizer": _DEFAULT.optimizer,
    K + "checkpointing": _DEFAULT.gradient_checkpointing,
    K + "flash": _DEFAULT.flash_attention,
    K + "sharding": _DEFAULT.sharding,
    K + "mfu": _DEFAULT.mfu,
    K + "gpu": _DEFAULT.gpu,
    K + "bandwidth_efficiency": _DEFAULT.bandwidth_efficiency,
    K + "comm_overlap": _DEFAULT.comm_overlap,
    K + "arch.tied": False,
    K + "arch.gated": True,
    K + "arch.qkv_bias": False,
    K + "spreads.paths": [],
    K + "spreads.size": 30,
}
session.seed_widgets(
    "finetune",
    K + "model",
    lambda s: widget_state(
        s.finetune, s.spreads.finetune, st.session_state.get(STATE_KEY) or default_rows()
    ),
)
# Initial widget values, set once so widgets take no default argument.
for _key, _value in DEFAULTS.items():
    st.session_state.setdefault(_key, _value)


def load_case_study() -> None:
    """Button callback: put seed 002's case-study settings into the widgets."""
    case = ft.case_study_inputs()
    st.session_state.update(
        {
            K + "model": case.model,
            K + "method": case.method,
            K + "rank": case.rank,
            K + "targets": list(case.targets),
            K + "seq_len": case.seq_len,
            K + "micro_batch": case.micro_batch,
            K + "checkpointing": case.gradient_checkpointing,
            K + "gradient_accumulation": case.gradient_accumulation,
            K + "sharding": case.sharding,
            K + "num_gpus": 0,
            K + "dataset_tokens": case.dataset_tokens,
            K + "epochs": case.epochs,
            K + "gpu": case.gpu,
        }
    )


@st.cache_data(max_entries=64, show_spinner=False)
def compute(inputs: FinetuneInputs) -> ft.FinetuneComparison:
    """Cached :func:`calculator.finetune.compare_methods` keyed by the frozen inputs."""
    return ft.compare_methods(inputs)


@st.cache_data(max_entries=64, show_spinner=False)
def compute_ranges(inputs_json: str, spreads_json: str) -> ft.FinetuneUncertainty:
    """Cached :func:`calculator.finetune.finetune_uncertainty` (fixed seed) keyed by JSON."""
    return ft.finetune_uncertainty(
        FinetuneInputs.model_validate_json(inputs_json), json.loads(spreads_json)
    )


# Inputs the page offers to mark as uncertain, with short names for the multiselect's chips
# (a comment, not a docstring: Streamlit's magic would draw a bare string on the page).
SPREAD_LABELS = {
    "dataset_tokens": "Dataset size",
    "epochs": "Epochs",
    "seq_len": "Sequence length",
    "micro_batch": "Micro-batch",
    "gradient_accumulation": "Gradient accumulation",
    "rank": "LoRA rank",
    "num_gpus": "GPU count",
    "mfu": "Utilization (MFU)",
    "usd_per_hour": "GPU price",
    "bandwidth_efficiency": "Link efficiency",
    "comm_overlap": "Communication overlap",
    "qlora_slowdown": "QLoRA slowdown",
    "overhead_gb": "Framework overhead",
    "intra_node_gbps": "Bandwidth inside a node",
    "inter_node_gbps": "Bandwidth between nodes",
}


def spread_controls(inputs: FinetuneInputs) -> dict[str, float]:
    """Inputs the user marks as uncertain, with one ± spread for all of them."""
    options = [
        p
        for p in SPREAD_LABELS
        if not (p == "num_gpus" and inputs.num_gpus == 0)
        and not (p == "intra_node_gbps" and inputs.resolved_gpu().intra_node_gbps is None)
    ]
    return spread_picker(
        title="Mark inputs as uncertain",
        caption=(
            f"Always uncertain: utilization (×/÷ {ft.MFU_FACTOR:g}), GPU price "
            f"(×/÷ {ft.PRICE_FACTOR:g}), link efficiency ({ft.BANDWIDTH_EFFICIENCY_RANGE[0]:g}–"
            f"{ft.BANDWIDTH_EFFICIENCY_RANGE[1]:g}, nccl-tests) and overlap "
            f"({ft.COMM_OVERLAP_RANGE[0]:g}–{ft.COMM_OVERLAP_RANGE[1]:g}) when GPUs "
            f"communicate, QLoRA slowdown (×/÷ {ft.QLORA_SLOWDOWN_FACTOR:g}). A marked input "
            "is drawn within ± the spread, likeliest at your value."
        ),
        label="Uncertain inputs",
        options=options,
        format_func=lambda k: SPREAD_LABELS.get(k, k),
        paths_key=K + "spreads.paths",
        size_key=K + "spreads.size",
        placeholder="None: only the assumed ranges",
        help=(
            "Marking utilization, price, link efficiency, overlap or the QLoRA slowdown "
            "replaces its assumed range. Marking sequence length, micro-batch, LoRA rank, "
            "overhead or the GPU count gives memory and GPUs a range too."
        ),
        side_by_side=True,
    )


def likely(text: str | None) -> str | None:
    """``"likely 9.1–14.8 h (P10–P90)"`` from a range text, None stays None."""
    return None if text is None else f"{text} (P10–P90)"


def select(field: str, options: list[Any], key: str, **kwargs: Any) -> Any:
    """Selectbox labelled and helped from the pydantic field."""
    meta = field_info(FinetuneInputs, field)
    return st.selectbox(
        meta["label"], options, key=key, help=meta["help"], persist_state="session", **kwargs
    )


st.title("Fine-tuning cost: full vs LoRA vs QLoRA")
st.write(
    "Seed 002 makes parameter-efficient fine-tuning the default. Here are the real numbers for "
    "your model and GPUs: exact trainable parameters, memory per GPU by component, the GPUs "
    "needed, FLOPs, time and dollars — every formula is on the Methodology page."
)
st.button(
    "Load the seed 002 case study (7B model, 2B tokens, A100)",
    on_click=load_case_study,
    key="finetune.load_case",
)

note_area = st.container()  # what an opened scenario's inputs became, if not exactly them
inputs_area = st.container()
# The catalogue editor runs first (the GPU select box needs its rows) but is drawn below the
# inputs, at full width: it has twelve columns.
with st.expander("Edit the GPU catalogue: memory, peak, price and interconnect (this session)"):
    gpus, rows = gpu_catalogue_editor("finetune.gpu_editor", interconnect=True)
    st.caption(
        "Bandwidths are datasheet figures in GB/s (10⁹ bytes/s) per direction: inside a "
        "node per GPU, between nodes per node (all its compute NICs). The link efficiency "
        "below turns them into what collectives achieve."
    )

with inputs_area:
    c_model, c_method, c_train, c_hw = st.columns(4, gap="medium")

    with c_model:
        st.subheader("Model")
        model = select(
            "model",
            [*ft.model_names(), CUSTOM],
            K + "model",
            format_func=lambda n: "Custom architecture" if n == CUSTOM else n,
        )
        architecture = None
        if model == CUSTOM:
            arch_values = {
                name: number_field(Architecture, name, key=f"{K}arch.{name}", step=1)
                for name in ARCH_NUMBERS
            }
            flag_labels = {
                "tied": "Tied embeddings",
                "gated": "Gated MLP (SwiGLU)",
                "qkv_bias": "q/k/v biases",
            }
            for suffix, field in ARCH_FLAGS.items():
                arch_values[field] = st.checkbox(
                    flag_labels[suffix],
                    key=f"{K}arch.{suffix}",
                    help=field_info(Architecture, field)["help"],
                    persist_state="session",
                )
            architecture = arch_values
        else:
            preset = ft.get_preset(model)
            a = preset.architecture
            st.caption(
                f"{a.layers} layers · hidden {a.hidden:,} · MLP {a.intermediate:,} · "
                f"{a.heads} heads / {a.kv_heads} KV heads · vocab {a.vocab:,}"
                f"{' · q/k/v biases' if a.qkv_bias else ''}. "
                f"Source: {preset.source}."
            )

    with c_method:
        st.subheader("Method")
        method = st.radio(
            "Method",
            list(ft.METHODS),
            key=K + "method",
            horizontal=True,
            format_func=lambda m: ft.METHOD_LABELS[m],
            help=field_info(FinetuneInputs, "method")["help"],
            persist_state="session",
        )
        rank = number_field(FinetuneInputs, "rank", key=K + "rank", step=1)
        meta = field_info(FinetuneInputs, "targets")
        targets = st.multiselect(
            "LoRA target modules",
            TARGET_OPTIONS,
            key=K + "targets",
            help=meta["help"],
            persist_state="session",
        )
        precision = select(
            "precision",
            list(ft.PRECISION_LABELS),
            K + "precision",
            format_func=ft.PRECISION_LABELS.get,
        )
        optimizer = select(
            "optimizer",
            list(ft.OPTIMIZER_LABELS),
            K + "optimizer",
            format_func=ft.OPTIMIZER_LABELS.get,
        )

    with c_train:
        st.subheader("Training")
        micro_batch = number_field(FinetuneInputs, "micro_batch", key=K + "micro_batch", step=1)
        seq_len = number_field(FinetuneInputs, "seq_len", key=K + "seq_len", step=512)
        checkpointing = st.checkbox(
            "Gradient checkpointing",
            key=K + "checkpointing",
            help=field_info(FinetuneInputs, "gradient_checkpointing")["help"],
            persist_state="session",
        )
        flash = st.checkbox(
            "Fused attention (FlashAttention)",
            key=K + "flash",
            help=field_info(FinetuneInputs, "flash_attention")["help"],
            persist_state="session",
        )
        sharding = select(
            "sharding", list(ft.SHARDING_LABELS), K + "sharding", format_func=ft.SHARDING_LABELS.get
        )
        num_gpus = number_field(
            FinetuneInputs,
            "num_gpus",
            key=K + "num_gpus",
            step=1,
            label="GPUs (0 = fewest that fit)",
        )
        gradient_accumulation = number_field(
            FinetuneInputs, "gradient_accumulation", key=K + "gradient_accumulation", step=1
        )
        dataset_tokens = number_field(
            FinetuneInputs, "dataset_tokens", key=K + "dataset_tokens", step=1e8, fmt="%.4g"
        )
        epochs = number_field(FinetuneInputs, "epochs", key=K + "epochs", step=1.0, fmt="%.2f")

    with c_hw:
        st.subheader("Hardware")
        by_name = {g.name: g for g in gpus}
        if st.session_state.get(K + "gpu") not in by_name:
            st.session_state[K + "gpu"] = (
                "A100 80GB" if "A100 80GB" in by_name else next(iter(by_name))
            )
        gpu_name = select("gpu", list(by_name), K + "gpu")
        gpu: Gpu = by_name[gpu_name]
        st.caption(ft.gpu_summary(gpu))
        st.caption("Edit memory, peak, price and interconnect in the catalogue below the inputs.")
        meta = field_info(FinetuneInputs, "mfu")
        mfu = st.slider(
            "Utilization (MFU)",
            *SLIDERS["mfu"][:2],
            step=SLIDERS["mfu"][2],
            key=K + "mfu",
            help=meta["help"],
            persist_state="session",
        )
        qlora_slowdown = number_field(
            FinetuneInputs, "qlora_slowdown", key=K + "qlora_slowdown", step=0.05, fmt="%.2f"
        )
        overhead_gb = number_field(
            FinetuneInputs, "overhead_gb", key=K + "overhead_gb", step=0.5, fmt="%.1f"
        )
        meta = field_info(FinetuneInputs, "bandwidth_efficiency")
        bandwidth_efficiency = st.slider(
            meta["label"],
            *SLIDERS["bandwidth_efficiency"][:2],
            step=SLIDERS["bandwidth_efficiency"][2],
            key=K + "bandwidth_efficiency",
            help=meta["help"],
            persist_state="session",
        )
        meta = field_info(FinetuneInputs, "comm_overlap")
        comm_overlap = st.slider(
            meta["label"],
            *SLIDERS["comm_overlap"][:2],
            step=SLIDERS["comm_overlap"][2],
            key=K + "comm_overlap",
            help=meta["help"],
            persist_state="session",
        )

try:
    inputs = FinetuneInputs(
        model=model,
        architecture=architecture,
        method=method,
        rank=rank,
        targets=tuple(targets),
        precision=precision,
        optimizer=optimizer,
        micro_batch=micro_batch,
        seq_len=seq_len,
        gradient_checkpointing=checkpointing,
        flash_attention=flash,
        sharding=sharding,
        num_gpus=num_gpus,
        dataset_tokens=dataset_tokens,
        epochs=epochs,
        gpu=gpu_name,
        gpu_spec=gpu,
        mfu=mfu,
        qlora_slowdown=qlora_slowdown,
        overhead_gb=overhead_gb,
        gradient_accumulation=gradient_accumulation,
        bandwidth_efficiency=bandwidth_efficiency,
        comm_overlap=comm_overlap,
    )
    result = compute(inputs)
    spreads = spread_controls(inputs)
    ranges = compute_ranges(inputs.model_dump_json(), json.dumps(spreads, sort_keys=True))
except ValidationError as exc:
    st.error(
        "These inputs cannot be used:\n\n" + describe_validation_error(exc).replace("\n", "\n\n")
    )
    st.stop()
except InputError as exc:
    st.error(str(exc))
    st.stop()

seed_note = session.publish("finetune", inputs, spreads)
if seed_note:
    note_area.info(seed_note, icon=":material/info:")

sel = result.selected
texts = ft.range_texts(ranges)
label = ft.METHOD_LABELS[sel.method]
st.divider()
st.subheader(f"{label} of {inputs.model if model != CUSTOM else 'the custom model'} on {gpu_name}")
m1, m2, m3 = st.columns(3)
m1.metric(
    "Trainable parameters",
    f"{sel.trainable_params:,}",
    help=f"{sel.trainable_share:.4%} of {sel.total_params:,} parameters",
)
m1.caption(f"{sel.trainable_share:.3%} of the model")
m2.metric(
    "Memory per GPU",
    f"{sel.memory.total:,.1f} GB",
    help=f"at {ft.fmt_gpus(sel.gpus_used)}; one {gpu_name} has {sel.gpu_memory_gb:,.0f} GB",
)
m2.caption(("fits" if sel.fits else "does NOT fit") + f" in {sel.gpu_memory_gb:,.0f} GB")
if "memory_gb" in texts:
    m2.caption(likely(texts["memory_gb"]))
m3.metric(
    "GPUs needed",
    "none fit" if sel.gpus_needed is None else f"{sel.gpus_needed}",
    help="Smallest number of GPUs whose memory per GPU fits, with this sharding.",
)
m3.caption(f"{ft.fmt_gpus(sel.gpus_used)} used")
if "gpus_needed" in texts:
    m3.caption(likely(texts["gpus_needed"]))

comm = sel.communication
m4, m5, m6 = st.columns(3)
m4.metric(
    "Wall time",
    ft.fmt_hours(sel.wall_hours),
    help="Compute time plus the communication not hidden behind it.",
)
m4.caption(likely(texts["wall_hours"]))
m4.caption(
    f"{ft.fmt_hours(sel.compute_hours)} computing + "
    f"{ft.fmt_hours(sel.exposed_communication_hours)} waiting for the interconnect"
)
m5.metric(
    "Compute time",
    ft.fmt_hours(sel.compute_hours),
    help="Executed FLOPs ÷ (GPUs × peak × utilization): the time with an infinitely fast "
    "interconnect.",
)
m5.caption(f"{ft.fmt_flops(sel.flops.total_executed, 3)} FLOP")
m6.metric(
    "Communication time",
    ft.fmt_communication(sel),
    help="Time the interconnect spends on this method's collectives; part of it runs "
    "beside compute (overlap).",
)
m6.caption(
    f"over {comm.link_description}"
    if comm.bytes_per_step
    else "one GPU: nothing to exchange between GPUs"
)

comm_note = sel.communication_warning
if comm_note:
    st.warning(comm_note, icon=":material/lan:")

m7, m8, m9 = st.columns(3)
m7.metric("GPU-hours", f"{sel.gpu_hours:,.1f} GPU·h")
m7.caption(likely(texts["gpu_hours"]))
m8.metric("Cost", f"${sel.cost_usd:,.0f}")
m8.caption(dollars(likely(texts["cost_usd"]) or ""))
m8.caption(dollars(f"at ${sel.usd_per_gpu_hour:,.2f}/GPU-hour, communication included"))
m9.metric(
    "Optimizer steps",
    f"{comm.steps:,.0f}",
    help="Dataset tokens × epochs ÷ (micro-batch × sequence length × GPUs × gradient "
    "accumulation).",
)
m9.caption(f"{comm.global_batch_tokens:,.0f} tokens each · {ft.fmt_seconds(comm.step_s)} per step")

if any(b.swing > 0 for b in ranges.tornado):
    st.vega_lite_chart(charts.cost_tornado_spec(ranges, result), width="stretch")
st.caption(
    dollars(ranges.basis)
    + f" Likely: P10–P90 of {ranges.samples:,} simulations (seed {ranges.seed}); the figures "
    "above are the formulas on your inputs."
)

if result.published_params is not None:
    same = result.params.total == result.published_params
    st.caption(
        f"Parameters computed from the architecture: {result.params.total:,}; published: "
        f"{result.published_params:,} " + ("(equal)." if same else "(differ!).")
    )

for warning in result.warnings:
    if warning != comm_note:
        st.warning(warning)

tab_mem, tab_cost, tab_case = st.tabs(["Memory", "Time and cost", "Seed 002 case study"])

with tab_mem:
    table = pd.DataFrame(
        {ft.METHOD_LABELS[m]: r.memory.as_dict() for m, r in result.methods.items()}
    ).rename(index={**ft.MEMORY_LABELS, "total": "Total per GPU"})
    st.dataframe(
        table,
        width="stretch",
        column_config={
            c: st.column_config.NumberColumn(c + " (GB)", format="%.2f") for c in table.columns
        },
    )
    st.caption(
        "Memory in GB (2³⁰ bytes) per GPU at the GPU count each method uses ("
        + ", ".join(f"{ft.METHOD_LABELS[m]}: {r.gpus_used}" for m, r in result.methods.items())
        + "). Activations: Korthikanti et al. 2022, adapted to GQA and "
        "gated MLPs (see Methodology)."
    )
    st.altair_chart(charts.memory_chart(result), width="stretch")

with tab_cost:
    rows_cost = []
    for m, r in result.methods.items():
        rows_cost.append(
            {
                "Method": ft.METHOD_LABELS[m],
                "Trainable parameters": f"{r.trainable_params:,}",
                "Share": f"{r.trainable_share:.3%}",
                "FLOPs (executed)": f"{r.flops.total_executed:.3g}",
                "GPUs needed": "none fit" if r.gpus_needed is None else r.gpus_needed,
                "GPUs used": r.gpus_used,
                "Compute": ft.fmt_hours(r.compute_hours),
                "Communication": ft.fmt_communication(r),
                "Waiting": ft.fmt_hours(r.exposed_communication_hours),
                "Wall time": ft.fmt_hours(r.wall_hours),
                "GPU-hours (GPU·h)": f"{r.gpu_hours:,.1f}",
                "Cost (USD)": f"${r.cost_usd:,.0f}",
                "Fits": "yes" if r.fits else "no",
            }
        )
    st.dataframe(pd.DataFrame(rows_cost), hide_index=True, width="stretch")
    likely_by = {m: ft.range_texts(ranges, m) for m in ft.METHODS}
    shown = [k for k in ft.HEADLINE_LABELS if any(k in t for t in likely_by.values())]
    fixed = {  # a headline no spread moves for this method: its one value
        "memory_gb": lambda r: f"{r.memory.total:,.1f} GB",
        "gpus_needed": lambda r: "none fit" if r.gpus_needed is None else f"{r.gpus_needed}",
    }
    rows_likely = [
        {"Method": ft.METHOD_LABELS[m]}
        | {
            ft.HEADLINE_LABELS[k]: likely_by[m][k].removeprefix("likely ")
            if k in likely_by[m]
            else fixed[k](result.methods[m])
            for k in shown
        }
        for m in ft.METHODS
    ]
    st.markdown("**Likely ranges by method (P10–P90)**")
    st.dataframe(pd.DataFrame(rows_likely), hide_index=True, width="stretch")
    st.caption(
        "Compute: FLOPs ÷ (GPUs × peak × utilization). Communication: time the "
        "interconnect is busy. Waiting: the part not hidden behind compute, which the "
        "wall time adds. Likely: P10–P90 of the simulation (see the basis line above)."
    )
    c_time, c_cost = st.columns(2)
    c_time.altair_chart(charts.time_chart(result), width="stretch")
    c_cost.altair_chart(charts.cost_chart(result), width="stretch")
    st.markdown(
        f"**Communication ({label}):** {comm.pattern}; "
        f"{ft.fmt_bytes(comm.bytes_per_step)} per GPU per optimizer step over "
        f"{comm.link_description}. Per step: {ft.fmt_seconds(comm.compute_s_per_step)} of "
        f"compute, {ft.fmt_seconds(comm.communication_s_per_step)} of transfers, "
        f"{ft.fmt_seconds(comm.step_s)} with {comm.overlap:.0%} of the shorter hidden. "
        "Sources: Rajbhandari et al. 2020 (ZeRO) §7; Zhao et al. 2023 (PyTorch FSDP)."
    )
    st.text(f"Interconnect figures for {gpu_name}: {comm.source}")
    st.markdown(
        f"**FLOPs formula ({label}):** {sel.flops.formula}, with D = "
        f"{sel.flops.tokens:,.4g} tokens (dataset × epochs). Sources: Kaplan et al. 2020; "
        "Chowdhery et al. 2022 (PaLM) App. B."
    )

with tab_case:
    study = result.case_study or ft.case_study(
        ft.case_study_inputs(
            mfu=inputs.mfu, qlora_slowdown=inputs.qlora_slowdown, overhead_gb=inputs.overhead_gb
        )
    )
    if result.case_study is None:
        st.info(
            "Shown with the case study's own settings (7B model, 2B tokens, A100 80GB). "
            "Press *Load the seed 002 case study* to edit them."
        )
    case_cols: dict[str, list[str]] = {}
    for r in study.rows:
        name = "Full" if r.method == "full" else ft.METHOD_LABELS[r.method]
        case_cols[f"{name} · quoted"] = [
            f"{r.quoted_gpus}",
            f"{r.quoted_days:g}",
            f"{r.quoted_gpu_hours:,.0f}",
            f"${r.quoted_usd:,.0f}",
            f"${r.quoted_usd_per_gpu_hour:,.2f}",
            f"{r.implied_mfu:.1%}",
        ]
        case_cols[f"{name} · computed"] = [
            f"{r.computed_gpus}",
            f"{r.computed_days:,.2f}",
            f"{r.computed_gpu_hours:,.0f}",
            f"${r.computed_usd:,.0f}",
            f"${r.computed_usd / r.computed_gpu_hours:,.2f}",
            f"{inputs.mfu:.0%}",
        ]
    st.dataframe(
        pd.DataFrame(
            case_cols,
            index=[
                "GPUs",
                "Days",
                "GPU-hours (GPU·h)",
                "Cost (USD)",
                "USD per GPU-hour",
                "Utilization",
            ],
        ),
        width="stretch",
    )
    st.caption(
        "Quoted columns: the seed's figures and what they imply (price per GPU-hour = "
        "cost ÷ GPU-hours; utilization = computed FLOPs ÷ (GPUs × peak × quoted days)). "
        "Computed columns: this calculator at the utilization you set."
    )
    st.markdown(
        dollars("**Why they differ**\n\n" + "\n".join(f"- {line}" for line in study.explanation))
    )
    st.caption(
        "Seed 002, 'Case Study: The Enterprise Fine-Tuning Trap'. Epochs, sequence length, "
        "batch and LoRA settings are not in the seed; ScaleRisk assumes one epoch, 2,048 "
        "tokens, micro-batch 4, checkpointing, LoRA r = 8 on q/v."
    )
