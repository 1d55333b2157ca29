"""``python -m calculator greenmoney``: the page's Green Money figures and warnings; exit 2 on
bad input with one clear message."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from bench.history import History
from bench.protocol import BenchConfig, BenchResult, DeviceInfo, RunResult
from calculator import greenmoney as gm
from calculator.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["greenmoney", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def finite_numbers(obj) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(finite_numbers(v) for v in obj.values())
    if isinstance(obj, list):
        return all(finite_numbers(v) for v in obj)
    return True


def test_defaults_are_seed_000_from_its_throughputs(capsys):
    code, out, _ = run_cli(capsys)
    assert code == 0
    # seed 000 via its throughputs: 14.64 min, 12.2 h/sprint, $23,783/year, 3.3 weeks
    # (tests/test_greenmoney.py)
    assert "Minutes saved per iteration: 14.6 min" in out
    assert "Hours saved per sprint: 12.2 h" in out
    assert "Savings per year: $23,783" in out
    assert "Payback: 3.3 weeks" in out
    assert "Note:" not in out  # physically possible: no warning


def test_seed_worked_example_json(capsys):
    code, out, _ = run_cli(capsys, "--minutes-saved", "15", "--json")
    assert code == 0
    data = json.loads(out)
    # seed 000 worked example: 50 × 15 min = 12.5 h per sprint, 325 h per year, $24,375;
    # "three weeks"
    assert data["hours_saved_per_sprint"] == pytest.approx(12.5)
    assert data["hours_saved_per_year"] == pytest.approx(325.0)
    assert data["dollars_saved_per_year"] == pytest.approx(24_375.0)
    assert data["payback"] == "3.2 weeks"
    assert data["warnings"] == []
    assert data["capped"] is False
    assert "series" not in data
    assert [f["label"] for f in data["key_figures"]][:2] == [
        "Minutes saved per iteration",
        "Hours saved per sprint",
    ]


def test_figures_match_the_library_for_an_input_file(capsys, tmp_path):
    inputs = gm.GreenMoneyInputs(
        iterations_per_sprint=40, hourly_rate_usd=90.0, current_items_per_second=60.0
    )
    path = tmp_path / "green_money.json"
    path.write_text(inputs.model_dump_json())
    code, out, _ = run_cli(capsys, "--input", str(path), "--json")
    assert code == 0
    # oracle: the library on the same inputs (what the page shows and the PDF's appendix
    # command reruns)
    expected = gm.green_money(inputs).model_dump(mode="json", exclude={"series"})
    data = json.loads(out)
    assert {k: data[k] for k in expected} == expected
    code, text, _ = run_cli(capsys, "--input", str(path))
    for label, value in gm.key_figures(gm.green_money(inputs)):
        assert f"{label}: {value}" in text


def test_issue_16_item_run_figures_and_warnings(capsys):
    # issue 11: 1,289 h per sprint from a 16-item run vs the DGX Spark; e5-base back-solved to
    # 1.1039 items/s
    code, out, _ = run_cli(capsys, "--current-ips", "1.1039", "--candidate", "DGX Spark")
    assert code == 0
    # 12.96 iterations fit in 336 h; they save 334.2 h (≤ 336 and ≤ 1,295.9 h of waiting)
    line = next(x for x in out.splitlines() if x.startswith("Hours saved per sprint:"))
    assert line.startswith("Hours saved per sprint: 334.2 h (likely")
    note = out.splitlines()[out.splitlines().index(line) + 1]
    assert note.startswith(
        "  Note: On the current machine the 50 iterations would run for 1,296 hours"
    )
    assert "more than the 80 working hours" in out
    lines = out.splitlines()
    payback = next(x for x in lines if x.startswith("Payback:"))
    assert payback.startswith("Payback: under a day (likely")
    assert lines[lines.index(payback) + 1].startswith(
        "  Note: The $1,500 price difference would be paid back in under a day"
    )
    code, out, _ = run_cli(capsys, "--current-ips", "1.1039", "--json")
    data = json.loads(out)
    assert data["hours_saved_per_sprint"] <= min(336, data["slower_machine_hours_per_sprint"])
    assert data["hours_saved_uncapped_per_sprint"] == pytest.approx(1289.0, abs=0.5)
    assert finite_numbers(data)


def make_run(model: str, ips: float, items: int, passes: int = 3) -> RunResult:
    return RunResult(
        model=model,
        weights="pretrained",
        mode="reference",
        precision="fp32",
        batch_size=32,
        items=items,
        items_per_second=ips,
        tokens_per_second=ips * 250,
        p50_batch_ms=1.0,
        p95_batch_ms=1.0,
        passes=passes,
        pass_items_per_second=(ips,) * passes,
        items_per_second_iqr=0.0,
        items_per_second_spread=0.0,
    )


@pytest.fixture
def history(tmp_path):
    store = History(tmp_path / "h.sqlite3")
    device = DeviceInfo(kind="cpu", name="Test CPU")
    good = store.add(
        BenchResult(
            device=device,
            runs=(make_run("minilm-l6", 27.0, 100), make_run("e5-base", 3.3, 100)),
            scaling_penalty=27 / 3.3,
        ),
        BenchConfig(),
    )
    small = store.add(
        BenchResult(
            device=device,
            runs=(make_run("minilm-l6", 9.39, 16), make_run("e5-base", 1.1039, 16)),
            scaling_penalty=9.39 / 1.1039,
        ),
        BenchConfig(items=16),
    )
    return store, good, small


def test_untrusted_history_run_carries_its_warning(capsys, history):
    store, _, small = history
    code, out, _ = run_cli(
        capsys, "--current-run", "latest", "--history", str(store.path), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["inputs"]["current_items_per_second"] == 1.1039  # the 16-item run, newest
    first = data["key_figures"][0]
    assert first["label"] == "Minutes saved per iteration"
    assert "not a trustworthy measurement" in first["notes"][0]
    assert "fewer than one full batch of 32" in first["notes"][0]
    code, out, _ = run_cli(capsys, "--current-run", str(small), "--history", str(store.path))
    assert (
        "Minutes saved per iteration: 1,546.8 min\n  Note: The current machine's throughput (1.1 "
        "items/s)" in out
    )


def test_trusted_history_run_has_no_measurement_warning(capsys, history):
    store, good, _ = history
    code, out, _ = run_cli(
        capsys, "--current-run", str(good), "--history", str(store.path), "--json"
    )
    data = json.loads(out)
    assert data["inputs"]["current_items_per_second"] == 3.3
    assert data["inputs"]["current_measurement_warning"] is None
    assert not any("trustworthy" in w for w in data["warnings"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--iterations", "-1"], "'-1' is outside 0–100000"),
        (["--current-ips", "0"], "'0' is outside 1e-06–1e+09 items/s"),
        (["--sprint-weeks", "2", "--sprints-per-year", "52"], "do not fit in a year"),
        (
            ["--current", "Mac Studio"],
            "unknown machine 'Mac Studio'; choose from: DGX Spark, M2 Pro",
        ),
        (
            ["--current", "M2 Pro", "--model", "bge-large"],
            "seed 000 gives no bge-large figure for M2 Pro",
        ),
        (["--input", "/nonexistent.json"], "file not found: /nonexistent.json"),
        (["--current-run", "abc"], "--current-run takes a benchmark number or 'latest', not 'abc'"),
        (["--current-run", "99"], "no benchmark #99"),
        (["--current-ips", "3", "--current", "M2 Pro"], "not allowed with argument"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, argv, message):
    argv = [*argv, "--history", str(tmp_path / "empty.sqlite3")]
    try:
        code = main(["greenmoney", *argv])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_bad_input_file_values_are_named(capsys, tmp_path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"hourly_rate_usd": -5, "colour": "green"}))
    code, _, err = run_cli(capsys, "--input", str(path))
    assert code == 2
    assert "hourly_rate_usd" in err
    assert "colour: unknown key" in err


def test_module_entry_point_and_schema():
    out = subprocess.run(
        [sys.executable, "-m", "calculator", "greenmoney", "--minutes-saved", "15"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "Savings per year: $24,375" in out.stdout  # seed 000 worked example
    schema = subprocess.run(
        [sys.executable, "-m", "calculator", "schema", "greenmoney"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert "hours_per_week" in json.loads(schema.stdout)["properties"]


def test_report_appendix_command_is_this_cli():
    from calculator.report.domains import GREEN_MONEY

    assert GREEN_MONEY.command == "python -m calculator greenmoney --input green_money.json"
