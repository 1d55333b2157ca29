"""Run the benchmark in a child process and stream its JSON-lines events (no torch here).

The app never imports torch: :class:`BenchProcess` starts ``python -m bench --jsonl`` and
:func:`detect_device` runs ``python -m bench device --json``.  A crash or an out-of-memory
kill of the child becomes an ``error`` event with a clear message; the app carries on.

One benchmark at a time per machine: the child holds an exclusive ``flock`` on a lock file
(:func:`lock_path`) for its whole run; the kernel drops it when the child ends, however it
ends.  A second benchmark answers ``{"event": "error", "kind": "busy"}``.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from bench.protocol import EVENTS, FINAL_EVENTS, BenchConfig, DeviceInfo, ErrorEvent, Event

ROOT = Path(__file__).resolve().parents[1]
EXIT_INPUT = 2
EXIT_BUSY = 75  # EX_TEMPFAIL
EXIT_CANCELLED = 130


def lock_path() -> Path:
    """``$SCALERISK_BENCH_LOCK`` or ``bench.lock`` beside the default history file."""
    env = os.environ.get("SCALERISK_BENCH_LOCK")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("scalerisk")) / "bench.lock"


class BenchLock:
    """Exclusive, non-blocking machine-wide lock held for a benchmark's lifetime."""

    def __init__(self, path: Path | None = None):
        self.path = path or lock_path()
        self._fh: IO | None = None

    def acquire(self) -> bool:
        """Take the lock; False when another benchmark holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 — held open for the lock's lifetime
        try:
            import fcntl
        except ImportError:  # Windows: no flock; run unlocked
            self._fh = fh
            return True
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()  # closing drops the flock
            self._fh = None

    def __enter__(self) -> BenchLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def describe_exit(returncode: int, stderr_tail: str = "") -> tuple[str, str]:
    """(error kind, message) for a child that ended without a result or error event.

    >>> describe_exit(-9)[0]
    'oom'
    >>> describe_exit(1, "ValueError: boom")[1]
    'The benchmark process failed (exit code 1): ValueError: boom'
    """
    if returncode in (-signal.SIGKILL, 137):
        return "oom", (
            "The benchmark process was killed (SIGKILL), most likely by the operating system "
            "because it ran out of memory. Try fewer items, a smaller batch or a smaller model."
        )
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return "crash", f"The benchmark process crashed ({name})."
    last = next((line for line in reversed(stderr_tail.strip().splitlines()) if line.strip()), "")
    detail = f": {last.strip()}" if last else "."
    return "crash", f"The benchmark process failed (exit code {returncode}){detail}"


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    return env


class BenchProcess:
    """A running ``python -m bench --jsonl`` child; poll it from the UI loop."""

    def __init__(self, popen: subprocess.Popen, stderr_file: IO):
        self._popen = popen
        self._stderr = stderr_file
        self._queue: queue.Queue[dict] = queue.Queue()
        self._finished_event = False  # a result or error event was seen
        self._exit_reported = False
        self._cancelled = False
        self.events: list[Event] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @classmethod
    def start(
        cls, config: BenchConfig, history_path: str | Path | None = None, python: str | None = None
    ) -> BenchProcess:
        """Start the benchmark of ``config`` in a child process (returns at once)."""
        argv = [
            python or sys.executable,
            "-m",
            "bench",
            "--jsonl",
            "--config-json",
            config.model_dump_json(),
        ]
        if history_path is not None:
            argv += ["--history", str(history_path)]
        stderr_file = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        popen = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=stderr_file,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            env=_child_env(),
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            start_new_session=True,
        )
        return cls(popen, stderr_file)

    def _read(self) -> None:
        assert self._popen.stdout is not None
        for line in self._popen.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                event = EVENTS.validate_json(line)  # the one validation of an event
            except ValidationError:
                continue  # stray library output on stdout, or a line that is not an event
            self._queue.put(event)

    @property
    def running(self) -> bool:
        return self._popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._popen.poll()

    @property
    def pid(self) -> int:
        return self._popen.pid

    def _stderr_tail(self, chars: int = 2000) -> str:
        try:
            self._stderr.seek(0, os.SEEK_END)
            size = self._stderr.tell()
            self._stderr.seek(max(0, size - chars))
            return self._stderr.read()
        except (OSError, ValueError):
            return ""

    def poll(self) -> list[Event]:
        """Events that arrived since the last call (never blocks).

        When the child has ended without a ``result`` or ``error`` event, a synthetic
        ``error`` event says why (killed, crashed, exit code and the last stderr line).
        """
        out = []
        while True:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                break
        if any(e.event in FINAL_EVENTS for e in out):
            self._finished_event = True
        if not self.running and not self._exit_reported:
            self._reader.join(timeout=2)  # drain what the child wrote before it ended
            while True:
                try:
                    event = self._queue.get_nowait()
                except queue.Empty:
                    break
                out.append(event)
                if event.event in FINAL_EVENTS:
                    self._finished_event = True
            self._exit_reported = True
            if self._cancelled:
                if not self._finished_event:
                    out.append(ErrorEvent(kind="cancelled", message="Benchmark cancelled."))
            elif not self._finished_event:
                kind, message = describe_exit(self._popen.returncode, self._stderr_tail())
                out.append(ErrorEvent(kind=kind, message=message))
            self._finished_event = True
        self.events.extend(out)
        return out

    def cancel(self, grace_s: float = 3.0) -> None:
        """Stop the child (SIGTERM to its process group, SIGKILL after ``grace_s``)."""
        if not self.running:
            return
        self._cancelled = True
        try:
            os.killpg(self._popen.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError, AttributeError):
            self._popen.terminate()
        try:
            self._popen.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self._popen.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, AttributeError):
                self._popen.kill()
            self._popen.wait(timeout=10)

    def wait(self, timeout: float | None = None, interval: float = 0.1) -> list[Event]:
        """Block until the child ends (or ``timeout``); returns every event seen so far."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.running and (deadline is None or time.monotonic() < deadline):
            self.poll()
            time.sleep(interval)
        self.poll()
        return list(self.events)


class DeviceDetectionError(RuntimeError):
    """``python -m bench device --json`` failed; the message says why."""


def detect_device(timeout: float = 180.0, python: str | None = None) -> DeviceInfo:
    """Detect the accelerator in a child process (so the caller never imports torch)."""
    try:
        out = subprocess.run(
            [python or sys.executable, "-m", "bench", "device", "--json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=_child_env(),
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise DeviceDetectionError(
            f"device detection did not finish within {timeout:.0f} s"
        ) from None
    if out.returncode != 0:
        _, message = describe_exit(out.returncode, out.stderr)
        raise DeviceDetectionError(message.replace("benchmark process", "device detection"))
    try:
        return DeviceInfo.model_validate_json(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError) as exc:
        raise DeviceDetectionError(
            f"device detection printed something unexpected: {exc}"
        ) from None
