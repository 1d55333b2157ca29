"""``scalerisk schema NAME``: print the JSON schema of an input file format."""

from __future__ import annotations

import argparse
import importlib
import json

from calculator.errors import InputError

# name -> "module:Model"; each domain adds its public input format here.
SCHEMAS: dict[str, str] = {
    "assess": "calculator.risk:Answers",
    "finetune": "calculator.finetune:FinetuneInputs",
    "sizing": "calculator.sizing:SizingInputs",
    "roi": "calculator.mitigation:MitigationInputs",
    "greenmoney": "calculator.greenmoney:GreenMoneyInputs",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the JSON schema of an input file")
    p.add_argument("name", help=f"one of: {', '.join(SCHEMAS)}")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    target = SCHEMAS.get(args.name)
    if target is None:
        raise InputError(f"unknown schema {args.name!r}; choose from: {', '.join(SCHEMAS)}")
    module_name, model_name = target.split(":")
    model = getattr(importlib.import_module(module_name), model_name)
    print(json.dumps(model.model_json_schema(), indent=2))
    return 0
