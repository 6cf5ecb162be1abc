import torch
from _engines import deepspeed_on_cpu, local_values, run_on_two_ranks
from torch import nn


def engine_for(deepspeed, stage: int):
    torch.manual_seed(0)  # the same initial weights on both ranks
    net = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 1))
    engine, *_ = deepspeed.initialize(
        model=net,
        optimizer=torch.optim.AdamW(net.parameters(), lr=0.1),
        config={
            "train_micro_batch_size_per_gpu": 4,
            "zero_optimization": {"stage": stage},
        },
    )
    return engine, net


def training_step(engine, net, x: torch.Tensor) -> bool:
    """backward() and step() through the engine; True when the weights changed."""
    before = local_values(net)
    engine.backward(engine(x).pow(2).mean())
    engine.step()
    return not torch.equal(before, local_values(net))


def pre_backward_hook_runs(deepspeed, x: torch.Tensor) -> list:
    """ZeRO-3: the layers whose pre-backward hook runs in one backward.

    The hook is an autograd Function on each submodule's output, so it runs only for
    the submodules the backward passes through. In DeepSpeed 0.15.3 it held
    `assert sub_module.training`; here the first and third layers are frozen and in
    evaluation mode.
    """
    torch.manual_seed(0)
    net = nn.Sequential(*(nn.Linear(4, 4) for _ in range(4)))
    for frozen in (net[0], net[2]):
        frozen.requires_grad_(False).eval()
    engine, *_ = deepspeed.initialize(
        model=net,
        optimizer=torch.optim.AdamW(net.parameters(), lr=0.1),
        config={
            "train_micro_batch_size_per_gpu": 4,
            "zero_optimization": {"stage": 3},
        },
    )
    offload = engine.optimizer.parameter_offload
    hook = offload.pre_sub_module_backward_function
    ran = []

    def recording_hook(sub_module):
        ran.append(sub_module)
        hook(sub_module)

    offload.pre_sub_module_backward_function = recording_hook
    engine.backward(engine(x).pow(2).mean())
    assert net in ran  # the whole model: its output is where the backward starts
    return sorted(i for i, layer in enumerate(net) if layer in ran)


def on_each_rank(rank: int) -> dict:
    deepspeed = deepspeed_on_cpu(rank)
    torch.manual_seed(rank)  # each rank its own data
    x = torch.randn(4, 4)
    facts = {}
    for stage in (2, 3):
        engine, net = engine_for(deepspeed, stage)
        # 1. backward and step with the module in evaluation mode
        engine.eval()
        assert not net.training and not net[1].training  # eval() reached the Dropout
        facts[f"ZeRO-{stage}, eval(): step changed weights"] = training_step(
            engine, net, x
        )
        # 2. evaluate under no_grad / inference_mode, then train again
        for name, mode in (
            ("no_grad", torch.no_grad),
            ("inference_mode", torch.inference_mode),
        ):
            engine.eval()
            with mode():
                output = engine(x)
            engine.train()
            facts[f"ZeRO-{stage}, {name} output requires grad"] = output.requires_grad
            facts[f"ZeRO-{stage}, after {name}: step changed weights"] = training_step(
                engine, net, x
            )
    facts["ZeRO-3, layers the pre-backward hook ran for"] = pre_backward_hook_runs(
        deepspeed, x
    )
    return facts


if __name__ == "__main__":
    rank0, rank1 = run_on_two_ranks(on_each_rank)
    assert rank0 == rank1  # both ranks saw the same
    for fact, value in rank0.items():
        print(f"{fact}: {value}")
        #> ZeRO-2, eval(): step changed weights: True
        #> ZeRO-2, no_grad output requires grad: False
        #> ZeRO-2, after no_grad: step changed weights: True
        #> ZeRO-2, inference_mode output requires grad: False
        #> ZeRO-2, after inference_mode: step changed weights: True
        #> ZeRO-3, eval(): step changed weights: True
        #> ZeRO-3, no_grad output requires grad: False
        #> ZeRO-3, after no_grad: step changed weights: True
        #> ZeRO-3, inference_mode output requires grad: False
        #> ZeRO-3, after inference_mode: step changed weights: True
        #> ZeRO-3, layers the pre-backward hook ran for: [1, 2, 3]
    for stage in (2, 3):
        assert rank0[f"ZeRO-{stage}, eval(): step changed weights"] is True
        for name in ("no_grad", "inference_mode"):
            assert rank0[f"ZeRO-{stage}, {name} output requires grad"] is False
            assert rank0[f"ZeRO-{stage}, after {name}: step changed weights"] is True
    # frozen layer 2 in evaluation mode sits between trainable layers: the backward
    # passes through it; frozen layer 0 comes first: its output requires no grad
    assert rank0["ZeRO-3, layers the pre-backward hook ran for"] == [1, 2, 3]
