import textwrap

import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(4, 4)
x = torch.randn(2, 4)
w = torch.randn(4, requires_grad=True)

model.eval()
features = model(x)
(features * w).sum().backward()  # fine: an ordinary output (with a graph)
assert w.grad is not None and model.weight.grad is not None
model.train()

model.requires_grad_(False)
features = model(x)
(features * w).sum().backward()  # fine: an ordinary output (no graph)
model.requires_grad_(True)

with torch.no_grad():
    features = model(x)
(features * w).sum().backward()  # fine: features act as a constant
print("eval, frozen and no_grad outputs: used with autograd later")
#> eval, frozen and no_grad outputs: used with autograd later

with torch.inference_mode():
    features = model(x)
assert features.is_inference()
(features + w).sum().backward()  # fine: addition saves neither input for backward
# ...although the docstring says such tensors "cannot be used in computations recorded
# by autograd": the addition was recorded, and w got its gradient
docstring = " ".join(torch.inference_mode.__doc__.split())
assert "cannot be used in computations recorded by autograd" in docstring
assert (features + w).grad_fn is not None
try:
    features * w  # multiplication must save features for w's gradient
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("features * w did not raise RuntimeError")
print(textwrap.fill(message, width=80))
"""
Inference tensors cannot be saved for backward. Please do not use Tensors
created in inference mode in computation tracked by autograd. To work around
this, you can make a clone to get a normal tensor and use it in autograd, or use
`torch.no_grad()` instead of `torch.inference_mode()`.
"""
assert message.startswith("Inference tensors cannot be saved for backward.")

(features.clone() * w).sum().backward()  # the fix: clone outside inference_mode

try:  # also refused outside the mode: making it require grad (nn.Parameter does)
    nn.Parameter(features)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("nn.Parameter(features) did not raise RuntimeError")
print(message)
#> Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.
assert message.startswith("Setting requires_grad=True on inference tensor outside")
try:  # and updating it in place
    features.add_(1)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("features.add_(1) did not raise RuntimeError")
print(message.split(".")[0])
#> Inplace update to inference tensor outside InferenceMode is not allowed
assert message.startswith("Inplace update to inference tensor outside InferenceMode")
