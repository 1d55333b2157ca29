"""bench.process: the child process, its events, crash / OOM-kill / cancel / busy handling.

The child runs the two-layer test model (``SCALERISK_BENCH_TEST_MODELS=1``) so each run takes
seconds; faults are injected with ``SCALERISK_BENCH_FAULT`` (see bench.runner).
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bench.process import BenchLock, BenchProcess, describe_exit, detect_device
from bench.protocol import BenchConfig, ErrorEvent

TINY = BenchConfig(models=("tiny-bert",), items=16, batch_size=4, device="cpu", offline=True)


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("SCALERISK_BENCH_TEST_MODELS", "1")
    monkeypatch.setenv("SCALERISK_BENCH_LOCK", str(tmp_path / "bench.lock"))
    monkeypatch.setenv("SCALERISK_HISTORY", str(tmp_path / "history.sqlite3"))
    monkeypatch.delenv("SCALERISK_BENCH_FAULT", raising=False)
    return tmp_path


def test_light_modules_do_not_import_torch():
    code = (
        "import sys, bench.protocol, bench.process, bench.history, bench.stats, bench.corpus, "
        "bench.models, "
        "bench.device; print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_lock_is_exclusive_and_released(tmp_path):
    path = tmp_path / "l.lock"
    first, second = BenchLock(path), BenchLock(path)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_describe_exit_messages():
    kind, message = describe_exit(-9)
    assert kind == "oom"
    assert "out of memory" in message
    assert describe_exit(-11)[1] == "The benchmark process crashed (SIGSEGV)."
    assert describe_exit(3, "Traceback…\nRuntimeError: bad\n\n")[1].endswith("RuntimeError: bad")


@pytest.mark.slow
def test_successful_run_streams_events_and_stores_history(env):
    proc = BenchProcess.start(TINY, history_path=env / "h.sqlite3")
    events = proc.wait(timeout=240)
    kinds = [e.event for e in events]
    assert kinds[-1] == "result", events[-3:]
    assert {"device", "status", "progress", "run"} <= set(kinds)
    result = events[-1].result  # typed: validated once where the line was read
    assert result.runs[0].model == "tiny-bert"
    assert result.runs[0].weights == "synthetic"
    assert proc.returncode == 0
    assert not proc.running
    from bench.history import History

    assert [e.result for e in History(env / "h.sqlite3").list()] == [result]


@pytest.mark.slow
def test_oom_kill_of_the_child_becomes_an_error_event(env, monkeypatch):
    monkeypatch.setenv("SCALERISK_BENCH_FAULT", "crash")  # child SIGKILLs itself after one batch
    proc = BenchProcess.start(TINY)
    events = proc.wait(timeout=240)
    assert events[-1].event == "error"
    assert events[-1].kind == "oom"
    assert "killed" in events[-1].message
    assert proc.returncode == -9
    assert BenchLock(env / "bench.lock").acquire()  # the kernel dropped the dead child's lock


@pytest.mark.slow
def test_cancel_and_busy(env, monkeypatch):
    monkeypatch.setenv("SCALERISK_BENCH_FAULT", "slow:0.5")
    proc = BenchProcess.start(TINY.model_copy(update={"items": 400}))
    deadline = time.monotonic() + 240
    seen: list = []
    while time.monotonic() < deadline and not any(
        e.event == "progress" and e.phase == "timed" for e in seen
    ):
        seen += proc.poll()
        time.sleep(0.1)
    assert proc.running
    # a second benchmark while the first holds the lock → busy (answered before torch loads)
    second = BenchProcess.start(TINY)
    assert second.wait(timeout=60)[-1].kind == "busy"
    assert second.returncode == 75
    proc.cancel()
    events = proc.wait(timeout=30)
    assert not proc.running
    assert events[-1] == ErrorEvent(kind="cancelled", message="Benchmark cancelled.")
    assert proc.poll() == []  # the end is reported once


@pytest.mark.slow
def test_detect_device_in_a_subprocess():
    info = detect_device()
    assert info.kind in ("cpu", "cuda", "mps")
    assert info.name
    assert info.torch_version
