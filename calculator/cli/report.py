"""``scalerisk report FILE.json -o summary.pdf [--full] [--appendices]``: the PDF summary of a
scenario file; ``--compare NEW.json``: the comparison PDF of two."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from calculator.errors import InputError, read_json
from calculator.scenario import Scenario, parse_scenario

ANSWERS_FILE_EXTRAS = ("scenario_name", "what_if")
"""Keys an old answers file may carry beside the assessment answers themselves."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="build the PDF summary of a scenario file (or compare two)",
        description="Build the PDF summary from a scenario file (saved from the app's library, "
        "the assessment page's download or a summary's appendix). An old answers file may also "
        "carry 'scenario_name' and 'what_if' ({page: inputs}; pages: sizing, finetune, "
        "mitigation, green_money).",
    )
    p.add_argument("file", help="scenario JSON file ('-' reads standard input)")
    p.add_argument(
        "-o",
        "--output",
        default=None,
        help="where to write the PDF (default: summary.pdf, or comparison.pdf with --compare)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="include every page, using defaults where no inputs are given",
    )
    p.add_argument(
        "--appendices",
        action="store_true",
        help="add the appendices: assumptions, formulas and sources; where the seeds "
        "contradict themselves; how to reproduce every figure (commands and the scenario file)",
    )
    p.add_argument(
        "--compare",
        metavar="NEW",
        help="build a comparison PDF instead: FILE is the base, NEW the scenario after the "
        "change (key deltas, both cost trajectories, what changed)",
    )
    p.set_defaults(func=run)


def answered(data: dict[str, Any]) -> bool:
    """Whether the file answers the questionnaire: a scenario file with ``answers``, an old
    answers file with any key beside its name and what-ifs.  A file without answers leaves
    the assessment out of the summary, as the app does before the assessment is opened."""
    if "version" in data:
        return "answers" in data
    return any(k not in ANSWERS_FILE_EXTRAS for k in data)


def load(path: str) -> tuple[Scenario, bool]:
    """The scenario in ``path`` and whether it answers the questionnaire."""
    data, source = read_json(path)
    try:
        scenario = parse_scenario(data)
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None
    return scenario, isinstance(data, dict) and answered(data)  # parse_scenario: objects only


def run(args: argparse.Namespace) -> int:
    from calculator import report

    if args.compare and (args.full or args.appendices):
        flag = "--full" if args.full else "--appendices"
        raise InputError(f"{flag} applies to a summary; a comparison always compares every part")
    scenario, has_answers = load(args.file)
    new = load(args.compare)[0] if args.compare else None
    report.warm_up()  # chart workers start while this process computes the sections
    if new is None:
        out = report.render(
            scenario, full=args.full, appendices=args.appendices, answered=has_answers
        )
    else:
        out = report.render_comparison(scenario, new)
    target = Path(args.output or ("comparison.pdf" if new is not None else "summary.pdf"))
    try:
        target.write_bytes(out.pdf)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror}") from None
    print(f"wrote {target} ({len(out.pdf) / 1024:,.0f} KiB): {', '.join(out.sections)}")
    for note in out.notes:
        print(f"  left out — {note}", file=sys.stderr)
    return 0
