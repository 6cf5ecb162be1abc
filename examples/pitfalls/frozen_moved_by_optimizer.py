import torch
from torch import nn


def frozen_layer_moves(set_to_none: bool) -> bool:
    """Train everything, then freeze layer 0 but keep the optimizer."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 8), nn.Linear(8, 1))
    x = torch.randn(16, 8)
    optimizer = torch.optim.SGD(
        model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01
    )
    for step in range(4):
        if step == 2:
            model[0].requires_grad_(False)
            frozen = model[0].weight.clone()
        optimizer.zero_grad(set_to_none=set_to_none)
        model(x).pow(2).mean().backward()
        optimizer.step()
    return not torch.equal(model[0].weight, frozen)


# The symptom: a zero .grad is still a gradient: momentum and weight decay apply
assert frozen_layer_moves(set_to_none=False)
print("zero_grad(set_to_none=False): frozen layer moves:", frozen_layer_moves(False))
#> zero_grad(set_to_none=False): frozen layer moves: True

# The fix: .grad is None (the default since PyTorch 2.0); the optimizer skips it
assert not frozen_layer_moves(set_to_none=True)
print("zero_grad(): frozen layer moves:", frozen_layer_moves(True))
#> zero_grad(): frozen layer moves: False
