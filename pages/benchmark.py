"""Live embedding benchmark (seed 000's scaling penalty, measured here) and Green Money.

The benchmark runs in a subprocess (:mod:`bench.process`) that streams JSON-lines events;
this page never imports torch.  A fragment polls the process while it runs, so the rest
of the page (Green Money included) stays usable; Cancel stops it.

A finished run's :class:`bench.protocol.BenchResult` (validated once, where the subprocess
line is read: :mod:`bench.process`) is appended, typed, to the session's scenario
(:func:`ui.session.add_bench_result`); Green Money's inputs and spreads go there too, and its
widgets are seeded back from it by :func:`ui.green_money_state.widget_state` when absent.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from bench import history, process
from bench.corpus import load_corpus
from bench.models import registry as models_registry
from bench.protocol import (
    CPU_REFERENCE_ITEMS_PER_SECOND,
    REFERENCE_BATCH,
    SYNTHETIC_LABEL,
    BenchConfig,
    BenchResult,
    ErrorEvent,
    Event,
    ProgressEvent,
    ResultEvent,
    RunResult,
    StatusEvent,
)
from calculator import greenmoney
from calculator.charts import benchmark as charts
from calculator.charts.tornado import tornado_spec
from calculator.errors import InputError, describe_validation_error
from calculator.greenmoney import REFERENCE_MACHINES, GreenMoneyInputs
from ui import session
from ui.green_money_state import CUSTOM, Figure, measured_figure, widget_state
from ui.widgets import field_info, number_field, spread_picker

FIGURE_FIELDS = {
    "Minutes saved per iteration": "minutes_saved_per_iteration",
    "Hours saved per sprint": "hours_saved_per_sprint",
    "Run time, slower machine": "slower_machine_hours_per_sprint",
}
MODELS = {
    name: spec.description or name for name, spec in models_registry().items() if not spec.hidden
}
JOB = "benchmark.job"  # running subprocess + events so far (not a widget key)
LAST = "benchmark.last"  # outcome of the last run: {"result": BenchResult} or {"error": (…)}
HISTORY_COLUMNS = {
    "run_id": "Run",
    "created_at": "When (UTC)",
    "machine": "Machine",
    "device_kind": "Device",
    "model": "Model",
    "weights": "Weights",
    "mode": "Mode",
    "precision": "Precision",
    "batch_size": "Batch (items)",
    "items": "Items",
    "items_per_second": "Throughput (items/s)",
    "tokens_per_second": "Tokens/s",
    "p50_batch_ms": "p50 batch (ms)",
    "p95_batch_ms": "p95 batch (ms)",
    "peak_memory_mb": "Peak memory (MB)",
    "peak_flops_share": "Share of peak FLOP/s",
    "fidelity_cosine": "Cosine to fp32",
    "scaling_penalty": "Scaling penalty (×)",
}
ERROR_TITLES = {
    "input": "The benchmark could not start with these settings",
    "busy": "Another benchmark is already running on this machine",
    "oom": "The device ran out of memory",
    "crash": "The benchmark process crashed",
    "cancelled": "Benchmark cancelled",
}


# ---------------------------------------------------------------- engine boundary
@st.cache_data(max_entries=1, show_spinner=False)
def detect_device() -> dict[str, Any]:
    """Device of this machine, probed in a subprocess (torch stays out of the app)."""
    return process.detect_device().model_dump(mode="json")


def past_runs(
    session_results: tuple[BenchResult, ...], limit: int = 20
) -> tuple[list[dict[str, Any]], str | None]:
    """Stored runs (newest first) not made in this session: [{"label", "result"}] with typed
    results, and an error message."""
    try:
        entries = history.History().list(limit=limit + len(session_results))
    except Exception as exc:  # the history is a convenience: it never breaks the page
        return [], f"Past runs could not be read: {exc}"
    out = []
    for entry in entries:
        result = entry.result
        if result not in session_results:
            when = entry.created_at[:16].replace("T", " ")
            out.append({"label": f"Past #{entry.id} · {entry.machine} · {when}", "result": result})
    return out[:limit], None


def history_table() -> tuple[pd.DataFrame, str]:
    """Every stored model run, newest first, and the same as CSV text."""
    store = history.History()
    rows = store.rows()[::-1]
    return pd.DataFrame(rows).rename(columns=HISTORY_COLUMNS), store.to_csv()


# ---------------------------------------------------------------- corpus upload
def upload_fields(name: str, data: bytes) -> tuple[list[str] | None, str | None]:
    """Columns (.csv) or fields (.jsonl) of an uploaded corpus; (None, None) for .txt;
    (None, error) when unreadable."""
    suffix = Path(name).suffix.lower()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, f"{name} is not UTF-8 text."
    if not text.strip():
        return None, f"{name} is empty."
    if suffix == ".txt":
        return None, None
    if suffix == ".csv":
        try:
            header = next(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            return None, f"{name} is not a readable CSV file: {exc}."
        fields = [h for h in header if h.strip()]
        return (fields, None) if fields else (None, f"{name} has no header row naming its columns.")
    if suffix == ".jsonl":
        first = next(line for line in text.splitlines() if line.strip())
        try:
            obj = json.loads(first)
        except json.JSONDecodeError as exc:
            return None, f"{name}: the first line is not JSON ({exc.msg})."
        if not isinstance(obj, dict) or not obj:
            return None, f'{name}: each line must be a JSON object such as {{"text": "…"}}.'
        return sorted(obj, key=lambda k: not isinstance(obj[k], str)), None
    return None, f"{name}: use a .txt, .csv or .jsonl file."


def save_upload(name: str, data: bytes) -> str:
    """Write the upload where the subprocess can read it (one folder per session)."""
    if "benchmark.upload_dir" not in st.session_state:
        st.session_state["benchmark.upload_dir"] = tempfile.mkdtemp(prefix="scalerisk-corpus-")
    folder = st.session_state["benchmark.upload_dir"]
    path = Path(folder) / ("corpus" + Path(name).suffix.lower())
    path.write_bytes(data)
    return str(path)


# ---------------------------------------------------------------- run lifecycle
def start_run(config: BenchConfig) -> None:
    st.session_state.pop(LAST, None)
    try:
        proc = process.BenchProcess.start(config)
    except Exception as exc:
        st.session_state[LAST] = {"error": ("crash", f"The benchmark could not be started: {exc}")}
        return
    st.session_state[JOB] = {
        "proc": proc,
        "config": config.model_dump(mode="json"),
        "events": [],
        "progress": None,
        "status": "Starting the benchmark process…",
        "started": time.time(),
        "guard": StopWhenDropped(proc),
    }


class StopWhenDropped:
    """Cancels the process when the job is dropped with its session (tab closed and the session
    expired), so a forgotten benchmark never holds the machine's lock; a no-op once it ended."""

    def __init__(self, proc: Any):
        weakref.finalize(self, proc.cancel)


