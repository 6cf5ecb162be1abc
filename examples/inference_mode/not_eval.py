import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 16), nn.Dropout(0.5))
x = torch.randn(8, 16)

with torch.inference_mode():
    first, second = model(x), model(x)
print("training inside inference_mode:", model.training)
#> training inside inference_mode: True
assert model.training and not torch.equal(first, second)  # Dropout still random

model.eval()
with torch.inference_mode():
    assert torch.equal(model(x), model(x))  # eval() is what makes it deterministic
model.train()
