"""bench.history: SQLite round trip, listing, comparing, CSV export, default path."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bench.history import CSV_COLUMNS, History, default_path, summary_line
from bench.protocol import BenchConfig, BenchResult, DeviceInfo, RunResult


def make_result(small: float, large: float, machine: str = "Test CPU") -> BenchResult:
    def run(model: str, ips: float, weights: str) -> RunResult:
        return RunResult(
            model=model,
            weights=weights,
            mode="reference",
            precision="fp32",
            batch_size=32,
            items=100,
            items_per_second=ips,
            tokens_per_second=ips * 250,
            p50_batch_ms=10.0,
            p95_batch_ms=12.0,
            peak_memory_mb=512.0,
            batch_seconds=(0.1, 0.2),
        )

    return BenchResult(
        device=DeviceInfo(kind="cpu", name=machine, cpu_cores=2),
        runs=(run("minilm-l6", small, "pretrained"), run("e5-base", large, "synthetic")),
        scaling_penalty=small / large,
        corpus={"source": "generated", "items": 100},
    )


def test_round_trip(tmp_path):
    h = History(tmp_path / "sub" / "h.sqlite3")
    assert h.list() == []  # no file yet
    config = BenchConfig(items=100)
    result = make_result(117, 75)  # seed 000's M2 Pro figures
    run_id = h.add(result, config, created_at=datetime(2025, 11, 10, 9, 0, tzinfo=timezone.utc))
    entry = h.get(run_id)
    assert entry.result == result
    assert entry.config == config
    assert entry.machine == "Test CPU"
    assert entry.mode == "reference"
    assert entry.created_at == "2025-11-10T09:00:00+00:00"
    assert entry.scaling_penalty == pytest.approx(117 / 75)
    assert "117.0 items/s" in summary_line(entry)
    assert "synthetic" in summary_line(entry)


def test_list_newest_first_and_limit(tmp_path):
    h = History(tmp_path / "h.sqlite3")
    ids = [h.add(make_result(100 + i, 50), BenchConfig()) for i in range(3)]
    assert [e.id for e in h.list()] == ids[::-1]
    assert [e.id for e in h.list(limit=1)] == [ids[-1]]
    h.delete(ids[0])
    assert [e.id for e in h.list()] == ids[:0:-1]
    assert h.rows(ids[:1]) == []  # model rows deleted with their run


def test_compare_relative_to_first(tmp_path):
    h = History(tmp_path / "h.sqlite3")
    a = h.add(make_result(117, 75, "M2 Pro"), BenchConfig())  # seed 000 M2 Pro
    b = h.add(make_result(210, 208, "DGX Spark"), BenchConfig())  # seed 000 DGX Spark
    rows = h.compare([a, b])
    rel = {(r["run_id"], r["model"]): r["relative_to_first"] for r in rows}
    assert rel[(b, "minilm-l6")] == pytest.approx(210 / 117)  # seed: "1.80x faster"
    assert rel[(b, "e5-base")] == pytest.approx(208 / 75)  # seed: "2.78x"
    assert rel[(a, "e5-base")] == pytest.approx(1.0)
    with pytest.raises(KeyError, match="#99"):
        h.compare([a, 99])
    with pytest.raises(KeyError):
        h.get(99)


def test_csv_export(tmp_path):
    h = History(tmp_path / "h.sqlite3")
    h.add(make_result(117, 75), BenchConfig())
    rows = list(csv.DictReader(io.StringIO(h.to_csv())))
    assert len(rows) == 2
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["model"] == "minilm-l6"
    assert float(rows[0]["items_per_second"]) == 117
    assert rows[1]["weights"] == "synthetic"


def test_default_path_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("SCALERISK_HISTORY", str(tmp_path / "x.sqlite3"))
    assert default_path() == tmp_path / "x.sqlite3"
    assert History().path == tmp_path / "x.sqlite3"
    monkeypatch.delenv("SCALERISK_HISTORY")
    assert default_path().name == "bench_history.sqlite3"
    assert "scalerisk" in str(default_path()).lower()


def test_rows_stored_before_repeated_passes_load_as_one_untrusted_pass(tmp_path):
    """A history row written before passes existed (no passes / IQR / spread keys) still loads."""
    import json
    import sqlite3

    h = History(tmp_path / "h.sqlite3")
    run_id = h.add(make_result(117, 75), BenchConfig())
    with sqlite3.connect(h.path) as conn:  # strip the new keys, as an old ScaleRisk wrote it
        (raw,) = conn.execute("SELECT result_json FROM runs WHERE id = ?", (run_id,)).fetchone()
        data = json.loads(raw)
        for run in data["runs"]:
            for key in (
                "passes",
                "pass_items_per_second",
                "items_per_second_iqr",
                "items_per_second_spread",
                "trusted",
                "trust_note",
            ):
                run.pop(key, None)
        for key in ("scaling_penalty_trusted", "scaling_penalty_note"):
            data.pop(key, None)
        conn.execute("UPDATE runs SET result_json = ? WHERE id = ?", (json.dumps(data), run_id))
    entry = h.get(run_id)
    mini = entry.result.runs[0]
    assert (mini.passes, mini.items_per_second_iqr, mini.items_per_second_spread) == (1, None, None)
    assert not mini.trusted
    assert "single timed pass" in mini.trust_note
    assert entry.result.scaling_penalty_trusted is False
    assert "not trustworthy" in summary_line(entry)
    row = h.rows([run_id])[0]
    assert (row["passes"], row["items_per_second_iqr"], row["trusted"]) == (1, None, False)


def test_trusted_run_round_trips_with_its_passes(tmp_path):
    h = History(tmp_path / "h.sqlite3")
    result = make_result(117, 75)
    runs = tuple(
        r.model_copy(
            update={
                "passes": 3,
                "pass_items_per_second": (r.items_per_second,) * 3,
                "items_per_second_iqr": 0.0,
                "items_per_second_spread": 0.0,
            }
        )
        for r in result.runs
    )
    run_id = h.add(result.model_copy(update={"runs": runs}), BenchConfig())
    entry = h.get(run_id)
    assert all(r.trusted for r in entry.result.runs)  # 100 items ≥ batch 32, 3 identical passes
    assert entry.result.scaling_penalty_trusted is True
    assert "not trustworthy" not in summary_line(entry)
    assert [r["trusted"] for r in h.rows([run_id])] == [True, True]


# issue 15: "A damaged history database (random bytes, truncated, a directory, a row with
# invalid JSON) makes `python -m bench history` die with a traceback"


def run_history(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", "history", *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=60,
    )


def damaged(tmp_path, kind: str):
    path = tmp_path / f"{kind}.sqlite3"
    if kind == "random bytes":
        path.write_bytes(bytes(range(256)) * 20)
    elif kind == "directory":
        path.mkdir()
    elif kind == "truncated":
        h = History(path)
        for i in range(20):
            h.add(make_result(100 + i, 50), BenchConfig())
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    return path


@pytest.mark.parametrize("kind", ["random bytes", "directory", "truncated"])
def test_a_damaged_history_file_gets_a_message_not_a_traceback(tmp_path, kind):
    out = run_history("--history", str(damaged(tmp_path, kind)))
    assert "Traceback" not in out.stderr
    if out.returncode == 0:  # a truncated file may still open: its readable runs are listed
        assert "items/s" in out.stdout or "No runs" in out.stdout
    else:
        assert out.returncode == 2
        assert "cannot be" in out.stderr
        assert "--history" in out.stderr


def test_a_row_with_invalid_json_is_left_out_and_named(tmp_path):
    import sqlite3

    path = tmp_path / "h.sqlite3"
    h = History(path)
    good = h.add(make_result(117, 75), BenchConfig())
    bad = h.add(make_result(100, 50), BenchConfig())
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE runs SET result_json = '{not json' WHERE id = ?", (bad,))
    assert [e.id for e in h.list()] == [good]
    assert len(h.unreadable) == 1
    assert h.unreadable[0].startswith(f"#{bad}: ")
    assert [r["run_id"] for r in h.rows()] == [good, good]  # CSV rows: the good run's two models
    out = run_history("--history", str(path))
    assert out.returncode == 0
    assert f"#{good} " in out.stdout
    assert f"stored run #{bad}: " in out.stderr
    assert "left out" in out.stderr


def test_limit_must_be_at_least_one(tmp_path):
    # issue 15: `history --limit 0` said no runs were stored when there were
    out = run_history("--limit", "0", "--history", str(tmp_path / "h.sqlite3"))
    assert out.returncode == 2
    assert "must be at least 1" in out.stderr