def cancel_run() -> None:
    job = st.session_state.get(JOB)
    if job is not None:
        job["cancel_requested"] = True
        job["proc"].cancel()


def apply_events(job: dict[str, Any], events: list[Event]) -> None:
    """Fold the subprocess's typed events (:data:`bench.protocol.Event`) into the job."""
    for ev in events:
        job["events"].append(ev)
        if isinstance(ev, ProgressEvent):
            job["progress"] = ev
        elif isinstance(ev, StatusEvent):
            job["status"] = ev.message
        elif isinstance(ev, ResultEvent):
            job["result"] = ev.result  # typed: validated once, where the line was read
        elif isinstance(ev, ErrorEvent):
            job["error"] = (ev.kind, ev.message)


@st.cache_data(max_entries=32, show_spinner=False)
def _green_money_ranges(inputs_json: str, spreads_json: str) -> greenmoney.GreenMoneyUncertainty:
    """P10–P90 of the savings and payback (fixed-seed simulation), cached per inputs."""
    return greenmoney.green_money_uncertainty(
        GreenMoneyInputs.model_validate_json(inputs_json), json.loads(spreads_json)
    )


def plain(text: str) -> str:
    """``text`` with Markdown's special characters escaped, for st.warning & co. (text is data)."""
    return re.sub(r"([\\`*_\[\]<>#$~|])", r"\\\1", text)


