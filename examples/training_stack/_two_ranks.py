"""Helper for the distributed examples: run a function on two CPU processes (gloo).

Only the loopback interface is used, the rendezvous is a file (no port to pick), and
every wait is bounded: a collective that never completes raises after TIMEOUT, and
a process that never ends is killed.

The ranks start from a forkserver (a Unix start method): a new server process imports
the PRELOAD modules once and forks each rank from itself. As with "spawn", a rank gets
none of the caller's process state (no CUDA context, no threads); unlike "spawn", a
second run from the same process reuses the server instead of importing torch again.
"""

import datetime
import os
import socket
import tempfile
import time

import torch.distributed as dist
import torch.multiprocessing as mp

TIMEOUT = datetime.timedelta(seconds=60)
WORLD_SIZE = 2
PRELOAD = ["torch.distributed", "torch.nn.parallel", "torch.distributed.fsdp"]


def _loopback() -> str:
    """The loopback interface's name ("lo" on Linux, "lo0" on macOS)."""
    return next(name for _, name in socket.if_nameindex() if name.startswith("lo"))


def _rank(rank: int, function, rendezvous: str, results) -> None:
    os.environ["GLOO_SOCKET_IFNAME"] = _loopback()  # gloo binds to 127.0.0.1 only
    dist.init_process_group(
        "gloo",
        init_method=f"file://{rendezvous}",
        rank=rank,
        world_size=WORLD_SIZE,
        timeout=TIMEOUT,
    )
    try:
        results.put((rank, function(rank)))
    finally:
        dist.destroy_process_group()


def run_on_two_ranks(function) -> list:
    """``function(rank)`` on ranks 0 and 1; returns what each returned, by rank."""
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    results = context.SimpleQueue()
    with tempfile.TemporaryDirectory() as folder:
        processes = mp.start_processes(
            _rank,
            args=(function, os.path.join(folder, "rendezvous"), results),
            nprocs=WORLD_SIZE,
            join=False,
            start_method="forkserver",
        )
        deadline = time.monotonic() + 2 * TIMEOUT.total_seconds()
        # join() returns True once both ranks have ended, and raises if one raised
        while not processes.join(timeout=max(0.0, deadline - time.monotonic())):
            if time.monotonic() >= deadline:
                for process in processes.processes:
                    process.kill()
                raise TimeoutError("the ranks did not finish in time: killed")
    by_rank = dict(results.get() for _ in range(WORLD_SIZE))
    return [by_rank[rank] for rank in range(WORLD_SIZE)]
