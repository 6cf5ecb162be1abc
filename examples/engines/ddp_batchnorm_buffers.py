import warnings

import torch
import torch.distributed as dist
from _engines import run_on_two_ranks
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP


def model() -> nn.Sequential:
    torch.manual_seed(0)  # the same initial weights on both ranks
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 1))


def train(ddp: DDP, rank: int) -> None:
    torch.manual_seed(rank)
    for _ in range(3):  # each rank its own data, with its own mean
        ddp(torch.randn(16, 4) + 3 * rank).pow(2).mean().backward()


def same_on_both_ranks(tensor: torch.Tensor) -> bool:
    gathered = [torch.empty_like(tensor) for _ in range(2)]
    dist.all_gather(gathered, tensor)
    return torch.equal(*gathered)


def synced_by_next_forward(ddp: DDP, rank: int, previous) -> bool:
    """Run ``previous``, make the ranks' statistics differ, then one more forward
    through the wrapper (eval(), no_grad: it changes no statistics itself).
    True when that forward copied rank 0's statistics to both ranks first."""
    previous()
    batchnorm = ddp.module[1]
    batchnorm.running_mean.add_(rank)  # now different on each rank
    ddp.eval()
    with torch.no_grad():
        ddp(torch.ones(4, 4))
    return same_on_both_ranks(batchnorm.running_mean)


def sync_rule(rank: int) -> dict:
    """When a forward through the wrapper first broadcasts rank 0's buffers."""
    ddp = DDP(model())  # forward_sync_buffers=True, the default
    x = torch.randn(16, 4)

    def step(mode: str):  # forward and backward with grad mode on
        def run():
            getattr(ddp, mode)()  # ddp.train() or ddp.eval()
            ddp(x).pow(2).mean().backward()

        return run

    def no_grad_forward():
        with torch.no_grad():
            ddp(x)

    def step_in_no_sync():
        with ddp.no_sync():
            step("train")()

    return {
        f"previous forward: {name}": synced_by_next_forward(ddp, rank, previous)
        for name, previous in (
            ("none, the first forward", lambda: None),
            ("grad mode on, train()", step("train")),
            ("grad mode on, eval()", step("eval")),
            ("no_grad", no_grad_forward),
            ("grad mode on, inside no_sync()", step_in_no_sync),
        )
    }


def synced_at_construction(rank: int, **flag) -> bool:
    """Whether DDP(...) itself copies rank 0's buffers to every rank."""
    net = model()
    net[1].running_mean.fill_(rank)  # different on each rank
    DDP(net, **flag)
    return same_on_both_ranks(net[1].running_mean)


def on_each_rank(rank: int) -> dict:
    facts = sync_rule(rank)
    held_out = torch.ones(4, 4)  # the same evaluation batch on both ranks
    for sync in (True, False):  # True: the default
        ddp = DDP(model(), forward_sync_buffers=sync)
        batchnorm = ddp.module[1]
        train(ddp, rank)
        name = f"forward_sync_buffers={sync}"
        facts[f"{name}, after training"] = same_on_both_ranks(batchnorm.running_mean)
        ddp.eval()
        with torch.no_grad():
            ddp.module(held_out)  # the inner module: no synchronisation
            facts[f"{name}, after ddp.module(x)"] = same_on_both_ranks(
                batchnorm.running_mean
            )
            score = ddp(held_out)  # the wrapper: rank 0's buffers first, if sync
        facts[f"{name}, after ddp(x)"] = same_on_both_ranks(batchnorm.running_mean)
        facts[f"{name}, eval scores equal"] = same_on_both_ranks(score)
    # the fix for any setting: copy rank 0's statistics (what rank 0 saves) to all
    for buffer in batchnorm.buffers():
        dist.broadcast(buffer, src=0)
    facts["forward_sync_buffers=False, after dist.broadcast"] = same_on_both_ranks(
        batchnorm.running_mean
    )
    # at construction: forward_sync_buffers=False still synchronises
    facts["construction, forward_sync_buffers=False: synced"] = synced_at_construction(
        rank, forward_sync_buffers=False
    )
    # the older name of the flag: it also skips the synchronisation at construction
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        facts["construction, broadcast_buffers=False: synced"] = synced_at_construction(
            rank, broadcast_buffers=False
        )
    assert caught, "DDP(broadcast_buffers=False) did not warn"
    facts["broadcast_buffers warning"] = caught[0].category.__name__
    facts["broadcast_buffers"] = str(caught[0].message)
    # SyncBatchNorm computes the statistics over all ranks, on some devices only
    try:
        nn.SyncBatchNorm(8)(torch.randn(4, 8))
    except ValueError as error:
        facts["SyncBatchNorm on the CPU"] = str(error)
    else:
        raise AssertionError("SyncBatchNorm trained on the CPU")
    return facts


