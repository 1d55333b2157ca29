"""`python -m calculator assess` (issue 2): JSON keys, --fail-above exit codes, bad input → exit
2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.cli import main
from calculator.presets import PRESETS
from calculator.risk import Answers, assess

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def seed6_file(tmp_path) -> Path:
    p = tmp_path / "seed6.json"
    p.write_text(PRESETS["Seed 001 §6 recommendation system"].model_dump_json(), encoding="utf-8")
    return p


def test_json_output_keys_and_values(seed6_file, capsys):
    assert main(["assess", str(seed6_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"score", "band", "drivers", "projection"} <= set(data)
    assert all(set(d) >= {"name", "points"} for d in data["drivers"])
    proj = data["projection"]
    assert set(proj["components"]) == {"inference", "storage", "training", "operations"}
    # seed 001 §6 worked example: naive $250K, inference $84K, storage $22.5K
    assert proj["naive_linear_monthly_usd"] == pytest.approx(250_000)
    assert proj["components"]["inference"] == pytest.approx(84_000)
    assert proj["components"]["storage"] == pytest.approx(22_500)
    # same engine as the page
    assert data["score"] == assess(PRESETS["Seed 001 §6 recommendation system"]).score


def test_readable_summary(seed6_file, capsys):
    assert main(["assess", str(seed6_file)]) == 0
    out = capsys.readouterr().out
    assert "Scalability risk score" in out
    assert "naive linear" in out
    assert "Top actions by ROI" in out


def test_fail_above(seed6_file, capsys):
    score = assess(PRESETS["Seed 001 §6 recommendation system"]).score
    assert main(["assess", str(seed6_file), "--json", "--fail-above", str(score - 0.1)]) == 1
    assert (
        main(["assess", str(seed6_file), "--json", "--fail-above", str(score)]) == 0
    )  # "exceeds" is strict
    assert main(["assess", str(seed6_file), "--fail-above", "100"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"growth": {"users_multiple": 0}}', "growth.users_multiple"),
        ('{"inference": {"cache_hit_rate": 2}}', "inference.cache_hit_rate"),
        ('{"data": {"pipeline": "carrier_pigeon"}}', "data.pipeline"),
        ('{"models": {"in_production": "many"}}', "models.in_production"),
        ('{"team": {"ml_engineers": 1, "chef": 2}}', "team.chef: unknown key"),
        ('{"stage": "launched"}', "stage"),
    ],
)
def test_bad_input_exit_2_naming_the_field(tmp_path, capsys, content, expected):
    p = tmp_path / "answers.json"
    p.write_text(content, encoding="utf-8")
    assert main(["assess", str(p), "--json"]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_missing_file_and_bad_threshold(tmp_path, seed6_file, capsys):
    assert main(["assess", str(tmp_path / "nope.json")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["assess", str(seed6_file), "--fail-above", "150"]) == 2
    assert "--fail-above" in capsys.readouterr().err


def test_subprocess_bad_input_has_no_traceback(tmp_path):
    p = tmp_path / "a.json"
    p.write_text('{"workload": {"monthly_active_users": -5}}', encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "calculator", "assess", str(p)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 2
    assert "workload.monthly_active_users" in out.stderr
    assert "Traceback" not in out.stderr


def test_schema_assess_lists_sections(capsys):
    assert main(["schema", "assess"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(Answers.model_fields) == set(schema["properties"])


def test_json_carries_ranges_and_sensitivity(tmp_path, capsys):
    # oracle: the engine's own ranges at the same seed (the CLI only reports them)
    from calculator.risk import Answers, assess_ranges

    f = tmp_path / "a.json"
    f.write_text("{}")
    assert (
        main(
            [
                "assess",
                str(f),
                "--json",
                "--samples",
                "500",
                "--seed",
                "3",
                "--spread",
                "growth.users_multiple=0.3",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    r = assess_ranges(Answers(spreads={"growth.users_multiple": 0.3}), n=500, seed=3)
    assert data["ranges"]["score"] == r.score.as_dict()
    assert data["ranges"]["cost_monthly_usd"]["36"]["total"] == r.cost[36]["total"].as_dict()
    assert data["sensitivity"][0]["key"] == r.score_tornado[0].key
    swings = [b["swing"] for b in data["sensitivity"]]
    assert swings == sorted(swings, reverse=True)  # issue 12: sorted by swing, largest first
    assert {"input", "low", "high"} <= set(data["sensitivity"][0])


@pytest.mark.parametrize("bad", ["growth.horizon_months=0.3", "growth.users_multiple=2", "nothing"])
def test_bad_spread_is_one_message_and_status_2(tmp_path, capsys, bad):
    f = tmp_path / "a.json"
    f.write_text("{}")
    try:  # argparse rejects the form (SystemExit 2); the engine rejects the path (returns 2)
        code = main(["assess", str(f), "--spread", bad])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "--spread" in err


def test_a_scenario_file_is_scored_by_its_answers(tmp_path, capsys):
    # the assessment page's download is a scenario file (issue 13); the oracle is assess()
    from calculator.scenario import from_answers, to_json

    seed6 = PRESETS["Seed 001 §6 recommendation system"]
    path = tmp_path / "scenario.json"
    path.write_text(to_json(from_answers(seed6)), encoding="utf-8")
    assert main(["assess", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] == assess(seed6).score
    path.write_text('{"version": 1, "answers": {"stage": 3}}', encoding="utf-8")
    assert main(["assess", str(path)]) == 2
    assert "answers.stage" in capsys.readouterr().err
