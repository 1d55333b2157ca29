"""Every chart fits its box and colours a series alike everywhere (issue 14, "what a person sees").

Oracles: the Vega-Lite JSON schema shipped with Altair (the specs are valid), the shared
palette (:mod:`calculator.charts.palette`), and the layout rules of
:mod:`calculator.charts.layout`; the real browser's view of the same charts is
``tests/e2e/test_layout.py``.
"""

from __future__ import annotations

import altair as alt
import pytest

from calculator import risk
from calculator.charts import assessment, benchmark, finetune, layout, mitigation, palette, sizing
from calculator.finetune import FinetuneInputs, compare_methods, finetune_uncertainty
from calculator.greenmoney import GreenMoneyInputs, green_money, green_money_uncertainty
from calculator.mitigation import MitigationInputs, evaluate_plan, plan_uncertainty
from calculator.sizing import SizingInputs, evaluate_sizing, sizing_uncertainty

RUN = {
    "runs": [
        {"model": "minilm-l6", "items_per_second": 27.0, "trusted": True},
        {"model": "e5-base", "items_per_second": 3.3, "trusted": True},
    ]
}
ROWS = benchmark.rows_from_bench_result(RUN) + benchmark.reference_rows()
SIZING = evaluate_sizing(SizingInputs())
FINETUNE = compare_methods(FinetuneInputs())
PLAN = evaluate_plan(MitigationInputs())
GREEN = green_money(GreenMoneyInputs())
ASSESSMENT = risk.assess(risk.Answers())
RANGES = risk.assess_ranges(risk.Answers(), ASSESSMENT, n=200)


def as_dict(chart) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict(validate=False)


CHARTS = {
    "gauge": lambda: assessment.gauge_spec(ASSESSMENT, RANGES),
    "drivers": lambda: assessment.drivers_spec(ASSESSMENT),
    "trajectory": lambda: assessment.trajectory_spec(ASSESSMENT, 36, RANGES),
    "score tornado": lambda: assessment.score_tornado_spec(RANGES, ASSESSMENT.score),
    "iso-FLOP": lambda: sizing.iso_flop_chart(SIZING),
    "tokens per parameter": lambda: sizing.tokens_per_param_chart(SIZING),
    "cost later": lambda: sizing.cost_later_chart(
        SIZING, sizing_uncertainty(SizingInputs(), n=200)
    ),
    "memory": lambda: finetune.memory_chart(FINETUNE),
    "fine-tune cost": lambda: finetune.cost_chart(FINETUNE),
    "wall time": lambda: finetune.time_chart(FINETUNE),
    "fine-tune tornado": lambda: finetune.cost_tornado_spec(
        finetune_uncertainty(FinetuneInputs(), n=200)
    ),
    "cumulative": lambda: mitigation.cumulative_chart(PLAN),
    "ROI": lambda: mitigation.roi_bar_chart(PLAN),
    "NPV tornado": lambda: mitigation.npv_tornado_spec(plan_uncertainty(MitigationInputs(), n=200)),
    "throughput": lambda: benchmark.throughput_chart(ROWS),
    "scaling penalty": lambda: benchmark.scaling_penalty_chart(benchmark.penalty_rows(ROWS)),
    "savings": lambda: benchmark.savings_chart(GREEN),
    "savings tornado": lambda: benchmark.savings_tornado_spec(
        green_money_uncertainty(GreenMoneyInputs(), n=200), GREEN
    ),
}


def title_lines(spec: dict) -> list[str]:
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return [text] if isinstance(text, str) else list(text or [])


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_is_valid_vega_lite(name):
    spec = as_dict(CHARTS[name]())
    kind = alt.LayerChart if "layer" in spec else alt.Chart
    kind.from_dict(spec, validate=True)


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_has_room_for_its_text(name):
    """Padding for the glyphs at the edges, legend and axis labels at full length, and a plot
    that keeps its height (Streamlit's ``fit`` squeezed the tokens-per-parameter plot flat)."""
    spec = as_dict(CHARTS[name]())
    assert spec["padding"] == layout.PADDING
    assert spec["config"]["legend"]["labelLimit"] == 0
    assert spec["config"]["axis"]["labelLimit"] == 0
    # the scaling penalty's element has a fixed height that the chart fills (see its docstring)
    expected = "fit" if name == "scaling penalty" else "fit-x"
    assert spec["autosize"] == {"type": expected, "contains": "padding"}
    # a title either fits the narrowest column or comes in lines that do
    assert all(len(line) <= layout.WIDE_TITLE_CHARS for line in title_lines(spec))


