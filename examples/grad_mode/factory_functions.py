import torch
from torch import nn

torch.manual_seed(0)

with torch.no_grad():
    a = torch.zeros(3, requires_grad=True)  # a factory function with requires_grad
    p = nn.Parameter(torch.randn(3))  # Parameter defaults to requires_grad=True
    layer = nn.Linear(3, 3)  # so do the parameters of a new module
    b = a + 1  # a computation: no_grad applies

print("factory:", a.requires_grad)
#> factory: True
print("Parameter:", p.requires_grad)
#> Parameter: True
print("new module:", layer.weight.requires_grad)
#> new module: True
print("computed:", b.requires_grad)
#> computed: False
assert a.requires_grad and p.requires_grad and layer.weight.requires_grad
assert not b.requires_grad
