"""``python -m bench``: exit codes, clear errors, JSON shape, history sub-command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("SCALERISK_BENCH_LOCK", str(tmp_path / "bench.lock"))
    monkeypatch.setenv("SCALERISK_HISTORY", str(tmp_path / "history.sqlite3"))
    monkeypatch.setenv("SCALERISK_OFFLINE", "1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--models", "minilm-l6,gpt-9"], "unknown model 'gpt-9'"),
        (["--corpus", "/nonexistent/mails.txt"], "corpus file not found"),
        (["--items", "0"], "items: Input should be greater than or equal to 1"),
        (["--batch-size", "0"], "batch_size"),
        (["--passes", "0"], "passes: Input should be greater than or equal to 1"),
    ],
)
def test_input_errors_exit_2_with_one_message(capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_empty_and_unreadable_corpus(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    assert main(["--corpus", str(empty)]) == 2
    assert "holds no texts" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"text\n\xff\xfe\n")
    assert main(["--corpus", str(bad)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--mode", "fastest"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_jsonl_error_event(capsys):
    assert main(["--jsonl", "--models", "nope"]) == 2
    event = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert event["event"] == "error"
    assert event["kind"] == "input"
    assert "unknown model" in event["message"]


def test_busy_exit_code(capsys, tmp_path):
    from bench.process import BenchLock

    with BenchLock(tmp_path / "bench.lock") as lock:
        assert lock.acquire()
        assert main(["--items", "1"]) == 75
    assert "already running" in capsys.readouterr().err


def test_history_empty_and_csv(capsys, tmp_path):
    assert main(["history", "--history", str(tmp_path / "none.sqlite3")]) == 0
    assert "No runs stored" in capsys.readouterr().out
    assert main(["history", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("run_id,created_at,machine")
    assert main(["history", "--compare", "1", "2"]) == 2


@pytest.mark.slow
def test_json_output_shape_and_history(tmp_path):
    env = {**__import__("os").environ, "SCALERISK_BENCH_TEST_MODELS": "1"}
    hist = tmp_path / "h.sqlite3"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--models",
            "tiny-bert,tiny-bert-wide",
            "--items",
            "12",
            "--batch-size",
            "4",
            "--json",
            "--history",
            str(hist),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=240,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout)
    assert set(data) >= {"device", "runs", "scaling_penalty"}
    required = {
        "model",
        "weights",
        "mode",
        "precision",
        "batch_size",
        "items",
        "items_per_second",
        "tokens_per_second",
        "p50_batch_ms",
        "p95_batch_ms",
        "peak_memory_mb",
    }
    assert all(required <= set(run) for run in data["runs"])
    assert len(data["runs"]) == 2
    assert data["runs"][0]["weights"] == "synthetic"
    assert data["runs"][0]["items"] == 12
    # three timed passes by default; 12 items ≥ batch 4, so trust depends on the spread only
    run = data["runs"][0]
    assert run["passes"] == 3
    assert len(run["pass_items_per_second"]) == 3
    assert run["trusted"] == (run["items_per_second_spread"] <= 0.10)
    assert "trust_note" in run
    assert "scaling_penalty_trusted" in data
    assert "|" in out.stderr  # progress bar on stderr, stdout stays pure JSON
    listing = subprocess.run(
        [sys.executable, "-m", "bench", "history", "--history", str(hist)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert listing.returncode == 0
    assert "tiny-bert" in listing.stdout