def test_tokens_per_parameter_plot_keeps_its_height():
    spec = as_dict(sizing.tokens_per_param_chart(SIZING))
    assert spec["height"] == 280
    assert spec["autosize"]["type"] == "fit-x"  # height is the plot's, not the whole drawing's
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["direction"] == "vertical"  # three long fit names, one per line


def test_low_and_high_totals_have_distinct_legend_symbols():
    spec = assessment.trajectory_spec(ASSESSMENT, 12)
    dash = spec["layer"][2]["encoding"]["strokeDash"]
    patterns = [tuple(p) for p in dash["scale"]["range"]]
    assert len(set(patterns)) == 3
    assert dash["scale"]["domain"] == ["naive linear", "total, low", "total, high"]
    # the legend's symbol is long enough to show each whole pattern
    assert dash["legend"]["symbolSize"] ** 0.5 >= max(sum(p) for p in patterns) * 2


def colour_scales(spec: dict) -> list[dict]:
    """Every colour scale in ``spec``, at any depth (layers, encodings)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "color" in node and isinstance(node["color"], dict) and "scale" in node["color"]:
                found.append(node["color"]["scale"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


def colour_map(spec: dict) -> dict[str, str]:
    """Series name → colour over all of ``spec``'s colour scales."""
    return {
        name: colour
        for scale in colour_scales(spec)
        if "range" in scale and isinstance(scale["range"], list)
        for name, colour in zip(scale.get("domain", []), scale["range"], strict=False)
    }


def test_this_run_is_the_same_colour_in_both_benchmark_charts():
    throughput = colour_map(as_dict(benchmark.throughput_chart(ROWS)))
    penalty = colour_map(as_dict(benchmark.scaling_penalty_chart(benchmark.penalty_rows(ROWS))))
    assert throughput["This machine"] == penalty["This machine"] == palette.THIS_RUN
    for machine in penalty:
        assert penalty[machine] == throughput[machine]


def test_past_runs_keep_their_colour_across_charts():
    past = benchmark.rows_from_bench_result(RUN, machine="Run 1 this session", source="past run")
    a = colour_map(as_dict(benchmark.throughput_chart(ROWS + past)))
    b = colour_map(as_dict(benchmark.scaling_penalty_chart(benchmark.penalty_rows(past + ROWS))))
    assert a["Run 1 this session"] == b["Run 1 this session"] in palette.EXTRA


def test_a_phase_is_the_same_colour_in_both_mitigation_charts():
    cumulative = colour_map(as_dict(mitigation.cumulative_chart(PLAN)))
    roi = colour_map(as_dict(mitigation.roi_bar_chart(PLAN)))
    for n in (1, 2, 3, 4):
        long_name = next(k for k in cumulative if k.startswith(f"Phase {n}:"))
        assert cumulative[long_name] == roi[f"Phase {n}"] == palette.PHASES[f"Phase {n}"]


def test_throughput_is_on_a_log_axis_that_says_so():
    """A CPU's 3.3 items/s beside seed 000's 210 items/s: on a linear axis its bar vanishes."""
    spec = as_dict(benchmark.throughput_chart(ROWS))
    y = spec["layer"][0]["encoding"]["y"]
    assert y["scale"]["type"] == "log"
    assert "log scale" in y["title"]
    assert y["scale"]["domain"][0] <= 3.3 < 210 <= y["scale"]["domain"][1]
    assert y["stack"] is None  # a stacked log axis draws nothing


def test_payback_label_sits_at_the_top_of_the_plot_not_on_the_axis():
    spec = as_dict(benchmark.savings_chart(GREEN))
    datasets = spec["datasets"]

    def labels(layer) -> list[str]:
        return [row["label"] for row in datasets[layer["data"]["name"]]]

    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    payback = next(t for t in texts if labels(t)[0].startswith("payback"))
    assert payback["encoding"]["y"] == {"value": 0}  # the top of the plot, far from the ticks
    assert payback["mark"]["baseline"] == "top"
    premium = next(t for t in texts if labels(t)[0].startswith("Hardware premium"))
    assert premium["mark"]["baseline"] == "bottom"  # above its dashed line


def test_roi_ranking_names_every_action():
    y = as_dict(mitigation.roi_bar_chart(PLAN))["encoding"]["y"]
    assert y["axis"]["labelOverlap"] is False
    assert as_dict(mitigation.roi_bar_chart(PLAN))["height"]["step"] >= 22


def test_palette_is_stable_and_distinct_within_each_family():
    for family in (
        palette.BANDS,
        palette.COMPONENTS,
        palette.PHASES,
        palette.METHODS,
        palette.MEMORY,
        palette.TIME_PARTS,
        palette.FITS,
        palette.BUDGETS,
    ):
        assert len(set(family.values())) == len(family)
    assert palette.colour("a machine from the history") == palette.colour(
        "a machine from the history"
    )
