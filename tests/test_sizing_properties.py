"""Properties of the sizing what-if over its whole input space (issue 11, item 4a).

Honest waste: bounded and finite everywhere; never measured against a run that needs more
tokens than are usable; never reported for a fine-tune.  The strategy draws inputs the way a
user could set them on the page or in a JSON file (log-uniform sizes inside the fields' bounds).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculator import sizing
from calculator.sizing import FITS, SizingInputs, evaluate_sizing


def log_uniform(lo_exp: float, hi_exp: float) -> st.SearchStrategy[float]:
    """10**u for u uniform in [lo_exp, hi_exp]: sizes spread over the decades."""
    return st.floats(lo_exp, hi_exp, allow_nan=False).map(lambda u: 10.0**u)


@st.composite
def sizing_inputs(draw: st.DrawFn, purpose: str | None = None) -> SizingInputs:
    """Valid :class:`SizingInputs` with a proposal (from scratch or a fine-tune)."""
    dataset = draw(st.none() | log_uniform(6, 13))
    tokens = draw(st.none() | log_uniform(6, 13)) if dataset is not None else None
    if dataset is None:
        tokens = draw(log_uniform(6, 13))
    mode = draw(st.sampled_from(["flops", "gpus", "none"]))
    return SizingInputs(
        fit=draw(st.sampled_from(list(FITS))),
        purpose=purpose or draw(st.sampled_from(["pretrain", "finetune"])),
        dataset_tokens=dataset,
        usable_fraction=draw(st.floats(0.05, 1.0)),
        epochs=draw(st.floats(1.0, 8.0)),
        compute_mode=mode,
        compute_flops=draw(log_uniform(15, 27)) if mode == "flops" else None,
        gpu_count=draw(st.integers(1, 4096)),
        hours=draw(st.floats(1.0, 5000.0)),
        proposal_params=draw(log_uniform(6, 12)),
        proposal_tokens=tokens,
    )


@given(inp=sizing_inputs(purpose="pretrain"))
def test_waste_is_finite_and_in_unit_interval(inp):
    w = evaluate_sizing(inp).waste
    for share in (w.wasted_share, w.unconstrained_share):
        assert math.isfinite(share)
        assert 0 <= share <= 1
    assert math.isfinite(w.wasted_usd)
    assert 0 <= w.wasted_usd <= evaluate_sizing(inp).proposal.cost_usd * (1 + 1e-9)


@given(inp=sizing_inputs(purpose="pretrain"))
def test_no_reported_counterfactual_needs_more_tokens_than_usable(inp):
    r = evaluate_sizing(inp)
    usable = r.usable_tokens
    if usable is None:
        return
    for run in (r.counterfactual, r.data_alternative and r.data_alternative.model):
        if run is not None and run is not r.proposal:  # the proposal is the team's own run
            assert run.tokens <= usable * (1 + 1e-9)
    # the equal-loss optimum may need more, but then it is flagged and not counted as waste
    assert r.waste.equal_loss_exceeds_data == (r.equal_loss_optimum.tokens > usable * (1 + 1e-9))
    if r.waste.equal_loss_exceeds_data:
        assert any("tokens" in text for text in sizing.notes_for(r, "waste"))
        if r.counterfactual is not None:
            # waste against the feasible run never exceeds the infeasible comparison's saving
            assert r.waste.wasted_share <= r.waste.unconstrained_share + 1e-9


@given(inp=sizing_inputs(purpose="pretrain"))
def test_counterfactual_reaches_the_proposals_loss_for_no_more_compute(inp):
    r = evaluate_sizing(inp)
    cf, p = r.counterfactual, r.proposal
    if cf is None or FITS[inp.fit].kind == "ratio":
        return
    assert cf.loss == pytest.approx(p.loss, rel=1e-6)
    if r.usable_tokens is None or p.tokens <= r.usable_tokens * (1 + 1e-9):
        # the proposal is itself feasible, so the cheapest feasible run costs no more
        assert cf.compute_flops <= p.compute_flops * (1 + 1e-6)


@given(inp=sizing_inputs(purpose="finetune"))
def test_fine_tune_never_reports_from_scratch_waste(inp):
    r = evaluate_sizing(inp)
    assert r.verdict == "fine-tune"
    assert r.waste is None
    assert r.equal_loss_optimum is None
    assert r.counterfactual is None
    assert r.data_alternative is None
    assert r.proposal.loss is None
    figures = dict(sizing.key_figures(r))
    assert figures["Compute wasted"] == "does not apply to a fine-tune"
    assert any("does not apply to a fine-tune" in text for text in r.warnings)


@given(inp=sizing_inputs())
def test_every_warning_is_in_key_figures_next_to_a_figure(inp):
    r = evaluate_sizing(inp)
    assert r.warnings == tuple(n.text for n in r.notes)
    rows = sizing.key_figures(r)
    notes = [value for label, value in rows if label == "Note"]
    assert sorted(notes) == sorted(r.warnings)
    if rows and rows[0][0] == "Note":
        raise AssertionError("a note must follow the figure it qualifies")
    for text in r.warnings:
        assert text.endswith(".")
        assert "_" not in text  # no internal identifiers in a sentence a person reads


@st.composite
def marked_spreads(draw: st.DrawFn) -> tuple[SizingInputs, dict[str, float]]:
    """A scenario and up to four of its inputs marked with a ± spread (0–100 %)."""
    inp = draw(sizing_inputs())
    paths = draw(st.lists(st.sampled_from(sizing.spreadable_paths(inp)), unique=True, max_size=4))
    return inp, {p: draw(st.floats(0.0, 1.0)) for p in paths}


@given(case=marked_spreads())
def test_ranges_are_finite_ordered_and_keep_the_point(case):
    # issue 12: every headline's range is finite, P10 ≤ P50 ≤ P90, and its point is the
    # headline evaluate_sizing reports; the CLI's JSON of them is finite (allow_nan=False)
    import json

    from calculator.cli.sizing import ranges_json

    inp, spreads = case
    u = sizing.sizing_uncertainty(inp, spreads, n=200)
    r = evaluate_sizing(inp)
    points = {
        "proposal_usd": r.proposal and r.proposal.cost_usd,
        "proposal_days": r.proposal and r.proposal.days,
        "recommended_usd": r.recommended and r.recommended.cost_usd,
        "wasted_usd": r.waste and r.waste.wasted_usd,
        "wasted_share": r.waste and r.waste.wasted_share,
    }
    for key, value in points.items():
        got = getattr(u, key)
        assert (got is None) == (value is None), key
        if got is not None:
            assert got.point == value, key
            assert all(math.isfinite(x) for x in (got.p10, got.p50, got.p90)), key
            assert got.p10 <= got.p50 <= got.p90, key
    if u.wasted_share is not None:
        assert 0 <= u.wasted_share.p10
        assert u.wasted_share.p90 <= 1
    for bar in u.tornado:
        assert math.isfinite(bar.low)
        assert math.isfinite(bar.high)
    json.dumps(ranges_json(u), allow_nan=False)
    assert u.basis.startswith("How sure: from formulas only")
