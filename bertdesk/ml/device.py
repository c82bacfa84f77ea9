"""Which device trains and predicts: CUDA, then Apple MPS, then the CPU with its threads set."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class DeviceInfo:
    kind: str  # "cuda" | "mps" | "cpu"
    name: str
    memory_bytes: Optional[int]
    threads: int
    precision: str  # "bf16" | "fp16" | "fp32": the autocast training uses

    def describe(self) -> str:
        memory = f", {self.memory_bytes / 2**30:.0f} GiB" if self.memory_bytes else ""
        if self.kind == "cpu":
            return f"CPU ({self.name}, {self.threads} threads, {self.precision})"
        return f"{self.kind.upper()} {self.name}{memory} ({self.precision})"


def physical_cores() -> int:
    try:
        import psutil

        cores = psutil.cpu_count(logical=False)
    except ImportError:  # pragma: no cover - psutil is a dependency
        cores = None
    return max(1, cores or os.cpu_count() or 1)


def cpu_threads() -> int:
    """Threads for the CPU's maths: OMP_NUM_THREADS where it is set (torchrun sets 1 for each
    of its processes; a user running two trainings side by side can give each its share),
    else one per physical core: hyper-threads share a core's vector units and add no speed."""
    try:
        requested = int(os.environ.get("OMP_NUM_THREADS", ""))
    except ValueError:
        requested = 0
    return requested if requested > 0 else physical_cores()


def pick_device(preference: str = "auto") -> DeviceInfo:
    """The best device present, or the one asked for ("cuda", "mps", "cpu"). A GPU asked for
    by name that PyTorch cannot use is refused: a job meant for it must not run for hours on
    the CPU instead without a word."""
    import torch

    from bertdesk.core import UserInputError

    if (preference == "cuda" and not torch.cuda.is_available()
            or preference == "mps" and not torch.backends.mps.is_available()):
        raise UserInputError(
            "No {device} that PyTorch can use is on this computer.",
            "Choose the device auto (the best one present) or cpu; for an NVIDIA GPU, install "
            "PyTorch's CUDA build (bertdesk doctor says what this computer has).",
            device="CUDA GPU" if preference == "cuda" else "Apple GPU (MPS)",
        )
    if preference in ("auto", "cuda") and torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return DeviceInfo("cuda", props.name, props.total_memory, physical_cores(), precision)
    if preference in ("auto", "mps") and torch.backends.mps.is_available():
        return DeviceInfo("mps", "Apple GPU", None, physical_cores(), "fp32")
    threads = cpu_threads()
    torch.set_num_threads(threads)
    import platform

    name = platform.processor() or platform.machine()
    # fp32 on the CPU: under equal load bf16 autocast gave no clear gain here (17.3 vs 15.7
    # samples per CPU-second, same accuracy; benchmarks/train_speed.py on an AVX512-BF16 CPU;
    # a 6x gap seen once came from a busier machine). bf16 stays available as precision="bf16".
    return DeviceInfo("cpu", name, None, threads, "fp32")


def with_precision(device: DeviceInfo, requested: str) -> DeviceInfo:
    """The device with the precision the user asked for, where that device can compute in it.

    "auto" keeps the device's own choice; fp16 autocast exists only on CUDA, so elsewhere a
    request for it is refused in words rather than silently ignored.
    """
    from bertdesk.core import UserInputError

    if requested == "auto" or requested == device.precision:
        return device
    if requested == "fp16" and device.kind != "cuda":
        raise UserInputError(
            "fp16 training needs an NVIDIA GPU; this run uses the {device}.",
            "Choose precision auto, bf16 or fp32.",
            device=device.kind.upper(),
        )
    return dataclasses.replace(device, precision=requested)
