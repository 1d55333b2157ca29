"""The GPU catalogue as an editable table for the session (``st.data_editor``, validated).

The edited, validated rows live in ``st.session_state["gpu_catalogue"]`` (a list of dicts) so
edits survive page switches and any page can reuse them.  Rows are validated through
:class:`calculator.hardware.Gpu`; invalid rows are reported in plain sentences and left out.
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
COLUMNS = ["name", "vendor", "memory_gb", "bf16_tflops", "usd_per_hour", "source"]


def default_rows() -> list[dict[str, Any]]:
    """The shipped catalogue, one flat row per GPU (bf16 peak, fp16 where there is no bf16)."""
    return [
        {
            "name": g.name,
            "vendor": g.vendor,
            "memory_gb": g.memory_gb,
            "bf16_tflops": g.peak_flops("bf16") / 1e12,
            "usd_per_hour": g.usd_per_hour,
            "source": g.source,
        }
        for g in catalogue()
    ]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def validate_rows(rows: list[dict[str, Any]]) -> tuple[list[Gpu], list[dict[str, Any]], list[str]]:
    """Validate edited rows → (GPUs, their rows, error sentences).  Blank rows are skipped."""
    gpus: list[Gpu] = []
    kept: list[dict[str, Any]] = []
    errors: list[str] = []
    for i, row in enumerate(rows, start=1):
        if all(_blank(row.get(c)) or row.get(c) == "" for c in COLUMNS):
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
            )
            if not gpu.peak_tflops["bf16"] > 0:
                raise ValueError("bf16_tflops must be greater than 0")
        except ValidationError as exc:
            errors.append(
                f"Row {i} ({name}): " + describe_validation_error(exc).replace("\n", "; ")
            )
            continue
        except (ValueError, TypeError) as exc:
            errors.append(f"Row {i} ({name}): {exc}")
            continue
        gpus.append(gpu)
        kept.append({c: row.get(c) for c in COLUMNS})
    return gpus, kept, errors


def gpu_catalogue_editor(key: str) -> tuple[list[Gpu], dict[str, dict[str, Any]]]:
    """Show the editable catalogue; return the valid GPUs and name → row (bf16 TFLOP/s, $/h).

    ``key`` must not start with ``"w."``: a data editor's state cannot be written back
    (``persist_state`` does not apply to it), so the edited rows are kept in session state instead.
    """
    base_key = f"{key}.base"
    if key not in st.session_state or base_key not in st.session_state:
        # fresh editor (first visit or back from another page): start from the last edits
        st.session_state[base_key] = st.session_state.get(STATE_KEY) or default_rows()
    edited = st.data_editor(
        pd.DataFrame(st.session_state[base_key], columns=COLUMNS),
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
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
        },
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
