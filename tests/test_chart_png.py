"""Chart PNGs built and rendered in worker processes (calculator/chart_png.py) and the
report's use of them.

Oracle: the same job rendered in this process (:func:`calculator.chart_png.render_job`, same
vl-convert, same chart code), decoded pixel by pixel.
"""

from __future__ import annotations

import base64
import io
import json
from concurrent.futures import Future

import pytest
from PIL import Image
from pypdf import PdfReader

from calculator import chart_png, report
from calculator.chart_png import PngWorkers, WorkerGone, chart_job, render_job
from calculator.charts import sizing as sizing_charts
from calculator.finetune import FinetuneInputs
from calculator.report import png
from calculator.scenario import Scenario
from calculator.sizing import SizingInputs, evaluate_sizing

SIZING_RESULT = evaluate_sizing(SizingInputs())
BAR_SPEC = json.dumps(
    {
        "mark": "bar",
        "width": 200,
        "height": 120,
        "data": {"values": [{"k": "a", "v": 3}, {"k": "b", "v": 5}]},
        "encoding": {
            "x": {"field": "k", "type": "nominal"},
            "y": {"field": "v", "type": "quantitative"},
        },
    }
)

BAR_JOB = {"spec": BAR_SPEC, "scale": 1.0}


def pixels(png: bytes) -> tuple[str, tuple[int, int], bytes]:
    image = Image.open(io.BytesIO(png))
    return image.mode, image.size, image.tobytes()


@pytest.fixture
def pool():
    workers = PngWorkers(1)
    yield workers
    workers.close()


def test_worker_builds_and_renders_the_same_chart_as_this_process(pool):
    job = chart_job("calculator.charts.sizing:main_chart", (SIZING_RESULT,), 2.0)
    from_worker = pool.submit(job).result(timeout=60)
    assert pixels(from_worker) == pixels(render_job(job))
    mode, (width, height), _ = pixels(from_worker)
    assert mode == "RGB"  # flattened onto white: no alpha mask in the PDF
    assert width >= 2 * 560  # scale 2 of the report's chart width


def test_spec_jobs_render_at_their_scale(pool):
    small = pool.submit(BAR_JOB).result(timeout=60)
    large = pool.submit({**BAR_JOB, "scale": 2.0}).result(timeout=60)
    (w1, h1), (w2, h2) = pixels(small)[1], pixels(large)[1]
    assert (w2, h2) == (2 * w1, 2 * h1)
    assert w1 > 200  # a 200 × 120 plot plus its axes


def test_only_pydantic_models_of_importable_classes_and_json_arguments_travel():
    from pydantic import BaseModel

    class Local(BaseModel):
        x: int = 1

    chart = "calculator.charts.sizing:main_chart"
    assert chart_job(chart, (object(),), 1.0) is None
    assert chart_job(chart, (Local(),), 1.0) is None
    job = chart_job(chart, (SIZING_RESULT, [1, "a"], None), 1.0)
    assert job["args"][1:] == [{"value": [1, "a"]}, {"value": None}]
    assert job["args"][0]["model"] == "calculator.sizing:SizingResult"


def test_a_bad_spec_fails_its_own_future_only(pool):
    bad = pool.submit({"spec": '{"mark": "no-such-mark", "data": {"values": []}}', "scale": 1})
    good = pool.submit(BAR_JOB)
    with pytest.raises(RuntimeError):
        bad.result(timeout=60)
    assert good.result(timeout=60).startswith(b"\x89PNG")


def test_killed_worker_fails_pending_jobs_and_is_replaced(pool):
    pending = pool.submit(BAR_JOB)  # the worker is still starting vl-convert (≈ 1 s)
    pool._workers[0].proc.kill()
    with pytest.raises(WorkerGone):
        pending.result(timeout=30)
    assert pool.submit(BAR_JOB).result(timeout=60).startswith(b"\x89PNG")


def test_a_pool_of_size_zero_answers_at_once_with_worker_gone():
    future = PngWorkers(0).submit(BAR_JOB)
    assert isinstance(future.exception(timeout=0), WorkerGone)


