"""One typed Scenario in the session (issue 13), through AppTest.

The identity every what-if page must keep: a scenario whose page inputs are *not* the
defaults (several fields changed, enumerations and nested fields among them) → seed the
session (a link opened in a fresh session, or "Open" on the Saved scenarios page while the
page's widgets hold other values) → run the page → the inputs and spreads the page publishes
equal the scenario's exactly.  Oracle: the scenario itself (identity), and the page's own
inverse mapping (``ui.<page>_state.widget_state``) for what the widgets then hold.
Green Money's round trip lives in ``tests/test_page_benchmark.py`` (it needs the stubbed
benchmark engine).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from calculator import finetune as ft
from calculator import mitigation as mt
from calculator import risk
from calculator.common import ComponentCosts
from calculator.finetune import Architecture, FinetuneInputs
from calculator.library import Library
from calculator.scenario import Scenario, WhatIfSpreads, to_link
from calculator.sizing import SizingInputs
from tests.conftest import APP
from ui.gpu_catalogue import default_rows, validate_rows
from ui.widgets import spread_state

SIZING = SizingInputs(
    fit="rule20",  # an enumeration
    purpose="pretrain",
    dataset_tokens=2.3e9,  # between the log slider's steps: kept exactly
    usable_fraction=0.35,  # between the slider's 0.05 steps: kept exactly
    epochs=2.0,
    compute_mode="flops",
    compute_flops=3.3e22,
    gpu_name="H100 80GB",
    gpu_peak_tflops=989.0,  # the shipped H100's bf16 peak (calculator/data/gpus.json)
    gpu_usd_per_hour=3.1,  # edited: the catalogue row follows it
    gpu_count=16,
    hours=336.0,  # the page's value outside GPU-cluster mode (the field's default)
    availability=0.6,
    mfu=0.33,
    proposal_params=1.3e9,
    proposal_tokens=5e10,
)
H100_EDITED = validate_rows(
    [{**r, "usd_per_hour": 3.3} for r in default_rows() if r["name"] == "H100 80GB"]
)[0][0]
"""The GPU as the page builds it from an edited catalogue row (a nested model)."""
FINETUNE = FinetuneInputs(
    model="custom",
    architecture=Architecture(
        layers=24,
        hidden=2048,
        intermediate=5504,
        heads=16,
        kv_heads=4,
        vocab=32000,
        tied_embeddings=True,
        gated_mlp=True,
        qkv_bias=True,
    ),
    method="full",
    rank=16,
    targets=("q_proj", "k_proj", "v_proj", "o_proj"),
    precision="fp16-mixed",
    optimizer="adamw-8bit",
    micro_batch=4,
    seq_len=4096,
    gradient_checkpointing=False,
    flash_attention=True,
    sharding="zero2",
    num_gpus=4,
    dataset_tokens=3.3e9,
    epochs=2.5,
    gpu="H100 80GB",
    gpu_spec=H100_EDITED,
    mfu=0.37,
    qlora_slowdown=1.5,
    overhead_gb=3.0,
    gradient_accumulation=8,
    bandwidth_efficiency=0.6,
    comm_overlap=0.3,
)
_ACTIONS = tuple(
    mt.ActionSpec.model_validate(
        a.model_dump() | ({"reduction_high": 0.55, "phase": 2} if a.id == "enable_caching" else {})
    )
    for a in mt.DEFAULT_ACTIONS
)
MITIGATION = mt.MitigationInputs(
    current_monthly_cost=ComponentCosts(
        inference=12_000.0, storage=3_000.0, training=5_000.0, operations=9_000.0
    ),
    projected_monthly_cost=ComponentCosts(
        inference=60_000.0, storage=9_000.0, training=40_000.0, operations=70_000.0
    ),
    growth_horizon_months=18,
    stage="design",
    horizon_months=48,
    discount_rate_annual=0.07,
    after_growth="continue",
    loaded_cost_per_fte_usd=150_000.0,
    actions=_ACTIONS,  # nested: one action's reduction range and phase edited
    selected=("enable_caching", "quantization", "distillation"),
    not_applicable={"pruning": "We never prune production models."},
)
SPREADS = WhatIfSpreads(
    sizing={"mfu": 0.2, "dataset_tokens": 0.2},
    finetune={"seq_len": 0.45, "rank": 0.45},
    mitigation={"discount_rate_annual": 0.15, "projected_monthly_cost.operations": 0.15},
)
SCENARIO = Scenario(
    name="Round trip",
    answers=risk.Answers.model_validate({"inference": {"cache_hit_rate": 0.6}, "stage": "pilot"}),
    sizing=SIZING,
    finetune=FINETUNE,
    mitigation=MITIGATION,
    spreads=SPREADS,
)
PAGES = {"sizing": "pages/sizing.py", "finetune": "pages/finetune.py"} | {
    "mitigation": "pages/mitigation.py"
}


@pytest.mark.parametrize(
    ("inputs", "default"),
    [(SIZING, SizingInputs()), (FINETUNE, FinetuneInputs()), (MITIGATION, mt.MitigationInputs())],
)
def test_the_scenario_differs_from_every_page_default(inputs, default):
    # the identity below would be trivial with default inputs: many fields differ
    from ui.session import differences

    assert len(differences(inputs, default)) >= 9


def test_the_scenario_has_nested_fields_changed():
    assert FINETUNE.architecture is not None  # a custom architecture (nested model)
    assert FINETUNE.gpu_spec.usd_per_hour != default_rows()[2]["usd_per_hour"]  # edited GPU
    assert MITIGATION.actions[0] != mt.DEFAULT_ACTIONS[0]  # an edited action


def opened_from_link(scenario: Scenario, page: str) -> AppTest:
    """A fresh session (a reload, a shared link) on ``?s=<scenario>``, then ``page``."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params["s"] = to_link(scenario)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def published(at: AppTest, page: str):
    s = at.session_state["scenario"]
    return getattr(s, page), getattr(s.spreads, page)


