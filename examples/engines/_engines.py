"""Helpers for the engine examples: two CPU ranks, and DeepSpeed on them, quietly.

``run_on_two_ranks`` is the one of examples/training_stack/_two_ranks.py (gloo on the
loopback interface, every wait bounded), imported from there.
"""

import logging
import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training_stack"))
from _two_ranks import run_on_two_ranks  # noqa: E402

__all__ = ["deepspeed_on_cpu", "run_on_two_ranks"]


def deepspeed_on_cpu(rank: int):
    """Import DeepSpeed on ``rank`` (a process of its own) with its CPU accelerator.

    - LOCAL_RANK: deepspeed.initialize asserts that a launcher set it (run_on_two_ranks
      starts the processes itself, with one machine: the local rank is the rank).

    - DS_ACCELERATOR=cpu: DeepSpeed would otherwise pick CUDA where there is one.
    - DeepSpeed's logger (INFO by default) prints its configuration on every call to
      deepspeed.initialize: warnings and errors only.
    - On the CPU, DeepSpeed's communication backend compiles a shared-memory all-reduce
      op (deepspeed_shm_comm) with g++ the first time it starts: minutes on a busy
      machine. Marked unavailable, DeepSpeed leaves every collective to gloo.
    - torch 2.13 deprecates the collectives DeepSpeed 0.19.8 calls
      (all_gather_into_tensor, reduce_scatter_tensor): a FutureWarning at each call.
    """
    os.environ["LOCAL_RANK"] = str(rank)
    os.environ["DS_ACCELERATOR"] = "cpu"
    import deepspeed

    deepspeed.utils.logger.setLevel(logging.WARNING)
    deepspeed.ops.__compatible_ops__["deepspeed_shm_comm"] = False
    warnings.filterwarnings("ignore", r"`torch\.distributed\.\w+` is deprecated")
    return deepspeed


def local_values(module) -> "torch.Tensor":
    """The values of ``module``'s parameters that this rank holds, flattened.

    ZeRO-2 keeps every parameter whole on every rank; ZeRO-3 keeps a slice of each
    (``ds_tensor``) and leaves the parameter itself empty between uses.
    """
    import torch

    return torch.cat(
        [getattr(p, "ds_tensor", p).detach().flatten() for p in module.parameters()]
    ).clone()
