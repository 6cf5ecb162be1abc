import textwrap
from collections.abc import Callable

import torch

torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
hidden = w * 2


def error_of(set_flag: Callable[[], object]) -> str:
    try:
        set_flag()
    except RuntimeError as error:
        return str(error)
    else:
        return "no error"


message = error_of(lambda: hidden.requires_grad_(False))
print(textwrap.fill(message, width=80))
"""
you can only change requires_grad flags of leaf variables. If you want to use a
computed variable in a subgraph that doesn't require differentiation use
var_no_grad = var.detach().
"""
assert error_of(lambda: setattr(hidden, "requires_grad", False)) == message
assert hidden.requires_grad_(True) is hidden  # asking for what it has is a no-op

constant = hidden.detach()  # the fix: a new leaf sharing the same data
print("detached:", constant.is_leaf, constant.requires_grad)
#> detached: True False
assert constant.data_ptr() == hidden.data_ptr()
