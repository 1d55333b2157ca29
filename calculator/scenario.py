"""One Scenario: the assessment's answers, every what-if page's inputs and the benchmark runs
attached to it, typed, in one model.

A :class:`Scenario` is the answers file, the share link's content and what a saved scenario in
the library holds.  It is validated once where it enters (an uploaded or CLI file, a link, a
library row) and travels typed after that.  Old answers files — an :class:`Answers` object
carrying ``scenario_name`` and an untyped ``what_if`` — keep loading (:func:`parse_scenario`).

Link encoding (:func:`to_link`, :func:`from_link`, :mod:`calculator.link`): the scenario's
JSON with default values and benchmark runs left out, zlib-compressed, URL-safe base64 — a
few hundred characters for a typical scenario.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from bench.protocol import BenchResult  # pydantic models only: no torch
from calculator import finetune, greenmoney, mitigation, sizing
from calculator.errors import InputError, describe_validation_error
from calculator.finetune import FinetuneInputs
from calculator.greenmoney import GreenMoneyInputs
from calculator.link import pack, unpack
from calculator.mitigation import MitigationInputs
from calculator.risk import Answers
from calculator.sizing import SizingInputs
from calculator.uncertainty import Spreads

SCENARIO_VERSION = 1
MAX_BENCH_RESULTS = 50
"""Most benchmark runs one scenario carries (a session rarely holds more than a few)."""
WHAT_IF_PAGES: tuple[str, ...] = ("sizing", "finetune", "mitigation", "green_money")
"""The what-if pages whose inputs a scenario carries (keys of the old ``what_if`` object)."""


SPREADABLE: dict[str, tuple[str, ...]] = {
    "sizing": sizing.SPREADABLE,
    "finetune": finetune.SPREADABLE,
    "mitigation": mitigation.SPREADABLE,
    "green_money": greenmoney.SPREADABLE,
}
"""Per what-if page, the input paths that may carry a ± spread (each engine's own list)."""


class WhatIfSpreads(BaseModel, frozen=True, extra="forbid"):
    """The what-if pages' "inputs you are unsure of": per page, dotted input path → ± spread
    as a fraction (0.3 = ±30 %), fed to that page's uncertainty function
    (:func:`calculator.sizing.sizing_uncertainty`, :func:`calculator.finetune.finetune_uncertainty`,
    :func:`calculator.mitigation.plan_uncertainty`,
    :func:`calculator.greenmoney.green_money_uncertainty`).  The assessment's own spreads are
    :attr:`calculator.risk.Answers.spreads`.

    Examples
    --------
    >>> WhatIfSpreads(sizing={"mfu": 0.3}).sizing
    {'mfu': 0.3}
    >>> try:
    ...     WhatIfSpreads(sizing={"fit": 0.3})
    ... except ValueError as exc:
    ...     print(describe_validation_error(exc)[:30])
    sizing: fit cannot carry a spr
    """

    sizing: dict[str, float] = Field(default_factory=dict, description="Sizing inputs' spreads.")
    finetune: dict[str, float] = Field(
        default_factory=dict, description="Fine-tuning inputs' spreads."
    )
    mitigation: dict[str, float] = Field(
        default_factory=dict, description="Mitigation inputs' spreads."
    )
    green_money: dict[str, float] = Field(
        default_factory=dict, description="Green Money inputs' spreads."
    )

    @field_validator("sizing", "finetune", "mitigation", "green_money")
    @classmethod
    def _known_paths(cls, v: dict[str, float], info: Any) -> dict[str, float]:
        Spreads(values=v)  # fractions between 0 and 1
        allowed = SPREADABLE[info.field_name]
        unknown = sorted(set(v) - set(allowed))
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)} cannot carry a spread (inputs that can: "
                f"{', '.join(allowed)})"
            )
        return v


