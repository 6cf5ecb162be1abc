import warnings

import torch
from torch import nn

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)  # created by the user: a leaf
weight = nn.Linear(3, 1).weight  # a parameter: a leaf
hidden = w * 2  # computed from a tensor that requires grad: not a leaf
constant = torch.randn(3) * 2  # computed, but nothing required grad: a leaf

print("is_leaf:", w.is_leaf, weight.is_leaf, hidden.is_leaf, constant.is_leaf)
#> is_leaf: True True False True
assert hidden.grad_fn is not None and constant.grad_fn is None
assert not constant.requires_grad

hidden.sum().backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    hidden_grad = hidden.grad  # a non-leaf's .grad is not kept
assert caught, "reading a non-leaf's .grad did not warn"
assert w.grad is not None and hidden_grad is None
warning = str(caught[0].message)
assert warning.startswith("The .grad attribute of a Tensor that is not a leaf")
print(warning.split(". ")[0] + ".")
#> The .grad attribute of a Tensor that is not a leaf Tensor is being accessed.

hidden = w * 2
hidden.retain_grad()  # ask autograd to keep this one
hidden.sum().backward()
print("retained non-leaf .grad:", hidden.grad.tolist())
#> retained non-leaf .grad: [1.0, 1.0, 1.0]
