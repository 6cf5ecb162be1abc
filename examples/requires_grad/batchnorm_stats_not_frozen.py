import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU())
model = nn.Sequential(backbone, nn.Linear(8, 2))
bn = backbone[1]


def running_mean_changes() -> bool:
    before = bn.running_mean.clone()
    model(torch.randn(16, 4) + 3)
    return not torch.equal(bn.running_mean, before)


backbone.requires_grad_(False)
print("requires_grad=False only:", running_mean_changes())
#> requires_grad=False only: True
assert not bn.running_mean.requires_grad  # a buffer, not a parameter

backbone.eval()
print("backbone.eval():", running_mean_changes())
#> backbone.eval(): False

model.train()  # the usual start of an epoch: reaches the backbone too
print("after model.train():", running_mean_changes())
#> after model.train(): True
assert backbone.training and bn.training
