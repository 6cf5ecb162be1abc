import textwrap

import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
hidden = w * 2

try:
    hidden.requires_grad_(False)  # the same happens with hidden.requires_grad = False
except RuntimeError as error:
    message = str(error)
assert message.startswith("you can only change requires_grad flags of leaf variables")
print(textwrap.fill(message, width=80))
"""
you can only change requires_grad flags of leaf variables. If you want to use a
computed variable in a subgraph that doesn't require differentiation use
var_no_grad = var.detach().
"""

constant = hidden.detach()  # the fix: a new leaf sharing the same data
print("detached:", constant.is_leaf, constant.requires_grad)
#> detached: True False
assert constant.data_ptr() == hidden.data_ptr()
