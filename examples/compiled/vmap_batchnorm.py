import torch
from torch import nn
from torch.func import replace_all_batch_norm_modules_, vmap

torch.manual_seed(0)
xs = torch.randn(5, 4, 3)  # 5 independent batches of 4 samples
bn = nn.BatchNorm1d(3)  # training mode, tracks running statistics

try:
    vmap(bn)(xs)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("vmap(bn)(xs) did not raise RuntimeError")
print(message.splitlines()[0])
"""
Batch norm got a batched tensor as input while the running_mean or running_var, which will be updated in place, were not batched.
"""
assert message.startswith("Batch norm got a batched tensor as input")

bn.eval()  # fix 1: eval mode uses the running statistics, nothing is updated
print("eval:", vmap(bn)(xs).shape)
#> eval: torch.Size([5, 4, 3])
bn.train()
untracked = nn.BatchNorm1d(3, track_running_stats=False)  # fix 2: no running stats
print("track_running_stats=False:", vmap(untracked)(xs).shape)
#> track_running_stats=False: torch.Size([5, 4, 3])
replace_all_batch_norm_modules_(bn)  # fix 3: patch an existing model in place
print("after replace_all_batch_norm_modules_:", bn.running_mean, bn.training)
#> after replace_all_batch_norm_modules_: None True
assert bn.running_mean is None and not bn.track_running_stats
out = vmap(bn)(xs)
assert torch.allclose(out[0], untracked(xs[0]), atol=1e-5)  # each batch on its own
