from typing import Self

import torch
from torch import nn

torch.manual_seed(0)


class FrozenBackboneModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU())
        self.head = nn.Linear(8, 2)
        self.backbone.requires_grad_(False)
        self.train()  # apply the override now: a new module starts in training mode

    def train(self, mode: bool = True) -> Self:
        super().train(mode)
        self.backbone.eval()  # stays in eval mode whatever the caller asks
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))


model = FrozenBackboneModel()
assert not model.backbone.training
model.eval()
model.train()  # eval() calls train(False), so both go through the override
running_mean = model.backbone[1].running_mean.clone()
model(torch.randn(16, 4) + 3)

print("model.training:", model.training, "backbone.training:", model.backbone.training)
#> model.training: True backbone.training: False
assert torch.equal(model.backbone[1].running_mean, running_mean)
