"""bench.runner: timing loop, OOM halving, a real MiniLM run, the tuned mode's fidelity guard."""

from __future__ import annotations

import pytest

from bench import runner
from bench.corpus import generate
from bench.protocol import MIN_FIDELITY_COSINE, BenchConfig

torch = pytest.importorskip("torch")


class FakeModel:
    """Embeds each text as [len, 1]; runs out of memory for batches above ``limit``."""

    def __init__(self, limit: int):
        self.limit = limit
        self.batches: list[int] = []

    def preprocess(self, texts):
        lengths = torch.tensor([len(t) for t in texts])
        width = int(lengths.max())
        mask = (torch.arange(width)[None, :] < lengths[:, None]).long()
        return {"attention_mask": mask, "lengths": lengths}

    def __call__(self, features):
        n = features["lengths"].shape[0]
        if n > self.limit:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        self.batches.append(n)
        return {
            "sentence_embedding": torch.stack([features["lengths"].float(), torch.ones(n)], dim=1)
        }


def test_encode_timed_sorts_batches_and_keeps_raw_samples():
    texts = ["a" * n for n in (3, 9, 1, 7, 5)]
    model = FakeModel(limit=100)
    t = runner.encode_timed(model, texts, 2, "cpu", keep_embeddings=True)
    assert t.batch_sizes == [2, 2, 1]
    assert len(t.batch_seconds) == 3
    assert t.lengths == [9, 7, 5, 3, 1]  # longest first, real (unpadded) lengths from the mask
    assert t.embeddings[:, 0].tolist() == [3, 9, 1, 7, 5]  # back in input order


def test_oom_halves_the_batch_and_continues():
    texts = [f"text {i}" for i in range(20)]
    model = FakeModel(limit=4)
    seen = []
    t = runner.encode_timed(
        model, texts, 16, "cpu", on_oom=lambda old, new: seen.append((old, new))
    )
    assert seen == [(16, 8), (8, 4)]
    assert t.final_batch_size == 4
    assert t.items == 20
    assert model.batches == [4] * 5


def test_oom_at_batch_one_is_an_oom_error():
    with pytest.raises(runner.BenchError, match="batch size 1") as info:
        runner.encode_timed(FakeModel(limit=0), ["x", "y"], 2, "cpu")
    assert info.value.kind == "oom"


def test_other_errors_propagate():
    class Broken(FakeModel):
        def __call__(self, features):
            raise ValueError("shape mismatch")

    with pytest.raises(ValueError, match="shape mismatch"):
        runner.encode_timed(Broken(8), ["x"], 1, "cpu")


@pytest.fixture(scope="module")
def minilm():
    from bench.models import get_spec, load

    return load(get_spec("minilm-l6"), "cpu", offline=True)


@pytest.mark.slow
def test_harness_embeddings_equal_plain_encode(minilm):
    texts = generate(12)
    t = runner.encode_timed(minilm.model, texts, 4, "cpu", keep_embeddings=True)
    plain = minilm.model.encode(
        texts, batch_size=4, convert_to_tensor=True
    )  # oracle: sentence-transformers
    assert torch.allclose(t.embeddings, plain, atol=1e-5)


@pytest.mark.slow
def test_real_minilm_run(monkeypatch):
    monkeypatch.setenv("SCALERISK_BENCH_TEST_MODELS", "1")
    events = []
    config = BenchConfig(
        models=("tiny-bert", "minilm-l6"), items=24, batch_size=8, device="cpu", offline=True
    )  # smallest first (BenchConfig's rule)
    result = runner.run_benchmark(config, events.append)
    tiny, mini = result.runs
    assert (mini.weights, tiny.weights) == ("pretrained", "synthetic")
    assert (mini.items, mini.batch_size, mini.precision, mini.mode) == (24, 8, "fp32", "reference")
    # 24 items / batch 8 = 3 batches per pass, 3 passes (BenchConfig default), warm-up excluded
    assert mini.passes == 3
    assert len(mini.batch_seconds) == 9
    per_pass = [24 / sum(mini.batch_seconds[i : i + 3]) for i in (0, 3, 6)]
    assert mini.pass_items_per_second == pytest.approx(per_pass)
    assert mini.items_per_second == pytest.approx(sorted(per_pass)[1])  # median of three
    # numpy-style percentiles of three values: P75 − P25 = (max − min) / 2
    assert mini.items_per_second_iqr == pytest.approx((max(per_pass) - min(per_pass)) / 2)
    mid = sorted(per_pass)[1]
    assert mini.items_per_second_spread == pytest.approx(max(abs(x - mid) for x in per_pass) / mid)
    assert mini.trusted == (mini.items_per_second_spread <= 0.10)  # 24 items ≥ one batch of 8
    assert mini.total_seconds == pytest.approx(sum(mini.batch_seconds))
    assert mini.tokens_per_second == pytest.approx(mini.items_per_second * mini.mean_tokens)
    assert mini.p50_batch_ms <= mini.p95_batch_ms
    assert mini.params == 22_713_216
    assert mini.peak_memory_mb > 0
    assert result.scaling_penalty == pytest.approx(tiny.items_per_second / mini.items_per_second)
    lengths = result.corpus["token_lengths"]["minilm-l6"]
    assert lengths["mean"] == pytest.approx(mini.mean_tokens)
    assert lengths["max"] <= 256
    kinds = [e.event for e in events]
    assert kinds[0] == "status"
    assert "device" in kinds
    assert kinds[-1] == "result"
    assert kinds.count("run") == 2
    assert "progress" in kinds
    assert [e.phase for e in events if e.event == "progress"].count("warmup") == 2
    timed = [e for e in events if e.event == "progress" and e.phase == "timed"]
    assert {e.total for e in timed} == {72}  # progress runs over all 3 passes of 24 items
    assert max(e.done for e in timed) == 72


