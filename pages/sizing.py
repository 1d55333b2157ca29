"""What-if: compute-optimal model sizing (Chinchilla) and the dollars a mis-sized run wastes.

Thin page: widgets → :class:`calculator.sizing.SizingInputs` → :func:`evaluate_sizing` → render.
Ranges (issue 12): :func:`calculator.sizing.sizing_uncertainty`, cached on the inputs' JSON and
the spreads the user marks ("Inputs you are unsure of").  Inputs and spreads go into the
session's scenario (:func:`ui.session.publish`); the widgets are seeded back from it by
:func:`ui.sizing_state.widget_state` when absent (a link, a scenario opened).
"""

from __future__ import annotations

import json
import math

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from calculator import sizing
from calculator.charts import sizing as charts
from calculator.errors import describe_validation_error
from calculator.sizing import (
    FITS,
    PURPOSE_LABELS,
    SizingInputs,
    fmt_count,
    fmt_share,
    fmt_usd,
    notes_for,
)
from ui import session
from ui.gpu_catalogue import STATE_KEY, default_rows, gpu_catalogue_editor
from ui.sizing_state import LOG_SLIDERS, SLIDERS, widget_state
from ui.widgets import dollars, field_info, number_field, spread_picker

# widgets keep their value across page switches and while hidden (Streamlit's own mechanism)
PERSIST = {"persist_state": "session"}

# steps per decade of the log-scale sliders (covers 7B, 70B, 1.5T, 6e23 …)
MANTISSAS = (1, 1.5, 2, 3, 4, 5, 6, 7, 8)


def log_options(lo_exp: int, hi_exp: int) -> list[float]:
    """1, 1.5, 2, 3 … × 10^k from 10^lo_exp to 10^hi_exp: a slider that moves in log steps."""
    return [float(f"{m}e{e}") for e in range(lo_exp, hi_exp) for m in MANTISSAS] + [
        float(f"1e{hi_exp}")
    ]


def log_slider(field: str) -> float:
    """``st.select_slider`` over powers of ten (log scale), labelled from the pydantic field.

    A value in range that is not a step (a scenario's 2.3B) is offered too, so it is kept
    exactly; one outside the range goes to the nearest end."""
    lo_exp, hi_exp, unit, default = LOG_SLIDERS[field]
    key = f"w.sizing.{field}"
    options = log_options(lo_exp, hi_exp)
    current = st.session_state.get(key, default)
    if not isinstance(current, (int, float)) or not current > 0:
        current = default
    if options[0] <= current <= options[-1]:
        if current not in options:
            options = sorted([*options, float(current)])
        snapped = float(current)
    else:
        snapped = min(options, key=lambda o: abs(math.log10(o) - math.log10(current)))
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
    "w.sizing.purpose": SizingInputs.model_fields["purpose"].default,
    "w.sizing.proposal_all_data": True,
    "w.sizing.spreads.paths": [],
    "w.sizing.spreads.size": 30,
}
session.seed_widgets(
    "sizing",
    "w.sizing.fit",
    lambda s: widget_state(
        s.sizing, s.spreads.sizing, st.session_state.get(STATE_KEY) or default_rows()
    ),
)
for _key, _value in DEFAULTS.items():
    st.session_state.setdefault(_key, _value)

