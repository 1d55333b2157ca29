"""``python -m calculator report FILE.json -o summary.pdf [--full] [--appendices]`` (issues 7
and 14) and ``--compare NEW.json`` (issue 13)."""

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
    return text_of_bytes(path.read_bytes())


def text_of_bytes(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
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


def test_appendices_flag_adds_the_appendices_and_full_does_not(answers_file, tmp_path):
    """Issue 14: the appendices only on request; ``--full`` keeps filling unopened pages."""
    from calculator.report.sections import APPENDICES

    src = str(answers_file({"stage": "pilot"}))
    plain, full, both = (tmp_path / f"{n}.pdf" for n in ("plain", "full", "both"))
    assert main(["report", src, "-o", str(plain)]) == 0
    assert main(["report", src, "-o", str(full), "--full"]) == 0
    assert main(["report", src, "-o", str(both), "--full", "--appendices"]) == 0
    for path in (plain, full):
        assert not any(title in text_of(path) for title in APPENDICES)
        assert "build the report with Appendices" in text_of(path)
    assert all(title in text_of(both) for title in APPENDICES)
    assert "Compute-optimal sizing: page not opened" in text_of(plain)  # left out, page 1
    assert "Compute-optimal sizing: page not opened" not in text_of(full)
    pages = [len(PdfReader(p).pages) for p in (plain, full, both)]
    assert pages[0] < pages[1] < pages[2]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "a scenario must be a JSON object"),
        ({"what_if": {"teleport": {}}}, "what_if: unknown page 'teleport'"),
        (
            {"what_if": {"green_money": {"hourly_rate_usd": -5}}},
            "what_if.green_money: hourly_rate_usd: Input should be greater than or equal to 0",
        ),
        ({"what_if": []}, "what_if: Input should be a valid dictionary"),
        ({"scenario_name": 42}, "scenario_name: Input should be a valid string"),
        ({"stage": "launched"}, "stage: Input should be 'design', 'pilot' or 'production'"),
        ({"bogus": 1}, "bogus: unknown key"),
        ({"version": 1, "sizing": {"dataset_tokens": -1}}, "sizing.dataset_tokens"),
        ({"version": 2}, "version: Input should be 1"),
    ],
)
def test_bad_input_exits_2_with_a_message(content, message, answers_file, tmp_path, capsys):
    pytest.importorskip("calculator.risk")
    out = tmp_path / "x.pdf"
    assert main(["report", str(answers_file(content)), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"scalerisk report: error: {answers_file(content)}")  # the file named
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


@pytest.mark.parametrize("answered", [True, False], ids=["answered", "never answered"])
def test_appendix_commands_reproduce_every_section(answered, tmp_path, monkeypatch, capsys):
    """Appendix C's recipe works: scenario.json → one file per part → each CLI command, and
    ``report scenario.json`` gives the same sections again."""
    from calculator.report.sections import SPLIT_COMMAND, Summary
    from calculator.scenario import Scenario

    # the JSON the appendix prints: the inputs every shown section was computed from
    builder = Summary(Scenario(name="repro"), full=True, answered=answered)
    out = builder.build()
    data = builder.reproduction()
    assert {"sizing", "finetune", "mitigation", "green_money", "answers"} <= set(data)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenario.json").write_text(json.dumps(data), encoding="utf-8")
    done = subprocess.run(
        ["bash", "-c", SPLIT_COMMAND.replace("python ", f"{sys.executable} ", 1)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={"PATH": "/usr/bin"},
    )
    assert done.returncode == 0, done.stderr
    for title, command in builder.commands:
        argv = command.split()
        assert argv[:3] == ["python", "-m", "calculator"], command
        assert main(argv[3:]) == 0, (title, capsys.readouterr().err)
    assert main(["report", "scenario.json", "-o", "again.pdf", "--full"]) == 0
    again = text_of(tmp_path / "again.pdf")
    for title in out.sections:
        assert title in again
    score = re.search(r"Risk score: [\d.]+ / 100", text_of_bytes(out.pdf))
    assert score
    assert score[0] in again  # the same figures (the defaults, written out)


def test_a_scenario_never_answered_is_reproduced_without_its_assessment(tmp_path, monkeypatch):
    from calculator.report.sections import Summary
    from calculator.scenario import Scenario

    builder = Summary(Scenario(name="sizing only", sizing={}), answered=False)
    out = builder.build()
    assert "Risk assessment" not in out.sections
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenario.json").write_text(json.dumps(builder.reproduction()), encoding="utf-8")
    assert main(["report", "scenario.json", "-o", "again.pdf"]) == 0
    again = text_of(tmp_path / "again.pdf")
    assert "Compute-optimal sizing" in again
    assert "Risk assessment: no assessment answers given" in again


# ─── --compare ──────────────────────────────────────────────────────────────────────────


def test_compare_builds_the_comparison_pdf(answers_file, tmp_path, capsys):
    """Oracle for the delta: calculator.diff.diff of the same two files."""
    from calculator import diff
    from calculator.presets import PRESETS
    from calculator.scenario import from_answers, parse_scenario, to_json

    base = answers_file(PRESETS["Linear-scaling archetype"].model_dump(mode="json"), "base.json")
    new = answers_file(to_json(from_answers(PRESETS["Exponential archetype"])), "new.json")
    out = tmp_path / "cmp.pdf"
    assert main(["report", str(base), "--compare", str(new), "-o", str(out)]) == 0
    assert "Scenario comparison, What changed" in capsys.readouterr().out
    d = diff.diff(
        parse_scenario(json.loads(base.read_text())), parse_scenario(json.loads(new.read_text()))
    )
    assert f"+{d.score.delta:.1f} points" in text_of(out)


def test_compare_writes_comparison_pdf_by_default(answers_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = answers_file({"stage": "pilot"})
    assert main(["report", str(src), "--compare", str(src)]) == 0
    assert (tmp_path / "comparison.pdf").read_bytes().startswith(b"%PDF-")
    assert not (tmp_path / "summary.pdf").exists()


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("{oops", "is not valid JSON"),
        ({"version": 1, "answers": {"stage": "launched"}}, "answers.stage: Input should be"),
        (None, "file not found"),
    ],
)
def test_compare_with_bad_input_exits_2(new, message, answers_file, tmp_path, capsys):
    target = tmp_path / "missing.json" if new is None else answers_file(new, "new.json")
    out = tmp_path / "x.pdf"
    assert main(["report", str(answers_file({})), "--compare", str(target), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scalerisk report: error:")
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("flag", ["--full", "--appendices"])
def test_compare_and_summary_flags_exclude_each_other(flag, answers_file, capsys):
    src = str(answers_file({}))
    assert main(["report", src, "--compare", src, flag]) == 2
    assert f"{flag} applies to a summary" in capsys.readouterr().err
