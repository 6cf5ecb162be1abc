import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU())
head = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.2), nn.Linear(8, 2))
model = nn.Sequential(backbone, head)
backbone.requires_grad_(False)
running_mean = backbone[1].running_mean.clone()

for _epoch in range(2):
    model.train()  # the head's Dropout needs training mode...
    backbone.eval()  # ...and the frozen backbone must go back to eval every time
    model(torch.randn(16, 4) + 3)

print("head training:", head.training, "backbone training:", backbone.training)
#> head training: True backbone training: False
assert torch.equal(backbone[1].running_mean, running_mean)
