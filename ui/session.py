"""The session's one typed :class:`~calculator.scenario.Scenario` (issue 13).

Every page reads and writes the same frozen model, kept in ``st.session_state["scenario"]``:

* :func:`update` puts already-validated parts into it (``model_copy(update=…)``, so nothing
  is validated again); the assessment writes its :class:`~calculator.risk.Answers`, each
  what-if page its input model and spreads (:func:`publish`), the benchmark page appends its
  :class:`~bench.protocol.BenchResult` (:func:`add_bench_result`);
* :func:`seed` makes a scenario from outside (a link, a library row, an uploaded file) the
  session's, and drops every page's widget state so the pages re-seed their widgets from it
  (:func:`seed_widgets`, with each page's inverse mapping ``widget_state``);
* :func:`current` is the scenario once the session has answers (the assessment ran, or a
  scenario was opened), ``None`` before — what the share link, the library and the PDF take.

The old dict keys (``answers``, ``what_if``, ``scenario_name``, ``bench_results``) are gone:
nothing travels between the pages as a dict.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:  # the engine is imported on first use, not at app start-up
    from pydantic import BaseModel

    from bench.protocol import BenchResult
    from calculator.risk import Answers
    from calculator.scenario import Scenario

KEY = "scenario"
ANSWERED_KEY = "scenario.answered"
SEEDED_KEY = "scenario.seeded"
"""Page → (inputs, spreads) its widgets were seeded from, and what the page then showed."""

WIDGET_PREFIXES: dict[str, tuple[str, ...]] = {
    "assessment": ("w.assess.",),
    "sizing": ("w.sizing.", "sizing.gpu_editor"),
    "finetune": ("w.finetune.", "finetune.gpu_editor"),
    "mitigation": ("w.mitigation.", "mitigation.table", "mitigation.editor", "mitigation.valid"),
    "green_money": ("w.green_money.",),
}
"""Session keys holding each page's widget state (dropped by :func:`seed` so it re-seeds)."""
GPU_EDITORS = ("sizing.gpu_editor", "finetune.gpu_editor")
"""The GPU catalogue's editors (both re-read ``gpu_catalogue`` once their keys are dropped)."""


def scenario() -> Scenario:
    """The session's scenario (an empty one before any page wrote to it)."""
    s = st.session_state.get(KEY)
    if s is None:
        from calculator.scenario import Scenario

        s = Scenario()
    return s


def held() -> bool:
    """True once the session holds a scenario object.  A fresh session whose assessment shows
    the default answers holds none yet: :func:`scenario` builds the (equal) empty one on first
    use, so the first page of a session never imports the four what-if engines that
    :class:`~calculator.scenario.Scenario` is made of (see :func:`warm_up_later`)."""
    return KEY in st.session_state


def answered() -> bool:
    """True once the session has answers: the assessment ran, or a scenario was opened."""
    return bool(st.session_state.get(ANSWERED_KEY))


def current() -> Scenario | None:
    """The session's scenario once it has answers (:func:`answered`), else None."""
    return scenario() if answered() else None


def update(**parts: Any) -> Scenario:
    """Put already-validated, typed parts into the session's scenario (no re-validation).

    ``parts`` are Scenario fields (``answers=Answers(…)``, ``sizing=SizingInputs(…)``,
    ``spreads=…``, ``name=…``).  Only parts that differ from the scenario's are copied in,
    so an unchanged rerun leaves the same object in place.
    """
    s = scenario()
    changed = {k: v for k, v in parts.items() if getattr(s, k) != v}
    if changed or KEY not in st.session_state:
        s = s.model_copy(update=changed)
        st.session_state[KEY] = s
    return s


def set_answers(answers: Answers, name: str) -> Scenario | None:
    """The assessment's answers and the scenario's name (marks the session as answered).

    Returns the session's scenario, or None while it is still the default one and no scenario
    object has been built (:func:`held`)."""
    st.session_state[ANSWERED_KEY] = True
    if not held() and not name and answers == _default_answers():
        return None
    return update(answers=answers, name=name)


_DEFAULTS: list[Answers] = []


def _default_answers() -> Answers:
    if not _DEFAULTS:
        from calculator.risk import Answers

        _DEFAULTS.append(Answers())
    return _DEFAULTS[0]


WARM_UP_DELAY_S = 1.0
"""The scenario model's modules are imported this long after a session's first page."""


@st.cache_resource(show_spinner=False)
def warm_up_later() -> threading.Timer:
    """Once per server process, in the background after the first page has been drawn: import
    :mod:`calculator.scenario` (and with it the what-if engines), so the first change a user
    makes does not wait for them."""

    def warm() -> None:
        import calculator.scenario  # noqa: F401

    timer = threading.Timer(WARM_UP_DELAY_S, warm)
    timer.daemon = True
    timer.start()
    return timer


def add_bench_result(result: BenchResult) -> Scenario:
    """Append a (typed, validated once where the subprocess line was read) benchmark run;
    the oldest runs are dropped past :data:`calculator.scenario.MAX_BENCH_RESULTS`."""
    from calculator.scenario import MAX_BENCH_RESULTS

    runs = (*scenario().bench_results, result)[-MAX_BENCH_RESULTS:]
    return update(bench_results=runs)


