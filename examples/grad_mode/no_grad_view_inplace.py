import textwrap

import torch

torch.manual_seed(0)
w = torch.randn(4, requires_grad=True)
y = w * 2  # a non-leaf that requires grad

with torch.no_grad():
    first_half = y[:2]  # a view taken in no_grad mode

try:
    first_half.mul_(10)  # modified in place later, with grad mode on
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("first_half.mul_(10) did not raise RuntimeError")
print(textwrap.fill(message, width=80))
"""
A view was created in no_grad mode and is being modified inplace with grad mode
enabled. Given that this use case is ambiguous and error-prone, it is forbidden.
You can clarify your code by moving both the view and the inplace either both
inside the no_grad block (if you don't want the inplace to be tracked) or both
outside (if you want the inplace to be tracked).
"""
assert message.startswith("A view was created in no_grad mode and is being modified")

with torch.no_grad():  # fix 1: view and in-place update both inside the block
    y[:2].mul_(10)
first_half = y[:2]  # fix 2: both outside: the update is recorded
first_half.mul_(10)
y.sum().backward()
assert torch.equal(w.grad, torch.tensor([20.0, 20.0, 2.0, 2.0]))