def test_serve_speaks_one_json_line_per_request():
    requests = [{"id": 7, "job": BAR_JOB}, {"id": 8, "job": {"spec": "{", "scale": 1.0}}]
    stdin = io.BytesIO(b"".join(json.dumps(r).encode() + b"\n" for r in requests))
    stdout = io.BytesIO()
    chart_png.serve(stdin, stdout)
    first, second = (json.loads(line) for line in stdout.getvalue().splitlines())
    assert first["id"] == 7
    assert base64.b64decode(first["png"]).startswith(b"\x89PNG")
    assert second["id"] == 8
    assert "error" in second


class FailingWorkers:
    """Stands in for the pool: every job fails as if its worker had died."""

    size = 1

    def submit(self, job: dict) -> Future[bytes]:
        future: Future[bytes] = Future()
        future.set_exception(WorkerGone("simulated"))
        return future


def images_in(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_report_renders_its_charts_in_process_when_workers_fail(monkeypatch):
    scenario = Scenario(sizing=SizingInputs(), finetune=FinetuneInputs())
    png.clear_cache()
    with_workers = report.render(scenario, answered=False)
    png.clear_cache()
    monkeypatch.setattr(chart_png, "WORKERS", FailingWorkers())
    without = report.render(scenario, answered=False)
    # per what-if: its main chart and its tornado (issue 12)
    assert images_in(without.pdf) == images_in(with_workers.pdf) == 4
    assert not any("chart" in note for note in without.notes)


def test_a_chart_that_cannot_be_built_becomes_a_note(monkeypatch):
    def broken(result):
        raise ValueError("no data to plot")

    monkeypatch.setattr(sizing_charts, "main_chart", broken)  # in this process only, so:
    monkeypatch.setattr(chart_png, "WORKERS", FailingWorkers())
    png.clear_cache()
    out = report.render(Scenario(sizing=SizingInputs()), answered=False)
    assert "Compute-optimal sizing" in out.sections  # the section stays, without its chart
    assert any("ValueError: no data to plot" in note for note in out.notes)
    assert images_in(out.pdf) == 1  # the tornado still renders; only the broken chart is gone


def test_large_jobs_and_answers_never_deadlock_the_pipes(pool):
    """Regression: a job bigger than a pipe's buffer (64 KiB) written while the worker was
    writing a PNG as large back once hung both processes.  Oracle: every job completes."""
    import threading

    points = [{"x": i, "y": (i * 37) % 101, "pad": "x" * 30} for i in range(2000)]
    spec = {
        "mark": "point",
        "width": 500,
        "height": 300,
        "data": {"values": points},
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }
    jobs = [{"spec": json.dumps(spec), "scale": 2.0 + i / 100} for i in range(4)]
    assert len(json.dumps(jobs[0])) > 64 * 1024
    futures: list[Future[bytes]] = []
    sender = threading.Thread(target=lambda: futures.extend(pool.submit(j) for j in jobs))
    sender.daemon = True
    sender.start()
    sender.join(timeout=60)
    assert not sender.is_alive(), "submit blocked: the pipes deadlocked"
    pngs = [f.result(timeout=60) for f in futures]
    assert all(len(base64.b64encode(png)) > 64 * 1024 for png in pngs)


def test_the_report_process_never_imports_altair_or_pandas(tmp_path):
    """The chart modules (Altair, pandas: ≈ 0.8 s of a cold CLI run) load in the workers only."""
    import subprocess
    import sys

    code = (
        "import sys; from calculator.report import render, render_comparison, warm_up; "
        "from calculator.scenario import Scenario; "
        "warm_up(); out = render(Scenario(), full=True); "
        "assert render_comparison(Scenario(), Scenario(name='b')).pdf.startswith(b'%PDF-'); "
        "assert out.pdf.startswith(b'%PDF-'); "
        "assert not any('chart' in n for n in out.notes), out.notes; "
        "print(sorted({'altair', 'pandas'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=chart_png.ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
