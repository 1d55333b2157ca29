"""Saved scenarios: keep the current scenario under its name, open one, and compare them.

Thin page over :class:`calculator.library.Library` (the benchmark history's SQLite file) and
:func:`calculator.diff.diff`; a scenario opened here becomes the session's
(:func:`ui.session.seed`): every page's widgets are dropped and re-seeded from it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from calculator.common import COMPONENTS
from calculator.errors import InputError
from calculator.library import Library
from calculator.risk import Answers, assess
from calculator.scenario import Scenario
from ui import session
from ui.report import comparison_pdf_control
from ui.widgets import dollars

CURRENT = "Current scenario (unsaved)"
MESSAGE_KEY = "scenarios.message"


@st.cache_data(max_entries=64, show_spinner=False)
def _assessment_of(answers_json: str, _answers: Answers):
    """The assessment of a scenario's answers (cache key: their JSON; computed from the typed
    answers riding along unhashed, so nothing is validated again)."""
    return assess(_answers)


def _assessment(answers: Answers):
    return _assessment_of(answers.model_dump_json(), answers)


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE_KEY] = (kind, text)


def _run(action, success: str) -> None:
    try:
        action()
    except InputError as exc:
        _say("error", str(exc))
    else:
        _say("success", success)


st.title("Saved scenarios")
st.caption(
    "Keep the scenario you are working on under its name, open a saved one (every page then shows "
    "it), and compare two or three side by side. Scenarios are stored on this machine, in the "
    "same database as the benchmark history."
)
library = Library()
current = session.current()
message = st.session_state.pop(MESSAGE_KEY, None)
if message:
    (st.error if message[0] == "error" else st.success)(message[1])

st.subheader("Save the current scenario")
if current is None:
    st.info("Answer the assessment first: there is nothing to save yet.")
else:
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    st.session_state.setdefault("w.scenarios.save_name", current.name)
    name = c1.text_input(
        "Save as",
        max_chars=200,
        key="w.scenarios.save_name",
        help="An existing name is replaced.",
        persist_state="session",
    )
    if c2.button("Save", type="primary", key="scenarios.save"):
        _run(lambda: library.save(current, name), f"Saved as {name.strip()}.")
        st.rerun()

try:
    saved = library.list()
    unreadable = library.unreadable()
except InputError as exc:
    st.error(str(exc))
    saved, unreadable = [], []
if unreadable:
    st.warning(
        f"{len(unreadable)} saved scenario(s) cannot be read by this version and are not listed: "
        + ", ".join(unreadable)
        + f". They are kept, unchanged, in {library.path}."
    )

st.subheader("Saved")
if not saved:
    st.info("No scenario saved yet.")
else:
    rows = []
    for s in saved:
        a = _assessment(s.scenario.answers)
        rows.append(
            {
                "Name": s.name,
                "Risk score": a.score,
                "Band": a.band,
                f"Cost at {a.horizon_months} months (USD/month)": a.projected_monthly_cost.total,
                "Saved (UTC)": s.updated_at[:16].replace("T", " "),
            }
        )
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={"Risk score": st.column_config.NumberColumn(format="%.1f")},
    )
    names = [s.name for s in saved]
    pick = st.selectbox("Scenario", names, key="w.scenarios.pick", persist_state="session")
    b1, b2, b3, b4 = st.columns(4, vertical_alignment="bottom")
    if b1.button("Open", key="scenarios.open", help="Make it the current scenario on every page."):
        try:
            opened = library.get(pick).scenario
        except InputError as exc:
            _say("error", f"{exc}. The current scenario is unchanged.")
            st.rerun()
        else:
            session.seed(opened)  # every page's widgets re-seed from the opened scenario
            st.switch_page("pages/assessment.py")
    if b2.button("Duplicate", key="scenarios.duplicate"):
        _run(lambda: library.duplicate(pick), f"Duplicated {pick}.")
        st.rerun()
    with b3.popover("Rename"):
        st.session_state.setdefault(f"w.scenarios.rename.{pick}", pick)
        new_name = st.text_input(
            "New name", max_chars=200, key=f"w.scenarios.rename.{pick}", persist_state="session"
        )
        if st.button("Rename", key="scenarios.rename_go"):
            _run(lambda: library.rename(pick, new_name), f"Renamed to {new_name.strip()}.")
            st.rerun()
    with b4.popover("Delete"):
        st.text(f"Delete {pick}? This cannot be undone.")
        if st.button("Delete", key="scenarios.delete_go", type="primary"):
            _run(lambda: library.delete(pick), f"Deleted {pick}.")
            st.rerun()


def _cell(value: float, base_value: float, money: bool) -> str:
    text = f"${value:,.0f}" if money else f"{value:,.1f}"
    if value == base_value:
        return text
    delta = value - base_value
    sign = "+" if delta > 0 else "−"
    return text + (f" ({sign}${abs(delta):,.0f})" if money else f" ({sign}{abs(delta):.1f})")


def _by_name() -> dict[str, Scenario]:
    """Saved scenarios by name, and the current one."""
    return {s.name: s.scenario for s in saved} | ({CURRENT: current} if current is not None else {})


def _compare(chosen: list[str]) -> None:
    """Side by side: the chosen scenarios, deltas from the first, one trajectory chart."""
    by_name = _by_name()
    results = {n: _assessment(by_name[n].answers) for n in chosen}
    base = results[chosen[0]]

    table: dict[str, list[str]] = {"Figure": ["Risk score", "Band"]}
    for n, r in results.items():
        table[n] = [_cell(r.score, base.score, False), r.band]
    for month in (12, 36):
        for c in (*COMPONENTS, "total"):
            table["Figure"].append(f"{c.capitalize()} in month {month} (USD/month)")
            for n, r in results.items():
                t = r.forecast.trajectories["base"]
                value = sum(t[x][month] for x in COMPONENTS) if c == "total" else t[c][month]
                b = base.forecast.trajectories["base"]
                base_value = sum(b[x][month] for x in COMPONENTS) if c == "total" else b[c][month]
                table[n].append(_cell(value, base_value, True))
    table["Figure"].append("Top action (payback)")
    for n, r in results.items():
        top = r.recommendations[0] if r.recommendations else None
        table[n].append(
            "—"
            if top is None
            else f"{top.name} ({top.payback_months or 0:,.1f} months)"
            if top.payback_months is not None
            else f"{top.name} (not within the horizon)"
        )
    table["Figure"].append("Top driver")
    for n, r in results.items():
        table[n].append(r.drivers[0].name if r.drivers else "—")
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(dollars("In brackets: the difference from the first scenario (the baseline)."))

    lines = [
        {
            "scenario": n,
            "month": m,
            "usd": sum(r.forecast.trajectories["base"][c][m] for c in COMPONENTS),
        }
        for n, r in results.items()
        for m in r.forecast.months
    ]
    st.vega_lite_chart(
        {
            "title": {"text": "Total monthly cost over 36 months (base case)", "anchor": "start"},
            "data": {"values": lines},
            "mark": {"type": "line", "strokeWidth": 2.5},
            "height": 300,
            "encoding": {
                "x": {"field": "month", "type": "quantitative", "title": "Months from today"},
                "y": {
                    "field": "usd",
                    "type": "quantitative",
                    "title": "Cost (USD/month)",
                    "axis": {"format": "$~s"},
                },
                "color": {
                    "field": "scenario",
                    "type": "nominal",
                    "title": "Scenario",
                    "sort": chosen,
                    "legend": {"orient": "bottom", "labelLimit": 0},
                },
                "tooltip": [
                    {"field": "scenario", "title": "Scenario"},
                    {"field": "month", "title": "Month"},
                    {
                        "field": "usd",
                        "type": "quantitative",
                        "title": "USD/month",
                        "format": "$,.0f",
                    },
                ],
            },
        },
        width="stretch",
    )


st.subheader("Compare")
choices = ([CURRENT] if current is not None else []) + [s.name for s in saved]
if len(choices) < 2:
    st.info("Save at least one scenario to compare it with the current one.")
else:
    chosen = st.multiselect(
        "Scenarios to compare (two or three; the first is the baseline)",
        choices,
        default=choices[:2],
        max_selections=3,
        key="w.scenarios.compare",
        persist_state="session",
    )
    if len(chosen) < 2:
        st.info("Pick two or three scenarios.")
    else:
        _compare(chosen)
        st.caption(
            "PDF of the comparison: the baseline against the second scenario"
            + (" (a PDF compares two)." if len(chosen) > 2 else ".")
        )
        pair = _by_name()
        comparison_pdf_control(pair[chosen[0]], pair[chosen[1]], (chosen[0], chosen[1]))