def finish_run(job: dict[str, Any]) -> None:
    """Record the outcome of a finished process and drop the job."""
    if "result" in job:
        session.add_bench_result(job["result"])
        st.session_state[LAST] = {"result": job["result"]}
    elif "error" in job:
        st.session_state[LAST] = {"error": job["error"]}
    elif job.get("cancel_requested"):
        st.session_state[LAST] = {
            "error": ("cancelled", "The run was stopped before it finished; nothing was saved.")
        }
    else:
        code = job["proc"].returncode
        st.session_state[LAST] = {
            "error": (
                "crash",
                f"The benchmark process stopped (exit code {code}) "
                "without a result. The app is unaffected; try fewer items.",
            )
        }
    del st.session_state[JOB]


def progress_text(job: dict[str, Any]) -> tuple[float, str]:
    """Fraction done over all models and a one-line status with the ETA of the current phase."""
    ev = job["progress"]
    models = job["config"]["models"]
    if ev is None:
        return 0.0, job["status"]
    index, steps = ev.step, ev.steps or len(models)
    within = ev.done / ev.total if ev.total else 0.0
    fraction = min(1.0, max(0.0, (index + (within if ev.phase == "timed" else 0.0)) / steps))
    eta_text = f" · about {ev.eta_s:,.0f} s left in this phase" if ev.eta_s is not None else ""
    return fraction, (
        f"{ev.model} ({index + 1}/{steps}) · {ev.phase} {ev.done:,}/{ev.total:,}{eta_text}"
    )


@st.fragment(run_every=0.5)
def follow_run() -> None:
    """Poll the running benchmark; redraw progress; rerun the page when it ends."""
    job = st.session_state.get(JOB)
    if job is None:
        return
    apply_events(job, job["proc"].poll())
    if not job["proc"].running:
        apply_events(job, job["proc"].poll())
        finish_run(job)
        st.rerun()
    fraction, text = progress_text(job)
    st.progress(fraction, text=text)
    st.caption(f"{job['status']} · running for {time.time() - job['started']:,.0f} s")
    st.button("Cancel", key="benchmark.cancel", on_click=cancel_run, icon=":material/stop:")


# ---------------------------------------------------------------- rendering
def initial(key: str, **kwargs: Any) -> dict[str, Any]:
    """A widget's default only on first render (the persisted widget state wins afterwards)."""
    return {} if key in st.session_state else kwargs


def device_card(info: dict[str, Any]) -> None:
    with st.container(border=True):
        st.markdown(f"**This machine** · {info['kind'].upper()} · {info['name']}")
        cols = st.columns(4)
        cols[0].metric("Accelerator", info["kind"].upper())
        cols[1].metric("Memory", f"{info['memory_gb']:,.1f} GB" if info.get("memory_gb") else "—")
        cols[2].metric("CPU cores", f"{info['cpu_cores']}" if info.get("cpu_cores") else "—")
        peak = info.get("peak_flops") or {}
        cols[3].metric(
            "Peak (bf16)",
            f"{peak['bf16'] / 1e12:,.0f} TFLOP/s" if "bf16" in peak else "unknown",
            help="Dense peak from the GPU catalogue when this device is in it.",
        )
        extra = []
        if info.get("compute_capability"):
            extra.append(f"compute capability {info['compute_capability']}")
        if info.get("features"):
            extra.append("features: " + ", ".join(info["features"]))
        if info.get("torch_version"):
            extra.append(f"torch {info['torch_version']}")
        if extra:
            st.caption(" · ".join(extra))


def throughput_text(run: RunResult) -> str:
    """'3.3 items/s, median of 3 passes (IQR 0.1)', or 'one pass' for runs stored before passes."""
    text = f"{run.items_per_second:,.1f} items/s"
    if run.passes > 1 and run.items_per_second_iqr is not None:
        return (
            text + f", median of {run.passes} passes (IQR {run.items_per_second_iqr:,.2g} items/s)"
        )
    return text + ", one timed pass"


