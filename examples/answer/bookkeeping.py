import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 4)
x = torch.randn(2, 4)

model.eval()
y_eval = model(x)
model.train()
model.requires_grad_(False)
y_frozen = model(x)
model.requires_grad_(True)
with torch.no_grad():
    y_no_grad = model(x)
with torch.inference_mode():
    y_inference = model(x)

ordinary = [y_eval, y_frozen, y_no_grad]
assert not any(y.is_inference() for y in ordinary)
assert [y._version for y in ordinary] == [0, 0, 0]  # each has a version counter

print("no_grad output version:", y_no_grad._version)
#> no_grad output version: 0
try:
    version = y_inference._version
except RuntimeError as error:
    print(error)
    #> Inference tensors do not track version counter.
else:
    raise AssertionError("y_inference._version did not raise RuntimeError")
assert y_inference.is_inference() and not y_no_grad.is_inference()
