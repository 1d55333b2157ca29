"""``scalerisk report FILE.json -o summary.pdf [--full]``: the PDF summary from an answers file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from calculator.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="build the PDF summary from an assessment answers file",
        description="Build the PDF summary from an assessment answers file. The file may also "
        "carry 'scenario_name' and 'what_if' ({page: inputs}; pages: sizing, finetune, "
        "mitigation, green_money).",
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


def _read(path: str) -> object:
    source = "standard input" if path == "-" else path
    try:
        text = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not an answers file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{source} is not valid JSON: {exc}") from None


def run(args: argparse.Namespace) -> int:
    from calculator.report import render_report, request_from_answers

    source = "standard input" if args.file == "-" else args.file
    request = request_from_answers(_read(args.file), full=args.full, source=source)
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
