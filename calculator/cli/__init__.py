"""CLI dispatcher.  Each sub-command lives in its own module exposing ``register(subparsers)``.

``register`` adds a parser and sets ``func(args) -> int`` on it.  Errors a user can cause
raise :class:`calculator.errors.InputError`; they are printed as one message, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from calculator.errors import InputError

SUBCOMMAND_MODULES = ("assess", "schema", "sizing", "finetune", "roi", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scalerisk",
        description="ScaleRisk calculator: scalability risk, sizing, fine-tuning and ROI what-ifs.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"calculator.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"calculator.cli.{name}":
                raise
            continue  # sub-command not built yet
        module.register(sub)
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
