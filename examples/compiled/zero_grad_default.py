import inspect

import torch
from torch import nn

torch.manual_seed(0)

for method in (torch.optim.Optimizer.zero_grad, nn.Module.zero_grad):
    default = inspect.signature(method).parameters["set_to_none"].default
    print(method.__qualname__, "set_to_none default:", default)
    #> Optimizer.zero_grad set_to_none default: True
    #> Module.zero_grad set_to_none default: True
    assert default is True

model = nn.Linear(2, 1)
model(torch.ones(1, 2)).sum().backward()
model.zero_grad()
print("grad after zero_grad():", model.weight.grad)
#> grad after zero_grad(): None
assert model.weight.grad is None
model(torch.ones(1, 2)).sum().backward()
model.zero_grad(set_to_none=False)  # the behaviour before 2.0
print("grad after zero_grad(set_to_none=False):", model.weight.grad.tolist())
#> grad after zero_grad(set_to_none=False): [[0.0, 0.0]]
assert torch.count_nonzero(model.weight.grad) == 0
