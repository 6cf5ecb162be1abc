import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(4, affine=False).train()

# Two samples per channel: training mode turns a pair into -1 and +1
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

# Only for values that differ by much more than 2*sqrt(eps): a pair d apart becomes
# -+(d/2) / sqrt(d**2/4 + eps), and two equal values become 0 and 0
scale = 2 * bn1.eps**0.5  # 0.0063 for the default eps=1e-5
for d in (0.0, scale, 100 * scale):
    low, high = bn1(torch.tensor([[0.0], [d]])).flatten().tolist()
    expected = (d / 2) / (d**2 / 4 + bn1.eps) ** 0.5
    assert abs(high - expected) < 1e-4 and abs(low + expected) < 1e-4
    rounded = [round(v, 2) + 0.0 for v in (low, high)]  # + 0.0: no "-0.0"
    print(f"values {d / scale:g} x 2*sqrt(eps) apart:", rounded)
    #> values 0 x 2*sqrt(eps) apart: [0.0, 0.0]
    #> values 1 x 2*sqrt(eps) apart: [-0.71, 0.71]
    #> values 100 x 2*sqrt(eps) apart: [-1.0, 1.0]
