"""``python -m calculator roi``: ranked actions and phases as JSON; clear errors, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator import mitigation as mt
from calculator.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["roi", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def answers_file(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text("{}")  # the assessment's default answers
    return path


def test_json_from_answers_ranked_by_roi(capsys, answers_file):
    from calculator import risk

    code, out, _ = run_cli(capsys, str(answers_file), "--json")
    assert code == 0
    data = json.loads(out)
    for a in data["actions"]:
        assert {
            "name",
            "phase",
            "investment_usd",
            "monthly_savings_usd",
            "payback_months",
            "roi",
        } <= set(a)
    rois = [a["roi"] for a in data["actions"]]
    assert rois == sorted(rois, reverse=True)
    # issue 11: the ROI horizon starts from the answers' growth horizon (12 months by default)
    assert data["phases"]
    assert data["plan"] is not None
    assert data["horizon_months"] == 12
    assert {x["id"] for x in data["excluded"]} == set(risk.not_applicable_actions(risk.Answers()))
    # oracle: the same numbers as the library called directly on the assessment's inputs
    answers = risk.Answers()
    expected = mt.evaluate_plan(risk.mitigation_inputs_from(answers, risk.assess(answers)))
    assert [a["id"] for a in data["actions"]] == [a.id for a in expected.actions]
    assert data["plan"]["roi"] == pytest.approx(expected.plan.roi)
    assert data["seed_headline"]["quoted_phase12"] == 8.2


def test_horizon_option(capsys, answers_file):
    code, out, _ = run_cli(
        capsys, str(answers_file), "--json", "--horizon-months", "12", "--discount-rate", "0"
    )
    data = json.loads(out)
    assert code == 0
    assert data["horizon_months"] == 12
    assert data["discount_rate_annual"] == 0
    for a in data["actions"]:
        assert a["roi"] == a["roi_12"]


def test_plan_file_hand_computed(capsys, tmp_path):
    # independent calculation: $4,000 in month 1, then 50% of $10,000 for 11 months
    # → ROI 12.75, payback 1.8
    plan = {
        "current_monthly_cost": {"inference": 10000},
        "projected_monthly_cost": {"inference": 10000},
        "horizon_months": 12,
        "actions": [
            {
                "id": "cache",
                "name": "Cache",
                "phase": 1,
                "components": ["inference"],
                "reduction_low": 0.5,
                "reduction_high": 0.5,
                "investment_low_usd": 4000,
                "investment_high_usd": 4000,
                "duration_weeks_low": 52 / 12,
                "duration_weeks_high": 52 / 12,
            }
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    code, out, _ = run_cli(capsys, str(path), "--plan", "--json")
    a = json.loads(out)["actions"][0]
    assert code == 0
    # no engineer count in the file: the phase's 0.5–1 FTE (base 0.75) for one month
    # (52/12 weeks) at the
    # default $180,000/year: 0.75 × 4.333 × 180,000 / 52 = $11,250 on top of the $4,000 cash
    assert (a["cash_usd"], a["engineering_usd"]) == (4000, pytest.approx(11_250))
    plan["actions"][0] |= {"engineers_low": 0, "engineers_high": 0}
    path.write_text(json.dumps(plan))
    code, out, _ = run_cli(capsys, str(path), "--plan", "--json")
    a = json.loads(out)["actions"][0]
    assert (a["investment_usd"], a["monthly_savings_usd"]) == (4000, pytest.approx(5000))
    assert a["roi"] == pytest.approx(12.75)
    assert a["payback_months"] == pytest.approx(1.8)
    assert a["roi_multiple"] == pytest.approx(13.75)


def test_text_table(capsys, answers_file):
    code, out, _ = run_cli(capsys, str(answers_file), "--horizon-months", "12")
    assert code == 0
    assert "ROI at 12 mo" in out
    assert "Phase 1: Quick wins" in out
    assert "USD" in out
    assert "×" in out
    assert "%" not in out.split("Not applicable")[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"stage": "later"}', "stage: Input should be 'design', 'pilot' or 'production'"),
    ],
)
def test_bad_answers_exit_2(capsys, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = run_cli(capsys, str(path))
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_bad_plan_and_missing_file(capsys, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"selected": ["nope"]}))
    code, _, err = run_cli(capsys, str(path), "--plan")
    assert code == 2
    assert "selected actions not found: nope" in err
    code, _, err = run_cli(capsys, str(tmp_path / "missing.json"))
    assert code == 2
    assert "file not found" in err


@pytest.mark.parametrize(
    "argv", [["--horizon-months", "0"], ["--horizon-months", "x"], ["--discount-rate", "5"]]
)
def test_bad_options_exit_2(capsys, answers_file, argv):
    with pytest.raises(SystemExit) as exc:
        main(["roi", str(answers_file), *argv])
    assert exc.value.code == 2


def test_module_entry_point(answers_file):
    proc = subprocess.run(
        [sys.executable, "-m", "calculator", "roi", str(answers_file), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["actions"][0]["phase"] == 1


# ─── ranges and what drives them (issue 12) ────────────────────────────────────────────


def _strict_json(text: str):
    def refuse(token):
        raise ValueError(f"non-finite number in the JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def test_json_carries_ranges_and_sensitivity(capsys, answers_file):
    from calculator import risk

    code, out, _ = run_cli(capsys, str(answers_file), "--json", "--samples", "500")
    assert code == 0
    data = _strict_json(out)  # finite JSON only
    r = data["ranges"]
    for key in ("npv_usd", "roi_multiple", "investment_usd", "savings_horizon_usd"):
        assert set(r[key]) == {"p10", "p50", "p90"}
        assert r[key]["p10"] <= r[key]["p50"] <= r[key]["p90"]
    assert set(r["payback_months"]) == {"p10", "p50", "p90", "never_share"}
    assert (r["samples"], r["seed"]) == (500, 2026)
    assert r["basis"].startswith("How sure:")
    # oracle: the library called directly on the same inputs gives the same figures
    answers = risk.Answers()
    inputs = risk.mitigation_inputs_from(answers, risk.assess(answers))
    expected = mt.plan_uncertainty(inputs, n=500)
    assert r["npv_usd"] == expected.npv_usd.as_dict()
    assert r["payback_months"] == expected.payback_months.as_dict()
    swings = [b["swing_usd"] for b in data["sensitivity"]]
    assert swings == sorted(swings, reverse=True)
    assert data["sensitivity"][0]["input"] == expected.npv_tornado[0].label


def test_text_shows_likely_ranges_and_the_top_drivers(capsys, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("{}")  # MitigationInputs defaults: seed 001 §6 example, 15 actions, 36 months
    code, out, _ = run_cli(capsys, str(path), "--plan")
    assert code == 0
    ranges = out.split("Plan ranges (P10–P90 of 16,000 simulations, seed 2026):")[1]
    lines = ranges.strip("\n").splitlines()
    # seed example at DEFAULT_SEED (test_mitigation_ranges pins the same figures)
    assert lines[0].startswith("  NPV over 36 months")
    assert "$6,190,732   likely $5.4M–$7.1M" in lines[0]
    assert lines[1].startswith("  Payback")
    assert "19.8 months   likely 18.4–21.1 months" in lines[1]
    assert lines[2].startswith("  ROI at 36 months")
    assert "2.6×   likely 2.3×–3.0×" in lines[2]
    drivers = [x for x in lines if x.startswith(("  1. ", "  2. ", "  3. ", "  4. "))]
    assert len(drivers) == 3  # the top 3 of the tornado
    assert drivers[0].startswith(
        "  1. Migrate to managed services: reduction (ScaleRisk assumption"
    )
    assert lines[-1].startswith("How sure:")


def test_samples_seed_and_spread_options(capsys, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("{}")

    def npv(*argv):
        code, out, _ = run_cli(capsys, str(path), "--plan", "--json", "--samples", "400", *argv)
        assert code == 0
        return _strict_json(out)["ranges"]["npv_usd"]

    base = npv()
    assert npv("--seed", "7") != base
    wide = npv(
        "--spread", "current_monthly_cost.operations=0.5", "--spread", "discount_rate_annual=0.2"
    )
    assert wide["p90"] - wide["p10"] > base["p90"] - base["p10"]


@pytest.mark.parametrize(
    ("spread", "message"),
    [
        ("horizon_months=0.2", "--spread: horizon_months cannot carry a spread"),
        ("nope.inference=0.2", "--spread: nope.inference cannot carry a spread"),
    ],
)
def test_bad_spread_path_exit_2(capsys, answers_file, spread, message):
    code, out, err = run_cli(capsys, str(answers_file), "--spread", spread)
    assert code == 2
    assert out == ""
    assert message in err
    assert "current_monthly_cost.inference" in err  # says which inputs can
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--spread", "discount_rate_annual=2"],
        ["--spread", "discount_rate_annual"],
        ["--samples", "5"],
        ["--seed", "-1"],
    ],
)
def test_bad_range_options_exit_2(capsys, answers_file, argv):
    with pytest.raises(SystemExit) as exc:
        main(["roi", str(answers_file), *argv])
    assert exc.value.code == 2
    assert "error: argument" in capsys.readouterr().err


def test_nothing_selected_has_no_ranges(capsys, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"selected": []}))
    code, out, _ = run_cli(capsys, str(path), "--plan", "--json")
    assert code == 0
    data = _strict_json(out)
    assert data["ranges"] is None
    assert data["sensitivity"] == []
    code, out, _ = run_cli(capsys, str(path), "--plan")
    assert code == 0
    assert "Plan ranges" not in out
