"""One Scenario (issue 13): file, link and library round trips, old answers files, diff gates.

Oracles: identity (a round trip returns the same frozen model), the engines themselves for the
diff (its figures are ``assess`` on each side), and hand-made files in the old layout.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import scenario as sc
from calculator.cli import main
from calculator.diff import diff
from calculator.errors import InputError
from calculator.finetune import FinetuneInputs
from calculator.greenmoney import GreenMoneyInputs
from calculator.library import Library
from calculator.presets import PRESETS
from calculator.risk import assess
from calculator.sizing import SizingInputs
from tests.strategies import answers

SEED6 = PRESETS["Seed 001 §6 recommendation system"]


def _page_spreads(page: str) -> st.SearchStrategy[dict[str, float]]:
    """Spreads a what-if page may carry: its engine's spreadable paths, 0–1 fractions."""
    return st.dictionaries(
        st.sampled_from(sc.SPREADABLE[page]), st.floats(0, 1, allow_nan=False), max_size=4
    )


@st.composite
def scenarios(draw: st.DrawFn) -> sc.Scenario:
    return sc.Scenario(
        spreads=sc.WhatIfSpreads(**{page: draw(_page_spreads(page)) for page in sc.SPREADABLE}),
        name=draw(st.text(max_size=40)),
        answers=draw(answers()).model_copy(update={"scenario_name": "", "what_if": {}}),
        sizing=draw(st.none() | st.just(SizingInputs())),
        finetune=draw(
            st.none()
            | st.builds(FinetuneInputs, model=st.sampled_from(["Llama-2-7B", "Llama-2-70B"]))
        ),
        green_money=draw(
            st.none() | st.builds(GreenMoneyInputs, iterations_per_sprint=st.integers(0, 500))
        ),
    )


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_file_and_link_round_trips_are_identities(s):
    assert sc.parse_scenario(json.loads(sc.to_json(s))) == s
    assert sc.from_link(sc.to_link(s)) == s


@settings(max_examples=25, deadline=None)
@given(scenarios())
def test_library_round_trip_is_an_identity(tmp_path_factory, s):
    lib = Library(tmp_path_factory.mktemp("lib") / "scalerisk.sqlite3")
    saved = lib.save(s, name="x")
    assert saved.scenario == s.model_copy(update={"name": "x"})


def test_old_answers_files_keep_loading():
    # every preset file and the what_if layout the app has written since issue 2
    for preset in PRESETS.values():
        s = sc.parse_scenario(json.loads(preset.model_dump_json()))
        assert s.name == preset.scenario_name
        assert assess(s.answers).score == assess(preset).score
    old = {"scenario_name": "Q3", "what_if": {"sizing": {}, "finetune": {"model": "Llama-2-70B"}}}
    s = sc.parse_scenario(old)
    assert s.sizing == SizingInputs()
    assert s.finetune.model == "Llama-2-70B"
    assert s.as_answers_file().what_if == {
        "sizing": SizingInputs().model_dump(mode="json"),
        "finetune": s.finetune.model_dump(mode="json"),
    }


def test_files_from_before_what_if_spreads_load_without_them():
    # a scenario file written before issue 13 added `spreads`: the defaults, no spreads
    s = sc.parse_scenario({"version": 1, "name": "old", "sizing": {}})
    assert s.spreads == sc.WhatIfSpreads()
    assert s.sizing == SizingInputs()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 1, "spreads": {"sizing": {"fit": 0.3}}}, "fit cannot carry a spread"),
        ({"version": 1, "spreads": {"mitigation": {"stage": 0.3}}}, "stage cannot carry"),
        ({"version": 1, "spreads": {"finetune": {"mfu": 1.5}}}, "between 0 and 1"),
        ({"version": 1, "spreads": {"nope": {}}}, "spreads.nope"),
        ({"what_if": {"nope": {}}}, "unknown page 'nope'"),
        ({"what_if": {"sizing": {"gpu_count": -1}}}, "what_if.sizing"),
        ({"version": 1, "answers": {"growth": {"users_multiple": 0}}}, "users_multiple"),
        ([], "JSON object"),
    ],
)
def test_bad_scenarios_name_the_field(data, message):
    with pytest.raises(InputError, match=message):
        sc.parse_scenario(data)


