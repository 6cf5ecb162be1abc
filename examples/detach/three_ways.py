import textwrap

import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
y = w * 2

detached = y.detach()  # one new tensor; y and its graph are untouched
with torch.no_grad():  # every result computed inside the block
    computed = w * 2

print("detach():", detached.requires_grad, detached.grad_fn, detached.is_leaf)
#> detach(): False None True
print("no_grad:", computed.requires_grad, computed.grad_fn, computed.is_leaf)
#> no_grad: False None True
print("y keeps its graph:", type(y.grad_fn).__name__)
#> y keeps its graph: MulBackward0

try:
    y.requires_grad_(False)  # only a leaf's flag can be changed
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("y.requires_grad_(False) did not raise RuntimeError")
print(textwrap.fill(message, width=80))
"""
you can only change requires_grad flags of leaf variables. If you want to use a
computed variable in a subgraph that doesn't require differentiation use
var_no_grad = var.detach().
"""
assert message.startswith("you can only change requires_grad flags of leaf")
w.requires_grad_(False)  # on a leaf it works, and affects later computations
assert not (w * 2).requires_grad and y.requires_grad
