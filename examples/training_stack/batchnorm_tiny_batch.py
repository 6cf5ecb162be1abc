import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(4, affine=False).train()

# Two samples per channel: training mode turns any pair into -1 and +1
pair = torch.randn(2, 4) * 10 + 3
out = bn(pair)
assert torch.allclose(out.abs(), torch.ones(2, 4), atol=1e-3)
print("batch of 2, training mode:", out.abs().round(decimals=2).unique().tolist())
#> batch of 2, training mode: [1.0]

# So a sample's output says nothing about its value, only about its neighbour
a, b, c = torch.tensor([[0.0]]), torch.tensor([[1.0]]), torch.tensor([[-100.0]])
bn1 = nn.BatchNorm1d(1, affine=False).train()
with_b = bn1(torch.cat([a, b]))[0].item()
with_c = bn1(torch.cat([a, c]))[0].item()
print(
    f"the same input 0.0 becomes {with_b:.2f} next to 1.0, {with_c:.2f} next to -100.0"
)
#> the same input 0.0 becomes -1.00 next to 1.0, 1.00 next to -100.0
assert round(with_b, 2) == -1.0 and round(with_c, 2) == 1.0
