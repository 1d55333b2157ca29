"""GPU catalogue (memory, dense peak FLOP/s by dtype, typical $/hour) kept as data.

The table lives in ``calculator/data/gpus.json`` with a source per row; pages let users
edit it for the session, the CLI takes ``--gpu NAME``.  Shared by the sizing, fine-tuning
and benchmark pages.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, Field

from calculator.errors import InputError


class Gpu(BaseModel, frozen=True, extra="forbid"):
    """One accelerator: memory, dense peak throughput per dtype, price."""

    name: str = Field(description="Catalogue name, e.g. 'H100 80GB'.")
    vendor: str = Field(description="Manufacturer.")
    memory_gb: float = Field(gt=0, description="Device memory.", json_schema_extra={"unit": "GB"})
    peak_tflops: dict[str, float] = Field(
        description="Dense peak throughput by dtype (bf16, fp16, fp32, tf32, fp8).",
        json_schema_extra={"unit": "TFLOP/s"},
    )
    usd_per_hour: float = Field(ge=0, description="Typical price per GPU-hour.", json_schema_extra={"unit": "USD/h"})
    source: str = Field(description="Where the figures come from.")

    def peak_flops(self, dtype: str = "bf16") -> float:
        """Dense peak FLOP/s for ``dtype``; bf16 falls back to fp16 (e.g. T4 has no bf16)."""
        table = self.peak_tflops
        for key in (dtype, "fp16" if dtype == "bf16" else dtype):
            if key in table:
                return table[key] * 1e12
        raise InputError(f"{self.name} has no published {dtype} peak")


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
