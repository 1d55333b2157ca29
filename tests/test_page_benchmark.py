"""AppTest of the benchmark page with the engine stubbed at the process boundary.

``bench.process.BenchProcess`` and ``detect_device`` are replaced by fakes that replay a
recorded event stream (the JSON lines ``python -m bench --jsonl`` writes, see
``bench/protocol.py``), one batch per poll; ``bench.history`` by an in-memory list.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench import history, process
from bench.protocol import (
    EVENTS,
    SYNTHETIC_LABEL,
    BenchConfig,
    BenchResult,
    DeviceInfo,
    RunResult,
)

PAGE = "pages/benchmark.py"
DEVICE = DeviceInfo(
    kind="cpu",
    name="Fake Zen 4 CPU",
    cpu_cores=2,
    features=("avx512_bf16",),
    torch_version="2.13.0",
)


def run(model: str, ips: float, weights: str = "pretrained") -> RunResult:
    return RunResult(
        model=model,
        weights=weights,
        mode="reference",
        precision="fp32",
        batch_size=32,
        items=100,
        items_per_second=ips,
        tokens_per_second=ips * 247,
        p50_batch_ms=1000 * 32 / ips,
        p95_batch_ms=1100 * 32 / ips,
        peak_memory_mb=512.0,
        mean_tokens=247.0,
    )


MINILM, E5 = run("minilm-l6", 27.0), run("e5-base", 3.3, "synthetic")
RESULT = BenchResult(
    device=DEVICE,
    runs=(MINILM, E5),
    scaling_penalty=27.0 / 3.3,
    corpus={"source": "generated e-mail-like corpus (seed 0)", "items": 100},
)


def progress(model: str, done: int, total: int = 100, eta: float | None = 2.0) -> dict:
    return {
        "event": "progress",
        "model": model,
        "phase": "timed",
        "done": done,
        "total": total,
        "elapsed_s": 1.0,
        "eta_s": eta,
        "step": ["minilm-l6", "e5-base"].index(model) if model in ("minilm-l6", "e5-base") else 0,
        "steps": 2,
    }


# A successful two-model run, batched as successive polls would return it.
SUCCESS = [
    [
        {"event": "device", "device": DEVICE.model_dump(mode="json")},
        {"event": "status", "message": "loading minilm-l6"},
    ],
    [progress("minilm-l6", 50)],
    [
        progress("minilm-l6", 100, eta=0.0),
        {"event": "run", "run": MINILM.model_dump(mode="json")},
        {"event": "status", "message": "loading e5-base (synthetic weights)"},
    ],
    [progress("e5-base", 40, eta=18.0)],
    [
        {"event": "run", "run": E5.model_dump(mode="json")},
        {"event": "result", "result": RESULT.model_dump(mode="json")},
    ],
]


# Recorded from the real engine: `python -m bench --models minilm-l6,e5-base --items 8 --jsonl
# --offline`
# on the project's 2-core CPU machine (MiniLM pretrained, e5-base synthetic), one event per poll.
RECORDED = [
    [json.loads(line)]
    for line in (Path(__file__).parent / "data" / "bench_events_recorded.jsonl")
    .read_text()
    .splitlines()
    if line
]


def failing(kind: str, message: str) -> list[list[dict]]:
    return [
        [{"event": "status", "message": "loading minilm-l6"}],
        [{"event": "error", "kind": kind, "message": message}],
    ]


class FakeProcess:
    """Replays ``SCRIPT`` one batch per ``poll()``; finished once the batches run out."""

    SCRIPT: list[list[dict]] = SUCCESS
    RETURNCODE = 0
    started: list[BenchConfig] = []
    instances: list[FakeProcess] = []

    def __init__(self, batches: list[list[dict]]):
        self._batches = [list(b) for b in batches]
        self.cancelled = False

    @classmethod
    def start(cls, config: BenchConfig, history_path=None) -> FakeProcess:
        cls.started.append(config)
        cls.instances.append(cls(cls.SCRIPT))
        return cls.instances[-1]

    def poll(self) -> list:
        """Typed events, as the real process returns them (validated once at its edge)."""
        if self.cancelled:
            out, self._batches = (
                (
                    [{"event": "error", "kind": "cancelled", "message": "cancelled by the user"}]
                    if self._batches
                    else []
                ),
                [],
            )
        else:
            out = self._batches.pop(0) if self._batches else []
        return [EVENTS.validate_python(e) for e in out]

    def cancel(self) -> None:
        self.cancelled = True

    @property
    def running(self) -> bool:
        return bool(self._batches)

    @property
    def returncode(self) -> int | None:
        return None if self.running else (-15 if self.cancelled else self.RETURNCODE)


@pytest.fixture
def fake_engine(monkeypatch, tmp_path):
    """Patch the bench.process attributes the page looks up at call time; history in tmp_path."""
    FakeProcess.started, FakeProcess.instances = [], []
    monkeypatch.setattr(FakeProcess, "SCRIPT", SUCCESS)
    monkeypatch.setattr(process, "BenchProcess", FakeProcess)
    monkeypatch.setattr(process, "detect_device", lambda: DEVICE)
    monkeypatch.setenv("SCALERISK_HISTORY", str(tmp_path / "history.sqlite3"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # uploaded corpora land here
    return FakeProcess


def run_to_end(at, limit: int = 20):
    """Rerun (as the fragment timer would) until no job is left."""
    for _ in range(limit):
        if "benchmark.job" not in at.session_state:
            return at
        at.run()
        assert not at.exception, at.exception
    raise AssertionError("the run never finished")


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_page_opens_with_device_card_and_green_money_defaults(app_test, fake_engine):
    at = app_test(PAGE)
    assert any("Fake Zen 4 CPU" in m.value for m in at.markdown)
    # seed 000 via its own throughputs (M2 Pro 75 → DGX Spark 208 items/s, e5-base, 103,000 items):
    # 103,000/60 × (1/75 − 1/208) = 14.64 min; × 50 / 60 × 26 × $75 = $23,783; $1,500 /
    # $23,783 × 52 = 3.3 weeks
    assert metric(at, "Minutes saved per iteration") == "14.6 min"
    assert metric(at, "Savings per year") == "$23,783"
    assert metric(at, "Payback") == "3.3 weeks"
    assert at.session_state["scenario"].green_money.candidate_items_per_second == 208.0
    assert not at.error


def test_seed_worked_example_with_typed_minutes(app_test, fake_engine):
    at = app_test(PAGE)
    at.checkbox(key="w.green_money.use_override").check().run()
    # seed 000 worked example: 50 × 15 min = 12.5 h/sprint → 325 h/year → $24,375; $1,500 back
    # in ~3 weeks
    assert metric(at, "Hours saved per sprint") == "12.5 h"
    assert metric(at, "Hours saved per year") == "325 h"
    assert metric(at, "Savings per year") == "$24,375"
    assert metric(at, "Payback") == "3.2 weeks"
    assert at.session_state["scenario"].green_money.minutes_saved_override == 15.0
    assert not at.exception


def test_successful_run_shows_results_penalty_and_synthetic_label(app_test, fake_engine):
    at = app_test(PAGE)
    at.number_input(key="w.benchmark.items").set_value(60)
    at.button(key="benchmark.run").click().run()
    assert not at.exception
    assert fake_engine.started[0].items == 60
    assert fake_engine.started[0].models == ("minilm-l6", "e5-base")
    assert at.session_state["benchmark.job"]["progress"] is not None or len(at.get("progress")) == 1
    run_to_end(at)
    assert len(at.session_state["scenario"].bench_results) == 1
    # independent: 27.0 / 3.3 = 8.18
    assert metric(at, "Scaling penalty") == "8.18×"
    assert any(SYNTHETIC_LABEL in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table["Throughput (items/s)"]) == [27.0, 3.3]
    assert not at.error


def test_progress_bar_shows_eta_while_running(app_test, fake_engine):
    at = app_test(PAGE)
    at.button(key="benchmark.run").click().run()
    at.run()  # second poll: minilm-l6 50/100
    bars = at.get("progress")
    assert bars, "no progress bar while running"
    text = bars[0].proto.text
    assert "minilm-l6 (1/2)" in text
    assert "50/100" in text
    assert "2 s left" in text
    assert at.button(key="benchmark.cancel")


def test_this_machine_feeds_green_money(app_test, fake_engine):
    at = app_test(PAGE)
    at.button(key="benchmark.run").click().run()
    run_to_end(at)
    at.selectbox(key="w.green_money.current").select("This machine, latest run").run()
    # e5-base on this machine 3.3 items/s vs DGX Spark 208: 103,000/60 × (1/3.3 − 1/208) =
    # 520.20 − 8.25 = 511.949 min
    assert metric(at, "Minutes saved per iteration") == "511.9 min"
    assert at.session_state["scenario"].green_money.current_items_per_second == 3.3
    assert not at.exception


def test_cancel_stops_run_and_keeps_page(app_test, fake_engine):
    at = app_test(PAGE)
    at.number_input(key="w.green_money.hourly_rate_usd").set_value(90.0).run()
    at.button(key="benchmark.run").click().run()
    at.button(key="benchmark.cancel").click().run()
    run_to_end(at)
    assert any("cancelled" in w.value.lower() for w in at.warning)
    assert at.session_state["scenario"].bench_results == ()
    assert at.number_input(key="w.green_money.hourly_rate_usd").value == 90.0
    assert not at.exception


@pytest.mark.parametrize(
    ("kind", "message", "shown"),
    [
        ("busy", "another benchmark holds the lock", "already running"),
        ("oom", "CUDA out of memory at batch 1", "ran out of memory"),
        ("crash", "worker died", "crashed"),
        ("input", "corpus file x.csv holds no texts", "could not start"),
    ],
)
def test_engine_errors_are_clear_messages(app_test, fake_engine, monkeypatch, kind, message, shown):
    monkeypatch.setattr(FakeProcess, "SCRIPT", failing(kind, message))
    at = app_test(PAGE)
    at.button(key="benchmark.run").click().run()
    run_to_end(at)
    assert any(shown in e.value and message in e.value for e in at.error)
    assert not at.exception


def test_process_dying_without_error_event_is_reported(app_test, fake_engine, monkeypatch):
    monkeypatch.setattr(FakeProcess, "SCRIPT", [[{"event": "status", "message": "loading"}]])
    monkeypatch.setattr(FakeProcess, "RETURNCODE", -9)
    at = app_test(PAGE)
    at.button(key="benchmark.run").click().run()
    run_to_end(at)
    assert any("exit code -9" in e.value for e in at.error)
    assert not at.exception


def test_no_models_disables_run(app_test, fake_engine):
    at = app_test(PAGE)
    at.multiselect(key="w.benchmark.models").set_value([]).run()
    assert at.button(key="benchmark.run").disabled
    assert not at.exception


def test_bad_green_money_combination_is_a_message(app_test, fake_engine):
    at = app_test(PAGE)
    at.number_input(key="w.green_money.sprints_per_year").set_value(52.0).run()
    # 52 sprints × 2 weeks = 104 weeks do not fit in a year
    assert any("do not fit in a year" in e.value for e in at.error)
    assert not at.exception


def test_candidate_slower_never_pays_back(app_test, fake_engine):
    at = app_test(PAGE)
    at.selectbox(key="w.green_money.current").select("DGX Spark (seed 000)").run()
    at.selectbox(key="w.green_money.candidate").select("M2 Pro (seed 000)").run()
    assert metric(at, "Payback") == "never (no time saved)"
    assert not at.exception


def test_history_table_csv_and_past_run_in_green_money(app_test, fake_engine, tmp_path):
    store = history.History(tmp_path / "history.sqlite3")
    past = BenchResult(
        device=DEVICE.model_copy(update={"name": "Old laptop"}),
        runs=(run("minilm-l6", 20.0), run("e5-base", 2.5)),
        scaling_penalty=8.0,
    )
    run_id = store.add(past, BenchConfig())
    at = app_test(PAGE)
    table = next(d.value for d in at.dataframe if "When (UTC)" in d.value.columns)
    assert list(table["Throughput (items/s)"]) == [2.5, 20.0]  # newest model row first
    assert list(table["Machine"]) == ["Old laptop", "Old laptop"]
    assert at.get("download_button"), "no CSV download for the history"
    label = next(
        o
        for o in at.selectbox(key="w.green_money.current").options
        if o.startswith(f"Past #{run_id} · Old laptop")
    )
    at.selectbox(key="w.green_money.current").select(label).run()
    # e5-base 2.5 items/s vs DGX Spark 208: 103,000/60 × (1/2.5 − 1/208) = 686.67 − 8.25 =
    # 678.41 min
    assert metric(at, "Minutes saved per iteration") == "678.4 min"
    assert not at.exception


def test_uploaded_csv_column_is_passed_to_the_engine(app_test, fake_engine):
    at = app_test(PAGE)
    at.radio(key="w.benchmark.corpus").set_value("upload").run()
    at.file_uploader[0].set_value(
        ("mails.csv", b"id,body\n1,hello there\n2,second mail\n", "text/csv")
    ).run()
    at.selectbox(key="w.benchmark.corpus_field").select("body").run()
    assert any("2 texts read from mails.csv" in c.value for c in at.caption)
    at.button(key="benchmark.run").click().run()
    config = fake_engine.started[-1]
    assert config.corpus_field == "body"
    assert config.corpus_path.endswith(".csv")
    assert not at.exception


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bad.jsonl", b'{"text": "ok"}\n{not json\n', "line 2 is not valid JSON"),
        ("latin1.txt", "caf\u00e9\n".encode("latin-1"), "not UTF-8"),
        ("empty.txt", b"  \n", "empty"),
        ("header_only.csv", b"id,body\n", "holds no texts"),
    ],
)
def test_malformed_upload_is_a_clear_message_and_keeps_settings(
    app_test, fake_engine, name, data, message
):
    at = app_test(PAGE)
    at.number_input(key="w.benchmark.items").set_value(40).run()
    at.radio(key="w.benchmark.corpus").set_value("upload").run()
    at.file_uploader[0].set_value((name, data, "text/plain")).run()
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert at.button(key="benchmark.run").disabled
    assert at.number_input(key="w.benchmark.items").value == 40
    assert not at.exception


def test_recorded_engine_stream_renders(app_test, fake_engine, monkeypatch):
    monkeypatch.setattr(FakeProcess, "SCRIPT", RECORDED)
    at = app_test(PAGE)
    at.button(key="benchmark.run").click().run()
    run_to_end(at, limit=len(RECORDED) + 3)
    result = at.session_state["scenario"].bench_results[-1]  # typed: bench.protocol.BenchResult
    assert [r.model for r in result.runs] == ["minilm-l6", "e5-base"]
    # the engine's own figure for this recording, shown to two decimals
    assert metric(at, "Scaling penalty") == f"{result.scaling_penalty:.2f}×"
    assert any(SYNTHETIC_LABEL in c.value for c in at.caption)
    assert not at.error
    assert not at.exception


def test_job_dropped_with_its_session_stops_the_process(app_test, fake_engine):
    at = app_test(PAGE)
    at.button(key="benchmark.run").click().run()
    proc = fake_engine.instances[-1]
    assert proc.running
    assert not proc.cancelled
    del at.session_state["benchmark.job"]  # what a closed tab's expired session amounts to
    at.run()
    gc.collect()
    assert proc.cancelled


def test_page_keeps_torch_out_of_the_app_process(tmp_path):
    """The real page (real device probe in its subprocess) never imports torch into the app."""
    code = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(Path(__file__).parents[1] / 'app.py')!r}, "
        "default_timeout=180)\n"
        f"at.run(); at.switch_page({PAGE!r}); at.run()\n"
        "assert not at.exception, [e.value for e in at.exception]\n"
        "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH')\n"
    )
    env = {**os.environ, "SCALERISK_HISTORY": str(tmp_path / "h.sqlite3")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=Path(__file__).parents[1],
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-1] == "NO-TORCH"


# ------------------------------------------------ trust and physical limits (issue 11 item 3)
def measured(
    model: str, ips: float, items: int, spread: float = 0.02, weights: str = "pretrained"
) -> RunResult:
    """A run of three timed passes lying ±``spread`` around ``ips``."""
    passes = (ips * (1 - spread), ips, ips * (1 + spread))
    return run(model, ips, weights).model_copy(
        update={
            "items": items,
            "passes": 3,
            "pass_items_per_second": passes,
            "items_per_second_iqr": ips * spread,  # numpy percentiles of 3 values: (max − min) / 2
            "items_per_second_spread": spread,
        }
    )


def script_of(result: BenchResult) -> list[list[dict]]:
    return [
        [{"event": "device", "device": DEVICE.model_dump(mode="json")}],
        [{"event": "result", "result": result.model_dump(mode="json")}],
    ]


def run_and_compare_with_spark(at) -> None:
    at.button(key="benchmark.run").click().run()
    run_to_end(at)
    at.selectbox(key="w.green_money.current").select("This machine, latest run").run()
    at.selectbox(key="w.green_money.candidate").select("DGX Spark (seed 000)").run()


def test_issue_16_item_run_against_dgx_spark_is_capped_and_marked(
    app_test, fake_engine, monkeypatch
):
    # Issue 11: a 16-item run on this machine vs the DGX Spark gave 1,289 h per two-week
    # sprint (a sprint has
    # 336 h), $2.5M a year, payback "0.0 weeks"; back-solved e5-base rate 1.1039 items/s
    # (tests/test_greenmoney.py).
    small = BenchResult(
        device=DEVICE,
        runs=(measured("minilm-l6", 9.39, 16), measured("e5-base", 1.1039, 16)),
        scaling_penalty=9.39 / 1.1039,
    )
    monkeypatch.setattr(FakeProcess, "SCRIPT", script_of(small))
    at = app_test(PAGE)
    run_and_compare_with_spark(at)
    assert not at.exception
    # 336 h × 60 / 1,555.0 min = 12.96 iterations fit; × 1,546.8 min / 60 = 334.2 h (≤ 336, ≤
    # 1,295.9 h of waiting)
    assert metric(at, "Hours saved per sprint") == "334.2 h"
    assert metric(at, "Run time, slower machine") == "1,295.9 h"
    assert metric(at, "Payback") == "under a day"  # not "0.0 weeks"
    warnings = [w.value for w in at.warning]
    assert any(
        "not a trustworthy measurement" in w and "fewer than one full batch of 32" in w
        for w in warnings
    )
    assert any("more than the 336 hours a 2-week sprint lasts" in w for w in warnings)
    assert any("80 working hours" in w and "upper bound" in w for w in warnings)
    assert any("paid back in under a day" in w for w in warnings)
    assert any("not trustworthy" in c.value for c in at.caption)  # the mark beside the throughput
    # the scaling penalty from this run is marked too
    assert any("scaling penalty is not trustworthy" in w for w in warnings)
    saved = at.session_state["scenario"].green_money.model_dump(mode="json")
    assert (
        "fewer than one full batch" in saved["current_measurement_warning"]
    )  # the PDF and the CLI see it


def test_issue_1_item_run_penalty_is_marked_untrusted(app_test, fake_engine, monkeypatch):
    # Issue 11: "A 1-item run was accepted and produced a scaling penalty of 1.98×"
    one = BenchResult(
        device=DEVICE,
        runs=(measured("minilm-l6", 19.8, 1), measured("e5-base", 10.0, 1)),
        scaling_penalty=1.98,
    )
    monkeypatch.setattr(FakeProcess, "SCRIPT", script_of(one))
    at = app_test(PAGE)
    at.number_input(key="w.benchmark.items").set_value(1).run()
    assert any("Fewer than 32 items" in w.value for w in at.warning)  # said before the run starts
    at.button(key="benchmark.run").click().run()
    run_to_end(at)
    assert metric(at, "Scaling penalty") == "1.98×"
    assert any(
        "scaling penalty is not trustworthy" in w.value and "Only 1 item timed" in w.value
        for w in at.warning
    )
    table = at.dataframe[0].value
    assert list(table["Trusted"]) == ["no", "no"]
    assert not at.exception


def test_trusted_run_shows_median_and_iqr_without_warnings(app_test, fake_engine, monkeypatch):
    good = BenchResult(
        device=DEVICE,
        runs=(measured("minilm-l6", 27.0, 100), measured("e5-base", 3.3, 100)),
        scaling_penalty=27.0 / 3.3,
    )
    monkeypatch.setattr(FakeProcess, "SCRIPT", script_of(good))
    at = app_test(PAGE)
    run_and_compare_with_spark(at)
    # e5-base passes 3.234 / 3.3 / 3.366: IQR 3.3 × 0.02 = 0.066 items/s
    assert any(
        "3.3 items/s, median of 3 passes (IQR 0.066 items/s) · trusted" in c.value
        for c in at.caption
    )
    assert not any("trustworthy" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert list(table["Passes"]) == [3, 3]
    assert list(table["Trusted"]) == ["yes", "yes"]
    # 50 × 103,000 / 3.3 / 3,600 = 433.5 h of waiting > 336 h: still capped, with the sentence
    # beside it
    assert metric(at, "Run time, slower machine") == "433.5 h"
    assert any("more than the 336 hours" in w.value for w in at.warning)
    assert at.session_state["scenario"].green_money.current_measurement_warning is None
    assert not at.exception


def test_green_money_shows_its_likely_ranges(app_test):
    from calculator.greenmoney import GreenMoneyInputs, green_money_uncertainty, range_texts

    at = app_test("pages/benchmark.py")
    assert not at.exception
    expected = range_texts(green_money_uncertainty(GreenMoneyInputs()))  # the page's defaults
    captions = " ".join(c.value for c in at.caption)
    assert expected["Savings per year"].replace("$", "\\$") in captions
    assert "How sure:" in captions


# ─── one typed Scenario: Green Money re-seeds from it (issue 13) ─────────────────────────


def _green_money_scenario(**inputs):
    from calculator.greenmoney import GreenMoneyInputs
    from calculator.scenario import Scenario, WhatIfSpreads

    return Scenario(
        name="Green Money round trip",
        green_money=GreenMoneyInputs(**inputs),
        spreads=WhatIfSpreads(green_money={"hourly_rate_usd": 0.25, "iterations_per_sprint": 0.25}),
    )


NOT_DEFAULTS = {
    "iterations_per_sprint": 30,
    "items_per_iteration": 20_000,
    "minutes_saved_override": 12.5,
    "sprint_length_weeks": 3.0,
    "sprints_per_year": 17.0,
    "hours_per_week": 38.0,
    "hourly_rate_usd": 95.0,
    "hardware_premium_usd": 2_500.0,
    "horizon_weeks": 80,
}


def test_green_money_round_trips_through_a_link(fake_engine):
    from streamlit.testing.v1 import AppTest

    from calculator.greenmoney import REFERENCE_MACHINES
    from calculator.scenario import to_link
    from tests.conftest import APP

    scenario = _green_money_scenario(
        # seed 000 quotes 117 items/s for MiniLM-L6 on the M2 Pro; a typed 150 for the other
        current_items_per_second=REFERENCE_MACHINES["M2 Pro"].items_per_second["minilm-l6"],
        candidate_items_per_second=150.0,
        **NOT_DEFAULTS,
    )
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params["s"] = to_link(scenario)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    got = at.session_state["scenario"]
    assert (got.green_money, got.spreads.green_money) == (
        scenario.green_money,
        scenario.spreads.green_money,
    )  # identity: the scenario is the oracle
    assert at.selectbox(key="w.green_money.model").value == "minilm-l6"
    assert at.selectbox(key="w.green_money.current").value == "M2 Pro (seed 000)"
    assert at.selectbox(key="w.green_money.candidate").value == "Custom throughput"


def test_green_money_fed_by_a_saved_run_round_trips_through_the_library(app_test, fake_engine):
    from calculator.library import Library
    from ui.green_money_state import measured_figure

    e5 = measured_figure(E5)  # the run's median, IQR and why it is not trusted
    assert e5.warning  # one timed pass: not trusted, the warning travels in the inputs
    scenario = _green_money_scenario(
        current_items_per_second=e5.items_per_second,
        current_items_per_second_iqr=e5.iqr,
        current_measurement_warning=e5.warning,
        candidate_items_per_second=208.0,  # seed 000: DGX Spark, e5-base
        **NOT_DEFAULTS,
    ).model_copy(update={"bench_results": (RESULT,)})
    at = app_test(PAGE)
    at.number_input(key="w.green_money.hourly_rate_usd").set_value(40.0).run()
    Library().save(scenario)  # the page's history file (SCALERISK_HISTORY, fake_engine)
    at.switch_page("pages/scenarios.py").run()
    at.selectbox(key="w.scenarios.pick").set_value(scenario.name)
    at.button(key="scenarios.open").click().run()
    at.switch_page(PAGE).run()
    assert not at.exception
    got = at.session_state["scenario"]
    assert got.bench_results == (RESULT,)  # typed, as saved
    assert got.green_money == scenario.green_money
    assert at.selectbox(key="w.green_money.current").value == "This machine, latest run"
    assert at.selectbox(key="w.green_money.candidate").value == "DGX Spark (seed 000)"
