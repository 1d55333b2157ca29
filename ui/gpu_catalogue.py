"""The GPU catalogue as an editable table for the session (``st.data_editor``, validated).

The edited, validated rows live in ``st.session_state["gpu_catalogue"]`` (a list of dicts) so
edits survive page switches and any page can reuse them.  Rows are validated through
:class:`calculator.hardware.Gpu`; invalid rows are reported in plain sentences and left out.

Every row carries the interconnect columns (link inside a node, GPUs per node, link between
nodes, with their bandwidths and source); pages that do not need them hide them
(``interconnect=False``, the default) without losing what another page edited.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from calculator.errors import describe_validation_error
from calculator.hardware import Gpu, catalogue

STATE_KEY = "gpu_catalogue"
BASE_COLUMNS = ["name", "vendor", "memory_gb", "bf16_tflops", "usd_per_hour", "source"]
INTERCONNECT_COLUMNS = [
    "gpus_per_node",
    "intra_node_link",
    "intra_node_gbps",
    "inter_node_link",
    "inter_node_gbps",
    "interconnect_source",
]
COLUMNS = BASE_COLUMNS + INTERCONNECT_COLUMNS


def _interconnect(g: Gpu) -> dict[str, Any]:
    return {c: getattr(g, c) for c in INTERCONNECT_COLUMNS}


def default_rows() -> list[dict[str, Any]]:
    """The shipped catalogue, one flat row per GPU (bf16 peak, fp16 where there is no bf16)."""
    return [gpu_row(g) for g in catalogue()]


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def with_interconnect(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every interconnect column present: blanks of a shipped GPU (by name) take the
    shipped values, e.g. rows kept in a session from before the columns existed."""
    shipped = {g.name: _interconnect(g) for g in catalogue()}
    out = []
    for row in rows:
        name = row.get("name")
        known = shipped.get(str(name).strip(), {}) if not _blank(name) else {}
        filled = dict(row)
        for c in INTERCONNECT_COLUMNS:
            if c not in filled or (_blank(filled[c]) and known.get(c) is not None):
                filled[c] = known.get(c)
        out.append(filled)
    return out


def _interconnect_args(row: dict[str, Any]) -> dict[str, Any]:
    """Gpu keyword arguments from a row's interconnect cells.

    A blank cell takes :class:`~calculator.hardware.Gpu`'s conservative default (PCIe 4.0
    x16 inside a node, 10 GbE between nodes), except a blank bandwidth inside a node of one
    GPU, which means "no such link"."""
    args: dict[str, Any] = {}
    for c in INTERCONNECT_COLUMNS:
        value = row.get(c)
        if _blank(value):
            continue
        if c == "gpus_per_node" and isinstance(value, float) and value.is_integer():
            value = int(value)
        args[c] = value
    if _blank(row.get("intra_node_gbps")) and args.get("gpus_per_node") == 1:
        args["intra_node_gbps"] = None
    return args


def validate_rows(rows: list[dict[str, Any]]) -> tuple[list[Gpu], list[dict[str, Any]], list[str]]:
    """Validate edited rows → (GPUs, their rows, error sentences).  Blank rows are skipped."""
    gpus: list[Gpu] = []
    kept: list[dict[str, Any]] = []
    errors: list[str] = []
    for i, row in enumerate(with_interconnect(rows), start=1):
        if all(_blank(row.get(c)) for c in BASE_COLUMNS):
            continue
        name = "" if _blank(row.get("name")) else str(row["name"]).strip()
        if not name:
            errors.append(f"Row {i}: the GPU needs a name.")
            continue
        if any(g.name == name for g in gpus):
            errors.append(f"Row {i}: {name!r} appears twice; names must be unique.")
            continue
        try:
            gpu = Gpu(
                name=name,
                vendor="" if _blank(row.get("vendor")) else str(row["vendor"]),
                memory_gb=row.get("memory_gb"),
                peak_tflops={"bf16": row.get("bf16_tflops")},
                usd_per_hour=row.get("usd_per_hour"),
                source="edited in the app" if _blank(row.get("source")) else str(row["source"]),
                **_interconnect_args(row),
            )
            if not gpu.peak_tflops["bf16"] > 0:
                raise ValueError("bf16_tflops must be greater than 0")
        except ValidationError as exc:
            reason = describe_validation_error(exc).replace("(top level): ", "")
            errors.append(f"Row {i} ({name}): " + reason.replace("\n", "; "))
            continue
        except (ValueError, TypeError) as exc:
            errors.append(f"Row {i} ({name}): {exc}")
            continue
        gpus.append(gpu)
        kept.append({c: row.get(c) for c in COLUMNS})
    return gpus, kept, errors