@pytest.mark.parametrize("page", list(PAGES))
def test_a_link_restores_every_input_and_spread_exactly(page):
    at = opened_from_link(SCENARIO, PAGES[page])
    assert published(at, page) == (getattr(SCENARIO, page), getattr(SPREADS, page))
    assert not [i.value for i in at.info if "cannot show" in i.value]  # nothing was changed


@pytest.fixture
def library(tmp_path, monkeypatch):
    path = tmp_path / "scalerisk.sqlite3"
    monkeypatch.setenv("SCALERISK_HISTORY", str(path))
    return Library(path)


def open_from_library(at: AppTest, name: str) -> None:
    at.switch_page("pages/scenarios.py").run()
    at.selectbox(key="w.scenarios.pick").set_value(name)
    at.button(key="scenarios.open").click().run()
    assert not at.exception, at.exception


@pytest.mark.parametrize(
    ("page", "widget", "value"),
    [
        ("sizing", "w.sizing.gpu_count", 2),
        ("finetune", "w.finetune.micro_batch", 2),
        ("mitigation", "w.mitigation.horizon_months", 20),
    ],
)
def test_opening_a_saved_scenario_reseeds_a_page_already_visited(
    app_test, library, page, widget, value
):
    at = app_test(PAGES[page])
    at.number_input(key=widget).set_value(value).run()  # the page's widgets hold other values
    assert getattr(at.session_state["scenario"], page) != getattr(SCENARIO, page)
    library.save(SCENARIO)
    open_from_library(at, SCENARIO.name)
    at.switch_page(PAGES[page]).run()
    assert not at.exception
    assert published(at, page) == (getattr(SCENARIO, page), getattr(SPREADS, page))
    assert at.session_state["scenario"] == SCENARIO  # the whole scenario, as saved


def test_mitigation_starting_from_the_assessment_round_trips():
    answers = SCENARIO.answers
    base = risk.mitigation_inputs(answers)  # the engine's starting point for these answers
    inputs = mt.MitigationInputs.model_validate(
        base.model_dump()
        | {
            "stage": "production",
            "discount_rate_annual": 0.12,
            "selected": [a.id for a in base.applicable][:4],
        }
    )
    scenario = SCENARIO.model_copy(update={"mitigation": inputs})
    at = opened_from_link(scenario, PAGES["mitigation"])
    assert at.radio(key="w.mitigation.source").value == "From the risk assessment"
    assert published(at, "mitigation") == (inputs, SPREADS.mitigation)


def test_values_the_widgets_cannot_show_are_said_not_silently_changed():
    # MFU 0.01 is below the slider's 0.05; a 33 % and a 20 % spread cannot share one slider
    wanted = SIZING.model_copy(update={"mfu": 0.01})
    spreads = SPREADS.model_copy(update={"sizing": {"mfu": 0.33, "dataset_tokens": 0.2}})
    at = opened_from_link(
        SCENARIO.model_copy(update={"sizing": wanted, "spreads": spreads}), PAGES["sizing"]
    )
    inputs, shown_spreads = published(at, "sizing")
    assert inputs == wanted.model_copy(update={"mfu": 0.05})  # clamped into the widget's range
    assert shown_spreads == {"mfu": 0.33, "dataset_tokens": 0.33}  # the largest, for both
    (note,) = [i.value for i in at.info if "cannot show" in i.value]
    assert "Achieved utilisation (MFU): 0.01 → 0.05" in note
    assert "± spreads" in note
    at.run()  # still shown on the next rerun ...
    assert any("cannot show" in i.value for i in at.info)
    at.number_input(key="w.sizing.gpu_count").set_value(4).run()  # ... until an input changes
    assert not any("cannot show" in i.value for i in at.info)


def test_a_field_the_page_does_not_offer_is_said():
    wanted = FINETUNE.model_copy(update={"usd_per_hour": 9.0})  # the page prices from the GPU
    at = opened_from_link(SCENARIO.model_copy(update={"finetune": wanted}), PAGES["finetune"])
    assert published(at, "finetune")[0] == FINETUNE
    (note,) = [i.value for i in at.info if "cannot show" in i.value]
    assert "GPU price: 9 → empty" in note


