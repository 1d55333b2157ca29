"""PDF controls: the sidebar's "Download PDF summary" on every page, and the comparison PDF of
two scenarios (for the Saved scenarios page).  Both build only when asked.

The summary is built from the session's typed scenario
(:func:`ui.scenario_link.current_scenario`) with :func:`calculator.report.render` under a
spinner when the user presses *Build PDF summary*, then offered with
``st.download_button``.  A PDF built from older inputs is not offered once the session has
changed (inputs, answers, runs, any page widget): the user is asked to build again.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:  # the engine is imported when a PDF is built, not at app start-up
    from calculator.scenario import Scenario

BUILT_KEY = "report.built"  # (signature, pdf bytes, file name, notes) of the last build
COMPARE_KEY = "report.compare.built"  # (signature, pdf bytes, file name) of the last comparison
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


def session_scenario() -> tuple[Scenario | None, bool]:
    """The session's scenario (None while no page has written one) and whether its answers
    were given (the assessment ran, or a scenario was opened); the summary leaves the
    assessment out until they were, but keeps the what-if pages opened before."""
    from ui import session

    answered = session.answered()
    return (session.scenario() if session.held() or answered else None), answered


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _signature(scenario: Scenario | None, full: bool) -> str:
    """Hash of what the PDF shows, plus every ``w.*`` widget value: the sidebar runs before the
    page puts its inputs into the scenario, but a changed widget is already in the state, so
    a PDF built before an input changed is never offered for download."""
    widgets = {
        k: v for k, v in st.session_state.items() if isinstance(k, str) and k.startswith("w.")
    }
    shown = (
        None  # the runs' raw timings are long: their count stands for them
        if scenario is None
        else (scenario.model_dump_json(exclude={"bench_results"}), len(scenario.bench_results))
    )
    return _digest(shown, full, widgets)


def file_name(scenario_name: str, kind: str = "summary") -> str:
    """``scalerisk-<kind>-<ascii slug>.pdf`` (slug at most 40 characters)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", scenario_name).strip("-").lower()[:40].strip("-")
    return f"scalerisk-{kind}-{slug}.pdf" if slug else f"scalerisk-{kind}.pdf"


def build_summary(
    scenario: Scenario | None, full: bool, answered: bool = True, appendices: bool = False
) -> tuple[bytes, list[str]]:
    """The summary PDF and its notes; ``None``: no page wrote a scenario yet (every page at its
    defaults); ``answered=False`` leaves the assessment out."""
    from calculator import report  # lazy: fpdf/vl-convert only when asked
    from calculator.scenario import Scenario

    out = report.render(scenario or Scenario(), full=full, answered=answered, appendices=appendices)
    return out.pdf, out.notes


def pdf_summary_control() -> None:
    """Render the sidebar control; call inside ``with st.sidebar:`` in ``app.py``."""
    _warm_pdf_engine_later()
    st.markdown("**Download PDF summary**")
    full = st.checkbox(
        "Full report",
        key="w.report.full",
        persist_state="session",
        help="Also include the pages you have not opened in this session, "
        "filled with their default inputs.",
    )
    appendices = st.checkbox(
        "Appendices",
        key="w.report.appendices",
        persist_state="session",
        help="Add the methodology (assumptions, formulas, sources), where the seeds contradict "
        "themselves, and how to reproduce every figure (about 33 more pages).",
    )
    scenario, answered = session_scenario()
    signature = _signature(scenario, full) + str(answered)
    if st.button(
        "Build PDF summary",
        key="report.build",
        icon=":material/picture_as_pdf:",
        help="Builds a PDF of this session: assessment, the what-ifs you opened, benchmark "
        "runs and Green Money, with a one-page executive summary first.",
    ):
        with st.spinner("Building the PDF summary…"):
            try:
                pdf, notes = build_summary(scenario, full, answered, appendices)
            except Exception as exc:  # noqa: BLE001 - never a traceback in the UI
                st.session_state.pop(BUILT_KEY, None)
                st.error(f"The PDF summary could not be built: {exc}")
                return
        name = file_name(scenario.name if scenario is not None else "")
        st.session_state[BUILT_KEY] = (signature, pdf, name, notes)
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


def build_comparison(base: Scenario, new: Scenario, names: tuple[str, str]) -> bytes:
    """The comparison PDF of ``base`` and ``new``, each labelled by its name in ``names``."""
    from calculator import report  # lazy: fpdf/vl-convert only when asked

    labelled = [s.model_copy(update={"name": n}) for s, n in zip((base, new), names, strict=True)]
    return report.render_comparison(*labelled).pdf


def comparison_pdf_control(base: Scenario, new: Scenario, names: tuple[str, str]) -> None:
    """*Build comparison PDF*, then *Download comparison PDF*: the key deltas of ``new``
    against ``base`` (page 1), both cost trajectories and what changed.  ``names`` label the
    two (e.g. their names in the library).  A PDF of another pair is never offered."""
    signature = _digest(base.model_dump_json(), new.model_dump_json(), list(names))
    if st.button(
        "Build comparison PDF",
        key="report.compare.build",
        icon=":material/picture_as_pdf:",
        help="A PDF of the key differences (score, band, costs, top actions, fine-tuning and "
        "sizing), both cost trajectories in one chart, and every input that changed.",
    ):
        with st.spinner("Building the comparison PDF…"):
            try:
                pdf = build_comparison(base, new, names)
            except Exception as exc:  # noqa: BLE001 - never a traceback in the UI
                st.session_state.pop(COMPARE_KEY, None)
                st.error(f"The comparison PDF could not be built: {exc}")
                return
        name = file_name(f"{names[0]} vs {names[1]}", kind="comparison")
        st.session_state[COMPARE_KEY] = (signature, pdf, name)
    built = st.session_state.get(COMPARE_KEY)
    if built is None or built[0] != signature:
        return
    _, pdf, name = built
    st.download_button(
        "Download comparison PDF",
        data=pdf,
        file_name=name,
        mime="application/pdf",
        key="report.compare.download",
        on_click="ignore",
        icon=":material/download:",
        type="primary",
    )
    st.caption(f"{len(pdf) / 1024:,.0f} KiB")
