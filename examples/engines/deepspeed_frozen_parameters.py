import torch
from _engines import deepspeed_on_cpu, local_values, run_on_two_ranks
from torch import nn

LR, WEIGHT_DECAY = 0.1, 0.5


def model() -> nn.Sequential:
    torch.manual_seed(0)  # the same initial weights on both ranks
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))


def optimizer(net: nn.Module) -> torch.optim.Optimizer:
    # all the parameters, frozen or not, as `AdamW(model.parameters())` passes them
    return torch.optim.AdamW(net.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)


def first_layer_change(net: nn.Module, step) -> str:
    """One training step: what happened to the first layer's values on this rank."""
    before = local_values(net[0])
    step()
    after = local_values(net[0])
    if torch.equal(before, after):
        return "unchanged"
    if torch.equal(after, before * (1 - LR * WEIGHT_DECAY)):  # exactly, bit for bit
        return "shrunk by weight decay only"
    return "trained"


def plain_pytorch(x: torch.Tensor) -> dict:
    """The same two changes without DeepSpeed, for comparison."""
    facts = {}
    for name, frozen_at_start in (("unfrozen", True), ("frozen", False)):
        net = model()
        net[0].requires_grad_(not frozen_at_start)
        adamw = optimizer(net)
        net[0].requires_grad_(frozen_at_start)  # the change, after the optimizer

        def step(net=net, adamw=adamw):
            adamw.zero_grad()
            net(x).pow(2).mean().backward()
            adamw.step()

        facts[f"PyTorch, {name} after the optimizer"] = first_layer_change(net, step)
    return facts


def initialize(deepspeed, net: nn.Module, config: dict, x: torch.Tensor):
    """deepspeed.initialize; returns a function that trains one step on ``x``."""
    engine, *_ = deepspeed.initialize(
        model=net, optimizer=optimizer(net), config=config
    )

    def step():
        engine.backward(engine(x).pow(2).mean())
        engine.step()

    return step


def on_each_rank(rank: int) -> dict:
    deepspeed = deepspeed_on_cpu(rank)
    torch.manual_seed(rank)  # each rank its own data
    x = torch.randn(4, 4)
    facts = {}
    for stage in (2, 3):
        config = {
            "train_micro_batch_size_per_gpu": 4,
            # ZeRO-3 keeps parameters under 100,000 elements gathered after their
            # first use; 0 treats this tiny model's layers like a real model's
            "zero_optimization": {
                "stage": stage,
                "stage3_param_persistence_threshold": 0,
            },
        }

        # 1. frozen before deepspeed.initialize, unfrozen after it
        net = model()
        net[0].requires_grad_(False)
        step = initialize(deepspeed, net, config, x)
        net[0].requires_grad_(True)
        facts[f"ZeRO-{stage}, unfrozen after initialize"] = first_layer_change(
            net, step
        )
        # 2. trainable at deepspeed.initialize, frozen after it
        net = model()
        step = initialize(deepspeed, net, config, x)
        net[0].requires_grad_(False)
        facts[f"ZeRO-{stage}, frozen after initialize"] = first_layer_change(net, step)
        # 3. counting the trainable parameters (the second layer: 8 + 1 elements)
        trainable = [p for p in net.parameters() if p.requires_grad]
        facts[f"ZeRO-{stage}, shapes"] = [tuple(p.shape) for p in trainable]
        facts[f"ZeRO-{stage}, sum of numel()"] = sum(p.numel() for p in trainable)
        facts[f"ZeRO-{stage}, sum of ds_numel"] = sum(
            getattr(p, "ds_numel", p.numel()) for p in trainable
        )
    return facts


if __name__ == "__main__":
    rank0, rank1 = run_on_two_ranks(on_each_rank)
    assert rank0 == rank1  # both ranks saw the same
    torch.manual_seed(0)
    facts = {**plain_pytorch(torch.randn(4, 4)), **rank0}
    for fact, value in facts.items():
        print(f"{fact}: {value}")
        #> PyTorch, unfrozen after the optimizer: trained
        #> PyTorch, frozen after the optimizer: unchanged
        #> ZeRO-2, unfrozen after initialize: unchanged
        #> ZeRO-2, frozen after initialize: shrunk by weight decay only
        #> ZeRO-2, shapes: [(1, 8), (1,)]
        #> ZeRO-2, sum of numel(): 9
        #> ZeRO-2, sum of ds_numel: 9
        #> ZeRO-3, unfrozen after initialize: unchanged
        #> ZeRO-3, frozen after initialize: shrunk by weight decay only
        #> ZeRO-3, shapes: [(0,), (0,)]
        #> ZeRO-3, sum of numel(): 0
        #> ZeRO-3, sum of ds_numel: 9
    # plain PyTorch: requires_grad at the time of the step decides
    assert facts["PyTorch, unfrozen after the optimizer"] == "trained"
    assert facts["PyTorch, frozen after the optimizer"] == "unchanged"
    for stage in (2, 3):
        # DeepSpeed: requires_grad at deepspeed.initialize decides
        assert facts[f"ZeRO-{stage}, unfrozen after initialize"] == "unchanged"
        assert facts[f"ZeRO-{stage}, frozen after initialize"] == (
            "shrunk by weight decay only"
        )
    # ZeRO-3 leaves each parameter empty between uses: numel() counts 0
    assert facts["ZeRO-2, sum of numel()"] == facts["ZeRO-2, sum of ds_numel"] == 9
    assert facts["ZeRO-3, shapes"] == [(0,), (0,)]
    assert facts["ZeRO-3, sum of numel()"] == 0
    assert facts["ZeRO-3, sum of ds_numel"] == 9
