"""Benchmark and Green Money charts (Altair, no streamlit).

* :func:`throughput_chart` — items/s per model, one bar per machine (this run, seed 000's
  reference machines, past runs), grouped by model;
* :func:`scaling_penalty_chart` — small-model ÷ large-model items/s per machine;
* :func:`savings_chart` (= :func:`main_chart`) — Green Money cumulative savings against the
  hardware premium over time, payback marked.

Machine rows are plain dicts ``{"machine", "model", "items_per_second", "source"}`` so that
a :class:`bench.protocol.BenchResult` (as ``model_dump(mode="json")``), a history row or a
reference machine all feed the same chart.  Rows from a benchmark run also carry ``trusted``
(the run's :attr:`~bench.protocol.RunResult.trusted`; None where unknown): a scaling penalty
from an untrusted run is labelled "not trustworthy" and drawn faded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import pandas as pd

from calculator.greenmoney import (
    REFERENCE_MACHINES,
    GreenMoneyResult,
    GreenMoneyUncertainty,
    format_payback,
    scaling_penalty,
)

SOURCE_ORDER = ("this run", "reference (seed 000)", "past run")


def reference_rows() -> list[dict[str, Any]]:
    """Seed 000's reference machines as chart rows.

    Examples
    --------
    >>> sorted((r["machine"], r["model"], r["items_per_second"]) for r in reference_rows())[:2]
    [('DGX Spark (seed 000)', 'e5-base', 208.0), ('DGX Spark (seed 000)', 'minilm-l6', 210.0)]
    """
    return [
        {
            "machine": f"{m.name} (seed 000)",
            "model": model,
            "items_per_second": ips,
            "source": "reference (seed 000)",
        }
        for m in REFERENCE_MACHINES.values()
        for model, ips in m.items_per_second.items()
    ]


def rows_from_bench_result(
    result: Mapping[str, Any], machine: str = "This machine", source: str = "this run"
) -> list[dict[str, Any]]:
    """Chart rows from a ``BenchResult`` dict (one per run; synthetic weights flagged in the label).

    Examples
    --------
    >>> run = {"model": "e5-base", "items_per_second": 3.3, "weights": "synthetic"}
    >>> r = {"runs": [run]}
    >>> rows_from_bench_result(r)[0]["model"]
    'e5-base'
    """
    rows = []
    for run in result.get("runs", ()):
        rows.append(
            {
                "machine": machine,
                "model": run["model"],
                "items_per_second": float(run["items_per_second"]),
                "source": source,
                "mode": run.get("mode", "reference"),
                "weights": run.get("weights", "pretrained"),
                "trusted": run.get("trusted"),
            }
        )
    return rows


def penalty_rows(
    rows: Iterable[Mapping[str, Any]], small: str = "minilm-l6", large: str = "e5-base"
) -> list[dict[str, Any]]:
    """Scaling penalty per machine that has both ``small`` and ``large`` in ``rows``.

    Examples
    --------
    >>> [(r["machine"], round(r["scaling_penalty"], 2)) for r in penalty_rows(reference_rows())]
    [('DGX Spark (seed 000)', 1.01), ('M2 Pro (seed 000)', 1.56)]
    """
    by_machine: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = by_machine.setdefault(row["machine"], {"source": row["source"], "trusted": {}})
        entry[row["model"]] = row["items_per_second"]
        entry["trusted"][row["model"]] = row.get("trusted")
    out = []
    for machine, v in by_machine.items():
        if not (v.get(small) and v.get(large)):
            continue
        penalty = scaling_penalty(v[small], v[large])
        trusted = False not in (v["trusted"][small], v["trusted"][large])
        out.append(
            {
                "machine": machine,
                "scaling_penalty": penalty,
                "source": v["source"],
                "trusted": trusted,
                "label": f"{penalty:.2f}×" + ("" if trusted else " (not trustworthy)"),
            }
        )
    return out


def _source_scale() -> alt.Scale:
    return alt.Scale(domain=list(SOURCE_ORDER), range=["#d62728", "#7f7f7f", "#1f77b4"])


def throughput_chart(
    rows: Iterable[Mapping[str, Any]], title: str = "Embedding throughput by machine"
) -> alt.Chart:
    """Grouped bars: items/s per model, one bar per machine.

    Examples
    --------
    >>> throughput_chart(reference_rows()).to_dict()["layer"][0]["encoding"]["y"]["title"]
    'Throughput (items/s)'
    """
    data = pd.DataFrame(list(rows), columns=["machine", "model", "items_per_second", "source"])
    models = list(dict.fromkeys(data["model"]))
    machines = list(dict.fromkeys(data["machine"]))
    base = alt.Chart(data).encode(
        x=alt.X("model:N", title="Model", sort=models, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("machine:N", sort=machines),
        y=alt.Y("items_per_second:Q", title="Throughput (items/s)"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "machine:N", title="Machine", sort=machines, legend=alt.Legend(labelLimit=320)
        ),
        tooltip=[
            alt.Tooltip("machine:N", title="Machine"),
            alt.Tooltip("model:N", title="Model"),
            alt.Tooltip("items_per_second:Q", title="Throughput (items/s)", format=",.1f"),
            alt.Tooltip("source:N", title="Source"),
        ],
    )
    labels = base.mark_text(dy=-6, fontSize=10).encode(
        text=alt.Text("items_per_second:Q", format=",.3~r")
    )
    return alt.layer(bars, labels, title=title).properties(height=320)


def scaling_penalty_chart(rows: Iterable[Mapping[str, Any]]) -> alt.Chart:
    """Horizontal bars of each machine's scaling penalty, with 1.0× (no penalty) marked.

    Examples
    --------
    >>> spec = scaling_penalty_chart(penalty_rows(reference_rows())).to_dict()
    >>> spec["layer"][0]["encoding"]["x"]["title"]
    'Scaling penalty (× slower on e5-base than on MiniLM-L6)'
    """
    data = pd.DataFrame(
        list(rows), columns=["machine", "scaling_penalty", "source", "trusted", "label"]
    )
    data["trusted"] = data["trusted"].map(lambda t: t is not False)
    data["label"] = [
        lab if isinstance(lab, str) else f"{p:.2f}×"
        for lab, p in zip(data["label"], data["scaling_penalty"], strict=True)
    ]
    data["measurement"] = data["trusted"].map({True: "trusted or quoted", False: "not trustworthy"})
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        x=alt.X(
            "scaling_penalty:Q",
            title="Scaling penalty (× slower on e5-base than on MiniLM-L6)",
            scale=alt.Scale(zero=True),
        ),
        y=alt.Y("machine:N", title="Machine", sort="-x"),
        color=alt.Color("source:N", title="Source", scale=_source_scale()),
        opacity=alt.condition("datum.trusted", alt.value(1.0), alt.value(0.35)),
        tooltip=[
            alt.Tooltip("machine:N", title="Machine"),
            alt.Tooltip("scaling_penalty:Q", title="Scaling penalty (×)", format=".2f"),
            alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("measurement:N", title="Measurement"),
        ],
    )
    labels = base.mark_text(align="left", dx=4).encode(
        x="scaling_penalty:Q", y=alt.Y("machine:N", sort="-x"), text=alt.Text("label:N")
    )
    one = (
        alt.Chart(pd.DataFrame({"x": [1.0]}))
        .mark_rule(strokeDash=[4, 4], color="black")
        .encode(x="x:Q")
    )
    title = alt.TitleParams(
        "Scaling penalty: small-model ÷ large-model items/s",
        subtitle="1.0× = the larger model costs no extra time",
    )
    return alt.layer(bars, labels, one, title=title).properties(
        height=penalty_plot_height(len(data))
    )


def penalty_plot_height(machines: int) -> int:
    """Plot height (px) of :func:`scaling_penalty_chart` for ``machines`` bars; add ~110 px for the
    title and axis when a front end needs the element's height (Streamlit collapses a layered
    band chart left at ``height="content"``).

    Examples
    --------
    >>> penalty_plot_height(3), penalty_plot_height(1)
    (102, 90)
    """
    return max(90, 34 * machines)


def bench_comparison_chart(
    result: Mapping[str, Any] | None,
    past: Iterable[Mapping[str, Any]] = (),
    *,
    references: bool = True,
) -> alt.Chart:
    """Throughput chart of a ``BenchResult`` dict beside seed 000's machines and past-run rows.

    Examples
    --------
    >>> r = {"runs": [{"model": "minilm-l6", "items_per_second": 27.0}]}
    >>> len(bench_comparison_chart(r).data)
    5
    """
    rows = list(rows_from_bench_result(result)) if result else []
    if references:
        rows += reference_rows()
    rows += [dict(r) for r in past]
    return throughput_chart(rows)


def session_throughput_chart(results: list[Mapping[str, Any]]) -> alt.Chart:
    """The PDF's throughput chart of a session's ``BenchResult`` dicts, oldest first: the
    latest run beside seed 000's machines and the earlier runs ("Run 1 this session", …).

    Examples
    --------
    >>> run = {"runs": [{"model": "minilm-l6", "items_per_second": 27.0}]}
    >>> sorted(set(session_throughput_chart([run, run]).data["machine"]))
    ['DGX Spark (seed 000)', 'M2 Pro (seed 000)', 'Run 1 this session', 'This machine']
    """
    past = [
        row
        for i, raw in enumerate(results[:-1])
        for row in rows_from_bench_result(
            raw, machine=f"Run {i + 1} this session", source="past run"
        )
    ]
    return bench_comparison_chart(results[-1] if results else None, past)


def savings_chart(result: GreenMoneyResult) -> alt.Chart:
    """Cumulative Green Money savings vs the hardware premium over time, payback marked.

    Examples
    --------
    >>> from calculator.greenmoney import GreenMoneyInputs, green_money
    >>> spec = savings_chart(green_money(GreenMoneyInputs())).to_dict()
    >>> spec["layer"][0]["encoding"]["x"]["title"], spec["layer"][0]["encoding"]["y"]["title"]
    ('Weeks after purchase', 'Cumulative savings (USD)')
    """
    points = pd.DataFrame([p.model_dump() for p in result.series])
    premium = result.inputs.hardware_premium_usd
    title = alt.TitleParams(
        "Green Money: cumulative savings vs hardware premium",
        subtitle=f"Payback: {format_payback(result.payback_weeks)}",
    )
    line = (
        alt.Chart(points)
        .mark_line(color="#2ca02c")
        .encode(
            x=alt.X("week:Q", title="Weeks after purchase"),
            y=alt.Y(
                "cumulative_savings_usd:Q",
                title="Cumulative savings (USD)",
                axis=alt.Axis(format="$,.0f"),
            ),
            tooltip=[
                alt.Tooltip("week:Q", title="Week"),
                alt.Tooltip(
                    "cumulative_savings_usd:Q", title="Cumulative savings (USD)", format="$,.0f"
                ),
            ],
        )
    )
    rule = (
        alt.Chart(
            pd.DataFrame({"premium": [premium], "label": [f"Hardware premium ${premium:,.0f}"]})
        )
        .mark_rule(color="#d62728", strokeDash=[6, 4])
        .encode(y="premium:Q")
    )
    rule_label = (
        alt.Chart(
            pd.DataFrame({"premium": [premium], "label": [f"Hardware premium ${premium:,.0f}"]})
        )
        .mark_text(align="right", dy=-6, color="#d62728")
        .encode(y="premium:Q", x=alt.datum(result.inputs.horizon_weeks), text="label:N")
    )
    layers: list[alt.Chart] = [line, rule, rule_label]
    weeks = result.payback_weeks
    if weeks is not None and weeks <= result.inputs.horizon_weeks:
        mark = pd.DataFrame(
            {
                "week": [weeks],
                "usd": [max(premium, 0.0)],
                "label": [f"payback {format_payback(weeks)}"],
            }
        )
        layers.append(
            alt.Chart(mark)
            .mark_point(size=90, filled=True, color="black")
            .encode(x="week:Q", y="usd:Q")
        )
        layers.append(
            alt.Chart(mark)
            .mark_text(align="left", dx=8, dy=10)
            .encode(x="week:Q", y="usd:Q", text="label:N")
        )
    return alt.layer(*layers, title=title).properties(height=320)


def main_chart(result: GreenMoneyResult) -> alt.Chart:
    """The chart the PDF report shows for this page: :func:`savings_chart`."""
    return savings_chart(result)


def savings_tornado_spec(ranges: GreenMoneyUncertainty, result: GreenMoneyResult) -> dict:
    """Which uncertain input moves the savings per year most (Vega-Lite tornado)."""
    from calculator.charts.tornado import tornado_spec

    return tornado_spec(
        ranges.tornado,
        result.dollars_saved_per_year,
        "What moves the savings per year most",
        "Savings per year (USD)",
        "$,.0f",
        "$~s",
    )
