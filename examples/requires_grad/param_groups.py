import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Linear(8, 8)
head = nn.Linear(8, 2)
model = nn.Sequential(backbone, nn.ReLU(), head)

optimizer = torch.optim.SGD(
    [
        {"params": backbone.parameters(), "lr": 1e-3},  # gently
        {"params": head.parameters()},  # the default lr below
    ],
    lr=1e-1,
)
print("lr per group:", ", ".join(str(g["lr"]) for g in optimizer.param_groups))
#> lr per group: 0.001, 0.1

before = {p: p.clone() for p in model.parameters()}
model(torch.randn(16, 8)).sum().backward()
optimizer.step()
for group in optimizer.param_groups:
    for p in group["params"]:  # plain SGD: each moved by its own group's lr * grad
        assert torch.allclose(before[p] - p, group["lr"] * p.grad, atol=1e-6)
