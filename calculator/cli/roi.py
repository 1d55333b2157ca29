"""``scalerisk roi``: which mitigation actions pay back, how fast, and in what order.

Examples::

    python -m calculator roi answers.json --json            # answers: `schema assess`
    python -m calculator roi answers.json --horizon-months 12
    python -m calculator roi plan.json --plan --json        # full plan: `schema roi`
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import ValidationError

from calculator import mitigation, risk
from calculator.cli.argtypes import number
from calculator.errors import InputError, describe_validation_error, load_model_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "roi",
        help="mitigation-phase ROI: actions and phases ranked by ROI",
        description="Rank seed 001 §5's mitigation actions and phases by ROI, payback and NPV, "
        "starting from the assessment answers in FILE.",
    )
    p.add_argument("file", metavar="FILE", help="assessment answers JSON (see `schema assess`)")
    p.add_argument("--plan", action="store_true",
                   help="FILE is a full mitigation plan (MitigationInputs, see `schema roi`) instead")
    p.add_argument("--horizon-months", type=number(1, 120, integer=True), default=None, metavar="N",
                   help="months over which ROI, payback and NPV are computed (default: the answers' growth "
                   "horizon; a plan file's own)")
    p.add_argument("--discount-rate", type=number(0, 1), default=None, metavar="R",
                   help="annual discount rate for NPV, 0-1 (default 0.1)")
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
        raise InputError(f"{args.file} gives invalid mitigation inputs:\n{describe_validation_error(exc)}") from None


def to_json(result: mitigation.MitigationResult) -> dict[str, Any]:
    """The JSON object printed by ``--json`` (the monthly series left out)."""
    data = result.model_dump(mode="json", exclude={"series", "baseline_monthly_usd"})
    data["seed_headline"] = mitigation.seed_headline().model_dump(mode="json")
    return data


def _table(result: mitigation.MitigationResult) -> str:
    h = result.horizon_months
    fmt_m, fmt_p = mitigation.format_multiple, mitigation.format_payback
    roi_head = f"ROI at {h:,} mo"
    head = f"{'#':>3}  {'action':<34}{'ph':>3}{'saves/month':>16}{'investment':>16}  {'payback':<22}{roi_head}"
    lines = [head, "-" * len(head)]
    for i, a in enumerate(result.actions, 1):
        mark = "" if a.selected else " (not in plan)"
        lines.append(
            f"{i:>3}  {a.name[:33]:<34}{a.phase:>3}{a.monthly_savings_usd:>16,.0f}{a.investment_usd:>16,.0f}  "
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
    notes = [w for a in result.actions for w in a.warnings] + [w for g in groups for w in g.warnings]
    if notes:
        lines += ["", "Check:"] + [f"  {w}" for w in dict.fromkeys(notes)]
    lines += ["", f"Amounts in USD (investment: cash + engineering time at ${result.loaded_cost_per_fte_usd:,.0f} "
              "per engineer-year) and USD/month (savings at today's cost). ROI = savings ÷ investment."]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    result = mitigation.evaluate_plan(build_inputs(args))
    if args.json:
        print(json.dumps(to_json(result), indent=2))
    else:
        print(_table(result))
    return 0
