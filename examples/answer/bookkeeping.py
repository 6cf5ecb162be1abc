import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 4)
x = torch.randn(2, 4)

with torch.no_grad():
    y_no_grad = model(x)
with torch.inference_mode():
    y_inference = model(x)

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
