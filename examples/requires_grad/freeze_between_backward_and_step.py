import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
before = model.weight.detach().clone()

model(torch.randn(8, 4)).sum().backward()
model.weight.requires_grad_(False)  # frozen after backward(), before step()
print(".grad still there:", model.weight.grad is not None)
#> .grad still there: True
optimizer.step()
moved = not torch.equal(model.weight, before)
print("weight moved:", moved)
#> weight moved: True
assert moved  # step() updates every parameter whose .grad is not None

model.weight.grad = None  # the fix: drop the gradient when freezing
frozen = model.weight.detach().clone()
optimizer.step()
assert torch.equal(model.weight, frozen)
