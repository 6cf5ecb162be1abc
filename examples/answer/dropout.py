import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 16), nn.Dropout(p=0.5))
x = torch.randn(64, 16)


def dropout_active() -> bool:
    # A Linear output is never exactly 0 here; Dropout in training mode zeroes some.
    return bool((model(x) == 0).any())


assert dropout_active()  # a new module is in training mode

model.eval()
assert not dropout_active()
assert torch.equal(model(x), model[0](x))  # Dropout is the identity in eval mode
model.train()

model.requires_grad_(False)
assert dropout_active()
model.requires_grad_(True)

with torch.no_grad():
    assert dropout_active()

with torch.inference_mode():
    assert dropout_active()

print("Dropout is switched off by eval() only")
#> Dropout is switched off by eval() only
