from typing import Self

import torch
from torch import nn

torch.manual_seed(0)


class FineTuner(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.ReLU())
        self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(8, 2))
        self.backbone.requires_grad_(False)

    def train(self, mode: bool = True) -> Self:
        super().train(mode)
        self.backbone.eval()  # whatever mode is asked for, the backbone stays frozen
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))


model = FineTuner()
assert model.backbone.training  # __init__ does not call train(): call it once
model.train()
print("backbone:", model.backbone.training, "head:", model.head.training)
#> backbone: False head: True
running_mean = model.backbone[1].running_mean.clone()
model(torch.randn(16, 8) + 3)
assert torch.equal(model.backbone[1].running_mean, running_mean)  # not updated

model.eval()  # eval() calls train(False), so it goes through the override too
assert not any(m.training for m in model.modules())
assert model.train() is model