def runs_table(result: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for run in result["runs"]:
        rows.append(
            {
                "Model": run["model"] + (" †" if run["weights"] == "synthetic" else ""),
                "Weights": "synthetic †" if run["weights"] == "synthetic" else "pretrained",
                "Mode": run["mode"],
                "Precision": run["precision"],
                "Batch (items)": run["batch_size"],
                "Items": run["items"],
                "Throughput (items/s)": run["items_per_second"],
                "IQR (items/s)": run.get("items_per_second_iqr"),
                "Passes": run.get("passes", 1),
                "Trusted": "yes" if run.get("trusted") else "no",
                "Tokens/s": run["tokens_per_second"],
                "p50 batch (ms)": run["p50_batch_ms"],
                "p95 batch (ms)": run["p95_batch_ms"],
                "Peak memory (MB)": run.get("peak_memory_mb"),
                "Share of peak FLOP/s": run.get("peak_flops_share"),
                "Cosine to fp32": run.get("fidelity_cosine"),
            }
        )
    return pd.DataFrame(rows)


def past_chart_rows(past: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    """Throughput chart rows of the newest ``limit`` past runs."""
    return [
        row
        for p in past[:limit]
        for row in charts.rows_from_bench_result(
            p["result"].model_dump(mode="json"), p["label"], "past run"
        )
    ]


def show_result(result: dict[str, Any], past: list[dict[str, Any]]) -> None:
    st.subheader("Results")
    synthetic = any(r["weights"] == "synthetic" for r in result["runs"])
    penalty = result.get("scaling_penalty")
    cols = st.columns([1, 2])
    with cols[0]:
        if penalty is not None:
            first, last = result["runs"][0]["model"], result["runs"][-1]["model"]
            st.metric(
                "Scaling penalty",
                f"{penalty:.2f}×",
                help="Small-model items/s ÷ large-model items/s on this machine (seed 000). "
                "1.0× means the larger model costs no extra time per item.",
            )
            seed = {name: m.scaling_penalty() for name, m in REFERENCE_MACHINES.items()}
            if result.get("scaling_penalty_trusted") is False:
                st.warning(
                    "This scaling penalty is not trustworthy, so do not base a decision on it. "
                    + plain(
                        result.get("scaling_penalty_note", "").removeprefix("Not trustworthy: ")
                    ),
                    icon=":material/warning:",
                )
            st.caption(
                f"{first} runs {penalty:.2f}× as many items per second as {last} here. Seed 000 "
                "measured "
                f"{seed['M2 Pro']:.2f}× on an M2 Pro and {seed['DGX Spark']:.2f}× on a DGX Spark: "
                "the "
                "higher it is, the more this machine pushes a team towards smaller models."
            )
        else:
            st.info("Run two models (small first) to measure the scaling penalty.")
    with cols[1]:
        st.dataframe(
            runs_table(result),
            hide_index=True,
            column_config={
                "Throughput (items/s)": st.column_config.NumberColumn(format="%.1f"),
                "IQR (items/s)": st.column_config.NumberColumn(format="%.2g"),
                "Tokens/s": st.column_config.NumberColumn(format="%.0f"),
                "p50 batch (ms)": st.column_config.NumberColumn(format="%.1f"),
                "p95 batch (ms)": st.column_config.NumberColumn(format="%.1f"),
                "Share of peak FLOP/s": st.column_config.NumberColumn(format="percent"),
                "Cosine to fp32": st.column_config.NumberColumn(format="%.5f"),
            },
        )
        st.caption(
            "Throughput: the median of the timed passes over the texts; IQR: the spread between "
            "their "
            "25th and 75th percentiles. A run is trusted when it timed at least one full batch, "
            "in two or "
            "more passes within ±10% of their median."
        )
        for run in result["runs"]:
            if not run.get("trusted"):
                st.text(f"{run['model']}, not trustworthy: {run.get('trust_note', '')}")
        if synthetic:
            st.caption(
                f"† {SYNTHETIC_LABEL}: the real weights were not available offline, so a model "
                "with the same "
                "architecture and random weights was timed. Its speed is the real model's; its "
                "embeddings "
                "mean nothing."
            )
        corpus = result.get("corpus") or {}
        if corpus:
            st.caption(
                f"Corpus: {corpus.get('source', 'unknown')}, {corpus.get('items', '?')} items per "
                "model."
            )
        lengths = corpus.get("token_lengths") or {}
        if lengths:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Model": model,
                            "Mean (tokens)": t.get("mean"),
                            "p50 (tokens)": t.get("p50"),
                            "p95 (tokens)": t.get("p95"),
                            "Max (tokens)": t.get("max"),
                            "Truncated at max length": t.get("truncated_share"),
                        }
                        for model, t in lengths.items()
                    ]
                ),
                hide_index=True,
                column_config={
                    "Mean (tokens)": st.column_config.NumberColumn(format="%.0f"),
                    "p95 (tokens)": st.column_config.NumberColumn(format="%.0f"),
                    "Truncated at max length": st.column_config.NumberColumn(format="percent"),
                },
            )
            st.caption("Token lengths measured by each model's tokenizer on the texts embedded.")
    if result.get("candidates"):
        with st.expander("Tuned mode: every setting tried"):
            st.dataframe(pd.DataFrame(result["candidates"]), hide_index=True)
    rows = charts.rows_from_bench_result(result) + charts.reference_rows() + past_chart_rows(past)
    st.altair_chart(charts.throughput_chart(rows), width="stretch")
    penalties = charts.penalty_rows(rows)
    if penalties:
        st.altair_chart(
            charts.scaling_penalty_chart(penalties),
            width="stretch",
            height=charts.penalty_plot_height(len(penalties)) + 110,
        )


