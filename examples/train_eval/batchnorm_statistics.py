import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3, affine=False)
x = torch.randn(8, 3) * 2 + 5


def normalise(mean: torch.Tensor, var: torch.Tensor) -> torch.Tensor:
    return (x - mean) / torch.sqrt(var + bn.eps)


out = bn(x)  # training mode: this batch's mean and BIASED variance
assert torch.allclose(out, normalise(x.mean(0), x.var(0, correction=0)), atol=1e-5)
assert not torch.allclose(out, normalise(x.mean(0), x.var(0, correction=1)), atol=1e-2)
assert torch.allclose(out.mean(0), torch.zeros(3), atol=1e-5)
std = out.std(0, correction=0)
print("training: per-feature std", std.round(decimals=3).tolist())
#> training: per-feature std [1.0, 1.0, 1.0]
variance = x.var(0, correction=0)
expected = torch.sqrt(variance / (variance + bn.eps))  # eps makes it slightly below 1
assert (expected < 1).all() and torch.allclose(std, expected, atol=1e-6, rtol=0)

bn.eval()
out = bn(x)  # eval mode: the running estimates
assert torch.allclose(out, normalise(bn.running_mean, bn.running_var), atol=1e-5)
centred = bool(out.mean(0).abs().max() < 0.5)  # running stats: after one batch only
print("eval: per-feature mean near 0:", centred)
#> eval: per-feature mean near 0: False
