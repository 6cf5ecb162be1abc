import textwrap

import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
with torch.inference_mode():
    features = torch.randn(3) * 2
assert features.is_inference()

(features + w).sum().backward()  # allowed: add saves neither input
print("features + w: backward works:", w.grad is not None)
#> features + w: backward works: True

try:
    features * w  # mul must save features to compute w's gradient
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

(features.clone() * w).sum().backward()  # fix 1: clone outside inference_mode
with torch.no_grad():  # fix 2: compute it under no_grad in the first place
    features = torch.randn(3) * 2
(features * w).sum().backward()
