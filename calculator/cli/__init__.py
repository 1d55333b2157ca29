"""CLI dispatcher.  Each sub-command lives in its own module exposing ``register(subparsers)``.

``register`` adds a parser and sets ``func(args) -> int`` on it.  Errors a user can cause
raise :class:`calculator.errors.InputError`; they are printed as one message, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from calculator.errors import InputError

SUBCOMMAND_MODULES = (
    "assess",
    "schema",
    "sizing",
    "finetune",
    "roi",
    "greenmoney",
    "report",
    "diff",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scalerisk",
        description="ScaleRisk calculator: scalability risk, sizing, fine-tuning, ROI and Green "
        "Money what-ifs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"calculator.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(f"scalerisk {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `scalerisk assess a.json | head`: stop quietly
        # Python docs, "Note on SIGPIPE": point stdout at devnull so the exit flush can't fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
