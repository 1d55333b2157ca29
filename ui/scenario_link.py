"""The current scenario in the page URL: restored on reload, shared as a link (issue 13).

``restore_from_link()`` runs before the page: in a fresh session (a reload, a link opened on
another machine) it reads ``?s=…`` from the URL, validates it once as a
:class:`calculator.scenario.Scenario` and makes it the session's (:func:`ui.session.seed`);
the pages then seed their widgets from it.  ``publish_link()`` runs after the page: it writes
the session's scenario back into the URL (:func:`calculator.scenario.to_link`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from ui import session

if TYPE_CHECKING:
    from calculator.scenario import Scenario

PARAM = "s"
RESTORED_KEY = "scenario_link.restored"
MESSAGE_KEY = "scenario_link.message"
DAMAGED_KEY = "scenario_link.damaged"
"""Set while the URL holds a link that could not be opened and nothing has been changed."""
LINK_KEY = "scenario_link.link"
"""(scenario, its link text): the link is packed again only when the scenario changed."""


def current_scenario() -> Scenario | None:
    """The session's scenario (answers, what-if inputs and spreads, benchmark runs), typed;
    None before the session has answers."""
    return session.current()


def seed_session(scenario: Scenario) -> None:
    """Make ``scenario`` the session's: every page's widgets are re-seeded from it."""
    session.seed(scenario)


def restore_from_link() -> None:
    """Seed a fresh session from the URL's scenario; a damaged link is said, never fatal."""
    if st.session_state.get(RESTORED_KEY) or session.answered():
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
        st.session_state[MESSAGE_KEY] = (
            f"The link's scenario could not be opened ({exc}). The page shows the defaults; "
            "the link in the address bar is kept until you change an input."
        )
        st.session_state[DAMAGED_KEY] = True
        return
    seed_session(scenario)


def _link() -> str | None:
    """The session's scenario as link text; None before answers, and "" while the session
    holds the default scenario (a URL without ``?s=`` opens the same)."""
    if not session.answered():
        return None
    if not session.held():
        session.warm_up_later()
        return ""
    scenario = session.current()
    cached = st.session_state.get(LINK_KEY)
    if cached is not None and cached[0] is scenario:
        return cached[1]
    from calculator.scenario import to_link

    link = to_link(scenario)
    st.session_state[LINK_KEY] = (scenario, link)
    return link


def publish_link() -> None:
    """Put the session's scenario into the URL (only when it changed)."""
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        st.warning(message)
    link = _link()
    if not link or st.query_params.get(PARAM) == link:
        return
    if st.session_state.get(DAMAGED_KEY):
        from calculator.scenario import Scenario

        if session.scenario() == Scenario():
            return  # nothing changed yet: the damaged link stays where the user can copy it
        del st.session_state[DAMAGED_KEY]
    st.query_params[PARAM] = link


def share_link_control() -> None:
    """Sidebar: the link to this scenario, with a copy button."""
    link = _link()
    if link is None:
        return
    base = str(getattr(st.context, "url", "") or "").split("?")[0]
    url = f"{base}?{PARAM}={link}" if link else base
    with st.popover("Share this scenario", icon=":material/link:"):
        st.caption(
            "Anyone who opens this link sees the same answers and the same numbers (the "
            "scenario travels in the link; nothing is uploaded)."
        )
        st.code(url, language=None, wrap_lines=True)
