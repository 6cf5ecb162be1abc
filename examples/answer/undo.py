import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))

model.eval()
model.train()  # undoes eval()
assert model.training and model[1].training

model.requires_grad_(False)
model.requires_grad_(True)  # undoes it: requires_grad=False is not permanent
assert all(p.requires_grad for p in model.parameters())

try:
    with torch.no_grad():
        raise ValueError("boom")
except ValueError:
    pass
assert torch.is_grad_enabled()  # leaving the block restores the mode, even on error

with torch.inference_mode():
    pass
assert not torch.is_inference_mode_enabled()
print("all four switches are reversible")
#> all four switches are reversible
