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

# AdamW's weight decay alone moves it: a fresh AdamW (no state gathered) and an
# all-zero .grad; with weight_decay=0 the same step leaves the weights as they are
moved = {}
for weight_decay in (0.01, 0.0):
    layer = nn.Linear(4, 4)
    layer.weight.grad = torch.zeros_like(layer.weight)
    before = layer.weight.detach().clone()
    torch.optim.AdamW([layer.weight], lr=0.1, weight_decay=weight_decay).step()
    moved[weight_decay] = not torch.equal(layer.weight, before)
    if weight_decay:  # shrunk by the factor 1 - lr * weight_decay
        assert torch.allclose(layer.weight, before * (1 - 0.1 * weight_decay))
print("fresh AdamW, zero .grad, moved:", moved)
#> fresh AdamW, zero .grad, moved: {0.01: True, 0.0: False}
assert moved == {0.01: True, 0.0: False}
