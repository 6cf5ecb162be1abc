import inspect

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(16, 4)
default = inspect.signature(torch.optim.Optimizer.zero_grad).parameters["set_to_none"]
print("zero_grad(set_to_none=...) default:", default.default)
#> zero_grad(set_to_none=...) default: True


def frozen_layer_moves(fix: str) -> bool | str:
    model = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for step in range(4):
        if step == 2:
            model[0].requires_grad_(False)
            if fix == "set .grad = None":
                for p in model[0].parameters():
                    p.grad = None
            if fix.startswith("drop from the optimizer"):
                frozen = list(model[0].parameters())
                group = optimizer.param_groups[0]
                group["params"] = [
                    p for p in group["params"] if not any(p is f for f in frozen)
                ]
                if fix == "drop from the optimizer, keep its state":
                    try:
                        optimizer.state_dict()
                    except KeyError:
                        return "KeyError"  # state of a parameter in no group
                for p in frozen:
                    optimizer.state.pop(p, None)
            frozen_at = model[0].weight.clone()
        optimizer.zero_grad(set_to_none=fix == "set_to_none=True")  # else keep zeros
        model(x).sum().backward()
        optimizer.step()
    optimizer.state_dict()
    return not torch.equal(model[0].weight, frozen_at)


for fix in ("none", "set_to_none=True", "set .grad = None", "drop from the optimizer"):
    print(f"{fix}: frozen layer moved: {frozen_layer_moves(fix)}")
    #> none: frozen layer moved: True
    #> set_to_none=True: frozen layer moved: False
    #> set .grad = None: frozen layer moved: False
    #> drop from the optimizer: frozen layer moved: False
assert frozen_layer_moves("none")
assert not any(
    frozen_layer_moves(fix)
    for fix in ("set_to_none=True", "set .grad = None", "drop from the optimizer")
)
assert frozen_layer_moves("drop from the optimizer, keep its state") == "KeyError"
