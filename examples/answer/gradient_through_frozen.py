import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
model[2].requires_grad_(False)  # freeze the last layer only

model(torch.randn(8, 4)).sum().backward()

print("frozen layer .grad:", model[2].weight.grad)
#> frozen layer .grad: None
print("earlier layer has .grad:", model[0].weight.grad is not None)
#> earlier layer has .grad: True
assert model[2].weight.grad is None
assert model[0].weight.grad is not None  # the gradient flowed through the frozen layer

model.zero_grad(set_to_none=True)
model.eval()  # eval mode changes nothing here: the gradient still flows
model(torch.randn(8, 4)).sum().backward()
assert model[2].weight.grad is None and model[0].weight.grad is not None
print("in eval mode too:", model[0].weight.grad is not None)
#> in eval mode too: True