def show_error(kind: str, message: str) -> None:
    title = ERROR_TITLES.get(kind, "The benchmark failed")
    text = message if message.lower().startswith(title.lower()) else f"**{title}.** {message}"
    (st.warning if kind == "cancelled" else st.error)(text)


# ---------------------------------------------------------------- page
st.title("Live benchmark and Green Money")
st.write(
    "Seed 000's method, made runnable: embed texts with a small model (MiniLM-L6) and a larger "
    "one (e5-base) on "
    "this machine, measure its **scaling penalty** (how much slower the larger model runs), "
    "compare with the "
    "seed's reference machines, then turn the time difference into dollars and a payback period."
)

try:
    with st.spinner("Detecting this machine's accelerator…"):
        device = detect_device()
except Exception as exc:
    device = None
    st.warning(f"The device could not be detected ({exc}). Runs may still work on the CPU.")
if device:
    device_card(device)

st.subheader("Run a benchmark")
c1, c2 = st.columns(2)
with c1:
    models = st.multiselect(
        "Models (small first)",
        list(MODELS),
        key="w.benchmark.models",
        **initial("w.benchmark.models", default=list(MODELS)),
        help="The scaling penalty needs two models: the first small, the last large.\n\n"
        + "\n".join(f"- **{k}**: {v}" for k, v in MODELS.items()),
    )
    mode = st.radio(
        "Mode",
        ["reference", "tuned"],
        key="w.benchmark.mode",
        horizontal=True,
        help=field_info(BenchConfig, "mode")["help"],
        persist_state="session",
    )
    fast_device = bool(device) and device["kind"] != "cpu"
    items = number_field(
        BenchConfig,
        "items",
        key="w.benchmark.items",
        value=1000 if fast_device else 100,
        step=50,
        label="Items per model (texts)",
    )
    passes = number_field(
        BenchConfig, "passes", key="w.benchmark.passes", label="Timed passes per model"
    )
    if items < REFERENCE_BATCH:
        st.warning(
            f"Fewer than {REFERENCE_BATCH} items is less than one batch: the device never runs at "
            "full load, "
            "so the result will be marked as not trustworthy and should not back a purchase.",
            icon=":material/warning:",
        )
    known = [m for m in models if m in CPU_REFERENCE_ITEMS_PER_SECOND]
    if known:
        estimate = passes * sum(items / CPU_REFERENCE_ITEMS_PER_SECOND[m] for m in known)
        rates = " and ".join(
            f"{CPU_REFERENCE_ITEMS_PER_SECOND[m]:g} items/s for {m}" for m in known
        )
        st.caption(
            f"On a 2-core laptop-class CPU this takes about {estimate:,.0f} s plus model loading "
            f"(reference mode; {rates}, measured on such a machine)."
        )
