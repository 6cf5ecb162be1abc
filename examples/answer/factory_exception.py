import torch

torch.manual_seed(0)

with torch.no_grad():
    a = torch.ones(3, requires_grad=True)  # factory functions ignore no_grad
    b = a * 2
print("factory result requires_grad:", a.requires_grad)
#> factory result requires_grad: True
print("computed result requires_grad:", b.requires_grad)
#> computed result requires_grad: False
assert a.requires_grad and not b.requires_grad
