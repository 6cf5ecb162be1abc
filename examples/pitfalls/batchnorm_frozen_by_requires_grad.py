import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU())
head = nn.Linear(16, 2)
model = nn.Sequential(backbone, head)
x = torch.randn(32, 8) * 3


def running_mean_moves() -> bool:
    before = backbone[1].running_mean.clone()
    model(x)
    return not torch.equal(backbone[1].running_mean, before)


# The symptom: "frozen" with requires_grad_(False), yet the statistics move
backbone.requires_grad_(False)
model.train()
assert running_mean_moves()
print("requires_grad_(False) only: running_mean moves:", running_mean_moves())
#> requires_grad_(False) only: running_mean moves: True

# The fix: the frozen part in eval mode too (after every model.train())
model.train()
backbone.eval()
assert not running_mean_moves()
assert head.training  # the rest still trains
print("and backbone.eval(): running_mean moves:", running_mean_moves())
#> and backbone.eval(): running_mean moves: False
