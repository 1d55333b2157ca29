"""Widgets generated from pydantic field metadata, so bounds, units and help text are written once.

A field declared as ``Field(1.0, ge=0, le=10, description="…", json_schema_extra={"unit": "GB"})``
becomes a number input labelled "Title (GB)" with min 0, max 10 and the description as help.
"""

from __future__ import annotations

import re
from typing import Any

import annotated_types
import streamlit as st
from pydantic import BaseModel


def field_info(model: type[BaseModel], name: str) -> dict[str, Any]:
    """Label, help, bounds, unit and default of ``model.name`` from its pydantic ``Field``."""
    info = model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    lo = hi = None
    for meta in info.metadata:
        if isinstance(meta, (annotated_types.Ge, annotated_types.Gt)):
            lo = getattr(meta, "ge", getattr(meta, "gt", None))
        elif isinstance(meta, (annotated_types.Le, annotated_types.Lt)):
            hi = getattr(meta, "le", getattr(meta, "lt", None))
    unit = extra.get("unit")
    title = extra.get("label") or info.title or name.replace("_", " ").capitalize()
    return {
        "label": f"{title} ({unit})" if unit else title,
        "help": info.description,
        "min": lo,
        "max": hi,
        "unit": unit,
        "default": info.default,
    }


def number_field(
    model: type[BaseModel],
    name: str,
    *,
    key: str,
    value: float | int | None = None,
    step: float | int | None = None,
    fmt: str | None = None,
    label: str | None = None,
    integer: bool | None = None,
) -> float | int | None:
    """``st.number_input`` bounded and labelled by the pydantic field ``model.name``.

    An optional field (default None) starts empty and returns None until the user types a value.

    The value is clamped into the field's bounds before it reaches the widget, so an
    out-of-range value carried in session state (e.g. from an uploaded file) never raises.
    ``persist_state="session"`` keeps the value when the user switches pages.
    """
    meta = field_info(model, name)
    default = meta["default"] if value is None else value
    is_int = (
        integer
        if integer is not None
        else isinstance(default, int) and not isinstance(default, bool)
    )
    cast = int if is_int else float
    lo = None if meta["min"] is None else cast(meta["min"])
    hi = None if meta["max"] is None else cast(meta["max"])
    if key in st.session_state and st.session_state[key] is not None:
        current = st.session_state[key]
        clamped = min(
            max(current, lo if lo is not None else current), hi if hi is not None else current
        )
        if clamped != current:
            st.session_state[key] = cast(clamped)
    kwargs: dict[str, Any] = {"min_value": lo, "max_value": hi, "help": meta["help"], "key": key}
    kwargs["persist_state"] = "session"  # keeps the value while the user visits other pages
    if key not in st.session_state:
        kwargs["value"] = (
            None if default is None else cast(default)
        )  # None: an optional field, left empty
    if step is not None:
        kwargs["step"] = cast(step)
    if fmt is not None:
        kwargs["format"] = fmt
    return st.number_input(label or meta["label"], **kwargs)


def dollars(text: str) -> str:
    """Escape ``$`` for ``st.markdown`` & co., where two of them would start LaTeX math.

    >>> dollars("$4K × 50^1.5 ≈ $1.41M")
    '\\\\$4K × 50^1.5 ≈ \\\\$1.41M'
    """
    return re.sub(r"(?<!\\)\$", r"\\$", text)


SPREAD_PERCENT_DEFAULT = 30
"""The ± spread a marked input gets until the user moves the slider (percent of its value)."""
SPREAD_PERCENT_RANGE = (5, 90)
"""The ± spread slider's range (percent)."""


def spread_picker(
    *,
    title: str,
    caption: str,
    label: str,
    options: list[str],
    format_func: Any,
    paths_key: str,
    size_key: str,
    placeholder: str,
    help: str | None = None,
    side_by_side: bool = False,
) -> dict[str, float]:
    """An expander where the user marks inputs as only roughly known, with one ± spread for all
    of them: ``{path: spread as a fraction}`` for :mod:`calculator.uncertainty` (issue 12).

    Marked paths no longer offered (the inputs changed) are dropped; both widgets keep their
    state across page switches.
    """
    st.session_state[paths_key] = [p for p in st.session_state.get(paths_key, []) if p in options]
    st.session_state.setdefault(size_key, SPREAD_PERCENT_DEFAULT)
    with st.expander(title):
        st.caption(caption)
        left, right = (
            st.columns([3, 1], gap="medium") if side_by_side else (st.container(), st.container())
        )
        paths = left.multiselect(
            label,
            options,
            format_func=format_func,
            help=help,
            key=paths_key,
            persist_state="session",
            placeholder=placeholder,
        )
        size = right.slider(
            "± spread (%)",
            *SPREAD_PERCENT_RANGE,
            step=5,
            key=size_key,
            persist_state="session",
            help="How far off each marked input may be, as a share of its value.",
        )
    return {p: size / 100 for p in paths}


def spread_state(paths_key: str, size_key: str, spreads: dict[str, float]) -> dict[str, Any]:
    """The inverse of :func:`spread_picker`: widget values that give back ``spreads``.

    The picker has one size for every marked path, whole percent within the slider's
    5–90 %: several sizes become the largest, and a size outside the slider's range its
    nearest end (the page then says what it shows instead).

    >>> spread_state("p", "s", {"mfu": 0.3})
    {'p': ['mfu'], 's': 30}
    >>> spread_state("p", "s", {"mfu": 1.0, "hours": 0.2})["s"]
    90
    """
    sizes = [v for v in spreads.values() if v > 0]
    size = round(100 * max(sizes)) if sizes else SPREAD_PERCENT_DEFAULT
    return {
        paths_key: [p for p, v in spreads.items() if v > 0],
        size_key: min(max(size, SPREAD_PERCENT_RANGE[0]), SPREAD_PERCENT_RANGE[1]),
    }


def clamp(value: Any, lo: float, hi: float) -> Any:
    """``value`` inside [lo, hi] (a widget's range), its type kept; None stays None.

    >>> clamp(0.01, 0.05, 1.0), clamp(3, 1, 10), clamp(None, 0, 1)
    (0.05, 3, None)
    """
    if value is None:
        return None
    return type(value)(min(max(value, lo), hi))
