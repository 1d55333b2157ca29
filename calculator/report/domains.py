"""The what-if sections of the report: each names the engine functions it calls (imported
here, called directly) and the charts it shows.

Charts are named by path (``module:name``): they are built in the chart workers, so this
process never imports Altair (:mod:`calculator.report.png`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from calculator import finetune, greenmoney, mitigation, risk, sizing
from calculator.scenario import Scenario


@dataclass(frozen=True)
class WhatIf:
    """One what-if page's section: its engine, its charts and how to reproduce it."""

    key: str
    """The :class:`~calculator.scenario.Scenario` field holding the page's inputs."""
    title: str
    evaluate: Callable[[Any], Any]
    """inputs → result."""
    uncertainty: Callable[[Any], Any]
    """inputs → P10–P90 ranges (``.basis``, ``.samples``, ``.seed``)."""
    key_figures: Callable[[Any, Any], list[tuple[str, str]]]
    """(result, ranges) → (label, value with its likely range) rows."""
    defaults: Callable[[Scenario], BaseModel]
    """The inputs of a page never opened (full report)."""
    main_chart: str
    """Chart function ``result → chart``, as ``module:name``."""
    tornado: str
    """Chart function ``(ranges, result) → tornado spec``, as ``module:name``."""
    methodology: str
    """Section of :mod:`calculator.methodology` behind the figures."""
    command: str
    """Shell command reproducing the section from ``<key>.json`` (its inputs)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Enumerated input value → what a person reads (the inputs tables)."""
    derived: bool = False
    """True when :attr:`defaults` start from the assessment answers."""


SIZING = WhatIf(
    key="sizing",
    title="Compute-optimal sizing",
    evaluate=sizing.evaluate_sizing,
    uncertainty=sizing.sizing_uncertainty,
    key_figures=sizing.key_figures,
    defaults=lambda _: sizing.SizingInputs(),
    main_chart="calculator.charts.sizing:main_chart",
    tornado="calculator.charts.sizing:cost_tornado_spec",
    methodology="sizing",
    command="python -m calculator sizing --input sizing.json",
    labels={
        **{key: fit.label for key, fit in sizing.FITS.items()},
        **sizing.PURPOSE_LABELS,
        # SizingInputs.compute_mode: "a FLOP count, a GPU cluster, or none"
        "flops": "A FLOP count",
        "gpus": "A GPU cluster",
        "none": "None",
    },
)
FINETUNE = WhatIf(
    key="finetune",
    title="Fine-tuning cost",
    evaluate=finetune.compare_methods,
    uncertainty=finetune.finetune_uncertainty,
    key_figures=finetune.key_figures,
    defaults=lambda _: finetune.FinetuneInputs(),
    main_chart="calculator.charts.finetune:main_chart",
    tornado="calculator.charts.finetune:cost_tornado_spec",
    methodology="finetune",
    command="python -m calculator finetune --input finetune.json",
    labels=finetune.OPTION_LABELS,
)
MITIGATION = WhatIf(
    key="mitigation",
    title="Mitigation ROI",
    evaluate=mitigation.evaluate_plan,
    uncertainty=mitigation.plan_uncertainty,
    key_figures=mitigation.key_figures,
    defaults=lambda scenario: risk.mitigation_inputs(scenario.answers),
    main_chart="calculator.charts.mitigation:main_chart",
    tornado="calculator.charts.mitigation:npv_tornado_spec",
    methodology="mitigation",
    command="python -m calculator roi mitigation.json --plan",
    labels=risk.OPTION_LABELS,
    derived=True,
)
GREEN_MONEY = WhatIf(
    key="green_money",
    title="Green Money",
    evaluate=greenmoney.green_money,
    uncertainty=greenmoney.green_money_uncertainty,
    key_figures=greenmoney.key_figures,
    defaults=lambda _: greenmoney.GreenMoneyInputs(),
    main_chart="calculator.charts.benchmark:main_chart",
    tornado="calculator.charts.benchmark:savings_tornado_spec",
    methodology="benchmark",
    command="python -m calculator greenmoney --input green_money.json",
)
WHAT_IFS: tuple[WhatIf, ...] = (SIZING, FINETUNE, MITIGATION)
"""The what-if sections in report order; Green Money is shown inside the benchmark's."""

ASSESSMENT_TITLE = "Risk assessment"
ASSESSMENT_COMMAND = "python -m calculator assess answers.json"
ASSESSMENT_CHARTS = "calculator.charts.assessment"
BENCHMARK_TITLE = "Benchmark and Green Money"
THROUGHPUT_CHART = "calculator.charts.benchmark:session_throughput_chart"
