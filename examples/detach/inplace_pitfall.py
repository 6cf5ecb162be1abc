import torch

torch.manual_seed(0)
x = torch.randn(3, requires_grad=True)
y = x.exp()  # exp saves its output y to compute the gradient
y.detach().zero_()  # changes y too (shared storage and version counter)

try:
    y.sum().backward()
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("y.sum().backward() did not raise RuntimeError")
print(message.split(":")[0])
"""
one of the variables needed for gradient computation has been modified by an inplace operation
"""
assert message.startswith(
    "one of the variables needed for gradient computation has been modified"
)
assert "is at version 1; expected version 0 instead" in message

y = x.exp()
y.detach().clone().zero_()  # the fix: modify a copy
y.sum().backward()
assert torch.allclose(x.grad, x.exp())
