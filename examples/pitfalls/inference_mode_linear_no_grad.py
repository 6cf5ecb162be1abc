import textwrap

import torch
from torch import nn


@torch.inference_mode()
def build_probe() -> nn.Linear:
    torch.manual_seed(0)
    return nn.Linear(8, 2)  # built in inference mode: inference-tensor parameters


inputs, labels = torch.randn(32, 8), torch.randint(0, 2, (32,))

# The symptom: forward and backward raise nothing, yet the weight gets no gradient
probe = build_probe()
assert probe.weight.is_inference() and probe.weight.requires_grad
nn.functional.cross_entropy(probe(inputs), labels).backward()
print(
    "weight.grad:", probe.weight.grad, "| bias.grad set:", probe.bias.grad is not None
)
#> weight.grad: None | bias.grad set: True
assert probe.weight.grad is None and probe.bias.grad is not None

# Why: F.linear multiplies by weight.t(), and a view of an inference tensor is not
# tracked, even outside the mode: it is cut off from the weight
view = probe.weight.t()
print("weight.t():", view.is_inference(), view.requires_grad, view.grad_fn)
#> weight.t(): True False None
assert view.is_inference() and not view.requires_grad and view.grad_fn is None

# The first error comes only at step(), from the in-place update of the bias
optimizer = torch.optim.SGD(probe.parameters(), lr=0.1)
try:
    optimizer.step()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("optimizer.step() did not raise RuntimeError")
print(textwrap.fill(message, width=80))
"""
Inplace update to inference tensor outside InferenceMode is not allowed.You can
make a clone to get a normal tensor before doing inplace update.See
https://github.com/pytorch/rfcs/pull/17 for more details.
"""
assert message.startswith("Inplace update to inference tensor outside InferenceMode")

# A layer that must save its weight fails at once, in the forward: a Linear whose
# input requires grad, or a convolution
with torch.inference_mode():
    second, conv = nn.Linear(2, 2), nn.Conv1d(1, 2, 3)
for layer, x in ((second, probe(inputs)), (conv, torch.randn(4, 1, 8))):
    message = "no error"
    try:
        layer(x)
    except RuntimeError as error:
        message = str(error)
    else:
        raise AssertionError("layer(x) did not raise RuntimeError")
    assert message.startswith("Inference tensors cannot be saved for backward.")
    print(type(layer).__name__, "forward:", message.split(".")[0])
    #> Linear forward: Inference tensors cannot be saved for backward
    #> Conv1d forward: Inference tensors cannot be saved for backward

# The fix: build (or load) the model outside inference_mode
torch.manual_seed(0)
probe = nn.Linear(8, 2)
nn.functional.cross_entropy(probe(inputs), labels).backward()
assert probe.weight.grad is not None and not probe.weight.is_inference()
