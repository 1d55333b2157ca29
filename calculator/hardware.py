"""GPU catalogue (memory, dense peak FLOP/s by dtype, typical $/hour, interconnect) kept as data.

The table lives in ``calculator/data/gpus.json`` with a source per row; pages let users
edit it for the session, the CLI takes ``--gpu NAME``.  Shared by the sizing, fine-tuning
and benchmark pages.

Interconnect conventions (used by the fine-tuning communication term):

* bandwidths are in GB/s = 10^9 bytes/s (vendors quote links in decimal units), **per
  direction** (unidirectional): a ring collective sends and receives at the same time, so
  a link's one-way rate is what bounds it (NCCL's "bus bandwidth", nccl-tests
  ``doc/PERFORMANCE.md``).  Vendor figures such as "NVLink 600 GB/s" are bidirectional
  totals and are halved here;
* ``intra_node_gbps`` is **per GPU** (its NVLink or PCIe link);
* ``inter_node_gbps`` is **per node**: the sum of the node's compute NICs (a DGX A100's
  eight 200 Gb/s HDR InfiniBand ports = 8 × 25 = 200 GB/s).  Across nodes every ring has
  one edge per node boundary and NCCL spreads rings over the NICs, so a collective's bus
  bandwidth is bounded by min(per-GPU link, per-node NICs) — see :meth:`Gpu.collective_link`;
* all are datasheet (theoretical) line rates; the achieved fraction is an input of the
  fine-tuning model (``bandwidth_efficiency``), not a property of the card.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

from pydantic import Field, model_validator

from calculator.common import InputModel
from calculator.errors import InputError

DEFAULT_INTRA_LINK = "PCIe 4.0 x16 (assumed)"
DEFAULT_INTRA_GBPS = 31.5
"""PCIe 4.0 x16 per direction: 16 GT/s × 16 lanes × 128/130 ÷ 8 bits = 31.5 GB/s (PCI-SIG,
PCI Express Base Specification 4.0).  Used for a GPU whose interconnect is not given."""
DEFAULT_INTER_LINK = "10 Gb/s Ethernet (assumed)"
DEFAULT_INTER_GBPS = 1.25
"""10 GbE = 10 Gb/s ÷ 8 = 1.25 GB/s per direction per node (IEEE 802.3ae).  Used for a GPU
whose inter-node link is not given: a conservative choice, never a hidden zero."""
DEFAULT_GPUS_PER_NODE = 8


class Gpu(InputModel, frozen=True, extra="forbid"):
    """One accelerator: memory, dense peak throughput per dtype, price."""

    name: str = Field(description="Catalogue name, e.g. 'H100 80GB'.")
    vendor: str = Field(description="Manufacturer.")
    memory_gb: float = Field(gt=0, description="Device memory.", json_schema_extra={"unit": "GB"})
    peak_tflops: dict[str, float] = Field(
        description="Dense peak throughput by dtype (bf16, fp16, fp32, tf32, fp8).",
        json_schema_extra={"unit": "TFLOP/s"},
    )
    usd_per_hour: float = Field(
        ge=0, description="Typical price per GPU-hour.", json_schema_extra={"unit": "USD/h"}
    )
    source: str = Field(description="Where the figures come from.")
    intra_node_link: str = Field(
        DEFAULT_INTRA_LINK,
        description="How GPUs inside one node talk: NVLink generation or PCIe generation.",
        json_schema_extra={"label": "Link inside a node"},
    )
    intra_node_gbps: float | None = Field(
        DEFAULT_INTRA_GBPS,
        gt=0,
        le=100_000,
        description="Datasheet bandwidth of that link, per GPU, per direction (GB/s = 10^9 B/s); "
        "empty for one GPU per node.",
        json_schema_extra={"unit": "GB/s", "label": "Bandwidth inside a node"},
    )
    gpus_per_node: int = Field(
        DEFAULT_GPUS_PER_NODE,
        ge=1,
        le=1024,
        description="GPUs in one server; more GPUs than this span several nodes.",
        json_schema_extra={"label": "GPUs per node"},
    )
    inter_node_link: str = Field(
        DEFAULT_INTER_LINK,
        description="How nodes talk: InfiniBand or Ethernet, and how many ports.",
        json_schema_extra={"label": "Link between nodes"},
    )
    inter_node_gbps: float = Field(
        DEFAULT_INTER_GBPS,
        gt=0,
        le=100_000,
        description="Datasheet bandwidth of a node's compute NICs together, per direction (GB/s).",
        json_schema_extra={"unit": "GB/s", "label": "Bandwidth between nodes (per node)"},
    )
    interconnect_source: str = Field(
        "ScaleRisk default: no interconnect data given for this GPU",
        description="Where the interconnect figures come from.",
        json_schema_extra={"label": "Interconnect source"},
    )

    @model_validator(mode="after")
    def _intra_needed(self) -> Gpu:
        if self.gpus_per_node > 1 and self.intra_node_gbps is None:
            raise ValueError(
                f"{self.name}: {self.gpus_per_node} GPUs per node need a bandwidth inside the node"
            )
        return self

    def collective_link(self, gpus: int) -> CollectiveLink:
        """The link that bounds a collective over ``gpus`` GPUs of this kind.

        Notes
        -----
        All GPUs in one node (:math:`n \\le` ``gpus_per_node``): the per-GPU link inside the
        node.  Otherwise :math:`\\lceil n / \\text{gpus\\_per\\_node} \\rceil` nodes and the
        bound is :math:`\\min(B_\\text{intra}, B_\\text{inter, per node})`: in a ring every
        node boundary is one edge, NCCL spreads its rings over the node's NICs, so what one
        node can push out per direction is the limit (nccl-tests ``doc/PERFORMANCE.md``,
        bus bandwidth).  One GPU: no collective, no link (``gbps`` is None).

        Examples
        --------
        >>> a100 = get_gpu("A100 80GB")
        >>> a100.collective_link(8).gbps, a100.collective_link(16).gbps
        (300.0, 200.0)
        >>> get_gpu("RTX 4090").collective_link(63).nodes
        8
        """
        n = max(gpus, 1)
        if n == 1:
            return CollectiveLink(link="none (one GPU)", gbps=None, nodes=1, crosses_nodes=False)
        if n <= self.gpus_per_node:
            assert self.intra_node_gbps is not None  # checked by the validator
            return CollectiveLink(
                link=self.intra_node_link, gbps=self.intra_node_gbps, nodes=1, crosses_nodes=False
            )
        nodes = math.ceil(n / self.gpus_per_node)
        intra = self.intra_node_gbps if self.intra_node_gbps is not None else math.inf
        return CollectiveLink(
            link=self.inter_node_link,
            gbps=min(intra, self.inter_node_gbps),
            nodes=nodes,
            crosses_nodes=True,
        )

    def peak_flops(self, dtype: str = "bf16") -> float:
        """Dense peak FLOP/s for ``dtype``; bf16 falls back to fp16 (e.g. T4 has no bf16)."""
        table = self.peak_tflops
        for key in (dtype, "fp16" if dtype == "bf16" else dtype):
            if key in table:
                return table[key] * 1e12
        raise InputError(f"{self.name} has no published {dtype} peak")


class CollectiveLink(InputModel, frozen=True, extra="forbid"):
    """The link a collective over some GPUs is bounded by (see :meth:`Gpu.collective_link`)."""

    link: str = Field(description="Name of the bounding link.")
    gbps: float | None = Field(
        description="Its datasheet bandwidth per direction (GB/s); None for one GPU.",
        json_schema_extra={"unit": "GB/s"},
    )
    nodes: int = Field(description="Nodes the GPUs span.")
    crosses_nodes: bool = Field(description="True when traffic leaves the node.")


@lru_cache(maxsize=1)
def catalogue() -> tuple[Gpu, ...]:
    """All GPUs of the shipped catalogue, in file order."""
    raw = json.loads((resources.files("calculator") / "data" / "gpus.json").read_text("utf-8"))
    return tuple(Gpu.model_validate(row) for row in raw["gpus"])


def gpu_names() -> list[str]:
    """Catalogue names, for select boxes and ``--list-gpus``."""
    return [g.name for g in catalogue()]


def get_gpu(name: str) -> Gpu:
    """Look a GPU up by name (case-insensitive, also by unique prefix such as 'H100').

    >>> get_gpu("h100").memory_gb
    80.0
    """
    wanted = name.strip().lower()
    exact = [g for g in catalogue() if g.name.lower() == wanted]
    matches = exact or [g for g in catalogue() if g.name.lower().startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(gpu_names())
    what = "is ambiguous" if matches else "is not in the catalogue"
    raise InputError(f"GPU {name!r} {what}; known GPUs: {known}")
