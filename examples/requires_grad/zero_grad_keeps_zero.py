import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(16, 4)
optimizers = {
    "SGD(momentum=0.9)": lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9),
    "SGD(weight_decay=0.1)": lambda params: torch.optim.SGD(
        params, lr=0.1, weight_decay=0.1
    ),
    "AdamW": lambda params: torch.optim.AdamW(params, lr=0.1),  # decoupled decay 0.01
    "Adam": lambda params: torch.optim.Adam(params, lr=0.1),  # no decay, but state
}

for name, make in optimizers.items():
    model = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 1))
    optimizer = make(model.parameters())
    for step in range(4):
        if step == 2:
            model[0].requires_grad_(False)  # freeze mid-run
            frozen_at = model[0].weight.clone()
        optimizer.zero_grad(set_to_none=False)  # keeps a zero tensor in .grad
        model(x).sum().backward()
        optimizer.step()
    assert torch.count_nonzero(model[0].weight.grad) == 0  # .grad is zeros, not None
    moved = not torch.equal(model[0].weight, frozen_at)
    print(f"{name}: frozen layer moved: {moved}")
    #> SGD(momentum=0.9): frozen layer moved: True
    #> SGD(weight_decay=0.1): frozen layer moved: True
    #> AdamW: frozen layer moved: True
    #> Adam: frozen layer moved: True
    assert moved
assert torch.optim.AdamW(model.parameters()).defaults["weight_decay"] == 0.01
