"""``scalerisk report FILE.json -o summary.pdf [--full]``: the PDF summary from an answers file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from calculator.errors import InputError, read_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="build the PDF summary from an assessment answers file",
        description="Build the PDF summary from a scenario file (saved from the app's library "
        "or the assessment page's download). An answers file may also carry 'scenario_name' "
        "and 'what_if' ({page: inputs}; pages: sizing, finetune, mitigation, green_money).",
    )
    p.add_argument("file", help="answers JSON file ('-' reads standard input)")
    p.add_argument(
        "-o",
        "--output",
        default="summary.pdf",
        help="where to write the PDF (default: summary.pdf)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="include every page, using defaults where no inputs are given",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from calculator.report import render_report, request_from_answers, warm_up

    data, source = read_json(args.file)
    request = request_from_answers(data, full=args.full, source=source)
    warm_up()  # chart workers start while this process imports fpdf2 and computes the sections
    out = render_report(request)
    target = Path(args.output)
    try:
        target.write_bytes(out.pdf)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror}") from None
    print(f"wrote {target} ({len(out.pdf) / 1024:,.0f} KiB): {', '.join(out.sections)}")
    for note in out.notes:
        print(f"  left out — {note}", file=sys.stderr)
    return 0
