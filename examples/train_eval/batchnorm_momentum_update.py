import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3)  # momentum=0.1
print(
    "start:",
    bn.running_mean.tolist(),
    bn.running_var.tolist(),
    bn.num_batches_tracked.item(),
)
#> start: [0.0, 0.0, 0.0] [1.0, 1.0, 1.0] 0

for _ in range(3):
    x = torch.randn(16, 3) * 3 + 2
    mean, var = bn.running_mean.clone(), bn.running_var.clone()
    bn(x)  # training mode: normalise with the batch, then update the buffers
    m = bn.momentum
    assert torch.allclose(bn.running_mean, (1 - m) * mean + m * x.mean(0), atol=1e-5)
    unbiased = x.var(0, correction=1)  # running_var gets the UNBIASED variance
    assert torch.allclose(bn.running_var, (1 - m) * var + m * unbiased, atol=1e-5)
    biased = x.var(0, correction=0)
    assert not torch.allclose(bn.running_var, (1 - m) * var + m * biased, atol=1e-3)

print("num_batches_tracked:", bn.num_batches_tracked.item())
#> num_batches_tracked: 3
assert bn.num_batches_tracked.dtype == torch.int64

bn.eval()
before = bn.state_dict()
bn(torch.randn(16, 3))
after = bn.state_dict()
assert all(torch.equal(before[k], after[k]) for k in before)  # eval: no update at all
