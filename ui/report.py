"""Sidebar control "Download PDF summary", on every page: builds the PDF only when asked.

Reads the session-state contract (``answers``, ``what_if``, ``bench_results``,
``scenario_name``), builds with :func:`calculator.report.render_report` under a spinner
when the user presses *Build PDF summary*, then offers the bytes with
``st.download_button``.  A PDF built from older inputs is not offered once the session has
changed (inputs, answers, runs): the user is asked to build again.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from typing import Any

import streamlit as st

BUILT_KEY = "report.built"  # (signature, pdf bytes, file name, notes) of the last build
WARM_UP_DELAY_S = 5.0
"""The PDF engine is warmed this long after the first page is shown, off the start-up path."""


@st.cache_resource(show_spinner=False)
def _warm_pdf_engine_later() -> threading.Timer:
    """Once per server process, in the background while the user works: start the chart
    worker processes and import the PDF's libraries (:func:`calculator.report.warm_up`), so
    the first *Build PDF summary* does not wait for them (see README "Performance")."""

    def warm() -> None:
        from calculator.report import warm_up

        warm_up()

    timer = threading.Timer(WARM_UP_DELAY_S, warm)
    timer.daemon = True
    timer.start()
    return timer


def session_contract() -> dict[str, Any]:
    """The parts of the session the report summarises (see the session-state contract)."""
    state = st.session_state
    return {
        "scenario_name": str(state.get("scenario_name") or ""),
        "answers": state.get("answers"),
        "what_if": dict(state.get("what_if") or {}),
        "bench_results": list(state.get("bench_results") or []),
        "full": bool(state.get("w.report.full", False)),
    }


def _signature(contract: dict[str, Any]) -> str:
    """Hash of what the PDF shows, plus every ``w.*`` widget value: the sidebar runs before the
    page writes its ``what_if`` entry, but a changed widget is already in the state, so a PDF
    built before an input changed is never offered for download."""
    widgets = {
        k: v for k, v in st.session_state.items() if isinstance(k, str) and k.startswith("w.")
    }
    text = json.dumps([contract, widgets], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def file_name(scenario_name: str) -> str:
    """``scalerisk-summary-<ascii slug>.pdf`` (slug at most 40 characters)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", scenario_name).strip("-").lower()[:40].strip("-")
    return f"scalerisk-summary-{slug}.pdf" if slug else "scalerisk-summary.pdf"


def _build(contract: dict[str, Any]) -> tuple[bytes, list[str]]:
    from calculator.report import (
        ReportRequest,
        render_report,
    )  # lazy: fpdf/vl-convert only when asked

    out = render_report(ReportRequest(**contract))
    return out.pdf, out.notes


def pdf_summary_control() -> None:
    """Render the sidebar control; call inside ``with st.sidebar:`` in ``app.py``."""
    _warm_pdf_engine_later()
    st.markdown("**Download PDF summary**")
    st.checkbox(
        "Full report",
        key="w.report.full",
        persist_state="session",
        help="Also include the pages you have not opened in this session, "
        "filled with their default inputs.",
    )
    contract = session_contract()
    signature = _signature(contract)
    if st.button(
        "Build PDF summary",
        key="report.build",
        icon=":material/picture_as_pdf:",
        help="Builds a PDF of this session: assessment, the what-ifs you opened, benchmark "
        "runs, Green Money and an appendix to reproduce every figure.",
    ):
        with st.spinner("Building the PDF summary…"):
            try:
                pdf, notes = _build(contract)
            except Exception as exc:  # noqa: BLE001 - never a traceback in the UI
                st.session_state.pop(BUILT_KEY, None)
                st.error(f"The PDF summary could not be built: {exc}")
                return
        st.session_state[BUILT_KEY] = (signature, pdf, file_name(contract["scenario_name"]), notes)
    built = st.session_state.get(BUILT_KEY)
    if built is None:
        return
    built_signature, pdf, name, notes = built
    if built_signature != signature:
        st.caption("The session changed since the last PDF was built; build it again to download.")
        return
    st.download_button(
        "Download PDF summary",
        data=pdf,
        file_name=name,
        mime="application/pdf",
        key="report.download",
        on_click="ignore",
        icon=":material/download:",
        type="primary",
    )
    st.caption(
        f"{len(pdf) / 1024:,.0f} KiB"
        + (f" · {len(notes)} section(s) left out, listed on page 1" if notes else "")
    )
