import torch

torch.manual_seed(0)
x = torch.randn(4, requires_grad=True)
correct = torch.autograd.grad(x.sigmoid().sum(), x)[0]

# The symptom: sigmoid saves its output; changing it through .data goes unnoticed
y = x.sigmoid()
y.data.mul_(2)
(grad,) = torch.autograd.grad(y.sum(), x)
assert not torch.allclose(grad, correct)  # silently wrong
print("in-place change through .data: gradient correct?", torch.allclose(grad, correct))
#> in-place change through .data: gradient correct? False

# The fix: detach() shares the version counter, so autograd reports the change
y = x.sigmoid()
y.detach().mul_(2)
try:
    torch.autograd.grad(y.sum(), x)
except RuntimeError as error:
    message = str(error)
else:
    raise AssertionError("torch.autograd.grad(y.sum(), x) did not raise RuntimeError")
print(message.split(":")[0])
"""
one of the variables needed for gradient computation has been modified by an inplace operation
"""
assert message.startswith("one of the variables needed for gradient computation")
