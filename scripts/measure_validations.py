"""Count how often one assessment answer is validated between its widget and the score, the
mitigation plan and the share link (issue 13: "validated once, where it enters").

Runs the whole app in AppTest and wraps the pydantic validator of every model in
``calculator`` and ``bench`` so that each ``Model(...)``, ``model_validate`` and
``model_validate_json`` is counted.  Three steps, each from a warm session:

1. *assessment*: the cache hit rate (Inference tab) is set to a value not seen before and the
   page reruns — widget → Answers → session → cache key → assess (cache miss) → link;
2. *mitigation*: the Mitigation ROI page opened with those answers (starting point from the
   assessment → mitigation inputs);
3. *scenarios*: the Saved scenarios page opened (the session's scenario, as the library
   would save it).

A validation "of the answer" is one of a model that carries it: :class:`Answers` (and its
section :class:`InferenceAnswers` on its own) or :class:`Scenario`.  Empty defaults
(``Answers()``, which the engine builds to compare against) and models built *from* the
answers (mitigation inputs, whose costs are computed from them) are listed separately.
AppTest reruns only the page script after its first run, so ``app.py``'s share link is
not in these steps: it packs the scenario (:func:`calculator.scenario.to_link`, no
validation) both before and after issue 13.

Usage: ``.venv/bin/python scripts/measure_validations.py`` (run it in the tree to measure).
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import calculator.mitigation  # noqa: E402, F401  (models to wrap)
import calculator.risk  # noqa: E402, F401

try:
    import calculator.scenario  # noqa: F401
except ImportError:  # pragma: no cover - older trees
    pass

CARRIES_ANSWER = ("Answers", "InferenceAnswers", "Scenario", "SavedScenario")
DERIVED = ("MitigationInputs",)
KEY = "w.assess.inference.cache_hit_rate"
COUNTS: collections.Counter[str] = collections.Counter()


class _Counting:
    """A pydantic-core validator that counts its calls (every other attribute forwarded).

    A call with empty input (``Answers()``: a default built to compare against) is counted
    apart, under ``"<name> (default)"``: it validates no answer of the user's."""

    def __init__(self, name: str, inner: Any) -> None:
        self._name, self._inner = name, inner

    def _count(self, data: Any) -> None:
        COUNTS[self._name if data else f"{self._name} (default)"] += 1

    def validate_python(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        self._count(data)
        return self._inner.validate_python(data, *args, **kwargs)

    def validate_json(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        self._count(data)
        return self._inner.validate_json(data, *args, **kwargs)

    def validate_strings(self, data: Any, *args: Any, **kwargs: Any) -> Any:
        self._count(data)
        return self._inner.validate_strings(data, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _models(cls: type = BaseModel) -> list[type[BaseModel]]:
    out = []
    for sub in cls.__subclasses__():
        if sub.__module__.startswith(("calculator", "bench")):
            out.append(sub)
        out += _models(sub)
    return out


def wrap() -> None:
    for model in set(_models()):
        if "__pydantic_validator__" in model.__dict__:
            model.__pydantic_validator__ = _Counting(model.__name__, model.__pydantic_validator__)


def step(label: str, action) -> None:
    COUNTS.clear()
    action()
    carried = {k: v for k, v in COUNTS.items() if k in CARRIES_ANSWER}
    defaults = {k: v for k, v in COUNTS.items() if k.removesuffix(" (default)") in CARRIES_ANSWER}
    defaults = {k: v for k, v in defaults.items() if k not in carried}
    derived = {k: v for k, v in COUNTS.items() if k.removesuffix(" (default)") in DERIVED}
    print(
        f"{label}: {sum(carried.values())} validation(s) of a model carrying the answer "
        f"{dict(sorted(carried.items()))}; empty defaults built: {dict(sorted(defaults.items()))}; "
        f"models built from the answers: {dict(sorted(derived.items()))}"
    )


def main() -> None:
    wrap()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.number_input(key=KEY).set_value(0.21)
    at.run()  # warm: the session holds answers, the page's caches are filled
    assert not at.exception, at.exception

    def assessment() -> None:
        at.number_input(key=KEY).set_value(0.37)
        at.run()
        assert not at.exception, at.exception

    def page(path: str):
        def go() -> None:
            at.switch_page(path)
            at.run()
            assert not at.exception, at.exception

        return go

    step("1 assessment rerun (one answer changed)", assessment)
    step("2 mitigation page, starting point from the assessment", page("pages/mitigation.py"))
    step("3 saved-scenarios page", page("pages/scenarios.py"))


if __name__ == "__main__":
    main()
