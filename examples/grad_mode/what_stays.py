import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Dropout(0.5))
x = torch.randn(32, 8)
running_mean = model[1].running_mean.clone()

with torch.no_grad():
    out = model(x)
    requires_grad = [p.requires_grad for p in model.parameters()]

assert all(requires_grad)  # no_grad does not touch the parameters' flag
assert model.training  # nor the train/eval mode
assert (out == 0).any()  # Dropout still zeroes elements
assert not torch.equal(model[1].running_mean, running_mean)  # BatchNorm still learns
print("parameters still require grad:", all(requires_grad))
#> parameters still require grad: True
print("Dropout active, BatchNorm statistics updated:", True)
#> Dropout active, BatchNorm statistics updated: True
