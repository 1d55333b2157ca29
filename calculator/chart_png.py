"""The PDF summary's charts as opaque PNGs, built and rendered in worker processes.

vl-convert holds the GIL for the whole of a conversion (≈ 0.2 s per chart here), and
building an Altair chart is pure Python too, so a thread cannot overlap either with the
PDF layout; a process can.  :class:`PngWorkers` keeps ``python -m calculator.chart_png``
children (vl-convert's engine already started) and answers each job with a future.

A *job* names a chart function and its arguments as JSON (:func:`chart_job`): pydantic
results travel as their JSON and are validated again in the worker (every result model
round-trips exactly), so the worker builds the very chart the page shows.  :func:`render_job`
does the same work in the calling process, the fallback when no worker can.  Measured side
by side in ``scripts/measure_report.py``.

Protocol, one JSON object per line: request ``{"id", "job"}`` on the child's stdin, answer
``{"id", "png"}`` (base64) or ``{"id", "error"}`` on its stdout.
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import importlib
import io
import itertools
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
PYTHONPATH = os.environ.get("PYTHONPATH", "")
CHART_WIDTH_PX = 560
"""Width given to charts that fill their container on the page (vl-convert has none)."""
WARM_UP_SPEC = json.dumps(
    {
        "mark": "point",
        "data": {"values": [{"x": 0}]},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
)


CHART_MODULES = (  # imported by a worker before its first job
    "calculator.charts.assessment",
    "calculator.charts.sizing",
    "calculator.charts.finetune",
    "calculator.charts.mitigation",
    "calculator.charts.benchmark",
)


class WorkerGone(RuntimeError):
    """The worker process ended (or could not start) before answering."""


def fixed_size(spec: Any) -> Any:
    """vl-convert has no container: replace ``"container"`` widths/heights by fixed sizes, and
    give a width to a view that fits its container (``autosize`` fit/fit-x) but names none."""
    if isinstance(spec, dict):
        fixed = {k: fixed_size(v) for k, v in spec.items()}
        autosize = fixed.get("autosize")
        fits = isinstance(autosize, dict) and autosize.get("type") in ("fit", "fit-x")
        if fixed.get("width") == "container" or (fits and "width" not in fixed):
            fixed["width"] = CHART_WIDTH_PX
        if fixed.get("height") == "container":
            fixed["height"] = 300
        return fixed
    if isinstance(spec, list):
        return [fixed_size(v) for v in spec]
    return spec


def spec_text(chart: Any) -> str:
    """The Vega-Lite JSON vl-convert renders: an Altair chart's dict (not validated again:
    the specs are validated in the charts' tests) or a spec dict, with fixed sizes."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    return json.dumps(fixed_size(spec), default=str)


def _path(obj: Any) -> str | None:
    """``module:name`` of a module-level class, None when it has no such name."""
    path = f"{obj.__module__}:{obj.__qualname__}"
    return path if "<" not in path and _resolve(path) is obj else None


