"""The current scenario in the page URL: restored on reload, shared as a link (issue 13).

``restore_from_link()`` runs before the page: in a fresh session (a reload, a link opened on
another machine) it reads ``?s=…`` from the URL, validates it once as a
:class:`calculator.scenario.Scenario` and seeds the session-state contract (``answers``,
``what_if``, ``scenario_name``) from it; the pages then seed their widgets from that.
``publish_link()`` runs after the page: it writes the session's scenario back into the URL.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

PARAM = "s"
RESTORED_KEY = "scenario_link.restored"
MESSAGE_KEY = "scenario_link.message"


def current_scenario() -> Any:
    """The session's scenario (answers + what-if inputs), validated; None before any answers."""
    from calculator.errors import InputError
    from calculator.scenario import parse_scenario

    data = contract_data()
    if data is None:
        return None
    try:
        return parse_scenario(data)
    except InputError:
        return None


def contract_data() -> dict[str, Any] | None:
    """The session's scenario as the scenario file's JSON, from the session-state contract
    (already validated by the pages that wrote it; no engine import: this runs every rerun)."""
    saved = st.session_state.get("answers")
    if not isinstance(saved, dict):
        return None
    answers = {k: v for k, v in saved.items() if k not in ("scenario_name", "what_if")}
    what_if = {**(saved.get("what_if") or {}), **(st.session_state.get("what_if") or {})}
    return {"version": 1, "name": saved.get("scenario_name", ""), "answers": answers, **what_if}


def restore_from_link() -> None:
    """Seed a fresh session from the URL's scenario; a damaged link is said, never fatal."""
    if st.session_state.get(RESTORED_KEY) or "answers" in st.session_state:
        return
    st.session_state[RESTORED_KEY] = True
    text = st.query_params.get(PARAM)
    if not text:
        return
    from calculator.errors import InputError
    from calculator.scenario import from_link

    try:
        scenario = from_link(text)
    except InputError as exc:
        st.session_state[MESSAGE_KEY] = f"The link's scenario could not be opened: {exc}"
        return
    seed_session(scenario)


def seed_session(scenario: Any) -> None:
    """Make ``scenario`` the session's: the pages' widgets are re-seeded from it."""
    st.session_state["answers"] = scenario.as_answers_file().model_dump(mode="json")
    st.session_state["what_if"] = scenario.what_if()
    st.session_state["scenario_name"] = scenario.name
    st.session_state["scenario_link.seeded"] = True


def publish_link() -> None:
    """Put the session's scenario into the URL (only when it changed)."""
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        st.warning(message)
    data = contract_data()
    if data is None:
        return
    from calculator.link import pack

    link = pack(data)
    if st.query_params.get(PARAM) != link:
        st.query_params[PARAM] = link


def share_link_control() -> None:
    """Sidebar: the link to this scenario, with a copy button."""
    data = contract_data()
    if data is None:
        return
    from calculator.link import pack

    base = str(getattr(st.context, "url", "") or "").split("?")[0]
    with st.popover("Share this scenario", icon=":material/link:"):
        st.caption(
            "Anyone who opens this link sees the same answers and the same numbers (the "
            "scenario travels in the link; nothing is uploaded)."
        )
        st.code(f"{base}?{PARAM}={pack(data)}", language=None, wrap_lines=True)