@pytest.mark.parametrize("link", ["", "abc", "!!!!", "eJwLycgsVgCi4tLkkuISBRsFAA"])
def test_a_damaged_link_is_one_clear_error(link):
    with pytest.raises(InputError):
        sc.from_link(link)


def test_a_link_that_inflates_to_megabytes_is_refused():
    import base64
    import zlib

    bomb = base64.urlsafe_b64encode(zlib.compress(b" " * 5_000_000, 9)).decode()
    with pytest.raises(InputError, match="too large"):
        sc.from_link(bomb)


def test_library_rename_duplicate_delete(tmp_path):
    lib = Library(tmp_path / "db.sqlite3")
    lib.save(sc.from_answers(SEED6))
    assert [s.name for s in lib.list()] == [SEED6.scenario_name]
    lib.rename(SEED6.scenario_name, "Recsys")
    copy = lib.duplicate("Recsys")
    assert copy.name == "Recsys (copy)"
    assert copy.scenario.answers == lib.get("Recsys").scenario.answers
    lib.delete("Recsys")
    assert [s.name for s in Library(tmp_path / "db.sqlite3").list()] == ["Recsys (copy)"]  # restart
    with pytest.raises(InputError, match="no saved scenario"):
        lib.get("Recsys")
    with pytest.raises(InputError, match="name"):
        lib.save(sc.Scenario())


def test_library_shares_the_benchmark_history_file(tmp_path, monkeypatch):
    from bench.history import History

    monkeypatch.setenv("SCALERISK_HISTORY", str(tmp_path / "h.sqlite3"))
    assert Library().path == History().path


def test_diff_reports_the_engines_figures_and_trips_gates():
    base, new = sc.from_answers(PRESETS["Linear-scaling archetype"]), sc.from_answers(SEED6)
    d = diff(base, new, fail_if_score_rises=50, fail_if_cost_rises_pct=5000)
    assert d.score.base == assess(base.answers).score  # the same engine as the page
    assert d.score.new == assess(new.answers).score
    total36 = next(c for c in d.costs if c.label == "total in month 36")
    f = assess(new.answers).forecast.trajectories["base"]
    assert total36.new == pytest.approx(sum(f[c][36] for c in f))
    gates = {g.name.split(" (")[0]: g.tripped for g in d.gates}
    assert gates["score rise"] is True  # 5.3 → 57.6
    assert d.tripped


def test_diff_cli_exit_codes_and_markdown(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(PRESETS["Linear-scaling archetype"].model_dump_json())
    b.write_text(sc.to_json(sc.from_answers(SEED6)))
    assert main(["diff", str(a), str(a)]) == 0
    assert (
        main(["diff", str(a), str(b), "--fail-if-score-rises", "10", "--format", "markdown"]) == 1
    )
    out = capsys.readouterr().out
    assert "### ScaleRisk:" in out
    assert "| total in month 36 |" in out
    assert "❌ Gate score rise" in out
    a.write_text("[1, 2")
    assert main(["diff", str(a), str(b)]) == 2


def test_report_reads_the_scenario_format(tmp_path, capsys):
    from pypdf import PdfReader

    s = sc.from_answers(SEED6).model_copy(update={"sizing": SizingInputs()})
    f, out = tmp_path / "s.json", tmp_path / "s.pdf"
    f.write_text(sc.to_json(s))
    assert main(["report", str(f), "-o", str(out)]) == 0
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert SEED6.scenario_name in text
    assert "Compute-optimal sizing" in text