class Scenario(BaseModel, frozen=True, extra="forbid"):
    """What a user decides with: the answers and the what-if pages' inputs, under a name."""

    version: Literal[1] = SCENARIO_VERSION
    name: str = Field("", max_length=200, description="Free-text name (the report's title).")
    answers: Answers = Field(default_factory=Answers, description="The assessment's answers.")
    sizing: SizingInputs | None = Field(None, description="Compute-optimal sizing inputs.")
    finetune: FinetuneInputs | None = Field(None, description="Fine-tuning cost inputs.")
    mitigation: MitigationInputs | None = Field(None, description="Mitigation ROI inputs.")
    green_money: GreenMoneyInputs | None = Field(None, description="Green Money inputs.")
    spreads: WhatIfSpreads = Field(
        default_factory=WhatIfSpreads,
        description="The what-if pages' inputs marked as only roughly known (± spreads).",
    )
    bench_results: tuple[BenchResult, ...] = Field(
        (),
        max_length=MAX_BENCH_RESULTS,
        description="Benchmark runs attached to the scenario, oldest first (not in links).",
    )

    def what_if(self) -> dict[str, dict[str, Any]]:
        """The what-if inputs as the report's ``what_if`` object (page key → inputs JSON)."""
        return {
            page: getattr(self, page).model_dump(mode="json")
            for page in WHAT_IF_PAGES
            if getattr(self, page) is not None
        }

    def as_answers_file(self) -> Answers:
        """The scenario in the old answers-file layout (what ``report`` and ``assess`` read)."""
        return self.answers.model_copy(
            update={"scenario_name": self.name, "what_if": self.what_if()}
        )


def from_answers(answers: Answers) -> Scenario:
    """A scenario from an old answers file: name and ``what_if`` become typed fields.

    Raises
    ------
    InputError : a ``what_if`` page that is unknown or whose inputs are invalid (named).

    Examples
    --------
    >>> s = from_answers(Answers(scenario_name="Q3", what_if={"sizing": {}}))
    >>> s.name, s.sizing is not None, s.answers.what_if
    ('Q3', True, {})
    """
    unknown = sorted(set(answers.what_if) - set(WHAT_IF_PAGES))
    if unknown:
        raise InputError(
            f"what_if: unknown page {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(WHAT_IF_PAGES)})"
        )
    pages: dict[str, Any] = {}
    for page, data in answers.what_if.items():
        model = Scenario.model_fields[page].annotation.__args__[0]  # type: ignore[union-attr]
        try:
            pages[page] = model.model_validate(data)
        except ValidationError as exc:
            raise InputError(
                f"what_if.{page}: " + describe_validation_error(exc).replace("\n", "; ")
            ) from None
    bare = answers.model_copy(update={"scenario_name": "", "what_if": {}})
    return Scenario(name=answers.scenario_name, answers=bare, **pages)


def parse_scenario(data: Any) -> Scenario:
    """A scenario from parsed JSON: the scenario format, or an old answers file.

    Raises
    ------
    InputError : not an object, or invalid (the message names the field).

    Examples
    --------
    >>> parse_scenario({"scenario_name": "old file"}).name
    'old file'
    >>> parse_scenario({"version": 1, "name": "new"}).name
    'new'
    """
    if not isinstance(data, dict):
        raise InputError("a scenario must be a JSON object")
    try:
        if "version" in data:
            return Scenario.model_validate(data)
        return from_answers(Answers.model_validate(data))
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None


def to_json(scenario: Scenario) -> str:
    """The scenario file's text (every field, indented)."""
    return scenario.model_dump_json(indent=2)


def _compact(scenario: Scenario) -> dict[str, Any]:
    """The scenario's JSON with default values and benchmark runs left out (what a link
    carries: the runs' raw timings would make it long, and the inputs they fed are in it)."""
    data = scenario.model_dump(mode="json", exclude_defaults=True, exclude={"bench_results"})
    return data | {"version": SCENARIO_VERSION}


def to_link(scenario: Scenario) -> str:
    """URL-safe text that :func:`from_link` turns back into the same scenario.

    Examples
    --------
    >>> s = Scenario(name="pilot")
    >>> from_link(to_link(s)) == s, len(to_link(s)) < 60
    (True, True)
    """
    return pack(_compact(scenario))


def from_link(text: str) -> Scenario:
    """The scenario a link carries; :class:`InputError` for a damaged or invalid one."""
    return parse_scenario(unpack(text))
