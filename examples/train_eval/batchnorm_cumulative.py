import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3, momentum=None)  # cumulative moving average
batches = [torch.randn(16, 3) * 3 + 2 for _ in range(5)]

for x in batches:
    bn(x)

# With momentum=None the factor is 1/num_batches_tracked: a plain average.
average_mean = torch.stack([x.mean(0) for x in batches]).mean(0)
average_var = torch.stack([x.var(0, correction=1) for x in batches]).mean(0)
# running_var starts at 1, but the first update has factor 1/1: it is replaced.
same_mean = torch.allclose(bn.running_mean, average_mean, atol=1e-5)
same_var = torch.allclose(bn.running_var, average_var, atol=1e-5)
print("plain average of the 5 batches:", same_mean, same_var)
#> plain average of the 5 batches: True True
assert same_mean and same_var

ema = nn.BatchNorm1d(3)  # default momentum=0.1 weights recent batches more
for x in batches:
    ema(x)
assert not torch.allclose(ema.running_mean, average_mean, atol=1e-2)
