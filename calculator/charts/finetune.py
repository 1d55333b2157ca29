"""Fine-tuning charts (Altair, no streamlit).

* :func:`memory_chart` (= :func:`main_chart`) — memory per GPU of full / LoRA / QLoRA,
  stacked by component, with the GPU's memory as a rule;
* :func:`cost_chart` — dollars per method, labelled with GPUs × wall time;
* :func:`time_chart` — wall time per method, split into compute and the communication not
  hidden behind it;
* :func:`cost_tornado_spec` — which uncertain input moves the selected method's cost most
  (issue 12), a plain Vega-Lite spec from the shared :mod:`calculator.charts.tornado`, as the
  sizing and Green Money tornadoes (and the PDF's ``(ranges, result) → spec`` interface).
"""

from __future__ import annotations

import textwrap
from typing import Any

import altair as alt
import pandas as pd

from calculator.charts import palette
from calculator.charts.layout import (
    SUBTITLE_CHARS,
    WIDE_SUBTITLE_CHARS,
    WIDE_TITLE_CHARS,
    finish,
    lines,
)
from calculator.charts.tornado import tornado_spec
from calculator.finetune import (
    MEMORY_COMPONENTS,
    MEMORY_LABELS,
    METHOD_LABELS,
    METHODS,
    FinetuneComparison,
    FinetuneUncertainty,
    fmt_hours,
    fmt_params,
)

METHOD_ORDER = [METHOD_LABELS[m] for m in METHODS]
COMPONENT_ORDER = [MEMORY_LABELS[c] for c in MEMORY_COMPONENTS]


def memory_frame(result: FinetuneComparison) -> pd.DataFrame:
    """Long table: one row per (method, memory component), GB per GPU.

    Examples
    --------
    >>> from calculator.finetune import FinetuneInputs, compare_methods
    >>> df = memory_frame(compare_methods(FinetuneInputs()))
    >>> len(df), sorted(df["method"].unique())[0]
    (21, 'Full fine-tuning')
    """
    rows = []
    for m in METHODS:
        r = result.methods[m]
        for comp in MEMORY_COMPONENTS:
            rows.append(
                {
                    "method": METHOD_LABELS[m],
                    "component": MEMORY_LABELS[comp],
                    "order": MEMORY_COMPONENTS.index(comp),
                    "gb": getattr(r.memory, comp),
                    "gpus": r.gpus_used,
                    "total_gb": r.memory.total,
                }
            )
    return pd.DataFrame(rows)


def memory_chart(result: FinetuneComparison) -> alt.LayerChart:
    """Stacked bars of memory per GPU by component for each method, GPU memory as a rule.

    Examples
    --------
    >>> from calculator.finetune import FinetuneInputs, compare_methods
    >>> spec = memory_chart(compare_methods(FinetuneInputs())).to_dict()
    >>> spec["title"]["text"].startswith("Memory per GPU")
    True
    """
    df = memory_frame(result)
    cap = result.selected.gpu_memory_gb
    gpu = result.inputs.resolved_gpu().name
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("method:N", sort=METHOD_ORDER, title="Method", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(gb):Q", title="Memory per GPU (GB)", stack="zero"),
            color=alt.Color(
                "component:N",
                sort=COMPONENT_ORDER,
                title="Component",
                scale=alt.Scale(**palette.scale(COMPONENT_ORDER)),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("method:N", title="Method"),
                alt.Tooltip("component:N", title="Component"),
                alt.Tooltip("gb:Q", title="GB per GPU", format=",.2f"),
                alt.Tooltip("gpus:Q", title="GPUs"),
                alt.Tooltip("total_gb:Q", title="Total GB per GPU", format=",.2f"),
            ],
        )
    )
    line = pd.DataFrame({"cap": [cap], "label": [f"{gpu}: {cap:,.0f} GB"]})
    rule = alt.Chart(line).mark_rule(color="red", strokeDash=[6, 4]).encode(y="cap:Q")
    text = (
        alt.Chart(line)
        .mark_text(align="left", dx=4, dy=-6, color="red")
        .encode(y="cap:Q", text="label:N", x=alt.value(0))
    )
    return finish(
        alt.layer(bars, rule, text).properties(
            title=alt.TitleParams(
                lines(f"Memory per GPU by component ({result.inputs.model})", WIDE_TITLE_CHARS),
                subtitle=lines(
                    "each method at the GPU count it uses; dashed line: one GPU's memory",
                    WIDE_SUBTITLE_CHARS,
                ),
                anchor="start",
            ),
            height=320,
            width="container",
        )
    )


def cost_frame(result: FinetuneComparison) -> pd.DataFrame:
    """One row per method: cost, GPU-hours, GPUs, wall time.

    Examples
    --------
    >>> from calculator.finetune import FinetuneInputs, compare_methods
    >>> list(cost_frame(compare_methods(FinetuneInputs()))["method"])
    ['Full fine-tuning', 'LoRA', 'QLoRA']
    """
    return pd.DataFrame(
        [
            {
                "method": METHOD_LABELS[m],
                "cost_usd": r.cost_usd,
                "gpu_hours": r.gpu_hours,
                "gpus": r.gpus_used,
                "label": f"{r.gpus_used} GPU × {fmt_hours(r.wall_hours)}"
                + ("" if r.fits else " (does not fit)"),
            }
            for m, r in ((m, result.methods[m]) for m in METHODS)
        ]
    )