def _resolve(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def chart_job(chart: str, args: tuple[Any, ...], scale: float) -> dict | None:
    """The job for chart function ``chart`` (``module:name``) of ``args`` at ``scale``, or
    None when an argument is neither a pydantic model nor JSON and cannot travel."""
    encoded = []
    for arg in args:
        if isinstance(arg, BaseModel):
            model = _path(type(arg))
            if model is None:
                return None
            encoded.append({"model": model, "json": arg.model_dump_json()})
        else:
            try:
                json.dumps(arg)
            except (TypeError, ValueError):
                return None
            encoded.append({"value": arg})
    return {"chart": chart, "args": encoded, "scale": scale}


def job_key(job: dict) -> str:
    """Cache key of a job: the same chart of the same inputs at the same scale."""
    return hashlib.sha256(json.dumps(job, sort_keys=True).encode()).hexdigest()


def render_job(job: dict) -> bytes:
    """PNG of a job, in this process: the chart function's result, or ``job["spec"]``."""
    if "spec" in job:
        return render(job["spec"], job["scale"])
    args = [
        _resolve(a["model"]).model_validate_json(a["json"]) if "model" in a else a["value"]
        for a in job["args"]
    ]
    return render_chart(job["chart"], tuple(args), job["scale"])


def render_chart(chart: str, args: tuple[Any, ...], scale: float) -> bytes:
    """PNG of chart function ``chart`` (``module:name``) of ``args``, in this process."""
    return render(spec_text(_resolve(chart)(*args)), scale)


def render(spec: str, scale: float) -> bytes:
    """PNG of the Vega-Lite JSON ``spec`` at ``scale`` device pixels per CSS pixel, with the
    transparent background flattened onto white: the PDF then embeds one RGB image instead
    of an image plus an alpha mask (half the work and size, same look on paper)."""
    import vl_convert
    from PIL import Image

    rgba = Image.open(io.BytesIO(vl_convert.vegalite_to_png(spec, scale=scale)))
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A") if rgba.mode == "RGBA" else None)
    out = io.BytesIO()
    # fpdf2 decodes every image and compresses it again, so this PNG's own compression only
    # costs time: level 1 saves ≈ 16 ms per chart over the default (measured, both sides)
    flat.save(out, "PNG", compress_level=1)
    return out.getvalue()


class _Worker:
    """One child process and the thread that reads its answers."""

    def __init__(self) -> None:
        self.pending: dict[int, Future[bytes]] = {}
        self.lock = threading.Lock()  # guards pending
        self.write_lock = threading.Lock()  # one request at a time on the child's stdin
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "calculator.chart_png"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), PYTHONPATH))),
            },
        )
        threading.Thread(target=self._read, daemon=True, name="chart-png-reader").start()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, job_id: int, job: dict, future: Future[bytes]) -> None:
        line = json.dumps({"id": job_id, "job": job}) + "\n"
        with self.lock:
            self.pending[job_id] = future
        try:
            # not under self.lock: a large job fills the pipe until the child reads it, and
            # the child may first need the reader thread (which takes self.lock) to drain
            # its answers
            with self.write_lock:
                self.proc.stdin.write(line.encode())
                self.proc.stdin.flush()
        except (OSError, ValueError):  # the child has ended (ValueError: stdin closed)
            with self.lock:
                self.pending.pop(job_id, None)
            if not future.done():
                future.set_exception(WorkerGone("the chart worker has ended"))

    def _read(self) -> None:
        for raw in self.proc.stdout:
            answer = json.loads(raw)
            with self.lock:
                future = self.pending.pop(answer["id"], None)
            if future is None:
                continue
            if "png" in answer:
                future.set_result(base64.b64decode(answer["png"]))
            else:
                future.set_exception(RuntimeError(answer["error"]))
        with self.lock:
            orphans, self.pending = list(self.pending.values()), {}
        for future in orphans:
            if not future.done():
                future.set_exception(WorkerGone("the chart worker ended before answering"))

    def close(self) -> None:
        if self.alive():
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class PngWorkers:
    """A small pool of chart worker processes; each job goes to the least busy one."""

    def __init__(self, size: int):
        self.size = size
        self._workers: list[_Worker] = []
        self._ids = itertools.count()
        self._lock = threading.Lock()

    def _live_workers(self) -> list[_Worker]:
        with self._lock:
            self._workers = [w for w in self._workers if w.alive()]
            while len(self._workers) < self.size:
                self._workers.append(_Worker())
            return list(self._workers)

    def submit(self, job: dict) -> Future[bytes]:
        """A future PNG of ``job`` (:func:`chart_job`); it fails with :class:`WorkerGone` if
        the worker dies (or at once when the pool has no workers)."""
        future: Future[bytes] = Future()
        if self.size < 1:
            future.set_exception(WorkerGone("chart workers are switched off"))
            return future
        try:
            worker = min(self._live_workers(), key=lambda w: len(w.pending))
        except OSError as exc:  # no process can be started here
            future.set_exception(WorkerGone(f"no chart worker could start ({exc})"))
            return future
        worker.send(next(self._ids), job, future)
        return future

    def warm_up(self) -> None:
        """Start every worker and its vl-convert engine (≈ 1 s each, in the background)."""
        for worker in self._live_workers():
            worker.send(next(self._ids), {"spec": WARM_UP_SPEC, "scale": 1.0}, Future())

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()


def default_size() -> int:
    """``$SCALERISK_CHART_WORKERS`` (0: render in the calling process), else 2, or 1 on a
    single core: two workers on two cores were fastest here (``scripts/measure_report.py``)."""
    env = os.environ.get("SCALERISK_CHART_WORKERS", "").strip()
    if env.isdigit():
        return int(env)
    return min(2, os.cpu_count() or 1)


WORKERS = PngWorkers(size=default_size())
"""The process-wide pool."""
atexit.register(WORKERS.close)


def serve(stdin: Any = None, stdout: Any = None) -> None:
    """The worker loop: one request per line in, one answer per line out, until EOF."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    for raw in stdin:
        request = json.loads(raw)
        try:
            png = render_job(request["job"])
            answer = {"id": request["id"], "png": base64.b64encode(png).decode()}
        except Exception as exc:  # noqa: BLE001 - the parent turns it into a note
            answer = {"id": request["id"], "error": f"{type(exc).__name__}: {exc}"}
        stdout.write(json.dumps(answer).encode() + b"\n")
        stdout.flush()


if __name__ == "__main__":
    for name in CHART_MODULES:  # Altair and the engines, before the first job arrives
        importlib.import_module(name)
    serve()
