import torch
import torch.distributed as dist
from _two_ranks import run_on_two_ranks
from torch import nn
from torch.distributed.fsdp import FullyShardedDataParallel, fully_shard
from torch.nn.parallel import DistributedDataParallel as DDP


def model() -> nn.Sequential:
    torch.manual_seed(0)  # the same initial weights on both ranks
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))


def steps(wrapped: nn.Module, rank: int, count: int) -> str:
    """Train ``count`` steps; "ok", or the first sentence of the error raised."""
    torch.manual_seed(rank)  # each rank its own data
    try:
        for _ in range(count):
            wrapped(torch.randn(16, 4)).pow(2).mean().backward()
    except RuntimeError as error:
        return str(error).split(". ")[0]
    else:
        return "ok"


def frozen_after_one_step(rank: int) -> DDP:
    """A DDP wrapper that trained one step, then its first layer was frozen."""
    ddp = DDP(model())
    steps(ddp, rank, count=1)
    ddp.module[0].requires_grad_(False)
    return ddp


class TwoHeads(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body, self.main, self.aux = (
            nn.Linear(4, 8),
            nn.Linear(8, 1),
            nn.Linear(8, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.main(self.body(x))  # aux is not used in this phase


def on_each_rank(rank: int) -> dict:
    facts = {}
    # 1. Frozen before wrapping: DDP syncs only what requires grad
    net = model()
    net[0].requires_grad_(False)
    facts["frozen before wrapping"] = steps(DDP(net), rank, count=3)
    facts["frozen weight.grad is None"] = net[0].weight.grad is None
    facts["head grad"] = net[2].weight.grad.sum().item()  # averaged over the ranks

    # 2. Frozen after wrapping: DDP still waits for the frozen parameters, and the
    # failed wrapper stops in the middle of an iteration
    failed = frozen_after_one_step(rank)
    facts["frozen after wrapping"] = steps(failed, rank, count=2)
    # a new wrapper while the failed one lives: the failed one's hooks still fire
    facts["new wrapper, failed one kept"] = steps(DDP(failed.module), rank, count=2)
    # the fix: delete the failed wrapper, then wrap again (on every rank)
    failed = frozen_after_one_step(rank)
    steps(failed, rank, count=2)
    module = failed.module
    del failed
    facts["new wrapper, failed one deleted"] = steps(DDP(module), rank, count=2)
    # a wrapper that has not run since the change does not get in the way
    idle = frozen_after_one_step(rank)
    facts["new wrapper, idle one kept"] = steps(DDP(idle.module), rank, count=2)

    # 3. A parameter that forward() does not use
    facts["unused, default"] = steps(DDP(TwoHeads()), rank, count=2)
    wrapped = DDP(TwoHeads(), find_unused_parameters=True)
    facts["unused, find_unused_parameters=True"] = steps(wrapped, rank, count=2)

    # 4. FSDP2: frozen and trainable parameters in one fully_shard group
    net = model()
    net[0].requires_grad_(False)
    fully_shard(net)
    facts["FSDP2 fully_shard, frozen first layer"] = steps(net, rank, count=2)
    facts["FSDP2 frozen grads are None"] = net[0].weight.grad is None

    # 5. FSDP1 on the CPU (device_id: the module's own device; gloo ranks are CPU
    # processes): one flat parameter per unit needs one requires_grad
    net = model()
    net[0].requires_grad_(False)
    device = next(net.parameters()).device
    try:
        FullyShardedDataParallel(net, device_id=device)
    except ValueError as error:
        facts["FSDP1, frozen first layer"] = str(error)
    else:
        raise AssertionError("FSDP1 flattened frozen and trainable parameters together")
    net = model()
    net[0].requires_grad_(False)
    wrapped = FullyShardedDataParallel(net, device_id=device, use_orig_params=True)
    facts["FSDP1 use_orig_params=True"] = steps(wrapped, rank, count=2)
    facts["FSDP1 frozen grads are None"] = all(
        p.grad is None for p in net[0].parameters()
    )
    # the head's gradient is sharded: each rank holds its part of it
    facts["FSDP1 head grad elements"] = sum(
        p.grad.numel() for p in net[2].parameters() if p.grad is not None
    )
    dist.barrier()
    return facts


if __name__ == "__main__":
    torch.manual_seed(0)
    rank0, rank1 = run_on_two_ranks(on_each_rank)
    assert rank0.pop("head grad") == rank1.pop("head grad")  # gradients were averaged
    shards = (
        rank0.pop("FSDP1 head grad elements"),
        rank1.pop("FSDP1 head grad elements"),
    )
    assert sum(shards) == 8 + 1  # the whole head (weight 1x8, bias 1) got a gradient
    assert rank0 == rank1  # both ranks saw the same
    messages = {fact: value for fact, value in rank0.items() if len(str(value)) > 30}
    for fact, value in rank0.items():
        print(f"{fact}: {'error, below' if fact in messages else value}")
        #> frozen before wrapping: ok
        #> frozen weight.grad is None: True
        #> frozen after wrapping: error, below
        #> new wrapper, failed one kept: error, below
        #> new wrapper, failed one deleted: ok
        #> new wrapper, idle one kept: ok
        #> unused, default: error, below
        #> unused, find_unused_parameters=True: ok
        #> FSDP2 fully_shard, frozen first layer: ok
        #> FSDP2 frozen grads are None: True
        #> FSDP1, frozen first layer: error, below
        #> FSDP1 use_orig_params=True: ok
        #> FSDP1 frozen grads are None: True
    print("\n".join(f"{fact}: {message}" for fact, message in messages.items()))
    """
    frozen after wrapping: Expected to have finished reduction in the prior iteration before starting a new one
    new wrapper, failed one kept: Expected to mark a variable ready only once
    unused, default: Expected to have finished reduction in the prior iteration before starting a new one
    FSDP1, frozen first layer: Must flatten tensors with uniform `requires_grad` when `use_orig_params=False`
    """
    assert rank0["frozen after wrapping"] == rank0["unused, default"]
    assert rank0["frozen after wrapping"].startswith(
        "Expected to have finished reduction"
    )
    assert rank0["new wrapper, failed one kept"].startswith(
        "Expected to mark a variable ready only once"
    )
    assert rank0["new wrapper, failed one deleted"] == "ok"
    assert rank0["new wrapper, idle one kept"] == "ok"
    assert rank0["FSDP1, frozen first layer"].startswith(
        "Must flatten tensors with uniform `requires_grad`"
    )
    assert rank0["FSDP1 use_orig_params=True"] == "ok"
    assert rank0["FSDP1 frozen grads are None"] is True
