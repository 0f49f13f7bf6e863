"""Which numeric precision COMET runs in: ``auto`` resolved from the hardware, without torch.

``auto`` (the default) is bf16 where the device computes bfloat16 natively and fp32 elsewhere:

- CPU: the ``avx512_bf16`` or ``amx_bf16`` flag in ``/proc/cpuinfo`` (Intel Cooper Lake and
  Sapphire Rapids on, AMD Zen 4 on). Without them bfloat16 matrix products are emulated and
  slower than fp32.
- CUDA GPU: compute capability 8.0 or above (Ampere on), read from ``nvidia-smi`` so that a
  fully cached run still imports no torch; where ``nvidia-smi`` cannot answer, torch is asked.

bf16 keeps fp32's exponent range (it cannot overflow where fp16 can) and loses mantissa bits:
scores move by about 1e-2 at most (measured in the README). The resolved value is part of the
cache key and of the signature, so bf16 and fp32 scores never mix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CHOICES = ("auto", "fp32", "bf16")
RESOLVED = ("fp32", "bf16")
DEFAULT = "auto"

# CPU flags (as /proc/cpuinfo spells them) with native bfloat16 dot products.
BF16_CPU_FLAGS = ("avx512_bf16", "amx_bf16")
# CUDA compute capability from which bfloat16 runs on tensor cores (Ampere, sm_80).
BF16_MIN_COMPUTE_CAPABILITY = (8, 0)

CPUINFO = Path("/proc/cpuinfo")

# oneDNN (which runs torch's bfloat16 matrix products on CPU) can be capped below the CPU's own
# instruction set with ONEDNN_MAX_CPU_ISA; these caps leave it without bfloat16 dot products.
ONEDNN_NO_BF16 = ("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE", "AVX512_CORE_VNNI")


@dataclass(frozen=True)
class Resolved:
    precision: str  # "fp32" or "bf16"
    requested: str  # what the user asked for: "auto", "fp32" or "bf16"
    device: str  # "cpu" or "cuda"
    reason: str  # one line for --verbose

    def describe(self) -> str:
        return f"COMET precision: {self.precision} ({self.reason})"


def cpu_flags(cpuinfo: Path | None = None) -> set[str]:
    """The CPU's feature flags (the first ``flags`` line); empty where they cannot be read."""
    try:
        with open(cpuinfo or CPUINFO, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.partition(":")[2].split())
    except OSError:
        pass
    return set()


def cuda_bf16() -> bool | None:
    """True/False: whether GPU 0 has native bfloat16; None: no CUDA GPU could be seen."""
    capability = _nvidia_smi_capability()
    if capability is not None:
        return capability >= BF16_MIN_COMPUTE_CAPABILITY
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    return bool(torch.cuda.is_bf16_supported())


def _nvidia_smi_capability() -> tuple[int, int] | None:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--query-gpu=compute_cap", "--format=csv,noheader", "-i", "0"],
                             capture_output=True, text=True, timeout=10, check=True).stdout
        major, minor = out.strip().splitlines()[0].strip().split(".")
        return int(major), int(minor)
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


_DETECT = object()


def resolve(requested: str, gpus: int = 0, flags: set[str] | None = None, cuda=_DETECT) -> Resolved:
    """What ``requested`` means on this machine. ``flags``/``cuda`` stand in for the hardware
    in tests (``cuda``: True/False for a GPU with/without bf16, None for no GPU)."""
    if requested not in CHOICES:
        raise ValueError(f"precision must be one of {', '.join(CHOICES)}, not {requested!r}")
    on_gpu = None
    if gpus > 0:
        on_gpu = cuda_bf16() if cuda is _DETECT else cuda
    device = "cuda" if on_gpu is not None else "cpu"
    if requested != "auto":
        return Resolved(requested, requested, device, f"--comet-precision {requested}")
    if device == "cuda":
        if on_gpu:
            return Resolved("bf16", requested, device, "auto: the GPU computes bfloat16 natively")
        return Resolved("fp32", requested, device, "auto: the GPU has no native bfloat16 (before sm_80)")
    have = cpu_flags() if flags is None else flags
    native = [f for f in BF16_CPU_FLAGS if f in have]
    cap = (os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA") or "").strip().upper()
    if native and cap in ONEDNN_NO_BF16:
        return Resolved("fp32", requested, device, f"auto: ONEDNN_MAX_CPU_ISA={cap} leaves oneDNN without bfloat16")
    if native:
        return Resolved("bf16", requested, device, f"auto: the CPU has {', '.join(native)}")
    return Resolved("fp32", requested, device,
                    f"auto: the CPU has neither {' nor '.join(BF16_CPU_FLAGS)}, bfloat16 would be emulated")
