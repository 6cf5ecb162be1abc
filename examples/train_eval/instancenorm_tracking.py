import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(4, 3, 10) * 2 + 5

default = nn.InstanceNorm1d(3)  # track_running_stats=False: no buffers
print("default buffers:", default.running_mean)
#> default buffers: None
in_training = default(x)
assert torch.allclose(default.eval()(x), in_training)  # eval changes nothing

tracking = nn.InstanceNorm1d(3, track_running_stats=True)
in_training = tracking(x)  # per-sample statistics, and the buffers move
assert not torch.equal(tracking.running_mean, torch.zeros(3))
print("num_batches_tracked:", tracking.num_batches_tracked.item())  # unlike BatchNorm
#> num_batches_tracked: 0
tracking.eval()
in_eval = tracking(x)  # eval: the running estimates, like BatchNorm
running = (x - tracking.running_mean[:, None]) / torch.sqrt(
    tracking.running_var[:, None] + tracking.eps
)
assert torch.allclose(in_eval, running, atol=1e-5)
print(
    "track_running_stats=True, eval differs:", not torch.allclose(in_eval, in_training)
)
#> track_running_stats=True, eval differs: True
