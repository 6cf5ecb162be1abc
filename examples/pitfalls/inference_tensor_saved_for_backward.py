import textwrap

import torch
from torch import nn

torch.manual_seed(0)
backbone = nn.Linear(8, 16).eval()
head = nn.Linear(16, 2)
inputs, labels = torch.randn(32, 8), torch.randint(0, 2, (32,))

with torch.inference_mode():
    features = backbone(inputs)  # cached once, to train the head on

# The symptom: the head saves its input for backward, and that input is an inference tensor
try:
    nn.functional.cross_entropy(head(features), labels).backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError(
        "backward through an inference tensor did not raise RuntimeError"
    )
print(textwrap.fill(message, width=80))
"""
Inference tensors cannot be saved for backward. Please do not use Tensors
created in inference mode in computation tracked by autograd. To work around
this, you can make a clone to get a normal tensor and use it in autograd, or use
`torch.no_grad()` instead of `torch.inference_mode()`.
"""
assert message.startswith("Inference tensors cannot be saved for backward.")

# The fix: clone() outside inference_mode ...
features = features.clone()
nn.functional.cross_entropy(head(features), labels).backward()
assert head.weight.grad is not None and not features.is_inference()

# ... or compute the features under no_grad: ordinary tensors, no graph behind them
head.zero_grad()
with torch.no_grad():
    features = backbone(inputs)
assert not features.is_inference() and features.grad_fn is None
nn.functional.cross_entropy(head(features), labels).backward()
assert head.weight.grad is not None and backbone.weight.grad is None
print("under no_grad: inference tensor:", features.is_inference())
#> under no_grad: inference tensor: False