with c2:
    source = st.radio(
        "Corpus",
        ["generated", "upload"],
        key="w.benchmark.corpus",
        horizontal=True,
        format_func={"generated": "Generated e-mail-like texts", "upload": "My own texts"}.get,
        help=field_info(BenchConfig, "corpus_path")["help"],
        persist_state="session",
    )
    corpus_path = corpus_field = None
    corpus_ok = True
    if source == "upload":
        upload = st.file_uploader(
            "Texts: .txt (one per line), .csv or .jsonl",
            type=["txt", "csv", "jsonl"],
            key="benchmark.upload",
        )
        corpus_ok = False
        if upload is None:
            st.caption("Upload a file to run on your own texts.")
        else:
            data = upload.getvalue()
            fields, problem = upload_fields(upload.name, data)
            if problem:
                st.error(problem)
            else:
                if fields is not None:
                    if st.session_state.get("w.benchmark.corpus_field") not in fields:
                        st.session_state.pop("w.benchmark.corpus_field", None)
                    corpus_field = st.selectbox(
                        "Column / field holding the text",
                        fields,
                        key="w.benchmark.corpus_field",
                        help=field_info(BenchConfig, "corpus_field")["help"],
                        persist_state="session",
                    )
                corpus_path = save_upload(upload.name, data)
                try:
                    corpus = load_corpus(corpus_path, corpus_field)
                except InputError as exc:
                    st.error(
                        f"This file cannot be used: {str(exc).replace(corpus_path, upload.name)}"
                    )
                else:
                    corpus_ok = True
                    st.caption(f"{len(corpus.texts):,} texts read from {upload.name}.")

config = None
try:
    config = BenchConfig(
        models=tuple(models),
        items=int(items),
        corpus_path=corpus_path,
        corpus_field=corpus_field,
        mode=mode,
        passes=int(passes),
    )
except ValidationError as exc:
    if models:
        st.error(describe_validation_error(exc))
    else:
        st.info("Choose at least one model.")

if JOB not in st.session_state:
    if st.button(
        "Run benchmark",
        type="primary",
        key="benchmark.run",
        icon=":material/play_arrow:",
        disabled=config is None or not corpus_ok,
    ):
        start_run(config)
        st.rerun()  # redraw without the Run button while the job runs
if st.session_state.get(JOB) is not None:
    follow_run()

results = session.scenario().bench_results
past, past_problem = past_runs(results)
last = st.session_state.get(LAST)
if last and "error" in last:
    show_error(*last["error"])
if results:
    show_result(results[-1].model_dump(mode="json"), past)
else:
    st.caption(
        "No run yet in this session. The seed's reference machines"
        + (" and past runs:" if past else ":")
    )
    ref_rows = charts.reference_rows()
    st.altair_chart(charts.throughput_chart(ref_rows + past_chart_rows(past)), width="stretch")
    penalties = charts.penalty_rows(ref_rows + past_chart_rows(past))
    st.altair_chart(
        charts.scaling_penalty_chart(penalties),
        width="stretch",
        height=charts.penalty_plot_height(len(penalties)) + 110,
    )

with st.expander("Past runs on this machine"):
    try:
        table, csv_text = history_table()
    except Exception as exc:
        st.warning(f"Past runs could not be read: {exc}")
    else:
        if past_problem:
            st.warning(past_problem)
        if table.empty:
            st.caption(
                f"No stored runs yet in {history.default_path()}. Every finished run is saved "
                "there "
                "(`python -m bench history` lists them)."
            )
        else:
            st.dataframe(table, hide_index=True)
            st.download_button(
                "Download history (CSV)",
                csv_text,
                file_name="scalerisk-bench-history.csv",
                mime="text/csv",
                key="benchmark.history_csv",
                icon=":material/download:",
            )

# ---------------------------------------------------------------- Green Money
st.divider()
st.subheader("Green Money: what the time difference is worth")
st.write(
    "Seed 000's five steps: iterations per sprint × minutes saved per iteration → hours per "
    "sprint → hours per "
    "year → dollars at the loaded hourly rate → payback of the hardware price difference."
)

# machine label → model → its figure (seed 000's quotes, this session's runs, past runs)
machines: dict[str, dict[str, Figure]] = {
    f"{m.name} (seed 000)": {model: Figure(v) for model, v in m.items_per_second.items()}
    for m in REFERENCE_MACHINES.values()
}
measured: dict[str, dict[str, RunResult]] = {}  # machine label → model → the run behind it
for i, res in enumerate(reversed(results)):
    label = (
        "This machine, latest run"
        if i == 0
        else f"This machine, run {len(results) - i} of this session"
    )
    measured[label] = {r.model: r for r in res.runs}
for p in past:
    measured[p["label"]] = {r.model: r for r in p["result"].runs}
for label, runs in measured.items():
    machines[label] = {model: measured_figure(r) for model, r in runs.items()}
