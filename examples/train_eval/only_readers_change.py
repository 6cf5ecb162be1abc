import torch
from torch import nn

torch.manual_seed(0)
layers = {
    "Linear": (nn.Linear(8, 8), torch.randn(4, 8)),
    "Conv2d": (nn.Conv2d(3, 3, 3), torch.randn(4, 3, 8, 8)),
    "ReLU": (nn.ReLU(), torch.randn(4, 8)),
    "Embedding": (nn.Embedding(10, 8), torch.randint(0, 10, (4, 5))),
    "LayerNorm": (nn.LayerNorm(8), torch.randn(4, 8) * 3 + 2),
    "GroupNorm": (nn.GroupNorm(2, 4), torch.randn(4, 4, 6) * 3 + 2),
    "InstanceNorm1d": (nn.InstanceNorm1d(4), torch.randn(4, 4, 6) * 3 + 2),
    "Dropout": (nn.Dropout(0.5), torch.randn(4, 8)),
    "BatchNorm1d": (nn.BatchNorm1d(8), torch.randn(4, 8) * 3 + 2),
}
changed = []
for name, (layer, x) in layers.items():
    layer.train()
    in_training = layer(x)
    layer.eval()
    if not torch.allclose(layer(x), in_training, atol=1e-5):
        changed.append(name)

print("changed by eval():", ", ".join(changed))
#> changed by eval(): Dropout, BatchNorm1d
assert changed == ["Dropout", "BatchNorm1d"]