@pytest.mark.slow
def test_one_item_run_is_not_trusted(monkeypatch):
    # issue 11: "A 1-item run was accepted and produced a scaling penalty of 1.98×"
    monkeypatch.setenv("SCALERISK_BENCH_TEST_MODELS", "1")
    config = BenchConfig(
        models=("tiny-bert", "tiny-bert-wide"), items=1, device="cpu", offline=True
    )
    result = runner.run_benchmark(config, lambda e: None)
    assert all(not r.trusted for r in result.runs)
    assert all("fewer than one full batch of 32" in r.trust_note for r in result.runs)
    assert result.scaling_penalty is not None
    assert result.scaling_penalty_trusted is False
    assert result.scaling_penalty_note.startswith("Not trustworthy")
    dumped = result.model_dump(mode="json")  # what the page and the history receive
    assert dumped["scaling_penalty_trusted"] is False
    assert dumped["runs"][0]["trusted"] is False


@pytest.mark.slow
def test_tuned_mode_rejects_int8_and_keeps_fidelity(minilm, monkeypatch):
    from bench.device import detect

    ctx = runner.RunContext(
        config=BenchConfig(models=("minilm-l6",), items=8, mode="tuned"),
        device=detect("cpu"),
        emit=lambda e: None,
    )
    monkeypatch.setattr(
        runner, "PROBE_REPEATS", 1
    )  # one timed pass per setting keeps the test short
    setting, fidelity, _ = runner.tune(ctx, minilm, generate(8))
    by_precision = {c.precision: c for c in ctx.candidates}
    assert not by_precision["int8"].accepted  # DESIGN.md: int8 dynamic quantisation, cosine ≈ 0.9
    assert by_precision["int8"].fidelity_cosine < MIN_FIDELITY_COSINE
    assert fidelity >= MIN_FIDELITY_COSINE
    assert setting.precision != "int8"
    if "bf16" in by_precision:  # CPUs with native bf16 (DESIGN.md: cosine 0.9999)
        assert by_precision["bf16"].fidelity_cosine > 0.9995


@pytest.mark.slow
def test_tuned_search_halves_on_oom_and_skips_larger_batches(monkeypatch):
    from bench.models import TEST_MODELS, load
    from bench.protocol import DeviceInfo

    monkeypatch.setenv(
        "SCALERISK_BENCH_FAULT", "oom-above:8"
    )  # every batch above 8 "runs out of memory"
    monkeypatch.setattr(runner, "PROBE_REPEATS", 1)
    tiny = load(TEST_MODELS["tiny-bert"], "cpu")
    ctx = runner.RunContext(
        config=BenchConfig(models=("tiny-bert",), items=24, mode="tuned", precision="fp32"),
        device=DeviceInfo(kind="cpu", name="test"),
        emit=lambda e: None,
    )
    setting, _, _ = runner.tune(ctx, tiny, generate(24))
    first = ctx.candidates[0]
    assert (first.batch_size, first.accepted) == (8, True)
    assert first.reason == "out of memory at batch 16; ran at batch 8"
    assert [c.batch_size for c in ctx.candidates] == [
        8
    ]  # batch 8 already known, 32 > the OOM ceiling
    assert setting == runner.Setting("fp32", 8)


def test_search_space_by_device_and_weights():
    from bench.protocol import DeviceInfo

    def space(device, weights="pretrained", **config):
        ctx = runner.RunContext(
            config=BenchConfig(mode="tuned", **config), device=device, emit=lambda e: None
        )
        return runner._search_space(ctx, weights)

    bf16_cpu = DeviceInfo(kind="cpu", name="Zen 4", features=("avx512f", "avx512_bf16"))
    assert space(bf16_cpu) == (["fp32", "bf16", "int8"], 16, [8, 32])
    # random weights cannot judge int8's fidelity (their embeddings are nearly parallel)
    assert space(bf16_cpu, "synthetic") == (["fp32", "bf16"], 16, [8, 32])
    assert space(DeviceInfo(kind="cpu", name="old", features=("avx2",)))[0] == ["fp32", "int8"]
    h200 = DeviceInfo(kind="cuda", name="NVIDIA H200", compute_capability="9.0")
    assert space(h200) == (["fp32", "bf16", "fp16"], 128, [64, 256, 512])
    assert space(h200, precision="fp16", batch_size=100) == (["fp16"], 100, [])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("oom-above:x", "oom-above takes a non-negative int"),
        ("nope", "unknown hook 'nope'"),
        ("slow:-1", "slow takes a non-negative float"),
        ("oom-above", "needs a batch size"),
    ],
)
def test_a_malformed_fault_variable_is_a_message(monkeypatch, value, message):
    # issue 15: "malformed values of the fault-injection variable give a traceback"
    from calculator.errors import InputError

    monkeypatch.setenv("SCALERISK_BENCH_FAULT", value)
    with pytest.raises(InputError, match=message):
        runner._faults()
    monkeypatch.setenv("SCALERISK_BENCH_FAULT", "slow:0.5,oom-above:8,crash")
    assert runner._faults() == {"slow": "0.5", "oom-above": "8", "crash": ""}