def cost_chart(result: FinetuneComparison) -> alt.LayerChart:
    """Bar chart of training cost per method, labelled with GPUs × wall time.

    Examples
    --------
    >>> from calculator.finetune import FinetuneInputs, compare_methods
    >>> cost_chart(compare_methods(FinetuneInputs())).to_dict()["title"]["text"]
    'Training cost by method (USD)'
    """
    df = cost_frame(result)
    base = alt.Chart(df).encode(
        x=alt.X("method:N", sort=METHOD_ORDER, title="Method", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cost_usd:Q", title="Training cost (USD)"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "method:N",
            sort=METHOD_ORDER,
            scale=alt.Scale(**palette.scale(METHOD_ORDER)),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("method:N", title="Method"),
            alt.Tooltip("cost_usd:Q", title="Cost (USD)", format="$,.0f"),
            alt.Tooltip("gpu_hours:Q", title="GPU-hours", format=",.1f"),
            alt.Tooltip("label:N", title="GPUs × time"),
        ],
    )
    text = base.mark_text(dy=-8).encode(text="label:N")
    tokens = fmt_params(result.inputs.dataset_tokens * result.inputs.epochs)
    return finish(
        alt.layer(bars, text).properties(
            title=alt.TitleParams(
                "Training cost by method (USD)",
                subtitle=lines(
                    f"{tokens} tokens on {result.inputs.resolved_gpu().name} at "
                    f"{result.inputs.mfu:.0%} utilization",
                    SUBTITLE_CHARS,
                ),
                anchor="start",
            ),
            height=280,
            width="container",
        )
    )


TIME_PARTS = ("Compute", "Waiting for the interconnect")


def time_frame(result: FinetuneComparison) -> pd.DataFrame:
    """Long table: one row per (method, part of the wall time), hours.

    Examples
    --------
    >>> from calculator.finetune import FinetuneInputs, compare_methods
    >>> df = time_frame(compare_methods(FinetuneInputs()))
    >>> len(df), list(df["part"].unique())
    (6, ['Compute', 'Waiting for the interconnect'])
    """
    rows = []
    for m in METHODS:
        r = result.methods[m]
        for i, (part, hours) in enumerate(
            zip(TIME_PARTS, (r.compute_hours, r.exposed_communication_hours), strict=True)
        ):
            rows.append(
                {
                    "method": METHOD_LABELS[m],
                    "part": part,
                    "order": i,
                    "hours": hours,
                    "wall_hours": r.wall_hours,
                    "transfer_hours": r.communication_hours,
                    "link": r.communication.link,
                    "label": f"{fmt_hours(r.wall_hours)} on {r.gpus_used} GPU"
                    + ("" if r.gpus_used == 1 else "s"),
                }
            )
    return pd.DataFrame(rows)


def time_chart(result: FinetuneComparison) -> alt.LayerChart:
    """Stacked bars of wall time per method: compute, then the communication not hidden.

    Examples
    --------
    >>> from calculator.finetune import FinetuneInputs, compare_methods
    >>> time_chart(compare_methods(FinetuneInputs())).to_dict()["title"]["text"]
    'Wall time by method (hours)'
    """
    df = time_frame(result)
    x = alt.X("method:N", sort=METHOD_ORDER, title="Method", axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(hours):Q", title="Wall time (hours)", stack="zero"),
            color=alt.Color(
                "part:N",
                sort=list(TIME_PARTS),
                title="Part of the wall time",
                scale=alt.Scale(**palette.scale(TIME_PARTS)),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("method:N", title="Method"),
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("hours:Q", title="Hours", format=",.1f"),
                alt.Tooltip("transfer_hours:Q", title="Interconnect busy (h)", format=",.1f"),
                alt.Tooltip("link:N", title="Interconnect"),
                alt.Tooltip("wall_hours:Q", title="Wall time (h)", format=",.1f"),
            ],
        )
    )
    totals = df[df["order"] == 0]
    text = alt.Chart(totals).mark_text(dy=-8).encode(x=x, y=alt.Y("wall_hours:Q"), text="label:N")
    sel = result.selected.communication
    subtitle = [
        "Compute, then the communication not hidden behind it",
        *textwrap.wrap(
            f"{METHOD_LABELS[result.selected.method]}: {sel.link_description}", SUBTITLE_CHARS
        ),
    ]
    return finish(
        alt.layer(bars, text).properties(
            title=alt.TitleParams("Wall time by method (hours)", subtitle=subtitle, anchor="start"),
            height=280,
            width="container",
        )
    )


def main_chart(result: FinetuneComparison) -> alt.LayerChart:
    """The chart the PDF report shows: :func:`memory_chart`."""
    return memory_chart(result)


def cost_tornado_spec(
    ranges: FinetuneUncertainty, result: FinetuneComparison | None = None
) -> dict[str, Any]:
    """Tornado of the selected method's cost: each uncertain input at its low and its high
    end, the others at base, largest swing on top; dashed: the point value.

    ``result`` is accepted for the PDF's ``(ranges, result)`` interface and not needed: the
    point value is in ``ranges``.

    Examples
    --------
    >>> from calculator.finetune import FinetuneInputs, finetune_uncertainty
    >>> spec = cost_tornado_spec(finetune_uncertainty(FinetuneInputs(), n=200))
    >>> spec["title"]["text"], spec["layer"][0]["encoding"]["y"]["field"]
    ('What moves the LoRA cost most', 'input')
    """
    return tornado_spec(
        ranges.tornado,
        ranges.selected.cost_usd.point,
        f"What moves the {ranges.tornado_of} most",
        f"{ranges.tornado_of} (USD)",
        "$,.0f",
        "$~s",
    )
