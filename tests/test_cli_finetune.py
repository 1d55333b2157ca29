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
    out = run_json(capsys, "--model", "Llama-2-7B", "--method", "lora", "--rank", "8",
                   "--targets", "q_proj,v_proj", "--gpu", "A100 80GB", "--seq-len", "2048", "--micro-batch", "1")
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
    out = run_json(capsys, "--layers", "32", "--hidden", "4096", "--intermediate", "14336", "--heads", "32",
                   "--kv-heads", "8", "--vocab", "128256", "--method", "full", "--gpus", "8")
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
    assert "7,241,732,096" in text and "QLoRA" in text


def test_list_models_and_gpus(capsys):
    assert main(["finetune", "--list-models"]) == 0
    out = capsys.readouterr().out
    assert "Llama-3-70B" in out and "70,553,706,496" in out
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
        (["--layers", "2", "--hidden", "64", "--intermediate", "128", "--heads", "8", "--kv-heads", "3",
          "--vocab", "100"], "multiple of key/value heads"),
        (["--model", "Llama-2-7B", "--input", "/nonexistent.json"], "file not found"),
    ],
)
def test_bad_arguments_exit_2(capsys, argv, message):
    assert main(["finetune", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_argparse_errors_exit_2():
    with pytest.raises(SystemExit) as exc:
        main(["finetune", "--model", "Llama-2-7B", "--method", "prefix"])
    assert exc.value.code == 2


def test_input_file_and_schema(tmp_path, capsys):
    path = tmp_path / "ft.json"
    path.write_text(json.dumps({"model": "Qwen2.5-7B", "method": "lora", "rank": 16, "targets": ["all-linear"]}))
    out = run_json(capsys, "--input", str(path))
    # Qwen2.5-7B r=16 all-linear: 28 × 16 × (2·7168 + 2·4096 + 3·22528) = 40,370,176
    assert out["trainable_params"] == 28 * 16 * (2 * 7168 + 2 * 4096 + 3 * (3584 + 18944)) == 40_370_176
    assert main(["schema", "finetune"]) == 0
    assert "FinetuneInputs" in capsys.readouterr().out


def test_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "calculator", "finetune", "--model", "nope"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "not a preset" in proc.stderr
