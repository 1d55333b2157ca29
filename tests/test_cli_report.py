"""``python -m calculator report FILE.json -o summary.pdf [--full]`` (issue 7)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from calculator.cli import main

ROOT = Path(__file__).resolve().parents[1]


def text_of(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


@pytest.fixture
def answers_file(tmp_path):
    def write(data, name="answers.json") -> Path:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return write


def test_report_from_an_answers_file(answers_file, tmp_path, capsys):
    risk = pytest.importorskip("calculator.risk")
    gm = pytest.importorskip("calculator.greenmoney")
    answers = risk.Answers(
        scenario_name="Board × Q3 €", what_if={"green_money": {"hourly_rate_usd": 90.0}}
    )
    src = answers_file(answers.model_dump(mode="json"))
    out = tmp_path / "summary.pdf"
    assert main(["report", str(src), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    text = text_of(out)
    score = risk.assess(risk.Answers())  # what_if / scenario_name do not change the score
    assert f"Risk score: {score.score:.1f} / 100" in text
    assert "Board × Q3 €" in text
    money = gm.green_money(gm.GreenMoneyInputs(hourly_rate_usd=90.0))
    assert dict(gm.key_figures(money))["Savings per year"] in text
    assert "Compute-optimal sizing" not in text.split("Left out")[0]  # not in the contents
    assert "wrote" in capsys.readouterr().out


def test_full_flag_adds_unopened_pages(answers_file, tmp_path):
    pytest.importorskip("calculator.sizing")
    out = tmp_path / "full.pdf"
    assert main(["report", str(answers_file({})), "-o", str(out), "--full"]) == 0
    text = text_of(out)
    assert "Compute-optimal sizing" in text
    assert "Not opened in this session" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ({"what_if": {"teleport": {}}}, "unknown what_if page 'teleport'"),
        (
            {"what_if": {"green_money": {"hourly_rate_usd": -5}}},
            "what_if.green_money has invalid values",
        ),
        ({"what_if": []}, "what_if must be an object"),
        ({"scenario_name": 42}, "scenario_name must be a string"),
        ({"stage": "launched"}, "has invalid values"),
        ({"bogus": 1}, "bogus: unknown key"),
    ],
)
def test_bad_input_exits_2_with_a_message(content, message, answers_file, tmp_path, capsys):
    pytest.importorskip("calculator.risk")
    out = tmp_path / "x.pdf"
    assert main(["report", str(answers_file(content)), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scalerisk report: error:")
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_missing_file_and_unwritable_output(tmp_path, answers_file, capsys):
    assert main(["report", str(tmp_path / "nope.json")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert (
        main(["report", str(answers_file({})), "-o", str(tmp_path / "no" / "dir" / "x.pdf")]) == 2
    )
    assert "cannot write" in capsys.readouterr().err


def test_module_entry_point_and_argparse_errors(answers_file, tmp_path):
    src = answers_file({"scenario_name": "subprocess"})
    out = tmp_path / "s.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "calculator", "report", str(src), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
    usage = subprocess.run(
        [sys.executable, "-m", "calculator", "report"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert usage.returncode == 2
    assert "the following arguments are required: file" in usage.stderr


def test_appendix_commands_reproduce_every_section(tmp_path, monkeypatch, capsys):
    """Appendix C's recipe works: scenario.json → one file per what-if → each CLI command."""
    pytest.importorskip("calculator.risk")
    from calculator import report

    # the JSON the appendix prints: the inputs every shown section was computed from
    builder = report._Builder(report.ReportRequest(full=True, scenario_name="repro"))
    out = builder.build()
    shown = builder.req.model_copy(
        update={"answers": builder.used_answers, "what_if": builder.used_what_if}
    )
    data = report.answers_file(shown)
    assert set(data["what_if"]) == {"sizing", "finetune", "mitigation", "green_money"}
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenario.json").write_text(json.dumps(data), encoding="utf-8")
    for key, inputs in data["what_if"].items():
        (tmp_path / f"{key}.json").write_text(json.dumps(inputs), encoding="utf-8")
    for title, command in builder.commands:
        argv = command.split()
        if argv[:3] != ["python", "-m", "calculator"]:
            continue  # Green Money's python -c one-liner is checked below
        assert main(argv[3:]) == 0, (title, capsys.readouterr().err)
    assert main(["report", "scenario.json", "-o", "again.pdf"]) == 0
    again = text_of(tmp_path / "again.pdf")
    for title in out.sections:
        assert title in again
    gm = next(c for t, c in builder.commands if t == "Green Money")
    done = subprocess.run(
        ["bash", "-c", gm.replace("python ", f"{sys.executable} ", 1)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "Savings per year" in done.stdout
