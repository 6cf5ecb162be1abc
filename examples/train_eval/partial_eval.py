import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential()
model.add_module("backbone", nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8)))
model.add_module("head", nn.Sequential(nn.Dropout(0.5), nn.Linear(8, 2)))


def modes() -> str:
    parts = [("model", model), ("backbone", model.backbone), ("head", model.head)]
    return " ".join(f"{name}={module.training}" for name, module in parts)


model.backbone.eval()  # only this branch
print(modes())
#> model=True backbone=False head=True
assert not any(m.training for m in model.backbone.modules())

model.train()  # typical start of every epoch
print(modes())
#> model=True backbone=True head=True
assert all(m.training for m in model.modules())  # the partial eval() is gone