if __name__ == "__main__":
    rank0, rank1 = run_on_two_ranks(on_each_rank)
    assert rank0 == rank1  # both ranks saw the same
    warning = rank0.pop("broadcast_buffers")
    messages = [warning.split(" IMPORTANT")[0], rank0.pop("SyncBatchNorm on the CPU")]
    for fact, value in rank0.items():
        print(f"{fact}: {value}")
        #> previous forward: none, the first forward: True
        #> previous forward: grad mode on, train(): True
        #> previous forward: grad mode on, eval(): True
        #> previous forward: no_grad: False
        #> previous forward: grad mode on, inside no_sync(): False
        #> forward_sync_buffers=True, after training: False
        #> forward_sync_buffers=True, after ddp.module(x): False
        #> forward_sync_buffers=True, after ddp(x): True
        #> forward_sync_buffers=True, eval scores equal: True
        #> forward_sync_buffers=False, after training: False
        #> forward_sync_buffers=False, after ddp.module(x): False
        #> forward_sync_buffers=False, after ddp(x): False
        #> forward_sync_buffers=False, eval scores equal: False
        #> forward_sync_buffers=False, after dist.broadcast: True
        #> construction, forward_sync_buffers=False: synced: True
        #> construction, broadcast_buffers=False: synced: False
        #> broadcast_buffers warning: FutureWarning
    print("\n".join(messages))
    """
    `broadcast_buffers` is deprecated. Use `forward_sync_buffers` instead.
    SyncBatchNorm expected input tensor to be on GPU or XPU or privateuseone
    """
    # the previous forward through the wrapper decides, not train() or eval()
    assert rank0["previous forward: none, the first forward"]
    assert rank0["previous forward: grad mode on, train()"]
    assert rank0["previous forward: grad mode on, eval()"]
    assert not rank0["previous forward: no_grad"]
    assert not rank0["previous forward: grad mode on, inside no_sync()"]
    # each rank's own batches update its own statistics: they differ after training
    assert not rank0["forward_sync_buffers=True, after training"]
    assert not rank0["forward_sync_buffers=True, after ddp.module(x)"]
    # a forward through the wrapper, after a training step, copies rank 0's first
    assert rank0["forward_sync_buffers=True, after ddp(x)"]
    assert rank0["forward_sync_buffers=True, eval scores equal"]
    # without the synchronisation, every rank evaluates with its own statistics
    assert not rank0["forward_sync_buffers=False, after ddp(x)"]
    assert not rank0["forward_sync_buffers=False, eval scores equal"]
    assert rank0["forward_sync_buffers=False, after dist.broadcast"]
    assert rank0["construction, forward_sync_buffers=False: synced"]
    assert not rank0["construction, broadcast_buffers=False: synced"]
    assert rank0["broadcast_buffers warning"] == "FutureWarning"
    assert "`forward_sync_buffers=False` still syncs buffers at init" in warning
    assert (
        messages[0]
        == "`broadcast_buffers` is deprecated. Use `forward_sync_buffers` instead."
    )
    assert messages[1].startswith("SyncBatchNorm expected input tensor to be on GPU")
