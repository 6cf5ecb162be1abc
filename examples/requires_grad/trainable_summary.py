import torch
from torch import nn

torch.manual_seed(0)


def trainable_summary(model: nn.Module) -> str:
    names = [name for name, p in model.named_parameters() if p.requires_grad]
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return f"{', '.join(names) or 'nothing'}: {trainable} of {total} trainable"


model = nn.Sequential(
    nn.Linear(10, 20), nn.BatchNorm1d(20), nn.ReLU(), nn.Linear(20, 3)
)
print(trainable_summary(model))
#> 0.weight, 0.bias, 1.weight, 1.bias, 3.weight, 3.bias: 323 of 323 trainable
model[:3].requires_grad_(False)
print(trainable_summary(model))
#> 3.weight, 3.bias: 63 of 323 trainable
assert sum(p.numel() for p in model[3].parameters()) == 63
