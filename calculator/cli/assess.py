"""``scalerisk assess FILE.json [--json] [--fail-above N] [--samples N] [--seed S] [--spread P=F]``.

Scores an answers file, or a scenario file (the assessment page's download: its answers are
scored); ranges are the P10–P90 of a simulation (issue 12).

Exit status: 0, or 1 when the score exceeds ``--fail-above`` (a scaling review as a phase
gate in CI, seed 002), 2 for bad input (one message naming the field).
"""

from __future__ import annotations

import argparse
import json

from pydantic import ValidationError

from calculator import mitigation
from calculator.cli.argtypes import add_simulation_arguments
from calculator.common import format_money
from calculator.errors import InputError, describe_validation_error, read_json, validate_model
from calculator.risk import Answers, assess, assess_ranges, ranges_json, summary_json
from calculator.uncertainty import Range, format_likely


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assess",
        help="scalability risk score, drivers and cost projection of an answers file",
        description="Score an assessment answers file (schema: `scalerisk schema assess`).",
    )
    p.add_argument("file", help="answers or scenario JSON file (the assessment page's download)")
    p.add_argument("--json", action="store_true", help="print a JSON object instead of a summary")
    p.add_argument(
        "--fail-above",
        type=float,
        metavar="N",
        help="exit with status 1 when the score exceeds N (0–100)",
    )
    add_simulation_arguments(
        p,
        "mark an answer as uncertain by ± FRACTION of its value, e.g. "
        "growth.users_multiple=0.3 (repeatable; adds to the file's 'spreads')",
    )
    p.set_defaults(func=run)


def _money(x: float) -> str:
    return f"${x:,.0f}/month"


def summary_text(data: dict) -> str:
    """Readable summary of :func:`calculator.risk.summary_json`'s object."""
    proj = data["projection"]
    h = proj["horizon_months"]
    lines = [
        f"Scalability risk score: {data['score']:.1f} / 100 — {data['band']}: "
        f"{data['band_meaning']}",
        data["score_meaning"],
        "",
        "Drivers (points):",
        *[f"  {d['points']:5.1f}  {d['name']} ({d['seed_ref']})" for d in data["drivers"]],
        "",
        f"Projection at {h:,} months (base case; low–high):",
        *[
            f"  {c:<11} {_money(v):>22}   ({_money(proj['low'][c])} – {_money(proj['high'][c])}; "
            f"{proj['classification'][c]})"
            for c, v in proj["components"].items()
        ],
        f"  {'total':<11} {_money(proj['projected_monthly_usd']):>22}",
        f"  naive linear {_money(proj['naive_linear_monthly_usd']):>21}   "
        f"(cost multiple vs linear: {proj['cost_multiple_vs_linear']:,.2f}×)",
        f"  growth above linear in 12 months: {proj['excess_over_linear']:,.1f}× today's bill",
    ]
    unit = data["unit_economics"]
    lines.append(
        f"  cost per user: ${unit['cost_per_user_now_usd']:,.2f} → "
        f"${unit['cost_per_user_projected_usd']:,.2f}"
        "/user/month"
        + (
            f" (a user is worth ${unit['value_per_user_usd']:,.2f})"
            if unit["value_per_user_usd"] is not None
            else ""
        )
    )
    budget = data["budget"]
    if budget["monthly_budget_usd"] is not None:
        t = budget["crossing_month"]
        when = (
            "not within 36 months"
            if t is None
            else "exceeded today"
            if t == 0
            else f"reached in month {t}"
        )
        lines.append(
            f"  budget ceiling {_money(budget['monthly_budget_usd'])}: {when} "
            f"(peak {budget['peak_share']:.0%} of it within 36 months)"
        )
    if data["recommendations"]:
        lines += ["", "Top actions by ROI:"]
        for i, r in enumerate(data["recommendations"], 1):
            roi = mitigation.format_multiple(r["roi_multiple"])
            lines.append(
                f"  {i}. {r['name']} (phase {r['phase']}, {r['seed_ref']}): −{r['reduction']:.0%} "
                "on its "
                f"components, saves {_money(r['monthly_savings_usd'])} at today's cost, for "
                f"${r['investment_usd']:,.0f} (${r['engineering_usd']:,.0f} of it engineering "
                "time): "
                f"{roi} over {r['horizon_months']:,} months"
            )
    if "ranges" in data:
        lines += ["", *ranges_text(data)]
    if data["warnings"]:
        lines += ["", "Warnings:", *[f"  {w}" for w in data["warnings"]]]
    return "\n".join(lines)


def ranges_text(data: dict) -> list[str]:
    """The ranges and the top of the tornadoes, as lines."""
    r = data["ranges"]
    score = r["score"]
    lines = [
        f"Ranges (P10–P90 of {r['samples']:,} simulations, seed {r['seed']}):",
        f"  risk score {format_likely(Range(point=data['score'], **score), '{:.1f}'.format)}"
        f"; above 85 in {r['share_above_85']:.0%} of them",
    ]
    for month, costs in r["cost_monthly_usd"].items():
        t = costs["total"]
        lines.append(
            f"  monthly cost in month {month}: {format_money(t['p10'])}–{format_money(t['p90'])}"
        )
    for name, bars, fmt in (
        ("risk score", data["sensitivity"], lambda x: f"{x:.1f}"),
        ("month-36 cost", data["sensitivity_cost_month_36"], format_money),
    ):
        top = [b for b in bars if b["swing"] > 0][:3]
        if top:
            lines.append(
                f"  what moves the {name} most: "
                + "; ".join(f"{b['input']} ({fmt(b['low'])} – {fmt(b['high'])})" for b in top)
            )
    lines.append(f"  {r['basis']}")
    return lines


def load_answers(path: str) -> Answers:
    """The answers of an answers file, or of a scenario file (``"version"`` key,
    :func:`calculator.scenario.parse_scenario`); :class:`InputError` naming the field."""
    data, source = read_json(path)
    if isinstance(data, dict) and "version" in data:
        from calculator.scenario import parse_scenario

        try:
            return parse_scenario(data).answers
        except InputError as exc:
            raise InputError(f"{source} has invalid values:\n{exc}") from None
    return validate_model(data, Answers, source=source)


def run(args: argparse.Namespace) -> int:
    if args.fail_above is not None and not 0 <= args.fail_above <= 100:
        raise InputError(f"--fail-above must be between 0 and 100 (got {args.fail_above:g})")
    answers = load_answers(args.file)
    if args.spread:
        try:
            answers = Answers.model_validate(
                {**answers.model_dump(), "spreads": {**answers.spreads, **dict(args.spread)}}
            )
        except ValidationError as exc:
            raise InputError(f"--spread: {describe_validation_error(exc)}") from None
    result = assess(answers)
    data = {
        **summary_json(result),
        **ranges_json(assess_ranges(answers, result, args.samples, args.seed)),
    }
    print(json.dumps(data, indent=2) if args.json else summary_text(data))
    if args.fail_above is not None and data["score"] > args.fail_above:
        if not args.json:
            print(f"\nscore {data['score']:.1f} exceeds --fail-above {args.fail_above:g}")
        return 1
    return 0


__all__ = ["register", "run", "summary_text"]
