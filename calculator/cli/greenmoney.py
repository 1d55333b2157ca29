"""``scalerisk greenmoney``: seed 000's Green Money — hours, dollars, payback of a faster machine.

Examples::

    python -m calculator greenmoney                          # seed 000: M2 Pro → DGX Spark, e5-base
    python -m calculator greenmoney --minutes-saved 15       # seed 000's worked example: $24,375
    python -m calculator greenmoney --input green_money.json # the page's inputs (PDF appendix)
    python -m calculator greenmoney --current-run latest --candidate "DGX Spark"  # a run here
    python -m calculator greenmoney --current-ips 3.3 --candidate-ips 208 --json

Text output mirrors the page: the key figures, each followed by the warnings that qualify it
("Note: …"), then the per-iteration times.  ``--json`` prints the whole result (the weekly
savings series left out) with ``key_figures`` and ``warnings``; every number in it is finite.
A throughput taken from the benchmark history (``--current-run`` / ``--candidate-run``) that
the benchmark does not trust carries its reason into the result's warnings, as on the page.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import ValidationError

from calculator import greenmoney as gm
from calculator.cli.argtypes import add_simulation_arguments, number
from calculator.errors import InputError, describe_validation_error, load_model_file

NEVER_WEEKS = 1e300
"""Payback weeks at or above this are the simulation's stand-in for "never"."""

