import torch
from torch import nn

torch.manual_seed(0)
p = 0.25
dropout = nn.Dropout(p)
x = torch.rand(1000, 100) + 1  # every element is in [1, 2): never 0

y = dropout(x)  # training mode
kept = y != 0
zeroed = 1 - kept.float().mean().item()
print("fraction zeroed:", round(zeroed, 2))
#> fraction zeroed: 0.25
assert abs(zeroed - p) < 0.01
assert torch.allclose(y[kept], x[kept] / (1 - p))  # kept units scaled by 1/(1-p)
print("kept units are multiplied by:", round((y[kept] / x[kept]).mean().item(), 4))
#> kept units are multiplied by: 1.3333
assert abs(y.mean().item() - x.mean().item()) < 0.02  # the expected value is kept

dropout.eval()
assert torch.equal(dropout(x), x)  # eval: the identity, no scaling