st.title("Compute-optimal sizing")
st.write(
    "Most teams pick the model size first and then train it on too little data (seed 002). "
    "Enter your data, your compute and the model you plan to train: ScaleRisk computes the "
    "compute-optimal size, the loss each choice reaches and, for a model trained from "
    "scratch, the compute — and dollars — that a run you can actually do would save. The "
    "defaults are seed 002's case study: fine-tuning a 7B foundation model on 2B tokens."
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
        dataset_tokens = log_slider("dataset_tokens")
        meta = field_info(SizingInputs, "usable_fraction")
        usable_fraction = st.slider(
            meta["label"],
            *SLIDERS["usable_fraction"][:2],
            step=SLIDERS["usable_fraction"][2],
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
        compute_flops = log_slider("compute_flops")
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
        *SLIDERS["availability"][:2],
        step=SLIDERS["availability"][2],
        key="w.sizing.availability",
        **PERSIST,
        help=meta["help"],
    )
    meta = field_info(SizingInputs, "mfu")
    mfu = st.slider(
        meta["label"],
        *SLIDERS["mfu"][:2],
        step=SLIDERS["mfu"][2],
        key="w.sizing.mfu",
        **PERSIST,
        help=meta["help"],
    )

    st.subheader("The team's proposal")
    has_proposal = st.checkbox("Compare a proposal", key="w.sizing.has_proposal", **PERSIST)
    proposal_params = proposal_tokens = None
    purpose = SizingInputs.model_fields["purpose"].default
    if has_proposal:
        meta = field_info(SizingInputs, "purpose")
        purpose = st.radio(
            meta["label"],
            list(PURPOSE_LABELS),
            format_func=PURPOSE_LABELS.get,
            key="w.sizing.purpose",
            **PERSIST,
            help=meta["help"],
        )
        proposal_params = log_slider("proposal_params")
        all_data = has_data and st.checkbox(
            "Train on all usable data",
            key="w.sizing.proposal_all_data",
            **PERSIST,
            help="Tokens = dataset × usable fraction × epochs allowed.",
        )
        if not all_data:
            proposal_tokens = log_slider("proposal_tokens")

try:
    inputs = SizingInputs(
        fit=fit_name,
        purpose=purpose,
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


@st.cache_data(max_entries=64, show_spinner=False)
def _ranges(inputs_json: str, spreads_json: str) -> sizing.SizingUncertainty:
    """P10–P90 of the money and time headlines (fixed seed), tornado, fit range, basis."""
    return sizing.sizing_uncertainty(
        SizingInputs.model_validate_json(inputs_json), json.loads(spreads_json)
    )


SPREAD_LABELS = {
    "dataset_tokens": "Dataset size",
    "usable_fraction": "Usable share",
    "epochs": "Epochs",
    "compute_flops": "FLOP budget",
    "gpu_peak_tflops": "GPU peak",
    "gpu_usd_per_hour": "GPU price",
    "gpu_count": "GPU count",
    "hours": "Hours",
    "availability": "Availability",
    "mfu": "MFU",
    "proposal_params": "Model size",
    "proposal_tokens": "Train tokens",
}
"""Short names for the multiselect's chips (long labels are cut off in the narrow column)."""


def spread_controls(inputs: SizingInputs) -> dict[str, float]:
    """Inputs the user marks as uncertain, with one ± spread for all of them."""
    return spread_picker(
        title="Inputs you are unsure of",
        caption="MFU (×/÷ 1.3) and GPU price (×/÷ 1.25) are always uncertain. A marked input is "
        "drawn within ± the spread, likeliest at your value.",
        label="Unsure inputs",
        options=list(sizing.spreadable_paths(inputs)),
        format_func=lambda k: SPREAD_LABELS.get(k, k),
        paths_key="w.sizing.spreads.paths",
        size_key="w.sizing.spreads.size",
        placeholder="None: only MFU and price",
        help="Marking MFU or the GPU price replaces its assumed spread.",
    )


with inputs_col:
    spreads = spread_controls(inputs)
seed_note = session.publish("sizing", inputs, spreads)
result = sizing.evaluate_sizing(inputs)
ranges = _ranges(inputs.model_dump_json(), json.dumps(spreads, sort_keys=True))
likely = sizing.range_texts(ranges)

VERDICT_BOX = {
    None: st.info,
    "near-optimal": st.success,
    "over-sized": st.error,
    "under-sized": st.warning,
    "data-bound": st.info,
    "fine-tune": st.info,
}
finetune = result.verdict == "fine-tune"


def show_notes(*figures: str) -> None:
    """The warnings that qualify the figures just shown, right under them."""
    for text in notes_for(result, *figures):
        st.warning(dollars(text), icon=":material/warning:")


def metric_grid(items: list[tuple]) -> None:
    """(label, value, help[, caption]) metrics two to a row, so labels are never cut off; the
    caption (a likely range, the spread between fits) goes right under its metric."""
    for start in range(0, len(items), 2):
        row = items[start : start + 2]
        for col, (label, value, help_text, *caption) in zip(st.columns(2), row, strict=False):
            col.metric(label, value, help=help_text)
            if caption and caption[0]:
                col.caption(dollars(caption[0]))


def sentence(*parts: str | None) -> str:
    """Caption parts joined into one line, each capitalised ('Likely $237–$475. …')."""
    return " ".join(p[:1].upper() + p[1:] + "." for p in parts if p)


def show_ranges() -> None:
    """The tornado of the cost and the basis line (how sure the ranges are)."""
    if any(b.swing > 0 for b in ranges.tornado):
        st.vega_lite_chart(charts.cost_tornado_spec(ranges, result), width="stretch")
    st.caption(
        dollars(ranges.basis)
        + f" Likely: P10–P90 of {ranges.samples:,} simulations; the range across the fits is "
        "the spread between the published fits (all else equal), not a simulation."
    )


with results_col:
    if seed_note:
        st.info(seed_note, icon=":material/info:")
    st.subheader("Verdict")
    if result.verdict is None:
        st.info("No proposal to judge: the figures below are the compute-optimal runs.")
    else:
        VERDICT_BOX[result.verdict](dollars(result.verdict_text))
    if result.advice:
        st.info(dollars(result.advice), icon=":material/lightbulb:")

    items = []
    if result.budget_flops:
        items.append(("Compute budget (FLOP)", fmt_count(result.budget_flops), None))
    if result.usable_tokens:
        items.append(
            (
                "Usable data (tokens)",
                fmt_count(result.usable_tokens),
                "Dataset × usable fraction × epochs allowed (seed 002 step 1).",
            )
        )
    if result.recommended:
        items += [
            (
                "From scratch, data supports (params)" if finetune else "Recommended (params)",
                fmt_count(result.recommended.params),
                "Compute-optimal for the budget, or for the data when data is the binding "
                "constraint"
                + (
                    ": the largest model worth training from scratch — not your fine-tune."
                    if finetune
                    else "."
                ),
                sentence(
                    likely.get("fit_params"),
                    f"costs {fmt_usd(result.recommended.cost_usd)}"
                    + (f", {likely['recommended_usd']}" if "recommended_usd" in likely else ""),
                ),
            ),
            (
                "Tokens per parameter",
                f"{result.recommended.tokens_per_param:.3g}",
                "Training tokens over parameters of that compute-optimal run.",
            ),
        ]
    metric_grid(items)
    show_notes("budget", "data")

    p = result.proposal
    if finetune and p:
        st.subheader("The fine-tune: what still applies")
        metric_grid(
            [
                (
                    "Full fine-tune compute (FLOP)",
                    fmt_count(p.compute_flops),
                    "6 × parameters × tokens: every weight gets a forward and a backward pass.",
                ),
                (
                    "Full fine-tune cost (USD)",
                    fmt_usd(p.cost_usd),
                    None,
                    sentence(likely.get("proposal_usd")),
                ),
                (
                    "Wall-clock days",
                    f"{p.days:.2g}",
                    "On the cluster set on the left.",
                    sentence(likely.get("proposal_days")),
                ),
                (
                    "Compute-optimal waste",
                    "n/a",
                    "Does not apply: it compares models trained from scratch.",
                ),
            ]
        )
        for text in notes_for(result, "waste"):
            st.info(dollars(text), icon=":material/info:")
        show_ranges()
        st.page_link(
            "pages/finetune.py",
            label="Compare full fine-tuning, LoRA and QLoRA on the Fine-tuning cost page",
            icon=":material/tune:",
        )
    elif p and result.waste:
        w, cf = result.waste, result.counterfactual
        st.subheader("Waste against a run you can do")
        metric_grid(
            [
                (
                    "Compute wasted (%)",
                    ("≤ " if w.upper_bound else "") + fmt_share(w.wasted_share),
                    "Share of the proposal's compute that the cheapest run reaching the same "
                    "loss on at most your usable data would not need. FLOP-based: MFU and "
                    "prices do not move it.",
                    sentence(likely.get("wasted_share"), likely.get("fit_share")),
                ),
                (
                    "Money wasted (USD)",
                    fmt_usd(w.wasted_usd),
                    None,
                    sentence(likely.get("wasted_usd")),
                ),
                (
                    "Proposal cost (USD)",
                    fmt_usd(p.cost_usd),
                    f"{p.days:.3g} wall-clock days on the cluster.",
                    sentence(likely.get("proposal_usd"), likely.get("proposal_days")),
                ),
                (
                    "Same result, cheapest (USD)",
                    "none on your data" if cf is None else fmt_usd(cf.cost_usd),
                    "The cheapest run on at most your usable data that does as well as the "
                    "proposal (the same loss; for the 20-token rule, the same credited size)"
                    + (
                        ""
                        if cf is None
                        else f": {fmt_count(cf.params)} parameters on {fmt_count(cf.tokens)} "
                        f"tokens, {cf.days:.3g} wall-clock days."
                    ),
                ),
            ]
        )
        show_notes("waste")
        show_ranges()
    elif not p:
        show_ranges()

    alt = result.data_alternative
    if alt:
        st.subheader("With your data: the data-optimal model")
        metric_grid(
            [
                (
                    "Data-optimal model (params)",
                    fmt_count(alt.model.params),
                    "The model for which your usable tokens are exactly the compute-optimal "
                    "amount of data.",
                ),
                ("Its loss (nats/token)", f"{alt.alternative_loss:.2f}", "Lower is better."),
                (
                    "Your model's loss (nats/token)",
                    f"{alt.proposal_loss:.2f}",
                    "Predicted pre-training loss on the same data; lower is better.",
                ),
                (
                    "Extra cost of your model (USD)",
                    fmt_usd(alt.extra_usd),
                    "Proposal's cost minus the data-optimal model's.",
                ),
            ]
        )
        st.markdown(dollars(alt.text))

    runs = [
        ("Proposal (full fine-tune)" if finetune else "Proposal", result.proposal),
        (
            "Cheapest run on your data, same result as the proposal",
            None
            if result.counterfactual in (result.proposal, result.equal_loss_optimum)
            else result.counterfactual,
        ),
        (
            "Compute-optimal, same result as the proposal"
            + (
                " — needs more data than you have"
                if result.waste and result.waste.equal_loss_exceeds_data
                else ""
            ),
            result.equal_loss_optimum,
        ),
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
    if finetune:
        st.caption(
            "The fine-tune's loss is left blank: the scaling fits predict the loss of a model "
            "trained from scratch."
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
            st.altair_chart(charts.cost_later_chart(result, ranges), width="stretch")
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
