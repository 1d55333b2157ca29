"""The comparison PDF of two scenarios: what a decision changes, on one page.

Page 1: the key figures side by side — risk score and band, total monthly cost in months 12
and 36, the top actions with their payback, and the fine-tuning and sizing headlines where
both scenarios have them — with each change highlighted (red: worse, green: better, amber:
different), then both cost trajectories in one chart.  Then the costs by component and the
drivers that moved, and "What changed": every input that differs.

The score, band, costs, drivers, top actions and changed answers are
:func:`calculator.diff.diff`'s (the engine of ``python -m calculator diff``); this module
computes no difference of its own beyond formatting them, except for the what-if inputs and
headlines, which the diff does not cover.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from calculator import finetune, risk, sizing
from calculator.charts.compare import trajectory_rows  # plain Python: no Altair
from calculator.diff import COST_MONTHS, Change, ScenarioDiff, _changed_paths, diff
from calculator.mitigation import format_payback
from calculator.report import plain
from calculator.report.document import Document, ReportOutput
from calculator.report.domains import FINETUNE, GREEN_MONEY, MITIGATION, SIZING, WhatIf
from calculator.report.layout import PRODUCT, Color
from calculator.report.png import Chart
from calculator.report.sections import scenario_title
from calculator.report.text import fmt_value
from calculator.scenario import Scenario

WORSE: Color = (248, 215, 213)
BETTER: Color = (212, 237, 218)
CHANGED: Color = (255, 236, 179)
TONES: dict[str, Color] = {"worse": WORSE, "better": BETTER, "changed": CHANGED}
NAME_CHARS = 60
"""Longest scenario name in a column heading."""
TOP_ACTIONS = 3
"""Actions compared (the diff's top three)."""
PAGES: tuple[WhatIf, ...] = (SIZING, FINETUNE, MITIGATION, GREEN_MONEY)
SECTION_TITLES = ("Scenario comparison", "What changed")
MISSING = "—"


class Row(BaseModel, frozen=True):
    """One figure on both sides, the change in words and how it reads."""

    label: str
    base: str
    new: str
    change: str
    tone: str | None = None
    """"worse", "better" or "changed" (highlighted), None when the figure did not move."""


# ─── figures ────────────────────────────────────────────────────────────────────────────


def _money(x: float | None) -> str:
    return MISSING if x is None else f"${x:,.0f}"


def _signed(x: float, fmt: str = ",.1f", prefix: str = "") -> str:
    """``+12.3`` / ``−4.0`` (a real minus sign)."""
    return f"{'+' if x >= 0 else '−'}{prefix}{abs(x):{fmt}}"


def number_row(
    label: str,
    base: float | None,
    new: float | None,
    show: Any,
    *,
    unit: str = "",
    money: bool = False,
    higher_is_worse: bool = True,
) -> Row:
    """A row of two numbers (``show`` formats each); the change as a difference (and, for
    money, a percentage), worse or better by ``higher_is_worse``."""
    if base is None or new is None:
        return Row(
            label=label,
            base=MISSING if base is None else show(base),
            new=MISSING if new is None else show(new),
            change="not comparable",
        )
    delta = new - base
    if abs(delta) <= 1e-9 * max(abs(base), abs(new), 1.0):
        return Row(label=label, base=show(base), new=show(new), change="no change")
    if money:
        text = _signed(delta, ",.0f", "$")
        text += f" ({_signed(100 * delta / base, '.0f')}%)" if base else ""
    else:
        text = _signed(delta) + (f" {unit}" if unit else "")
    worse = (delta > 0) == higher_is_worse
    return Row(
        label=label,
        base=show(base),
        new=show(new),
        change=text,
        tone="worse" if worse else "better",
    )


def text_row(label: str, base: str, new: str, *, tone: str | None = None) -> Row:
    """A row of two texts: "same", or "changed" (highlighted with ``tone``, default amber)."""
    if base == new:
        return Row(label=label, base=base, new=new, change="same")
    return Row(label=label, base=base, new=new, change="changed", tone=tone or "changed")


def _band_rank(band: str) -> int:
    order = sorted(risk.BANDS)  # by threshold, low to high
    return next((i for i, (_, name, _) in enumerate(order) if name == band), 0)


def _action(result: risk.Assessment, name: str | None) -> str:
    if name is None:
        return MISSING
    rec = next((r for r in result.recommendations if r.name == name), None)
    if rec is None:
        return name
    return f"{name} (payback {format_payback(rec.payback_months, rec.horizon_months)})"


def assessment_rows(d: ScenarioDiff, a: risk.Assessment, b: risk.Assessment) -> list[Row]:
    """Score, band, total monthly cost in months 12 and 36, top actions with payback."""
    rows = [
        number_row(
            "Risk score", d.score.base, d.score.new, lambda x: f"{x:.1f} / 100", unit="points"
        )
    ]
    bands = (d.band[0].capitalize(), d.band[1].capitalize())
    rank = _band_rank(d.band[1]) - _band_rank(d.band[0])
    row = text_row("Risk band", *bands)
    if rank:
        steps = f"{abs(rank)} band{'s' if abs(rank) > 1 else ''}"
        row = row.model_copy(
            update={
                "change": f"{'up' if rank > 0 else 'down'} {steps}",
                "tone": "worse" if rank > 0 else "better",
            }
        )
    rows.append(row)
    totals = {c.label: c for c in d.costs}
    for month in COST_MONTHS:
        c = totals[f"total in month {month}"]
        rows.append(
            number_row(
                f"Total monthly cost, month {month}",
                c.base,
                c.new,
                lambda x: f"{_money(x)}/month",
                money=True,
            )
        )
    for i in range(TOP_ACTIONS):
        names = [side[i] if i < len(side) else None for side in d.actions]
        if names == [None, None]:
            break
        rows.append(text_row(f"Top action {i + 1}", _action(a, names[0]), _action(b, names[1])))
    return rows


def finetune_rows(a: finetune.FinetuneComparison, b: finetune.FinetuneComparison) -> list[Row]:
    """The selected method's cost, wall time and GPUs."""
    sa, sb = a.selected, b.selected

    def cost(s: Any) -> str:
        return f"${s.cost_usd:,.0f} ({finetune.METHOD_LABELS[s.method]})"

    row = number_row("Fine-tuning cost", sa.cost_usd, sb.cost_usd, str, money=True)
    rows = [row.model_copy(update={"base": cost(sa), "new": cost(sb)})]
    row = number_row("Fine-tuning wall time", sa.wall_hours, sb.wall_hours, str, unit="h")
    rows.append(
        row.model_copy(
            update={
                "base": f"{finetune.fmt_hours(sa.wall_hours)} on {finetune.fmt_gpus(sa.gpus_used)}",
                "new": f"{finetune.fmt_hours(sb.wall_hours)} on {finetune.fmt_gpus(sb.gpus_used)}",
                "change": row.change
                if row.tone is None
                else _signed(100 * (sb.wall_hours - sa.wall_hours) / sa.wall_hours, ".0f") + "%",
            }
        )
    )
    rows.append(
        number_row(
            f"GPUs needed ({sa.gpu_name})" if sa.gpu_name == sb.gpu_name else "GPUs needed",
            sa.gpus_needed,
            sb.gpus_needed,
            finetune.fmt_gpus,
        )
    )
    return rows


def sizing_rows(a: sizing.SizingResult, b: sizing.SizingResult) -> list[Row]:
    """The verdict, the proposal's cost and the model the data supports."""

    def supported(r: sizing.SizingResult) -> str:
        if r.recommended is None:
            return MISSING
        rec = r.recommended
        return (
            f"{sizing.fmt_count(rec.params, 'parameters')} on {sizing.fmt_count(rec.tokens)} tokens"
        )

    rows = [
        text_row("Sizing verdict", a.verdict_label or MISSING, b.verdict_label or MISSING),
        number_row(
            "Proposal cost",
            a.proposal.cost_usd if a.proposal else None,
            b.proposal.cost_usd if b.proposal else None,
            _money,
            money=True,
        ),
        text_row("Model the data supports", supported(a), supported(b)),
    ]
    return rows


# ─── inputs ─────────────────────────────────────────────────────────────────────────────


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (``X``, ``X | None``), else None."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _key_label(model: type[BaseModel], key: str) -> str:
    """A dict field's key in words: an answer's path (``spreads``) by its label."""
    if model is risk.Answers:
        try:
            return risk.answer_label(key)
        except KeyError:
            pass
    return key.replace("_", " ").replace(".", " › ")


def path_row(
    model: type[BaseModel],
    path: str,
    base: dict[str, Any],
    new: dict[str, Any],
    labels: dict[str, str] | None = None,
) -> tuple[str, str, str]:
    """(label, base value, new value) of a dotted path into two dumps of ``model``; the rest
    of the path after a dict-valued field is one key of it (``spreads.growth.users_multiple``).
    """
    parts, names = path.split("."), []
    a: Any = base
    b: Any = new
    parents: tuple[Any, Any] = ({}, {})
    unit = None
    field: tuple[type[BaseModel], str] | None = None  # the model and field the values are of
    current: type[BaseModel] | None = model
    while parts:
        info = current.model_fields.get(parts[0]) if current else None
        if info is None:  # a key of a dict field
            key = ".".join(parts)
            names.append(_key_label(model, key))
            a = a.get(key) if isinstance(a, dict) else None
            b = b.get(key) if isinstance(b, dict) else None
            field = None
            break
        name = parts.pop(0)
        assert current is not None
        names.append(plain.label(current, name))
        unit, field = plain.unit(current, name), (current, name)
        parents = (a if isinstance(a, dict) else {}, b if isinstance(b, dict) else {})
        a = a.get(name) if isinstance(a, dict) else None
        b = b.get(name) if isinstance(b, dict) else None
        current = _model_of(info.annotation)

    def show(v: Any, parent: dict[str, Any]) -> str:
        if v is None:
            return MISSING
        if field is not None:
            return plain.value_text(*field, v, parent, labels)
        if labels and isinstance(v, str) and v in labels:
            return labels[v]
        return fmt_value(v, unit)

    return " › ".join(names), show(a, parents[0]), show(b, parents[1])


def input_rows(
    model: type[BaseModel],
    base: BaseModel | None,
    new: BaseModel | None,
    labels: dict[str, str] | None = None,
    paths: Sequence[str] | None = None,
) -> list[tuple[str, str, str]]:
    """(label, base, new) for every input that differs; a side without the page shows "—"
    beside each of the other side's inputs.  ``paths`` (dotted) default to every differing
    field of the two dumps, found as :func:`calculator.diff.diff` finds changed answers."""
    if base is None or new is None:
        given = base if base is not None else new
        if given is None:
            return []
        rows = plain.field_rows(model, given.model_dump(mode="json"), labels=labels)
        return [(k, v, MISSING) if base is not None else (k, MISSING, v) for k, v in rows]
    a, b = base.model_dump(mode="json"), new.model_dump(mode="json")
    paths = _changed_paths(a, b) if paths is None else paths
    return [path_row(model, p, a, b, labels) for p in paths]


def _spread(x: float | None) -> str:
    return MISSING if x is None else f"±{100 * x:.0f}%"


def spread_rows(
    model: type[BaseModel], base: dict[str, float], new: dict[str, float]
) -> list[tuple[str, str, str]]:
    """(label, base, new) for every input whose ± spread differs (input path → fraction)."""
    return [
        (
            f"± spread on {path_row(model, path, {}, {})[0]}",
            _spread(base.get(path)),
            _spread(new.get(path)),
        )
        for path in sorted(set(base) | set(new))
        if base.get(path) != new.get(path)
    ]


# ─── the document ───────────────────────────────────────────────────────────────────────


class Comparison(Document):
    """The comparison PDF of ``base`` and ``new``; :meth:`build` lays it out."""

    def __init__(
        self, base: Scenario, new: Scenario, *, generated_at: datetime | None = None
    ) -> None:
        self.base, self.new = base, new
        self.base_name = scenario_title(base.name, NAME_CHARS)
        self.new_name = scenario_title(new.name, NAME_CHARS)
        short = f"{scenario_title(base.name, 30)} → {scenario_title(new.name, 30)}"
        super().__init__(f"{PRODUCT} comparison · {short}", f"{PRODUCT} comparison", generated_at)

    def headings(self, first: str) -> tuple[str, str, str, str]:
        return (first, f"Base: {self.base_name}", f"New: {self.new_name}", "Change")

    def table(self, rows: list[Row], first: str = "Figure") -> None:
        self.lay.table(
            [(r.label, r.base, r.new, r.change) for r in rows],
            headings=self.headings(first),
            col_widths=(42, 49, 49, 40),
            align=("LEFT", "LEFT", "LEFT", "RIGHT"),
            size=8.5,
            fills=[(None, None, None, TONES[r.tone]) if r.tone else None for r in rows],
        )

    def what_if_rows(self) -> list[Row]:
        """The fine-tuning and sizing headlines where both scenarios have the page."""
        rows: list[Row] = []
        pairs = (
            (FINETUNE, finetune_rows, self.base.finetune, self.new.finetune),
            (SIZING, sizing_rows, self.base.sizing, self.new.sizing),
        )
        for page, make, a, b in pairs:
            if a is None and b is None:
                continue
            if a is None or b is None:
                only = self.base_name if a is not None else self.new_name
                self.omit(page.title, f"only {only} has its inputs, so there is nothing to compare")
                continue
            try:
                rows += make(page.evaluate(a), page.evaluate(b))
            except Exception as exc:  # noqa: BLE001 - one part, never the whole comparison
                self.omit(page.title, f"could not be computed ({type(exc).__name__}: {exc})")
        return rows

    def key_figures(self, d: ScenarioDiff, a: risk.Assessment, b: risk.Assessment) -> None:
        lay = self.lay
        self.section(SECTION_TITLES[0])
        lay.table(
            [("Base", self.base_name), ("New", self.new_name), ("Generated", self.date)],
            col_widths=(30, 150),
            size=9,
        )
        rows = assessment_rows(d, a, b) + self.what_if_rows()
        self.table(rows)
        lay.note(
            "Change: new minus base. Red: worse (higher score or cost), green: better, amber: "
            "different. Costs are the base case of each scenario's forecast."
        )
        for note in self.notes:
            lay.note(note)
        labels = [f"{self.base_name} (base)", f"{self.new_name} (new)"]
        chart = Chart(
            "Total monthly cost of both scenarios",
            "calculator.charts.compare:cost_trajectories_spec",
            (trajectory_rows(list(zip(labels, (a, b), strict=True))), labels),
        )
        self.charts.request([chart])
        self.figures([chart], max_height=80)

    def details(self, d: ScenarioDiff) -> None:
        lay = self.lay
        components = [c for c in d.costs if not c.label.startswith("total")]
        lay.h2("Monthly cost by component")
        self.table([self._cost_row(c) for c in components], first="Component and month")
        moved = [c for c in d.drivers if c.delta != 0][:8]
        if moved:
            lay.h2("Risk drivers that moved")
            self.table(
                [
                    number_row(c.label, c.base, c.new, lambda x: f"{x:.1f}", unit="points")
                    if c.base is not None and c.new is not None
                    else Row(
                        label=c.label,
                        base=MISSING if c.base is None else f"{c.base:.1f}",
                        new=MISSING if c.new is None else f"{c.new:.1f}",
                        change="new driver" if c.base is None else "gone",
                        tone="worse" if c.base is None else "better",
                    )
                    for c in moved
                ],
                first="Driver (points)",
            )

    @staticmethod
    def _cost_row(c: Change) -> Row:
        component, _, month = c.label.partition(" in month ")
        return number_row(
            f"{component.capitalize()}, month {month}",
            c.base,
            c.new,
            lambda x: f"{_money(x)}/month",
            money=True,
        )

    def what_changed(self, d: ScenarioDiff) -> None:
        lay = self.lay
        self.section(SECTION_TITLES[1])
        blocks: list[tuple[str, list[tuple[str, str, str]]]] = []
        if self.base.name != self.new.name:
            blocks.append(("Name", [("Scenario name", self.base_name, self.new_name)]))
        changed = [p for p in d.answers_changed if not p.startswith("spreads.")]
        answers = input_rows(
            risk.Answers,
            self.base.answers,
            self.new.answers,
            labels=risk.OPTION_LABELS,
            paths=changed,
        )
        answers += spread_rows(risk.Answers, self.base.answers.spreads, self.new.answers.spreads)
        blocks.append(("Assessment answers", answers))
        same = []
        for page in PAGES:
            a, b = getattr(self.base, page.key), getattr(self.new, page.key)
            if a is None and b is None:
                continue
            model = type(a if a is not None else b)
            rows = input_rows(model, a, b, labels=dict(page.labels))
            rows += spread_rows(
                model, getattr(self.base.spreads, page.key), getattr(self.new.spreads, page.key)
            )
            if rows:
                blocks.append((f"{page.title} inputs", rows))
            else:
                same.append(page.title)
        for title, rows in blocks:
            lay.h2(title)
            if not rows:
                lay.note("The same in both scenarios.")
                continue
            lay.table(
                rows,
                headings=self.headings("Input")[:3],
                col_widths=(70, 55, 55),
                size=8.5,
            )
        if same:
            lay.note(f"The same inputs in both scenarios: {', '.join(same)}.")
        runs = (len(self.base.bench_results), len(self.new.bench_results))
        if runs[0] != runs[1]:
            lay.note(f"Benchmark runs attached: {runs[0]} (base), {runs[1]} (new).")
        lay.h2("Reproduce", level=2)
        lay.para("Save both scenarios as files (base.json, new.json), then run:", size=9.5)
        lay.mono(
            "python -m calculator diff base.json new.json\n"
            "python -m calculator report base.json --compare new.json -o comparison.pdf",
            size=7.5,
        )

    def build(self) -> ReportOutput:
        d = diff(self.base, self.new)
        a, b = risk.assess(self.base.answers), risk.assess(self.new.answers)
        self.key_figures(d, a, b)
        self.details(d)
        self.what_changed(d)
        return self.output()