def test_a_damaged_link_is_a_message_and_the_page_still_works():
    at = AppTest.from_file(str(APP), default_timeout=30)
    damaged = to_link(SCENARIO)[:-12] + "AAAAAAAAAAAA"
    at.query_params["s"] = damaged
    at.run()
    assert not at.exception
    assert any("could not be opened" in w.value for w in at.warning)
    assert "scenario" not in at.session_state  # the defaults (ui.session.held: not built yet)
    assert at.query_params["s"] in (damaged, [damaged])  # kept while nothing is changed


def test_an_unreadable_library_row_is_said_and_kept(app_test, library):
    import sqlite3

    library.save(SCENARIO)
    with sqlite3.connect(library.path) as conn:
        conn.execute("UPDATE scenarios SET scenario_json = ?", ('{"version": 1, "x": 1}',))
    at = app_test("pages/scenarios.py")
    assert not at.exception
    assert any("cannot be read" in w.value and SCENARIO.name in w.value for w in at.warning)
    assert library.unreadable() == [SCENARIO.name]  # still in the file


def test_one_validation_per_answer_on_the_way_to_the_score(app_test, monkeypatch):
    """Widget → Answers (validated) → session → cache key → assess → ranges: once
    (scripts/measure_validations.py counts 4 on the same rerun before issue 13)."""
    calls = []
    real = risk.Answers.__pydantic_validator__

    class Counting:
        def __getattr__(self, name):
            attr = getattr(real, name)
            if not name.startswith("validate_"):
                return attr

            def counted(data, *args, **kwargs):
                calls.append(bool(data))  # False: an empty Answers() default, no user answer
                return attr(data, *args, **kwargs)

            return counted

    at = app_test()
    monkeypatch.setattr(risk.Answers, "__pydantic_validator__", Counting())
    at.number_input(key="w.assess.inference.cache_hit_rate").set_value(0.42).run()
    assert not at.exception
    assert at.session_state["scenario"].answers.inference.cache_hit_rate == 0.42
    assert calls.count(True) == 1  # the widgets' values, validated once
    # (the engine also builds one empty Answers() to compare against:
    # calculator.risk.assess_ranges → changed_paths(a, Answers()))


# --------------------------------------------------------------------------- hypothesis

_SIZING_PATHS = ("dataset_tokens", "usable_fraction", "epochs", "gpu_count", "mfu")


@settings(max_examples=200, deadline=None)
@given(
    hs.lists(hs.sampled_from(_SIZING_PATHS), unique=True),
    hs.integers(1, 18).map(lambda k: 5 * k),
)
def test_spread_state_inverts_the_spread_picker(paths, size):
    """The picker publishes {path: size / 100} (ui.widgets.spread_picker); its inverse gives
    back the widget values that publish the same spreads."""
    spreads = {p: size / 100 for p in paths}
    state = spread_state("p", "s", spreads)
    assert {p: state["s"] / 100 for p in state["p"]} == spreads


@settings(max_examples=6, deadline=None)
@given(
    fit=hs.sampled_from(["besiroglu2024", "hoffmann2022", "rule20"]),
    mode=hs.sampled_from(["gpus", "flops", "none"]),
    tokens=hs.floats(1e6, 1e14).map(lambda x: float(f"{x:.3g}")),
    mfu=hs.integers(5, 100).map(lambda k: k / 100),
    gpus=hs.integers(1, 4096),
)
def test_sizing_round_trip_over_many_inputs(fit, mode, tokens, mfu, gpus):
    inputs = SizingInputs.model_validate(
        SIZING.model_dump()
        | {
            "fit": fit,
            "compute_mode": mode,
            "compute_flops": 3.3e22 if mode == "flops" else None,
            "dataset_tokens": tokens,
            "mfu": mfu,
            "gpu_count": gpus,
        }
    )
    at = opened_from_link(SCENARIO.model_copy(update={"sizing": inputs}), PAGES["sizing"])
    assert published(at, "sizing")[0] == inputs


def test_finetune_presets_are_matched_by_name(app_test):
    inputs = FinetuneInputs(model="llama-2-13b")  # the CLI accepts any case
    at = opened_from_link(SCENARIO.model_copy(update={"finetune": inputs}), PAGES["finetune"])
    assert at.selectbox(key="w.finetune.model").value == ft.get_preset("llama-2-13b").name


def test_a_spread_beyond_the_slider_opens_without_an_error():
    # ±100 % is a valid spread (calculator.uncertainty.Spreads: 0–1), the slider stops at 90 %
    answers = SCENARIO.answers.model_copy(update={"spreads": {"growth.users_multiple": 1.0}})
    spreads = SPREADS.model_copy(update={"sizing": {"mfu": 1.0}})
    scenario = SCENARIO.model_copy(update={"answers": answers, "spreads": spreads})
    at = opened_from_link(scenario, PAGES["sizing"])  # the assessment ran first, then sizing
    assert published(at, "sizing")[1] == {"mfu": 0.9}
    assert any("± spreads: mfu 1 → mfu 0.9" in i.value for i in at.info)
    at.switch_page("pages/assessment.py").run()
    assert not at.exception
    assert at.slider(key="w.assess.spreads.size").value == 90