def seed(new: Scenario) -> None:
    """Make ``new`` the session's scenario; every page's widgets re-seed from it."""
    prefixes = tuple(p for group in WIDGET_PREFIXES.values() for p in group)
    drop_keys(k for k in st.session_state if isinstance(k, str) and k.startswith(prefixes))
    st.session_state[KEY] = new
    st.session_state[ANSWERED_KEY] = True
    st.session_state.pop(SEEDED_KEY, None)


def drop_keys(keys: Iterable[str]) -> None:
    for key in list(keys):
        del st.session_state[key]


# --------------------------------------------------------------------------- what-if pages


def seed_widgets(page: str, marker: str, widget_state: Callable[[Scenario], dict[str, Any]]):
    """Seed a what-if page's widgets from the session's scenario when they are absent.

    ``marker`` is a widget key the page always renders: when it is missing (a fresh session
    restored from a link, or a scenario just opened, which dropped the page's keys) and the
    scenario carries the page's inputs, ``widget_state(scenario)`` — the page's inverse
    mapping, inputs → widget values — is written into the session before the widgets are
    drawn.  Returns the inputs seeded from (None when nothing was seeded).
    """
    if marker in st.session_state:
        return None
    s = st.session_state.get(KEY)
    inputs = None if s is None else getattr(s, page)
    if inputs is None:
        return None
    values = widget_state(s)
    if "gpu_catalogue" in values:  # both editors start again from the seeded catalogue
        drop_keys(k for k in st.session_state if isinstance(k, str) and k.startswith(GPU_EDITORS))
    st.session_state.update(values)
    seeded = dict(st.session_state.get(SEEDED_KEY) or {})
    seeded[page] = (inputs, getattr(s.spreads, page), None)
    st.session_state[SEEDED_KEY] = seeded
    return inputs


def publish(page: str, inputs: BaseModel, spreads: dict[str, float]) -> str | None:
    """Write a what-if page's validated inputs and spreads into the session's scenario.

    Returns a sentence when the page was just seeded from a scenario whose inputs its widgets
    cannot show exactly (a value outside a widget's range, a field the page does not offer):
    the page shows it until the user changes an input, so nothing changes silently.
    """
    s = scenario()
    parts: dict[str, Any] = {page: inputs}
    if getattr(s.spreads, page) != spreads:
        parts["spreads"] = s.spreads.model_copy(update={page: dict(spreads)})
    update(**parts)
    return _seed_note(page, inputs, spreads)


def _seed_note(page: str, inputs: BaseModel, spreads: dict[str, float]) -> str | None:
    seeded = st.session_state.get(SEEDED_KEY) or {}
    if page not in seeded:
        return None
    wanted, wanted_spreads, shown = seeded[page]
    now = (inputs, dict(spreads))
    if (wanted, wanted_spreads) == now or (shown is not None and shown != now):
        seeded = {k: v for k, v in seeded.items() if k != page}  # exact, or edited since
        st.session_state[SEEDED_KEY] = seeded
        return None
    if shown is None:
        st.session_state[SEEDED_KEY] = {**seeded, page: (wanted, wanted_spreads, now)}
    return differences_sentence(wanted, inputs, wanted_spreads, dict(spreads))


def _show(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k} {_show(v)}" for k, v in value.items()) or "none"
    return str(value)


def differences(wanted: BaseModel, shown: BaseModel, prefix: str = "") -> list[str]:
    """``"label: wanted → shown"`` for every field (nested models walked) that differs."""
    from pydantic import BaseModel as PydanticModel

    from calculator.uncertainty import field_label

    out = []
    for name, info in type(wanted).model_fields.items():
        a, b = getattr(wanted, name), getattr(shown, name)
        if a == b:
            continue
        label = field_label(info, name)
        if isinstance(a, PydanticModel) and type(a) is type(b):
            out += differences(a, b, f"{prefix}{label} · ")
            continue
        if (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(
                isinstance(x, PydanticModel) and type(x) is type(y)
                for x, y in zip(a, b, strict=True)
            )
        ):  # e.g. the mitigation's actions: name the item by its id
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                out += differences(x, y, f"{prefix}{label} {getattr(x, 'id', i + 1)} · ")
            continue
        if isinstance(a, PydanticModel) or isinstance(b, PydanticModel):
            a = "given" if a is not None else None
            b = "given" if b is not None else None
        out.append(f"{prefix}{label}: {_show(a)} → {_show(b)}")
    return out


def differences_sentence(
    wanted: BaseModel, shown: BaseModel, wanted_spreads: dict, shown_spreads: dict
) -> str:
    parts = differences(wanted, shown)
    if wanted_spreads != shown_spreads:
        parts.append(
            f"± spreads: {_show(wanted_spreads)} → {_show(shown_spreads)} (one spread for all "
            "marked inputs, 5–90 % in steps of 5)"
        )
    return (
        "The opened scenario has values this page's widgets cannot show, so the page uses the "
        "nearest it can (scenario → shown): " + "; ".join(parts) + "."
    )
