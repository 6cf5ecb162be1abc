import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3)
x = torch.randn(32, 3) * 5 + 10  # far from the initial running statistics (0, 1)


def statistics_used() -> str:
    running_mean, running_var = bn.running_mean.clone(), bn.running_var.clone()
    out = bn(x)
    batch = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + bn.eps)
    running = (x - running_mean) / torch.sqrt(running_var + bn.eps)
    if torch.allclose(out, batch, atol=1e-4):
        return "batch"
    assert torch.allclose(out, running, atol=1e-4)
    return "running"


assert statistics_used() == "batch"  # training mode: the statistics of this batch

bn.eval()
assert statistics_used() == "running"  # eval mode: the running estimates
bn.train()

bn.requires_grad_(False)
assert statistics_used() == "batch"
bn.requires_grad_(True)

with torch.no_grad():
    assert statistics_used() == "batch"

with torch.inference_mode():
    assert statistics_used() == "batch"

print("eval():", "running statistics; every other switch: batch statistics")
#> eval(): running statistics; every other switch: batch statistics
