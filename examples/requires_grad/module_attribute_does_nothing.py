import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 2)
model.requires_grad = False  # a new, unused attribute on the Module: no error
print("after model.requires_grad = False:", model.weight.requires_grad)
#> after model.requires_grad = False: True
assert all(p.requires_grad for p in model.parameters())

model.requires_grad_(False)  # the method freezes every parameter
print("after model.requires_grad_(False):", model.weight.requires_grad)
#> after model.requires_grad_(False): False
assert not any(p.requires_grad for p in model.parameters())
