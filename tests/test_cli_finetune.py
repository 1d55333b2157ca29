"""``python -m calculator finetune``: JSON contract, listing, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from calculator.cli import main


def run_json(capsys, *argv):
    assert main(["finetune", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_contract_lora(capsys):
    out = run_json(
        capsys,
        "--model",
        "Llama-2-7B",
        "--method",
        "lora",
        "--rank",
        "8",
        "--targets",
        "q_proj,v_proj",
        "--gpu",
        "A100 80GB",
        "--seq-len",
        "2048",
        "--micro-batch",
        "1",
    )
    # published count (meta-llama/Llama-2-7b-hf) and PEFT's count for r=8 on q/v
    assert out["total_params"] == 6_738_415_616
    assert out["trainable_params"] == 4_194_304
    mem = out["memory_gb"]
    assert mem["total"] == pytest.approx(sum(v for k, v in mem.items() if k != "total"))
    # frozen bf16 base: 2 bytes × 6,738,415,616 / 2^30 GB
    assert mem["weights"] == pytest.approx(2 * 6_738_415_616 / 2**30)
    assert out["gpus_needed"] == 1
    assert out["cost_usd"] == pytest.approx(out["gpu_hours"] * 1.79)  # catalogue A100 80GB price
    assert set(out["methods"]) == {"full", "lora", "qlora"}


def test_custom_architecture_matches_preset(capsys):
    # Llama-3-8B config.json: 32 layers, 4096, 14336, 32 heads, 8 KV heads, vocab 128256
    out = run_json(
        capsys,
        "--layers",
        "32",
        "--hidden",
        "4096",
        "--intermediate",
        "14336",
        "--heads",
        "32",
        "--kv-heads",
        "8",
        "--vocab",
        "128256",
        "--method",
        "full",
        "--gpus",
        "8",
    )
    assert out["total_params"] == 8_030_261_248
    assert out["trainable_params"] == 8_030_261_248
    assert out["gpus_used"] == 8


def test_full_needs_more_gpus_than_qlora(capsys):
    full = run_json(capsys, "--model", "Llama-2-70B", "--method", "full", "--gpu", "H100")
    qlora = run_json(capsys, "--model", "Llama-2-70B", "--method", "qlora", "--gpu", "H100")
    assert full["gpus_needed"] > qlora["gpus_needed"] == 1
    assert qlora["memory_gb"]["weights"] < full["memory_gb"]["weights"] * full["gpus_used"]


def test_case_study_flag(capsys):
    out = run_json(capsys, "--case-study")
    assert out["case_study"]["rows"][0]["quoted_usd"] == 150_000  # seed 002 case study


def test_text_output(capsys):
    assert main(["finetune", "--model", "Mistral-7B-v0.1", "--method", "qlora"]) == 0
    text = capsys.readouterr().out
    assert "7,241,732,096" in text
    assert "QLoRA" in text


def test_list_models_and_gpus(capsys):
    assert main(["finetune", "--list-models"]) == 0
    out = capsys.readouterr().out
    assert "Llama-3-70B" in out
    assert "70,553,706,496" in out
    assert main(["finetune", "--list-gpus"]) == 0
    assert "A100 80GB" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "give --model"),
        (["--model", "GPT-9"], "not a preset"),
        (["--layers", "32", "--hidden", "4096"], "also needs --intermediate"),
        (["--model", "Llama-2-7B", "--layers", "4"], "not both"),
        (["--model", "Llama-2-7B", "--gpu", "Z100"], "not in the catalogue"),
        (["--model", "Llama-2-7B", "--targets", "q_proj,foo"], "targets"),
        (["--model", "Llama-2-7B", "--rank", "0"], "rank"),
        (
            [
                "--layers",
                "2",
                "--hidden",
                "64",
                "--intermediate",
                "128",
                "--heads",
                "8",
                "--kv-heads",
                "3",
                "--vocab",
                "100",
            ],
            "multiple of key/value heads",
        ),
        (["--model", "Llama-2-7B", "--input", "/nonexistent.json"], "file not found"),
    ],
)
def test_bad_arguments_exit_2(capsys, argv, message):
    assert main(["finetune", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_argparse_errors_exit_2():
    with pytest.raises(SystemExit) as exc:
        main(["finetune", "--model", "Llama-2-7B", "--method", "prefix"])
    assert exc.value.code == 2


def test_input_file_and_schema(tmp_path, capsys):
    path = tmp_path / "ft.json"
    path.write_text(
        json.dumps({"model": "Qwen2.5-7B", "method": "lora", "rank": 16, "targets": ["all-linear"]})
    )
    out = run_json(capsys, "--input", str(path))
    # Qwen2.5-7B r=16 all-linear: 28 × 16 × (2·7168 + 2·4096 + 3·22528) = 40,370,176
    assert (
        out["trainable_params"]
        == 28 * 16 * (2 * 7168 + 2 * 4096 + 3 * (3584 + 18944))
        == 40_370_176
    )
    assert main(["schema", "finetune"]) == 0
    assert "FinetuneInputs" in capsys.readouterr().out


def test_module_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "calculator", "finetune", "--model", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "not a preset" in proc.stderr


def test_json_compute_vs_communication_63_rtx_4090(capsys):
    out = run_json(capsys, "--model", "Llama-2-70B", "--method", "full", "--gpu", "RTX 4090")
    # 63 = fewest 24 GB cards for 16 B/param of states (ZeRO-3); independent: ZeRO paper §7.2.2
    # 3Ψ × 62/63 = 3 × 62/63 × 2 × 68,976,648,192 B = 407.3 GB per GPU per step
    assert out["gpus_used"] == 63
    comm = out["communication"]
    assert comm["bytes_per_step"] == pytest.approx(3 * 62 / 63 * 2 * 68_976_648_192)
    assert comm["communication_bound"] is True
    assert comm["crosses_nodes"] is True
    assert comm["link"] == "25 Gb/s Ethernet"  # catalogue: one 25 GbE port per 8-card node
    # wall = compute + the communication not hidden; all three reported
    assert out["wall_hours"] == pytest.approx(
        out["compute_hours"] + out["exposed_communication_hours"]
    )
    assert out["wall_hours"] > 9 * out["compute_hours"]
    assert out["cost_usd"] == pytest.approx(out["wall_hours"] * 63 * 0.45)  # $0.45/GPU-hour
    assert any("communication-bound" in w for w in out["warnings"])
    assert any("communication-bound" in w for w in out["methods"]["full"]["warnings"])


def test_interconnect_overrides(capsys):
    base = run_json(capsys, "--model", "Llama-2-70B", "--method", "full", "--gpu", "RTX 4090")
    fast = run_json(
        capsys,
        "--model",
        "Llama-2-70B",
        "--method",
        "full",
        "--gpu",
        "RTX 4090",
        "--inter-node-gbps",
        "50",
        "--bandwidth-efficiency",
        "0.9",
        "--comm-overlap",
        "1",
    )
    # independent: across nodes the bound is min(31.5 GB/s PCIe per GPU, 50 GB/s per node), so
    # 407.3 GB / (0.9 × 31.5 GB/s) = 14.4 s < 20.2 s of compute: no longer bound
    assert fast["communication"]["communication_s_per_step"] == pytest.approx(
        3 * 62 / 63 * 2 * 68_976_648_192 / (0.9 * 31.5e9)
    )
    assert fast["communication"]["communication_bound"] is False
    assert fast["wall_hours"] == pytest.approx(fast["compute_hours"])  # overlap 1: max(t_c, t_m)
    assert fast["wall_hours"] < base["wall_hours"]
    acc = run_json(
        capsys,
        "--model",
        "Llama-2-7B",
        "--method",
        "full",
        "--gpus",
        "8",
        "--grad-accum",
        "4",
        "--sharding",
        "zero1",
        "--gpus-per-node",
        "4",
    )
    # 8 GPUs on 4-GPU nodes cross the inter-node link; ZeRO-1 communicates once per step
    assert acc["communication"]["crosses_nodes"] is True
    assert acc["communication"]["global_batch_tokens"] == 8 * 4 * 2048


def test_text_shows_compute_communication_and_warning(capsys):
    assert (
        main(["finetune", "--model", "Llama-2-70B", "--method", "full", "--gpu", "RTX 4090"]) == 0
    )
    text = capsys.readouterr().out
    assert "compute time" in text
    assert "communication (transfers)" in text
    assert "interconnect: 25 Gb/s Ethernet between 8 nodes" in text
    assert "warning: Full fine-tuning is communication-bound" in text
    assert main(["finetune", "--list-gpus"]) == 0
    listing = capsys.readouterr().out
    assert "PCIe 4.0 x16, no NVLink or P2P, 31.5 GB/s per GPU" in listing


# --- ranges (issue 12) ----------------------------------------------------------------------


def strict_json(text: str):
    """Parse JSON, failing on NaN / Infinity (the CLI prints finite numbers only)."""

    def reject(name):
        raise AssertionError(f"non-finite number {name} in the JSON")

    return json.loads(text, parse_constant=reject)


def test_json_ranges_and_sensitivity(capsys):
    assert main(["finetune", "--case-study", "--json", "--samples", "1000"]) == 0
    out = strict_json(capsys.readouterr().out)
    r = out["ranges"]
    assert (r["samples"], r["seed"]) == (1000, 2026)
    for key in ("wall_hours", "gpu_hours", "cost_usd", "memory_gb", "gpus_needed"):
        assert r[key]["p10"] <= r[key]["p50"] <= r[key]["p90"], key
    # the point values are the figures at top level, inside the likely range
    assert r["wall_hours"]["p10"] <= out["wall_hours"] <= r["wall_hours"]["p90"]
    assert r["cost_usd"]["p10"] <= out["cost_usd"] <= r["cost_usd"]["p90"]
    # memory does not move without a spread on a memory input
    assert r["memory_gb"]["p10"] == r["memory_gb"]["p90"] == out["memory_gb"]["total"]
    assert r["memory_moves"] is False
    assert set(r["methods"]) == {"full", "lora", "qlora"}
    assert r["basis"].startswith("How sure: from formulas only")
    assert out["sensitivity_of"] == "LoRA cost"
    bars = out["sensitivity"]
    assert {"input", "low", "high", "swing"} <= set(bars[0])
    assert [b["swing"] for b in bars] == sorted((b["swing"] for b in bars), reverse=True)
    # one A100, LoRA: cost ∝ 1/MFU, so MFU ÷ 1.3 makes it × 1.3 (hand calculation)
    mfu = next(b for b in bars if b["key"] == "mfu")
    assert mfu["low"] == pytest.approx(out["cost_usd"] * 1.3)


def test_json_reproducible_and_seeded(capsys):
    argv = ["finetune", "--model", "Llama-2-7B", "--json", "--samples", "500"]
    assert main([*argv, "--seed", "5"]) == 0
    a = strict_json(capsys.readouterr().out)["ranges"]
    assert main([*argv, "--seed", "5"]) == 0
    b = strict_json(capsys.readouterr().out)["ranges"]
    assert main([*argv, "--seed", "6"]) == 0
    c = strict_json(capsys.readouterr().out)["ranges"]
    assert a == b
    assert a["cost_usd"] != c["cost_usd"]


def test_spread_flag_marks_inputs(capsys):
    out = run_json(
        capsys,
        "--case-study",
        "--spread",
        "dataset_tokens=0.5",
        "--spread",
        "seq_len=0.3",
        "--samples",
        "500",
    )
    r = out["ranges"]
    assert "dataset size (± spread)" in r["basis"]
    assert "sequence length (± spread)" in r["basis"]
    assert r["memory_moves"] is True
    assert r["memory_gb"]["p10"] < r["memory_gb"]["p90"]
    assert "dataset_tokens" in [b["key"] for b in out["sensitivity"]]


def test_text_likely_rows_and_drivers(capsys):
    assert (
        main(["finetune", "--model", "Llama-2-70B", "--method", "full", "--gpu", "RTX 4090"]) == 0
    )
    text = capsys.readouterr().out
    assert text.count("likely (P10–P90)") == 3  # under wall time, GPU-hours and cost
    assert "What moves the Full fine-tuning cost most: Link efficiency" in text
    assert "Likely: P10–P90 of 16,000 simulations (seed 2026)." in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--spread", "nonsense=0.2"], "nonsense"),
        (["--spread", "gpu=0.2"], "gpu"),
        (["--spread", "gpus_per_node=0.5", "--gpu", "DGX Spark (GB10)"], "one GPU per node"),
    ],
)
def test_bad_spread_path_exit_2(capsys, argv, message):
    assert main(["finetune", "--model", "Llama-2-7B", *argv]) == 2
    err = capsys.readouterr().err
    assert "--spread" in err
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--spread", "mfu"], "is not PATH=FRACTION"),
        (["--spread", "mfu=1.5"], "outside 0–1"),
        (["--samples", "50"], "outside 100–100000"),
        (["--seed", "-1"], "outside"),
    ],
)
def test_bad_range_flags_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        main(["finetune", "--model", "Llama-2-7B", *argv])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
