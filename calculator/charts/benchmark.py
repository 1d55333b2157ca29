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

from calculator.charts import palette
from calculator.charts.layout import WIDE_TITLE_CHARS, decades, finish, lines
from calculator.greenmoney import (
    REFERENCE_MACHINES,
    GreenMoneyResult,
    GreenMoneyUncertainty,
    format_payback,
    scaling_penalty,
)


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


def _machine_colour(machines: list[str]) -> alt.Scale:
    """One colour per machine from the shared palette: this run red, seed 000's machines grey,
    past runs blue — the same in the throughput and the scaling-penalty chart."""
    return alt.Scale(**palette.scale(machines))


def throughput_chart(
    rows: Iterable[Mapping[str, Any]], title: str = "Embedding throughput by machine"
) -> alt.Chart:
    """Grouped bars: items/s per model, one bar per machine, on a log axis (a CPU's few items/s
    and seed 000's 210 items/s differ by two orders of magnitude: on a linear axis the CPU's
    bars vanish).

    Examples
    --------
    >>> throughput_chart(reference_rows()).to_dict()["layer"][0]["encoding"]["y"]["title"]
    'Throughput (items/s, log scale)'
    """
    data = pd.DataFrame(list(rows), columns=["machine", "model", "items_per_second", "source"])
    models = list(dict.fromkeys(data["model"]))
    machines = list(dict.fromkeys(data["machine"]))
    ticks = decades(data["items_per_second"])
    base = alt.Chart(data).encode(
        x=alt.X("model:N", title="Model", sort=models, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("machine:N", sort=machines),
        y=alt.Y(
            "items_per_second:Q",
            title="Throughput (items/s, log scale)",
            scale=alt.Scale(type="log", **({"domain": [ticks[0], ticks[-1]]} if ticks else {})),
            axis=alt.Axis(format="~g", **({"values": ticks} if ticks else {})),
            stack=None,  # bars side by side (xOffset); a stacked log axis draws nothing
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "machine:N",
            title="Machine",
            sort=machines,
            scale=_machine_colour(machines),
            legend=alt.Legend(orient="bottom", direction="vertical"),
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
    return finish(
        alt.layer(
            bars, labels, title=alt.TitleParams(lines(title, WIDE_TITLE_CHARS), anchor="start")
        ).properties(width="container", height=320)
    )


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
    machines = list(dict.fromkeys(data["machine"]))
    y = alt.Y("machine:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260, labelOverlap=False))
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        x=alt.X(
            "scaling_penalty:Q",
            title="Scaling penalty (× slower on e5-base than on MiniLM-L6)",
            scale=alt.Scale(zero=True),
        ),
        y=y,
        color=alt.Color("machine:N", title="Machine", scale=_machine_colour(machines), legend=None),
        opacity=alt.condition("datum.trusted", alt.value(1.0), alt.value(0.35)),
        tooltip=[
            alt.Tooltip("machine:N", title="Machine"),
            alt.Tooltip("scaling_penalty:Q", title="Scaling penalty (×)", format=".2f"),
            alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("measurement:N", title="Measurement"),
        ],
    )
    labels = base.mark_text(align="left", dx=4).encode(
        x="scaling_penalty:Q", y=y, text=alt.Text("label:N")
    )
    one = (
        alt.Chart(pd.DataFrame({"x": [1.0]}))
        .mark_rule(strokeDash=[4, 4], color="black")
        .encode(x="x:Q")
    )
    title = alt.TitleParams(
        lines("Scaling penalty: small-model ÷ large-model items/s", WIDE_TITLE_CHARS),
        subtitle="1.0× = the larger model costs no extra time",
        anchor="start",
    )
    # The page gives this chart an element of penalty_plot_height + PENALTY_EXTRAS_PX (a layered
    # band chart collapses at height="content"), and Streamlit sets the spec's height to the
    # element's: so this chart's height is the whole drawing ("fit"), not the plot's — with the
    # other charts' "fit-x" the plot would take the element's height and the title and axis
    # would spill over the next element.
    chart = finish(
        alt.layer(bars, labels, one, title=title).properties(
            width="container", height=penalty_plot_height(len(data)) + PENALTY_EXTRAS_PX
        )
    )
    chart.autosize = alt.AutoSizeParams(type="fit", contains="padding")
    return chart


PENALTY_EXTRAS_PX = 110
"""Height of the scaling-penalty chart's title, subtitle, x-axis and padding (px)."""


def penalty_plot_height(machines: int) -> int:
    """Plot height (px) of :func:`scaling_penalty_chart` for ``machines`` bars; add
    :data:`PENALTY_EXTRAS_PX` (110 px) for the title and axis when a front end needs the
    element's height (Streamlit collapses a layered band chart left at ``height="content"``).

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
    horizon = result.inputs.horizon_weeks
    title = alt.TitleParams(
        lines("Green Money: cumulative savings vs hardware premium", WIDE_TITLE_CHARS),
        subtitle=f"Payback: {format_payback(result.payback_weeks)}",
        anchor="start",
    )
    line = (
        alt.Chart(points)
        .mark_line(color=palette.colour("Cumulative savings"))
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
    premium_row = pd.DataFrame(
        {"premium": [premium], "label": [f"Hardware premium ${premium:,.0f}"]}
    )
    premium_colour = palette.colour("Hardware premium")
    rule = (
        alt.Chart(premium_row)
        .mark_rule(color=premium_colour, strokeDash=[6, 4])
        .encode(y="premium:Q")
    )
    rule_label = (
        alt.Chart(premium_row)
        .mark_text(align="right", baseline="bottom", dy=-4, color=premium_colour)
        .encode(y="premium:Q", x=alt.datum(horizon), text="label:N")
    )
    layers: list[alt.Chart] = [line, rule, rule_label]
    weeks = result.payback_weeks
    if weeks is not None and weeks <= horizon:
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
        # The payback week as a dotted rule, labelled at the top of the plot: a label beside
        # the point sat on the x-axis ticks whenever the premium is small against the savings.
        # The rising savings line leaves the top free left of the horizon; the label turns
        # to the rule's left in the second half, where it would run past the plot.
        late = weeks > horizon / 2
        layers.append(
            alt.Chart(mark).mark_rule(color="black", strokeDash=[2, 3]).encode(x="week:Q")
        )
        layers.append(
            alt.Chart(mark)
            .mark_text(
                align="right" if late else "left", baseline="top", dx=-6 if late else 6, dy=4
            )
            .encode(x="week:Q", y=alt.value(0), text="label:N")
        )
    return finish(alt.layer(*layers, title=title).properties(width="container", height=320))


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