machines[CUSTOM] = {}
names = list(machines)
workloads = list(MODELS) + [
    m for m in REFERENCE_MACHINES["M2 Pro"].items_per_second if m not in MODELS
]
session.seed_widgets(
    "green_money",
    "w.green_money.model",
    lambda s: widget_state(s.green_money, s.spreads.green_money, machines, workloads),
)

note_area = st.container()  # what an opened scenario's inputs became, if not exactly them
g1, g2, g3 = st.columns(3)
with g1:
    st.markdown("**Machines**")
    workload = st.selectbox(
        "Workload model",
        workloads,
        key="w.green_money.model",
        **initial("w.green_money.model", index=workloads.index("e5-base")),
        help="Whose items/s to compare (seed 000's example: e5-base).",
    )
    for key, default in (
        ("w.green_money.current", "M2 Pro (seed 000)"),
        ("w.green_money.candidate", "DGX Spark (seed 000)"),
    ):
        if st.session_state.get(key) not in names:
            st.session_state[key] = default
    current = st.selectbox(
        "Machine you have now",
        names,
        key="w.green_money.current",
        help="A seed 000 reference machine, this machine's runs, a past run, or your own figure.",
        persist_state="session",
    )
    candidate = st.selectbox(
        "Machine you are considering",
        names,
        key="w.green_money.candidate",
        help="The machine whose price difference the savings must pay back.",
        persist_state="session",
    )
    speeds: dict[str, Any] = {}
    for role, choice in (("current", current), ("candidate", candidate)):
        field = f"{role}_items_per_second"
        figure = machines[choice].get(workload)
        if figure is None:
            if choice != CUSTOM:
                st.caption(f"{choice} has no {workload} figure: type one.")
            figure = Figure(number_field(GreenMoneyInputs, field, key=f"w.green_money.{field}"))
        else:
            name = field_info(GreenMoneyInputs, field)["label"].split(" (")[0]
            run = measured.get(choice, {}).get(workload)
            if run is None:
                st.caption(f"{name}: {figure.items_per_second:,.1f} items/s (quoted by seed 000)")
            else:
                st.caption(
                    f"{name}: {plain(throughput_text(run))}"
                    + (" · trusted" if run.trusted else " · **not trustworthy**")
                )
        speeds[field] = figure.items_per_second
        speeds[f"{role}_items_per_second_iqr"] = figure.iqr
        speeds[f"{role}_measurement_warning"] = figure.warning
with g2:
    st.markdown("**Workload**")
    iterations = number_field(
        GreenMoneyInputs, "iterations_per_sprint", key="w.green_money.iterations_per_sprint"
    )
    items_per_iteration = number_field(
        GreenMoneyInputs, "items_per_iteration", key="w.green_money.items_per_iteration", step=1000
    )
    override = None
    if st.checkbox(
        "Type minutes saved per iteration instead",
        key="w.green_money.use_override",
        help="Seed 000's worked example uses a round 15 minutes; its own throughputs give 14.64.",
        persist_state="session",
    ):
        override = number_field(
            GreenMoneyInputs,
            "minutes_saved_override",
            key="w.green_money.minutes_saved",
            value=15.0,
        )
    sprint_weeks = number_field(
        GreenMoneyInputs, "sprint_length_weeks", key="w.green_money.sprint_length_weeks"
    )
    sprints = number_field(
        GreenMoneyInputs, "sprints_per_year", key="w.green_money.sprints_per_year"
    )
    hours_per_week = number_field(
        GreenMoneyInputs, "hours_per_week", key="w.green_money.hours_per_week", step=1.0
    )
with g3:
    st.markdown("**Money**")
    rate = number_field(
        GreenMoneyInputs, "hourly_rate_usd", key="w.green_money.hourly_rate_usd", step=5.0
    )
    premium = number_field(
        GreenMoneyInputs,
        "hardware_premium_usd",
        key="w.green_money.hardware_premium_usd",
        step=100.0,
    )
    st.caption(
        "Seed 000 prices: "
        + ", ".join(f"{m.name} \\${m.price_usd:,.0f}" for m in REFERENCE_MACHINES.values())
        + ". A negative difference means the candidate is cheaper."
    )
    horizon = number_field(GreenMoneyInputs, "horizon_weeks", key="w.green_money.horizon_weeks")

