"""Accelerator detection: CUDA (name, memory, compute capability), Apple MPS, or CPU.

Peak FLOP/s per dtype come from the shared GPU catalogue (:mod:`calculator.hardware`)
when the detected device matches a catalogue entry by name; otherwise they stay unknown
(no share of peak is reported then).  torch is imported inside :func:`detect` only.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path

from bench.protocol import DeviceInfo

#: CPU flags that matter for embedding throughput (bf16 / int8 matrix instructions).
INTERESTING_CPU_FLAGS = (
    "avx2",
    "avx512f",
    "avx512_bf16",
    "avx512_vnni",
    "amx_bf16",
    "amx_int8",
    "amx_tile",
)


def _catalogue_key(name: str) -> list[str]:
    """Model keys of a catalogue name: 'A100 80GB' → ['A100']; 'DGX Spark (GB10)' → ['DGX Spark',
    'GB10'].

    >>> _catalogue_key("RTX 4090 24GB")
    ['RTX 4090']
    >>> _catalogue_key("DGX Spark (GB10)")
    ['DGX Spark', 'GB10']
    """
    inner = re.findall(r"\(([^)]*)\)", name)
    base = re.sub(r"\([^)]*\)", "", name)
    base = re.sub(r"\b\d+\s*GB\b", "", base).strip()
    keys = [base] + [k.strip() for k in inner if "core" not in k.lower()]
    return [k for k in keys if k]


def match_catalogue(device_name: str, memory_gb: float | None = None):
    """The catalogue GPU whose model name appears as a word in ``device_name`` (closest memory
    wins).

    >>> match_catalogue("NVIDIA H200", 139.8).name
    'H200 141GB'
    >>> match_catalogue("NVIDIA A100-SXM4-80GB", 79.3).name
    'A100 80GB'
    >>> match_catalogue("NVIDIA A10", 22.0).name
    'A10 24GB'
    >>> match_catalogue("AMD EPYC 9R14") is None
    True
    """
    from calculator.hardware import catalogue

    hits = []
    for gpu in catalogue():
        for key in _catalogue_key(gpu.name):
            if re.search(
                rf"(?<![A-Za-z0-9]){re.escape(key)}(?![A-Za-z0-9])", device_name, re.IGNORECASE
            ):
                hits.append(gpu)
                break
    if not hits:
        return None
    if memory_gb is None:
        return hits[0]
    return min(hits, key=lambda g: abs(g.memory_gb - memory_gb))


def peak_flops_for(device_name: str, memory_gb: float | None = None) -> dict[str, float]:
    """Dense peak FLOP/s by dtype (fp32, fp16, bf16, tf32 …) for a known device, else ``{}``."""
    gpu = match_catalogue(device_name, memory_gb)
    if gpu is None:
        return {}
    return {dtype: tflops * 1e12 for dtype, tflops in gpu.peak_tflops.items()}


def cpu_name() -> str:
    """CPU model name from /proc/cpuinfo (Linux), sysctl (macOS) or :mod:`platform`."""
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    if platform.system() == "Darwin":
        try:
            out = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True,
                text=True,
                timeout=5,
            )
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown CPU"


def cpu_flags() -> tuple[str, ...]:
    """The :data:`INTERESTING_CPU_FLAGS` this CPU advertises (Linux /proc/cpuinfo; Apple arm64 →
    'neon', 'bf16')."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        text = ""
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            return tuple(f for f in INTERESTING_CPU_FLAGS if f in flags)
    if platform.system() == "Darwin" and platform.machine() == "arm64":
        return ("neon", "bf16")
    return ()


def cpu_supports_bf16(features: tuple[str, ...]) -> bool:
    """Native bf16 matrix instructions (AVX-512 BF16, AMX, Apple arm64).

    >>> cpu_supports_bf16(("avx2", "avx512_bf16"))
    True
    >>> cpu_supports_bf16(("avx2",))
    False
    """
    return any(f in features for f in ("avx512_bf16", "amx_bf16", "bf16"))


def usable_cores() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def detect(want: str = "auto") -> DeviceInfo:
    """Detect the accelerator: CUDA, then MPS, then CPU (``want`` forces one).

    Raises :class:`calculator.errors.InputError` when the requested device is absent.
    """
    import torch

    from calculator.errors import InputError

    features = cpu_flags()
    cores = usable_cores()
    tv = torch.__version__
    cuda_ok = torch.cuda.is_available()
    mps_ok = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if want == "cuda" and not cuda_ok:
        raise InputError("device 'cuda' requested but torch sees no CUDA GPU")
    if want == "mps" and not mps_ok:
        raise InputError("device 'mps' requested but Apple MPS is not available")
    if (want in ("auto", "cuda")) and cuda_ok:
        props = torch.cuda.get_device_properties(0)
        name = torch.cuda.get_device_name(0)
        memory_gb = props.total_memory / 1e9
        return DeviceInfo(
            kind="cuda",
            name=name,
            memory_gb=round(memory_gb, 1),
            compute_capability=f"{props.major}.{props.minor}",
            cpu_cores=cores,
            features=features,
            peak_flops=peak_flops_for(name, memory_gb),
            torch_version=tv,
        )
    if (want in ("auto", "mps")) and mps_ok:
        name = cpu_name()  # Apple chip name, e.g. "Apple M2 Pro"; GPU shares unified memory
        memory_gb = None
        try:
            out = subprocess.run(
                ["sysctl", "-n", "hw.memsize"], capture_output=True, text=True, timeout=5
            )
            memory_gb = round(int(out.stdout.strip()) / 1e9, 1)
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
        return DeviceInfo(
            kind="mps",
            name=name,
            memory_gb=memory_gb,
            cpu_cores=cores,
            features=features,
            peak_flops=peak_flops_for(name, None),
            torch_version=tv,
        )
    memory_gb = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages * size / 1e9, 1)
    except (ValueError, OSError, AttributeError):
        pass
    return DeviceInfo(
        kind="cpu",
        name=cpu_name(),
        memory_gb=memory_gb,
        cpu_cores=cores,
        features=features,
        peak_flops={},
        torch_version=tv,
    )


def torch_device(info: DeviceInfo) -> str:
    """The torch device string for ``info``."""
    return {"cuda": "cuda", "mps": "mps", "cpu": "cpu"}[info.kind]


def supported_precisions(info: DeviceInfo) -> tuple[str, ...]:
    """Precisions worth trying on this device, fp32 first.

    CUDA: fp16 always, bf16 from compute capability 8.0 (Ampere); MPS: fp16; CPU: bf16
    only with native bf16 instructions (else it is emulated and slower).

    >>> supported_precisions(DeviceInfo(kind="cpu", name="x", features=("avx512_bf16",)))
    ('fp32', 'bf16')
    >>> supported_precisions(DeviceInfo(kind="cuda", name="T4", compute_capability="7.5"))
    ('fp32', 'fp16')
    """
    if info.kind == "cuda":
        major = int((info.compute_capability or "0.0").split(".")[0])
        return ("fp32", "bf16", "fp16") if major >= 8 else ("fp32", "fp16")
    if info.kind == "mps":
        return ("fp32", "fp16")
    return ("fp32", "bf16") if cpu_supports_bf16(info.features) else ("fp32",)
