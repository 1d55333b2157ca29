"""Every number a command prints with ``--json`` is finite, for inputs at both ends of every
declared bound (issue 15: "inf GPU-h, $inf" and ``Infinity`` in JSON are defects)."""

from __future__ import annotations

import json
import math

import pytest
from pydantic import BaseModel

from calculator import finetune, greenmoney, mitigation, sizing
from calculator.cli import main
from calculator.uncertainty import field_bounds, numeric_fields

TINY = 1e-300  # what "greater than 0" admits at its lower end


def ends(model: type[BaseModel]) -> list[tuple[str, float]]:
    """(top-level numeric field, value) at each end of its bounds (±1e300 where unbounded)."""
    out = []
    for path, info in numeric_fields(model).items():
        if "." in path:
            continue
        lo, hi = field_bounds(info)
        gt = any(getattr(m, "gt", None) is not None for m in info.metadata)
        low = (lo + TINY if lo == 0 else lo * (1 + 1e-12)) if gt else lo
        for value in (low, hi):
            if math.isfinite(value):
                is_int = info.annotation in (int, int | None)
                out.append((path, float(math.ceil(value)) if is_int else value))
    return out


def refuse_constant(name: str) -> None:
    raise AssertionError(f"{name} in --json output")


def finite_numbers(node: object) -> bool:
    if isinstance(node, float):
        return math.isfinite(node)
    if isinstance(node, dict):
        return all(finite_numbers(v) for v in node.values())
    if isinstance(node, list):
        return all(finite_numbers(v) for v in node)
    return True


COMMANDS = [
    ("sizing", sizing.SizingInputs, ["sizing", "--input"]),
    ("finetune", finetune.FinetuneInputs, ["finetune", "--input"]),
    ("greenmoney", greenmoney.GreenMoneyInputs, ["greenmoney", "--input"]),
    ("roi", mitigation.MitigationInputs, ["roi", "--plan"]),
]
CASES = [
    pytest.param(argv, path, value, id=f"{name}-{path}={value:g}")
    for name, model, argv in COMMANDS
    for path, value in ends(model)
]


@pytest.mark.parametrize(("argv", "path", "value"), CASES)
def test_json_output_is_finite_at_every_bound(capsys, tmp_path, argv, path, value):
    # oracle: the contract — exit 0 with finite, valid JSON, or exit 2 with a message (a
    # cross-field rule refusing the combination)
    file = tmp_path / "inputs.json"
    value_text = json.dumps(int(value) if value.is_integer() and abs(value) < 1e15 else value)
    file.write_text(f'{{"{path}": {value_text}}}')
    code = main([*argv, str(file), "--json", "--samples", "200"])
    out, err = capsys.readouterr()
    assert code in (0, 2), err[-800:]
    if code == 2:
        assert "Traceback" not in err
        return
    data = json.loads(out, parse_constant=refuse_constant)
    assert finite_numbers(data)