try:
    gm_inputs = GreenMoneyInputs(
        iterations_per_sprint=iterations,
        items_per_iteration=items_per_iteration,
        minutes_saved_override=override,
        sprint_length_weeks=sprint_weeks,
        sprints_per_year=sprints,
        hours_per_week=hours_per_week,
        hourly_rate_usd=rate,
        hardware_premium_usd=premium,
        horizon_weeks=horizon,
        **speeds,
    )
except ValidationError as exc:
    gm_inputs = None
    st.error("These Green Money inputs do not fit together:\n\n" + describe_validation_error(exc))

if gm_inputs is not None:
    gm = greenmoney.green_money(gm_inputs)
    gm_spreads = spread_picker(
        title="Inputs you are unsure of",
        caption="The throughputs always carry a range: a benchmark run's spread between its "
        "passes, or ×/÷ 1.10 around a quoted figure. A marked input is drawn within ± the "
        "spread, likeliest at your value.",
        label="Unsure inputs",
        options=list(greenmoney.SPREADABLE),
        format_func=lambda k: field_info(GreenMoneyInputs, k)["label"],
        paths_key="w.green_money.spreads.paths",
        size_key="w.green_money.spreads.size",
        placeholder="None: only the measured or assumed spreads",
    )
    seed_note = session.publish("green_money", gm_inputs, gm_spreads)
    if seed_note:
        note_area.info(seed_note, icon=":material/info:")
    gm_ranges = _green_money_ranges(gm_inputs.model_dump_json(), json.dumps(gm_spreads))
    likely = greenmoney.range_texts(gm_ranges)
    figures = greenmoney.figure_rows(gm)
    for start in range(0, len(figures), 3):
        row = figures[start : start + 3]
        for col, (label, value, _) in zip(st.columns(len(row)), row, strict=True):
            col.metric(
                label,
                value,
                help=field_info(type(gm), FIGURE_FIELDS[label])["help"]
                if label in FIGURE_FIELDS
                else None,
            )
            if label in likely:
                col.caption(plain(likely[label]))
        for (
            label,
            _,
            notes,
        ) in row:  # each warning right under the row, naming the figure it qualifies
            for note in notes:
                st.warning(f"**{label}:** {plain(note)}", icon=":material/warning:")
    st.caption(
        f"One iteration of {gm_inputs.items_per_iteration:,} items: "
        f"{gm.current_minutes_per_iteration:,.1f} min "
        f"now vs {gm.candidate_minutes_per_iteration:,.1f} min on the candidate "
        f"({gm.speedup:,.2f}× faster). "
        f"A {gm_inputs.sprint_length_weeks:g}-week sprint has {gm.sprint_working_hours:,.0f} "
        f"working hours ({gm_inputs.hours_per_week:g} a week) and "
        f"{gm.sprint_calendar_hours:,.0f} hours in all; the time saved never exceeds what the "
        "iterations run on the slower machine."
        + (
            " The candidate is slower: it saves no time, so it never pays back."
            if gm.minutes_saved_per_iteration <= 0
            else ""
        )
    )
    st.caption(plain(gm_ranges.basis) + f" Likely: P10–P90 of {gm_ranges.samples:,} simulations.")
    st.altair_chart(charts.main_chart(gm), width="stretch")
    if any(b.swing > 0 for b in gm_ranges.tornado):
        st.vega_lite_chart(
            tornado_spec(
                gm_ranges.tornado,
                gm.dollars_saved_per_year,
                "What moves the savings per year most",
                "Savings per year (USD)",
                "$,.0f",
                "$~s",
            ),
            width="stretch",
        )

with st.expander("Where seed 000's own figures round"):
    st.dataframe(
        pd.DataFrame([f.model_dump() for f in greenmoney.seed_roundings()]).rename(
            columns={
                "claim": "Figure",
                "quoted": "Seed 000 says",
                "computed": "Its own inputs give",
                "note": "Why",
            }
        ),
        hide_index=True,
    )
    seed_default = greenmoney.green_money(GreenMoneyInputs())
    st.caption(
        f"ScaleRisk computes from the throughputs ({seed_default.minutes_saved_per_iteration:.2f} "
        "min, "
        f"\\${seed_default.dollars_saved_per_year:,.0f}/year, {seed_default.payback_weeks:.1f} "
        "weeks with the "
        "defaults); tick *Type minutes saved per iteration instead* with 15 min to reproduce the "
        "seed's "
        "\\$24,375 and 3.2 weeks exactly."
    )
