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

    # 2. Frozen after wrapping: DDP still waits for the frozen parameters
    ddp = DDP(model())
    steps(ddp, rank, count=1)
    ddp.module[0].requires_grad_(False)
    facts["frozen after wrapping"] = steps(ddp, rank, count=2)
    # the fix: a new wrapper after changing requires_grad (on every rank); the old
    # one must go first, or its hooks still fire ("mark a variable ready only once")
    module = ddp.module
    del ddp
    facts["wrapped again"] = steps(DDP(module), rank, count=2)

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

    # FSDP1 does not run on the CPU at all
    try:
        FullyShardedDataParallel(model())
    except RuntimeError as error:
        facts["FSDP1 on the CPU"] = str(error)
    else:
        raise AssertionError("FSDP1 on the CPU did not raise RuntimeError")
    dist.barrier()
    return facts


if __name__ == "__main__":
    torch.manual_seed(0)
    rank0, rank1 = run_on_two_ranks(on_each_rank)
    assert rank0.pop("head grad") == rank1.pop("head grad")  # gradients were averaged
    assert rank0 == rank1  # both ranks saw the same
    messages = {fact: value for fact, value in rank0.items() if len(str(value)) > 30}
    for fact, value in rank0.items():
        print(f"{fact}: {'error, below' if fact in messages else value}")
        #> frozen before wrapping: ok
        #> frozen weight.grad is None: True
        #> frozen after wrapping: error, below
        #> wrapped again: ok
        #> unused, default: error, below
        #> unused, find_unused_parameters=True: ok
        #> FSDP2 fully_shard, frozen first layer: ok
        #> FSDP2 frozen grads are None: True
        #> FSDP1 on the CPU: error, below
    print("\n".join(f"{fact}: {message}" for fact, message in messages.items()))
    """
    frozen after wrapping: Expected to have finished reduction in the prior iteration before starting a new one
    unused, default: Expected to have finished reduction in the prior iteration before starting a new one
    FSDP1 on the CPU: FSDP needs a non-CPU accelerator device, but no accelerator device is detected.
    """
    assert rank0["frozen after wrapping"] == rank0["unused, default"]
    assert rank0["frozen after wrapping"].startswith(
        "Expected to have finished reduction"
    )
