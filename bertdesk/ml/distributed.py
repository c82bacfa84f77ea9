"""Data-parallel training under ``torchrun``: which process this is, and rank-0-only writes.

``torchrun --nproc_per_node=N bertdesk train …`` starts N copies of the same command; each
learns from its share of every epoch's batches and DDP averages their gradients, so all end
with the same weights. Only rank 0 touches the project and the run folder; what it creates
(a run id, a validation split) is broadcast to the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def world_size() -> int:
    """How many processes train together (1 outside torchrun)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main_process() -> bool:
    """True for the process that writes and prints (rank 0, or the only one)."""
    return int(os.environ.get("RANK", "0")) == 0


def distributed_rank() -> tuple[int, int]:
    """This process's rank and the world size; joins the process group the first time.

    gloo on CPUs, nccl where CUDA is present.
    """
    world = world_size()
    if world <= 1:
        return 0, 1
    import torch
    import torch.distributed as dist

    if not dist.is_initialized():
        if torch.cuda.is_available():
            # One GPU per process: "cuda" then means this process's own GPU everywhere.
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return dist.get_rank(), world


def on_rank0(rank: int, action: Callable[[], T], default: T) -> T:
    """Run a write on rank 0 only and hand its (picklable) result to every rank.

    A process in no group runs it itself: the only one, or rank 0 after its run has left the
    group (the baseline it then fits alone reads the split through here too).
    """
    if world_size() <= 1:
        return action()
    import torch.distributed as dist

    if not dist.is_initialized():
        return action()
    box = [action() if rank == 0 else default]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def shard_batches(batches: list[list[int]], rank: int, world: int) -> list[list[int]]:
    """This rank's share of an epoch's batches (every rank drew the same order from the seed).

    Cut to a multiple of ``world`` first so every rank takes the same number of steps: DDP
    waits for all ranks at each backward pass.
    """
    usable = len(batches) // world * world
    return batches[:usable][rank::world]


def wrap_model(model: Any, world: int, device_kind: str) -> Any:
    """The model wrapped in DistributedDataParallel when more than one process trains."""
    if world <= 1:
        return model
    from torch.nn.parallel import DistributedDataParallel

    if device_kind == "cuda":
        import torch

        return DistributedDataParallel(model, device_ids=[torch.cuda.current_device()])
    return DistributedDataParallel(model)


def leave_process_group(world: int) -> None:
    """Wait until every rank has reached the end of the run, then leave the process group.

    A process that exits still in the group can abort on the way out ("terminate called
    without an active exception": gloo's threads outlive the interpreter), which torchrun then
    reports as a failed run although every rank had finished.
    """
    if world <= 1:
        return
    import torch.distributed as dist

    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
