import torch
from torch import nn

torch.manual_seed(0)


class Classifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16))
        self.head = nn.Linear(16, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))


# The symptom: backbone.eval() once, before the epochs; model.train() undoes it
model = Classifier()
model.backbone.requires_grad_(False).eval()
for _epoch in range(2):
    model.train()  # the usual first line of a training epoch
assert model.backbone.training
print("backbone in eval mode after model.train():", not model.backbone.training)
#> backbone in eval mode after model.train(): False


# The fix: make train() keep the frozen part in eval mode
class FrozenBackboneClassifier(Classifier):
    def train(self, mode: bool = True) -> "FrozenBackboneClassifier":
        super().train(mode)
        self.backbone.eval()
        return self


model = FrozenBackboneClassifier()
model.backbone.requires_grad_(False)
model.train()
assert not model.backbone.training and model.head.training
print("with the train() override:", not model.backbone.training)
#> with the train() override: True
