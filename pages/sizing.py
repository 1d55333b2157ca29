"""What-if: compute-optimal model sizing (Chinchilla) and the dollars a mis-sized run wastes.

Thin page: widgets → :class:`calculator.sizing.SizingInputs` → :func:`evaluate_sizing` → render.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from calculator import sizing
from calculator.charts import sizing as charts
from calculator.errors import describe_validation_error
from calculator.sizing import FITS, SizingInputs, fmt_count, fmt_usd
from ui.gpu_catalogue import gpu_catalogue_editor
from ui.widgets import field_info, number_field

# widgets keep their value across page switches and while hidden (Streamlit's own mechanism)
PERSIST = {"persist_state": "session"}

# steps per decade of the log-scale sliders (covers 7B, 70B, 1.5T, 6e23 …)
MANTISSAS = (1, 1.5, 2, 3, 4, 5, 6, 7, 8)


def log_options(lo_exp: int, hi_exp: int) -> list[float]:
    """1, 1.5, 2, 3 … × 10^k from 10^lo_exp to 10^hi_exp: a slider that moves in log steps."""
    return [float(f"{m}e{e}") for e in range(lo_exp, hi_exp) for m in MANTISSAS] + [
        float(f"1e{hi_exp}")
    ]


def log_slider(field: str, key: str, lo_exp: int, hi_exp: int, unit: str, default: float) -> float:
    """``st.select_slider`` over powers of ten (log scale), labelled from the pydantic field."""
    options = log_options(lo_exp, hi_exp)
    current = st.session_state.get(key, default)
    if not isinstance(current, (int, float)) or not current > 0:
        current = default
    snapped = min(options, key=lambda o: abs(math.log10(o) - math.log10(max(current, 1e-30))))
    st.session_state[key] = snapped
    meta = field_info(SizingInputs, field)
    return st.select_slider(
        meta["label"],
        options=options,
        key=key,
        **PERSIST,
        help=meta["help"],
        format_func=lambda v: fmt_count(v, unit),
    )


# initial widget values, set once in session state so widgets take no default argument
DEFAULTS = {
    "w.sizing.fit": sizing.DEFAULT_FIT,
    "w.sizing.has_data": True,
    "w.sizing.usable_fraction": 1.0,
    "w.sizing.compute_mode": "gpus",
    "w.sizing.availability": 1.0,
    "w.sizing.mfu": 0.4,
    "w.sizing.has_proposal": True,
    "w.sizing.proposal_all_data": True,
}
for _key, _value in DEFAULTS.items():
    st.session_state.setdefault(_key, _value)

st.title("Compute-optimal sizing")
st.write(
    "Most teams pick the model size first and then train it on too little data (seed 002). "
    "Enter your data, your compute and the model you plan to train: ScaleRisk computes the "
    "compute-optimal size, the loss each choice reaches and the compute — and dollars — a "
    "mis-sized run wastes, before a GPU spins up."
)

inputs_col, results_col = st.columns([1, 2], gap="large")

with inputs_col:
    st.subheader("Scaling fit")
    fit_name = st.selectbox(
        "Scaling law",
        list(FITS),
        key="w.sizing.fit",
        **PERSIST,
        format_func=lambda k: FITS[k].label,
        help=field_info(SizingInputs, "fit")["help"],
    )
    st.caption(f"{FITS[fit_name].note} Source: {FITS[fit_name].citation}")

    st.subheader("Data")
    has_data = st.checkbox(
        "Training data is limited",
        key="w.sizing.has_data",
        **PERSIST,
        help="Untick when you can get as many tokens as the budget calls for.",
    )
    dataset_tokens = None
    usable_fraction, epochs = 1.0, 1.0
    if has_data:
        dataset_tokens = log_slider(
            "dataset_tokens", "w.sizing.dataset_tokens", 6, 14, "tokens", 2e9
        )
        meta = field_info(SizingInputs, "usable_fraction")
        usable_fraction = st.slider(
            meta["label"],
            0.05,
            1.0,
            step=0.05,
            key="w.sizing.usable_fraction",
            **PERSIST,
            help=meta["help"],
        )
        epochs = number_field(SizingInputs, "epochs", key="w.sizing.epochs", step=1.0, fmt="%.1f")

    st.subheader("Compute")
    modes = {"gpus": "GPU cluster", "flops": "FLOP budget", "none": "No budget (size for the data)"}
    compute_mode = st.radio(
        "Budget given as",
        list(modes),
        format_func=modes.get,
        key="w.sizing.compute_mode",
        **PERSIST,
        horizontal=True,
        help=field_info(SizingInputs, "compute_mode")["help"],
    )
    compute_flops = None
    if compute_mode == "flops":
        compute_flops = log_slider("compute_flops", "w.sizing.compute_flops", 15, 27, "FLOP", 1e21)
    with st.expander("GPU catalogue (editable for this session)"):
        gpus, rows = gpu_catalogue_editor("sizing.gpu_editor")
    names = [g.name for g in gpus]
    if st.session_state.get("w.sizing.gpu") not in names:
        st.session_state["w.sizing.gpu"] = "A100 80GB" if "A100 80GB" in names else names[0]
    gpu_name = st.selectbox(
        "GPU type",
        names,
        key="w.sizing.gpu",
        **PERSIST,
        help="Prices the run (and sets the budget in GPU-cluster mode). Edit the "
        "catalogue above to change peaks and prices.",
    )
    gpu_row = rows[gpu_name]
    st.caption(
        f"{gpu_name}: {gpu_row['bf16_tflops']:.4g} TFLOP/s bf16 dense peak, "
        f"{fmt_usd(gpu_row['usd_per_hour'])}/GPU-hour, {gpu_row['memory_gb']:.0f} GB."
    )
    c1, c2 = st.columns(2)
    with c1:
        gpu_count = number_field(SizingInputs, "gpu_count", key="w.sizing.gpu_count", step=1)
    with c2:
        hours = (
            number_field(SizingInputs, "hours", key="w.sizing.hours", step=24.0, fmt="%.0f")
            if compute_mode == "gpus"
            else SizingInputs.model_fields["hours"].default
        )
    meta = field_info(SizingInputs, "availability")
    availability = st.slider(
        meta["label"],
        0.05,
        1.0,
        step=0.05,
        key="w.sizing.availability",
        **PERSIST,
        help=meta["help"],
    )
    meta = field_info(SizingInputs, "mfu")
    mfu = st.slider(
        meta["label"], 0.05, 1.0, step=0.05, key="w.sizing.mfu", **PERSIST, help=meta["help"]
    )

    st.subheader("The team's proposal")
    has_proposal = st.checkbox("Compare a proposal", key="w.sizing.has_proposal", **PERSIST)
    proposal_params = proposal_tokens = None
    if has_proposal:
        proposal_params = log_slider(
            "proposal_params", "w.sizing.proposal_params", 6, 13, "parameters", 7e9
        )
        all_data = has_data and st.checkbox(
            "Train on all usable data",
            key="w.sizing.proposal_all_data",
            **PERSIST,
            help="Tokens = dataset × usable fraction × epochs allowed.",
        )
        if not all_data:
            proposal_tokens = log_slider(
                "proposal_tokens", "w.sizing.proposal_tokens", 6, 14, "tokens", 2e9
            )

try:
    inputs = SizingInputs(
        fit=fit_name,
        dataset_tokens=dataset_tokens,
        usable_fraction=usable_fraction,
        epochs=epochs,
        compute_mode=compute_mode,
        compute_flops=compute_flops,
        gpu_name=gpu_name,
        gpu_peak_tflops=gpu_row["bf16_tflops"],
        gpu_usd_per_hour=gpu_row["usd_per_hour"],
        gpu_count=gpu_count,
        hours=hours,
        availability=availability,
        mfu=mfu,
        proposal_params=proposal_params,
        proposal_tokens=proposal_tokens,
    )
except ValidationError as exc:
    with results_col:
        st.error(
            "These inputs cannot be evaluated:\n\n"
            + describe_validation_error(exc).replace("\n", "\n\n")
        )
    st.stop()

st.session_state.setdefault("what_if", {})["sizing"] = inputs.model_dump(mode="json")
result = sizing.evaluate_sizing(inputs)

with results_col:
    st.subheader("Verdict")
    if result.verdict is None:
        st.info("No proposal to judge: the figures below are the compute-optimal runs.")
    elif result.verdict == "near-optimal":
        st.success(result.verdict_text)
    elif result.verdict == "over-sized":
        st.error(result.verdict_text)
    else:
        st.warning(result.verdict_text)
    if result.advice:
        st.info(result.advice, icon=":material/lightbulb:")
    for message in result.warnings:
        st.warning(message)

    m = st.columns(4)
    if result.budget_flops:
        m[0].metric("Compute budget (FLOP)", fmt_count(result.budget_flops))
    if result.usable_tokens:
        m[1].metric(
            "Usable data (tokens)",
            fmt_count(result.usable_tokens),
            help="Dataset × usable fraction × epochs allowed (seed 002 step 1).",
        )
    if result.recommended:
        m[2].metric(
            "Recommended (params)",
            fmt_count(result.recommended.params),
            help="Compute-optimal for the budget, or for the data when data is the binding "
            "constraint.",
        )
        m[3].metric(
            "Tokens per parameter",
            f"{result.recommended.tokens_per_param:.3g}",
            help="Training tokens over parameters of the recommended run.",
        )
    if result.proposal and result.waste:
        p, w, eq = result.proposal, result.waste, result.equal_loss_optimum
        m = st.columns(4)
        m[0].metric(
            "Compute wasted (%)",
            f"{w.wasted_share:.0%}",
            help="Share of the proposal's compute that a "
            "compute-optimal run reaching the same loss would not need.",
        )
        m[1].metric("Money wasted (USD)", fmt_usd(w.wasted_usd))
        m[2].metric(
            "Proposal cost (USD)",
            fmt_usd(p.cost_usd),
            help=f"{p.days:.3g} wall-clock days on the cluster.",
        )
        m[3].metric(
            "Equal-loss optimum (USD)",
            fmt_usd(eq.cost_usd),
            help=f"The compute-optimal run reaching the proposal's loss: "
            f"{fmt_count(eq.params)} parameters on {fmt_count(eq.tokens)} tokens, "
            f"{eq.days:.3g} wall-clock days.",
        )

    runs = [
        ("Proposal", result.proposal),
        ("Compute-optimal, same loss as proposal", result.equal_loss_optimum),
        ("Compute-optimal at the budget", result.budget_optimum),
        ("Optimal size for the usable data", result.data_optimum),
    ]
    table = pd.DataFrame(
        [
            {
                "Run": name,
                "Parameters": fmt_count(a.params),
                "Tokens": fmt_count(a.tokens),
                "Compute (FLOP)": fmt_count(a.compute_flops),
                "Tokens/param": f"{a.tokens_per_param:.3g}",
                "Loss (nats/token)": "—" if a.loss is None else f"{a.loss:.4f}",
                "GPU-hours": fmt_count(a.gpu_hours),
                "Wall-clock days": f"{a.days:.3g}",
                "Cost (USD)": fmt_usd(a.cost_usd),
            }
            for name, a in runs
            if a is not None
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    if FITS[fit_name].kind == "ratio":
        st.caption(
            "The 20-token rule defines no loss. Its waste credits a run with the compute-optimal "
            "run on its scarcer resource (min(N, D/20)); the surplus counts as wasted — an upper "
            "bound."
        )

    if result.fit_comparison:
        spread = result.fit_spread or 1.0
        lines = "; ".join(
            f"**{FITS[p.fit].label}**: {fmt_count(p.params, 'params')} on "
            f"{fmt_count(p.tokens, 'tokens')} ({p.tokens_per_param:.3g} tokens/param)"
            for p in result.fit_comparison
        )
        text = (
            f"At {fmt_count(result.fit_comparison[0].compute_flops, 'FLOP')} the fits recommend — "
            f"{lines}. The often-quoted Hoffmann 2022 approach-3 constants imply ever more tokens "
            "per parameter as budgets grow; the paper's own Chinchilla (70B on 1.4T, 20 "
            "tokens/param) and the 2024 replication do not. A known trap (see Methodology → "
            + "inconsistencies)."
        )
        (st.warning if spread > 1.5 else st.info)(
            f"The fits disagree by {spread:.2g}×. " + text if spread > 1.5 else text
        )

    iso_tab, fits_tab, later_tab, seed_tab = st.tabs(
        [
            "Iso-FLOP curves",
            "Tokens per parameter by fit",
            "Cost if started later",
            "Seed 002 table",
        ]
    )
    with iso_tab:
        if result.iso_flop:
            st.altair_chart(charts.iso_flop_chart(result), width="stretch")
        else:
            st.info("Give a budget, data or a proposal to draw the curves.")
    with fits_tab:
        st.altair_chart(charts.tokens_per_param_chart(result), width="stretch")
    with later_tab:
        if result.later:
            st.altair_chart(charts.cost_later_chart(result), width="stretch")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Start": "now" if r.months == 0 else f"in {r.months} months",
                            "Cost (USD)": fmt_usd(r.cost_usd),
                            "Wall-clock days": f"{r.days:.3g}",
                        }
                        for r in result.later
                    ]
                ),
                hide_index=True,
            )
            st.caption(
                "Seed 002: hardware price-performance +30 %/year (cost), 16-bit FLOP/s +43 %/year "
                "(time on as many newer GPUs)."
            )
    with seed_tab:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Usable tokens": fmt_count(d),
                        "Seed 002 quotes": fmt_count(quoted, "params"),
                        **{
                            f.label: fmt_count(sizing.optimal_for_tokens(d, f)[0], "params")
                            for f in FITS.values()
                        },
                    }
                    for d, quoted in sizing.SEED_TABLE
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption(
            "Compute-optimal model size for a dataset, recomputed by the calculator for each fit."
        )