def _column_config() -> dict[str, Any]:
    return {
        "name": st.column_config.TextColumn("GPU", required=True),
        "vendor": st.column_config.TextColumn("Vendor"),
        "memory_gb": st.column_config.NumberColumn("Memory (GB)", min_value=0.0, format="%.0f"),
        "bf16_tflops": st.column_config.NumberColumn(
            "Peak bf16/fp16 (TFLOP/s)",
            min_value=0.0,
            format="%.1f",
            help="Dense (non-sparse) peak; fp16 where the GPU has no bf16.",
        ),
        "usd_per_hour": st.column_config.NumberColumn(
            "Price (USD/GPU-hour)", min_value=0.0, format="%.2f"
        ),
        "source": st.column_config.TextColumn("Source"),
        "gpus_per_node": st.column_config.NumberColumn(
            "GPUs per node",
            min_value=1,
            step=1,
            format="%d",
            help="GPUs in one server; more GPUs than this span several nodes.",
        ),
        "intra_node_link": st.column_config.TextColumn(
            "Link inside a node", help="NVLink or PCIe generation joining the GPUs of one server."
        ),
        "intra_node_gbps": st.column_config.NumberColumn(
            "Inside a node (GB/s per GPU, one way)",
            min_value=0.0,
            format="%.4g",
            help="Datasheet bandwidth of one GPU's link, per direction (vendors' NVLink figures "
            "are both directions together: halve them). Empty for one GPU per node.",
        ),
        "inter_node_link": st.column_config.TextColumn(
            "Link between nodes", help="InfiniBand or Ethernet, and how many ports per node."
        ),
        "inter_node_gbps": st.column_config.NumberColumn(
            "Between nodes (GB/s per node, one way)",
            min_value=0.0,
            format="%.4g",
            help="A node's compute NICs together, per direction: Gb/s ÷ 8 × ports.",
        ),
        "interconnect_source": st.column_config.TextColumn("Interconnect source"),
    }


def gpu_catalogue_editor(
    key: str, *, interconnect: bool = False
) -> tuple[list[Gpu], dict[str, dict[str, Any]]]:
    """Show the editable catalogue; return the valid GPUs and name → row (bf16 TFLOP/s, $/h, …).

    ``key`` must not start with ``"w."``: a data editor's state cannot be written back
    (``persist_state`` does not apply to it), so the edited rows are kept in session state instead.
    ``interconnect`` shows the interconnect columns (GPUs per node, links and bandwidths);
    hidden, they are still kept, so edits made on another page survive.
    """
    base_key = f"{key}.base"
    if key not in st.session_state or base_key not in st.session_state:
        # fresh editor (first visit or back from another page): start from the last edits
        st.session_state[base_key] = with_interconnect(
            st.session_state.get(STATE_KEY) or default_rows()
        )
    shown = COLUMNS if interconnect else BASE_COLUMNS
    edited = st.data_editor(
        pd.DataFrame(st.session_state[base_key], columns=COLUMNS),
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_order=shown,
        column_config=_column_config(),
    )
    gpus, kept, errors = validate_rows(edited.to_dict("records"))
    for message in errors:
        st.error(f"GPU catalogue: {message} This row is ignored.")
    if not gpus:
        st.error("GPU catalogue: no valid row left; using the shipped catalogue.")
        gpus, kept, _ = validate_rows(default_rows())
    st.session_state[STATE_KEY] = kept
    if st.button("Restore the shipped catalogue", key=f"{key}.reset"):
        st.session_state.pop(key, None)
        st.session_state[STATE_KEY] = default_rows()
        st.session_state.pop(base_key, None)
        st.rerun()
    return gpus, {row["name"].strip(): row for row in kept}


def gpu_row(gpu: Gpu) -> dict[str, Any]:
    """One catalogue row holding ``gpu`` (only the bf16 peak has a column)."""
    return {
        "name": gpu.name,
        "vendor": gpu.vendor,
        "memory_gb": gpu.memory_gb,
        "bf16_tflops": gpu.peak_flops("bf16") / 1e12,
        "usd_per_hour": gpu.usd_per_hour,
        "source": gpu.source,
        **_interconnect(gpu),
    }


UNKNOWN_GPU_SOURCE = "from an opened scenario (memory not given: 80 GB assumed)"


def catalogue_with(
    rows: list[dict[str, Any]], name: str, cells: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """``rows`` with the row called ``name`` holding ``cells`` (a row added when there is
    none: the shipped GPU of that name, else 80 GB of memory, said in its source), or None when
    the catalogue already holds them — how a scenario's GPU goes back into the session's
    catalogue (issue 13).

    >>> from calculator.hardware import get_gpu
    >>> catalogue_with(default_rows(), "A100 80GB", gpu_row(get_gpu("A100 80GB"))) is None
    True
    >>> rows = catalogue_with(default_rows(), "A100 80GB", {"usd_per_hour": 2.5})
    >>> [r["usd_per_hour"] for r in rows if r["name"] == "A100 80GB"]
    [2.5]
    >>> catalogue_with(default_rows(), "X1", {"bf16_tflops": 10.0})[-1]["source"][:26]
    'from an opened scenario (m'
    """
    rows = with_interconnect(rows)
    names = [str(r.get("name") or "").strip() for r in rows]
    if name in names:
        i = names.index(name)
        if all(rows[i].get(c) == v for c, v in cells.items()):
            return None
        return [*rows[:i], {**rows[i], **cells}, *rows[i + 1 :]]
    shipped = {g.name: gpu_row(g) for g in catalogue()}
    base = shipped.get(name) or {
        **{c: None for c in COLUMNS},
        "name": name,
        "vendor": "",
        "memory_gb": 80.0,
        "source": UNKNOWN_GPU_SOURCE,
        "gpus_per_node": 1,
    }
    return [*rows, {**base, **cells, "name": name}]
