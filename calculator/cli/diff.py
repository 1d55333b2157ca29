"""``scalerisk diff BASE.json NEW.json``: what changed between two scenarios, as a phase gate.

Exit status: 0, 1 when a gate trips (``--fail-if-score-rises``, ``--fail-if-cost-rises``),
2 for bad input.  ``--format markdown`` prints a ready pull-request comment.
"""

from __future__ import annotations

import argparse
import json

from calculator import diff as engine
from calculator.cli.argtypes import number
from calculator.errors import InputError, read_json
from calculator.scenario import parse_scenario


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="compare two scenario (answers) files; exit 1 when a gate trips",
        description="What changed between two scenarios: risk score, drivers, monthly costs in "
        "months 12 and 36, top actions. Either file may be an old answers file.",
    )
    p.add_argument("base", help="the scenario before the change ('-' reads standard input)")
    p.add_argument("new", help="the scenario after the change")
    p.add_argument(
        "--fail-if-score-rises",
        type=number(0, 100),
        metavar="N",
        help="exit 1 when the risk score rises by more than N points",
    )
    p.add_argument(
        "--fail-if-cost-rises",
        type=number(0, 1e6),
        metavar="PCT",
        help="exit 1 when the total monthly cost in month 36 rises by more than PCT percent",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print a JSON object")
    out.add_argument(
        "--format", choices=("text", "markdown"), default="text", help="text (default) or markdown"
    )
    p.set_defaults(func=run)


def _load(path: str):
    data, source = read_json(path)
    try:
        return parse_scenario(data)
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    d = engine.diff(
        _load(args.base),
        _load(args.new),
        fail_if_score_rises=args.fail_if_score_rises,
        fail_if_cost_rises_pct=args.fail_if_cost_rises,
    )
    if args.json:
        print(json.dumps(engine.to_json(d), indent=2, allow_nan=False))
    else:
        print(engine.to_markdown(d) if args.format == "markdown" else engine.to_text(d))
    return 1 if d.tripped else 0
