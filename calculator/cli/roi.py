"""``scalerisk roi``: which mitigation actions pay back, how fast, and in what order.

Examples::

    python -m calculator roi answers.json --json            # answers: `schema assess`
    python -m calculator roi answers.json --horizon-months 12
    python -m calculator roi plan.json --plan --json        # full plan: `schema roi`
    python -m calculator roi answers.json --spread current_monthly_cost.inference=0.3

The plan's NPV, payback and ROI come with their likely range (P10–P90 of a simulation over
the actions' seed ranges and the inputs marked with ``--spread``) and the inputs that move the
NPV most (issue 12).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import ValidationError

from calculator import mitigation, risk
from calculator.cli.argtypes import add_simulation_arguments, number
from calculator.common import format_money
from calculator.errors import InputError, describe_validation_error, load_model_file

TOP_DRIVERS = 3
"""Inputs the text output lists under "what moves the NPV most"."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "roi",
        help="mitigation-phase ROI: actions and phases ranked by ROI",
        description="Rank seed 001 §5's mitigation actions and phases by ROI, payback and NPV, "
        "starting from the assessment answers in FILE.",
    )
    p.add_argument("file", metavar="FILE", help="assessment answers JSON (see `schema assess`)")
    p.add_argument(
        "--plan",
        action="store_true",
        help="FILE is a full mitigation plan (MitigationInputs, see `schema roi`) instead",
    )
    p.add_argument(
        "--horizon-months",
        type=number(1, 120, integer=True),
        default=None,
        metavar="N",
        help="months over which ROI, payback and NPV are computed (default: the answers' growth "
        "horizon; a plan file's own)",
    )
    p.add_argument(
        "--discount-rate",
        type=number(0, 1),
        default=None,
        metavar="R",
        help="annual discount rate for NPV, 0-1 (default 0.1)",
    )
    add_simulation_arguments(
        p,
        "mark a plan input as uncertain by ± FRACTION of its value (repeatable), e.g. "
        "current_monthly_cost.inference=0.3; PATH is one of: " + ", ".join(mitigation.SPREADABLE),
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def build_inputs(args: argparse.Namespace) -> mitigation.MitigationInputs:
    """MitigationInputs from FILE and the options; :class:`InputError` for every user error."""
    overrides: dict[str, Any] = {}
    if args.horizon_months is not None:
        overrides["horizon_months"] = args.horizon_months
    if args.discount_rate is not None:
        overrides["discount_rate_annual"] = args.discount_rate
    if args.plan:
        plan = load_model_file(args.file, mitigation.MitigationInputs)
        return mitigation.MitigationInputs.model_validate({**plan.model_dump(), **overrides})
    answers = load_model_file(args.file, risk.Answers)
    try:
        return risk.mitigation_inputs(answers, **overrides)
    except ValidationError as exc:
        raise InputError(
            f"{args.file} gives invalid mitigation inputs:\n{describe_validation_error(exc)}"
        ) from None


def to_json(
    result: mitigation.MitigationResult, ranges: mitigation.PlanUncertainty | None = None
) -> dict[str, Any]:
    """The JSON object printed by ``--json`` (the monthly series left out).

    ``ranges`` adds ``"ranges"`` (P10 / P50 / P90 of the plan's headlines; null when nothing is
    selected) and ``"sensitivity"`` (the NPV tornado, largest swing first).
    """
    data = result.model_dump(mode="json", exclude={"series", "baseline_monthly_usd"})
    data["seed_headline"] = mitigation.seed_headline().model_dump(mode="json")
    if ranges is not None:
        data.update(mitigation.uncertainty_json(ranges))
    elif result.plan is None:
        data.update({"ranges": None, "sensitivity": []})
    return data


def ranges_text(u: mitigation.PlanUncertainty) -> list[str]:
    """The plan's ranges and the top of its NPV tornado, as lines."""
    h = u.horizon_months
    multiple = mitigation.format_multiple
    rows = [
        (
            f"NPV over {h:,} months",
            mitigation.format_usd(u.npv_usd.point),
            mitigation.format_likely(u.npv_usd, format_money)
            + (
                f" (negative in {u.share_npv_negative:.0%} of simulations)"
                if u.share_npv_negative
                else ""
            ),
        ),
        (
            "Payback",
            mitigation.format_payback(u.payback_months.point, h),
            mitigation.format_likely_payback(u.payback_months, h),
        ),
    ]
    if u.roi_multiple is not None:
        rows.append(
            (
                f"ROI at {h:,} months",
                multiple(u.roi_multiple.point),
                mitigation.format_likely(u.roi_multiple, multiple),
            )
        )
    rows.append(
        (
            "Investment",
            mitigation.format_usd(u.investment_usd.point),
            mitigation.format_likely(u.investment_usd, format_money),
        )
    )
    lines = [f"Plan ranges (P10–P90 of {u.samples:,} simulations, seed {u.seed}):"]
    lines += [f"  {name:<22}{value:>22}   {likely}" for name, value, likely in rows]
    top = [b for b in u.npv_tornado if b.swing > 0][:TOP_DRIVERS]
    if top:
        lines.append("What moves the NPV most (each input alone at the ends of its range):")
        lines += [
            f"  {i}. {b.label}: low end → {format_money(b.low)}, high end → {format_money(b.high)}"
            for i, b in enumerate(top, 1)
        ]
    lines.append(u.basis)
    return lines


def _table(result: mitigation.MitigationResult) -> str:
    h = result.horizon_months
    fmt_m, fmt_p = mitigation.format_multiple, mitigation.format_payback
    roi_head = f"ROI at {h:,} mo"
    head = (
        f"{'#':>3}  {'action':<34}{'ph':>3}{'saves/month':>16}{'investment':>16}  "
        f"{'payback':<22}{roi_head}"
    )
    lines = [head, "-" * len(head)]
    for i, a in enumerate(result.actions, 1):
        mark = "" if a.selected else " (not in plan)"
        lines.append(
            f"{i:>3}  {a.name[:33]:<34}{a.phase:>3}"
            f"{a.monthly_savings_usd:>16,.0f}{a.investment_usd:>16,.0f}  "
            f"{fmt_p(a.payback_months, h):<22}{fmt_m(a.roi_multiple)}{mark}"
        )
    lines += ["", "Phases (selected actions together):"]
    groups = list(result.phases) + ([result.plan] if result.plan else [])
    for g in groups:
        lines.append(
            f"     {g.name:<37}{g.monthly_savings_usd:>16,.0f}{g.investment_usd:>16,.0f}  "
            f"{fmt_p(g.payback_months, h):<22}{fmt_m(g.roi_multiple)}"
        )
    if result.excluded:
        lines += ["", "Not applicable to this system (not ranked):"]
        lines += [f"  {x.name}: {x.reason}" for x in result.excluded]
    notes = [w for a in result.actions for w in a.warnings] + [
        w for g in groups for w in g.warnings
    ]
    if notes:
        lines += ["", "Check:"] + [f"  {w}" for w in dict.fromkeys(notes)]
    lines += [
        "",
        "Amounts in USD (investment: cash + engineering time at "
        f"${result.loaded_cost_per_fte_usd:,.0f} per engineer-year) and USD/month (savings at "
        "today's cost). ROI = savings ÷ investment.",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    inputs = build_inputs(args)
    try:
        ranges = mitigation.plan_uncertainty(inputs, dict(args.spread), args.samples, args.seed)
    except ValueError as exc:  # a path that cannot carry a spread
        raise InputError(f"--spread: {exc}") from None
    result = mitigation.evaluate_plan(inputs)
    if args.json:
        print(json.dumps(to_json(result, ranges), indent=2, allow_nan=False))
    else:
        text = _table(result)
        if ranges is not None:
            text += "\n\n" + "\n".join(ranges_text(ranges))
        print(text)
    return 0
