import torch
from _engines import run_on_two_ranks
from torch import nn
from torch.distributed.fsdp import MixedPrecisionPolicy, fully_shard

POLICY = MixedPrecisionPolicy(param_dtype=torch.bfloat16, reduce_dtype=torch.float32)


def model() -> nn.Sequential:
    torch.manual_seed(0)  # the same initial weights on both ranks
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))


def step(net: nn.Module, x: torch.Tensor) -> None:
    net(x).float().pow(2).mean().backward()


def frozen_then_unfrozen(rank: int, first_layer_own_group: bool) -> set:
    """The first layer frozen for the first step, unfrozen for the second."""
    net = model()
    if first_layer_own_group:
        fully_shard(net[0], mp_policy=POLICY)  # a parameter group of its own
    fully_shard(net, mp_policy=POLICY)  # the rest: one group
    torch.manual_seed(rank)  # each rank its own data
    x = torch.randn(16, 4)
    net[0].requires_grad_(False)
    step(net, x)  # the first forward: each group settles its dtypes here
    net[0].requires_grad_(True)
    step(net, x)
    return {p.grad.dtype for p in net.parameters()}


def on_each_rank(rank: int) -> dict:
    facts = {}
    try:
        frozen_then_unfrozen(rank, first_layer_own_group=True)
    except RuntimeError as error:
        facts["own group"] = str(error).split(". ")[0]
    else:
        raise AssertionError("backward after unfreezing did not raise")
    grads = frozen_then_unfrozen(rank, first_layer_own_group=False)
    facts["shared group, gradient dtypes"] = grads
    return facts


if __name__ == "__main__":
    rank0, rank1 = run_on_two_ranks(on_each_rank)
    assert rank0 == rank1  # both ranks saw the same
    print("frozen layer in a group of its own:", rank0["own group"])
    """
    frozen layer in a group of its own: attempting to assign a gradient with dtype 'c10::BFloat16' to a tensor with grad_dtype 'Float'
    """
    print("in a group with trainable layers:", rank0["shared group, gradient dtypes"])
    #> in a group with trainable layers: {torch.float32}
    assert rank0["own group"].startswith(
        "attempting to assign a gradient with dtype 'c10::BFloat16'"
    )
    assert rank0["shared group, gradient dtypes"] == {torch.float32}