FLAG_FIELDS = {
    "iterations": "iterations_per_sprint",
    "items": "items_per_iteration",
    "minutes_saved": "minutes_saved_override",
    "sprint_weeks": "sprint_length_weeks",
    "sprints_per_year": "sprints_per_year",
    "hours_per_week": "hours_per_week",
    "rate": "hourly_rate_usd",
    "premium": "hardware_premium_usd",
    "horizon_weeks": "horizon_weeks",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "greenmoney",
        help="Green Money: hours, dollars and payback of a faster machine (seed 000)",
        description="Seed 000's five steps from a throughput gap to hours saved per sprint, "
        "dollars a "
        "year and the payback of the hardware price difference, within physical limits (the saving "
        "never exceeds the slower machine's running time nor the sprint's hours). Defaults: seed "
        "000 "
        "(M2 Pro 75 → DGX Spark 208 items/s on e5-base, 50 iterations of 103,000 items).",
    )
    p.add_argument(
        "--input",
        metavar="FILE",
        help="GreenMoneyInputs JSON (`schema greenmoney`; '-': standard input); flags override it",
    )
    machines = ", ".join(repr(name) for name in gm.REFERENCE_MACHINES)
    for role in ("current", "candidate"):
        g = p.add_argument_group(f"{role} machine (one of these; default from --input or seed 000)")
        which = g.add_mutually_exclusive_group()
        which.add_argument(
            f"--{role}-ips",
            type=number(1e-6, 1e9, unit="items/s"),
            metavar="R",
            help=f"{role} machine's throughput, items/s",
        )
        which.add_argument(
            f"--{role}", metavar="NAME", help=f"a seed 000 reference machine: {machines}"
        )
        which.add_argument(
            f"--{role}-run",
            metavar="ID",
            help="a run from the benchmark history (`python -m bench history`), or 'latest'",
        )
    p.add_argument(
        "--model",
        default="e5-base",
        help="workload model whose items/s a machine or run supplies (default e5-base)",
    )
    p.add_argument(
        "--history", metavar="PATH", help="benchmark history file (default: the user data dir)"
    )
    w = p.add_argument_group("workload and money")
    w.add_argument(
        "--iterations",
        type=number(0, 100_000, integer=True),
        metavar="N",
        help="model runs per sprint (seed 000: 50)",
    )
    w.add_argument(
        "--items",
        type=number(1, 1e10, integer=True),
        metavar="N",
        help="items per iteration (seed 000: 103,000)",
    )
    w.add_argument(
        "--minutes-saved",
        type=number(-1e6, 1e6, unit="min"),
        metavar="MIN",
        help="minutes saved per iteration, typed in (seed 000's example: 15)",
    )
    w.add_argument(
        "--sprint-weeks", type=number(0.1, 52, unit="weeks"), metavar="W", help="sprint length (2)"
    )
    w.add_argument(
        "--sprints-per-year", type=number(0, 365), metavar="S", help="sprints per year (26)"
    )
    w.add_argument(
        "--hours-per-week",
        type=number(0, 168, positive=True, unit="h"),
        metavar="H",
        help="working hours per week (ScaleRisk assumption: 40)",
    )
    w.add_argument(
        "--rate",
        type=number(0, 10_000, unit="USD/h"),
        metavar="USD",
        help="loaded hourly rate (75)",
    )
    w.add_argument(
        "--premium",
        type=number(-1e9, 1e9, unit="USD"),
        metavar="USD",
        help="candidate price minus current price (1500)",
    )
    w.add_argument(
        "--horizon-weeks", type=number(1, 520, integer=True), metavar="W", help="chart horizon (52)"
    )
    add_simulation_arguments(
        p,
        "mark an input as uncertain by ± FRACTION of its value, e.g. "
        f"hourly_rate_usd=0.2 (repeatable; one of: {', '.join(gm.SPREADABLE)})",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _reference(name: str, model: str) -> float:
    match = {k.lower(): m for k, m in gm.REFERENCE_MACHINES.items()}.get(name.strip().lower())
    if match is None:
        raise InputError(
            f"unknown machine {name!r}; choose from: {', '.join(gm.REFERENCE_MACHINES)}"
        )
    if model not in match.items_per_second:
        raise InputError(
            f"seed 000 gives no {model} figure for {match.name}; "
            f"it has: {', '.join(match.items_per_second)}"
        )
    return match.items_per_second[model]


def _from_history(
    run_id: str, model: str, path: str | None, flag: str
) -> tuple[float, str | None, float | None]:
    """(items/s, measurement warning or None, IQR of the passes) of ``model`` in a stored run."""
    from bench.history import History  # pydantic + sqlite only: no torch

    store = History(path)
    if run_id.strip().lower() == "latest":
        entries = store.list(limit=1)
        if not entries:
            raise InputError(f"no benchmark stored in {store.path} yet (run `python -m bench`)")
        entry = entries[0]
    else:
        try:
            entry = store.get(int(run_id))
        except ValueError:
            raise InputError(
                f"{flag} takes a benchmark number or 'latest', not {run_id!r}"
            ) from None
        except KeyError as exc:
            raise InputError(str(exc.args[0])) from None
    run = next((r for r in entry.result.runs if r.model == model), None)
    if run is None:
        raise InputError(
            f"benchmark #{entry.id} has no {model} run (it ran: "
            f"{', '.join(r.model for r in entry.result.runs)}); choose one with --model"
        )
    return run.items_per_second, None if run.trusted else run.trust_note, run.items_per_second_iqr


def build_inputs(args: argparse.Namespace) -> gm.GreenMoneyInputs:
    """GreenMoneyInputs from ``--input`` and the flags; :class:`InputError` for every user error."""
    data: dict[str, Any] = (
        load_model_file(args.input, gm.GreenMoneyInputs).model_dump() if args.input else {}
    )
    for flag, field in FLAG_FIELDS.items():
        if getattr(args, flag) is not None:
            data[field] = getattr(args, flag)
    for role in ("current", "candidate"):
        ips, name, run_id = (
            getattr(args, f"{role}_ips"),
            getattr(args, role),
            getattr(args, f"{role}_run"),
        )
        if ips is not None:
            data.update(
                {
                    f"{role}_items_per_second": ips,
                    f"{role}_measurement_warning": None,
                    f"{role}_items_per_second_iqr": None,
                }
            )
        elif name is not None:
            data.update(
                {
                    f"{role}_items_per_second": _reference(name, args.model),
                    f"{role}_measurement_warning": None,
                    f"{role}_items_per_second_iqr": None,
                }
            )
        elif run_id is not None:
            value, warning, iqr = _from_history(run_id, args.model, args.history, f"--{role}-run")
            data.update(
                {
                    f"{role}_items_per_second": value,
                    f"{role}_measurement_warning": warning,
                    f"{role}_items_per_second_iqr": iqr,
                }
            )
    try:
        return gm.GreenMoneyInputs.model_validate(data)
    except ValidationError as exc:
        raise InputError("invalid inputs:\n" + describe_validation_error(exc)) from None


def ranges_json(u: gm.GreenMoneyUncertainty) -> dict[str, Any]:
    """``ranges`` ({p10, p50, p90} per headline; payback "never" as null) and ``sensitivity``."""

    def weeks(x: float) -> float | None:
        return None if x >= NEVER_WEEKS else x

    payback = u.payback_weeks
    return {
        "ranges": {
            "samples": u.samples,
            "seed": u.seed,
            "hours_saved_per_sprint": u.hours_saved_per_sprint.as_dict(),
            "dollars_saved_per_year": u.dollars_saved_per_year.as_dict(),
            "payback_weeks": {k: weeks(v) for k, v in payback.as_dict().items()},
            "share_never_pays_back": u.share_never_pays_back,
            "basis": u.basis,
        },
        "sensitivity": [
            {
                "input": b.label,
                "key": b.key,
                "input_low": b.input_low,
                "input_high": b.input_high,
                "low": b.low,
                "high": b.high,
                "swing": b.swing,
            }
            for b in u.tornado
        ],
    }


def to_json(
    result: gm.GreenMoneyResult, ranges: gm.GreenMoneyUncertainty | None = None
) -> dict[str, Any]:
    """The JSON object printed by ``--json`` (the weekly series left out)."""
    data = result.model_dump(mode="json", exclude={"series"})
    if ranges is not None:
        data.update(ranges_json(ranges))
    data["key_figures"] = [
        {"label": label, "value": value, "notes": list(notes)}
        for label, value, notes in gm.figure_rows(result)
    ]
    data["payback"] = gm.format_payback(result.payback_weeks)
    return data


def render_text(result: gm.GreenMoneyResult, ranges: gm.GreenMoneyUncertainty | None = None) -> str:
    """The page's figures and warnings as text: each warning indented under its figure."""
    likely = {} if ranges is None else gm.range_texts(ranges)
    i = result.inputs
    lines = [
        f"Green Money: current machine {i.current_items_per_second:,.1f} items/s → candidate "
        f"{i.candidate_items_per_second:,.1f} items/s ({result.speedup:,.2f}× faster), "
        f"{i.iterations_per_sprint:,} iterations of {i.items_per_iteration:,} items per "
        f"{i.sprint_length_weeks:g}-week sprint",
        "",
    ]
    for label, value, notes in gm.figure_rows(result):
        lines.append(f"{label}: {value}" + (f" ({likely[label]})" if label in likely else ""))
        lines.extend(f"  Note: {text}" for text in notes)
    lines += [
        "",
        f"One iteration: {result.current_minutes_per_iteration:,.1f} min now vs "
        f"{result.candidate_minutes_per_iteration:,.1f} min on the candidate."
        + (
            " The candidate is slower: it saves no time, so it never pays back."
            if result.minutes_saved_per_iteration <= 0
            else ""
        ),
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    inputs = build_inputs(args)
    result = gm.green_money(inputs)
    try:
        ranges = gm.green_money_uncertainty(inputs, dict(args.spread), args.samples, args.seed)
    except ValueError as exc:
        raise InputError(f"--spread: {exc}") from None
    if args.json:
        print(json.dumps(to_json(result, ranges), indent=2, allow_nan=False))
    else:
        text = render_text(result, ranges)
        print(text + f"\n{ranges.basis} Ranges: P10–P90 of {ranges.samples:,} simulations.")
    return 0
