"""`python -m calculator sizing`: JSON contract, fits, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_json(capsys, *argv):
    assert main(["sizing", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_compute_budget_besiroglu(capsys):
    # independent calculation in tests/test_sizing.py: 72.2B params / 1.33T tokens at 5.76e23 FLOP
    out = run_json(capsys, "--compute-flops", "5.76e23", "--fit", "besiroglu2024")
    assert {"params", "tokens", "compute_flops", "tokens_per_param", "loss"} <= out.keys()
    assert out["params"] == pytest.approx(7.225e10, rel=1e-3)
    assert out["tokens"] == pytest.approx(1.3287e12, rel=1e-3)
    assert out["compute_flops"] == pytest.approx(5.76e23)
    assert out["tokens_per_param"] == pytest.approx(18.39, rel=1e-3)
    assert out["loss"] == pytest.approx(1.9741, abs=1e-4)


def test_tokens_rule20_seed_table(capsys):
    # seed 002 §"Step 2": 10B tokens → 500M parameters; no loss for the ratio rule
    out = run_json(capsys, "--tokens", "1e10", "--fit", "rule20")
    assert out["params"] == pytest.approx(5e8)
    assert out["tokens_per_param"] == pytest.approx(20)
    assert out["loss"] is None
    assert out["compute_flops"] == pytest.approx(6 * 5e8 * 1e10)


def test_params_hoffmann(capsys):
    # optimal tokens for the approach-3 N_opt at 5.76e23 (3.219e10) are its D_opt 2.982e12
    out = run_json(capsys, "--params", "3.219e10", "--fit", "hoffmann2022")
    assert out["tokens"] == pytest.approx(2.982e12, rel=2e-3)


def test_cost_is_priced_on_gpu(capsys):
    # 6 × 5e8 × 1e10 = 3e19 FLOP / (989e12 × 0.5 × 3600) = 16.85 GPU-h × $2.99 = $50.38 (H100 row)
    out = run_json(capsys, "--tokens", "1e10", "--fit", "rule20", "--gpu", "H100", "--mfu", "0.5")
    assert out["gpu_hours"] == pytest.approx(16.852, rel=1e-3)
    assert out["cost_usd"] == pytest.approx(50.39, rel=1e-3)


def test_text_output(capsys):
    assert main(["sizing", "--tokens", "2e9", "--fit", "rule20"]) == 0
    text = capsys.readouterr().out
    assert "params: 100M parameters" in text
    assert "loss: not defined by this fit" in text


def test_input_file(tmp_path, capsys):
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(
            {"fit": "rule20", "purpose": "pretrain", "compute_mode": "flops", "compute_flops": 1e22}
        )
    )
    assert main(["sizing", "--input", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "over-sized"
    assert main(["sizing", "--input", str(path)]) == 0
    assert "Verdict: Over-sized and under-trained" in capsys.readouterr().out


def write(tmp_path, data: dict) -> str:
    path = tmp_path / "sizing.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_seed_case_study_is_a_fine_tune(tmp_path, capsys):
    # seed 002 case study (the defaults, '{}'): a fine-tune of a 7B model on 2B tokens
    path = write(tmp_path, {})
    assert main(["sizing", "--input", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "fine-tune"
    assert out["waste"] is None
    assert out["inputs"]["purpose"] == "finetune"
    assert any("does not apply to a fine-tune" in w for w in out["warnings"])
    assert out["notes"][0]["figure"] == "waste"
    assert main(["sizing", "--input", path]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Fine-tuning an existing 7B model")
    assert "Compute wasted: does not apply to a fine-tune\n  Note: Compute-optimal" in text


def test_seed_case_study_from_scratch_reports_no_infeasible_waste(tmp_path, capsys):
    # same inputs trained from scratch (tests/test_sizing.py has the independent calculation):
    # the equal-loss optimum needs 8.287e9 tokens > 2e9 usable, so waste is 0, not 79 %
    path = write(tmp_path, {})
    assert main(["sizing", "--input", path, "--purpose", "pretrain", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    w = out["waste"]
    assert out["verdict"] == "data-bound"
    assert w["equal_loss_exceeds_data"] is True
    assert w["equal_loss_tokens_needed"] == pytest.approx(8.287e9, rel=1e-3)
    assert w["tokens_available"] == pytest.approx(2e9)
    assert w["wasted_share"] == pytest.approx(0, abs=1e-9)
    assert w["unconstrained_share"] == pytest.approx(0.7949, abs=1e-4)
    assert out["data_alternative"]["loss_gap"] == pytest.approx(0.68702, abs=1e-4)
    assert any("not waste" in text for text in out["warnings"])
    assert main(["sizing", "--input", path, "--purpose", "pretrain"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Limited by data, not wasteful for it.")
    lines = text.splitlines()
    wasted = lines.index("Compute wasted: 0% ($0.00)")
    # rule: 1 − 1/70 = 98.6 % (an upper bound); Besiroglu 2024: 0 % (tests/test_sizing_ranges.py)
    assert lines[wasted + 1] == (
        "Compute wasted across the fits: 0%–99% (20-token rule: an upper bound)"
    )
    assert lines[wasted + 2].startswith("Same loss, compute-optimal: 346M parameters on 8.29B")
    assert lines[wasted + 3].startswith("  Note: No compute is wasted on the data you have")
    assert "Compared with the data-optimal model: With your 2B usable tokens" in text


def test_input_from_standard_input():
    # '-' reads the what-if from standard input (the command quoted in the methodology)
    done = subprocess.run(
        [sys.executable, "-m", "calculator", "sizing", "--input", "-", "--purpose", "pretrain"],
        input="{}",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Compute wasted: 0% ($0.00)" in done.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "one of the arguments"),
        (["--compute-flops", "-5"], "positive"),
        (["--compute-flops", "nan"], "positive"),
        (["--tokens", "lots"], "not a number"),
        (["--tokens", "1e20"], "outside"),
        (["--tokens", "1e9", "--params", "1e9"], "not allowed with"),
        (["--tokens", "1e9", "--fit", "kaplan"], "invalid choice"),
        (["--tokens", "1e9", "--mfu", "2"], "outside 0–1"),
        (["--tokens", "1e9", "--purpose", "pretrain"], "--purpose needs --input"),
        (["--input", "x.json", "--purpose", "scratch"], "invalid choice"),
        (["--tokens", "1e9", "--spread", "mfu=0.2"], "--spread needs --input"),
        (["--input", "x.json", "--spread", "mfu"], "is not PATH=FRACTION"),
        (["--input", "x.json", "--spread", "mfu=1.5"], "outside 0–1"),
        (["--tokens", "1e9", "--samples", "5"], "outside 100–100000"),
        (["--tokens", "1e9", "--seed", "-1"], "outside"),
    ],
)
def test_bad_arguments_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["sizing", *argv])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tokens", "1e9", "--gpu", "Z80"], "not in the catalogue"),
        (["--input", "/nonexistent.json"], "file not found"),
    ],
)
def test_input_errors_exit_2(argv, message, capsys):
    assert main(["sizing", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_bad_input_file_values(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"mfu": 3}))
    assert main(["sizing", "--input", str(path)]) == 2
    assert "mfu" in capsys.readouterr().err


def test_schema_lists_sizing(capsys):
    assert main(["schema", "sizing"]) == 0
    assert "dataset_tokens" in json.loads(capsys.readouterr().out)["properties"]


def test_module_entry_point_exit_code():
    bad = subprocess.run(
        [sys.executable, "-m", "calculator", "sizing", "--tokens", "x"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "not a number" in bad.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "calculator", "sizing", "--compute-flops", "1e21", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["compute_flops"] == pytest.approx(1e21)


def test_ranges_in_json(tmp_path, capsys):
    # seed 002 case study from scratch; oracle: sizing_uncertainty (tests/test_sizing_ranges.py)
    from calculator.sizing import SizingInputs, sizing_uncertainty

    path = write(tmp_path, {"purpose": "pretrain"})
    out = run_json(capsys, "--input", path, "--spread", "dataset_tokens=0.5", "--samples", "500")
    expected = sizing_uncertainty(SizingInputs(purpose="pretrain"), {"dataset_tokens": 0.5}, n=500)
    r = out["ranges"]
    assert (r["samples"], r["seed"]) == (500, 2026)
    assert r["proposal_usd"] == pytest.approx(expected.proposal_usd.as_dict())
    assert set(r["proposal_days"]) == {"p10", "p50", "p90"}
    assert r["proposal_usd"]["p10"] < out["proposal"]["cost_usd"] < r["proposal_usd"]["p90"]
    assert r["share_moves"] is True
    assert "dataset size (± spread)" in r["basis"]
    fits = out["fit_range"]
    assert "not a simulation" in fits["what"]
    assert fits["recommended_params"]["high"] == pytest.approx(1e8)  # 2e9 / 20 (seed 002)
    assert fits["wasted_share"]["high"] == pytest.approx(1 - 1 / 70)  # rule: 7B on 2B
    assert [b["key"] for b in out["sensitivity"]][0] == "dataset_tokens"
    assert out["sensitivity_of"] == "the proposal's cost"


def test_fine_tune_json_has_no_waste_range(tmp_path, capsys):
    out = run_json(capsys, "--input", write(tmp_path, {}), "--samples", "200")
    assert out["ranges"]["wasted_usd"] is None
    assert out["ranges"]["wasted_share"] is None
    assert out["fit_range"]["wasted_share"] is None
    assert {b["key"] for b in out["sensitivity"]} == {"mfu", "gpu_usd_per_hour"}


def test_seed_changes_ranges_not_points(tmp_path, capsys):
    path = write(tmp_path, {})
    a = run_json(capsys, "--input", path, "--samples", "300", "--seed", "1")
    b = run_json(capsys, "--input", path, "--samples", "300", "--seed", "2")
    assert a["proposal"]["cost_usd"] == b["proposal"]["cost_usd"]
    assert a["ranges"]["proposal_usd"] != b["ranges"]["proposal_usd"]


def test_ranges_in_text(tmp_path, capsys):
    assert main(["sizing", "--input", write(tmp_path, {})]) == 0
    text = capsys.readouterr().out
    # $334.67 at 40 % MFU and $1.79/h; MFU ×/÷ 1.3 and price ×/÷ 1.25 → roughly ÷/× 1.41
    assert "Proposal cost: $335, 0.974 days; likely $2" in text
    assert "Its size across the fits: 77.7M–100M" in text
    assert "What moves the proposal's cost most: Achieved utilisation (MFU) ($257–$435); " in text
    assert "Price per GPU-hour ($268–$418)" in text
    assert "not a simulation" in text
    assert "P10–P90 of 16,000 simulations (seed 2026)" in text


def test_bad_spread_path_exit_2(tmp_path, capsys):
    path = write(tmp_path, {})
    assert main(["sizing", "--input", path, "--spread", "nonsense=0.2"]) == 2
    assert "nonsense" in capsys.readouterr().err
    assert main(["sizing", "--input", path, "--spread", "hours=0.2", "--spread", "fit=0.1"]) == 2
    assert "fit" in capsys.readouterr().err
    flops = write(tmp_path, {"compute_mode": "flops"})
    assert main(["sizing", "--input", flops, "--spread", "hours=0.2"]) == 2
    err = capsys.readouterr().err
    assert "hours does not enter this what-if" in err
    assert "Traceback" not in err


def test_simple_modes_carry_cost_ranges(capsys):
    # 3e19 FLOP on an H100 at 50 % MFU: $50.39 (test_cost_is_priced_on_gpu), ×/÷ ≈ 1.41
    out = run_json(capsys, "--tokens", "1e10", "--fit", "rule20", "--gpu", "H100", "--mfu", "0.5")
    c = out["ranges"]["cost_usd"]
    assert c["p10"] < out["cost_usd"] < c["p90"]
    assert c["p90"] / c["p50"] == pytest.approx(1.4112, rel=0.04)
    assert [b["key"] for b in out["sensitivity"]] == ["mfu", "gpu_usd_per_hour"]
    assert (
        main(["sizing", "--tokens", "1e10", "--fit", "rule20", "--gpu", "H100", "--mfu", "0.5"])
        == 0
    )
    text = capsys.readouterr().out
    assert "$50.39 (likely $3" in text
    assert "you gave the tokens" in text
