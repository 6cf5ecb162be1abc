import torch
import torch.distributed as dist
from _two_ranks import run_on_two_ranks
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP


def collectives(call) -> int:
    """How many collectives ``call()`` issued on this rank (gloo counts them)."""
    group = dist.group.WORLD
    before = group._get_sequence_number_for_group()
    call()
    return group._get_sequence_number_for_group() - before


def on_each_rank(rank: int) -> dict:
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 1))
    ddp = DDP(net)
    torch.manual_seed(rank)
    ddp(torch.randn(16, 4)).sum().backward()  # one training step
    x = torch.randn(4, 4)
    facts = {}

    # The wrapper's forward may talk to the other ranks, even in eval and no_grad:
    # here it broadcasts rank 0's buffers (BatchNorm statistics). Both ranks call
    # it, so the counts can be shown; on one rank alone it would be unmatched.
    ddp.eval()
    with torch.no_grad():
        facts["DDP wrapper, eval + no_grad, 1st call"] = collectives(lambda: ddp(x))
        facts["DDP wrapper, 2nd call"] = collectives(lambda: ddp(x))
    ddp.train()

    # The pattern for evaluating on rank 0 only: the inner module, then a barrier
    if rank == 0:
        net.eval()
        with torch.no_grad():
            facts["rank 0 alone: ddp.module"] = collectives(lambda: net(x))
        net.train()
    dist.barrier()  # the other ranks wait here; then all continue together

    # SyncBatchNorm: eval mode never synchronises (track_running_stats or not)
    for track in (True, False):
        sync = nn.SyncBatchNorm(8, track_running_stats=track).eval()
        if rank == 0:
            name = f"rank 0 alone: SyncBatchNorm eval, track_running_stats={track}"
            facts[name] = collectives(lambda sync=sync: sync(torch.randn(4, 8)))
        dist.barrier()
    try:  # training mode would synchronise, which it supports on GPUs only
        nn.SyncBatchNorm(8).train()(torch.randn(4, 8))
    except ValueError as error:
        facts["SyncBatchNorm training on the CPU"] = str(error)
    else:
        raise AssertionError(
            "SyncBatchNorm training on the CPU did not raise ValueError"
        )
    return facts


if __name__ == "__main__":
    torch.manual_seed(0)
    rank0, rank1 = run_on_two_ranks(on_each_rank)
    cpu_error = rank0.pop("SyncBatchNorm training on the CPU")
    for fact, value in rank0.items():
        print(f"{fact}: {value}")
        #> DDP wrapper, eval + no_grad, 1st call: 2
        #> DDP wrapper, 2nd call: 0
        #> rank 0 alone: ddp.module: 0
        #> rank 0 alone: SyncBatchNorm eval, track_running_stats=True: 0
        #> rank 0 alone: SyncBatchNorm eval, track_running_stats=False: 0
    print(cpu_error)
    #> SyncBatchNorm expected input tensor to be on GPU or XPU or privateuseone
    assert cpu_error.startswith("SyncBatchNorm expected input tensor to be on GPU")
    assert rank0["DDP wrapper, eval + no_grad, 1st call"] > 0
    assert rank0["DDP wrapper, 2nd call"] == 0
    assert rank0["rank 0 alone: ddp.module"] == 0
    assert rank0["rank 0 alone: SyncBatchNorm eval, track_running_stats=False"] == 0
    assert rank1["DDP wrapper, eval + no_grad, 1st call"] > 0  # on every rank
