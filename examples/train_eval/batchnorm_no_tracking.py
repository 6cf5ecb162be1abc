import torch
from torch import nn

torch.manual_seed(0)
bn = nn.BatchNorm1d(3, track_running_stats=False)
print("buffers:", bn.running_mean, bn.running_var, bn.num_batches_tracked)
#> buffers: None None None
x = torch.randn(8, 3) * 2 + 5

in_training = bn(x)
bn.eval()
in_eval = bn(x)
assert torch.allclose(in_eval, in_training)  # batch statistics in eval mode too
assert torch.allclose(in_eval.mean(0), torch.zeros(3), atol=1e-5)
print("eval output equals training output:", torch.allclose(in_eval, in_training))
#> eval output equals training output: True
